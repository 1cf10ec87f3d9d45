/*
 * demo_problems.c — several hundred problems over the last four months for
 * the demo street, in the categories the practices name (非机动车乱停放,
 * 绿化带垃圾, 楼道堆物, 沿街垃圾乱堆, 飞线充电, 道路两侧乱停车…), walked through the
 * workflow with a history of events at plausible times: most accepted ones
 * closed (about 95 %), some in every open state, some overdue, some reworked
 * and some reopened. Deterministic (fixed seed).
 */
#include "api/api.h"
#include "core/workflow.h"
#include "demo.h"
#include <stdio.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(uint32_t n)
{
	return demo_rnd(&rng, n);
}

static const struct {
	const char *code;
	int weight;
	const char *texts[3];
} cats[] = {
	{"C0601", 22, {"小区门口非机动车乱停放，占用人行道", "地铁站出口共享单车堆积", "楼下电动车停放杂乱，堵塞通道"}},
	{"C0102", 16, {"绿化带内有塑料袋、饮料瓶等垃圾", "绿化带烟头、纸屑较多", "花坛内堆有建筑垃圾"}},
	{"C0301", 16, {"楼道内堆放纸箱和旧家具", "消防楼梯间堆放杂物", "楼道内放置鞋柜、花盆"}},
	{"C0101", 14, {"沿街垃圾乱堆，未及时清运", "商铺门前垃圾袋堆放", "路边堆放装修垃圾"}},
	{"C0401", 8, {"一楼窗口拉飞线给电动车充电", "楼道内电动车充电", "地下室私拉电线充电"}},
	{"C0602", 8, {"道路两侧机动车乱停车", "消防通道旁违停车辆", "人行道上停放机动车"}},
	{"C07", 6, {"电线杆上贴满小广告", "单元门口张贴牛皮癣广告", "墙面涂鸦"}},
	{"C0201", 5, {"垃圾桶满溢，周边有散落垃圾", "分类投放点湿垃圾桶满溢", "垃圾箱房异味明显"}},
	{"C08", 3, {"早点摊占道经营", "水果店出店经营", "流动摊贩占用人行道"}},
	{"C1002", 2, {"路灯不亮", "小区座椅损坏", "人行道地砖松动"}},
};

struct actors {
	int64_t office, committee, committee2, inspector, handler, resident, volunteer;
	int64_t other_handlers[3];	/* 星河湾物业, 城管, 环卫 */
};

static int64_t account_id(const char *login)
{
	json_t *a = store_account_auth(login);
	int64_t id = a ? json_integer_value(json_object_get(a, "id")) : 0;
	json_decref(a);
	return id;
}

static int64_t org_by_code(const char *code)
{
	json_t *o = store_org_by_code(code);
	int64_t id = o ? json_integer_value(json_object_get(o, "id")) : 0;
	json_decref(o);
	return id;
}

static int ev(int64_t pid, int64_t at, int64_t actor, const char *action, const char *from, const char *to,
	      const char *note, json_t *data)
{
	json_t *e = json_pack("{s:I, s:s, s:s?, s:s?, s:s?}", "at", (json_int_t)at, "action", action, "from_state", from,
			      "to_state", to, "note", note);
	if (actor)
		json_object_set_new(e, "actor_id", json_integer(actor));
	if (data)
		json_object_set_new(e, "data", data);
	int rc = store_problem_event_add(pid, e, NULL);
	json_decref(e);
	return rc;
}

static int patch(int64_t pid, json_t *p)
{
	int rc = store_problem_update(pid, p);
	json_decref(p);
	return rc;
}

