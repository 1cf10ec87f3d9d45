/*
 * bank_transfers.c — transfers of points between approved family members (bank.h),
 * off unless the rules switch them on, capped per sender and China month.
 */
#include "api.h"
#include "api/bank.h"	/* not src/store/bank.h */
#include "core/timefmt.h"
#include <string.h>

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
	bank_cfg_load(&c);
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
	json_t *e = bank_entry_view(store_bank_entry_by_source("transfer", tid, "transfer"));
	json_object_set_new(e, "transfer_id", json_integer(tid));
	json_object_set_new(e, "to_account_id", json_integer(to));
	json_object_set_new(e, "balance", json_integer(store_bank_balance(acc)));
	json_object_set_new(e, "sent_this_month", json_integer(sent + amount));
	audit(r, "transfer", "bank", tid, NULL, json_incref(e));
	return reply_json(r, 201, e);
}
