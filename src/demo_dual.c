/*
 * demo_dual.c — 双报到 in the demo (docs/PARTY.md "dual"): a few units
 * registered with communities (浦发银行花木支行 with 由由第五 and 由由第八,
 * some pending), a few dozen member registrations (the party feature's
 * 在职党员 when it made them, else people tagged party_member; some pending,
 * a few declined), and the "volunteer" login 张志愿 registered with
 * 由由第五居民区 for 浦发银行花木支行 with approved service in the current
 * quarter, so the quarterly feedback has figures. After demo_party.
 */
#include "demo.h"
#include "api/api.h"
#include "core/crypto.h"
#include "core/period.h"
#include "core/privacy.h"
#include "core/quarter.h"
#include "store/dual.h"
#include <stdio.h>
#include <string.h>

static int64_t code_id(const char *code)
{
	json_t *o = store_org_by_code(code);
	int64_t id = o ? json_integer_value(json_object_get(o, "id")) : 0;
	json_decref(o);
	return id;
}

static int unit_reg(int64_t unit, int64_t comm, const char *party, const char *contact, const char *phone,
		    const char *commit, int accept, int64_t now)
{
	json_t *in = json_pack("{s:I, s:I, s:s, s:s, s:s}", "unit_id", (json_int_t)unit, "community_id",
			       (json_int_t)comm, "party_org_name", party, "contact_name", contact, "commitments", commit);
	privacy_seal_phone(in, phone);
	json_object_set(in, "contact_phone_enc", json_object_get(in, "phone_enc"));
	json_object_set(in, "contact_phone_masked", json_object_get(in, "phone_masked"));
	int64_t id = 0;
	int rc = dual_unit_create(in, now - 86400 * 60, &id);
	if (!rc && accept) {
		json_t *row = dual_unit_get(id);
		json_object_set_new(row, "state", json_string("accepted"));
		json_object_set_new(row, "decided_at", json_integer(now - 86400 * 58));
		rc = dual_unit_update(id, row, now - 86400 * 58);
		json_decref(row);
	}
	json_decref(in);
	return rc;
}

/* A member's registration; state 0 pending, 1 accepted (card issued), 2 declined. */
static int member_reg(int64_t person, int64_t comm, int64_t unit, int64_t member, int state, int i, int64_t now)
{
	static const char *const skills[] = {"法律咨询", "金融知识", "电脑维修", "心理疏导", "摄影", "书法", "急救"};
	static const char *const wishes[] = {"为老服务", "垃圾分类宣传", "反诈宣传", "小区巡逻", "助学辅导"};
	static const char *const avail[] = {"weekday_evening", "weekend", "holiday"};
	json_t *in = json_pack("{s:I, s:I, s:I, s:s, s:s, s:[s], s:i}", "person_id", (json_int_t)person,
			       "community_id", (json_int_t)comm, "unit_id", (json_int_t)unit, "skills", skills[i % 7],
			       "wishes", wishes[i % 5], "availability", avail[i % 3], "self_registered", i % 2);
	if (member)
		json_object_set_new(in, "member_id", json_integer(member));
	int64_t id = 0, at = now - 86400 * (40 - i % 30);
	int rc = dual_reg_create(in, at, &id);
	json_decref(in);
	if (rc == STORE_ECONFLICT)
		return 0;	/* the same person twice: one registration is enough */
	if (rc || !state)
		return rc;
	json_t *row = dual_reg_get(id);
	char card[32], day[16];
	period_format_day(period_day(at), day, sizeof day);
	snprintf(card, sizeof card, "SB%.4s%06lld", day, (long long)id);
	json_object_set_new(row, "state", json_string(state == 1 ? "accepted" : "declined"));
	if (state == 1)
		json_object_set_new(row, "card_no", json_string(card));
	else
		json_object_set_new(row, "decline_reason", json_string("居住地不在本居民区，请向实际居住地报到"));
	json_object_set_new(row, "decided_at", json_integer(at + 86400));
	rc = dual_reg_update(id, row, at + 86400);
	json_decref(row);
	return rc;
}

