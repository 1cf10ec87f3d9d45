/*
 * party_report.c — 亮身份 participation (party members' attended sign-ups and
 * hours per activity, post and branch) and a branch's roster as xlsx.
 */
#include "api/party.h"
#include "api/xlsx_out.h"
#include "store/party.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Adds one sign-up to the group keyed by key in groups (an object of rows). */
static void tally(json_t *groups, const char *key, json_t *row_init, int64_t member, double hours)
{
	json_t *g = json_object_get(groups, key);
	if (!g) {
		g = row_init;
		json_object_set_new(g, "signups", json_integer(0));
		json_object_set_new(g, "hours", json_real(0));
		json_object_set_new(g, "_m", json_object());
		json_object_set_new(groups, key, g);
	} else
		json_decref(row_init);
	char mk[24];
	snprintf(mk, sizeof mk, "%lld", (long long)member);
	json_object_set_new(json_object_get(g, "_m"), mk, json_true());
	json_object_set_new(g, "signups", json_integer(jint(g, "signups", 0) + 1));
	json_object_set_new(g, "hours", json_real(json_real_value(json_object_get(g, "hours")) + hours));
}

/* The groups as a list, each with its distinct members counted. */
static json_t *groups_list(json_t *groups)
{
	json_t *out = json_array();
	const char *k;
	json_t *g;
	json_object_foreach(groups, k, g) {
		json_object_set_new(g, "members", json_integer((json_int_t)json_object_size(json_object_get(g, "_m"))));
		json_object_del(g, "_m");
		double h = json_real_value(json_object_get(g, "hours"));
		json_object_set_new(g, "hours", json_real((double)(int64_t)(h * 100 + 0.5) / 100));
		json_array_append(out, g);
	}
	json_decref(groups);
	return out;
}

int party_participation(struct req *r)
{
	int64_t now = app_now();
	int64_t from = q_has(r, "from") ? q_time(r, "from") : now - 365 * 86400;
	int64_t to = q_has(r, "to") ? q_time(r, "to") + 86400 : now + 86400;	/* "to" is the last day counted */
	json_t *f = json_object();
	if (q_has(r, "org_id")) {
		json_t *tree = party_tree_build(r);
		json_object_set_new(f, "org_ids", tree ? party_tree_subtree_ids(tree, q_int(r, "org_id")) : json_array());
		json_decref(tree);
	}
	json_t *rows = store_party_participation(scope_filter(r, f), from, to);
	json_decref(f);
	if (!rows)
		return reply_store_error(r, STORE_EIO);
	json_t *acts = json_object(), *posts = json_object(), *orgs = json_object(), *all = json_object();
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) {
		int64_t m = jint(x, "member_id", 0);
		double h = json_number_value(json_object_get(x, "hours"));
		char key[24];
		if (jint(x, "activity_id", 0)) {
			snprintf(key, sizeof key, "%lld", (long long)jint(x, "activity_id", 0));
			tally(acts, key, json_pack("{s:O, s:O}", "activity_id", json_object_get(x, "activity_id"), "title",
						   json_object_get(x, "activity_title")), m, h);
		} else {
			snprintf(key, sizeof key, "%lld", (long long)jint(x, "post_id", 0));
			tally(posts, key, json_pack("{s:O, s:O, s:O}", "post_id", json_object_get(x, "post_id"), "name",
						    json_object_get(x, "post_name"), "vanguard", json_object_get(x, "vanguard")),
			      m, h);
		}
		snprintf(key, sizeof key, "%lld", (long long)jint(x, "org_id", 0));
		tally(orgs, key, json_pack("{s:O, s:O}", "org_id", json_object_get(x, "org_id"), "name",
					   json_object_get(x, "org_name")), m, h);
		tally(all, "all", json_object(), m, h);
	}
	json_decref(rows);
	json_t *tot = groups_list(all);
	json_t *total = json_array_size(tot) ? json_incref(json_array_get(tot, 0))
					     : json_pack("{s:i, s:i, s:f}", "members", 0, "signups", 0, "hours", 0.0);
	json_decref(tot);
	char fd[16], td[16];
	time_t a = (time_t)(from + 8 * 3600), b = (time_t)(to - 86400 + 8 * 3600);
	struct tm ta, tb;
	gmtime_r(&a, &ta);
	gmtime_r(&b, &tb);
	strftime(fd, sizeof fd, "%Y-%m-%d", &ta);
	strftime(td, sizeof td, "%Y-%m-%d", &tb);
	return reply_json(r, 200, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "from", fd, "to", td, "total", total,
					    "by_activity", groups_list(acts), "by_post", groups_list(posts), "by_branch",
					    groups_list(orgs)));
}

