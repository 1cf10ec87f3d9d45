/* signup.c — see signup.h. Pure functions: no I/O, no globals. */
#include "signup.h"
#include "timefmt.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void signup_cfg_default(struct signup_cfg *c)
{
	c->min_age = 18;
	c->max_age = 65;
	c->open_weekday = 5;
	c->open_minute = 12 * 60;
	c->cutoff_minutes = 60;
	c->weekly_quota = 6;
	c->noshow_limit = 2;
	c->block_days = 30;
	c->checkin_before_minutes = 30;
	c->checkin_after_minutes = 0;
	c->checkout_grace_minutes = 120;
}

int64_t cn_day(int64_t t)
{
	return china_day(t);
}

int cn_iso_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (ISO 4). */
	int64_t r = (day + 3) % 7;
	if (r < 0)
		r += 7;
	return (int)r + 1;
}

int64_t cn_week_monday(int64_t day)
{
	return day - (cn_iso_weekday(day) - 1);
}

int64_t cn_instant(int64_t day, int minute)
{
	return china_day_start(day) + (int64_t)minute * 60;
}

int hhmm_parse(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m))
		return -1;
	return h * 60 + m;
}

int date_valid(const char *s)
{
	int64_t t;
	return s && strlen(s) == 10 && time_parse(s, 1, &t) == 0;
}

void cn_date(int64_t t, char *out, size_t n)
{
	int y;
	unsigned m, d;
	civil_from_days(cn_day(t), &y, &m, &d);
	snprintf(out, n, "%04d-%02u-%02u", y, m, d);
}

static int pattern_ok(int start_min, int end_min)
{
	return start_min >= 0 && start_min < 1440 && end_min > start_min && end_min <= 1440;
}

int pattern_expand(unsigned weekdays, int start_min, int end_min, int64_t from_day, int64_t to_day,
		   struct gen_shift *out, size_t cap)
{
	if (!pattern_ok(start_min, end_min) || weekdays == 0 || weekdays > 127 || to_day < from_day)
		return -1;
	int n = 0;
	for (int64_t d = from_day; d < to_day; d++) {
		if (!(weekdays & (1u << (cn_iso_weekday(d) - 1))))
			continue;
		if ((size_t)n < cap) {
			out[n].start = cn_instant(d, start_min);
			out[n].end = cn_instant(d, end_min);
		}
		n++;
	}
	return n;
}

int monthly_expand(int dom, int start_min, int end_min, int64_t from_day, int64_t to_day, struct gen_shift *out,
		   size_t cap)
{
	if (!pattern_ok(start_min, end_min) || dom < 1 || dom > 28 || to_day < from_day)
		return -1;
	int n = 0;
	for (int64_t d = from_day; d < to_day; d++) {
		int y;
		unsigned m, dd;
		civil_from_days(d, &y, &m, &dd);
		if ((int)dd != dom)
			continue;
		if ((size_t)n < cap) {
			out[n].start = cn_instant(d, start_min);
			out[n].end = cn_instant(d, end_min);
		}
		n++;
	}
	return n;
}

void signup_window(const struct signup_cfg *c, int64_t start, int64_t *opens, int64_t *closes)
{
	int64_t monday = cn_week_monday(cn_day(start));
	*opens = cn_instant(monday - 7 + (c->open_weekday - 1), c->open_minute);
	*closes = start - (int64_t)c->cutoff_minutes * 60;
}

int age_on(const char *b, int64_t t)
{
	if (!b || strlen(b) != 10 || b[4] != '-' || b[7] != '-')
		return -1;
	int by = atoi(b), bm = atoi(b + 5), bd = atoi(b + 8);
	if (by < 1800 || bm < 1 || bm > 12 || bd < 1 || bd > 31)
		return -1;
	int y;
	unsigned m, d;
	civil_from_days(cn_day(t), &y, &m, &d);
	int age = y - by;
	if ((int)m * 100 + (int)d < bm * 100 + bd)
		age--;
	return age;
}

