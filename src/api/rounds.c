/*
 * rounds.c — inspection rounds (SPEC §4): a round such as "5月11日 咬尾巴突击检查"
 * assigns inspecting orgs to inspected orgs — as a ring (A→B→C→…→A,
 * core/scoring.c's ring_pairs), as the reverse of an earlier round for the
 * follow-up (反向咬尾巴: every pair turned around), or by hand — and tracks
 * progress per pair (inspections done of the inspected org's sites). Results
 * rank the inspected orgs by score rate, problems found and problems
 * rectified; the same ranking across all inspections is GET /api/v1/rankings.
 * The report is an xlsx workbook (libxlsxwriter, as ledger.c does).
 */
#include "sites.h"
#include "core/scoring.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xlsx_out.h"

#define ROUND_ROLES (R_OFFICE | R_COMMITTEE | R_INSPECTOR)
#define MAX_ORGS 200

static const char *const time_keys[] = {"created_at", NULL};

static json_t *round_view(json_t *rd)
{
	char d[16];
	static const char *const days[] = {"starts_on", "ends_on"};
	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(rd, days[i]);
		if (json_is_integer(v)) {
			ymd_format((int)json_integer_value(v), d, sizeof d);
			json_object_set_new(rd, days[i], json_string(d));
		}
	}
	render_times(rd, time_keys);
	json_object_del(rd, "scope_path");
	return rd;
}

char *round_pair_inspected_path(struct req *r, int64_t pair_id)
{
	json_t *pair = pair_id ? store_round_pair_get(pair_id) : NULL;
	char *out = NULL;
	if (pair && !strcmp(jstr(pair, "round_state") ? jstr(pair, "round_state") : "", "open") &&
	    grants_cover(r, ROUND_ROLES, jstr(pair, "inspector_path")) && jstr(pair, "inspected_path"))
		out = strdup(jstr(pair, "inspected_path"));
	json_decref(pair);
	return out;
}

/* Adds "rectification_rate" (%) to ranking rows and their rank. */
static json_t *ranked(json_t *rows)
{
	size_t i;
	json_t *o;
	json_array_foreach(rows, i, o) {
		int64_t p = jint(o, "problems", 0), fixed = jint(o, "rectified", 0);
		json_object_set_new(o, "rank", json_integer((json_int_t)i + 1));
		json_object_set_new(o, "rectification_rate",
				    p > 0 ? json_real(rate_percent(fixed, p)) : json_null());
	}
	return rows;
}

static int visible_round(struct req *r, json_t *rd, json_t *pairs)
{
	if (grants_cover(r, ROUND_ROLES, jstr(rd, "scope_path")))
		return 1;
	size_t i;
	json_t *p;
	json_array_foreach(pairs, i, p) {
		if (grants_cover(r, ROUND_ROLES, jstr(p, "inspector_path")) || grants_cover(r, ROUND_ROLES, jstr(p, "inspected_path")))
			return 1;
	}
	return 0;
}

static void strip_paths(json_t *pairs)
{
	size_t i;
	json_t *p;
	json_array_foreach(pairs, i, p) {
		json_object_del(p, "inspector_path");
		json_object_del(p, "inspected_path");
	}
}

/* The round with its pairs and ranking, or NULL after answering 404. */
static json_t *load_round(struct req *r, int64_t id, int *status)
{
	json_t *rd = store_round_get(id);
	json_t *pairs = rd ? store_round_pairs(id) : NULL;
	if (!rd || !pairs || !visible_round(r, rd, pairs)) {
		json_decref(rd);
		json_decref(pairs);
		*status = reply_error(r, 404, "not_found", "检查轮次不存在或无权查看", NULL);
		return NULL;
	}
	/* The pairs this account inspects for, while the round is open (the UI's
	 * "去检查"; GET /api/v1/sites?pair_id= lists their sites). */
	int open = !strcmp(jstr(rd, "state") ? jstr(rd, "state") : "", "open");
	size_t i;
	json_t *p;
	json_array_foreach(pairs, i, p)
		json_object_set_new(p, "can_inspect", json_boolean(open && grants_cover(r, ROUND_ROLES, jstr(p, "inspector_path"))));
	strip_paths(pairs);
	json_object_set_new(rd, "pairs", pairs);
	json_object_set_new(rd, "ranking", ranked(store_org_ranking(NULL, 0, 0, id)));
	return rd;
}

