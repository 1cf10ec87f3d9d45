/*
 * volunteer_files.c — what the volunteer module hands out as files: the
 * secret iCalendar feed per volunteer (RFC 5545 through core/ical.c), the
 * post's QR code that opens the check-in page, the per-person certificate
 * (志愿服务证明, PDF through core/certificate.c), the per-org hours ledger
 * (xlsx, libxlsxwriter as in ledger.c) and the bulk import of volunteers
 * from CSV or XLSX (core/csv.c, core/xlsx_read.c).
 *
 * Calendar feed: GET /api/v1/calendar-feed/<token>.ics is public; the token
 * (192 random bits, base64url) is the secret, rotated by the volunteer with
 * POST /api/v1/volunteers/me/calendar-token (the old URL stops at once).
 * One event per sign-up: UID "signup-<id>@wenming" never changes, SEQUENCE is
 * the sign-up's plus the shift's change counter, a cancelled sign-up or shift
 * stays in the feed as STATUS:CANCELLED so subscribed calendars drop it.
 *
 * Import: the whole file is checked first; one row in error and nothing is
 * written (422 with the per-row report) unless ?valid_only=true, which
 * imports the valid rows and reports the others. Rows land approved (the
 * importing staff member is the approver) in ?org_id.
 */
#include "api.h"
#include "core/certificate.h"
#include "core/crypto.h"
#include "core/csv.h"
#include "core/ical.h"
#include "core/privacy.h"
#include "core/qr.h"
#include "core/signup.h"
#include "core/star.h"
#include "core/timefmt.h"
#include "core/validate.h"
#include "core/xlsx_read.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "volunteer_import.h"
#include "xlsx_out.h"

#define FEED_DAYS_BACK 90
#define FEED_MAX 1000

/* Calendar feed ---------------------------------------------------------------- */

/* DESCRIPTION: the activity's content (or the post's rules), then the hint
 * for the volunteer. malloc'd; NULL only when out of memory (left out). */
static char *feed_description(const char *content, int waiting)
{
	const char *hint = waiting ? "候补中：有人取消时按顺序递补，届时会通知您。" : "请提前 5 分钟到岗，扫描岗位二维码签到。";
	size_t n = (content ? strlen(content) : 0) + strlen(hint) + 4;
	char *d = malloc(n);
	if (d)
		snprintf(d, n, "%s%s%s", content && *content ? content : "", content && *content ? "\n\n" : "", hint);
	return d;
}

int calendar_feed(struct req *r)
{
	const char *rest = r->m.rest;
	char tok[64];
	size_t n = rest ? strlen(rest) : 0;
	if (n < 5 || n > 60 || strcmp(rest + n - 4, ".ics"))
		return reply_error(r, 404, "not_found", "日历不存在", NULL);
	snprintf(tok, sizeof tok, "%.*s", (int)(n - 4), rest);
	int64_t vid = store_volunteer_by_token(tok);
	if (vid <= 0)
		return reply_error(r, 404, "not_found", "日历不存在或链接已更换", NULL);
	json_t *rows = store_signups_for_feed(vid, app_now() - FEED_DAYS_BACK * 86400LL, FEED_MAX);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	size_t cnt = json_array_size(rows);
	struct ical_event *ev = calloc(cnt ? cnt : 1, sizeof *ev);
	char (*uids)[48] = calloc(cnt ? cnt : 1, sizeof *uids);
	char (*sums)[256] = calloc(cnt ? cnt : 1, sizeof *sums);
	char **descs = calloc(cnt ? cnt : 1, sizeof *descs);
	if (!ev || !uids || !sums || !descs) {
		free(ev);
		free(uids);
		free(sums);
		free(descs);
		json_decref(rows);
		return reply_error(r, 500, "out_of_memory", "内存不足", NULL);
	}
	for (size_t i = 0; i < cnt; i++) {
		json_t *g = json_array_get(rows, i);
		snprintf(uids[i], sizeof uids[i], "signup-%lld@wenming", (long long)jint(g, "id", 0));
		int waiting = !strcmp(jstr(g, "status"), "waitlisted");
		snprintf(sums[i], sizeof sums[i], "%s%s", waiting ? "（候补）" : "", jstr(g, "title") ? jstr(g, "title") : "志愿服务");
		ev[i] = (struct ical_event){
			.uid = uids[i],
			.sequence = (int)(jint(g, "sequence", 0) + jint(g, "shift_sequence", 0)),
			.start = jint(g, "start_at", 0),
			.end = jint(g, "end_at", 0),
			.stamp = jint(g, "updated_at", 0),
			.summary = sums[i],
			.location = jstr(g, "place"),
			.description = descs[i] = feed_description(jstr(g, "content"), waiting),
			.cancelled = !strcmp(jstr(g, "status"), "cancelled") || !strcmp(jstr(g, "shift_status"), "cancelled"),
		};
	}
	buf_t out;
	buf_init(&out, 8u << 20);
	int rc = ical_calendar("文明志愿服务", ev, cnt, &out);
	for (size_t i = 0; i < cnt; i++)
		free(descs[i]);
	free(descs);
	free(ev);
	free(uids);
	free(sums);
	json_decref(rows);
	if (rc) {
		buf_free(&out);
		return reply_error(r, 500, "ical_failed", "无法生成日历", NULL);
	}
	reply_header(r, "Cache-Control", "private, no-store");
	int st = reply_raw(r, 200, "text/calendar; charset=utf-8", out.data, out.len, 0);
	buf_free(&out);
	return st;
}

