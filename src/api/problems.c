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
#include "core/timefmt.h"
#include "core/validate.h"
#include "core/workflow.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIEW_ROLES "office committee inspector"
#define STAFF_ROLES "admin office committee inspector"
#define CLOSING_RADIUS_DEFAULT 50

static const char *const time_keys[] = {"dispatched_at", "deadline", "ext_requested", "reminded_at",
					"escalated_at", "rectified_at", "closed_at", "created_at", "updated_at",
					NULL};

static const char *const sources =
	"inspection patrol citizen_tip message_board hotline higher_level volunteer self_check open311";

int problem_visible(struct req *r, const json_t *p)
{
	return grants_cover(r, VIEW_ROLES, jstr(p, "org_path")) ||
	       grants_cover(r, "handler", jstr(p, "handler_path")) || jint(p, "reporter_id", -1) == r->account_id;
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

static int attach_photos(int64_t problem, const json_t *photos, int64_t event, const char *kind)
{
	size_t i;
	json_t *v;
	json_array_foreach(photos, i, v) {
		int rc = store_problem_photo_add(problem, json_integer_value(v), event, kind);
		if (rc)
			return rc;
	}
	return STORE_OK;
}

static int notify(const char *who, int64_t org, const char *kind, const json_t *p, const char *title)
{
	if (!org)
		return STORE_OK;
	char body[512];
	snprintf(body, sizeof body, "%s %s：%s", jstr(p, "code") ? jstr(p, "code") : "",
		 jstr(p, "category_name") ? jstr(p, "category_name") : "", jstr(p, "description") ? jstr(p, "description") : "");
	json_t *n = json_pack("{s:s, s:I, s:s, s:s, s:I}", "kind", kind, "problem_id", (json_int_t)jint(p, "id", 0),
			      "title", title, "body", body, "created_at", (json_int_t)app_now());
	json_t *roles_json = json_array();
	char buf[128];
	snprintf(buf, sizeof buf, "%s", who);
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		json_array_append_new(roles_json, json_string(t));
	char *rj = json_dumps(roles_json, JSON_COMPACT);
	int rc = store_notify(rj, org, n);
	free(rj);
	json_decref(roles_json);
	json_decref(n);
	return rc;
}

int problem_reopen(const json_t *p, struct reopen *ro)
{
	int64_t id = jint(p, "id", 0), now = app_now();
	json_t *patch = json_pack("{s:s, s:n, s:I}", "state", "reopened", "closed_at", "updated_at", (json_int_t)now);
	if (ro->relapse)
		json_object_set_new(patch, "relapse_count", json_integer(jint(p, "relapse_count", 0) + 1));
	int rc = store_problem_update(id, patch);
	json_decref(patch);
	ro->event_id = 0;
	if (!rc) {
		json_t *e = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:O?}", "at", (json_int_t)now, "action", ro->action,
				      "from_state", "closed", "to_state", "reopened", "note", ro->note, "data", ro->data);
		if (ro->actor)
			json_object_set_new(e, "actor_id", json_integer(ro->actor));
		rc = store_problem_event_add(id, e, &ro->event_id);
		json_decref(e);
	}
	if (!rc && json_is_array(ro->photos))
		rc = attach_photos(id, ro->photos, ro->event_id, "before");
	if (!rc)
		rc = store_revisits_cancel(id, ro->keep_revisit, now);
	json_t *after = rc ? NULL : store_problem_get(id);
	if (!rc && !after)
		rc = STORE_EIO;
	if (!rc)
		rc = notify("committee", jint(after, "org_id", 0), "reopened", after, ro->title);
	if (!rc && ro->relapse)
		rc = chronic_note(after, now);
	json_decref(after);
	return rc;
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
	int staff = has_role(r, "admin office committee inspector");
	if (!staff)
		source = has_role(r, "volunteer") ? "volunteer" : "citizen_tip";
	else if (!source)
		source = has_role(r, "inspector") ? "patrol" : has_role(r, "committee") ? "self_check" : "inspection";
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
	int64_t id = 0, ev = 0;
	int rc = store_problem_create(row, &id);
	json_decref(row);
	json_t *photos = json_object_get(in, "photos");
	if (!rc) {
		json_t *e = json_pack("{s:I, s:I, s:s, s:s, s:o}", "at", (json_int_t)now, "actor_id",
				      (json_int_t)r->account_id, "action", "report", "to_state", "reported", "data",
				      json_pack("{s:o}", "photos", photos ? json_incref(photos) : json_array()));
		rc = store_problem_event_add(id, e, &ev);
		json_decref(e);
	}
	if (!rc)
		rc = attach_photos(id, photos, ev, "before");
	if (!rc)
		rc = problem_reindex(id);
	json_t *p = rc ? NULL : store_problem_get(id);
	if (!rc)
		rc = notify("committee", org_id, "reported", p, "新的问题上报待受理");
	if (!rc)
		rc = chronic_note(p, now);	/* chronic.c: a recurrence at a known spot */
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
	json_t *op = grant_paths(r, VIEW_ROLES), *hp = grant_paths(r, "handler");
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