/* Ring (咬尾巴): the orgs in rotation order, each inspects the next. */
static int pairs_ring(const json_t *in, json_t *fields, struct ring_pair *pairs)
{
	int npairs = 0;
	int64_t ids[MAX_ORGS];
	json_t *orgs = json_object_get(in, "org_ids");
	if (!json_is_array(orgs))
		field_error(fields, "org_ids", "required", "咬尾巴需要至少两个组织（按轮转顺序）");
	size_t i;
	json_t *v;
	if (json_array_size(orgs) > MAX_ORGS)
		orgs = NULL;
	json_array_foreach(orgs, i, v) ids[i] = json_is_integer(v) ? json_integer_value(v) : 0;
	if (json_is_array(orgs) && (npairs = ring_pairs(ids, json_array_size(orgs), 0, pairs)) < 0)
		field_error(fields, "org_ids", "invalid", "组织 id 应为不重复的正整数，至少两个");
	return npairs;
}

/* Reverse: the pairs of a round the caller sees, each turned around. */
static int pairs_reverse(struct req *r, const json_t *in, json_t *fields, struct ring_pair *pairs)
{
	int npairs = 0;
	int64_t of = jint(in, "reverse_of", 0);
	json_t *src = of ? store_round_get(of) : NULL;
	json_t *sp = src ? store_round_pairs(of) : NULL;
	if (!of)
		field_error(fields, "reverse_of", "required", "请指定要反向的轮次");
	else if (!src || !visible_round(r, src, sp))
		field_error(fields, "reverse_of", "not_found", "检查轮次不存在");
	else {
		size_t i;
		json_t *p;
		json_array_foreach(sp, i, p) {
			if (npairs >= MAX_ORGS)
				break;
			pairs[npairs].inspector = jint(p, "inspected_org_id", 0);
			pairs[npairs++].inspected = jint(p, "inspector_org_id", 0);
		}
	}
	json_decref(src);
	json_decref(sp);
	return npairs;
}

/* Manual: the pairs as given, none twice, no org inspecting itself. */
static int pairs_manual(const json_t *in, json_t *fields, struct ring_pair *pairs)
{
	int npairs = 0;
	json_t *ps = json_object_get(in, "pairs");
	if (json_array_size(ps) > MAX_ORGS)
		ps = NULL;
	if (!json_is_array(ps))
		field_error(fields, "pairs", "required", "请逐组指定检查单位和被检查单位");
	size_t i;
	json_t *p;
	json_array_foreach(ps, i, p) {
		int64_t a = jint(p, "inspector_org_id", 0), b = jint(p, "inspected_org_id", 0);
		char name[32];
		snprintf(name, sizeof name, "pairs[%zu]", i);
		if (!json_is_object(p) || json_object_size(p) != 2 || a <= 0 || b <= 0)
			field_error(fields, name, "invalid", "每组应为 {\"inspector_org_id\",\"inspected_org_id\"}");
		else if (a == b)
			field_error(fields, name, "self", "不能检查自己");
		else {
			for (int j = 0; j < npairs; j++)
				if (pairs[j].inspector == a && pairs[j].inspected == b)
					field_error(fields, name, "duplicate", "重复的分组");
			pairs[npairs].inspector = a;
			pairs[npairs++].inspected = b;
		}
	}
	return npairs;
}

/* Every org of the pairs must exist within the scope (the first one that
 * does not is named). */
static void pairs_in_scope(const struct ring_pair *pairs, int npairs, const char *scope_path, json_t *fields)
{
	for (int i = 0; i < npairs && scope_path; i++) {
		int64_t both[2] = {pairs[i].inspector, pairs[i].inspected};
		for (int k = 0; k < 2; k++) {
			char *p = store_org_path(both[k]);
			if (!p || strncmp(p, scope_path, strlen(scope_path))) {
				char name[48];
				snprintf(name, sizeof name, "org_%lld", (long long)both[k]);
				field_error(fields, name, "not_found", "组织不存在或不在本轮次的范围内");
				k = 2, i = npairs;
			}
			free(p);
		}
	}
}

