/*
 * targets.c — 目标责任书: per year and org (a community or a unit) a letter
 * of items, each measured by a metric of the catalogue (target_metrics.c)
 * or a free-text commitment. A letter is a draft (items editable), then
 * issued, then signed by both sides; progress is always live. Staff mark
 * text items done and enter the manual values (知晓率) once issued.
 * Out of scope reads as missing (404), as everywhere.
 */
#include "api.h"
#include "api/targets.h"
#include "core/period.h"
#include "store/targets_sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_target(struct req *r, int64_t id, json_t **out)
{
	json_t *t = store_target_get(id);
	if (t && !scope_covers(r, jint(t, "org_id", 0))) {
		json_decref(t);
		t = NULL;
	}
	if (!t)
		return reply_error(r, 404, "not_found", "目标责任书不存在", NULL);
	*out = t;
	return 0;
}

/* The letter with its items, each with live progress, and met/total. */
static json_t *target_view(json_t *t)
{
	static const char *const times[] = {"issued_at", "signed_at", "created_at", "updated_at", NULL};
	json_t *items = store_target_items(jint(t, "id", 0));
	int met = 0, total = 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		json_t *p = target_item_progress(it, jstr(t, "org_path"), (int)jint(t, "year", 0), app_now());
		if (!p)
			p = json_null();
		total++;
		met += json_is_true(json_object_get(p, "met"));
		const struct target_metric *m = target_metric_find(jstr(it, "metric"));
		json_object_set_new(it, "metric_name", json_string(m ? m->name : ""));
		json_object_set_new(it, "progress", p);
		static const char *const it_times[] = {"marked_at", NULL};
		render_times(it, it_times);
	}
	json_object_set_new(t, "items", items ? items : json_array());
	json_object_set_new(t, "met", json_integer(met));
	json_object_set_new(t, "total", json_integer(total));
	json_object_del(t, "org_path");
	render_times(t, times);
	return t;
}

/* Checks items (an array of {metric, goal, text}) into fields. */
static void check_items(const json_t *items, json_t *fields)
{
	static const struct fspec spec[] = {
		{"metric", F_STR, F_REQ, 1, 40},
		{"goal", F_NUM, F_NULL, 0, 10000000},
		{"text", F_STR, F_NULL, 0, 500},
		{NULL, 0, 0, 0, 0},
	};
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		char name[32];
		snprintf(name, sizeof name, "items[%zu]", i);
		json_t *f = json_array();
		if (!json_is_object(it) || json_check(it, spec, f) || json_array_size(f)) {
			field_error(fields, name, "invalid", "每一项应为 {metric, goal, text}，指标必填");
			json_decref(f);
			continue;
		}
		json_decref(f);
		const struct target_metric *m = target_metric_find(jstr(it, "metric"));
		json_t *g = json_object_get(it, "goal");
		if (!m)
			field_error(fields, name, "unknown_metric", "没有这个指标（见 GET /api/v1/targets/metrics）");
		else if (!strcmp(m->unit, "text") && !(jstr(it, "text") && *jstr(it, "text")))
			field_error(fields, name, "text_required", "工作承诺须写明内容");
		else if (strcmp(m->unit, "text") && !json_is_number(g))
			field_error(fields, name, "goal_required", "指标项须有目标值");
		else if (m && !strcmp(m->unit, "rate") && json_number_value(g) > 1)
			field_error(fields, name, "invalid", "比率目标应在 0 到 1 之间");
	}
}

int targets_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = json_object();
	if (q_has(r, "year"))
		json_object_set_new(f, "year", json_integer(q_int(r, "year")));
	if (q_has(r, "org_id"))
		json_object_set_new(f, "org_id", json_integer(q_int(r, "org_id")));
	json_t *rows = store_target_list(scope_filter(r, f), q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *t;
	json_array_foreach(rows, i, t) target_view(t);
	return list_reply(r, rows, limit, "id");
}

int targets_metrics(struct req *r)
{
	return reply_json(r, 200, json_pack("{s:o}", "items", target_metrics_json()));
}

int targets_get(struct req *r)
{
	json_t *t = NULL;
	int st = load_target(r, req_id(r, 0), &t);
	return st ? st : reply_json(r, 200, target_view(t));
}

int targets_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"org_id", F_INT, F_REQ, 1, INT64_MAX},
		{"year", F_INT, F_REQ, 2000, 2100},
		{"title", F_STR, 0, 1, 100},
		{"items", F_ARR, 0, 0, 30},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int64_t org = jint(r->json, "org_id", 0);
	json_t *o = org ? store_org_get(org) : NULL;
	if (org && !o)
		field_error(fields, "org_id", "not_found", "组织不存在");
	else if (o && strcmp(jstr(o, "kind") ? jstr(o, "kind") : "", "community") &&
		 strcmp(jstr(o, "kind") ? jstr(o, "kind") : "", "unit"))
		field_error(fields, "org_id", "invalid", "责任书的对象应为社区（居委）或单位");
	check_items(json_object_get(r->json, "items"), fields);
	if (json_array_size(fields)) {
		json_decref(o);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	if (!scope_covers(r, org)) {
		json_decref(o);
		return reply_error(r, 403, "forbidden_scope", "只能给自己负责的组织下达责任书", NULL);
	}
	json_t *in = json_deep_copy(r->json);
	if (!jstr(in, "title")) {
		char title[200];
		snprintf(title, sizeof title, "%lld年度%s精神文明创建工作目标责任书", (long long)jint(in, "year", 0),
			 jstr(o, "name"));
		json_object_set_new(in, "title", json_string(title));
	}
	json_decref(o);
	int64_t id = 0;
	int rc = store_target_create(in, app_now(), &id);
	if (!rc && json_object_get(in, "items"))
		rc = store_target_items_set(id, json_object_get(in, "items"));
	json_decref(in);
	if (rc == STORE_ECONFLICT)
		return reply_error(r, 409, "conflict", "该组织本年度已有责任书", NULL);
	if (rc)
		return reply_store_error(r, rc);
	json_t *t = target_view(store_target_get(id));
	audit(r, "create", "target", id, NULL, json_incref(t));
	return reply_json(r, 201, t);
}

