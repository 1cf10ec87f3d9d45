/*
 * kpi_sql.c — the KPI roll-ups (schema/sqlite/008_kpi.sql, docs/KPI.md):
 * their maintenance inside every problem write, the sums that the KPI,
 * trend, state and ranking endpoints read, and the consistency check that
 * recomputes them from the raw tables.
 *
 * Maintenance is a difference of rows: problems_sql.c loads the problem's
 * snapshot before and after a change (same transaction, so under the write
 * lock) and kpi_apply() subtracts what the old row contributed and adds what
 * the new one does. Whatever path changes a problem (actions, the citizen's
 * reopen, the scheduler, the demo, future features) stays counted correctly
 * as long as it goes through store_problem_create/update. What happened
 * (rectify, rework, relapse, rating) is added on the day it happens and never
 * moves afterwards.
 */
#include "db.h"
#include "store.h"
#include "kpi.h"
#include "core/period.h"
#include "core/workflow.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	int64_t day, org, handler, category;
	int64_t m[KPI_NMETRICS];
};

/* At most: 4 row contributions × 2 snapshots + 3 events. */
#define MAX_ENTRIES 16

struct delta {
	struct entry e[MAX_ENTRIES];
	int n;
};

int kpi_snap_load(int64_t id, struct kpi_snap *s)
{
	memset(s, 0, sizeof *s);
	db_stmt *st = db_prep("SELECT org_id, coalesce(handler_org_id, 0), category_id, state, created_at,"
				   " accepted_at, closed_at, deadline, rectified_at, updated_at, rework_count, relapse_count,"
				   " source = 'open311' AND reporter_id IS NULL"
				   " FROM problems WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		s->found = 1;
		s->org = db_col_i64(st, 0);
		s->handler = db_col_i64(st, 1);
		s->category = db_col_i64(st, 2);
		const char *state = db_col_text(st, 3);
		snprintf(s->state, sizeof s->state, "%s", state ? state : "");
		int64_t *t[] = {&s->created, &s->accepted, &s->closed, &s->deadline, &s->rectified, &s->updated,
				&s->reworks, &s->relapses};
		for (int i = 0; i < 8; i++)	/* NULL reads as 0: no time is 1970-01-01 08:00 */
			*t[i] = db_col_i64(st, 4 + i);
		s->anonymous = (int)db_col_i64(st, 12);
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? STORE_OK : STORE_EIO;
}

/* Adds v to metric m on (day, key), merging with an entry already there. */
static void add(struct delta *d, int64_t day, const struct kpi_snap *k, int m, int64_t v)
{
	if (!v)
		return;
	for (int i = 0; i < d->n; i++) {
		struct entry *e = &d->e[i];
		if (e->day == day && e->org == k->org && e->handler == k->handler && e->category == k->category) {
			e->m[m] += v;
			return;
		}
	}
	if (d->n == MAX_ENTRIES)
		return;	/* cannot happen: see MAX_ENTRIES */
	struct entry *e = &d->e[d->n++];
	memset(e, 0, sizeof *e);
	e->day = day, e->org = k->org, e->handler = k->handler, e->category = k->category;
	e->m[m] = v;
}

/* What a problem as it stands contributes (docs/KPI.md), times sign. The same
 * rules as the kpi_raw view (008_kpi.sql, redefined by 018_kpi_anonymous.sql):
 * change both together. */
static void contribute(struct delta *d, const struct kpi_snap *s, int sign)
{
	if (!s->found)
		return;
	int state = wf_state_parse(s->state);
	int merged = state == WF_MERGED, closed = state == WF_CLOSED && s->closed;
	/* An anonymous tip counts once a 居委 or the office accepted it (spam must
	 * not move anyone's figures: review 2026-12-07 #11); then on the day it
	 * was reported, like every other problem. */
	if (!s->anonymous || s->accepted)
		add(d, period_day(s->created), s, KPI_REPORTED, sign);
	if (s->accepted && !merged)
		add(d, period_day(s->accepted), s, KPI_ACCEPTED, sign);
	if (closed) {
		add(d, period_day(s->closed), s, KPI_CLOSED, sign);
		add(d, period_day(s->closed), s, KPI_CLOSE_SECS, sign * (s->closed - s->created));
	}
	if (s->deadline && !merged && state != WF_REJECTED) {
		add(d, period_day(s->deadline), s, KPI_DUE, sign);
		add(d, period_day(s->deadline), s, KPI_ON_TIME, sign * (closed && s->closed <= s->deadline));
	}
}

#define KPI_METRICS "reported, accepted, closed, close_secs, due, on_time, rectifications, reworks, relapses," \
	" sat, basic, dissat"
/* The upsert that adds a row's metrics to the row already under its key
 * (the table's primary key, schema/sqlite/008_kpi.sql). PostgreSQL wants the
 * conflict target and the table name on the old value (a bare `reported` is
 * ambiguous with excluded.reported there); SQLite takes both. */
#define KPI_ADD(t, c) " " #c " = " t "." #c " + excluded." #c
#define KPI_UPSERT_SET(t, key) " ON CONFLICT (" key ") DO UPDATE SET" KPI_ADD(t, reported) "," \
	KPI_ADD(t, accepted) "," KPI_ADD(t, closed) "," KPI_ADD(t, close_secs) "," KPI_ADD(t, due) "," \
	KPI_ADD(t, on_time) "," KPI_ADD(t, rectifications) "," KPI_ADD(t, reworks) "," KPI_ADD(t, relapses) "," \
	KPI_ADD(t, sat) "," KPI_ADD(t, basic) "," KPI_ADD(t, dissat)

#define KPI_ORG_UPSERT(table, period) \
	"WITH RECURSIVE up(id, parent) AS (SELECT id, parent_id FROM orgs WHERE id = ?2" \
	" UNION ALL SELECT o.id, o.parent_id FROM orgs o JOIN up ON o.id = up.parent)" \
	" INSERT INTO " table " (" period ", org_id, dim, dim_id, " KPI_METRICS ")" \
	" SELECT ?1, up.id, d.dim, d.dim_id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14" \
	" FROM up, (SELECT '-' AS dim, 0 AS dim_id UNION ALL SELECT 'h', ?15 UNION ALL SELECT 'c', ?16) d" \
	" WHERE true" KPI_UPSERT_SET(table, "org_id, dim, " period ", dim_id")

/* The entry for the org and each of its ancestors (the subtree roll-ups):
 * the total, the handler unit's row and the category's row. */
static int upsert_tree(const struct entry *e)
{
	static const char *const sql[2] = {KPI_ORG_UPSERT("kpi_org_day", "day"), KPI_ORG_UPSERT("kpi_org_month", "month")};
	for (int t = 0; t < 2; t++) {
		db_stmt *st = db_prep(sql[t]);
		if (!st)
			return STORE_EIO;
		db_bind_i64(st, 1, t ? period_month_key(e->day) : e->day);
		db_bind_i64(st, 2, e->org);
		for (int m = 0; m < KPI_NMETRICS; m++)
			db_bind_i64(st, 3 + m, e->m[m]);
		db_bind_i64(st, 15, e->handler);
		db_bind_i64(st, 16, e->category);
		int rc = db_exec_stmt(st);
		if (rc)
			return rc;
	}
	return STORE_OK;
}

int kpi_org_moved(int64_t org_id, int sign)
{
	/* The org's own subtree rows hold everything below it: add them to (or
	 * take them from) each strict ancestor along the current parent chain. */
#define KPI_MOVE(table, period) \
	"WITH RECURSIVE up(id, parent) AS (SELECT id, parent_id FROM orgs" \
	"  WHERE id = (SELECT parent_id FROM orgs WHERE id = ?1)" \
	" UNION ALL SELECT o.id, o.parent_id FROM orgs o JOIN up ON o.id = up.parent)" \
	" INSERT INTO " table " (" period ", org_id, dim, dim_id, " KPI_METRICS ")" \
	" SELECT k." period ", up.id, k.dim, k.dim_id, ?2 * reported, ?2 * accepted, ?2 * closed, ?2 * close_secs, ?2 * due," \
	"  ?2 * on_time, ?2 * rectifications, ?2 * reworks, ?2 * relapses, ?2 * sat, ?2 * basic, ?2 * dissat" \
	" FROM " table " k, up WHERE k.org_id = ?1" KPI_UPSERT_SET(table, "org_id, dim, " period ", dim_id")
	static const char *const sql[2] = {KPI_MOVE("kpi_org_day", "day"), KPI_MOVE("kpi_org_month", "month")};
	for (int t = 0; t < 2; t++) {
		db_stmt *st = db_prep(sql[t]);
		if (!st)
			return STORE_EIO;
		db_bind_i64(st, 1, org_id);
		db_bind_i64(st, 2, sign);
		int rc = db_exec_stmt(st);
		if (rc)
			return rc;
	}
	return STORE_OK;
}

static int upsert(const struct entry *e)
{
	static const char *const sql[2] = {
		"INSERT INTO kpi_day (day, org_id, handler_org_id, category_id, " KPI_METRICS ")"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		KPI_UPSERT_SET("kpi_day", "day, org_id, handler_org_id, category_id"),
		"INSERT INTO kpi_month (month, org_id, handler_org_id, category_id, " KPI_METRICS ")"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		KPI_UPSERT_SET("kpi_month", "month, org_id, handler_org_id, category_id"),
	};
	for (int t = 0; t < 2; t++) {
		db_stmt *st = db_prep(sql[t]);
		if (!st)
			return STORE_EIO;
		db_bind_i64(st, 1, t ? period_month_key(e->day) : e->day);
		db_bind_i64(st, 2, e->org);
		db_bind_i64(st, 3, e->handler);
		db_bind_i64(st, 4, e->category);
		for (int m = 0; m < KPI_NMETRICS; m++)
			db_bind_i64(st, 5 + m, e->m[m]);
		int rc = db_exec_stmt(st);
		if (rc)
			return rc;
	}
	return STORE_OK;
}

static int state_add(const struct kpi_snap *s, int v)
{
	db_stmt *st = db_prep("INSERT INTO kpi_state (org_id, handler_org_id, state, n) VALUES (?, ?, ?, ?)"
				   " ON CONFLICT (org_id, handler_org_id, state) DO UPDATE SET n = kpi_state.n + excluded.n");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, s->org);
	db_bind_i64(st, 2, s->handler);
	db_bind_text(st, 3, s->state);
	db_bind_i64(st, 4, v);
	return db_exec_stmt(st);
}

