/*
 * records.c — service records (志愿服务记录, national record rules Art. 7:
 * activity, date, place, content, hours, organiser, person in charge) and
 * activities (活动清单, SPEC §5).
 *
 * Records come from attended shifts (the tick in shifts.c creates them
 * pending), or are entered by staff; staff approve or reject them. Once
 * decided a record is immutable (a schema trigger refuses any UPDATE): a
 * correction is a new record naming the one it supersedes, and only when it
 * is approved does it replace the old one in the hours.
 *
 * Activities are one-off or monthly on a fixed day (the 5th 党员日, the 12th
 * 邻里议事日, the 20th 爱邻日); their occurrences are shifts (activity_id set)
 * so sign-up, waitlist, check-in, settlement and calendar feeds are shared.
 */
#include "api.h"
#include "core/signup.h"
#include "core/timefmt.h"
#include <stdio.h>
#include <string.h>

static json_t *record_view(json_t *rec)
{
	static const char *const t[] = {"decided_at", "created_at", NULL};
	json_object_del(rec, "org_path");
	render_times(rec, t);
	return rec;
}

int records_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = json_object();
	if (q_has(r, "volunteer_id"))
		json_object_set_new(f, "volunteer_id", json_integer(q_int(r, "volunteer_id")));
	static const char *const text[] = {"status", "from", "to"};	/* an enum and two dates */
	for (int i = 0; i < 3; i++)
		if (q_has(r, text[i]))
			json_object_set_new(f, text[i], json_string(q_text(r, text[i])));
	json_t *rows = store_record_list(scope_filter(r, f), q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) record_view(x);
	return list_reply(r, rows, limit, "id");
}

int records_mine(struct req *r)
{
	int64_t vid = my_volunteer(r);
	json_t *f = json_pack("{s:I}", "volunteer_id", (json_int_t)vid);
	json_t *rows = vid ? store_record_list(f, 0, 500) : json_array();
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) record_view(x);
	return reply_json(r, 200, json_pack("{s:o, s:f}", "items", rows, "hours", vid ? store_volunteer_hours(vid) : 0.0));
}

/* 1 when a YYYY-MM-DD date is after today's China date on the app clock:
 * service not yet done earns no hours or points (coverage 10). */
static int future_date(const char *ymd)
{
	char today[16];
	cn_date(app_now(), today, sizeof today);
	return strcmp(ymd, today) > 0;
}

/* Manual records and corrections (supersedes_id: the record it corrects,
 * which must be approved, of the same volunteer). */
int records_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"volunteer_id", F_INT, F_REQ, 1, INT64_MAX},
		{"activity_name", F_STR, F_REQ, 1, 100},
		{"service_date", F_STR, F_REQ, 10, 10},
		{"place", F_STR, F_NULL, 0, 200},
		{"content", F_STR, F_NULL, 0, 1000},
		{"hours", F_NUM, F_REQ, 0, 1000},
		{"organiser", F_STR, F_NULL, 0, 100},
		{"person_in_charge", F_STR, F_NULL, 0, 50},
		{"supersedes_id", F_INT, 0, 1, INT64_MAX},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	if (jstr(r->json, "service_date") && !date_valid(jstr(r->json, "service_date")))
		field_error(fields, "service_date", "invalid", "应为日期 YYYY-MM-DD");
	else if (jstr(r->json, "service_date") && future_date(jstr(r->json, "service_date")))
		field_error(fields, "service_date", "future", "服务日期不能晚于今天");
	int64_t vid = jint(r->json, "volunteer_id", 0);
	json_t *v = vid ? store_volunteer_get(vid) : NULL;
	if (v && !scope_covers(r, jint(v, "org_id", 0))) {	/* out of scope reads as missing */
		json_decref(v);
		v = NULL;
	}
	if (vid && !v)
		field_error(fields, "volunteer_id", "not_found", "志愿者不存在");
	int64_t sup = jint(r->json, "supersedes_id", 0);
	json_t *old = sup ? store_record_get(sup) : NULL;
	if (old && !scope_covers(r, jint(old, "org_id", 0))) {	/* out of scope reads as missing */
		json_decref(old);
		old = NULL;
	}
	if (sup && !old)
		field_error(fields, "supersedes_id", "not_found", "被更正的记录不存在");
	else if (old && (strcmp(jstr(old, "status"), "approved") || jint(old, "volunteer_id", 0) != vid))
		field_error(fields, "supersedes_id", "invalid", "只能更正同一志愿者已审核通过的记录");
	json_decref(old);
	if (json_array_size(fields)) {
		json_decref(v);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int64_t org = jint(v, "org_id", 0);
	json_decref(v);
	json_t *in = json_deep_copy(r->json);
	json_object_set_new(in, "org_id", json_integer(org));
	json_object_set_new(in, "created_by", json_integer(r->account_id));
	int64_t id = 0;
	int rc = store_record_create(in, app_now(), &id);
	json_decref(in);
	if (rc || !id)
		return reply_store_error(r, rc ? rc : STORE_ECONFLICT);
	json_t *rec = record_view(store_record_get(id));
	audit(r, "create", "service_record", id, NULL, json_incref(rec));
	return reply_json(r, 201, rec);
}

