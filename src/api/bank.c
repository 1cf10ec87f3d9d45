/*
 * bank.c — 爱心银行 (love bank, SPEC §6; docs/BANK.md): a double-entry points
 * ledger, earning rules as configuration, the 爱心超市 catalogue and orders.
 *
 * Accounts: one "member" account per login account, one "issuer" account per
 * org (points come into being as a debit of the issuer of the org whose
 * volunteer record, activity or problem earned them, so issuers go negative
 * and all balances sum to zero), one "provider" account per provider unit
 * (redeemed points end there). Every movement is one entry (store_bank_post)
 * inside the request's write transaction: the store's single write lock
 * makes "check the balance, then post" atomic under parallel requests, and
 * a guarded UPDATE plus a CHECK refuse an overdraw even if a check is missed.
 *
 * Awards are unique on (source kind, source id, purpose): the hooks on record
 * approval and problem closing, the catch-up job (award-run, also run by the
 * tick) and retries all converge on the same single entry. Points are kept
 * apart from hours: nothing here touches service_records.
 */
#include "api.h"
#include "core/bank_rules.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/qr.h"
#include "core/timefmt.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rules ------------------------------------------------------------------ */

struct bank_cfg {
	int per_hour, per_activity, per_tip, expiry_days, transfer_max;
	int transfer_enabled;	/* a boolean, kept apart from the integer keys */
};

static const struct {
	const char *key;
	size_t off;
	int dflt, min, max;
} cfg_keys[] = {
	{"points_per_hour", offsetof(struct bank_cfg, per_hour), 10, 0, 1000},
	{"points_per_activity", offsetof(struct bank_cfg, per_activity), 5, 0, 1000},
	{"points_per_tip", offsetof(struct bank_cfg, per_tip), 5, 0, 1000},
	{"expiry_days", offsetof(struct bank_cfg, expiry_days), 0, 0, 3650},	/* 0 = points never expire */
	{"transfer_max_per_month", offsetof(struct bank_cfg, transfer_max), 200, 1, 1000000},	/* per sender, China month */
};
#define NCFG (sizeof cfg_keys / sizeof cfg_keys[0])

static void bank_cfg(struct bank_cfg *c)
{
	char *s = store_setting_get("bank_rules");
	json_t *o = s ? json_loads(s, 0, NULL) : NULL;
	free(s);
	for (size_t i = 0; i < NCFG; i++)
		*(int *)((char *)c + cfg_keys[i].off) = (int)jint(o, cfg_keys[i].key, cfg_keys[i].dflt);
	c->transfer_enabled = jbool(o, "transfer_enabled", 0);
	json_decref(o);
}

static json_t *cfg_json(const struct bank_cfg *c)
{
	json_t *o = json_object();
	for (size_t i = 0; i < NCFG; i++)
		json_object_set_new(o, cfg_keys[i].key, json_integer(*(const int *)((const char *)c + cfg_keys[i].off)));
	json_object_set_new(o, "transfer_enabled", json_boolean(c->transfer_enabled));
	return o;
}

int bank_settings_get(struct req *r)
{
	struct bank_cfg c;
	bank_cfg(&c);
	return reply_json(r, 200, cfg_json(&c));
}

int bank_settings_put(struct req *r)
{
	struct fspec spec[NCFG + 2];
	for (size_t i = 0; i < NCFG; i++)
		spec[i] = (struct fspec){cfg_keys[i].key, F_INT, 0, cfg_keys[i].min, cfg_keys[i].max};
	spec[NCFG] = (struct fspec){"transfer_enabled", F_BOOL, 0, 0, 0};
	spec[NCFG + 1] = (struct fspec){NULL, 0, 0, 0, 0};
	int st = body_check(r, spec);
	if (st)
		return st;
	struct bank_cfg before, c;
	bank_cfg(&before);
	c = before;
	for (size_t i = 0; i < NCFG; i++)
		if (jhas(r->json, cfg_keys[i].key))
			*(int *)((char *)&c + cfg_keys[i].off) = (int)jint(r->json, cfg_keys[i].key, 0);
	if (jhas(r->json, "transfer_enabled"))
		c.transfer_enabled = jbool(r->json, "transfer_enabled", 0);
	json_t *o = cfg_json(&c);
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = store_setting_set("bank_rules", s);
	free(s);
	json_decref(o);
	if (rc)
		return reply_store_error(r, rc);
	audit(r, "update", "bank_rules", 0, cfg_json(&before), cfg_json(&c));
	return reply_json(r, 200, cfg_json(&c));
}

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

