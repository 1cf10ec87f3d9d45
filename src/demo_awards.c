/*
 * demo_awards.c — the honours of the demo street (docs/PARTY.md "awards"):
 * this year's round in review (金钥匙奖 for units and for people, 福民奖,
 * 最美战"疫"者) with nominations from several communities whose evidence is
 * drawn from the demo's own records, a panel of three (office, the 梧桐 居委
 * and the inspector) with some scores in; and last year's round published,
 * so the honour roll has names. Runs last, inside the caller's transaction.
 */
#include "api/awards.h"
#include "core/period.h"
#include "demo.h"
#include <stdio.h>
#include <string.h>

static int64_t account_id(const char *login)
{
	json_t *a = store_account_auth(login);
	int64_t id = a ? jint(a, "id", 0) : 0;
	json_decref(a);
	return id;
}

static json_t *cat(const char *name, const char *kinds, int quota)
{
	json_t *k = json_array();
	char buf[32];
	snprintf(buf, sizeof buf, "%s", kinds);
	for (char *t = strtok(buf, ","); t; t = strtok(NULL, ","))
		json_array_append_new(k, json_string(t));
	return json_pack("{s:s, s:o, s:i}", "name", name, "kinds", k, "quota", quota);
}

static int64_t scheme(const char *name, int year, int64_t day0, int full, int64_t by, int64_t now)
{
	char d[4][11];
	int64_t off[4] = {-60, -10, -9, 20};
	for (int i = 0; i < 4; i++)
		period_format_day(day0 + off[i], d[i], sizeof d[i]);
	json_t *cats = json_pack("[o, o]", cat("金钥匙奖（单位）", "unit", 3), cat("金钥匙奖（个人）", "person", 5));
	if (full) {
		json_array_append_new(cats, cat("福民奖", "person,team", 3));
		json_array_append_new(cats, cat("最美战“疫”者", "person", 3));
	}
	json_t *in = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:[ssss], s:s, s:o}", "name", name, "year", year,
			       "nominate_from", d[0], "nominate_to", d[1], "review_from", d[2], "review_to", d[3],
			       "nominators", "committee", "unit", "party", "office",
			       "description", "花木街道年度精神文明建设表彰：德者有得，好人好报。", "categories", cats);
	int64_t id = 0;
	int rc = store_award_scheme_create(in, by, now, &id);
	json_decref(in);
	return rc ? -1 : id;
}

/* A nomination with the evidence as drawn from the records for `year`. */
static int64_t nominate(int64_t sid, int64_t cid, const char *kind, int64_t who, int year, int64_t by, int64_t now)
{
	int st = 0;
	json_t *ev = awards_evidence(NULL, kind, who, year, &st);
	if (!ev)
		return st == 404 ? 0 : -1;
	char citation[300];
	snprintf(citation, sizeof citation, "%s 在 %d 年度积极参与社区志愿服务和文明创建，事迹突出，群众认可。",
		 jstr(ev, "name"), year);
	json_t *in = json_pack("{s:I, s:I, s:s, s:I, s:O, s:O, s:I, s:s, s:O, s:[ss], s:O, s:I}", "scheme_id", (json_int_t)sid,
			       "category_id", (json_int_t)cid, "nominee_kind", kind, "nominee_id", (json_int_t)who,
			       "nominee_name", json_object_get(ev, "name"), "org_id", json_object_get(ev, "org_id"),
			       "nominator_id", (json_int_t)by, "citation", citation, "evidence", ev, "cited", "hours_year",
			       !strcmp(kind, "person") ? "good_deeds" : "problems_closed", "evidence_on",
			       json_object_get(ev, "drawn_on"), "created_at", (json_int_t)now);
	int64_t id = 0;
	int rc = store_award_nomination_create(in, &id);
	json_decref(in);
	json_decref(ev);
	return rc == STORE_ECONFLICT ? 0 : rc ? -1 : id;
}

static int64_t cat_id(int64_t sid, int i)
{
	json_t *s = store_award_scheme_get(sid);
	int64_t id = jint(json_array_get(json_object_get(s, "categories"), (size_t)i), "id", 0);
	json_decref(s);
	return id;
}

/* Nominees: two people from each of four communities, the units that handle
 * problems, the volunteer teams. n[] gets the nomination ids. */
