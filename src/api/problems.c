/*
 * problems.c — the problem closed loop (SPEC §3): report, read, list, and
 * the actions of the workflow table (core/workflow.c). Every action is one
 * transaction: the state is read inside it, so of two conflicting actions
 * exactly one wins and the other sees the new state and gets 409.
 *
 * Who sees a problem: admin; office, committee and inspector grants covering
 * the problem's community; handler grants covering its handler unit; and
 * the account that reported it. A co-reporter (nearby.c) sees only the public
 * fields, in its list.
 */
#include "api.h"
#include "lifecycle.h"
#include "core/timefmt.h"
#include "core/validate.h"
#include "core/workflow.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIEW_ROLES (R_OFFICE | R_COMMITTEE | R_INSPECTOR)
#define STAFF_ROLES (R_ADMIN | R_OFFICE | R_COMMITTEE | R_INSPECTOR)
#define CLOSING_RADIUS_DEFAULT 50

static const char *const time_keys[] = {"dispatched_at", "deadline", "ext_requested", "reminded_at",
					"escalated_at", "rectified_at", "closed_at", "created_at", "updated_at",
					NULL};

static const char *const sources =
	"inspection patrol citizen_tip message_board hotline higher_level volunteer self_check open311";

int problem_visible(struct req *r, const json_t *p)
{
	return grants_cover(r, VIEW_ROLES, jstr(p, "org_path")) ||
	       grants_cover(r, R_HANDLER, jstr(p, "handler_path")) || jint(p, "reporter_id", -1) == r->account_id;
}

/* The actions this account may take on p now (state and role), as a JSON array. */
static json_t *allowed_actions(struct req *r, const json_t *p)
{
	json_t *out = json_array();
	int state = wf_state_parse(jstr(p, "state"));
	for (int a = 0; a < WA_NACTIONS; a++) {
		const struct wf_rule *rule = wf_rule(a);
		if (wf_next(state, a) < 0)
			continue;
		const char *path = jstr(p, rule->over == WF_OVER_ORG ? "org_path" : "handler_path");
		if (grants_cover(r, rule->roles, path))
			json_array_append_new(out, json_string(rule->name));
	}
	return out;
}

/* The client's view: RFC 3339 times, overdue, location; steals p. */
json_t *problem_view(json_t *p)
{
	int64_t now = app_now();
	int state = wf_state_parse(jstr(p, "state"));
	json_t *dl = json_object_get(p, "deadline");
	int overdue = wf_clock_running(state) && json_is_integer(dl) && json_integer_value(dl) < now;
	json_object_set_new(p, "overdue", json_boolean(overdue));
	render_location(p);
	json_object_del(p, "org_path");
	json_object_del(p, "handler_path");
	render_times(p, time_keys);
	return p;
}

/* Loads a problem the account may see; answers 404 otherwise (existence of
 * another community's problem is not revealed). */
static json_t *load_visible(struct req *r, int64_t id, int *status)
{
	json_t *p = store_problem_get(id);
	if (!p || !problem_visible(r, p)) {
		json_decref(p);
		*status = reply_error(r, 404, "not_found", "问题不存在或无权查看", NULL);
		return NULL;
	}
	return p;
}

void check_location(const json_t *loc, json_t *fields)
{
	if (!loc || json_is_null(loc))
		return;
	json_t *lat = json_object_get(loc, "lat"), *lng = json_object_get(loc, "lng");
	if (!json_is_object(loc) || json_object_size(loc) != 2 || !json_is_number(lat) || !json_is_number(lng) ||
	    fabs(json_number_value(lat)) > 90 || fabs(json_number_value(lng)) > 180)
		field_error(fields, "location", "invalid", "位置应为 {\"lat\":纬度,\"lng\":经度}");
}

/* Photo ids must exist and be the caller's own uploads (or already attached to
 * a problem the caller may see). */
void check_photos(struct req *r, const json_t *photos, json_t *fields)
{
	size_t i;
	json_t *v;
	json_array_foreach(photos, i, v) {
		json_t *ph = json_is_integer(v) ? store_photo_get(json_integer_value(v)) : NULL;
		int ok = ph && jint(ph, "uploader_id", 0) == r->account_id;
		json_decref(ph);
		if (!ok) {
			field_error(fields, "photos", "invalid", "照片不存在或不是本人上传的");
			return;
		}
	}
}

