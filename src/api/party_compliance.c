/*
 * party_compliance.c — the 三会一课 compliance view and its reminders
 * (docs/PARTY.md). The rules (which meeting type, per month or quarter, at
 * least how many) are one editable setting; the view counts held meetings
 * per org and period and colours each cell with core/compliance.c against
 * "today" from the injectable clock. Rules of type group_meeting apply to
 * 党小组 (subkind party_group), the others to 党支部 (party_branch); every
 * other party org in view (党总支, 党委, 党工委) gets a roll-up of the
 * cells of the branches and groups under it.
 */
#include "party_meetings.h"
#include "core/compliance.h"
#include "core/period.h"
#include "store/party_meetings.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULES_KEY "party_compliance_rules"
static const char *const rule_types[] = {"member_meeting", "committee_meeting", "group_meeting", "lecture",
					 "theme_day"};
#define NRULES 5

/* The defaults: 党员大会 quarterly, 支委会 and 党小组会 monthly, 党课
 * quarterly, 主题党日 monthly (on the 5th, 党员日); a reminder 7 days before
 * a period closes unmet. */
static json_t *rules_default(void)
{
	return json_pack("{s:i, s:{s:{s:s,s:i}, s:{s:s,s:i}, s:{s:s,s:i}, s:{s:s,s:i}, s:{s:s,s:i,s:i}}}", "remind_days", 7,
			 "rules", "member_meeting", "period", "quarter", "min", 1, "committee_meeting", "period", "month",
			 "min", 1, "group_meeting", "period", "month", "min", 1, "lecture", "period", "quarter", "min", 1,
			 "theme_day", "period", "month", "min", 1, "day", 5);
}

static json_t *rules_load(void)
{
	char *s = store_setting_get(RULES_KEY);
	json_t *v = s ? json_loads(s, 0, NULL) : NULL;
	free(s);
	return json_is_object(v) ? v : (json_decref(v), rules_default());
}

int compliance_rules_get(struct req *r)
{
	return reply_json(r, 200, rules_load());
}

/* One rule {period, min[, day]}: 0 when valid. */
static int rule_valid(const json_t *v)
{
	const char *p = jstr(v, "period");
	json_t *min = json_object_get(v, "min"), *day = json_object_get(v, "day");
	size_t want = 2 + (day != NULL);
	return json_is_object(v) && json_object_size(v) == want && p && word_in_list("month quarter", p) &&
	       json_is_integer(min) && json_integer_value(min) >= 0 && json_integer_value(min) <= 10 &&
	       (!day || (json_is_integer(day) && json_integer_value(day) >= 1 && json_integer_value(day) <= 28)) ? 0 : -1;
}

int compliance_rules_put(struct req *r)
{
	static const struct fspec spec[] = {
		{"remind_days", F_INT, F_REQ, 0, 60}, {"rules", F_OBJ, F_REQ, 0, 0}, {NULL, 0, 0, 0, 0}};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	json_t *rules = json_object_get(r->json, "rules");
	if (json_is_object(rules)) {
		for (int i = 0; i < NRULES; i++)
			if (rule_valid(json_object_get(rules, rule_types[i])))
				field_error(fields, "rules", "invalid",
					    "每类会议应为 {\"period\":\"month|quarter\",\"min\":0–10[,\"day\":1–28]}，五类都要给出");
		if (json_object_size(rules) != NRULES && !json_array_size(fields))
			field_error(fields, "rules", "invalid", "只能包含五类会议");
	}
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	json_t *before = rules_load();
	char *text = json_dumps(r->json, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = text ? store_setting_set(RULES_KEY, text) : STORE_EIO;
	free(text);
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	audit(r, "update", "party_compliance_rules", 0, before, json_incref(r->json));
	return reply_json(r, 200, rules_load());
}

static int applies(const char *type, const char *subkind)
{
	if (!subkind)
		return 0;
	return !strcmp(type, "group_meeting") ? !strcmp(subkind, "party_group") : !strcmp(subkind, "party_branch");
}

static int rule_months(const json_t *rule)
{
	return !strcmp(jstr(rule, "period") ? jstr(rule, "period") : "", "quarter") ? COMP_QUARTER : COMP_MONTH;
}

/* Held meetings of the year counted per "org:type:period index". */
static json_t *held_counts(int year, json_t *rules)
{
	char from[16], to[16], key[64];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	json_t *rows = store_meetings_held(from, to), *out = json_object(), *v;
	size_t i;
	json_array_foreach(rows, i, v) {
		json_t *rule = json_object_get(rules, jstr(v, "type"));
		int month = atoi(jstr(v, "held_on") + 5) - 1;
		snprintf(key, sizeof key, "%lld:%s:%d", (long long)jint(v, "org_id", 0), jstr(v, "type"),
			 month / rule_months(rule));
		json_object_set_new(out, key, json_integer(jint(out, key, 0) + 1));
	}
	json_decref(rows);
	return out;
}

/* The cells of one org for the year: one per applicable rule and period. */
static json_t *org_cells(const json_t *org, json_t *rules, json_t *held, int year, int64_t today, int remind_days,
			 int *counts)
{
	json_t *cells = json_array();
	for (int t = 0; t < NRULES; t++) {
		json_t *rule = json_object_get(rules, rule_types[t]);
		int min = (int)jint(rule, "min", 0), months = rule_months(rule);
		if (!rule || min <= 0 || !applies(rule_types[t], jstr(org, "subkind")))
			continue;
		for (int p = 0; p < comp_periods(months); p++) {
			int64_t first, last;
			char key[64], pk[16], d1[16], d2[16];
			comp_period(year, months, p, &first, &last);
			snprintf(key, sizeof key, "%lld:%s:%d", (long long)jint(org, "id", 0), rule_types[t], p);
			int n = (int)jint(held, key, 0);
			enum comp_status s = comp_status(first, last, today, n, min);
			counts[s]++;
			comp_period_key(year, months, p, pk, sizeof pk);
			period_format_day(first, d1, sizeof d1);
			period_format_day(last, d2, sizeof d2);
			json_array_append_new(cells, json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:b}", "rule", rule_types[t],
							       "period", pk, "first", d1, "last", d2, "required", min,
							       "held", n, "status", comp_status_name(s), "closing",
							       comp_remind_due(first, last, today, n, min, remind_days)));
		}
	}
	return cells;
}