enum signup_outcome signup_decide(const struct signup_cfg *c, const struct signup_facts *f)
{
	if (f->shift_cancelled)
		return SU_SHIFT_CANCELLED;
	if (!f->approved)
		return SU_NOT_APPROVED;
	if (f->already)
		return SU_ALREADY;
	if (!f->staff) {
		int64_t opens = 0, closes;
		signup_window(c, f->start, &opens, &closes);
		if (f->is_activity)
			opens = INT64_MIN;
		if (f->now < opens)
			return SU_NOT_OPEN;
		if (f->now >= closes)
			return SU_CLOSED;
	} else if (f->now >= f->end)
		return SU_CLOSED;	/* not even staff sign up for the past */
	int age = age_on(f->birth_date, f->start);
	if (age < 0)
		return SU_NO_AGE;
	int min = f->post_min_age > c->min_age ? f->post_min_age : c->min_age;
	int max = f->post_max_age && f->post_max_age < c->max_age ? f->post_max_age : c->max_age;
	if (age < min)
		return SU_TOO_YOUNG;
	if (age > max)
		return SU_TOO_OLD;
	if (!f->has_required_skill)
		return SU_SKILL;
	if (f->overlapping > 0)
		return SU_OVERLAP;
	if (c->weekly_quota > 0 && f->week_count >= c->weekly_quota)
		return SU_QUOTA;
	if (f->blocked_until > f->now)
		return SU_BLOCKED;
	if (f->confirmed < f->capacity || (f->staff && f->overbook))
		return SU_CONFIRMED;
	return SU_WAITLISTED;
}

static const struct {
	enum signup_outcome o;
	const char *code, *msg;
} texts[] = {
	{SU_CONFIRMED, NULL, "报名成功"},
	{SU_WAITLISTED, NULL, "名额已满，已进入候补"},
	{SU_SHIFT_CANCELLED, "shift_cancelled", "该班次已取消"},
	{SU_NOT_APPROVED, "not_approved", "志愿者注册尚未通过审核"},
	{SU_ALREADY, "already_signed_up", "您已报名该班次"},
	{SU_NOT_OPEN, "signup_not_open", "报名尚未开始"},
	{SU_CLOSED, "signup_closed", "报名已截止"},
	{SU_TOO_YOUNG, "too_young", "未达到该岗位的最低年龄"},
	{SU_TOO_OLD, "too_old", "超过该岗位的最高年龄"},
	{SU_NO_AGE, "age_unknown", "缺少出生日期（身份证号），无法核对年龄"},
	{SU_SKILL, "skill_required", "该岗位需要特定技能"},
	{SU_OVERLAP, "overlap", "与您已报名的其他班次时间冲突"},
	{SU_QUOTA, "weekly_quota", "已达到每周报名上限"},
	{SU_BLOCKED, "blocked_no_shows", "因多次未到岗，暂停报名"},
};

const char *signup_code(enum signup_outcome o)
{
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		if (texts[i].o == o)
			return texts[i].code;
	return "refused";
}

const char *signup_message(enum signup_outcome o)
{
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		if (texts[i].o == o)
			return texts[i].msg;
	return "不能报名";
}

int checkin_window(const struct signup_cfg *c, int64_t start, int64_t end, int64_t now)
{
	if (now < start - (int64_t)c->checkin_before_minutes * 60)
		return -1;
	if (now > end + (int64_t)c->checkin_after_minutes * 60)
		return 1;
	return 0;
}

int checkout_window(const struct signup_cfg *c, int64_t end, int64_t now)
{
	return now > end + (int64_t)c->checkout_grace_minutes * 60;
}

double credited_hours(int64_t start, int64_t end, int64_t checkin, int64_t checkout)
{
	if (!checkin)
		return 0;
	int64_t from = checkin > start ? checkin : start;
	int64_t to = checkout && checkout < end ? checkout : end;
	if (to <= from)
		return 0;
	int64_t quarters = (to - from) / 900;
	return (double)quarters / 4.0;
}
