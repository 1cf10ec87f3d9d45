/*
 * shifts.c — the shifts of posts and activities, the sign-up (the Friday
 * rush), cancelling with waitlist promotion, check-in/out by the post's QR
 * code, the week's roster and the settlement of ended shifts (SPEC §5).
 *
 * The sign-up is a write route: the dispatcher runs it inside one write
 * transaction (one process-wide lock + BEGIN IMMEDIATE, store/sqlite.c), so
 * the facts read here (places taken, the person's other sign-ups) cannot
 * change before the insert; the rules themselves are pure C
 * (core/signup.c). The schema's triggers (capacity, overlap, one live
 * sign-up per shift) refuse anything that slips past, so N simultaneous
 * sign-ups for capacity C confirm exactly min(N, C).
 *
 * Check-out policy: hours run from max(check-in, start) to the check-out,
 * capped at the shift's end; a forgotten check-out is credited up to the
 * shift's end. A check-out is accepted until checkout_grace_minutes after
 * the end; a later one is refused (409 outside_window) and counts as
 * forgotten, so checkout_at never holds a time long after the service. The scheduler tick settles a shift once it has ended (plus
 * checkin_after_minutes): checked-in sign-ups become "attended" with their
 * hours and a pending service record; confirmed ones without a check-in
 * become "no_show", and noshow_limit no-shows within block_days block the
 * volunteer's sign-ups for block_days.
 */
#include "api.h"
#include "core/log.h"
#include "core/signup.h"
#include "core/validate.h"
#include "core/timefmt.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void window_of(const struct signup_cfg *c, json_t *s, int64_t *opens, int64_t *closes)
{
	signup_window(c, jint(s, "start_at", 0), opens, closes);
	if (jint(s, "activity_id", 0))
		*opens = 0;
}

static json_t *shift_view(const struct signup_cfg *c, json_t *s)
{
	int64_t opens, closes;
	window_of(c, s, &opens, &closes);
	/* Activities open when published: no opening time. */
	json_object_set_new(s, "signup_opens_at", opens ? json_integer(opens) : json_null());
	json_object_set_new(s, "signup_closes_at", json_integer(closes));
	int64_t left = jint(s, "capacity", 0) - jint(s, "confirmed", 0);
	json_object_set_new(s, "remaining", json_integer(left > 0 ? left : 0));
	/* The window by the server's clock, so clients need not trust their own. */
	int64_t now = app_now();
	json_object_set_new(s, "signup_open", json_boolean(now >= opens && now < closes && !strcmp(jstr(s, "status"), "open")));
	json_object_set_new(s, "started", json_boolean(now >= jint(s, "start_at", 0)));
	json_object_del(s, "org_path");
	json_object_del(s, "settled");
	static const char *const t[] = {"start_at", "end_at", "updated_at", "signup_opens_at", "signup_closes_at", NULL};
	render_times(s, t);
	render_location(s);
	return s;
}

static json_t *signup_view(json_t *g)
{
	static const char *const t[] = {"created_at", "promoted_at", "cancelled_at", "checkin_at", "checkout_at",
					"credited_end", "updated_at", "start_at", "end_at", NULL};
	render_times(g, t);
	return g;
}

/* ?from=&to= (from:time to:time); defaults now .. now + days. 0, or the
 * 422 answered for a range over 93 days. */
static int range_params(struct req *r, int64_t *from, int64_t *to, int days)
{
	int64_t now = app_now();
	*from = q_has(r, "from") ? q_time(r, "from") : now;
	*to = q_has(r, "to") ? q_time(r, "to") : now + (int64_t)days * 86400;
	if (*to - *from > 93LL * 86400)
		return reply_field(r, "to", "invalid", "查询范围最多 93 天");
	return 0;
}

