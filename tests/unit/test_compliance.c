/*
 * test_compliance.c — 三会一课 compliance periods and statuses: month and
 * quarter bounds (February in leap years, December → next year), the four
 * statuses at the period's edges, and when a reminder is due.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/compliance.h"
#include "core/period.h"

static int64_t D(const char *s)
{
	int64_t d = 0;
	assert_int_equal(period_parse_date(s, &d), 0);
	return d;
}

static void test_periods(void **st)
{
	(void)st;
	int64_t a, b;
	assert_int_equal(comp_period(2024, COMP_MONTH, 1, &a, &b), 0);
	assert_int_equal(a, D("2024-02-01"));
	assert_int_equal(b, D("2024-02-29"));
	assert_int_equal(comp_period(2026, COMP_MONTH, 11, &a, &b), 0);
	assert_int_equal(b, D("2026-12-31"));
	assert_int_equal(comp_period(2026, COMP_QUARTER, 0, &a, &b), 0);
	assert_int_equal(a, D("2026-01-01"));
	assert_int_equal(b, D("2026-03-31"));
	assert_int_equal(comp_period(2026, COMP_QUARTER, 3, &a, &b), 0);
	assert_int_equal(a, D("2026-10-01"));
	assert_int_equal(b, D("2026-12-31"));
	assert_int_equal(comp_period(2026, COMP_QUARTER, 4, &a, &b), -1);
	assert_int_equal(comp_period(2026, 2, 0, &a, &b), -1);
	assert_int_equal(comp_periods(COMP_MONTH), 12);
	assert_int_equal(comp_periods(COMP_QUARTER), 4);
	char k[16];
	comp_period_key(2026, COMP_QUARTER, 2, k, sizeof k);
	assert_string_equal(k, "2026-Q3");
	comp_period_key(2026, COMP_MONTH, 8, k, sizeof k);
	assert_string_equal(k, "2026-09");
}

static void test_status(void **st)
{
	(void)st;
	int64_t a = D("2026-04-01"), b = D("2026-06-30");
	assert_int_equal(comp_status(a, b, a - 1, 0, 1), COMP_GREY);
	assert_int_equal(comp_status(a, b, a - 1, 5, 1), COMP_GREY);	/* future even if planned early */
	assert_int_equal(comp_status(a, b, a, 0, 1), COMP_AMBER);
	assert_int_equal(comp_status(a, b, b, 0, 1), COMP_AMBER);	/* the last day is still open */
	assert_int_equal(comp_status(a, b, b + 1, 0, 1), COMP_RED);
	assert_int_equal(comp_status(a, b, b + 1, 1, 1), COMP_GREEN);
	assert_int_equal(comp_status(a, b, a, 1, 2), COMP_AMBER);
	assert_int_equal(comp_status(a, b, a, 2, 2), COMP_GREEN);
	assert_string_equal(comp_status_name(COMP_RED), "red");
	assert_string_equal(comp_status_name(COMP_GREY), "grey");
}

static void test_remind(void **st)
{
	(void)st;
	int64_t a = D("2026-12-01"), b = D("2026-12-31");
	assert_false(comp_remind_due(a, b, D("2026-12-23"), 0, 1, 7));
	assert_true(comp_remind_due(a, b, D("2026-12-24"), 0, 1, 7));
	assert_true(comp_remind_due(a, b, b, 0, 1, 7));
	assert_false(comp_remind_due(a, b, b + 1, 0, 1, 7));	/* closed: red, too late */
	assert_false(comp_remind_due(a, b, D("2026-12-30"), 1, 1, 7));	/* met */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_remind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
