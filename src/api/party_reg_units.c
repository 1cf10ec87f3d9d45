/*
 * party_reg_units.c — 双报到 unit registrations: a unit (orgs kind unit)
 * registers with a community — its party organisation, a contact (phone
 * sealed and masked like people's phones, core/privacy.c) and its service
 * commitments; the community's 居委 or the office accepts or ends it.
 * The unit's contact registers their own unit; staff register any unit with
 * a community in their scope. docs/PARTY.md "dual".
 */
#include "party_reg.h"
#include "core/privacy.h"
#include "core/validate.h"
#include "store/dual.h"
#include <string.h>

static json_t *load_unit(struct req *r)
{
	json_t *u = dual_unit_get(req_id(r, 0));
	if (u && !dual_unit_visible(r, u)) {	/* out of scope reads as missing */
		json_decref(u);
		u = NULL;
	}
	if (!u)
		reply_error(r, 404, "not_found", "报到单位不存在", NULL);
	return u;
}

int dual_units_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = dual_scope(r, json_object());
	if (q_has(r, "community_id"))
		json_object_set_new(f, "community_id", json_integer(q_int(r, "community_id")));
	if (q_has(r, "state"))
		json_object_set_new(f, "state", json_string(q_text(r, "state")));
	json_t *rows = dual_unit_list(f, q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) dual_unit_view(x);
	return list_reply(r, rows, limit, "id");
}

int dual_units_get(struct req *r)
{
	json_t *u = load_unit(r);
	return u ? reply_json(r, 200, dual_unit_view(u)) : r->status;
}

static int org_is(int64_t id, const char *kind)
{
	json_t *o = id ? store_org_get(id) : NULL;
	int ok = o && jstr(o, "kind") && !strcmp(jstr(o, "kind"), kind);
	json_decref(o);
	return ok;
}

/* The contact phone into row (sealed + masked), else a field error. */
static void seal_phone(json_t *row, json_t *fields, const char *phone)
{
	if (!phone_valid(phone))
		field_error(fields, "contact_phone", "invalid", "手机号格式不正确");
	else if (privacy_seal_phone(row, phone))
		field_error(fields, "contact_phone", "invalid", "手机号无法保存");
	else {	/* privacy.c names them as people's columns */
		json_object_set(row, "contact_phone_enc", json_object_get(row, "phone_enc"));
		json_object_set(row, "contact_phone_masked", json_object_get(row, "phone_masked"));
		json_object_del(row, "phone_enc");
		json_object_del(row, "phone_masked");
	}
}

int dual_units_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"unit_id", F_INT, F_REQ, 1, INT64_MAX},
		{"community_id", F_INT, F_REQ, 1, INT64_MAX},
		{"party_org_name", F_STR, F_REQ, 1, 100},
		{"contact_name", F_STR, F_REQ, 1, 50},
		{"contact_phone", F_STR, F_REQ, 1, 20},
		{"commitments", F_STR, F_NULL, 0, 1000},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int64_t unit = jint(r->json, "unit_id", 0), comm = jint(r->json, "community_id", 0);
	/* A unit or community the caller may not act for reads as missing. */
	if (unit && (!org_is(unit, "unit") || !(has_role_over(r, R_UNIT, unit) || has_role_over(r, DUAL_STAFF, comm))))
		field_error(fields, "unit_id", "not_found", "单位不存在");
	if (comm && !org_is(comm, "community"))
		field_error(fields, "community_id", "not_found", "居民区不存在");
	json_t *in = json_object();
	if (jstr(r->json, "contact_phone"))
		seal_phone(in, fields, jstr(r->json, "contact_phone"));
	if (json_array_size(fields)) {
		json_decref(in);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	static const char *const k[] = {"unit_id", "community_id", "party_org_name", "contact_name", "commitments", NULL};
	for (int i = 0; k[i]; i++)
		json_object_set(in, k[i], json_object_get(r->json, k[i]));
	json_object_set_new(in, "created_by", json_integer(r->account_id));
	int64_t id = 0;
	int rc = dual_unit_create(in, app_now(), &id);
	json_decref(in);
	if (rc)
		return rc == STORE_ECONFLICT ? reply_error(r, 409, "already_registered", "该单位已向此居民区报到", NULL)
					     : reply_store_error(r, rc);
	json_t *u = dual_unit_view(dual_unit_get(id));
	audit(r, "create", "dual_unit", id, NULL, json_incref(u));
	return reply_json(r, 201, u);
}

static int save_unit(struct req *r, json_t *before, json_t *row, const char *action)
{
	int64_t id = jint(before, "id", 0);
	int rc = dual_unit_update(id, row, app_now());
	json_decref(row);
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = dual_unit_view(dual_unit_get(id));
	audit(r, action, "dual_unit", id, dual_unit_view(before), json_incref(after));
	return reply_json(r, 200, after);
}

/* The unit's contact edits their own; staff over the community edit any
 * and may end it (state "ended"); only staff accept. */
int dual_units_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"party_org_name", F_STR, 0, 1, 100},
		{"contact_name", F_STR, 0, 1, 50},
		{"contact_phone", F_STR, 0, 1, 20},
		{"commitments", F_STR, F_NULL, 0, 1000},
		{"state", F_STR, 0, 1, 10},
		{NULL, 0, 0, 0, 0},
	};
	json_t *u = load_unit(r);
	if (!u)
		return r->status;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(u);
		return r->status;
	}
	json_t *row = json_deep_copy(u);
	const char *st = jstr(r->json, "state");
	if (st && strcmp(st, "ended"))
		field_error(fields, "state", "invalid", "只能改为 ended（结束报到）；受理请用 accept");
	else if (st && !has_role_over(r, DUAL_STAFF, jint(u, "community_id", 0)))
		field_error(fields, "state", "forbidden", "只有居委或文明办可以结束报到");
	if (jstr(r->json, "contact_phone"))
		seal_phone(row, fields, jstr(r->json, "contact_phone"));
	if (json_array_size(fields)) {
		json_decref(u);
		json_decref(row);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	static const char *const k[] = {"party_org_name", "contact_name", "commitments", "state", NULL};
	for (int i = 0; k[i]; i++)
		if (json_object_get(r->json, k[i]))
			json_object_set(row, k[i], json_object_get(r->json, k[i]));
	return save_unit(r, u, row, "update");
}

int dual_units_accept(struct req *r)
{
	json_t *u = load_unit(r);
	if (!u)
		return r->status;
	if (!has_role_over(r, DUAL_STAFF, jint(u, "community_id", 0))) {
		json_decref(u);
		return reply_error(r, 403, "forbidden", "只有居委或文明办可以受理单位报到", NULL);
	}
	if (strcmp(jstr(u, "state"), "pending")) {
		json_decref(u);
		return reply_error(r, 409, "invalid_state", "只能受理待审核的报到", NULL);
	}
	json_t *row = json_deep_copy(u);
	json_object_set_new(row, "state", json_string("accepted"));
	json_object_set_new(row, "decided_by", json_integer(r->account_id));
	json_object_set_new(row, "decided_at", json_integer(app_now()));
	return save_unit(r, u, row, "accept");
}
