/*
 * home_watch.c — home-watch lists (独居老人 and others who need a visit)
 * and their visit records (docs/PARTY.md "buildings"). Visible only to the
 * 居委 over the building and the building's rep (perms.def homewatch.*,
 * which admin does not hold: need-to-know data, SPEC §2); every other role
 * gets 403 from the dispatcher and another 居委 404 from the scope. Lists
 * carry the masked phone only; the full contact leaves through the audited
 * GET …/contact. Due and overdue come from the application clock.
 */
#include "buildings.h"
#include "core/privacy.h"
#include "core/visit_due.h"
#include "store/buildings.h"
#include <string.h>

static const char *const reasons = "lives_alone elderly disability illness hardship other";
static const char *const frequencies = "weekly fortnightly monthly";
static const char *const conditions = "good fair poor not_home";

/* Adds due_on, overdue, days_overdue from the last visit (or the day the
 * person was listed) and the frequency; drops the path. */
static json_t *watch_view(json_t *w, int64_t today)
{
	static const char *const t[] = {"created_at", "updated_at", NULL};
	render_times(w, t);
	json_object_del(w, "building_path");
	const char *last = jstr(w, "last_visit");
	int64_t base;
	if (ymd_to_day(last ? last : jstr(w, "created_on"), &base))
		base = today;
	int64_t due = visit_due_day(base, jstr(w, "frequency"));
	char ymd[16];
	day_to_ymd(due, ymd, sizeof ymd);
	int active = json_is_true(json_object_get(w, "active"));
	json_object_set_new(w, "due_on", json_string(ymd));
	json_object_set_new(w, "overdue", json_boolean(active && today > due));
	json_object_set_new(w, "days_overdue", json_integer(active && today > due ? today - due : 0));
	return w;
}

static json_t *watch_load(struct req *r, int64_t id, int *st)
{
	json_t *w = store_home_watch_get(id);
	if (w && !scope_covers(r, jint(w, "building_id", 0))) {
		json_decref(w);
		w = NULL;
	}
	if (!w)
		*st = reply_error(r, 404, "not_found", "关爱对象不存在", NULL);
	return w;
}

/* Lists are short (a community's few dozen people): the rows in scope are
 * read whole, the clock decides overdue, and the page is cut here so that
 * ?overdue=true pages correctly. */
int home_watch_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	int only_overdue = q_bool(r, "overdue", 0);
	char ymd[16];
	int64_t today = building_today(ymd, sizeof ymd);
	json_t *f = scope_filter(r, json_object());
	json_t *rows = store_home_watch_list(f, q_int(r, "building_id"), q_int(r, "cursor"), 5000);
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	json_t *items = json_array();
	size_t i;
	json_t *w;
	int more = 0;
	json_array_foreach(rows, i, w) {
		watch_view(w, today);
		if (only_overdue && !json_is_true(json_object_get(w, "overdue")))
			continue;
		if ((int)json_array_size(items) == limit) {
			more = 1;
			break;
		}
		json_array_append(items, w);
	}
	json_decref(rows);
	json_t *last = json_array_get(items, json_array_size(items) - 1);
	json_t *out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
				more && last ? json_sprintf("%lld", (long long)jint(last, "id", 0)) : json_null());
	return reply_json(r, 200, out);
}

int home_watch_get(struct req *r)
{
	int st = 0;
	json_t *w = watch_load(r, req_id(r, 0), &st);
	if (!w)
		return st;
	char ymd[16];
	return reply_json(r, 200, watch_view(w, building_today(ymd, sizeof ymd)));
}

/* Field checks shared by create and update: the fixed lists, the rep of the
 * watch's building. */
