/*
 * party_reg_report.c — the service a registered member did, collected from
 * the records (no typing: approved service records and their hours,
 * attended shifts, activity sign-ups and attendance, problems reported and
 * closed; 项目 do not exist in the product yet), the member's own view, the
 * quarterly feedback to the unit (JSON, xlsx, PDF) and the per-community
 * overview. docs/PARTY.md "dual".
 */
#include "party_reg.h"
#include "core/pdf_doc.h"
#include "store/dual.h"
#include "xlsx_out.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The service keys summed into the totals. */
static const char *const SKEYS[] = {"records", "hours", "shifts_attended", "activities_attended",
				    "activity_signups", "problems_reported", "problems_closed", NULL};

static json_t *period_json(const char *from, const char *to, const char *q)
{
	return json_pack("{s:s, s:s, s:s?}", "from", from, "to", to, "quarter", q[0] ? q : NULL);
}

int dual_regs_service(struct req *r)
{
	char from[16], to[16], q[8];
	int64_t t0, t1;
	if (dual_period(r, from, to, &t0, &t1, q))
		return r->status;
	json_t *g = dual_reg_get(req_id(r, 0));
	if (g && !dual_reg_visible(r, g)) {
		json_decref(g);
		g = NULL;
	}
	if (!g)
		return reply_error(r, 404, "not_found", "报到登记不存在", NULL);
	json_t *s = dual_service(jint(g, "person_id", 0), from, to, t0, t1);
	json_decref(g);
	if (!s)
		return reply_store_error(r, STORE_EIO);
	json_object_set_new(s, "period", period_json(from, to, q));
	json_object_set_new(s, "projects", json_null());	/* 项目 are not in the product yet */
	return reply_json(r, 200, s);
}

int dual_regs_mine(struct req *r)
{
	char from[16], to[16], q[8];
	int64_t t0, t1;
	if (dual_period(r, from, to, &t0, &t1, q))
		return r->status;
	int64_t pid = dual_account_person(r);
	json_t *items = json_array();
	if (pid) {
		/* Only the caller's person: the scope "/" covers every org. */
		json_t *f = json_pack("{s:[s], s:[], s:[], s:I}", "comm_paths", "/", "unit_paths", "party_paths",
				      "person_id", (json_int_t)pid);
		json_decref(items);
		items = dual_reg_list(f, 0, 20);
		json_decref(f);
		if (!items)
			return reply_store_error(r, STORE_EIO);
	}
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x) dual_reg_view(x);
	json_t *m = pid ? dual_party_member(pid) : NULL;
	json_t *s = pid ? dual_service(pid, from, to, t0, t1) : json_object();
	json_t *out = json_pack("{s:o, s:o, s:o, s:b, s:b}", "items", items, "service", s ? s : json_object(),
				"period", period_json(from, to, q), "has_person", pid != 0, "party_member", m != NULL);
	json_decref(m);
	return reply_json(r, 200, out);
}

/* The unit registration's feedback — what the community reports back to
 * the unit: the unit's accepted members registered with that community (and
 * visible to the caller), each with their service in the period, and totals. */
static json_t *feedback(struct req *r, json_t *u, const char *from, const char *to, int64_t t0, int64_t t1,
			const char *q)
{
	json_t *regs = dual_unit_members(jint(u, "unit_id", 0));
	if (!regs)
		return NULL;
	json_t *items = json_array(), *tot = json_object();
	double hours = 0;
	size_t i;
	json_t *g;
	json_array_foreach(regs, i, g) {
		if (jint(g, "community_id", 0) != jint(u, "community_id", 0) || !dual_reg_visible(r, g))
			continue;
		json_t *s = dual_service(jint(g, "person_id", 0), from, to, t0, t1);
		if (!s)
			break;
		json_t *row = json_pack("{s:O, s:O, s:O, s:O, s:O}", "registration_id", json_object_get(g, "id"),
					"name", json_object_get(g, "person_name"), "community_name",
					json_object_get(g, "community_name"), "card_no", json_object_get(g, "card_no"),
					"skills", json_object_get(g, "skills"));
		json_object_update(row, s);
		for (int k = 0; SKEYS[k]; k++)
			if (strcmp(SKEYS[k], "hours"))
				json_object_set_new(tot, SKEYS[k], json_integer(jint(tot, SKEYS[k], 0) + jint(s, SKEYS[k], 0)));
		hours += json_real_value(json_object_get(s, "hours"));
		json_decref(s);
		json_array_append_new(items, row);
	}
	int failed = i < json_array_size(regs);
	json_decref(regs);
	if (failed) {
		json_decref(items);
		json_decref(tot);
		return NULL;
	}
	json_object_set_new(tot, "hours", json_real(hours));
	json_object_set_new(tot, "members", json_integer((json_int_t)json_array_size(items)));
	return json_pack("{s:I, s:O, s:O, s:O, s:O, s:O, s:o, s:o, s:o}", "unit_registration_id",
			 (json_int_t)jint(u, "id", 0), "unit_id", json_object_get(u, "unit_id"), "unit_name",
			 json_object_get(u, "unit_name"), "community_id", json_object_get(u, "community_id"),
			 "community_name", json_object_get(u, "community_name"),
			 "party_org_name", json_object_get(u, "party_org_name"), "period", period_json(from, to, q),
			 "items", items, "totals", tot);
}

