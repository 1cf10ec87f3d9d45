/*
 * test_workcal.c — unit tests for src/core/workcal.{h,c}, table-driven:
 *   - workcal_ymd / workcal_local round trips, including across UTC midnight
 *     (08:00 local = 00:00 UTC) and fixed unix anchors;
 *   - workcal_weekday of known dates; workcal_ymd_add across month, year and
 *     leap day, and off the ends of the supported range; workcal_ymd_valid;
 *   - workcal_is_workday with weekends, a holiday on a weekday, a make-up
 *     working day on a Sunday;
 *   - workcal_deadline for CAL_HOURS, WORK_HOURS (inside a morning, across
 *     lunch, across the end of day, from a weekend, before and after hours,
 *     inside lunch, across a holiday, across a make-up Sunday) and WORK_DAYS
 *     (1/3/5 days from a Wednesday, a Friday evening, a Saturday, across
 *     National Day, amount 0); invalid amounts and units; calendars with no
 *     working day in 3 years; malformed calendars;
 *   - workcal_work_seconds, and that it inverts WORK_HOURS deadlines;
 *   - workcal_parse_line on good, skipped and malformed lines.
 *
 * The holiday tables below are test fixtures, not claims about the real
 * State Council calendar.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/workcal.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define HM(h, m) ((h) * 60 + (m))

/* Fixture: a National-Day-like week off with two make-up days. */
static const struct wc_day national_day[] = {
	{20260927, 'W'},	/* Sunday, make-up */
	{20261001, 'H'}, {20261002, 'H'}, {20261003, 'H'}, {20261004, 'H'},
	{20261005, 'H'}, {20261006, 'H'}, {20261007, 'H'},
	{20261010, 'W'},	/* Saturday, make-up */
};

/* Fixture: three weekday holidays, Monday 2026-11-23 .. Wednesday 11-25. */
static const struct wc_day three_days[] = {
	{20261123, 'H'}, {20261124, 'H'}, {20261125, 'H'},
};

static struct workcal cal_with(const struct wc_day *days, size_t n)
{
	struct workcal c;
	workcal_default(&c);
	c.days = days;
	c.n_days = n;
	return c;
}

/* ---- dates ------------------------------------------------------------- */

static void t_defaults(void **state)
{
	(void)state;
	struct workcal c;
	memset(&c, 0x55, sizeof c);
	workcal_default(&c);
	assert_int_equal(c.work_start_min, HM(8, 30));
	assert_int_equal(c.work_end_min, HM(17, 30));
	assert_int_equal(c.lunch_start_min, HM(11, 30));
	assert_int_equal(c.lunch_end_min, HM(13, 0));
	assert_int_equal(c.weekend_mask, 0x41);
	assert_null(c.days);
	assert_int_equal(c.n_days, 0);
}

static void t_ymd_local(void **state)
{
	(void)state;
	static const struct { int64_t t; int ymd; int minutes; } cases[] = {
		{0, 19700101, HM(8, 0)},		/* 08:00 local = 00:00 UTC */
		{-1, 19700101, -1},			/* 07:59:59 local; ymd only */
		{-28800, 19700101, 0},			/* local midnight */
		{-28801, 19691231, -1},			/* one second before */
		{1767196800, 20260101, 0},		/* 2025-12-31 16:00 UTC */
		{1767196799, 20251231, -1},
		{1767225600, 20260101, HM(8, 0)},	/* 2026-01-01 00:00 UTC */
		{1767225599, 20260101, -1},		/* 2025-12-31 23:59:59 UTC */
		{951782400 - 28800, 20000229, 0},	/* a leap day */
		{951868800 - 28800, 20000229, 24 * 60},	/* its end = 03-01 00:00 */
		{951868800 - 28800, 20000301, 0},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		if (cases[i].minutes >= 0 && cases[i].minutes < 24 * 60)
			assert_int_equal(workcal_ymd(cases[i].t), cases[i].ymd);
		if (cases[i].minutes >= 0)
			assert_int_equal(workcal_local(cases[i].ymd, cases[i].minutes), cases[i].t);
	}
	assert_int_equal(workcal_ymd(-1), 19700101);
	assert_int_equal(workcal_ymd(-28801), 19691231);
	assert_int_equal(workcal_ymd(1767196799), 20251231);
	assert_int_equal(workcal_ymd(1767225599), 20260101);

	/* Round trips every 7 hours 13 minutes over several years. */
	for (int64_t t = workcal_local(19991201, 0); t < workcal_local(20290301, 0); t += 7 * 3600 + 13 * 60) {
		int ymd = workcal_ymd(t);
		int64_t midnight = workcal_local(ymd, 0);
		assert_true(midnight <= t && t < midnight + 86400);
		assert_int_equal(workcal_ymd_add(ymd, 1), workcal_ymd(midnight + 86400));
	}

	/* Negative and large minutes are plain arithmetic. */
	assert_int_equal(workcal_local(20260101, -60), workcal_local(20251231, HM(23, 0)));
	assert_int_equal(workcal_local(20260101, 3 * 24 * 60), workcal_local(20260104, 0));
	/* Invalid dates and times outside years 1..9999. */
	assert_int_equal(workcal_local(20260230, 0), -1);
	assert_int_equal(workcal_ymd(INT64_MAX), 0);
	assert_int_equal(workcal_ymd(INT64_MIN), 0);
	assert_int_equal(workcal_ymd(workcal_local(99991231, HM(23, 59))), 99991231);
	assert_int_equal(workcal_ymd(workcal_local(99991231, 24 * 60)), 0);
	assert_int_equal(workcal_ymd(workcal_local(10101, 0)), 10101);
	assert_int_equal(workcal_ymd(workcal_local(10101, 0) - 1), 0);
}