static void check_watch(struct req *r, json_t *fields, int64_t building_id)
{
	const char *s = jstr(r->json, "reason");
	if (s && !word_in_list(reasons, s))
		field_error(fields, "reason", "invalid", "原因应为 lives_alone、elderly、disability、illness、hardship 或 other");
	s = jstr(r->json, "frequency");
	if (s && !word_in_list(frequencies, s))
		field_error(fields, "frequency", "invalid", "走访频次应为 weekly、fortnightly 或 monthly");
	int64_t rep = jint(r->json, "rep_id", 0);
	if (rep && building_id) {
		json_t *row = store_building_rep_get(rep);
		if (!row || jint(row, "building_id", 0) != building_id)
			field_error(fields, "rep_id", "not_found", "不是本楼的楼组长");
		json_decref(row);
	}
}

#define WATCH_FIELDS(REQ)                                                                             \
	{"room", F_STR, F_NULL, 0, 20}, {"reason", F_STR, REQ, 1, 20}, {"frequency", F_STR, REQ, 1, 20}, \
	{"rep_id", F_INT, F_NULL, 1, INT64_MAX}, {"note", F_STR, F_NULL, 0, 500}

int home_watch_create(struct req *r)
{
	static const struct fspec spec[] = {{"person_id", F_INT, F_REQ, 1, INT64_MAX},
					    {"building_id", F_INT, F_REQ, 1, INT64_MAX},
					    WATCH_FIELDS(F_REQ),
					    {NULL, 0, 0, 0, 0}};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int64_t bid = jint(r->json, "building_id", 0), pid = jint(r->json, "person_id", 0);
	json_t *b = bid ? store_building_get(bid) : NULL;
	if (bid && (!b || !scope_covers(r, bid))) {
		field_error(fields, "building_id", "not_found", "楼栋不存在");
		bid = 0;
	}
	json_decref(b);
	json_t *p = pid ? store_person_get(pid) : NULL;
	if (pid && (!p || (bid && store_community_of(jint(p, "org_id", 0)) != store_community_of(bid))))
		field_error(fields, "person_id", "not_found", "人员不存在或不属于本社区");
	json_decref(p);
	check_watch(r, fields, bid);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	char ymd[16];
	int64_t today = building_today(ymd, sizeof ymd);
	int64_t id = 0;
	int rc = store_home_watch_create(r->json, ymd, app_now(), &id);
	if (rc)
		return reply_store_error(r, rc);
	json_t *out = watch_view(store_home_watch_get(id), today);
	audit(r, "create", "home_watch", id, NULL, json_pack("{s:I, s:I}", "person_id", (json_int_t)pid, "building_id", (json_int_t)jint(r->json, "building_id", 0)));
	return reply_json(r, 201, out);
}

int home_watch_update(struct req *r)
{
	static const struct fspec spec[] = {WATCH_FIELDS(0), {"active", F_BOOL, 0, 0, 0}, {NULL, 0, 0, 0, 0}};
	int st = 0;
	int64_t id = req_id(r, 0);
	json_t *before = watch_load(r, id, &st);
	if (!before)
		return st;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(before);
		return r->status;
	}
	check_watch(r, fields, jint(before, "building_id", 0));
	if (json_array_size(fields)) {
		json_decref(before);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc = store_home_watch_update(id, r->json, app_now());
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	char ymd[16];
	int64_t today = building_today(ymd, sizeof ymd);
	json_t *after = watch_view(store_home_watch_get(id), today);
	watch_view(before, today);
	audit(r, "update", "home_watch", id, before, json_incref(after));
	return reply_json(r, 200, after);
}

int home_watch_visits_list(struct req *r)
{
	int st = 0;
	json_t *w = watch_load(r, req_id(r, 0), &st);
	if (!w)
		return st;
	json_decref(w);
	int limit = (int)q_int(r, "limit");
	json_t *rows = store_home_watch_visits(req_id(r, 0), q_int(r, "cursor"), limit);
	static const char *const t[] = {"created_at", NULL};
	size_t i;
	json_t *v;
	json_array_foreach(rows, i, v) {
		render_times(v, t);
		mask_text_field(v, "needs");
		mask_text_field(v, "follow_up");
	}
	return list_reply(r, rows, limit, "id");
}

