/*
 * visit_due.h — when a home-watch visit is due (docs/PARTY.md "buildings"):
 * calendar dates as day numbers and the visit frequencies. Pure, so the
 * unit tests pin it on awkward days (month ends, Feb 29, Dec 31).
 */
#ifndef WM_VISIT_DUE_H
#define WM_VISIT_DUE_H
#include <stddef.h>
#include <stdint.h>

/* 'YYYY-MM-DD' (a real calendar date, 1900–9999) → days since 1970-01-01:
 * 0, or -1 for anything else. */
int ymd_to_day(const char *s, int64_t *day);
/* Day number → 'YYYY-MM-DD' (out needs 11 bytes). */
void day_to_ymd(int64_t day, char *out, size_t n);
/* Days between visits: weekly 7, fortnightly 14, monthly 30; -1 unknown. */
int visit_interval(const char *frequency);
/* The day the next visit is due: the last visit (or, before the first,
 * the day the person was listed) plus the interval; -1 for an unknown
 * frequency. Overdue when today > due. */
int64_t visit_due_day(int64_t last_day, const char *frequency);
#endif
