/*
 * demo_revisits.c — 回头看 and 顽疾 in the demo street: every closed demo
 * problem gets its revisits (+7 and +30 days after closing); those already
 * due were mostly done and passed, a few failed (relapses: the problem is
 * reopened through the same path as the API), a few are left overdue. Three
 * chronic spots: 楼道堆物 at 锦绣前城 and 非机动车乱停放 at 由由五村 (由由第五, the
 * second on the watch list, 一日三查, with missed checks settled), and 绿化带垃圾
 * in 梧桐 (for committee2). Deterministic (fixed seed).
 */
#include "api/api.h"
#include "api/lifecycle.h"
#include "core/timefmt.h"
#include "demo.h"
#include <stdio.h>

static uint64_t rng = 0x7e715175dea1ULL;
static uint32_t rnd(uint32_t n)
{
	return demo_rnd(&rng, n);
}

static int64_t account_id(const char *login)
{
	json_t *a = store_account_auth(login);
	int64_t id = a ? json_integer_value(json_object_get(a, "id")) : 0;
	json_decref(a);
	return id;
}

/* Revisits of the closed problems, done as of now. */
static int revisits_of_closed(int64_t now, int64_t inspector, int64_t committee)
{
	json_t *f = json_pack("{s:s, s:b}", "states", "[\"closed\"]", "scope_all", 1);
	json_t *closed = store_problem_list(f, 0, 5000);
	json_decref(f);
	if (!closed)
		return STORE_EIO;
	int rc = STORE_OK;
	size_t i;
	json_t *p;
	json_array_foreach(closed, i, p) {
		int64_t pid = jint(p, "id", 0), closed_at = jint(p, "closed_at", now);
		rc = revisits_schedule(pid, closed_at);
		json_t *items = rc ? NULL : store_problem_revisits(pid);
		size_t k;
		json_t *v;
		int reopened = 0;
		json_array_foreach(items, k, v) {
			int64_t due = jint(v, "due_at", 0);
			if (rc || reopened || due > now + 86400)
				break;
			int r100 = (int)rnd(100);
			if (r100 < 12)	/* left undone: overdue, and so are the later ones */
				break;
			int64_t vid = jint(v, "id", 0);
			int64_t actor = rnd(2) ? inspector : committee;
			if (r100 < 16 && due > now - 20 * 86400) {
				/* 回潮: reopened now, the way the API does it. */
				json_t *data = json_pack("{s:I, s:s, s:I, s:s}", "revisit_id", (json_int_t)vid, "result", "fail",
							 "offset_days", (json_int_t)jint(v, "offset_days", 0), "reason",
							 "回头看发现问题回潮");
				int64_t ev = 0;
				rc = lifecycle_reopen(LC_REVISIT_FAIL, p, actor, "回头看发现问题回潮", data, NULL, vid, &ev);
				json_decref(data);
				json_t *d = json_pack("{s:s, s:I, s:I, s:s, s:I}", "state", "failed", "done_at", (json_int_t)now,
						      "done_by", (json_int_t)actor, "note", "回头看发现问题回潮", "event_id",
						      (json_int_t)ev);
				if (!rc)
					rc = store_revisit_done(vid, d);
				json_decref(d);
				reopened = 1;
				continue;
			}
			int64_t at = due - 86400 + 9 * 3600 + rnd(8 * 3600);
			if (at > now)
				at = now - 600;
			int64_t ev = 0;
			json_t *e = json_pack("{s:I, s:I, s:s, s:s, s:{s:I, s:s, s:I}}", "at", (json_int_t)at, "actor_id",
					      (json_int_t)actor, "action", "revisit", "note", "回头看：现场保持良好，未回潮",
					      "data", "revisit_id", (json_int_t)vid, "result", "pass", "offset_days",
					      (json_int_t)jint(v, "offset_days", 0));
			rc = store_problem_event_add(pid, e, &ev);
			json_decref(e);
			json_t *d = json_pack("{s:s, s:I, s:I, s:s, s:I}", "state", "passed", "done_at", (json_int_t)at, "done_by",
					      (json_int_t)actor, "note", "现场保持良好，未回潮", "event_id", (json_int_t)ev);
			if (!rc)
				rc = store_revisit_done(vid, d);
			json_decref(d);
		}
		json_decref(items);
		if (rc)
			break;
	}
	json_decref(closed);
	return rc;
}

/* One more report at a spot (at a time in the past), counted as the API
 * counts a report (chronic_note); closed two days later when `close`. */
