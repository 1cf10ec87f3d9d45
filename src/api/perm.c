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
	/* An Open311 reporter's contact details in clear (open311_contact.c): the
	 * handler checks that the problem lies in the grant's community; audited. */
	{"problems.contact", STAFF | COMMITTEE, 1, "查看开放接口上报人的完整联系方式（留痕）"},
	{"system.admin", ADMIN, 0, "系统时钟与调度"},
	{"webhooks.manage", ADMIN, 1, "管理 Webhook 推送（问题与值班事件）"},
	/* Scoped per problem like problems.read (community, handler unit, reporter). */
	{"ledger.export", STAFF | COMMITTEE, 1, "导出整改台账（本辖区）"},
	/* KPIs and rankings: scoped in kpis.c to the grants' org subtrees
	 * (office, committee) or handler units (handler). */
	{"kpis.read", STAFF | COMMITTEE | HANDLER, 1, "查看考核指标与排名（本辖区或本单位）"},
	/* Volunteers and shifts (SPEC §5): staff and 居委 manage volunteers, posts,
	 * rosters and records in their subtree; anyone signed in browses shifts
	 * and posts; signing up is open to every account and the handler requires
	 * an approved volunteer registration (staff may sign up others). */
	{"volunteers.read", STAFF | COMMITTEE, 0, "查看志愿者、服务队、排班与服务记录"},
	{"volunteers.write", STAFF | COMMITTEE, 0, "管理志愿者、岗位、排班、活动与服务记录"},
	{"volunteers.settings", STAFF, 0, "维护志愿服务规则（年龄、报名窗口、配额、爽约）"},
	{"shifts.read", ALL, 1, "浏览岗位、班次与活动"},
	{"shifts.signup", ALL, 1, "报名班次、认领岗位、签到签退"},
	/* 回头看 and 顽疾 (revisits.c, chronic.c): scoped to the grant's subtree. */
	{"revisits.read", STAFF | COMMITTEE | INSPECTOR, 0, "查看回头看任务和顽疾点位"},
	{"revisits.do", STAFF | COMMITTEE | INSPECTOR, 0, "回头看复查、顽疾点位巡查打卡"},
	{"chronic.watch", STAFF | COMMITTEE, 0, "将顽疾点位列入或移出盯办（一日N查）"},
	/* Sites, checklists, inspections, rounds and daily tasks (SPEC §4). Reading
	 * sites and inspections is scoped per row like problems (community grants
	 * by the site's community, handler grants by its 包保单位); writing sites is
	 * scoped by the site's community; inspecting is allowed on sites in the
	 * account's communities or as the inspecting org of a round pair. */
	{"sites.read", ALL, 1, "查看点位和检查记录（本辖区、本单位包保）"},
	{"sites.write", STAFF | COMMITTEE, 0, "维护点位（本辖区）"},
	{"checklists.write", STAFF, 0, "维护点位类型的测评指标（新版本）"},
	{"inspections.write", STAFF | COMMITTEE | INSPECTOR, 1, "开展检查（自查、督查、暗访、互查等）"},
	{"rounds.read", STAFF | COMMITTEE | INSPECTOR, 1, "查看检查轮次和排名"},
	{"rounds.write", STAFF, 0, "组织检查轮次（咬尾巴）"},
	{"tasks.read", STAFF | COMMITTEE | INSPECTOR | VOLUNTEER, 1, "查看和完成每日巡查任务（本组织）"},
	{"tasks.write", STAFF | COMMITTEE, 0, "设置巡查点和包干区"},
	/* Love bank (bank.c): managing the 爱心超市 and manual awards is scoped
	 * to the grant's subtree (provider unit, awarding org); the trial
	 * balance covers every account. Members use their own account. */
	{"bank.manage", STAFF | COMMITTEE, 0, "管理爱心超市、手工奖励积分、核销兑换"},
	{"bank.settings", STAFF, 0, "维护爱心银行积分规则"},
	{"bank.audit", ADMIN, 0, "查看爱心银行试算平衡"},
	{"bank.report", STAFF, 0, "查看各组织积分发放与兑换、导出积分流水"},
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
