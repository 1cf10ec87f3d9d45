/* star.c — see star.h. */
#include "core/star.h"

#include <math.h>
#include <string.h>

const double star_default_ladder[5] = {100, 300, 600, 1000, 1500};

static double ladder[STARS_MAX] = {100, 300, 600, 1000, 1500};
static size_t nladder = 5;

int stars_for_hours_on(double hours, const double *l, size_t n)
{
	int s = 0;
	if (!l || isnan(hours))
		return 0;
	for (size_t i = 0; i < n && hours >= l[i]; i++)
		s = (int)i + 1;
	return s;
}

int stars_for_hours(double hours)
{
	return stars_for_hours_on(hours, ladder, nladder);
}

int stars_set_ladder(const double *l, size_t n)
{
	if (!l || n == 0 || n > STARS_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(l[i]) || l[i] <= 0 || (i > 0 && l[i] <= l[i - 1]))
			return -1;
	memcpy(ladder, l, n * sizeof *l);
	nladder = n;
	return 0;
}

void stars_reset_ladder(void)
{
	stars_set_ladder(star_default_ladder, 5);
}

const double *stars_ladder(size_t *n)
{
	if (n)
		*n = nladder;
	return ladder;
}
