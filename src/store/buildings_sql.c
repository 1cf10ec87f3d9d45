/*
 * buildings_sql.c — building reps, the building page's figures, notices to a
 * building and the 接龙 roster (schema 025, docs/PARTY.md "buildings").
 * A person lives in a building when people.org_id is the building: the one
 * rule the notices, the roster and the page's volunteers share.
 */
#include "buildings.h"
#include "db.h"
#include "scope_sql.h"
#include "store.h"
#include <string.h>

/* Binds a JSON row's string field as text, or NULL when absent or null. */
static void bind_str(db_stmt *st, int i, const json_t *row, const char *key)
{
	const json_t *v = json_object_get(row, key);
	db_bind_text(st, i, json_is_string(v) ? json_string_value(v) : NULL);
}

#define PARTY_MEMBER_SQL                                                                              \
	"(EXISTS (SELECT 1 FROM party_members m WHERE m.person_id = p.id AND m.active = 1)"            \
	" OR instr(p.kinds, 'party_member') > 0) AS \"party_member:bool\""

json_t *store_building_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT o.id, o.name, o.path, o.parent_id AS compound_id, c.name AS compound_name"
			      " FROM orgs o LEFT JOIN orgs c ON c.id = o.parent_id WHERE o.id = ? AND o.kind = 'building'");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_building_list(const json_t *filter, const char *under, const char *today, int64_t after, int limit)
{
	db_stmt *st = db_prep(
		"SELECT o.id, o.name, o.path, o.parent_id AS compound_id, c.name AS compound_name,"
		" (SELECT COUNT(*) FROM building_reps b WHERE b.building_id = o.id"
		"   AND (b.until IS NULL OR b.until >= ?3)) AS reps,"
		" (SELECT COUNT(*) FROM people p WHERE p.org_id = o.id) AS residents"
		" FROM orgs o LEFT JOIN orgs c ON c.id = o.parent_id"
		" WHERE o.kind = 'building' AND " SCOPE_IN_OPT("o.path", "?1") " AND " SCOPE_UNDER_OPT("o.path", "?2")
		" AND o.id > ?4 ORDER BY o.id LIMIT ?5");
	if (!st)
		return NULL;
	scope_bind_within(st, 1, filter);
	db_bind_text(st, 2, under);
	db_bind_text(st, 3, today);
	db_bind_i64(st, 4, after);
	db_bind_i64(st, 5, limit);
	return db_rows(st);
}

#define REP_COLS                                                                                     \
	"SELECT r.id, r.building_id, r.person_id, p.name, p.phone_masked, " PARTY_MEMBER_SQL ","     \
	" r.coverage, r.channel, r.duties, r.since, r.until, r.created_at, r.updated_at"             \
	" FROM building_reps r JOIN people p ON p.id = r.person_id "

