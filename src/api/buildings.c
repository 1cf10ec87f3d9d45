/*
 * buildings.c — building representatives (楼组长 / 楼代表) and the building
 * page (docs/PARTY.md "buildings"). A building is an orgs row of kind
 * building; its reps are people (party members or not) with the floors or
 * households they cover, their group channel (a name only) and duties.
 * A problem belongs to a building when its org lies in the building's
 * subtree (reported on the building itself); a person lives there when
 * people.org_id is the building.
 */
#include "buildings.h"
#include "core/timefmt.h"
#include "core/visit_due.h"
#include "store/buildings.h"
#include <stdlib.h>
#include <string.h>

json_t *building_load(struct req *r, int64_t id, int *st)
{
	json_t *b = store_building_get(id);
	if (b && !scope_covers(r, id)) {
		json_decref(b);
		b = NULL;
	}
	if (!b)
		*st = reply_error(r, 404, "not_found", "楼栋不存在", NULL);
	return b;
}

int64_t building_today(char *out, size_t n)
{
	int64_t d = china_day(app_now());
	day_to_ymd(d, out, n);
	return d;
}

void check_date_field(struct req *r, json_t *fields, const char *key)
{
	const char *s = jstr(r->json, key);
	int64_t d;
	if (s && ymd_to_day(s, &d))
		field_error(fields, key, "invalid", "日期应为 YYYY-MM-DD");
}

json_t *masked_name(const char *name)
{
	if (!name || !*name)
		return json_string("");
	size_t first = 1;
	while (name[first] && (name[first] & 0xC0) == 0x80)
		first++;
	char out[64];
	size_t n = first < 8 ? first : 8;
	memcpy(out, name, n);
	size_t rest = 0;
	for (const char *p = name + first; *p; p++)
		if ((*p & 0xC0) != 0x80)
			rest++;
	if (rest < 1)
		rest = 1;
	for (size_t i = 0; i < rest && n < sizeof out - 1; i++)
		out[n++] = '*';
	out[n] = 0;
	return json_string(out);
}

/* A rep row for the wire: times rendered, "active" from the clock. */
static json_t *rep_view(json_t *rep, const char *today)
{
	static const char *const t[] = {"created_at", "updated_at", NULL};
	render_times(rep, t);
	const char *until = jstr(rep, "until");
	json_object_set_new(rep, "active", json_boolean(!until || strcmp(until, today) >= 0));
	return rep;
}

int buildings_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	char today[16], *under = NULL;
	building_today(today, sizeof today);
	if (q_has(r, "compound_id")) {
		json_t *c = store_org_get(q_int(r, "compound_id"));
		/* A missing compound filters to nothing rather than everything. */
		under = strdup(c && jstr(c, "path") ? jstr(c, "path") : "/none/");
		json_decref(c);
	}
	json_t *f = scope_filter(r, json_object());
	json_t *rows = store_building_list(f, under, today, q_int(r, "cursor"), limit);
	json_decref(f);
	free(under);
	size_t i;
	json_t *b;
	json_array_foreach(rows, i, b) {
		json_object_del(b, "path");
		json_object_set_new(b, "covered", json_boolean(jint(b, "reps", 0) > 0));
	}
	return list_reply(r, rows, limit, "id");
}

/* The page's blocks beside the building itself. */
static void page_figures(struct req *r, json_t *page, const json_t *b)
{
	int64_t id = jint(b, "id", 0);
	json_t *states = json_array();
	problems_open_states(states);
	json_t *probs = store_building_problems(jstr(b, "path"), states, 20);
	static const char *const t[] = {"created_at", NULL};
	size_t i;
	json_t *x;
	json_array_foreach(probs, i, x) render_times(x, t);
	json_object_set_new(page, "problems",
			    json_pack("{s:I, s:o}", "open", (json_int_t)store_building_problem_count(jstr(b, "path"), states),
				      "items", probs ? probs : json_array()));
	json_decref(states);
	json_t *vols = store_building_volunteers(id), *names = json_array();
	json_array_foreach(vols, i, x) json_array_append_new(names, masked_name(jstr(x, "name")));
	json_object_set_new(page, "volunteers", json_pack("{s:I, s:o}", "count", (json_int_t)json_array_size(names),
							  "names", names));
	json_decref(vols);
	json_t *notices = store_building_notices(id, 0, 10), *rosters = store_rosters(id, 0, 10);
	static const char *const nt[] = {"created_at", NULL};
	char today[16];
	building_today(today, sizeof today);
	json_array_foreach(notices, i, x) render_times(x, nt);
	json_array_foreach(rosters, i, x) {
		render_times(x, nt);
		const char *c = jstr(x, "closes_on");
		json_object_set_new(x, "open", json_boolean(c && strcmp(c, today) >= 0));
	}
	json_object_set_new(page, "notices", notices ? notices : json_array());
	json_object_set_new(page, "rosters", rosters ? rosters : json_array());
	json_object_set_new(page, "accounts", json_integer(store_building_accounts(id)));
	(void)r;
}

