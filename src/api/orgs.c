/*
 * orgs.c — the org tree (SPEC §2): city › district › street › community ›
 * compound › building, plus party organisations, units and volunteer teams
 * attached anywhere. Reading the tree is open to every signed-in account
 * (names of orgs are public: a resident picks a community when reporting);
 * changing it needs orgs.write over the parent's subtree.
 */
#include "api.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct kind_rule {
	const char *kind;
	const char *parents;	/* allowed parent kinds; "" = must be a root; NULL = any parent */
	int may_be_root;
} kinds[] = {
	{"city", "", 1},
	{"district", "city", 1},
	{"street", "district", 1},
	{"community", "street", 0},
	{"compound", "community", 0},
	{"building", "compound", 0},
	{"party_org", NULL, 0},
	{"unit", NULL, 0},
	{"team", NULL, 0},
	{NULL, NULL, 0},
};

static const struct kind_rule *kind_find(const char *k)
{
	for (const struct kind_rule *r = kinds; k && r->kind; r++)
		if (!strcmp(r->kind, k))
			return r;
	return NULL;
}

/* Checks where an org of `kind` may hang; appends field errors. */
static void check_parent(const struct kind_rule *kr, json_t *parent, json_t *fields)
{
	if (!parent) {
		if (!kr->may_be_root)
			field_error(fields, "parent_id", "required", "该类型必须有上级组织");
		return;
	}
	const char *pk = jstr(parent, "kind");
	if (kr->parents && !word_in_list(kr->parents, pk)) {
		char msg[128];
		snprintf(msg, sizeof msg, "上级组织类型应为 %s", kr->parents[0] ? kr->parents : "（无）");
		field_error(fields, "parent_id", "bad_parent_kind", msg);
	}
}

/* A party org's subkind (docs/PARTY.md): one of the party tree's levels
 * (absent = an unclassified org, read as a branch); a 党小组 hangs under a
 * party org, the others under a party org or a place. */
static void check_party_subkind(const json_t *in, json_t *parent, json_t *fields)
{
	static const char *const subkinds =
		"party_committee party_working_committee party_general_branch party_branch party_group";
	const char *sk = jstr(in, "subkind"), *pk = parent ? jstr(parent, "kind") : NULL;
	if (!sk)
		return;
	if (!word_in_list(subkinds, sk))
		field_error(fields, "subkind", "invalid", "党组织类型应为 party_committee、party_working_committee、"
							  "party_general_branch、party_branch 或 party_group");
	else if (!strcmp(sk, "party_group") && (!pk || strcmp(pk, "party_org")))
		field_error(fields, "parent_id", "bad_parent_kind", "党小组应建在党支部或党总支之下");
}

static int code_ok(const char *c)
{
	for (; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		      *c == '_'))
			return 0;
	return 1;
}

static const struct fspec org_fields[] = {
	{"parent_id", F_INT, F_NULL, 1, INT64_MAX},
	{"kind", F_STR, F_REQ, 1, 32},
	{"subkind", F_STR, F_NULL, 1, 32},
	{"name", F_STR, F_REQ, 1, 100},
	{"code", F_STR, F_NULL, 1, 32},
	{"address", F_STR, F_NULL, 0, 200},
	{"lat", F_NUM, F_NULL, -90, 90},
	{"lng", F_NUM, F_NULL, -180, 180},
	{NULL, 0, 0, 0, 0},
};

int orgs_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	const char *kind = q_text(r, "kind");	/* the kinds table above, not restated in routes.def */
	if (kind && !kind_find(kind))
		return reply_field(r, "kind", "invalid", "未知的组织类型");
	const char *cursor = q_text(r, "cursor");	/* the last org path seen (cursor:token[200]) */
	if (cursor && (cursor[0] != '/' || strspn(cursor, "/0123456789") != strlen(cursor)))
		return reply_field(r, "cursor", "invalid", "无效的游标");
	json_t *f = json_object();
	if (q_has(r, "parent_id"))
		json_object_set_new(f, "parent_id", json_integer(q_int(r, "parent_id")));
	if (q_has(r, "under"))
		json_object_set_new(f, "under", json_integer(q_int(r, "under")));
	if (kind)
		json_object_set_new(f, "kind", json_string(kind));
	if (q_has(r, "q"))
		json_object_set_new(f, "q", json_string(q_text(r, "q")));
	json_t *items = store_org_list(scope_filter(r, f), cursor, limit);
	json_decref(f);
	return list_reply(r, items, limit, "path");
}

int orgs_get(struct req *r)
{
	json_t *o = store_org_get(req_id(r, 0));
	if (!o)
		return reply_error(r, 404, "not_found", "组织不存在", NULL);
	return reply_json(r, 200, o);
}