static int apply(const struct delta *d)
{
	for (int i = 0; i < d->n; i++) {
		int nonzero = 0;
		for (int m = 0; m < KPI_NMETRICS; m++)
			nonzero |= d->e[i].m[m] != 0;
		if (!nonzero)
			continue;
		int rc = upsert(&d->e[i]);
		if (!rc)
			rc = upsert_tree(&d->e[i]);
		if (rc)
			return rc;
	}
	return STORE_OK;
}

int kpi_apply(const struct kpi_snap *b, const struct kpi_snap *a)
{
	struct delta d = {.n = 0};
	contribute(&d, b, -1);
	contribute(&d, a, +1);
	if (a->found) {
		/* Events: counted on the day they happen, for the unit in charge then. */
		const struct kpi_snap none = {0};
		const struct kpi_snap *was = b->found ? b : &none;
		if (wf_state_parse(a->state) == WF_RECTIFIED && wf_state_parse(was->state) != WF_RECTIFIED)
			add(&d, period_day(a->rectified ? a->rectified : a->updated), a, KPI_RECTIFICATIONS, 1);
		if (a->reworks > was->reworks)
			add(&d, period_day(a->updated), a, KPI_REWORKS, a->reworks - was->reworks);
		if (a->relapses > was->relapses)
			add(&d, period_day(a->updated), a, KPI_RELAPSES, a->relapses - was->relapses);
	}
	int rc = apply(&d);
	int same = b->found && a->found && b->org == a->org && b->handler == a->handler && !strcmp(b->state, a->state);
	if (!rc && b->found && !same)
		rc = state_add(b, -1);
	if (!rc && a->found && !same)
		rc = state_add(a, +1);
	return rc;
}

