/*
 * bank_items.c — the 爱心超市 catalogue (bank.h): items a provider unit offers
 * for points, listed for members and managed within the manager's scope.
 */
#include "api.h"
#include "api/bank.h"	/* not src/store/bank.h */
#include <string.h>

static json_t *item_view(json_t *i)
{
	static const char *const t[] = {"created_at", NULL};
	json_object_del(i, "provider_path");
	render_times(i, t);
	return i;
}

int bank_items_list(struct req *r)
{
	int all = q_bool(r, "all", 0);	/* all:bool; the web page sends all=1 */
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
