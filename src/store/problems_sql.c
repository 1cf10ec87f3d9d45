/*
 * problems_sql.c — problems, their append-only history, photos, categories,
 * the working calendar, notifications and named counters.
 */
#include "db.h"
#include "problem_filter.h"
#include "search.h"
#include "store.h"
#include "webhook_outbox.h"
#include "core/workflow.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Categories ---------------------------------------------------------------- */

#define CAT_COLS "c.id, c.code, p.code AS parent_code, c.parent_id, c.name, c.name_en, c.deadline_amount," \
	" c.deadline_unit, c.urgent_amount, c.urgent_unit, c.default_handler_org_id," \
	" (SELECT name FROM orgs WHERE id = c.default_handler_org_id) AS default_handler_name," \
	" (SELECT code FROM orgs WHERE id = c.default_handler_org_id) AS default_handler," \
	" c.record_only AS \"record_only:bool\", c.closing_conditions, c.active AS \"active:bool\", c.sort"

json_t *store_category_list(int include_inactive)
{
	db_stmt *st = db_prep("SELECT " CAT_COLS " FROM categories c LEFT JOIN categories p ON p.id = c.parent_id"
				   " WHERE ?1 OR c.active = 1 ORDER BY c.code");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, include_inactive);
	return db_rows(st);
}

json_t *store_category_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " CAT_COLS " FROM categories c LEFT JOIN categories p ON p.id = c.parent_id"
				   " WHERE c.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_category_by_code(const char *code)
{
	db_stmt *st = db_prep("SELECT " CAT_COLS " FROM categories c LEFT JOIN categories p ON p.id = c.parent_id"
				   " WHERE c.code = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, code);
	return db_one(st);
}

int store_category_upsert(const json_t *c, int64_t *id_out)
{
	db_stmt *st = db_prep(
		"INSERT INTO categories (code, parent_id, name, name_en, deadline_amount, deadline_unit, urgent_amount,"
		" urgent_unit, default_handler_org_id, record_only, closing_conditions, active, sort)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, coalesce(?10, 0), ?11, coalesce(?12, 1), coalesce(?13, 0))"
		" ON CONFLICT (code) DO UPDATE SET parent_id = excluded.parent_id, name = excluded.name,"
		" name_en = excluded.name_en, deadline_amount = excluded.deadline_amount,"
		" deadline_unit = excluded.deadline_unit, urgent_amount = excluded.urgent_amount,"
		" urgent_unit = excluded.urgent_unit, default_handler_org_id = excluded.default_handler_org_id,"
		" record_only = excluded.record_only, closing_conditions = excluded.closing_conditions,"
		" active = excluded.active, sort = excluded.sort");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"code", "parent_id", "name", "name_en", "deadline_amount", "deadline_unit",
				     "urgent_amount", "urgent_unit", "default_handler_org_id", "record_only",
				     "closing_conditions", "active", "sort"};
	for (int i = 0; i < 13; i++)
		db_bind_json(st, i + 1, json_object_get(c, keys[i]));
	int rc = db_exec_stmt(st);
	if (rc)
		return rc;
	json_t *row = store_category_by_code(json_string_value(json_object_get(c, "code")));
	if (id_out)
		*id_out = row ? json_integer_value(json_object_get(row, "id")) : 0;
	json_decref(row);
	return STORE_OK;
}

int store_category_count(void)
{
	db_stmt *st = db_prep("SELECT count(*) FROM categories");
	if (!st)
		return STORE_EIO;
	int n = db_step(st) == DB_ROW ? (int)db_col_i64(st, 0) : STORE_EIO;
	db_done(st);
	return n;
}

/* Calendar ------------------------------------------------------------------ */

json_t *store_calendar_list(int from_ymd, int to_ymd)
{
	db_stmt *st = db_prep("SELECT ymd, kind, name FROM calendar_days WHERE ymd BETWEEN ? AND ? ORDER BY ymd");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, from_ymd);
	db_bind_i64(st, 2, to_ymd);
	return db_rows(st);
}

