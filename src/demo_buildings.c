/*
 * demo_buildings.c — building reps, notices, an open 接龙 and home-watch
 * lists for the demo street (docs/PARTY.md "buildings"): 锦绣前城's 52
 * buildings with 60 reps (every fourth building two, four buildings none,
 * about seven in ten party members), one rep per building of 星河湾, three
 * notices, an open roster with entries, and 15 people on 锦绣前城's
 * home-watch list with four months of visits, some now overdue. The demo
 * login "rep" becomes the person who is 1号楼's first rep. Deterministic;
 * inside the caller's transaction; dates relative to the application clock.
 */
#include "api/api.h"
#include "core/privacy.h"
#include "core/timefmt.h"
#include "core/visit_due.h"
#include "demo.h"
#include "store/buildings.h"
#include <stdio.h>
#include <string.h>

static uint64_t rng = 0xb01d1e5c0ffee025ULL;
static uint32_t rnd(uint32_t n)
{
	return demo_rnd(&rng, n);
}

static const char *const sur[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "朱", "胡", "沈", "陆", "顾", "蔡"};
static const char *const giv[] = {"建国", "秀英", "桂英", "国强", "玉兰", "志强", "海燕", "明", "芳", "伟", "凤英", "建华", "丽", "敏"};

/* A person living in the building (people.org_id), phone sealed, no ID number. */
static int64_t dweller(int64_t building, const char *kinds, const char *addr)
{
	char name[32], phone[12];
	snprintf(name, sizeof name, "%s%s", sur[rnd(sizeof sur / sizeof *sur)], giv[rnd(sizeof giv / sizeof *giv)]);
	snprintf(phone, sizeof phone, "1380021%04u", rnd(10000));
	json_t *row = json_pack("{s:s, s:I, s:s}", "name", name, "org_id", (json_int_t)building, "address", addr);
	privacy_seal_phone(row, phone);
	json_t *k = json_array();
	char buf[96];
	snprintf(buf, sizeof buf, "%s", kinds);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(k, json_string(t));
	json_object_set_new(row, "kinds", k);
	int64_t id = 0;
	if (store_person_create(row, &id))
		id = 0;
	json_decref(row);
	return id;
}

/* The buildings of a compound (by code), in id order. */
static json_t *buildings_of(const char *code)
{
	json_t *c = store_org_by_code(code);
	json_t *rows = c ? store_building_list(NULL, json_string_value(json_object_get(c, "path")), "1970-01-01", 0, 200) : NULL;
	json_decref(c);
	return rows;
}

static int64_t rep(int64_t building, const char *bname, const char *compound, int k, const char *since)
{
	char addr[96], cov[40], chan[80];
	snprintf(addr, sizeof addr, "%s%s%d0%d室", compound, bname, 1 + k * 3 + (int)rnd(3), 1 + (int)rnd(4));
	int64_t pid = dweller(building, rnd(10) < 7 ? "resident,party_member,building_rep" : "resident,building_rep", addr);
	snprintf(cov, sizeof cov, k ? "7–12层" : "1–6层");
	snprintf(chan, sizeof chan, "%s%s微信群", compound, bname);
	json_t *row = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "building_id", (json_int_t)building, "person_id",
				(json_int_t)pid, "coverage", cov, "channel", chan, "duties",
				"转达通知、收集接龙、走访独居老人、发现问题及时上报", "since", since);
	int64_t id = 0;
	if (!pid || store_building_rep_create(row, app_now(), &id))
		id = 0;
	json_decref(row);
	return id;
}

/* Reps of every building of a compound: per_building(b) reps for the b-th. */
static int reps_of(const char *code, const char *compound, int jinxiu, int64_t *first_rep)
{
	json_t *rows = buildings_of(code);
	if (!rows)
		return -1;
	size_t i;
	json_t *b;
	int err = 0;
	json_array_foreach(rows, i, b) {
		int n = !jinxiu ? 1 : (i + 1) % 13 == 5 ? 0 : (i + 1) % 4 == 0 ? 2 : 1;
		for (int k = 0; k < n && !err; k++) {
			char since[16];
			snprintf(since, sizeof since, "20%02u-0%u-01", 19 + rnd(6), 1 + rnd(9));
			int64_t id = rep(jint(b, "id", 0), jstr(b, "name"), compound, k, since);
			err = id == 0;
			if (first_rep && i == 0 && k == 0)
				*first_rep = id;
		}
	}
	json_decref(rows);
	return err ? -1 : 0;
}

/* The demo login "rep" is 1号楼's first rep's person. */
static int attach_rep_login(int64_t rep_id)
{
	json_t *a = store_account_auth("rep"), *r = store_building_rep_get(rep_id);
	int rc = -1;
	if (a && r && !jint(a, "person_id", 0)) {
		json_t *patch = json_pack("{s:I}", "person_id", (json_int_t)jint(r, "person_id", 0));
		rc = store_account_update(jint(a, "id", 0), patch) ? -1 : 0;
		json_decref(patch);
	} else if (a && r)
		rc = 0;
	json_decref(a);
	json_decref(r);
	return rc;
}

