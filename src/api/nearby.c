/*
 * nearby.c — likely duplicates (SPEC §3 "Duplicates"): when a problem is
 * reported, open problems of the same category within a radius (setting
 * duplicate_radius_m, default 50 m) are offered so that the reporter can join
 * an existing one instead of reporting it again.
 *
 * GET  /api/v1/problems/nearby       the candidates near a point (public fields only)
 * POST /api/v1/problems/{id}/join    become a co-reporter (follower) of an open problem
 * GET/PUT /api/v1/settings/duplicates  the radius
 * POST /api/v1/problems answers "possible_duplicates" (duplicates_for).
 *
 * The candidates are shown to any reporter although the problems are not
 * theirs, so only public fields leave here: no reporter identity, no photos,
 * no history, and the description with phone and ID numbers masked
 * (core/mask_text.c, as Open311 publishes it). A problem outside the
 * caller's scope (problem_visible) also has its point rounded to ~100 m and
 * its distance to 10 m. A co-reporter gets exactly this public view of the
 * problem it joined (in its GET /api/v1/problems, problem_public), never the
 * detail, photos or notice: following is no access right, so existing
 * followers are re-evaluated at every read.
 */
#include "api.h"
#include "core/mask_text.h"
#include "core/validate.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RADIUS_DEFAULT 50
#define RADIUS_MAX 500
#define NEARBY_LIMIT 20

static const char *const public_time_keys[] = {"created_at", NULL};

/* The radius setting in metres (1..RADIUS_MAX, default 50). */
int duplicate_radius(void)
{
	char *v = store_setting_get("duplicate_radius_m");
	long n = v ? strtol(v, NULL, 10) : RADIUS_DEFAULT;
	free(v);
	return n >= 1 && n <= RADIUS_MAX ? (int)n : RADIUS_DEFAULT;
}

static int state_open(const char *state)
{
	return state && strcmp(state, "closed") && strcmp(state, "rejected") && strcmp(state, "merged");
}

/* The description with phone and ID numbers masked, in place. */
static void mask_description(json_t *row)
{
	const char *d = jstr(row, "description");
	char *m = d ? strdup(d) : NULL;
	if (!m)
		return;
	mask_text_numbers(m, strlen(m));
	json_object_set_new(row, "description", json_string(m));
	free(m);
}

/* The point rounded to three decimals (~100 m), as Open311 publishes it. */
static void coarse_point(json_t *row)
{
	static const char *const keys[] = {"lat", "lng"};
	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(row, keys[i]);
		if (json_is_number(v))
			json_object_set_new(row, keys[i], json_real(round(json_number_value(v) * 1000) / 1000));
	}
}

/* Public fields of a row the account may not see in full: masked text,
 * coarse point; the scope inputs never leave. Renders in place. */
static void public_fields(struct req *r, json_t *row)
{
	int in_scope = problem_visible(r, row);
	mask_description(row);
	if (!in_scope) {
		coarse_point(row);
		json_t *d = json_object_get(row, "distance_m");
		if (json_is_number(d))	/* 0.1 m would give the exact point away by trilateration */
			json_object_set_new(row, "distance_m", json_real(fmax(10, round(json_number_value(d) / 10) * 10)));
	}
	json_object_del(row, "reporter_id");
	json_object_del(row, "org_path");
	json_object_del(row, "handler_path");
	render_location(row);
	render_times(row, public_time_keys);
}

static json_t *render_items(struct req *r, json_t *items)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) public_fields(r, it);
	return items;
}

json_t *problem_public(struct req *r, json_t *p)
{
	static const char *const keys[] = {"id", "code", "state", "category", "category_name", "description",
					   "lat", "lng", "created_at", "reporter_id", "org_path", "handler_path"};
	json_t *out = json_object();
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (json_object_get(p, keys[i]))
			json_object_set(out, keys[i], json_object_get(p, keys[i]));
	json_decref(p);
	public_fields(r, out);
	json_object_set_new(out, "following", json_true());
	return out;
}

json_t *duplicates_for(struct req *r, const json_t *p)
{
	json_t *lat = json_object_get(p, "lat"), *lng = json_object_get(p, "lng");
	if (!json_is_number(lat) || !json_is_number(lng))
		return json_array();
	json_t *items = store_problems_nearby(jint(p, "category_id", 0), json_number_value(lat), json_number_value(lng),
					      duplicate_radius(), jint(p, "id", 0), NEARBY_LIMIT);
	return items ? render_items(r, items) : json_array();
}

int problems_nearby(struct req *r)
{
	json_t *fields = json_array();
	const char *code = q_text(r, "category");
	json_t *cat = code ? store_category_by_code(code) : NULL;
	if (!code)
		field_error(fields, "category", "required", "请指定问题类别");
	else if (!cat)
		field_error(fields, "category", "not_found", "没有这个问题类别");
	/* lat:num[-90,90] lng:num[-180,180] are checked by the dispatcher;
	 * that they are required is this route's own rule. */
	if (!q_has(r, "lat"))
		field_error(fields, "lat", "required", "请提供纬度");
	if (!q_has(r, "lng"))
		field_error(fields, "lng", "required", "请提供经度");
	double lat = q_num(r, "lat"), lng = q_num(r, "lng");
	int radius = q_has(r, "radius") ? (int)q_int(r, "radius") : duplicate_radius();
	if (json_array_size(fields)) {
		json_decref(cat);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int64_t cat_id = jint(cat, "id", 0);
	json_decref(cat);
	json_t *items = store_problems_nearby(cat_id, lat, lng, radius, 0, NEARBY_LIMIT);
	if (!items)
		return reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, json_pack("{s:o, s:i}", "items", render_items(r, items), "radius_m", radius));
}

