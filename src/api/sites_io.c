/*
 * sites_io.c — sites in and out of Wenming: import from CSV or XLSX (the
 * export's columns; all or nothing, every row's errors in one answer), and
 * QR codes (core/qr.c) that open the site's page (#/sites/{id}) on a phone —
 * PNG, SVG and a printable A4 sheet (PDF) of the sites of a filter.
 */
#include "sites.h"
#include "core/validate.h"
#include "core/csv.h"
#include "core/qr.h"
#include "core/xlsx_read.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 5000
#define MAX_COLS 32

/* Import ------------------------------------------------------------------------- */

struct import {
	char header[MAX_COLS][32];
	size_t nh;
	json_t *rows;		/* [{"line", column → text}] */
	json_t *fields;
};

static int import_row(void *ctx, size_t line, const char *const *cells, size_t n)
{
	struct import *im = ctx;
	if (!im->nh) {
		if (n > MAX_COLS) {
			field_error(im->fields, "body", "invalid", "表头列数过多");
			return 1;
		}
		for (size_t i = 0; i < n; i++)
			snprintf(im->header[i], sizeof im->header[i], "%.31s", cells[i]);
		im->nh = n;
		return 0;
	}
	if (json_array_size(im->rows) >= MAX_ROWS) {
		field_error(im->fields, "body", "too_many_rows", "一次最多导入 5000 个点位");
		return 1;
	}
	json_t *o = json_pack("{s:I}", "line", (json_int_t)line);
	for (size_t i = 0; i < n && i < im->nh; i++) {
		if (!cells[i][0])
			continue;
		/* The API's text rule: no control characters or non-characters (U+FFFF). */
		if (!utf8_valid_text(cells[i], strlen(cells[i]))) {
			char name[96];
			snprintf(name, sizeof name, "row %zu.%s", line, im->header[i]);
			field_error(im->fields, name, "invalid_text", "含有不可用的字符");
			continue;
		}
		json_object_set_new(o, im->header[i], json_string(cells[i]));
	}
	json_array_append_new(im->rows, o);
	return 0;
}

/* An org named by id or by exact name (kind: any); 0 when none or ambiguous. */
static int64_t org_named(const char *id, const char *name)
{
	if (id && *id)
		return strtoll(id, NULL, 10);
	if (!name || !*name)
		return 0;
	json_t *f = json_pack("{s:s}", "q", name);
	json_t *list = store_org_list(f, NULL, 20);
	json_decref(f);
	int64_t found = 0;
	int count = 0;
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		if (jstr(o, "name") && !strcmp(jstr(o, "name"), name)) {
			found = jint(o, "id", 0);
			count++;
		}
	}
	json_decref(list);
	return count == 1 ? found : -1;
}

/* One import row as the body POST /api/v1/sites takes. */
static json_t *row_body(const json_t *row, char *bad, size_t badn)
{
	json_t *b = json_object();
	static const char *const texts[] = {"code", "name", "site_type", "responsible", "address"};
	for (int i = 0; i < 5; i++)
		if (jstr(row, texts[i]))
			json_object_set_new(b, texts[i], json_string(jstr(row, texts[i])));
	int64_t org = org_named(jstr(row, "org_id"), jstr(row, "org_name"));
	if (org)
		json_object_set_new(b, "org_id", json_integer(org > 0 ? org : 0));
	int64_t unit = org_named(jstr(row, "unit_org_id"), jstr(row, "unit_name"));
	if (unit)
		json_object_set_new(b, "unit_org_id", json_integer(unit > 0 ? unit : 0));
	const char *lat = jstr(row, "lat"), *lng = jstr(row, "lng");
	if (lat || lng) {
		char *e1 = NULL, *e2 = NULL;
		double a = lat ? strtod(lat, &e1) : 0, g = lng ? strtod(lng, &e2) : 0;
		if (!lat || !lng || *e1 || *e2)
			snprintf(bad, badn, "location");
		else
			json_object_set_new(b, "location", json_pack("{s:f, s:f}", "lat", a, "lng", g));
	}
	const char *act = jstr(row, "active");
	if (act)
		json_object_set_new(b, "active", json_boolean(!strcmp(act, "1") || !strcasecmp(act, "true") || !strcmp(act, "是")));
	return b;
}