static int notices_and_roster(int64_t b1, int64_t b2, int64_t now, int64_t rep_account)
{
	static const char *const n[][2] = {
		{"本周六上午清洗二次供水水箱", "本周六 8:00–12:00 停水，请提前储水。锦绣前城物业"},
		{"楼道堆物清理通知", "请各户在本周五前清理楼道内纸箱、旧家具，周六统一清运。"},
		{"爱心义诊进小区", "下周三上午社区卫生服务中心在小区广场义诊，量血压、测血糖。"}};
	int64_t id, k;
	int err = 0;
	for (int i = 0; i < 3 && !err; i++)
		err = store_building_notice_create(i == 2 ? b2 : b1, n[i][0], n[i][1], rep_account, now - 86400 * (10 - 3 * i), &id, &k) != 0;
	char closes[16];
	day_to_ymd(china_day(now) + 14, closes, sizeof closes);
	json_t *ro = json_pack("{s:s, s:s, s:s}", "title", "电动自行车集中充电桩安装意向登记", "description",
			       "有意向使用小区集中充电桩的住户请接龙：姓名、房号，备注写车辆数。", "closes_on", closes);
	int64_t rid = 0;
	err = err || store_roster_create(b1, ro, rep_account, now - 86400 * 2, &rid) != 0;
	json_decref(ro);
	for (int i = 0; i < 6 && !err; i++) {
		char name[32], room[16];
		snprintf(name, sizeof name, "%s%s", sur[rnd(sizeof sur / sizeof *sur)], giv[rnd(sizeof giv / sizeof *giv)]);
		snprintf(room, sizeof room, "%u0%u", 1 + rnd(12), 1 + rnd(4));
		json_t *e = json_pack("{s:s, s:s, s:s}", "name", name, "room", room, "note", i % 2 ? "1 辆" : "2 辆");
		err = store_roster_entry_add(rid, e, rep_account, now - 86400 + i * 600, &id) != 0;
		json_decref(e);
	}
	return err ? -1 : 0;
}

/* 15 people of 锦绣前城 on the home-watch list, visited for four months; every
 * fourth stopped being visited five weeks ago, so it shows overdue. */
static int home_watch_demo(int64_t now)
{
	static const char *const reasons[] = {"lives_alone", "lives_alone", "elderly", "disability", "illness", "hardship"};
	static const char *const freqs[] = {"weekly", "fortnightly", "monthly"};
	static const char *const conds[] = {"good", "good", "fair", "poor", "not_home"};
	json_t *rows = buildings_of("HM-JXQC");
	int64_t today = china_day(now);
	int err = !rows;
	for (int i = 0; i < 15 && !err; i++) {
		json_t *b = json_array_get(rows, (size_t)(i * 3 % 52));
		int64_t bid = jint(b, "id", 0);
		char room[16], addr[96], since[16];
		snprintf(room, sizeof room, "%u0%u室", 1 + rnd(12), 1 + rnd(4));
		snprintf(addr, sizeof addr, "锦绣前城%s%s", jstr(b, "name"), room);
		int64_t pid = dweller(bid, "resident", addr);
		json_t *reps = store_building_reps(bid);
		json_t *w = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "person_id", (json_int_t)pid, "building_id",
				      (json_int_t)bid, "room", room, "reason", reasons[i % 6], "frequency", freqs[i % 3],
				      "note", i % 6 < 2 ? "子女在外地，独自居住" : "行动不便，需定期上门");
		if (json_array_size(reps))
			json_object_set_new(w, "rep_id", json_integer(jint(json_array_get(reps, 0), "id", 0)));
		json_decref(reps);
		day_to_ymd(today - 125, since, sizeof since);
		int64_t wid = 0;
		err = !pid || store_home_watch_create(w, since, now - 125 * 86400, &wid) != 0;
		json_decref(w);
		int step = visit_interval(freqs[i % 3]);
		int64_t stop = i % 4 == 3 ? today - 35 - step : today - 1;
		for (int64_t d = today - 120; d <= stop && !err; d += step) {
			char on[16];
			day_to_ymd(d - (int64_t)rnd(2), on, sizeof on);
			const char *c = conds[rnd(5)];
			json_t *v = json_pack("{s:s, s:s, s:s, s:s}", "visited_on", on, "visitor", "楼组长", "condition", c,
					      "needs", !strcmp(c, "poor") ? "腿脚不便，需要代购药品" : "无");
			if (!strcmp(c, "poor"))
				json_object_set_new(v, "follow_up", json_string("已联系居委协调助老志愿者每周代购"));
			int64_t vid;
			err = store_home_watch_visit_add(wid, v, 0, (d + 1) * 86400 - 8 * 3600 - 3600, &vid) != 0;
			json_decref(v);
		}
	}
	json_decref(rows);
	return err ? -1 : 0;
}

int demo_buildings(const int64_t *communities, int ncomm, int64_t street)
{
	(void)communities;
	(void)ncomm;
	(void)street;
	int64_t now = app_now(), first = 0;
	if (reps_of("HM-JXQC", "锦绣前城", 1, &first) || reps_of("HM-XHW", "星河湾", 0, NULL) || !first ||
	    attach_rep_login(first))
		return -1;
	json_t *rows = buildings_of("HM-JXQC"), *a = store_account_auth("rep");
	int64_t b1 = jint(json_array_get(rows, 0), "id", 0), b2 = jint(json_array_get(rows, 1), "id", 0);
	int64_t acc = a ? jint(a, "id", 0) : 0;
	json_decref(rows);
	json_decref(a);
	if (!b1 || !b2 || notices_and_roster(b1, b2, now, acc))
		return -1;
	return home_watch_demo(now);
}