int records_decide(struct req *r)
{
	static const struct fspec spec[] = {{"decision", F_STR, F_REQ, 1, 20}, {NULL, 0, 0, 0, 0}};
	int64_t id = req_id(r, 0);
	json_t *rec = store_record_get(id);
	if (rec && !scope_covers(r, jint(rec, "org_id", 0))) {	/* out of scope reads as missing */
		json_decref(rec);
		rec = NULL;
	}
	if (!rec)
		return reply_error(r, 404, "not_found", "服务记录不存在", NULL);
	int st = body_check(r, spec);
	if (!st && strcmp(jstr(rec, "status"), "pending"))
		st = reply_error(r, 409, "record_immutable", "记录已审核，不能修改；如需更正请新建更正记录", NULL);
	const char *d = st ? NULL : jstr(r->json, "decision");
	const char *to = !d ? NULL : !strcmp(d, "approve") ? "approved" : !strcmp(d, "reject") ? "rejected" : NULL;
	if (!st && !to)
		st = reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "decision", "code", "invalid", "message",
					       "应为 approve 或 reject"));
	/* A record dated after today (entered before this rule) cannot be approved yet. */
	if (!st && !strcmp(to, "approved") && future_date(jstr(rec, "service_date")))
		st = reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "service_date", "code", "future", "message",
					       "服务日期晚于今天，不能审核通过"));
	if (st) {
		json_decref(rec);
		return st;
	}
	int rc = store_record_decide(id, to, r->account_id, app_now());
	if (!rc && !strcmp(to, "approved"))
		rc = bank_award_record(id, app_now());	/* 爱心银行 points (bank_awards.c) */
	if (rc) {
		json_decref(rec);
		return reply_store_error(r, rc);
	}
	json_t *after = record_view(store_record_get(id));
	audit(r, d, "service_record", id, record_view(rec), json_incref(after));
	return reply_json(r, 200, after);
}

/* Activities -------------------------------------------------------------------- */

#define ACT_MONTHS 6
#define ACT_MAX 200

int activity_generate(int64_t id, const char *recurrence, int day_of_month, int start_min, int end_min, int64_t day,
		      int capacity, int64_t now, int *n_out)
{
	struct gen_shift occ[ACT_MAX];
	int n = !strcmp(recurrence, "monthly")
			? monthly_expand(day_of_month, start_min, end_min, day, day + ACT_MONTHS * 31, occ, ACT_MAX)
			: pattern_expand(1u << (cn_iso_weekday(day) - 1), start_min, end_min, day, day + 1, occ, ACT_MAX);
	int rc = 0;
	for (int k = 0; !rc && k < n && k < ACT_MAX; k++)
		rc = store_shift_ensure(0, id, 0, occ[k].start, occ[k].end, capacity, now, NULL);
	*n_out = n > 0 ? n : 0;
	return rc;
}