static void t_weekday(void **state)
{
	(void)state;
	static const struct { int ymd, wd; } cases[] = {
		{20261121, 6},	/* Saturday */
		{20261001, 4},	/* Thursday */
		{19700101, 4},
		{20000101, 6},
		{20000229, 2},
		{20260101, 4},
		{20260927, 0},	/* Sunday */
		{20261010, 6},
		{20261118, 3},
		{10101, 1},	/* proleptic Gregorian 0001-01-01 was a Monday */
		{99991231, 5},
		{20260230, -1},
		{0, -1},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		assert_int_equal(workcal_weekday(cases[i].ymd), cases[i].wd);
}

static void t_ymd_add(void **state)
{
	(void)state;
	static const struct { int ymd, days, want; } cases[] = {
		{20261130, 1, 20261201},
		{20261201, -1, 20261130},
		{20261231, 1, 20270101},
		{20270101, -1, 20261231},
		{20240228, 1, 20240229},
		{20240229, 1, 20240301},
		{20230228, 1, 20230301},
		{21000228, 1, 21000301},	/* 2100 is not a leap year */
		{20000228, 1, 20000229},	/* 2000 is */
		{20240301, -1, 20240229},
		{20260101, 365, 20270101},
		{20240101, 366, 20250101},
		{20261001, 0, 20261001},
		{20261001, -36500, 19261026},
		{99991231, 1, 0},
		{10101, -1, 0},
		{20260231, 1, 0},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		assert_int_equal(workcal_ymd_add(cases[i].ymd, cases[i].days), cases[i].want);
}

static void t_ymd_valid(void **state)
{
	(void)state;
	static const struct { int ymd, ok; } cases[] = {
		{20261001, 1}, {20240229, 1}, {20230229, 0}, {19000229, 0},
		{20000229, 1}, {20261301, 0}, {20260001, 0}, {20260100, 0},
		{20260431, 0}, {20260430, 1}, {0, 0}, {-20260101, 0},
		{99991231, 1}, {100000101, 0}, {10101, 1}, {101, 0},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		assert_int_equal(workcal_ymd_valid(cases[i].ymd), cases[i].ok);
}

static void t_is_workday(void **state)
{
	(void)state;
	struct workcal c = cal_with(national_day, N_ELEMS(national_day));
	static const struct { int ymd, work; } cases[] = {
		{20261121, 0},	/* Saturday */
		{20261122, 0},	/* Sunday */
		{20261123, 1},	/* Monday */
		{20261120, 1},	/* Friday */
		{20261001, 0},	/* holiday on a Thursday */
		{20261005, 0},	/* holiday on a Monday */
		{20260927, 1},	/* make-up Sunday */
		{20261010, 1},	/* make-up Saturday */
		{20261011, 0},	/* ordinary Sunday */
		{20261008, 1},
		{20260230, 0},	/* invalid */
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		assert_int_equal(workcal_is_workday(&c, cases[i].ymd), cases[i].work);
	assert_int_equal(workcal_is_workday(NULL, 20261123), 0);

	/* A six-day week: only Sunday rests. */
	c.weekend_mask = 1u << 0;
	assert_int_equal(workcal_is_workday(&c, 20261121), 1);
	assert_int_equal(workcal_is_workday(&c, 20261122), 0);
	/* Holidays still win over the weekday, make-up days over the mask. */
	c.weekend_mask = 0x7f;
	assert_int_equal(workcal_is_workday(&c, 20261123), 0);
	assert_int_equal(workcal_is_workday(&c, 20260927), 1);
}

/* ---- deadlines --------------------------------------------------------- */

struct dl_case {
	const char *what;
	int table;		/* 0 none, 1 national_day, 2 three_days */
	int ymd, minutes;	/* start, local */
	enum wc_unit unit;
	int amount;
	int want_ymd, want_minutes;	/* want_ymd 0 = expect -1 */
};

static void run_deadlines(const struct dl_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct dl_case *k = &cases[i];
		struct workcal c = k->table == 1 ? cal_with(national_day, N_ELEMS(national_day)) :
				   k->table == 2 ? cal_with(three_days, N_ELEMS(three_days)) :
				   cal_with(NULL, 0);
		int64_t start = workcal_local(k->ymd, k->minutes);
		int64_t got = workcal_deadline(&c, start, k->unit, k->amount);
		int64_t want = k->want_ymd ? workcal_local(k->want_ymd, k->want_minutes) : -1;
		if (got != want)
			fail_msg("%s: got ymd %d +%lld s, want %d %02d:%02d", k->what,
				 workcal_ymd(got), (long long)(got - workcal_local(workcal_ymd(got), 0)),
				 k->want_ymd, k->want_minutes / 60, k->want_minutes % 60);
		/* A WORK_HOURS deadline is exactly amount hours of work away. */
		if (k->unit == WC_WORK_HOURS && got >= 0)
			assert_int_equal(workcal_work_seconds(&c, start, got), (int64_t)k->amount * 3600);
	}
}

static void t_cal_hours(void **state)
{
	(void)state;
	static const struct dl_case cases[] = {
		{"24h from Friday", 0, 20261120, HM(10, 0), WC_CAL_HOURS, 24, 20261121, HM(10, 0)},
		{"24h from Saturday", 0, 20261121, HM(10, 0), WC_CAL_HOURS, 24, 20261122, HM(10, 0)},
		{"72h across a weekend", 0, 20261120, HM(18, 15), WC_CAL_HOURS, 72, 20261123, HM(18, 15)},
		{"24h across the holiday", 1, 20260930, HM(9, 0), WC_CAL_HOURS, 24, 20261001, HM(9, 0)},
		{"0h", 0, 20261121, HM(3, 7), WC_CAL_HOURS, 0, 20261121, HM(3, 7)},
		{"24h over year end", 0, 20261231, HM(20, 0), WC_CAL_HOURS, 24, 20270101, HM(20, 0)},
	};
	run_deadlines(cases, N_ELEMS(cases));
	/* CAL_HOURS needs no calendar. */
	int64_t t = workcal_local(20261120, HM(10, 0));
	assert_int_equal(workcal_deadline(NULL, t, WC_CAL_HOURS, 24), t + 86400);
}

static void t_work_hours(void **state)
{
	(void)state;
	/* 2026-11-18 is a Wednesday, 11-20 a Friday, 11-21 a Saturday. */
	static const struct dl_case cases[] = {
		{"2h inside a morning", 0, 20261118, HM(8, 30), WC_WORK_HOURS, 2, 20261118, HM(10, 30)},
		{"2h mid-morning", 0, 20261118, HM(9, 15), WC_WORK_HOURS, 2, 20261118, HM(11, 15)},
		{"2h ending at lunch", 0, 20261118, HM(9, 30), WC_WORK_HOURS, 2, 20261118, HM(11, 30)},
		{"4h spanning lunch", 0, 20261118, HM(10, 0), WC_WORK_HOURS, 4, 20261118, HM(15, 30)},
		{"4h spanning end of day", 0, 20261118, HM(16, 0), WC_WORK_HOURS, 4, 20261119, HM(11, 0)},
		{"4h from Friday 16:30", 0, 20261120, HM(16, 30), WC_WORK_HOURS, 4, 20261123, HM(11, 30)},
		{"ending exactly at end of day", 0, 20261118, HM(13, 30), WC_WORK_HOURS, 4, 20261118, HM(17, 30)},
		{"a full day", 0, 20261118, HM(8, 30), WC_WORK_HOURS, 7, 20261118, HM(17, 0)},
		{"starting on a Saturday", 0, 20261121, HM(10, 0), WC_WORK_HOURS, 2, 20261123, HM(10, 30)},
		{"starting on a Sunday night", 0, 20261122, HM(23, 0), WC_WORK_HOURS, 4, 20261123, HM(14, 0)},
		{"starting at 07:00", 0, 20261118, HM(7, 0), WC_WORK_HOURS, 2, 20261118, HM(10, 30)},
		{"starting at 20:00", 0, 20261118, HM(20, 0), WC_WORK_HOURS, 2, 20261119, HM(10, 30)},
		{"starting at 17:30 sharp", 0, 20261118, HM(17, 30), WC_WORK_HOURS, 1, 20261119, HM(9, 30)},
		{"starting inside lunch", 0, 20261118, HM(12, 0), WC_WORK_HOURS, 2, 20261118, HM(15, 0)},
		{"starting at lunch end", 0, 20261118, HM(13, 0), WC_WORK_HOURS, 2, 20261118, HM(15, 0)},
		{"across a 3-day holiday", 2, 20261120, HM(16, 30), WC_WORK_HOURS, 4, 20261126, HM(11, 30)},
		{"across National Day", 1, 20260930, HM(16, 0), WC_WORK_HOURS, 4, 20261008, HM(11, 0)},
		{"across a make-up Sunday", 1, 20260925, HM(16, 30), WC_WORK_HOURS, 4, 20260927, HM(11, 30)},
		{"Saturday make-up day", 1, 20261009, HM(17, 0), WC_WORK_HOURS, 1, 20261010, HM(9, 0)},
		{"15h = two whole days", 0, 20261118, HM(8, 30), WC_WORK_HOURS, 15, 20261119, HM(17, 30)},
		{"16h", 0, 20261118, HM(8, 30), WC_WORK_HOURS, 16, 20261120, HM(9, 30)},
		{"0h inside work", 0, 20261118, HM(9, 0), WC_WORK_HOURS, 0, 20261118, HM(9, 0)},
		{"0h in lunch", 0, 20261118, HM(12, 0), WC_WORK_HOURS, 0, 20261118, HM(13, 0)},
		{"0h on Saturday", 0, 20261121, HM(12, 0), WC_WORK_HOURS, 0, 20261123, HM(8, 30)},
		{"-1h", 0, 20261118, HM(9, 0), WC_WORK_HOURS, -1, 0, 0},
		{"10001h", 0, 20261118, HM(9, 0), WC_WORK_HOURS, 10001, 0, 0},
	};
	run_deadlines(cases, N_ELEMS(cases));

	/* Seconds count: 30 s before 11:30 + 1 h = 13:59:30. */
	struct workcal c = cal_with(NULL, 0);
	int64_t t = workcal_local(20261118, HM(11, 29)) + 30;
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_HOURS, 1), workcal_local(20261118, HM(13, 59)) + 30);

	/* The largest amount works (about five years of working time). */
	t = workcal_local(20261118, HM(8, 30));
	int64_t far = workcal_deadline(&c, t, WC_WORK_HOURS, 10000);
	assert_true(far > t);
	assert_int_equal(workcal_work_seconds(&c, t, far), (int64_t)10000 * 3600);
}

static void t_work_days(void **state)
{
	(void)state;
	static const struct dl_case cases[] = {
		{"1 from Wednesday", 0, 20261118, HM(10, 0), WC_WORK_DAYS, 1, 20261119, HM(17, 30)},
		{"3 from Wednesday", 0, 20261118, HM(10, 0), WC_WORK_DAYS, 3, 20261123, HM(17, 30)},
		{"5 from Wednesday", 0, 20261118, HM(10, 0), WC_WORK_DAYS, 5, 20261125, HM(17, 30)},
		{"1 from Wednesday 00:00", 0, 20261118, 0, WC_WORK_DAYS, 1, 20261119, HM(17, 30)},
		{"1 from Friday evening", 0, 20261120, HM(19, 0), WC_WORK_DAYS, 1, 20261123, HM(17, 30)},
		{"3 from Friday evening", 0, 20261120, HM(19, 0), WC_WORK_DAYS, 3, 20261125, HM(17, 30)},
		{"5 from Friday evening", 0, 20261120, HM(19, 0), WC_WORK_DAYS, 5, 20261127, HM(17, 30)},
		{"1 from Saturday", 0, 20261121, HM(10, 0), WC_WORK_DAYS, 1, 20261123, HM(17, 30)},
		{"3 from Saturday", 0, 20261121, HM(10, 0), WC_WORK_DAYS, 3, 20261125, HM(17, 30)},
		{"5 from Saturday", 0, 20261121, HM(10, 0), WC_WORK_DAYS, 5, 20261127, HM(17, 30)},
		{"1 across National Day", 1, 20260930, HM(10, 0), WC_WORK_DAYS, 1, 20261008, HM(17, 30)},
		{"3 across National Day", 1, 20260930, HM(10, 0), WC_WORK_DAYS, 3, 20261010, HM(17, 30)},
		{"5 across National Day", 1, 20260930, HM(10, 0), WC_WORK_DAYS, 5, 20261013, HM(17, 30)},
		{"from a holiday", 1, 20261003, HM(10, 0), WC_WORK_DAYS, 1, 20261008, HM(17, 30)},
		{"1 from Friday via make-up Sunday", 1, 20260925, HM(19, 0), WC_WORK_DAYS, 1, 20260927, HM(17, 30)},
		{"5 from Friday via make-up Sunday", 1, 20260925, HM(19, 0), WC_WORK_DAYS, 5, 20261008, HM(17, 30)},
		{"5 across a 3-day holiday", 2, 20261120, HM(10, 0), WC_WORK_DAYS, 5, 20261202, HM(17, 30)},
		{"0 on a working day", 0, 20261118, HM(10, 0), WC_WORK_DAYS, 0, 20261118, HM(17, 30)},
		{"0 after hours (today's end)", 0, 20261118, HM(20, 0), WC_WORK_DAYS, 0, 20261118, HM(17, 30)},
		{"0 on Saturday", 0, 20261121, HM(10, 0), WC_WORK_DAYS, 0, 20261123, HM(17, 30)},
		{"0 on a holiday", 1, 20261001, HM(10, 0), WC_WORK_DAYS, 0, 20261008, HM(17, 30)},
		{"0 on a make-up Sunday", 1, 20260927, HM(10, 0), WC_WORK_DAYS, 0, 20260927, HM(17, 30)},
		{"20 from Monday", 0, 20261116, HM(9, 0), WC_WORK_DAYS, 20, 20261214, HM(17, 30)},
		{"-1", 0, 20261118, HM(10, 0), WC_WORK_DAYS, -1, 0, 0},
		{"10001", 0, 20261118, HM(10, 0), WC_WORK_DAYS, 10001, 0, 0},
	};
	run_deadlines(cases, N_ELEMS(cases));

	struct workcal c = cal_with(NULL, 0);
	int64_t t = workcal_local(20261118, HM(10, 0));
	assert_true(workcal_deadline(&c, t, WC_WORK_DAYS, 10000) > t);
}

static void t_deadline_invalid(void **state)
{
	(void)state;
	struct workcal c = cal_with(NULL, 0);
	int64_t t = workcal_local(20261118, HM(10, 0));
	static const int bad_amounts[] = {-1, -100, 10001, 1 << 30, -2147483647 - 1};
	static const enum wc_unit units[] = {WC_CAL_HOURS, WC_WORK_HOURS, WC_WORK_DAYS};
	for (size_t u = 0; u < N_ELEMS(units); u++) {
		for (size_t i = 0; i < N_ELEMS(bad_amounts); i++)
			assert_int_equal(workcal_deadline(&c, t, units[u], bad_amounts[i]), -1);
		assert_true(workcal_deadline(&c, t, units[u], 10000) > t);
		/* Start outside years 1..9999. */
		assert_int_equal(workcal_deadline(&c, INT64_MAX, units[u], 1), -1);
		assert_int_equal(workcal_deadline(&c, INT64_MIN, units[u], 1), -1);
	}
	assert_int_equal(workcal_deadline(&c, t, (enum wc_unit)7, 1), -1);
	/* Running off the end of year 9999. */
	int64_t late = workcal_local(99991231, HM(9, 0));
	assert_int_equal(workcal_deadline(&c, late, WC_CAL_HOURS, 24), -1);
	assert_int_equal(workcal_deadline(&c, late, WC_WORK_HOURS, 8), -1);
	assert_int_equal(workcal_deadline(&c, late, WC_WORK_DAYS, 1), -1);
	assert_int_equal(workcal_deadline(&c, late, WC_WORK_DAYS, 0), workcal_local(99991231, HM(17, 30)));

	/* Every weekday a rest day: no working day, ever. */
	c.weekend_mask = 0x7f;
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_HOURS, 1), -1);
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_HOURS, 0), -1);
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_DAYS, 1), -1);
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_DAYS, 0), -1);
	assert_int_equal(workcal_deadline(&c, t, WC_CAL_HOURS, 1), t + 3600);

	/* One make-up day within 3 years is found; one beyond is not. */
	static const struct wc_day near[] = {{20281117, 'W'}};
	static const struct wc_day far[] = {{20300101, 'W'}};
	c.days = near;
	c.n_days = 1;
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_DAYS, 1), workcal_local(20281117, HM(17, 30)));
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_HOURS, 1), workcal_local(20281117, HM(9, 30)));
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_DAYS, 2), -1);
	c.days = far;
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_DAYS, 1), -1);
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_HOURS, 1), -1);

	/* Malformed calendars. */
	static const struct { int ws, we, ls, le; } bad[] = {
		{HM(9, 0), HM(9, 0), 0, 0},		/* empty span */
		{HM(18, 0), HM(9, 0), 0, 0},		/* reversed */
		{-1, HM(9, 0), 0, 0},
		{HM(9, 0), 24 * 60 + 1, 0, 0},
		{HM(9, 0), HM(17, 0), HM(13, 0), HM(12, 0)},	/* reversed lunch */
		{HM(9, 0), HM(17, 0), HM(8, 0), HM(18, 0)},	/* lunch covers the day */
	};
	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		workcal_default(&c);
		c.work_start_min = bad[i].ws;
		c.work_end_min = bad[i].we;
		c.lunch_start_min = bad[i].ls;
		c.lunch_end_min = bad[i].le;
		assert_int_equal(workcal_deadline(&c, t, WC_WORK_HOURS, 1), -1);
		assert_int_equal(workcal_deadline(&c, t, WC_WORK_DAYS, 1), -1);
		assert_int_equal(workcal_work_seconds(&c, t, t + 3600), -1);
	}
	assert_int_equal(workcal_deadline(NULL, t, WC_WORK_HOURS, 1), -1);
	assert_int_equal(workcal_work_seconds(NULL, t, t + 3600), -1);
}

