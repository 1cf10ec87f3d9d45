/* test_signup.c — the sign-up rules one at a time, the weekly pattern
 * generator, the window, age, check-in window, haversine and credited hours. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include "core/signup.h"
#include "core/validate.h"
#include "core/timefmt.h"

/* 2026-11-23 is a Monday. */
static int64_t day_of(int y, unsigned m, unsigned d)
{
	return days_from_civil(y, m, d);
}

static void test_calendar_helpers(void **s)
{
	(void)s;
	assert_int_equal(cn_iso_weekday(0), 4);	/* 1970-01-01 Thursday */
	assert_int_equal(cn_iso_weekday(day_of(2026, 11, 23)), 1);
	assert_int_equal(cn_iso_weekday(day_of(2026, 11, 29)), 7);
	assert_int_equal(cn_week_monday(day_of(2026, 11, 29)), day_of(2026, 11, 23));
	/* 2026-11-23 00:30 China = 2026-11-22 16:30 UTC */
	int64_t t = cn_instant(day_of(2026, 11, 23), 30);
	assert_int_equal(cn_day(t), day_of(2026, 11, 23));
	assert_int_equal(cn_day(t - 31 * 60), day_of(2026, 11, 22));
	assert_int_equal(cn_iso_weekday(day_of(1969, 12, 31)), 3);
}

static void test_pattern_daily_two_slots(void **s)
{
	(void)s;
	struct gen_shift out[32];
	int64_t mon = day_of(2026, 11, 23);
	int n1 = pattern_expand(127, 450, 570, mon, mon + 7, out, 32);
	assert_int_equal(n1, 7);
	for (int i = 0; i < 7; i++) {
		assert_int_equal(out[i].start, cn_instant(mon + i, 450));
		assert_int_equal(out[i].end - out[i].start, 7200);
	}
	int n2 = pattern_expand(127, 990, 1110, mon, mon + 7, out, 32);
	assert_int_equal(n2, 7);
	assert_int_equal(out[0].start, cn_instant(mon, 16 * 60 + 30));
}

static void test_pattern_weekdays_and_cap(void **s)
{
	(void)s;
	struct gen_shift out[4];
	int64_t mon = day_of(2026, 11, 23);
	/* Monday to Friday only: 10 in two weeks; only 4 written. */
	assert_int_equal(pattern_expand(31, 420, 510, mon, mon + 14, out, 4), 10);
	assert_int_equal(out[3].start, cn_instant(mon + 3, 420));
	/* Saturday and Sunday. */
	assert_int_equal(pattern_expand(0x60, 420, 510, mon, mon + 7, out, 4), 2);
	assert_int_equal(out[0].start, cn_instant(mon + 5, 420));
	/* The same input twice gives the same shifts (the unique key does the rest). */
	struct gen_shift a[4], b[4];
	pattern_expand(5, 60, 120, mon, mon + 7, a, 4);
	pattern_expand(5, 60, 120, mon, mon + 7, b, 4);
	assert_memory_equal(a, b, sizeof a[0] * 2);
}

static void test_pattern_invalid(void **s)
{
	(void)s;
	struct gen_shift out[2];
	assert_int_equal(pattern_expand(0, 60, 120, 0, 7, out, 2), -1);
	assert_int_equal(pattern_expand(128, 60, 120, 0, 7, out, 2), -1);
	assert_int_equal(pattern_expand(1, 120, 120, 0, 7, out, 2), -1);
	assert_int_equal(pattern_expand(1, 120, 1441, 0, 7, out, 2), -1);
	assert_int_equal(pattern_expand(1, -1, 60, 0, 7, out, 2), -1);
	assert_int_equal(pattern_expand(1, 60, 120, 7, 0, out, 2), -1);
	assert_int_equal(pattern_expand(1, 0, 1440, 0, 0, out, 2), 0);
}

