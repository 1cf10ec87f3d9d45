/* period.c — see period.h. */
#include "period.h"
#include "timefmt.h"
#include <stdio.h>

#define CST (8 * 3600)

int64_t period_day(int64_t t)
{
	int64_t l = t + CST;
	return l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
}

int64_t period_day_start(int64_t day)
{
	return day * 86400 - CST;
}

int period_parse_date(const char *s, int64_t *day)
{
	if (!s)
		return -1;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if (s[i] < '0' || s[i] > '9')
			return -1;
	}
	if (s[10])
		return -1;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0')), d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	int64_t z = days_from_civil(y, m, d);
	int yy;
	unsigned mm, dd;
	civil_from_days(z, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)	/* 2026-02-30 and the like */
		return -1;
	*day = z;
	return 0;
}

void period_format_day(int64_t day, char *out, size_t n)
{
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(out, n, "%04d-%02u-%02u", y, m, d);
}

int period_month_key(int64_t day)
{
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	return y * 100 + (int)m;
}

int64_t period_month_first(int64_t day)
{
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	return days_from_civil(y, m, 1);
}

int64_t period_month_last(int64_t day)
{
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	return m == 12 ? days_from_civil(y + 1, 1, 1) - 1 : days_from_civil(y, m + 1, 1) - 1;
}

int64_t period_week_monday(int64_t day)
{
	/* 1970-01-01 was a Thursday: weekday (Monday = 0) is (day + 3) mod 7. */
	int64_t wd = ((day + 3) % 7 + 7) % 7;
	return day - wd;
}

void period_iso_week(int64_t day, int *iso_year, int *week)
{
	/* The ISO year is the year of the week's Thursday. */
	int64_t thu = period_week_monday(day) + 3;
	int y;
	unsigned m, d;
	civil_from_days(thu, &y, &m, &d);
	*iso_year = y;
	*week = (int)((thu - days_from_civil(y, 1, 1)) / 7) + 1;
}

void period_split(int64_t from, int64_t to, struct period_split *o)
{
	o->head_from = 1, o->head_to = 0, o->tail_from = 1, o->tail_to = 0;
	o->month_from = 1, o->month_to = 0;
	if (from > to)
		return;
	int64_t first_full = from == period_month_first(from) ? from : period_month_last(from) + 1;
	int64_t last_full = to == period_month_last(to) ? to : period_month_first(to) - 1;
	if (first_full > last_full) {	/* no whole month inside: days only */
		o->head_from = from, o->head_to = to;
		return;
	}
	if (from < first_full)
		o->head_from = from, o->head_to = first_full - 1;
	o->month_from = period_month_key(first_full);
	o->month_to = period_month_key(last_full);
	if (last_full < to)
		o->tail_from = last_full + 1, o->tail_to = to;
}
