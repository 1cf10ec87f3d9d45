/*
 * test_timefmt.c — RFC 3339 in China time and the China-time day (the day
 * revisits fall due and watched chronic spots are counted in): boundaries at
 * 16:00 UTC, before 1970, and round trips through time_parse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/timefmt.h"

static int64_t parse(const char *s)
{
	int64_t t = 0;
	assert_int_equal(time_parse(s, 1, &t), 0);
	return t;
}

static void t_china_day(void **state)
{
	(void)state;
	/* 2026-11-21 is day 20778 since 1970-01-01. */
	int64_t d = days_from_civil(2026, 11, 21);
	assert_int_equal(d, 20778);
	assert_int_equal(china_day(parse("2026-11-21T00:00:00+08:00")), d);
	assert_int_equal(china_day(parse("2026-11-21T23:59:59+08:00")), d);
	assert_int_equal(china_day(parse("2026-11-21T16:00:00Z")), d + 1);	/* midnight in Shanghai */
	assert_int_equal(china_day(parse("2026-11-21T15:59:59Z")), d);
	assert_int_equal(china_day_start(d), parse("2026-11-21"));
	assert_int_equal(china_day_start(d + 1) - 1, parse("2026-11-21T23:59:59+08:00"));
	/* Before the epoch (and before 08:00 on 1970-01-01 China time). */
	assert_int_equal(china_day(-8 * 3600), 0);
	assert_int_equal(china_day(-8 * 3600 - 1), -1);
	assert_int_equal(china_day_start(-1), -86400 - 8 * 3600);
}

static void t_rfc3339(void **state)
{
	(void)state;
	char buf[32];
	time_rfc3339(parse("2026-11-28T15:59:59Z"), buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T23:59:59+08:00");
	time_rfc3339(-1, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01T07:59:59+08:00");
	int64_t t = 0;
	assert_int_not_equal(time_parse("2026-11-21", 0, &t), 0);	/* a bare date only when allowed */
	assert_int_not_equal(time_parse("2026-13-01", 1, &t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_china_day),
		cmocka_unit_test(t_rfc3339),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