static void test_monthly(void **s)
{
	(void)s;
	struct gen_shift out[8];
	int64_t from = day_of(2026, 11, 1);
	int n = monthly_expand(5, 840, 960, from, from + 92, out, 8);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].start, cn_instant(day_of(2026, 11, 5), 840));
	assert_int_equal(out[1].start, cn_instant(day_of(2026, 12, 5), 840));
	assert_int_equal(out[2].start, cn_instant(day_of(2027, 1, 5), 840));
	assert_int_equal(monthly_expand(29, 840, 960, from, from + 92, out, 8), -1);
}

static void test_window_friday_noon(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	int64_t opens, closes;
	int64_t start = cn_instant(day_of(2026, 11, 25), 450);	/* Wednesday 07:30 */
	signup_window(&c, start, &opens, &closes);
	assert_int_equal(opens, cn_instant(day_of(2026, 11, 20), 720));	/* Friday before, 12:00 */
	assert_int_equal(closes, start - 3600);
	/* A Sunday shift belongs to the same week. */
	signup_window(&c, cn_instant(day_of(2026, 11, 29), 990), &opens, &closes);
	assert_int_equal(opens, cn_instant(day_of(2026, 11, 20), 720));
	c.open_weekday = 7;
	c.open_minute = 20 * 60;
	signup_window(&c, start, &opens, &closes);
	assert_int_equal(opens, cn_instant(day_of(2026, 11, 22), 1200));
}

static void test_age(void **s)
{
	(void)s;
	int64_t t = cn_instant(day_of(2026, 11, 25), 450);
	assert_int_equal(age_on("2008-11-25", t), 18);
	assert_int_equal(age_on("2008-11-26", t), 17);
	assert_int_equal(age_on("1961-11-25", t), 65);
	assert_int_equal(age_on("1961-11-24", t), 65);
	assert_int_equal(age_on("1960-11-25", t), 66);
	assert_int_equal(age_on(NULL, t), -1);
	assert_int_equal(age_on("1990/01/01", t), -1);
	assert_int_equal(age_on("1990-13-01", t), -1);
}

/* A fact sheet where every rule passes and a place is free. */
static struct signup_facts ok_facts(void)
{
	int64_t start = cn_instant(day_of(2026, 11, 25), 450);
	return (struct signup_facts){.now = cn_instant(day_of(2026, 11, 21), 600), .start = start, .end = start + 7200,
				     .approved = 1, .capacity = 2, .birth_date = "1990-05-15", .has_required_skill = 1};
}

static void test_rule_success_and_waitlist(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	struct signup_facts f = ok_facts();
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
	f.confirmed = 1;
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
	f.confirmed = 2;
	assert_int_equal(signup_decide(&c, &f), SU_WAITLISTED);
	f.staff = 1;
	assert_int_equal(signup_decide(&c, &f), SU_WAITLISTED);
	f.overbook = 1;
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
}

static void test_rule_cancelled_and_approval(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	struct signup_facts f = ok_facts();
	f.shift_cancelled = 1;
	assert_int_equal(signup_decide(&c, &f), SU_SHIFT_CANCELLED);
	f = ok_facts();
	f.approved = 0;
	assert_int_equal(signup_decide(&c, &f), SU_NOT_APPROVED);
	assert_string_equal(signup_code(SU_NOT_APPROVED), "not_approved");
}

static void test_rule_already(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	struct signup_facts f = ok_facts();
	f.already = 1;
	assert_int_equal(signup_decide(&c, &f), SU_ALREADY);
	assert_string_equal(signup_code(SU_ALREADY), "already_signed_up");
}

static void test_rule_window(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	struct signup_facts f = ok_facts();
	f.now = cn_instant(day_of(2026, 11, 20), 719);	/* Friday 11:59 */
	assert_int_equal(signup_decide(&c, &f), SU_NOT_OPEN);
	f.now = cn_instant(day_of(2026, 11, 20), 720);	/* Friday 12:00 */
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
	f.now = f.start - 3601;
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
	f.now = f.start - 3600;	/* the cut-off */
	assert_int_equal(signup_decide(&c, &f), SU_CLOSED);
	/* Staff are not bound by the window, but not into the past. */
	f.staff = 1;
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
	f.now = f.end;
	assert_int_equal(signup_decide(&c, &f), SU_CLOSED);
	/* Activities open at once. */
	f = ok_facts();
	f.is_activity = 1;
	f.now = f.start - 86400 * 30;
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
}