int calendar_token_rotate(struct req *r)
{
	int64_t vid = my_volunteer(r);
	if (!vid)
		return reply_error(r, 409, "not_volunteer", "请先注册成为志愿者", NULL);
	char tok[48];
	token_new(tok, sizeof tok, 24);
	json_t *patch = json_pack("{s:s}", "calendar_token", tok);
	int rc = store_volunteer_update(vid, patch);
	json_decref(patch);
	if (rc)
		return reply_store_error(r, rc);
	audit(r, "rotate_calendar_token", "volunteer", vid, NULL, NULL);
	char path[128];
	snprintf(path, sizeof path, "/api/v1/calendar-feed/%s.ics", tok);
	return reply_json(r, 200, json_pack("{s:s}", "calendar_path", path));
}

/* The post's QR code ------------------------------------------------------------- */

int posts_qr(struct req *r)
{
	const char *fmt = q_has(r, "format") ? q_text(r, "format") : "svg";	/* format:enum(svg,png) */
	int64_t id = req_id(r, 0);
	json_t *p = store_post_get(id);
	json_decref(p);
	if (!p)
		return reply_error(r, 404, "not_found", "岗位不存在", NULL);
	char base[300], url[400];
	link_base(r, base, sizeof base);
	snprintf(url, sizeof url, "%s/#/checkin/%lld", base, (long long)id);
	buf_t out;
	buf_init(&out, 4u << 20);
	int png = !strcmp(fmt, "png");
	int rc = png ? qr_png(url, 8, &out) : qr_svg(url, &out);
	if (rc) {
		buf_free(&out);
		return reply_error(r, 500, "qr_failed", "无法生成二维码", NULL);
	}
	reply_header(r, "X-Checkin-Url", url);
	int st = reply_raw(r, 200, png ? "image/png" : "image/svg+xml", out.data, out.len, 0);
	buf_free(&out);
	return st;
}

/* Certificate ---------------------------------------------------------------------- */

