/* test_scoring.c — grades, weights, N/A items, and the 咬尾巴 ring. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include "core/scoring.h"

static void test_grades(void **state)
{
	(void)state;
	assert_int_equal(grade_parse("pass_fail", "pass"), G_PASS);
	assert_int_equal(grade_parse("pass_fail", "fail"), G_FAIL);
	assert_int_equal(grade_parse("pass_fail", "na"), G_NA);
	assert_int_equal(grade_parse("pass_fail", "A"), -1);
	assert_int_equal(grade_parse("abc", "A"), G_A);
	assert_int_equal(grade_parse("abc", "B"), G_B);
	assert_int_equal(grade_parse("abc", "C"), G_C);
	assert_int_equal(grade_parse("abc", "C#"), G_CSHARP);
	assert_int_equal(grade_parse("abc", "na"), G_NA);
	assert_int_equal(grade_parse("abc", "pass"), -1);
	assert_int_equal(grade_parse("abc", "D"), -1);
	assert_int_equal(grade_parse("stars", "A"), -1);
	assert_int_equal(grade_parse(NULL, "A"), -1);
	assert_int_equal(grade_parse("abc", NULL), -1);
	assert_true(grade_fraction(G_A) == 1.0);
	assert_true(grade_fraction(G_B) == 0.66);
	assert_true(grade_fraction(G_C) == 0.33);
	assert_true(grade_fraction(G_CSHARP) == 0.0);
	assert_true(grade_fraction(G_FAIL) == 0.0);
	assert_true(grade_fraction(G_PASS) == 1.0);
	assert_false(grade_failed(G_PASS));
	assert_false(grade_failed(G_A));
	assert_false(grade_failed(G_B));
	assert_false(grade_failed(G_NA));
	assert_true(grade_failed(G_C));
	assert_true(grade_failed(G_CSHARP));
	assert_true(grade_failed(G_FAIL));
}

static void test_rates(void **state)
{
	(void)state;
	double r = -1;
	struct score_item all_pass[] = {{1, G_PASS}, {2, G_PASS}, {1, G_A}};
	assert_int_equal(score_rate(all_pass, 3, &r), 0);
	assert_true(r == 100.0);
	/* Weights: a failed item of weight 2 out of 4 → 50 %. */
	struct score_item weighted[] = {{1, G_PASS}, {2, G_FAIL}, {1, G_PASS}};
	assert_int_equal(score_rate(weighted, 3, &r), 0);
	assert_true(r == 50.0);
	/* N/A items leave the denominator: 1 pass + 1 fail (+ N/A) → 50 %. */
	struct score_item na[] = {{1, G_PASS}, {5, G_NA}, {1, G_FAIL}, {3, G_NA}};
	assert_int_equal(score_rate(na, 4, &r), 0);
	assert_true(r == 50.0);
	/* A/B/C/C# = 100/66/33/0 %: (1 + .66 + .33 + 0) / 4 = 49.75 %. */
	struct score_item abc[] = {{1, G_A}, {1, G_B}, {1, G_C}, {1, G_CSHARP}};
	assert_int_equal(score_rate(abc, 4, &r), 0);
	assert_true(r == 49.75);
	/* Mixed weights and grades: (2×.66 + 1×1) / 3 = 77.33 %. */
	struct score_item mixed[] = {{2, G_B}, {1, G_PASS}, {4, G_NA}};
	assert_int_equal(score_rate(mixed, 3, &r), 0);
	assert_true(r == 77.33);
	/* Every item N/A, or none: undefined, not 0 or 100. */
	struct score_item none[] = {{1, G_NA}, {2, G_NA}};
	r = 42;
	assert_int_equal(score_rate(none, 2, &r), -1);
	assert_true(r == 42);
	assert_int_equal(score_rate(none, 0, &r), -1);
	/* Zero weights count as absent. */
	struct score_item zero[] = {{0, G_FAIL}, {1, G_PASS}};
	assert_int_equal(score_rate(zero, 2, &r), 0);
	assert_true(r == 100.0);
}

/* Each org inspects exactly one other, is inspected exactly once, never itself. */
/* Coverage 9: 7 of 9 rectified is 77.78 %, not the truncated 77.77. */
static void test_rate_percent(void **state)
{
	(void)state;
	assert_true(fabs(rate_percent(7, 9) - 77.78) < 1e-9);
	assert_true(fabs(rate_percent(2, 3) - 66.67) < 1e-9);
	assert_true(fabs(rate_percent(1, 3) - 33.33) < 1e-9);
	assert_true(fabs(rate_percent(1, 8) - 12.5) < 1e-9);
	assert_true(fabs(rate_percent(9, 9) - 100.0) < 1e-9);
	assert_true(fabs(rate_percent(0, 9) - 0.0) < 1e-9);
	assert_true(rate_percent(1, 0) < 0);
}

static void check_ring(const int64_t *ids, size_t n, const struct ring_pair *p)
{
	for (size_t i = 0; i < n; i++) {
		int inspects = 0, inspected = 0;
		for (size_t j = 0; j < n; j++) {
			inspects += p[j].inspector == ids[i];
			inspected += p[j].inspected == ids[i];
			assert_true(p[j].inspector != p[j].inspected);
		}
		assert_int_equal(inspects, 1);
		assert_int_equal(inspected, 1);
	}
}

static void test_ring(void **state)
{
	(void)state;
	int64_t ids[] = {11, 12, 13, 14, 15};
	struct ring_pair p[5], q[5], rev[5];
	assert_int_equal(ring_pairs(ids, 5, 0, p), 5);
	check_ring(ids, 5, p);
	/* A→B→C→D→E→A, in the given order. */
	assert_int_equal(p[0].inspector, 11);
	assert_int_equal(p[0].inspected, 12);
	assert_int_equal(p[4].inspector, 15);
	assert_int_equal(p[4].inspected, 11);
	/* Deterministic. */
	assert_int_equal(ring_pairs(ids, 5, 0, q), 5);
	assert_memory_equal(p, q, sizeof p);
	/* The reverse ring is every pair turned around. */
	assert_int_equal(ring_pairs(ids, 5, 1, rev), 5);
	check_ring(ids, 5, rev);
	for (int i = 0; i < 5; i++) {
		int found = 0;
		for (int j = 0; j < 5; j++)
			found += rev[j].inspector == p[i].inspected && rev[j].inspected == p[i].inspector;
		assert_int_equal(found, 1);
	}
	/* Two orgs inspect each other. */
	struct ring_pair two[2];
	assert_int_equal(ring_pairs(ids, 2, 0, two), 2);
	check_ring(ids, 2, two);
	/* Larger rings. */
	int64_t big[40];
	struct ring_pair bp[40];
	for (int i = 0; i < 40; i++)
		big[i] = 1000 + 7 * i;
	for (size_t n = 2; n <= 40; n++) {
		assert_int_equal(ring_pairs(big, n, (int)(n % 2), bp), (int)n);
		check_ring(big, n, bp);
	}
	/* Refused: fewer than two, a repeated or non-positive id. */
	assert_int_equal(ring_pairs(ids, 1, 0, p), -1);
	assert_int_equal(ring_pairs(ids, 0, 0, p), -1);
	int64_t dup[] = {1, 2, 1};
	assert_int_equal(ring_pairs(dup, 3, 0, p), -1);
	int64_t neg[] = {1, 0, 3};
	assert_int_equal(ring_pairs(neg, 3, 0, p), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grades),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_rate_percent),
		cmocka_unit_test(test_ring),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