static void t_odd_calendars(void **state)
{
	(void)state;
	struct workcal c = cal_with(NULL, 0);
	int64_t t = workcal_local(20261118, HM(7, 0));

	/* No lunch break: 08:30 + 4 h = 12:30. */
	c.lunch_start_min = c.lunch_end_min = HM(12, 0);
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_HOURS, 4), workcal_local(20261118, HM(12, 30)));
	/* A break partly outside the span is clipped: work is 09:00..17:30. */
	c.lunch_start_min = HM(6, 0);
	c.lunch_end_min = HM(9, 0);
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_HOURS, 4), workcal_local(20261118, HM(13, 0)));
	assert_int_equal(workcal_work_seconds(&c, workcal_local(20261118, 0), workcal_local(20261119, 0)), 8 * 3600 + 1800);
	/* Round the clock. */
	c.work_start_min = 0;
	c.work_end_min = 24 * 60;
	c.lunch_start_min = c.lunch_end_min = 0;
	assert_int_equal(workcal_deadline(&c, t, WC_WORK_HOURS, 24), workcal_local(20261119, HM(7, 0)));
	assert_int_equal(workcal_deadline(&c, workcal_local(20261120, HM(7, 0)), WC_WORK_HOURS, 24),
			 workcal_local(20261123, HM(7, 0)));
}

