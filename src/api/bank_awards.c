/*
 * bank_awards.c — posting the love bank's awards (bank.h): the hooks on an
 * approved record and a verified tip, the catch-up job with expiry (award-run
 * and the tick), and manual awards by a manager.
 */
#include "api.h"
#include "api/bank.h"	/* not src/store/bank.h */
#include "core/bank_rules.h"
#include "core/timefmt.h"
#include "store/targets_sql.h"
#include <stdio.h>

/* Posting ---------------------------------------------------------------- */

/* An award of `points` from org's issuer to the member account of login
 * account `account`; 0 when posted or already posted (or nothing to award).
 * The entry is dated when its source was earned (approved, closed, attended)
 * when that is known and not in the future, so catch-up awards keep the
 * history (and expiry) true. */
static int award_at(const char *kind, int64_t source, int64_t account, int64_t org, int64_t points, int64_t by,
		    int64_t now, int64_t at, int *posted)
{
	if (at > 0 && at < now)
		now = at;
	if (points <= 0 || !account || !org)
		return 0;
	int64_t debit = store_bank_account("issuer", org, now), credit = store_bank_account("member", account, now);
	if (debit < 0 || credit < 0)
		return STORE_EIO;
	struct bank_post p = {.debit = debit, .credit = credit, .amount = points, .source_kind = kind,
			      .source_id = source, .by = by, .now = now};
	int rc = store_bank_post(&p, NULL);
	if (rc == 0 && posted)
		(*posted)++;
	return rc > 0 ? 0 : rc;
}

static int award(const char *kind, int64_t source, int64_t account, int64_t org, int64_t points, int64_t by,
		 int64_t now, int *posted)
{
	return award_at(kind, source, account, org, points, by, now, 0, posted);
}

static int award_records(int64_t only, const struct bank_cfg *c, int64_t now, int *n)
{
	json_t *rows = store_bank_pending_records(only, 1000);
	if (!rows)
		return STORE_EIO;
	int rc = 0;
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) {
		double h = json_number_value(json_object_get(x, "hours"));
		double old = json_number_value(json_object_get(x, "old_hours"));
		rc = award_at("service_record", jint(x, "id", 0), jint(x, "account_id", 0), jint(x, "org_id", 0),
			      bank_record_points(h, old, c->per_hour), 0, now, jint(x, "at", 0), n);
		if (rc)
			break;
	}
	json_decref(rows);
	return rc;
}

static int award_tips(int64_t only, const struct bank_cfg *c, int64_t now, int *n)
{
	json_t *rows = store_bank_pending_tips(only, 1000);
	if (!rows)
		return STORE_EIO;
	int rc = 0;
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) {
		rc = award_at("verified_tip", jint(x, "id", 0), jint(x, "account_id", 0), jint(x, "org_id", 0), c->per_tip,
			      0, now, jint(x, "at", 0), n);
		if (rc)
			break;
	}
	json_decref(rows);
	return rc;
}

/* Verified good deeds whose doer has an account (good_deeds.c). */
static int award_good_deeds(int64_t only, const struct bank_cfg *c, int64_t now, int *n)
{
	json_t *rows = store_good_deeds_unawarded(only, 1000);
	if (!rows)
		return STORE_EIO;
	int rc = 0;
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) {
		rc = award_at("good_deed", jint(x, "id", 0), jint(x, "account_id", 0), jint(x, "org_id", 0),
			      c->per_good_deed, 0, now, jint(x, "at", 0), n);
		if (rc)
			break;
	}
	json_decref(rows);
	return rc;
}

int bank_award_good_deed(int64_t deed_id, int64_t now)
{
	struct bank_cfg c;
	bank_cfg_load(&c);
	return award_good_deeds(deed_id, &c, now, NULL);
}

int bank_award_record(int64_t record_id, int64_t now)
{
	struct bank_cfg c;
	bank_cfg_load(&c);
	return award_records(record_id, &c, now, NULL);
}

int bank_award_tip(int64_t problem_id, int64_t now)
{
	struct bank_cfg c;
	bank_cfg_load(&c);
	return award_tips(problem_id, &c, now, NULL);
}

/* Expiry (off unless expiry_days > 0): points credited before the cutoff
 * that were not spent since expire first-in-first-out — the amount is what
 * the old credits exceed everything ever debited; one entry per account per
 * day ("expiry:<China day number>"), so repeated runs change nothing. */
