/*
 * party_meetings.c — 三会一课 and 主题党日 records (docs/PARTY.md): a meeting
 * of a party organisation (branch, group, 党总支) with its type, day, time,
 * place, topic, speaker, state, minutes, photos (ids of photo uploads) and
 * attachments (linked files: name + URL); its expected attendees are the
 * active party members of the org's subtree, marked present / leave (with a
 * reason) / absent by the secretary. Creating a planned meeting sends a
 * notice to the members' inboxes (members with an account) and the
 * party.meeting.planned webhook event. Members sign in by QR and ask for
 * leave in party_meeting_signin.c.
 */
#include "party_meetings.h"
#include "core/crypto.h"
#include "core/qr.h"
#include "core/signup.h"
#include "store/party_meetings.h"
#include "store/webhook_outbox.h"
#include <stdio.h>
#include <string.h>

static const char *const meeting_types = "member_meeting committee_meeting group_meeting lecture theme_day";
static const char *const meeting_states = "planned held cancelled";

json_t *meeting_load(struct req *r, int64_t id, int *status)
{
	json_t *m = store_meeting_get(id);
	/* Out of scope reads as missing: a 403 would disclose the meeting. */
	if (m && !scope_covers(r, jint(m, "org_id", 0))) {
		json_decref(m);
		m = NULL;
	}
	if (!m)
		*status = reply_error(r, 404, "not_found", "会议不存在", NULL);
	return m;
}

json_t *meeting_view(json_t *m)
{
	static const char *const t[] = {"created_at", "updated_at", NULL};
	json_object_del(m, "signin_token");
	json_object_del(m, "org_path");
	render_times(m, t);
	return m;
}

#define MEETING_SPEC(REQ)                           \
	{"org_id", F_INT, REQ, 1, INT64_MAX},       \
	{"type", F_STR, REQ, 1, 30},                \
	{"held_on", F_STR, REQ, 10, 10},            \
	{"start_time", F_STR, F_NULL, 5, 5},        \
	{"state", F_STR, 0, 1, 20},                 \
	{"topic", F_STR, REQ, 1, 200},              \
	{"place", F_STR, F_NULL, 0, 100},           \
	{"speaker", F_STR, F_NULL, 0, 50},          \
	{"minutes", F_STR, F_NULL, 0, 20000},       \
	{"photos", F_ARR, 0, 0, 20},                \
	{"attachments", F_ARR, 0, 0, 10},           \
	{NULL, 0, 0, 0, 0}

static void check_attachments(const json_t *a, json_t *fields)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		const char *name = jstr(v, "name"), *url = jstr(v, "url");
		if (!json_is_object(v) || json_object_size(v) != 2 || !name || !*name || strlen(name) > 300 || !url ||
		    strlen(url) > 500 || (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))) {
			field_error(fields, "attachments", "invalid", "附件应为 {\"name\":名称,\"url\":\"https://…\"}");
			return;
		}
	}
}

/* The photos of the body that are not already the meeting's (`had`): new
 * ones must be the caller's own uploads (check_photos). */
static void check_new_photos(struct req *r, const json_t *photos, const json_t *had, json_t *fields)
{
	json_t *fresh = json_array(), *v, *w;
	size_t i, j;
	json_array_foreach(photos, i, v) {
		int old = 0;
		json_array_foreach(had, j, w) old |= json_equal(v, w);
		if (!old)
			json_array_append(fresh, v);
	}
	check_photos(r, fresh, fields);
	json_decref(fresh);
}

/* The body's own checks; org_id is checked by the caller (scope). `had` is
 * the meeting's photos on an update (NULL on create). */
static void check_meeting(struct req *r, json_t *fields, const json_t *had)
{
	const json_t *in = r->json;
	if (jstr(in, "type") && !word_in_list(meeting_types, jstr(in, "type")))
		field_error(fields, "type", "invalid", "会议类型应为 member_meeting、committee_meeting、group_meeting、lecture 或 theme_day");
	if (jstr(in, "state") && !word_in_list(meeting_states, jstr(in, "state")))
		field_error(fields, "state", "invalid", "状态应为 planned、held 或 cancelled");
	if (jstr(in, "held_on") && !date_valid(jstr(in, "held_on")))
		field_error(fields, "held_on", "invalid", "日期应为 YYYY-MM-DD");
	const char *t = jstr(in, "start_time");
	if (t && (hhmm_parse(t) < 0 || hhmm_parse(t) >= 24 * 60))
		field_error(fields, "start_time", "invalid", "时间应为 HH:MM");
	json_t *photos = json_object_get(in, "photos");
	if (json_is_array(photos))
		check_new_photos(r, photos, had, fields);
	json_t *att = json_object_get(in, "attachments");
	if (json_is_array(att))
		check_attachments(att, fields);
	if (jhas(in, "org_id") && jint(in, "org_id", 0) > 0) {
		json_t *o = store_org_get(jint(in, "org_id", 0));
		if (!o || !jstr(o, "kind") || strcmp(jstr(o, "kind"), "party_org"))
			field_error(fields, "org_id", "not_found", "党组织不存在");
		json_decref(o);
	}
}