static void t_work_seconds(void **state)
{
	(void)state;
	struct workcal c = cal_with(national_day, N_ELEMS(national_day));
	static const struct { const char *what; int ya, ma, yb, mb; int64_t want; } cases[] = {
		{"inside one morning", 20261118, HM(9, 0), 20261118, HM(11, 0), 7200},
		{"inside one afternoon", 20261118, HM(13, 30), 20261118, HM(14, 0), 1800},
		{"across lunch", 20261118, HM(11, 0), 20261118, HM(14, 0), 5400},
		{"wholly inside lunch", 20261118, HM(11, 45), 20261118, HM(12, 45), 0},
		{"a whole day", 20261118, 0, 20261119, 0, 7 * 3600 + 1800},
		{"before hours", 20261118, HM(6, 0), 20261118, HM(8, 30), 0},
		{"across a weekend", 20261120, HM(16, 30), 20261123, HM(9, 30), 7200},
		{"only the weekend", 20261121, HM(9, 0), 20261122, HM(18, 0), 0},
		{"across National Day", 20260930, HM(17, 0), 20261008, HM(9, 0), 3600},
		{"make-up Sunday", 20260927, HM(8, 0), 20260927, HM(18, 0), 7 * 3600 + 1800},
		{"a work week", 20261116, 0, 20261123, 0, 5 * (7 * 3600 + 1800)},
		{"a == b", 20261118, HM(10, 0), 20261118, HM(10, 0), 0},
		{"b < a", 20261118, HM(11, 0), 20261118, HM(10, 0), 0},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int64_t a = workcal_local(cases[i].ya, cases[i].ma), b = workcal_local(cases[i].yb, cases[i].mb);
		int64_t got = workcal_work_seconds(&c, a, b);
		if (got != cases[i].want)
			fail_msg("%s: got %lld, want %lld", cases[i].what, (long long)got, (long long)cases[i].want);
	}
	assert_int_equal(workcal_work_seconds(&c, 0, INT64_MAX), -1);
	assert_int_equal(workcal_work_seconds(&c, INT64_MIN, 0), -1);

	/* The 50 % reminder: halfway through a 4 h deadline from Friday 16:30. */
	int64_t start = workcal_local(20261120, HM(16, 30));
	int64_t due = workcal_deadline(&c, start, WC_WORK_HOURS, 4);
	int64_t half = workcal_deadline(&c, start, WC_WORK_HOURS, 2);
	assert_int_equal(half, workcal_local(20261123, HM(9, 30)));
	assert_int_equal(workcal_work_seconds(&c, start, half) * 2, workcal_work_seconds(&c, start, due));
}