static const struct fspec create_spec[] = {
	{"category", F_STR, F_REQ, 1, 16},
	{"description", F_STR, F_REQ, 1, 2000},
	{"org_id", F_INT, 0, 1, INT64_MAX},
	{"site_id", F_INT, F_NULL, 1, INT64_MAX},
	{"location", F_OBJ, F_NULL, 0, 0},
	{"address", F_STR, F_NULL, 0, 200},
	{"photos", F_ARR, 0, 0, 9},
	{"source", F_STR, 0, 1, 32},
	{"urgency", F_STR, 0, 1, 16},
	{NULL, 0, 0, 0, 0},
};

/* Checks a report (the POST /api/v1/problems body, already type-checked)
 * beyond types: category, org, site, location, photos, source, urgency.
 * Appends field errors; writes nothing. A site stands in for a missing org
 * (its community) and a missing location (its GPS). */
void problem_check(struct req *r, const json_t *in, json_t *fields)
{
	json_t *cat = jstr(in, "category") ? store_category_by_code(jstr(in, "category")) : NULL;
	if (jstr(in, "category") && (!cat || !jbool(cat, "active", 1)))
		field_error(fields, "category", "not_found", "没有这个问题类别");
	json_decref(cat);
	int64_t site_id = jint(in, "site_id", 0);
	json_t *site = site_id ? store_site_get(site_id) : NULL;
	if (site_id && (!site || !jbool(site, "active", 1)))
		field_error(fields, "site_id", "not_found", "点位不存在或已停用");
	int64_t org_id = jint(in, "org_id", 0);
	json_t *org = org_id ? store_org_get(org_id) : NULL;
	if (!org_id && !site)
		field_error(fields, "org_id", "required", "请选择所在社区（org_id）或点位（site_id）");
	if (org_id && !org)
		field_error(fields, "org_id", "not_found", "组织不存在");
	else if (org && !word_in_list("street community compound building", jstr(org, "kind")))
		field_error(fields, "org_id", "bad_kind", "应为街道、社区（居委）、小区或楼栋");
	check_location(json_object_get(in, "location"), fields);
	json_t *loc = json_object_get(in, "location");
	if ((!loc || json_is_null(loc)) && !site)
		field_error(fields, "location", "required", "请提供位置（location）或点位（site_id）");
	if (json_is_array(json_object_get(in, "photos")))
		check_photos(r, json_object_get(in, "photos"), fields);
	const char *source = jstr(in, "source");
	if (source && !word_in_list(sources, source))
		field_error(fields, "source", "invalid", "未知的问题来源");
	const char *urgency = jstr(in, "urgency");
	if (urgency && strcmp(urgency, "normal") && strcmp(urgency, "urgent"))
		field_error(fields, "urgency", "invalid", "紧急程度应为 normal 或 urgent");
	else if (urgency && !strcmp(urgency, "urgent") && !has_role(r, STAFF_ROLES))
		/* Urgency shortens the handler's deadline: staff decide it (at report or 立案). */
		field_error(fields, "urgency", "staff_only", "紧急程度由工作人员在立案时确定");
	json_decref(org);
	json_decref(site);
}

/* Creates a checked report inside the caller's transaction: the code, the
 * row, the "report" event, photos, the search index, the 居委's notification
 * and the audit entry. source: as given (staff), or decided by role. The
 * store row goes to *out (new ref) when out is not NULL. */
