/*
 * nearby_sql.c — likely duplicates: open problems of a category near a
 * point, and the co-reporters (problem_followers) who joined an existing
 * problem.
 *
 * The engine's spatial index answers the bounding box (nearby.h: the R*Tree
 * on SQLite, a GiST index on points on PostgreSQL); the exact great-circle
 * distance (haversine on the stored doubles) is computed here, the same for
 * both and independent of SQLite's optional math functions.
 */
#include "db.h"
#include "nearby.h"
#include "store.h"
#include "core/validate.h"
#include <math.h>
#include <stdlib.h>

#define M_PER_DEG 111320.0	/* metres per degree of latitude (and of longitude at the equator) */

void geo_box(double lat, double lng, double radius_m, double out[4])
{
	double dlat = radius_m / M_PER_DEG, c = cos(lat * M_PI / 180.0);
	double dlng = c > 1e-6 ? radius_m / (M_PER_DEG * c) : 360.0;
	if (dlng > 360.0)
		dlng = 360.0;
	out[0] = lat - dlat;
	out[1] = lat + dlat;
	out[2] = lng - dlng;
	out[3] = lng + dlng;
}

const struct nearby_sql *nearby_sql(void)
{
	return db_backend() == DB_PG ? &nearby_sql_pg : &nearby_sql_sqlite;
}

static int by_distance(const void *a, const void *b)
{
	double x = json_real_value(json_object_get(*(json_t *const *)a, "distance_m"));
	double y = json_real_value(json_object_get(*(json_t *const *)b, "distance_m"));
	return x < y ? -1 : x > y ? 1 : 0;
}

json_t *store_problems_nearby(int64_t category_id, double lat, double lng, double radius_m, int64_t exclude_id, int limit)
{
	/* The category matches itself and, when it is a 大类, its 小类 (the list
	 * filter's rule). Open = not final (WF_SQL_FINAL, workflow.h). */
	db_stmt *st = db_prep(nearby_sql()->problems);
	if (!st)
		return NULL;
	double b[4];
	geo_box(lat, lng, radius_m, b);
	db_bind_i64(st, 1, category_id);
	for (int i = 0; i < 4; i++)
		db_bind_double(st, i + 2, b[i]);
	db_bind_i64(st, 6, exclude_id);
	json_t *rows = db_rows(st);
	if (!rows)
		return NULL;
	size_t n = json_array_size(rows), k = 0;
	json_t **keep = n ? calloc(n, sizeof *keep) : NULL;
	if (n && !keep) {
		json_decref(rows);
		return NULL;
	}
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		double d = haversine_m(lat, lng, json_number_value(json_object_get(row, "lat")),
				       json_number_value(json_object_get(row, "lng")));
		if (d > radius_m)
			continue;
		json_object_set_new(row, "distance_m", json_real(round(d * 10) / 10));
		keep[k++] = json_incref(row);
	}
	json_decref(rows);
	if (k)
		qsort(keep, k, sizeof *keep, by_distance);
	json_t *out = json_array();
	for (i = 0; i < k; i++) {
		if ((int)i < limit)
			json_array_append(out, keep[i]);
		json_decref(keep[i]);
	}
	free(keep);
	return out;
}

int store_problem_is_follower(int64_t problem_id, int64_t account_id)
{
	db_stmt *st = db_prep("SELECT 1 FROM problem_followers WHERE problem_id = ? AND account_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, problem_id);
	db_bind_i64(st, 2, account_id);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : STORE_EIO;
}

int store_problem_follow(int64_t problem_id, int64_t account_id, int64_t now)
{
	db_stmt *st = db_prep("INSERT INTO problem_followers (problem_id, account_id, joined_at)"
				   " VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, problem_id);
	db_bind_i64(st, 2, account_id);
	db_bind_i64(st, 3, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? 1 : 0;
}

int store_problem_followers_copy(int64_t from, int64_t to, int64_t now)
{
	db_stmt *st = db_prep("INSERT INTO problem_followers (problem_id, account_id, joined_at)"
				   " SELECT ?2, f.account_id, ?3 FROM problem_followers f WHERE f.problem_id = ?1"
				   " AND f.account_id IS DISTINCT FROM (SELECT reporter_id FROM problems WHERE id = ?2) ON CONFLICT DO NOTHING");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, from);
	db_bind_i64(st, 2, to);
	db_bind_i64(st, 3, now);
	return db_exec_stmt(st);
}

int64_t store_problem_reporter_count(int64_t problem_id)
{
	db_stmt *st = db_prep("SELECT 1 + count(*) FROM problem_followers WHERE problem_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, problem_id);
	int64_t n = db_step(st) == DB_ROW ? db_col_i64(st, 0) : STORE_EIO;
	db_done(st);
	return n;
}