int kpi_rating(int64_t problem_id, const char *rating, int64_t now)
{
	struct kpi_snap s;
	int rc = kpi_snap_load(problem_id, &s);
	if (rc || !s.found)
		return rc ? rc : STORE_ENOTFOUND;
	int m = !strcmp(rating, "satisfied") ? KPI_SAT : !strcmp(rating, "basically_satisfied") ? KPI_BASIC : KPI_DISSAT;
	struct delta d = {.n = 0};
	add(&d, period_day(now), &s, m, 1);
	return apply(&d);
}

/* Reading ----------------------------------------------------------------- */

/* The filter every read shares, parameters ?7..?12: org subtree (path
 * prefix), handler unit, category (a 大类 also matches its 小类), and the
 * reader's scope: everything (?10), or rows whose org lies under one of the
 * paths ?11 or whose handler unit lies under one of ?12. Paths are "/1/5/"
 * and hold only digits and '/', so a subtree is the index range [p, p~). */
#define KPI_SCOPE \
	" (?7 IS NULL OR org_id IN (SELECT id FROM orgs WHERE path >= ?7 AND path < ?7 || '~'))" \
	" AND (?8 IS NULL OR handler_org_id = ?8)" \
	" AND (?10 <> 0 OR org_id IN (SELECT o.id FROM json_each(?11) w, orgs o" \
	"                        WHERE o.path >= w.value AND o.path < w.value || '~')" \
	"      OR handler_org_id IN (SELECT o.id FROM json_each(?12) w, orgs o" \
	"                        WHERE o.path >= w.value AND o.path < w.value || '~'))"