static int nominate_round(int64_t sid, int full, const int64_t *comm, int ncomm, int64_t street, int year,
			  int64_t *n, int *nn, int64_t now)
{
	int64_t office = account_id("office"), committee = account_id("committee"), committee2 = account_id("committee2");
	json_t *units = store_award_orgs_of_kind(street, "unit", 4);
	size_t i;
	json_t *x;
	json_array_foreach(units, i, x) {
		int64_t id = nominate(sid, cat_id(sid, 0), "unit", jint(x, "id", 0), year, office, now);
		if (id < 0)
			return json_decref(units), -1;
		if (id > 0)
			n[(*nn)++] = id;
	}
	json_decref(units);
	for (int c = 0; c < ncomm && c < 4; c++) {
		json_t *ppl = store_award_top_people(comm[c], full ? 3 : 2);
		int64_t by = c == 0 ? committee : c == 2 ? committee2 : office;
		json_array_foreach(ppl, i, x) {
			int k = !full ? 1 : i == 0 ? 1 : i == 1 ? 2 : 3;	/* 金钥匙奖（个人）, 福民奖, 最美战"疫"者 */
			int64_t id = nominate(sid, cat_id(sid, k), "person", jint(x, "person_id", 0), year, by, now);
			if (id < 0)
				return json_decref(ppl), -1;
			if (id > 0 && *nn < 64)
				n[(*nn)++] = id;
		}
		json_decref(ppl);
	}
	json_t *teams = full ? store_award_orgs_of_kind(street, "team", 2) : json_array();
	json_array_foreach(teams, i, x) {
		int64_t id = nominate(sid, cat_id(sid, 2), "team", jint(x, "id", 0), year, office, now);
		if (id > 0 && *nn < 64)
			n[(*nn)++] = id;
	}
	json_decref(teams);
	return 0;
}

static int advance(int64_t sid, const char *const *path, int64_t now)
{
	for (int i = 0; path[i + 1]; i++)
		if (store_award_scheme_state(sid, path[i], path[i + 1], now))
			return -1;
	return 0;
}

int demo_awards(const int64_t *communities, int ncomm, int64_t street)
{
	int64_t now = app_now(), today = period_day(now);
	char ymd[11];
	period_format_day(today, ymd, sizeof ymd);
	int year = (ymd[0] - '0') * 1000 + (ymd[1] - '0') * 100 + (ymd[2] - '0') * 10 + (ymd[3] - '0');
	int64_t office = account_id("office"), panel_ids[3] = {office, account_id("committee2"), account_id("inspector")};
	json_t *panel = json_pack("[I, I, I]", (json_int_t)panel_ids[0], (json_int_t)panel_ids[1], (json_int_t)panel_ids[2]);
	int64_t n[64];
	int nn = 0, rc = 0;
	char name[80];
	/* Last year's round, published. */
	snprintf(name, sizeof name, "%d 年度花木街道精神文明建设表彰", year - 1);
	int64_t old = scheme(name, year - 1, today - 365, 0, office, now);
	static const char *const to_review[] = {"draft", "nominating", "reviewing", NULL};
	static const char *const to_publish[] = {"reviewing", "decided", "published", NULL};
	rc = old < 0 || store_award_panel_set(old, panel) || advance(old, to_review, now) ||
	     nominate_round(old, 0, communities, ncomm, street, year - 1, n, &nn, now);
	for (int i = 0; !rc && i < nn; i++) {
		for (int p = 0; !rc && p < 3; p++)
			rc = store_award_vote(n[i], panel_ids[p], 6 + (int)((n[i] + p) % 5), NULL, now);
		int award = i % 2 == 0;	/* half of each category: within its quota (4 units, 8 people) */
		if (!rc)
			rc = store_award_decide(n[i], award ? "awarded" : "not_awarded",
						award ? "评审组平均分靠前，事迹突出" : "名额所限，本次未获奖", office, now);
	}
	rc = rc || advance(old, to_publish, now);
	/* This year's round, in review, some scores in. */
	snprintf(name, sizeof name, "%d 年度花木街道精神文明建设表彰", year);
	int64_t cur = rc ? -1 : scheme(name, year, today, 1, office, now);
	nn = 0;
	rc = rc || cur < 0 || store_award_panel_set(cur, panel) || nominate_round(cur, 1, communities, ncomm, street, year, n, &nn, now) ||
	     advance(cur, to_review, now);
	for (int i = 0; !rc && i < nn; i++)
		for (int p = 0; !rc && p < 3; p++)
			if ((i + p) % 3 != 0 && p != 0)	/* the office login has not scored yet: its review page has work */
				rc = store_award_vote(n[i], panel_ids[p], 5 + (int)((n[i] * 7 + p) % 6), "事迹材料翔实", now);
	json_decref(panel);
	return rc ? -1 : 0;
}
