/*
 * citizen.c — the citizen loop (SPEC §3): a citizen tip (source citizen_tip
 * or open311) gets a tracking code, with a public status page that shows no
 * personal data; when the problem is closed its reporter rates satisfaction
 * (满意 / 基本满意 / 不满意), and a 不满意 reopens the problem once.
 *
 * The tracking code is 16 random hex digits (64 bits, shown as
 * XXXX-XXXX-XXXX-XXXX), given only to the reporter (the report's answer and
 * their own view of the problem). The internal code (HM-2026-000123) is
 * sequential: tracking by it would list every case of the street, so it
 * tracks nothing; inspections, patrols, self-checks and volunteers' reports
 * have no tracking code at all (review 2026-12-07, coverage 12).
 */
#include "api.h"
#include "lifecycle.h"
#include "core/timefmt.h"
#include "core/workflow.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int citizen_source(const char *source)
{
	return source && (!strcmp(source, "citizen_tip") || !strcmp(source, "open311"));
}

/* "0123456789ABCDEF" → "0123-4567-89AB-CDEF"; out >= 20 bytes. */
static void track_format(const char *token, char *out, size_t n)
{
	snprintf(out, n, "%.4s-%.4s-%.4s-%.4s", token, token + 4, token + 8, token + 12);
}

/* What a person typed (any case, dashes, spaces) → the stored 16 hex digits;
 * -1 when it cannot be a tracking code. */
static int track_normalise(const char *in, char out[17])
{
	size_t k = 0;
	for (const char *c = in; *c; c++) {
		if (*c == '-' || *c == ' ')
			continue;
		char u = (char)(*c >= 'a' && *c <= 'f' ? *c - 32 : *c);
		if (!((u >= '0' && u <= '9') || (u >= 'A' && u <= 'F')) || k == 16)
			return -1;
		out[k++] = u;
	}
	out[k] = 0;
	return k == 16 ? 0 : -1;
}

int citizen_track_issue(int64_t problem_id, const char *source, char *out, size_t n)
{
	out[0] = 0;
	if (!citizen_source(source))
		return STORE_OK;
	unsigned char raw[8];
	char token[17];
	randombytes_buf(raw, sizeof raw);
	for (int i = 0; i < 8; i++)
		snprintf(token + 2 * i, 3, "%02X", raw[i]);
	int rc = store_tracking_put(problem_id, token);
	if (!rc)
		track_format(token, out, n);
	return rc;
}

int64_t citizen_track_lookup(const char *typed)
{
	char token[17];
	if (!typed || strlen(typed) > 40 || track_normalise(typed, token))
		return 0;
	int64_t id = store_tracking_problem(token);
	return id > 0 ? id : 0;
}

/* The shown tracking code of a citizen tip (XXXX-XXXX-XXXX-XXXX) into out;
 * 0 when the problem has none (internal findings never do). */
int citizen_track_shown(int64_t problem_id, char *out, size_t n)
{
	char *token = store_tracking_token(problem_id);
	int ok = token && strlen(token) == 16;
	if (ok)
		track_format(token, out, n);
	free(token);
	return ok;
}

void citizen_track_attach(struct req *r, json_t *p)
{
	if (!r->account_id || jint(p, "reporter_id", 0) != r->account_id || !citizen_source(jstr(p, "source")))
		return;
	char shown[24];
	if (citizen_track_shown(jint(p, "id", 0), shown, sizeof shown))
		json_object_set_new(p, "tracking_code", json_string(shown));
}

static const char *const state_zh[] = {"已受理待立案", "已立案", "不予立案", "已合并", "已派遣", "整改中",
				       "已整改待核查", "已办结", "重新处理中"};

/* GET /api/v1/track/{tracking code}: public, no login. Only what a passer-by may know:
 * the category, the community, the state and when things happened — never
 * who reported it, who handled it by name, photos or exact location. */
