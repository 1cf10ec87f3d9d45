/*
 * revisits.c — 回头看 (SPEC §3 "Revisits"): closing a problem schedules
 * revisits (default +7 and +30 days, setting revisit_offsets); an inspector,
 * 居委 or the office goes back and records pass or fail. A failed revisit
 * reopens the problem as a relapse through the lifecycle (lifecycle.c): the
 * `reopen` action's effects, which cancel the problem's other pending
 * revisits; the next close schedules new ones (revisit_plan.c).
 *
 * GET  /api/v1/revisits            the task list (scope: the grants' subtrees)
 * GET  /api/v1/revisits/{id}       one revisit with its problem's summary
 * POST /api/v1/revisits/{id}       do it: {"result":"pass"|"fail","note","photos","location"}
 * GET/PUT /api/v1/settings/revisits  offsets and the chronic threshold/window
 *
 * A revisit is due by the end of its day (China time): closing on 11-21
 * makes the +7 revisit due 11-28 23:59:59 +08:00; overdue after that.
 */
#include "api.h"
#include "lifecycle.h"
#include "core/timefmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const time_keys[] = {"due_at", "done_at", "created_at", NULL};

/* Settings ------------------------------------------------------------------- */

/* The settings as the API shows them (and the audit records them). */
static json_t *settings_json(const struct revisit_settings *s)
{
	json_t *offs = json_array();
	for (int i = 0; i < s->n; i++)
		json_array_append_new(offs, json_integer(s->offsets[i]));
	return json_pack("{s:o, s:i, s:i}", "offsets_days", offs, "chronic_threshold", s->threshold,
			 "chronic_window_days", s->window_days);
}

int settings_revisits_get(struct req *r)
{
	struct revisit_settings s;
	revisit_settings(&s);
	json_t *o = settings_json(&s);
	json_object_set_new(o, "chronic_radius_m", json_integer(duplicate_radius()));
	struct revisit_settings d;
	revisit_defaults(&d);
	json_object_set_new(o, "defaults", json_pack("{s:[i,i], s:i, s:i}", "offsets_days", d.offsets[0], d.offsets[1],
						     "chronic_threshold", d.threshold, "chronic_window_days",
						     d.window_days));
	return reply_json(r, 200, o);
}

int settings_revisits_put(struct req *r)
{
	static const struct fspec spec[] = {
		{"offsets_days", F_ARR, 0, 1, REVISIT_MAX_OFFSETS},
		{"chronic_threshold", F_INT, 0, 2, 20},
		{"chronic_window_days", F_INT, 0, 1, 365},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	json_t *offs = json_object_get(r->json, "offsets_days");
	char buf[REVISIT_MAX_OFFSETS * 8] = "";
	if (json_is_array(offs)) {
		size_t i, n = 0;
		json_t *v;
		int prev = 0, bad = 0;
		json_array_foreach(offs, i, v) {
			int d = json_is_integer(v) ? (int)json_integer_value(v) : 0;
			if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 365 || d <= prev)
				bad = 1;
			prev = d;
			if (!bad)
				n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%d", i ? "," : "", d);
		}
		if (bad)
			field_error(fields, "offsets_days", "invalid", "应为递增的天数（1 到 365），例如 [7, 30]");
	}
	if (json_object_size(r->json) == 0)
		field_error(fields, "offsets_days", "required", "请至少提供一项设置");
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	struct revisit_settings before;
	revisit_settings(&before);
	int rc = STORE_OK;
	if (json_is_array(offs))
		rc = store_setting_set("revisit_offsets", buf);
	static const char *const ints[] = {"chronic_threshold", "chronic_window_days"};
	for (int i = 0; i < 2 && !rc; i++) {
		if (!json_is_integer(json_object_get(r->json, ints[i])))
			continue;
		char n[16];
		snprintf(n, sizeof n, "%lld", (long long)jint(r->json, ints[i], 0));
		rc = store_setting_set(ints[i], n);
	}
	struct revisit_settings after;
	revisit_settings(&after);
	if (!rc)
		rc = audit(r, "update", "setting", 0, settings_json(&before), settings_json(&after));
	if (rc)
		return reply_store_error(r, rc);
	return settings_revisits_get(r);
}