int sites_import(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	int xlsx = ct && !strncasecmp(ct, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 65);
	int csv = ct && (!strncasecmp(ct, "text/csv", 8) || !strncasecmp(ct, "text/plain", 10));
	if (!xlsx && !csv)
		return reply_error(r, 415, "unsupported_media_type", "请上传 CSV（text/csv）或 Excel（.xlsx）文件", NULL);
	if (!r->body.len)
		return reply_error(r, 400, "empty_body", "文件是空的", NULL);
	struct import im = {.rows = json_array(), .fields = json_array()};
	char err[256] = "";
	int rc = xlsx ? xlsx_read_rows(r->body.data, r->body.len, import_row, &im, err, sizeof err)
		      : csv_read_rows(r->body.data, r->body.len, import_row, &im, err, sizeof err);
	if (rc < 0 || (!rc && !im.nh)) {
		json_decref(im.rows);
		json_decref(im.fields);
		return reply_error(r, 400, "unreadable", *err ? err : "文件没有表头", NULL);
	}
	int created = 0, updated = 0;
	size_t i;
	json_t *row;
	json_array_foreach(im.rows, i, row) {
		if (rc)
			break;
		char prefix[40], bad[16] = "";
		snprintf(prefix, sizeof prefix, "row %lld.", (long long)jint(row, "line", 0));
		json_t *body = row_body(row, bad, sizeof bad);
		json_t *sub = json_array();
		if (*bad)
			field_error(sub, bad, "invalid", "经纬度应为数字");
		/* Which site: by id, by code, or a new one. */
		int64_t id = jstr(row, "id") ? strtoll(jstr(row, "id"), NULL, 10) : 0;
		json_t *existing = id ? store_site_get(id) : jstr(row, "code") ? store_site_by_code(jstr(row, "code")) : NULL;
		if ((id && !existing) || (existing && !site_visible(r, existing)))	/* invisible = missing */
			field_error(sub, "id", "not_found", "点位不存在");
		else if (existing && !scope_covers(r, jint(existing, "org_id", 0)))
			field_error(sub, "id", "forbidden_scope", "只能修改本辖区的点位");
		if (!existing) {
			if (!jstr(body, "name"))
				field_error(sub, "name", "required", "请填写名称");
			if (!jstr(body, "site_type"))
				field_error(sub, "site_type", "required", "请填写点位类型编码（如 S01）");
			if (!json_object_get(body, "org_id"))
				field_error(sub, "org_id", "required", "请填写责任社区（org_id 或 org_name）");
		}
		json_t *srow = check_site(r, body, existing ? jint(existing, "id", 0) : 0, sub);
		if (json_array_size(sub)) {
			size_t k;
			json_t *e;
			json_array_foreach(sub, k, e) {
				char name[96];
				snprintf(name, sizeof name, "%s%s", prefix, jstr(e, "field"));
				field_error(im.fields, name, jstr(e, "code"), jstr(e, "message"));
			}
		} else if (existing) {
			json_object_set_new(srow, "updated_at", json_integer(app_now()));
			rc = store_site_update(jint(existing, "id", 0), srow);
			updated++;
		} else {
			json_object_set_new(srow, "created_at", json_integer(app_now()));
			rc = store_site_create(srow, NULL);
			created++;
		}
		json_decref(existing);
		json_decref(srow);
		json_decref(sub);
		json_decref(body);
	}
	json_decref(im.rows);
	if (!rc && json_array_size(im.fields))
		return reply_fields(r, im.fields);
	json_decref(im.fields);
	if (!rc)
		rc = audit(r, "import", "site", 0, NULL, json_pack("{s:i, s:i, s:s}", "created", created, "updated", updated,
								  "format", xlsx ? "xlsx" : "csv"));
	if (rc)
		return reply_store_error(r, rc == STORE_ECONFLICT ? STORE_EIO : rc);
	return reply_json(r, 200, json_pack("{s:i, s:i}", "created", created, "updated", updated));
}