int problem_insert(struct req *r, const json_t *in, int64_t *id_out, json_t **out)
{
	const char *source = jstr(in, "source");
	/* Staff name the source (default: an inspector's patrol, a 居委's self-check,
	 * the office's inspection); residents' and volunteers' reports are what they are. */
	int staff = has_role(r, R_ADMIN | R_OFFICE | R_COMMITTEE | R_INSPECTOR);
	if (!staff)
		source = has_role(r, R_VOLUNTEER) ? "volunteer" : "citizen_tip";
	else if (!source)
		source = has_role(r, R_INSPECTOR) ? "patrol" : has_role(r, R_COMMITTEE) ? "self_check" : "inspection";
	const char *urgency = jstr(in, "urgency");
	int64_t site_id = jint(in, "site_id", 0);
	json_t *site = site_id ? store_site_get(site_id) : NULL;
	int64_t org_id = jint(in, "org_id", 0);
	if (!org_id)
		org_id = jint(site, "org_id", 0);
	json_t *cat = store_category_by_code(jstr(in, "category"));
	if (!cat) {
		json_decref(site);
		return STORE_ENOTFOUND;
	}
	int64_t now = app_now();
	char *prefix = store_setting_get("code_prefix"), counter[32], code[48];
	int year = 0;
	unsigned mo, d;
	civil_from_days((now + 8 * 3600) / 86400, &year, &mo, &d);
	snprintf(counter, sizeof counter, "problem:%d", year);
	int64_t seq = store_counter_next(counter);
	if (seq < 0) {	/* the counter's write failed: a STORE_* code, not a number to print */
		free(prefix);
		json_decref(cat);
		json_decref(site);
		return (int)seq;
	}
	snprintf(code, sizeof code, "%s-%d-%06lld", prefix ? prefix : "WM", year, (long long)seq);
	free(prefix);
	json_t *row = json_pack("{s:s, s:s, s:O, s:I, s:s, s:s, s:O, s:I, s:I}", "code", code, "state", "reported",
				"category_id", json_object_get(cat, "id"), "org_id", (json_int_t)org_id, "source", source,
				"urgency", urgency ? urgency : "normal", "description", json_object_get(in, "description"),
				"reporter_id", (json_int_t)r->account_id, "created_at", (json_int_t)now);
	json_decref(cat);
	if (site_id)
		json_object_set_new(row, "site_id", json_integer(site_id));
	if (jstr(in, "address"))
		json_object_set(row, "address", json_object_get(in, "address"));
	else if (site && jstr(site, "address"))
		json_object_set(row, "address", json_object_get(site, "address"));
	json_t *loc = json_object_get(in, "location");
	if (json_is_object(loc)) {
		json_object_set(row, "lat", json_object_get(loc, "lat"));
		json_object_set(row, "lng", json_object_get(loc, "lng"));
	} else if (site && json_is_number(json_object_get(site, "lat"))) {
		json_object_set(row, "lat", json_object_get(site, "lat"));
		json_object_set(row, "lng", json_object_get(site, "lng"));
	}
	json_decref(site);
	int64_t id = 0;
	int rc = store_problem_create(row, &id);
	json_decref(row);
	json_t *photos = json_object_get(in, "photos");
	/* The report's effects (lifecycle.c): event, photos, index, the 居委's
	 * notification, the chronic-spot check. */
	json_t *data = json_pack("{s:o}", "photos", photos ? json_incref(photos) : json_array());
	struct lc_run x = {.transition = LC_REPORT, .id = id, .actor = r->account_id, .now = now,
			   .to = wf_state_name(WF_REPORTED), .data = data, .photos = photos, .want_after = 1};
	if (!rc)
		rc = lifecycle_run(&x);
	json_decref(data);
	json_t *p = x.after;
	if (!rc)
		rc = audit(r, "report", "problem", id, NULL, json_pack("{s:s, s:s}", "code", code, "source", source));
	char track[24];
	if (!rc)
		rc = citizen_track_issue(id, source, track, sizeof track);	/* citizen.c: the reporter's tracking code */
	if (rc) {
		json_decref(p);
		return rc;
	}
	if (*track)
		json_object_set_new(p, "tracking_code", json_string(track));
	if (id_out)
		*id_out = id;
	if (out)
		*out = p;
	else
		json_decref(p);
	return STORE_OK;
}

int problems_create(struct req *r)
{
	json_t *fields = body_fields(r, create_spec);
	if (!fields)
		return r->status;
	problem_check(r, r->json, fields);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	json_t *p = NULL;
	int rc = problem_insert(r, r->json, NULL, &p);
	if (rc)
		return reply_store_error(r, rc);
	json_object_set_new(p, "possible_duplicates", duplicates_for(r, p));	/* nearby.c */
	return reply_json(r, 201, problem_view(p));
}

void problems_open_states(json_t *arr)
{
	for (int s = 0; s < WF_NSTATES; s++)
		if (!wf_is_final(s))
			json_array_append_new(arr, json_string(wf_state_name(s)));
}

/* The filters of GET /api/v1/problems (also the ledger exports) plus the
 * account's visibility scope, as a store_problem_list filter; NULL after
 * answering 422 (fields is consumed either way). */