int shifts_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");	/* limit:int[1,200]=200 */
	int64_t from, to;
	if (range_params(r, &from, &to, 14))
		return r->status;
	json_t *f = json_pack("{s:I, s:I, s:I}", "from", (json_int_t)from, "to", (json_int_t)to, "volunteer_id",
			      (json_int_t)my_volunteer(r));
	static const char *const ids[] = {"post_id", "activity_id"};
	for (int i = 0; i < 2; i++)
		if (q_has(r, ids[i]))
			json_object_set_new(f, ids[i], json_integer(q_int(r, ids[i])));
	if (q_has(r, "open"))
		json_object_set_new(f, "open_only", json_boolean(q_bool(r, "open", 0)));
	json_t *rows = store_shift_list(f, limit);
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	struct signup_cfg c;
	volunteer_cfg(&c);
	size_t i;
	json_t *s;
	json_array_foreach(rows, i, s) shift_view(&c, s);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", rows, "next_cursor"));
}

int shifts_get(struct req *r)
{
	json_t *s = store_shift_get(req_id(r, 0));
	if (!s)
		return reply_error(r, 404, "not_found", "班次不存在", NULL);
	struct signup_cfg c;
	volunteer_cfg(&c);
	return reply_json(r, 200, shift_view(&c, s));
}

/* Staff over the shift's org: office and committee grants (admin always). */
static int staff_over(struct req *r, const json_t *shift)
{
	return grants_cover(r, R_OFFICE | R_COMMITTEE, jstr(shift, "org_path"));
}

static int has_skill(const json_t *v, const char *skill)
{
	if (!skill || !*skill)
		return 1;
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(v, "skills"), i, k) {
		if (json_is_string(k) && !strcmp(json_string_value(k), skill))
			return 1;
	}
	return 0;
}

