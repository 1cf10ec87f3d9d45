/*
 * test_period.c — KPI period arithmetic: China-time days around midnight,
 * strict dates, month bounds, ISO weeks at year boundaries, and the
 * day/month split of a range (every day covered exactly once).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/period.h"
#include "core/timefmt.h"

static int64_t D(const char *s)
{
	int64_t d = 0;
	assert_int_equal(period_parse_date(s, &d), 0);
	return d;
}

static void test_day(void **st)
{
	(void)st;
	/* 2026-07-14 00:00 +08:00 = 2026-07-13T16:00:00Z */
	int64_t t;
	assert_int_equal(time_parse("2026-07-13T16:00:00Z", 0, &t), 0);
	assert_int_equal(period_day(t), D("2026-07-14"));
	assert_int_equal(period_day(t - 1), D("2026-07-13"));
	assert_int_equal(period_day_start(D("2026-07-14")), t);
	assert_int_equal(period_day(0), 0);		/* 08:00 China time */
	assert_int_equal(period_day(-8 * 3600), 0);	/* midnight China time */
	assert_int_equal(period_day(-8 * 3600 - 1), -1);
	char buf[16];
	period_format_day(D("2024-02-29"), buf, sizeof buf);
	assert_string_equal(buf, "2024-02-29");
}

static void test_parse(void **st)
{
	(void)st;
	int64_t d;
	const char *bad[] = {"2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "2026-01-01T00",
			     "20260101", "", "abcd-ef-gh", "1969-12-31", "2026-01-32", " 2026-01-01", NULL};
	for (int i = 0; bad[i]; i++)
		assert_int_equal(period_parse_date(bad[i], &d), -1);
	assert_int_equal(period_parse_date(NULL, &d), -1);
	assert_int_equal(D("1970-01-01"), 0);
	assert_int_equal(D("2024-02-29") + 1, D("2024-03-01"));
}

static void test_month(void **st)
{
	(void)st;
	assert_int_equal(period_month_key(D("2026-07-31")), 202607);
	assert_int_equal(period_month_first(D("2026-07-31")), D("2026-07-01"));
	assert_int_equal(period_month_last(D("2026-07-01")), D("2026-07-31"));
	assert_int_equal(period_month_last(D("2024-02-10")), D("2024-02-29"));
	assert_int_equal(period_month_last(D("2026-12-05")), D("2026-12-31"));
}

static void test_iso_week(void **st)
{
	(void)st;
	static const struct {
		const char *date;
		int year, week;
	} cases[] = {
		{"2026-07-14", 2026, 29}, {"2026-01-01", 2026, 1}, {"2025-12-29", 2026, 1}, {"2027-01-01", 2026, 53},
		{"2027-01-03", 2026, 53}, {"2027-01-04", 2027, 1}, {"2021-01-03", 2020, 53}, {"2024-12-30", 2025, 1},
		{"2018-12-31", 2019, 1}, {"2022-01-02", 2021, 52},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int y, w;
		period_iso_week(D(cases[i].date), &y, &w);
		assert_int_equal(y, cases[i].year);
		assert_int_equal(w, cases[i].week);
	}
	assert_int_equal(period_week_monday(D("2026-07-19")), D("2026-07-13"));	/* Sunday → Monday before */
	assert_int_equal(period_week_monday(D("2026-07-13")), D("2026-07-13"));
}

/* Every day of [from, to] is covered once by the split's days or months. */
static void check_split(const char *f, const char *t)
{
	int64_t from = D(f), to = D(t);
	struct period_split s;
	period_split(from, to, &s);
	for (int64_t d = from - 40; d <= to + 40; d++) {
		int in = (d >= s.head_from && d <= s.head_to) + (d >= s.tail_from && d <= s.tail_to);
		int mk = period_month_key(d);
		in += mk >= s.month_from && mk <= s.month_to;
		assert_int_equal(in, d >= from && d <= to);
	}
}

static void test_split(void **st)
{
	(void)st;
	check_split("2026-07-14", "2026-07-20");
	check_split("2026-07-01", "2026-07-31");
	check_split("2026-07-01", "2026-07-30");
	check_split("2026-07-02", "2026-07-31");
	check_split("2026-07-14", "2026-09-02");
	check_split("2026-07-01", "2027-06-30");
	check_split("2025-12-31", "2026-01-01");
	check_split("2026-03-05", "2026-03-05");
	struct period_split s;
	period_split(D("2026-07-14"), D("2026-12-31"), &s);
	assert_int_equal(s.head_from, D("2026-07-14"));
	assert_int_equal(s.head_to, D("2026-07-31"));
	assert_int_equal(s.month_from, 202608);
	assert_int_equal(s.month_to, 202612);
	assert_true(s.tail_from > s.tail_to);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day), cmocka_unit_test(test_parse), cmocka_unit_test(test_month),
		cmocka_unit_test(test_iso_week), cmocka_unit_test(test_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
