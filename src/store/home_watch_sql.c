/*
 * home_watch_sql.c — home-watch lists (独居老人 and others who need a visit)
 * and their visit records (schema 025, docs/PARTY.md "buildings"). The
 * rows carry only the masked phone; the full contact goes out through the
 * audited route in api/home_watch.c. Whether a visit is due or overdue is
 * computed by the caller from the clock (the SQL returns "last_visit").
 */
#include "buildings.h"
#include "db.h"
#include "scope_sql.h"
#include "store.h"

static void bind_str(db_stmt *st, int i, const json_t *row, const char *key)
{
	const json_t *v = json_object_get(row, key);
	db_bind_text(st, i, json_is_string(v) ? json_string_value(v) : NULL);
}

#define WATCH_COLS                                                                                     \
	"SELECT w.id, w.person_id, p.name, p.phone_masked, w.building_id, o.name AS building_name,"    \
	" o.path AS building_path, w.room, w.reason, w.frequency, w.rep_id, rp.name AS rep_name, w.note," \
	" w.active AS \"active:bool\", w.created_on, w.created_at, w.updated_at,"                      \
	" (SELECT MAX(v.visited_on) FROM home_watch_visits v WHERE v.watch_id = w.id) AS last_visit,"  \
	" (SELECT COUNT(*) FROM home_watch_visits v WHERE v.watch_id = w.id) AS visits"                \
	" FROM home_watch w JOIN people p ON p.id = w.person_id JOIN orgs o ON o.id = w.building_id"    \
	" LEFT JOIN building_reps r ON r.id = w.rep_id LEFT JOIN people rp ON rp.id = r.person_id "

json_t *store_home_watch_list(const json_t *filter, int64_t building_id, int64_t after, int limit)
{
	db_stmt *st = db_prep(WATCH_COLS "WHERE " SCOPE_IN_OPT("o.path", "?1") " AND (?2 = 0 OR w.building_id = ?2)"
					 " AND w.id > ?3 ORDER BY w.id LIMIT ?4");
	if (!st)
		return NULL;
	scope_bind_within(st, 1, filter);
	db_bind_i64(st, 2, building_id);
	db_bind_i64(st, 3, after);
	db_bind_i64(st, 4, limit);
	return db_rows(st);
}

json_t *store_home_watch_get(int64_t id)
{
	db_stmt *st = db_prep(WATCH_COLS "WHERE w.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

int store_home_watch_create(const json_t *row, const char *today, int64_t now, int64_t *id)
{
	db_stmt *st = db_prep("INSERT INTO home_watch (person_id, building_id, room, reason, frequency, rep_id, note,"
			      " created_on, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, json_integer_value(json_object_get(row, "person_id")));
	db_bind_i64(st, 2, json_integer_value(json_object_get(row, "building_id")));
	bind_str(st, 3, row, "room");
	bind_str(st, 4, row, "reason");
	bind_str(st, 5, row, "frequency");
	json_t *rep = json_object_get(row, "rep_id");
	if (json_is_integer(rep))
		db_bind_i64(st, 6, json_integer_value(rep));
	else
		db_bind_null(st, 6);
	bind_str(st, 7, row, "note");
	db_bind_text(st, 8, today);
	db_bind_i64(st, 9, now);
	int64_t r = db_insert_id(st);
	if (r < 0)
		return (int)r;
	*id = r;
	return STORE_OK;
}

/* Only the keys present change (flag, value pairs as in buildings_sql.c). */
int store_home_watch_update(int64_t id, const json_t *row, int64_t now)
{
	db_stmt *st = db_prep("UPDATE home_watch SET"
			      " room = CASE WHEN ?2 = 1 THEN ?3 ELSE room END,"
			      " reason = CASE WHEN ?4 = 1 THEN ?5 ELSE reason END,"
			      " frequency = CASE WHEN ?6 = 1 THEN ?7 ELSE frequency END,"
			      " note = CASE WHEN ?8 = 1 THEN ?9 ELSE note END,"
			      " rep_id = CASE WHEN ?10 = 1 THEN CAST(?11 AS BIGINT) ELSE rep_id END,"
			      " active = CASE WHEN ?12 = 1 THEN CAST(?13 AS BIGINT) ELSE active END,"
			      " updated_at = ?14 WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	static const char *const keys[] = {"room", "reason", "frequency", "note"};
	db_bind_i64(st, 1, id);
	for (int i = 0; i < 4; i++) {
		db_bind_i64(st, 2 + 2 * i, json_object_get(row, keys[i]) != NULL);
		bind_str(st, 3 + 2 * i, row, keys[i]);
	}
	json_t *rep = json_object_get(row, "rep_id"), *act = json_object_get(row, "active");
	db_bind_i64(st, 10, rep != NULL);
	if (json_is_integer(rep))
		db_bind_i64(st, 11, json_integer_value(rep));
	else
		db_bind_null(st, 11);
	db_bind_i64(st, 12, act != NULL);
	db_bind_i64(st, 13, json_is_true(act) || (json_is_integer(act) && json_integer_value(act)));
	db_bind_i64(st, 14, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

json_t *store_home_watch_visits(int64_t watch_id, int64_t before_id, int limit)
{
	db_stmt *st = db_prep("SELECT id, watch_id, visited_on, visitor, condition, needs, follow_up, problem_id,"
			      " created_at FROM home_watch_visits WHERE watch_id = ?1 AND (?2 = 0 OR id < ?2)"
			      " ORDER BY id DESC LIMIT ?3");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, watch_id);
	db_bind_i64(st, 2, before_id);
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

int store_home_watch_visit_add(int64_t watch_id, const json_t *row, int64_t account_id, int64_t now, int64_t *id)
{
	db_stmt *st = db_prep("INSERT INTO home_watch_visits (watch_id, visited_on, visitor, condition, needs, follow_up,"
			      " problem_id, account_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, watch_id);
	bind_str(st, 2, row, "visited_on");
	bind_str(st, 3, row, "visitor");
	bind_str(st, 4, row, "condition");
	bind_str(st, 5, row, "needs");
	bind_str(st, 6, row, "follow_up");
	json_t *pr = json_object_get(row, "problem_id");
	if (json_is_integer(pr))
		db_bind_i64(st, 7, json_integer_value(pr));
	else
		db_bind_null(st, 7);
	if (account_id)
		db_bind_i64(st, 8, account_id);
	else
		db_bind_null(st, 8);
	db_bind_i64(st, 9, now);
	int64_t r = db_insert_id(st);
	if (r < 0)
		return (int)r;
	*id = r;
	return STORE_OK;
}
