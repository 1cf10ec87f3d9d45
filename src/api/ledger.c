/*
 * ledger.c — the rectification ledger (整改台账, SPEC §3 "Ledgers") as Excel
 * (.xlsx, libxlsxwriter) and CSV, and the printable rectification notice
 * (整改通知单) of one problem.
 *
 * The exports take the filters of GET /api/v1/problems and the same
 * visibility scope (problems_filter in problems.c); at most 100,000 rows per
 * file, newest first. Every export is an audit entry (action "export",
 * resource "ledger", with the filter and the row count), so the routes are
 * R_AUDIT: read outside the write path, the entry written after. Photo
 * links are absolute URLs of the API: opening them needs a signed-in
 * session, as everywhere else.
 *
 * libxlsxwriter only writes files: the workbook goes to DATA/tmp/, is read
 * back and unlinked (constant-memory mode keeps 100,000 rows cheap).
 */
#include "api.h"
#include "core/csv.h"
#include "core/timefmt.h"
#include "core/workflow.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xlsx_out.h"

#define LEDGER_MAX_ROWS 100000
#define LEDGER_PAGE 1000

enum { C_CODE, C_FOUND, C_PLACE, C_CATEGORY, C_DESC, C_SOURCE, C_HANDLER, C_DEADLINE, C_STATE, C_RECTIFIED,
       C_REVIEWER, C_CLOSED, C_BEFORE, C_AFTER, C_OVERDUE, NCOLS };

static const char *const headers[NCOLS] = {"编号", "发现日期", "地点", "问题类别", "问题描述", "问题来源",
					  "责任单位", "整改时限", "状态", "整改日期", "核查人", "销号日期",
					  "整改前照片", "整改后照片", "是否超期"};
static const double widths[NCOLS] = {16, 17, 30, 24, 44, 11, 20, 17, 10, 17, 12, 17, 40, 40, 9};

static const char *const state_names[][2] = {
	{"reported", "待受理"}, {"accepted", "已立案"}, {"rejected", "不予立案"}, {"merged", "已合并"},
	{"dispatched", "已派遣"}, {"acknowledged", "整改中"}, {"rectified", "待核查"}, {"closed", "已销号"},
	{"reopened", "已回潮"}, {NULL, NULL}};
static const char *const source_names[][2] = {
	{"inspection", "督查"}, {"patrol", "巡查"}, {"citizen_tip", "随手拍"}, {"message_board", "留言板"},
	{"hotline", "12345 热线"}, {"higher_level", "上级交办"}, {"volunteer", "志愿者"}, {"self_check", "自查"},
	{"open311", "Open311"}, {NULL, NULL}};

static const char *zh(const char *const (*table)[2], const char *key)
{
	if (!key)
		return "";
	for (; (*table)[0]; table++)
		if (!strcmp((*table)[0], key))
			return (*table)[1];
	return key;
}

/* "YYYY-MM-DD HH:MM" in China time (+08:00), or "" for a missing time. */
static void local_time(const json_t *v, char *out, size_t n)
{
	if (!json_is_integer(v)) {
		snprintf(out, n, "%s", "");
		return;
	}
	int64_t t = json_integer_value(v) + 8 * 3600;
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, secs = t - days * 86400;
	int y;
	unsigned mo, d;
	civil_from_days(days, &y, &mo, &d);
	snprintf(out, n, "%04d-%02u-%02u %02d:%02d", y, mo, d, (int)(secs / 3600), (int)(secs / 60 % 60));
}

/* One ledger row being built: cells point into the problem JSON, static
 * strings or the small buffers here. */
struct lrow {
	const char *cell[NCOLS];
	json_t *when[NCOLS];	/* the date columns' unix times (integer) for Excel, else NULL */
	int overdue;
	char found[24], deadline[24], rectified[24], closed[24];
	char place[1024], category[512];
	buf_t before, after;
};

struct walk {
	struct req *r;
	json_t *cats;		/* "id" → category */
	json_t *names;		/* account id → display name */
	char base[256];
	int64_t now;
	int rows, truncated;
};

