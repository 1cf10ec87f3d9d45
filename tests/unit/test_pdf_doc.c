/*
 * test_pdf_doc.c — unit tests for src/core/pdf_doc.{h,c}: a short document
 * is one page with its title in the metadata; a table of 300 rows runs over
 * several pages (and every block kind renders); the sticky failure paths
 * (NULL or non-UTF-8 text, a row without a table, column counts and shares
 * out of range, too many signature blocks, the output cap) return -1 and
 * never crash. With WENMING_CERT_OUT set, the PDFs are written there for a
 * look (pdftoppm).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pdf_doc.h"
#include "core/render.h"

static void save(const char *name, const buf_t *b)
{
	const char *dir = getenv("WENMING_CERT_OUT");
	if (!dir)
		return;
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(b->data, 1, b->len, f);
		fclose(f);
	}
}

static size_t pages(const buf_t *b)
{
	size_t n = 0;
	for (const char *p = b->data; (p = memmem(p, b->len - (size_t)(p - b->data), "/Type /Page", 11)); p += 11)
		if (p[11] != 's')
			n++;
	return n;
}

static void test_short(void **state)
{
	(void)state;
	buf_t out;
	buf_init(&out, 8 << 20);
	struct pdf_doc *d = pdf_doc_new("双报到党员服务情况季度反馈表");
	assert_non_null(d);
	pdf_doc_subtitle(d, "2026 年第四季度");
	pdf_doc_kv(d, "报到单位", "浦发银行花木支行");
	pdf_doc_para(d, "　　现将贵单位在职党员到居住地社区报到服务情况反馈如下。\n第二行");
	static const char *const head[] = {"姓名", "服务次数", "时长"};
	static const double share[] = {2, 1, 1};
	pdf_doc_table(d, 3, head, share);
	pdf_doc_row(d, (const char *const[]){"张志愿", "3", NULL});
	static const char *const labels[] = {"社区党组织（盖章）", "报到单位（盖章）"};
	pdf_doc_signatures(d, 2, labels, NULL, NULL);
	assert_int_equal(pdf_doc_finish(d, &out), 0);
	assert_memory_equal(out.data, "%PDF", 4);
	assert_int_equal(pages(&out), 1);
	save("pdf_doc_short.pdf", &out);
	buf_free(&out);
}

static void test_long(void **state)
{
	(void)state;
	buf_t out;
	buf_init(&out, 32 << 20);
	struct pdf_doc *d = pdf_doc_new("荣誉证书");
	pdf_doc_framed(d);
	pdf_doc_footer(d, "编号：HM-2026-0001");
	pdf_doc_center(d, "张志愿", 28);
	pdf_doc_space(d, 5);
	pdf_doc_heading(d, "服务记录");
	static const char *const head[] = {"序号", "日期", "活动", "地点", "时长"};
	pdf_doc_table(d, 5, head, NULL);
	for (int i = 0; i < 300; i++) {
		char no[16];
		snprintf(no, sizeof no, "%d", i + 1);
		pdf_doc_row(d, (const char *const[]){no, "2026-11-21", i % 7 ? "垃圾分类督导" :
			"文明城市创建志愿服务：清理楼道堆物，劝导不文明行为，宣传垃圾分类知识，服务时间较长的一次活动",
			"由由第五居民区", "2.5"});
	}
	static const char *const labels[] = {"甲方", "乙方", "见证"};
	static const char *const names[] = {"花木街道", NULL, "文明办"};
	pdf_doc_signatures(d, 3, labels, names, "2026年12月7日");
	assert_int_equal(pdf_doc_finish(d, &out), 0);
	assert_true(pages(&out) > 5);
	save("pdf_doc_long.pdf", &out);
	buf_free(&out);
}

static int fails(struct pdf_doc *d)
{
	buf_t out;
	buf_init(&out, 8 << 20);
	int rc = pdf_doc_finish(d, &out);
	assert_int_equal(out.len, 0);
	buf_free(&out);
	return rc;
}

static void test_failures(void **state)
{
	(void)state;
	assert_null(pdf_doc_new(NULL));
	assert_null(pdf_doc_new("\xff\xfe"));
	assert_int_equal(pdf_doc_finish(NULL, NULL), -1);

	struct pdf_doc *d = pdf_doc_new("t");
	pdf_doc_para(d, "ok");
	pdf_doc_para(d, "bad \xc3\x28 utf-8");
	pdf_doc_para(d, "after the error: ignored");
	assert_int_equal(fails(d), -1);

	d = pdf_doc_new("t");
	pdf_doc_row(d, (const char *const[]){"a"});	/* no table */
	assert_int_equal(fails(d), -1);

	d = pdf_doc_new("t");
	pdf_doc_table(d, 0, (const char *const[]){"a"}, NULL);
	assert_int_equal(fails(d), -1);

	d = pdf_doc_new("t");
	pdf_doc_table(d, 2, (const char *const[]){"a", "b"}, (const double[]){0.9, -1});
	assert_int_equal(fails(d), -1);

	d = pdf_doc_new("t");
	pdf_doc_heading(d, NULL);
	assert_int_equal(fails(d), -1);

	d = pdf_doc_new("t");
	pdf_doc_center(d, "x", 200);
	assert_int_equal(fails(d), -1);

	d = pdf_doc_new("t");
	pdf_doc_signatures(d, 4, (const char *const[]){"a", "b", "c", "d"}, NULL, NULL);
	assert_int_equal(fails(d), -1);

	/* The cap on the output: finish fails, nothing half-written is trusted. */
	d = pdf_doc_new("t");
	pdf_doc_para(d, "正文");
	buf_t small;
	buf_init(&small, 100);
	assert_int_equal(pdf_doc_finish(d, &small), -1);
	buf_free(&small);

	pdf_doc_free(NULL);
	pdf_doc_free(pdf_doc_new("freed without rendering"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_failures),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	render_shutdown();
	return rc;
}
