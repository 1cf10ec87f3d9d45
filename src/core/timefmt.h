/*
 * timefmt.h — RFC 3339 in and out. The API writes times in China Standard
 * Time with its offset ("2026-11-21T14:05:00+08:00"); it reads any RFC 3339
 * time with an offset or Z. Pure arithmetic: never the process timezone.
 */
#ifndef WM_TIMEFMT_H
#define WM_TIMEFMT_H
#include <stddef.h>
#include <stdint.h>

/* out needs 26 bytes. */
void time_rfc3339(int64_t t, char *out, size_t n);
/* 0 and *t on success; -1 on anything that is not a full RFC 3339 date-time
 * with an offset (a bare date "2026-11-21" is accepted as local midnight +08:00
 * when allow_date is set), or an instant past 9999-12-31T23:59:59+08:00. */
int time_parse(const char *s, int allow_date, int64_t *t);
/* The China-time (UTC+8) day of t, as days since 1970-01-01, and the
 * instant that day starts. */
int64_t china_day(int64_t t);
int64_t china_day_start(int64_t day);
/* Days since 1970-01-01 for a civil date and back (Howard Hinnant's algorithm). */
int64_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);
#endif