int rounds_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"name", F_STR, F_REQ, 1, 100},
		{"mode", F_STR, F_REQ, 1, 16},
		{"scope_org_id", F_INT, F_REQ, 1, INT64_MAX},
		{"org_ids", F_ARR, 0, 2, MAX_ORGS},
		{"reverse_of", F_INT, 0, 1, INT64_MAX},
		{"pairs", F_ARR, 0, 1, MAX_ORGS},
		{"kind", F_STR, 0, 1, 32},
		{"starts_on", F_STR, F_NULL, 10, 10},
		{"ends_on", F_STR, F_NULL, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return r->status;
	json_t *in = r->json;
	const char *mode = jstr(in, "mode");
	int64_t scope = jint(in, "scope_org_id", 0);
	char *scope_path = scope ? store_org_path(scope) : NULL;
	if (scope && !scope_path)
		field_error(fields, "scope_org_id", "not_found", "组织不存在");
	else if (scope && !scope_covers(r, scope))
		field_error(fields, "scope_org_id", "forbidden_scope", "只能在本辖区组织检查轮次");
	if (mode && !word_in_list("ring reverse manual", mode))
		field_error(fields, "mode", "invalid", "方式应为 ring（咬尾巴）、reverse（反向）或 manual（指定）");
	const char *kind = jstr(in, "kind");
	if (kind && !word_in_list("cross_inspection supervision covert mock_evaluation revisit", kind))
		field_error(fields, "kind", "invalid", "轮次的检查类型应为 cross_inspection、supervision、covert、mock_evaluation 或 revisit");
	int starts = 0, ends = 0;
	if (jstr(in, "starts_on") && !(starts = ymd_parse(jstr(in, "starts_on"))))
		field_error(fields, "starts_on", "invalid", "应为 YYYY-MM-DD");
	if (jstr(in, "ends_on") && !(ends = ymd_parse(jstr(in, "ends_on"))))
		field_error(fields, "ends_on", "invalid", "应为 YYYY-MM-DD");
	if (starts && ends && ends < starts)
		field_error(fields, "ends_on", "invalid", "结束日期早于开始日期");

	/* The pairs, by mode. */
	struct ring_pair pairs[MAX_ORGS];
	int npairs = !mode ? 0
		   : !strcmp(mode, "ring") ? pairs_ring(in, fields, pairs)
		   : !strcmp(mode, "reverse") ? pairs_reverse(r, in, fields, pairs)
		   : pairs_manual(in, fields, pairs);
	pairs_in_scope(pairs, npairs, scope_path, fields);
	free(scope_path);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	json_t *row = json_pack("{s:O, s:s, s:s, s:I, s:I, s:I}", "name", json_object_get(in, "name"), "mode", mode,
				"kind", kind ? kind : !strcmp(mode, "reverse") ? "revisit" : "cross_inspection",
				"scope_org_id", (json_int_t)scope, "created_by", (json_int_t)r->account_id, "created_at",
				(json_int_t)app_now());
	if (!strcmp(mode, "reverse"))
		json_object_set(row, "reverse_of", json_object_get(in, "reverse_of"));
	if (starts)
		json_object_set_new(row, "starts_on", json_integer(starts));
	if (ends)
		json_object_set_new(row, "ends_on", json_integer(ends));
	int64_t id = 0;
	int rc = store_round_create(row, &id);
	json_decref(row);
	for (int i = 0; i < npairs && !rc; i++)
		rc = store_round_pair_add(id, i + 1, pairs[i].inspector, pairs[i].inspected);
	if (!rc)
		rc = audit(r, "create", "round", id, NULL, json_pack("{s:s, s:i}", "mode", mode, "pairs", npairs));
	if (rc)
		return reply_store_error(r, rc == STORE_ECONFLICT ? STORE_EIO : rc);
	int st;
	json_t *rd = load_round(r, id, &st);
	return rd ? reply_json(r, 201, round_view(rd)) : st;
}