int meetings_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = json_object();
	static const char *const keys[] = {"type", "state", "from", "to"};
	for (int i = 0; i < 4; i++)
		if (q_has(r, keys[i]))
			json_object_set_new(f, keys[i], json_string(q_text(r, keys[i])));
	if (q_has(r, "org_id"))
		json_object_set_new(f, "org_id", json_integer(q_int(r, "org_id")));
	json_t *rows = store_meeting_list(scope_filter(r, f), q_int(r, "cursor"), limit);
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *m;
	json_array_foreach(rows, i, m) meeting_view(m);
	return list_reply(r, rows, limit, "id");
}

/* The meeting with its expected attendees and their marks. */
static json_t *meeting_full(int64_t id)
{
	json_t *m = meeting_view(store_meeting_get(id));
	json_t *roster = store_meeting_roster(id), *a;
	static const char *const t[] = {"signed_at", NULL};
	size_t i;
	json_array_foreach(roster, i, a) render_times(a, t);
	json_object_set_new(m, "expected", json_integer((json_int_t)json_array_size(roster)));
	json_object_set_new(m, "attendees", roster ? roster : json_array());
	return m;
}

int meetings_get(struct req *r)
{
	int st = 0;
	json_t *m = meeting_load(r, req_id(r, 0), &st);
	if (!m)
		return st;
	json_decref(m);
	return reply_json(r, 200, meeting_full(req_id(r, 0)));
}

/* The notice ahead of a planned meeting: every member with an account, and
 * the webhook event (a chat-bot bridge). */
static int meeting_notice(const json_t *m, int64_t now)
{
	json_t *acc = store_meeting_member_accounts(jint(m, "id", 0));
	if (!acc)
		return STORE_EIO;
	char body[600];
	snprintf(body, sizeof body, "%s %s%s%s · %s：%s", jstr(m, "held_on"), jstr(m, "start_time") ? jstr(m, "start_time") : "",
		 jstr(m, "place") ? " · " : "", jstr(m, "place") ? jstr(m, "place") : "", jstr(m, "org_name"),
		 jstr(m, "topic"));
	json_t *n = json_pack("{s:s, s:s, s:s, s:I}", "kind", "party_meeting", "title", "党组织会议通知", "body", body,
			      "created_at", (json_int_t)now);
	int rc = STORE_OK;
	size_t i;
	json_t *a;
	json_array_foreach(acc, i, a) {
		if ((rc = store_notify_account(jint(a, "id", 0), n)))
			break;
	}
	json_decref(n);
	json_decref(acc);
	if (!rc)
		rc = webhooks_enqueue(&(struct webhook_event){.name = "party.meeting.planned", .meeting_id = jint(m, "id", 0),
								 .at = now});
	return rc;
}

int meetings_create(struct req *r)
{
	static const struct fspec spec[] = {MEETING_SPEC(F_REQ)};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	check_meeting(r, fields, NULL);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	if (!scope_covers(r, jint(r->json, "org_id", 0)))
		return reply_error(r, 403, "forbidden_scope", "只能为自己负责的党组织安排会议", NULL);
	json_t *row = json_deep_copy(r->json);
	char tok[64];
	token_new(tok, sizeof tok, 18);
	json_object_set_new(row, "signin_token", json_string(tok));
	json_object_set_new(row, "created_by", json_integer(r->account_id));
	int64_t id = 0, now = app_now();
	int rc = store_meeting_create(row, now, &id);
	json_decref(row);
	if (rc)
		return reply_store_error(r, rc);
	json_t *m = meeting_view(store_meeting_get(id));
	if (!strcmp(jstr(m, "state"), "planned") && (rc = meeting_notice(m, now))) {
		json_decref(m);
		return reply_store_error(r, rc);
	}
	audit(r, "create", "party_meeting", id, NULL, json_incref(m));
	return reply_json(r, 201, m);
}

