/*
 * inspections.c — an inspection of a site against a version of its type's
 * checklist (SPEC §4): kind, inspectors, start and end, GPS, one result per
 * item (pass/fail or A/B/C/C#, or N/A) with notes and photos, and the score
 * rate (core/scoring.c). Submitting raises one problem per failed item
 * through the same code as POST /api/v1/problems (problem_check and
 * problem_insert in problems.c), in the request's one transaction: every
 * report is checked before anything is written, and any error answer rolls
 * the whole submission back (dispatch.c), so a failure part-way leaves no
 * inspection and no problem.
 *
 * Who may inspect a site: office, committee and inspector grants covering
 * the site's community; in a round (咬尾巴, round_pair_id) only grants
 * covering the pair's inspecting org, for a site in the pair's inspected org
 * — so the inspected 居委 cannot grade itself.
 */
#include "sites.h"
#include "core/scoring.h"
#include "core/timefmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INSPECT_ROLES (R_OFFICE | R_COMMITTEE | R_INSPECTOR)

static const char *const kinds =
	"self_check supervision covert citizen_patrol cross_inspection mock_evaluation revisit joint_enforcement";
static const char *const time_keys[] = {"started_at", "ended_at", "created_at", NULL};

static int inspection_visible(struct req *r, const json_t *n)
{
	return grants_cover(r, SITE_VIEW_ROLES, jstr(n, "org_path")) || grants_cover(r, R_HANDLER, jstr(n, "unit_path")) ||
	       grants_cover(r, INSPECT_ROLES, jstr(n, "inspector_path"));
}

static json_t *inspection_view(json_t *n)
{
	render_location(n);
	render_times(n, time_keys);
	json_object_del(n, "org_path");
	json_object_del(n, "unit_path");
	json_object_del(n, "inspector_path");
	return n;
}

static int64_t time_field(const json_t *in, const char *key, int64_t dflt, json_t *fields)
{
	const char *s = jstr(in, key);
	int64_t t;
	if (!s)
		return dflt;
	if (time_parse(s, 0, &t)) {
		field_error(fields, key, "invalid", "应为 RFC 3339 时间");
		return dflt;
	}
	return t;
}

/* Photo ids must be the caller's own uploads. */
static void own_photos(struct req *r, const json_t *photos, const char *field, json_t *fields)
{
	size_t i;
	json_t *v;
	json_array_foreach(photos, i, v) {
		json_t *ph = json_is_integer(v) ? store_photo_get(json_integer_value(v)) : NULL;
		int ok = ph && jint(ph, "uploader_id", 0) == r->account_id;
		json_decref(ph);
		if (!ok) {
			field_error(fields, field, "invalid", "照片不存在或不是本人上传的");
			return;
		}
	}
}

/* Copies the field errors of sub into fields with a prefix. */
static void prefixed(json_t *fields, json_t *sub, const char *prefix)
{
	size_t k;
	json_t *e;
	json_array_foreach(sub, k, e) {
		char name[96];
		snprintf(name, sizeof name, "%s%s", prefix, jstr(e, "field") ? jstr(e, "field") : "");
		field_error(fields, name, jstr(e, "code"), jstr(e, "message"));
	}
}

/* The report a failed item raises. */
static json_t *report_for(const json_t *site, const json_t *item, const json_t *res, const json_t *loc, const char *kind)
{
	static const struct {
		const char *kind, *name;
	} names[] = {{"self_check", "自查"}, {"supervision", "督查"}, {"covert", "暗访"}, {"citizen_patrol", "市民巡访"},
		     {"cross_inspection", "交叉检查"}, {"mock_evaluation", "模拟测评"}, {"revisit", "回头看"},
		     {"joint_enforcement", "联合执法"}};
	const char *kname = kind;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(names[i].kind, kind))
			kname = names[i].name;
	char desc[2048];
	const char *note = jstr(res, "note");
	snprintf(desc, sizeof desc, "【%s】%s：%s%s%s", kname, jstr(site, "name"), jstr(item, "text"),
		 note && *note ? "。" : "", note && *note ? note : "");
	json_t *in = json_pack("{s:s, s:s, s:I, s:I, s:s, s:O}", "category",
			       jstr(item, "category") ? jstr(item, "category") : "C18", "description", desc, "site_id",
			       (json_int_t)jint(site, "id", 0), "org_id", (json_int_t)jint(site, "org_id", 0), "source",
			       "inspection", "photos", json_object_get(res, "photos") ? json_object_get(res, "photos") : json_null());
	if (!json_is_array(json_object_get(in, "photos")))
		json_object_set_new(in, "photos", json_array());
	if (json_is_object(loc))
		json_object_set_new(in, "location", json_deep_copy(loc));
	return in;
}

