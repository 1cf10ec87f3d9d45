/*
 * scoring.c — see scoring.h. Kept free of jansson and the store so that the
 * rules can be tested exhaustively and reused by reports.
 */
#include "scoring.h"
#include <math.h>
#include <string.h>

int grade_parse(const char *grading, const char *result)
{
	if (!grading || !result)
		return -1;
	if (!strcmp(result, "na"))
		return G_NA;
	if (!strcmp(grading, "pass_fail")) {
		if (!strcmp(result, "pass"))
			return G_PASS;
		if (!strcmp(result, "fail"))
			return G_FAIL;
		return -1;
	}
	if (!strcmp(grading, "abc")) {
		static const struct {
			const char *s;
			int g;
		} t[] = {{"A", G_A}, {"B", G_B}, {"C", G_C}, {"C#", G_CSHARP}};
		for (size_t i = 0; i < sizeof t / sizeof *t; i++)
			if (!strcmp(result, t[i].s))
				return t[i].g;
	}
	return -1;
}

double grade_fraction(int g)
{
	switch (g) {
	case G_PASS:
	case G_A:
		return 1.0;
	case G_B:
		return 0.66;
	case G_C:
		return 0.33;
	default:
		return 0.0;
	}
}

int grade_failed(int g)
{
	return g == G_FAIL || g == G_C || g == G_CSHARP;
}

int score_rate(const struct score_item *items, size_t n, double *rate)
{
	double got = 0, total = 0;
	for (size_t i = 0; i < n; i++) {
		if (items[i].grade == G_NA || !(items[i].weight > 0))
			continue;
		total += items[i].weight;
		got += items[i].weight * grade_fraction(items[i].grade);
	}
	if (total <= 0)
		return -1;
	*rate = round(got / total * 10000.0) / 100.0;
	return 0;
}

double rate_percent(int64_t num, int64_t den)
{
	return den > 0 ? round((double)num * 10000.0 / (double)den) / 100.0 : -1;
}

int ring_pairs(const int64_t *ids, size_t n, int reverse, struct ring_pair *out)
{
	if (n < 2)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (ids[i] <= 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (ids[i] == ids[j])
				return -1;
	}
	for (size_t i = 0; i < n; i++) {
		out[i].inspector = ids[i];
		out[i].inspected = ids[reverse ? (i + n - 1) % n : (i + 1) % n];
	}
	return (int)n;
}