int problems_join(struct req *r)
{
	int64_t id = req_id(r, 0);
	json_t *p = store_problem_get(id);
	/* Joinable = what the nearby list can offer: problems with a location.
	 * Others answer 404 like problems one may not see. */
	if (!p || !json_is_number(json_object_get(p, "lat")) || !json_is_number(json_object_get(p, "lng"))) {
		json_decref(p);
		return reply_error(r, 404, "not_found", "问题不存在或无权查看", NULL);
	}
	if (!state_open(jstr(p, "state"))) {
		json_t *e = json_pack("{s:{s:s, s:s, s:O}}", "error", "code", "not_open", "message",
				      "该问题已结束（已销号、不予立案或已合并），不能加入", "state", json_object_get(p, "state"));
		json_decref(p);
		return reply_json(r, 409, e);
	}
	int64_t now = app_now();
	int added = 0, rc = STORE_OK;
	if (jint(p, "reporter_id", -1) != r->account_id) {
		rc = store_problem_follow(id, r->account_id, now);
		added = rc == 1;
		rc = rc < 0 ? rc : STORE_OK;
	}
	int64_t count = rc ? 0 : store_problem_reporter_count(id);
	if (count < 0)
		rc = (int)count;
	if (!rc && added) {
		json_t *e = json_pack("{s:I, s:I, s:s, s:O, s:O, s:{s:I}}", "at", (json_int_t)now, "actor_id",
				      (json_int_t)r->account_id, "action", "join", "from_state", json_object_get(p, "state"),
				      "to_state", json_object_get(p, "state"), "data", "reporter_count", (json_int_t)count);
		rc = store_problem_event_add(id, e, NULL);
		json_decref(e);
	}
	if (!rc && added)
		rc = audit(r, "join", "problem", id, NULL,
			   json_pack("{s:O, s:I}", "code", json_object_get(p, "code"), "reporter_count", (json_int_t)count));
	if (rc) {
		json_decref(p);
		return reply_store_error(r, rc);
	}
	json_t *out = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:I, s:b}", "id",
				json_object_get(p, "id"), "code", json_object_get(p, "code"), "state",
				json_object_get(p, "state"), "category", json_object_get(p, "category"), "category_name",
				json_object_get(p, "category_name"), "description", json_object_get(p, "description"),
				"lat", json_object_get(p, "lat"), "lng", json_object_get(p, "lng"), "created_at",
				json_object_get(p, "created_at"), "reporter_count", (json_int_t)count, "already_joined",
				!added);
	if (out) {
		json_object_set(out, "reporter_id", json_object_get(p, "reporter_id"));
		json_object_set(out, "org_path", json_object_get(p, "org_path"));
		json_object_set(out, "handler_path", json_object_get(p, "handler_path"));
	}
	json_decref(p);
	if (!out)
		return reply_store_error(r, STORE_EIO);
	public_fields(r, out);
	return reply_json(r, 200, out);
}

void follower_view(struct req *r, json_t *p)
{
	/* A resident who sees its own report sees the whole history, but not
	 * who else joined it: co-reporters' identities are for staff only. */
	if (grants_cover(r, R_OFFICE | R_COMMITTEE | R_INSPECTOR, jstr(p, "org_path")) ||
	    grants_cover(r, R_HANDLER, jstr(p, "handler_path")))
		return;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(p, "events"), i, e) {
		const char *a = jstr(e, "action");
		if (jint(e, "actor_id", 0) == r->account_id || !a || strcmp(a, "join"))
			continue;
		json_object_set_new(e, "actor_id", json_null());
		json_object_set_new(e, "actor_login", json_null());
		json_object_set_new(e, "actor_name", json_null());
	}
}

int settings_duplicates_get(struct req *r)
{
	return reply_json(r, 200, json_pack("{s:i, s:i, s:i}", "radius_m", duplicate_radius(), "default_radius_m",
					    RADIUS_DEFAULT, "max_radius_m", RADIUS_MAX));
}

int settings_duplicates_put(struct req *r)
{
	static const struct fspec spec[] = {{"radius_m", F_INT, F_REQ, 1, RADIUS_MAX}, {NULL, 0, 0, 0, 0}};
	int st = body_check(r, spec);
	if (st)
		return st;
	int before = duplicate_radius();
	int radius = (int)jint(r->json, "radius_m", RADIUS_DEFAULT);
	char buf[16];
	snprintf(buf, sizeof buf, "%d", radius);
	int rc = store_setting_set("duplicate_radius_m", buf);
	if (!rc)
		rc = audit(r, "update", "setting", 0, json_pack("{s:i}", "duplicate_radius_m", before),
			   json_pack("{s:i}", "duplicate_radius_m", radius));
	if (rc)
		return reply_store_error(r, rc);
	return settings_duplicates_get(r);
}
