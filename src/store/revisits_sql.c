/*
 * revisits_sql.c — revisits (回头看) of closed problems and chronic spots
 * (顽疾) with their watch list, checks (巡查打卡) and settled days (schema 007).
 *
 * Problem rows are never written here (problems change only through
 * store_problem_update). The radius query of a spot takes the engine's
 * box (nearby.h) and the exact haversine distance in C, as the
 * likely-duplicates query does (nearby_sql.c).
 */
#include "db.h"
#include "core/workflow.h"
#include "scope_sql.h"
#include "nearby.h"
#include "store.h"
#include "core/validate.h"
#include <stdlib.h>

/* Revisits ------------------------------------------------------------------ */

#define REVISIT_COLS "v.id, v.problem_id, v.offset_days, v.due_at, v.state, v.done_at, v.done_by," \
	" a.display_name AS done_by_name, v.note, v.photos AS \"photos:json\", v.lat, v.lng, v.event_id, v.created_at," \
	" p.code AS problem_code, p.state AS problem_state, c.code AS category, c.name AS category_name," \
	" p.description, p.address, p.org_id, o.name AS org_name, o.path AS org_path, p.lat AS problem_lat," \
	" p.lng AS problem_lng, p.relapse_count"
#define REVISIT_FROM " FROM revisits v JOIN problems p ON p.id = v.problem_id JOIN categories c ON c.id = p.category_id" \
	" JOIN orgs o ON o.id = p.org_id LEFT JOIN accounts a ON a.id = v.done_by"

int store_revisit_add(int64_t problem_id, int offset_days, int64_t due_at, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO revisits (problem_id, offset_days, due_at, created_at) VALUES (?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, problem_id);
	db_bind_i64(st, 2, offset_days);
	db_bind_i64(st, 3, due_at);
	db_bind_i64(st, 4, now);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

json_t *store_revisit_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " REVISIT_COLS REVISIT_FROM " WHERE v.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

int store_revisits_cancel(int64_t problem_id, int64_t keep, int64_t now)
{
	db_stmt *st = db_prep("UPDATE revisits SET state = 'cancelled', done_at = ?3"
				   " WHERE problem_id = ?1 AND state = 'pending' AND id <> ?2");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, problem_id);
	db_bind_i64(st, 2, keep);
	db_bind_i64(st, 3, now);
	return db_exec_stmt(st);
}

int store_revisit_done(int64_t id, const json_t *d)
{
	db_stmt *st = db_prep("UPDATE revisits SET state = ?2, done_at = ?3, done_by = ?4, note = ?5, photos = ?6,"
				   " lat = ?7, lng = ?8, event_id = ?9 WHERE id = ?1 AND state = 'pending'");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	static const char *keys[] = {"state", "done_at", "done_by", "note", "photos", "lat", "lng", "event_id"};
	for (int i = 0; i < 8; i++)
		db_bind_json(st, i + 2, json_object_get(d, keys[i]));
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ECONFLICT;
}

json_t *store_revisit_list(const json_t *f, int64_t after_due, int64_t after_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT " REVISIT_COLS REVISIT_FROM
		" WHERE (?1 IS NULL OR v.state = ?1)"
		" AND (?2 IS NULL OR v.due_at < ?2)"
		" AND (?3 IS NULL OR v.due_at >= ?3)"
		" AND (?4 IS NULL OR (v.state = 'pending' AND v.due_at < ?4))"
		" AND " SCOPE_UNDER_OPT("o.path", "?5")
		" AND " SCOPE_IN_OPT("o.path", "?6")
		" AND (?7 IS NULL OR v.problem_id = ?7)"
		" AND (?8 IS NULL OR v.due_at > ?8 OR (v.due_at = ?8 AND v.id > ?9))"
		" ORDER BY v.due_at, v.id LIMIT ?10");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(f, "state"));
	db_bind_json(st, 2, json_object_get(f, "due_before"));
	db_bind_json(st, 3, json_object_get(f, "due_after"));
	db_bind_json(st, 4, json_object_get(f, "overdue_at"));
	scope_bind_under(st, 5, f, "under");
	scope_bind_within(st, 6, f);
	db_bind_json(st, 7, json_object_get(f, "problem_id"));
	if (after_id) {
		db_bind_i64(st, 8, after_due);
		db_bind_i64(st, 9, after_id);
	}
	db_bind_i64(st, 10, limit);
	return db_rows(st);
}

