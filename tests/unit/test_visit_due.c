/*
 * test_visit_due.c — home-watch dates (core/visit_due.c): strict calendar
 * dates, and due days across month ends, Feb 29 and the year's end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/visit_due.h"

static int64_t D(const char *s)
{
	int64_t d = -1;
	assert_int_equal(ymd_to_day(s, &d), 0);
	return d;
}

static void test_dates(void **st)
{
	(void)st;
	int64_t d;
	assert_int_equal(D("1970-01-01"), 0);
	assert_int_equal(D("2028-03-01") - D("2028-02-28"), 2);	/* 2028 is a leap year */
	assert_int_equal(ymd_to_day("2026-02-29", &d), -1);
	assert_int_equal(ymd_to_day("2026-04-31", &d), -1);
	assert_int_equal(ymd_to_day("2026-13-01", &d), -1);
	assert_int_equal(ymd_to_day("2026-1-01", &d), -1);
	assert_int_equal(ymd_to_day("2026/01/01", &d), -1);
	assert_int_equal(ymd_to_day(NULL, &d), -1);
	char out[16];
	day_to_ymd(D("2028-02-29"), out, sizeof out);
	assert_string_equal(out, "2028-02-29");
}

static void test_due(void **st)
{
	(void)st;
	char out[16];
	day_to_ymd(visit_due_day(D("2026-12-31"), "weekly"), out, sizeof out);
	assert_string_equal(out, "2027-01-07");
	day_to_ymd(visit_due_day(D("2028-02-15"), "fortnightly"), out, sizeof out);
	assert_string_equal(out, "2028-02-29");
	day_to_ymd(visit_due_day(D("2026-01-31"), "monthly"), out, sizeof out);
	assert_string_equal(out, "2026-03-02");
	assert_int_equal(visit_due_day(D("2026-01-31"), "daily"), -1);
	assert_int_equal(visit_interval(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_dates), cmocka_unit_test(test_due)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
