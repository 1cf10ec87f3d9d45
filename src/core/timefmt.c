/* timefmt.c — see timefmt.h. */
#include "timefmt.h"
#include <stdio.h>
#include <string.h>

int64_t days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int64_t china_day(int64_t t)
{
	int64_t local = t + 8 * 3600;
	return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

int64_t china_day_start(int64_t day)
{
	return day * 86400 - 8 * 3600;
}

void time_rfc3339(int64_t t, char *out, size_t n)
{
	int64_t days = china_day(t);
	int64_t secs = t - china_day_start(days);
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, n, "%04d-%02u-%02uT%02d:%02d:%02d+08:00", y, m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
		 (int)(secs % 60));
}

static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + s[i] - '0';
	}
	return 0;
}

int time_parse(const char *s, int allow_date, int64_t *t)
{
	int y, mo, d, h = 0, mi = 0, se = 0, off = 8 * 60;
	size_t n = s ? strlen(s) : 0;
	if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1900 || y > 9999)
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap))
		return -1;
	const char *p = s + 10;
	if (n == 10) {
		if (!allow_date)
			return -1;
	} else {
		if ((*p != 'T' && *p != 't' && *p != ' ') || digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &mi))
			return -1;
		p += 6;
		if (*p == ':') {
			if (digits(p + 1, 2, &se))
				return -1;
			p += 3;
		}
		if (*p == '.') {
			p++;
			if (*p < '0' || *p > '9')
				return -1;
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (h > 23 || mi > 59 || se > 60)
			return -1;
		if (*p == 'Z' || *p == 'z') {
			off = 0;
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
				return -1;
			off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
			p += 6;
		} else
			return -1;
		if (*p)
			return -1;
	}
	int64_t v = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + (se > 59 ? 59 : se) -
		    (int64_t)off * 60;
	/* Past 9999-12-31T23:59:59+08:00 the time would be written back with a
	 * five-digit year that no RFC 3339 reader takes (found by fuzz_timefmt:
	 * "9999-12-31T23:59:59-12:00"). */
	if (v > 253402271999)
		return -1;
	*t = v;
	return 0;
}