int buildings_get(struct req *r)
{
	int st = 0;
	json_t *b = building_load(r, req_id(r, 0), &st);
	if (!b)
		return st;
	char today[16];
	building_today(today, sizeof today);
	int64_t comm = store_community_of(jint(b, "id", 0));
	json_t *c = comm ? store_org_get(comm) : NULL;
	json_t *page = json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)jint(b, "id", 0), "name", jstr(b, "name"),
				 "compound_id", (json_int_t)jint(b, "compound_id", 0), "compound_name",
				 jstr(b, "compound_name") ? jstr(b, "compound_name") : "");
	json_object_set_new(page, "community", c ? json_pack("{s:I, s:s}", "id", (json_int_t)comm, "name", jstr(c, "name"))
						 : json_null());
	json_decref(c);
	json_t *reps = store_building_reps(jint(b, "id", 0));
	size_t i;
	json_t *x;
	json_array_foreach(reps, i, x) rep_view(x, today);
	json_object_set_new(page, "reps", reps ? reps : json_array());
	page_figures(r, page, b);
	json_decref(b);
	return reply_json(r, 200, page);
}

int building_reps_list(struct req *r)
{
	int st = 0;
	json_t *b = building_load(r, req_id(r, 0), &st);
	if (!b)
		return st;
	char today[16];
	building_today(today, sizeof today);
	json_t *reps = store_building_reps(jint(b, "id", 0));
	json_decref(b);
	size_t i;
	json_t *x;
	json_array_foreach(reps, i, x) rep_view(x, today);
	return reps ? reply_json(r, 200, json_pack("{s:o}", "items", reps)) : reply_store_error(r, STORE_EIO);
}

#define REP_SPEC(REQ)                                         \
	{"person_id", F_INT, REQ, 1, INT64_MAX},              \
	{"coverage", F_STR, F_NULL, 0, 100},                  \
	{"channel", F_STR, F_NULL, 0, 60},                    \
	{"duties", F_STR, F_NULL, 0, 500},                    \
	{"since", F_STR, F_NULL, 10, 10},                     \
	{"until", F_STR, F_NULL, 10, 10},                     \
	{NULL, 0, 0, 0, 0}

/* Dates valid and in order; since/until of the row before when not given. */
static void check_rep_dates(struct req *r, json_t *fields, const json_t *before)
{
	check_date_field(r, fields, "since");
	check_date_field(r, fields, "until");
	const char *s = jhas(r->json, "since") ? jstr(r->json, "since") : before ? jstr(before, "since") : NULL;
	const char *u = jhas(r->json, "until") ? jstr(r->json, "until") : before ? jstr(before, "until") : NULL;
	if (s && u && strlen(s) == 10 && strlen(u) == 10 && strcmp(s, u) > 0)
		field_error(fields, "until", "invalid", "结束日期不能早于开始日期");
}

int building_reps_create(struct req *r)
{
	static const struct fspec spec[] = {REP_SPEC(F_REQ)};
	int st = 0;
	int64_t bid = req_id(r, 0);
	json_t *b = building_load(r, bid, &st);
	if (!b)
		return st;
	json_decref(b);
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	check_rep_dates(r, fields, NULL);
	/* The rep lives in (or at least belongs to) the building's community. */
	int64_t pid = jint(r->json, "person_id", 0);
	json_t *p = pid ? store_person_get(pid) : NULL;
	if (pid && (!p || store_community_of(jint(p, "org_id", 0)) != store_community_of(bid)))
		field_error(fields, "person_id", "not_found", "人员不存在或不属于本社区");
	json_decref(p);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	json_t *row = json_deep_copy(r->json);
	json_object_set_new(row, "building_id", json_integer(bid));
	int64_t id = 0;
	int rc = store_building_rep_create(row, app_now(), &id);
	json_decref(row);
	if (rc == STORE_ECONFLICT)
		return reply_error(r, 409, "conflict", "此人已是本楼楼组长", NULL);
	if (rc)
		return reply_store_error(r, rc);
	char today[16];
	building_today(today, sizeof today);
	json_t *out = rep_view(store_building_rep_get(id), today);
	audit(r, "create", "building_rep", id, NULL, json_incref(out));
	return reply_json(r, 201, out);
}

/* The rep row, if its building is in scope; else 404. */
static json_t *rep_load(struct req *r, int64_t id, int *st)
{
	json_t *rep = store_building_rep_get(id);
	if (rep && !scope_covers(r, jint(rep, "building_id", 0))) {
		json_decref(rep);
		rep = NULL;
	}
	if (!rep)
		*st = reply_error(r, 404, "not_found", "楼组长不存在", NULL);
	return rep;
}

int building_reps_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"coverage", F_STR, F_NULL, 0, 100}, {"channel", F_STR, F_NULL, 0, 60}, {"duties", F_STR, F_NULL, 0, 500},
		{"since", F_STR, F_NULL, 10, 10},    {"until", F_STR, F_NULL, 10, 10},  {NULL, 0, 0, 0, 0}};
	int st = 0;
	int64_t id = req_id(r, 0);
	json_t *before = rep_load(r, id, &st);
	if (!before)
		return st;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(before);
		return r->status;
	}
	check_rep_dates(r, fields, before);
	if (json_array_size(fields)) {
		json_decref(before);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc = store_building_rep_update(id, r->json, app_now());
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	char today[16];
	building_today(today, sizeof today);
	json_t *after = rep_view(store_building_rep_get(id), today);
	audit(r, "update", "building_rep", id, rep_view(before, today), json_incref(after));
	return reply_json(r, 200, after);
}

int building_reps_delete(struct req *r)
{
	int st = 0;
	int64_t id = req_id(r, 0);
	json_t *before = rep_load(r, id, &st);
	if (!before)
		return st;
	int rc = store_building_rep_delete(id);
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	audit(r, "delete", "building_rep", id, before, NULL);
	return reply_empty(r, 204);
}
