/*
 * party_tree.c — the party tree (党工委 › 党总支 › 党支部 › 党小组) derived
 * from the org tree. A party org's party parent is the nearest one of a
 * higher rank that is either its org ancestor (a 党小组 under its 党支部) or
 * hangs on an ancestor place of it (a 党支部 under a compound belongs to the
 * 党总支 of the compound's community; the 党总支 to the street's 党工委).
 */
#include "api/party.h"
#include "store/party.h"
#include <string.h>

static int rank_of(const char *subkind)
{
	static const char *const order[] = {"party_committee", "party_working_committee", "party_general_branch",
					    "party_branch", "party_group"};
	for (int i = 0; subkind && i < 5; i++)
		if (!strcmp(subkind, order[i]))
			return i;
	return 3;	/* an unclassified party org counts as a branch */
}

static int prefix(const char *p, const char *s)
{
	return p && s && !strncmp(p, s, strlen(p));
}

/* The party parent of x among all, or NULL. */
static json_t *party_parent(json_t *all, json_t *x)
{
	const char *xp = jstr(x, "path");
	int xr = rank_of(jstr(x, "subkind"));
	json_t *best = NULL, *p;
	size_t best_len = 0, i;
	json_array_foreach(all, i, p) {
		if (p == x || rank_of(jstr(p, "subkind")) >= xr)
			continue;
		const char *anchor = prefix(jstr(p, "path"), xp) ? jstr(p, "path")
				   : prefix(jstr(p, "parent_path"), xp) ? jstr(p, "parent_path") : NULL;
		size_t len = anchor ? strlen(anchor) : 0;
		if (anchor && (!best || len > best_len ||
			       (len == best_len && rank_of(jstr(p, "subkind")) > rank_of(jstr(best, "subkind"))))) {
			best = p;
			best_len = len;
		}
	}
	return best;
}

static void add_counts(json_t *to, json_t *from)
{
	static const char *const k[] = {"full", "probationary", "employed", "total"};
	for (int i = 0; i < 4; i++)
		json_object_set_new(to, k[i], json_integer(jint(to, k[i], 0) + jint(from, k[i], 0)));
}

json_t *party_tree_build(struct req *r)
{
	json_t *sf = scope_filter(r, json_object());
	json_t *all = store_party_orgs(sf);
	json_decref(sf);
	if (!all)
		return NULL;
	size_t i;
	json_t *x;
	json_t *parents = json_array();
	json_array_foreach(all, i, x) {
		json_t *pp = party_parent(all, x);
		json_array_append(parents, pp ? pp : json_null());
	}
	json_array_foreach(all, i, x) {
		json_t *pp = json_array_get(parents, i);
		json_object_set(x, "org_parent_id", json_object_get(x, "parent_id"));
		json_object_set_new(x, "parent_id", json_is_null(pp) ? json_null() : json_integer(jint(pp, "id", 0)));
		int64_t f = jint(x, "full_count", 0), p = jint(x, "probationary_count", 0);
		json_object_set_new(x, "counts", json_pack("{s:I, s:I, s:I, s:I}", "full", (json_int_t)f, "probationary",
							   (json_int_t)p, "employed", (json_int_t)jint(x, "employed_count", 0),
							   "total", (json_int_t)(f + p)));
		json_object_set_new(x, "subtree", json_deep_copy(json_object_get(x, "counts")));
		json_object_set_new(x, "children", json_integer(0));
		json_object_del(x, "full_count");
		json_object_del(x, "probationary_count");
		json_object_del(x, "employed_count");
	}
	/* Each org's own counts go up to every party ancestor. */
	json_array_foreach(all, i, x) {
		json_t *pp = json_array_get(parents, i);
		if (!json_is_null(pp))
			json_object_set_new(pp, "children", json_integer(jint(pp, "children", 0) + 1));
		for (int guard = 0; !json_is_null(pp) && guard < 16; guard++) {
			add_counts(json_object_get(pp, "subtree"), json_object_get(x, "counts"));
			size_t j;
			json_t *y;
			json_t *next = json_null();
			json_array_foreach(all, j, y) if (y == pp) next = json_array_get(parents, j);
			pp = next;
		}
	}
	json_decref(parents);
	return all;
}

json_t *party_tree_find(json_t *tree, int64_t id)
{
	size_t i;
	json_t *x;
	json_array_foreach(tree, i, x) if (jint(x, "id", 0) == id) return x;
	return NULL;
}

json_t *party_tree_subtree_ids(json_t *tree, int64_t id)
{
	json_t *ids = json_pack("[I]", (json_int_t)id);
	/* Breadth first over the derived parents; the list grows as we go. */
	for (size_t k = 0; k < json_array_size(ids); k++) {
		int64_t cur = json_integer_value(json_array_get(ids, k));
		size_t i;
		json_t *x;
		json_array_foreach(tree, i, x) if (jint(x, "parent_id", 0) == cur && k < 4096)
			json_array_append_new(ids, json_integer(jint(x, "id", 0)));
	}
	return ids;
}

int party_org_visible(struct req *r, int64_t id)
{
	json_t *o = id > 0 ? store_org_get(id) : NULL;
	int ok = o && !strcmp(jstr(o, "kind") ? jstr(o, "kind") : "", "party_org") && scope_covers(r, id);
	json_decref(o);
	return ok;
}