json_t *store_building_reps(int64_t building_id)
{
	db_stmt *st = db_prep(REP_COLS "WHERE r.building_id = ? ORDER BY r.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, building_id);
	return db_rows(st);
}

json_t *store_building_rep_get(int64_t id)
{
	db_stmt *st = db_prep(REP_COLS "WHERE r.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

int store_building_rep_create(const json_t *row, int64_t now, int64_t *id)
{
	db_stmt *st = db_prep("INSERT INTO building_reps (building_id, person_id, coverage, channel, duties, since,"
			      " until, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, json_integer_value(json_object_get(row, "building_id")));
	db_bind_i64(st, 2, json_integer_value(json_object_get(row, "person_id")));
	bind_str(st, 3, row, "coverage");
	bind_str(st, 4, row, "channel");
	bind_str(st, 5, row, "duties");
	bind_str(st, 6, row, "since");
	bind_str(st, 7, row, "until");
	db_bind_i64(st, 8, now);
	int64_t r = db_insert_id(st);
	if (r < 0)
		return (int)r;
	*id = r;
	return STORE_OK;
}

/* Only the keys present change: each column keeps its value when ?N's flag is 0. */
int store_building_rep_update(int64_t id, const json_t *row, int64_t now)
{
	db_stmt *st = db_prep("UPDATE building_reps SET"
			      " coverage = CASE WHEN ?2 = 1 THEN ?3 ELSE coverage END,"
			      " channel = CASE WHEN ?4 = 1 THEN ?5 ELSE channel END,"
			      " duties = CASE WHEN ?6 = 1 THEN ?7 ELSE duties END,"
			      " since = CASE WHEN ?8 = 1 THEN ?9 ELSE since END,"
			      " until = CASE WHEN ?10 = 1 THEN ?11 ELSE until END,"
			      " updated_at = ?12 WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	static const char *const keys[] = {"coverage", "channel", "duties", "since", "until"};
	db_bind_i64(st, 1, id);
	for (int i = 0; i < 5; i++) {
		db_bind_i64(st, 2 + 2 * i, json_object_get(row, keys[i]) != NULL);
		bind_str(st, 3 + 2 * i, row, keys[i]);
	}
	db_bind_i64(st, 12, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

int store_building_rep_delete(int64_t id)
{
	db_stmt *st = db_prep("UPDATE home_watch SET rep_id = NULL WHERE rep_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	int rc = db_exec_stmt(st);
	if (rc)
		return rc;
	st = db_prep("DELETE FROM building_reps WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

int64_t store_building_rep_of_account(int64_t building_id, int64_t account_id)
{
	db_stmt *st = db_prep("SELECT r.id FROM building_reps r JOIN accounts a ON a.person_id = r.person_id"
			      " WHERE r.building_id = ? AND a.id = ? ORDER BY r.id LIMIT 1");
	if (!st)
		return 0;
	db_bind_i64(st, 1, building_id);
	db_bind_i64(st, 2, account_id);
	json_t *o = db_one(st);
	int64_t id = o ? json_integer_value(json_object_get(o, "id")) : 0;
	json_decref(o);
	return id;
}

/* Page figures -------------------------------------------------------------- */

#define BUILDING_PROBLEMS_WHERE                                                                      \
	" FROM problems p JOIN orgs o ON o.id = p.org_id LEFT JOIN categories cat ON cat.id = p.category_id WHERE " SCOPE_UNDER("o.path", "?1")            \
	" AND p.state IN (SELECT value FROM json_each(?2))"

json_t *store_building_problems(const char *path, const json_t *open_states, int limit)
{
	db_stmt *st = db_prep("SELECT p.id, p.code, p.state, cat.name AS category, p.created_at"
			      BUILDING_PROBLEMS_WHERE " ORDER BY p.id DESC LIMIT ?3");
	if (!st)
		return NULL;
	db_bind_text(st, 1, path);
	db_bind_json(st, 2, open_states);
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

static int64_t count_one(db_stmt *st)
{
	json_t *o = db_one(st);
	int64_t n = o ? json_integer_value(json_object_get(o, "n")) : -1;
	json_decref(o);
	return n;
}

int64_t store_building_problem_count(const char *path, const json_t *open_states)
{
	db_stmt *st = db_prep("SELECT COUNT(*) AS n" BUILDING_PROBLEMS_WHERE);
	if (!st)
		return -1;
	db_bind_text(st, 1, path);
	db_bind_json(st, 2, open_states);
	return count_one(st);
}

json_t *store_building_volunteers(int64_t building_id)
{
	db_stmt *st = db_prep("SELECT p.name FROM volunteers v JOIN people p ON p.id = v.person_id"
			      " WHERE p.org_id = ? AND v.status = 'approved' ORDER BY v.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, building_id);
	return db_rows(st);
}

int64_t store_building_accounts(int64_t building_id)
{
	db_stmt *st = db_prep("SELECT COUNT(*) AS n FROM accounts a JOIN people p ON p.id = a.person_id"
			      " WHERE p.org_id = ? AND a.disabled = 0");
	if (!st)
		return -1;
	db_bind_i64(st, 1, building_id);
	return count_one(st);
}

/* Notices ---------------------------------------------------------------- */

int store_building_notice_create(int64_t building_id, const char *title, const char *body, int64_t account_id,
				 int64_t now, int64_t *id, int64_t *recipients)
{
	db_stmt *st = db_prep("INSERT INTO notifications (account_id, kind, title, body, created_at)"
			      " SELECT a.id, 'building_notice', ?2, ?3, ?4 FROM accounts a JOIN people p ON p.id = a.person_id"
			      " WHERE p.org_id = ?1 AND a.disabled = 0");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, building_id);
	db_bind_text(st, 2, title);
	db_bind_text(st, 3, body);
	db_bind_i64(st, 4, now);
	int rc = db_exec_stmt(st);
	if (rc)
		return rc;
	*recipients = db_changes();
	st = db_prep("INSERT INTO building_notices (building_id, title, body, account_id, recipients, created_at)"
		     " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, building_id);
	db_bind_text(st, 2, title);
	db_bind_text(st, 3, body);
	if (account_id)
		db_bind_i64(st, 4, account_id);
	else
		db_bind_null(st, 4);
	db_bind_i64(st, 5, *recipients);
	db_bind_i64(st, 6, now);
	int64_t r = db_insert_id(st);
	if (r < 0)
		return (int)r;
	*id = r;
	return STORE_OK;
}

json_t *store_building_notices(int64_t building_id, int64_t before_id, int limit)
{
	db_stmt *st = db_prep("SELECT n.id, n.building_id, n.title, n.body, n.recipients, n.created_at,"
			      " a.display_name AS sender FROM building_notices n LEFT JOIN accounts a ON a.id = n.account_id"
			      " WHERE n.building_id = ?1 AND (?2 = 0 OR n.id < ?2) ORDER BY n.id DESC LIMIT ?3");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, building_id);
	db_bind_i64(st, 2, before_id);
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

/* Rosters ---------------------------------------------------------------- */

int store_roster_create(int64_t building_id, const json_t *row, int64_t account_id, int64_t now, int64_t *id)
{
	db_stmt *st = db_prep("INSERT INTO building_rosters (building_id, title, description, closes_on, account_id,"
			      " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, building_id);
	bind_str(st, 2, row, "title");
	bind_str(st, 3, row, "description");
	bind_str(st, 4, row, "closes_on");
	db_bind_i64(st, 5, account_id);
	db_bind_i64(st, 6, now);
	int64_t r = db_insert_id(st);
	if (r < 0)
		return (int)r;
	*id = r;
	return STORE_OK;
}

#define ROSTER_COLS                                                                                  \
	"SELECT r.id, r.building_id, r.title, r.description, r.closes_on, r.created_at,"             \
	" (SELECT COUNT(*) FROM building_roster_entries e WHERE e.roster_id = r.id) AS entries"      \
	" FROM building_rosters r "

json_t *store_roster_get(int64_t id)
{
	db_stmt *st = db_prep(ROSTER_COLS "WHERE r.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_rosters(int64_t building_id, int64_t before_id, int limit)
{
	db_stmt *st = db_prep(ROSTER_COLS "WHERE r.building_id = ?1 AND (?2 = 0 OR r.id < ?2) ORDER BY r.id DESC LIMIT ?3");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, building_id);
	db_bind_i64(st, 2, before_id);
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

int store_roster_entry_add(int64_t roster_id, const json_t *row, int64_t account_id, int64_t now, int64_t *id)
{
	db_stmt *st = db_prep("INSERT INTO building_roster_entries (roster_id, account_id, name, room, note, created_at)"
			      " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, roster_id);
	db_bind_i64(st, 2, account_id);
	bind_str(st, 3, row, "name");
	bind_str(st, 4, row, "room");
	bind_str(st, 5, row, "note");
	db_bind_i64(st, 6, now);
	int64_t r = db_insert_id(st);
	if (r < 0)
		return (int)r;
	*id = r;
	return STORE_OK;
}

json_t *store_roster_entries(int64_t roster_id, int64_t after_id, int limit)
{
	db_stmt *st = db_prep("SELECT id, roster_id, account_id, name, room, note, created_at FROM building_roster_entries"
			      " WHERE roster_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, roster_id);
	db_bind_i64(st, 2, after_id);
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

int64_t store_account_building(int64_t account_id)
{
	db_stmt *st = db_prep("SELECT o.id AS n FROM accounts a JOIN people p ON p.id = a.person_id"
			      " JOIN orgs o ON o.id = p.org_id WHERE a.id = ? AND o.kind = 'building'");
	if (!st)
		return 0;
	db_bind_i64(st, 1, account_id);
	int64_t n = count_one(st);
	return n > 0 ? n : 0;
}
