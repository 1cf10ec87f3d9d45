/*
 * party_members.c — party members (docs/PARTY.md): a person record in a
 * party org, 正式/预备, joined on, 在职党员 with their employer unit, a duty
 * (党员楼长 / 中心户), transfers between orgs with history. A member is in
 * scope when their party org is; one out of scope reads as missing.
 */
#include "api/party.h"
#include "core/signup.h"
#include "store/party.h"
#include <string.h>

static json_t *member_view(json_t *m)
{
	static const char *const t[] = {"created_at", "updated_at", NULL};
	json_object_del(m, "org_path");
	render_times(m, t);
	return m;
}

int party_members_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = json_object();
	if (q_has(r, "org_id")) {
		json_t *tree = party_tree_build(r);
		if (!tree) {
			json_decref(f);
			return list_reply(r, NULL, limit, "id");
		}
		json_object_set_new(f, "org_ids", party_tree_subtree_ids(tree, q_int(r, "org_id")));
		json_decref(tree);
	}
	if (q_has(r, "status"))
		json_object_set_new(f, "status", json_string(q_text(r, "status")));
	if (q_has(r, "employed"))
		json_object_set_new(f, "employed", json_integer(q_bool(r, "employed", 0)));
	if (q_has(r, "q"))
		json_object_set_new(f, "q", json_string(q_text(r, "q")));
	json_t *rows = store_party_member_list(scope_filter(r, f), q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *m;
	json_array_foreach(rows, i, m) member_view(m);
	return list_reply(r, rows, limit, "id");
}

static json_t *load(struct req *r, int64_t id)
{
	json_t *m = store_party_member_get(id);
	if (m && (!jbool(m, "active", 1) || !scope_covers(r, jint(m, "org_id", 0)))) {
		json_decref(m);
		m = NULL;
	}
	if (!m)
		reply_error(r, 404, "not_found", "党员不存在", NULL);
	return m;
}

static json_t *member_detail(int64_t id)
{
	json_t *m = store_party_member_get(id);
	if (!m)
		return NULL;
	json_t *t = store_party_transfers(id);
	static const char *const tt[] = {"created_at", NULL};
	size_t i;
	json_t *x;
	json_array_foreach(t, i, x) render_times(x, tt);
	json_object_set_new(m, "transfers", t ? t : json_array());
	return member_view(m);
}

int party_members_get(struct req *r)
{
	json_t *m = load(r, req_id(r, 0));
	if (!m)
		return r->status;
	json_decref(m);
	return reply_json(r, 200, member_detail(req_id(r, 0)));
}

/* The membership fields both create and update check. */
static void check_membership(struct req *r, const json_t *in, json_t *fields, int creating)
{
	const char *s = jstr(in, "status"), *d = jstr(in, "joined_on"), *duty = jstr(in, "duty");
	if (s && strcmp(s, "full") && strcmp(s, "probationary"))
		field_error(fields, "status", "invalid", "状态应为 full（正式党员）或 probationary（预备党员）");
	if (d && !date_valid(d))
		field_error(fields, "joined_on", "invalid_date", "入党日期应为 YYYY-MM-DD");
	if (duty && strcmp(duty, "building_head") && strcmp(duty, "household_head"))
		field_error(fields, "duty", "invalid", "职责应为 building_head（党员楼长）或 household_head（中心户）");
	if (creating || jhas(in, "org_id")) {
		if (!party_org_visible(r, jint(in, "org_id", 0)))
			field_error(fields, "org_id", "not_found", "党组织不存在");
	}
	int64_t emp = jint(in, "employer_id", 0);
	if (emp) {
		json_t *o = store_org_get(emp);
		if (!o || strcmp(jstr(o, "kind") ? jstr(o, "kind") : "", "unit"))
			field_error(fields, "employer_id", "not_found", "工作单位不存在");
		json_decref(o);
	}
	if (jbool(in, "employed", 0) && !emp && creating)
		field_error(fields, "employer_id", "required", "在职党员须填写工作单位");
	if (jhas(in, "employed") && !jbool(in, "employed", 0) && emp)
		field_error(fields, "employer_id", "invalid", "非在职党员不填写工作单位");
}

