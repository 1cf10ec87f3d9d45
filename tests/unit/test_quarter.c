/*
 * test_quarter.c — quarters for 双报到's feedback (src/core/quarter.c):
 * strict parsing, the quarter of a day at the edges (Jan 1, Mar 31, Dec 31,
 * Feb 29), first and last days including leap years.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/period.h"
#include "core/quarter.h"

static void test_parse(void **state)
{
	(void)state;
	int y = 0, q = 0;
	assert_int_equal(quarter_parse("2026Q4", &y, &q), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(q, 4);
	assert_int_equal(quarter_parse("2000q1", &y, &q), 0);
	const char *bad[] = {"2026Q5", "2026Q0", "26Q1", "2026Q", "2026Q11", "1999Q1", "2101Q1", "2026-Q1", "", "abcdQ1"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(quarter_parse(bad[i], &y, &q), -1);
	assert_int_equal(quarter_parse(NULL, &y, &q), -1);
}

static int64_t day(const char *s)
{
	int64_t d = 0;
	assert_int_equal(period_parse_date(s, &d), 0);
	return d;
}

static void test_edges(void **state)
{
	(void)state;
	static const struct { const char *date; int y, q; const char *first, *last; } c[] = {
		{"2026-01-01", 2026, 1, "2026-01-01", "2026-03-31"}, {"2026-03-31", 2026, 1, "2026-01-01", "2026-03-31"},
		{"2026-04-01", 2026, 2, "2026-04-01", "2026-06-30"}, {"2026-09-30", 2026, 3, "2026-07-01", "2026-09-30"},
		{"2026-12-31", 2026, 4, "2026-10-01", "2026-12-31"}, {"2028-02-29", 2028, 1, "2028-01-01", "2028-03-31"},
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		int y, q;
		int64_t f, l;
		quarter_of_day(day(c[i].date), &y, &q);
		assert_int_equal(y, c[i].y);
		assert_int_equal(q, c[i].q);
		quarter_days(y, q, &f, &l);
		assert_int_equal(f, day(c[i].first));
		assert_int_equal(l, day(c[i].last));
	}
	char out[8];
	quarter_format(2026, 4, out, sizeof out);
	assert_string_equal(out, "2026Q4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_parse), cmocka_unit_test(test_edges)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
