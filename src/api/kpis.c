/*
 * kpis.c — KPIs, trends, current states, rankings and the red/black list
 * (红黑榜) of SPEC §3, read from the roll-ups that the store keeps with every
 * problem write (store/kpi_sql.c), never from a scan of the problems; which
 * roll-ups answer a question is the store's planner's choice (kpi_plan.c).
 * The formulas, the score and the scope rules are in docs/KPI.md.
 *
 * Scope: office, committee (and admin) grants see the problems of their
 * org subtree; handler grants see the problems their unit handles. Every
 * query is restricted to (org in an office/committee subtree) OR (handler
 * unit in a handler subtree); an explicit org_id or handler_org_id outside
 * what the account may see is refused (403 forbidden_scope).
 */
#include "api.h"
#include "core/period.h"
#include "core/timefmt.h"
#include "core/workflow.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORG_ROLES (R_OFFICE | R_COMMITTEE)
#define MAX_DAYS 1096	/* three years, one of them leap */

struct kq {
	int64_t from, to;	/* days */
	json_t *f;		/* the store filter (scope and filters, no period yet) */
};

/* A rate as a fraction rounded to 4 decimals, or null when den is 0. */
static json_t *rate(int64_t num, int64_t den)
{
	return den ? json_real(round((double)num / (double)den * 10000.0) / 10000.0) : json_null();
}

/* The metric fields of the API contract, added to o. */
static json_t *metrics(json_t *o, const struct kpi_sums *s)
{
	const int64_t *m = s->m;
	int64_t ratings = m[KPI_SAT] + m[KPI_BASIC] + m[KPI_DISSAT];
	json_object_set_new(o, "reported", json_integer(m[KPI_REPORTED]));
	json_object_set_new(o, "accepted", json_integer(m[KPI_ACCEPTED]));
	json_object_set_new(o, "closed", json_integer(m[KPI_CLOSED]));
	json_object_set_new(o, "closed_rate", rate(m[KPI_CLOSED], m[KPI_ACCEPTED]));
	json_object_set_new(o, "due", json_integer(m[KPI_DUE]));
	json_object_set_new(o, "closed_on_time", json_integer(m[KPI_ON_TIME]));
	json_object_set_new(o, "on_time_rate", rate(m[KPI_ON_TIME], m[KPI_DUE]));
	json_object_set_new(o, "rectifications", json_integer(m[KPI_RECTIFICATIONS]));
	json_object_set_new(o, "reworks", json_integer(m[KPI_REWORKS]));
	json_object_set_new(o, "rework_rate", rate(m[KPI_REWORKS], m[KPI_RECTIFICATIONS]));
	json_object_set_new(o, "relapses", json_integer(m[KPI_RELAPSES]));
	json_object_set_new(o, "relapse_rate", rate(m[KPI_RELAPSES], m[KPI_CLOSED]));
	json_object_set_new(o, "avg_close_hours",
			    m[KPI_CLOSED] ? json_real(round((double)m[KPI_CLOSE_SECS] / (double)m[KPI_CLOSED] / 36.0) / 100.0)
					: json_null());
	json_object_set_new(o, "ratings", json_pack("{s:I, s:I, s:I}", "satisfied", (json_int_t)m[KPI_SAT], "basic",
						    (json_int_t)m[KPI_BASIC], "dissatisfied", (json_int_t)m[KPI_DISSAT]));
	json_object_set_new(o, "satisfaction_rate", rate(m[KPI_SAT] + m[KPI_BASIC], ratings));
	return o;
}

static void day_str(int64_t day, char *out, size_t n)
{
	period_format_day(day, out, n);
}

static int is_root_path(const char *p)
{
	int slashes = 0;
	for (; p && *p; p++)
		slashes += *p == '/';
	return slashes == 2;
}

/* Parses the shared query parameters (from, to, org_id, handler_org_id,
 * category) into q and the account's scope into q->f. Returns 0, or the
 * status of the error answered (422 with every field error, 403 out of scope).
 * with_period = 0: no from/to (current states); max_days = 0: no limit. */