/* The feedback of the unit registration named in the path, or NULL after
 * answering (404, 422, 500). */
static json_t *load_feedback(struct req *r, char *q)
{
	char from[16], to[16];
	int64_t t0, t1;
	if (dual_period(r, from, to, &t0, &t1, q))
		return NULL;
	json_t *u = dual_unit_get(req_id(r, 0));
	if (u && !dual_unit_visible(r, u)) {
		json_decref(u);
		u = NULL;
	}
	if (!u) {
		reply_error(r, 404, "not_found", "报到单位不存在", NULL);
		return NULL;
	}
	json_t *fb = feedback(r, u, from, to, t0, t1, q);
	json_decref(u);
	if (!fb)
		reply_store_error(r, STORE_EIO);
	return fb;
}

int dual_units_feedback(struct req *r)
{
	char q[8];
	json_t *fb = load_feedback(r, q);
	return fb ? reply_json(r, 200, fb) : r->status;
}

static void cell_text(const json_t *row, const char *k, char *out, size_t n)
{
	json_t *v = json_object_get(row, k);
	if (json_is_real(v)) {	/* hours to two places, without trailing zeros */
		snprintf(out, n, "%.2f", json_real_value(v));
		char *e = out + strlen(out) - 1;
		while (e > out && *e == '0')
			*e-- = 0;
		if (e > out && *e == '.')
			*e = 0;
	}
	else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else
		snprintf(out, n, "%s", json_is_string(v) ? json_string_value(v) : "");
}

static void attach(struct req *r, const char *ext, const char *q)
{
	char cd[200];
	snprintf(cd, sizeof cd, "attachment; filename=\"dual-feedback-%s.%s\"", q[0] ? q : "period", ext);
	reply_header(r, "Content-Disposition", cd);
}

static const char *period_title(const json_t *fb, char *out, size_t n)
{
	json_t *p = json_object_get(fb, "period");
	snprintf(out, n, "%s%s%s 至 %s", jstr(p, "quarter") ? jstr(p, "quarter") : "", jstr(p, "quarter") ? "（" : "",
		 jstr(p, "from"), jstr(p, "to"));
	if (jstr(p, "quarter"))
		strncat(out, "）", n - strlen(out) - 1);
	return out;
}

#define NCOL 10
static const char *const XHEAD[NCOL] = {"姓名", "报到居民区", "服务卡号", "服务次数", "服务时长（小时）",
					"参加岗位值守", "参加活动", "活动报名", "发现问题", "其中已办结"};
static const char *const XKEY[NCOL] = {"name", "community_name", "card_no", "records", "hours",
				       "shifts_attended", "activities_attended", "activity_signups",
				       "problems_reported", "problems_closed"};

static void xlsx_rows(lxw_worksheet *ws, const json_t *fb, lxw_format *num)
{
	size_t i;
	json_t *row;
	lxw_row_t y = 3;
	json_array_foreach(json_object_get(fb, "items"), i, row) {
		for (int c = 0; c < NCOL; c++) {
			json_t *v = json_object_get(row, XKEY[c]);
			if (json_is_number(v))
				worksheet_write_number(ws, y, (lxw_col_t)c, json_number_value(v), num);
			else
				xlsx_text(ws, y, (lxw_col_t)c, jstr(row, XKEY[c]), NULL);
		}
		y++;
	}
	const json_t *tot = json_object_get(fb, "totals");
	xlsx_text(ws, y, 0, "合计", NULL);
	for (int c = 3; c < NCOL; c++)
		worksheet_write_number(ws, y, (lxw_col_t)c, json_number_value(json_object_get(tot, XKEY[c])), num);
}