int demo_problems(int n, const int64_t *communities, int ncomm)
{
	struct actors a = {
		account_id("office"), account_id("committee"), account_id("committee2"), account_id("inspector"),
		account_id("handler"), account_id("resident"), account_id("volunteer"),
		{account_id("xhw-wuye"), account_id("chengguan"), account_id("huanwei")},
	};
	int64_t wuye = org_by_code("HM-WY-JXQC"), xhw = org_by_code("HM-WY-XHW"), cg = org_by_code("HM-CG"),
		hw = org_by_code("HM-HW");
	int64_t now = app_now();
	int total_w = 0;
	for (size_t i = 0; i < sizeof cats / sizeof *cats; i++)
		total_w += cats[i].weight;
	/* Oldest first, so codes grow with time. */
	int64_t t0 = now - 120 * 86400;
	int64_t step = (now - 3600 - t0) / (n > 0 ? n : 1);
	for (int k = 0; k < n; k++) {
		int64_t created = t0 + k * step + rnd((uint32_t)(step > 1 ? step : 1));
		int w = (int)rnd((uint32_t)total_w);
		size_t ci = 0;
		while (w >= cats[ci].weight)
			w -= cats[ci++].weight;
		json_t *cat = store_category_by_code(cats[ci].code);
		int ci_comm = (int)rnd((uint32_t)ncomm);
		int64_t org = communities[ci_comm];
		/* Who reported it. */
		static const char *const sources[] = {"citizen_tip", "patrol", "self_check", "inspection", "volunteer"};
		int si = (int)rnd(5);
		int64_t reporter = si == 0 ? a.resident : si == 1 ? a.inspector : si == 2 ? (ci_comm == 2 ? a.committee2 : a.committee)
				 : si == 3 ? a.office : a.volunteer;
		char counter[32], code[40];
		snprintf(counter, sizeof counter, "problem:%d", 2026);
		snprintf(code, sizeof code, "HM-2026-%06lld", (long long)store_counter_next(counter));
		json_t *row = json_pack("{s:s, s:s, s:O, s:I, s:s, s:s, s:s, s:f, s:f, s:I, s:I}", "code", code, "state",
					"reported", "category_id", json_object_get(cat, "id"), "org_id", (json_int_t)org,
					"source", sources[si], "urgency", rnd(10) == 0 ? "urgent" : "normal", "description",
					cats[ci].texts[rnd(3)], "lat", 31.205 + rnd(200) / 10000.0, "lng",
					121.535 + rnd(300) / 10000.0, "reporter_id", (json_int_t)reporter, "created_at",
					(json_int_t)created);
		int64_t pid = 0;
		int rc = store_problem_create(row, &pid);
		/* The rectification is reported from the spot (closing rule: GPS within 50 m). */
		double fix_lat = json_real_value(json_object_get(row, "lat")) + 0.00008,
		       fix_lng = json_real_value(json_object_get(row, "lng")) - 0.00005;
		json_decref(row);
		if (!rc)
			rc = problem_reindex(pid);
		char track[24];	/* the resident's tracking code (citizen.c; random bytes, not rnd()) */
		if (!rc)
			rc = citizen_track_issue(pid, sources[si], track, sizeof track);
		/* Every report carries a photo; the scene number ties before and after. */
		int seed = (int)rnd(1000);
		int64_t before_photo = demo_photo(seed, 0, reporter, created);
		if (!rc)
			rc = ev(pid, created, reporter, "report", NULL, "reported", NULL,
				before_photo ? json_pack("{s:[I]}", "photos", (json_int_t)before_photo) : NULL);
		if (!rc && before_photo)
			rc = store_problem_photo_add(pid, before_photo, 0, "before");
		int64_t reviewer = ci_comm == 0 ? a.committee : ci_comm == 2 ? a.committee2 : a.office;
		int64_t age = now - created;
		int r100 = (int)rnd(100);
		/* Fresh reports wait for triage; a few are rejected or merged. */
		if (rc || (age < 2 * 86400 && r100 < 45)) {
			json_decref(cat);
			if (rc)
				return rc;
			continue;
		}
		int64_t t = created + 1800 + rnd(7200);
		if (r100 < 3) {
			rc = patch(pid, json_pack("{s:s, s:I}", "state", "rejected", "updated_at", (json_int_t)t));
			if (!rc)
				rc = ev(pid, t, reviewer, "reject", "reported", "rejected", NULL,
					json_pack("{s:s}", "reason", "经核实不属于本辖区问题"));
			json_decref(cat);
			if (rc)
				return rc;
			continue;
		}
		rc = patch(pid, json_pack("{s:s, s:I}", "state", "accepted", "updated_at", (json_int_t)t));
		if (!rc)
			rc = ev(pid, t, reviewer, "accept", "reported", "accepted", NULL, NULL);
		/* Dispatch: the category's unit, else the compound's property company, else sanitation. */
		int64_t handler = json_integer_value(json_object_get(cat, "default_handler_org_id"));
		int64_t hacct = handler == cg ? a.other_handlers[1] : 0;
		if (!handler) {
			handler = ci_comm == 0 ? wuye : ci_comm == 4 ? xhw : hw;
			hacct = ci_comm == 0 ? a.handler : ci_comm == 4 ? a.other_handlers[0] : a.other_handlers[2];
		}
		t += 600 + rnd(3600);
		int64_t amount = json_integer_value(json_object_get(cat, "deadline_amount"));
		const char *unit = json_string_value(json_object_get(cat, "deadline_unit"));
		int64_t deadline = calendar_deadline(t, unit ? unit : "cal_hours", (int)amount);
		if (!rc)
			rc = patch(pid, json_pack("{s:s, s:I, s:I, s:I, s:s, s:I}", "state", "dispatched", "handler_org_id",
						  (json_int_t)handler, "dispatched_at", (json_int_t)t, "deadline",
						  (json_int_t)deadline, "deadline_unit", unit ? unit : "cal_hours", "updated_at",
						  (json_int_t)t));
		if (!rc)
			rc = ev(pid, t, reviewer, "dispatch", "accepted", "dispatched", NULL,
				json_pack("{s:I, s:I}", "handler_org_id", (json_int_t)handler, "deadline", (json_int_t)deadline));
		int64_t span = deadline - t;
		/* Recent ones stay open in various states; some of those are overdue. */
		int stay_open = (age < 6 * 86400 && rnd(100) < 70) || rnd(100) < 3;
		int64_t ack = t + 300 + rnd(3600);
		if (!rc && (!stay_open || rnd(3))) {
			if (ack > now)
				ack = now - 60;
			rc = patch(pid, json_pack("{s:s, s:I}", "state", "acknowledged", "updated_at", (json_int_t)ack));
			if (!rc)
				rc = ev(pid, ack, hacct, "acknowledge", "dispatched", "acknowledged", NULL, NULL);
		} else {
			json_decref(cat);
			if (rc)
				return rc;
			continue;
		}
		if (stay_open) {
			json_decref(cat);
			if (rc)
				return rc;
			continue;
		}
		/* Most are fixed on time; one in ten late; a few need rework. */
		int late = rnd(10) == 0;
		int64_t fixed = late ? deadline + 3600 + rnd(86400) : t + span / 3 + rnd((uint32_t)(span / 2 > 1 ? span / 2 : 1));
		if (fixed > now - 3600)
			fixed = now - 3600;
		rc = patch(pid, json_pack("{s:s, s:I, s:I, s:I}", "state", "rectified", "rectified_at", (json_int_t)fixed,
					  "rectifier_id", (json_int_t)hacct, "updated_at", (json_int_t)fixed));
		int64_t after_photo = demo_photo(seed, 1, hacct, fixed);
		if (!rc)
			rc = ev(pid, fixed, hacct, "rectify", "acknowledged", "rectified", "已整改完毕，现场已清理",
				json_pack("{s:o, s:{s:f, s:f}}", "photos",
					  after_photo ? json_pack("[I]", (json_int_t)after_photo) : json_array(), "location",
					  "lat", fix_lat, "lng", fix_lng));
		if (!rc && after_photo)
			rc = store_problem_photo_add(pid, after_photo, 0, "after");
		int64_t check = fixed + 1800 + rnd(14400);
		if (check > now)
			check = now;
		if (!rc && rnd(100) < 6) {
			rc = patch(pid, json_pack("{s:s, s:i, s:I}", "state", "acknowledged", "rework_count", 1, "updated_at",
						  (json_int_t)check));
			if (!rc)
				rc = ev(pid, check, reviewer, "verify_fail", "rectified", "acknowledged", NULL,
					json_pack("{s:s}", "reason", "现场仍有残留，请返工"));
			fixed = check + 3600;
			if (!rc)
				rc = patch(pid, json_pack("{s:s, s:I, s:I}", "state", "rectified", "rectified_at",
							  (json_int_t)fixed, "updated_at", (json_int_t)fixed));
			if (!rc) {
				int64_t again = demo_photo(seed, 1, hacct, fixed);
				rc = ev(pid, fixed, hacct, "rectify", "acknowledged", "rectified", "已返工",
					json_pack("{s:o, s:{s:f, s:f}}", "photos",
						  again ? json_pack("[I]", (json_int_t)again) : json_array(), "location", "lat",
						  fix_lat, "lng", fix_lng));
				if (!rc && again)
					rc = store_problem_photo_add(pid, again, 0, "after");
			}
			check = fixed + 3600;
		}
		if (age < 2 * 86400 && rnd(2)) {	/* waiting for the reviewer */
			json_decref(cat);
			if (rc)
				return rc;
			continue;
		}
		if (!rc)
			rc = patch(pid, json_pack("{s:s, s:I, s:I, s:I}", "state", "closed", "closed_at", (json_int_t)check,
						  "closed_by", (json_int_t)reviewer, "updated_at", (json_int_t)check));
		if (!rc)
			rc = ev(pid, check, reviewer, "verify_pass", "rectified", "closed", "复核通过，予以销号", NULL);
		if (!rc && rnd(100) < 2 && age > 10 * 86400) {
			int64_t re = check + 7 * 86400;
			rc = patch(pid, json_pack("{s:s, s:i, s:n, s:I}", "state", "reopened", "relapse_count", 1, "closed_at",
						  "updated_at", (json_int_t)re));
			if (!rc)
				rc = ev(pid, re, a.inspector, "reopen", "closed", "reopened", "回头看发现问题回潮",
					json_pack("{s:s}", "reason", "回头看发现问题回潮"));
		}
		json_decref(cat);
		if (rc)
			return rc;
	}
	return STORE_OK;
}