static const struct fspec member_spec[] = {
	{"person_id", F_INT, 0, 1, INT64_MAX},
	{"person", F_OBJ, 0, 0, 0},
	{"org_id", F_INT, F_REQ, 1, INT64_MAX},
	{"status", F_STR, 0, 1, 20},
	{"joined_on", F_STR, F_NULL, 0, 10},
	{"employed", F_BOOL, 0, 0, 0},
	{"employer_id", F_INT, F_NULL, 1, INT64_MAX},
	{"duty", F_STR, F_NULL, 0, 20},
	{NULL, 0, 0, 0, 0},
};

static const struct fspec person_spec[] = {
	{"name", F_STR, F_REQ, 1, 50},
	{"gender", F_STR, F_NULL, 0, 10},
	{"phone", F_STR, F_NULL, 0, 0},
	{"id_number", F_STR, F_NULL, 0, 0},
	{"org_id", F_INT, 0, 1, INT64_MAX},
	{"address", F_STR, F_NULL, 0, 200},
	{NULL, 0, 0, 0, 0},
};

/* The place a new member lives when the form names none: the nearest
 * ancestor of their party org that is not a party org. */
static int64_t home_place(int64_t party_org)
{
	int64_t id = party_org;
	for (int guard = 0; id > 0 && guard < 16; guard++) {
		json_t *o = store_org_get(id);
		int party = o && jstr(o, "kind") && !strcmp(jstr(o, "kind"), "party_org");
		int64_t parent = jint(o, "parent_id", 0);
		json_decref(o);
		if (!party)
			return id;
		id = parent;
	}
	return 0;
}

/* The person of a new member: an existing one in scope (or fields errors),
 * or a new record sealed like POST /api/v1/people. 0 when fields hold errors. */
static int64_t member_person(struct req *r, json_t *fields, json_t **new_row)
{
	*new_row = NULL;
	json_t *inline_p = json_object_get(r->json, "person");
	int64_t pid = jint(r->json, "person_id", 0);
	if (!pid == !inline_p) {
		field_error(fields, "person_id", "required", "请选择已登记的人员或填写新人员信息（二选一）");
		return 0;
	}
	if (pid) {
		json_t *p = store_person_get(pid);
		int ok = p && scope_covers(r, jint(p, "org_id", 0));
		json_decref(p);
		if (!ok)
			field_error(fields, "person_id", "not_found", "人员不存在");
		else if (store_party_member_by_person(pid) > 0)
			field_error(fields, "person_id", "duplicate", "该人员已是党员");
		return pid;
	}
	if (!json_is_object(inline_p))	/* member_spec reported it: wrong_type, not a body that is no object */
		return 0;
	json_check(inline_p, person_spec, fields);
	const char *g = jstr(inline_p, "gender");
	if (g && strcmp(g, "男") && strcmp(g, "女") && strcmp(g, "male") && strcmp(g, "female"))
		field_error(fields, "person.gender", "invalid", "性别应为 男 或 女");
	json_t *in = json_deep_copy(inline_p);
	int64_t home = jint(inline_p, "org_id", 0) ? jint(inline_p, "org_id", 0) : home_place(jint(r->json, "org_id", 0));
	json_t *ho = home ? store_org_get(home) : NULL;
	if (!ho)
		field_error(fields, "person.org_id", "not_found", "居住地组织不存在");
	json_decref(ho);
	json_object_set_new(in, "org_id", json_integer(home));
	json_object_set_new(in, "kinds", json_pack("[s, s]", "resident", "party_member"));
	*new_row = json_object();
	people_seal_fields(in, *new_row, fields, 0);
	if (g)
		json_object_set_new(*new_row, "gender", json_string(g));
	json_decref(in);
	return 0;
}