json_t *problems_filter(struct req *r, json_t *fields)
{
	json_t *f = json_object();
	const char *states = q_text(r, "state");
	if (states) {
		/* A list of states; "open" stands for every state that is not final
		 * (closed, rejected, merged), "all" for no filter. */
		json_t *arr = json_array();
		int all = 0;
		char buf[256];
		snprintf(buf, sizeof buf, "%s", states);
		for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			if (!strcmp(t, "all"))
				all = 1;
			else if (!strcmp(t, "open"))
				problems_open_states(arr);
			else if (wf_state_parse(t) < 0)
				field_error(fields, "state", "invalid", "未知的状态");
			else
				json_array_append_new(arr, json_string(t));
		}
		char *s = json_dumps(arr, JSON_COMPACT);
		if (!all)
			json_object_set_new(f, "states", json_string(s));
		free(s);
		json_decref(arr);
	}
	if (q_has(r, "category")) {
		json_t *c = store_category_by_code(q_text(r, "category"));
		if (!c)
			field_error(fields, "category", "not_found", "没有这个问题类别");
		else
			json_object_set(f, "category_id", json_object_get(c, "id"));
		json_decref(c);
	}
	if (q_has(r, "org_id"))
		json_object_set_new(f, "under", json_integer(q_int(r, "org_id")));
	if (q_has(r, "handler_org_id"))
		json_object_set_new(f, "handler_org_id", json_integer(q_int(r, "handler_org_id")));
	if (q_has(r, "source")) {
		if (!word_in_list(sources, q_text(r, "source")))
			field_error(fields, "source", "invalid", "未知的问题来源");
		json_object_set_new(f, "source", json_string(q_text(r, "source")));
	}
	if (q_bool(r, "overdue", 0))
		json_object_set_new(f, "overdue_at", json_integer(app_now()));
	if (q_bool(r, "mine", 0))
		json_object_set_new(f, "reporter_id", json_integer(r->account_id));
	static const char *dates[] = {"from", "to"};	/* from:time to:time */
	for (int i = 0; i < 2; i++)
		if (q_has(r, dates[i]))
			json_object_set_new(f, dates[i], json_integer(q_time(r, dates[i])));
	problems_search_filter(f, q_text(r, "q"));
	if (json_array_size(fields)) {
		json_decref(f);
		reply_fields(r, fields);
		return NULL;
	}
	json_decref(fields);
	/* Scope from the grants, not from the route: see the header comment. */
	json_t *op = grant_paths(r, VIEW_ROLES), *hp = grant_paths(r, R_HANDLER);
	char *ops = json_dumps(op, JSON_COMPACT), *hps = json_dumps(hp, JSON_COMPACT);
	json_object_set_new(f, "scope_org_paths", json_string(ops));
	json_object_set_new(f, "scope_handler_paths", json_string(hps));
	json_object_set_new(f, "scope_reporter", json_integer(r->account_id));
	free(ops);
	free(hps);
	json_decref(op);
	json_decref(hp);
	return f;
}

int problems_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	int64_t before = q_int(r, "cursor");
	json_t *f = problems_filter(r, json_array());
	if (!f)
		return r->status;
	/* The problems it joined too, as public fields only; not under filters
	 * that would test what those do not show (text, unit, source, deadline). */
	if (!q_has(r, "q") && !q_has(r, "handler_org_id") && !q_has(r, "source") && !q_has(r, "overdue"))
		json_object_set_new(f, "scope_follower", json_integer(r->account_id));
	json_t *items = store_problem_list(f, before, limit);
	json_decref(f);
	size_t i;
	json_t *p;
	json_array_foreach(items, i, p) {	/* none when the store failed: list_reply answers 500 */
		if (problem_visible(r, p)) {
			problem_view(p);
			/* SPEC §2: lists mask numbers typed into descriptions for every
			 * role; the detail keeps them for the staff who act on it. */
			mask_text_field(p, "description");
		} else {
			json_array_set_new(items, i, problem_public(r, json_incref(p)));
		}
	}
	return list_reply(r, items, limit, "id");
}

