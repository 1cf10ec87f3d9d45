/*
 * checklists.c — site types and their versioned checklists (测评指标). The
 * default types and items ship as data/site_types.csv and
 * data/checklist_items.csv (compiled in; loaded into a database without site
 * types, like the problem categories). Editing a checklist (PUT) inserts a
 * new version with all its items; versions are never changed (a trigger
 * refuses it), so past inspections keep the items they were scored against.
 */
#include "sites.h"
#include "core/scoring.h"
#include "http/assets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cl_time_keys[] = {"created_at", NULL};

/* One shipped CSV line into cells (the shipped files have no quoted cells);
 * returns the number of cells. Modifies line. */
static int split(char *line, char **cells, int max)
{
	size_t len = strlen(line);
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		line[--len] = 0;
	/* strsep keeps empty cells, which strtok would drop. */
	char *p = line;
	int n = 0;
	while (p && n < max)
		cells[n++] = strsep(&p, ",");
	return n;
}

/* Runs fn on each data line of a shipped CSV asset (header skipped). */
static int each_line(const char *name, int (*fn)(char **cells, int n, void *ctx), void *ctx)
{
	const struct asset *a = asset_find(data_files, name);
	if (!a)
		return -1;
	char *text = strndup((const char *)a->data, a->len);
	if (!text)
		return -1;
	int rc = 0, first = 1;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save)) {
		if (first) {
			first = 0;
			continue;
		}
		char *cells[16];
		int n = split(line, cells, 16);
		if (n > 1)
			rc = fn(cells, n, ctx);
	}
	free(text);
	return rc;
}

static int load_type(char **c, int n, void *ctx)
{
	(void)ctx;
	if (n < 4)
		return -1;
	json_t *t = json_pack("{s:s, s:s, s:s, s:i}", "code", c[0], "name", c[1], "name_en", c[2], "optional", atoi(c[3]));
	int rc = store_site_type_upsert(t, NULL);
	json_decref(t);
	return rc;
}

struct load_items {
	char type[16];
	int64_t checklist;
	int seq;
};

static int load_item(char **c, int n, void *ctx)
{
	struct load_items *li = ctx;
	if (n < 6)
		return -1;
	if (strcmp(li->type, c[0])) {
		json_t *t = store_site_type_by_code(c[0]);
		int64_t tid = jint(t, "id", 0);
		json_decref(t);
		if (!tid || store_checklist_add(tid, "默认测评指标", 0, app_now(), &li->checklist, NULL))
			return -1;
		snprintf(li->type, sizeof li->type, "%s", c[0]);
		li->seq = 0;
	}
	json_t *it = json_pack("{s:i, s:s, s:f, s:s, s:i, s:s}", "seq", ++li->seq, "text", c[1], "weight", atof(c[2]),
			       "grading", c[3], "photo_required", atoi(c[4]), "category", c[5]);
	int rc = store_checklist_item_add(li->checklist, it);
	json_decref(it);
	return rc;
}

/* The count is read inside the write transaction: several servers starting
 * together on one empty PostgreSQL database load the defaults once (the
 * later ones find them), instead of all seeing none and all but one failing
 * on the unique site type codes. */
int site_types_load_defaults(void)
{
	struct load_items li = {{0}, 0, 0};
	int rc = store_begin();
	if (!rc && store_site_type_count() != 0)
		return store_commit() ? -1 : 0;
	if (!rc)
		rc = each_line("site_types.csv", load_type, NULL);
	if (!rc)
		rc = each_line("checklist_items.csv", load_item, &li);
	if (rc) {
		store_rollback();
		fprintf(stderr, "wenming: the default site types and checklists did not load\n");
		return -1;
	}
	return store_commit();
}