int meetings_update(struct req *r)
{
	static const struct fspec spec[] = {MEETING_SPEC(0)};
	int64_t id = req_id(r, 0);
	int st = 0;
	json_t *before = meeting_load(r, id, &st);
	if (!before)
		return st;
	json_t *fields = body_fields(r, spec);
	if (fields)
		check_meeting(r, fields, json_object_get(before, "photos"));
	if (!fields || json_array_size(fields)) {
		json_decref(before);
		return fields ? reply_fields(r, fields) : r->status;
	}
	json_decref(fields);
	if (jhas(r->json, "org_id") && !scope_covers(r, jint(r->json, "org_id", 0))) {
		json_decref(before);
		return reply_error(r, 403, "forbidden_scope", "只能移到自己负责的党组织", NULL);
	}
	int rc = store_meeting_update(id, r->json, app_now());
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = meeting_view(store_meeting_get(id));
	audit(r, "update", "party_meeting", id, meeting_view(before), json_incref(after));
	return reply_json(r, 200, after);
}

/* One mark of the attendance body: {person_id, status, reason}. */
static void check_mark(int64_t meeting, const json_t *v, json_t *fields)
{
	const char *s = jstr(v, "status"), *reason = jstr(v, "reason");
	int64_t pid = jint(v, "person_id", 0);
	if (!json_is_object(v) || pid <= 0 || !s || !word_in_list("present leave absent", s) ||
	    (reason && strlen(reason) > 600) || (json_object_get(v, "reason") && !reason && !json_is_null(json_object_get(v, "reason"))))
		field_error(fields, "attendance", "invalid", "每项应为 {\"person_id\":…, \"status\":\"present|leave|absent\", \"reason\":…}");
	else if (!strcmp(s, "leave") && !(reason && *reason))
		field_error(fields, "attendance", "required", "请假须填写原因");
	else if (store_meeting_is_member(meeting, pid) != 1)
		field_error(fields, "attendance", "not_member", "只能标记本组织的党员");
}

int meetings_attendance(struct req *r)
{
	static const struct fspec spec[] = {{"attendance", F_ARR, F_REQ, 1, 2000}, {NULL, 0, 0, 0, 0}};
	int64_t id = req_id(r, 0);
	int st = 0;
	json_t *m = meeting_load(r, id, &st);
	if (!m)
		return st;
	json_decref(m);
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	json_t *list = json_object_get(r->json, "attendance"), *v;
	size_t i;
	json_array_foreach(list, i, v) {
		check_mark(id, v, fields);
		if (json_array_size(fields))
			break;
	}
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	json_t *before = store_meeting_roster(id);
	int rc = STORE_OK;
	json_array_foreach(list, i, v) {
		const char *s = jstr(v, "status");
		if ((rc = store_attendance_set(id, jint(v, "person_id", 0), s, strcmp(s, "present") ? jstr(v, "reason") : NULL,
					       0)))
			break;
	}
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = meeting_full(id);
	audit(r, "attendance", "party_meeting", id, before, json_incref(json_object_get(after, "attendees")));
	return reply_json(r, 200, after);
}

/* The sign-in link the QR code holds: the member's page with the secret. */
static void signin_url(struct req *r, const json_t *m, char *out, size_t n)
{
	char base[200];
	link_base(r, base, sizeof base);
	snprintf(out, n, "%s/#/meetings/%lld/sign-in?t=%s", base, (long long)jint(m, "id", 0), jstr(m, "signin_token"));
}

int meetings_qr(struct req *r)
{
	int st = 0;
	json_t *m = meeting_load(r, req_id(r, 0), &st);
	if (!m)
		return st;
	char url[512];
	signin_url(r, m, url, sizeof url);
	json_decref(m);
	buf_t b;
	buf_init(&b, 1024 * 1024);
	if (qr_png(url, 8, &b)) {
		buf_free(&b);
		return reply_error(r, 500, "qr_failed", "无法生成二维码", NULL);
	}
	reply_header(r, "Cache-Control", "private, no-store");
	reply_raw(r, 200, "image/png", b.data, b.len, 0);
	buf_free(&b);
	return 200;
}

/* The link itself, for the secretary's page (copy, or show under the code). */
int meetings_signin_link(struct req *r)
{
	int st = 0;
	json_t *m = meeting_load(r, req_id(r, 0), &st);
	if (!m)
		return st;
	char url[512];
	signin_url(r, m, url, sizeof url);
	json_decref(m);
	return reply_json(r, 200, json_pack("{s:s}", "url", url));
}