int rounds_get(struct req *r)
{
	int st;
	json_t *rd = load_round(r, req_id(r, 0), &st);
	return rd ? reply_json(r, 200, round_view(rd)) : st;
}

int rounds_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"state", F_STR, F_REQ, 1, 16},
		{NULL, 0, 0, 0, 0},
	};
	if (body_check(r, spec))
		return r->status;
	const char *state = jstr(r->json, "state");
	if (strcmp(state, "open") && strcmp(state, "closed")) {
		json_t *f = json_array();
		field_error(f, "state", "invalid", "状态应为 open 或 closed");
		return reply_fields(r, f);
	}
	json_t *rd = store_round_get(req_id(r, 0));
	if (!rd || !scope_covers(r, jint(rd, "scope_org_id", 0))) {
		json_decref(rd);
		return reply_error(r, 404, "not_found", "检查轮次不存在或无权修改", NULL);
	}
	json_t *before = json_pack("{s:O}", "state", json_object_get(rd, "state"));
	json_decref(rd);
	int rc = store_round_set_state(req_id(r, 0), state);
	if (!rc)
		rc = audit(r, "update", "round", req_id(r, 0), before, json_pack("{s:s}", "state", state));
	else
		json_decref(before);
	if (rc)
		return reply_store_error(r, rc);
	int st;
	rd = load_round(r, req_id(r, 0), &st);
	return rd ? reply_json(r, 200, round_view(rd)) : st;
}

int rounds_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	char *sp = scope_paths(r, ROUND_ROLES);
	json_t *items = store_round_list(sp ? sp : "[]", q_int(r, "cursor"), limit);
	free(sp);
	size_t i;
	json_t *rd;
	json_array_foreach(items, i, rd) round_view(rd);
	return list_reply(r, items, limit, "id");
}

int inspection_rankings_get(struct req *r)
{
	json_t *fields = json_array();
	char *under = NULL;
	if (q_has(r, "org_id") && !(under = store_org_path(q_int(r, "org_id"))))
		field_error(fields, "org_id", "not_found", "组织不存在");
	/* from:date to:date are real days; the rankings also want 2000–2200. */
	int64_t from = 0, to = 0;
	if (q_has(r, "from")) {
		int d = ymd_parse(q_text(r, "from"));
		if (!d)
			field_error(fields, "from", "invalid", "应为 YYYY-MM-DD");
		from = d ? ymd_start(d) : 0;
	}
	if (q_has(r, "to")) {
		int d = ymd_parse(q_text(r, "to"));
		if (!d)
			field_error(fields, "to", "invalid", "应为 YYYY-MM-DD");
		to = d ? ymd_start(ymd_add(d, 1)) : 0;
	}
	int64_t round_id = q_int(r, "round_id");
	if (json_array_size(fields)) {
		free(under);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	json_t *rows = store_org_ranking(under, from, to, round_id);
	free(under);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", ranked(rows), "next_cursor"));
}

/* The xlsx report ---------------------------------------------------------------- */

static void cell(lxw_worksheet *ws, int row, int col, const json_t *v, lxw_format *f)
{
	if (json_is_integer(v))
		worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, (double)json_integer_value(v), f);
	else if (json_is_real(v))
		worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, json_real_value(v), f);
	else
		xlsx_text(ws, (lxw_row_t)row, (lxw_col_t)col, json_string_value(v), f);
}

/* Row 2 of a sheet: the round's period as Excel dates. */
static void period_row(lxw_worksheet *ws, const json_t *rd, lxw_format *date)
{
	static const char *const k[] = {"starts_on", "ends_on"}, *const label[] = {"开始日期", "结束日期"};
	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(rd, k[i]);	/* YYYYMMDD as stored */
		if (!json_is_integer(v))
			continue;
		char d[16];
		ymd_format((int)json_integer_value(v), d, sizeof d);
		worksheet_write_string(ws, 1, (lxw_col_t)(2 * i), label[i], NULL);
		xlsx_date(ws, 1, (lxw_col_t)(2 * i + 1), d, date);
	}
}