static int parse_query(struct req *r, struct kq *q, int with_period, int max_days, json_t *fields)
{
	q->f = json_object();
	if (with_period) {
		int64_t today = period_day(app_now());
		q->from = period_month_first(today);
		q->to = period_month_last(today);
		const char *names[] = {"from", "to"};
		int64_t *dst[] = {&q->from, &q->to};
		int bad = 0;
		for (int i = 0; i < 2; i++) {	/* from:date to:date, checked by the dispatcher */
			const char *v = q_text(r, names[i]);
			if (v && period_parse_date(v, dst[i])) {
				field_error(fields, names[i], "invalid", "日期应为 YYYY-MM-DD");
				bad = 1;
			}
		}
		if (!bad && q->from > q->to)
			field_error(fields, "to", "before_from", "结束日期不能早于开始日期");
		else if (!bad && max_days && q->to - q->from + 1 > max_days)
			field_error(fields, "to", "range_too_long", "查询区间最长三年");
	}
	char *org_path = NULL, *handler_path = NULL;
	if (q_has(r, "org_id")) {
		int64_t id = q_int(r, "org_id");
		if (id && !(org_path = store_org_path(id)))
			field_error(fields, "org_id", "not_found", "组织不存在");
	}
	if (q_has(r, "handler_org_id")) {
		int64_t id = q_int(r, "handler_org_id");
		if (id && !(handler_path = store_org_path(id)))
			field_error(fields, "handler_org_id", "not_found", "处置单位不存在");
		else if (id)
			json_object_set_new(q->f, "handler_org_id", json_integer(id));
	}
	if (q_has(r, "category")) {
		json_t *c = store_category_by_code(q_text(r, "category"));
		if (!c)
			field_error(fields, "category", "not_found", "没有这个问题类别");
		else
			json_object_set(q->f, "category_id", json_object_get(c, "id"));
		json_decref(c);
	}
	if (json_array_size(fields)) {
		free(org_path);
		free(handler_path);
		return reply_fields(r, json_incref(fields));
	}
	/* Scope: see the header comment. */
	json_t *op = grant_paths(r, ORG_ROLES), *hp = grant_paths(r, R_HANDLER);
	int all = 0;
	size_t i;
	json_t *v;
	json_array_foreach(op, i, v) all |= is_root_path(json_string_value(v));
	int handler_ok = handler_path && grants_cover(r, R_HANDLER, handler_path);
	int denied = (org_path && !grants_cover(r, ORG_ROLES, org_path) && !handler_ok) ||
		     (handler_path && !handler_ok && json_array_size(op) == 0);
	if (org_path)
		json_object_set_new(q->f, "org_path", json_string(org_path));
	free(org_path);
	free(handler_path);
	if (denied) {
		json_decref(op);
		json_decref(hp);
		return reply_error(r, 403, "forbidden_scope", "无权查看该组织或单位的指标", NULL);
	}
	if (all)
		json_object_set_new(q->f, "scope_all", json_true());
	char *ops = json_dumps(op, JSON_COMPACT), *hps = json_dumps(hp, JSON_COMPACT);
	json_object_set_new(q->f, "scope_org_paths", json_string(ops));
	json_object_set_new(q->f, "scope_handler_paths", json_string(hps));
	free(ops);
	free(hps);
	json_decref(op);
	json_decref(hp);
	return 0;
}

/* Names for the keys: {"id","name","code"?} objects by id. */
static json_t *key_names(const struct kpi_sums *s, size_t n, const char *group)
{
	json_t *ids = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(ids, json_integer(s[i].id));
	json_t *rows = !strcmp(group, "category") ? store_kpi_category_names(ids) : store_kpi_org_names(ids);
	json_decref(ids);
	json_t *by = json_object();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		char k[24];
		snprintf(k, sizeof k, "%lld", (long long)jint(row, "id", 0));
		json_t *key = json_pack("{s:I, s:s?}", "id", (json_int_t)jint(row, "id", 0), "name", jstr(row, "name"));
		if (jstr(row, "code"))
			json_object_set_new(key, "code", json_string(jstr(row, "code")));
		if (jstr(row, "kind"))
			json_object_set_new(key, "kind", json_string(jstr(row, "kind")));
		json_object_set_new(by, k, key);
	}
	json_decref(rows);
	return by;
}

