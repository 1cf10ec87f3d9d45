/*
 * party_sql.c — party organisations, officers, members and transfers (party.h).
 * One SQL for both engines: id lists travel as JSON text (json_each, CAST),
 * "no filter" on an integer is -1 so PostgreSQL never has to type a NULL.
 */
#include "db.h"
#include "party.h"
#include "scope_sql.h"
#include "store.h"
#include <stdio.h>
#include <string.h>

json_t *store_party_orgs(const json_t *filter)
{
	db_stmt *st = db_prep(
		"SELECT o.id, o.parent_id, o.path, p.path AS parent_path, o.subkind, o.name,"
		" (CASE WHEN " SCOPE_IN_OPT("o.path", "?1") " THEN 1 ELSE 0 END) AS \"in_scope:bool\","
		" (SELECT pe.name FROM party_officers f JOIN people pe ON pe.id = f.person_id"
		"   WHERE f.org_id = o.id AND f.post IN ('secretary', 'group_leader') ORDER BY f.post DESC, f.id LIMIT 1) AS secretary,"
		" (SELECT count(*) FROM party_members m WHERE m.org_id = o.id AND m.active = 1 AND m.status = 'full') AS full_count,"
		" (SELECT count(*) FROM party_members m WHERE m.org_id = o.id AND m.active = 1 AND m.status = 'probationary')"
		"   AS probationary_count,"
		" (SELECT count(*) FROM party_members m WHERE m.org_id = o.id AND m.active = 1 AND m.employed = 1) AS employed_count"
		" FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.kind = 'party_org' ORDER BY o.id");
	if (!st)
		return NULL;
	scope_bind_within(st, 1, filter);
	return db_rows(st);
}