int bank_award_record(int64_t record_id, int64_t now)
{
	struct bank_cfg c;
	bank_cfg(&c);
	return award_records(record_id, &c, now, NULL);
}

int bank_award_tip(int64_t problem_id, int64_t now)
{
	struct bank_cfg c;
	bank_cfg(&c);
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
static int award_run(int64_t now, int counts[4])
{
	struct bank_cfg c;
	bank_cfg(&c);
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
		rc = expire(&c, now, &counts[3]);
	return rc;
}

int bank_tick(int64_t now, int *awarded, int *expired)
{
	int counts[4] = {0};
	int rc = store_begin();
	if (rc)
		return rc;
	rc = award_run(now, counts);
	if (rc) {
		store_rollback();
		return rc;
	}
	if (awarded)
		*awarded = counts[0] + counts[1] + counts[2];
	if (expired)
		*expired = counts[3];
	return store_commit();
}

static json_t *run_json(const int c[4])
{
	return json_pack("{s:i, s:i, s:i, s:i}", "service_records", c[0], "verified_tips", c[1], "activities", c[2],
			 "expired", c[3]);
}

int bank_award_run(struct req *r)
{
	int counts[4] = {0};
	int rc = award_run(app_now(), counts);
	if (rc)
		return reply_store_error(r, rc);
	audit(r, "award_run", "bank", 0, NULL, run_json(counts));
	return reply_json(r, 200, run_json(counts));
}

/* Views ------------------------------------------------------------------ */

static json_t *entry_view(json_t *e)
{
	static const char *const t[] = {"created_at", NULL};
	render_times(e, t);
	return e;
}

static json_t *order_view(json_t *o)
{
	static const char *const t[] = {"created_at", "decided_at", NULL};
	json_object_del(o, "provider_path");
	render_times(o, t);
	return o;
}

static json_t *item_view(json_t *i)
{
	static const char *const t[] = {"created_at", NULL};
	json_object_del(i, "provider_path");
	render_times(i, t);
	return i;
}

int bank_me(struct req *r)
{
	json_t *fields = json_array();
	int limit = page_limit(r, fields);
	int64_t before = qint(r, "cursor", 0, 0, INT64_MAX, fields);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	int64_t acc = store_bank_account_find("member", r->account_id);
	if (acc < 0)
		return reply_store_error(r, (int)acc);
	json_t *rows = acc ? store_bank_entries(acc, before, limit) : json_array();
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) entry_view(x);
	json_t *out = page(rows, limit, "id");
	json_object_set_new(out, "balance", json_integer(acc ? store_bank_balance(acc) : 0));
	struct bank_cfg c;
	bank_cfg(&c);
	json_object_set_new(out, "rules", cfg_json(&c));
	return reply_json(r, 200, out);
}

int bank_trial(struct req *r)
{
	json_t *t = store_bank_trial();
	if (!t)
		return reply_store_error(r, STORE_EIO);
	json_object_set_new(t, "balanced", json_boolean(jint(t, "sum", 1) == 0 &&
						       json_array_size(json_object_get(t, "mismatches")) == 0));
	return reply_json(r, 200, t);
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
	entry_view(e);
	audit(r, "award", "bank", id, NULL, json_incref(e));
	return reply_json(r, 201, e);
}

/* Catalogue -------------------------------------------------------------- */

int bank_items_list(struct req *r)
{
	/* The web page sends all=1; true/false as everywhere else; anything else is a typo. */
	const char *a = qstr(r, "all");
	if (a && !word_in_list("1 0 true false", a))
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "all", "code", "invalid", "message",
						 "应为 true 或 false"));
	int all = a && (!strcmp(a, "1") || !strcmp(a, "true"));
	json_t *rows = store_bank_item_list(!all, NULL);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) item_view(x);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", rows, "next_cursor"));
}

