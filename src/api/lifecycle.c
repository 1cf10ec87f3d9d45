/*
 * lifecycle.c — see lifecycle.h. The table says, per transition, which
 * effects follow; lifecycle_run runs them in one fixed order (the bits'
 * order below), inside the caller's transaction, stopping at the first
 * failure. Two effects are the store's own, implied by a row: writing the
 * state (LE_STATE) rolls up the KPIs (kpi_sql.c, before and after, in the
 * same statement's transaction), and every history event (LE_EVENT) queues
 * its webhook deliveries (webhook_outbox.c). No SQL trigger has a side
 * effect of a transition any more (schema 019 moved the webhook ones to C);
 * the remaining triggers keep rows append-only or an index in step.
 *
 * A new side effect: a bit here, its run in run_effects at the place its
 * order needs, and the transitions that want it marked in `rules`.
 */
#include "lifecycle.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum lc_effect {
	LE_STATE = 1 << 0,		/* write the patch (KPI roll-ups: the store) */
	LE_REOPENED = 1 << 1,		/* the patch clears closed_at */
	LE_RELAPSE = 1 << 2,		/* 回潮: the patch counts relapse_count */
	LE_EVENT = 1 << 3,		/* the history event (webhook outbox: the store) */
	LE_PHOTOS = 1 << 4,		/* the photos, attached to the event */
	LE_REINDEX = 1 << 5,		/* the full-text index row (search.c) */
	LE_CANCEL_REVISITS = 1 << 6,	/* pending revisits cancelled (but keep_revisit) */
	LE_SCHEDULE_REVISITS = 1 << 7,	/* 回头看 at the configured offsets (revisit_plan.c) */
	LE_AWARD_TIP = 1 << 8,		/* 啄木鸟 points for a citizen's tip (bank.c) */
	LE_MERGED_FROM = 1 << 9,	/* the survivor's event; the reporters follow it */
	LE_NOTIFY = 1 << 10,		/* the notice below, to roles at an org */
	LE_ASK_RATING = 1 << 11,	/* the reporter (not the actor) is asked to rate */
	LE_CHRONIC = 1 << 12,		/* counts the spot, flags a chronic one (chronic.c) */
};

/* Whose org the notice goes to: the problem's community or its handler unit. */
enum lc_whom { TO_ORG, TO_HANDLER };

struct lc_rule {
	const char *name;	/* the transition */
	const char *event;	/* the event's action (default for lc_run.action) */
	unsigned effects;
	const char *photo_kind;	/* LE_PHOTOS: "before" or "after" */
	/* LE_NOTIFY: the roles told, at which org, the notification's kind and title */
	const char *roles;
	enum lc_whom whom;
	const char *kind, *title;
};

#define ACT(a) [LC_ACT + (a)]
#define MOVE (LE_STATE | LE_EVENT | LE_PHOTOS)
#define REOPEN (MOVE | LE_REOPENED | LE_CANCEL_REVISITS | LE_NOTIFY)

/* The lifecycle table: transition × effects. */
static const struct lc_rule rules[LC_NTRANSITIONS] = {
	[LC_REPORT] = {"report", "report", LE_EVENT | LE_PHOTOS | LE_REINDEX | LE_NOTIFY | LE_CHRONIC, "before",
		       "committee", TO_ORG, "reported", "新的问题上报待受理"},
	[LC_REPORT_OPEN311] = {"report_open311", "report", LE_EVENT | LE_REINDEX | LE_CHRONIC, NULL, NULL, 0, NULL, NULL},
	ACT(WA_ACCEPT) = {"accept", "accept", MOVE, "before", NULL, 0, NULL, NULL},
	ACT(WA_REJECT) = {"reject", "reject", MOVE, "before", NULL, 0, NULL, NULL},
	ACT(WA_MERGE) = {"merge", "merge", MOVE | LE_MERGED_FROM, "before", NULL, 0, NULL, NULL},
	ACT(WA_DISPATCH) = {"dispatch", "dispatch", MOVE | LE_NOTIFY, "before", "handler", TO_HANDLER, "dispatched",
			    "新的整改任务"},
	ACT(WA_ACKNOWLEDGE) = {"acknowledge", "acknowledge", MOVE, "before", NULL, 0, NULL, NULL},
	ACT(WA_RETURN) = {"return", "return", MOVE | LE_NOTIFY, "before", "committee", TO_ORG, "returned",
			  "处置单位退单，请重新派遣"},
	ACT(WA_REQUEST_EXTENSION) = {"request_extension", "request_extension", MOVE | LE_NOTIFY, "before", "committee",
				     TO_ORG, "extension", "处置单位申请延期"},
	ACT(WA_APPROVE_EXTENSION) = {"approve_extension", "approve_extension", MOVE | LE_NOTIFY, "before", "handler",
				     TO_HANDLER, "extension", "延期申请已批准"},
	ACT(WA_DENY_EXTENSION) = {"deny_extension", "deny_extension", MOVE | LE_NOTIFY, "before", "handler",
				  TO_HANDLER, "extension", "延期申请未批准"},
	ACT(WA_RECTIFY) = {"rectify", "rectify", MOVE | LE_NOTIFY, "after", "committee", TO_ORG, "rectified",
			   "问题已整改，待核查"},
	ACT(WA_VERIFY_PASS) = {"verify_pass", "verify_pass", MOVE | LE_SCHEDULE_REVISITS | LE_AWARD_TIP | LE_ASK_RATING,
			       "before", NULL, 0, "closed", "您上报的问题已办结，请评价"},
	ACT(WA_VERIFY_FAIL) = {"verify_fail", "verify_fail", MOVE | LE_NOTIFY, "before", "handler", TO_HANDLER, "rework",
			       "核查未通过，请返工"},
	ACT(WA_REOPEN) = {"reopen", "reopen", REOPEN | LE_RELAPSE | LE_CHRONIC, "before", "committee", TO_ORG,
			  "reopened", "问题回潮，已重新打开"},
	[LC_REVISIT_FAIL] = {"revisit_fail", "reopen", REOPEN | LE_RELAPSE | LE_CHRONIC, "before", "committee", TO_ORG,
			     "reopened", "回头看发现问题回潮，已重新打开"},
	[LC_REVISIT_PASS] = {"revisit_pass", "revisit", LE_EVENT | LE_PHOTOS, "after", NULL, 0, NULL, NULL},
	[LC_RATE] = {"rate", "rate", LE_EVENT, NULL, NULL, 0, NULL, NULL},
	[LC_CITIZEN_REOPEN] = {"citizen_reopen", "citizen_reopen", REOPEN, "before", "committee", TO_ORG, "reopened",
			       "市民评价不满意，问题已重新打开"},
};

