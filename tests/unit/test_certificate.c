/*
 * test_certificate.c — unit tests for src/core/certificate.{h,c}: a short
 * certificate is one A4 page; 120 records (some with long Chinese names)
 * paginate to several pages; no records still makes a certificate; the
 * failure paths (NULL, empty or non-UTF-8 required text, stars out of range,
 * negative or NaN hours, lines NULL with n > 0, too many lines, the output
 * cap). With WENMING_CERT_OUT set, the PDFs are written there for a look
 * (pdftoppm).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/certificate.h"
#include "core/render.h"

#define T0 1795222800LL	/* 2026-11-21 09:00 in China */

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

static const char *acts[] = {"文明城市创建志愿服务：清理楼道堆物", "垃圾分类督导", "交通文明劝导",
			     "“四点半课堂”课业辅导与安全教育（一个很长很长的活动名称，用来检查换行是否正确，不会被截断或溢出到相邻的格子里）",
			     "敬老院慰问"};
static const char *places[] = {"由由第五居民区", "花木街道社区党群服务中心新时代文明实践站", "浦东大道公交站", "世纪公园"};

static struct cert_info info(struct cert_line *lines, size_t n)
{
	struct cert_info c = {.name = "张三丰", .id_masked = "31**************123", .org = "花木街道志愿者服务队",
			      .issuer = "浦东新区花木街道新时代文明实践所", .serial = "ZY-2026-000042",
			      .total_hours = 1234.5, .stars = 4, .issued_at = T0, .lines = lines, .n = n};
	return c;
}

static void fill(struct cert_line *l, size_t n)
{
	static char dates[200][16];
	for (size_t i = 0; i < n; i++) {
		snprintf(dates[i % 200], sizeof dates[0], "2026-%02zu-%02zu", i % 12 + 1, i % 28 + 1);
		l[i].date = dates[i % 200];
		l[i].activity = acts[i % 5];
		l[i].place = places[i % 4];
		l[i].hours = 2.5 + (double)(i % 4);
	}
}

static void test_short(void **state)
{
	(void)state;
	struct cert_line l[6];
	fill(l, 6);
	struct cert_info c = info(l, 6);
	buf_t b;
	buf_init(&b, 8 << 20);
	assert_int_equal(certificate_pdf(&c, &b), 0);
	save("cert_short.pdf", &b);
	assert_memory_equal(b.data, "%PDF-", 5);
	assert_int_equal(pages(&b), 1);
	buf_free(&b);

	/* no records, no ID, no org, no stars: still a certificate */
	c = info(NULL, 0);
	c.id_masked = NULL;
	c.org = NULL;
	c.stars = 0;
	c.total_hours = 36;
	buf_init(&b, 8 << 20);
	assert_int_equal(certificate_pdf(&c, &b), 0);
	assert_int_equal(pages(&b), 1);
	save("cert_empty.pdf", &b);
	buf_free(&b);
}

static void test_long(void **state)
{
	(void)state;
	struct cert_line *l = calloc(120, sizeof *l);
	fill(l, 120);
	struct cert_info c = info(l, 120);
	c.stars = 5;
	buf_t b;
	buf_init(&b, 32 << 20);
	assert_int_equal(certificate_pdf(&c, &b), 0);
	save("cert_long.pdf", &b);
	size_t p = pages(&b);
	assert_true(p >= 5 && p <= 10);
	buf_free(&b);
	free(l);
}

static void test_failures(void **state)
{
	(void)state;
	struct cert_line l[2];
	fill(l, 2);
	struct cert_info c;
	buf_t b;
	buf_init(&b, 8 << 20);
	assert_int_equal(certificate_pdf(NULL, &b), -1);
	c = info(l, 2);
	assert_int_equal(certificate_pdf(&c, NULL), -1);
	c = info(l, 2), c.name = NULL;
	assert_int_equal(certificate_pdf(&c, &b), -1);
	c = info(l, 2), c.name = "";
	assert_int_equal(certificate_pdf(&c, &b), -1);
	c = info(l, 2), c.issuer = NULL;
	assert_int_equal(certificate_pdf(&c, &b), -1);
	c = info(l, 2), c.serial = "";
	assert_int_equal(certificate_pdf(&c, &b), -1);
	c = info(l, 2), c.org = "\xB1\xE0\xBA\xC5";
	assert_int_equal(certificate_pdf(&c, &b), -1);
	char long_org[400];
	memset(long_org, 'x', sizeof long_org - 1);
	long_org[sizeof long_org - 1] = 0;
	c = info(l, 2), c.org = long_org;
	assert_int_equal(certificate_pdf(&c, &b), -1);
	c = info(l, 2), c.stars = -1;
	assert_int_equal(certificate_pdf(&c, &b), -1);
	c = info(l, 2), c.stars = 11;
	assert_int_equal(certificate_pdf(&c, &b), -1);
	c = info(l, 2), c.total_hours = -1;
	assert_int_equal(certificate_pdf(&c, &b), -1);
	c = info(l, 2), c.total_hours = NAN;
	assert_int_equal(certificate_pdf(&c, &b), -1);
	c = info(NULL, 2);
	assert_int_equal(certificate_pdf(&c, &b), -1);
	c = info(l, CERT_MAX_LINES + 1);
	assert_int_equal(certificate_pdf(&c, &b), -1);
	l[1].hours = INFINITY;
	c = info(l, 2);
	assert_int_equal(certificate_pdf(&c, &b), -1);
	l[1].hours = 1;
	l[1].place = "\xff";
	assert_int_equal(certificate_pdf(&c, &b), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	l[1].place = NULL;	/* optional */
	buf_init(&b, 1000);
	assert_int_equal(certificate_pdf(&c, &b), -1);
	assert_true(b.overflow);
	buf_free(&b);
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