int activities_list(struct req *r)
{
	json_t *f = json_pack("{s:I}", "now", (json_int_t)app_now());
	json_t *rows = store_activity_list(scope_filter(r, f), 200);
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	static const char *const t[] = {"created_at", "next_start", NULL};
	size_t i;
	json_t *a;
	json_array_foreach(rows, i, a) {
		render_times(a, t);
		render_location(a);
	}
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", rows, "next_cursor"));
}

/* Creates the activity and its occurrences: the one date, or the fixed day
 * of every month for the next ACT_MONTHS months from `date`. */
int activities_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"org_id", F_INT, F_REQ, 1, INT64_MAX},
		{"title", F_STR, F_REQ, 1, 100},
		{"place", F_STR, F_NULL, 0, 200},
		{"content", F_STR, F_NULL, 0, 2000},
		{"organiser", F_STR, F_NULL, 0, 100},
		{"person_in_charge", F_STR, F_NULL, 0, 50},
		{"recurrence", F_STR, 0, 4, 7},
		{"day_of_month", F_INT, 0, 1, 28},
		{"date", F_STR, F_REQ, 10, 10},
		{"start", F_STR, F_REQ, 5, 5},
		{"end", F_STR, F_REQ, 5, 5},
		{"capacity", F_INT, F_REQ, 1, 10000},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	const char *rec = jstr(r->json, "recurrence") ? jstr(r->json, "recurrence") : "once";
	if (strcmp(rec, "once") && strcmp(rec, "monthly"))
		field_error(fields, "recurrence", "invalid", "应为 once 或 monthly");
	if (!strcmp(rec, "monthly") && !jhas(r->json, "day_of_month"))
		field_error(fields, "day_of_month", "required", "每月活动需要指定日期（1–28）");
	int64_t t0 = 0;
	if (jstr(r->json, "date") && !date_valid(jstr(r->json, "date")))
		field_error(fields, "date", "invalid", "应为日期 YYYY-MM-DD");
	else if (jstr(r->json, "date"))
		time_parse(jstr(r->json, "date"), 1, &t0);
	int s = hhmm_parse(jstr(r->json, "start")), e = hhmm_parse(jstr(r->json, "end"));
	if (jstr(r->json, "start") && (s < 0 || s >= 1440))
		field_error(fields, "start", "invalid", "时间应为 HH:MM");
	if (jstr(r->json, "end") && e < 0)
		field_error(fields, "end", "invalid", "时间应为 HH:MM");
	if (s >= 0 && e >= 0 && e <= s)
		field_error(fields, "end", "invalid", "结束时间应晚于开始时间");
	int64_t org = jint(r->json, "org_id", 0);
	json_t *o = org ? store_org_get(org) : NULL;
	if (org && !o)
		field_error(fields, "org_id", "not_found", "组织不存在");
	json_decref(o);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	if (!scope_covers(r, org))
		return reply_error(r, 403, "forbidden_scope", "只能在自己负责的组织范围内发布活动", NULL);
	json_t *in = json_deep_copy(r->json);
	json_object_del(in, "date");
	json_object_del(in, "start");
	json_object_del(in, "end");
	json_object_set_new(in, "recurrence", json_string(rec));
	json_object_set_new(in, "start_min", json_integer(s));
	json_object_set_new(in, "end_min", json_integer(e));
	int64_t now = app_now(), id;
	int rc = store_activity_create(in, now, &id);
	json_decref(in);
	int n = 0;
	if (!rc)
		rc = activity_generate(id, rec, (int)jint(r->json, "day_of_month", 1), s, e, cn_day(t0),
				       (int)jint(r->json, "capacity", 1), now, &n);
	if (rc)
		return reply_store_error(r, rc);
	json_t *a = store_activity_get(id);
	json_object_del(a, "org_path");
	json_object_set_new(a, "occurrences", json_integer(n));
	static const char *const t[] = {"created_at", NULL};
	render_times(a, t);
	render_location(a);
	audit(r, "create", "activity", id, NULL, json_incref(a));
	return reply_json(r, 201, a);
}
