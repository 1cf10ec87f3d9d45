/*
 * test_xlsx_read.c — unit tests for src/core/xlsx_read.{h,c}. Workbooks are
 * written here with libxlsxwriter (shared strings by default, inline strings
 * in constant_memory mode) and read back: Chinese text, numbers, booleans, a
 * formula's cached result, blanks in the middle, trailing blanks trimmed,
 * formatted-but-empty rows skipped, gaps in row numbers, only the first sheet,
 * dates through xlsx_serial_date. Hand-made zips (libzip) cover the failure
 * paths: garbage, an old .xls, a truncated zip, a zip without a worksheet,
 * a zip bomb (70 MiB of zeros), broken XML, a DTD (entity expansion), a bad
 * shared-string index and cell reference; and the callback's stop value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/xlsx_read.h"

static char *slurp(const char *path, size_t *len)
{
	char *d = file_slurp(path, 0, len);
	assert_non_null(d);
	return d;
}

static char *tmp_path(void)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/wm_xlsx_XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

/* Rows as "row|cell|cell…\n". */
static int collect(void *ctx, size_t row, const char *const *cells, size_t n)
{
	buf_t *b = ctx;
	buf_printf(b, "%zu", row);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "|%s", cells[i]);
	buf_puts(b, "\n");
	return 0;
}

