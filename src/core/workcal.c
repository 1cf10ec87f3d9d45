/*
 * workcal.c — see workcal.h. Dates are day numbers (days since 1970-01-01
 * in local time) converted with Howard Hinnant's days-from-civil algorithm;
 * the deadline searches walk forward one day at a time, which is simple to
 * get right and cheap at the amounts allowed (≤ 10000).
 */
#include "workcal.h"
#include <string.h>

#define DAY_SECS	86400
#define DAY_MIN		(-719162)	/* 0001-01-01 */
#define DAY_MAX		2932896		/* 9999-12-31 */
#define MAX_GAP		(3 * 366)	/* rest days in a row before we give up */

static int64_t days_from_civil(int y, int m, int d)
{
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Only called with DAY_MIN <= z <= DAY_MAX, so the result fits an int. */
static int civil_from_days(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	return (int)(y * 10000 + m * 100 + d);
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int workcal_ymd_valid(int ymd)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	if (ymd <= 0 || y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= (m == 2 && leap(y) ? 29 : dim[m - 1]);
}

/* Day number of a valid ymd; callers check validity first. */
static int64_t day_of_ymd(int ymd)
{
	return days_from_civil(ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* Local day number of a unix time, or 0 with *ok = 0 outside the range. */
static int64_t day_of_time(int64_t t, int *ok)
{
	const int64_t lo = (int64_t)DAY_MIN * DAY_SECS - WC_UTC_OFFSET;
	const int64_t hi = ((int64_t)DAY_MAX + 1) * DAY_SECS - WC_UTC_OFFSET;
	*ok = t >= lo && t < hi;
	if (!*ok)
		return 0;
	int64_t local = t + WC_UTC_OFFSET;
	int64_t day = local / DAY_SECS;
	if (local % DAY_SECS < 0)
		day--;
	return day;
}

static int64_t day_start(int64_t day)
{
	return day * DAY_SECS - WC_UTC_OFFSET;
}

int workcal_ymd(int64_t t)
{
	int ok;
	int64_t day = day_of_time(t, &ok);
	return ok ? civil_from_days(day) : 0;
}

int workcal_weekday(int ymd)
{
	if (!workcal_ymd_valid(ymd))
		return -1;
	int64_t day = day_of_ymd(ymd);	/* 1970-01-01 (day 0) was a Thursday */
	int64_t w = (day + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int64_t workcal_local(int ymd, int minutes)
{
	if (!workcal_ymd_valid(ymd))
		return -1;
	return day_start(day_of_ymd(ymd)) + (int64_t)minutes * 60;
}

int workcal_ymd_add(int ymd, int days)
{
	if (!workcal_ymd_valid(ymd))
		return 0;
	int64_t day = day_of_ymd(ymd) + days;
	if (day < DAY_MIN || day > DAY_MAX)
		return 0;
	return civil_from_days(day);
}

void workcal_default(struct workcal *c)
{
	memset(c, 0, sizeof *c);
	c->work_start_min = 8 * 60 + 30;
	c->work_end_min = 17 * 60 + 30;
	c->lunch_start_min = 11 * 60 + 30;
	c->lunch_end_min = 13 * 60;
	c->weekend_mask = (1u << 0) | (1u << 6);
}

/* The holiday-table entry for ymd, or 0. The table is sorted, so a binary
 * search; if an admin entered a date twice, either entry may win. */
static char day_kind(const struct workcal *c, int ymd)
{
	size_t lo = 0, hi = c->days ? c->n_days : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->days[mid].ymd < ymd)
			lo = mid + 1;
		else if (c->days[mid].ymd > ymd)
			hi = mid;
		else
			return c->days[mid].kind;
	}
	return 0;
}

static int is_work_day(const struct workcal *c, int64_t day)
{
	char k = day_kind(c, civil_from_days(day));
	if (k == 'H')
		return 0;
	if (k == 'W')
		return 1;
	int64_t w = (day + 4) % 7;
	if (w < 0)
		w += 7;
	return !(c->weekend_mask & (1u << w));
}

int workcal_is_workday(const struct workcal *c, int ymd)
{
	if (!c || !workcal_ymd_valid(ymd))
		return 0;
	return is_work_day(c, day_of_ymd(ymd));
}

/*
 * The working intervals of one day in minutes: the work span minus the
 * lunch break, as up to two half-open [start, end) pieces. A break that lies
 * partly or wholly outside the span is clipped. Returns the piece count.
 */
static int day_pieces(const struct workcal *c, int p[2][2])
{
	int ws = c->work_start_min, we = c->work_end_min;
	int ls = c->lunch_start_min, le = c->lunch_end_min;
	int n = 0;
	if (ls >= le) {
		p[0][0] = ws;
		p[0][1] = we;
		return 1;
	}
	if ((ls < we ? ls : we) > ws) {
		p[n][0] = ws;
		p[n][1] = ls < we ? ls : we;
		n++;
	}
	if (we > (le > ws ? le : ws)) {
		p[n][0] = le > ws ? le : ws;
		p[n][1] = we;
		n++;
	}
	return n;
}

/* A calendar we can compute with: a non-empty span inside the day, a sane
 * break, and at least one working minute per working day. */
static int cal_ok(const struct workcal *c)
{
	int p[2][2];
	if (!c || c->work_start_min < 0 || c->work_end_min > 24 * 60 ||
	    c->work_start_min >= c->work_end_min ||
	    c->lunch_start_min > c->lunch_end_min)
		return 0;
	return day_pieces(c, p) > 0;
}

/* WC_WORK_HOURS: walk forward interval by interval until need is used up. */
static int64_t add_work_seconds(const struct workcal *c, int64_t start, int64_t need)
{
	int p[2][2], n = day_pieces(c, p), ok, gap = 0;
	for (int64_t day = day_of_time(start, &ok); ok && day <= DAY_MAX; day++) {
		if (!is_work_day(c, day)) {
			if (++gap > MAX_GAP)
				return -1;
			continue;
		}
		gap = 0;
		int64_t base = day_start(day);
		for (int i = 0; i < n; i++) {
			int64_t s = base + p[i][0] * 60, e = base + p[i][1] * 60;
			if (e <= start)
				continue;
			int64_t from = s > start ? s : start;
			if (need <= e - from)
				return from + need;
			need -= e - from;
		}
	}
	return -1;
}

/* The next working day strictly after `day`, or DAY_MAX + 1 if none within
 * MAX_GAP days (or before the end of the supported range). */
static int64_t next_work_day(const struct workcal *c, int64_t day)
{
	for (int gap = 0; gap <= MAX_GAP && day < DAY_MAX; gap++)
		if (is_work_day(c, ++day))
			return day;
	return (int64_t)DAY_MAX + 1;
}

int64_t workcal_deadline(const struct workcal *c, int64_t start, enum wc_unit unit, int amount)
{
	int ok;
	if (amount < 0 || amount > WC_MAX_AMOUNT)
		return -1;
	int64_t day = day_of_time(start, &ok);
	if (!ok)
		return -1;
	switch (unit) {
	case WC_CAL_HOURS: {
		int64_t t = start + (int64_t)amount * 3600;
		day_of_time(t, &ok);
		return ok ? t : -1;
	}
	case WC_WORK_HOURS:
		if (!cal_ok(c))
			return -1;
		return add_work_seconds(c, start, (int64_t)amount * 3600);
	case WC_WORK_DAYS:
		if (!cal_ok(c))
			return -1;
		if (amount == 0 && !is_work_day(c, day))
			amount = 1;
		for (int i = 0; i < amount && day <= DAY_MAX; i++)
			day = next_work_day(c, day);
		if (day > DAY_MAX)
			return -1;
		return day_start(day) + c->work_end_min * 60;
	}
	return -1;
}

int64_t workcal_work_seconds(const struct workcal *c, int64_t a, int64_t b)
{
	int p[2][2], n, oka, okb;
	if (!cal_ok(c))
		return -1;
	int64_t da = day_of_time(a, &oka), db = day_of_time(b, &okb);
	if (!oka || !okb)
		return -1;
	if (b <= a)
		return 0;
	n = day_pieces(c, p);
	int64_t sum = 0;
	for (int64_t day = da; day <= db; day++) {
		if (!is_work_day(c, day))
			continue;
		int64_t base = day_start(day);
		for (int i = 0; i < n; i++) {
			int64_t s = base + p[i][0] * 60, e = base + p[i][1] * 60;
			if (s < a)
				s = a;
			if (e > b)
				e = b;
			if (e > s)
				sum += e - s;
		}
	}
	return sum;
}

/* ---- the holiday import format ---------------------------------------- */

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Matches word at s (ASCII case-insensitively) if it is followed by a blank
 * or the end; returns its length or 0. */
static size_t match_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch != word[i])
			return 0;
	}
	return s[n] == 0 || is_blank(s[n]) ? n : 0;
}

int workcal_parse_line(const char *line, struct wc_day *day, char *name_out, size_t name_size)
{
	static const struct { const char *word; char kind; } kinds[] = {
		{"holiday", 'H'}, {"workday", 'W'},
		{"\xe4\xbc\x91", 'H'},	/* 休 */
		{"\xe7\x8f\xad", 'W'},	/* 班 */
	};
	if (!line || !day)
		return -1;
	const char *s = line;
	while (is_blank(*s))
		s++;
	if (*s == 0 || *s == '#')
		return 1;

	/* YYYY-MM-DD, exactly. */
	static const char shape[] = "dddd-dd-dd";
	int ymd = 0;
	for (int i = 0; shape[i]; i++) {
		if (shape[i] == 'd') {
			if (!is_digit(s[i]))
				return -1;
			ymd = ymd * 10 + (s[i] - '0');
		} else if (s[i] != '-') {
			return -1;
		}
	}
	s += sizeof shape - 1;
	if (!workcal_ymd_valid(ymd) || !is_blank(*s))
		return -1;
	while (is_blank(*s))
		s++;

	char kind = 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && !kind; i++) {
		size_t n = match_word(s, kinds[i].word);
		if (n) {
			kind = kinds[i].kind;
			s += n;
		}
	}
	if (!kind)
		return -1;

	/* The rest, trimmed, is the name; never cut a UTF-8 sequence. */
	while (is_blank(*s))
		s++;
	size_t len = strlen(s);
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	if (name_out && name_size > 0) {
		size_t n = len < name_size - 1 ? len : name_size - 1;
		if (n < len)
			while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
				n--;
		memcpy(name_out, s, n);
		name_out[n] = 0;
	}
	day->ymd = ymd;
	day->kind = kind;
	return 0;
}