#define KPI_FILTER KPI_SCOPE \
	" AND (?9 IS NULL OR category_id IN (SELECT id FROM categories WHERE id = ?9 OR parent_id = ?9))"
#define KPI_SUMS "sum(reported) AS reported, sum(accepted) AS accepted, sum(closed) AS closed," \
	" sum(close_secs) AS close_secs, sum(due) AS due, sum(on_time) AS on_time," \
	" sum(rectifications) AS rectifications, sum(reworks) AS reworks, sum(relapses) AS relapses," \
	" sum(sat) AS sat, sum(basic) AS basic, sum(dissat) AS dissat"
#define KPI_COLS " org_id, handler_org_id, category_id, " KPI_METRICS
/* Days ?1..?2, months ?3..?4 (yyyymm), days ?5..?6: see period_split(). */
#define KPI_RANGE "(SELECT" KPI_COLS " FROM kpi_day WHERE day BETWEEN ?1 AND ?2" \
	" UNION ALL SELECT" KPI_COLS " FROM kpi_month WHERE month BETWEEN ?3 AND ?4" \
	" UNION ALL SELECT" KPI_COLS " FROM kpi_day WHERE day BETWEEN ?5 AND ?6) r"
#define KPI_SUM_BY(key) "SELECT " key " AS k, " KPI_SUMS " FROM " KPI_RANGE " WHERE " KPI_FILTER " GROUP BY 1"

