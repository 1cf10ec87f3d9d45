/*
 * sites.c — the registry of sites (点位, SPEC §4): type, responsible
 * community, 包保单位, responsible person, address and GPS; scoped CRUD, lists
 * with filters and CSV export. Who sees a site: grants of office, committee,
 * inspector, volunteer and resident over its community (admin everywhere),
 * and handler grants over its 包保单位. Writing needs sites.write over the
 * site's community (and over the new one when it moves).
 */
#include "sites.h"
#include "core/csv.h"
#include "core/timefmt.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const time_keys[] = {"created_at", "updated_at", "last_inspected_at", NULL};

char *scope_paths(struct req *r, unsigned wanted)
{
	json_t *p = grant_paths(r, wanted);
	char *s = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	return s;
}

int site_visible(struct req *r, const json_t *s)
{
	return grants_cover(r, SITE_VIEW_ROLES, jstr(s, "org_path")) || grants_cover(r, R_HANDLER, jstr(s, "unit_path"));
}

void site_scope(struct req *r, json_t *f)
{
	char *a = scope_paths(r, SITE_VIEW_ROLES), *b = scope_paths(r, R_HANDLER);
	json_object_set_new(f, "scope_org_paths", json_string(a ? a : "[]"));
	json_object_set_new(f, "scope_unit_paths", json_string(b ? b : "[]"));
	free(a);
	free(b);
}

json_t *site_view(json_t *s)
{
	render_location(s);
	render_times(s, time_keys);
	json_object_del(s, "org_path");
	json_object_del(s, "unit_path");
	char url[64];
	snprintf(url, sizeof url, "/#/sites/%lld", (long long)jint(s, "id", 0));
	json_object_set_new(s, "page", json_string(url));
	return s;
}

void check_latlng(const json_t *loc, const char *field, json_t *fields)
{
	if (!loc || json_is_null(loc))
		return;
	json_t *lat = json_object_get(loc, "lat"), *lng = json_object_get(loc, "lng");
	if (!json_is_object(loc) || json_object_size(loc) != 2 || !json_is_number(lat) || !json_is_number(lng) ||
	    fabs(json_number_value(lat)) > 90 || fabs(json_number_value(lng)) > 180)
		field_error(fields, field, "invalid", "位置应为 {\"lat\":纬度,\"lng\":经度}");
}

/* Days --------------------------------------------------------------------------- */

int ymd_of(int64_t t)
{
	int y;
	unsigned m, d;
	int64_t local = t + 8 * 3600;
	civil_from_days(local >= 0 ? local / 86400 : (local - 86399) / 86400, &y, &m, &d);
	return y * 10000 + (int)m * 100 + (int)d;
}

int64_t ymd_start(int ymd)
{
	return days_from_civil(ymd / 10000, (unsigned)(ymd / 100 % 100), (unsigned)(ymd % 100)) * 86400 - 8 * 3600;
}

int ymd_add(int ymd, int n)
{
	return ymd_of(ymd_start(ymd) + (int64_t)n * 86400 + 3600);
}

int ymd_parse(const char *s)
{
	int y, m, d;
	char tail;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' || s[7] != '-')
		return 0;
	if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	int v = y * 10000 + m * 100 + d;
	return ymd_of(ymd_start(v) + 3600) == v ? v : 0;	/* rejects 02-30 */
}

