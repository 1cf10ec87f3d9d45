/*
 * party_meeting_signin.c — what a member does for a meeting (docs/PARTY.md):
 * see it (the page the QR code opens), sign in with the meeting's secret
 * from the code, or ask for leave with a reason. Any signed-in account may
 * call; the handler requires the caller's person to be an active member of
 * the meeting org's subtree, and anyone else gets the same 404 as for a
 * meeting that does not exist.
 */
#include "party_meetings.h"
#include "core/period.h"
#include "core/signup.h"
#include "store/party_meetings.h"
#include <sodium.h>
#include <string.h>

/* Sign-in opens 2 hours before the start (the day's 00:00 without a start
 * time) and closes at the end of the meeting's day, China time. */
#define SIGNIN_EARLY_MIN 120

static json_t *my_meeting(struct req *r, int64_t *person, int *status)
{
	json_t *m = store_meeting_get(req_id(r, 0));
	*person = r->account_id ? store_account_person(r->account_id) : 0;
	if (m && (*person <= 0 || store_meeting_is_member(jint(m, "id", 0), *person) != 1)) {
		json_decref(m);
		m = NULL;
	}
	if (!m)
		*status = reply_error(r, 404, "not_found", "会议不存在", NULL);
	return m;
}

static json_t *my_mark(int64_t meeting, int64_t person)
{
	json_t *roster = store_meeting_roster(meeting), *v, *out = NULL;
	size_t i;
	json_array_foreach(roster, i, v) {
		if (jint(v, "person_id", 0) == person) {
			out = json_incref(v);
			break;
		}
	}
	json_decref(roster);
	return out ? out : json_object();
}

static json_t *mine_view(json_t *m, int64_t person)
{
	json_t *mark = my_mark(jint(m, "id", 0), person);
	json_t *out = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(m, "id"),
				"org_name", json_object_get(m, "org_name"), "type", json_object_get(m, "type"), "held_on",
				json_object_get(m, "held_on"), "start_time", json_object_get(m, "start_time"), "place",
				json_object_get(m, "place"), "topic", json_object_get(m, "topic"), "state",
				json_object_get(m, "state"), "my_status", json_object_get(mark, "status"), "my_reason",
				json_object_get(mark, "reason"));
	json_decref(mark);
	json_decref(m);
	return out;
}

int meetings_mine(struct req *r)
{
	int64_t person;
	int st = 0;
	json_t *m = my_meeting(r, &person, &st);
	return m ? reply_json(r, 200, mine_view(m, person)) : st;
}

static int window_open(const json_t *m, int64_t now)
{
	int64_t day;
	if (period_parse_date(jstr(m, "held_on"), &day))
		return 0;
	int64_t start = period_day_start(day), end = period_day_start(day + 1);
	int hm = jstr(m, "start_time") ? hhmm_parse(jstr(m, "start_time")) : -1;
	if (hm >= 0)
		start += (int64_t)(hm - SIGNIN_EARLY_MIN) * 60;
	return now >= start && now < end;
}

int meetings_sign_in(struct req *r)
{
	static const struct fspec spec[] = {{"token", F_STR, F_REQ, 1, 100}, {NULL, 0, 0, 0, 0}};
	int64_t person, now = app_now();
	int st = 0;
	json_t *m = my_meeting(r, &person, &st);
	if (!m)
		return st;
	const char *want = jstr(m, "signin_token"), *tok = jstr(r->json, "token");
	if (body_check(r, spec)) {
		json_decref(m);
		return r->status;
	}
	if (!want || strlen(want) != strlen(tok) || sodium_memcmp(want, tok, strlen(want))) {
		json_decref(m);
		return reply_field(r, "token", "invalid", "签到码无效，请重新扫描会议二维码");
	}
	if (strcmp(jstr(m, "state"), "cancelled") == 0 || !window_open(m, now)) {
		json_decref(m);
		return reply_error(r, 409, "sign_in_closed", "不在签到时间内（会前 2 小时至当天结束）", NULL);
	}
	int64_t id = jint(m, "id", 0);
	json_t *before = my_mark(id, person);
	/* Twice is once: the first sign-in's time stands. */
	if (!jstr(before, "status") || strcmp(jstr(before, "status"), "present")) {
		int rc = store_attendance_set(id, person, "present", NULL, now);
		if (rc) {
			json_decref(before);
			json_decref(m);
			return reply_store_error(r, rc);
		}
		audit(r, "sign_in", "party_meeting", id, json_incref(before), my_mark(id, person));
	}
	json_decref(before);
	return reply_json(r, 200, mine_view(m, person));
}

int meetings_leave(struct req *r)
{
	static const struct fspec spec[] = {{"reason", F_STR, F_REQ, 1, 200}, {NULL, 0, 0, 0, 0}};
	int64_t person;
	int st = 0;
	json_t *m = my_meeting(r, &person, &st);
	if (!m)
		return st;
	if (body_check(r, spec)) {
		json_decref(m);
		return r->status;
	}
	int64_t id = jint(m, "id", 0);
	json_t *before = my_mark(id, person);
	const char *was = jstr(before, "status");
	if (strcmp(jstr(m, "state"), "planned") || (was && !strcmp(was, "present"))) {
		json_decref(before);
		json_decref(m);
		return reply_error(r, 409, "leave_closed", "会议已举行、已取消或您已签到，不能请假", NULL);
	}
	int rc = store_attendance_set(id, person, "leave", jstr(r->json, "reason"), 0);
	if (rc) {
		json_decref(before);
		json_decref(m);
		return reply_store_error(r, rc);
	}
	audit(r, "leave", "party_meeting", id, before, my_mark(id, person));
	return reply_json(r, 200, mine_view(m, person));
}