static json_t *key_of(json_t *names, int64_t id)
{
	char k[24];
	snprintf(k, sizeof k, "%lld", (long long)id);
	json_t *v = json_object_get(names, k);
	/* handler 0: problems not (or no longer) dispatched */
	return v ? json_incref(v) : json_pack("{s:I, s:n}", "id", (json_int_t)id, "name");
}

/* The request's parameters: the word-valued one (param, an enum in
 * routes.def, else dflt), then parse_query(). 0, or the status answered
 * (then q->f is released). */
static int parse_request(struct req *r, struct kq *q, const char *param, const char *dflt, const char **word,
			 int with_period, int max_days, json_t *fields)
{
	if (param)
		*word = q_has(r, param) ? q_text(r, param) : dflt;
	int st = parse_query(r, q, with_period, max_days, fields);
	json_decref(fields);
	if (st) {
		json_decref(q->f);
		q->f = NULL;
	}
	return st;
}

/* GET /api/v1/kpis */
int kpis_get(struct req *r)
{
	const char *group;
	struct kq q = {0};
	int st = parse_request(r, &q, "group_by", "none", &group, 1, MAX_DAYS,
			       json_array());
	if (st)
		return st;
	size_t n = 0;
	struct kpi_sums *s = store_kpi_grouped(q.f, q.from, q.to, group, &n);
	json_decref(q.f);
	if (!s)
		return reply_store_error(r, STORE_EIO);
	json_t *names = strcmp(group, "none") ? key_names(s, n, group) : NULL;
	json_t *rows = json_array();
	struct kpi_sums total = {0};
	for (size_t i = 0; i < n; i++) {
		for (int m = 0; m < KPI_NMETRICS; m++)
			total.m[m] += s[i].m[m];
		json_t *row = json_object();
		json_object_set_new(row, "key", names ? key_of(names, s[i].id) : json_null());
		json_array_append_new(rows, metrics(row, &s[i]));
	}
	free(s);
	json_decref(names);
	char f[16], t[16];
	day_str(q.from, f, sizeof f);
	day_str(q.to, t, sizeof t);
	return reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:o, s:o}", "from", f, "to", t, "group_by", group, "rows",
					    rows, "totals", metrics(json_object(), &total)));
}

/* Finds or appends the bucket for key k among n of cap. */
static struct kpi_sums *bucket(struct kpi_sums *b, size_t *n, int64_t k)
{
	for (size_t i = *n; i-- > 0;)
		if (b[i].id == k)
			return &b[i];
	b[*n].id = k;
	return &b[(*n)++];
}