static int spot_report(const char *cat_code, int64_t org, double lat, double lng, const char *text, int64_t reporter,
		       int64_t at, int close, int64_t reviewer)
{
	json_t *cat = store_category_by_code(cat_code);
	if (!cat)
		return STORE_EIO;
	char counter[32], code[40];
	snprintf(counter, sizeof counter, "problem:%d", 2026);
	snprintf(code, sizeof code, "HM-2026-%06lld", (long long)store_counter_next(counter));
	json_t *row = json_pack("{s:s, s:s, s:O, s:I, s:s, s:s, s:f, s:f, s:I, s:I}", "code", code, "state", "reported",
				"category_id", json_object_get(cat, "id"), "org_id", (json_int_t)org, "source", "patrol",
				"description", text, "lat", lat, "lng", lng, "reporter_id", (json_int_t)reporter,
				"created_at", (json_int_t)at);
	json_decref(cat);
	int64_t pid = 0;
	int rc = store_problem_create(row, &pid);
	json_decref(row);
	json_t *e = json_pack("{s:I, s:I, s:s, s:s}", "at", (json_int_t)at, "actor_id", (json_int_t)reporter, "action",
			      "report", "to_state", "reported");
	if (!rc)
		rc = store_problem_event_add(pid, e, NULL);
	json_decref(e);
	if (!rc)
		rc = problem_reindex(pid);
	json_t *p = rc ? NULL : store_problem_get(pid);
	if (!rc)
		rc = p ? chronic_note(p, at) : STORE_EIO;
	json_decref(p);
	if (!rc && close) {
		int64_t t = at + 2 * 86400;
		/* Through "rectified" like the API (the KPI roll-ups count that step),
		 * with an after-photo taken at the spot. */
		json_t *fix = json_pack("{s:s, s:I, s:I, s:I}", "state", "rectified", "rectified_at", (json_int_t)(t - 3600),
					"rectifier_id", (json_int_t)reporter, "updated_at", (json_int_t)(t - 3600));
		rc = store_problem_update(pid, fix);
		json_decref(fix);
		if (!rc)
			rc = demo_rectified(pid, t - 3600, reporter, "已整改");
		json_t *patch = json_pack("{s:s, s:I, s:I, s:I}", "state", "closed", "closed_at", (json_int_t)t, "closed_by",
					  (json_int_t)reviewer, "updated_at", (json_int_t)t);
		if (!rc)
			rc = store_problem_update(pid, patch);
		json_decref(patch);
		e = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "at", (json_int_t)t, "actor_id", (json_int_t)reviewer, "action",
			      "verify_pass", "from_state", "rectified", "to_state", "closed", "note", "复核通过，予以销号");
		if (!rc)
			rc = store_problem_event_add(pid, e, NULL);
		json_decref(e);
	}
	return rc;
}

int demo_revisits(const int64_t *communities, int ncomm)
{
	if (ncomm < 3)
		return STORE_OK;
	int64_t now = app_now(), inspector = account_id("inspector"), committee = account_id("committee"),
		committee2 = account_id("committee2");
	int rc = STORE_OK;
	/* Three chronic spots, each from three reports within 90 days (the first two
	 * closed, so each report is a recurrence), north of the random problems. */
	static const struct {
		const char *cat;
		int comm;
		double lat, lng;
		const char *text;
	} spots[] = {
		{"C0301", 0, 31.2276, 121.5402, "锦绣前城 12号楼楼道再次堆放纸箱和旧家具"},
		{"C0601", 0, 31.2291, 121.5447, "由由五村大门口非机动车乱停放，堵塞人行道"},
		{"C0102", 2, 31.2282, 121.5513, "梧桐花园东侧绿化带又有垃圾"},
	};
	for (int s = 0; s < 3 && !rc; s++) {
		int64_t reviewer = spots[s].comm == 2 ? committee2 : committee;
		for (int k = 0; k < 3 && !rc; k++) {
			int64_t at = now - (int64_t)(75 - 30 * k + (int)rnd(5)) * 86400 + 9 * 3600;
			rc = spot_report(spots[s].cat, communities[spots[s].comm], spots[s].lat + k * 0.00008,
					 spots[s].lng + k * 0.00005, spots[s].text, inspector, at, k < 2, reviewer);
		}
	}
	/* 由由五村's spot on the watch list since five days ago, 3 checks a day, not
	 * always done; the days that ended are settled (missed checks counted). */
	json_t *cat = rc ? NULL : store_category_by_code("C0601");
	json_t *spot = cat ? store_chronic_find(jint(cat, "id", 0), 0, spots[1].lat, spots[1].lng, duplicate_radius()) : NULL;
	json_decref(cat);
	if (!rc && !spot)
		rc = STORE_EIO;
	int64_t today = china_day(now), sid = jint(spot, "id", 0);
	json_decref(spot);
	if (!rc)
		rc = store_chronic_watch(sid, 3, today - 5, -1, committee);
	static const int done_per_day[] = {3, 2, 3, 1, 3, 1};	/* today - 5 … today */
	for (int d = 0; d < 6 && !rc; d++) {
		int64_t day = today - 5 + d;
		for (int k = 0; k < done_per_day[d] && !rc; k++) {
			int64_t at = china_day_start(day) + (8 + 5 * k) * 3600 + rnd(3600);
			if (at > now)
				at = now - 60;
			json_t *c = json_pack("{s:I, s:I, s:I, s:I, s:b, s:s, s:f, s:f}", "spot_id", (json_int_t)sid, "at",
					      (json_int_t)at, "day", (json_int_t)day, "actor_id",
					      (json_int_t)(k % 2 ? committee : inspector), "ok", 1, "note", "巡查打卡：秩序良好", "lat",
					      spots[1].lat, "lng", spots[1].lng);
			rc = store_chronic_check_add(c, NULL);
			json_decref(c);
		}
	}
	int settled = 0;
	if (!rc)
		rc = chronic_settle(now, &settled);
	if (!rc)
		rc = revisits_of_closed(now, inspector, committee);
	return rc;
}