static void bind_filter(db_stmt *st, const json_t *f)
{
	static const char *const keys[] = {"h1", "h2", "m1", "m2", "t1", "t2", "org_path", "handler_org_id",
					   "category_id"};
	for (int i = 0; i < 9; i++) {
		json_t *v = json_object_get(f, keys[i]);
		if (i < 6 && !v)
			db_bind_i64(st, i + 1, i % 2 == 0 ? 1 : 0);	/* empty range */
		else
			db_bind_json(st, i + 1, v);
	}
	db_bind_i64(st, 10, json_is_true(json_object_get(f, "scope_all")));
	db_bind_text(st, 11, json_string_value(json_object_get(f, "scope_org_paths")));
	db_bind_text(st, 12, json_string_value(json_object_get(f, "scope_handler_paths")));
}

json_t *kpi_sum(const json_t *f, const char *group)
{
	static const char *const sql_none = KPI_SUM_BY("0");
	static const char *const sql_org = KPI_SUM_BY("org_id");
	static const char *const sql_handler = KPI_SUM_BY("handler_org_id");
	static const char *const sql_category = KPI_SUM_BY("category_id");
	const char *sql = !strcmp(group, "none") ? sql_none
			: !strcmp(group, "handler") ? sql_handler
			: !strcmp(group, "category") ? sql_category : sql_org;
	db_stmt *st = db_prep(sql);
	if (!st)
		return NULL;
	bind_filter(st, f);
	return db_rows(st);
}

json_t *kpi_series(const json_t *f, int months)
{
	static const char *const sql_days = "SELECT day AS k, " KPI_SUMS " FROM kpi_day WHERE day BETWEEN ?1 AND ?2"
					    " AND " KPI_FILTER " GROUP BY day";
	static const char *const sql_months = "SELECT month AS k, " KPI_SUMS " FROM kpi_month"
					      " WHERE month BETWEEN ?3 AND ?4 AND " KPI_FILTER " GROUP BY month";
	db_stmt *st = db_prep(months ? sql_months : sql_days);
	if (!st)
		return NULL;
	bind_filter(st, f);
	return db_rows(st);
}

/* The states whose deadline runs (wf_clock_running) as a JSON array text
 * (malloc'd; NULL when out of memory). */
static char *clock_running_states(void)
{
	json_t *a = json_array();
	for (int s = 0; s < WF_NSTATES; s++)
		if (wf_clock_running(s))
			json_array_append_new(a, json_string(wf_state_name(s)));
	char *t = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return t;
}

json_t *store_kpi_states(const json_t *f, int64_t now)
{
	/* The scope and org/handler filters (?7, ?8, ?10..?12); no period or category. */
	db_stmt *st = db_prep("SELECT state, sum(n) AS n FROM kpi_state WHERE " KPI_SCOPE " GROUP BY state");
	if (!st)
		return NULL;
	bind_filter(st, f);
	json_t *rows = db_rows(st);
	if (!rows)
		return NULL;
	/* Overdue: the states whose deadline runs (workflow.c), an index range
	 * on (state, deadline) for each, then the filter per row. */
	st = db_prep("SELECT count(*) FROM problems WHERE state IN (SELECT value FROM json_each(?14)) AND deadline < ?13"
		     " AND " KPI_SCOPE);
	if (!st) {
		json_decref(rows);
		return NULL;
	}
	bind_filter(st, f);
	db_bind_i64(st, 13, now);
	char *running = clock_running_states();
	db_bind_text(st, 14, running);
	free(running);
	int rc = db_step(st);
	int64_t overdue = rc == DB_ROW ? db_col_i64(st, 0) : -1;
	db_done(st);
	if (overdue < 0) {
		json_decref(rows);
		return NULL;
	}
	return json_pack("{s:o, s:I}", "states", rows, "overdue", (json_int_t)overdue);
}

/* The subtree roll-ups of the orgs in ?13 (JSON array of ids), dimension ?14
 * ('-', 'h', 'c') restricted to the dim_ids ?15 (JSON array, NULL = all),
 * same period parameters; k is the dim_id when ?16, else the org. */
