/*
 * accounts.c — accounts and their role grants (SPEC §2). Staff see the
 * accounts with a grant in their subtree and change only those whose grants
 * all lie there; only an admin may hand out the admin role or touch an
 * account holding it, and nobody can remove their own last admin grant.
 */
#include "api.h"
#include "core/crypto.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int login_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 64)
		return 0;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
		      *c == '_' || *c == '-' || *c == '@'))
			return 0;
	return 1;
}

/* Public view: drop the internal path of each grant's org. */
static json_t *account_view(json_t *a)
{
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(a, "grants"), i, g) json_object_del(g, "org_path");
	return a;
}

/* An account is visible to staff when one of its grants lies in their scope
 * (or to global scope always). */
static int account_in_scope(struct req *r, json_t *a)
{
	if (r->scope_global)
		return 1;
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(a, "grants"), i, g) {
		if (scope_covers(r, jint(g, "org_id", 0)))
			return 1;
	}
	return 0;
}

static json_t *load_scoped(struct req *r, int64_t id, int *status)
{
	json_t *a = store_account_get(id);
	if (a && !account_in_scope(r, a)) {	/* out of scope reads as missing (404) */
		json_decref(a);
		a = NULL;
	}
	if (!a)
		*status = reply_error(r, 404, "not_found", "账号不存在", NULL);
	return a;
}

/* May the caller change this account (password, disable, profile, grants)?
 * Seeing an account needs one grant in scope; changing it needs *every* grant
 * in scope, and an account holding admin is changed only by an admin over
 * that grant's org — otherwise a harmless grant dropped onto an account would
 * let a street office reset an admin's password (review 2026-12-07 #1).
 * Returns 0, or the 403 answer's status. */
static int account_modifiable(struct req *r, json_t *a)
{
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(a, "grants"), i, g) {
		int64_t org = jint(g, "org_id", 0);
		if (!scope_covers(r, org) || (role_parse(jstr(g, "role")) == ROLE_ADMIN && !has_role_over(r, R_ADMIN, org)))
			return reply_error(r, 403, "forbidden_scope", "该账号有超出您管理范围的授权，不能修改", NULL);
	}
	return 0;
}

