/*
 * citizen_sql.c — what a citizen tip carries besides the problem row
 * (schema/sqlite/017_open311_contacts.sql): an Open311 reporter's contact
 * details, sealed, with masked copies; and the public tracking token that
 * only the reporter is given.
 */
#include "db.h"
#include "store.h"
#include <stdlib.h>
#include <string.h>

int store_problem_contact_put(int64_t problem_id, const json_t *c)
{
	db_stmt *st = db_prep("INSERT INTO problem_contacts (problem_id, sealed, name_masked, phone_masked,"
				   " email_masked, device_masked) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (problem_id) DO UPDATE SET"
				   " sealed = excluded.sealed, name_masked = excluded.name_masked, phone_masked = excluded.phone_masked,"
				   " email_masked = excluded.email_masked, device_masked = excluded.device_masked");
	if (!st)
		return STORE_EIO;
	static const char *const keys[] = {"sealed", "name_masked", "phone_masked", "email_masked", "device_masked"};
	db_bind_i64(st, 1, problem_id);
	for (int i = 0; i < 5; i++) {
		const json_t *v = json_object_get(c, keys[i]);
		db_bind_text(st, 2 + i, json_is_string(v) ? json_string_value(v) : NULL);
	}
	return db_exec_stmt(st);
}

json_t *store_problem_contact_get(int64_t problem_id)
{
	db_stmt *st = db_prep("SELECT sealed, name_masked, phone_masked, email_masked, device_masked"
				   " FROM problem_contacts WHERE problem_id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, problem_id);
	return db_one(st);
}

json_t *store_problem_contacts_legacy(int limit)
{
	db_stmt *st = db_prep("SELECT problem_id, data AS \"data:json\" FROM problem_contacts_legacy"
				   " ORDER BY problem_id LIMIT ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, limit);
	return db_rows(st);
}

int store_problem_contact_legacy_done(int64_t problem_id)
{
	db_stmt *st = db_prep("DELETE FROM problem_contacts_legacy WHERE problem_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, problem_id);
	return db_exec_stmt(st);
}

int store_tracking_put(int64_t problem_id, const char *token)
{
	db_stmt *st = db_prep("INSERT INTO problem_tracking (problem_id, token) VALUES (?, ?)");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, problem_id);
	db_bind_text(st, 2, token);
	return db_exec_stmt(st);
}

char *store_tracking_token(int64_t problem_id)
{
	db_stmt *st = db_prep("SELECT token FROM problem_tracking WHERE problem_id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, problem_id);
	char *v = NULL;
	if (db_step(st) == DB_ROW)
		v = strdup(db_col_text(st, 0));
	db_done(st);
	return v;
}

int64_t store_tracking_problem(const char *token)
{
	db_stmt *st = db_prep("SELECT problem_id FROM problem_tracking WHERE token = ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, token);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return id;
}

int64_t store_community_of(int64_t org_id)
{
	db_stmt *st = db_prep("WITH RECURSIVE up(id, parent, kind) AS (SELECT id, parent_id, kind FROM orgs WHERE id = ?"
				   " UNION ALL SELECT o.id, o.parent_id, o.kind FROM orgs o JOIN up ON o.id = up.parent)"
				   " SELECT id FROM up WHERE kind = 'community' LIMIT 1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, org_id);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return id;
}

int64_t store_place_near(double lat, double lng, double radius_m)
{
	double box[4];
	geo_box(lat, lng, radius_m, box);
	/* Compounds (orgs) and sites inside the box, nearest first. The order
	 * is total: at equal distance (a site at its compound's gate) the
	 * compound wins, then the lower id; left as a tie, SQLite and
	 * PostgreSQL would pick different rows and route one report to two
	 * communities. */
	db_stmt *st = db_prep("SELECT org, lat, lng FROM ("
				   " SELECT id AS org, lat, lng, 0 AS pref, id FROM orgs WHERE kind = 'compound'"
				   "  AND lat BETWEEN ?1 AND ?2 AND lng BETWEEN ?3 AND ?4"
				   " UNION ALL SELECT org_id, lat, lng, 1, id FROM sites WHERE active = 1 AND lat BETWEEN ?1 AND ?2"
				   "  AND lng BETWEEN ?3 AND ?4) x"
				   " ORDER BY (lat - ?5) * (lat - ?5) + ((lng - ?6) * 0.85) * ((lng - ?6) * 0.85), pref, id LIMIT 1");
	if (!st)
		return STORE_EIO;
	for (int i = 0; i < 4; i++)
		db_bind_double(st, 1 + i, box[i]);
	db_bind_double(st, 5, lat);
	db_bind_double(st, 6, lng);
	int rc = db_step(st);
	int64_t org = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return org;
}