static void roster_sheet(lxw_workbook *wb, lxw_worksheet *ws, const char *title, json_t *rows)
{
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	xlsx_text(ws, 0, 0, title, bold);
	static const char *const h[] = {"序号", "姓名", "性别", "手机（脱敏）", "党组织", "状态", "入党日期", "在职党员",
					"工作单位", "职责"};
	for (int c = 0; c < 10; c++) {
		xlsx_text(ws, 2, (lxw_col_t)c, h[c], bold);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, c == 4 || c == 8 ? 24 : 12, NULL);
	}
	size_t i;
	json_t *m;
	json_array_foreach(rows, i, m) {
		lxw_row_t row = (lxw_row_t)(i + 3);
		const char *duty = jstr(m, "duty");
		worksheet_write_number(ws, row, 0, (double)(i + 1), NULL);
		xlsx_text(ws, row, 1, jstr(m, "name"), NULL);
		xlsx_text(ws, row, 2, jstr(m, "gender"), NULL);
		xlsx_text(ws, row, 3, jstr(m, "phone_masked"), NULL);
		xlsx_text(ws, row, 4, jstr(m, "org_name"), NULL);
		xlsx_text(ws, row, 5, !strcmp(jstr(m, "status") ? jstr(m, "status") : "", "full") ? "正式党员" : "预备党员", NULL);
		xlsx_text(ws, row, 6, jstr(m, "joined_on"), NULL);
		xlsx_text(ws, row, 7, jbool(m, "employed", 0) ? "是" : "否", NULL);
		xlsx_text(ws, row, 8, jstr(m, "employer_name"), NULL);
		xlsx_text(ws, row, 9, !duty ? NULL : !strcmp(duty, "building_head") ? "党员楼长" : "中心户", NULL);
	}
}

int party_roster_xlsx(struct req *r)
{
	json_t *tree = party_tree_build(r);
	json_t *x = tree ? party_tree_find(tree, req_id(r, 0)) : NULL;
	if (!x || !jbool(x, "in_scope", 0)) {
		json_decref(tree);
		return reply_error(r, 404, "not_found", "党组织不存在", NULL);
	}
	char title[200];
	snprintf(title, sizeof title, "%s 党员名册", jstr(x, "name"));
	json_t *f = json_pack("{s:o}", "org_ids", party_tree_subtree_ids(tree, req_id(r, 0)));
	json_decref(tree);
	json_t *rows = store_party_member_list(scope_filter(r, f), 0, 100000);
	json_decref(f);
	char path[XLSX_PATH_MAX];
	lxw_workbook *wb = rows ? xlsx_open(path, "party-roster", 0) : NULL;
	if (!wb) {
		json_decref(rows);
		return reply_error(r, 500, "xlsx_failed", "无法生成 Excel 文件", NULL);
	}
	roster_sheet(wb, workbook_add_worksheet(wb, "党员名册"), title, rows);
	json_decref(rows);
	size_t len;
	char *data = xlsx_finish(wb, path, &len);
	if (!data)
		return reply_error(r, 500, "xlsx_failed", "无法生成 Excel 文件", NULL);
	reply_header(r, "Content-Disposition", "attachment; filename=\"party-roster.xlsx\"");
	int st = reply_raw(r, 200, XLSX_MIME, data, len, 0);
	free(data);
	return st;
}
