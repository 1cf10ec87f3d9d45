/*
 * chronic.c — 顽疾 (SPEC §3 "Revisits"): a spot — one category at one site,
 * or without a site within the duplicate radius of an anchor point — whose
 * reports and relapses within a window reach a threshold (default 3 in 90
 * days, settings chronic_threshold / chronic_window_days) is flagged chronic.
 * Counted on every report and every relapse (chronic_note). A chronic spot
 * can be put on the watch list with a daily check quota (一日三查); each
 * China-time day the scheduler settles the days that ended into
 * chronic_days (once: the primary key) and tells the 居委 about missed checks.
 *
 * GET    /api/v1/chronic                 the list (scope: the grants' subtrees)
 * GET    /api/v1/chronic/{id}            one spot with its problems, checks and days
 * PUT    /api/v1/chronic/{id}/watch      {"daily_quota":1..10,"until":"YYYY-MM-DD"|null}
 * DELETE /api/v1/chronic/{id}/watch      off the watch list
 * POST   /api/v1/chronic/{id}/checks     巡查打卡 {"ok","note","photos","location"}
 */
#include "api.h"
#include "core/timefmt.h"
#include <stdio.h>
#include <string.h>

static const char *const spot_times[] = {"first_at", "last_at", "flagged_at", "last_check_at", NULL};

static json_t *day_string(int64_t day)
{
	int y;
	unsigned m, d;
	char buf[16];
	civil_from_days(day, &y, &m, &d);
	snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
	return json_string(buf);
}

/* A "YYYY-MM-DD" date as a day number; -1 when it is not one. */
static int64_t parse_day(const char *s)
{
	int64_t t;
	if (!s || strlen(s) != 10 || time_parse(s, 1, &t))
		return -1;
	return china_day(t);
}

/* Flagging ------------------------------------------------------------------- */

/* Whether the occurrence row x was open when the event `seq` happened:
 * reported before it and its last closing or reopening before it (if any)
 * was not a closing. Event ids order events across problems. */
static int open_at(const json_t *x, int64_t seq)
{
	if (jint(x, "seq", INT64_MAX) >= seq)
		return 0;
	int open = 1;
	size_t i;
	json_t *tr;
	json_array_foreach(json_object_get(x, "transitions"), i, tr) {
		const char *action = json_string_value(json_array_get(tr, 1));
		if (json_integer_value(json_array_get(tr, 0)) > seq)
			break;
		open = !action || strcmp(action, "verify_pass") != 0;
	}
	return open;
}

/* A report made while another problem of the spot was open (reported
 * earlier and not closed by then) is the same occurrence reported again — a
 * likely duplicate — not a recurrence. */
static int reported_while_open(const json_t *occ, const json_t *o)
{
	int64_t seq = jint(o, "seq", 0);
	size_t i;
	json_t *x;
	json_array_foreach(occ, i, x) {
		if (x != o && open_at(x, seq))
			return 1;
	}
	return 0;
}

