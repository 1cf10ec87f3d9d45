/*
 * demo_volunteers.c — the volunteers of the demo street: registrations of
 * the demo's volunteer people (about three white-collar 白领 to one resident,
 * some students and party members, a few awaiting approval), the teams of
 * the practices (七彩虹巾帼志愿者服务队, 手拉手睦邻志愿服务队, 疫情防控志愿者服务队)
 * with leaders, the posts 梧桐居委爱心岗 (two fixed slots a day, 07:30–09:30
 * and 16:30–18:30, capacity 2) and 由由文明交通岗, a week of past rosters
 * with check-ins, a no-show, settled attendance and approved service
 * records, earlier hours so that stars show, the coming weeks' shifts, and
 * the monthly activities (5th 党员日, 12th 邻里议事日, 20th 爱邻日).
 * The demo login "volunteer" (张志愿) is an approved volunteer born 1990.
 * Deterministic (fixed seed); inside the caller's transaction.
 */
#include "api/api.h"
#include "core/crypto.h"
#include "core/privacy.h"
#include "core/signup.h"
#include "core/validate.h"
#include "demo.h"
#include <stdio.h>
#include <string.h>

static uint64_t rng = 0x7a11e5c0ffee2026ULL;
static uint32_t rnd(uint32_t n)
{
	return demo_rnd(&rng, n);
}

static int64_t team(int64_t parent, const char *name)
{
	json_t *f = json_pack("{s:s, s:s}", "kind", "team", "q", name);
	json_t *rows = store_org_list(f, NULL, 5);
	json_decref(f);
	int64_t id = json_array_size(rows) ? json_integer_value(json_object_get(json_array_get(rows, 0), "id")) : 0;
	json_decref(rows);
	if (id)
		return id;
	json_t *in = json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)parent, "kind", "team", "name", name);
	if (store_org_create(in, &id))
		id = 0;
	json_decref(in);
	return id;
}

static int64_t volunteer(int64_t person, int64_t org, const char *vtype, const char *status, int64_t now)
{
	char tok[48];
	token_new(tok, sizeof tok, 24);
	json_t *in = json_pack("{s:I, s:I, s:s, s:[s], s:s, s:I, s:s}", "person_id", (json_int_t)person, "org_id",
			       (json_int_t)org, "vtype", vtype, "areas", "本社区", "status", status, "created_at",
			       (json_int_t)(now - 86400 * (30 + rnd(300))), "calendar_token", tok);
	int64_t id = 0;
	if (store_volunteer_create(in, &id))
		id = 0;
	json_decref(in);
	return id;
}

static int64_t post(int64_t org, const char *name, const char *kind, const char *addr, double lat, double lng, int64_t now)
{
	json_t *in = json_pack("{s:I, s:s, s:s, s:s, s:f, s:f, s:i, s:s}", "org_id", (json_int_t)org, "name", name, "kind",
			       kind, "address", addr, "lat", lat, "lng", lng, "radius_m", 150, "rules",
			       "提前 5 分钟到岗，佩戴红马甲和志愿者证；劝导文明出行，协助老人和儿童；离岗前签退。");
	int64_t id = 0;
	if (store_post_create(in, now, &id))
		id = 0;
	json_decref(in);
	return id;
}

static int generate(int64_t post_id, int64_t from_day, int days, int64_t now)
{
	json_t *p = store_post_get(post_id);
	int created = 0, existing = 0;
	int rc = p ? post_generate(p, from_day, days, now, &created, &existing) : -1;
	json_decref(p);
	return rc;
}

/* Fills the post's shifts in [from, to) from the pool, two per shift;
 * past shifts get check-ins (and the odd no-show or early check-out). */
static int fill(int64_t post_id, const int64_t *pool, int npool, int64_t from, int64_t to, int64_t now, int share)
{
	json_t *f = json_pack("{s:I, s:I, s:I}", "from", (json_int_t)from, "to", (json_int_t)to, "post_id", (json_int_t)post_id);
	json_t *shifts = store_shift_list(f, 500);
	json_decref(f);
	int rc = 0;
	size_t i;
	json_t *s;
	json_array_foreach(shifts, i, s) {
		int64_t sid = json_integer_value(json_object_get(s, "id"));
		int64_t start = json_integer_value(json_object_get(s, "start_at"));
		int64_t end = json_integer_value(json_object_get(s, "end_at"));
		int want = start < now ? 2 : (int)rnd(100) < share ? 2 : (int)rnd(2);
		for (int k = 0; k < want && !rc; k++) {
			int64_t vid = pool[(i * 2 + (size_t)k) % (size_t)npool];
			int64_t gid = 0;
			rc = store_signup_insert(sid, vid, "confirmed", 0, 0, start - 86400 * 3 - rnd(86400), &gid);
			if (rc || start >= now)
				continue;
			int roll = (int)rnd(100);
			if (roll < 6)
				continue;	/* a no-show */
			json_t *patch = json_pack("{s:I, s:I}", "checkin_at", (json_int_t)(start - 300 + rnd(900)), "updated_at",
						  (json_int_t)start);
			if (roll < 80)	/* most check out; the rest forget (credited to the end) */
				json_object_set_new(patch, "checkout_at", json_integer(end - 600 + rnd(1200)));
			rc = store_signup_update(gid, patch);
			json_decref(patch);
		}
	}
	json_decref(shifts);
	return rc;
}