static void test_rule_age(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	struct signup_facts f = ok_facts();
	f.birth_date = "2008-11-26";	/* 17 on the day of service */
	assert_int_equal(signup_decide(&c, &f), SU_TOO_YOUNG);
	f.birth_date = "2008-11-25";
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
	f.birth_date = "1960-11-25";	/* 66 */
	assert_int_equal(signup_decide(&c, &f), SU_TOO_OLD);
	f.birth_date = NULL;
	assert_int_equal(signup_decide(&c, &f), SU_NO_AGE);
	/* The post narrows the range; it cannot widen it. */
	f.birth_date = "2000-01-01";
	f.post_min_age = 30;
	assert_int_equal(signup_decide(&c, &f), SU_TOO_YOUNG);
	f.post_min_age = 10;
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
	f.birth_date = "1970-01-01";
	f.post_max_age = 50;
	assert_int_equal(signup_decide(&c, &f), SU_TOO_OLD);
	/* Configuration changes the defaults. */
	f = ok_facts();
	f.birth_date = "2010-01-01";
	c.min_age = 16;
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
}

static void test_rule_skill(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	struct signup_facts f = ok_facts();
	f.has_required_skill = 0;
	assert_int_equal(signup_decide(&c, &f), SU_SKILL);
}

static void test_rule_overlap(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	struct signup_facts f = ok_facts();
	f.overlapping = 1;
	assert_int_equal(signup_decide(&c, &f), SU_OVERLAP);
	assert_string_equal(signup_code(SU_OVERLAP), "overlap");
}

static void test_rule_quota(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	struct signup_facts f = ok_facts();
	f.week_count = c.weekly_quota - 1;
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
	f.week_count = c.weekly_quota;
	assert_int_equal(signup_decide(&c, &f), SU_QUOTA);
	c.weekly_quota = 0;	/* 0 = no quota */
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
}

static void test_rule_blocked(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	struct signup_facts f = ok_facts();
	f.blocked_until = f.now + 1;
	assert_int_equal(signup_decide(&c, &f), SU_BLOCKED);
	f.blocked_until = f.now;
	assert_int_equal(signup_decide(&c, &f), SU_CONFIRMED);
	assert_string_equal(signup_code(SU_BLOCKED), "blocked_no_shows");
}

static void test_rule_codes_distinct(void **s)
{
	(void)s;
	for (int a = SU_SHIFT_CANCELLED; a <= SU_BLOCKED; a++) {
		assert_non_null(signup_code(a));
		for (int b = a + 1; b <= SU_BLOCKED; b++)
			assert_string_not_equal(signup_code(a), signup_code(b));
	}
	assert_null(signup_code(SU_CONFIRMED));
}

static void test_checkin_window(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	int64_t st = 1000000, en = st + 7200;
	assert_int_equal(checkin_window(&c, st, en, st - 1801), -1);
	assert_int_equal(checkin_window(&c, st, en, st - 1800), 0);
	assert_int_equal(checkin_window(&c, st, en, en), 0);
	assert_int_equal(checkin_window(&c, st, en, en + 1), 1);
}

static void test_haversine(void **s)
{
	(void)s;
	assert_true(haversine_m(31.2, 121.5, 31.2, 121.5) < 0.001);
	/* One degree of latitude ≈ 111.2 km. */
	assert_true(fabs(haversine_m(31.0, 121.5, 32.0, 121.5) - 111195) < 50);
	/* ~100 m east at 31.2° N. */
	double d = haversine_m(31.2, 121.5, 31.2, 121.5 + 100.0 / (111195 * cos(31.2 * M_PI / 180)));
	assert_true(fabs(d - 100) < 0.5);
}