/* GET /api/v1/kpis/trend */
int kpis_trend(struct req *r)
{
	const char *interval;
	struct kq q = {0};
	int st = parse_request(r, &q, "interval", "day", &interval, 1, MAX_DAYS, json_array());
	if (st)
		return st;
	int months = !strcmp(interval, "month");
	size_t nrows = 0;
	struct kpi_sums *rows = store_kpi_series(q.f, q.from, q.to, months, &nrows);
	json_decref(q.f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	/* Buckets keyed by their first day (days, Mondays, months' first days). */
	size_t cap = (size_t)(q.to - q.from + 2), nb = 0;
	struct kpi_sums *b = calloc(cap, sizeof *b);
	if (!b) {
		free(rows);
		return reply_store_error(r, STORE_EIO);
	}
	for (int64_t d = q.from; d <= q.to; d++) {
		int64_t k = months ? period_month_first(d) : !strcmp(interval, "week") ? period_week_monday(d) : d;
		bucket(b, &nb, k);
	}
	for (size_t i = 0; i < nrows; i++) {
		int64_t k = rows[i].id;
		k = months ? period_month_first(k) : !strcmp(interval, "week") ? period_week_monday(k) : k;
		struct kpi_sums *into = bucket(b, &nb, k);
		for (int m = 0; m < KPI_NMETRICS; m++)
			into->m[m] += rows[i].m[m];
	}
	free(rows);
	json_t *points = json_array();
	for (size_t i = 0; i < nb; i++) {
		int64_t first = b[i].id, last;
		char label[16], f[16], t[16];
		if (months) {
			last = period_month_last(first);
			snprintf(label, sizeof label, "%d-%02d", period_month_key(first) / 100, period_month_key(first) % 100);
		} else if (!strcmp(interval, "week")) {
			int y, w;
			period_iso_week(first, &y, &w);
			last = first + 6;
			snprintf(label, sizeof label, "%d-W%02d", y, w);
		} else {
			last = first;
			day_str(first, label, sizeof label);
		}
		day_str(first < q.from ? q.from : first, f, sizeof f);
		day_str(last > q.to ? q.to : last, t, sizeof t);
		json_array_append_new(points, metrics(json_pack("{s:s, s:s, s:s}", "period", label, "from", f, "to", t), &b[i]));
	}
	free(b);
	return reply_json(r, 200, json_pack("{s:s, s:o}", "interval", interval, "points", points));
}

/* GET /api/v1/kpis/states */
int kpis_states(struct req *r)
{
	struct kq q = {0};
	int st = parse_request(r, &q, NULL, NULL, NULL, 0, 0, json_array());
	if (st)
		return st;
	json_t *res = store_kpi_states(q.f, app_now());
	json_decref(q.f);
	if (!res)
		return reply_store_error(r, STORE_EIO);
	/* Every state of the workflow (workflow.c), open = not final. */
	json_t *out = json_object();
	int64_t open = 0;
	for (int i = 0; i < WF_NSTATES; i++) {
		int64_t n = 0;
		size_t j;
		json_t *row;
		json_array_foreach(json_object_get(res, "states"), j, row) {
			if (jstr(row, "state") && !strcmp(jstr(row, "state"), wf_state_name(i)))
				n = jint(row, "n", 0);
		}
		json_object_set_new(out, wf_state_name(i), json_integer(n));
		if (!wf_is_final(i))
			open += n;
	}
	json_t *body = json_pack("{s:o, s:I, s:O}", "states", out, "open", (json_int_t)open, "overdue",
				 json_object_get(res, "overdue"));
	json_decref(res);
	return reply_json(r, 200, body);
}

/* The ranking score (docs/KPI.md): 0..100, a weighted mean of the rates
 * that exist for the org, higher is better; -1 when none exists. */
static double score_of(const struct kpi_sums *s)
{
	const int64_t *m = s->m;
	double num = 0, den = 0;
	struct {
		double w;
		int64_t a, b;
		int invert;
	} parts[] = {
		{30, m[KPI_CLOSED], m[KPI_ACCEPTED], 0}, {30, m[KPI_ON_TIME], m[KPI_DUE], 0}, {15, m[KPI_REWORKS], m[KPI_RECTIFICATIONS], 1},
		{10, m[KPI_RELAPSES], m[KPI_CLOSED], 1}, {15, m[KPI_SAT] + m[KPI_BASIC], m[KPI_SAT] + m[KPI_BASIC] + m[KPI_DISSAT], 0},
	};
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
		if (!parts[i].b)
			continue;
		double x = (double)parts[i].a / (double)parts[i].b;
		if (x > 1)
			x = 1;	/* more closed than accepted in the period: older cases */
		num += parts[i].w * (parts[i].invert ? 1 - x : x);
		den += parts[i].w;
	}
	return den > 0 ? round(num / den * 10000.0) / 100.0 : -1;
}

struct ranked {
	struct kpi_sums s;
	double score;
	int eligible;
};

static int rank_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	if (a->eligible != b->eligible)
		return b->eligible - a->eligible;
	if (a->eligible && a->score != b->score)
		return a->score < b->score ? 1 : -1;
	if (a->eligible && a->s.m[KPI_ACCEPTED] != b->s.m[KPI_ACCEPTED])
		return a->s.m[KPI_ACCEPTED] < b->s.m[KPI_ACCEPTED] ? 1 : -1;
	return a->s.id < b->s.id ? -1 : a->s.id > b->s.id;
}