int problems_get(struct req *r)
{
	int st = 0;
	json_t *p = load_visible(r, req_id(r, 0), &st);
	if (!p)
		return st;
	json_object_set_new(p, "allowed_actions", allowed_actions(r, p));
	json_t *events = store_problem_events(jint(p, "id", 0));
	size_t i;
	json_t *e;
	static const char *const ekeys[] = {"at", NULL};
	/* Times inside an event's data (the deadline set by dispatch, asked for
	 * or approved in an extension) are stored as unix seconds. */
	static const char *const dkeys[] = {"deadline", "due_at", NULL};
	json_array_foreach(events, i, e) {
		render_times(e, ekeys);
		render_times(json_object_get(e, "data"), dkeys);
	}
	json_object_set_new(p, "events", events ? events : json_array());
	json_t *photos = store_problem_photos(jint(p, "id", 0));
	json_array_foreach(photos, i, e) {
		char url[64];
		snprintf(url, sizeof url, "/api/v1/photos/%lld", (long long)jint(e, "id", 0));
		json_object_set_new(e, "url", json_string(url));
		snprintf(url, sizeof url, "/api/v1/photos/%lld/thumb", (long long)jint(e, "id", 0));
		json_object_set_new(e, "thumb_url", json_string(url));
		static const char *const pk[] = {"taken_at", NULL};
		render_times(e, pk);
	}
	json_object_set_new(p, "photos", photos ? photos : json_array());
	/* The citizen loop's verdicts, without who gave them. */
	json_t *ratings = store_ratings(jint(p, "id", 0));
	json_array_foreach(ratings, i, e) {
		json_object_del(e, "account_id");
		static const char *const rk[] = {"created_at", NULL};
		render_times(e, rk);
	}
	json_object_set_new(p, "ratings", ratings ? ratings : json_array());
	revisits_detail(p);	/* revisits.c */
	follower_view(r, p);	/* nearby.c */
	open311_contact_view(r, p);	/* open311_contact.c: masked, for the community's staff */
	citizen_track_attach(r, p);	/* citizen.c: the tracking code, for its reporter */
	if (json_is_integer(json_object_get(p, "merged_into"))) {	/* where a merged report lives on */
		int64_t to = jint(p, "merged_into", 0);
		json_t *t = store_problem_get(to);
		json_object_set_new(p, "merged_into_code", t && jstr(t, "code") ? json_string(jstr(t, "code")) : json_null());
		json_decref(t);
		/* its reporter follows the surviving case: the public page's code for it */
		char shown[24];
		if (r->account_id && jint(p, "reporter_id", 0) == r->account_id && citizen_track_shown(to, shown, sizeof shown))
			json_object_set_new(p, "merged_into_tracking_code", json_string(shown));
	}
	return reply_json(r, 200, problem_view(p));
}

/* The closing rule (defaults.md): 销号 needs an after-photo taken at the
 * place, so a rectification carries the phone's GPS within the radius
 * (setting closing_radius_m, default 50 m) of the problem's point or of its
 * site. A problem with neither point takes any valid location. */
static void check_rectify_location(const json_t *p, const json_t *loc, json_t *fields)
{
	if (!json_is_object(loc)) {
		field_error(fields, "location", "required", "整改反馈须附现场定位（GPS），请在问题现场开启定位后提交");
		return;
	}
	double lat = json_number_value(json_object_get(loc, "lat")), lng = json_number_value(json_object_get(loc, "lng"));
	char *v = store_setting_get("closing_radius_m");
	long radius = v ? strtol(v, NULL, 10) : CLOSING_RADIUS_DEFAULT;
	free(v);
	if (radius < 1 || radius > 5000)
		radius = CLOSING_RADIUS_DEFAULT;
	json_t *site = jint(p, "site_id", 0) ? store_site_get(jint(p, "site_id", 0)) : NULL;
	const json_t *points[2] = {p, site};
	double best = -1;
	for (int i = 0; i < 2; i++) {
		json_t *a = json_object_get(points[i], "lat"), *b = json_object_get(points[i], "lng");
		if (!json_is_number(a) || !json_is_number(b))
			continue;
		double d = haversine_m(lat, lng, json_number_value(a), json_number_value(b));
		if (best < 0 || d < best)
			best = d;
	}
	json_decref(site);
	if (best > (double)radius) {
		char msg[160];
		snprintf(msg, sizeof msg, "整改位置距问题地点约 %.0f 米，须在 %ld 米以内（请在现场拍照提交）", best, radius);
		field_error(fields, "location", "too_far", msg);
	}
}

