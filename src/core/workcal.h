/*
 * workcal.h — the working-time calendar behind rectification deadlines
 * (SPEC §3 "Deadlines", data/defaults.md "Problem categories and default
 * rectification deadlines"): working hours with a lunch break, weekends,
 * public holidays and make-up working days (调休上班), and the arithmetic
 * that turns "4 工作时" or "5 工作日" into a moment in time.
 *
 * All times are unix seconds. The calendar's local time is China Standard
 * Time (UTC+8, no DST); dates are computed with pure arithmetic, never the
 * process timezone, so results do not depend on TZ. Dates are int YYYYMMDD
 * and must lie in years 1..9999.
 *
 * Nothing here allocates or keeps global state; a struct workcal only
 * borrows its holiday table.
 */
#ifndef WM_WORKCAL_H
#define WM_WORKCAL_H
#include <stddef.h>
#include <stdint.h>

#define WC_UTC_OFFSET	(8 * 3600)	/* China Standard Time */
#define WC_MAX_AMOUNT	10000		/* largest accepted deadline amount */

enum wc_unit { WC_CAL_HOURS, WC_WORK_HOURS, WC_WORK_DAYS };

/* kind 'H' = holiday (no work), 'W' = make-up working day (调休上班, work
 * even on a weekend). */
struct wc_day {
	int ymd;
	char kind;
};

struct workcal {
	int work_start_min, work_end_min;	/* minutes after local midnight, default 8*60+30 .. 17*60+30 */
	int lunch_start_min, lunch_end_min;	/* a break inside the span, default 11*60+30 .. 13*60; equal = no break */
	unsigned weekend_mask;			/* bit d set = weekday d (0=Sunday..6=Saturday) is a rest day; default (1<<0)|(1<<6) */
	const struct wc_day *days;		/* sorted by ymd ascending, n_days entries; not owned */
	size_t n_days;
};

/* Fills the defaults above, with no holiday table. */
void workcal_default(struct workcal *c);

/* 1 if ymd is a working day: a holiday → 0; a make-up day → 1; otherwise
 * the weekday must not be in weekend_mask. 0 for an invalid ymd or NULL c. */
int workcal_is_workday(const struct workcal *c, int ymd);

/* The deadline for `amount` units starting at `start`:
 *  WC_CAL_HOURS: start + amount hours, calendar time (c may be NULL).
 *  WC_WORK_HOURS: consume `amount` hours of working time (inside the work
 *   span minus lunch, on working days only) beginning at start, or at the
 *   next working moment if start is outside working time. Returns the moment
 *   the last second is consumed, so a deadline that ends a morning is 11:30,
 *   not 13:00. Amount 0 gives the next working moment (start itself when
 *   start is inside working time).
 *  WC_WORK_DAYS: work_end on the amount-th working day after the start's
 *   local date (the start day never counts). Amount 0 = work_end today if
 *   today is a working day (even when start is already past it), else
 *   work_end of the next working day.
 * Returns -1 when amount < 0 or > WC_MAX_AMOUNT, the unit is unknown, the
 * calendar is malformed (work span outside 0..1440 or empty, lunch start
 * after lunch end, no working minute left after lunch), start lies outside
 * years 1..9999, the result would leave that range, or more than 3 years
 * (1098 days) pass in a row without a working day. */
int64_t workcal_deadline(const struct workcal *c, int64_t start, enum wc_unit unit, int amount);

/* Working seconds in [a, b), for "how much of the time has passed" (the
 * 50 % reminder) with WORK units; for CAL units callers use b - a.
 * 0 when b <= a; -1 for a malformed calendar or times outside years
 * 1..9999. */
int64_t workcal_work_seconds(const struct workcal *c, int64_t a, int64_t b);

/* Local (UTC+8) date YYYYMMDD of a unix time; 0 outside years 1..9999. */
int workcal_ymd(int64_t t);
/* 0=Sunday..6=Saturday; -1 for an invalid ymd. */
int workcal_weekday(int ymd);
/* Unix time of local ymd 00:00 + minutes (minutes may be negative or exceed
 * a day). -1 for an invalid ymd; no valid input yields -1, since every
 * valid result is a whole minute. */
int64_t workcal_local(int ymd, int minutes);
/* Calendar arithmetic on YYYYMMDD; 0 if ymd is invalid or the result
 * leaves years 1..9999. */
int workcal_ymd_add(int ymd, int days);
/* 1 if ymd is a real date in years 1..9999. */
int workcal_ymd_valid(int ymd);

/* Parses one line of the holiday import format (see
 * schema/holidays-example.txt):
 *	2026-10-01 holiday 国庆节
 *	2026-10-10 workday 国庆节调休
 * Kind words: holiday|workday (ASCII case-insensitive) or 休|班. The date
 * is exactly YYYY-MM-DD. Everything after the kind, trimmed, is the free-text
 * name. Returns 0 on success (*day filled; name_out, if not NULL and
 * name_size > 0, gets the name — possibly "" — cut to name_size-1 bytes
 * without splitting a UTF-8 sequence); 1 for a blank line or a '#' comment
 * (nothing written); -1 for a malformed line (nothing written). A trailing
 * "\r\n" or "\n" is ignored. */
int workcal_parse_line(const char *line, struct wc_day *day, char *name_out, size_t name_size);

#endif