/* A merge does not strand the duplicate's reporter and co-reporters: they
 * follow the surviving case (its public fields, nearby.c) and are told. */
static int merge_followers(const json_t *p, int64_t target, int64_t now)
{
	int64_t id = jint(p, "id", 0), reporter = jint(p, "reporter_id", 0);
	json_t *t = store_problem_get(target);
	if (!t)
		return STORE_EIO;
	int rc = store_problem_followers_copy(id, target, now);
	if (!rc && reporter && reporter != jint(t, "reporter_id", 0))
		rc = store_problem_follow(target, reporter, now) < 0 ? STORE_EIO : STORE_OK;
	if (!rc && reporter) {
		char body[128];
		snprintf(body, sizeof body, "%s → %s", jstr(p, "code") ? jstr(p, "code") : "",
			 jstr(t, "code") ? jstr(t, "code") : "");
		json_t *n = json_pack("{s:s, s:I, s:s, s:s, s:I}", "kind", "merged", "problem_id", (json_int_t)id, "title",
				      "您上报的问题与已有问题合并处理，可跟踪合并后的问题", "body", body, "created_at",
				      (json_int_t)now);
		rc = store_notify_account(reporter, n);
		json_decref(n);
	}
	json_decref(t);
	return rc;
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
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	int st = 0;
	int64_t id = req_id(r, 0);
	json_t *p = load_visible(r, id, &st);
	if (!p) {
		json_decref(fields);
		return st;
	}
	json_t *in = r->json;
	int action = wf_action_parse(jstr(in, "action"));
	if (action < 0 && jstr(in, "action"))
		field_error(fields, "action", "invalid", "未知的操作");
	if (json_array_size(fields)) {
		json_decref(p);
		return reply_fields(r, fields);
	}
	const struct wf_rule *rule = wf_rule(action);
	int from = wf_state_parse(jstr(p, "state"));
	int to = wf_next(from, action);
	if (to < 0) {
		json_decref(fields);
		st = illegal(r, p, "当前状态下不能进行此操作");
		json_decref(p);
		return st;
	}
	if (!grants_cover(r, rule->roles, jstr(p, rule->over == WF_OVER_ORG ? "org_path" : "handler_path"))) {
		json_decref(fields);
		json_decref(p);
		return reply_error(r, 403, "forbidden", "您的角色不能对该问题进行此操作", NULL);
	}
	int64_t now = app_now();
	const char *reason = jstr(in, "reason");
	if (rule->needs_reason && (!reason || !*reason))
		field_error(fields, "reason", "required", "请填写原因");
	json_t *patch = json_object(), *data = json_object();
	json_object_set_new(patch, "state", json_string(wf_state_name(to)));
	json_object_set_new(patch, "updated_at", json_integer(now));
	if (reason)
		json_object_set_new(data, "reason", json_string(reason));
	json_t *loc = json_object_get(in, "location");
	check_location(loc, fields);
	if (json_is_object(loc))
		json_object_set(data, "location", loc);
	json_t *photos = json_object_get(in, "photos");
	if (json_is_array(photos)) {
		check_photos(r, photos, fields);
		json_object_set(data, "photos", photos);
	}
	int64_t target = 0;
	switch (action) {
	case WA_ACCEPT:
		if (jstr(in, "urgency")) {
			const char *u = jstr(in, "urgency");
			if (strcmp(u, "normal") && strcmp(u, "urgent"))
				field_error(fields, "urgency", "invalid", "紧急程度应为 normal 或 urgent");
			json_object_set_new(patch, "urgency", json_string(u));
		}
		break;
	case WA_MERGE: {
		target = jint(in, "merge_into", 0);
		json_t *t = target ? store_problem_get(target) : NULL;
		if (!target)
			field_error(fields, "merge_into", "required", "请指定合并到的问题");
		else if (!t || !problem_visible(r, t))
			field_error(fields, "merge_into", "not_found", "目标问题不存在");
		else if (target == id || wf_is_final(wf_state_parse(jstr(t, "state"))))
			field_error(fields, "merge_into", "invalid", "不能合并到自身或已结束的问题");
		json_decref(t);
		json_object_set_new(patch, "merged_into", json_integer(target));
		json_object_set_new(data, "merge_into", json_integer(target));
		break;
	}
	case WA_DISPATCH: {
		int64_t h = jint(in, "handler_org_id", 0);
		json_t *cat = store_category_get(jint(p, "category_id", 0));
		if (!h)
			h = jint(cat, "default_handler_org_id", 0);
		json_t *ho = h ? store_org_get(h) : NULL;
		if (!h)
			field_error(fields, "handler_org_id", "required", "请指定处置单位");
		else if (!ho)
			field_error(fields, "handler_org_id", "not_found", "处置单位不存在");
		else if (strcmp(jstr(ho, "kind") ? jstr(ho, "kind") : "", "unit"))	/* only units sign and rectify */
			field_error(fields, "handler_org_id", "bad_kind", "只能派遣给处置单位（单位）：居委、小区和街道不能签收整改");
		json_decref(ho);
		int urgent = !strcmp(jstr(p, "urgency") ? jstr(p, "urgency") : "", "urgent") &&
			     jint(cat, "urgent_amount", 0) > 0;
		char unit_buf[16];
		snprintf(unit_buf, sizeof unit_buf, "%s",
			 jstr(cat, urgent ? "urgent_unit" : "deadline_unit") ? jstr(cat, urgent ? "urgent_unit" : "deadline_unit")
									       : "cal_hours");
		const char *unit = unit_buf;
		int amount = (int)jint(cat, urgent ? "urgent_amount" : "deadline_amount", 72);
		int64_t dl;
		if (jstr(in, "deadline")) {
			if (time_parse(jstr(in, "deadline"), 0, &dl) || dl <= now)
				field_error(fields, "deadline", "invalid", "截止时间应为将来的 RFC 3339 时间");
			unit = "override";
		} else
			dl = calendar_deadline(now, unit ? unit : "cal_hours", amount);
		json_decref(cat);
		json_object_set_new(patch, "handler_org_id", json_integer(h));
		json_object_set_new(patch, "dispatched_at", json_integer(now));
		json_object_set_new(patch, "deadline", json_integer(dl));
		json_object_set_new(patch, "deadline_unit", json_string(unit ? unit : "cal_hours"));
		json_object_set_new(patch, "reminded_at", json_null());
		json_object_set_new(patch, "escalated_at", json_null());
		json_object_set_new(patch, "ext_requested", json_null());
		json_object_set_new(data, "handler_org_id", json_integer(h));
		json_object_set_new(data, "deadline", json_integer(dl));
		break;
	}
	case WA_RETURN:
		json_object_set_new(data, "handler_org_id", json_integer(jint(p, "handler_org_id", 0)));
		json_object_set_new(patch, "handler_org_id", json_null());
		json_object_set_new(patch, "deadline", json_null());
		json_object_set_new(patch, "ext_requested", json_null());
		break;
	case WA_REQUEST_EXTENSION: {
		int64_t want;
		if (json_is_integer(json_object_get(p, "ext_requested"))) {
			json_decref(patch);
			json_decref(data);
			json_decref(fields);
			st = illegal(r, p, "已有待审批的延期申请");
			json_decref(p);
			return st;
		}
		if (!jstr(in, "deadline"))
			field_error(fields, "deadline", "required", "请填写申请延期到的时间");
		else if (time_parse(jstr(in, "deadline"), 0, &want) || want <= jint(p, "deadline", 0) || want <= now)
			field_error(fields, "deadline", "invalid", "延期时间应晚于当前截止时间");
		else {
			json_object_set_new(patch, "ext_requested", json_integer(want));
			json_object_set_new(data, "deadline", json_integer(want));
		}
		break;
	}
	case WA_APPROVE_EXTENSION:
	case WA_DENY_EXTENSION:
		if (!json_is_integer(json_object_get(p, "ext_requested"))) {
			json_decref(patch);
			json_decref(data);
			json_decref(fields);
			st = illegal(r, p, "没有待审批的延期申请");
			json_decref(p);
			return st;
		}
		if (action == WA_APPROVE_EXTENSION) {
			json_object_set(patch, "deadline", json_object_get(p, "ext_requested"));
			json_object_set_new(patch, "reminded_at", json_null());
			json_object_set_new(patch, "escalated_at", json_null());
			json_object_set(data, "deadline", json_object_get(p, "ext_requested"));
		}
		json_object_set_new(patch, "ext_requested", json_null());
		break;
	case WA_RECTIFY:
		if (!json_is_array(photos) || json_array_size(photos) == 0)
			field_error(fields, "photos", "required", "请上传整改后的照片");
		if (!json_array_size(fields))
			check_rectify_location(p, loc, fields);
		json_object_set_new(patch, "rectified_at", json_integer(now));
		json_object_set_new(patch, "rectifier_id", json_integer(r->account_id));
		break;
	case WA_VERIFY_PASS:
	case WA_VERIFY_FAIL:
		/* 防止"纸面销号": the reviewer must not be the rectifier. */
		if (jint(p, "rectifier_id", 0) == r->account_id) {
			json_decref(patch);
			json_decref(data);
			json_decref(fields);
			json_decref(p);
			return reply_error(r, 403, "self_review", "核查人不能是整改人", NULL);
		}
		if (action == WA_VERIFY_PASS) {
			json_object_set_new(patch, "closed_at", json_integer(now));
			json_object_set_new(patch, "closed_by", json_integer(r->account_id));
		} else
			json_object_set_new(patch, "rework_count", json_integer(jint(p, "rework_count", 0) + 1));
		break;
	default:
		break;
	}
	if (json_array_size(fields)) {
		json_decref(patch);
		json_decref(data);
		json_decref(p);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc;
	int64_t ev = 0;
	if (action == WA_REOPEN) {
		/* 回潮: the path a failed revisit takes too (revisits.c). */
		struct reopen ro = {.actor = r->account_id, .action = rule->name, .note = jstr(in, "note"), .data = data,
				    .photos = photos, .relapse = 1, .title = "问题回潮，已重新打开"};
		rc = problem_reopen(p, &ro);
	} else {
		rc = store_problem_update(id, patch);
		if (!rc) {
			json_t *e = json_pack("{s:I, s:I, s:s, s:s, s:s, s:O, s:O}", "at", (json_int_t)now, "actor_id",
					      (json_int_t)r->account_id, "action", rule->name, "from_state",
					      wf_state_name(from), "to_state", wf_state_name(to), "note",
					      jhas(in, "note") ? json_object_get(in, "note") : json_null(), "data", data);
			rc = store_problem_event_add(id, e, &ev);
			json_decref(e);
		}
		if (!rc && json_is_array(photos))
			rc = attach_photos(id, photos, ev, action == WA_RECTIFY ? "after" : "before");
	}
	json_decref(patch);
	if (!rc && action == WA_VERIFY_PASS)
		rc = revisits_schedule(id, now);	/* 回头看 at +7 and +30 days */
	if (!rc && action == WA_VERIFY_PASS)
		rc = bank_award_tip(id, now);	/* 啄木鸟 points for a citizen's tip (bank.c) */
	if (!rc && action == WA_MERGE) {
		json_t *e = json_pack("{s:I, s:I, s:s, s:{s:I}}", "at", (json_int_t)now, "actor_id",
				      (json_int_t)r->account_id, "action", "merged_from", "data", "problem_id",
				      (json_int_t)id);
		rc = store_problem_event_add(target, e, NULL);
		json_decref(e);
		if (!rc)
			rc = merge_followers(p, target, now);
	}
	json_decref(data);
	json_t *after = rc ? NULL : store_problem_get(id);
	if (!rc) {
		int64_t org = jint(after, "org_id", 0), handler = jint(after, "handler_org_id", 0);
		switch (action) {
		case WA_DISPATCH: rc = notify("handler", handler, "dispatched", after, "新的整改任务"); break;
		case WA_VERIFY_FAIL: rc = notify("handler", handler, "rework", after, "核查未通过，请返工"); break;
		case WA_APPROVE_EXTENSION: rc = notify("handler", handler, "extension", after, "延期申请已批准"); break;
		case WA_DENY_EXTENSION: rc = notify("handler", handler, "extension", after, "延期申请未批准"); break;
		case WA_RECTIFY: rc = notify("committee", org, "rectified", after, "问题已整改，待核查"); break;
		case WA_VERIFY_PASS:
			/* The citizen loop: the reporter is asked to rate the result. */
			if (jint(after, "reporter_id", 0) && jint(after, "reporter_id", 0) != r->account_id) {
				json_t *n = json_pack("{s:s, s:I, s:s, s:O, s:I}", "kind", "closed", "problem_id",
						      (json_int_t)id, "title", "您上报的问题已办结，请评价", "body",
						      json_object_get(after, "code"), "created_at", (json_int_t)now);
				rc = store_notify_account(jint(after, "reporter_id", 0), n);
				json_decref(n);
			}
			break;
		case WA_RETURN: rc = notify("committee", org, "returned", after, "处置单位退单，请重新派遣"); break;
		case WA_REQUEST_EXTENSION: rc = notify("committee", org, "extension", after, "处置单位申请延期"); break;
		default: break;
		}
	}
	if (!rc)
		rc = audit(r, rule->name, "problem", id, json_pack("{s:s}", "state", wf_state_name(from)),
			   json_pack("{s:s}", "state", wf_state_name(to)));
	json_decref(p);
	if (rc) {
		json_decref(after);
		return reply_store_error(r, rc);
	}
	json_object_set_new(after, "allowed_actions", allowed_actions(r, after));
	problem_description_view(r, after);	/* open311_contact.c: as in the detail */
	return reply_json(r, 200, problem_view(after));
}
