/*
 * party_reg.c — 双报到 member registrations (一单一表一卡): an employed party
 * member registers with the community where they live, on a phone (their
 * own person) or through staff; the community accepts (a service card
 * number is issued) or declines with a reason. docs/PARTY.md "dual".
 */
#include "party_reg.h"
#include "core/qr.h"
#include "core/buf.h"
#include "core/period.h"
#include "store/dual.h"
#include <stdio.h>
#include <string.h>

static const char *const AVAIL[] = {"weekday_daytime", "weekday_evening", "weekend", "holiday", NULL};

int64_t dual_account_person(struct req *r)
{
	return jint(r->account, "person_id", 0);
}

/* A registration in the caller's scope, or NULL (then 404 answered). */
static json_t *load_reg(struct req *r, int own_ok)
{
	json_t *g = dual_reg_get(req_id(r, 0));
	int own = g && own_ok && dual_account_person(r) == jint(g, "person_id", 0);
	if (g && !own && !dual_reg_visible(r, g)) {	/* out of scope reads as missing */
		json_decref(g);
		g = NULL;
	}
	if (!g)
		reply_error(r, 404, "not_found", "报到登记不存在", NULL);
	return g;
}

int dual_regs_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = dual_scope(r, json_object());
	static const char *const ids[] = {"community_id", "unit_id", NULL};
	for (int i = 0; ids[i]; i++)
		if (q_has(r, ids[i]))
			json_object_set_new(f, ids[i], json_integer(q_int(r, ids[i])));
	if (q_has(r, "state"))
		json_object_set_new(f, "state", json_string(q_text(r, "state")));
	json_t *rows = dual_reg_list(f, q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) dual_reg_view(x);
	return list_reply(r, rows, limit, "id");
}

int dual_regs_get(struct req *r)
{
	json_t *g = load_reg(r, 0);
	return g ? reply_json(r, 200, dual_reg_view(g)) : r->status;
}

/* availability: an array of the AVAIL words, no repeats. */
static void check_availability(json_t *fields, const json_t *a)
{
	size_t i, j;
	json_t *v;
	json_array_foreach(a, i, v) {
		int ok = 0;
		for (j = 0; AVAIL[j]; j++)
			ok |= json_is_string(v) && !strcmp(json_string_value(v), AVAIL[j]);
		for (j = 0; j < i; j++)
			ok &= !json_equal(v, json_array_get(a, j));
		if (!ok) {
			field_error(fields, "availability", "invalid",
				    "可服务时间应为 weekday_daytime、weekday_evening、weekend、holiday，且不重复");
			return;
		}
	}
}

/* An org id of the given kind, else a field error (missing or other kind). */
static void check_org(json_t *fields, const char *field, int64_t id, const char *kind, const char *what)
{
	json_t *o = id ? store_org_get(id) : NULL;
	if (!o || strcmp(jstr(o, "kind") ? jstr(o, "kind") : "", kind)) {
		char msg[80];
		snprintf(msg, sizeof msg, "%s不存在", what);
		field_error(fields, field, "not_found", msg);
	}
	json_decref(o);
}

/* Fills person, community, unit and member of a new registration into in;
 * field errors into fields. */
static void resolve_create(struct req *r, json_t *in, json_t *fields)
{
	int64_t mine = dual_account_person(r), pid = jint(r->json, "person_id", 0);
	if (!pid && !mine)
		field_error(fields, "person_id", "required", "账号未关联人员，请由居委代为登记");
	pid = pid ? pid : mine;
	json_t *p = pid ? store_person_get(pid) : NULL;
	int64_t comm = jint(r->json, "community_id", p ? jint(p, "org_id", 0) : 0);
	/* Someone else's registration: staff over that community only. */
	if (p && pid != mine && !has_role_over(r, DUAL_STAFF, comm)) {
		json_decref(p);
		p = NULL;
	}
	if (pid && !p && json_array_size(fields) == 0)
		field_error(fields, "person_id", "not_found", "人员不存在");
	json_decref(p);
	json_t *m = pid ? dual_party_member(pid) : NULL;
	int64_t unit = jint(r->json, "unit_id", m ? jint(m, "employer_id", 0) : 0);
	if (!unit)
		field_error(fields, "unit_id", "required", "请填写工作单位");
	else
		check_org(fields, "unit_id", unit, "unit", "单位");
	check_org(fields, "community_id", comm, "community", "居民区");
	check_availability(fields, json_object_get(r->json, "availability"));
	json_object_set_new(in, "person_id", json_integer(pid));
	json_object_set_new(in, "community_id", json_integer(comm));
	json_object_set_new(in, "unit_id", json_integer(unit));
	if (m)
		json_object_set_new(in, "member_id", json_integer(jint(m, "id", 0)));
	json_object_set_new(in, "self_registered", json_integer(pid == mine));
	json_decref(m);
}