#define KPI_ORG_COLS " org_id, dim_id, " KPI_METRICS
#define KPI_ORG_WHERE " AND org_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?13)) AND dim = ?14" \
	" AND (?15 IS NULL OR dim_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?15)))"
#define KPI_ORG_RANGE "(SELECT" KPI_ORG_COLS " FROM kpi_org_day WHERE day BETWEEN ?1 AND ?2" KPI_ORG_WHERE \
	" UNION ALL SELECT" KPI_ORG_COLS " FROM kpi_org_month WHERE month BETWEEN ?3 AND ?4" KPI_ORG_WHERE \
	" UNION ALL SELECT" KPI_ORG_COLS " FROM kpi_org_day WHERE day BETWEEN ?5 AND ?6" KPI_ORG_WHERE ") r"

/* Binds a JSON array of ids as its text (for json_each). */
static void bind_ids(db_stmt *st, int i, const json_t *ids)
{
	char *s = json_dumps(ids, JSON_COMPACT);
	db_bind_text(st, i, s);
	free(s);
}

/* The rows of a statement whose ?1 is a JSON array of ids. */
static json_t *rows_for_ids(const char *sql, const json_t *ids)
{
	db_stmt *st = db_prep(sql);
	if (!st)
		return NULL;
	bind_ids(st, 1, ids);
	return db_rows(st);
}

static void bind_tree(db_stmt *st, const json_t *f, const struct kpi_tree *t)
{
	bind_filter(st, f);
	bind_ids(st, 13, t->orgs);
	db_bind_text(st, 14, t->dim);
	if (t->dim_ids)
		bind_ids(st, 15, t->dim_ids);
	db_bind_i64(st, 16, t->by_dim);
}

json_t *kpi_tree_sum(const json_t *f, const struct kpi_tree *t)
{
	db_stmt *st = db_prep("SELECT CASE WHEN ?16 <> 0 THEN dim_id ELSE org_id END AS k, " KPI_SUMS
				   " FROM " KPI_ORG_RANGE " GROUP BY 1");
	if (!st)
		return NULL;
	bind_tree(st, f, t);
	return db_rows(st);
}

json_t *kpi_tree_series(const json_t *f, const struct kpi_tree *t, int months)
{
	static const char *const sql_days = "SELECT day AS k, " KPI_SUMS " FROM kpi_org_day"
					    " WHERE day BETWEEN ?1 AND ?2 AND ?16 = ?16" KPI_ORG_WHERE " GROUP BY day";
	static const char *const sql_months = "SELECT month AS k, " KPI_SUMS " FROM kpi_org_month"
					      " WHERE month BETWEEN ?3 AND ?4 AND ?16 = ?16" KPI_ORG_WHERE " GROUP BY month";
	db_stmt *st = db_prep(months ? sql_months : sql_days);
	if (!st)
		return NULL;
	bind_tree(st, f, t);
	return db_rows(st);
}

json_t *kpi_category_ids(int64_t id)
{
	db_stmt *st = db_prep("SELECT coalesce(json_group_array(id), '[]') FROM categories WHERE id = ?1 OR parent_id = ?1");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	json_t *ids = NULL;
	if (db_step(st) == DB_ROW)
		ids = json_loads(db_col_text(st, 0), 0, NULL);
	db_done(st);
	return ids;
}

json_t *kpi_tree_orgs(const char *path, int communities)
{
	/* path NULL: the roots of the tree; else the communities under path. */
	db_stmt *st = communities
		? db_prep("SELECT id FROM orgs WHERE kind = 'community' AND path >= ?1 AND path < ?1 || '~'")
		: db_prep("SELECT id FROM orgs WHERE parent_id IS NULL");
	if (!st)
		return NULL;
	if (communities)
		db_bind_text(st, 1, path);
	json_t *rows = db_rows(st), *ids = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) json_array_append(ids, json_object_get(row, "id"));
	if (!rows) {
		json_decref(ids);
		return NULL;
	}
	json_decref(rows);
	return ids;
}