int party_members_create(struct req *r)
{
	json_t *fields = body_fields(r, member_spec);
	if (!fields)
		return r->status;
	json_t *row;
	int64_t pid = member_person(r, fields, &row);
	check_membership(r, r->json, fields, 1);
	if (json_array_size(fields)) {
		json_decref(row);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc = row ? store_person_create(row, &pid) : 0;
	json_decref(row);
	json_t *in = json_deep_copy(r->json);
	json_object_set_new(in, "person_id", json_integer(pid));
	int64_t id = 0;
	if (!rc)
		rc = store_party_member_create(in, app_now(), &id);
	json_decref(in);
	if (rc)
		return reply_store_error(r, rc);
	json_t *m = member_detail(id);
	audit(r, "create", "party_member", id, NULL, json_incref(m));
	return reply_json(r, 201, m);
}

int party_members_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"status", F_STR, 0, 1, 20},
		{"joined_on", F_STR, F_NULL, 0, 10},
		{"employed", F_BOOL, 0, 0, 0},
		{"employer_id", F_INT, F_NULL, 1, INT64_MAX},
		{"duty", F_STR, F_NULL, 0, 20},
		{NULL, 0, 0, 0, 0},
	};
	json_t *before = load(r, req_id(r, 0));
	if (!before)
		return r->status;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(before);
		return r->status;
	}
	check_membership(r, r->json, fields, 0);
	/* The result must be consistent: employed ⇔ an employer. */
	int employed = jhas(r->json, "employed") ? jbool(r->json, "employed", 0) : jbool(before, "employed", 0);
	int64_t emp = jhas(r->json, "employer_id") ? jint(r->json, "employer_id", 0) : jint(before, "employer_id", 0);
	if (employed && !emp)
		field_error(fields, "employer_id", "required", "在职党员须填写工作单位");
	if (json_array_size(fields)) {
		json_decref(before);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	json_t *patch = json_deep_copy(r->json);
	if (!employed)
		json_object_set_new(patch, "employer_id", json_null());
	int rc = store_party_member_update(req_id(r, 0), patch, app_now());
	json_decref(patch);
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = member_detail(req_id(r, 0));
	audit(r, "update", "party_member", req_id(r, 0), member_view(before), json_incref(after));
	return reply_json(r, 200, after);
}

/* A transfer needs both ends in the caller's scope: a move to an org the
 * caller does not oversee is made by the common superior (the 党总支 or the
 * street), so no secretary can push a member out of sight. */
int party_members_transfer(struct req *r)
{
	static const struct fspec spec[] = {
		{"to_org_id", F_INT, F_REQ, 1, INT64_MAX},
		{"on_date", F_STR, F_REQ, 10, 10},
		{"reason", F_STR, F_NULL, 0, 200},
		{NULL, 0, 0, 0, 0},
	};
	json_t *m = load(r, req_id(r, 0));
	if (!m)
		return r->status;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(m);
		return r->status;
	}
	int64_t to = jint(r->json, "to_org_id", 0), from = jint(m, "org_id", 0);
	if (jhas(r->json, "to_org_id") && !party_org_visible(r, to))
		field_error(fields, "to_org_id", "not_found", "党组织不存在");
	else if (to == from)
		field_error(fields, "to_org_id", "same_org", "已在该党组织");
	if (jstr(r->json, "on_date") && !date_valid(jstr(r->json, "on_date")))
		field_error(fields, "on_date", "invalid_date", "转接日期应为 YYYY-MM-DD");
	if (json_array_size(fields)) {
		json_decref(m);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	json_t *patch = json_pack("{s:I}", "org_id", (json_int_t)to);
	int rc = store_party_member_update(req_id(r, 0), patch, app_now());
	json_decref(patch);
	if (!rc)
		rc = store_party_transfer_add(req_id(r, 0), from, to, jstr(r->json, "on_date"), jstr(r->json, "reason"),
					      r->account_id, app_now());
	if (rc) {
		json_decref(m);
		return reply_store_error(r, rc);
	}
	json_t *after = member_detail(req_id(r, 0));
	audit(r, "transfer", "party_member", req_id(r, 0), member_view(m), json_incref(after));
	return reply_json(r, 200, after);
}