const char *lifecycle_name(int t)
{
	return t >= 0 && t < LC_NTRANSITIONS ? rules[t].name : NULL;
}

/* Notifications ------------------------------------------------------------ */

/* The roles (space-separated) at org told about p. */
static int notify(const char *who, int64_t org, const char *kind, const json_t *p, const char *title)
{
	if (!org)
		return STORE_OK;
	char body[512];
	snprintf(body, sizeof body, "%s %s：%s", jstr(p, "code") ? jstr(p, "code") : "",
		 jstr(p, "category_name") ? jstr(p, "category_name") : "", jstr(p, "description") ? jstr(p, "description") : "");
	json_t *n = json_pack("{s:s, s:I, s:s, s:s, s:I}", "kind", kind, "problem_id", (json_int_t)jint(p, "id", 0),
			      "title", title, "body", body, "created_at", (json_int_t)app_now());
	json_t *roles_json = json_array();
	char buf[128];
	snprintf(buf, sizeof buf, "%s", who);
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		json_array_append_new(roles_json, json_string(t));
	char *rj = json_dumps(roles_json, JSON_COMPACT);
	int rc = store_notify(rj, org, n);
	free(rj);
	json_decref(roles_json);
	json_decref(n);
	return rc;
}

/* The citizen loop: the reporter (unless the actor closed it) rates the result. */
static int ask_rating(const struct lc_rule *rule, const struct lc_run *x, const json_t *after)
{
	int64_t reporter = jint(after, "reporter_id", 0);
	if (!reporter || reporter == x->actor)
		return STORE_OK;
	json_t *n = json_pack("{s:s, s:I, s:s, s:O, s:I}", "kind", rule->kind, "problem_id", (json_int_t)x->id, "title",
			      rule->title, "body", json_object_get(after, "code"), "created_at", (json_int_t)x->now);
	int rc = store_notify_account(reporter, n);
	json_decref(n);
	return rc;
}

/* Effects -------------------------------------------------------------------- */

static int attach_photos(int64_t problem, const json_t *photos, int64_t event, const char *kind)
{
	size_t i;
	json_t *v;
	json_array_foreach(photos, i, v) {
		int rc = store_problem_photo_add(problem, json_integer_value(v), event, kind);
		if (rc)
			return rc;
	}
	return STORE_OK;
}

static int add_event(const struct lc_rule *rule, struct lc_run *x)
{
	json_t *e = json_pack("{s:I, s:s}", "at", (json_int_t)x->now, "action", x->action ? x->action : rule->event);
	if (x->actor)
		json_object_set_new(e, "actor_id", json_integer(x->actor));
	if (x->from)
		json_object_set_new(e, "from_state", json_string(x->from));
	if (x->to)
		json_object_set_new(e, "to_state", json_string(x->to));
	if (x->note)
		json_object_set_new(e, "note", json_string(x->note));
	if (x->data)
		json_object_set(e, "data", (json_t *)x->data);
	int rc = store_problem_event_add(x->id, e, &x->event_id);
	json_decref(e);
	return rc;
}

static int write_state(unsigned fx, struct lc_run *x)
{
	if (fx & LE_REOPENED)
		json_object_set_new(x->patch, "closed_at", json_null());
	if (fx & LE_RELAPSE)
		json_object_set_new(x->patch, "relapse_count", json_integer(jint(x->before, "relapse_count", 0) + 1));
	return store_problem_update(x->id, x->patch);
}