static json_t *counts_json(const int *c)
{
	return json_pack("{s:i, s:i, s:i, s:i}", "grey", c[COMP_GREY], "green", c[COMP_GREEN], "amber", c[COMP_AMBER], "red",
			 c[COMP_RED]);
}

static int is_unit(const json_t *o)
{
	const char *sk = jstr(o, "subkind");
	return sk && (!strcmp(sk, "party_branch") || !strcmp(sk, "party_group"));
}

static int under(const char *path, const char *root)
{
	return path && root && !strncmp(path, root, strlen(root));
}

/* Does the branch or group row count for the roll-up of org o? When it lies
 * under o; and when no party org of the view lies above it (a 党支部 filed
 * under its compound, not under a 党总支), the 党总支 of the same parent
 * (the community) takes it. */
static int rolls_up_to(const json_t *row, const json_t *o, const json_t *orgs)
{
	const char *path = jstr(row, "path"), *op = jstr(o, "path");
	if (under(path, op))
		return 1;
	const char *sk = jstr(o, "subkind");
	if (!sk || strcmp(sk, "party_general_branch") || !op)
		return 0;
	size_t i, n = strlen(op);
	json_t *a;
	json_array_foreach(orgs, i, a) if (!is_unit(a) && under(path, jstr(a, "path"))) return 0;
	/* o's parent path: up to the slash before o's own id. */
	while (n > 1 && op[n - 2] != '/')
		n--;
	return n > 1 && !strncmp(path, op, n - 1);
}

/* The whole view over the party orgs `orgs` (by path). */
static json_t *compliance_build(json_t *orgs, int year, int64_t now)
{
	json_t *cfg = rules_load(), *rules = json_object_get(cfg, "rules");
	int remind = (int)jint(cfg, "remind_days", 7);
	int64_t today = period_day(now);
	json_t *held = held_counts(year, rules), *rows = json_array(), *rollup = json_array(), *o;
	size_t i, j;
	json_array_foreach(orgs, i, o) {
		int c[4] = {0};
		json_t *cells = org_cells(o, rules, held, year, today, remind, c);
		if (!json_array_size(cells)) {
			json_decref(cells);
			continue;
		}
		json_array_append_new(rows, json_pack("{s:O, s:O, s:O, s:O, s:O, s:o, s:o}", "id", json_object_get(o, "id"), "name",
						      json_object_get(o, "name"), "subkind", json_object_get(o, "subkind"),
						      "parent_id", json_object_get(o, "parent_id"), "path", json_object_get(o, "path"),
						      "cells", cells, "counts", counts_json(c)));
	}
	/* Roll-up: every other org in view over the branch and group rows under it. */
	json_array_foreach(orgs, i, o) {
		if (is_unit(o))
			continue;
		int c[4] = {0}, n = 0;
		json_t *row;
		json_array_foreach(rows, j, row) {
			if (!rolls_up_to(row, o, orgs))
				continue;
			n++;
			json_t *rc = json_object_get(row, "counts");
			c[COMP_GREY] += (int)jint(rc, "grey", 0), c[COMP_GREEN] += (int)jint(rc, "green", 0);
			c[COMP_AMBER] += (int)jint(rc, "amber", 0), c[COMP_RED] += (int)jint(rc, "red", 0);
		}
		if (n)
			json_array_append_new(rollup, json_pack("{s:O, s:O, s:O, s:i, s:o}", "id", json_object_get(o, "id"), "name",
								json_object_get(o, "name"), "subkind", json_object_get(o, "subkind"),
								"orgs", n, "counts", counts_json(c)));
	}
	json_array_foreach(rows, i, o) json_object_del(o, "path");
	char d[16];
	period_format_day(today, d, sizeof d);
	json_t *out = json_pack("{s:i, s:s, s:O, s:i, s:o, s:o}", "year", year, "today", d, "rules", rules, "remind_days",
				remind, "orgs", rows, "rollup", rollup);
	json_decref(held);
	json_decref(cfg);
	return out;
}

