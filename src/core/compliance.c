/* compliance.c — see compliance.h. */
#include "compliance.h"
#include "period.h"
#include <stdio.h>

int comp_periods(int months)
{
	return months == COMP_MONTH ? 12 : months == COMP_QUARTER ? 4 : 0;
}

int comp_period(int year, int months, int idx, int64_t *first, int64_t *last)
{
	int n = comp_periods(months);
	if (!n || idx < 0 || idx >= n || year < 1970 || year > 9998)
		return -1;
	char s[48];
	int m0 = idx * months + 1;
	snprintf(s, sizeof s, "%04d-%02d-01", year, m0);
	if (period_parse_date(s, first))
		return -1;
	/* The last day is the day before the next period's first. */
	int m1 = m0 + months, y1 = year;
	if (m1 > 12) {
		m1 -= 12;
		y1++;
	}
	snprintf(s, sizeof s, "%04d-%02d-01", y1, m1);
	int64_t next;
	if (period_parse_date(s, &next))
		return -1;
	*last = next - 1;
	return 0;
}

enum comp_status comp_status(int64_t first, int64_t last, int64_t today, int held, int min)
{
	if (today < first)
		return COMP_GREY;
	if (held >= min)
		return COMP_GREEN;
	return today > last ? COMP_RED : COMP_AMBER;
}

const char *comp_status_name(enum comp_status s)
{
	static const char *const names[] = {"grey", "green", "amber", "red"};
	return (unsigned)s < 4 ? names[s] : "grey";
}

int comp_remind_due(int64_t first, int64_t last, int64_t today, int held, int min, int days)
{
	return comp_status(first, last, today, held, min) == COMP_AMBER && today >= last - days;
}

void comp_period_key(int year, int months, int idx, char *out, int n)
{
	if (months == COMP_QUARTER)
		snprintf(out, (size_t)n, "%04d-Q%d", year, idx + 1);
	else
		snprintf(out, (size_t)n, "%04d-%02d", year, idx + 1);
}
