/*
 * demo_bank.c — the love bank of the demo street: a 社区爱心超市 under the
 * first community with a small catalogue, the points earned by the demo's
 * approved service records and verified citizen tips (the same award job
 * the tick runs), a manual award for the "volunteer" login, and a few
 * orders, fulfilled, waiting and cancelled. Inside the caller's transaction.
 */
#include "api/api.h"
#include "demo.h"
#include <string.h>

static int64_t item(int64_t provider, const char *name, const char *desc, int cost, int stock, int limit, int64_t now)
{
	json_t *in = json_pack("{s:I, s:s, s:s, s:i, s:i, s:i, s:i, s:I}", "provider_id", (json_int_t)provider, "name", name,
			       "description", desc, "cost", cost, "stock", stock, "limit_count", limit, "limit_days", 30,
			       "created_at", (json_int_t)now);
	int64_t id = 0;
	int rc = store_bank_item_create(in, &id);
	json_decref(in);
	return rc ? -1 : id;
}

int demo_bank(const int64_t *communities, int ncomm)
{
	if (ncomm < 1)
		return 0;
	int64_t now = app_now(), shop = 0;
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s}", "kind", "unit", "name", "由由社区爱心超市", "code",
			      "HM-AXCS-01", "parent_id", (json_int_t)communities[0], "address", "由由路 88 号");
	int rc = store_org_create(o, &shop);
	json_decref(o);
	int64_t ids[5] = {
		item(shop, "洗衣液", "2 kg 装，每月限兑 2 次", 30, 40, 2, now),
		item(shop, "理发服务", "社区理发师上门或到店，每月限 1 次", 50, 20, 1, now),
		item(shop, "粮油礼包", "5 kg 大米 + 1.8 L 食用油", 100, 15, 1, now),
		item(shop, "毛巾", "纯棉毛巾一条", 20, 60, 0, now),
		item(shop, "家电维修", "小家电检修一次（不含配件）", 80, 10, 1, now),
	};
	for (int i = 0; i < 5; i++)
		if (ids[i] < 0)
			rc = STORE_EIO;
	if (!rc)
		rc = bank_tick(now, NULL, NULL);	/* approved records and verified tips earn their points */
	json_t *vol = rc ? NULL : store_account_auth("volunteer");
	int64_t vacc = jint(vol, "id", 0);
	json_decref(vol);
	if (!rc && vacc) {
		json_t *a = json_pack("{s:I, s:I, s:i, s:s, s:I, s:I}", "account_id", (json_int_t)vacc, "org_id",
				      (json_int_t)communities[0], "points", 120, "reason", "垃圾分类宣传骨干（手工奖励）",
				      "created_by", (json_int_t)vacc, "created_at", (json_int_t)(now - 86400 * 20));
		int64_t aid = 0;
		rc = store_bank_award_add(a, &aid);
		json_decref(a);
		int64_t issuer = rc ? 0 : store_bank_account("issuer", communities[0], now);
		int64_t member = rc ? 0 : store_bank_account("member", vacc, now);
		if (!rc && (issuer < 0 || member < 0))
			rc = STORE_EIO;
		if (!rc) {
			struct bank_post p = {.debit = issuer, .credit = member, .amount = 120, .source_kind = "manual",
					      .source_id = aid, .now = now - 86400 * 20, .note = "垃圾分类宣传骨干"};
			rc = store_bank_post(&p, NULL) < 0 ? STORE_EIO : 0;
		}
		int64_t oid = 0;
		if (!rc && !bank_redeem(vacc, ids[0], now - 86400 * 10, &oid))
			rc = store_bank_order_decide(oid, "fulfilled", vacc, now - 86400 * 9);
	}
	/* The members with the most points each take something. */
	json_t *m = rc ? NULL : store_bank_members(12);
	size_t i;
	json_t *x;
	json_array_foreach(m, i, x) {
		int64_t acc = jint(x, "account_id", 0), oid = 0;
		if (acc == vacc || rc)
			continue;
		int k = (int)(i % 5);
		if (bank_redeem(acc, ids[k], now - 86400 * (int64_t)(i + 1), &oid))
			continue;
		if (i % 3 == 0)
			rc = store_bank_order_decide(oid, "fulfilled", acc, now - 86400 * (int64_t)i);
	}
	json_decref(m);
	return rc;
}
