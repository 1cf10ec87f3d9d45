/* quarter.c — calendar quarters (quarter.h). */
#include "quarter.h"
#include "timefmt.h"
#include <stdio.h>

int quarter_parse(const char *s, int *year, int *q)
{
	if (!s)
		return -1;
	int y = 0;
	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		y = y * 10 + (s[i] - '0');
	}
	if ((s[4] != 'Q' && s[4] != 'q') || s[5] < '1' || s[5] > '4' || s[6] || y < 2000 || y > 2100)
		return -1;
	*year = y;
	*q = s[5] - '0';
	return 0;
}

void quarter_of_day(int64_t day, int *year, int *q)
{
	unsigned m, d;
	civil_from_days(day, year, &m, &d);
	*q = (int)(m - 1) / 3 + 1;
}

void quarter_days(int year, int q, int64_t *first, int64_t *last)
{
	unsigned m0 = (unsigned)(q - 1) * 3 + 1;
	*first = days_from_civil(year, m0, 1);
	*last = (q == 4 ? days_from_civil(year + 1, 1, 1) : days_from_civil(year, m0 + 3, 1)) - 1;
}

void quarter_format(int year, int q, char *out, size_t n)
{
	snprintf(out, n, "%04dQ%d", year, q);
}