json_t *store_problem_revisits(int64_t problem_id)
{
	db_stmt *st = db_prep("SELECT v.id, v.offset_days, v.due_at, v.state, v.done_at, v.done_by,"
				   " a.display_name AS done_by_name, v.note, v.event_id"
				   " FROM revisits v LEFT JOIN accounts a ON a.id = v.done_by"
				   " WHERE v.problem_id = ? ORDER BY v.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, problem_id);
	return db_rows(st);
}

/* Chronic spots ------------------------------------------------------------- */

json_t *store_chronic_find(int64_t category_id, int64_t site_id, double lat, double lng, double radius_m)
{
	db_stmt *st;
	if (site_id > 0) {
		st = db_prep("SELECT id FROM chronic_spots WHERE category_id = ? AND site_id = ? ORDER BY id LIMIT 1");
		if (!st)
			return NULL;
		db_bind_i64(st, 1, category_id);
		db_bind_i64(st, 2, site_id);
		json_t *row = db_one(st);
		int64_t id = row ? json_integer_value(json_object_get(row, "id")) : 0;
		json_decref(row);
		return id ? store_chronic_get(id, 0) : NULL;
	}
	st = db_prep("SELECT id, lat, lng FROM chronic_spots WHERE category_id = ?1 AND site_id IS NULL"
		     " AND lat BETWEEN ?2 AND ?3 AND lng BETWEEN ?4 AND ?5");
	if (!st)
		return NULL;
	double b[4];
	geo_box(lat, lng, radius_m, b);
	db_bind_i64(st, 1, category_id);
	for (int i = 0; i < 4; i++)
		db_bind_double(st, i + 2, b[i]);
	json_t *rows = db_rows(st);
	int64_t best = 0;
	double best_d = radius_m;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		double d = haversine_m(lat, lng, json_number_value(json_object_get(row, "lat")),
				       json_number_value(json_object_get(row, "lng")));
		if (d <= best_d) {
			best_d = d;
			best = json_integer_value(json_object_get(row, "id"));
		}
	}
	json_decref(rows);
	return best ? store_chronic_get(best, 0) : NULL;
}

json_t *store_spot_occurrences(int64_t category_id, int64_t site_id, double lat, double lng, double radius_m,
			       int64_t since)
{
	db_stmt *st;
	if (site_id > 0) {
		st = db_prep("SELECT id, created_at, relapses, seq, transitions AS \"transitions:json\" FROM (SELECT p.id,"
			     " p.created_at, p.closed_at," SPOT_TRANSITIONS "," SPOT_RELAPSES("?3")
			     " FROM problems p WHERE p.category_id = ?1 AND p.site_id = ?2"
			     " AND p.state NOT IN (" WF_SQL_VOID ")) AS s"
			     " WHERE created_at >= ?3 OR relapses > 0 OR coalesce(closed_at, ?3) >= ?3");
		if (!st)
			return NULL;
		db_bind_i64(st, 1, category_id);
		db_bind_i64(st, 2, site_id);
		db_bind_i64(st, 3, since);
		return db_rows(st);
	}
	/* By radius: the engine's box (nearby_sqlite.c, nearby_pg.c), then the
	 * exact distance here. */
	st = db_prep(nearby_sql()->spot_occurrences);
	if (!st)
		return NULL;
	double b[4];
	geo_box(lat, lng, radius_m, b);
	db_bind_i64(st, 1, category_id);
	for (int i = 0; i < 4; i++)
		db_bind_double(st, i + 2, b[i]);
	db_bind_i64(st, 6, since);
	json_t *rows = db_rows(st), *out = rows ? json_array() : NULL;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		if (haversine_m(lat, lng, json_number_value(json_object_get(row, "lat")),
				json_number_value(json_object_get(row, "lng"))) > radius_m)
			continue;
		json_object_del(row, "lat");
		json_object_del(row, "lng");
		json_array_append(out, row);
	}
	json_decref(rows);
	return out;
}