/* Marks on items once issued: [{item_id, done?, note?, value?}]. */
static int apply_marks(struct req *r, int64_t id, const json_t *marks, json_t *fields)
{
	static const struct fspec spec[] = {
		{"item_id", F_INT, F_REQ, 1, INT64_MAX},
		{"done", F_BOOL, 0, 0, 0},
		{"note", F_STR, F_NULL, 0, 500},
		{"value", F_NUM, F_NULL, 0, 1},
		{NULL, 0, 0, 0, 0},
	};
	size_t i;
	json_t *m;
	json_array_foreach(marks, i, m) {
		json_t *f = json_array();
		if (!json_is_object(m) || json_check(m, spec, f) || json_array_size(f))
			field_error(fields, "marks", "invalid", "标记应为 {item_id, done, note} 或 {item_id, value}（0 到 1）");
		json_decref(f);
	}
	if (json_array_size(fields))
		return 0;
	json_array_foreach(marks, i, m) {
		int rc = store_target_item_mark(id, jint(m, "item_id", 0), m, r->account_id, app_now());
		if (rc == STORE_ENOTFOUND) {
			field_error(fields, "marks", "not_found", "责任书中没有这一项");
			return STORE_ENOTFOUND;
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* PATCH: title and items while a draft; marks once issued or signed. */
int targets_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"title", F_STR, 0, 1, 100},
		{"items", F_ARR, 0, 0, 30},
		{"marks", F_ARR, 0, 1, 30},
		{NULL, 0, 0, 0, 0},
	};
	int64_t id = req_id(r, 0);
	json_t *before = NULL;
	int st = load_target(r, id, &before);
	if (st)
		return st;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(before);
		return r->status;
	}
	int draft = !strcmp(jstr(before, "state"), "draft");
	check_items(json_object_get(r->json, "items"), fields);
	if (json_array_size(fields)) {
		json_decref(before);
		return reply_fields(r, fields);
	}
	if (!draft && (jhas(r->json, "title") || jhas(r->json, "items"))) {
		json_decref(before);
		json_decref(fields);
		return reply_error(r, 409, "invalid_state", "责任书已下达，条目不能再改", NULL);
	}
	if (draft && jhas(r->json, "marks")) {
		json_decref(before);
		json_decref(fields);
		return reply_error(r, 409, "invalid_state", "责任书下达后才能标记完成情况", NULL);
	}
	int rc = 0;
	if (jstr(r->json, "title"))
		rc = store_target_set_title(id, jstr(r->json, "title"), app_now());
	if (!rc && json_object_get(r->json, "items"))
		rc = store_target_items_set(id, json_object_get(r->json, "items"));
	if (!rc && json_object_get(r->json, "marks"))
		rc = apply_marks(r, id, json_object_get(r->json, "marks"), fields);
	if (json_array_size(fields)) {
		json_decref(before);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = target_view(store_target_get(id));
	audit(r, "update", "target", id, target_view(before), json_incref(after));
	return reply_json(r, 200, after);
}

int targets_issue(struct req *r)
{
	int64_t id = req_id(r, 0);
	json_t *before = NULL;
	int st = load_target(r, id, &before);
	if (st)
		return st;
	json_t *items = store_target_items(id);
	size_t n = json_array_size(items);
	json_decref(items);
	int rc = n == 0 ? STORE_ECONFLICT : store_target_issue(id, app_now());
	if (rc) {
		json_decref(before);
		if (rc == STORE_ECONFLICT)
			return reply_error(r, 409, "invalid_state",
					   n ? "只有草稿可以下达" : "责任书没有任何条目，不能下达", NULL);
		return reply_store_error(r, rc);
	}
	json_t *after = target_view(store_target_get(id));
	audit(r, "issue", "target", id, target_view(before), json_incref(after));
	return reply_json(r, 200, after);
}

int targets_sign(struct req *r)
{
	static const struct fspec spec[] = {
		{"issuer_signer", F_STR, F_REQ, 1, 50},
		{"receiver_signer", F_STR, F_REQ, 1, 50},
		{"signed_on", F_STR, F_REQ, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	int64_t id = req_id(r, 0);
	json_t *before = NULL;
	int st = load_target(r, id, &before);
	if (st)
		return st;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(before);
		return r->status;
	}
	int64_t day = 0;
	if (jstr(r->json, "signed_on") && period_parse_date(jstr(r->json, "signed_on"), &day))
		field_error(fields, "signed_on", "invalid", "日期应为 YYYY-MM-DD");
	else if (day > period_day(app_now()))
		field_error(fields, "signed_on", "future", "签订日期不能晚于今天");
	if (json_array_size(fields)) {
		json_decref(before);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc = store_target_sign(id, jstr(r->json, "issuer_signer"), jstr(r->json, "receiver_signer"),
				   jstr(r->json, "signed_on"), app_now());
	if (rc) {
		json_decref(before);
		if (rc == STORE_ECONFLICT)
			return reply_error(r, 409, "invalid_state", "只有已下达的责任书可以签订", NULL);
		return reply_store_error(r, rc);
	}
	json_t *after = target_view(store_target_get(id));
	audit(r, "sign", "target", id, target_view(before), json_incref(after));
	return reply_json(r, 200, after);
}
