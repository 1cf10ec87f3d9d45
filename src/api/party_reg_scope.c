/* party_reg_scope.c — scope, views and periods of 双报到 (party_reg.h). */
#include "party_reg.h"
#include "core/period.h"
#include "core/quarter.h"
#include <string.h>

json_t *dual_scope(struct req *r, json_t *f)
{
	json_object_set_new(f, "comm_paths", grant_paths(r, DUAL_STAFF));
	json_object_set_new(f, "unit_paths", grant_paths(r, R_UNIT));
	json_object_set_new(f, "party_paths", grant_paths(r, R_PARTY));
	return f;
}

int dual_reg_visible(struct req *r, const json_t *g)
{
	return dual_reg_manageable(r, g) || has_role_over(r, R_UNIT | R_ADMIN, jint(g, "unit_id", 0));
}

int dual_reg_manageable(struct req *r, const json_t *g)
{
	int64_t po = jint(g, "party_org_id", 0);
	return has_role_over(r, DUAL_STAFF, jint(g, "community_id", 0)) || (po && has_role_over(r, R_PARTY, po));
}

int dual_unit_visible(struct req *r, const json_t *u)
{
	return has_role_over(r, DUAL_STAFF, jint(u, "community_id", 0)) ||
	       has_role_over(r, R_UNIT, jint(u, "unit_id", 0));
}

json_t *dual_reg_view(json_t *g)
{
	static const char *const t[] = {"decided_at", "created_at", "updated_at", NULL};
	if (!g)
		return NULL;
	json_object_del(g, "community_path");
	json_object_del(g, "unit_path");
	json_object_del(g, "party_path");
	render_times(g, t);
	return g;
}

json_t *dual_unit_view(json_t *u)
{
	static const char *const t[] = {"decided_at", "created_at", "updated_at", NULL};
	if (!u)
		return NULL;
	json_object_del(u, "community_path");
	json_object_del(u, "unit_path");
	json_object_del(u, "contact_phone_enc");
	render_times(u, t);
	return u;
}

int dual_period(struct req *r, char *from, char *to, int64_t *t0, int64_t *t1, char *qname)
{
	int64_t d0, d1;
	int y, q;
	qname[0] = 0;
	if (q_has(r, "from") || q_has(r, "to")) {
		if (!q_has(r, "from") || !q_has(r, "to"))
			return reply_field(r, q_has(r, "from") ? "to" : "from", "required", "起止日期需同时给出");
		period_parse_date(q_text(r, "from"), &d0);
		period_parse_date(q_text(r, "to"), &d1);
		if (d1 < d0)
			return reply_field(r, "to", "invalid", "结束日期应不早于开始日期");
		if (d1 - d0 > 366 * 5)
			return reply_field(r, "to", "invalid", "期间最长五年");
	} else {
		if (q_has(r, "quarter")) {
			if (quarter_parse(q_text(r, "quarter"), &y, &q))
				return reply_field(r, "quarter", "invalid", "季度应为 YYYYQn，如 2026Q4");
		} else {
			quarter_of_day(period_day(app_now()), &y, &q);
		}
		quarter_days(y, q, &d0, &d1);
		quarter_format(y, q, qname, 8);
	}
	period_format_day(d0, from, 11);
	period_format_day(d1, to, 11);
	*t0 = period_day_start(d0);
	*t1 = period_day_start(d1 + 1);
	return 0;
}