static const char *account_name(struct walk *w, const json_t *id)
{
	if (!json_is_integer(id))
		return "";
	char key[32];
	snprintf(key, sizeof key, "%lld", (long long)json_integer_value(id));
	json_t *v = json_object_get(w->names, key);
	if (!v) {
		json_t *a = store_account_get(json_integer_value(id));
		const char *n = a ? jstr(a, "display_name") : NULL;
		if (!n || !*n)
			n = a ? jstr(a, "login") : NULL;
		v = json_string(n ? n : "");
		json_object_set_new(w->names, key, v);
		json_decref(a);
	}
	return json_string_value(v);
}

static void build_row(struct walk *w, const json_t *p, struct lrow *row)
{
	memset(row->cell, 0, sizeof row->cell);
	memset(row->when, 0, sizeof row->when);
	buf_init(&row->before, 1u << 16);
	buf_init(&row->after, 1u << 16);
	const char *state = jstr(p, "state");
	json_t *dl = json_object_get(p, "deadline");
	row->overdue = wf_clock_running(wf_state_parse(state)) && json_is_integer(dl) &&
		       json_integer_value(dl) < w->now;
	local_time(json_object_get(p, "created_at"), row->found, sizeof row->found);
	local_time(dl, row->deadline, sizeof row->deadline);
	local_time(json_object_get(p, "rectified_at"), row->rectified, sizeof row->rectified);
	local_time(json_object_get(p, "closed_at"), row->closed, sizeof row->closed);
	const char *org = jstr(p, "org_name"), *addr = jstr(p, "address");
	snprintf(row->place, sizeof row->place, "%s%s%s", org ? org : "", org && addr && *addr ? " " : "",
		 addr ? addr : "");
	char key[32];
	snprintf(key, sizeof key, "%lld", (long long)jint(p, "category_id", 0));
	const json_t *cat = json_object_get(w->cats, key);
	const char *cname = jstr(p, "category_name");
	const json_t *parent = NULL;
	if (cat && json_is_integer(json_object_get(cat, "parent_id"))) {
		snprintf(key, sizeof key, "%lld", (long long)jint(cat, "parent_id", 0));
		parent = json_object_get(w->cats, key);
	}
	if (parent)
		snprintf(row->category, sizeof row->category, "%s › %s", jstr(parent, "name"), cname ? cname : "");
	else
		snprintf(row->category, sizeof row->category, "%s", cname ? cname : "");
	json_t *photos = store_problem_photos(jint(p, "id", 0));
	size_t i;
	json_t *ph;
	json_array_foreach(photos, i, ph) {
		const char *kind = jstr(ph, "kind");
		buf_t *b = kind && !strcmp(kind, "after") ? &row->after : &row->before;
		buf_printf(b, "%s%s/api/v1/photos/%lld", b->len ? "\n" : "", w->base, (long long)jint(ph, "id", 0));
	}
	json_decref(photos);
	row->cell[C_CODE] = jstr(p, "code");
	row->cell[C_FOUND] = row->found;
	row->cell[C_PLACE] = row->place;
	row->cell[C_CATEGORY] = row->category;
	row->cell[C_DESC] = jstr(p, "description");
	row->cell[C_SOURCE] = zh(source_names, jstr(p, "source"));
	row->cell[C_HANDLER] = jstr(p, "handler_name");
	row->cell[C_DEADLINE] = row->deadline;
	row->cell[C_STATE] = zh(state_names, state);
	row->cell[C_RECTIFIED] = row->rectified;
	row->cell[C_REVIEWER] = account_name(w, json_object_get(p, "closed_by"));
	row->cell[C_CLOSED] = row->closed;
	row->cell[C_BEFORE] = row->before.data ? row->before.data : "";
	row->cell[C_AFTER] = row->after.data ? row->after.data : "";
	row->cell[C_OVERDUE] = row->overdue ? "是" : "否";
	row->when[C_FOUND] = json_object_get(p, "created_at");
	row->when[C_DEADLINE] = dl;
	row->when[C_RECTIFIED] = json_object_get(p, "rectified_at");
	row->when[C_CLOSED] = json_object_get(p, "closed_at");
	for (int c = 0; c < NCOLS; c++)
		if (!row->cell[c])
			row->cell[c] = "";
}

