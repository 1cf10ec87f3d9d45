/*
 * target_metrics.c — the catalogue of what a target item can be measured by
 * and the live progress of an item (targets.h). Every figure is computed
 * when asked, for the year to date (1 January to today, or to 31 December
 * of a past year), over the org's subtree:
 *   on_time_rate, problems_closed  the KPI roll-ups (store_kpi_grouped, the
 *                                  code behind GET /api/v1/kpis, so a letter
 *                                  and the KPI page never disagree);
 *   volunteers_registered          approved volunteers today (a standing
 *                                  figure, not a count of the year's joins);
 *   service_hours                  approved service records dated in the year;
 *   meetings_held                  party meetings held in the year;
 *   good_deeds_verified            verified good deeds that happened in the year;
 *   awareness_rate                 知晓率: the product has no surveys yet, so the
 *                                  value is entered by staff (with who and when);
 *   text                           a free commitment marked done by staff.
 */
#include "api.h"
#include "api/targets.h"
#include "core/period.h"
#include "store/targets_sql.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct target_metric metrics[] = {
	{"on_time_rate", "问题按期结案率", "rate", "kpi"},
	{"problems_closed", "问题结案数", "count", "kpi"},
	{"volunteers_registered", "注册志愿者人数", "count", "records"},
	{"service_hours", "志愿服务时长（小时）", "hours", "records"},
	{"meetings_held", "组织生活会议次数", "count", "records"},
	{"good_deeds_verified", "好人好事（已核实）", "count", "records"},
	{"awareness_rate", "创建知晓率", "rate", "manual"},
	{"text", "工作承诺", "text", "staff"},
};
#define NMETRICS (sizeof metrics / sizeof metrics[0])

const struct target_metric *target_metric_find(const char *code)
{
	for (size_t i = 0; code && i < NMETRICS; i++)
		if (!strcmp(metrics[i].code, code))
			return &metrics[i];
	return NULL;
}

json_t *target_metrics_json(void)
{
	json_t *a = json_array();
	for (size_t i = 0; i < NMETRICS; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "code", metrics[i].code, "name",
						   metrics[i].name, "unit", metrics[i].unit, "source", metrics[i].source));
	return a;
}

/* The same rounding as the KPI API's rates (kpis.c). */
static json_t *rate(int64_t num, int64_t den)
{
	return den ? json_real(round((double)num / (double)den * 10000.0) / 10000.0) : json_null();
}

/* KPI figures: {value, sample} of on_time_rate (sample = due) or closed. */
static int kpi_figure(const char *code, const char *path, int64_t d1, int64_t d2, json_t *p)
{
	json_t *f = json_pack("{s:s, s:b, s:s, s:s}", "org_path", path, "scope_all", 1, "scope_org_paths", "[]",
			      "scope_handler_paths", "[]");
	size_t n = 0;
	struct kpi_sums *s = store_kpi_grouped(f, d1, d2, "none", &n);
	json_decref(f);
	if (!s)
		return STORE_EIO;
	struct kpi_sums t = {0};
	for (size_t i = 0; i < n; i++)
		for (int m = 0; m < KPI_NMETRICS; m++)
			t.m[m] += s[i].m[m];
	free(s);
	if (!strcmp(code, "on_time_rate")) {
		json_object_set_new(p, "value", rate(t.m[KPI_ON_TIME], t.m[KPI_DUE]));
		json_object_set_new(p, "numerator", json_integer(t.m[KPI_ON_TIME]));
		json_object_set_new(p, "sample", json_integer(t.m[KPI_DUE]));
	} else {
		json_object_set_new(p, "value", json_integer(t.m[KPI_CLOSED]));
		json_object_set_new(p, "sample", json_integer(t.m[KPI_CLOSED]));
	}
	return 0;
}

/* Record figures (see the header comment). */
static int record_figure(const char *code, const char *path, const char *from, const char *to, json_t *p)
{
	int64_t n = 0;
	if (!strcmp(code, "service_hours")) {
		double h = 0;
		if (store_fig_hours(path, from, to, &h, &n))
			return STORE_EIO;
		json_object_set_new(p, "value", json_real(round(h * 100.0) / 100.0));
		json_object_set_new(p, "sample", json_integer(n));
		return 0;
	}
	n = !strcmp(code, "volunteers_registered") ? store_fig_volunteers(path)
	  : !strcmp(code, "meetings_held") ? store_fig_meetings(path, from, to)
	  : store_fig_good_deeds(path, from, to);
	if (n < 0)
		return STORE_EIO;
	json_object_set_new(p, "value", json_integer(n));
	json_object_set_new(p, "sample", json_integer(n));
	return 0;
}

static void set_met(json_t *p, const json_t *item, const struct target_metric *m)
{
	int met;
	if (!strcmp(m->unit, "text")) {
		met = json_is_true(json_object_get(item, "done"));
	} else {
		json_t *v = json_object_get(p, "value"), *g = json_object_get(item, "goal");
		met = json_is_number(v) && json_is_number(g) && json_number_value(v) + 1e-9 >= json_number_value(g);
	}
	json_object_set_new(p, "met", json_boolean(met));
}

json_t *target_item_progress(const json_t *item, const char *org_path, int year, int64_t now)
{
	const struct target_metric *m = target_metric_find(jstr(item, "metric"));
	if (!m)
		return NULL;
	char from[16], to[16];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	int64_t d1 = 0, d2 = 0, today = period_day(now);
	period_parse_date(from, &d1);
	period_parse_date(to, &d2);
	if (today < d2)
		d2 = today;
	period_format_day(d2, to, sizeof to);
	json_t *p = json_pack("{s:s, s:s, s:s}", "unit", m->unit, "source", m->source, "from", from);
	json_object_set_new(p, "to", d2 >= d1 ? json_string(to) : json_null());	/* a future year: nothing yet */
	json_object_set(p, "goal", json_object_get(item, "goal") ? json_object_get(item, "goal") : json_null());
	int rc = 0;
	if (!strcmp(m->source, "kpi") && d2 >= d1)
		rc = kpi_figure(m->code, org_path, d1, d2, p);
	else if (!strcmp(m->source, "records") && d2 >= d1)
		rc = record_figure(m->code, org_path, from, to, p);
	else if (!strcmp(m->source, "manual"))
		json_object_set(p, "value", json_object_get(item, "manual_value"));
	if (rc) {
		json_decref(p);
		return NULL;
	}
	if (!json_object_get(p, "value"))
		json_object_set_new(p, "value", json_null());
	if (!strcmp(m->code, "volunteers_registered"))	/* a standing count, as of today */
		json_object_set_new(p, "from", json_null());
	set_met(p, item, m);
	return p;
}

int targets_summary(int64_t org_id, int year, int *met, int *total)
{
	*met = *total = 0;
	json_t *t = store_target_find(org_id, year);
	if (!t)
		return STORE_ENOTFOUND;
	json_t *items = store_target_items(jint(t, "id", 0));
	int rc = items ? 0 : STORE_EIO;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		json_t *p = target_item_progress(it, jstr(t, "org_path"), year, app_now());
		if (!p) {
			rc = STORE_EIO;
			break;
		}
		(*total)++;
		*met += json_is_true(json_object_get(p, "met"));
		json_decref(p);
	}
	json_decref(items);
	json_decref(t);
	return rc;
}