/* An illegal action: 409 with what would be allowed now. */
static int illegal(struct req *r, const json_t *p, const char *message)
{
	json_t *o = json_pack("{s:{s:s, s:s, s:O, s:o}}", "error", "code", "illegal_action", "message", message,
			      "state", json_object_get(p, "state"), "allowed_actions", allowed_actions(r, p));
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	reply_raw(r, 409, "application/json; charset=utf-8", s, strlen(s), 0);
	free(s);
	return 409;
}

/* One action being taken (POST /api/v1/problems/{id}/actions): the body,
 * the row before, and what the checks add — field errors, the row's changes
 * (patch) and the event's data. Freed in one place (act_free). */
struct act {
	struct req *r;
	const json_t *in, *p;
	const struct wf_rule *rule;
	int action, from, to;
	int64_t id, now, merge_into;
	json_t *fields, *patch, *data;
};

static int act_accept(struct act *a)
{
	const char *u = jstr(a->in, "urgency");
	if (u) {
		if (strcmp(u, "normal") && strcmp(u, "urgent"))
			field_error(a->fields, "urgency", "invalid", "紧急程度应为 normal 或 urgent");
		json_object_set_new(a->patch, "urgency", json_string(u));
	}
	return 0;
}

static int act_merge(struct act *a)
{
	int64_t target = a->merge_into = jint(a->in, "merge_into", 0);
	json_t *t = target ? store_problem_get(target) : NULL;
	if (!target)
		field_error(a->fields, "merge_into", "required", "请指定合并到的问题");
	else if (!t || !problem_visible(a->r, t))
		field_error(a->fields, "merge_into", "not_found", "目标问题不存在");
	else if (target == a->id || wf_is_final(wf_state_parse(jstr(t, "state"))))
		field_error(a->fields, "merge_into", "invalid", "不能合并到自身或已结束的问题");
	json_decref(t);
	json_object_set_new(a->patch, "merged_into", json_integer(target));
	json_object_set_new(a->data, "merge_into", json_integer(target));
	return 0;
}

/* The handler's deadline: the body's, or the category's (its urgent one for
 * an urgent problem) counted on the calendar from now. */
static int64_t dispatch_deadline(struct act *a, const json_t *cat, char *unit, size_t n)
{
	int urgent = !strcmp(jstr(a->p, "urgency") ? jstr(a->p, "urgency") : "", "urgent") &&
		     jint(cat, "urgent_amount", 0) > 0;
	const char *u = jstr(cat, urgent ? "urgent_unit" : "deadline_unit");
	snprintf(unit, n, "%s", u ? u : "cal_hours");
	int amount = (int)jint(cat, urgent ? "urgent_amount" : "deadline_amount", 72);
	int64_t dl;
	if (jstr(a->in, "deadline")) {
		if (time_parse(jstr(a->in, "deadline"), 0, &dl) || dl <= a->now)
			field_error(a->fields, "deadline", "invalid", "截止时间应为将来的 RFC 3339 时间");
		snprintf(unit, n, "override");
	} else
		dl = calendar_deadline(a->now, unit, amount);
	return dl;
}

static int act_dispatch(struct act *a)
{
	int64_t h = jint(a->in, "handler_org_id", 0);
	json_t *cat = store_category_get(jint(a->p, "category_id", 0));
	if (!h)
		h = jint(cat, "default_handler_org_id", 0);
	json_t *ho = h ? store_org_get(h) : NULL;
	if (!h)
		field_error(a->fields, "handler_org_id", "required", "请指定处置单位");
	else if (!ho)
		field_error(a->fields, "handler_org_id", "not_found", "处置单位不存在");
	else if (strcmp(jstr(ho, "kind") ? jstr(ho, "kind") : "", "unit"))	/* only units sign and rectify */
		field_error(a->fields, "handler_org_id", "bad_kind", "只能派遣给处置单位（单位）：居委、小区和街道不能签收整改");
	json_decref(ho);
	char unit[16];
	int64_t dl = dispatch_deadline(a, cat, unit, sizeof unit);
	json_decref(cat);
	json_object_set_new(a->patch, "handler_org_id", json_integer(h));
	json_object_set_new(a->patch, "dispatched_at", json_integer(a->now));
	json_object_set_new(a->patch, "deadline", json_integer(dl));
	json_object_set_new(a->patch, "deadline_unit", json_string(unit));
	json_object_set_new(a->patch, "reminded_at", json_null());
	json_object_set_new(a->patch, "escalated_at", json_null());
	json_object_set_new(a->patch, "ext_requested", json_null());
	json_object_set_new(a->data, "handler_org_id", json_integer(h));
	json_object_set_new(a->data, "deadline", json_integer(dl));
	return 0;
}

