/*
 * perm.c — who may do what: the permission table (perms.def, role ×
 * resource.action, each with its scope kind) as data the dispatcher
 * consults before any handler runs, and its wire spellings.
 *
 * Adding a feature: docs/ARCHITECTURE.md "Permissions, roles and scope kinds".
 */
#include "api.h"
#include <string.h>

static const struct perm_info table[P_COUNT] = {
#define PERM(id, name, roles, scope, desc) [id] = {name, roles, scope, desc},
#include "perms.def"
#undef PERM
};

static const char *const scope_names[] = {
	[SCOPE_SUBTREE] = "subtree", [SCOPE_PUBLIC] = "public", [SCOPE_OWN] = "own", [SCOPE_GLOBAL] = "global"};

const struct perm_info *perm_info(int perm)
{
	return perm > P_NONE && perm < P_COUNT ? &table[perm] : NULL;
}

const char *perm_name(int perm)
{
	const struct perm_info *p = perm_info(perm);
	return p ? p->name : NULL;
}

int perm_parse(const char *name)
{
	for (int i = P_NONE + 1; name && i < P_COUNT; i++)
		if (!strcmp(table[i].name, name))
			return i;
	return P_NONE;
}

const char *scope_kind_name(int kind)
{
	return kind >= 0 && kind < (int)(sizeof scope_names / sizeof *scope_names) ? scope_names[kind] : NULL;
}

int perm_allows(int role, int perm)
{
	const struct perm_info *p = perm_info(perm);
	return p && role >= 0 && role < ROLE_COUNT && (p->roles & (1u << role));
}

unsigned grants_roles(const json_t *grants)
{
	unsigned mask = 0;
	size_t i;
	json_t *g;
	json_array_foreach(grants, i, g) mask |= role_bit(json_string_value(json_object_get(g, "role")));
	return mask;
}

json_t *perm_list_for(unsigned roles)
{
	json_t *out = json_array();
	for (int i = P_NONE + 1; i < P_COUNT; i++)
		if (table[i].roles & roles)
			json_array_append_new(out, json_string(table[i].name));
	return out;
}

json_t *perm_table_json(void)
{
	json_t *rl = json_array(), *pl = json_array();
	for (int i = 0; i < ROLE_COUNT; i++)
		json_array_append_new(rl, json_string(role_name(i)));
	for (int i = P_NONE + 1; i < P_COUNT; i++) {
		const struct perm_info *p = &table[i];
		json_t *who = json_array();
		for (int k = 0; k < ROLE_COUNT; k++)
			if (p->roles & (1u << k))
				json_array_append_new(who, json_string(role_name(k)));
		/* "global" is the scope kind's older spelling: true for every
		 * kind the dispatcher does not limit to the grant's subtree. */
		json_array_append_new(pl, json_pack("{s:s, s:s, s:s, s:b, s:o}", "permission", p->name, "description",
						    p->desc, "scope", scope_kind_name(p->scope), "global",
						    p->scope != SCOPE_SUBTREE, "roles", who));
	}
	return json_pack("{s:o, s:o}", "roles", rl, "permissions", pl);
}