int store_chronic_create(const json_t *s, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO chronic_spots (category_id, site_id, lat, lng, org_id, count, first_at,"
				   " last_at, flagged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"category_id", "site_id", "lat", "lng", "org_id", "count", "first_at", "last_at",
				     "flagged_at"};
	for (int i = 0; i < 9; i++)
		db_bind_json(st, i + 1, json_object_get(s, keys[i]));
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

int store_chronic_touch(int64_t id, int count, int64_t last_at)
{
	db_stmt *st = db_prep("UPDATE chronic_spots SET count = ?2, last_at = max(last_at, ?3) WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, count);
	db_bind_i64(st, 3, last_at);
	return db_exec_stmt(st);
}

int store_chronic_link(int64_t spot_id, int64_t problem_id)
{
	db_stmt *st = db_prep("INSERT INTO chronic_problems (spot_id, problem_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, spot_id);
	db_bind_i64(st, 2, problem_id);
	return db_exec_stmt(st);
}

#define SPOT_COLS "s.id, s.category_id, c.code AS category, c.name AS category_name, s.site_id, s.lat, s.lng," \
	" s.org_id, o.name AS org_name, o.path AS org_path, s.count, s.first_at, s.last_at, s.flagged_at," \
	" s.watch_quota, s.watch_since, s.watch_until, s.watched_by," \
	" (SELECT count(*) FROM chronic_problems cp WHERE cp.spot_id = s.id) AS problem_count," \
	" (SELECT count(*) FROM chronic_checks k WHERE k.spot_id = s.id AND k.day = ?1) AS today_done," \
	" (SELECT count(*) FROM chronic_days d WHERE d.spot_id = s.id AND d.missed > 0) AS missed_days," \
	" (SELECT coalesce(sum(d.missed), 0) FROM chronic_days d WHERE d.spot_id = s.id) AS missed_checks," \
	" (SELECT max(k.at) FROM chronic_checks k WHERE k.spot_id = s.id) AS last_check_at"
#define SPOT_FROM " FROM chronic_spots s JOIN categories c ON c.id = s.category_id JOIN orgs o ON o.id = s.org_id"

json_t *store_chronic_get(int64_t id, int64_t today)
{
	db_stmt *st = db_prep("SELECT " SPOT_COLS SPOT_FROM " WHERE s.id = ?2");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, today);
	db_bind_i64(st, 2, id);
	return db_one(st);
}

json_t *store_chronic_list(const json_t *f, int64_t before_id, int limit, int64_t today)
{
	db_stmt *st = db_prep(
		"SELECT " SPOT_COLS SPOT_FROM
		" WHERE (?2 IS NULL OR s.category_id = ?2 OR c.parent_id = ?2)"
		" AND " SCOPE_UNDER_OPT("o.path", "?3")
		" AND " SCOPE_IN_OPT("o.path", "?4")
		" AND (?5 IS NULL OR (CASE WHEN s.watch_quota IS NULL THEN 0 ELSE 1 END) = ?5)"
		" AND (?6 = 0 OR s.id < ?6)"
		" ORDER BY s.id DESC LIMIT ?7");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, today);
	db_bind_json(st, 2, json_object_get(f, "category_id"));
	scope_bind_under(st, 3, f, "under");
	scope_bind_within(st, 4, f);
	db_bind_json(st, 5, json_object_get(f, "watched"));
	db_bind_i64(st, 6, before_id);
	db_bind_i64(st, 7, limit);
	return db_rows(st);
}

json_t *store_chronic_problems(int64_t spot_id)
{
	db_stmt *st = db_prep("SELECT p.id, p.code, p.state, p.description, p.created_at, p.closed_at, p.relapse_count"
				   " FROM chronic_problems cp JOIN problems p ON p.id = cp.problem_id"
				   " WHERE cp.spot_id = ? ORDER BY p.created_at DESC, p.id DESC");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, spot_id);
	return db_rows(st);
}

