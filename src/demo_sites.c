/*
 * demo_sites.c — sites, inspections, rounds and daily tasks for the demo
 * street (issue 5): sites of every default type across the eight
 * communities; self-checks; a finished 咬尾巴 round three weeks ago that
 * found about 60 problems (mostly 非机动车乱停放, 绿化带垃圾, 楼道堆物, 沿街垃圾乱堆),
 * most of them since rectified; its reverse round (反向咬尾巴) in progress; and
 * a week of daily check tasks for the party branches' zones (包干区) and
 * watched points, some missed. Inspections and their problems go through
 * the same code as the API (problem_insert), with the clock set back to
 * the time of each inspection. Deterministic (fixed seed).
 */
#include "api/sites.h"
#include "core/scoring.h"
#include "core/log.h"
#include "demo.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static uint64_t rng = 0x51735eed2026ULL;
static uint32_t rnd(uint32_t n)
{
	return demo_rnd(&rng, n);
}

/* The main four of the 咬尾巴 finds, preferred when choosing failed items. */
static int favoured(const char *cat)
{
	return cat && (!strcmp(cat, "C0601") || !strcmp(cat, "C0102") || !strcmp(cat, "C0301") || !strcmp(cat, "C0101"));
}

struct actor {
	struct req r;
};

static int actor_init(struct actor *a, const char *login)
{
	memset(a, 0, sizeof *a);
	json_t *acc = store_account_auth(login);
	a->r.account_id = jint(acc, "id", 0);
	json_decref(acc);
	a->r.account = store_account_get(a->r.account_id);
	a->r.login = login;
	snprintf(a->r.ip, sizeof a->r.ip, "demo");
	return a->r.account ? 0 : -1;
}

static int64_t site(const char *name, const char *type, int64_t org, int64_t unit, const char *resp, const char *addr,
		    double lat, double lng)
{
	json_t *t = store_site_type_by_code(type);
	json_t *row = json_pack("{s:s, s:O, s:I, s:s, s:s, s:f, s:f, s:I}", "name", name, "site_type_id",
				json_object_get(t, "id"), "org_id", (json_int_t)org, "responsible", resp, "address", addr,
				"lat", lat, "lng", lng, "created_at", (json_int_t)(app_now() - 150 * 86400));
	json_decref(t);
	if (unit)
		json_object_set_new(row, "unit_org_id", json_integer(unit));
	int64_t id = 0;
	int rc = store_site_create(row, &id);
	json_decref(row);
	return rc ? -1 : id;
}

/* Scene photos are costly to make (vips): a small pool per uploader, reused. */
static int64_t pooled_photo(int64_t uploader, int64_t t)
{
	static struct {
		int64_t uploader, id;
	} pool[24];
	int k = (int)rnd(6);
	for (size_t i = 0; i < sizeof pool / sizeof *pool; i++) {
		if (pool[i].uploader == uploader && k-- == 0)
			return pool[i].id;
		if (!pool[i].uploader) {
			pool[i].uploader = uploader;
			pool[i].id = demo_photo((int)rnd(1000), 0, uploader, t);
			return pool[i].id;
		}
	}
	return demo_photo((int)rnd(1000), 0, uploader, t);
}

/* One inspection of site at time t by the actor: nfail failed items (the
 * favoured categories first), each raising a problem with a photo. Returns
 * the problem ids through *pids (up to 16), their count as the result, or -1. */
