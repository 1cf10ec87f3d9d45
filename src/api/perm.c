/*
 * perm.c — who may do what: the one permission table (role × resource.action)
 * that the dispatcher consults before any handler runs. A grant (role, org)
 * gives its permissions over that org's subtree; "global" permissions (reading
 * the org tree, which is public information) ignore the subtree.
 *
 * Adding a feature: add its "resource.action" rows here, and the expected
 * allow/deny per role to tests/api/permissions.test.mjs.
 */
#include "api.h"
#include <string.h>

const char *const roles[] = {"admin", "office", "committee", "inspector", "handler", "volunteer", "resident", NULL};

enum {
	ADMIN = 1 << 0,
	OFFICE = 1 << 1,
	COMMITTEE = 1 << 2,
	INSPECTOR = 1 << 3,
	HANDLER = 1 << 4,
	VOLUNTEER = 1 << 5,
	RESIDENT = 1 << 6,
	ALL = 0x7f,
	STAFF = ADMIN | OFFICE,
};

static const struct perm_row {
	const char *perm;
	unsigned roles;
	int global;
	const char *desc;
} perms[] = {
	{"orgs.read", ALL, 1, "查看组织架构"},
	{"orgs.write", STAFF, 0, "维护组织架构"},
	{"accounts.read", STAFF, 0, "查看账号"},
	{"accounts.write", STAFF, 0, "管理账号与授权"},
	{"people.read", STAFF | COMMITTEE, 0, "查看人员（脱敏）"},
	{"people.write", STAFF | COMMITTEE, 0, "登记、修改人员"},
	{"people.reveal", STAFF | COMMITTEE, 0, "查看完整身份证号和手机号（留痕）"},
	{"people.export", STAFF, 0, "导出或匿名化个人信息"},
	{"audit.read", ADMIN, 0, "查询审计日志"},
	{"categories.write", STAFF, 0, "维护问题类别"},
	{"calendar.write", STAFF, 0, "维护工作日历"},
	/* Problems: the route admits the roles; the handler checks the object's
	 * scope and the workflow table (core/workflow.c) says who may take which
	 * action. Reading is scoped per problem (community, handler unit, reporter). */
	{"problems.read", ALL, 1, "查看问题（本辖区、本单位或本人上报）"},
	{"problems.report", ALL, 1, "上报问题"},
	{"problems.act", STAFF | COMMITTEE | INSPECTOR | HANDLER, 1, "处理问题（受理、派遣、签收、整改、核查）"},
	{"system.admin", ADMIN, 0, "系统时钟与调度"},
	/* Scoped per problem like problems.read (community, handler unit, reporter). */
	{"ledger.export", STAFF | COMMITTEE, 1, "导出整改台账（本辖区）"},
	/* KPIs and rankings: scoped in kpis.c to the grants' org subtrees
	 * (office, committee) or handler units (handler). */
	{"kpis.read", STAFF | COMMITTEE | HANDLER, 1, "查看考核指标与排名（本辖区或本单位）"},
	{NULL, 0, 0, NULL},
};

static unsigned role_bit(const char *role)
{
	for (int i = 0; roles[i]; i++)
		if (!strcmp(roles[i], role))
			return 1u << i;
	return 0;
}

int role_known(const char *role)
{
	return role && role_bit(role) != 0;
}

static const struct perm_row *find(const char *perm)
{
	for (const struct perm_row *p = perms; p->perm; p++)
		if (!strcmp(p->perm, perm))
			return p;
	return NULL;
}

int perm_allows(const char *role, const char *perm)
{
	const struct perm_row *p = find(perm);
	return p && (p->roles & role_bit(role));
}

int perm_global(const char *perm)
{
	const struct perm_row *p = find(perm);
	return p && p->global;
}

json_t *perm_list_for(const json_t *grants)
{
	json_t *out = json_array();
	for (const struct perm_row *p = perms; p->perm; p++) {
		size_t i;
		json_t *g;
		json_array_foreach(grants, i, g) {
			if (p->roles & role_bit(json_string_value(json_object_get(g, "role")))) {
				json_array_append_new(out, json_string(p->perm));
				break;
			}
		}
	}
	return out;
}

json_t *perm_table_json(void)
{
	json_t *rl = json_array(), *pl = json_array();
	for (int i = 0; roles[i]; i++)
		json_array_append_new(rl, json_string(roles[i]));
	for (const struct perm_row *p = perms; p->perm; p++) {
		json_t *who = json_array();
		for (int i = 0; roles[i]; i++)
			if (p->roles & (1u << i))
				json_array_append_new(who, json_string(roles[i]));
		json_array_append_new(pl, json_pack("{s:s, s:s, s:b, s:o}", "permission", p->perm, "description",
						    p->desc, "global", p->global, "roles", who));
	}
	return json_pack("{s:o, s:o}", "roles", rl, "permissions", pl);
}