static int expire(const struct bank_cfg *c, int64_t now, int *n)
{
	if (c->expiry_days <= 0)
		return 0;
	int64_t cutoff = now - (int64_t)c->expiry_days * 86400;
	json_t *rows = store_bank_expirable(cutoff);
	if (!rows)
		return STORE_EIO;
	char purpose[32];
	snprintf(purpose, sizeof purpose, "expiry:%lld", (long long)china_day(now));
	int rc = 0;
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) {
		int64_t acc = jint(x, "account_id", 0), amount = jint(x, "amount", 0), org = jint(x, "org_id", 0);
		if (amount <= 0 || !org)
			continue;
		int64_t issuer = store_bank_account("issuer", org, now);
		if (issuer < 0) {
			rc = STORE_EIO;
			break;
		}
		struct bank_post p = {.debit = acc, .credit = issuer, .amount = amount, .source_kind = "expiry",
				      .source_id = acc, .purpose = purpose, .now = now, .note = "积分过期"};
		rc = store_bank_post(&p, NULL);
		if (rc == 0)
			(*n)++;
		if (rc > 0)
			rc = 0;
		if (rc)
			break;
	}
	json_decref(rows);
	return rc;
}

/* The catch-up job: every approved record, attended activity and verified
 * tip without its award gets it, then expiry. Inside the caller's write
 * transaction (store_begin nests). */
static int award_run(int64_t now, int counts[5])
{
	struct bank_cfg c;
	bank_cfg_load(&c);
	int rc = award_records(0, &c, now, &counts[0]);
	if (!rc)
		rc = award_tips(0, &c, now, &counts[1]);
	json_t *rows = rc ? NULL : store_bank_pending_activities(1000);
	if (!rc && !rows)
		rc = STORE_EIO;
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) {
		if (rc)
			break;
		rc = award_at("activity", jint(x, "id", 0), jint(x, "account_id", 0), jint(x, "org_id", 0), c.per_activity,
			      0, now, jint(x, "at", 0), &counts[2]);
	}
	json_decref(rows);
	if (!rc)
		rc = award_good_deeds(0, &c, now, &counts[4]);
	if (!rc)
		rc = expire(&c, now, &counts[3]);
	return rc;
}

int bank_tick(int64_t now, int *awarded, int *expired)
{
	int counts[5] = {0};
	int rc = store_begin();
	if (rc)
		return rc;
	rc = award_run(now, counts);
	if (rc) {
		store_rollback();
		return rc;
	}
	if (awarded)
		*awarded = counts[0] + counts[1] + counts[2] + counts[4];
	if (expired)
		*expired = counts[3];
	return store_commit();
}

static json_t *run_json(const int c[5])
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i}", "service_records", c[0], "verified_tips", c[1], "activities", c[2],
			 "expired", c[3], "good_deeds", c[4]);
}

int bank_award_run(struct req *r)
{
	int counts[5] = {0};
	int rc = award_run(app_now(), counts);
	if (rc)
		return reply_store_error(r, rc);
	audit(r, "award_run", "bank", 0, NULL, run_json(counts));
	return reply_json(r, 200, run_json(counts));
}

/* Manual awards ---------------------------------------------------------- */

int bank_awards_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"account_id", F_INT, F_REQ, 1, INT64_MAX},
		{"org_id", F_INT, F_REQ, 1, INT64_MAX},
		{"points", F_INT, F_REQ, 1, 10000},
		{"reason", F_STR, F_REQ, 2, 200},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int64_t acc = jint(r->json, "account_id", 0), org = jint(r->json, "org_id", 0);
	json_t *a = acc ? store_account_get(acc) : NULL;
	if (acc && !a)
		field_error(fields, "account_id", "not_found", "账号不存在");
	json_decref(a);
	json_t *o = org ? store_org_get(org) : NULL;
	if (org && !o)
		field_error(fields, "org_id", "not_found", "组织不存在");
	json_decref(o);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	if (!scope_covers(r, org))
		return reply_error(r, 403, "forbidden_scope", "只能以自己负责的组织发放积分", NULL);
	int64_t now = app_now(), id = 0;
	json_t *in = json_deep_copy(r->json);
	json_object_set_new(in, "created_by", json_integer(r->account_id));
	json_object_set_new(in, "created_at", json_integer(now));
	int rc = store_bank_award_add(in, &id);
	json_decref(in);
	if (!rc)
		rc = award("manual", id, acc, org, jint(r->json, "points", 0), r->account_id, now, NULL);
	if (rc)
		return reply_store_error(r, rc);
	json_t *e = store_bank_entry_by_source("manual", id, "award");
	json_object_set_new(e, "reason", json_string(jstr(r->json, "reason")));
	bank_entry_view(e);
	audit(r, "award", "bank", id, NULL, json_incref(e));
	return reply_json(r, 201, e);
}