int shifts_signup(struct req *r)
{
	static const struct fspec spec[] = {
		{"volunteer_id", F_INT, 0, 1, INT64_MAX},
		{"overbook", F_BOOL, 0, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	int st = body_check(r, spec);
	if (st)
		return st;
	int64_t sid = req_id(r, 0);
	json_t *s = store_shift_get(sid);
	if (!s)
		return reply_error(r, 404, "not_found", "班次不存在", NULL);
	int on_behalf = jhas(r->json, "volunteer_id"), overbook = jbool(r->json, "overbook", 0);
	int64_t vid;
	if (on_behalf || overbook) {
		if (!staff_over(r, s)) {
			json_decref(s);
			return reply_error(r, 403, "forbidden", "只有岗位所属组织的工作人员可以代报名或超额报名", NULL);
		}
		vid = on_behalf ? jint(r->json, "volunteer_id", 0) : my_volunteer(r);
	} else
		vid = my_volunteer(r);
	json_t *v = vid ? store_volunteer_rule_facts(vid) : NULL;
	if (!v) {
		json_decref(s);
		return on_behalf ? reply_error(r, 404, "not_found", "志愿者不存在", NULL)
				 : reply_error(r, 409, "not_volunteer", "请先注册成为志愿者", NULL);
	}
	struct signup_cfg c;
	volunteer_cfg(&c);
	int64_t start = jint(s, "start_at", 0), end = jint(s, "end_at", 0);
	int64_t monday = cn_week_monday(cn_day(start));
	json_t *facts = store_signup_facts(sid, vid, cn_instant(monday, 0), cn_instant(monday + 7, 0));
	if (!facts) {
		json_decref(s);
		json_decref(v);
		return reply_store_error(r, STORE_EIO);
	}
	int64_t now = app_now();
	struct signup_facts f = {
		.now = now,
		.start = start,
		.end = end,
		.is_activity = jint(s, "activity_id", 0) != 0,
		.shift_cancelled = !strcmp(jstr(s, "status"), "cancelled"),
		.approved = !strcmp(jstr(v, "status"), "approved"),
		.already = (int)jint(facts, "already", 0),
		.confirmed = (int)jint(facts, "confirmed", 0),
		.capacity = (int)jint(s, "capacity", 0),
		.birth_date = jstr(v, "birth_date"),
		.post_min_age = (int)jint(s, "min_age", 0),
		.post_max_age = (int)jint(s, "max_age", 0),
		.has_required_skill = has_skill(v, jstr(s, "required_skill")),
		.overlapping = (int)jint(facts, "overlapping", 0),
		.week_count = (int)jint(facts, "week_count", 0),
		.blocked_until = jint(v, "blocked_until", 0),
		.staff = on_behalf || overbook,
		.overbook = overbook,
	};
	enum signup_outcome o = signup_decide(&c, &f);
	json_decref(facts);
	json_decref(v);
	if (o != SU_CONFIRMED && o != SU_WAITLISTED) {
		json_t *e = NULL;
		if (o == SU_BLOCKED) {
			char until[32];
			time_rfc3339(f.blocked_until, until, sizeof until);
			e = json_pack("[{s:s, s:s, s:s}]", "field", "blocked_until", "code", "blocked", "message", until);
		}
		json_decref(s);
		return reply_error(r, 409, signup_code(o), signup_message(o), e);
	}
	int over = o == SU_CONFIRMED && f.confirmed >= f.capacity;
	int64_t gid;
	int rc = store_signup_insert(sid, vid, o == SU_CONFIRMED ? "confirmed" : "waitlisted", over,
				     on_behalf || overbook ? r->account_id : 0, now, &gid);
	json_decref(s);
	if (rc == STORE_ECONFLICT)	/* a trigger refused: the rules above should have */
		return reply_error(r, 409, "conflict", "报名冲突，请刷新后重试", NULL);
	if (rc)
		return reply_store_error(r, rc);
	json_t *g = signup_view(store_signup_get(gid));
	audit(r, over ? "overbook" : on_behalf ? "signup_on_behalf" : "signup", "signup", gid, NULL, json_incref(g));
	return reply_json(r, 201, g);
}

/* Promotes the first waitlisted sign-up of a shift with a free place. */
static int promote(int64_t sid, int64_t now)
{
	json_t *s = store_shift_get(sid);
	int free_place = s && jint(s, "confirmed", 0) < jint(s, "capacity", 0);
	json_decref(s);
	if (!free_place)
		return 0;
	int64_t first = store_waitlist_first(sid);
	if (first <= 0)
		return (int)first;
	json_t *patch = json_pack("{s:s, s:I, s:I}", "status", "confirmed", "promoted_at", (json_int_t)now, "updated_at",
				  (json_int_t)now);
	int rc = store_signup_update(first, patch);
	json_decref(patch);
	if (rc)
		return rc;
	json_t *g = store_signup_get(first);
	json_t *v = store_volunteer_get(jint(g, "volunteer_id", 0));
	if (jint(v, "account_id", 0)) {
		char body[256];
		char when[32];
		time_rfc3339(jint(g, "start_at", 0), when, sizeof when);
		snprintf(body, sizeof body, "%s %s：候补已转为正式报名", jstr(g, "title") ? jstr(g, "title") : "", when);
		json_t *n = json_pack("{s:s, s:s, s:s, s:I}", "kind", "shift_promoted", "title", "候补转正", "body", body,
				      "created_at", (json_int_t)now);
		rc = store_notify_account(jint(v, "account_id", 0), n);
		json_decref(n);
	}
	json_decref(g);
	json_decref(v);
	return rc;
}

int signups_cancel(struct req *r)
{
	int64_t gid = req_id(r, 0);
	json_t *g = store_signup_get(gid);
	if (!g)
		return reply_error(r, 404, "not_found", "报名不存在", NULL);
	json_t *s = store_shift_get(jint(g, "shift_id", 0));
	int mine = jint(g, "volunteer_id", 0) == my_volunteer(r);
	int staff = staff_over(r, s);
	int64_t now = app_now(), start = jint(s, "start_at", 0);
	struct signup_cfg c;
	volunteer_cfg(&c);
	int st = 0;
	if (!mine && !staff)
		st = reply_error(r, 404, "not_found", "报名不存在", NULL);
	else if (!strcmp(jstr(g, "status"), "cancelled"))
		st = reply_error(r, 409, "already_cancelled", "该报名已取消", NULL);
	else if (!staff && now >= start - (int64_t)c.cutoff_minutes * 60)
		st = reply_error(r, 409, "signup_closed", "已过取消截止时间，请联系岗位负责人", NULL);
	else if (now >= start)
		st = reply_error(r, 409, "shift_started", "班次已开始，不能取消", NULL);
	if (st) {
		json_decref(g);
		json_decref(s);
		return st;
	}
	int was_confirmed = !strcmp(jstr(g, "status"), "confirmed");
	json_t *patch = json_pack("{s:s, s:I, s:I}", "status", "cancelled", "cancelled_at", (json_int_t)now, "updated_at",
				  (json_int_t)now);
	int rc = store_signup_update(gid, patch);
	json_decref(patch);
	if (!rc && was_confirmed)
		rc = promote(jint(g, "shift_id", 0), now);
	json_decref(s);
	if (rc) {
		json_decref(g);
		return reply_store_error(r, rc);
	}
	json_t *after = signup_view(store_signup_get(gid));
	audit(r, "cancel", "signup", gid, signup_view(g), json_incref(after));
	return reply_json(r, 200, after);
}

/* Staff cancel a whole shift: the sign-ups stay (calendar feeds then send
 * STATUS:CANCELLED) and the volunteers are told. */
int shifts_cancel(struct req *r)
{
	int64_t sid = req_id(r, 0);
	json_t *s = store_shift_get(sid);
	if (s && !staff_over(r, s)) {	/* out of scope reads as missing */
		json_decref(s);
		s = NULL;
	}
	if (!s)
		return reply_error(r, 404, "not_found", "班次不存在", NULL);
	if (!strcmp(jstr(s, "status"), "cancelled")) {
		json_decref(s);
		return reply_error(r, 409, "already_cancelled", "该班次已取消", NULL);
	}
	int64_t now = app_now();
	int rc = store_shift_set_status(sid, "cancelled", now);
	json_t *f = json_pack("{s:I}", "shift_id", (json_int_t)sid);
	json_t *gs = rc ? NULL : store_signup_list(f, 1000);
	json_decref(f);
	size_t i;
	json_t *g;
	json_array_foreach(gs, i, g) {
		json_t *v = store_volunteer_get(jint(g, "volunteer_id", 0));
		if (jint(v, "account_id", 0) && !rc) {
			json_t *n = json_pack("{s:s, s:s, s:s, s:I}", "kind", "shift_cancelled", "title", "班次已取消", "body",
					      jstr(s, "title") ? jstr(s, "title") : "", "created_at", (json_int_t)now);
			rc = store_notify_account(jint(v, "account_id", 0), n);
			json_decref(n);
		}
		json_decref(v);
	}
	json_decref(gs);
	if (rc) {
		json_decref(s);
		return reply_store_error(r, rc);
	}
	struct signup_cfg c;
	volunteer_cfg(&c);
	json_t *after = shift_view(&c, store_shift_get(sid));
	audit(r, "cancel", "shift", sid, NULL, json_incref(after));
	json_decref(s);
	return reply_json(r, 200, after);
}

int signups_mine(struct req *r)
{
	int64_t from, to;
	if (range_params(r, &from, &to, 30))
		return r->status;
	if (!q_has(r, "from"))
		from -= 30LL * 86400;
	int64_t vid = my_volunteer(r);
	if (!vid)
		return reply_json(r, 200, json_pack("{s:[], s:n}", "items", "next_cursor"));
	json_t *f = json_pack("{s:I, s:I, s:I}", "volunteer_id", (json_int_t)vid, "from", (json_int_t)from, "to",
			      (json_int_t)to);
	json_t *rows = store_signup_list(f, 500);
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *g;
	json_array_foreach(rows, i, g) signup_view(g);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", rows, "next_cursor"));
}

/* GET /api/v1/roster?week=YYYY-MM-DD: every live sign-up of the week
 * (Monday–Sunday containing that date) in the caller's scope. */
int roster_get(struct req *r)
{
	int64_t t = q_has(r, "week") ? q_time(r, "week") : app_now();	/* week:time */
	int64_t post = q_int(r, "post_id");
	int64_t monday = cn_week_monday(cn_day(t));
	json_t *f = json_pack("{s:I, s:I}", "from", (json_int_t)cn_instant(monday, 0), "to",
			      (json_int_t)cn_instant(monday + 7, 0));
	if (post)
		json_object_set_new(f, "post_id", json_integer(post));
	json_t *rows = store_roster(scope_filter(r, f), 5000);
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *g;
	json_array_foreach(rows, i, g) signup_view(g);
	char wk[32];
	time_rfc3339(cn_instant(monday, 0), wk, sizeof wk);
	return reply_json(r, 200, json_pack("{s:s, s:o}", "week", wk, "items", rows));
}

/* Check-in and check-out --------------------------------------------------------- */

/* The caller's confirmed sign-up for post_id (or shift_id) whose check-in
 * window holds now: its id, 0 when none, -1 when one is near but outside. */
static int64_t current_signup(const struct signup_cfg *c, int64_t vid, int64_t post_id, int64_t shift_id, int64_t now,
			      int *outside)
{
	json_t *f = json_pack("{s:I, s:I, s:I}", "volunteer_id", (json_int_t)vid, "from", (json_int_t)(now - 86400),
			      "to", (json_int_t)(now + 86400));
	json_t *rows = store_signup_list(f, 100);
	json_decref(f);
	int64_t found = 0;
	*outside = 0;
	size_t i;
	json_t *g;
	json_array_foreach(rows, i, g) {
		if ((post_id && jint(g, "post_id", 0) != post_id) || (shift_id && jint(g, "shift_id", 0) != shift_id))
			continue;
		if (strcmp(jstr(g, "status"), "confirmed") || strcmp(jstr(g, "shift_status"), "open"))
			continue;
		if (checkin_window(c, jint(g, "start_at", 0), jint(g, "end_at", 0), now) == 0) {
			found = jint(g, "id", 0);
			break;
		}
		*outside = 1;
	}
	json_decref(rows);
	return found;
}

static int do_checkin(struct req *r, int64_t gid, const json_t *loc, int64_t by)
{
	json_t *g = store_signup_get(gid);
	json_t *s = store_shift_get(jint(g, "shift_id", 0));
	int64_t now = app_now();
	int st = 0;
	double dist = -1;
	if (jint(g, "checkin_at", 0))
		st = reply_error(r, 409, "already_checked_in", "已签到", NULL);
	else if (!by && json_is_number(json_object_get(s, "lat")) && json_is_number(json_object_get(s, "lng"))) {
		json_t *lat = json_object_get(loc, "lat"), *lng = json_object_get(loc, "lng");
		if (!json_is_number(lat) || !json_is_number(lng))
			st = reply_error(r, 422, "location_required", "该岗位需要定位签到，请允许获取位置", NULL);
		else if (!(fabs(json_number_value(lat)) <= 90) || !(fabs(json_number_value(lng)) <= 180))
			st = reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "location", "code", "invalid", "message",
						       "位置应为 {\"lat\":纬度,\"lng\":经度}"));
		else {
			dist = haversine_m(json_number_value(lat), json_number_value(lng),
					   json_number_value(json_object_get(s, "lat")),
					   json_number_value(json_object_get(s, "lng")));
			if (dist > (double)jint(s, "radius_m", 100)) {
				char msg[128];
				snprintf(msg, sizeof msg, "距离岗位 %.0f 米，超出签到范围（%lld 米）", dist,
					 (long long)jint(s, "radius_m", 100));
				st = reply_error(r, 409, "too_far", msg, NULL);
			}
		}
	}
	json_decref(s);
	if (st) {
		json_decref(g);
		return st;
	}
	json_t *patch = json_pack("{s:I, s:I}", "checkin_at", (json_int_t)now, "updated_at", (json_int_t)now);
	if (dist >= 0)
		json_object_set_new(patch, "checkin_distance_m", json_real(round(dist)));
	if (by)
		json_object_set_new(patch, "checkin_by", json_integer(by));
	int rc = store_signup_update(gid, patch);
	json_decref(patch);
	if (rc) {
		json_decref(g);
		return reply_store_error(r, rc);
	}
	json_t *after = signup_view(store_signup_get(gid));
	audit(r, by ? "checkin_confirmed" : "checkin", "signup", gid, signup_view(g), json_incref(after));
	return reply_json(r, 200, after);
}

