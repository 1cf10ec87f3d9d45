/*
 * categories.c — the two-level problem catalogue (大类 › 小类), shipped from
 * data/categories.csv (compiled in; loaded into an empty database), edited
 * by staff in the UI or as CSV (export, then import the edited file: rows
 * are matched by their stable code, all or nothing).
 */
#include "api.h"
#include "core/csv.h"
#include "core/validate.h"
#include "http/assets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const units = "cal_hours work_hours work_days";
static const char *const csv_cols[] = {"code", "parent_code", "name", "name_en", "deadline_amount", "deadline_unit",
				       "urgent_amount", "urgent_unit", "default_handler", "record_only",
				       "closing_conditions", "active"};
#define NCOLS 12

static int code_ok(const char *c)
{
	size_t n = strlen(c);
	if (n < 1 || n > 16)
		return 0;
	for (; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return 0;
	return 1;
}

/* Validates one category given as strings/ints (from JSON or a CSV row) and
 * turns it into a store row. prefix names the fields ("" or "row 3."). */
static json_t *check_category(const json_t *in, json_t *fields, const char *prefix, int lenient)
{
	char f[96];
	json_t *row = json_object();
#define FE(name, code, msg) (snprintf(f, sizeof f, "%.24s%s", prefix, name), field_error(fields, f, code, msg))
	const char *code = jstr(in, "code");
	if (!code || !code_ok(code))
		FE("code", "invalid", "编码为 1–16 个字母、数字、- 或 _");
	else
		json_object_set_new(row, "code", json_string(code));
	const char *name = jstr(in, "name");
	if (!name || !*name || strlen(name) > 200)
		FE("name", "invalid", "请填写名称（不超过 200 字节）");
	else
		json_object_set_new(row, "name", json_string(name));
	if (jstr(in, "name_en"))
		json_object_set_new(row, "name_en", json_string(jstr(in, "name_en")));
	const char *pc = jstr(in, "parent_code");
	if (pc && *pc) {
		json_t *p = store_category_by_code(pc);
		if (!p || json_is_integer(json_object_get(p, "parent_id")) || (code && !strcmp(pc, code)))
			FE("parent_code", "invalid", "上级类别不存在或不是大类（只有两级）");
		else
			json_object_set(row, "parent_id", json_object_get(p, "id"));
		json_decref(p);
	} else
		json_object_set_new(row, "parent_id", json_null());
	int64_t amount = jint(in, "deadline_amount", -1);
	if (amount < 0 || amount > 10000)
		FE("deadline_amount", "invalid", "期限应为 0–10000 的整数");
	else
		json_object_set_new(row, "deadline_amount", json_integer(amount));
	const char *unit = jstr(in, "deadline_unit");
	if (!unit || !word_in_list(units, unit))
		FE("deadline_unit", "invalid", "单位应为 cal_hours、work_hours 或 work_days");
	else
		json_object_set_new(row, "deadline_unit", json_string(unit));
	int64_t ua = jint(in, "urgent_amount", -1);
	const char *uu = jstr(in, "urgent_unit");
	if (ua >= 0 || (uu && *uu)) {
		if (ua < 1 || ua > 10000)
			FE("urgent_amount", "invalid", "紧急期限应为 1–10000 的整数");
		if (!uu || !word_in_list(units, uu))
			FE("urgent_unit", "invalid", "单位应为 cal_hours、work_hours 或 work_days");
		json_object_set_new(row, "urgent_amount", json_integer(ua));
		json_object_set_new(row, "urgent_unit", json_string(uu ? uu : ""));
	}
	const char *h = jstr(in, "default_handler");
	if (h && *h) {
		json_t *o = store_org_by_code(h);
		int64_t hid = jint(o, "id", 0);
		json_decref(o);
		if (!hid && !lenient)
			FE("default_handler", "not_found", "没有这个编码的处置单位");
		else if (!hid)
			json_object_set_new(row, "default_handler_org_id", json_null());
		else
			json_object_set_new(row, "default_handler_org_id", json_integer(hid));
	} else if (json_is_integer(json_object_get(in, "default_handler_org_id")))
		json_object_set(row, "default_handler_org_id", json_object_get(in, "default_handler_org_id"));
	json_object_set_new(row, "record_only", json_integer(jbool(in, "record_only", 0)));
	json_object_set_new(row, "active", json_integer(jbool(in, "active", 1)));
	if (jstr(in, "closing_conditions"))
		json_object_set_new(row, "closing_conditions", json_string(jstr(in, "closing_conditions")));
#undef FE
	return row;
}

struct csv_ctx {
	json_t *rows, *fields;
	char header[NCOLS + 4][32];
	size_t nh;
};

/* One CSV record: the first is the header, the others become JSON objects
 * keyed by it (strings; ints and booleans for those columns). */
static int csv_row(void *ctx, size_t line, const char *const *cells, size_t n)
{
	struct csv_ctx *c = ctx;
	if (!c->nh) {
		if (n > NCOLS + 4) {
			field_error(c->fields, "body", "invalid", "CSV 表头列数过多");
			return 1;
		}
		for (size_t i = 0; i < n; i++)
			snprintf(c->header[i], sizeof c->header[i], "%.31s", cells[i]);
		c->nh = n;
		return 0;
	}
	if (n != c->nh) {
		char f[32];
		snprintf(f, sizeof f, "row %zu", line);
		field_error(c->fields, f, "invalid", "列数与表头不一致");
		return 0;
	}
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		const char *h = c->header[i];
		if (!cells[i][0])
			continue;
		if (!strcmp(h, "deadline_amount") || !strcmp(h, "urgent_amount"))
			json_object_set_new(o, h, json_integer(strtoll(cells[i], NULL, 10)));
		else if (!strcmp(h, "record_only") || !strcmp(h, "active"))
			json_object_set_new(o, h, json_boolean(!strcmp(cells[i], "1") || !strcmp(cells[i], "true")));
		else
			json_object_set_new(o, h, json_string(cells[i]));
	}
	json_array_append_new(c->rows, o);
	return 0;
}