void ymd_format(int ymd, char *out, size_t n)
{
	snprintf(out, n, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* Sites --------------------------------------------------------------------------- */

static const struct fspec site_spec[] = {
	{"code", F_STR, F_NULL, 1, 32},
	{"name", F_STR, F_REQ, 1, 100},
	{"site_type", F_STR, F_REQ, 1, 16},
	{"org_id", F_INT, F_REQ, 1, INT64_MAX},
	{"unit_org_id", F_INT, F_NULL, 1, INT64_MAX},
	{"responsible", F_STR, F_NULL, 0, 100},
	{"address", F_STR, F_NULL, 0, 200},
	{"location", F_OBJ, F_NULL, 0, 0},
	{"active", F_BOOL, 0, 0, 0},
	{NULL, 0, 0, 0, 0},
};

/* Checks a site body (create, or a patch when `patch`) beyond types and
 * turns it into a store row. Scope: the community must be within the
 * account's sites.write grants. */
json_t *check_site(struct req *r, const json_t *in, int64_t self_id, json_t *fields)
{
	json_t *row = json_object();
	const char *code = jstr(in, "code");
	if (code) {
		json_t *other = store_site_by_code(code);
		if (other && jint(other, "id", 0) != self_id)
			field_error(fields, "code", "taken", "点位编号已被使用");
		json_decref(other);
		json_object_set_new(row, "code", json_string(code));
	} else if (jhas(in, "code") && json_is_null(json_object_get(in, "code")))
		json_object_set_new(row, "code", json_null());
	if (jstr(in, "name"))
		json_object_set_new(row, "name", json_string(jstr(in, "name")));
	if (jstr(in, "site_type")) {
		json_t *t = store_site_type_by_code(jstr(in, "site_type"));
		if (!t || !jbool(t, "active", 1))
			field_error(fields, "site_type", "not_found", "没有这个点位类型");
		else
			json_object_set(row, "site_type_id", json_object_get(t, "id"));
		json_decref(t);
	}
	if (json_is_integer(json_object_get(in, "org_id"))) {
		int64_t org_id = jint(in, "org_id", 0);
		json_t *org = store_org_get(org_id);
		if (!org)
			field_error(fields, "org_id", "not_found", "组织不存在");
		else if (!word_in_list("street community compound", jstr(org, "kind")))
			field_error(fields, "org_id", "bad_kind", "责任社区应为街道、社区（居委）或小区");
		else if (!scope_covers(r, org_id))
			field_error(fields, "org_id", "forbidden_scope", "只能登记本辖区的点位");
		json_decref(org);
		json_object_set_new(row, "org_id", json_integer(org_id));
	}
	json_t *unit = json_object_get(in, "unit_org_id");
	if (json_is_integer(unit)) {
		json_t *u = store_org_get(json_integer_value(unit));
		if (!u)
			field_error(fields, "unit_org_id", "not_found", "包保单位不存在");
		json_decref(u);
		json_object_set(row, "unit_org_id", unit);
	} else if (json_is_null(unit))
		json_object_set_new(row, "unit_org_id", json_null());
	static const char *const texts[] = {"responsible", "address"};
	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(in, texts[i]);
		if (json_is_string(v) || json_is_null(v))
			json_object_set(row, texts[i], v);
	}
	json_t *loc = json_object_get(in, "location");
	check_latlng(loc, "location", fields);
	if (json_is_object(loc)) {
		json_object_set(row, "lat", json_object_get(loc, "lat"));
		json_object_set(row, "lng", json_object_get(loc, "lng"));
	} else if (json_is_null(loc)) {
		json_object_set_new(row, "lat", json_null());
		json_object_set_new(row, "lng", json_null());
	}
	if (json_is_boolean(json_object_get(in, "active")))
		json_object_set_new(row, "active", json_integer(jbool(in, "active", 1)));
	return row;
}

/* Visible, or a site of the inspected org of a round pair the account
 * inspects for (?pair_id=, rounds.c). */
static int pair_site(struct req *r, const json_t *s)
{
	char *path = q_has(r, "pair_id") ? round_pair_inspected_path(r, q_int(r, "pair_id")) : NULL;
	int ok = path && jstr(s, "org_path") && !strncmp(jstr(s, "org_path"), path, strlen(path));
	free(path);
	return ok;
}

static json_t *load_visible(struct req *r, int64_t id, int *status)
{
	json_t *s = store_site_get(id);
	if (!s || !(site_visible(r, s) || pair_site(r, s))) {
		json_decref(s);
		*status = reply_error(r, 404, "not_found", "点位不存在或无权查看", NULL);
		return NULL;
	}
	return s;
}

int sites_create(struct req *r)
{
	json_t *fields = body_fields(r, site_spec);
	if (!fields)
		return r->status;
	json_t *row = check_site(r, r->json, 0, fields);
	if (json_array_size(fields)) {
		json_decref(row);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	json_object_set_new(row, "created_at", json_integer(app_now()));
	int64_t id = 0;
	int rc = store_site_create(row, &id);
	if (!rc)
		rc = audit(r, "create", "site", id, NULL, json_incref(r->json));
	json_decref(row);
	if (rc)
		return reply_store_error(r, rc);
	return reply_json(r, 201, site_view(store_site_get(id)));
}

int sites_get(struct req *r)
{
	int st;
	json_t *s = load_visible(r, req_id(r, 0), &st);
	if (!s)
		return st;
	json_t *t = store_checklist_version(jint(s, "site_type_id", 0), 0);
	json_object_set_new(s, "checklist_version", json_integer(jint(t, "version", 0)));
	json_decref(t);
	json_object_set_new(s, "can_edit", json_boolean(grants_cover(r, R_OFFICE | R_COMMITTEE, jstr(s, "org_path"))));
	return reply_json(r, 200, site_view(s));
}

int sites_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"code", F_STR, F_NULL, 1, 32},
		{"name", F_STR, 0, 1, 100},
		{"site_type", F_STR, 0, 1, 16},
		{"org_id", F_INT, 0, 1, INT64_MAX},
		{"unit_org_id", F_INT, F_NULL, 1, INT64_MAX},
		{"responsible", F_STR, F_NULL, 0, 100},
		{"address", F_STR, F_NULL, 0, 200},
		{"location", F_OBJ, F_NULL, 0, 0},
		{"active", F_BOOL, 0, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	int64_t id = req_id(r, 0);
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	json_t *before = store_site_get(id);
	/* Outside the caller's scope reads as missing (404), even when the
	 * site is visible to it: one answer for every out-of-scope object. */
	if (!before || !site_visible(r, before) || !scope_covers(r, jint(before, "org_id", 0))) {
		json_decref(before);
		json_decref(fields);
		return reply_error(r, 404, "not_found", "点位不存在或无权查看", NULL);
	}
	json_t *row = check_site(r, r->json, id, fields);
	if (json_array_size(fields)) {
		json_decref(row);
		json_decref(before);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	json_object_set_new(row, "updated_at", json_integer(app_now()));
	int rc = store_site_update(id, row);
	json_decref(row);
	if (!rc)
		rc = audit(r, "update", "site", id, site_view(before), json_incref(r->json));
	else
		json_decref(before);
	if (rc)
		return reply_store_error(r, rc);
	return reply_json(r, 200, site_view(store_site_get(id)));
}

/* The filters of the list and the export; NULL after answering 422. */
json_t *site_filter(struct req *r, json_t *fields)
{
	json_t *f = json_object();
	site_scope(r, f);
	if (q_has(r, "pair_id")) {
		/* 咬尾巴: the inspected org's sites, for the pair's inspecting org only. */
		char *path = round_pair_inspected_path(r, q_int(r, "pair_id"));
		json_t *one = path ? json_pack("[s]", path) : json_array();
		char *text = json_dumps(one, JSON_COMPACT);
		json_object_set_new(f, "scope_org_paths", json_string(text ? text : "[]"));
		json_object_set_new(f, "scope_unit_paths", json_string("[]"));
		free(text);
		json_decref(one);
		free(path);
	}
	if (q_has(r, "type")) {
		json_t *t = store_site_type_by_code(q_text(r, "type"));
		if (!t)
			field_error(fields, "type", "not_found", "没有这个点位类型");
		else
			json_object_set(f, "site_type_id", json_object_get(t, "id"));
		json_decref(t);
	}
	if (q_has(r, "org_id")) {
		char *p = store_org_path(q_int(r, "org_id"));
		json_object_set_new(f, "under_path", json_string(p ? p : "/none/"));
		free(p);
	}
	if (q_has(r, "unit_org_id"))
		json_object_set_new(f, "unit_org_id", json_integer(q_int(r, "unit_org_id")));
	int active = q_bool(r, "active", 1);	/* active:bool(all): -1 for all */
	if (active >= 0)
		json_object_set_new(f, "active", json_integer(active));
	if (q_has(r, "q"))
		json_object_set_new(f, "q", json_string(q_text(r, "q")));
	if (json_array_size(fields)) {
		json_decref(f);
		reply_fields(r, fields);
		return NULL;
	}
	json_decref(fields);
	return f;
}

int sites_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *f = site_filter(r, json_array());
	if (!f)
		return r->status;
	json_t *items = store_site_list(f, q_int(r, "cursor"), limit);
	json_decref(f);
	size_t i;
	json_t *s;
	json_array_foreach(items, i, s) json_decref(site_view(json_incref(s)));
	return list_reply(r, items, limit, "id");
}

static const char *const csv_cols[] = {"id", "code", "name", "site_type", "org_id", "org_name", "unit_org_id",
				       "unit_name", "responsible", "address", "lat", "lng", "active"};
#define NCSV (sizeof csv_cols / sizeof *csv_cols)

int sites_export(struct req *r)
{
	json_t *f = site_filter(r, json_array());
	if (!f)
		return r->status;
	buf_t b;
	buf_init(&b, 32 * 1024 * 1024);
	buf_puts(&b, "\xEF\xBB\xBF");
	for (size_t c = 0; c < NCSV; c++)
		csv_cell(&b, csv_cols[c], c + 1 == NCSV);
	int64_t after = 0;
	for (;;) {
		json_t *items = store_site_list(f, after, 200);
		if (!items) {
			buf_free(&b);
			json_decref(f);
			return reply_store_error(r, STORE_EIO);
		}
		size_t i;
		json_t *s;
		json_array_foreach(items, i, s) {
			for (size_t c = 0; c < NCSV; c++) {
				json_t *v = json_object_get(s, csv_cols[c]);
				char num[64] = "";
				const char *out = NULL;
				if (json_is_string(v))
					out = json_string_value(v);
				else if (json_is_integer(v))
					snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)), out = num;
				else if (json_is_real(v))
					snprintf(num, sizeof num, "%.6f", json_real_value(v)), out = num;
				else if (json_is_boolean(v))
					out = json_is_true(v) ? "1" : "0";
				csv_cell(&b, out, c + 1 == NCSV);
			}
			after = jint(s, "id", after);
		}
		size_t n = json_array_size(items);
		json_decref(items);
		if (n < 200)
			break;
	}
	json_decref(f);
	reply_header(r, "Content-Disposition", "attachment; filename=\"sites.csv\"");
	reply_raw(r, 200, "text/csv; charset=utf-8", b.data, b.len, 0);
	buf_free(&b);
	return 200;
}