int checkin_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"post_id", F_INT, 0, 1, INT64_MAX},
		{"shift_id", F_INT, 0, 1, INT64_MAX},
		{"location", F_OBJ, F_NULL, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int64_t post = jint(r->json, "post_id", 0), shift = jint(r->json, "shift_id", 0);
	if (!post == !shift)
		field_error(fields, "post_id", "required", "请指定岗位（post_id）或活动班次（shift_id）之一");
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	int64_t vid = my_volunteer(r);
	if (!vid)
		return reply_error(r, 409, "not_volunteer", "请先注册成为志愿者", NULL);
	struct signup_cfg c;
	volunteer_cfg(&c);
	int outside = 0;
	int64_t gid = current_signup(&c, vid, post, shift, app_now(), &outside);
	if (!gid)
		return outside ? reply_error(r, 409, "outside_window", "不在签到时间内（班次开始前 30 分钟至结束）", NULL)
			       : reply_error(r, 409, "no_signup", "您在此岗位当前没有已确认的班次", NULL);
	return do_checkin(r, gid, json_object_get(r->json, "location"), 0);
}

/* Leader or staff may act on someone else's sign-up: staff over the shift's
 * org, or a team leader confirmed on the same shift. */
static int may_confirm(struct req *r, const json_t *g, const json_t *s)
{
	if (staff_over(r, s))
		return 1;
	int64_t me = my_volunteer(r);
	if (!me || store_team_is_leader(me, 0) != 1)
		return 0;
	int64_t live = store_signup_live(jint(g, "shift_id", 0), me);
	json_t *mine = live > 0 ? store_signup_get(live) : NULL;
	int ok = mine && !strcmp(jstr(mine, "status"), "confirmed");
	json_decref(mine);
	return ok;
}