/* load_scoped() for a change: visible and wholly within the caller's scope. */
static json_t *load_modifiable(struct req *r, int64_t id, int *status)
{
	json_t *a = load_scoped(r, id, status);
	if (a && (*status = account_modifiable(r, a)) != 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* Checks one grant request {role, org_id}; appends errors under `field`. */
static void check_grant(struct req *r, const char *role, int64_t org_id, const char *field, json_t *fields,
			int *forbidden)
{
	char f[64];
	snprintf(f, sizeof f, "%s.role", field);
	int rl = role_parse(role);
	if (rl < 0)
		field_error(fields, f, "invalid", "未知的角色");
	else if (rl == ROLE_ADMIN && !has_role_over(r, R_ADMIN, org_id))
		*forbidden = 1;
	snprintf(f, sizeof f, "%s.org_id", field);
	json_t *o = store_org_get(org_id);
	if (!o)
		field_error(fields, f, "not_found", "组织不存在");
	else if (!scope_covers(r, org_id))
		*forbidden = 1;
	json_decref(o);
}

int accounts_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = json_object();
	if (q_has(r, "q"))
		json_object_set_new(f, "q", json_string(q_text(r, "q")));
	if (q_has(r, "org_id"))
		json_object_set_new(f, "org_id", json_integer(q_int(r, "org_id")));
	json_t *items = store_account_list(scope_filter(r, f), q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *a;
	json_array_foreach(items, i, a) account_view(a);
	return list_reply(r, items, limit, "id");
}

int accounts_get(struct req *r)
{
	int st = 0;
	json_t *a = load_scoped(r, req_id(r, 0), &st);
	return a ? reply_json(r, 200, account_view(a)) : st;
}

int accounts_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"login", F_STR, F_REQ, 2, 64},
		{"display_name", F_STR, F_REQ, 1, 64},
		{"password", F_STR, F_REQ, 1, 256},
		{"person_id", F_INT, F_NULL, 1, INT64_MAX},
		{"grants", F_ARR, 0, 0, 20},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	const char *login = jstr(r->json, "login"), *pw = jstr(r->json, "password");
	if (login && !login_ok(login))
		field_error(fields, "login", "invalid", "登录名为 2–64 个字母、数字或 . _ - @");
	const char *why = pw ? password_policy(login, jstr(r->json, "display_name"), pw,
					      grants_staff(json_object_get(r->json, "grants"))) : NULL;
	if (why)
		field_error(fields, "password", "weak_password", why);
	int64_t person = jint(r->json, "person_id", 0);
	if (person) {
		json_t *p = store_person_get(person);
		if (!p)
			field_error(fields, "person_id", "not_found", "人员不存在");
		json_decref(p);
	}
	json_t *grants = json_object_get(r->json, "grants");
	if (!json_is_array(grants))
		grants = NULL;
	int forbidden = 0;
	size_t i;
	json_t *g;
	json_array_foreach(grants, i, g) {
		char f[32];
		snprintf(f, sizeof f, "grants[%zu]", i);
		static const struct fspec gspec[] = {
			{"role", F_STR, F_REQ, 1, 32}, {"org_id", F_INT, F_REQ, 1, INT64_MAX}, {NULL, 0, 0, 0, 0}};
		json_t *ge = json_array();
		if (json_check(g, gspec, ge)) {
			field_error(fields, f, "invalid", "授权应为 {\"role\",\"org_id\"}");
			json_decref(ge);
			continue;
		}
		json_decref(ge);
		check_grant(r, jstr(g, "role"), jint(g, "org_id", 0), f, fields, &forbidden);
	}
	if (!r->scope_global && json_array_size(grants) == 0)
		field_error(fields, "grants", "required", "至少需要一个授权（角色和组织）");
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	if (forbidden)
		return reply_error(r, 403, "forbidden_scope", "不能授予超出自己管理范围的角色或组织", NULL);
	char hash[256];
	if (pw_hash(jstr(r->json, "password"), hash, sizeof hash))
		return reply_error(r, 500, "internal", "服务器内部错误", NULL);
	int64_t id;
	int rc = store_account_create(login, jstr(r->json, "display_name"), hash, person, &id);
	if (rc == STORE_ECONFLICT)
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "login", "code", "duplicate", "message",
						 "登录名已被使用"));
	json_array_foreach(grants, i, g) {
		if (!rc)
			rc = store_grant_add(id, jstr(g, "role"), jint(g, "org_id", 0), NULL);
		if (rc == STORE_ECONFLICT)
			rc = STORE_OK;	/* the same grant twice is one grant */
	}
	if (rc)
		return reply_store_error(r, rc);
	json_t *a = account_view(store_account_get(id));
	audit(r, "create", "account", id, NULL, json_incref(a));
	return reply_json(r, 201, a);
}

int accounts_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"display_name", F_STR, 0, 1, 64},
		{"disabled", F_BOOL, 0, 0, 0},
		{"person_id", F_INT, F_NULL, 1, INT64_MAX},
		{NULL, 0, 0, 0, 0},
	};
	int st = body_check(r, spec);
	if (st)
		return st;
	int64_t id = req_id(r, 0);
	json_t *before = load_modifiable(r, id, &st);
	if (!before)
		return st;
	if (id == r->account_id && jbool(r->json, "disabled", 0)) {
		json_decref(before);
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "disabled", "code", "self", "message",
						 "不能停用自己的账号"));
	}
	int64_t person = jint(r->json, "person_id", 0);
	if (person) {
		json_t *p = store_person_get(person);
		json_decref(p);
		if (!p) {
			json_decref(before);
			return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "person_id", "code",
							 "not_found", "message", "人员不存在"));
		}
	}
	int rc = store_account_update(id, r->json);
	if (!rc && jbool(r->json, "disabled", 0))
		rc = store_session_delete_account(id, NULL);
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = account_view(store_account_get(id));
	audit(r, "update", "account", id, account_view(before), json_incref(after));
	return reply_json(r, 200, after);
}