/* Approved service of 张志愿 inside the current quarter (its first day and today). */
static int zhang_service(int64_t person, int64_t comm, int64_t now)
{
	int64_t vid = store_volunteer_by_person(person);
	if (!vid)
		return 0;
	int y, q;
	int64_t today = period_day(now), first, last;
	quarter_of_day(today, &y, &q);
	quarter_days(y, q, &first, &last);
	static const char *const what[] = {"双报到：小区反诈宣传", "双报到：为老助餐送餐"};
	static const double hours[] = {2.5, 3};
	int64_t days[] = {first, today};
	for (int k = 0; k < 2; k++) {
		char date[16];
		period_format_day(days[k], date, sizeof date);
		json_t *in = json_pack("{s:I, s:I, s:s, s:s, s:s, s:f, s:s}", "volunteer_id", (json_int_t)vid, "org_id",
				       (json_int_t)comm, "activity_name", what[k], "service_date", date, "place",
				       "由由第五居民区党群服务站", "hours", hours[k], "organiser", "由由第五居委");
		int64_t id = 0;
		int rc = store_record_create(in, now - 3600, &id);
		json_decref(in);
		if (rc || store_record_decide(id, "approved", 0, now - 1800))
			return -1;
	}
	return 0;
}

int demo_dual(const int64_t *comm, int ncomm, int64_t street)
{
	(void)street;
	int64_t now = app_now();
	int64_t spdb = code_id("HM-SPDB"), cg = code_id("HM-CG"), scs = code_id("HM-SCS"), pcs = code_id("HM-PCS"),
		hw = code_id("HM-HW");
	if (!spdb || !cg || !scs || !pcs || !hw || ncomm < 4)
		return -1;
	int rc = unit_reg(spdb, comm[0], "浦发银行花木支行党支部", "王联络", "13800000101",
			  "每季度开展一次金融知识进社区；为独居老人提供上门助老服务", 1, now) ||
		 unit_reg(spdb, comm[1], "浦发银行花木支行党支部", "王联络", "13800000101", "反诈宣传进小区", 1, now) ||
		 unit_reg(cg, comm[0], "花木城管中队党支部", "陈中队", "13800000102", "市容环境共治，每月一次联合巡查", 1, now) ||
		 unit_reg(scs, comm[2], "花木市场监管所党支部", "刘所长", "13800000103", "食品安全宣传", 1, now) ||
		 unit_reg(pcs, comm[3], "花木派出所党支部", "赵警官", "13800000104", "平安社区共建", 0, now) ||
		 unit_reg(hw, comm[1], "花木环卫所党支部", "孙站长", "13800000105", "垃圾分类指导", 0, now);
	if (rc)
		return -1;
	/* 张志愿: accepted with 由由第五, 浦发银行, with service this quarter. */
	int64_t zhang = dual_demo_login_person("volunteer");
	if (!zhang || member_reg(zhang, comm[0], spdb, 0, 1, 0, now) || zhang_service(zhang, comm[0], now))
		return -1;
	json_t *cands = dual_demo_candidates(40);
	if (!cands)
		return -1;
	const int64_t units[] = {spdb, cg, scs, pcs, hw};
	size_t i;
	json_t *c;
	json_array_foreach(cands, i, c) {
		int64_t person = json_integer_value(json_object_get(c, "person_id"));
		int64_t unit = json_integer_value(json_object_get(c, "employer_id"));
		int n = (int)i + 1;
		if (person == zhang)
			continue;
		int64_t home = json_integer_value(json_object_get(c, "community_id"));
		/* Without an employer from the party feature: a unit registered with
		 * the member's community, so each unit's feedback has members. */
		if (!unit)
			unit = home == comm[0] ? (n % 3 ? spdb : cg) : home == comm[1] ? (n % 3 ? spdb : hw)
			     : home == comm[2] ? scs : home == comm[3] ? pcs : units[n % 5];
		rc = member_reg(person, home, unit,
				json_integer_value(json_object_get(c, "member_id")), n % 5 == 0 ? 0 : n % 11 == 0 ? 2 : 1,
				n, now);
		if (rc)
			break;
	}
	json_decref(cands);
	return rc ? -1 : 0;
}