/* A merge does not strand the duplicate's reporter and co-reporters: they
 * follow the surviving case (its public fields, nearby.c) and are told; the
 * survivor's history says what joined it. */
static int merged_from(const struct lc_run *x)
{
	int64_t target = x->merge_into, reporter = jint(x->before, "reporter_id", 0);
	json_t *e = json_pack("{s:I, s:I, s:s, s:{s:I}}", "at", (json_int_t)x->now, "actor_id", (json_int_t)x->actor,
			      "action", "merged_from", "data", "problem_id", (json_int_t)x->id);
	int rc = store_problem_event_add(target, e, NULL);
	json_decref(e);
	json_t *t = rc ? NULL : store_problem_get(target);
	if (!rc && !t)
		rc = STORE_EIO;
	if (!rc)
		rc = store_problem_followers_copy(x->id, target, x->now);
	if (!rc && reporter && reporter != jint(t, "reporter_id", 0))
		rc = store_problem_follow(target, reporter, x->now) < 0 ? STORE_EIO : STORE_OK;
	if (!rc && reporter) {
		char body[128];
		snprintf(body, sizeof body, "%s → %s", jstr(x->before, "code") ? jstr(x->before, "code") : "",
			 jstr(t, "code") ? jstr(t, "code") : "");
		json_t *n = json_pack("{s:s, s:I, s:s, s:s, s:I}", "kind", "merged", "problem_id", (json_int_t)x->id,
				      "title", "您上报的问题与已有问题合并处理，可跟踪合并后的问题", "body", body,
				      "created_at", (json_int_t)x->now);
		rc = store_notify_account(reporter, n);
		json_decref(n);
	}
	json_decref(t);
	return rc;
}

/* The effects that need the row as it is after the writes above. */
static int effects_after(const struct lc_rule *rule, struct lc_run *x, const json_t *after)
{
	unsigned fx = rule->effects;
	int rc = STORE_OK;
	if (fx & LE_NOTIFY)
		rc = notify(rule->roles, jint(after, rule->whom == TO_ORG ? "org_id" : "handler_org_id", 0), rule->kind,
			    after, rule->title);
	if (!rc && (fx & LE_ASK_RATING))
		rc = ask_rating(rule, x, after);
	if (!rc && (fx & LE_CHRONIC))
		rc = chronic_note(after, x->now);
	return rc;
}

int lifecycle_run(struct lc_run *x)
{
	if (x->transition < 0 || x->transition >= LC_NTRANSITIONS || !rules[x->transition].name)
		return STORE_EIO;
	const struct lc_rule *rule = &rules[x->transition];
	unsigned fx = rule->effects;
	int rc = STORE_OK;
	x->event_id = 0;
	x->after = NULL;
	if (fx & LE_STATE)
		rc = write_state(fx, x);
	if (!rc && (fx & LE_EVENT))
		rc = add_event(rule, x);
	if (!rc && (fx & LE_PHOTOS) && json_is_array(x->photos))
		rc = attach_photos(x->id, x->photos, x->event_id, rule->photo_kind);
	if (!rc && (fx & LE_REINDEX))
		rc = problem_reindex(x->id);
	if (!rc && (fx & LE_CANCEL_REVISITS))
		rc = store_revisits_cancel(x->id, x->keep_revisit, x->now);
	if (!rc && (fx & LE_SCHEDULE_REVISITS))
		rc = revisits_schedule(x->id, x->now);
	if (!rc && (fx & LE_AWARD_TIP))
		rc = bank_award_tip(x->id, x->now);
	if (!rc && (fx & LE_MERGED_FROM))
		rc = merged_from(x);
	if (rc)
		return rc;
	if (!x->want_after && !(fx & (LE_NOTIFY | LE_ASK_RATING | LE_CHRONIC)))
		return STORE_OK;
	json_t *after = store_problem_get(x->id);
	if (!after)
		return STORE_EIO;
	rc = effects_after(rule, x, after);
	if (!rc && x->want_after)
		x->after = after;
	else
		json_decref(after);
	return rc;
}

int lifecycle_reopen(int transition, const json_t *p, int64_t actor, const char *note, const json_t *data,
		     const json_t *photos, int64_t keep_revisit, int64_t *event_id)
{
	int64_t now = app_now();
	struct lc_run x = {.transition = transition, .id = jint(p, "id", 0), .actor = actor, .now = now, .before = p,
			   .from = wf_state_name(WF_CLOSED), .to = wf_state_name(WF_REOPENED), .note = note,
			   .data = data, .photos = photos, .keep_revisit = keep_revisit};
	x.patch = json_pack("{s:s, s:I}", "state", x.to, "updated_at", (json_int_t)now);
	int rc = lifecycle_run(&x);
	json_decref(x.patch);
	if (event_id)
		*event_id = x.event_id;
	return rc;
}