static const struct fspec item_spec[] = {
	{"provider_id", F_INT, F_REQ, 1, INT64_MAX},
	{"name", F_STR, F_REQ, 1, 60},
	{"description", F_STR, F_NULL, 0, 500},
	{"cost", F_INT, F_REQ, 1, 100000},
	{"stock", F_INT, F_REQ, 0, 1000000},
	{"limit_count", F_INT, 0, 0, 1000},
	{"limit_days", F_INT, 0, 1, 366},
	{"active", F_BOOL, 0, 0, 0},
	{NULL, 0, 0, 0, 0},
};

int bank_items_create(struct req *r)
{
	json_t *fields = body_fields(r, item_spec);
	if (!fields)
		return r->status;
	int64_t org = jint(r->json, "provider_id", 0);
	json_t *o = org ? store_org_get(org) : NULL;
	if (org && !o)
		field_error(fields, "provider_id", "not_found", "组织不存在");
	json_decref(o);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	if (!scope_covers(r, org))
		return reply_error(r, 403, "forbidden_scope", "只能为自己负责范围内的单位上架物品", NULL);
	json_t *in = json_deep_copy(r->json);
	json_object_set_new(in, "created_at", json_integer(app_now()));
	int64_t id = 0;
	int rc = store_bank_item_create(in, &id);
	json_decref(in);
	if (rc)
		return reply_store_error(r, rc);
	json_t *it = item_view(store_bank_item_get(id));
	audit(r, "create", "bank_item", id, NULL, json_incref(it));
	return reply_json(r, 201, it);
}

int bank_items_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"name", F_STR, 0, 1, 60},
		{"description", F_STR, F_NULL, 0, 500},
		{"cost", F_INT, 0, 1, 100000},
		{"stock", F_INT, 0, 0, 1000000},
		{"limit_count", F_INT, 0, 0, 1000},
		{"limit_days", F_INT, 0, 1, 366},
		{"active", F_BOOL, 0, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	int64_t id = req_id(r, 0);
	json_t *it = store_bank_item_get(id);
	if (it && !scope_covers(r, jint(it, "provider_id", 0))) {	/* out of scope reads as missing */
		json_decref(it);
		it = NULL;
	}
	if (!it)
		return reply_error(r, 404, "not_found", "物品不存在", NULL);
	int st = body_check(r, spec);
	if (st) {
		json_decref(it);
		return st;
	}
	int rc = store_bank_item_update(id, r->json);
	if (rc) {
		json_decref(it);
		return reply_store_error(r, rc);
	}
	json_t *after = item_view(store_bank_item_get(id));
	audit(r, "update", "bank_item", id, item_view(it), json_incref(after));
	return reply_json(r, 200, after);
}

/* Orders ----------------------------------------------------------------- */

/* Redeem one item for login account `account`: limit, stock and points are
 * checked and changed inside the caller's write transaction (the single
 * write lock makes check-then-change atomic); on a refusal the caller rolls
 * back. Shared with the demo. */
int bank_redeem(int64_t account, int64_t item, int64_t now, int64_t *order_id)
{
	json_t *it = store_bank_item_get(item);
	if (!it || !jbool(it, "active", 0)) {
		json_decref(it);
		return BANK_NO_ITEM;
	}
	int64_t cost = jint(it, "cost", 0), provider = jint(it, "provider_id", 0);
	int limit = (int)jint(it, "limit_count", 0), days = (int)jint(it, "limit_days", 30);
	json_decref(it);
	int already = store_bank_orders_since(item, account, bank_period_start(now, days));
	if (already < 0)
		return already;
	if (!bank_limit_ok(already, limit))
		return BANK_LIMIT;
	int64_t acc = store_bank_account_find("member", account);
	if (acc < 0)
		return (int)acc;
	if (!acc || store_bank_balance(acc) < cost)
		return BANK_FUNDS;
	int rc = store_bank_item_take(item, 1);
	if (rc == STORE_ECONFLICT)
		return BANK_STOCK;
	unsigned char rnd[5];
	char code[11];
	randombytes_buf(rnd, sizeof rnd);
	bank_order_code(rnd, code);
	json_t *in = json_pack("{s:I, s:I, s:I, s:s, s:I}", "item_id", (json_int_t)item, "account_id", (json_int_t)account,
			       "cost", (json_int_t)cost, "code", code, "created_at", (json_int_t)now);
	int64_t id = 0;
	if (!rc)
		rc = store_bank_order_create(in, &id);
	json_decref(in);
	int64_t credit = rc ? 0 : store_bank_account("provider", provider, now);
	if (credit < 0)
		rc = (int)credit;
	if (!rc) {
		struct bank_post p = {.debit = acc, .credit = credit, .amount = cost, .source_kind = "redemption",
				      .source_id = id, .by = account, .now = now};
		rc = store_bank_post(&p, NULL);
	}
	if (rc == STORE_EFUNDS)
		return BANK_FUNDS;
	if (!rc && order_id)
		*order_id = id;
	return rc;
}