/* GET /api/v1/rankings */
int rankings_get(struct req *r)
{
	json_t *fields = json_array();
	const char *kind;
	int64_t top = q_int(r, "top"), min_accepted = q_int(r, "min_accepted");	/* declared defaults 3, 5 */
	struct kq q = {0};
	int st = parse_request(r, &q, "kind", "community", &kind, 1, MAX_DAYS, fields);
	if (st)
		return st;
	size_t n = 0;
	struct kpi_sums *s = store_kpi_grouped(q.f, q.from, q.to, !strcmp(kind, "handler") ? "handler" : "community", &n);
	json_decref(q.f);
	if (!s)
		return reply_store_error(r, STORE_EIO);
	json_t *names = key_names(s, n, "org");
	struct ranked *rk = calloc(n + 1, sizeof *rk);
	size_t m = 0;
	for (size_t i = 0; i < n && rk; i++) {
		/* Only 居委 are ranked as communities (problems filed at street
		 * level stay out), and only real units as handlers (0 = none). */
		char k[24];
		snprintf(k, sizeof k, "%lld", (long long)s[i].id);
		json_t *key = json_object_get(names, k);
		if (!key || (!strcmp(kind, "community") && strcmp(jstr(key, "kind") ? jstr(key, "kind") : "", "community")))
			continue;
		rk[m].s = s[i];
		rk[m].score = score_of(&s[i]);
		rk[m].eligible = rk[m].score >= 0 && s[i].m[KPI_ACCEPTED] >= min_accepted;
		m++;
	}
	free(s);
	if (!rk) {
		json_decref(names);
		return reply_store_error(r, STORE_EIO);
	}
	qsort(rk, m, sizeof *rk, rank_cmp);
	size_t eligible = 0;
	while (eligible < m && rk[eligible].eligible)
		eligible++;
	json_t *rows = json_array(), *red = json_array(), *black = json_array();
	int rank = 0;
	for (size_t i = 0; i < m; i++) {
		if (rk[i].eligible && (i == 0 || rk[i].score != rk[i - 1].score))
			rank = (int)i + 1;	/* ties share a rank: 1, 2, 2, 4 */
		json_t *org = key_of(names, rk[i].s.id);
		json_object_del(org, "code");
		json_object_del(org, "kind");
		json_t *row = json_pack("{s:o, s:b, s:o, s:o}", "rank", rk[i].eligible ? json_integer(rank) : json_null(),
					"eligible", rk[i].eligible, "org", org, "score",
					rk[i].score >= 0 ? json_real(rk[i].score) : json_null());
		json_array_append_new(rows, metrics(row, &rk[i].s));
	}
	size_t nred = eligible < 2 * (size_t)top ? (eligible + 1) / 2 : (size_t)top;
	size_t nblack = eligible - nred < (size_t)top ? eligible - nred : (size_t)top;
	for (size_t i = 0; i < nred; i++)
		json_array_append(red, json_array_get(rows, i));
	for (size_t i = 0; i < nblack; i++)	/* worst first */
		json_array_append(black, json_array_get(rows, eligible - 1 - i));
	free(rk);
	json_decref(names);
	char f[16], t[16];
	day_str(q.from, f, sizeof f);
	day_str(q.to, t, sizeof t);
	return reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o}", "kind", kind, "from", f, "to", t,
					    "min_accepted", (json_int_t)min_accepted, "top", (json_int_t)top, "rows",
					    rows, "red", red, "black", black));
}

/* GET /api/v1/kpis/check: recomputes the roll-ups from the raw tables and
 * lists what differs (an operator's tool and the tests' oracle). */
int kpis_check(struct req *r)
{
	struct kq q = {0};
	int st = parse_request(r, &q, NULL, NULL, NULL, 1, 0, json_array());
	json_decref(q.f);
	if (st)
		return st;
	json_t *diff = store_kpi_check(q.from, q.to);
	if (!diff)
		return reply_store_error(r, STORE_EIO);
	char f[16], t[16];
	day_str(q.from, f, sizeof f);
	day_str(q.to, t, sizeof t);
	return reply_json(r, 200, json_pack("{s:s, s:s, s:b, s:o}", "from", f, "to", t, "ok", json_array_size(diff) == 0,
					    "mismatches", diff));
}