json_t *store_party_officers(int64_t org_id)
{
	db_stmt *st = db_prep("SELECT f.id, f.person_id, pe.name, f.post, f.since, f.until FROM party_officers f"
			      " JOIN people pe ON pe.id = f.person_id WHERE f.org_id = ?1 ORDER BY f.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, org_id);
	return db_rows(st);
}

int store_party_officers_set(int64_t org_id, const json_t *officers)
{
	db_stmt *st = db_prep("DELETE FROM party_officers WHERE org_id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, org_id);
	int rc = db_exec_stmt(st);
	size_t i;
	json_t *o;
	json_array_foreach(officers, i, o) {
		if (rc)
			break;
		st = db_prep("INSERT INTO party_officers (org_id, person_id, post, since) VALUES (?1, ?2, ?3, ?4)");
		if (!st)
			return STORE_EIO;
		db_bind_i64(st, 1, org_id);
		db_bind_i64(st, 2, json_integer_value(json_object_get(o, "person_id")));
		db_bind_text(st, 3, json_string_value(json_object_get(o, "post")));
		db_bind_text(st, 4, json_string_value(json_object_get(o, "since")));
		rc = db_exec_stmt(st);
	}
	return rc;
}

json_t *store_party_org_places(int64_t org_id)
{
	db_stmt *st = db_prep("SELECT o.id, o.name FROM party_org_places x JOIN orgs o ON o.id = x.place_org_id"
			      " WHERE x.org_id = ?1 ORDER BY o.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, org_id);
	return db_rows(st);
}

int store_party_org_place_add(int64_t org_id, int64_t place_id)
{
	db_stmt *st = db_prep("INSERT INTO party_org_places (org_id, place_org_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, org_id);
	db_bind_i64(st, 2, place_id);
	return db_exec_stmt(st);
}

#define MEMBER_COLS                                                                                                    \
	"SELECT m.id, m.person_id, pe.name, pe.gender, pe.phone_masked, m.org_id, o.name AS org_name, o.path AS org_path," \
	" m.status, m.joined_on, m.employed AS \"employed:bool\", m.employer_id, e.name AS employer_name, m.duty,"      \
	" m.duty_place_id, d.name AS duty_place_name,"      \
	" m.active AS \"active:bool\", m.created_at, m.updated_at"                                                       \
	" FROM party_members m JOIN people pe ON pe.id = m.person_id JOIN orgs o ON o.id = m.org_id"                    \
	" LEFT JOIN orgs e ON e.id = m.employer_id LEFT JOIN orgs d ON d.id = m.duty_place_id"

json_t *store_party_member_list(const json_t *f, int64_t after_id, int limit)
{
	db_stmt *st = db_prep(MEMBER_COLS " WHERE m.id > ?1 AND m.active = 1 AND " SCOPE_IN_OPT("o.path", "?2")
			      " AND (?3 IS NULL OR m.org_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?3)))"
			      " AND (?4 IS NULL OR m.status = ?4) AND (?5 < 0 OR m.employed = ?5)"
			      " AND (?6 IS NULL OR pe.name LIKE ?6) ORDER BY m.id LIMIT ?7");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, after_id);
	scope_bind_within(st, 2, f);
	json_t *ids = json_object_get(f, "org_ids");
	if (ids)
		db_bind_json(st, 3, ids);
	db_bind_text(st, 4, json_string_value(json_object_get(f, "status")));
	json_t *emp = json_object_get(f, "employed");
	db_bind_i64(st, 5, emp ? json_integer_value(emp) : -1);
	const char *q = json_string_value(json_object_get(f, "q"));
	if (q) {
		char like[256];
		snprintf(like, sizeof like, "%%%s%%", q);
		db_bind_text(st, 6, like);
	}
	db_bind_i64(st, 7, limit + 1);
	return db_rows(st);
}

json_t *store_party_member_get(int64_t id)
{
	db_stmt *st = db_prep(MEMBER_COLS " WHERE m.id = ?1");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

int64_t store_party_member_by_person(int64_t person_id)
{
	db_stmt *st = db_prep("SELECT id FROM party_members WHERE person_id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, person_id);
	int rc = db_step(st);
	int64_t v = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return v;
}

static int64_t jint_or(const json_t *o, const char *k, int64_t d)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? json_integer_value(v) : json_is_boolean(v) ? json_is_true(v) : d;
}

int store_party_member_create(const json_t *in, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO party_members (person_id, org_id, status, joined_on, employed, employer_id, duty,"
			      " created_at, updated_at, duty_place_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, jint_or(in, "person_id", 0));
	db_bind_i64(st, 2, jint_or(in, "org_id", 0));
	const char *status = json_string_value(json_object_get(in, "status"));
	db_bind_text(st, 3, status ? status : "full");
	db_bind_text(st, 4, json_string_value(json_object_get(in, "joined_on")));
	db_bind_i64(st, 5, jint_or(in, "employed", 0));
	int64_t emp = jint_or(in, "employer_id", 0);
	if (emp)
		db_bind_i64(st, 6, emp);
	db_bind_text(st, 7, json_string_value(json_object_get(in, "duty")));
	db_bind_i64(st, 8, now);
	if (jint_or(in, "duty_place_id", 0))
		db_bind_i64(st, 9, jint_or(in, "duty_place_id", 0));
	int64_t id = db_insert_id(st);
	if (id < 0)
		return (int)id;
	if (id_out)
		*id_out = id;
	return store_party_mark_person(jint_or(in, "person_id", 0));
}

int store_party_member_update(int64_t id, const json_t *p, int64_t now)
{
	/* One static statement: ?(2k) says whether key k is present, ?(2k+1) its value. */
	db_stmt *st = db_prep("UPDATE party_members SET"
			      " org_id = CASE WHEN ?2 = 1 THEN ?3 ELSE org_id END,"
			      " status = CASE WHEN ?4 = 1 THEN ?5 ELSE status END,"
			      " joined_on = CASE WHEN ?6 = 1 THEN ?7 ELSE joined_on END,"
			      " employed = CASE WHEN ?8 = 1 THEN ?9 ELSE employed END,"
			      " employer_id = CASE WHEN ?10 = 1 THEN ?11 ELSE employer_id END,"
			      " duty = CASE WHEN ?12 = 1 THEN ?13 ELSE duty END,"
			      " active = CASE WHEN ?14 = 1 THEN ?15 ELSE active END,"
			      " duty_place_id = CASE WHEN ?17 = 1 THEN ?18 ELSE duty_place_id END,"
			      " updated_at = ?16 WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	static const char *const ik[] = {"org_id", "employed", "employer_id", "active", "duty_place_id"};
	static const int ip[] = {2, 8, 10, 14, 17};
	for (int k = 0; k < 5; k++) {
		json_t *v = json_object_get(p, ik[k]);
		db_bind_i64(st, ip[k], v ? 1 : 0);
		if (v && !json_is_null(v))
			db_bind_i64(st, ip[k] + 1, jint_or(p, ik[k], 0));
	}
	static const char *const tk[] = {"status", "joined_on", "duty"};
	static const int tp[] = {4, 6, 12};
	for (int k = 0; k < 3; k++) {
		json_t *v = json_object_get(p, tk[k]);
		db_bind_i64(st, tp[k], v ? 1 : 0);
		db_bind_text(st, tp[k] + 1, json_string_value(v));
	}
	db_bind_i64(st, 16, now);
	return db_exec_stmt(st);
}

int store_party_transfer_add(int64_t member_id, int64_t from, int64_t to, const char *on_date, const char *reason,
			     int64_t account_id, int64_t now)
{
	db_stmt *st = db_prep("INSERT INTO party_transfers (member_id, from_org_id, to_org_id, on_date, reason, account_id,"
			      " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, member_id);
	db_bind_i64(st, 2, from);
	db_bind_i64(st, 3, to);
	db_bind_text(st, 4, on_date);
	db_bind_text(st, 5, reason);
	if (account_id)
		db_bind_i64(st, 6, account_id);
	db_bind_i64(st, 7, now);
	return db_exec_stmt(st);
}

json_t *store_party_transfers(int64_t member_id)
{
	db_stmt *st = db_prep("SELECT t.id, t.from_org_id, f.name AS from_org_name, t.to_org_id, o.name AS to_org_name,"
			      " t.on_date, t.reason, t.created_at FROM party_transfers t JOIN orgs f ON f.id = t.from_org_id"
			      " JOIN orgs o ON o.id = t.to_org_id WHERE t.member_id = ?1 ORDER BY t.on_date, t.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, member_id);
	return db_rows(st);
}

int store_party_mark_person(int64_t person_id)
{
	json_t *p = store_person_get(person_id);
	if (!p)
		return STORE_ENOTFOUND;
	json_t *kinds = json_object_get(p, "kinds");
	if (json_is_string(kinds)) {
		json_t *parsed = json_loads(json_string_value(kinds), 0, NULL);
		json_object_set_new(p, "kinds", parsed ? parsed : json_array());
		kinds = json_object_get(p, "kinds");
	}
	int rc = STORE_OK;
	size_t i;
	json_t *k;
	int has = 0;
	json_array_foreach(kinds, i, k) has |= json_is_string(k) && !strcmp(json_string_value(k), "party_member");
	if (!has && json_is_array(kinds)) {
		json_array_append_new(kinds, json_string("party_member"));
		json_t *patch = json_pack("{s:O}", "kinds", kinds);
		rc = store_person_update(person_id, patch);
		json_decref(patch);
	}
	json_decref(p);
	return rc;
}

json_t *store_party_participation(const json_t *f, int64_t from, int64_t to)
{
	db_stmt *st = db_prep(
		"SELECT m.id AS member_id, m.org_id, o.name AS org_name, s.post_id, po.name AS post_name,"
		" po.vanguard AS \"vanguard:bool\", s.activity_id, a.title AS activity_title, coalesce(g.hours, 0) AS hours"
		" FROM signups g JOIN shifts s ON s.id = g.shift_id JOIN volunteers v ON v.id = g.volunteer_id"
		" JOIN party_members m ON m.person_id = v.person_id AND m.active = 1 JOIN orgs o ON o.id = m.org_id"
		" LEFT JOIN posts po ON po.id = s.post_id LEFT JOIN activities a ON a.id = s.activity_id"
		" WHERE g.attendance = 'attended' AND s.start_at >= ?1 AND s.start_at < ?2 AND " SCOPE_IN_OPT("o.path", "?3")
		" AND (?4 IS NULL OR m.org_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?4))) ORDER BY g.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, from);
	db_bind_i64(st, 2, to);
	scope_bind_within(st, 3, f);
	json_t *ids = json_object_get(f, "org_ids");
	if (ids)
		db_bind_json(st, 4, ids);
	return db_rows(st);
}

int64_t store_party_org_child(int64_t parent, const char *subkind)
{
	db_stmt *st = db_prep("SELECT id FROM orgs WHERE parent_id = ?1 AND kind = 'party_org' AND subkind = ?2 ORDER BY id LIMIT 1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, parent);
	db_bind_text(st, 2, subkind);
	int rc = db_step(st);
	int64_t v = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return v;
}

json_t *store_party_children(int64_t parent, const char *kind)
{
	db_stmt *st = db_prep("SELECT id, name FROM orgs WHERE parent_id = ?1 AND kind = ?2 ORDER BY id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, parent);
	db_bind_text(st, 2, kind);
	return db_rows(st);
}

int store_party_post_vanguard(int64_t post_id, int vanguard)
{
	db_stmt *st = db_prep("UPDATE posts SET vanguard = ?2 WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, post_id);
	db_bind_i64(st, 2, vanguard ? 1 : 0);
	return db_exec_stmt(st);
}

int64_t store_party_post_by_name(const char *name)
{
	db_stmt *st = db_prep("SELECT id FROM posts WHERE name = ?1 ORDER BY id LIMIT 1");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, name);
	int rc = db_step(st);
	int64_t v = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return v;
}