static void free_row(struct lrow *row)
{
	buf_free(&row->before);
	buf_free(&row->after);
}

typedef int (*row_fn)(void *ctx, const struct lrow *row);

/* Walks the filtered problems page by page (newest first) and hands each
 * row to fn; stops at LEDGER_MAX_ROWS. 0, or -1 on a store error or when fn
 * fails. */
static int walk_rows(struct walk *w, const json_t *filter, row_fn fn, void *ctx)
{
	int64_t cursor = 0;
	for (;;) {
		json_t *items = store_problem_list(filter, cursor, LEDGER_PAGE);
		if (!items)
			return -1;
		size_t n = json_array_size(items), i;
		json_t *p;
		int rc = 0;
		json_array_foreach(items, i, p) {
			if (w->rows >= LEDGER_MAX_ROWS) {
				w->truncated = 1;
				break;
			}
			struct lrow row;
			mask_text_field(p, "description");	/* SPEC §2: a list masks typed numbers for every role */
			build_row(w, p, &row);
			rc = fn(ctx, &row);
			free_row(&row);
			if (rc)
				break;
			w->rows++;
			cursor = jint(p, "id", 0);
		}
		json_decref(items);
		if (rc)
			return -1;
		if (n < LEDGER_PAGE || w->truncated)
			return 0;
	}
}

static void walk_init(struct walk *w, struct req *r)
{
	memset(w, 0, sizeof *w);
	w->r = r;
	w->now = app_now();
	w->names = json_object();
	w->cats = json_object();
	json_t *cl = store_category_list(1);
	size_t i;
	json_t *c;
	json_array_foreach(cl, i, c) {
		char key[32];
		snprintf(key, sizeof key, "%lld", (long long)jint(c, "id", 0));
		json_object_set(w->cats, key, c);
	}
	json_decref(cl);
	link_base(r, w->base, sizeof w->base);
}

static void walk_free(struct walk *w)
{
	json_decref(w->cats);
	json_decref(w->names);
}

/* "YYYY-MM-DD" of a from/to parameter (a date or an RFC 3339 time), or NULL. */
static const char *period_day(struct req *r, const char *name, char *out, size_t n)
{
	if (!q_has(r, name))	/* from:time to:time, checked by the dispatcher */
		return NULL;
	json_t *v = json_integer(q_time(r, name));
	char full[24];
	local_time(v, full, sizeof full);
	json_decref(v);
	snprintf(out, n, "%.10s", full);
	return out;
}

/* The title row: the org (the org_id filter, else the account's first staff
 * grant) and the period. */
static void ledger_title(struct req *r, char *out, size_t n)
{
	json_t *org = NULL;
	if (q_has(r, "org_id"))
		org = store_org_get(q_int(r, "org_id"));
	if (!org) {
		for (size_t i = 0; i < r->ngrants; i++) {
			if ((R_ADMIN | R_OFFICE | R_COMMITTEE) & (1u << r->grants[i].role)) {
				org = store_org_get(r->grants[i].org_id);
				break;
			}
		}
	}
	char from[16], to[16];
	const char *f = period_day(r, "from", from, sizeof from), *t = period_day(r, "to", to, sizeof to);
	char today[24];
	json_t *now = json_integer(app_now());
	local_time(now, today, sizeof today);
	json_decref(now);
	const char *oname = org ? jstr(org, "name") : NULL;
	if (f || t)
		snprintf(out, n, "%s%s整改台账 %s 至 %s", oname ? oname : "", oname ? " " : "", f ? f : "…", t ? t : "…");
	else
		snprintf(out, n, "%s%s整改台账（截至 %.10s）", oname ? oname : "", oname ? " " : "", today);
	json_decref(org);
}

/* Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 5987). */
static void disposition(struct req *r, const char *ext)
{
	char day[24], cd[512];
	json_t *now = json_integer(app_now());
	local_time(now, day, sizeof day);
	json_decref(now);
	char ymd[9] = {day[0], day[1], day[2], day[3], day[5], day[6], day[8], day[9], 0};
	static const char zhname[] = "整改台账";
	char enc[128];
	size_t k = 0;
	for (const unsigned char *c = (const unsigned char *)zhname; *c && k + 4 < sizeof enc; c++)
		k += (size_t)snprintf(enc + k, sizeof enc - k, "%%%02X", *c);
	enc[k] = 0;
	snprintf(cd, sizeof cd, "attachment; filename=\"ledger-%s.%s\"; filename*=UTF-8''%s-%s.%s", ymd, ext, enc,
		 ymd, ext);
	reply_header(r, "Content-Disposition", cd);
}

static int ledger_audit(struct req *r, const char *format, const struct walk *w)
{
	json_t *after = json_pack("{s:s, s:o, s:i, s:b}", "format", format, "filter",
				  r->query ? json_deep_copy(r->query) : json_object(), "rows", w->rows, "truncated",
				  w->truncated);
	return audit(r, "export", "ledger", 0, NULL, after);
}

/* CSV ------------------------------------------------------------------------ */

static int csv_row(void *ctx, const struct lrow *row)
{
	buf_t *b = ctx;
	for (int c = 0; c < NCOLS; c++)
		if (csv_cell(b, row->cell[c], c == NCOLS - 1))
			return -1;
	return 0;
}

int ledger_csv(struct req *r)
{
	json_t *f = problems_filter(r, json_array());
	if (!f)
		return r->status;
	struct walk w;
	walk_init(&w, r);
	buf_t b;
	buf_init(&b, 256u << 20);
	buf_puts(&b, "\xEF\xBB\xBF");
	for (int c = 0; c < NCOLS; c++)
		csv_cell(&b, headers[c], c == NCOLS - 1);
	int rc = walk_rows(&w, f, csv_row, &b);
	json_decref(f);
	if (rc && !b.overflow) {
		walk_free(&w);
		buf_free(&b);
		return reply_store_error(r, STORE_EIO);
	}
	if (b.overflow) {
		walk_free(&w);
		buf_free(&b);
		return reply_error(r, 413, "export_too_large", "导出内容过大，请缩小时间范围或筛选条件", NULL);
	}
	rc = ledger_audit(r, "csv", &w);
	if (rc) {
		walk_free(&w);
		buf_free(&b);
		return reply_store_error(r, rc);
	}
	if (w.truncated)
		reply_header(r, "X-Ledger-Truncated", "100000");
	walk_free(&w);
	disposition(r, "csv");
	reply_raw(r, 200, "text/csv; charset=utf-8", b.data, b.len, 0);
	buf_free(&b);
	return 200;
}

/* Excel ---------------------------------------------------------------------- */

struct xlsx {
	lxw_worksheet *ws;
	lxw_format *cell, *wrap, *cell_od, *wrap_od, *time, *time_od;
	lxw_row_t row;
};

static int xlsx_row(void *ctx, const struct lrow *row)
{
	struct xlsx *x = ctx;
	for (int c = 0; c < NCOLS; c++) {
		int wrap = c == C_DESC || c == C_PLACE || c == C_BEFORE || c == C_AFTER;
		lxw_format *fmt = row->overdue ? (wrap ? x->wrap_od : x->cell_od) : (wrap ? x->wrap : x->cell);
		/* Dates are Excel dates (China time); everything else a string, so a
		 * description such as "=1+1" stays text in Excel. */
		lxw_error e = json_is_integer(row->when[c])
				      ? xlsx_time(x->ws, x->row, (lxw_col_t)c, json_integer_value(row->when[c]),
						  row->overdue ? x->time_od : x->time)
				      : xlsx_text(x->ws, x->row, (lxw_col_t)c, row->cell[c], fmt);
		if (e)
			return -1;
	}
	x->row++;
	return 0;
}