/* A submission while it is checked and written: what inspections_create's
 * steps share. submission_free() releases it. */
struct submission {
	const json_t *in;	/* the body (r->json) */
	const char *kind;
	int64_t now, pair_id, started, ended;
	json_t *site, *pair, *cl;	/* the site, the round pair, the checklist version */
	const json_t *loc;
	json_t *items;		/* the version's items */
	size_t nitems;
	json_t **by_item;	/* the result given for each item */
	struct score_item *sc;
	json_t *reports;	/* [{"k","in"}]: the problem each failed item raises */
};

static void submission_free(struct submission *s)
{
	free(s->by_item);
	free(s->sc);
	json_decref(s->reports);
	json_decref(s->items);
	json_decref(s->cl);
	json_decref(s->site);
	json_decref(s->pair);
}

/* The site and the round pair; in a round only the pair's inspecting org
 * grades: the inspected 居委 must not grade itself (its own grant covers the
 * site). 0, or the status of the 403/404 answered. */
static int check_site_pair(struct req *r, struct submission *s, json_t *fields)
{
	int64_t site_id = jint(s->in, "site_id", 0);
	s->site = site_id ? store_site_get(site_id) : NULL;
	if (site_id && (!s->site || !jbool(s->site, "active", 1))) {
		field_error(fields, "site_id", "not_found", "点位不存在或已停用");
		json_decref(s->site);
		s->site = NULL;
	}
	/* Scope: the site's community, or the inspecting org of a round pair. */
	s->pair_id = jint(s->in, "round_pair_id", 0);
	if (s->pair_id) {
		json_t *pair = s->pair = store_round_pair_get(s->pair_id);
		if (!pair)
			field_error(fields, "round_pair_id", "not_found", "检查轮次中没有这一组");
		else if (strcmp(jstr(pair, "round_state"), "open"))
			field_error(fields, "round_pair_id", "closed", "该检查轮次已结束");
		else if (s->site && strncmp(jstr(s->site, "org_path"), jstr(pair, "inspected_path"),
					    strlen(jstr(pair, "inspected_path"))))
			field_error(fields, "round_pair_id", "wrong_site", "该点位不属于这一组的被检查单位");
	}
	if (s->site && s->pair && !grants_cover(r, INSPECT_ROLES, jstr(s->pair, "inspector_path")))
		return site_visible(r, s->site)
			       ? reply_error(r, 403, "not_inspector", "只有这一组的检查单位可以提交本轮检查", NULL)
			       : reply_error(r, 404, "not_found", "点位不存在或无权查看", NULL);
	if (s->site && !grants_cover(r, INSPECT_ROLES, jstr(s->site, "org_path")) &&
	    !(s->pair && grants_cover(r, INSPECT_ROLES, jstr(s->pair, "inspector_path"))))
		return site_visible(r, s->site)
			       ? reply_error(r, 403, "forbidden_scope", "只能检查本辖区的点位，或本组织在检查轮次中负责的点位", NULL)
			       : reply_error(r, 404, "not_found", "点位不存在或无权查看", NULL);
	return 0;
}

/* The checklist version (as answered, or the current one), the times, the
 * location and the joint-enforcement fields. */
