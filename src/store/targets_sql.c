/*
 * targets_sql.c — see targets_sql.h. One SQL for both engines (db.h).
 */
#include "targets_sql.h"
#include "db.h"
#include "scope_sql.h"
#include "store.h"
#include "core/jsonx.h"
#include <string.h>

/* Targets ------------------------------------------------------------------ */

#define TGT_COLS "t.id, t.org_id, o.name AS org_name, o.kind AS org_kind, o.path AS org_path, t.year, t.title," \
	" t.state, t.issued_at, t.issuer_signer, t.receiver_signer, t.signed_on, t.signed_at, t.created_at, t.updated_at"
#define TGT_FROM " FROM targets t JOIN orgs o ON o.id = t.org_id"

json_t *store_target_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " TGT_COLS TGT_FROM " WHERE t.id = ?1");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_target_find(int64_t org_id, int year)
{
	db_stmt *st = db_prep("SELECT " TGT_COLS TGT_FROM " WHERE t.org_id = ?1 AND t.year = ?2");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, org_id);
	db_bind_i64(st, 2, year);
	return db_one(st);
}

json_t *store_target_list(const json_t *f, int64_t after_id, int limit)
{
	db_stmt *st = db_prep("SELECT " TGT_COLS TGT_FROM " WHERE (?1 IS NULL OR t.year = ?1)"
			      " AND " SCOPE_UNDER_OPT("o.path", "?2") " AND " SCOPE_IN_OPT("o.path", "?3")
			      " AND t.id > ?4 ORDER BY t.id LIMIT ?5");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(f, "year"));
	scope_bind_under(st, 2, f, "org_id");
	scope_bind_within(st, 3, f);
	db_bind_i64(st, 4, after_id);
	db_bind_i64(st, 5, limit);
	return db_rows(st);
}

int store_target_create(const json_t *in, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO targets (org_id, year, title, state, created_at, updated_at)"
			      " VALUES (?1, ?2, ?3, 'draft', ?4, ?4) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_json(st, 1, json_object_get(in, "org_id"));
	db_bind_json(st, 2, json_object_get(in, "year"));
	db_bind_json(st, 3, json_object_get(in, "title"));
	db_bind_i64(st, 4, now);
	int64_t id = db_insert_id(st);
	if (id < 0)
		return (int)id;
	*id_out = id;
	return STORE_OK;
}

int store_target_set_title(int64_t id, const char *title, int64_t now)
{
	db_stmt *st = db_prep("UPDATE targets SET title = ?2, updated_at = ?3 WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, title);
	db_bind_i64(st, 3, now);
	return db_exec_stmt(st);
}

int store_target_items_set(int64_t target_id, const json_t *items)
{
	db_stmt *del = db_prep("DELETE FROM target_items WHERE target_id = ?1");
	if (!del)
		return STORE_EIO;
	db_bind_i64(del, 1, target_id);
	int rc = db_exec_stmt(del);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		if (rc)
			break;
		db_stmt *st = db_prep("INSERT INTO target_items (target_id, position, metric, goal, text)"
				      " VALUES (?1, ?2, ?3, ?4, ?5)");
		if (!st)
			return STORE_EIO;
		db_bind_i64(st, 1, target_id);
		db_bind_i64(st, 2, (int64_t)i + 1);
		db_bind_json(st, 3, json_object_get(it, "metric"));
		json_t *g = json_object_get(it, "goal");
		if (json_is_number(g))
			db_bind_double(st, 4, json_number_value(g));
		else
			db_bind_null(st, 4);
		db_bind_json(st, 5, json_object_get(it, "text"));
		rc = db_exec_stmt(st);
	}
	return rc;
}

json_t *store_target_items(int64_t target_id)
{
	db_stmt *st = db_prep("SELECT i.id, i.position, i.metric, i.goal, i.text, i.done AS \"done:bool\", i.note,"
			      " i.manual_value, i.marked_by, a.display_name AS marked_by_name, i.marked_at"
			      " FROM target_items i LEFT JOIN accounts a ON a.id = i.marked_by"
			      " WHERE i.target_id = ?1 ORDER BY i.position");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, target_id);
	return db_rows(st);
}