int orgs_create(struct req *r)
{
	json_t *fields = body_fields(r, org_fields);
	if (!fields)
		return r->status;
	const struct kind_rule *kr = kind_find(jstr(r->json, "kind"));
	if (!kr && jstr(r->json, "kind"))
		field_error(fields, "kind", "invalid", "未知的组织类型");
	const char *code = jstr(r->json, "code");
	if (code && !code_ok(code))
		field_error(fields, "code", "invalid", "编码只能包含字母、数字、- 和 _");
	json_t *pid = json_object_get(r->json, "parent_id");
	json_t *parent = json_is_integer(pid) ? store_org_get(json_integer_value(pid)) : NULL;
	if (json_is_integer(pid) && !parent)
		field_error(fields, "parent_id", "not_found", "上级组织不存在");
	if (kr && (parent || !json_is_integer(pid)))
		check_parent(kr, parent, fields);
	if (kr && !strcmp(kr->kind, "party_org"))
		check_party_subkind(r->json, parent, fields);
	if (json_array_size(fields)) {
		json_decref(parent);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	if (parent ? !scope_covers(r, jint(parent, "id", 0)) : !r->scope_global) {
		json_decref(parent);
		return reply_error(r, 403, "forbidden_scope", "只能在自己负责的组织范围内操作", NULL);
	}
	json_decref(parent);
	int64_t id;
	int rc = store_org_create(r->json, &id);
	if (rc == STORE_ECONFLICT)
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "code", "code", "duplicate",
						 "message", "编码已被使用"));
	if (rc)
		return reply_store_error(r, rc);
	json_t *o = store_org_get(id);
	audit(r, "create", "org", id, NULL, json_incref(o));
	return reply_json(r, 201, o);
}

int orgs_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"parent_id", F_INT, 0, 1, INT64_MAX},
		{"subkind", F_STR, F_NULL, 1, 32},
		{"name", F_STR, 0, 1, 100},
		{"code", F_STR, F_NULL, 1, 32},
		{"address", F_STR, F_NULL, 0, 200},
		{"lat", F_NUM, F_NULL, -90, 90},
		{"lng", F_NUM, F_NULL, -180, 180},
		{NULL, 0, 0, 0, 0},
	};
	int st = body_check(r, spec);
	if (st)
		return st;
	int64_t id = req_id(r, 0);
	/* An org outside the caller's write scope is not found for writes
	 * (404), like every out-of-scope object, although the tree is public. */
	json_t *before = scope_covers(r, id) ? store_org_get(id) : NULL;
	if (!before)
		return reply_error(r, 404, "not_found", "组织不存在", NULL);
	json_t *fields = json_array();
	const char *code = jstr(r->json, "code");
	if (code && !code_ok(code))
		field_error(fields, "code", "invalid", "编码只能包含字母、数字、- 和 _");
	json_t *np = json_object_get(r->json, "parent_id");
	int moving = json_is_integer(np) && json_integer_value(np) != jint(before, "parent_id", 0);
	if (moving) {
		int64_t pid = json_integer_value(np);
		json_t *parent = store_org_get(pid);
		if (!parent)
			field_error(fields, "parent_id", "not_found", "上级组织不存在");
		else if (store_org_within(pid, id) == 1)
			field_error(fields, "parent_id", "cycle", "不能移动到自己的下级组织之下");
		else {
			check_parent(kind_find(jstr(before, "kind")), parent, fields);
			if (!scope_covers(r, pid) || !jint(before, "parent_id", 0)) {
				json_decref(parent);
				json_decref(before);
				json_decref(fields);
				return reply_error(r, 403, "forbidden_scope", "只能在自己负责的组织范围内移动", NULL);
			}
		}
		json_decref(parent);
	}
	if (json_array_size(fields)) {
		json_decref(before);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc = store_org_update(id, r->json);
	if (rc == STORE_ECONFLICT) {
		json_decref(before);
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "code", "code", "duplicate",
						 "message", "编码已被使用"));
	}
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = store_org_get(id);
	audit(r, "update", "org", id, before, json_incref(after));
	return reply_json(r, 200, after);
}

int orgs_delete(struct req *r)
{
	int64_t id = req_id(r, 0);
	json_t *before = scope_covers(r, id) ? store_org_get(id) : NULL;	/* out of scope = missing */
	if (!before)
		return reply_error(r, 404, "not_found", "组织不存在", NULL);
	int own_root = 0;
	size_t i;
	json_t *s;
	json_array_foreach(r->scope, i, s) own_root |= json_integer_value(s) == id;
	if (own_root && !r->scope_global) {
		json_decref(before);
		return reply_error(r, 403, "forbidden_scope", "只能删除自己负责范围内的下级组织", NULL);
	}
	int rc = store_org_delete(id);
	if (rc == STORE_EREFERENCED) {
		json_decref(before);
		return reply_error(r, 409, "in_use", "该组织下还有下级组织、账号或人员，不能删除", NULL);
	}
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	audit(r, "delete", "org", id, before, NULL);
	return reply_empty(r, 204);
}