static void check_header(struct submission *s, json_t *fields)
{
	const json_t *in = s->in;
	if (s->site) {
		if (jint(in, "checklist_id", 0)) {
			s->cl = store_checklist_get(jint(in, "checklist_id", 0));
			if (!s->cl || jint(s->cl, "site_type_id", -1) != jint(s->site, "site_type_id", 0)) {
				field_error(fields, "checklist_id", "invalid", "测评指标版本与点位类型不符");
				json_decref(s->cl);
				s->cl = NULL;
			}
		} else if (!(s->cl = store_checklist_version(jint(s->site, "site_type_id", 0), 0)))
			field_error(fields, "site_id", "no_checklist", "该点位类型没有测评指标");
	}
	s->started = time_field(in, "started_at", s->now, fields);
	s->ended = time_field(in, "ended_at", s->now, fields);
	if (s->started > s->ended)
		field_error(fields, "ended_at", "invalid", "结束时间早于开始时间");
	if (s->ended > s->now + 600)
		field_error(fields, "ended_at", "invalid", "结束时间不能晚于现在");
	s->loc = json_object_get(in, "location");
	check_latlng(s->loc, "location", fields);
	if (jint(in, "notices", 0) && s->kind && strcmp(s->kind, "joint_enforcement"))
		field_error(fields, "notices", "invalid", "只有联合执法检查开具整改通知单");
	if (jint(in, "confiscated", 0) && s->kind && strcmp(s->kind, "joint_enforcement"))
		field_error(fields, "confiscated", "invalid", "只有联合执法检查记录收缴物品");
}

/* One result for item k of the version: its grade, its photos, and for a
 * failed item the problem it raises (checked like POST /problems). */
static void check_item_result(struct req *r, struct submission *s, size_t k, json_t *res, json_t *sub)
{
	s->by_item[k] = res;
	json_t *item = json_array_get(s->items, k);
	int g = jstr(res, "result") ? grade_parse(jstr(item, "grading"), jstr(res, "result")) : G_NA;
	if (jstr(res, "result") && g < 0)
		field_error(sub, "result", "invalid", !strcmp(jstr(item, "grading"), "abc")
							 ? "该条目按 A/B/C/C# 评分（或 na）"
							 : "该条目结果应为 pass、fail 或 na");
	s->sc[k].weight = json_real_value(json_object_get(item, "weight"));
	if (s->sc[k].weight <= 0)
		s->sc[k].weight = (double)jint(item, "weight", 1);
	s->sc[k].grade = g < 0 ? G_NA : g;
	json_t *photos = json_object_get(res, "photos");
	if (json_is_array(photos))
		own_photos(r, photos, "photos", sub);
	if (g < 0 || !grade_failed(g))
		return;
	if (jbool(item, "photo_required", 0) && json_array_size(photos) == 0)
		field_error(sub, "photos", "required", "该条目不合格时须拍照");
	if (!json_array_size(sub)) {
		json_t *rep = report_for(s->site, item, res, s->loc, s->kind ? s->kind : "");
		json_t *psub = json_array();
		problem_check(r, rep, psub);
		prefixed(sub, psub, "problem.");
		json_decref(psub);
		json_array_append_new(s->reports, json_pack("{s:I, s:o}", "k", (json_int_t)k, "in", rep));
	}
}

/* Results: one per item of the version, each valid for its grading. */
static void check_results(struct req *r, struct submission *s, json_t *fields)
{
	static const struct fspec res_spec[] = {
		{"item_id", F_INT, F_REQ, 1, INT64_MAX},
		{"result", F_STR, F_REQ, 1, 4},
		{"note", F_STR, F_NULL, 0, 1000},
		{"photos", F_ARR, 0, 0, 9},
		{NULL, 0, 0, 0, 0},
	};
	s->items = s->cl ? store_checklist_items(jint(s->cl, "id", 0)) : json_array();
	s->nitems = json_array_size(s->items);
	s->by_item = calloc(s->nitems ? s->nitems : 1, sizeof *s->by_item);
	s->sc = calloc(s->nitems ? s->nitems : 1, sizeof *s->sc);
	s->reports = json_array();
	json_t *results = json_object_get(s->in, "results");
	size_t i, nitems = s->nitems;
	json_t *res;
	json_array_foreach(results, i, res) {
		char prefix[32];
		snprintf(prefix, sizeof prefix, "results[%zu].", i);
		json_t *sub = json_array();
		json_check(res, res_spec, sub);
		int64_t item_id = jint(res, "item_id", 0);
		size_t k = nitems;
		for (size_t j = 0; j < nitems; j++)
			if (jint(json_array_get(s->items, j), "id", 0) == item_id)
				k = j;
		if (item_id && s->cl && k == nitems)
			field_error(sub, "item_id", "invalid", "不是该版本测评指标中的条目");
		else if (k < nitems && s->by_item[k])
			field_error(sub, "item_id", "duplicate", "同一条目只能有一个结果");
		else if (k < nitems)
			check_item_result(r, s, k, res, sub);
		prefixed(fields, sub, prefix);
		json_decref(sub);
	}
	for (size_t j = 0; j < nitems && json_is_array(results); j++)
		if (!s->by_item[j]) {
			char name[48];
			snprintf(name, sizeof name, "results.item_%lld", (long long)jint(json_array_get(s->items, j), "id", 0));
			field_error(fields, name, "required", "每个条目都要有结果（不适用请选 na）");
		}
}