/* Parses CSV text (core/csv.c) into JSON objects keyed by the header; errors
 * go to fields (NULL back only when the text itself is not readable CSV). */
static json_t *csv_rows(const char *data, size_t len, json_t *fields)
{
	struct csv_ctx c = {.rows = json_array(), .fields = fields};
	char err[160];
	int rc = csv_read_rows(data, len, csv_row, &c, err, sizeof err);
	if (rc < 0)
		field_error(fields, "body", "invalid", err);
	else if (!rc && !c.nh)
		field_error(fields, "body", "invalid", "CSV 没有表头");
	/* A file that is not the exported catalogue (another CSV, JSON, a photo)
	 * must not "import 0 rows" with an audit entry: the header must be ours
	 * and at least one row must follow. */
	for (size_t i = 0; !rc && i < c.nh; i++) {
		size_t k = 0;
		while (k < NCOLS && strcmp(c.header[i], csv_cols[k]))
			k++;
		if (k == NCOLS) {
			char f[64];
			snprintf(f, sizeof f, "header.%.32s", c.header[i]);
			field_error(fields, f, "unknown_column", "不认识的列名（请使用导出的文件）");
		}
	}
	if (!rc && c.nh && !json_array_size(fields) && !json_array_size(c.rows))
		field_error(fields, "body", "empty", "CSV 中没有数据行");
	if (rc) {
		json_decref(c.rows);
		return NULL;
	}
	return c.rows;
}

/* Upserts rows (parents first); all-or-nothing is the caller's transaction. */
static int import_rows(json_t *rows, json_t *fields, int *count, int lenient)
{
	*count = 0;
	for (int pass = 0; pass < 2; pass++) {
		size_t i;
		json_t *in;
		json_array_foreach(rows, i, in) {
			int is_child = jstr(in, "parent_code") && *jstr(in, "parent_code");
			if (is_child != pass)
				continue;
			char prefix[32];
			snprintf(prefix, sizeof prefix, "row %zu.", i + 2);
			size_t before = json_array_size(fields);
			json_t *row = check_category(in, fields, prefix, lenient);
			if (json_array_size(fields) == before) {
				int rc = store_category_upsert(row, NULL);
				if (rc) {
					json_decref(row);
					return rc;
				}
				(*count)++;
			}
			json_decref(row);
		}
	}
	return STORE_OK;
}

/* The shipped catalogue. Default handler units are named by org code; codes
 * that do not exist (yet) leave the default empty, and a later call with
 * again = 1 (the demo, after building its orgs) fills them in. */
int categories_load_defaults(int again)
{
	if (!again && store_category_count() != 0)
		return 0;
	const struct asset *a = asset_find(data_files, "categories.csv");
	if (!a)
		return -1;
	json_t *fields = json_array();
	json_t *rows = csv_rows((const char *)a->data, a->len, fields);
	int n = 0, rc = store_begin();
	if (!rc && rows)
		rc = import_rows(rows, fields, &n, 1);
	if (rc || json_array_size(fields)) {
		char *s = json_dumps(fields, JSON_COMPACT);
		fprintf(stderr, "wenming: default categories did not load: %s\n", s ? s : "");
		free(s);
		store_rollback();
		rc = -1;
	} else
		rc = store_commit();
	json_decref(rows);
	json_decref(fields);
	return rc;
}