int store_target_item_mark(int64_t target_id, int64_t item_id, const json_t *mark, int64_t by, int64_t now)
{
	db_stmt *st = db_prep("UPDATE target_items SET done = CASE WHEN ?3 THEN ?4 ELSE done END,"
			      " note = CASE WHEN ?5 THEN ?6 ELSE note END,"
			      " manual_value = CASE WHEN ?7 THEN ?8 ELSE manual_value END,"
			      " marked_by = ?9, marked_at = ?10 WHERE id = ?2 AND target_id = ?1");
	if (!st)
		return STORE_EIO;
	static const char *const keys[] = {"done", "note", "value"};
	db_bind_i64(st, 1, target_id);
	db_bind_i64(st, 2, item_id);
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(mark, keys[i]);
		db_bind_i64(st, 3 + 2 * i, v != NULL);
		if (i == 2 && json_is_number(v))
			db_bind_double(st, 8, json_number_value(v));
		else if (i == 0)
			db_bind_i64(st, 4, json_is_true(v));
		else
			db_bind_json(st, 4 + 2 * i, v);
	}
	db_bind_i64(st, 9, by);
	db_bind_i64(st, 10, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

int store_target_issue(int64_t id, int64_t now)
{
	db_stmt *st = db_prep("UPDATE targets SET state = 'issued', issued_at = ?2, updated_at = ?2"
			      " WHERE id = ?1 AND state = 'draft'");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ECONFLICT;
}

int store_target_sign(int64_t id, const char *issuer, const char *receiver, const char *on, int64_t now)
{
	db_stmt *st = db_prep("UPDATE targets SET state = 'signed', issuer_signer = ?2, receiver_signer = ?3,"
			      " signed_on = ?4, signed_by = ?3, signed_at = ?5, updated_at = ?5"
			      " WHERE id = ?1 AND state = 'issued'");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, issuer);
	db_bind_text(st, 3, receiver);
	db_bind_text(st, 4, on);
	db_bind_i64(st, 5, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ECONFLICT;
}

/* Figures ------------------------------------------------------------------ */

static int64_t count_of(db_stmt *st)
{
	json_t *row = db_one(st);
	int64_t n = row ? jint(row, "n", 0) : -1;
	json_decref(row);
	return n;
}

int64_t store_fig_volunteers(const char *path)
{
	db_stmt *st = db_prep("SELECT count(*) AS n FROM volunteers v JOIN orgs o ON o.id = v.org_id"
			      " WHERE v.status = 'approved' AND " SCOPE_UNDER("o.path", "?1"));
	if (!st)
		return -1;
	db_bind_text(st, 1, path);
	return count_of(st);
}

int store_fig_hours(const char *path, const char *from, const char *to, double *hours, int64_t *records)
{
	/* Approved records not superseded by an approved correction: the same
	 * rule as a volunteer's hours (volunteers_sql.c). */
	db_stmt *st = db_prep("SELECT count(*) AS n, coalesce(sum(r.hours), 0.0) AS hours FROM service_records r"
			      " JOIN orgs o ON o.id = r.org_id WHERE r.status = 'approved'"
			      " AND NOT EXISTS (SELECT 1 FROM service_records s WHERE s.supersedes_id = r.id AND s.status = 'approved')"
			      " AND r.service_date BETWEEN ?2 AND ?3 AND " SCOPE_UNDER("o.path", "?1"));
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, path);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	json_t *row = db_one(st);
	if (!row)
		return STORE_EIO;
	*records = jint(row, "n", 0);
	*hours = json_number_value(json_object_get(row, "hours"));
	json_decref(row);
	return STORE_OK;
}

int64_t store_fig_meetings(const char *path, const char *from, const char *to)
{
	db_stmt *st = db_prep("SELECT count(*) AS n FROM party_meetings m JOIN orgs o ON o.id = m.org_id"
			      " WHERE m.state = 'held' AND m.held_on BETWEEN ?2 AND ?3 AND " SCOPE_UNDER("o.path", "?1"));
	if (!st)
		return -1;
	db_bind_text(st, 1, path);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	return count_of(st);
}

int64_t store_fig_good_deeds(const char *path, const char *from, const char *to)
{
	db_stmt *st = db_prep("SELECT count(*) AS n FROM good_deeds g JOIN orgs o ON o.id = g.org_id"
			      " WHERE g.state = 'verified' AND g.occurred_on BETWEEN ?2 AND ?3 AND "
			      SCOPE_UNDER("o.path", "?1"));
	if (!st)
		return -1;
	db_bind_text(st, 1, path);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	return count_of(st);
}