static int act_return(struct act *a)
{
	json_object_set_new(a->data, "handler_org_id", json_integer(jint(a->p, "handler_org_id", 0)));
	json_object_set_new(a->patch, "handler_org_id", json_null());
	json_object_set_new(a->patch, "deadline", json_null());
	json_object_set_new(a->patch, "ext_requested", json_null());
	return 0;
}

static int act_request_extension(struct act *a)
{
	int64_t want;
	if (json_is_integer(json_object_get(a->p, "ext_requested")))
		return illegal(a->r, a->p, "已有待审批的延期申请");
	if (!jstr(a->in, "deadline"))
		field_error(a->fields, "deadline", "required", "请填写申请延期到的时间");
	else if (time_parse(jstr(a->in, "deadline"), 0, &want) || want <= jint(a->p, "deadline", 0) || want <= a->now)
		field_error(a->fields, "deadline", "invalid", "延期时间应晚于当前截止时间");
	else {
		json_object_set_new(a->patch, "ext_requested", json_integer(want));
		json_object_set_new(a->data, "deadline", json_integer(want));
	}
	return 0;
}

/* approve_extension and deny_extension. */
static int act_decide_extension(struct act *a)
{
	json_t *want = json_object_get(a->p, "ext_requested");
	if (!json_is_integer(want))
		return illegal(a->r, a->p, "没有待审批的延期申请");
	if (a->action == WA_APPROVE_EXTENSION) {
		json_object_set(a->patch, "deadline", want);
		json_object_set_new(a->patch, "reminded_at", json_null());
		json_object_set_new(a->patch, "escalated_at", json_null());
		json_object_set(a->data, "deadline", want);
	}
	json_object_set_new(a->patch, "ext_requested", json_null());
	return 0;
}

static int act_rectify(struct act *a)
{
	json_t *photos = json_object_get(a->in, "photos");
	if (!json_is_array(photos) || json_array_size(photos) == 0)
		field_error(a->fields, "photos", "required", "请上传整改后的照片");
	if (!json_array_size(a->fields))
		check_rectify_location(a->p, json_object_get(a->in, "location"), a->fields);
	json_object_set_new(a->patch, "rectified_at", json_integer(a->now));
	json_object_set_new(a->patch, "rectifier_id", json_integer(a->r->account_id));
	return 0;
}

/* verify_pass and verify_fail. 防止"纸面销号": the reviewer must not be the rectifier. */
static int act_verify(struct act *a)
{
	if (jint(a->p, "rectifier_id", 0) == a->r->account_id)
		return reply_error(a->r, 403, "self_review", "核查人不能是整改人", NULL);
	if (a->action == WA_VERIFY_PASS) {
		json_object_set_new(a->patch, "closed_at", json_integer(a->now));
		json_object_set_new(a->patch, "closed_by", json_integer(a->r->account_id));
	} else
		json_object_set_new(a->patch, "rework_count", json_integer(jint(a->p, "rework_count", 0) + 1));
	return 0;
}

/* Each action's own checks and changes: 0 to go on, or the status of an
 * answer already given (409, 403). Actions without an entry need nothing
 * beyond the common checks (acknowledge, reject, reopen). */
static int (*const act_checks[WA_NACTIONS])(struct act *) = {
	[WA_ACCEPT] = act_accept,
	[WA_MERGE] = act_merge,
	[WA_DISPATCH] = act_dispatch,
	[WA_RETURN] = act_return,
	[WA_REQUEST_EXTENSION] = act_request_extension,
	[WA_APPROVE_EXTENSION] = act_decide_extension,
	[WA_DENY_EXTENSION] = act_decide_extension,
	[WA_RECTIFY] = act_rectify,
	[WA_VERIFY_PASS] = act_verify,
	[WA_VERIFY_FAIL] = act_verify,
};

/* The checks every action shares (reason, location, photos) and the start
 * of the row's changes and the event's data. */