static int inspect(struct actor *a, int64_t site_id, const char *kind, int64_t pair, int64_t inspector_org, int64_t t,
		   int nfail, const char *who, int64_t *pids)
{
	json_t *s = store_site_get(site_id);
	json_t *cl = s ? store_checklist_version(jint(s, "site_type_id", 0), 0) : NULL;
	json_t *items = cl ? store_checklist_items(jint(cl, "id", 0)) : NULL;
	if (!items) {
		json_decref(s);
		json_decref(cl);
		return -1;
	}
	size_t n = json_array_size(items);
	int fail[64] = {0};
	/* Favoured items first, then any; never more than half the list. */
	int want = nfail < (int)n / 2 ? nfail : (int)n / 2;
	for (int pass = 0; pass < 2 && want > 0; pass++) {
		for (size_t j = 0; j < n && want > 0 && j < 64; j++) {
			size_t k = (j + rnd((uint32_t)n)) % n;
			const char *cat = jstr(json_array_get(items, k), "category");
			if (!fail[k] && (pass || favoured(cat)) && (pass || rnd(3))) {
				fail[k] = 1;
				want--;
			}
		}
	}
	app_clock_set(t);
	struct score_item sc[64];
	int64_t problem_of[64] = {0};
	int rc = 0, np = 0;
	for (size_t k = 0; k < n && k < 64; k++) {
		json_t *it = json_array_get(items, k);
		int abc = !strcmp(jstr(it, "grading"), "abc");
		int na = !fail[k] && rnd(12) == 0;
		sc[k].weight = json_real_value(json_object_get(it, "weight"));
		sc[k].grade = na ? G_NA : fail[k] ? (abc ? G_C : G_FAIL) : abc ? (rnd(3) ? G_A : G_B) : G_PASS;
		if (!fail[k] || rc)
			continue;
		int64_t photo = pooled_photo(a->r.account_id, t);
		char desc[600];
		static const char *const notes[] = {"现场发现，已拍照取证", "多处存在", "与上次检查相比未改善", "已告知责任人"};
		snprintf(desc, sizeof desc, "【%s】%s：%s。%s", !strcmp(kind, "revisit") ? "回头看" : !strcmp(kind, "self_check") ? "自查" : "交叉检查",
			 jstr(s, "name"), jstr(it, "text"), notes[rnd(4)]);
		json_t *in = json_pack("{s:s, s:s, s:I, s:I, s:s, s:[I]}", "category",
				       jstr(it, "category") ? jstr(it, "category") : "C18", "description", desc, "site_id",
				       (json_int_t)site_id, "org_id", (json_int_t)jint(s, "org_id", 0), "source", "inspection",
				       "photos", (json_int_t)photo);
		if (!photo)
			json_object_set_new(in, "photos", json_array());
		rc = problem_insert(&a->r, in, &problem_of[k], NULL);
		json_decref(in);
		if (!rc && np < 16)
			pids[np++] = problem_of[k];
	}
	double rate = 0;
	int rated = score_rate(sc, n < 64 ? n : 64, &rate) == 0;
	json_t *row = json_pack("{s:I, s:I, s:I, s:s, s:I, s:I, s:[s], s:I, s:I, s:f, s:f, s:i, s:I}", "site_id",
				(json_int_t)site_id, "org_id", (json_int_t)jint(s, "org_id", 0), "checklist_id",
				(json_int_t)jint(cl, "id", 0), "kind", kind, "started_at", (json_int_t)(t - 900 - rnd(1200)),
				"ended_at", (json_int_t)t, "inspectors", who, "created_by", (json_int_t)a->r.account_id,
				"created_at", (json_int_t)t, "lat", json_number_value(json_object_get(s, "lat")), "lng",
				json_number_value(json_object_get(s, "lng")), "failed", np, "round_pair_id", (json_int_t)pair);
	if (!pair)
		json_object_set_new(row, "round_pair_id", json_null());
	if (inspector_org)
		json_object_set_new(row, "inspector_org_id", json_integer(inspector_org));
	if (rated)
		json_object_set_new(row, "score_rate", json_real(rate));
	int64_t id = 0;
	if (!rc)
		rc = store_inspection_create(row, &id);
	json_decref(row);
	for (size_t k = 0; k < n && k < 64 && !rc; k++) {
		json_t *it = json_array_get(items, k);
		static const char *const names[] = {"na", "pass", "fail", "A", "B", "C", "C#"};
		json_t *res = json_pack("{s:O, s:s}", "item_id", json_object_get(it, "id"), "result", names[sc[k].grade]);
		if (problem_of[k])
			json_object_set_new(res, "problem_id", json_integer(problem_of[k]));
		rc = store_inspection_result_add(id, res);
		json_decref(res);
	}
	json_decref(items);
	json_decref(cl);
	json_decref(s);
	return rc ? -1 : np;
}