/* POST /api/v1/signups/{id}/attendance {"action":"checkin"|"checkout"}:
 * a shift leader or staff confirms; the volunteer may check themself out. */
int signups_attendance(struct req *r)
{
	static const struct fspec spec[] = {{"action", F_STR, F_REQ, 1, 20}, {"location", F_OBJ, F_NULL, 0, 0},
					    {NULL, 0, 0, 0, 0}};
	int st = body_check(r, spec);
	if (st)
		return st;
	int64_t gid = req_id(r, 0);
	json_t *g = store_signup_get(gid);
	if (!g)
		return reply_error(r, 404, "not_found", "报名不存在", NULL);
	json_t *s = store_shift_get(jint(g, "shift_id", 0));
	int mine = jint(g, "volunteer_id", 0) == my_volunteer(r);
	int leader = may_confirm(r, g, s);
	const char *action = jstr(r->json, "action");
	struct signup_cfg c;
	volunteer_cfg(&c);
	int64_t now = app_now();
	if (!mine && !leader)	/* someone else's sign-up reads as missing (404) */
		st = reply_error(r, 404, "not_found", "报名不存在", NULL);
	else if (strcmp(action, "checkin") && strcmp(action, "checkout"))
		st = reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "action", "code", "invalid", "message",
					       "应为 checkin 或 checkout"));
	else if (strcmp(jstr(g, "status"), "confirmed"))
		st = reply_error(r, 409, "not_confirmed", "该报名不是正式报名", NULL);
	else if (!strcmp(action, "checkin") && !leader)
		st = reply_error(r, 403, "forbidden", "请扫描岗位二维码签到", NULL);
	else if (!strcmp(action, "checkin") &&
		 checkin_window(&c, jint(s, "start_at", 0), jint(s, "end_at", 0), now) != 0)
		st = reply_error(r, 409, "outside_window", "不在签到时间内", NULL);
	else if (!strcmp(action, "checkout") && !jint(g, "checkin_at", 0))
		st = reply_error(r, 409, "not_checked_in", "尚未签到", NULL);
	else if (!strcmp(action, "checkout") && jint(g, "checkout_at", 0))
		st = reply_error(r, 409, "already_checked_out", "已签退", NULL);
	else if (!strcmp(action, "checkout") && checkout_window(&c, jint(s, "end_at", 0), now) != 0)
		st = reply_error(r, 409, "outside_window", "已过签退时间，按未签退计至结束", NULL);
	json_decref(s);
	if (st) {
		json_decref(g);
		return st;
	}
	if (!strcmp(action, "checkin")) {
		json_decref(g);
		return do_checkin(r, gid, NULL, r->account_id);
	}
	json_t *patch = json_pack("{s:I, s:I}", "checkout_at", (json_int_t)now, "updated_at", (json_int_t)now);
	int rc = store_signup_update(gid, patch);
	json_decref(patch);
	if (rc) {
		json_decref(g);
		return reply_store_error(r, rc);
	}
	json_t *after = signup_view(store_signup_get(gid));
	audit(r, "checkout", "signup", gid, signup_view(g), json_incref(after));
	return reply_json(r, 200, after);
}