int categories_list(struct req *r)
{
	int include = q_bool(r, "all", 0) && has_role(r, R_ADMIN | R_OFFICE);
	json_t *items = store_category_list(include);
	if (!items)
		return reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

int categories_get(struct req *r)
{
	json_t *c = store_category_get(req_id(r, 0));
	return c ? reply_json(r, 200, c) : reply_error(r, 404, "not_found", "类别不存在", NULL);
}

static const struct fspec cat_spec[] = {
	{"code", F_STR, F_REQ, 1, 16},
	{"parent_code", F_STR, F_NULL, 0, 16},
	{"name", F_STR, F_REQ, 1, 100},
	{"name_en", F_STR, F_NULL, 0, 100},
	{"deadline_amount", F_INT, F_REQ, 0, 10000},
	{"deadline_unit", F_STR, F_REQ, 1, 16},
	{"urgent_amount", F_INT, F_NULL, 1, 10000},
	{"urgent_unit", F_STR, F_NULL, 1, 16},
	{"default_handler_org_id", F_INT, F_NULL, 1, INT64_MAX},
	{"record_only", F_BOOL, 0, 0, 0},
	{"closing_conditions", F_STR, F_NULL, 0, 500},
	{"active", F_BOOL, 0, 0, 0},
	{NULL, 0, 0, 0, 0},
};

int categories_create(struct req *r)
{
	json_t *fields = body_fields(r, cat_spec);
	if (!fields)
		return r->status;
	json_t *existing = jstr(r->json, "code") ? store_category_by_code(jstr(r->json, "code")) : NULL;
	if (existing)
		field_error(fields, "code", "duplicate", "编码已存在");
	json_decref(existing);
	json_t *row = json_array_size(fields) ? NULL : check_category(r->json, fields, "", 0);
	if (json_array_size(fields)) {
		json_decref(row);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int64_t id;
	int rc = store_category_upsert(row, &id);
	json_decref(row);
	if (rc)
		return reply_store_error(r, rc);
	json_t *c = store_category_get(id);
	audit(r, "create", "category", id, NULL, json_incref(c));
	return reply_json(r, 201, c);
}

int categories_update(struct req *r)
{
	json_t *before = store_category_get(req_id(r, 0));
	if (!before)
		return reply_error(r, 404, "not_found", "类别不存在", NULL);
	/* A patch: merge into the current values, then validate the whole. The
	 * table without "required" is a per-request copy (requests run in parallel). */
	struct fspec spec[sizeof cat_spec / sizeof *cat_spec];
	memcpy(spec, cat_spec, sizeof cat_spec);
	for (struct fspec *f = spec; f->name; f++)
		f->flags &= ~(unsigned)F_REQ;
	json_t *fields = body_fields(r, spec);
	if (!fields) {
		json_decref(before);
		return r->status;
	}
	if (jstr(r->json, "code") && strcmp(jstr(r->json, "code"), jstr(before, "code")))
		field_error(fields, "code", "immutable", "编码不能修改");
	json_t *merged = json_deep_copy(before);
	json_object_del(merged, "default_handler");
	json_object_update(merged, r->json);
	json_t *row = check_category(merged, fields, "", 0);
	json_decref(merged);
	if (json_array_size(fields)) {
		json_decref(row);
		json_decref(before);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int rc = store_category_upsert(row, NULL);
	json_decref(row);
	if (rc) {
		json_decref(before);
		return reply_store_error(r, rc);
	}
	json_t *after = store_category_get(req_id(r, 0));
	audit(r, "update", "category", req_id(r, 0), before, json_incref(after));
	return reply_json(r, 200, after);
}

int categories_export(struct req *r)
{
	json_t *items = store_category_list(1);
	if (!items)
		return reply_store_error(r, STORE_EIO);
	buf_t b;
	buf_init(&b, 8u << 20);
	buf_puts(&b, "\xEF\xBB\xBF");
	for (int c = 0; c < NCOLS; c++)
		csv_cell(&b, csv_cols[c], c == NCOLS - 1);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		for (int c = 0; c < NCOLS; c++) {
			json_t *v = json_object_get(it, csv_cols[c]);
			char num[24];
			const char *s = json_string_value(v);
			if (json_is_integer(v)) {
				snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
				s = num;
			} else if (json_is_boolean(v))
				s = json_is_true(v) ? "1" : "0";
			csv_cell(&b, s, c == NCOLS - 1);
		}
	}
	json_decref(items);
	reply_header(r, "Content-Disposition", "attachment; filename=\"categories.csv\"");
	reply_raw(r, 200, "text/csv; charset=utf-8", b.data, b.len, 0);
	buf_free(&b);
	return 200;
}

int categories_import(struct req *r)
{
	if (!utf8_valid_text(r->body.data ? r->body.data : "", r->body.len))
		return reply_error(r, 400, "bad_encoding", "文件应为 UTF-8 编码的 CSV", NULL);
	json_t *fields = json_array();
	json_t *rows = csv_rows(r->body.data ? r->body.data : "", r->body.len, fields);
	int n = 0;
	int rc = rows && !json_array_size(fields) ? import_rows(rows, fields, &n, 0) : 0;
	json_decref(rows);
	if (rc) {
		json_decref(fields);
		return reply_store_error(r, rc);
	}
	if (json_array_size(fields))
		return reply_error(r, 422, "validation_failed", "导入失败：有错误的行，没有导入任何数据", fields);
	json_decref(fields);
	audit(r, "import", "category", 0, NULL, json_pack("{s:i}", "rows", n));
	return reply_json(r, 200, json_pack("{s:i}", "imported", n));
}