int bank_orders_create(struct req *r)
{
	static const struct fspec spec[] = {{"item_id", F_INT, F_REQ, 1, INT64_MAX}, {NULL, 0, 0, 0, 0}};
	int st = body_check(r, spec);
	if (st)
		return st;
	int64_t id = 0;
	int rc = bank_redeem(r->account_id, jint(r->json, "item_id", 0), app_now(), &id);
	switch (rc) {
	case 0: break;
	case BANK_NO_ITEM:
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "item_id", "code", "not_found", "message",
						 "物品不存在或已下架"));
	case BANK_LIMIT: return reply_error(r, 409, "limit_reached", "已达到该物品的兑换次数上限", NULL);
	case BANK_FUNDS: return reply_error(r, 409, "insufficient_points", "积分不足", NULL);
	case BANK_STOCK: return reply_error(r, 409, "out_of_stock", "库存不足", NULL);
	default: return reply_store_error(r, rc);
	}
	json_t *o = order_view(store_bank_order_get(id));
	int64_t acc = store_bank_account_find("member", r->account_id);
	json_object_set_new(o, "balance", json_integer(acc > 0 ? store_bank_balance(acc) : 0));
	audit(r, "create", "bank_order", id, NULL, json_incref(o));
	return reply_json(r, 201, o);
}

int bank_orders_mine(struct req *r)
{
	json_t *f = json_pack("{s:I}", "account_id", (json_int_t)r->account_id);
	json_t *rows = store_bank_order_list(f, 0, 200);
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) order_view(x);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", rows, "next_cursor"));
}

int bank_orders_list(struct req *r)
{
	json_t *fields = json_array();
	int limit = page_limit(r, fields);
	int64_t before = qint(r, "cursor", 0, 0, INT64_MAX, fields);
	const char *status = qstr(r, "status");
	if (status && !word_in_list("placed fulfilled cancelled", status))
		field_error(fields, "status", "invalid", "状态应为 placed、fulfilled 或 cancelled");
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	json_t *f = json_object();
	if (status)
		json_object_set_new(f, "status", json_string(status));
	if (qstr(r, "code"))
		json_object_set_new(f, "code", json_string(qstr(r, "code")));
	json_t *paths = grant_paths(r, "office committee");
	char *sp = json_dumps(paths, JSON_COMPACT);
	json_decref(paths);
	json_object_set_new(f, "scope_paths", json_string(sp ? sp : "[]"));
	free(sp);
	json_t *rows = store_bank_order_list(f, before, limit);
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) order_view(x);
	return reply_json(r, 200, page(rows, limit, "id"));
}

/* The order for the owner or a manager of its provider; NULL after answering. */
static json_t *order_for(struct req *r, int *st)
{
	json_t *o = store_bank_order_get(req_id(r, 0));
	if (o && jint(o, "account_id", 0) != r->account_id &&
	    !grants_cover(r, "office committee", jstr(o, "provider_path"))) {
		json_decref(o);	/* someone else's order reads as missing (404) */
		o = NULL;
	}
	if (!o)
		*st = reply_error(r, 404, "not_found", "订单不存在", NULL);
	return o;
}