static int past_record(int64_t vid, int64_t org, double hours, const char *name, const char *date, int64_t office,
		       int64_t now)
{
	json_t *in = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:f, s:s, s:s}", "volunteer_id", (json_int_t)vid, "org_id",
			       (json_int_t)org, "activity_name", name, "service_date", date, "place", "花木街道各居民区",
			       "content", "历年志愿服务时长补录（纸质台账）", "hours", hours, "organiser", "花木街道文明办",
			       "person_in_charge", "街道志愿服务站");
	int64_t id = 0;
	int rc = store_record_create(in, now - 86400 * 200, &id);
	json_decref(in);
	return rc ? rc : store_record_decide(id, "approved", office, now - 86400 * 190);
}

int demo_volunteers(const int64_t *comm, int ncomm, int64_t street)
{
	int64_t now = app_now();
	int rc = 0;
	/* 张志愿 (the "volunteer" login): a fixed ID born 1990-05-15, so the demo volunteer is eligible. */
	json_t *acc = store_account_auth("volunteer");
	int64_t zperson = json_integer_value(json_object_get(acc, "person_id"));
	json_decref(acc);
	json_t *office_acc = store_account_auth("office");
	int64_t office = json_integer_value(json_object_get(office_acc, "id"));
	json_decref(office_acc);
	char idn[19] = "31011519900515961";
	idn[17] = id_check_char(idn);
	idn[18] = 0;
	json_t *patch = json_pack("{s:[s], s:[s,s]}", "skills", "交通劝导", "kinds", "resident", "volunteer");
	privacy_seal_id(patch, idn);
	if (zperson)
		rc = store_person_update(zperson, patch);
	json_decref(patch);
	if (rc || !zperson)
		return -1;

	int64_t qch = team(comm[0], "七彩虹巾帼志愿者服务队");
	int64_t slh = team(comm[0], "手拉手睦邻志愿服务队");
	int64_t yq = team(street, "疫情防控志愿者服务队");
	int64_t wt_team = team(comm[2 % ncomm], "梧桐白领志愿者服务队");
	if (!qch || !slh || !yq || !wt_team)
		return -1;
	int64_t teams[4] = {qch, slh, yq, wt_team};

	/* Registrations: everyone whose kinds include volunteer. */
	static int64_t pool_a[64], pool_b[64];
	int na = 0, nb = 0, nv = 0;
	int64_t zvol = volunteer(zperson, comm[0], "white_collar", "approved", now);
	if (!zvol || store_team_member_set(qch, zvol, 1, now - 86400 * 100))
		return -1;
	pool_b[nb++] = zvol;
	json_t *f = json_pack("{s:s}", "kind", "volunteer");
	int64_t after = 0;
	for (;;) {
		json_t *rows = store_person_list(f, after, 200);
		if (!rows || !json_array_size(rows)) {
			json_decref(rows);
			break;
		}
		size_t i;
		json_t *p;
		json_array_foreach(rows, i, p) {
			int64_t pid = json_integer_value(json_object_get(p, "id"));
			after = pid;
			if (pid == zperson || rc)
				continue;
			/* About three white-collar (白领) to one resident, as in the practices. */
			static const char *const types[] = {"white_collar", "white_collar", "white_collar", "resident",
							    "white_collar", "white_collar", "student", "white_collar",
							    "resident", "white_collar", "white_collar", "party_member",
							    "white_collar", "resident", "white_collar", "student"};
			const char *vt = types[nv % 16];
			const char *status = nv % 15 == 14 ? "pending" : "approved";
			int64_t vid = volunteer(pid, json_integer_value(json_object_get(p, "org_id")), vt, status, now);
			if (!vid) {
				rc = -1;
				continue;
			}
			nv++;
			rc = store_team_member_set(teams[nv % 4], vid, nv <= 4, now - 86400 * (10 + rnd(200)));
			if (!strcmp(status, "approved") && age_on(json_string_value(json_object_get(p, "birth_date")), now) <= 60 &&
			    age_on(json_string_value(json_object_get(p, "birth_date")), now) >= 18) {
				if (nv % 2 && na < 64)
					pool_a[na++] = vid;
				else if (nb < 64)
					pool_b[nb++] = vid;
			}
			if (!strcmp(status, "approved") && nv % 7 == 0)
				rc = rc ? rc : past_record(vid, json_integer_value(json_object_get(p, "org_id")),
							   nv % 21 == 0 ? 320 : 110 + rnd(60), "2025 年度志愿服务", "2025-12-31",
							   office, now);
		}
		json_decref(rows);
	}
	json_decref(f);
	if (rc)
		return -1;

	/* Posts and their weekly patterns. */
	int64_t wt = comm[2 % ncomm];
	int64_t love = post(wt, "梧桐居委爱心岗", "love_post", "梧桐花园小区正门", 31.2153, 121.5502, now);
	int64_t traffic = post(comm[0], "由由文明交通岗", "traffic", "锦绣路·张杨路路口", 31.2201, 121.5449, now);
	if (!love || !traffic)
		return -1;
	rc = store_pattern_add(love, 127, 7 * 60 + 30, 9 * 60 + 30, 2, NULL) ||
	     store_pattern_add(love, 127, 16 * 60 + 30, 18 * 60 + 30, 2, NULL) ||
	     store_pattern_add(traffic, 31, 7 * 60, 8 * 60 + 30, 2, NULL);
	int64_t today = cn_day(now), monday = cn_week_monday(today);
	rc = rc || generate(love, monday - 7, 21, now) || generate(traffic, monday - 7, 21, now);
	/* A claim: the 七彩虹 team holds the 爱心岗 for the year. */
	json_t *claim = json_pack("{s:I, s:s, s:I, s:s, s:s, s:I}", "post_id", (json_int_t)love, "claimant_kind", "team",
				  "claimant_org_id", (json_int_t)qch, "start_date", "2026-01-01", "end_date", "2026-12-31",
				  "created_by", (json_int_t)office);
	int64_t cid = 0;
	rc = rc || store_claim_create(claim, now - 86400 * 300, &cid) ||
	     store_claim_decide(cid, "approved", office, now - 86400 * 299);
	json_decref(claim);
	/* Last week and this week so far: filled and attended; the coming days partly. */
	int64_t from = cn_instant(monday - 7, 0), to = cn_instant(monday + 14, 0);
	/* Two people per slot: a demo built with few people (--people 0) leaves the slots open. */
	rc = rc || (na >= 2 && fill(love, pool_a, na, from, to, now, 60)) || (nb >= 2 && fill(traffic, pool_b, nb, from, to, now, 50));
	/* Settle what has ended: attendance, no-shows, pending records; approve the older ones. */
	int settled = 0, noshow = 0;
	rc = rc || shifts_tick(now, &settled, &noshow);
	json_t *pf = json_pack("{s:s}", "status", "pending");
	json_t *pending = rc ? NULL : store_record_list(pf, 0, 1000);
	json_decref(pf);
	size_t i;
	json_t *rec;
	int64_t cutoff = cn_instant(today - 2, 0);
	json_array_foreach(pending, i, rec) {
		int64_t created = json_integer_value(json_object_get(rec, "created_at"));
		(void)created;
		json_t *g = store_signup_get(json_integer_value(json_object_get(rec, "signup_id")));
		int old = g && json_integer_value(json_object_get(g, "end_at")) < cutoff;
		json_decref(g);
		if (old && !rc)
			rc = store_record_decide(json_integer_value(json_object_get(rec, "id")), "approved", office, now);
	}
	json_decref(pending);

	/* The monthly activities of the 活动清单 in the street. */
	static const struct {
		const char *title, *content;
		int dom, start, end;
	} acts[] = {
		{"党员固定活动日", "主题党日：学习、志愿服务、亮身份", 5, 14 * 60, 16 * 60},
		{"邻里议事日", "居民议事会：小区停车与楼道堆物治理", 12, 19 * 60, 20 * 60 + 30},
		{"爱邻日", "为高龄独居老人理发、量血压、清洁", 20, 9 * 60, 11 * 60 + 30},
	};
	for (size_t k = 0; k < sizeof acts / sizeof *acts && !rc; k++) {
		json_t *in = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i}", "org_id", (json_int_t)comm[0],
				       "title", acts[k].title, "place", "由由第五居民区党群服务站", "content", acts[k].content,
				       "organiser", "由由第五居委", "person_in_charge", "居委书记", "recurrence", "monthly",
				       "day_of_month", acts[k].dom, "start_min", acts[k].start, "end_min", acts[k].end,
				       "capacity", 30);
		int64_t aid = 0;
		rc = store_activity_create(in, now, &aid);
		json_decref(in);
		int cnt = 0;
		if (!rc)
			rc = activity_generate(aid, "monthly", acts[k].dom, acts[k].start, acts[k].end, today, 30, now, &cnt);
	}
	return rc ? -1 : 0;
}