int chronic_note(const json_t *p, int64_t now)
{
	int64_t cat = jint(p, "category_id", 0), site = jint(p, "site_id", 0);
	json_t *lat = json_object_get(p, "lat"), *lng = json_object_get(p, "lng");
	if (!site && !(json_is_number(lat) && json_is_number(lng)))
		return STORE_OK;
	double la = json_number_value(lat), ln = json_number_value(lng), radius = duplicate_radius();
	struct revisit_settings s;
	revisit_settings(&s);
	json_t *spot = store_chronic_find(cat, site, la, ln, radius);
	/* An existing spot counts around its own anchor; a new one around p. */
	double ala = spot && !site ? json_number_value(json_object_get(spot, "lat")) : la;
	double aln = spot && !site ? json_number_value(json_object_get(spot, "lng")) : ln;
	int64_t since = now - (int64_t)s.window_days * 86400;
	json_t *occ = store_spot_occurrences(cat, site, ala, aln, radius, since);
	if (!occ) {
		json_decref(spot);
		return STORE_EIO;
	}
	int count = 0;
	int64_t first = now;
	size_t i;
	json_t *o;
	json_array_foreach(occ, i, o) {
		int64_t created = jint(o, "created_at", now);
		int n = (int)jint(o, "relapses", 0) + (created >= since && !reported_while_open(occ, o));
		count += n;
		if (n && created < first)
			first = created;
	}
	int rc = STORE_OK;
	int64_t pid = jint(p, "id", 0);
	if (spot) {
		rc = store_chronic_touch(jint(spot, "id", 0), count, now);
		if (!rc)
			rc = store_chronic_link(jint(spot, "id", 0), pid);
	} else if (count >= s.threshold) {
		json_t *row = json_pack("{s:I, s:I, s:i, s:I, s:I, s:I}", "category_id", (json_int_t)cat, "org_id",
					(json_int_t)jint(p, "org_id", 0), "count", count, "first_at", (json_int_t)first,
					"last_at", (json_int_t)now, "flagged_at", (json_int_t)now);
		if (site)
			json_object_set_new(row, "site_id", json_integer(site));
		else {
			json_object_set_new(row, "lat", json_real(la));
			json_object_set_new(row, "lng", json_real(ln));
		}
		int64_t id = 0;
		rc = store_chronic_create(row, &id);
		json_decref(row);
		json_array_foreach(occ, i, o) {
			if (!rc)
				rc = store_chronic_link(id, jint(o, "id", 0));
		}
		if (!rc)
			rc = store_chronic_link(id, pid);
		if (!rc) {
			char body[512];
			snprintf(body, sizeof body, "%s %s：%d 天内第 %d 次发生（回潮或复发），已列为顽疾",
				 jstr(p, "code") ? jstr(p, "code") : "", jstr(p, "category_name") ? jstr(p, "category_name") : "",
				 s.window_days, count);
			json_t *n = json_pack("{s:s, s:I, s:s, s:s, s:I}", "kind", "chronic", "problem_id", (json_int_t)pid,
					      "title", "发现顽疾点位，建议列入盯办", "body", body, "created_at", (json_int_t)now);
			rc = store_notify("[\"committee\",\"office\"]", jint(p, "org_id", 0), n);
			json_decref(n);
		}
	}
	json_decref(occ);
	json_decref(spot);
	return rc;
}

/* Settling watched days -------------------------------------------------------- */

int chronic_settle(int64_t now, int *settled)
{
	int64_t yesterday = china_day(now) - 1;
	*settled = 0;
	json_t *rows = store_chronic_unsettled(yesterday, 1000);
	if (!rows)
		return STORE_EIO;
	int rc = STORE_OK;
	size_t i;
	json_t *s;
	json_array_foreach(rows, i, s) {
		int64_t id = jint(s, "id", 0), until = jint(s, "watch_until", INT64_MAX);
		int quota = (int)jint(s, "watch_quota", 1), missed_days = 0, missed_total = 0;
		int64_t last_missed = 0;
		/* At most a year per tick: a spot watched long ago catches up over ticks. */
		for (int64_t day = jint(s, "next_day", yesterday), k = 0; day <= yesterday && day <= until && k < 366 && !rc;
		     day++, k++) {
			int inserted = 0, done = 0, missed = 0;
			rc = store_chronic_settle_day(id, day, quota, &inserted, &done, &missed);
			if (rc || !inserted)
				continue;
			(*settled)++;
			if (missed) {
				missed_days++;
				missed_total += missed;
				last_missed = day;
			}
		}
		if (!rc && missed_days) {
			json_t *ds = day_string(last_missed);
			char body[512];
			snprintf(body, sizeof body, "%s（顽疾点位 #%lld）：%d 天漏查，共漏查 %d 次（最近 %s，每日应查 %d 次）",
				 jstr(s, "category_name") ? jstr(s, "category_name") : "", (long long)id, missed_days,
				 missed_total, json_string_value(ds), quota);
			json_decref(ds);
			json_t *n = json_pack("{s:s, s:s, s:s, s:I}", "kind", "chronic_missed", "title", "顽疾点位漏查提醒",
					      "body", body, "created_at", (json_int_t)now);
			rc = store_notify("[\"committee\"]", jint(s, "org_id", 0), n);
			json_decref(n);
		}
		if (rc)
			break;
	}
	json_decref(rows);
	return rc;
}

int revisits_tick(int64_t now, int *settled)
{
	int rc = store_begin();
	if (rc)
		return rc;
	rc = chronic_settle(now, settled);
	if (rc) {
		store_rollback();
		return rc;
	}
	return store_commit();
}

/* Views ------------------------------------------------------------------------ */