int bank_orders_cancel(struct req *r)
{
	int st = 0;
	json_t *o = order_for(r, &st);
	if (!o)
		return st;
	int64_t id = jint(o, "id", 0), now = app_now();
	int rc = store_bank_order_decide(id, "cancelled", r->account_id, now);
	if (rc == STORE_ECONFLICT) {
		json_decref(o);
		return reply_error(r, 409, "order_closed", "订单已完成或已取消", NULL);
	}
	json_t *red = rc ? NULL : store_bank_entry_by_source("redemption", id, "award");
	if (!rc && !red)
		rc = STORE_EIO;
	if (!rc)
		rc = store_bank_item_take(jint(o, "item_id", 0), -1);
	if (!rc) {
		/* The refund reverses the redemption: provider → member. */
		struct bank_post p = {.debit = jint(red, "credit_id", 0), .credit = jint(red, "debit_id", 0),
				      .amount = jint(red, "amount", 0), .source_kind = "refund", .source_id = id,
				      .purpose = "refund", .reverses_id = jint(red, "id", 0), .by = r->account_id,
				      .now = now, .note = "取消兑换，退回积分"};
		rc = store_bank_post(&p, NULL);
	}
	json_decref(red);
	if (rc) {
		json_decref(o);
		return reply_store_error(r, rc == STORE_EFUNDS ? STORE_EIO : rc);
	}
	json_t *after = order_view(store_bank_order_get(id));
	audit(r, "cancel", "bank_order", id, order_view(o), json_incref(after));
	return reply_json(r, 200, after);
}

/* The provider confirms handing over: the code shown (or scanned) from the
 * member's phone must match the order's. */
int bank_orders_fulfil(struct req *r)
{
	static const struct fspec spec[] = {{"code", F_STR, F_REQ, 1, 20}, {NULL, 0, 0, 0, 0}};
	json_t *o = store_bank_order_get(req_id(r, 0));
	if (o && !scope_covers(r, jint(o, "provider_id", 0))) {	/* out of scope reads as missing */
		json_decref(o);
		o = NULL;
	}
	if (!o)
		return reply_error(r, 404, "not_found", "订单不存在", NULL);
	int st = body_check(r, spec);
	if (!st && strcasecmp(jstr(r->json, "code"), jstr(o, "code")))
		st = reply_error(r, 409, "code_mismatch", "兑换码不符", NULL);
	if (st) {
		json_decref(o);
		return st;
	}
	int64_t id = jint(o, "id", 0);
	int rc = store_bank_order_decide(id, "fulfilled", r->account_id, app_now());
	if (rc) {
		json_decref(o);
		return rc == STORE_ECONFLICT ? reply_error(r, 409, "order_closed", "订单已完成或已取消", NULL)
					     : reply_store_error(r, rc);
	}
	json_t *after = order_view(store_bank_order_get(id));
	audit(r, "fulfil", "bank_order", id, order_view(o), json_incref(after));
	return reply_json(r, 200, after);
}

int bank_orders_qr(struct req *r)
{
	int st = 0;
	json_t *o = order_for(r, &st);
	if (!o)
		return st;
	buf_t b;
	buf_init(&b, 1024 * 1024);
	int rc = qr_png(jstr(o, "code"), 6, &b);
	json_decref(o);
	if (rc) {
		buf_free(&b);
		return reply_error(r, 500, "qr_failed", "无法生成二维码", NULL);
	}
	reply_header(r, "Cache-Control", "private, max-age=3600");
	reply_raw(r, 200, "image/png", b.data, b.len, 0);
	buf_free(&b);
	return 200;
}

/* Reports ---------------------------------------------------------------- */

static char *report_scope(struct req *r)
{
	json_t *p = grant_paths(r, "office");
	char *s = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	return s;
}

/* Per org: what each issuer gave out and took back, what each provider took
 * in through redemptions (net of refunds). */
int bank_report(struct req *r)
{
	char *sp = report_scope(r);
	json_t *rows = store_bank_org_report(sp ? sp : "[]");
	free(sp);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", rows, "next_cursor"));
}

static const char *kind_zh(const char *k)
{
	return !strcmp(k, "member") ? "个人" : !strcmp(k, "issuer") ? "发放" : "兑换单位";
}

/* The entries of the orgs in scope as CSV (UTF-8 with BOM for Excel),
 * oldest first; audited like every export (hence R_WRITE). */
