/*
 * compliance.h — the calendar rules of 三会一课 and 主题党日 (docs/PARTY.md):
 * a rule asks for at least `min` held meetings of one type per month or per
 * quarter; a period's status follows from the count held and "today" (a
 * China-time day from the injectable clock). Pure: unit-tested in
 * tests/unit/test_compliance.c.
 */
#ifndef WM_COMPLIANCE_H
#define WM_COMPLIANCE_H
#include <stdint.h>

enum comp_status { COMP_GREY, COMP_GREEN, COMP_AMBER, COMP_RED };

/* Periods of a year: 12 months or 4 quarters. */
#define COMP_MONTH 1
#define COMP_QUARTER 3

/* The first and last day (period.h day numbers) of period idx (0-based: month
 * 0…11 or quarter 0…3) of year for `months` (COMP_MONTH or COMP_QUARTER);
 * 0, or -1 for a bad argument. */
int comp_period(int year, int months, int idx, int64_t *first, int64_t *last);
/* How many periods a year has for `months` (12 or 4; 0 when bad). */
int comp_periods(int months);
/* A period's status: grey before it starts, green once held >= min, red
 * after it closed unmet, amber while it is open and unmet. */
enum comp_status comp_status(int64_t first, int64_t last, int64_t today, int held, int min);
/* "grey", "green", "amber", "red". */
const char *comp_status_name(enum comp_status s);
/* 1 when a reminder is due on today: the period is open, unmet, and closes
 * within `days` days (today >= last - days). */
int comp_remind_due(int64_t first, int64_t last, int64_t today, int held, int min, int days);
/* The period's key: "2026-03" for a month, "2026-Q1" for a quarter (out >= 9). */
void comp_period_key(int year, int months, int idx, char *out, int n);
#endif