/* Settlement (scheduler tick) ------------------------------------------------------ */

static int settle_signup(const struct signup_cfg *c, const json_t *s, const json_t *g, int64_t now, int *no_show)
{
	int64_t start = jint(s, "start_at", 0), end = jint(s, "end_at", 0), in = jint(g, "checkin_at", 0);
	int64_t gid = jint(g, "id", 0), vid = jint(g, "volunteer_id", 0);
	int rc;
	if (!in) {
		json_t *patch = json_pack("{s:s, s:I}", "attendance", "no_show", "updated_at", (json_int_t)now);
		rc = store_signup_update(gid, patch);
		json_decref(patch);
		if (rc)
			return rc;
		(*no_show)++;
		int n = store_noshow_count(vid, now - (int64_t)c->block_days * 86400);
		if (n >= c->noshow_limit) {
			json_t *b = json_pack("{s:I}", "blocked_until", (json_int_t)(now + (int64_t)c->block_days * 86400));
			rc = store_volunteer_update(vid, b);
			json_decref(b);
		}
		return rc;
	}
	int64_t out = jint(g, "checkout_at", 0);
	double hours = credited_hours(start, end, in, out);
	int64_t credited = out && out < end ? out : end;
	json_t *patch = json_pack("{s:s, s:f, s:I, s:I}", "attendance", "attended", "hours", hours, "credited_end",
				  (json_int_t)credited, "updated_at", (json_int_t)now);
	rc = store_signup_update(gid, patch);
	json_decref(patch);
	if (rc || hours <= 0)
		return rc;
	char date[16];
	cn_date(start, date, sizeof date);
	const char *content = jstr(s, "content") ? jstr(s, "content") : jint(s, "post_id", 0) ? "岗位值守" : "志愿服务活动";
	json_t *rec = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s?, s:s, s:f, s:s?, s:s?}", "volunteer_id", (json_int_t)vid,
				"org_id", (json_int_t)jint(s, "org_id", 0), "signup_id", (json_int_t)gid, "activity_name",
				jstr(s, "title"), "service_date", date, "place", jstr(s, "place"), "content", content,
				"hours", hours, "organiser",
				jstr(s, "organiser") ? jstr(s, "organiser") : jstr(s, "org_name"), "person_in_charge",
				jstr(s, "person_in_charge"));
	rc = store_record_create(rec, now, NULL);
	json_decref(rec);
	return rc;
}

