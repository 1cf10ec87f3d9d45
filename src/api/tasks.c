/*
 * tasks.c — daily check tasks (SPEC §4): watched points (a site checked
 * "一日三查") and zones (包干区, claimed by a party branch or team, "每日两次
 * 大巡查") have a daily quota; each Asia/Shanghai day gets that many tasks per
 * target. A task is done on its day, late when done on a later day, and
 * missed when its day passed without it: the scheduler tick (and POST
 * /api/v1/system/tick) settles past days, idempotently. Counts per claiming
 * org and per person: GET /api/v1/tasks/stats.
 *
 * Scope: tasks.read/tasks.write over the claiming org's subtree (a 居委 sees
 * its branches' zones; a volunteer the tasks of the team it belongs to).
 */
#include "sites.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TASK_ROLES (R_OFFICE | R_COMMITTEE | R_INSPECTOR | R_VOLUNTEER)

static const char *const time_keys[] = {"created_at", "done_at", NULL};

static json_t *task_view(json_t *t)
{
	char d[16];
	json_t *v = json_object_get(t, "ymd");
	if (json_is_integer(v)) {
		ymd_format((int)json_integer_value(v), d, sizeof d);
		json_object_set_new(t, "date", json_string(d));
	}
	json_object_del(t, "ymd");
	json_object_del(t, "org_path");
	render_times(t, time_keys);
	return t;
}

int tasks_tick(int64_t now, int *created, int *missed)
{
	int today = ymd_of(now);
	int rc = store_begin();
	if (rc)
		return rc;
	int c = store_tasks_generate(today);
	int m = c < 0 ? c : store_tasks_settle(today);
	if (c < 0 || m < 0) {
		store_rollback();
		return c < 0 ? c : m;
	}
	if (created)
		*created = c;
	if (missed)
		*missed = m;
	return store_commit();
}

int watch_list(struct req *r)
{
	char *sp = scope_paths(r, TASK_ROLES);
	json_t *items = store_watch_list(sp ? sp : "[]");
	free(sp);
	if (!items)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *t;
	json_array_foreach(items, i, t) render_times(t, time_keys);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

int watch_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"kind", F_STR, F_REQ, 1, 8},
		{"name", F_STR, 0, 1, 100},
		{"site_id", F_INT, F_NULL, 1, INT64_MAX},
		{"org_id", F_INT, F_REQ, 1, INT64_MAX},
		{"person", F_STR, F_NULL, 0, 100},
		{"quota", F_INT, F_REQ, 1, 24},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	json_t *in = r->json;
	const char *kind = jstr(in, "kind");
	if (kind && strcmp(kind, "site") && strcmp(kind, "zone"))
		field_error(fields, "kind", "invalid", "应为 site（巡查点位）或 zone（包干区）");
	json_t *site = NULL;
	if (kind && !strcmp(kind, "site")) {
		site = jint(in, "site_id", 0) ? store_site_get(jint(in, "site_id", 0)) : NULL;
		if (!site)
			field_error(fields, "site_id", "not_found", "巡查点位需要一个存在的点位");
	} else if (kind && !jstr(in, "name"))
		field_error(fields, "name", "required", "请填写包干区名称");
	int64_t org = jint(in, "org_id", 0);
	json_t *o = org ? store_org_get(org) : NULL;
	if (org && !o)
		field_error(fields, "org_id", "not_found", "组织不存在");
	else if (org && !scope_covers(r, org))
		field_error(fields, "org_id", "forbidden_scope", "只能为本辖区的组织设置");
	json_decref(o);
	if (json_array_size(fields)) {
		json_decref(site);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	json_t *row = json_pack("{s:s, s:s, s:I, s:I, s:I}", "kind", kind, "name",
				jstr(in, "name") ? jstr(in, "name") : jstr(site, "name"), "org_id", (json_int_t)org, "quota",
				(json_int_t)jint(in, "quota", 1), "created_at", (json_int_t)app_now());
	if (site)
		json_object_set(row, "site_id", json_object_get(site, "id"));
	if (jstr(in, "person"))
		json_object_set(row, "person", json_object_get(in, "person"));
	json_decref(site);
	int64_t id = 0;
	int rc = store_watch_create(row, &id);
	json_decref(row);
	if (!rc && store_tasks_generate(ymd_of(app_now())) < 0)
		rc = STORE_EIO;
	if (!rc)
		rc = audit(r, "create", "watch_target", id, NULL, json_incref(in));
	if (rc)
		return reply_store_error(r, rc);
	json_t *t = store_watch_get(id);
	json_object_del(t, "org_path");
	render_times(t, time_keys);
	return reply_json(r, 201, t);
}