static char *make_workbook(int constant_memory, size_t *len)
{
	char *path = tmp_path();
	lxw_workbook_options o = {.constant_memory = (uint8_t)constant_memory, .tmpdir = "/tmp"};
	lxw_workbook *wb = workbook_new_opt(path, &o);
	assert_non_null(wb);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "志愿者名单");
	lxw_worksheet *other = workbook_add_worksheet(wb, "其他");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	const char *head[] = {"姓名", "手机", "时长", "党员", "备注"};
	for (int c = 0; c < 5; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
	worksheet_write_string(ws, 1, 0, "张三", NULL);
	worksheet_write_number(ws, 1, 1, 13800138000.0, NULL);
	worksheet_write_number(ws, 1, 2, 12.5, NULL);
	worksheet_write_boolean(ws, 1, 3, 1, NULL);
	worksheet_write_blank(ws, 1, 4, bold);	/* formatted, empty: trimmed */
	worksheet_write_string(ws, 2, 0, "李四", NULL);
	worksheet_write_number(ws, 2, 2, 3, NULL);
	worksheet_write_boolean(ws, 2, 3, 0, NULL);
	worksheet_write_string(ws, 2, 4, "多行\n备注 & <符号> \"引号\"", NULL);
	worksheet_write_string(ws, 5, 1, "仅B列", NULL);
	worksheet_write_number(ws, 5, 3, 0.001, NULL);
	worksheet_write_blank(ws, 5, 5, bold);
	worksheet_write_blank(ws, 7, 0, bold);	/* a row with only a formatted blank: skipped */
	worksheet_write_number(ws, 9, 0, 46347, NULL);	/* 2026-11-21 */
	worksheet_write_formula_num(ws, 9, 1, "=1+1", NULL, 2);
	worksheet_write_string(ws, 9, 27, "AB列", NULL);
	worksheet_write_string(other, 0, 0, "不应读到", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	char *d = slurp(path, len);
	unlink(path);
	return d;
}

static const char *expected =
	"1|姓名|手机|时长|党员|备注\n"
	"2|张三|13800138000|12.5|TRUE\n"
	"3|李四||3|FALSE|多行\n备注 & <符号> \"引号\"\n"
	"6||仅B列||0.001\n"
	"10|46347|2||||||||||||||||||||||||||AB列\n";

static void check_workbook(int constant_memory)
{
	size_t len;
	char *d = make_workbook(constant_memory, &len);
	buf_t b;
	buf_init(&b, 1 << 20);
	buf_puts(&b, "");
	char err[256] = "x";
	int rc = xlsx_read_rows(d, len, collect, &b, err, sizeof err);
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	assert_string_equal(b.data, expected);
	buf_free(&b);
	free(d);
}

static void test_shared_strings(void **state)
{
	(void)state;
	check_workbook(0);
}

static void test_inline_strings(void **state)
{
	(void)state;
	check_workbook(1);
}

static void test_serial_date(void **state)
{
	(void)state;
	int y;
	unsigned m, d;
	assert_int_equal(xlsx_serial_date("46347", &y, &m, &d), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 11);
	assert_int_equal(d, 21);
	assert_int_equal(xlsx_serial_date("46347.75", &y, &m, &d), 0);
	assert_int_equal(d, 21);
	assert_int_equal(xlsx_serial_date("61", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + (int)m * 100 + (int)d, 19000301);
	assert_int_equal(xlsx_serial_date("60", &y, &m, &d), -1);
	assert_int_equal(xlsx_serial_date("abc", &y, &m, &d), -1);
	assert_int_equal(xlsx_serial_date("", &y, &m, &d), -1);
	assert_int_equal(xlsx_serial_date(NULL, &y, &m, &d), -1);
	assert_int_equal(xlsx_serial_date("1e300", &y, &m, &d), -1);
}

/* A zip in memory with the given parts (name, content, length or 0 = strlen). */
struct entry {
	const char *name;
	const char *data;
	size_t len;
};

static char *make_zip(const struct entry *e, size_t n, size_t *len)
{
	char *path = tmp_path();
	unlink(path);
	int ze;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_EXCL, &ze);
	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(z, e[i].data, e[i].len ? e[i].len : strlen(e[i].data), 0);
		assert_non_null(s);
		assert_true(zip_file_add(z, e[i].name, s, 0) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	char *d = slurp(path, len);
	unlink(path);
	return d;
}

#define SHEET_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet " \
	"xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"

static int read_zip(const struct entry *e, size_t n, char *err, size_t errlen, buf_t *b)
{
	size_t len;
	char *d = make_zip(e, n, &len);
	buf_init(b, 1 << 20);
	buf_puts(b, "");
	int rc = xlsx_read_rows(d, len, collect, b, err, errlen);
	free(d);
	return rc;
}

static void test_minimal_zip(void **state)
{
	(void)state;
	/* no workbook.xml or rels: the conventional sheet name; rich text,
	 * phonetic runs ignored; cells without r follow on; rows without r too */
	struct entry e[] = {
		{"xl/sharedStrings.xml", "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
					 "<si><t>甲</t></si><si><r><t>乙</t></r><r><t xml:space=\"preserve\"> 丙</t></r>"
					 "<rPh><t>yi</t></rPh></si></sst>", 0},
		{"xl/worksheets/sheet1.xml", SHEET_HEAD "<row><c t=\"s\"><v>1</v></c><c t=\"s\"><v>0</v></c></row>"
					     "<row r=\"4\"><c r=\"C4\" t=\"inlineStr\"><is><t>内联</t></is></c><c><v>7</v></c>"
					     "<c t=\"e\"><v>#N/A</v></c></row><row r=\"5\"/>" SHEET_TAIL, 0},
	};
	char err[256];
	buf_t b;
	err[0] = 0;
	int rc = read_zip(e, 2, err, sizeof err, &b);
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	assert_string_equal(b.data, "1|乙 丙|甲\n4|||内联|7|#N/A\n");
	buf_free(&b);
}

static void expect_error(const struct entry *e, size_t n, const char *needle)
{
	char err[256] = "";
	buf_t b;
	assert_int_equal(read_zip(e, n, err, sizeof err, &b), -1);
	if (!strstr(err, needle))
		fail_msg("error \"%s\" lacks \"%s\"", err, needle);
	buf_free(&b);
}

static void test_bad_files(void **state)
{
	(void)state;
	char err[256];
	static const char garbage[] = "这不是 Excel 文件，只是一些文字。";
	assert_int_equal(xlsx_read_rows(garbage, sizeof garbage, collect, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "不是有效的 Excel"));
	assert_int_equal(xlsx_read_rows("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, collect, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, ".xls"));
	assert_int_equal(xlsx_read_rows("", 0, collect, NULL, err, sizeof err), -1);
	assert_int_equal(xlsx_read_rows(NULL, 10, collect, NULL, err, sizeof err), -1);
	assert_int_equal(xlsx_read_rows("PK\x03\x04garbage", 11, collect, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "损坏"));
	assert_int_equal(xlsx_read_rows(garbage, sizeof garbage, NULL, NULL, NULL, 0), -1);

	/* a real workbook cut in half */
	size_t len;
	char *d = make_workbook(0, &len);
	assert_int_equal(xlsx_read_rows(d, len / 2, collect, NULL, err, sizeof err), -1);
	free(d);

	struct entry none[] = {{"hello.txt", "hi", 0}};
	expect_error(none, 1, "缺少 xl/worksheets/sheet1.xml");
	struct entry broken[] = {{"xl/worksheets/sheet1.xml", SHEET_HEAD "<row><c><v>1</v></row>", 0}};
	expect_error(broken, 1, "XML");
	struct entry dtd[] = {{"xl/worksheets/sheet1.xml",
			       "<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
			       "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>", 0}};
	expect_error(dtd, 1, "DTD");
	struct entry bad_index[] = {{"xl/sharedStrings.xml", "<sst><si><t>a</t></si></sst>", 0},
				    {"xl/worksheets/sheet1.xml", SHEET_HEAD "<row><c t=\"s\"><v>5</v></c></row>" SHEET_TAIL, 0}};
	expect_error(bad_index, 2, "共享字符串");
	struct entry bad_ref[] = {{"xl/worksheets/sheet1.xml", SHEET_HEAD "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>" SHEET_TAIL, 0}};
	expect_error(bad_ref, 1, "XFE1");
	/* a million and one empty shared strings (5 MB of XML, ~20 KB zipped) */
	size_t ns = XLSX_MAX_STRINGS + 1, sl = 5 + ns * 5 + 6;
	char *sst = malloc(sl + 1), *o = sst;
	memcpy(o, "<sst>", 5), o += 5;
	for (size_t i = 0; i < ns; i++)
		memcpy(o, "<si/>", 5), o += 5;
	memcpy(o, "</sst>", 6), o += 6;
	struct entry many[] = {{"xl/sharedStrings.xml", sst, sl},
			       {"xl/worksheets/sheet1.xml", SHEET_HEAD SHEET_TAIL, 0}};
	expect_error(many, 2, "共享字符串超过");
	free(sst);
	struct entry bad_row[] = {{"xl/worksheets/sheet1.xml", SHEET_HEAD "<row r=\"-3\"><c><v>1</v></c></row>" SHEET_TAIL, 0}};
	expect_error(bad_row, 1, "行号");
}

static void test_zip_bomb(void **state)
{
	(void)state;
	/* 70 MiB of empty elements inside a valid sheet compresses to ~70 KiB */
	size_t big = 70u << 20;
	char *sheet = malloc(big);
	for (size_t i = 0; i + 4 <= big; i += 4)
		memcpy(sheet + i, "<x/>", 4);
	memcpy(sheet, SHEET_HEAD, strlen(SHEET_HEAD));
	memcpy(sheet + big - strlen(SHEET_TAIL), SHEET_TAIL, strlen(SHEET_TAIL));
	struct entry e[] = {{"xl/worksheets/sheet1.xml", sheet, big}};
	size_t len;
	char *d = make_zip(e, 1, &len);
	free(sheet);
	assert_true(len < (1u << 20));
	char err[256];
	assert_int_equal(xlsx_read_rows(d, len, collect, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "64 MiB"));
	/* a directory that lies about the size is caught while inflating: patch
	 * the central directory's uncompressed size (offset 24 of "PK\1\2") and the
	 * local header's (offset 22) to 1 KiB */
	for (size_t i = 0; i + 28 < len; i++) {
		if (!memcmp(d + i, "PK\x01\x02", 4))
			memcpy(d + i + 24, "\x00\x04\x00\x00", 4);
		if (!memcmp(d + i, "PK\x03\x04", 4))
			memcpy(d + i + 22, "\x00\x04\x00\x00", 4);
	}
	err[0] = 0;
	assert_int_equal(xlsx_read_rows(d, len, collect, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "64 MiB"));
	free(d);
}

static int stop_at_three(void *ctx, size_t row, const char *const *cells, size_t n)
{
	(void)cells;
	(void)n;
	*(size_t *)ctx = row;
	return row == 3 ? 42 : 0;
}

static void test_stop(void **state)
{
	(void)state;
	size_t len, last = 0;
	char *d = make_workbook(0, &len);
	assert_int_equal(xlsx_read_rows(d, len, stop_at_three, &last, NULL, 0), 42);
	assert_int_equal(last, 3);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_strings),
		cmocka_unit_test(test_inline_strings),
		cmocka_unit_test(test_serial_date),
		cmocka_unit_test(test_minimal_zip),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_zip_bomb),
		cmocka_unit_test(test_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
