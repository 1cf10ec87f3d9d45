/*
 * signup.h — the pure rules of the volunteer shift sign-up (SPEC §5), kept
 * free of the database so each rule is unit-tested on its own
 * (tests/unit/test_signup.c): the weekly pattern generator, the sign-up
 * window, age on the day of service, the order in which the rules refuse,
 * the check-in window and distance, and the credited hours.
 *
 * Times are unix seconds; "days" are China (UTC+8) calendar days counted
 * from 1970-01-01. No function touches the process timezone.
 */
#ifndef WM_SIGNUP_H
#define WM_SIGNUP_H
#include <stddef.h>
#include <stdint.h>


/* The configuration (settings key "volunteer_rules", every value editable). */
struct signup_cfg {
	int min_age, max_age;		/* eligibility on the day of service: 18, 65 */
	int open_weekday;		/* ISO 1..7 of the week before the shift's week: 5 (Friday) */
	int open_minute;		/* minute of that day: 720 (12:00) */
	int cutoff_minutes;		/* sign-up and cancelling close this long before start: 60 */
	int weekly_quota;		/* live sign-ups per person per Monday–Sunday week: 6 */
	int noshow_limit;		/* no-shows within block_days that block: 2 */
	int block_days;			/* length of the block: 30 */
	int checkin_before_minutes;	/* check-in opens before start: 30 */
	int checkin_after_minutes;	/* ... and closes after the end: 0 */
	int checkout_grace_minutes;	/* a check-out is accepted until this long after the end: 120 */
};
void signup_cfg_default(struct signup_cfg *c);

/* Calendar helpers in China time (on timefmt.h's china_day). */
int64_t cn_day(int64_t t);			/* the China day of an instant */
int cn_iso_weekday(int64_t day);		/* 1 = Monday … 7 = Sunday */
int64_t cn_week_monday(int64_t day);		/* the Monday of that day's week */
int64_t cn_instant(int64_t day, int minute);	/* unix seconds of day + minute */

/* The text forms the volunteer routes take: "HH:MM" (00:00–24:00) as minutes
 * of the day or -1; a strict "YYYY-MM-DD" (1 when valid); the China date of
 * an instant as "YYYY-MM-DD" (out >= 11 bytes). */
int hhmm_parse(const char *s);
int date_valid(const char *s);
void cn_date(int64_t t, char *out, size_t n);

/* One generated shift. */
struct gen_shift {
	int64_t start, end;
};
/* Expands a weekly pattern (weekdays: bit 0 = Monday … bit 6 = Sunday;
 * minutes of the day, end > start) over the days [from_day, to_day). Writes
 * at most cap shifts in time order; returns how many there are in all (may
 * exceed cap: the caller then refuses), or -1 on an invalid pattern. */
int pattern_expand(unsigned weekdays, int start_min, int end_min, int64_t from_day, int64_t to_day,
		   struct gen_shift *out, size_t cap);
/* Monthly occurrences on day_of_month (1..28) over [from_day, to_day). */
int monthly_expand(int day_of_month, int start_min, int end_min, int64_t from_day, int64_t to_day,
		   struct gen_shift *out, size_t cap);

/* When sign-up for a post shift starting at `start` opens and closes. */
void signup_window(const struct signup_cfg *c, int64_t start, int64_t *opens, int64_t *closes);

/* Completed years on the China day of `t` for a birth date "YYYY-MM-DD";
 * -1 when the date is missing or malformed. */
int age_on(const char *birth_date, int64_t t);

/* Everything the rules look at, read inside the sign-up transaction. */
struct signup_facts {
	int64_t now;
	int64_t start, end;
	int is_activity;	/* activities open at once: no Friday window */
	int shift_cancelled;
	int approved;		/* the volunteer is approved */
	int already;		/* a live sign-up for this shift exists */
	int confirmed;		/* confirmed places taken */
	int capacity;
	const char *birth_date;	/* may be NULL: then the age rule refuses */
	int post_min_age, post_max_age;	/* 0 = none */
	int has_required_skill;	/* 1 when the post needs none or the person has it */
	int overlapping;	/* the person's live sign-ups overlapping this shift */
	int week_count;		/* the person's live sign-ups in the shift's week */
	int64_t blocked_until;	/* no-show block */
	int staff;		/* staff signing up on someone's behalf: window and cut-off do not apply */
	int overbook;		/* staff asked to confirm beyond capacity */
};

enum signup_outcome {
	SU_CONFIRMED = 0,
	SU_WAITLISTED,
	SU_SHIFT_CANCELLED,
	SU_NOT_APPROVED,
	SU_ALREADY,
	SU_NOT_OPEN,
	SU_CLOSED,
	SU_TOO_YOUNG,
	SU_TOO_OLD,
	SU_NO_AGE,
	SU_SKILL,
	SU_OVERLAP,
	SU_QUOTA,
	SU_BLOCKED,
};
/* The first rule that refuses, in a fixed order, else confirmed or waitlisted. */
enum signup_outcome signup_decide(const struct signup_cfg *c, const struct signup_facts *f);
/* API error code and Chinese message of a refusal (NULL code for the two successes). */
const char *signup_code(enum signup_outcome o);
const char *signup_message(enum signup_outcome o);

/* Check-in: 0 when `now` lies in [start - before, end + after], else -1
 * (too early) or 1 (too late). */
int checkin_window(const struct signup_cfg *c, int64_t start, int64_t end, int64_t now);
/* Check-out: 0 while `now` is at most checkout_grace_minutes after the end
 * (the check-out is recorded), 1 later (refused: the sign-up is settled as a
 * forgotten check-out, credited to the end). There is no lower bound: an
 * early check-out ends the service early. */
int checkout_window(const struct signup_cfg *c, int64_t end, int64_t now);
/* Hours credited for attendance: from max(check-in, start) to the check-out
 * when it is before the end, else (none, or at/after the end) to the end:
 * SPEC §5's policy caps hours at the shift's end, so the grace decides only
 * whether a late check-out is recorded (checkout_window), never the hours.
 * Rounded down to a quarter hour. */
double credited_hours(int64_t start, int64_t end, int64_t checkin, int64_t checkout);
#endif
