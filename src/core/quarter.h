/*
 * quarter.h — calendar quarters for 双报到's quarterly feedback ("2026Q4"),
 * as China-time days (core/period.h). Pure; tests/unit/test_quarter.c.
 */
#ifndef WM_QUARTER_H
#define WM_QUARTER_H
#include <stddef.h>
#include <stdint.h>
/* Strict "YYYYQn" (years 2000..2100, n 1..4): 0, or -1. */
int quarter_parse(const char *s, int *year, int *q);
/* The quarter holding `day` (days since 1970-01-01). */
void quarter_of_day(int64_t day, int *year, int *q);
/* First and last day of a quarter. */
void quarter_days(int year, int q, int64_t *first, int64_t *last);
/* "YYYYQn" into out (>= 8 bytes). */
void quarter_format(int year, int q, char *out, size_t n);
#endif