/* The numbers of the 整改通知单 issued, from this year's counter; *rc a
 * STORE_* code when the counter's write failed. */
static json_t *notice_numbers(int64_t now, int64_t count, int *rc)
{
	json_t *notices = json_array();
	int year = ymd_of(now) / 10000;
	*rc = 0;
	for (int64_t n = 0; n < count && !*rc; n++) {
		char counter[32], num[48];
		snprintf(counter, sizeof counter, "notice:%d", year);
		int64_t seq = store_counter_next(counter);
		if (seq < 0)	/* the counter's write failed (a STORE_* code) */
			*rc = (int)seq;
		snprintf(num, sizeof num, "整改通知单 %d-%04lld", year, (long long)seq);
		json_array_append_new(notices, json_string(num));
	}
	return notices;
}

/* The inspections row to write (takes notices). */
static json_t *inspection_row(struct req *r, const struct submission *s, int rated, double rate, json_t *notices)
{
	const json_t *in = s->in;
	json_t *row = json_pack("{s:I, s:I, s:I, s:s, s:I, s:I, s:I, s:I, s:i, s:I, s:I}", "site_id",
				(json_int_t)jint(s->site, "id", 0), "org_id", (json_int_t)jint(s->site, "org_id", 0),
				"checklist_id", (json_int_t)jint(s->cl, "id", 0), "kind", s->kind, "started_at",
				(json_int_t)s->started, "ended_at", (json_int_t)s->ended, "confiscated",
				(json_int_t)jint(in, "confiscated", 0), "created_by", (json_int_t)r->account_id, "failed",
				(int)json_array_size(s->reports), "created_at", (json_int_t)s->now, "round_pair_id",
				(json_int_t)s->pair_id);
	if (!s->pair_id)
		json_object_set_new(row, "round_pair_id", json_null());
	else
		json_object_set(row, "inspector_org_id", json_object_get(s->pair, "inspector_org_id"));
	json_object_set_new(row, "notices", notices);
	if (json_is_array(json_object_get(in, "inspectors")))
		json_object_set(row, "inspectors", json_object_get(in, "inspectors"));
	else
		json_object_set_new(row, "inspectors", json_pack("[s]", jstr(r->account, "display_name")));
	if (rated)
		json_object_set_new(row, "score_rate", json_real(rate));
	if (jstr(in, "notes"))
		json_object_set(row, "notes", json_object_get(in, "notes"));
	if (json_is_object(s->loc)) {
		json_object_set(row, "lat", json_object_get(s->loc, "lat"));
		json_object_set(row, "lng", json_object_get(s->loc, "lng"));
	}
	return row;
}

/* Writes the inspection, the problems, the results and the audit entry;
 * 0 (*id set) or a STORE_* code (the dispatcher rolls everything back). */
static int write_submission(struct req *r, const struct submission *s, int64_t *id)
{
	double rate = 0;
	int rated = score_rate(s->sc, s->nitems, &rate) == 0;
	int counter_rc;
	json_t *notices = notice_numbers(s->now, jint(s->in, "notices", 0), &counter_rc);
	json_t *row = inspection_row(r, s, rated, rate, notices);
	int rc = counter_rc ? counter_rc : store_inspection_create(row, id);
	json_decref(row);
	int64_t *problem_of = calloc(s->nitems ? s->nitems : 1, sizeof *problem_of);
	size_t i;
	json_t *rep;
	json_array_foreach(s->reports, i, rep) {
		if (rc)
			break;
		rc = problem_insert(r, json_object_get(rep, "in"), &problem_of[jint(rep, "k", 0)], NULL);
	}
	for (size_t j = 0; j < s->nitems && !rc; j++) {
		json_t *rr = json_pack("{s:I, s:s, s:O?, s:O?}", "item_id", (json_int_t)jint(json_array_get(s->items, j), "id", 0),
				       "result", jstr(s->by_item[j], "result"), "note", json_object_get(s->by_item[j], "note"),
				       "photos", json_object_get(s->by_item[j], "photos"));
		if (problem_of[j])
			json_object_set_new(rr, "problem_id", json_integer(problem_of[j]));
		rc = store_inspection_result_add(*id, rr);
		json_decref(rr);
	}
	if (!rc)
		rc = audit(r, "create", "inspection", *id, NULL,
			   json_pack("{s:I, s:s, s:o, s:i}", "site_id", (json_int_t)jint(s->site, "id", 0), "kind", s->kind,
				     "score_rate", rated ? json_real(rate) : json_null(), "problems",
				     (int)json_array_size(s->reports)));
	free(problem_of);
	return rc;
}