int store_calendar_set(int ymd, const char *kind, const char *name)
{
	db_stmt *st = kind ? db_prep("INSERT INTO calendar_days (ymd, kind, name) VALUES (?, ?, ?)"
					  " ON CONFLICT (ymd) DO UPDATE SET kind = excluded.kind, name = excluded.name")
				: db_prep("DELETE FROM calendar_days WHERE ymd = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, ymd);
	if (kind) {
		db_bind_text(st, 2, kind);
		db_bind_text(st, 3, name);
	}
	return db_exec_stmt(st);
}

/* Counters ------------------------------------------------------------------ */

int64_t store_counter_next(const char *name)
{
	db_stmt *st = db_prep("INSERT INTO counters (name, value) VALUES (?, 1)"
				   " ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, name);
	int64_t v = db_step(st) == DB_ROW ? db_col_i64(st, 0) : STORE_EIO;
	db_done(st);
	return v;
}

/* Photos -------------------------------------------------------------------- */

int store_photo_add(const json_t *p, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO photos (sha256, width, height, bytes, sniffed, taken_at, lat, lng,"
				   " uploader_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"sha256", "width", "height", "bytes", "sniffed", "taken_at", "lat", "lng",
				     "uploader_id", "created_at"};
	for (int i = 0; i < 10; i++)
		db_bind_json(st, i + 1, json_object_get(p, keys[i]));
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

json_t *store_photo_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT id, sha256, width, height, bytes, sniffed, taken_at, lat, lng, uploader_id,"
				   " created_at FROM photos WHERE id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_photo_problems(int64_t photo_id)
{
	db_stmt *st = db_prep("SELECT DISTINCT problem_id FROM problem_photos WHERE photo_id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, photo_id);
	return db_rows(st);
}

/* Problems ------------------------------------------------------------------ */

int store_problem_create(const json_t *p, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO problems (code, state, category_id, org_id, site_id, source, urgency,"
				   " description, address, lat, lng, reporter_id, created_at, updated_at)"
				   " VALUES (?, ?, ?, ?, ?, ?, coalesce(?, 'normal'), ?, ?, ?, ?, ?, ?13, ?13) RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"code", "state", "category_id", "org_id", "site_id", "source", "urgency",
				     "description", "address", "lat", "lng", "reporter_id", "created_at"};
	for (int i = 0; i < 13; i++)
		db_bind_json(st, i + 1, json_object_get(p, keys[i]));
	int rc = store_begin();
	if (rc) {
		db_done(st);
		return rc;
	}
	int64_t id = db_insert_id(st);
	rc = id < 0 ? (int)id : STORE_OK;
	if (rc) {	/* the insert failed as a whole: nothing to undo */
		store_commit();
		return rc;
	}
	struct kpi_snap none = {0}, after;
	rc = kpi_snap_load(id, &after);
	if (!rc)
		rc = kpi_apply(&none, &after);	/* the KPI roll-ups (kpi_sql.c) */
	if (rc) {
		store_rollback();
		return rc;
	}
	if (id_out)
		*id_out = id;
	return store_commit();
}

json_t *store_problem_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " PROBLEM_COLS ", o.path AS org_path, h.path AS handler_path"
				   PROBLEM_FROM " WHERE p.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

int store_problem_update(int64_t id, const json_t *patch)
{
	/* One static statement: ?(2k) says whether key k is present, ?(2k+1) its value. */
	db_stmt *st = db_prep("UPDATE problems SET"
				   " state = CASE WHEN ?2 THEN ?3 ELSE state END,"
				   " handler_org_id = CASE WHEN ?4 THEN ?5 ELSE handler_org_id END,"
				   " merged_into = CASE WHEN ?6 THEN ?7 ELSE merged_into END,"
				   " rework_count = CASE WHEN ?8 THEN ?9 ELSE rework_count END,"
				   " relapse_count = CASE WHEN ?10 THEN ?11 ELSE relapse_count END,"
				   " dispatched_at = CASE WHEN ?12 THEN ?13 ELSE dispatched_at END,"
				   " deadline = CASE WHEN ?14 THEN ?15 ELSE deadline END,"
				   " deadline_unit = CASE WHEN ?16 THEN ?17 ELSE deadline_unit END,"
				   " ext_requested = CASE WHEN ?18 THEN ?19 ELSE ext_requested END,"
				   " reminded_at = CASE WHEN ?20 THEN ?21 ELSE reminded_at END,"
				   " escalated_at = CASE WHEN ?22 THEN ?23 ELSE escalated_at END,"
				   " rectified_at = CASE WHEN ?24 THEN ?25 ELSE rectified_at END,"
				   " rectifier_id = CASE WHEN ?26 THEN ?27 ELSE rectifier_id END,"
				   " closed_at = CASE WHEN ?28 THEN ?29 ELSE closed_at END,"
				   " closed_by = CASE WHEN ?30 THEN ?31 ELSE closed_by END,"
				   " urgency = CASE WHEN ?32 THEN ?33 ELSE urgency END,"
				   " category_id = CASE WHEN ?34 THEN ?35 ELSE category_id END,"
				   " description = CASE WHEN ?36 THEN ?37 ELSE description END,"
				   " accepted_at = CASE WHEN accepted_at IS NULL AND ?2 AND ?3 = 'accepted' THEN ?38"
				   "   ELSE accepted_at END,"
				   " updated_at = ?38"
				   " WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"state", "handler_org_id", "merged_into", "rework_count", "relapse_count", "dispatched_at", "deadline", "deadline_unit", "ext_requested", "reminded_at", "escalated_at", "rectified_at", "rectifier_id", "closed_at", "closed_by", "urgency", "category_id", "description"};
	db_bind_i64(st, 1, id);
	for (int i = 0; i < 18; i++) {
		json_t *v = json_object_get(patch, keys[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	db_bind_json(st, 38, json_object_get(patch, "updated_at"));
	/* The KPI roll-ups follow the row: the difference between what it
	 * contributed before and after, in the same transaction (kpi_sql.c). */
	struct kpi_snap before, after;
	int rc = store_begin();
	if (rc) {
		db_done(st);
		return rc;
	}
	rc = kpi_snap_load(id, &before);
	if (!rc)
		rc = db_exec_stmt(st);
	else
		db_done(st);
	if (!rc && !db_changes()) {	/* no such problem: nothing changed */
		store_commit();
		return STORE_ENOTFOUND;
	}
	if (!rc)
		rc = kpi_snap_load(id, &after);
	if (!rc)
		rc = kpi_apply(&before, &after);
	if (rc) {
		store_rollback();
		return rc;
	}
	return store_commit();
}

/* The WHERE clause of the problem list's filters and scope (?1–?13, ?16–?19;
 * ?14 and ?15 are left to the statement: cursor and limit). Shared with the
 * map (map_sql.c) so that both answer exactly the same set of problems. */
void problem_filter_bind(db_stmt *st, const json_t *f, struct problem_filter_bound *b)
{
	json_t *u = json_object_get(f, "under");
	b->under = json_is_integer(u) ? store_org_path(json_integer_value(u)) : NULL;
	b->phrase = search_engine()->phrase(json_string_value(json_object_get(f, "fts")));
	db_bind_json(st, 1, json_object_get(f, "states"));
	db_bind_json(st, 2, json_object_get(f, "category_id"));
	db_bind_text(st, 3, json_is_integer(u) ? (b->under ? b->under : "/none/") : NULL);
	db_bind_json(st, 4, json_object_get(f, "handler_org_id"));
	db_bind_json(st, 5, json_object_get(f, "source"));
	db_bind_json(st, 6, json_object_get(f, "overdue_at"));
	db_bind_json(st, 7, json_object_get(f, "from"));
	db_bind_json(st, 8, json_object_get(f, "to"));
	db_bind_json(st, 9, json_object_get(f, "reporter_id"));
	db_bind_i64(st, 10, json_is_true(json_object_get(f, "scope_all")));
	db_bind_json(st, 11, json_object_get(f, "scope_org_paths"));
	db_bind_json(st, 12, json_object_get(f, "scope_handler_paths"));
	db_bind_i64(st, 13, json_integer_value(json_object_get(f, "scope_reporter")));
	db_bind_json(st, 16, json_object_get(f, "q"));
	db_bind_json(st, 17, json_object_get(f, "codes"));
	db_bind_json(st, 18, json_object_get(f, "category_codes"));
	db_bind_text(st, 19, b->phrase);
	db_bind_json(st, 30, json_object_get(f, "scope_follower"));
}

void problem_filter_free(struct problem_filter_bound *b)
{
	free(b->under);
	free(b->phrase);
}

/* Which statement serves a page. The generic one walks the primary key
 * newest first and tests every filter on each row: right when matches are
 * dense, and it stops after one page. Two selective filters would make that
 * walk cover the whole table (measured: seconds at 10 million rows, see
 * docs/PERFORMANCE.md), so they get their own statement in which an index
 * drives the search and the page is sorted afterwards:
 * - a full-text phrase: the trigram index's matches by rowid;
 * - an org subtree holding few problems (counted on kpi_state, at most
 *   LIST_SUBTREE_ORGS orgs): those orgs' rows on problems_org. A page by
 *   walking reads about limit × N / R rows (R in the subtree, N in all),
 *   the index reads R and sorts them: the index when R² ≤ limit × N (and R
 *   ≤ LIST_SUBTREE_SORT_MAX). A street-wide subtree keeps the walk;
 * - a closed period (from and to) far in the past: its rows on
 *   problems_created, when fewer than the walk would skip to reach it
 *   (both estimated from ids, which follow creation: two index seeks).
 * The generic filter stays in every statement, so each answers the same rows. */
#define LIST_SUBTREE_ORGS 1000
#define LIST_SUBTREE_SORT_MAX 50000

static int subtree_is_small(const char *path, int limit)
{
	db_stmt *st = db_prep("SELECT count(*) FROM (SELECT 1 FROM orgs WHERE path >= ?1 AND path < ?1 || '~' LIMIT ?2) AS t");
	if (!st)
		return 0;
	db_bind_text(st, 1, path);
	db_bind_i64(st, 2, LIST_SUBTREE_ORGS + 1);
	int64_t orgs = db_step(st) == DB_ROW ? db_col_i64(st, 0) : INT64_MAX;
	db_done(st);
	if (orgs > LIST_SUBTREE_ORGS)
		return 0;
	st = db_prep("SELECT coalesce(sum(n), 0) FROM kpi_state WHERE org_id IN"
		     " (SELECT id FROM orgs WHERE path >= ?1 AND path < ?1 || '~')");
	if (!st)
		return 0;
	db_bind_text(st, 1, path);
	int64_t rows = db_step(st) == DB_ROW ? db_col_i64(st, 0) : INT64_MAX;
	db_done(st);
	if (rows > LIST_SUBTREE_SORT_MAX)
		return 0;
	st = db_prep("SELECT coalesce(max(id), 0) FROM problems");
	if (!st)
		return 0;
	int64_t all = db_step(st) == DB_ROW ? db_col_i64(st, 0) : 0;
	db_done(st);
	return (double)rows * (double)rows <= (double)(limit > 0 ? limit : 1) * (double)all;
}

/* The id of the first problem created at or after t (max id + 1 when none). */
static int64_t id_at(int64_t t)
{
	db_stmt *st = db_prep("SELECT coalesce((SELECT id FROM problems WHERE created_at >= ?1 ORDER BY created_at, id"
				   " LIMIT 1), (SELECT coalesce(max(id), 0) + 1 FROM problems))");
	if (!st)
		return 0;
	db_bind_i64(st, 1, t);
	int64_t id = db_step(st) == DB_ROW ? db_col_i64(st, 0) : 0;
	db_done(st);
	return id;
}

static int period_is_narrow(int64_t from, int64_t to, int64_t before_id)
{
	int64_t a = id_at(from), b = id_at(to), newest = before_id > 0 ? before_id : id_at(INT64_MAX);
	return b - a < newest - b;
}

const struct problem_sql *problem_sql(void)
{
	return db_backend() == DB_PG ? &problem_sql_pg : &problem_sql_sqlite;
}

json_t *store_problem_list(const json_t *f, int64_t before_id, int limit)
{
	const struct problem_sql *q = problem_sql();
	const char *const generic = q->list_generic;
	const char *sql = generic;
	json_t *from = json_object_get(f, "from"), *to = json_object_get(f, "to");
	json_t *u = json_object_get(f, "under");
	if (json_string_value(json_object_get(f, "fts"))) {
		sql = q->list_by_phrase;
	} else if (json_is_integer(u)) {
		char *path = store_org_path(json_integer_value(u));
		if (path && subtree_is_small(path, limit))
			sql = q->list_by_subtree;
		free(path);
	}
	if (sql == generic && json_is_integer(from) && json_is_integer(to) &&
	    period_is_narrow(json_integer_value(from), json_integer_value(to), before_id))
		sql = q->list_by_period;
	db_stmt *st = db_prep(sql);
	if (!st)
		return NULL;
	struct problem_filter_bound b;
	problem_filter_bind(st, f, &b);
	db_bind_i64(st, 14, before_id);
	db_bind_i64(st, 15, limit);
	json_t *rows = db_rows(st);
	problem_filter_free(&b);
	return rows;
}

/* The event and its webhook deliveries (webhook_outbox.c) in one transaction. */
int store_problem_event_add(int64_t problem_id, const json_t *e, int64_t *id_out)
{
	int rc = store_begin();
	if (rc)
		return rc;
	db_stmt *st = db_prep("INSERT INTO problem_events (problem_id, at, actor_id, action, from_state, to_state,"
				   " note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st) {
		store_rollback();
		return STORE_EIO;
	}
	db_bind_i64(st, 1, problem_id);
	static const char *keys[] = {"at", "actor_id", "action", "from_state", "to_state", "note", "data"};
	for (int i = 0; i < 7; i++)
		db_bind_json(st, i + 2, json_object_get(e, keys[i]));
	int64_t nid = db_insert_id(st);
	if (nid < 0) {	/* the insert failed as a whole: nothing to undo */
		store_commit();
		return (int)nid;
	}
	rc = webhooks_enqueue_problem_event(problem_id, nid, json_string_value(json_object_get(e, "action")),
					    json_integer_value(json_object_get(e, "at")));
	if (rc) {
		store_rollback();
		return rc;
	}
	if (id_out)
		*id_out = nid;
	return store_commit();
}

json_t *store_problem_events(int64_t problem_id)
{
	db_stmt *st = db_prep("SELECT e.id, e.at, e.actor_id, a.login AS actor_login, a.display_name AS actor_name,"
				   " e.action, e.from_state, e.to_state, e.note, e.data AS \"data:json\""
				   " FROM problem_events e LEFT JOIN accounts a ON a.id = e.actor_id"
				   " WHERE e.problem_id = ? ORDER BY e.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, problem_id);
	return db_rows(st);
}

int store_problem_photo_add(int64_t problem_id, int64_t photo_id, int64_t event_id, const char *kind)
{
	db_stmt *st = db_prep("INSERT INTO problem_photos (problem_id, photo_id, event_id, kind)"
				   " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, problem_id);
	db_bind_i64(st, 2, photo_id);
	if (event_id)
		db_bind_i64(st, 3, event_id);
	db_bind_text(st, 4, kind);
	return db_exec_stmt(st);
}

json_t *store_problem_photos(int64_t problem_id)
{
	db_stmt *st = db_prep("SELECT pp.photo_id AS id, pp.kind, pp.event_id, ph.width, ph.height, ph.taken_at,"
				   " ph.lat, ph.lng FROM problem_photos pp JOIN photos ph ON ph.id = pp.photo_id"
				   " WHERE pp.problem_id = ? ORDER BY pp.event_id, pp.photo_id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, problem_id);
	return db_rows(st);
}

json_t *store_problems_due(int64_t now, int escalation, int limit)
{
	/* Escalation: the deadline has passed. Reminder candidates: every open,
	 * unreminded problem; the caller decides when half its time is gone
	 * (working time needs the calendar). */
	db_stmt *st = escalation
		? db_prep("SELECT id FROM problems WHERE state IN (" WF_SQL_CLOCK ") AND escalated_at IS NULL"
			  " AND deadline < ? ORDER BY deadline, id LIMIT ?")
		: db_prep("SELECT id, dispatched_at, deadline, deadline_unit FROM problems"
			  " WHERE state IN (" WF_SQL_CLOCK ") AND reminded_at IS NULL"
			  " AND deadline IS NOT NULL AND dispatched_at <= ? ORDER BY deadline, id LIMIT ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, now);
	db_bind_i64(st, 2, limit);
	return db_rows(st);
}

/* Notifications ------------------------------------------------------------ */

int store_notify(const char *roles_json, int64_t org_id, const json_t *n)
{
	/* Every account holding one of the roles on the org or one of its ancestors. */
	db_stmt *st = db_prep(
		"INSERT INTO notifications (account_id, kind, problem_id, title, body, created_at)"
		" SELECT DISTINCT g.account_id, ?3, ?4, ?5, ?6, ?7 FROM grants g JOIN orgs go ON go.id = g.org_id"
		" JOIN accounts a ON a.id = g.account_id, orgs t WHERE t.id = ?2 AND a.disabled = 0"
		" AND substr(t.path, 1, length(go.path)) = go.path"
		" AND g.role IN (SELECT value FROM json_each(?1))");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, roles_json);
	db_bind_i64(st, 2, org_id);
	db_bind_json(st, 3, json_object_get(n, "kind"));
	db_bind_json(st, 4, json_object_get(n, "problem_id"));
	db_bind_json(st, 5, json_object_get(n, "title"));
	db_bind_json(st, 6, json_object_get(n, "body"));
	db_bind_json(st, 7, json_object_get(n, "created_at"));
	return db_exec_stmt(st);
}

json_t *store_notification_list(int64_t account_id, int unread_only, int64_t before_id, int limit)
{
	db_stmt *st = db_prep("SELECT n.id, n.kind, n.problem_id, p.code AS problem_code, n.title, n.body,"
				   " n.created_at, n.read_at FROM notifications n LEFT JOIN problems p ON p.id = n.problem_id"
				   " WHERE n.account_id = ?1 AND (?2 = 0 OR n.read_at IS NULL) AND (?3 = 0 OR n.id < ?3)"
				   " ORDER BY n.id DESC LIMIT ?4");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, account_id);
	db_bind_i64(st, 2, unread_only);
	db_bind_i64(st, 3, before_id);
	db_bind_i64(st, 4, limit);
	return db_rows(st);
}

int store_notification_unread(int64_t account_id)
{
	db_stmt *st = db_prep("SELECT count(*) FROM notifications WHERE account_id = ? AND read_at IS NULL");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, account_id);
	int n = db_step(st) == DB_ROW ? (int)db_col_i64(st, 0) : STORE_EIO;
	db_done(st);
	return n;
}

int store_notification_read(int64_t account_id, int64_t id, int64_t now)
{
	/* id 0 = all of the account's notifications. */
	db_stmt *st = db_prep("UPDATE notifications SET read_at = ?3 WHERE account_id = ?1"
				   " AND (?2 = 0 OR id = ?2) AND read_at IS NULL");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, account_id);
	db_bind_i64(st, 2, id);
	db_bind_i64(st, 3, now);
	int rc = db_exec_stmt(st);
	if (!rc && id && db_changes() == 0) {
		st = db_prep("SELECT 1 FROM notifications WHERE account_id = ? AND id = ?");
		if (!st)
			return STORE_EIO;
		db_bind_i64(st, 1, account_id);
		db_bind_i64(st, 2, id);
		int found = db_step(st) == DB_ROW;
		db_done(st);
		return found ? STORE_OK : STORE_ENOTFOUND;
	}
	return rc;
}

/* Open311 ----------------------------------------------------------------- */

int64_t store_open311_key_account(const char *key_hash)
{
	db_stmt *st = db_prep("SELECT account_id FROM open311_keys WHERE key_hash = ? AND revoked_at IS NULL");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, key_hash);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return id;
}

int store_open311_key_add(const char *key_hash, const char *name, int64_t account_id, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO open311_keys (key_hash, name, account_id, created_at) VALUES (?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, key_hash);
	db_bind_text(st, 2, name);
	db_bind_i64(st, 3, account_id);
	db_bind_i64(st, 4, now);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

json_t *store_open311_key_list(void)
{
	db_stmt *st = db_prep("SELECT k.id, k.name, k.account_id, a.login AS account_login, k.created_at, k.revoked_at"
				   " FROM open311_keys k JOIN accounts a ON a.id = k.account_id ORDER BY k.id");
	return st ? db_rows(st) : NULL;
}

int64_t store_nearest_community(double lat, double lng)
{
	/* Equirectangular distance is plenty for "which community is this in";
	 * the id breaks a tie the same way on both engines. */
	db_stmt *st = db_prep("SELECT id FROM orgs WHERE kind = 'community' AND lat IS NOT NULL AND lng IS NOT NULL"
				   " ORDER BY (lat - ?1) * (lat - ?1) + ((lng - ?2) * 0.85) * ((lng - ?2) * 0.85), id LIMIT 1");
	if (!st)
		return STORE_EIO;
	db_bind_double(st, 1, lat);
	db_bind_double(st, 2, lng);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return id;
}

json_t *store_problem_by_code(const char *code)
{
	db_stmt *st = db_prep("SELECT id FROM problems WHERE code = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_i64(st, 0) : 0;
	db_done(st);
	return id ? store_problem_get(id) : NULL;
}

/* Citizen loop ------------------------------------------------------------ */

int store_rating_add(int64_t problem_id, int64_t account_id, const char *rating, const char *comment, int reopened,
		     int64_t now)
{
	db_stmt *st = db_prep("INSERT INTO problem_ratings (problem_id, account_id, rating, comment, reopened, created_at)"
				   " VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, problem_id);
	db_bind_i64(st, 2, account_id);
	db_bind_text(st, 3, rating);
	db_bind_text(st, 4, comment);
	db_bind_i64(st, 5, reopened);
	db_bind_i64(st, 6, now);
	int rc = store_begin();
	if (rc) {
		db_done(st);
		return rc;
	}
	rc = db_exec_stmt(st);
	if (rc == STORE_ECONFLICT) {	/* already rated: nothing changed, nothing to undo */
		store_commit();
		return rc;
	}
	if (!rc)
		rc = kpi_rating(problem_id, rating, now);	/* 满意率 (kpi_sql.c) */
	if (rc) {
		store_rollback();
		return rc;
	}
	return store_commit();
}

json_t *store_ratings(int64_t problem_id)
{
	db_stmt *st = db_prep("SELECT account_id, rating, comment, reopened AS \"reopened:bool\", created_at"
				   " FROM problem_ratings WHERE problem_id = ? ORDER BY created_at, account_id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, problem_id);
	return db_rows(st);
}

int store_notify_account(int64_t account_id, const json_t *n)
{
	db_stmt *st = db_prep("INSERT INTO notifications (account_id, kind, problem_id, title, body, created_at)"
				   " VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, account_id);
	db_bind_json(st, 2, json_object_get(n, "kind"));
	db_bind_json(st, 3, json_object_get(n, "problem_id"));
	db_bind_json(st, 4, json_object_get(n, "title"));
	db_bind_json(st, 5, json_object_get(n, "body"));
	db_bind_json(st, 6, json_object_get(n, "created_at"));
	return db_exec_stmt(st);
}