int bank_ledger_csv(struct req *r)
{
	static const char *const head[] = {"分录号", "时间", "来源", "来源编号", "用途", "借方类型", "借方",
					   "贷方类型", "贷方", "积分", "冲销分录", "备注"};
	enum { NH = sizeof head / sizeof head[0] };
	char *sp = report_scope(r);
	buf_t b;
	buf_init(&b, 64u << 20);
	buf_puts(&b, "\xEF\xBB\xBF");
	for (int c = 0; c < NH; c++)
		csv_cell(&b, head[c], c == NH - 1);
	int64_t after = 0;
	int rc = 0, n = 0;
	for (;;) {
		json_t *rows = store_bank_ledger(sp ? sp : "[]", after, 1000);
		if (!rows) {
			rc = STORE_EIO;
			break;
		}
		size_t i;
		json_t *x;
		json_array_foreach(rows, i, x) {
			char id[24], at[40], src[24], amt[24], rev[24];
			snprintf(id, sizeof id, "%lld", (long long)jint(x, "id", 0));
			time_rfc3339(jint(x, "created_at", 0), at, sizeof at);
			snprintf(src, sizeof src, "%lld", (long long)jint(x, "source_id", 0));
			snprintf(amt, sizeof amt, "%lld", (long long)jint(x, "amount", 0));
			snprintf(rev, sizeof rev, "%lld", (long long)jint(x, "reverses_id", 0));
			const char *cells[] = {id, at, jstr(x, "source_kind"), src, jstr(x, "purpose"),
					       kind_zh(jstr(x, "debit_kind")), jstr(x, "debit_name"),
					       kind_zh(jstr(x, "credit_kind")), jstr(x, "credit_name"), amt,
					       jint(x, "reverses_id", 0) ? rev : NULL, jstr(x, "note")};
			for (int c = 0; c < NH; c++)
				csv_cell(&b, cells[c], c == NH - 1);
			after = jint(x, "id", 0);
			n++;
		}
		size_t got = json_array_size(rows);
		json_decref(rows);
		if (got < 1000 || b.overflow)
			break;
	}
	free(sp);
	if (!rc && b.overflow) {
		buf_free(&b);
		return reply_error(r, 413, "export_too_large", "导出内容过大", NULL);
	}
	if (!rc)
		rc = audit(r, "export", "bank_ledger", 0, NULL, json_pack("{s:s, s:i}", "format", "csv", "entries", n));
	if (rc) {
		buf_free(&b);
		return reply_store_error(r, rc);
	}
	reply_header(r, "Content-Disposition", "attachment; filename=\"bank-ledger.csv\"");
	reply_raw(r, 200, "text/csv; charset=utf-8", b.data, b.len, 0);
	buf_free(&b);
	return 200;
}

/* Family links and transfers --------------------------------------------- */

static json_t *family_view(json_t *f)
{
	static const char *const t[] = {"created_at", "decided_at", NULL};
	json_object_del(f, "org_path");
	render_times(f, t);
	return f;
}

/* The org whose 居委 decides a member's link: the org of its first grant. */
static int64_t account_org(int64_t account)
{
	json_t *a = store_account_get(account);
	json_t *g = json_array_get(json_object_get(a, "grants"), 0);
	int64_t org = jint(g, "org_id", 0);
	json_decref(a);
	return org;
}

static int family_reply_list(struct req *r, json_t *rows)
{
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) family_view(x);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", rows, "next_cursor"));
}

/* Mine (either side), or with ?manage=1 the links a 居委/staff decides
 * (within the subtrees of its office/committee grants), optionally ?state=. */