int dual_units_feedback_xlsx(struct req *r)
{
	char q[8], path[XLSX_PATH_MAX], title[300], per[80];
	json_t *fb = load_feedback(r, q);
	if (!fb)
		return r->status;
	lxw_workbook *wb = xlsx_open(path, "dual", 0);
	if (!wb) {
		json_decref(fb);
		return reply_error(r, 500, "xlsx_failed", "无法生成 Excel 文件", NULL);
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, "季度反馈");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_format *num = workbook_add_format(wb);
	format_set_num_format(num, "0.0");
	snprintf(title, sizeof title, "%s 双报到党员服务情况季度反馈表（%s）", jstr(fb, "unit_name"), jstr(fb, "community_name"));
	xlsx_text(ws, 0, 0, title, bold);
	xlsx_text(ws, 1, 0, period_title(fb, per, sizeof per), NULL);
	for (int c = 0; c < NCOL; c++) {
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, c < 3 ? 16 : 12, NULL);
		xlsx_text(ws, 2, (lxw_col_t)c, XHEAD[c], bold);
	}
	xlsx_rows(ws, fb, num);
	json_decref(fb);
	size_t len = 0;
	char *data = xlsx_finish(wb, path, &len);
	if (!data)
		return reply_error(r, 500, "xlsx_failed", "无法生成 Excel 文件", NULL);
	attach(r, "xlsx", q);
	reply_raw(r, 200, XLSX_MIME, data, len, 0);
	free(data);
	return 200;
}

static void pdf_rows(struct pdf_doc *d, const json_t *fb)
{
	static const double share[NCOL] = {1.2, 1.6, 1.5, 0.8, 1, 0.8, 0.8, 0.8, 0.8, 0.8};
	pdf_doc_table(d, NCOL, XHEAD, share);
	size_t i;
	json_t *row;
	char cells[NCOL][120];
	const char *cp[NCOL];
	for (int c = 0; c < NCOL; c++)
		cp[c] = cells[c];
	json_array_foreach(json_object_get(fb, "items"), i, row) {
		for (int c = 0; c < NCOL; c++)
			cell_text(row, XKEY[c], cells[c], sizeof cells[c]);
		pdf_doc_row(d, cp);
	}
	const json_t *tot = json_object_get(fb, "totals");
	snprintf(cells[0], sizeof cells[0], "合计");
	cells[1][0] = cells[2][0] = 0;
	for (int c = 3; c < NCOL; c++)
		cell_text(tot, XKEY[c], cells[c], sizeof cells[c]);
	pdf_doc_row(d, cp);
}

int dual_units_feedback_pdf(struct req *r)
{
	char q[8], per[80], n[32];
	json_t *fb = load_feedback(r, q);
	if (!fb)
		return r->status;
	struct pdf_doc *d = pdf_doc_new("双报到党员服务情况季度反馈表");
	if (!d) {
		json_decref(fb);
		return reply_error(r, 500, "pdf_failed", "无法生成 PDF", NULL);
	}
	pdf_doc_subtitle(d, period_title(fb, per, sizeof per));
	pdf_doc_kv(d, "报到单位", jstr(fb, "unit_name"));
	pdf_doc_kv(d, "单位党组织", jstr(fb, "party_org_name"));
	pdf_doc_kv(d, "报到社区", jstr(fb, "community_name"));
	snprintf(n, sizeof n, "%lld", (long long)jint(json_object_get(fb, "totals"), "members", 0));
	pdf_doc_kv(d, "报到党员", n);
	pdf_rows(d, fb);
	pdf_doc_para(d, "服务数据由系统根据已审核的志愿服务记录、岗位值守与活动签到、问题上报自动汇总，无需手工填报。");
	static const char *const sig[] = {"社区（居委）（盖章）", "报到单位党组织（盖章）"};
	static const char *const who[] = {NULL, NULL};
	pdf_doc_signatures(d, 2, sig, who, "    年    月    日");
	json_decref(fb);
	buf_t out;
	buf_init(&out, 32u << 20);
	if (pdf_doc_finish(d, &out)) {
		buf_free(&out);
		return reply_error(r, 500, "pdf_failed", "无法生成 PDF", NULL);
	}
	attach(r, "pdf", q);
	reply_raw(r, 200, "application/pdf", out.data, out.len, 0);
	buf_free(&out);
	return 200;
}

int dual_overview_get(struct req *r)
{
	char from[16], to[16], q[8];
	int64_t t0, t1;
	if (dual_period(r, from, to, &t0, &t1, q))
		return r->status;
	json_t *f = dual_scope(r, json_object());
	json_object_set_new(f, "from", json_string(from));
	json_object_set_new(f, "to", json_string(to));
	json_t *rows = dual_overview(f);
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, json_pack("{s:o, s:o}", "items", rows, "period", period_json(from, to, q)));
}