static void act_common(struct act *a)
{
	const char *reason = jstr(a->in, "reason");
	if (a->rule->needs_reason && (!reason || !*reason))
		field_error(a->fields, "reason", "required", "请填写原因");
	a->patch = json_object();
	a->data = json_object();
	json_object_set_new(a->patch, "state", json_string(wf_state_name(a->to)));
	json_object_set_new(a->patch, "updated_at", json_integer(a->now));
	if (reason)
		json_object_set_new(a->data, "reason", json_string(reason));
	json_t *loc = json_object_get(a->in, "location");
	check_location(loc, a->fields);
	if (json_is_object(loc))
		json_object_set(a->data, "location", loc);
	json_t *photos = json_object_get(a->in, "photos");
	if (json_is_array(photos)) {
		check_photos(a->r, photos, a->fields);
		json_object_set(a->data, "photos", photos);
	}
}

/* Everything before the write: the problem, the action, the state, the
 * role, the body. 0 to go on, or the status of the answer given. */
static int act_check(struct act *a)
{
	int st = 0;
	a->p = load_visible(a->r, a->id, &st);
	if (!a->p)
		return st;
	a->action = wf_action_parse(jstr(a->in, "action"));
	if (a->action < 0 && jstr(a->in, "action"))
		field_error(a->fields, "action", "invalid", "未知的操作");
	if (json_array_size(a->fields))
		return reply_fields(a->r, json_incref(a->fields));
	a->rule = wf_rule(a->action);
	a->from = wf_state_parse(jstr(a->p, "state"));
	a->to = wf_next(a->from, a->action);
	if (a->to < 0)
		return illegal(a->r, a->p, "当前状态下不能进行此操作");
	if (!grants_cover(a->r, a->rule->roles, jstr(a->p, a->rule->over == WF_OVER_ORG ? "org_path" : "handler_path")))
		return reply_error(a->r, 403, "forbidden", "您的角色不能对该问题进行此操作", NULL);
	act_common(a);
	if (act_checks[a->action] && (st = act_checks[a->action](a)))
		return st;
	if (json_array_size(a->fields))
		return reply_fields(a->r, json_incref(a->fields));
	return 0;
}

/* The transition and its effects (lifecycle.c), the audit entry, the answer. */
static int act_apply(struct act *a)
{
	struct req *r = a->r;
	struct lc_run x = {.transition = LC_ACT + a->action, .id = a->id, .actor = r->account_id, .now = a->now,
			   .before = a->p, .patch = a->patch, .from = wf_state_name(a->from),
			   .to = wf_state_name(a->to), .note = jstr(a->in, "note"), .data = a->data,
			   .photos = json_object_get(a->in, "photos"), .merge_into = a->merge_into, .want_after = 1};
	int rc = lifecycle_run(&x);
	json_t *after = x.after;
	if (!rc)
		rc = audit(r, a->rule->name, "problem", a->id, json_pack("{s:s}", "state", wf_state_name(a->from)),
			   json_pack("{s:s}", "state", wf_state_name(a->to)));
	if (rc) {
		json_decref(after);
		return reply_store_error(r, rc);
	}
	json_object_set_new(after, "allowed_actions", allowed_actions(r, after));
	problem_description_view(r, after);	/* open311_contact.c: as in the detail */
	return reply_json(r, 200, problem_view(after));
}

int problems_act(struct req *r)
{
	static const struct fspec spec[] = {
		{"action", F_STR, F_REQ, 1, 32},
		{"note", F_STR, F_NULL, 0, 2000},
		{"reason", F_STR, F_NULL, 0, 2000},
		{"handler_org_id", F_INT, 0, 1, INT64_MAX},
		{"merge_into", F_INT, 0, 1, INT64_MAX},
		{"deadline", F_STR, F_NULL, 1, 40},
		{"photos", F_ARR, 0, 0, 9},
		{"location", F_OBJ, F_NULL, 0, 0},
		{"urgency", F_STR, 0, 1, 16},
		{NULL, 0, 0, 0, 0},
	};
	struct act a = {.r = r, .in = r->json, .id = req_id(r, 0), .now = app_now(), .fields = body_fields(r, spec)};
	if (!a.fields)
		return r->status;
	int st = act_check(&a);
	if (!st)
		st = act_apply(&a);
	json_decref((json_t *)a.p);
	json_decref(a.patch);
	json_decref(a.data);
	json_decref(a.fields);
	return st;
}