int bank_family_list(struct req *r)
{
	const char *state = qstr(r, "state"), *manage = qstr(r, "manage");
	if (state && !word_in_list("pending approved revoked", state))
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "state", "code", "invalid", "message",
						 "状态应为 pending、approved 或 revoked"));
	if (manage && strcmp(manage, "0") && strcmp(manage, "1"))
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "manage", "code", "invalid", "message",
						 "manage 应为 0 或 1"));
	if (!manage || !strcmp(manage, "0")) {
		/* Mine: each link also names the other side as seen from me. */
		json_t *rows = store_bank_family_list(r->account_id, state, NULL);
		size_t i;
		json_t *x;
		/* Links I asked for appear once approved (see bank_family_create). */
		for (i = json_array_size(rows); i-- > 0;) {
			x = json_array_get(rows, i);
			if (jint(x, "account_id", 0) == r->account_id && strcmp(jstr(x, "state"), "approved"))
				json_array_remove(rows, i);
		}
		json_array_foreach(rows, i, x) {
			int asked = jint(x, "account_id", 0) == r->account_id;
			json_object_set_new(x, "other_id", json_integer(jint(x, asked ? "family_id" : "account_id", 0)));
			json_object_set_new(x, "other_login", json_string(jstr(x, asked ? "family_login" : "account_login")));
			json_object_set_new(x, "other_name", json_string(jstr(x, asked ? "family_name" : "account_name")));
		}
		return family_reply_list(r, rows);
	}
	if (!has_role(r, "admin office committee"))
		return reply_error(r, 403, "forbidden", "无权审核家庭成员关联", NULL);
	json_t *paths = grant_paths(r, "office committee");
	char *sp = json_dumps(paths, JSON_COMPACT);
	json_decref(paths);
	json_t *rows = store_bank_family_list(0, state, sp ? sp : "[]");
	free(sp);
	return family_reply_list(r, rows);
}

/* Asks for a link to the account with `login`. The answer is the same 202
 * whether the login exists, is already linked or pending, or is unknown, and
 * names nobody: otherwise any account could map logins to real names (review
 * 2026-12-07 #16). The asker sees the link, with the other side's name, once
 * the 居委 has approved it; the asked side sees it at once. */
int bank_family_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"login", F_STR, F_REQ, 1, 64},
		{"relation", F_STR, F_REQ, 1, 20},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int64_t fam = 0;
	if (jstr(r->json, "login")) {
		fam = store_bank_login_account(jstr(r->json, "login"));
		if (fam < 0) {
			json_decref(fields);
			return reply_store_error(r, (int)fam);
		}
		if (fam == r->account_id)
			field_error(fields, "login", "self", "不能关联自己");
	}
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	json_t *old = fam ? store_bank_family_live(r->account_id, fam) : NULL;
	if (fam && !old) {
		int64_t org = account_org(r->account_id);
		if (!org)
			org = account_org(fam);
		int64_t id = 0;
		int rc = store_bank_family_create(r->account_id, fam, jstr(r->json, "relation"), org, app_now(), &id);
		if (rc && rc != STORE_ECONFLICT)
			return reply_store_error(r, rc);
		if (!rc) {
			json_t *f = family_view(store_bank_family_get(id));
			audit(r, "create", "bank_family", id, NULL, f);
		}
	}
	json_decref(old);
	return reply_json(r, 202, json_pack("{s:s, s:s, s:s}", "state", "requested", "login", jstr(r->json, "login"),
					    "relation", jstr(r->json, "relation")));
}

/* The 居委 (bank.manage over the link's org) approves a pending link. */
int bank_family_approve(struct req *r)
{
	int64_t id = req_id(r, 0);
	json_t *f = store_bank_family_get(id);
	int64_t org = jint(f, "org_id", 0);
	if (f && (org ? !scope_covers(r, org) : !has_role(r, "admin"))) {
		json_decref(f);	/* out of scope reads as missing (404) */
		f = NULL;
	}
	if (!f)
		return reply_error(r, 404, "not_found", "关联不存在", NULL);
	int rc = store_bank_family_decide(id, "pending", "approved", r->account_id, app_now());
	if (rc) {
		json_decref(f);
		return rc == STORE_ECONFLICT ? reply_error(r, 409, "not_pending", "该关联不在待审核状态", NULL)
					     : reply_store_error(r, rc);
	}
	json_t *after = family_view(store_bank_family_get(id));
	audit(r, "approve", "bank_family", id, family_view(f), json_incref(after));
	return reply_json(r, 200, after);
}

