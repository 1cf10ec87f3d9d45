/*
 * test_csv.c — unit tests for csv_read_rows (src/core/csv.c): plain and
 * quoted cells, doubled quotes, embedded CR/LF, CRLF and LF record ends, a
 * BOM, no final newline, blank lines skipped but counted, empty cells in the
 * middle and at the end; errors for an unclosed quote, text after a closing
 * quote, GBK bytes, NUL bytes, too many cells, a huge cell; the callback's
 * stop value; and a round trip through csv_cell.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

/* Collects rows as "row|cell|cell…\n" lines. */
static int collect(void *ctx, size_t row, const char *const *cells, size_t n)
{
	buf_t *b = ctx;
	buf_printf(b, "%zu", row);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "|%s", cells[i]);
	buf_puts(b, "\n");
	return 0;
}

static char *read_all(const char *text, size_t len, int *rc, char *err, size_t errlen)
{
	static buf_t b;
	buf_free(&b);
	buf_init(&b, 1 << 20);
	buf_puts(&b, "");
	*rc = csv_read_rows(text, len, collect, &b, err, errlen);
	return b.data;
}

static void test_basic(void **state)
{
	(void)state;
	int rc;
	char err[256];
	const char *t = "\xEF\xBB\xBF" "编号,名称,备注\r\n"
		"1,\"楼道堆物\",\"含,逗号\"\r\n"
		"\r\n"
		"2,\"他说\"\"好\"\"\",\"两行\r\n第二行\"\n"
		"3,,\n"
		",中间,\n"
		"4,\"\",末尾无换行";
	const char *got = read_all(t, strlen(t), &rc, err, sizeof err);
	assert_int_equal(rc, 0);
	assert_string_equal(got,
		"1|编号|名称|备注\n"
		"2|1|楼道堆物|含,逗号\n"
		"4|2|他说\"好\"|两行\r\n第二行\n"
		"5|3||\n"
		"6||中间|\n"
		"7|4||末尾无换行\n");
	/* nothing at all, only a BOM, only blank lines */
	got = read_all("", 0, &rc, err, sizeof err);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "");
	got = read_all("\xEF\xBB\xBF", 3, &rc, err, sizeof err);
	assert_string_equal(got, "");
	got = read_all("\n\n,,\r\n", 6, &rc, err, sizeof err);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "");
	got = read_all(NULL, 0, &rc, err, sizeof err);
	assert_int_equal(rc, 0);
}

static void test_errors(void **state)
{
	(void)state;
	int rc;
	char err[256];
	read_all("a,\"open\nb,c\n", 12, &rc, err, sizeof err);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "第 1 行：引号未闭合"));
	read_all("a,b\nc,\"x\"y\n", 11, &rc, err, sizeof err);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "第 2 行第 2 列"));
	/* 编号 in GBK */
	read_all("\xB1\xE0\xBA\xC5,1\n", 7, &rc, err, sizeof err);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "UTF-8"));
	read_all("a\0b\n", 4, &rc, err, sizeof err);
	assert_int_equal(rc, -1);
	assert_int_equal(csv_read_rows(NULL, 5, collect, NULL, err, sizeof err), -1);
	assert_int_equal(csv_read_rows("a", 1, NULL, NULL, NULL, 0), -1);

	/* too many cells in one record */
	size_t n = CSV_MAX_CELLS + 5;
	char *many = malloc(n + 1);
	memset(many, ',', n);
	many[n] = 0;
	read_all(many, n, &rc, err, sizeof err);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "列数超过"));
	free(many);

	/* one huge cell, quoted and not */
	size_t big = CSV_MAX_CELL + 10;
	char *huge = malloc(big + 3);
	memset(huge, 'x', big + 2);
	huge[0] = '"';
	huge[big + 1] = '"';
	huge[big + 2] = 0;
	read_all(huge, big + 2, &rc, err, sizeof err);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "字节"));
	read_all(huge + 1, big, &rc, NULL, 0);
	assert_int_equal(rc, -1);
	free(huge);
}

static int stop_at_two(void *ctx, size_t row, const char *const *cells, size_t n)
{
	(void)cells;
	(void)n;
	*(size_t *)ctx = row;
	return row == 2 ? 7 : 0;
}

static void test_stop(void **state)
{
	(void)state;
	size_t last = 0;
	assert_int_equal(csv_read_rows("a\nb\nc\n", 6, stop_at_two, &last, NULL, 0), 7);
	assert_int_equal(last, 2);
}

static void test_round_trip(void **state)
{
	(void)state;
	const char *in[] = {"普通", "含,逗号", "含\"引号\"", "多\r\n行", "=1+1", ""};
	buf_t b;
	buf_init(&b, 4096);
	for (int i = 0; i < 6; i++)
		csv_cell(&b, in[i], i == 5);
	int rc;
	const char *got = read_all(b.data, b.len, &rc, NULL, 0);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "1|普通|含,逗号|含\"引号\"|多\r\n行|'=1+1|\n");
	buf_free(&b);
	read_all("", 0, &rc, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_round_trip),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	return rc;
}
