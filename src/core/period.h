/*
 * period.h — the calendar arithmetic of KPI periods (docs/KPI.md): China-time
 * days (Asia/Shanghai is UTC+8 all year, no DST), months as yyyymm, ISO 8601
 * weeks. Pure: no clock, no timezone database; unit-tested in
 * tests/unit/test_period.c.
 */
#ifndef WM_PERIOD_H
#define WM_PERIOD_H
#include <stddef.h>
#include <stdint.h>

/* The China-time day (days since 1970-01-01) of unix time t; floor, so
 * times before 1970 work too. */
int64_t period_day(int64_t t);
/* Unix time of 00:00 China time on `day`. */
int64_t period_day_start(int64_t day);
/* Strict "YYYY-MM-DD" (a real date, years 1970..9999) → day; 0 on success, -1 if not. */
int period_parse_date(const char *s, int64_t *day);
/* "YYYY-MM-DD" into out (>= 11 bytes). */
void period_format_day(int64_t day, char *out, size_t n);
/* yyyymm of the month holding `day` (e.g. 202607). */
int period_month_key(int64_t day);
/* First and last day of the month holding `day`. */
int64_t period_month_first(int64_t day);
int64_t period_month_last(int64_t day);
/* ISO 8601 week of `day`: the week-numbering year and week 1..53
 * (weeks start on Monday; week 1 holds the year's first Thursday). */
void period_iso_week(int64_t day, int *iso_year, int *week);
/* The Monday of the ISO week holding `day`. */
int64_t period_week_monday(int64_t day);
/* Splits [from, to] into leading days, whole months, trailing days, so that
 * a sum over the range reads day rows only for the partial months at its
 * ends. Empty parts come back as first > last (e.g. 1 > 0). Months are yyyymm. */
struct period_split {
	int64_t head_from, head_to;	/* days */
	int month_from, month_to;	/* yyyymm */
	int64_t tail_from, tail_to;	/* days */
};
void period_split(int64_t from, int64_t to, struct period_split *out);
#endif