/* Either side, or staff/居委 over the link's org, revokes a live link. */
int bank_family_revoke(struct req *r)
{
	int64_t id = req_id(r, 0);
	json_t *f = store_bank_family_get(id);
	const char *path = f ? jstr(f, "org_path") : NULL;
	if (f && jint(f, "account_id", 0) != r->account_id && jint(f, "family_id", 0) != r->account_id &&
	    !(path ? grants_cover(r, "office committee", path) : has_role(r, "admin"))) {
		json_decref(f);	/* someone else's link reads as missing (404) */
		f = NULL;
	}
	if (!f)
		return reply_error(r, 404, "not_found", "关联不存在", NULL);
	int rc = store_bank_family_decide(id, "pending approved", "revoked", r->account_id, app_now());
	if (rc) {
		json_decref(f);
		return rc == STORE_ECONFLICT ? reply_error(r, 409, "already_revoked", "该关联已撤销", NULL)
					     : reply_store_error(r, rc);
	}
	json_t *after = family_view(store_bank_family_get(id));
	audit(r, "revoke", "bank_family", id, family_view(f), json_incref(after));
	return reply_json(r, 200, after);
}

/* Start of the China calendar month containing t. */
static int64_t china_month_start(int64_t t)
{
	int y;
	unsigned m, d;
	civil_from_days(china_day(t), &y, &m, &d);
	return china_day_start(days_from_civil(y, m, 1));
}

/* One entry member → member ('transfer', source = the bank_transfers row)
 * inside the request's write transaction, after every check: the switch,
 * an approved family link, the monthly cap and the balance. The single
 * write lock makes the checks and the post atomic under parallel requests;
 * the guarded debit refuses an overdraw regardless. */
int bank_transfers_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"to_account_id", F_INT, F_REQ, 1, INT64_MAX},
		{"amount", F_INT, F_REQ, 1, 1000000},
		{"note", F_STR, F_NULL, 0, 200},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int64_t to = jint(r->json, "to_account_id", 0), amount = jint(r->json, "amount", 0);
	if (to && to == r->account_id)
		field_error(fields, "to_account_id", "self", "不能转赠给自己");
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	struct bank_cfg c;
	bank_cfg(&c);
	if (!c.transfer_enabled)
		return reply_error(r, 409, "transfer_disabled", "积分转赠未开启", NULL);
	json_t *link = store_bank_family_live(r->account_id, to);
	int family = link && !strcmp(jstr(link, "state"), "approved");
	json_decref(link);
	if (!family)
		return reply_error(r, 409, "not_family", "只能转赠给已审核通过的家庭成员", NULL);
	int64_t now = app_now(), sent = store_bank_transferred_since(r->account_id, china_month_start(now));
	if (sent < 0)
		return reply_store_error(r, (int)sent);
	if (sent + amount > c.transfer_max)
		return reply_error(r, 409, "transfer_limit", "超过本月转赠上限", NULL);
	int64_t acc = store_bank_account_find("member", r->account_id);
	if (acc < 0)
		return reply_store_error(r, (int)acc);
	if (!acc || store_bank_balance(acc) < amount)
		return reply_error(r, 409, "insufficient_points", "积分不足", NULL);
	int64_t tid = 0, credit = store_bank_account("member", to, now), eid = 0;
	int rc = credit < 0 ? (int)credit : store_bank_transfer_add(r->account_id, to, amount, jstr(r->json, "note"), now, &tid);
	if (!rc) {
		struct bank_post p = {.debit = acc, .credit = credit, .amount = amount, .source_kind = "transfer",
				      .source_id = tid, .purpose = "transfer", .note = jstr(r->json, "note"),
				      .by = r->account_id, .now = now};
		rc = store_bank_post(&p, &eid);
	}
	if (rc == STORE_EFUNDS)
		return reply_error(r, 409, "insufficient_points", "积分不足", NULL);
	if (rc)
		return reply_store_error(r, rc);
	json_t *e = entry_view(store_bank_entry_by_source("transfer", tid, "transfer"));
	json_object_set_new(e, "transfer_id", json_integer(tid));
	json_object_set_new(e, "to_account_id", json_integer(to));
	json_object_set_new(e, "balance", json_integer(store_bank_balance(acc)));
	json_object_set_new(e, "sent_this_month", json_integer(sent + amount));
	audit(r, "transfer", "bank", tid, NULL, json_incref(e));
	return reply_json(r, 201, e);
}