int watch_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"name", F_STR, 0, 1, 100},
		{"person", F_STR, F_NULL, 0, 100},
		{"quota", F_INT, 0, 1, 24},
		{"active", F_BOOL, 0, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	if (body_check(r, spec))
		return r->status;
	int64_t id = req_id(r, 0);
	json_t *t = store_watch_get(id);
	if (!t || !scope_covers(r, jint(t, "org_id", 0))) {
		json_decref(t);
		return reply_error(r, 404, "not_found", "巡查对象不存在或无权修改", NULL);
	}
	json_decref(t);
	json_t *patch = json_deep_copy(r->json);
	if (json_is_boolean(json_object_get(patch, "active")))
		json_object_set_new(patch, "active", json_integer(jbool(patch, "active", 1)));
	int rc = store_watch_update(id, patch);
	json_decref(patch);
	if (!rc)
		rc = audit(r, "update", "watch_target", id, NULL, json_incref(r->json));
	if (rc)
		return reply_store_error(r, rc);
	t = store_watch_get(id);
	json_object_del(t, "org_path");
	render_times(t, time_keys);
	return reply_json(r, 200, t);
}

int tasks_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	int ymd = ymd_of(app_now());
	/* date:date is a real day; the task calendar also wants it in 2000–2200. */
	if (q_has(r, "date") && !(ymd = ymd_parse(q_text(r, "date"))))
		return reply_field(r, "date", "invalid", "应为 YYYY-MM-DD");
	char *sp = scope_paths(r, TASK_ROLES);
	json_t *items = store_task_list(sp ? sp : "[]", ymd, q_text(r, "state"), q_int(r, "target_id"),
					q_int(r, "cursor"), limit);
	free(sp);
	size_t i;
	json_t *t;
	json_array_foreach(items, i, t) task_view(t);
	return list_reply(r, items, limit, "id");
}

int tasks_done(struct req *r)
{
	static const struct fspec spec[] = {
		{"note", F_STR, F_NULL, 0, 500},
		{NULL, 0, 0, 0, 0},
	};
	if (body_check(r, spec))
		return r->status;
	int64_t id = req_id(r, 0);
	json_t *t = store_task_get(id);
	if (!t || !grants_cover(r, TASK_ROLES, jstr(t, "org_path"))) {
		json_decref(t);
		return reply_error(r, 404, "not_found", "任务不存在或无权查看", NULL);
	}
	int64_t now = app_now();
	const char *state = jint(t, "ymd", 0) < ymd_of(now) ? "late" : "done";
	if (jint(t, "ymd", 0) > ymd_of(now)) {
		json_decref(t);
		return reply_error(r, 409, "not_yet", "还没到这个任务的日期", NULL);
	}
	json_decref(t);
	int rc = store_task_done(id, state, now, r->account_id, jstr(r->json, "note"));
	if (rc == STORE_ECONFLICT)
		return reply_error(r, 409, "already_done", "这个任务已经完成", NULL);
	if (!rc)
		rc = audit(r, state, "task", id, NULL, NULL);
	if (rc)
		return reply_store_error(r, rc);
	return reply_json(r, 200, task_view(store_task_get(id)));
}

int tasks_stats(struct req *r)
{
	json_t *fields = json_array();
	int today = ymd_of(app_now());
	int from = ymd_add(today, -6), to = today;
	if (q_has(r, "from") && !(from = ymd_parse(q_text(r, "from"))))
		field_error(fields, "from", "invalid", "应为 YYYY-MM-DD");
	if (q_has(r, "to") && !(to = ymd_parse(q_text(r, "to"))))
		field_error(fields, "to", "invalid", "应为 YYYY-MM-DD");
	const char *by = q_text(r, "by");	/* by:enum(org,person) */
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	char *sp = scope_paths(r, TASK_ROLES);
	json_t *items = store_task_stats(sp ? sp : "[]", from, to, by && !strcmp(by, "person"));
	free(sp);
	if (!items)
		return reply_store_error(r, STORE_EIO);
	char f[16], t[16];
	ymd_format(from, f, sizeof f);
	ymd_format(to, t, sizeof t);
	return reply_json(r, 200, json_pack("{s:s, s:s, s:o}", "from", f, "to", t, "items", items));
}