json_t *store_chronic_of_problem(int64_t problem_id)
{
	db_stmt *st = db_prep("SELECT s.id, s.count, s.watch_quota FROM chronic_problems cp"
				   " JOIN chronic_spots s ON s.id = cp.spot_id WHERE cp.problem_id = ? ORDER BY s.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, problem_id);
	return db_rows(st);
}

int store_chronic_watch(int64_t id, int quota, int64_t since, int64_t until, int64_t by)
{
	db_stmt *st = db_prep("UPDATE chronic_spots SET watch_quota = ?2, watch_since = ?3, watch_until = ?4,"
				   " watched_by = ?5 WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	if (quota > 0) {
		db_bind_i64(st, 2, quota);
		db_bind_i64(st, 3, since);
		if (until >= 0)
			db_bind_i64(st, 4, until);
		db_bind_i64(st, 5, by);
	}
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

int store_chronic_check_add(const json_t *c, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO chronic_checks (spot_id, at, day, actor_id, ok, note, photos, lat, lng)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"spot_id", "at", "day", "actor_id", "ok", "note", "photos", "lat", "lng"};
	for (int i = 0; i < 9; i++)
		db_bind_json(st, i + 1, json_object_get(c, keys[i]));
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

json_t *store_chronic_checks(int64_t spot_id, int limit)
{
	db_stmt *st = db_prep("SELECT k.id, k.at, k.day, k.actor_id, a.display_name AS actor_name, k.ok AS \"ok:bool\","
				   " k.note, k.photos AS \"photos:json\", k.lat, k.lng FROM chronic_checks k"
				   " LEFT JOIN accounts a ON a.id = k.actor_id WHERE k.spot_id = ? ORDER BY k.id DESC LIMIT ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, spot_id);
	db_bind_i64(st, 2, limit);
	return db_rows(st);
}

json_t *store_chronic_days(int64_t spot_id, int limit)
{
	db_stmt *st = db_prep("SELECT day, quota, done, missed FROM chronic_days WHERE spot_id = ?"
				   " ORDER BY day DESC LIMIT ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, spot_id);
	db_bind_i64(st, 2, limit);
	return db_rows(st);
}

json_t *store_chronic_unsettled(int64_t through, int limit)
{
	/* next_day: the first watched day without a settled row after the last one. */
	db_stmt *st = db_prep(
		"SELECT id, org_id, category_name, watch_quota, watch_since, watch_until, next_day FROM"
		" (SELECT s.id, s.org_id, c.name AS category_name, s.watch_quota, s.watch_since, s.watch_until,"
		"  max(s.watch_since, coalesce((SELECT max(d.day) + 1 FROM chronic_days d WHERE d.spot_id = s.id),"
		"   s.watch_since)) AS next_day"
		"  FROM chronic_spots s JOIN categories c ON c.id = s.category_id WHERE s.watch_quota IS NOT NULL) x"
		" WHERE next_day <= ?1 AND (watch_until IS NULL OR next_day <= watch_until) ORDER BY id LIMIT ?2");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, through);
	db_bind_i64(st, 2, limit);
	return db_rows(st);
}

int store_chronic_settle_day(int64_t spot_id, int64_t day, int quota, int *inserted, int *done, int *missed)
{
	db_stmt *st = db_prep("INSERT INTO chronic_days (spot_id, day, quota, done, missed)"
				   " SELECT ?1, ?2, ?3, n, CASE WHEN ?3 > n THEN ?3 - n ELSE 0 END FROM"
				   " (SELECT count(*) AS n FROM chronic_checks WHERE spot_id = ?1 AND day = ?2) c"
				   " WHERE true ON CONFLICT DO NOTHING RETURNING done, missed");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, spot_id);
	db_bind_i64(st, 2, day);
	db_bind_i64(st, 3, quota);
	int rc = db_step(st);
	*inserted = rc == DB_ROW;
	if (*inserted) {
		*done = (int)db_col_i64(st, 0);
		*missed = (int)db_col_i64(st, 1);
		rc = db_step(st);
	}
	db_done(st);
	return rc == DB_DONE ? STORE_OK : STORE_EIO;
}