/* The client's view of a revisit row, in place. */
static json_t *revisit_view(json_t *v, int64_t now)
{
	const char *state = jstr(v, "state");
	json_object_set_new(v, "overdue", json_boolean(state && !strcmp(state, "pending") && jint(v, "due_at", 0) < now));
	render_location(v);
	json_t *plat = json_object_get(v, "problem_lat"), *plng = json_object_get(v, "problem_lng");
	json_object_set_new(v, "problem_location", json_is_number(plat) && json_is_number(plng)
							   ? json_pack("{s:O, s:O}", "lat", plat, "lng", plng)
							   : json_null());
	json_object_del(v, "problem_lat");
	json_object_del(v, "problem_lng");
	json_object_del(v, "org_path");
	render_times(v, time_keys);
	return v;
}

void revisits_detail(json_t *p)
{
	int64_t id = jint(p, "id", 0), now = app_now();
	json_t *items = store_problem_revisits(id);
	if (!items)
		items = json_array();
	int pending = 0, passed = 0, failed = 0, overdue = 0;
	json_t *next = json_null();
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v) {
		const char *s = jstr(v, "state");
		if (!strcmp(s, "pending")) {
			pending++;
			if (jint(v, "due_at", 0) < now)
				overdue++;
			if (json_is_null(next))
				next = json_integer(jint(v, "due_at", 0));
		}
		passed += !strcmp(s, "passed");
		failed += !strcmp(s, "failed");
		json_object_set_new(v, "overdue", json_boolean(!strcmp(s, "pending") && jint(v, "due_at", 0) < now));
		render_times(v, time_keys);
	}
	json_t *sum = json_pack("{s:o, s:i, s:i, s:i, s:i, s:o}", "items", items, "pending", pending, "passed", passed,
				"failed", failed, "overdue", overdue, "next_due_at", next);
	static const char *const nk[] = {"next_due_at", NULL};
	render_times(sum, nk);
	json_object_set_new(p, "revisits", sum);
	json_t *spots = store_chronic_of_problem(id);
	json_object_set_new(p, "chronic_spots", spots ? spots : json_array());
}

/* The list ------------------------------------------------------------------- */

int revisits_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	int64_t now = app_now(), after_due = 0, after_id = 0;
	const char *cur = q_text(r, "cursor");	/* "due_at.id" (cursor:token[60]) */
	if (cur) {
		long long a, b;
		char tail;
		if (sscanf(cur, "%lld.%lld%c", &a, &b, &tail) != 2 || b <= 0)
			return reply_field(r, "cursor", "invalid", "无效的游标");
		after_due = a;
		after_id = b;
	}
	json_t *f = json_object();
	if (q_has(r, "state"))	/* state:enum(…) */
		json_object_set_new(f, "state", json_string(q_text(r, "state")));
	static const char *const dates[] = {"due_before", "due_after"};	/* :time */
	for (int i = 0; i < 2; i++)
		if (q_has(r, dates[i]))
			json_object_set_new(f, dates[i], json_integer(q_time(r, dates[i])));
	if (q_bool(r, "overdue", 0))
		json_object_set_new(f, "overdue_at", json_integer(now));
	if (q_has(r, "org_id"))
		json_object_set_new(f, "under", json_integer(q_int(r, "org_id")));
	if (q_has(r, "problem_id"))
		json_object_set_new(f, "problem_id", json_integer(q_int(r, "problem_id")));
	scope_filter(r, f);
	json_t *items = store_revisit_list(f, after_due, after_id, limit);
	json_decref(f);
	if (!items)
		return reply_store_error(r, STORE_EIO);
	json_t *next = json_null();
	size_t n = json_array_size(items);
	if ((int)n >= limit && n > 0) {
		json_t *last = json_array_get(items, n - 1);
		char c[48];
		snprintf(c, sizeof c, "%lld.%lld", (long long)jint(last, "due_at", 0), (long long)jint(last, "id", 0));
		next = json_string(c);
	}
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v) revisit_view(v, now);
	return reply_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

/* A revisit the account may act on (the route's grants cover its problem's
 * community); 404 otherwise, as for problems. */
static json_t *load_revisit(struct req *r, int *status)
{
	json_t *v = store_revisit_get(req_id(r, 0));
	if (!v || !scope_covers(r, jint(v, "org_id", 0))) {
		json_decref(v);
		*status = reply_error(r, 404, "not_found", "回头看任务不存在或无权查看", NULL);
		return NULL;
	}
	return v;
}