static json_t *spot_view(json_t *s, int64_t today)
{
	json_t *q = json_object_get(s, "watch_quota");
	if (json_is_integer(q)) {
		json_t *until = json_object_get(s, "watch_until");
		json_object_set_new(s, "watch",
				    json_pack("{s:O, s:o, s:o}", "daily_quota", q, "since", day_string(jint(s, "watch_since", 0)),
					      "until", json_is_integer(until) ? day_string(json_integer_value(until)) : json_null()));
		int active = !json_is_integer(until) || json_integer_value(until) >= today;
		json_object_set_new(s, "today", active ? json_pack("{s:o, s:O, s:O}", "date", day_string(today), "done",
								  json_object_get(s, "today_done"), "quota", q)
						      : json_null());
	} else {
		json_object_set_new(s, "watch", json_null());
		json_object_set_new(s, "today", json_null());
	}
	json_object_set_new(s, "today_checks", json_incref(json_object_get(s, "today_done")));
	static const char *const drop[] = {"watch_quota", "watch_since", "watch_until", "today_done", "org_path", NULL};
	for (const char *const *k = drop; *k; k++)
		json_object_del(s, *k);
	render_location(s);
	render_times(s, spot_times);
	return s;
}

/* A spot the account may see (its grants cover the spot's community). */
static json_t *load_spot(struct req *r, int64_t today, int *status)
{
	json_t *s = store_chronic_get(req_id(r, 0), today);
	if (!s || !scope_covers(r, jint(s, "org_id", 0))) {
		json_decref(s);
		*status = reply_error(r, 404, "not_found", "顽疾点位不存在或无权查看", NULL);
		return NULL;
	}
	return s;
}