static int certificate(struct req *r, int64_t vid)
{
	json_t *v = store_volunteer_get(vid);
	/* Out of scope reads as missing (404): a 403 would disclose it. */
	if (v && r->route->perm != P_NONE && !scope_covers(r, jint(v, "org_id", 0))) {
		json_decref(v);
		v = NULL;
	}
	if (!v)
		return reply_error(r, 404, "not_found", "志愿者不存在", NULL);
	json_t *f = json_pack("{s:I, s:s}", "volunteer_id", (json_int_t)vid, "status", "approved");
	json_t *recs = store_record_list(f, 0, CERT_MAX_LINES);
	json_decref(f);
	size_t n = 0, cap = json_array_size(recs);
	struct cert_line *lines = calloc(cap ? cap : 1, sizeof *lines);
	/* Oldest first; superseded records are left out (their correction is listed). */
	for (size_t i = cap; lines && i-- > 0;) {
		json_t *x = json_array_get(recs, i);
		if (jint(x, "superseded_by", 0))
			continue;
		lines[n++] = (struct cert_line){jstr(x, "service_date"), jstr(x, "activity_name"), jstr(x, "place"),
						json_number_value(json_object_get(x, "hours"))};
	}
	double hours = store_volunteer_hours(vid);
	char serial[48];
	int64_t now = app_now();
	char day[16];
	cn_date(now, day, sizeof day);
	snprintf(serial, sizeof serial, "WM-V%06lld-%.4s%.2s%.2s", (long long)vid, day, day + 5, day + 8);
	const char *team = NULL;
	json_t *teams = json_object_get(v, "teams");
	if (json_array_size(teams))
		team = jstr(json_array_get(teams, 0), "name");
	struct cert_info ci = {
		.name = jstr(v, "name"),
		.id_masked = jstr(v, "id_masked"),
		.org = team ? team : jstr(v, "org_name"),
		.issuer = jstr(v, "org_name"),
		.serial = serial,
		.total_hours = hours,
		.stars = stars_for_hours(hours),
		.issued_at = now,
		.lines = lines,
		.n = n,
	};
	buf_t out;
	buf_init(&out, 32u << 20);
	int rc = lines ? certificate_pdf(&ci, &out) : -1;
	free(lines);
	json_decref(recs);
	json_decref(v);
	if (rc) {
		buf_free(&out);
		return reply_error(r, 500, "pdf_failed", "无法生成证明", NULL);
	}
	rc = audit(r, "certificate", "volunteer", vid, NULL, json_pack("{s:s}", "serial", serial));
	if (rc) {
		buf_free(&out);
		return reply_store_error(r, rc);
	}
	char cd[128];
	snprintf(cd, sizeof cd, "attachment; filename=\"certificate-%s.pdf\"", serial);
	reply_header(r, "Content-Disposition", cd);
	int st = reply_raw(r, 200, "application/pdf", out.data, out.len, 0);
	buf_free(&out);
	return st;
}

int volunteers_certificate(struct req *r)
{
	return certificate(r, req_id(r, 0));
}

int volunteers_me_certificate(struct req *r)
{
	int64_t vid = my_volunteer(r);
	return vid ? certificate(r, vid) : reply_error(r, 409, "not_volunteer", "请先注册成为志愿者", NULL);
}

/* Hours ledger (xlsx) ---------------------------------------------------------------- */

#define LEDGER_ROWS 100000

static const char *rec_status_zh(const char *s)
{
	return !s ? "" : !strcmp(s, "approved") ? "已审核" : !strcmp(s, "rejected") ? "未通过" : "待审核";
}

/* Adds an approved, current record's hours to its volunteer's total. */
static void add_total(json_t *totals, const json_t *x, double h)
{
	if (strcmp(jstr(x, "status"), "approved") || jint(x, "superseded_by", 0))
		return;
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)jint(x, "volunteer_id", 0));
	json_t *t = json_object_get(totals, key);
	if (!t) {
		t = json_pack("{s:s?, s:s?, s:f}", "name", jstr(x, "volunteer_name"), "org", jstr(x, "org_name"), "hours", 0.0);
		json_object_set_new(totals, key, t);
	}
	json_object_set_new(t, "hours", json_real(json_number_value(json_object_get(t, "hours")) + h));
}

/* Sheet 1: every record (志愿服务记录台账). Returns the approved hours per
 * volunteer: volunteer id → {"name","org","hours"}. */
static json_t *records_sheet(lxw_workbook *wb, lxw_format *head, const json_t *recs)
{
	static const char *const h1[] = {"序号", "姓名", "所属组织", "活动名称", "服务日期", "服务地点", "服务内容",
					 "服务时长（小时）", "组织单位", "负责人", "审核状态", "更正记录"};
	static const double w1[] = {6, 10, 16, 24, 12, 24, 30, 10, 18, 10, 10, 10};
	lxw_worksheet *ws = workbook_add_worksheet(wb, "志愿服务记录");
	for (int c = 0; c < 12; c++) {
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w1[c], NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)c, h1[c], head);
	}
	worksheet_freeze_panes(ws, 1, 0);
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, XLSX_DATE_FMT);
	json_t *totals = json_object();
	size_t i;
	json_t *x;
	json_array_foreach(recs, i, x) {
		lxw_row_t row = (lxw_row_t)(i + 1);
		worksheet_write_number(ws, row, 0, (double)(i + 1), NULL);
		const char *cells[] = {jstr(x, "volunteer_name"), jstr(x, "org_name"), jstr(x, "activity_name"),
				       jstr(x, "service_date"), jstr(x, "place"), jstr(x, "content")};
		for (int c = 0; c < 6; c++) {
			if (c == 3)	/* 服务日期: an Excel date */
				xlsx_date(ws, row, (lxw_col_t)(c + 1), cells[c], date);
			else
				xlsx_text(ws, row, (lxw_col_t)(c + 1), cells[c], NULL);
		}
		double h = json_number_value(json_object_get(x, "hours"));
		worksheet_write_number(ws, row, 7, h, NULL);
		xlsx_text(ws, row, 8, jstr(x, "organiser"), NULL);
		xlsx_text(ws, row, 9, jstr(x, "person_in_charge"), NULL);
		xlsx_text(ws, row, 10, rec_status_zh(jstr(x, "status")), NULL);
		xlsx_text(ws, row, 11, jint(x, "supersedes_id", 0) ? "是" : "", NULL);
		add_total(totals, x, h);
	}
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)json_array_size(recs), 11);
	return totals;
}

