/*
 * bank_family.c — family links of the love bank (bank.h): a member asks for a link
 * to another account, the 居委 approves it, either side revokes it; an approved
 * link is what allows a transfer (bank_transfers.c).
 */
#include "api.h"
#include "api/bank.h"	/* not src/store/bank.h */
#include <stdlib.h>
#include <string.h>

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

/* Mine (either side), or with ?manage=1 (manage:bool) the links a 居委/staff
 * decides (within the subtrees of its office/committee grants), optionally
 * ?state= (an enum). */
int bank_family_list(struct req *r)
{
	const char *state = q_text(r, "state");
	if (!q_bool(r, "manage", 0)) {
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
	if (!has_role(r, R_ADMIN | R_OFFICE | R_COMMITTEE))
		return reply_error(r, 403, "forbidden", "无权审核家庭成员关联", NULL);
	json_t *paths = grant_paths(r, R_OFFICE | R_COMMITTEE);
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
	if (f && (org ? !scope_covers(r, org) : !has_role(r, R_ADMIN))) {
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
	    !(path ? grants_cover(r, R_OFFICE | R_COMMITTEE, path) : has_role(r, R_ADMIN))) {
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