int shifts_tick(int64_t now, int *settled, int *no_shows)
{
	*settled = *no_shows = 0;
	struct signup_cfg c;
	volunteer_cfg(&c);
	int rc = store_begin();
	if (rc)
		return rc;
	json_t *due = store_shifts_to_settle(now - (int64_t)c.checkin_after_minutes * 60, 500);
	size_t i;
	json_t *row;
	json_array_foreach(due, i, row) {
		int64_t sid = jint(row, "id", 0);
		json_t *s = store_shift_get(sid);
		if (s && !strcmp(jstr(s, "status"), "open")) {
			json_t *f = json_pack("{s:I}", "shift_id", (json_int_t)sid);
			json_t *gs = store_signup_list(f, 10000);
			json_decref(f);
			size_t k;
			json_t *g;
			json_array_foreach(gs, k, g) {
				if (!rc && !strcmp(jstr(g, "status"), "confirmed") && !jstr(g, "attendance"))
					rc = settle_signup(&c, s, g, now, no_shows);
			}
			json_decref(gs);
		}
		json_decref(s);
		if (!rc)
			rc = store_shift_mark_settled(sid);
		if (rc)
			break;
		(*settled)++;
	}
	json_decref(due);
	if (rc) {
		store_rollback();
		return rc;
	}
	return store_commit();
}