int inspections_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"site_id", F_INT, F_REQ, 1, INT64_MAX},
		{"kind", F_STR, F_REQ, 1, 32},
		{"checklist_id", F_INT, 0, 1, INT64_MAX},
		{"round_pair_id", F_INT, F_NULL, 1, INT64_MAX},
		{"inspectors", F_STRARR, 0, 0, 20},
		{"started_at", F_STR, F_NULL, 1, 40},
		{"ended_at", F_STR, F_NULL, 1, 40},
		{"location", F_OBJ, F_NULL, 0, 0},
		{"notes", F_STR, F_NULL, 0, 2000},
		{"notices", F_INT, 0, 0, 100},
		{"confiscated", F_INT, 0, 0, 100000},
		{"results", F_ARR, F_REQ, 1, 200},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	struct submission s = {.in = r->json, .now = app_now(), .kind = jstr(r->json, "kind")};
	if (s.kind && !word_in_list(kinds, s.kind))
		field_error(fields, "kind", "invalid", "未知的检查类型");
	int st = check_site_pair(r, &s, fields);
	if (st) {
		submission_free(&s);
		json_decref(fields);
		return st;
	}
	check_header(&s, fields);
	check_results(r, &s, fields);
	if (json_array_size(fields)) {
		submission_free(&s);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int64_t id = 0;
	int rc = write_submission(r, &s, &id);
	submission_free(&s);
	if (rc)
		return reply_store_error(r, rc);
	json_t *n = store_inspection_get(id);
	json_object_set_new(n, "results", store_inspection_results(id));
	return reply_json(r, 201, inspection_view(n));
}

int inspections_get(struct req *r)
{
	json_t *n = store_inspection_get(req_id(r, 0));
	if (!n || !inspection_visible(r, n)) {
		json_decref(n);
		return reply_error(r, 404, "not_found", "检查记录不存在或无权查看", NULL);
	}
	json_object_set_new(n, "results", store_inspection_results(jint(n, "id", 0)));
	return reply_json(r, 200, inspection_view(n));
}

int inspections_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = json_object();
	site_scope(r, f);
	/* The inspecting org's own inspections too (rounds). */
	char *ip = scope_paths(r, INSPECT_ROLES);
	json_t *a = json_loads(jstr(f, "scope_org_paths"), 0, NULL), *b = json_loads(ip ? ip : "[]", 0, NULL);
	json_array_extend(a, b);
	char *merged = json_dumps(a, JSON_COMPACT);
	json_object_set_new(f, "scope_org_paths", json_string(merged ? merged : "[]"));
	free(merged);
	free(ip);
	json_decref(a);
	json_decref(b);
	static const char *const ids[] = {"site_id", "round_id"};
	for (int i = 0; i < 2; i++)
		if (q_has(r, ids[i]))
			json_object_set_new(f, ids[i], json_integer(q_int(r, ids[i])));
	if (q_has(r, "org_id")) {
		char *p = store_org_path(q_int(r, "org_id"));
		json_object_set_new(f, "under_path", json_string(p ? p : "/none/"));
		free(p);
	}
	if (q_has(r, "kind"))	/* kind:enum(…), the words of `kinds` above */
		json_object_set_new(f, "kind", json_string(q_text(r, "kind")));
	json_t *items = store_inspection_list(f, q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *n;
	json_array_foreach(items, i, n) json_decref(inspection_view(json_incref(n)));
	return list_reply(r, items, limit, "id");
}
