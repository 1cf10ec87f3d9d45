/*
 * scoring.h — the arithmetic of inspections and rounds, pure C (no I/O, no
 * allocation), unit-tested in tests/unit/test_scoring.c.
 *
 * An item is graded pass/fail or A/B/C/C# (= 100/66/33/0 %). N/A items are
 * left out of both numerator and denominator; the score rate of an
 * inspection is sum(weight × fraction) / sum(weight) over the graded items,
 * in percent. A failed item (fail, C or C#) raises a problem.
 */
#ifndef WM_SCORING_H
#define WM_SCORING_H
#include <stddef.h>
#include <stdint.h>

enum grade { G_NA, G_PASS, G_FAIL, G_A, G_B, G_C, G_CSHARP };

/* The grade of a result string under a grading mode ("pass_fail" or "abc");
 * -1 when the result is not valid for that mode ("na" is valid for both). */
int grade_parse(const char *grading, const char *result);
/* The fraction of the weight a grade earns (0..1); 0 for N/A. */
double grade_fraction(int g);
/* 1 when the grade counts as a failure that raises a problem. */
int grade_failed(int g);

struct score_item {
	double weight;	/* > 0 */
	int grade;	/* enum grade */
};
/* Score rate in percent (0..100, rounded to 0.01) into *rate. Returns 0, or
 * -1 when no item was graded (all N/A, or n == 0): the rate is undefined. */
int score_rate(const struct score_item *items, size_t n, double *rate);
/* num / den in percent rounded half up to 0.01 (7 of 9 → 77.78, never the
 * truncated 77.77); -1 when den <= 0 (the caller answers null). */
double rate_percent(int64_t num, int64_t den);

/* 咬尾巴: pairs over n orgs in the given order, i inspects i+1 (the last
 * inspects the first); reverse = 1 gives the follow-up direction (i inspects
 * i-1). Every org inspects exactly one other and is inspected exactly once,
 * never itself. Returns n, or -1 when n < 2 or an id repeats (or is <= 0). */
struct ring_pair {
	int64_t inspector, inspected;
};
int ring_pairs(const int64_t *ids, size_t n, int reverse, struct ring_pair *out);
#endif
