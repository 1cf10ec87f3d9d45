/*
 * test_qr.c — unit tests for src/core/qr.{h,c}:
 *   - PNG: read back with cairo; side = (width + 8 quiet modules) × module_px;
 *     the quiet zone is white, the top-left finder pattern dark where it must
 *     be; a Chinese URL works; the largest text that fits (2331 bytes) works;
 *   - SVG: well-formed XML (libxml2), one <path>, viewBox in modules;
 *   - failure paths: NULL and empty text, text over QR_MAX_BYTES, bad module
 *     size, NULL output, an output buffer whose maximum is too small;
 *   - the A4 sheet: 13 labels → a 2-page PDF; no labels, a label without text
 *     → -1. When WENMING_QR_OUT is set, the PNG, SVG and PDF are written
 *     there for a look.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <libxml/parser.h>

#include "core/render.h"
#include "core/qr.h"

static const char *url = "https://wenming.example.cn/s/浦东新区/花木街道/由由第五居民区?id=42";

static void save(const char *name, const buf_t *b)
{
	const char *dir = getenv("WENMING_QR_OUT");
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

struct reader {
	const buf_t *b;
	size_t off;
};

static cairo_status_t rd(void *closure, unsigned char *data, unsigned int len)
{
	struct reader *r = closure;
	if (r->off + len > r->b->len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->b->data + r->off, len);
	r->off += len;
	return CAIRO_STATUS_SUCCESS;
}

/* Grey value (0 black … 255 white) of the PNG pixel (x, y). */
static int grey_at(cairo_surface_t *s, int x, int y)
{
	unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	uint32_t px = *(uint32_t *)(d + (size_t)y * stride + (size_t)x * 4);
	return (int)(px & 0xff);
}

static void test_png(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b, 1 << 20);
	assert_int_equal(qr_png(url, 4, &b), 0);
	assert_memory_equal(b.data, "\x89PNG", 4);
	save("qr.png", &b);
	struct reader r = {&b, 0};
	cairo_surface_t *s = cairo_image_surface_create_from_png_stream(rd, &r);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	int side = cairo_image_surface_get_width(s);
	assert_int_equal(cairo_image_surface_get_height(s), side);
	assert_int_equal(side % 4, 0);
	int modules = side / 4 - 2 * QR_QUIET;
	assert_int_equal((modules - 17) % 4, 0);	/* 17 + 4 × version */
	cairo_surface_flush(s);
	/* quiet zone white, finder pattern: dark ring, light ring, dark core */
	assert_int_equal(grey_at(s, 0, 0), 255);
	assert_int_equal(grey_at(s, 4 * 4 - 1, 4 * 4 - 1), 255);
	assert_int_equal(grey_at(s, 4 * 4, 4 * 4), 0);
	assert_int_equal(grey_at(s, 4 * 5 + 1, 4 * 5 + 1), 255);
	assert_int_equal(grey_at(s, 4 * 7 + 1, 4 * 7 + 1), 0);
	assert_int_equal(grey_at(s, side - 1, side - 1), 255);
	cairo_surface_destroy(s);
	buf_free(&b);

	/* the largest text that fits, and one byte more */
	char *big = malloc(QR_MAX_BYTES + 2);
	memset(big, 'a', QR_MAX_BYTES + 1);
	big[QR_MAX_BYTES] = 0;
	buf_init(&b, 4 << 20);
	assert_int_equal(qr_png(big, 1, &b), 0);
	buf_free(&b);
	big[QR_MAX_BYTES] = 'a';
	big[QR_MAX_BYTES + 1] = 0;
	buf_init(&b, 4 << 20);
	assert_int_equal(qr_png(big, 1, &b), -1);
	assert_int_equal(qr_svg(big, &b), -1);
	buf_free(&b);
	free(big);
}

static void test_svg(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b, 1 << 20);
	assert_int_equal(qr_svg("hello", &b), 0);	/* version 1: 21 + 8 modules */
	save("qr.svg", &b);
	assert_non_null(strstr(b.data, "viewBox=\"0 0 29 29\""));
	const char *p = strstr(b.data, "<path");
	assert_non_null(p);
	assert_null(strstr(p + 1, "<path"));
	xmlDocPtr doc = xmlReadMemory(b.data, (int)b.len, "qr.svg", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_string_equal((const char *)xmlDocGetRootElement(doc)->name, "svg");
	xmlFreeDoc(doc);
	buf_free(&b);
	buf_init(&b, 1 << 20);
	assert_int_equal(qr_svg(url, &b), 0);
	buf_free(&b);
}

static void test_failures(void **state)
{
	(void)state;
	buf_t b;
	buf_init(&b, 1 << 20);
	assert_int_equal(qr_png(NULL, 4, &b), -1);
	assert_int_equal(qr_png("", 4, &b), -1);
	assert_int_equal(qr_png("x", 0, &b), -1);
	assert_int_equal(qr_png("x", QR_MAX_MODULE_PX + 1, &b), -1);
	assert_int_equal(qr_png("x", 4, NULL), -1);
	assert_int_equal(qr_svg(NULL, &b), -1);
	assert_int_equal(qr_svg("", &b), -1);
	assert_int_equal(qr_svg("x", NULL), -1);
	assert_int_equal(qr_draw(NULL, "x", 0, 0, 10), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	/* the caller's cap is respected */
	buf_init(&b, 100);
	assert_int_equal(qr_png(url, 8, &b), -1);
	assert_true(b.overflow);
	buf_free(&b);
	buf_init(&b, 100);
	assert_int_equal(qr_svg(url, &b), -1);
	buf_free(&b);
}

static size_t count(const buf_t *b, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	for (size_t i = 0; i + k <= b->len; i++)
		if (!memcmp(b->data + i, needle, k))
			n++;
	return n;
}

static void test_sheet(void **state)
{
	(void)state;
	static const char *titles[] = {"由由第五居民区", "花木街道社区党群服务中心新时代文明实践站（一个很长的名字需要换行显示）",
				       "浦东大道公交站", "世纪公园", "东方医院"};
	struct qr_label l[13];
	char texts[13][128];
	for (int i = 0; i < 13; i++) {
		snprintf(texts[i], sizeof texts[i], "https://wenming.example.cn/s/%d", 1000 + i);
		l[i].text = texts[i];
		l[i].title = titles[i % 5];
		l[i].subtitle = i == 3 ? NULL : "浦东新区花木街道 · 点位编号 PD-HM-0042";
	}
	buf_t b;
	buf_init(&b, 16 << 20);
	assert_int_equal(qr_sheet_pdf(l, 13, &b), 0);
	save("qr_sheet.pdf", &b);
	assert_memory_equal(b.data, "%PDF-", 5);
	assert_int_equal(count(&b, "/Type /Page\n") + count(&b, "/Type /Page "), 2);
	buf_free(&b);

	buf_init(&b, 16 << 20);
	assert_int_equal(qr_sheet_pdf(l, 0, &b), -1);
	assert_int_equal(qr_sheet_pdf(NULL, 1, &b), -1);
	l[5].text = "";
	assert_int_equal(qr_sheet_pdf(l, 13, &b), -1);
	l[5].text = NULL;
	assert_int_equal(qr_sheet_pdf(l, 13, &b), -1);
	buf_free(&b);
	l[5].text = texts[5];
	buf_init(&b, 2000);
	assert_int_equal(qr_sheet_pdf(l, 13, &b), -1);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_sheet),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	render_shutdown();
	return rc;
}