/* attachment with the round's name, RFC 6266/5987 (filename* in UTF-8). */
static void round_disposition(struct req *r, const char *name)
{
	char cd[600];
	size_t k = (size_t)snprintf(cd, sizeof cd, "attachment; filename=\"round-report.xlsx\"; filename*=UTF-8''");
	const unsigned char *c = (const unsigned char *)(name ? name : "");
	/* At most 120 bytes of the name, cut before a UTF-8 lead byte. */
	size_t n = strlen((const char *)c);
	if (n > 120)
		for (n = 120; n && (c[n] & 0xC0) == 0x80; n--)
			;
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(cd + k, sizeof cd - k, isalnum(c[i]) && c[i] < 0x80 ? "%c" : "%%%02X", c[i]);
	/* "-检查结果.xlsx" */
	snprintf(cd + k, sizeof cd - k, "%s-%%E6%%A3%%80%%E6%%9F%%A5%%E7%%BB%%93%%E6%%9E%%9C.xlsx", n ? "" : "round");
	reply_header(r, "Content-Disposition", cd);
}

int rounds_xlsx(struct req *r)
{
	int st;
	json_t *rd = load_round(r, req_id(r, 0), &st);
	if (!rd)
		return st;
	char path[XLSX_PATH_MAX];
	lxw_workbook *wb = xlsx_open(path, "round", 0);
	if (!wb) {
		json_decref(rd);
		return reply_error(r, 500, "xlsx_failed", "无法生成 Excel 文件", NULL);
	}
	lxw_format *title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 14);
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_pattern(head, LXW_PATTERN_SOLID);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	lxw_format *body = workbook_add_format(wb);
	format_set_border(body, LXW_BORDER_THIN);
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, XLSX_DATE_FMT);

	lxw_worksheet *ws = workbook_add_worksheet(wb, "排名");
	char t[256];
	snprintf(t, sizeof t, "%s — 结果排名", jstr(rd, "name"));
	xlsx_text(ws, 0, 0, t, title);
	period_row(ws, rd, date);
	static const char *const rh[] = {"名次", "被检查单位", "检查次数", "得分率（%）", "发现问题", "已整改", "整改率（%）"};
	static const char *const rk[] = {"rank", "org_name", "inspections", "score_rate", "problems", "rectified", "rectification_rate"};
	for (int c = 0; c < 7; c++) {
		worksheet_write_string(ws, 2, (lxw_col_t)c, rh[c], head);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, c == 1 ? 24 : 12, NULL);
	}
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(rd, "ranking"), i, o) {
		for (int c = 0; c < 7; c++)
			cell(ws, (int)i + 3, c, json_object_get(o, rk[c]), body);
	}
	lxw_worksheet *ps = workbook_add_worksheet(wb, "分组进度");
	xlsx_text(ps, 0, 0, jstr(rd, "name"), title);
	period_row(ps, rd, date);
	static const char *const ph[] = {"序号", "检查单位", "被检查单位", "点位数", "已检查", "得分率（%）", "发现问题", "已整改"};
	static const char *const pk[] = {"seq", "inspector_name", "inspected_name", "site_count", "done", "score_rate", "problems", "rectified"};
	for (int c = 0; c < 8; c++) {
		worksheet_write_string(ps, 2, (lxw_col_t)c, ph[c], head);
		worksheet_set_column(ps, (lxw_col_t)c, (lxw_col_t)c, c == 1 || c == 2 ? 24 : 10, NULL);
	}
	json_array_foreach(json_object_get(rd, "pairs"), i, o) {
		for (int c = 0; c < 8; c++)
			cell(ps, (int)i + 3, c, json_object_get(o, pk[c]), body);
	}
	size_t len;
	char *data = xlsx_finish(wb, path, &len);
	if (!data) {
		json_decref(rd);
		return reply_error(r, 500, "xlsx_failed", "无法生成 Excel 文件", NULL);
	}
	round_disposition(r, jstr(rd, "name"));
	json_decref(rd);
	st = reply_raw(r, 200, XLSX_MIME, data, len, 0);
	free(data);
	return st;
}