json_t *store_kpi_org_names(const json_t *ids)
{
	return rows_for_ids("SELECT id, name, code, kind FROM orgs WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?1))", ids);
}

json_t *store_kpi_category_names(const json_t *ids)
{
	return rows_for_ids("SELECT id, name, code FROM categories WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?1))", ids);
}

json_t *kpi_communities(const json_t *ids)
{
	/* Up the tree from each org until a community (at most the tree's depth). */
	return rows_for_ids("WITH RECURSIVE up(org, id, kind, parent) AS ("
			    " SELECT id, id, kind, parent_id FROM orgs WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?1))"
			    " UNION ALL SELECT up.org, o.id, o.kind, o.parent_id FROM up JOIN orgs o ON o.id = up.parent"
			    "  WHERE up.kind <> 'community')"
			    " SELECT org, id AS community FROM up WHERE kind = 'community'",
			    ids);
}

/* The consistency check --------------------------------------------------- */

#define KPI_NONZERO "(reported <> 0 OR accepted <> 0 OR closed <> 0 OR close_secs <> 0 OR due <> 0" \
	" OR on_time <> 0 OR rectifications <> 0 OR reworks <> 0 OR relapses <> 0 OR sat <> 0 OR basic <> 0" \
	" OR dissat <> 0)"
/* The first 50 differences in key order (source, then the row's key: at most
 * 4 columns), so that both engines report the same rows. */
#define KPI_FIRST_50 " ORDER BY 1, 2, 3, 4, 5 LIMIT 50"
#define KPI_KEYED "day, org_id, handler_org_id, category_id, " KPI_METRICS

