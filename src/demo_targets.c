/*
 * demo_targets.c — this year's 目标责任书 for each of the demo communities
 * (issued and signed) and two units (one signed, one still a draft), with
 * goals set so that some items are met and some are not against the demo's
 * own figures; and about forty 好人好事 over the year, most verified (the
 * doers are the communities' demo volunteers, who earn their points) and
 * some still waiting for the 居委. Inside the caller's transaction.
 */
#include "demo.h"
#include "api/api.h"
#include "api/bank.h"
#include "core/period.h"
#include "store/targets_sql.h"
#include <stdio.h>
#include <string.h>

static int letter(int64_t org, int year, int k, int sign, int64_t now)
{
	/* Goals alternate between easy and hard so the overview is mixed. */
	json_t *items = json_pack("[{s:s, s:f}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:f}, {s:s, s:s},"
				  " {s:s, s:s}]",
				  "metric", "on_time_rate", "goal", k % 2 ? 0.6 : 0.95,
				  "metric", "volunteers_registered", "goal", k % 3 ? 3 : 300,
				  "metric", "service_hours", "goal", k % 2 ? 5 : 5000,
				  "metric", "good_deeds_verified", "goal", k % 4 ? 2 : 10,
				  "metric", "meetings_held", "goal", 12,
				  "metric", "awareness_rate", "goal", 0.85,
				  "metric", "text", "text", "每季度开展一次“清洁家园”集中行动",
				  "metric", "text", "text", "建立楼组长微信群，通知一小时内传达到户");
	json_t *o = store_org_get(org);
	char title[200];
	snprintf(title, sizeof title, "%d年度%s精神文明创建工作目标责任书", year, o ? jstr(o, "name") : "");
	json_decref(o);
	json_t *in = json_pack("{s:I, s:i, s:s}", "org_id", (json_int_t)org, "year", year, "title", title);
	int64_t id = 0;
	int rc = store_target_create(in, now - 86400 * 60, &id);
	json_decref(in);
	if (!rc)
		rc = store_target_items_set(id, items);
	json_decref(items);
	if (!rc && sign >= 1)
		rc = store_target_issue(id, now - 86400 * 50);
	if (!rc && sign >= 2) {
		char on[16];
		period_format_day(period_day(now - 86400 * 45), on, sizeof on);
		rc = store_target_sign(id, "花木街道 张建国", k % 2 ? "书记 李芳" : "主任 王伟", on, now - 86400 * 45);
	}
	json_t *its = rc || sign < 1 ? NULL : store_target_items(id);
	size_t i;
	json_t *it;
	json_array_foreach(its, i, it) {
		const char *m = jstr(it, "metric");
		json_t *mark = !strcmp(m, "awareness_rate") ? json_pack("{s:f}", "value", k % 2 ? 0.88 : 0.79)
			     : !strcmp(m, "text") && (k + (int)i) % 2 ? json_pack("{s:b, s:s}", "done", 1, "note", "已按计划完成")
			     : NULL;
		if (mark && !rc)
			rc = store_target_item_mark(id, jint(it, "id", 0), mark, 0, now - 86400 * 10);
		json_decref(mark);
	}
	json_decref(its);
	return rc;
}

static const char *const deeds[][2] = {
	{"拾金不昧", "在小区门口捡到钱包，联系居委交还失主"},
	{"扶老人过马路", "雨天搀扶独居老人过路口并送到家门口"},
	{"义务清扫楼道", "连续一个月每周末义务清扫楼道"},
	{"帮邻居送医", "深夜发现邻居老人身体不适，及时送医"},
	{"疏通下水道", "自费疏通单元堵塞的下水道"},
	{"照顾孤寡老人", "每天为独居老人送午饭"},
	{"劝阻高空抛物", "耐心劝阻高空抛物并清理垃圾"},
	{"修理健身器材", "义务修理小区损坏的健身器材"},
};

static int good_deeds(const int64_t *comm, int ncomm, int64_t now)
{
	json_t *res = store_account_auth("resident"), *com = store_account_auth("committee");
	int64_t rec[2] = {jint(res, "id", 0), jint(com, "id", 0)};
	json_decref(res);
	json_decref(com);
	int64_t today = period_day(now), jan1 = 0;
	char y[16];
	period_format_day(today, y, sizeof y);
	memcpy(y + 4, "-01-01", 7);
	period_parse_date(y, &jan1);
	int rc = 0;
	for (int k = 0; k < 40 && !rc; k++) {
		int64_t org = comm[k % ncomm];
		json_t *doers = store_demo_doers(org, 8);
		json_t *d = json_array_get(doers, (size_t)(k / ncomm) % (json_array_size(doers) ? json_array_size(doers) : 1));
		char on[16];
		period_format_day(jan1 + (today - jan1) * k / 40, on, sizeof on);
		json_t *in = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)org, "doer_name",
				       d ? jstr(d, "name") : "热心居民", "title", deeds[k % 8][0], "content", deeds[k % 8][1],
				       "place", "小区内", "occurred_on", on);
		if (d)
			json_object_set(in, "person_id", json_object_get(d, "id"));
		if (rec[k % 2])
			json_object_set_new(in, "recorded_by", json_integer(rec[k % 2]));
		int64_t id = 0, at = period_day_start(jan1 + (today - jan1) * k / 40) + 86400;
		rc = store_good_deed_create(in, at, &id);
		json_decref(in);
		json_decref(doers);
		if (!rc && k < 32)	/* the last eight (one per community) wait for the 居委 */
			rc = store_good_deed_review(id, k % 11 == 5 ? "rejected" : "verified", rec[1], 0,
						    k % 11 == 5 ? "经走访无法核实" : NULL, at < now ? at : now);
		if (!rc && k < 32 && k % 11 != 5)
			rc = bank_award_good_deed(id, now);
	}
	return rc;
}

int demo_targets(const int64_t *communities, int ncomm, int64_t street)
{
	(void)street;
	int64_t now = app_now();
	char y[16];
	period_format_day(period_day(now), y, sizeof y);
	int year = (y[0] - '0') * 1000 + (y[1] - '0') * 100 + (y[2] - '0') * 10 + (y[3] - '0');
	int rc = good_deeds(communities, ncomm, now);
	for (int i = 0; i < ncomm && !rc; i++)
		rc = letter(communities[i], year, i, 2, now);
	static const char *const units[] = {"HM-WY-JXQC", "HM-SPDB"};
	for (int i = 0; i < 2 && !rc; i++) {
		json_t *u = store_org_by_code(units[i]);
		if (u)
			rc = letter(jint(u, "id", 0), year, i + 1, i == 0 ? 2 : 0, now);
		json_decref(u);
	}
	return rc;
}