/* Sheet 2: hours and stars per volunteer (approved records in the period). */
static void totals_sheet(lxw_workbook *wb, lxw_format *head, json_t *totals)
{
	lxw_worksheet *ws2 = workbook_add_worksheet(wb, "时长汇总");
	static const char *const h2[] = {"姓名", "所属组织", "服务时长（小时）", "星级"};
	for (int c = 0; c < 4; c++) {
		worksheet_set_column(ws2, (lxw_col_t)c, (lxw_col_t)c, c == 1 ? 18 : 12, NULL);
		worksheet_write_string(ws2, 0, (lxw_col_t)c, h2[c], head);
	}
	lxw_row_t row = 1;
	const char *key;
	json_t *t;
	json_object_foreach(totals, key, t) {
		double h = json_number_value(json_object_get(t, "hours"));
		int64_t vid = strtoll(key, NULL, 10);
		int stars = stars_for_hours(store_volunteer_hours(vid));
		char st[64] = "";
		for (int s = 0; s < stars && s < 10; s++)
			strncat(st, "★", sizeof st - strlen(st) - 1);
		xlsx_text(ws2, row, 0, jstr(t, "name"), NULL);
		xlsx_text(ws2, row, 1, jstr(t, "org"), NULL);
		worksheet_write_number(ws2, row, 2, h, NULL);
		worksheet_write_string(ws2, row, 3, st, NULL);
		row++;
	}
}

int records_xlsx(struct req *r)
{
	json_t *f = json_object();
	static const char *const text[] = {"from", "to", "status"};	/* two dates and an enum */
	for (int i = 0; i < 3; i++)
		if (q_has(r, text[i]))
			json_object_set_new(f, text[i], json_string(q_text(r, text[i])));
	json_t *recs = store_record_list(scope_filter(r, f), 0, LEDGER_ROWS);
	json_decref(f);
	if (!recs)
		return reply_store_error(r, STORE_EIO);
	char path[XLSX_PATH_MAX];
	lxw_workbook *wb = xlsx_open(path, "hours", 0);
	if (!wb) {
		json_decref(recs);
		return reply_error(r, 500, "xlsx_failed", "无法生成 Excel 文件", NULL);
	}
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_pattern(head, LXW_PATTERN_SOLID);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	json_t *totals = records_sheet(wb, head, recs);
	totals_sheet(wb, head, totals);
	size_t nrec = json_array_size(recs);
	json_decref(totals);
	json_decref(recs);
	size_t len = 0;
	char *data = xlsx_finish(wb, path, &len);
	if (!data)
		return reply_error(r, 500, "xlsx_failed", "无法生成 Excel 文件", NULL);
	int rc = audit(r, "export", "volunteer_hours", 0, NULL, json_pack("{s:I}", "rows", (json_int_t)nrec));
	if (rc) {
		free(data);
		return reply_store_error(r, rc);
	}
	char day[16], cd[200];
	cn_date(app_now(), day, sizeof day);
	/* 志愿服务时长台账-YYYY-MM-DD.xlsx for browsers, the ASCII name for the rest. */
	snprintf(cd, sizeof cd, "attachment; filename=\"volunteer-hours-%s.xlsx\"; filename*=UTF-8''"
		 "%%E5%%BF%%97%%E6%%84%%BF%%E6%%9C%%8D%%E5%%8A%%A1%%E6%%97%%B6%%E9%%95%%BF%%E5%%8F%%B0%%E8%%B4%%A6-%s.xlsx", day, day);
	reply_header(r, "Content-Disposition", cd);
	int st = reply_raw(r, 200, XLSX_MIME, data, len, 0);
	free(data);
	return st;
}

/* Import ------------------------------------------------------------------------------ */

