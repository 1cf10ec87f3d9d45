/*
 * target_letter.c — GET /api/v1/targets/{id}/letter.pdf: the printable
 * 精神文明创建工作目标责任书 (core/pdf_doc.h): the parties, the items with
 * their goals, today's progress (period and sample size, so a printed copy
 * says when it was true), and the signature lines of both sides — filled
 * with the signers' names and date once signed, blank before.
 */
#include "api.h"
#include "api/targets.h"
#include "core/pdf_doc.h"
#include "store/targets_sql.h"
#include <stdio.h>
#include <string.h>

static void goal_text(const json_t *it, const json_t *p, char *out, size_t n)
{
	const char *unit = jstr(p, "unit");
	double g = json_number_value(json_object_get(it, "goal"));
	if (!unit || !strcmp(unit, "text"))
		snprintf(out, n, "%s", jstr(it, "text") ? jstr(it, "text") : "");
	else if (!strcmp(unit, "rate"))
		snprintf(out, n, "不低于 %.1f%%", g * 100.0);
	else
		snprintf(out, n, "不少于 %g", g);
}

static void progress_text(const json_t *p, char *out, size_t n)
{
	const char *unit = jstr(p, "unit");
	json_t *v = json_object_get(p, "value");
	char val[64] = "—";
	if (unit && !strcmp(unit, "text"))
		snprintf(val, sizeof val, "%s", json_is_true(json_object_get(p, "met")) ? "已完成" : "未完成");
	else if (json_is_number(v) && !strcmp(unit, "rate"))
		snprintf(val, sizeof val, "%.1f%%", json_number_value(v) * 100.0);
	else if (json_is_number(v))
		snprintf(val, sizeof val, "%g", json_number_value(v));
	if (json_is_integer(json_object_get(p, "sample")) && strcmp(unit ? unit : "", "text"))
		snprintf(out, n, "%s（样本 %lld）", val, (long long)jint(p, "sample", 0));
	else
		snprintf(out, n, "%s", val);
}

static void items_table(struct pdf_doc *d, const json_t *items)
{
	static const char *const head[] = {"序号", "目标内容", "目标值", "当前完成", "状态"};
	static const double share[] = {0.6, 3, 2, 2, 1};
	pdf_doc_table(d, 5, head, share);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		json_t *p = json_object_get(it, "progress");
		char no[24], goal[600], prog[96];
		snprintf(no, sizeof no, "%zu", i + 1);
		goal_text(it, p, goal, sizeof goal);
		progress_text(p, prog, sizeof prog);
		const char *cells[] = {no, jstr(it, "metric_name"), goal, prog,
				       json_is_true(json_object_get(p, "met")) ? "达标" : "未达标"};
		pdf_doc_row(d, cells);
	}
}

int targets_letter(struct req *r, json_t *t)
{
	struct pdf_doc *d = pdf_doc_new(jstr(t, "title"));
	char line[256];
	snprintf(line, sizeof line, "%lld 年度", (long long)jint(t, "year", 0));
	pdf_doc_subtitle(d, line);
	pdf_doc_kv(d, "下达单位（甲方）", "花木街道精神文明建设办公室");
	pdf_doc_kv(d, "责任单位（乙方）", jstr(t, "org_name"));
	pdf_doc_para(d, "为深入推进精神文明创建工作，甲乙双方经协商，确定乙方本年度创建工作目标如下。"
			"完成情况由系统按本年度 1 月 1 日至今的实际数据实时计算，年终据此考核，并作为评先评优的依据。");
	json_t *items = json_object_get(t, "items");
	json_t *first = json_array_get(items, 0);
	json_t *p0 = first ? json_object_get(first, "progress") : NULL;
	if (p0 && jstr(p0, "to")) {
		snprintf(line, sizeof line, "统计期间：%s 至 %s", jstr(p0, "from") ? jstr(p0, "from") : "", jstr(p0, "to"));
		pdf_doc_kv(d, "说明", line);
	}
	pdf_doc_heading(d, "目标内容");
	items_table(d, items);
	snprintf(line, sizeof line, "%lld / %lld 项达标", (long long)jint(t, "met", 0), (long long)jint(t, "total", 0));
	pdf_doc_kv(d, "当前完成", line);
	pdf_doc_space(d, 10);
	static const char *const labels[] = {"甲方（盖章）", "乙方（盖章）"};
	const char *names[] = {jstr(t, "issuer_signer"), jstr(t, "receiver_signer")};
	pdf_doc_signatures(d, 2, labels, names, jstr(t, "signed_on"));
	buf_t out;
	buf_init(&out, 16u << 20);
	if (pdf_doc_finish(d, &out)) {
		buf_free(&out);
		json_decref(t);
		return reply_error(r, 500, "pdf_failed", "无法生成责任书", NULL);
	}
	char cd[96];
	snprintf(cd, sizeof cd, "attachment; filename=\"target-%lld.pdf\"", (long long)jint(t, "id", 0));
	json_decref(t);
	reply_header(r, "Content-Disposition", cd);
	int st = reply_raw(r, 200, "application/pdf", out.data, out.len, 0);
	buf_free(&out);
	return st;
}