int compliance_get(struct req *r)
{
	int64_t now = app_now();
	char d[16];
	period_format_day(period_day(now), d, sizeof d);
	int year = q_has(r, "year") ? (int)q_int(r, "year") : atoi(d);
	json_t *f = json_object();
	if (q_has(r, "org_id")) {
		int64_t org = q_int(r, "org_id");
		json_t *o = store_org_get(org);
		int ok = o && jstr(o, "kind") && !strcmp(jstr(o, "kind"), "party_org") && scope_covers(r, org);
		json_decref(o);
		if (!ok) {
			json_decref(f);
			return reply_error(r, 404, "not_found", "党组织不存在", NULL);
		}
		json_object_set_new(f, "org_id", json_integer(org));
	}
	json_t *orgs = store_meeting_orgs(scope_filter(r, f));
	json_decref(f);
	if (!orgs)
		return reply_store_error(r, STORE_EIO);
	json_t *out = compliance_build(orgs, year, now);
	json_decref(orgs);
	return reply_json(r, 200, out);
}

static const char *const type_names[] = {"党员大会", "支委会", "党小组会", "党课", "主题党日"};

/* One reminder: the org's secretaries and the 居委 of the community above. */
static int remind(const json_t *org, const json_t *cell, int t, int64_t now)
{
	char body[400];
	snprintf(body, sizeof body, "%s：%s 期间（%s 至 %s）应召开%s %lld 次，已召开 %lld 次，请在期末前安排。",
		 jstr(org, "name"), jstr(cell, "period"), jstr(cell, "first"), jstr(cell, "last"), type_names[t],
		 (long long)jint(cell, "required", 0), (long long)jint(cell, "held", 0));
	json_t *n = json_pack("{s:s, s:s, s:s, s:I}", "kind", "party_compliance", "title", "三会一课提醒：期末将至", "body", body,
			      "created_at", (json_int_t)now);
	int64_t org_id = jint(org, "id", 0), comm = store_community_of(org_id);
	int rc = store_notify_role_on("party", org_id, n);
	if (!rc && comm > 0)
		rc = store_notify_role_on("committee", comm, n);
	json_decref(n);
	return rc;
}

/* Cells of one org that need a reminder now: claims the key, then sends. */
static int remind_org(const json_t *org, json_t *cells, int64_t now, int *sent)
{
	size_t j;
	json_t *cell;
	json_array_foreach(cells, j, cell) {
		if (!jbool(cell, "closing", 0))
			continue;
		int t = 0;
		while (t < NRULES && strcmp(rule_types[t], jstr(cell, "rule")))
			t++;
		int fresh = store_compliance_reminder_claim(jint(org, "id", 0), jstr(cell, "rule"), jstr(cell, "period"), now);
		if (fresh < 0)
			return fresh;
		if (fresh && t < NRULES) {
			int rc = remind(org, cell, t, now);
			if (rc)
				return rc;
			(*sent)++;
		}
	}
	return STORE_OK;
}

int meetings_tick(int64_t now, int *sent)
{
	*sent = 0;
	char d[16];
	period_format_day(period_day(now), d, sizeof d);
	int rc = store_begin();
	if (rc)
		return rc;
	json_t *orgs = store_meeting_orgs(NULL), *view = orgs ? compliance_build(orgs, atoi(d), now) : NULL, *row;
	size_t i;
	rc = view ? STORE_OK : STORE_EIO;
	json_array_foreach(json_object_get(view, "orgs"), i, row) {
		if ((rc = remind_org(row, json_object_get(row, "cells"), now, sent)))
			break;
	}
	json_decref(orgs);
	json_decref(view);
	if (rc) {
		store_rollback();
		return rc;
	}
	return store_commit();
}
