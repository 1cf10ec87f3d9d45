/*
 * visit_due.c — dates and visit frequencies for home-watch lists. Monthly
 * is 30 days, not "the same day next month": a visit every 30 days never
 * lands on a day that does not exist (31st, Feb 29) and is what the
 * committees count ("每月至少走访一次" ≈ every 30 days).
 */
#include "visit_due.h"
#include "timefmt.h"
#include <stdio.h>
#include <string.h>

int ymd_to_day(const char *s, int64_t *day)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0')), d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	int64_t z = days_from_civil(y, m, d);
	int yy;
	unsigned mm, dd;
	civil_from_days(z, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)	/* 2026-02-30 rolls over: not a date */
		return -1;
	*day = z;
	return 0;
}

void day_to_ymd(int64_t day, char *out, size_t n)
{
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(out, n, "%04d-%02u-%02u", y, m, d);
}

int visit_interval(const char *frequency)
{
	if (!frequency)
		return -1;
	if (!strcmp(frequency, "weekly"))
		return 7;
	if (!strcmp(frequency, "fortnightly"))
		return 14;
	if (!strcmp(frequency, "monthly"))
		return 30;
	return -1;
}

int64_t visit_due_day(int64_t last_day, const char *frequency)
{
	int n = visit_interval(frequency);
	return n < 0 ? -1 : last_day + n;
}