/* ---- import format ----------------------------------------------------- */

static void t_parse_line(void **state)
{
	(void)state;
	static const struct { const char *line; int rc; int ymd; char kind; const char *name; } cases[] = {
		{"2026-10-01 holiday 国庆节", 0, 20261001, 'H', "国庆节"},
		{"2026-10-10 workday 国庆节调休", 0, 20261010, 'W', "国庆节调休"},
		{"2026-10-01 休 国庆节", 0, 20261001, 'H', "国庆节"},
		{"2026-09-27 班 国庆节调休上班", 0, 20260927, 'W', "国庆节调休上班"},
		{"2026-10-01 holiday", 0, 20261001, 'H', ""},
		{"2026-10-10 workday\n", 0, 20261010, 'W', ""},
		{"2026-10-01 休", 0, 20261001, 'H', ""},
		{"2026-10-10 班\r\n", 0, 20261010, 'W', ""},
		{"  2026-10-01\tHoliday\tNational Day  \r\n", 0, 20261001, 'H', "National Day"},
		{"2026-10-01 HOLIDAY 国庆节 (中秋节) # 注", 0, 20261001, 'H', "国庆节 (中秋节) # 注"},
		{"2024-02-29 holiday leap", 0, 20240229, 'H', "leap"},
		{"", 1, 0, 0, NULL},
		{"\n", 1, 0, 0, NULL},
		{"   \t \r\n", 1, 0, 0, NULL},
		{"# 2026 年节假日", 1, 0, 0, NULL},
		{"  # indented comment", 1, 0, 0, NULL},
		{"#2026-10-01 holiday", 1, 0, 0, NULL},
		{"2026-13-01 holiday", -1, 0, 0, NULL},
		{"2026-02-30 holiday", -1, 0, 0, NULL},
		{"2026-02-29 holiday", -1, 0, 0, NULL},
		{"2026-00-10 holiday", -1, 0, 0, NULL},
		{"2026-10-00 holiday", -1, 0, 0, NULL},
		{"2026-10-01", -1, 0, 0, NULL},
		{"2026-10-01   \n", -1, 0, 0, NULL},
		{"2026-10-01 vacation 国庆节", -1, 0, 0, NULL},
		{"2026-10-01 holidays", -1, 0, 0, NULL},
		{"2026-10-01 休息", -1, 0, 0, NULL},
		{"2026-10-01 国庆节", -1, 0, 0, NULL},
		{"2026/10/01 holiday", -1, 0, 0, NULL},
		{"2026-10-1 holiday", -1, 0, 0, NULL},
		{"26-10-01 holiday", -1, 0, 0, NULL},
		{"2026-10-011 holiday", -1, 0, 0, NULL},
		{"2026-10-01holiday", -1, 0, 0, NULL},
		{"holiday 2026-10-01", -1, 0, 0, NULL},
		{"2026-1O-01 holiday", -1, 0, 0, NULL},
		{"0000-01-01 holiday", -1, 0, 0, NULL},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct wc_day d = {12345678, 'x'};
		char name[64];
		strcpy(name, "untouched");
		int rc = workcal_parse_line(cases[i].line, &d, name, sizeof name);
		if (rc != cases[i].rc)
			fail_msg("\"%s\": rc %d, want %d", cases[i].line, rc, cases[i].rc);
		if (rc == 0) {
			assert_int_equal(d.ymd, cases[i].ymd);
			assert_int_equal(d.kind, cases[i].kind);
			assert_string_equal(name, cases[i].name);
		} else {
			assert_int_equal(d.ymd, 12345678);
			assert_int_equal(d.kind, 'x');
			assert_string_equal(name, "untouched");
		}
	}

	/* name_out may be NULL; NULL line or day is malformed. */
	struct wc_day d;
	assert_int_equal(workcal_parse_line("2026-10-01 holiday 国庆节", &d, NULL, 0), 0);
	assert_int_equal(d.ymd, 20261001);
	assert_int_equal(workcal_parse_line(NULL, &d, NULL, 0), -1);
	assert_int_equal(workcal_parse_line("2026-10-01 holiday", NULL, NULL, 0), -1);

	/* Names are cut on a UTF-8 boundary: 国庆节 is 9 bytes. */
	static const struct { size_t size; const char *want; } cuts[] = {
		{10, "国庆节"}, {9, "国庆"}, {8, "国庆"}, {7, "国庆"}, {6, "国"},
		{4, "国"}, {3, ""}, {1, ""},
	};
	for (size_t i = 0; i < N_ELEMS(cuts); i++) {
		char name[16];
		memset(name, 'z', sizeof name);
		assert_int_equal(workcal_parse_line("2026-10-01 holiday 国庆节", &d, name, cuts[i].size), 0);
		assert_string_equal(name, cuts[i].want);
		assert_int_equal(name[cuts[i].size], 'z');	/* nothing beyond name_size */
	}
	char one = 'q';
	assert_int_equal(workcal_parse_line("2026-10-01 holiday 国庆节", &d, &one, 0), 0);
	assert_int_equal(one, 'q');
}