json_t *store_kpi_check(int64_t from_day, int64_t to_day)
{
	json_t *out = json_array();
	/* Day rows against the raw tables, both ways. */
	db_stmt *st = db_prep(
		"SELECT 'kpi_day' AS source, * FROM (SELECT " KPI_KEYED " FROM kpi_day WHERE day BETWEEN ?1 AND ?2 AND "
		KPI_NONZERO " EXCEPT SELECT " KPI_KEYED " FROM kpi_raw WHERE day BETWEEN ?1 AND ?2) a"
		" UNION ALL SELECT 'raw' AS source, * FROM (SELECT " KPI_KEYED " FROM kpi_raw WHERE day BETWEEN ?1 AND ?2"
		" AND " KPI_NONZERO " EXCEPT SELECT " KPI_KEYED " FROM kpi_day WHERE day BETWEEN ?1 AND ?2) b" KPI_FIRST_50);
	if (!st)
		goto fail;
	db_bind_i64(st, 1, from_day);
	db_bind_i64(st, 2, to_day);
	json_t *a = db_rows(st);
	if (!a)
		goto fail;
	json_array_extend(out, a);
	json_decref(a);
	/* Month rows against the sums of their days (whole months touched by the range). */
	st = db_prep(
		"WITH d AS (SELECT CAST(strftime('%Y%m', day * 86400, 'unixepoch') AS INTEGER) AS month, org_id,"
		"  handler_org_id, category_id, " KPI_SUMS " FROM kpi_day"
		"  WHERE CAST(strftime('%Y%m', day * 86400, 'unixepoch') AS INTEGER) BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4),"
		" m AS (SELECT month, org_id, handler_org_id, category_id, " KPI_METRICS " FROM kpi_month"
		"  WHERE month BETWEEN ?1 AND ?2)"
		" SELECT 'kpi_month' AS source, * FROM (SELECT * FROM m WHERE " KPI_NONZERO " EXCEPT SELECT * FROM d) a"
		" UNION ALL SELECT 'kpi_day by month' AS source, * FROM (SELECT * FROM d WHERE " KPI_NONZERO
		" EXCEPT SELECT * FROM m) b" KPI_FIRST_50);
	if (!st)
		goto fail;
	db_bind_i64(st, 1, period_month_key(from_day));
	db_bind_i64(st, 2, period_month_key(to_day));
	a = db_rows(st);
	if (!a)
		goto fail;
	json_array_extend(out, a);
	json_decref(a);
	/* Subtree rows against the org's and its descendants' day rows, and
	 * subtree months against their days. */
	st = db_prep(
		"WITH RECURSIVE anc(org, a) AS (SELECT id, id FROM orgs UNION ALL SELECT anc.org, o.parent_id FROM anc"
		"  JOIN orgs o ON o.id = anc.a WHERE o.parent_id IS NOT NULL),"
		" t AS (SELECT k.day, x.a AS org_id, d.dim,"
		"  CASE d.dim WHEN 'h' THEN k.handler_org_id WHEN 'c' THEN k.category_id ELSE 0 END AS dim_id, " KPI_SUMS
		"  FROM kpi_day k JOIN anc x ON x.org = k.org_id,"
		"  (SELECT '-' AS dim UNION ALL SELECT 'h' UNION ALL SELECT 'c') d"
		"  WHERE k.day BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4),"
		" o AS (SELECT day, org_id, dim, dim_id, " KPI_METRICS " FROM kpi_org_day WHERE day BETWEEN ?1 AND ?2)"
		" SELECT 'kpi_org_day' AS source, * FROM (SELECT * FROM o WHERE " KPI_NONZERO " EXCEPT SELECT * FROM t) a"
		" UNION ALL SELECT 'kpi_day by subtree' AS source, * FROM (SELECT * FROM t WHERE " KPI_NONZERO
		" EXCEPT SELECT * FROM o) b" KPI_FIRST_50);
	if (!st)
		goto fail;
	db_bind_i64(st, 1, from_day);
	db_bind_i64(st, 2, to_day);
	a = db_rows(st);
	if (!a)
		goto fail;
	json_array_extend(out, a);
	json_decref(a);
	st = db_prep(
		"WITH d AS (SELECT CAST(strftime('%Y%m', day * 86400, 'unixepoch') AS INTEGER) AS month, org_id, dim, dim_id, "
		KPI_SUMS " FROM kpi_org_day WHERE CAST(strftime('%Y%m', day * 86400, 'unixepoch') AS INTEGER) BETWEEN ?1 AND ?2"
		"  GROUP BY 1, 2, 3, 4),"
		" m AS (SELECT month, org_id, dim, dim_id, " KPI_METRICS " FROM kpi_org_month WHERE month BETWEEN ?1 AND ?2)"
		" SELECT 'kpi_org_month' AS source, * FROM (SELECT * FROM m WHERE " KPI_NONZERO " EXCEPT SELECT * FROM d) a"
		" UNION ALL SELECT 'kpi_org_day by month' AS source, * FROM (SELECT * FROM d WHERE " KPI_NONZERO
		" EXCEPT SELECT * FROM m) b" KPI_FIRST_50);
	if (!st)
		goto fail;
	db_bind_i64(st, 1, period_month_key(from_day));
	db_bind_i64(st, 2, period_month_key(to_day));
	a = db_rows(st);
	if (!a)
		goto fail;
	json_array_extend(out, a);
	json_decref(a);
	/* Current states. */
	st = db_prep("WITH p AS (SELECT org_id, coalesce(handler_org_id, 0) AS handler_org_id, state, count(*) AS n"
		     "  FROM problems GROUP BY 1, 2, 3)"
		     " SELECT 'kpi_state' AS source, * FROM (SELECT * FROM kpi_state WHERE n <> 0 EXCEPT SELECT * FROM p) a"
		     " UNION ALL SELECT 'problems' AS source, * FROM (SELECT * FROM p EXCEPT SELECT * FROM kpi_state) b"
		     KPI_FIRST_50);
	if (!st)
		goto fail;
	a = db_rows(st);
	if (!a)
		goto fail;
	json_array_extend(out, a);
	json_decref(a);
	return out;
fail:
	json_decref(out);
	return NULL;
}
