/*
 * test_bank.c — unit tests for src/core/bank_rules.{h,c}: points for hours
 * (rounding, bad input), corrections earn only the increase, the
 * per-person limit, the limit window, and the order code's alphabet.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/bank_rules.h"

static void test_hours(void **state)
{
	(void)state;
	assert_int_equal(bank_points_for_hours(2, 10), 20);
	assert_int_equal(bank_points_for_hours(1.5, 10), 15);
	assert_int_equal(bank_points_for_hours(0.25, 10), 3);	/* 2.5 rounds half up */
	assert_int_equal(bank_points_for_hours(0.24, 10), 2);
	assert_int_equal(bank_points_for_hours(0, 10), 0);
	assert_int_equal(bank_points_for_hours(-3, 10), 0);
	assert_int_equal(bank_points_for_hours(NAN, 10), 0);
	assert_int_equal(bank_points_for_hours(3, 0), 0);
	assert_int_equal(bank_points_for_hours(3, -5), 0);
	assert_int_equal(bank_points_for_hours(1e12, 10), 0);
}

static void test_corrections(void **state)
{
	(void)state;
	assert_int_equal(bank_record_points(3, 0, 10), 30);
	assert_int_equal(bank_record_points(3, 2, 10), 10);
	assert_int_equal(bank_record_points(2, 3, 10), 0);
	assert_int_equal(bank_record_points(2, 2, 10), 0);
}

static void test_limits(void **state)
{
	(void)state;
	assert_true(bank_limit_ok(0, 0));
	assert_true(bank_limit_ok(100, 0));
	assert_true(bank_limit_ok(0, 1));
	assert_false(bank_limit_ok(1, 1));
	assert_true(bank_limit_ok(1, 2));
	assert_false(bank_limit_ok(3, 2));
	assert_int_equal(bank_period_start(1000000, 1), 1000000 - 86400);
	assert_int_equal(bank_period_start(1000000, 0), 1000000 - 86400);
	assert_int_equal(bank_period_start(10000000, 30), 10000000 - 30 * 86400);
}

static void test_code(void **state)
{
	(void)state;
	unsigned char z[5] = {0}, f[5] = {255, 255, 255, 255, 255}, m[5] = {1, 2, 3, 4, 5};
	char c[11];
	bank_order_code(z, c);
	assert_string_equal(c, "LB22222222");
	bank_order_code(f, c);
	assert_string_equal(c, "LBZZZZZZZZ");
	bank_order_code(m, c);
	assert_int_equal(strlen(c), 10);
	for (int i = 2; i < 10; i++)
		assert_null(strchr("01OI", c[i]));
	char d[11];
	m[4] = 6;
	bank_order_code(m, d);
	assert_string_not_equal(c, d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hours),
		cmocka_unit_test(test_corrections),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