static lxw_format *mkfmt(lxw_workbook *wb, int wrap, int overdue)
{
	lxw_format *f = workbook_add_format(wb);
	if (wrap < 0)
		format_set_num_format(f, XLSX_TIME_FMT);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_border_color(f, 0xBFBFBF);
	if (wrap > 0)
		format_set_text_wrap(f);
	if (overdue) {
		format_set_pattern(f, LXW_PATTERN_SOLID);
		format_set_bg_color(f, 0xFDE2E1);
		format_set_font_color(f, 0x9C0006);
	}
	return f;
}

int ledger_xlsx(struct req *r)
{
	json_t *f = problems_filter(r, json_array());
	if (!f)
		return r->status;
	char path[XLSX_PATH_MAX];
	lxw_workbook *wb = xlsx_open(path, "ledger", 1);
	if (!wb) {
		json_decref(f);
		return reply_error(r, 500, "xlsx_failed", "无法生成 Excel 文件", NULL);
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, "整改台账");
	struct xlsx x = {.ws = ws, .cell = mkfmt(wb, 0, 0), .wrap = mkfmt(wb, 1, 0),
			 .cell_od = mkfmt(wb, 0, 1), .wrap_od = mkfmt(wb, 1, 1), .time = mkfmt(wb, -1, 0),
			 .time_od = mkfmt(wb, -1, 1), .row = 3};
	lxw_format *title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 16);
	format_set_align(title, LXW_ALIGN_CENTER);
	format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
	lxw_format *note = workbook_add_format(wb);
	format_set_italic(note);
	format_set_font_color(note, 0x595959);
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_pattern(head, LXW_PATTERN_SOLID);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(head);

	for (int c = 0; c < NCOLS; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);	/* A4 */
	worksheet_repeat_rows(ws, 2, 2);
	worksheet_freeze_panes(ws, 3, 1);

	char ttl[600];
	ledger_title(r, ttl, sizeof ttl);
	worksheet_set_row(ws, 0, 28, NULL);
	worksheet_merge_range(ws, 0, 0, 0, NCOLS - 1, "", title);
	xlsx_text(ws, 0, 0, ttl, title);	/* the title names orgs: cleaned like any text */
	char nt[400];
	json_t *now = json_integer(app_now());
	char at[24];
	local_time(now, at, sizeof at);
	json_decref(now);
	snprintf(nt, sizeof nt, "导出时间 %s（北京时间）。照片链接需先登录本系统才能打开；红色底纹为已超期。", at);
	worksheet_merge_range(ws, 1, 0, 1, NCOLS - 1, nt, note);
	worksheet_set_row(ws, 2, 22, NULL);
	for (int c = 0; c < NCOLS; c++)
		worksheet_write_string(ws, 2, (lxw_col_t)c, headers[c], head);

	struct walk w;
	walk_init(&w, r);
	int rc = walk_rows(&w, f, xlsx_row, &x);
	json_decref(f);
	worksheet_autofilter(ws, 2, 0, x.row > 3 ? x.row - 1 : 2, NCOLS - 1);
	size_t len = 0;
	char *data = xlsx_finish(wb, path, &len);
	if (rc) {
		free(data);
		data = NULL;
	}
	if (!data) {
		walk_free(&w);
		return rc ? reply_store_error(r, STORE_EIO)
			  : reply_error(r, 500, "xlsx_failed", "无法生成 Excel 文件", NULL);
	}
	int arc = ledger_audit(r, "xlsx", &w);
	if (arc) {
		free(data);
		walk_free(&w);
		return reply_store_error(r, arc);
	}
	if (w.truncated)
		reply_header(r, "X-Ledger-Truncated", "100000");
	walk_free(&w);
	disposition(r, "xlsx");
	reply_raw(r, 200, XLSX_MIME, data, len, 0);
	free(data);
	return 200;
}