#define IMPORT_MAX_ROWS 10000

/* The API keeps the whole file's outcome: the report of bad rows and the
 * valid rows, written only when every row is right (or valid_only). */
struct import {
	json_t *report;		/* [{"row","errors":[…]}] */
	json_t *valid;		/* [{"row","person","vtype","areas"}] */
	json_t *seen;		/* id hash → row, duplicates within the file */
};

static int api_row(void *ctx, size_t rowno, json_t *errors, json_t *person, const char *vtype, json_t *areas)
{
	struct import *im = ctx;
	if (errors)
		json_array_append_new(im->report, json_pack("{s:I, s:O}", "row", (json_int_t)rowno, "errors", errors));
	else
		json_array_append_new(im->valid, json_pack("{s:I, s:O, s:s, s:O}", "row", (json_int_t)rowno, "person", person,
							   "vtype", vtype, "areas", areas));
	return 0;
}

static size_t api_seen(void *ctx, const char *h, size_t rowno)
{
	struct import *im = ctx;
	size_t before = (size_t)jint(im->seen, h, 0);
	if (!before)
		json_object_set_new(im->seen, h, json_integer((json_int_t)rowno));
	return before;
}

int volunteers_import(struct req *r)
{
	json_t *fields = json_array();
	int64_t org = q_int(r, "org_id");
	int valid_only = q_bool(r, "valid_only", 0);
	if (!org)
		field_error(fields, "org_id", "required", "请指定导入到哪个社区（org_id）");
	json_t *o = org ? store_org_get(org) : NULL;
	if (org && (!o || !word_in_list("street community compound building", jstr(o, "kind"))))
		field_error(fields, "org_id", "invalid", "请选择街道、社区或小区");
	json_decref(o);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	if (!scope_covers(r, org))
		return reply_error(r, 403, "forbidden_scope", "只能导入到自己负责的组织", NULL);
	if (r->body.len == 0)
		return reply_error(r, 400, "empty_file", "文件为空", NULL);
	struct import im = {.report = json_array(), .valid = json_array(), .seen = json_object()};
	struct vimport vi = {.max_rows = IMPORT_MAX_ROWS, .row = api_row, .seen = api_seen, .ctx = &im};
	char err[256] = "";
	int rc = vimport_read(&vi, r->body.data, r->body.len, err, sizeof err);
	int st = 0;
	if (rc == VI_BAD_HEADER)
		st = reply_error(r, 422, "bad_header", "第一行应为表头，至少包含 姓名、身份证号、手机号、类型", NULL);
	else if (rc == VI_TOO_MANY)
		st = reply_error(r, 413, "too_many_rows", "一次最多导入 10000 行", NULL);
	else if (rc)
		st = reply_error(r, 400, "bad_file", *err ? err : "无法读取文件", NULL);
	else if (json_array_size(im.report) && !valid_only)
		/* Nothing imported: the error carries the per-row report. */
		st = reply_json(r, 422, json_pack("{s:{s:s, s:s, s:[], s:O, s:I, s:I}}", "error", "code", "import_failed",
						  "message", "有行存在错误，未导入任何数据（可选择只导入正确的行）", "fields",
						  "rows", im.report, "valid", (json_int_t)json_array_size(im.valid),
						  "failed", (json_int_t)json_array_size(im.report)));
	int imported = 0;
	for (size_t i = 0; !st && i < json_array_size(im.valid); i++) {
		json_t *x = json_array_get(im.valid, i);
		json_t *person = json_object_get(x, "person");
		json_object_set_new(person, "org_id", json_integer(org));
		int64_t pid = 0, vid = 0;
		int src = store_person_create(person, &pid);
		if (!src)
			src = volunteer_new(pid, org, jstr(x, "vtype"), json_object_get(x, "areas"), 0, r->account_id, &vid);
		if (src)
			st = reply_store_error(r, src);
		imported++;
	}
	if (!st) {
		st = audit(r, "import", "volunteer", 0, NULL,
			   json_pack("{s:i, s:I, s:I}", "imported", imported, "failed", (json_int_t)json_array_size(im.report),
				     "org_id", (json_int_t)org));
		st = st ? reply_store_error(r, st)
			: reply_json(r, 200, json_pack("{s:i, s:I, s:O}", "imported", imported, "failed",
						       (json_int_t)json_array_size(im.report), "rows", im.report));
	}
	json_decref(im.report);
	json_decref(im.valid);
	json_decref(im.seen);
	return st;
}