int site_types_list(struct req *r)
{
	json_t *items = store_site_types();
	if (!items)
		return reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

/* A checklist version with its items, for the client. */
static json_t *checklist_full(json_t *cl)
{
	json_object_set_new(cl, "items", store_checklist_items(jint(cl, "id", 0)));
	render_times(cl, cl_time_keys);
	return cl;
}

int checklist_get(struct req *r)
{
	int version = (int)q_int(r, "version");	/* 0 when absent: the current one */
	json_t *t = store_site_type_get(req_id(r, 0));
	if (!t)
		return reply_error(r, 404, "not_found", "点位类型不存在", NULL);
	json_decref(t);
	json_t *cl = store_checklist_version(req_id(r, 0), version);
	if (!cl)
		return reply_error(r, 404, "not_found", "没有这个版本的测评指标", NULL);
	return reply_json(r, 200, checklist_full(cl));
}

int checklist_versions(struct req *r)
{
	json_t *t = store_site_type_get(req_id(r, 0));
	if (!t)
		return reply_error(r, 404, "not_found", "点位类型不存在", NULL);
	json_decref(t);
	json_t *items = store_checklist_versions(req_id(r, 0));
	if (!items)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v) render_times(v, cl_time_keys);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

/* PUT: the whole new checklist; answers the new version with its items. */
int checklist_put(struct req *r)
{
	static const struct fspec spec[] = {
		{"note", F_STR, F_NULL, 0, 200},
		{"items", F_ARR, F_REQ, 1, 100},
		{NULL, 0, 0, 0, 0},
	};
	static const struct fspec item_spec[] = {
		{"text", F_STR, F_REQ, 1, 200},
		{"weight", F_NUM, 0, 0, 100},
		{"grading", F_STR, 0, 1, 16},
		{"photo_required", F_BOOL, 0, 0, 0},
		{"category", F_STR, F_NULL, 1, 16},
		{NULL, 0, 0, 0, 0},
	};
	int64_t type_id = req_id(r, 0);
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	json_t *t = store_site_type_get(type_id);
	if (!t) {
		json_decref(fields);
		return reply_error(r, 404, "not_found", "点位类型不存在", NULL);
	}
	json_t *items = json_object_get(r->json, "items");
	json_t *rows = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		char prefix[32];
		snprintf(prefix, sizeof prefix, "items[%zu].", i);
		json_t *sub = json_array();
		json_check(it, item_spec, sub);
		const char *grading = jstr(it, "grading") ? jstr(it, "grading") : "pass_fail";
		if (!word_in_list("pass_fail abc", grading))
			field_error(sub, "grading", "invalid", "评分方式应为 pass_fail 或 abc");
		json_t *w = json_object_get(it, "weight");
		if (json_is_number(w) && !(json_number_value(w) > 0))
			field_error(sub, "weight", "invalid", "权重应大于 0");
		const char *cat = jstr(it, "category");
		if (cat) {
			json_t *c = store_category_by_code(cat);
			if (!c || !jbool(c, "active", 1))
				field_error(sub, "category", "not_found", "没有这个问题类别");
			json_decref(c);
		}
		size_t k;
		json_t *e;
		json_array_foreach(sub, k, e) {
			char name[96];
			snprintf(name, sizeof name, "%s%s", prefix, jstr(e, "field") ? jstr(e, "field") : "");
			field_error(fields, name, jstr(e, "code"), jstr(e, "message"));
		}
		json_decref(sub);
		json_array_append_new(rows, json_pack("{s:i, s:s?, s:f, s:s, s:i, s:s?}", "seq", (int)i + 1, "text",
						      jstr(it, "text"), "weight", json_is_number(w) ? json_number_value(w) : 1.0,
						      "grading", grading, "photo_required", jbool(it, "photo_required", 0),
						      "category", cat));
	}
	if (json_array_size(fields)) {
		json_decref(t);
		json_decref(rows);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int64_t cl_id = 0;
	int version = 0;
	int rc = store_checklist_add(type_id, jstr(r->json, "note"), r->account_id, app_now(), &cl_id, &version);
	json_array_foreach(rows, i, it) {
		if (!rc)
			rc = store_checklist_item_add(cl_id, it);
	}
	json_decref(rows);
	if (!rc)
		rc = audit(r, "new_version", "checklist", cl_id, NULL,
			   json_pack("{s:O, s:i, s:I}", "site_type", json_object_get(t, "code"), "version", version,
				     "items", (json_int_t)json_array_size(items)));
	json_decref(t);
	if (rc)
		return reply_store_error(r, rc);
	return reply_json(r, 200, checklist_full(store_checklist_get(cl_id)));
}
