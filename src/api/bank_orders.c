/*
 * bank_orders.c — orders at the 爱心超市 (bank.h): redeeming an item for points,
 * the member's and the providers' lists, cancelling with a refund, fulfilling
 * against the pickup code, and the code as a QR image.
 */
#include "api.h"
#include "api/bank.h"	/* not src/store/bank.h */
#include "core/bank_rules.h"
#include "core/buf.h"
#include "core/qr.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static json_t *order_view(json_t *o)
{
	static const char *const t[] = {"created_at", "decided_at", NULL};
	json_object_del(o, "provider_path");
	render_times(o, t);
	return o;
}

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
	int limit = (int)q_int(r, "limit");
	json_t *f = json_object();
	static const char *const text[] = {"status", "code"};	/* status:enum(…) code:text[40] */
	for (int i = 0; i < 2; i++)
		if (q_has(r, text[i]))
			json_object_set_new(f, text[i], json_string(q_text(r, text[i])));
	json_t *paths = grant_paths(r, R_OFFICE | R_COMMITTEE);
	char *sp = json_dumps(paths, JSON_COMPACT);
	json_decref(paths);
	json_object_set_new(f, "scope_paths", json_string(sp ? sp : "[]"));
	free(sp);
	json_t *rows = store_bank_order_list(f, q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) order_view(x);
	return list_reply(r, rows, limit, "id");
}

/* The order for the owner or a manager of its provider; NULL after answering. */
static json_t *order_for(struct req *r, int *st)
{
	json_t *o = store_bank_order_get(req_id(r, 0));
	if (o && jint(o, "account_id", 0) != r->account_id &&
	    !grants_cover(r, R_OFFICE | R_COMMITTEE, jstr(o, "provider_path"))) {
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
