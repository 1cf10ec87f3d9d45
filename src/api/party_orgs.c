/*
 * party_orgs.c — the party organisations (docs/PARTY.md): the party tree in
 * the caller's scope with secretaries and member counts, one org's detail,
 * and its officers (书记, 副书记, 委员, 党小组组长).
 */
#include "api/party.h"
#include "core/signup.h"
#include "store/party.h"
#include <stdio.h>
#include <string.h>

static json_t *org_view(json_t *x)
{
	json_t *v = json_deep_copy(x);
	json_object_del(v, "path");
	json_object_del(v, "parent_path");
	json_object_del(v, "in_scope");
	return v;
}

int party_orgs_list(struct req *r)
{
	json_t *tree = party_tree_build(r);
	if (!tree)
		return reply_store_error(r, STORE_EIO);
	json_t *items = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(tree, i, x) {
		if (!jbool(x, "in_scope", 0))
			continue;
		json_t *v = org_view(x);
		/* The party parent outside the caller's scope is not theirs to see. */
		json_t *pp = party_tree_find(tree, jint(x, "parent_id", 0));
		if (pp && !jbool(pp, "in_scope", 0))
			json_object_set_new(v, "parent_id", json_null());
		json_array_append_new(items, v);
	}
	json_decref(tree);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static json_t *load_org(struct req *r, json_t **tree)
{
	*tree = party_tree_build(r);
	json_t *x = *tree ? party_tree_find(*tree, req_id(r, 0)) : NULL;
	if (!x || !jbool(x, "in_scope", 0)) {
		reply_error(r, 404, "not_found", "党组织不存在", NULL);
		return NULL;
	}
	return x;
}

static json_t *org_detail(json_t *tree, json_t *x)
{
	int64_t id = jint(x, "id", 0);
	json_t *v = org_view(x);
	json_object_set_new(v, "officers", store_party_officers(id));
	json_object_set_new(v, "places", store_party_org_places(id));
	json_t *kids = json_array();
	size_t i;
	json_t *y;
	json_array_foreach(tree, i, y) if (jint(y, "parent_id", 0) == id)
		json_array_append_new(kids, json_pack("{s:I, s:O, s:O, s:O, s:O}", "id", (json_int_t)jint(y, "id", 0),
						      "name", json_object_get(y, "name"), "subkind",
						      json_object_get(y, "subkind"), "secretary",
						      json_object_get(y, "secretary"), "subtree", json_object_get(y, "subtree")));
	json_object_set_new(v, "child_orgs", kids);
	json_t *p = party_tree_find(tree, jint(x, "parent_id", 0));
	json_object_set_new(v, "parent_name", p && jbool(p, "in_scope", 0) ? json_string(jstr(p, "name")) : json_null());
	return v;
}

int party_orgs_get(struct req *r)
{
	json_t *tree;
	json_t *x = load_org(r, &tree);
	if (!x) {
		json_decref(tree);
		return r->status;
	}
	json_t *v = org_detail(tree, x);
	json_decref(tree);
	return reply_json(r, 200, v);
}

/* Each officer names a person this caller may name: one in their scope or a
 * party member of an org in their scope (a secretary lives elsewhere). */
static int officer_person_ok(struct req *r, int64_t person_id)
{
	json_t *p = store_person_get(person_id);
	int ok = p && scope_covers(r, jint(p, "org_id", 0));
	json_decref(p);
	int64_t mid = ok ? 0 : store_party_member_by_person(person_id);
	json_t *m = mid > 0 ? store_party_member_get(mid) : NULL;
	ok = ok || (m && scope_covers(r, jint(m, "org_id", 0)));
	json_decref(m);
	return ok;
}

static void check_officers(struct req *r, json_t *list, json_t *fields)
{
	static const char *const posts = "secretary deputy_secretary committee_member group_leader";
	size_t i;
	json_t *o;
	int secretaries = 0;
	json_array_foreach(list, i, o) {
		char f[48];
		snprintf(f, sizeof f, "officers[%zu]", i);
		const char *post = jstr(o, "post");
		if (!json_is_object(o) || !post || !word_in_list(posts, post))
			field_error(fields, f, "invalid", "职务应为 secretary、deputy_secretary、committee_member 或 group_leader");
		else if (!officer_person_ok(r, jint(o, "person_id", 0)))
			field_error(fields, f, "not_found", "人员不存在");
		else if (jstr(o, "since") && !date_valid(jstr(o, "since")))
			field_error(fields, f, "invalid_date", "任职日期应为 YYYY-MM-DD");
		secretaries += post && !strcmp(post, "secretary");
	}
	if (secretaries > 1)
		field_error(fields, "officers", "duplicate", "一个党组织只有一名书记");
}

int party_orgs_officers(struct req *r)
{
	static const struct fspec spec[] = {
		{"officers", F_ARR, F_REQ, 0, 40},
		{NULL, 0, 0, 0, 0},
	};
	json_t *tree;
	json_t *x = load_org(r, &tree);
	if (!x) {
		json_decref(tree);
		return r->status;
	}
	int64_t id = jint(x, "id", 0);
	json_decref(tree);
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	json_t *list = json_object_get(r->json, "officers");
	check_officers(r, list, fields);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	json_t *before = store_party_officers(id);
	int rc = store_party_officers_set(id, list);
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = store_party_officers(id);
	audit(r, "update", "party_officers", id, before, json_incref(after));
	return reply_json(r, 200, json_pack("{s:I, s:o}", "org_id", (json_int_t)id, "officers", after));
}