static int ev(int64_t pid, int64_t at, int64_t actor, const char *action, const char *from, const char *to, const char *note)
{
	json_t *e = json_pack("{s:I, s:s, s:s, s:s, s:s?}", "at", (json_int_t)at, "action", action, "from_state", from,
			      "to_state", to, "note", note);
	if (actor)
		json_object_set_new(e, "actor_id", json_integer(actor));
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

/* Walks a round's problem through the loop: accepted, dispatched to the
 * sanitation unit (or the compound's property company), acknowledged,
 * rectified and, when close, verified and closed. */
static int walk(int64_t pid, int64_t t, int64_t handler_org, int64_t reviewer, int64_t hacct, int close)
{
	int rc = patch(pid, json_pack("{s:s, s:I}", "state", "accepted", "updated_at", (json_int_t)(t + 1800)));
	if (!rc)
		rc = ev(pid, t + 1800, reviewer, "accept", "reported", "accepted", NULL);
	int64_t d = t + 3600;
	if (!rc)
		rc = patch(pid, json_pack("{s:s, s:I, s:I, s:I, s:s, s:I}", "state", "dispatched", "handler_org_id",
					  (json_int_t)handler_org, "dispatched_at", (json_int_t)d, "deadline",
					  (json_int_t)(d + 72 * 3600), "deadline_unit", "cal_hours", "updated_at", (json_int_t)d));
	if (!rc) {
		/* Like a real dispatch, the event names the handler unit and the
		 * deadline (the KPI consistency check attributes later events by it). */
		json_t *e = json_pack("{s:I, s:I, s:s, s:s, s:s, s:{s:I, s:I}}", "at", (json_int_t)d, "actor_id",
				      (json_int_t)reviewer, "action", "dispatch", "from_state", "accepted", "to_state",
				      "dispatched", "data", "handler_org_id", (json_int_t)handler_org, "deadline",
				      (json_int_t)(d + 72 * 3600));
		rc = store_problem_event_add(pid, e, NULL);
		json_decref(e);
	}
	if (!rc)
		rc = patch(pid, json_pack("{s:s, s:I}", "state", "acknowledged", "updated_at", (json_int_t)(d + 1200)));
	if (!rc)
		rc = ev(pid, d + 1200, hacct, "acknowledge", "dispatched", "acknowledged", NULL);
	if (!close || rc)
		return rc;
	int64_t fixed = d + 86400 + rnd(86400);
	rc = patch(pid, json_pack("{s:s, s:I, s:I, s:I}", "state", "rectified", "rectified_at", (json_int_t)fixed,
				  "rectifier_id", (json_int_t)hacct, "updated_at", (json_int_t)fixed));
	if (!rc)
		rc = demo_rectified(pid, fixed, hacct, "已按咬尾巴检查要求整改");
	if (!rc)
		rc = patch(pid, json_pack("{s:s, s:I, s:I, s:I}", "state", "closed", "closed_at", (json_int_t)(fixed + 7200),
					  "closed_by", (json_int_t)reviewer, "updated_at", (json_int_t)(fixed + 7200)));
	if (!rc)
		rc = ev(pid, fixed + 7200, reviewer, "verify_pass", "rectified", "closed", "复核通过，予以销号");
	return rc;
}

/* The places agree (review 2026-12-07, coverage 5): a compound that is also
 * a site (锦绣前城, 由由八村 …) stands where its site stands, and a
 * community's point is the middle of its sites, so that routing a citizen's
 * tip by its place finds the community that owns it. */
static int align_places(const int64_t *comm, int ncomm)
{
	json_t *f = json_pack("{s:[s]}", "scope_org_paths", "");
	json_t *sites = store_site_list(f, 0, 1000);
	json_decref(f);
	f = json_pack("{s:s}", "kind", "compound");
	json_t *compounds = store_org_list(f, NULL, 1000);
	json_decref(f);
	int rc = sites && compounds ? 0 : -1;
	size_t i, k;
	json_t *s, *c;
	json_array_foreach(compounds, k, c) json_array_foreach(sites, i, s) {
		if (rc || strcmp(jstr(c, "name"), jstr(s, "name")))
			continue;
		json_t *patch = json_pack("{s:O, s:O}", "lat", json_object_get(s, "lat"), "lng", json_object_get(s, "lng"));
		rc = store_org_update(jint(c, "id", 0), patch);
		json_decref(patch);
	}
	for (int x = 0; x < ncomm && !rc; x++) {
		double lat = 0, lng = 0;
		int n = 0;
		json_array_foreach(sites, i, s) if (jint(s, "org_id", 0) == comm[x]) {
			lat += json_number_value(json_object_get(s, "lat"));
			lng += json_number_value(json_object_get(s, "lng"));
			n++;
		}
		if (!n)
			continue;
		json_t *patch = json_pack("{s:f, s:f}", "lat", lat / n, "lng", lng / n);
		rc = store_org_update(comm[x], patch);
		json_decref(patch);
	}
	json_decref(sites);
	json_decref(compounds);
	return rc ? -1 : 0;
}

int demo_sites(const int64_t *comm, int ncomm)
{
	int64_t real_now = (int64_t)time(NULL), now = app_now();
	log_info("demo: sites, inspections, rounds and daily tasks");
	struct actor insp, office, committee, committee2, volunteer;
	if (actor_init(&insp, "inspector") || actor_init(&office, "office") || actor_init(&committee, "committee") ||
	    actor_init(&committee2, "committee2") || actor_init(&volunteer, "volunteer"))
		return -1;
	json_t *o = store_org_by_code("HM-WY-JXQC");
	int64_t wuye = jint(o, "id", 0);
	json_decref(o);
	o = store_org_by_code("HM-HW");
	int64_t hw = jint(o, "id", 0);
	json_decref(o);
	o = store_org_by_code("HM-SCS");
	int64_t scs = jint(o, "id", 0);
	json_decref(o);
	o = store_account_auth("huanwei");
	int64_t hw_acct = jint(o, "id", 0);
	json_decref(o);
	o = store_account_auth("handler");
	int64_t wuye_acct = jint(o, "id", 0);
	json_decref(o);

	/* Sites: every type, spread over the communities (2–4 each). */
	static const struct {
		int comm;
		const char *type, *name, *addr;
	} list[] = {
		{0, "S01", "锦绣前城", "锦绣路 1000 弄"},          {0, "S02", "由由第五居民区党群服务站", "东绣路 360 号"},
		{0, "S06", "东绣路锦绣路公交站", "东绣路锦绣路口"}, {0, "S12", "东绣路沿街商铺（东段）", "东绣路 300–420 号"},
		{1, "S01", "由由八村", "东绣路 500 弄"},            {1, "S03", "由由八村西侧弄堂", "东绣路 520 弄"},
		{1, "S05", "由由农贸市场", "东绣路 588 号"},        {2, "S01", "梧桐花园", "梅花路 800 弄"},
		{2, "S08", "梅园小学周边", "梅花路 860 号"},        {2, "S13", "梅花路公共厕所", "梅花路 900 号"},
		{3, "S01", "前程新苑", "龙阳路 1880 弄"},          {3, "S04", "龙阳路（花木段）", "龙阳路 1800–2200 号"},
		{3, "S11", "前程路地块建筑工地", "前程路 88 号"},  {4, "S01", "星河湾", "芳甸路 1000 弄"},
		{4, "S07", "联洋社区公园", "芳甸路 1150 号"},      {4, "S10", "花木社区事务受理中心", "芳甸路 1200 号"},
		{5, "S01", "培花新村", "培花路 100 弄"},            {5, "S09", "花木社区卫生服务中心", "培花路 180 号"},
		{5, "S14", "培花路网吧", "培花路 220 号"},          {6, "S01", "东城七村", "东城路 70 弄"},
		{6, "S03", "东城路背街小巷", "东城路 90 弄"},      {7, "S01", "牡丹四村", "牡丹路 40 弄"},
		{7, "S12", "牡丹路餐饮一条街", "牡丹路 60–180 号"}, {7, "S06", "牡丹路公交枢纽站", "牡丹路 200 号"},
	};
	static const char *const people[] = {"王建国", "李秀英", "张伟", "刘芳", "陈敏", "杨静", "赵磊", "周洋"};
	size_t nsites = sizeof list / sizeof *list;
	int64_t ids[sizeof list / sizeof *list];
	for (size_t i = 0; i < nsites; i++) {
		int64_t unit = i == 0 ? wuye : !strcmp(list[i].type, "S05") || !strcmp(list[i].type, "S12") ? scs : 0;
		ids[i] = site(list[i].name, list[i].type, comm[list[i].comm % ncomm], unit, people[rnd(8)], list[i].addr,
			      31.200 + list[i].comm * 0.004 + rnd(30) / 10000.0, 121.535 + (i % 5) * 0.006 + rnd(30) / 10000.0);
		if (ids[i] < 0)
			return -1;
	}
	if (align_places(comm, ncomm))
		return -1;

	/* 咬尾巴 three weeks ago over the eight communities, finished. */
	int64_t t0 = now - 21 * 86400;
	t0 -= (t0 + 8 * 3600) % 86400;	/* that day's 00:00 in Shanghai */
	t0 += 9 * 3600 - 8 * 3600;	/* 09:00 */
	int y = ymd_of(t0);
	char name[128];
	snprintf(name, sizeof name, "%d月%d日 咬尾巴突击检查", y / 100 % 100, y % 100);
	int64_t street = jint(json_array_get(json_object_get(office.r.account, "grants"), 0), "org_id", 0);
	json_t *rd = json_pack("{s:s, s:s, s:s, s:I, s:i, s:i, s:I, s:I}", "name", name, "mode", "ring", "kind",
			       "cross_inspection", "scope_org_id", (json_int_t)street, "starts_on", y, "ends_on", ymd_add(y, 1),
			       "created_by", (json_int_t)office.r.account_id, "created_at", (json_int_t)(t0 - 2 * 86400));
	int64_t round1 = 0, round2 = 0;
	int rc = store_round_create(rd, &round1);
	json_decref(rd);
	int64_t ringids[16];
	for (int i = 0; i < ncomm && i < 16; i++)
		ringids[i] = comm[i];
	struct ring_pair pairs[16];
	int np = rc ? -1 : ring_pairs(ringids, (size_t)(ncomm < 16 ? ncomm : 16), 0, pairs);
	if (np < 0)
		rc = -1;
	for (int i = 0; i < np && !rc; i++)
		rc = store_round_pair_add(round1, i + 1, pairs[i].inspector, pairs[i].inspected);
	json_t *prs = rc ? NULL : store_round_pairs(round1);
	int found = 0;
	size_t i;
	json_t *p;
	json_array_foreach(prs, i, p) {
		if (rc)
			break;
		int64_t inspected = jint(p, "inspected_org_id", 0);
		char who[96];
		snprintf(who, sizeof who, "%s检查组", jstr(p, "inspector_name"));
		for (size_t k = 0; k < nsites && !rc; k++) {
			if (comm[list[k].comm % ncomm] != inspected)
				continue;
			int64_t t = t0 + (int64_t)(k % 4) * 2400 + rnd(1800) + (list[k].comm % 2) * 86400;
			/* About 60 in all: 2–3 per site. */
			int64_t pids[16];
			int n = inspect(&insp, ids[k], "cross_inspection", jint(p, "id", 0), jint(p, "inspector_org_id", 0), t,
					2 + (int)rnd(2), who, pids);
			if (n < 0) {
				rc = -1;
				break;
			}
			found += n;
			int64_t reviewer = list[k].comm == 0 ? committee.r.account_id : list[k].comm == 2 ? committee2.r.account_id
											      : office.r.account_id;
			for (int q = 0; q < n && !rc; q++)
				rc = walk(pids[q], t, k == 0 ? wuye : hw, reviewer, k == 0 ? wuye_acct : hw_acct, rnd(100) < 80);
		}
	}
	json_decref(prs);
	if (!rc)
		rc = store_round_set_state(round1, "closed");

	/* 反向咬尾巴 this week: every pair turned around, checking the rectification; half done. */
	if (!rc) {
		rd = json_pack("{s:s, s:s, s:I, s:s, s:I, s:i, s:I, s:I}", "name", "反向咬尾巴 复查", "mode", "reverse",
			       "reverse_of", (json_int_t)round1, "kind", "revisit", "scope_org_id", (json_int_t)street,
			       "starts_on", ymd_of(now - 3 * 86400), "created_by", (json_int_t)office.r.account_id,
			       "created_at", (json_int_t)(now - 4 * 86400));
		char rname[160];
		snprintf(rname, sizeof rname, "%s（反向复查）", name);
		json_object_set_new(rd, "name", json_string(rname));
		rc = store_round_create(rd, &round2);
		json_decref(rd);
	}
	for (int k = 0; k < np && !rc; k++)
		rc = store_round_pair_add(round2, k + 1, pairs[k].inspected, pairs[k].inspector);
	prs = rc ? NULL : store_round_pairs(round2);
	json_array_foreach(prs, i, p) {
		if (rc || i % 2)
			continue;	/* half the pairs have not started yet */
		int64_t inspected = jint(p, "inspected_org_id", 0);
		char who[96];
		snprintf(who, sizeof who, "%s复查组", jstr(p, "inspector_name"));
		for (size_t k = 0; k < nsites && !rc; k++) {
			if (comm[list[k].comm % ncomm] != inspected || rnd(3) == 0)
				continue;
			int64_t pids[16];
			int n = inspect(&insp, ids[k], "revisit", jint(p, "id", 0), jint(p, "inspector_org_id", 0),
					now - 2 * 86400 + (int64_t)k * 900, (int)rnd(2), who, pids);
			if (n < 0)
				rc = -1;
		}
	}
	json_decref(prs);

	/* Self-checks and supervision over the last two months. */
	for (size_t k = 0; k < nsites && !rc; k++) {
		for (int m = 0; m < 2 && !rc; m++) {
			int64_t pids[16];
			struct actor *a = list[k].comm == 0 ? &committee : list[k].comm == 2 ? &committee2 : &insp;
			int64_t t = now - (int64_t)(50 - m * 25 + rnd(10)) * 86400 - rnd(36000);
			int n = inspect(a, ids[k], a == &insp ? "supervision" : "self_check", 0, 0, t, (int)rnd(2),
					a == &insp ? "街道督查员" : "居委自查组", pids);
			if (n < 0)
				rc = -1;
			for (int q = 0; q < n && !rc; q++)	/* long since dealt with */
				rc = walk(pids[q], t, k == 0 ? wuye : hw, office.r.account_id, k == 0 ? wuye_acct : hw_acct, 1);
		}
	}
	/* Back to the clock as it was (a test clock may have started elsewhere),
	 * plus the time the history took to build. */
	app_clock_set(now + ((int64_t)time(NULL) - real_now));

	/* Daily tasks: the party branches' zones (每日两次大巡查) and three watched points (一日三查), a week back. */
	json_t *bf = json_pack("{s:s}", "kind", "party_org");
	json_t *branches = rc ? NULL : store_org_list(bf, NULL, 50);
	json_decref(bf);
	json_array_foreach(branches, i, p) {
		if (rc)
			break;
		if (!jstr(p, "subkind") || strcmp(jstr(p, "subkind"), "party_general_branch"))
			continue;
		char zn[128];
		snprintf(zn, sizeof zn, "%s 包干区", jstr(p, "name"));
		json_t *w = json_pack("{s:s, s:s, s:O, s:s, s:i, s:I}", "kind", "zone", "name", zn, "org_id", json_object_get(p, "id"),
				      "person", people[rnd(8)], "quota", 2, "created_at", (json_int_t)(now - 30 * 86400));
		rc = store_watch_create(w, NULL);
		json_decref(w);
	}
	json_decref(branches);
	for (int k = 0; k < 3 && !rc; k++) {
		json_t *w = json_pack("{s:s, s:s, s:I, s:I, s:s, s:i, s:I}", "kind", "site", "name", list[k * 4].name, "site_id",
				      (json_int_t)ids[k * 4], "org_id", (json_int_t)comm[list[k * 4].comm % ncomm], "person",
				      people[k], "quota", 3, "created_at", (json_int_t)(now - 30 * 86400));
		rc = store_watch_create(w, NULL);
		json_decref(w);
	}
	int today = ymd_of(now);
	for (int d = 7; d >= 0 && !rc; d--) {
		int day = ymd_add(today, -d);
		if (store_tasks_generate(day) < 0)
			rc = -1;
		json_t *tasks = rc ? NULL : store_task_list("[\"/\"]", day, "open", 0, 0, 200);
		json_t *tk;
		size_t j;
		json_array_foreach(tasks, j, tk) {
			if (rc)
				break;
			/* Today: the morning rounds are done; past days: most done, some late, some missed. */
			int r100 = (int)rnd(100);
			int64_t at = ymd_start(day) + 8 * 3600 + jint(tk, "slot", 1) * 4 * 3600 + rnd(3600);
			if (d == 0 && at > now)
				continue;
			if (d > 0 && r100 < 12)
				continue;	/* missed (settled below) */
			int late = d > 1 && r100 < 17;
			int64_t by = jint(tk, "org_id", 0) == comm[2] ? committee2.r.account_id
				     : r100 % 2 ? volunteer.r.account_id : committee.r.account_id;
			rc = store_task_done(jint(tk, "id", 0), late ? "late" : "done", late ? at + 86400 : at, by,
					     late ? "补查" : "已巡查");
		}
		json_decref(tasks);
	}
	if (!rc && store_tasks_settle(today) < 0)
		rc = -1;
	json_decref(insp.r.account);
	json_decref(office.r.account);
	json_decref(committee.r.account);
	json_decref(committee2.r.account);
	json_decref(volunteer.r.account);
	log_info("demo: %zu sites, 咬尾巴 round found %d problems", nsites, found);
	return rc ? -1 : 0;
}
