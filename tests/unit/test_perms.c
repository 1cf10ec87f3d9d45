/* test_perms.c — the permission and role tables agree with each other and
 * with the routes table. A misspelt permission or role no longer compiles
 * (perms.def, roles.def); what the compiler cannot see is checked here:
 * every route names a known permission with a scope kind, no permission is
 * without roles or without a route, wire names are unique and well formed,
 * the workflow's role column names known roles, and the web UI lists the
 * same roles in the same order (web/format.js). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "core/roles.h"
#include "core/workflow.h"

static int well_formed(const char *name)
{
	const char *dot = strchr(name, '.');
	if (!dot || dot == name || !dot[1] || strchr(dot + 1, '.'))
		return 0;
	for (const char *c = name; *c; c++)
		if (!(*c == '.' || *c == '_' || (*c >= 'a' && *c <= 'z')))
			return 0;
	return 1;
}

static void t_every_route_names_a_known_permission(void **s)
{
	(void)s;
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct route *rt = &api_routes[i];
		assert_in_range(rt->perm, P_NONE, P_COUNT - 1);
		if (rt->perm == P_NONE)
			continue;
		const struct perm_info *p = perm_info(rt->perm);
		if (!p || !p->roles || !scope_kind_name(p->scope))
			fail_msg("%s %s: permission %d has no roles or no scope kind", rt->method, rt->pattern, rt->perm);
		/* A public route with a permission would answer 401 to the public. */
		if (rt->flags & R_PUBLIC)
			fail_msg("%s %s: R_PUBLIC with permission %s", rt->method, rt->pattern, p->name);
	}
}

static void t_permissions_have_roles_names_and_routes(void **s)
{
	(void)s;
	assert_null(perm_info(P_NONE));
	assert_null(perm_info(P_COUNT));
	assert_null(perm_name(P_NONE));
	for (int i = P_NONE + 1; i < P_COUNT; i++) {
		const struct perm_info *p = perm_info(i);
		assert_non_null(p);
		if (!p->name || !well_formed(p->name))
			fail_msg("permission %d: wire name \"%s\" is not resource.action", i, p->name ? p->name : "");
		assert_int_equal(perm_parse(p->name), i);	/* unique: the first match is itself */
		if (!p->roles || (p->roles & ~(unsigned)R_ALL))
			fail_msg("%s: roles mask %#x", p->name, p->roles);
		assert_non_null(scope_kind_name(p->scope));
		assert_true(p->desc && *p->desc);
		int routed = 0;
		for (size_t k = 0; k < api_nroutes && !routed; k++)
			routed = api_routes[k].perm == i;
		if (!routed)
			fail_msg("%s: no route in routes.def names it", p->name);
		/* perm_allows agrees with the mask, role by role. */
		for (int r = 0; r < ROLE_COUNT; r++)
			assert_int_equal(perm_allows(r, i), (p->roles >> r) & 1);
	}
	assert_int_equal(perm_parse("problems.reprot"), P_NONE);
	assert_int_equal(perm_parse(NULL), P_NONE);
	assert_string_equal(perm_name(P_PROBLEMS_REPORT), "problems.report");
	assert_string_equal(scope_kind_name(SCOPE_SUBTREE), "subtree");
	assert_null(scope_kind_name(SCOPE_GLOBAL + 1));
}

static void t_roles_are_unique_and_known(void **s)
{
	(void)s;
	assert_int_equal(R_ALL, (1u << ROLE_COUNT) - 1);
	for (int i = 0; i < ROLE_COUNT; i++) {
		assert_non_null(role_name(i));
		assert_non_null(role_label(i));
		assert_int_equal(role_parse(role_name(i)), i);
		assert_int_equal(role_bit(role_name(i)), 1u << i);
	}
	assert_null(role_name(ROLE_COUNT));
	assert_int_equal(role_parse("adm1n"), -1);
	assert_int_equal(role_bit(NULL), 0);
	assert_string_equal(role_name(ROLE_ADMIN), "admin");
	/* The workflow's role column: known roles only, never empty. */
	for (int a = 0; a < WA_NACTIONS; a++) {
		const struct wf_rule *rule = wf_rule(a);
		if (!rule->roles || (rule->roles & ~(unsigned)R_ALL))
			fail_msg("workflow action %s: roles mask %#x", rule->name, rule->roles);
	}
}

/* GET /api/v1/roles: the roles in table order, every permission with its
 * scope kind and its older "global" spelling. */
static void t_roles_table_json(void **s)
{
	(void)s;
	json_t *t = perm_table_json();
	json_t *rl = json_object_get(t, "roles"), *pl = json_object_get(t, "permissions");
	assert_int_equal(json_array_size(rl), ROLE_COUNT);
	assert_int_equal(json_array_size(pl), P_COUNT - 1);
	size_t i;
	json_t *p;
	json_array_foreach(pl, i, p) {
		const struct perm_info *info = perm_info((int)i + 1);
		assert_string_equal(json_string_value(json_object_get(p, "permission")), info->name);
		assert_string_equal(json_string_value(json_object_get(p, "scope")), scope_kind_name(info->scope));
		assert_int_equal(json_is_true(json_object_get(p, "global")), info->scope != SCOPE_SUBTREE);
	}
	json_decref(t);
	json_t *mine = perm_list_for(R_RESIDENT);
	json_array_foreach(mine, i, p) assert_true(perm_info(perm_parse(json_string_value(p)))->roles & R_RESIDENT);
	json_decref(mine);
}

/* The web UI's list of roles (web/format.js ROLES) is the same, in order. */
static void t_web_roles_match(void **s)
{
	(void)s;
	FILE *f = fopen(SOURCE_ROOT "/web/format.js", "r");
	assert_non_null(f);
	char line[1024], want[1024] = "export const ROLES = [";
	for (int i = 0; i < ROLE_COUNT; i++) {
		char item[64];
		snprintf(item, sizeof item, "%s'%s'", i ? ", " : "", role_name(i));
		strcat(want, item);
	}
	strcat(want, "];");
	int found = 0;
	while (!found && fgets(line, sizeof line, f))
		found = !strncmp(line, "export const ROLES = ", 21);
	fclose(f);
	assert_true(found);
	line[strcspn(line, "\n")] = 0;
	assert_string_equal(line, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_every_route_names_a_known_permission),
		cmocka_unit_test(t_permissions_have_roles_names_and_routes),
		cmocka_unit_test(t_roles_are_unique_and_known),
		cmocka_unit_test(t_roles_table_json),
		cmocka_unit_test(t_web_roles_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