int dual_regs_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"person_id", F_INT, 0, 1, INT64_MAX},
		{"community_id", F_INT, 0, 1, INT64_MAX},
		{"unit_id", F_INT, 0, 1, INT64_MAX},
		{"skills", F_STR, F_NULL, 0, 200},
		{"wishes", F_STR, F_NULL, 0, 500},
		{"availability", F_STRARR, 0, 0, 4},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	json_t *in = json_object();
	resolve_create(r, in, fields);
	if (json_array_size(fields)) {
		json_decref(in);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	if (dual_reg_live(jint(in, "person_id", 0), jint(in, "community_id", 0))) {
		json_decref(in);
		return reply_error(r, 409, "already_registered", "已在该居民区报到（或待审核）", NULL);
	}
	json_object_set(in, "skills", json_object_get(r->json, "skills"));
	json_object_set(in, "wishes", json_object_get(r->json, "wishes"));
	json_t *av = json_object_get(r->json, "availability");
	json_object_set_new(in, "availability", av ? json_incref(av) : json_array());
	json_object_set_new(in, "created_by", json_integer(r->account_id));
	int64_t id = 0;
	int rc = dual_reg_create(in, app_now(), &id);
	json_decref(in);
	if (rc)
		return rc == STORE_ECONFLICT ? reply_error(r, 409, "already_registered", "已在该居民区报到（或待审核）", NULL)
					     : reply_store_error(r, rc);
	json_t *g = dual_reg_view(dual_reg_get(id));
	audit(r, "create", "dual_registration", id, NULL, json_incref(g));
	return reply_json(r, 201, g);
}

/* Writes the merged row and answers it, audited as `action`. */
static int save_reg(struct req *r, json_t *before, json_t *row, const char *action)
{
	int64_t id = jint(before, "id", 0);
	int rc = dual_reg_update(id, row, app_now());
	json_decref(row);
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = dual_reg_view(dual_reg_get(id));
	audit(r, action, "dual_registration", id, dual_reg_view(before), json_incref(after));
	return reply_json(r, 200, after);
}

/* The registration for a staff write: visible and manageable, else 404. */
static json_t *load_managed(struct req *r)
{
	json_t *g = load_reg(r, 0);
	if (g && !dual_reg_manageable(r, g)) {
		json_decref(g);
		reply_error(r, 404, "not_found", "报到登记不存在", NULL);
		return NULL;
	}
	return g;
}

int dual_regs_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"unit_id", F_INT, 0, 1, INT64_MAX},
		{"skills", F_STR, F_NULL, 0, 200},
		{"wishes", F_STR, F_NULL, 0, 500},
		{"availability", F_STRARR, 0, 0, 4},
		{NULL, 0, 0, 0, 0},
	};
	json_t *g = load_managed(r);
	if (!g)
		return r->status;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(g);
		return r->status;
	}
	if (jint(r->json, "unit_id", 0))
		check_org(fields, "unit_id", jint(r->json, "unit_id", 0), "unit", "单位");
	check_availability(fields, json_object_get(r->json, "availability"));
	if (json_array_size(fields)) {
		json_decref(g);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	json_t *row = json_deep_copy(g);
	static const char *const k[] = {"unit_id", "skills", "wishes", "availability", NULL};
	for (int i = 0; k[i]; i++)
		if (json_object_get(r->json, k[i]))
			json_object_set(row, k[i], json_object_get(r->json, k[i]));
	return save_reg(r, g, row, "update");
}

int dual_regs_accept(struct req *r)
{
	json_t *g = load_managed(r);
	if (!g)
		return r->status;
	if (strcmp(jstr(g, "state"), "pending")) {
		json_decref(g);
		return reply_error(r, 409, "invalid_state", "只能受理待审核的报到", NULL);
	}
	/* The service card: SB + year + the registration id, unique by id. */
	char card[32], day[16];
	period_format_day(period_day(app_now()), day, sizeof day);
	snprintf(card, sizeof card, "SB%.4s%06lld", day, (long long)jint(g, "id", 0));
	json_t *row = json_deep_copy(g);
	json_object_set_new(row, "state", json_string("accepted"));
	json_object_set_new(row, "card_no", json_string(card));
	json_object_set_new(row, "decided_by", json_integer(r->account_id));
	json_object_set_new(row, "decided_at", json_integer(app_now()));
	return save_reg(r, g, row, "accept");
}

int dual_regs_decline(struct req *r)
{
	static const struct fspec spec[] = {{"reason", F_STR, F_REQ, 1, 200}, {NULL, 0, 0, 0, 0}};
	json_t *g = load_managed(r);
	if (!g)
		return r->status;
	if (body_check(r, spec)) {
		json_decref(g);
		return r->status;
	}
	if (strcmp(jstr(g, "state"), "pending")) {
		json_decref(g);
		return reply_error(r, 409, "invalid_state", "只能退回待审核的报到", NULL);
	}
	json_t *row = json_deep_copy(g);
	json_object_set_new(row, "state", json_string("declined"));
	json_object_set(row, "decline_reason", json_object_get(r->json, "reason"));
	json_object_set_new(row, "decided_by", json_integer(r->account_id));
	json_object_set_new(row, "decided_at", json_integer(app_now()));
	return save_reg(r, g, row, "decline");
}

/* The service card's QR code (the card number), for the card page: the
 * member's own registration, or one in the caller's scope. */
int dual_regs_card_svg(struct req *r)
{
	json_t *g = load_reg(r, 1);
	if (!g)
		return r->status;
	const char *card = jstr(g, "card_no");
	if (!card) {
		json_decref(g);
		return reply_error(r, 409, "no_card", "报到受理后才发放服务卡", NULL);
	}
	buf_t b;
	buf_init(&b, 1u << 20);
	int rc = qr_svg(card, &b);
	json_decref(g);
	if (rc) {
		buf_free(&b);
		return reply_error(r, 500, "qr_failed", "无法生成二维码", NULL);
	}
	reply_raw(r, 200, "image/svg+xml", b.data, b.len, 0);
	buf_free(&b);
	return 200;
}