/* Good deeds --------------------------------------------------------------- */

#define GD_COLS "g.id, g.org_id, o.name AS org_name, o.path AS org_path, g.person_id, g.doer_name, g.title," \
	" g.content, g.place, g.occurred_on, g.state, g.photo_id, g.reject_reason, g.recorded_by," \
	" ra.display_name AS recorded_by_name, g.verified_by, g.verified_at, g.created_at"
#define GD_FROM " FROM good_deeds g JOIN orgs o ON o.id = g.org_id LEFT JOIN accounts ra ON ra.id = g.recorded_by"

json_t *store_good_deed_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " GD_COLS GD_FROM " WHERE g.id = ?1");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_good_deed_list(const json_t *f, int64_t after_id, int limit)
{
	/* Newest first: the cursor is the last id seen (0 = from the top). */
	db_stmt *st = db_prep("SELECT " GD_COLS GD_FROM " WHERE (?1 IS NULL OR g.state = ?1)"
			      " AND (?2 IS NULL OR g.recorded_by = ?2)"
			      " AND " SCOPE_UNDER_OPT("o.path", "?3") " AND " SCOPE_IN_OPT("o.path", "?4")
			      " AND (?5 = 0 OR g.id < ?5) ORDER BY g.id DESC LIMIT ?6");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(f, "state"));
	db_bind_json(st, 2, json_object_get(f, "recorded_by"));
	scope_bind_under(st, 3, f, "org_id");
	scope_bind_within(st, 4, f);
	db_bind_i64(st, 5, after_id);
	db_bind_i64(st, 6, limit);
	return db_rows(st);
}

json_t *store_good_deed_wall(const char *path, int64_t before_id, int limit)
{
	/* What the public may see (SPEC §2): no recorder, no reviewer, no
	 * place text (it may be a door number), the community only. */
	db_stmt *st = db_prep("SELECT g.id, o.name AS org_name, g.doer_name, g.title, g.content, g.occurred_on,"
			      " g.photo_id, g.verified_at FROM good_deeds g JOIN orgs o ON o.id = g.org_id"
			      " WHERE g.state = 'verified' AND " SCOPE_UNDER_OPT("o.path", "?1")
			      " AND (?2 = 0 OR g.id < ?2) ORDER BY g.id DESC LIMIT ?3");
	if (!st)
		return NULL;
	db_bind_text(st, 1, path);
	db_bind_i64(st, 2, before_id);
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

int store_good_deed_create(const json_t *in, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO good_deeds (org_id, person_id, doer_name, title, content, place, occurred_on,"
			      " photo_id, state, recorded_by, created_at)"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', ?9, ?10) RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *const keys[] = {"org_id", "person_id", "doer_name", "title", "content", "place",
					   "occurred_on", "photo_id", "recorded_by"};
	for (int i = 0; i < 9; i++)
		db_bind_json(st, i + 1, json_object_get(in, keys[i]));
	db_bind_i64(st, 10, now);
	int64_t id = db_insert_id(st);
	if (id < 0)
		return (int)id;
	*id_out = id;
	return STORE_OK;
}

int store_good_deed_review(int64_t id, const char *state, int64_t by, int64_t person_id, const char *reason,
			   int64_t now)
{
	db_stmt *st = db_prep("UPDATE good_deeds SET state = ?2, verified_by = ?3, verified_at = ?4, reject_reason = ?5,"
			      " person_id = CASE WHEN ?6 > 0 THEN ?6 ELSE person_id END"
			      " WHERE id = ?1 AND state = 'pending'");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, state);
	db_bind_i64(st, 3, by);
	db_bind_i64(st, 4, now);
	db_bind_text(st, 5, reason);
	db_bind_i64(st, 6, person_id);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ECONFLICT;
}

json_t *store_good_deeds_unawarded(int64_t only_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT g.id, a.id AS account_id, g.org_id, g.verified_at AS at FROM good_deeds g"
		" JOIN accounts a ON a.person_id = g.person_id WHERE g.state = 'verified' AND (?1 = 0 OR g.id = ?1)"
		" AND NOT EXISTS (SELECT 1 FROM bank_entries e WHERE e.source_kind = 'good_deed' AND e.source_id = g.id"
		"   AND e.purpose = 'award') ORDER BY g.id LIMIT ?2");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, only_id);
	db_bind_i64(st, 2, limit);
	return db_rows(st);
}