/* The printable notice (整改通知单) -------------------------------------------- */

/* Appends s with & < > " ' escaped; newlines become <br>. */
static void html_esc(buf_t *b, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		case '\n': buf_puts(b, "<br>"); break;
		case '\r': break;
		default: buf_append(b, s, 1);
		}
	}
}

static void cn_date(int64_t t, char *out, size_t n)
{
	json_t *v = json_integer(t);
	char s[24];
	local_time(v, s, sizeof s);
	json_decref(v);
	snprintf(out, n, "%.4s年%.2s月%.2s日", s, s + 5, s + 8);
}

static void field_row(buf_t *b, const char *label, const char *value)
{
	buf_puts(b, "<tr><th>");
	buf_puts(b, label);
	buf_puts(b, "</th><td>");
	html_esc(b, value && *value ? value : "—");
	buf_puts(b, "</td></tr>\n");
}

static const char notice_css[] =
	"@page{size:A4;margin:18mm 16mm}"
	"body{font-family:\"Noto Serif CJK SC\",\"Songti SC\",SimSun,serif;color:#000;max-width:178mm;margin:0 auto;"
	"padding:8mm 0;font-size:14px;line-height:1.6}"
	"h1{text-align:center;font-size:26px;letter-spacing:.4em;margin:0 0 4px}"
	".no{text-align:right;margin:0 0 10px}"
	".to{font-size:16px;margin:12px 0}"
	"table{width:100%;border-collapse:collapse}"
	"th,td{border:1px solid #000;padding:6px 8px;vertical-align:top;text-align:left}"
	"th{width:22%;font-weight:normal;background:#f3f3f3;white-space:nowrap}"
	".photos img{max-width:48%;max-height:60mm;margin:2px;border:1px solid #999}"
	".lead{text-indent:2em;margin:12px 0}"
	".sign{display:flex;justify-content:flex-end;margin-top:18px}"
	".stamp{width:70mm;min-height:38mm;border:1px dashed #666;padding:6px 10px;text-align:center}"
	".stamp .org{font-size:16px;margin-top:6px}.stamp .date{margin-top:18mm}"
	".cut{border-top:1px dashed #000;margin:22px 0 8px;text-align:center;font-size:12px;color:#444}"
	".stub h2{text-align:center;font-size:18px;letter-spacing:.3em;margin:4px 0 8px}"
	".stub td.blank{height:12mm}"
	".hint{background:#fffbe6;border:1px solid #e6d48a;padding:6px 10px;font-size:12px;margin-bottom:12px}"
	"@media print{.hint{display:none}body{padding:0}a{color:#000;text-decoration:none}}";

