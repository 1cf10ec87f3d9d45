/*
 * map.c — what the dashboard, the map page and the big screen (数据大屏)
 * read besides the KPIs: the located problems for the map, the feed of
 * recent events for the big screen, and the map's tile configuration.
 *
 * The map answers exactly the problems GET /api/v1/problems would list for
 * the same filters (problems_filter: the same scope rules), with only what a
 * marker needs: no description, reporter or handler. The feed is made for a
 * screen on the office wall: code, category, community, state and time of
 * each event, never a name, phone, note or description; it needs kpis.read
 * and covers the communities under the account's office/committee grants
 * and the problems dispatched to its handler units.
 */
#include "api.h"
#include "core/validate.h"
#include "core/workflow.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "minLng,minLat,maxLng,maxLat" in degrees, min <= max; 0 when valid. */
static int parse_bbox(const char *s, double out[4])
{
	char buf[160];
	if (!s || strlen(s) >= sizeof buf)
		return -1;
	snprintf(buf, sizeof buf, "%s", s);
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == 4 || coord_parse(t, n % 2 ? 90 : 180, &out[n]))
			return -1;
		n++;
	}
	/* strtok_r skips empty fields: "1,,2,3,4" must not pass as four. */
	int commas = 0;
	for (const char *c = s; *c; c++)
		commas += *c == ',';
	return n == 4 && commas == 3 && out[0] <= out[2] && out[1] <= out[3] ? 0 : -1;
}

int problems_map(struct req *r)
{
	json_t *fields = json_array();
	int limit = (int)q_int(r, "limit");	/* limit:int[1,5000]=2000 */
	double bbox[4];
	const char *b = q_text(r, "bbox");
	if (b && parse_bbox(b, bbox))
		field_error(fields, "bbox", "invalid", "应为 最小经度,最小纬度,最大经度,最大纬度");
	json_t *f = problems_filter(r, fields);	/* answers 422 for every field error so far */
	if (!f)
		return r->status;
	if (!q_has(r, "state")) {	/* the map shows open problems unless asked */
		json_t *arr = json_array();
		problems_open_states(arr);
		char *text = json_dumps(arr, JSON_COMPACT);
		json_object_set_new(f, "states", json_string(text));
		free(text);
		json_decref(arr);
	}
	json_t *rows = store_problem_map(f, b ? bbox : NULL, limit + 1);
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	int truncated = json_array_size(rows) > (size_t)limit;
	if (truncated)
		json_array_remove(rows, (size_t)limit);
	int64_t now = app_now();
	size_t i;
	json_t *p;
	json_array_foreach(rows, i, p) {
		json_t *dl = json_object_get(p, "deadline");
		int overdue = wf_clock_running(wf_state_parse(jstr(p, "state"))) && json_is_integer(dl) &&
			      json_integer_value(dl) < now;
		json_object_set_new(p, "overdue", json_boolean(overdue));
		json_object_del(p, "deadline");
	}
	return reply_json(r, 200, json_pack("{s:o, s:b}", "points", rows, "truncated", truncated));
}

int problems_feed(struct req *r)
{
	int limit = (int)q_int(r, "limit");	/* limit:int[1,100]=20 */
	int64_t org = q_int(r, "org_id");
	/* The scope comes from the grants, whatever the permission row says:
	 * office and committee see their subtrees' communities (admin all), a
	 * handler unit the problems dispatched to it. org_id narrows it. */
	json_t *op = grant_paths(r, R_OFFICE | R_COMMITTEE), *hp = grant_paths(r, R_HANDLER);
	char *ops = json_dumps(op, JSON_COMPACT), *hps = json_dumps(hp, JSON_COMPACT);
	json_t *filter = json_pack("{s:s, s:s}", "scope_org_paths", ops, "scope_handler_paths", hps);
	free(ops);
	free(hps);
	json_decref(op);
	json_decref(hp);
	if (org)
		json_object_set_new(filter, "org_id", json_integer(org));
	json_t *rows = store_problem_feed(filter, limit);
	json_decref(filter);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	static const char *const keys[] = {"at", NULL};
	size_t i;
	json_t *e;
	json_array_foreach(rows, i, e) render_times(e, keys);
	return reply_json(r, 200, json_pack("{s:o}", "items", rows));
}

int config_map(struct req *r)
{
	return reply_json(r, 200, json_pack("{s:o, s:o}", "tile_url",
					    app.tile_url[0] ? json_string(app.tile_url) : json_null(), "attribution",
					    app.tile_attribution[0] ? json_string(app.tile_attribution) : json_null()));
}