static void test_credited_hours(void **s)
{
	(void)s;
	int64_t st = 1000800, en = st + 7200;
	assert_true(credited_hours(st, en, 0, 0) == 0);
	assert_true(credited_hours(st, en, st - 600, en) == 2.0);
	assert_true(credited_hours(st, en, st - 600, 0) == 2.0);		/* forgot to check out */
	assert_true(credited_hours(st, en, st + 1800, 0) == 1.5);		/* late */
	assert_true(credited_hours(st, en, st, st + 3600 + 899) == 1.0);	/* early, rounded down */
	assert_true(credited_hours(st, en, st, en + 3600) == 2.0);		/* late check-out capped */
	assert_true(credited_hours(st, en, en + 10, 0) == 0);
}

/* checkout_grace_minutes: a check-out is recorded until end + grace and
 * refused later; whichever way, the hours stay capped at the end. */
static void test_checkout_window(void **s)
{
	(void)s;
	struct signup_cfg c;
	signup_cfg_default(&c);
	int64_t st = 1000800, en = st + 7200;
	assert_int_equal(checkout_window(&c, en, st + 60), 0);		/* early check-out */
	assert_int_equal(checkout_window(&c, en, en + 120 * 60), 0);	/* the last second of the grace */
	assert_int_equal(checkout_window(&c, en, en + 120 * 60 + 1), 1);
	c.checkout_grace_minutes = 0;
	assert_int_equal(checkout_window(&c, en, en), 0);
	assert_int_equal(checkout_window(&c, en, en + 1), 1);
	c.checkout_grace_minutes = 30;
	assert_int_equal(checkout_window(&c, en, en + 29 * 60), 0);
	assert_int_equal(checkout_window(&c, en, en + 31 * 60), 1);
	/* The grace never changes the hours: a late check-out within it or not. */
	for (int g = 0; g <= 240; g += 120) {
		c.checkout_grace_minutes = g;
		assert_true(credited_hours(st, en, st, en + 600) == 2.0);
		assert_true(credited_hours(st, en, st, en - 1800) == 1.5);
	}
}

static void test_text_forms(void **s)
{
	(void)s;
	assert_int_equal(hhmm_parse("07:30"), 450);
	assert_int_equal(hhmm_parse("00:00"), 0);
	assert_int_equal(hhmm_parse("24:00"), 1440);
	assert_int_equal(hhmm_parse("24:01"), -1);
	assert_int_equal(hhmm_parse("7:30"), -1);
	assert_int_equal(hhmm_parse("07:60"), -1);
	assert_int_equal(hhmm_parse("0a:00"), -1);
	assert_int_equal(hhmm_parse(NULL), -1);
	assert_true(date_valid("2025-02-28"));
	assert_false(date_valid("2025-02-30"));
	assert_false(date_valid("2025-2-28"));
	assert_false(date_valid("2025-02-28T00:00:00+08:00"));
	char buf[16];
	cn_date(cn_instant(day_of(2026, 11, 23), 30), buf, sizeof buf);
	assert_string_equal(buf, "2026-11-23");
	cn_date(cn_instant(day_of(2026, 11, 23), 0) - 1, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-22");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar_helpers),   cmocka_unit_test(test_pattern_daily_two_slots),
		cmocka_unit_test(test_pattern_weekdays_and_cap), cmocka_unit_test(test_pattern_invalid),
		cmocka_unit_test(test_monthly),            cmocka_unit_test(test_window_friday_noon),
		cmocka_unit_test(test_age),                cmocka_unit_test(test_rule_success_and_waitlist),
		cmocka_unit_test(test_rule_cancelled_and_approval), cmocka_unit_test(test_rule_already),
		cmocka_unit_test(test_rule_window),        cmocka_unit_test(test_rule_age),
		cmocka_unit_test(test_rule_skill),         cmocka_unit_test(test_rule_overlap),
		cmocka_unit_test(test_rule_quota),         cmocka_unit_test(test_rule_blocked),
		cmocka_unit_test(test_rule_codes_distinct), cmocka_unit_test(test_checkin_window),
		cmocka_unit_test(test_haversine),          cmocka_unit_test(test_credited_hours),
		cmocka_unit_test(test_checkout_window),
		cmocka_unit_test(test_text_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