int chronic_list(struct req *r)
{
	json_t *fields = json_array(), *f = json_object();
	int limit = (int)q_int(r, "limit");
	if (q_has(r, "org_id"))
		json_object_set_new(f, "under", json_integer(q_int(r, "org_id")));
	if (q_has(r, "category")) {
		json_t *c = store_category_by_code(q_text(r, "category"));
		if (!c)
			field_error(fields, "category", "not_found", "没有这个问题类别");
		else
			json_object_set(f, "category_id", json_object_get(c, "id"));
		json_decref(c);
	}
	if (q_has(r, "watched"))
		json_object_set_new(f, "watched", json_boolean(q_bool(r, "watched", 0)));
	if (json_array_size(fields)) {
		json_decref(f);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	scope_filter(r, f);
	int64_t today = china_day(app_now());
	json_t *items = store_chronic_list(f, q_int(r, "cursor"), limit, today);
	json_decref(f);
	size_t i;
	json_t *s;
	json_array_foreach(items, i, s) spot_view(s, today);
	return list_reply(r, items, limit, "id");
}

int chronic_get(struct req *r)
{
	int st = 0;
	int64_t today = china_day(app_now());
	json_t *s = load_spot(r, today, &st);
	if (!s)
		return st;
	int64_t id = jint(s, "id", 0);
	json_t *problems = store_chronic_problems(id), *checks = store_chronic_checks(id, 50),
	       *days = store_chronic_days(id, 60);
	size_t i;
	json_t *x;
	static const char *const pk[] = {"created_at", "closed_at", NULL};
	static const char *const ck[] = {"at", NULL};
	json_array_foreach(problems, i, x) {
		render_times(x, pk);
		mask_text_field(x, "description");	/* a list: typed numbers masked (SPEC §2) */
	}
	json_array_foreach(checks, i, x) {
		json_object_set_new(x, "date", day_string(jint(x, "day", 0)));
		json_object_del(x, "day");
		render_location(x);
		render_times(x, ck);
	}
	json_array_foreach(days, i, x) {
		json_object_set_new(x, "date", day_string(jint(x, "day", 0)));
		json_object_del(x, "day");
	}
	json_object_set_new(s, "problems", problems ? problems : json_array());
	json_object_set_new(s, "checks", checks ? checks : json_array());
	json_object_set_new(s, "days", days ? days : json_array());
	return reply_json(r, 200, spot_view(s, today));
}

/* The watch list ------------------------------------------------------------------ */

/* Watching or not: the days that ended are settled first with the quota
 * they had, so a change never rewrites the past. */
static int watch_set(struct req *r, int quota, int64_t until)
{
	int64_t now = app_now(), today = china_day(now);
	int st = 0, settled = 0;
	json_t *s = load_spot(r, today, &st);
	if (!s)
		return st;
	int64_t id = jint(s, "id", 0);
	json_t *bq = json_object_get(s, "watch_quota");
	json_t *before = json_pack("{s:O, s:O}", "daily_quota", bq, "until", json_object_get(s, "watch_until"));
	/* Re-watching keeps the first day of an ongoing watch. */
	int64_t since = json_is_integer(bq) ? jint(s, "watch_since", today) : today;
	json_decref(s);
	int rc = chronic_settle(now, &settled);
	if (!rc)
		rc = store_chronic_watch(id, quota, since, until, r->account_id);
	if (!rc)
		rc = audit(r, quota ? "watch" : "unwatch", "chronic_spot", id, before,
			   quota ? json_pack("{s:i, s:I}", "daily_quota", quota, "until", (json_int_t)until)
				 : json_pack("{s:n}", "daily_quota"));
	else
		json_decref(before);
	if (rc)
		return reply_store_error(r, rc);
	json_t *out = store_chronic_get(id, today);
	return out ? reply_json(r, 200, spot_view(out, today)) : reply_store_error(r, STORE_EIO);
}

int chronic_watch(struct req *r)
{
	static const struct fspec spec[] = {
		{"daily_quota", F_INT, F_REQ, 1, 10},
		{"until", F_STR, F_NULL, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int64_t until = -1;
	const char *u = jstr(r->json, "until");
	if (u) {
		until = parse_day(u);
		if (until < 0)
			field_error(fields, "until", "invalid", "应为 YYYY-MM-DD 日期");
		else if (until < china_day(app_now()))
			field_error(fields, "until", "past", "截止日期不能早于今天");
	}
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	return watch_set(r, (int)jint(r->json, "daily_quota", 3), until);
}

int chronic_unwatch(struct req *r)
{
	return watch_set(r, 0, -1);
}

/* 巡查打卡: one check of a spot, counted towards today's quota. */
int chronic_check(struct req *r)
{
	static const struct fspec spec[] = {
		{"ok", F_BOOL, F_REQ, 0, 0},
		{"note", F_STR, F_NULL, 0, 2000},
		{"photos", F_ARR, 0, 0, 9},
		{"location", F_OBJ, F_NULL, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int64_t now = app_now(), today = china_day(now);
	int st = 0;
	json_t *s = load_spot(r, today, &st);
	if (!s) {
		json_decref(fields);
		return st;
	}
	json_t *in = r->json, *photos = json_object_get(in, "photos"), *loc = json_object_get(in, "location");
	if (json_is_array(photos))
		check_photos(r, photos, fields);
	check_location(loc, fields);
	int ok = jbool(in, "ok", 1);
	if (!ok && !(jstr(in, "note") && *jstr(in, "note")) && json_array_size(photos) == 0)
		field_error(fields, "note", "required", "发现问题时请填写说明或拍照");
	if (json_array_size(fields)) {
		json_decref(s);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int64_t id = jint(s, "id", 0);
	json_t *c = json_pack("{s:I, s:I, s:I, s:I, s:b, s:O?, s:O?}", "spot_id", (json_int_t)id, "at", (json_int_t)now,
			      "day", (json_int_t)today, "actor_id", (json_int_t)r->account_id, "ok", ok, "note",
			      json_object_get(in, "note"), "photos", photos);
	if (json_is_object(loc)) {
		json_object_set(c, "lat", json_object_get(loc, "lat"));
		json_object_set(c, "lng", json_object_get(loc, "lng"));
	}
	int64_t cid = 0;
	int rc = store_chronic_check_add(c, &cid);
	json_decref(c);
	if (!rc && !ok) {
		/* A failed check: the 居委 hears of it at once. */
		char body[512];
		snprintf(body, sizeof body, "%s（顽疾点位 #%lld）：%s", jstr(s, "category_name") ? jstr(s, "category_name") : "",
			 (long long)id, jstr(in, "note") ? jstr(in, "note") : "巡查发现问题");
		json_t *n = json_pack("{s:s, s:s, s:s, s:I}", "kind", "chronic_check", "title", "顽疾点位巡查发现问题", "body",
				      body, "created_at", (json_int_t)now);
		rc = store_notify("[\"committee\"]", jint(s, "org_id", 0), n);
		json_decref(n);
	}
	if (!rc)
		rc = audit(r, "check", "chronic_spot", id, NULL, json_pack("{s:I, s:b}", "check_id", (json_int_t)cid, "ok", ok));
	json_decref(s);
	if (rc)
		return reply_store_error(r, rc);
	json_t *out = store_chronic_get(id, today);
	if (!out)
		return reply_store_error(r, STORE_EIO);
	json_t *o = json_pack("{s:I, s:o}", "check_id", (json_int_t)cid, "spot", spot_view(out, today));
	return reply_json(r, 201, o);
}