int home_watch_visits_create(struct req *r)
{
	static const struct fspec spec[] = {{"visited_on", F_STR, F_REQ, 10, 10}, {"visitor", F_STR, F_NULL, 1, 40},
					    {"condition", F_STR, F_REQ, 1, 20},   {"needs", F_STR, F_NULL, 0, 1000},
					    {"follow_up", F_STR, F_NULL, 0, 1000}, {"problem_id", F_INT, F_NULL, 1, INT64_MAX},
					    {NULL, 0, 0, 0, 0}};
	int st = 0;
	int64_t id = req_id(r, 0);
	json_t *w = watch_load(r, id, &st);
	if (!w)
		return st;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(w);
		return r->status;
	}
	char ymd[16];
	int64_t today = building_today(ymd, sizeof ymd), d;
	const char *on = jstr(r->json, "visited_on");
	if (on && ymd_to_day(on, &d))
		field_error(fields, "visited_on", "invalid", "日期应为 YYYY-MM-DD");
	else if (on && d > today)
		field_error(fields, "visited_on", "invalid", "走访日期不能晚于今天");
	const char *c = jstr(r->json, "condition");
	if (c && !word_in_list(conditions, c))
		field_error(fields, "condition", "invalid", "情况应为 good、fair、poor 或 not_home");
	int64_t prob = jint(r->json, "problem_id", 0);
	json_t *pr = prob ? store_problem_get(prob) : NULL;
	if (prob && (!pr || !scope_covers(r, jint(pr, "org_id", 0))))
		field_error(fields, "problem_id", "not_found", "问题不存在");
	json_decref(pr);
	if (json_array_size(fields)) {
		json_decref(w);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	json_t *row = json_deep_copy(r->json);
	if (!jstr(row, "visitor"))
		json_object_set_new(row, "visitor", json_string(r->login ? r->login : ""));
	int64_t vid = 0;
	int rc = store_home_watch_visit_add(id, row, r->account_id, app_now(), &vid);
	json_decref(row);
	json_decref(w);
	if (rc)
		return reply_store_error(r, rc);
	json_t *after = watch_view(store_home_watch_get(id), today);
	audit(r, "create", "home_watch_visit", vid, NULL,
	      json_pack("{s:I, s:s, s:s}", "watch_id", (json_int_t)id, "visited_on", on, "condition", c));
	json_t *out = json_pack("{s:I, s:I, s:s, s:s, s:o}", "id", (json_int_t)vid, "watch_id", (json_int_t)id,
				"visited_on", on, "condition", c, "watch", after);
	return reply_json(r, 201, out);
}

/* The full phone and address of the person watched: an audited read. */
int home_watch_contact(struct req *r)
{
	int st = 0;
	int64_t id = req_id(r, 0);
	json_t *w = watch_load(r, id, &st);
	if (!w)
		return st;
	json_t *p = store_person_get(jint(w, "person_id", 0));
	json_t *sec = p ? privacy_person_secrets(p) : json_object();
	json_t *out = json_pack("{s:I, s:s, s:O, s:O, s:O}", "id", (json_int_t)id, "name", jstr(w, "name"), "phone",
				json_object_get(sec, "phone") ? json_object_get(sec, "phone") : json_null(), "address",
				p && json_object_get(p, "address") ? json_object_get(p, "address") : json_null(), "room",
				json_object_get(w, "room") ? json_object_get(w, "room") : json_null());
	json_decref(sec);
	json_decref(p);
	json_decref(w);
	int rc = audit(r, "reveal", "home_watch", id, NULL, json_pack("{s:[s,s]}", "fields", "phone", "address"));
	if (rc) {
		json_decref(out);
		return reply_store_error(r, rc);
	}
	return reply_json(r, 200, out);
}