int track_get(struct req *r)
{
	int64_t id = citizen_track_lookup(r->m.rest);
	json_t *p = id ? store_problem_get(id) : NULL;
	if (!p || !citizen_source(jstr(p, "source"))) {
		json_decref(p);
		return reply_error(r, 404, "not_found", "没有这个查询码，请核对", NULL);
	}
	char shown[24];
	char norm[17];
	track_normalise(r->m.rest, norm);
	track_format(norm, shown, sizeof shown);
	int s = wf_state_parse(jstr(p, "state"));
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "tracking_code", shown, "code", jstr(p, "code"), "state", jstr(p, "state"),
			      "state_label", s >= 0 ? state_zh[s] : "", "category_name", jstr(p, "category_name"),
			      "org_name", jstr(p, "org_name"), "created_at", (json_int_t)jint(p, "created_at", 0),
			      "updated_at", (json_int_t)jint(p, "updated_at", 0));
	if (json_is_integer(json_object_get(p, "deadline")))
		json_object_set(o, "deadline", json_object_get(p, "deadline"));
	if (json_is_integer(json_object_get(p, "closed_at")))
		json_object_set(o, "closed_at", json_object_get(p, "closed_at"));
	if (json_is_integer(json_object_get(p, "merged_into"))) {	/* a merged report points to the surviving case */
		/* by its tracking code: the public page never takes an HM- code, and
		 * a merge into an internal finding points nowhere (coverage 12) */
		char to[24];
		if (citizen_track_shown(jint(p, "merged_into", 0), to, sizeof to))
			json_object_set_new(o, "merged_into", json_string(to));
	}
	json_object_set_new(o, "overdue", json_boolean(wf_clock_running(s) && jint(p, "deadline", INT64_MAX) < app_now()));
	json_t *events = store_problem_events(jint(p, "id", 0)), *timeline = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e) {
		const char *a = jstr(e, "action");
		/* Internal steps (reminders, escalations, joins) are not the public's business. */
		if (!a || !strcmp(a, "remind") || !strcmp(a, "escalate") || !strcmp(a, "merged_from") || !strcmp(a, "join"))
			continue;
		json_t *t = json_pack("{s:s, s:I}", "action", a, "at", (json_int_t)jint(e, "at", 0));
		if (jstr(e, "to_state"))
			json_object_set_new(t, "state", json_string(jstr(e, "to_state")));
		json_array_append_new(timeline, t);
	}
	json_decref(events);
	static const char *const tk[] = {"at", NULL};
	json_array_foreach(timeline, i, e) render_times(e, tk);
	json_object_set_new(o, "timeline", timeline);
	json_t *ratings = store_ratings(jint(p, "id", 0));
	json_object_set_new(o, "rated", json_boolean(json_array_size(ratings) > 0));
	json_decref(ratings);
	json_decref(p);
	static const char *const keys[] = {"created_at", "updated_at", "deadline", "closed_at", NULL};
	render_times(o, keys);
	reply_header(r, "Cache-Control", "no-cache");
	return reply_json(r, 200, o);
}

/* POST /api/v1/problems/{id}/rating {"rating","comment"}: the reporter's
 * verdict on a closed problem; 不满意 reopens it the first time. */
int problems_rate(struct req *r)
{
	static const struct fspec spec[] = {
		{"rating", F_STR, F_REQ, 1, 32}, {"comment", F_STR, F_NULL, 0, 500}, {NULL, 0, 0, 0, 0}};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	const char *rating = jstr(r->json, "rating");
	if (rating && !word_in_list("satisfied basically_satisfied dissatisfied", rating))
		field_error(fields, "rating", "invalid", "评价应为 satisfied（满意）、basically_satisfied（基本满意）或 dissatisfied（不满意）");
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	int64_t id = req_id(r, 0);
	json_t *p = store_problem_get(id);
	if (!p || !problem_visible(r, p)) {
		json_decref(p);
		return reply_error(r, 404, "not_found", "问题不存在或无权查看", NULL);
	}
	if (jint(p, "reporter_id", 0) != r->account_id) {
		json_decref(p);
		return reply_error(r, 403, "not_reporter", "只有上报人可以评价", NULL);
	}
	if (strcmp(jstr(p, "state"), "closed")) {
		json_decref(p);
		return reply_error(r, 409, "not_closed", "问题办结后才能评价", NULL);
	}
	json_t *ratings = store_ratings(id);
	int mine = 0, reopened_before = 0;
	size_t i;
	json_t *x;
	json_array_foreach(ratings, i, x) {
		mine |= jint(x, "account_id", 0) == r->account_id && !jbool(x, "reopened", 0);
		reopened_before |= jbool(x, "reopened", 0);
	}
	json_decref(ratings);
	/* One verdict per round: a rating that reopened the problem leaves room
	 * for one more after the second closing, and that one is final. */
	if (mine) {
		json_decref(p);
		return reply_error(r, 409, "already_rated", "您已评价过该问题", NULL);
	}
	int reopen = !strcmp(rating, "dissatisfied") && !reopened_before;
	int64_t now = app_now();
	int rc = store_rating_add(id, r->account_id, rating, jstr(r->json, "comment"), reopen, now);
	if (rc == STORE_ECONFLICT) {
		json_decref(p);
		return reply_error(r, 409, "already_rated", "您已评价过该问题", NULL);
	}
	json_t *data = json_pack("{s:s}", "rating", rating);
	struct lc_run run = {.transition = LC_RATE, .id = id, .actor = r->account_id, .now = now,
			     .note = jstr(r->json, "comment"), .data = data};
	if (!rc)
		rc = lifecycle_run(&run);
	json_decref(data);
	/* Not a relapse (回潮): the rating is about the handling, not the place. */
	if (!rc && reopen)
		rc = lifecycle_reopen(LC_CITIZEN_REOPEN, p, r->account_id, "市民评价不满意，问题重新处理", NULL, NULL, 0,
				      NULL);
	if (!rc)
		rc = audit(r, "rate", "problem", id, NULL, json_pack("{s:s, s:b}", "rating", rating, "reopened", reopen));
	json_decref(p);
	if (rc)
		return reply_store_error(r, rc);
	return reply_json(r, 200, json_pack("{s:s, s:b, s:s}", "rating", rating, "reopened", reopen, "state",
					    reopen ? "reopened" : "closed"));
}