int revisits_get(struct req *r)
{
	int st = 0;
	json_t *v = load_revisit(r, &st);
	return v ? reply_json(r, 200, revisit_view(v, app_now())) : st;
}

/* Doing a revisit ---------------------------------------------------------------- */

int revisits_do(struct req *r)
{
	static const struct fspec spec[] = {
		{"result", F_STR, F_REQ, 1, 8},
		{"note", F_STR, F_NULL, 0, 2000},
		{"photos", F_ARR, 0, 0, 9},
		{"location", F_OBJ, F_NULL, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int st = 0;
	json_t *v = load_revisit(r, &st);
	if (!v) {
		json_decref(fields);
		return st;
	}
	json_t *in = r->json, *photos = json_object_get(in, "photos"), *loc = json_object_get(in, "location");
	const char *result = jstr(in, "result");
	int fail = result && !strcmp(result, "fail");
	if (result && !fail && strcmp(result, "pass"))
		field_error(fields, "result", "invalid", "结果应为 pass（未回潮）或 fail（回潮）");
	if (json_is_array(photos))
		check_photos(r, photos, fields);
	if (fail && json_array_size(photos) == 0)
		field_error(fields, "photos", "required", "发现回潮时请拍照留证");
	check_location(loc, fields);
	if (json_array_size(fields)) {
		json_decref(v);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	if (strcmp(jstr(v, "state"), "pending") || strcmp(jstr(v, "problem_state"), "closed")) {
		json_t *e = json_pack("{s:{s:s, s:s, s:O, s:O}}", "error", "code", "revisit_closed", "message",
				      "该回头看任务已完成或已取消", "state", json_object_get(v, "state"), "problem_state",
				      json_object_get(v, "problem_state"));
		json_decref(v);
		return reply_json(r, 409, e);
	}
	int64_t id = jint(v, "id", 0), pid = jint(v, "problem_id", 0), now = app_now();
	json_t *data = json_pack("{s:I, s:s, s:I}", "revisit_id", (json_int_t)id, "result", fail ? "fail" : "pass",
				 "offset_days", (json_int_t)jint(v, "offset_days", 0));
	if (json_is_array(photos))
		json_object_set(data, "photos", photos);
	if (json_is_object(loc))
		json_object_set(data, "location", loc);
	const char *note = jstr(in, "note");
	int rc;
	int64_t ev = 0;
	if (fail) {
		/* 回潮: the reopen action's effects, linked to this revisit. */
		json_object_set_new(data, "reason", json_string("回头看发现问题回潮"));
		json_t *p = store_problem_get(pid);
		rc = p ? lifecycle_reopen(LC_REVISIT_FAIL, p, r->account_id, note, data, photos, id, &ev) : STORE_EIO;
		json_decref(p);
	} else {
		struct lc_run x = {.transition = LC_REVISIT_PASS, .id = pid, .actor = r->account_id, .now = now,
				   .note = note, .data = data, .photos = photos};
		rc = lifecycle_run(&x);
		ev = x.event_id;
	}
	json_decref(data);
	if (!rc) {
		json_t *d = json_pack("{s:s, s:I, s:I, s:s?, s:O?, s:I}", "state", fail ? "failed" : "passed", "done_at",
				      (json_int_t)now, "done_by", (json_int_t)r->account_id, "note", note, "photos", photos,
				      "event_id", (json_int_t)ev);
		if (json_is_object(loc)) {
			json_object_set(d, "lat", json_object_get(loc, "lat"));
			json_object_set(d, "lng", json_object_get(loc, "lng"));
		}
		rc = store_revisit_done(id, d);
		json_decref(d);
	}
	if (!rc)
		rc = audit(r, fail ? "revisit_fail" : "revisit_pass", "revisit", id,
			   json_pack("{s:s}", "state", "pending"),
			   json_pack("{s:s, s:I}", "state", fail ? "failed" : "passed", "problem_id", (json_int_t)pid));
	json_decref(v);
	if (rc == STORE_ECONFLICT)
		return reply_error(r, 409, "revisit_closed", "该回头看任务已完成或已取消", NULL);
	if (rc)
		return reply_store_error(r, rc);
	json_t *out = store_revisit_get(id);
	return out ? reply_json(r, 200, revisit_view(out, now)) : reply_store_error(r, STORE_EIO);
}
