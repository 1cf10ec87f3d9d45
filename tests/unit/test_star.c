/*
 * test_star.c — unit tests for src/core/star.{h,c}: the default national
 * ladder at and around each rung, bad hours, replacing the ladder from
 * configuration (and refusing a malformed one), and a ladder passed directly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "core/star.h"

static void test_default_ladder(void **state)
{
	(void)state;
	stars_reset_ladder();
	assert_int_equal(stars_for_hours(0), 0);
	assert_int_equal(stars_for_hours(99.9), 0);
	assert_int_equal(stars_for_hours(100), 1);
	assert_int_equal(stars_for_hours(299.5), 1);
	assert_int_equal(stars_for_hours(300), 2);
	assert_int_equal(stars_for_hours(600), 3);
	assert_int_equal(stars_for_hours(999), 3);
	assert_int_equal(stars_for_hours(1000), 4);
	assert_int_equal(stars_for_hours(1499.99), 4);
	assert_int_equal(stars_for_hours(1500), 5);
	assert_int_equal(stars_for_hours(1e9), 5);
}

static void test_bad_hours(void **state)
{
	(void)state;
	stars_reset_ladder();
	assert_int_equal(stars_for_hours(-5), 0);
	assert_int_equal(stars_for_hours(NAN), 0);
	assert_int_equal(stars_for_hours(INFINITY), 5);
	assert_int_equal(stars_for_hours_on(500, NULL, 3), 0);
}

static void test_configured_ladder(void **state)
{
	(void)state;
	const double local[] = {50, 150, 300};
	assert_int_equal(stars_set_ladder(local, 3), 0);
	size_t n;
	const double *l = stars_ladder(&n);
	assert_int_equal(n, 3);
	assert_true(l[2] == 300);
	assert_int_equal(stars_for_hours(49), 0);
	assert_int_equal(stars_for_hours(50), 1);
	assert_int_equal(stars_for_hours(1000), 3);

	const double unsorted[] = {100, 100, 200}, negative[] = {-1, 10}, nan_[] = {NAN};
	double many[STARS_MAX + 1];
	for (int i = 0; i <= STARS_MAX; i++)
		many[i] = 10.0 * (i + 1);
	assert_int_equal(stars_set_ladder(unsorted, 3), -1);
	assert_int_equal(stars_set_ladder(negative, 2), -1);
	assert_int_equal(stars_set_ladder(nan_, 1), -1);
	assert_int_equal(stars_set_ladder(many, STARS_MAX + 1), -1);
	assert_int_equal(stars_set_ladder(NULL, 2), -1);
	assert_int_equal(stars_set_ladder(local, 0), -1);
	/* refused ladders leave the configured one in place */
	assert_int_equal(stars_for_hours(150), 2);
	stars_reset_ladder();
	assert_int_equal(stars_for_hours(150), 1);
	assert_int_equal(stars_for_hours_on(150, local, 3), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_ladder),
		cmocka_unit_test(test_bad_hours),
		cmocka_unit_test(test_configured_ladder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