int accounts_password(struct req *r)
{
	static const struct fspec spec[] = {{"new_password", F_STR, F_REQ, 1, 256}, {NULL, 0, 0, 0, 0}};
	int st = body_check(r, spec);
	if (st)
		return st;
	int64_t id = req_id(r, 0);
	json_t *a = load_modifiable(r, id, &st);
	if (!a)
		return st;
	const char *why = password_policy(jstr(a, "login"), jstr(a, "display_name"), jstr(r->json, "new_password"),
					  grants_staff(json_object_get(a, "grants")));
	json_decref(a);
	if (why)
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "new_password", "code", "weak_password",
						 "message", why));
	char hash[256];
	if (pw_hash(jstr(r->json, "new_password"), hash, sizeof hash))
		return reply_error(r, 500, "internal", "服务器内部错误", NULL);
	int rc = store_account_set_password(id, hash);
	if (!rc)	/* a reset ends the account's sessions */
		rc = store_session_delete_account(id, id == r->account_id ? r->token_hash : NULL);
	if (!rc)
		rc = audit(r, "reset_password", "account", id, NULL, NULL);
	return rc ? reply_store_error(r, rc) : reply_empty(r, 204);
}

int grants_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"role", F_STR, F_REQ, 1, 32}, {"org_id", F_INT, F_REQ, 1, INT64_MAX}, {NULL, 0, 0, 0, 0}};
	int st = body_check(r, spec);
	if (st)
		return st;
	int64_t id = req_id(r, 0);
	json_t *a = store_account_get(id);
	if (!a)
		return reply_error(r, 404, "not_found", "账号不存在", NULL);
	/* Granting into one's own scope is how staff adopt an account that has no
	 * grant yet; an account with grants must lie wholly in the caller's scope. */
	int held = json_array_size(json_object_get(a, "grants")) > 0;
	if (held && !account_in_scope(r, a)) {	/* out of scope reads as missing (404) */
		json_decref(a);
		return reply_error(r, 404, "not_found", "账号不存在", NULL);
	}
	st = held ? account_modifiable(r, a) : 0;
	json_decref(a);
	if (st)
		return st;
	json_t *fields = json_array();
	int forbidden = 0;
	const char *role = jstr(r->json, "role");
	int64_t org = jint(r->json, "org_id", 0);
	check_grant(r, role, org, "grant", fields, &forbidden);
	/* Field names without the "grant." prefix for this single-grant call. */
	size_t i;
	json_t *e;
	json_array_foreach(fields, i, e) {
		const char *f = jstr(e, "field");
		if (!strncmp(f, "grant.", 6))
			json_object_set_new(e, "field", json_string(f + 6));
	}
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	if (forbidden)
		return reply_error(r, 403, "forbidden_scope", "不能授予超出自己管理范围的角色或组织", NULL);
	int64_t gid;
	int rc = store_grant_add(id, role, org, &gid);
	if (rc == STORE_ECONFLICT)
		return reply_error(r, 409, "duplicate", "该账号已有此授权", NULL);
	if (rc)
		return reply_store_error(r, rc);
	json_t *g = store_grant_get(gid);
	audit(r, "grant", "account", id, NULL, json_incref(g));
	return reply_json(r, 201, g);
}

int grants_delete(struct req *r)
{
	int64_t id = req_id(r, 0), gid = req_id(r, 1);
	json_t *g = store_grant_get(gid);
	if (!g || jint(g, "account_id", 0) != id || !scope_covers(r, jint(g, "org_id", 0))) {	/* out of scope = missing */
		json_decref(g);
		return reply_error(r, 404, "not_found", "授权不存在", NULL);
	}
	json_t *a = store_account_get(id);
	int st = a ? account_modifiable(r, a) : reply_error(r, 404, "not_found", "账号不存在", NULL);
	json_decref(a);
	if (st) {
		json_decref(g);
		return st;
	}
	int admin = role_parse(jstr(g, "role")) == ROLE_ADMIN;
	int64_t org = jint(g, "org_id", 0);
	if (admin && !has_role_over(r, R_ADMIN, org)) {
		json_decref(g);
		return reply_error(r, 403, "forbidden_scope", "不能撤销超出自己管理范围的授权", NULL);
	}
	if (id == r->account_id && admin) {
		json_decref(g);
		return reply_error(r, 409, "self_admin", "不能撤销自己的管理员授权", NULL);
	}
	int rc = store_grant_delete(gid);
	if (rc) {
		json_decref(g);
		return reply_store_error(r, rc);
	}
	audit(r, "revoke", "account", id, g, NULL);
	return reply_empty(r, 204);
}