int problems_notice(struct req *r)
{
	json_t *p = store_problem_get(req_id(r, 0));
	if (!p || !problem_visible(r, p)) {
		json_decref(p);
		return reply_error(r, 404, "not_found", "问题不存在或无权查看", NULL);
	}
	json_t *org = store_org_get(jint(p, "org_id", 0));
	json_t *issuer = org && json_is_integer(json_object_get(org, "parent_id"))
				 ? store_org_get(jint(org, "parent_id", 0))
				 : NULL;
	const char *issuer_name = issuer ? jstr(issuer, "name") : org ? jstr(org, "name") : NULL;
	json_t *cat = store_category_get(jint(p, "category_id", 0));
	json_t *parent = cat && json_is_integer(json_object_get(cat, "parent_id"))
				 ? store_category_get(jint(cat, "parent_id", 0))
				 : NULL;
	char category[512];
	snprintf(category, sizeof category, "%s%s%s", parent ? jstr(parent, "name") : "", parent ? " › " : "",
		 jstr(p, "category_name") ? jstr(p, "category_name") : "");
	char found[24], deadline[24], today[64];
	local_time(json_object_get(p, "created_at"), found, sizeof found);
	local_time(json_object_get(p, "deadline"), deadline, sizeof deadline);
	cn_date(app_now(), today, sizeof today);
	const char *handler = jstr(p, "handler_name");

	buf_t b;
	buf_init(&b, 1u << 20);
	buf_puts(&b, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>整改通知单 ");
	html_esc(&b, jstr(p, "code"));
	buf_puts(&b, "</title><style>");
	buf_puts(&b, notice_css);
	buf_puts(&b, "</style></head><body>\n<p class=\"hint\">用浏览器的“打印”（Ctrl+P）打印本通知单，纸张 A4。</p>\n"
		     "<h1>整改通知单</h1>\n<p class=\"no\">编号：");
	html_esc(&b, jstr(p, "code"));
	buf_puts(&b, "</p>\n<p class=\"to\"><strong>");
	html_esc(&b, handler && *handler ? handler : "（责任单位待派遣）");
	buf_puts(&b, "</strong>：</p>\n<p class=\"lead\">经检查，你单位责任范围内存在以下问题，请按整改要求在整改时限前"
		     "完成整改，并将整改情况（含整改后照片）反馈至");
	html_esc(&b, issuer_name);
	buf_puts(&b, "。</p>\n<table>\n");
	field_row(&b, "所属社区", jstr(p, "org_name"));
	field_row(&b, "问题地点", jstr(p, "address"));
	field_row(&b, "问题类别", category);
	mask_text_field(p, "description");	/* paper for the handler unit: no reporter's numbers (SPEC §2) */
	field_row(&b, "问题描述", jstr(p, "description"));
	field_row(&b, "发现时间", found);
	field_row(&b, "整改时限", *deadline ? deadline : "派遣后起算");
	field_row(&b, "整改要求", cat ? jstr(cat, "closing_conditions") : NULL);
	buf_puts(&b, "<tr><th>整改前照片</th><td class=\"photos\">");
	json_t *photos = store_problem_photos(jint(p, "id", 0));
	size_t i;
	json_t *ph;
	int shown = 0;
	json_array_foreach(photos, i, ph) {
		const char *kind = jstr(ph, "kind");
		if ((kind && !strcmp(kind, "after")) || shown >= 2)
			continue;
		buf_printf(&b, "<img src=\"/api/v1/photos/%lld/thumb\" alt=\"整改前照片\">", (long long)jint(ph, "id", 0));
		shown++;
	}
	json_decref(photos);
	if (!shown)
		buf_puts(&b, "—");
	buf_puts(&b, "</td></tr>\n</table>\n<div class=\"sign\"><div class=\"stamp\">签发单位（盖章）<div class=\"org\">");
	html_esc(&b, issuer_name);
	buf_puts(&b, "</div><div class=\"date\">");
	html_esc(&b, today);
	buf_puts(&b, "</div></div></div>\n<div class=\"cut\">✂ ………………………… 沿此线剪开，回执由责任单位签收后交回 …………………………</div>\n"
		     "<div class=\"stub\"><h2>回执</h2>\n<table>\n");
	field_row(&b, "通知单编号", jstr(p, "code"));
	field_row(&b, "责任单位", handler);
	field_row(&b, "整改时限", *deadline ? deadline : "派遣后起算");
	buf_puts(&b, "<tr><th>签收人</th><td class=\"blank\"></td></tr>\n<tr><th>签收日期</th><td class=\"blank\">"
		     "　　年　　月　　日</td></tr>\n<tr><th>责任单位（盖章）</th><td class=\"blank\"></td></tr>\n"
		     "</table></div>\n</body></html>\n");
	json_decref(parent);
	json_decref(cat);
	json_decref(issuer);
	json_decref(org);
	json_decref(p);
	if (b.overflow) {
		buf_free(&b);
		return reply_error(r, 500, "notice_failed", "通知单过大", NULL);
	}
	reply_header(r, "Content-Security-Policy",
		     "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none';"
		     " frame-ancestors 'none'");
	reply_raw(r, 200, "text/html; charset=utf-8", b.data, b.len, 0);
	buf_free(&b);
	return 200;
}