/* QR codes ------------------------------------------------------------------------ */

/* The URL a site's code holds: the public base of links.c, never the Host. */
static void site_url(struct req *r, int64_t id, char *out, size_t n)
{
	char base[200];
	link_base(r, base, sizeof base);
	snprintf(out, n, "%s/#/sites/%lld", base, (long long)id);
}

static json_t *visible_site(struct req *r, int *status)
{
	json_t *s = store_site_get(req_id(r, 0));
	if (!s || !site_visible(r, s)) {
		json_decref(s);
		*status = reply_error(r, 404, "not_found", "点位不存在或无权查看", NULL);
		return NULL;
	}
	return s;
}

static int qr_reply(struct req *r, int svg)
{
	int st;
	json_t *s = visible_site(r, &st);
	if (!s)
		return st;
	int px = (int)q_int(r, "px");	/* px:int[1,32]=8 (QR_MAX_MODULE_PX) */
	char url[512];
	site_url(r, jint(s, "id", 0), url, sizeof url);
	json_decref(s);
	buf_t b;
	buf_init(&b, 4 * 1024 * 1024);
	int rc = svg ? qr_svg(url, &b) : qr_png(url, px, &b);
	if (rc) {
		buf_free(&b);
		return reply_error(r, 500, "qr_failed", "无法生成二维码", NULL);
	}
	reply_header(r, "Cache-Control", "private, max-age=3600");
	reply_raw(r, 200, svg ? "image/svg+xml" : "image/png", b.data, b.len, 0);
	buf_free(&b);
	return 200;
}

int sites_qr_png(struct req *r)
{
	return qr_reply(r, 0);
}

int sites_qr_svg(struct req *r)
{
	return qr_reply(r, 1);
}

/* A4 sheet of the codes of every site of the filter (list order). */
int sites_qr_sheet(struct req *r)
{
	json_t *f = site_filter(r, json_array());
	if (!f)
		return r->status;
	json_t *all = json_array();
	int64_t after = 0;
	for (;;) {
		json_t *items = store_site_list(f, after, 200);
		if (!items)
			break;
		size_t n = json_array_size(items);
		if (n)
			after = jint(json_array_get(items, n - 1), "id", after);
		json_array_extend(all, items);
		json_decref(items);
		if (n < 200 || json_array_size(all) >= QR_SHEET_MAX)
			break;
	}
	json_decref(f);
	size_t n = json_array_size(all);
	if (!n) {
		json_decref(all);
		return reply_error(r, 404, "no_sites", "没有符合条件的点位", NULL);
	}
	if (n > QR_SHEET_MAX)
		n = QR_SHEET_MAX;
	struct qr_label *labels = calloc(n, sizeof *labels);
	char (*urls)[256] = calloc(n, sizeof *urls);
	char (*subs)[320] = calloc(n, sizeof *subs);
	if (!labels || !urls || !subs) {
		free(labels);
		free(urls);
		free(subs);
		json_decref(all);
		return reply_error(r, 500, "no_memory", "内存不足", NULL);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(all, i);
		site_url(r, jint(s, "id", 0), urls[i], sizeof urls[i]);
		snprintf(subs[i], sizeof subs[i], "%s%s%s", jstr(s, "code") ? jstr(s, "code") : "",
			 jstr(s, "code") ? " · " : "", jstr(s, "address") ? jstr(s, "address") : jstr(s, "org_name"));
		labels[i] = (struct qr_label){urls[i], jstr(s, "name"), subs[i]};
	}
	buf_t b;
	buf_init(&b, 256 * 1024 * 1024);
	int rc = qr_sheet_pdf(labels, n, &b);
	free(labels);
	free(urls);
	free(subs);
	json_decref(all);
	if (rc) {
		buf_free(&b);
		return reply_error(r, 500, "pdf_failed", "无法生成二维码页", NULL);
	}
	reply_header(r, "Content-Disposition", "inline; filename=\"site-qr-codes.pdf\"");
	reply_raw(r, 200, "application/pdf", b.data, b.len, 0);
	buf_free(&b);
	return 200;
}