/*
 * The example file in schema/ must parse and yield a sorted table. It is
 * found through SOURCE_ROOT when the build defines it, else next to this
 * source file as named by __FILE__; the test is skipped if neither opens.
 */
static FILE *open_example(void)
{
	static const char suffix[] = "tests/unit/test_workcal.c";
	char path[1024];
#ifdef SOURCE_ROOT
	snprintf(path, sizeof path, "%s/schema/holidays-example.txt", SOURCE_ROOT);
	FILE *f = fopen(path, "r");
	if (f)
		return f;
#endif
	const char *file = __FILE__;
	size_t n = strlen(file), k = sizeof suffix - 1;
	if (n < k || strcmp(file + n - k, suffix) != 0 || n - k > 900)
		return NULL;
	snprintf(path, sizeof path, "%.*sschema/holidays-example.txt", (int)(n - k), file);
	return fopen(path, "r");
}

static void t_example_file(void **state)
{
	(void)state;
	FILE *f = open_example();
	if (!f)
		skip();
	char line[512], name[128];
	struct wc_day d;
	int prev = 0, n = 0;
	while (fgets(line, sizeof line, f)) {
		int rc = workcal_parse_line(line, &d, name, sizeof name);
		if (rc < 0)
			fail_msg("bad example line: %s", line);
		if (rc == 0) {
			assert_true(d.ymd > prev);
			prev = d.ymd;
			n++;
		}
	}
	fclose(f);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_defaults),
		cmocka_unit_test(t_ymd_local),
		cmocka_unit_test(t_weekday),
		cmocka_unit_test(t_ymd_add),
		cmocka_unit_test(t_ymd_valid),
		cmocka_unit_test(t_is_workday),
		cmocka_unit_test(t_cal_hours),
		cmocka_unit_test(t_work_hours),
		cmocka_unit_test(t_work_days),
		cmocka_unit_test(t_deadline_invalid),
		cmocka_unit_test(t_odd_calendars),
		cmocka_unit_test(t_work_seconds),
		cmocka_unit_test(t_parse_line),
		cmocka_unit_test(t_example_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
