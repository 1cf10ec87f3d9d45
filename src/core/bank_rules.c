/*
 * bank_rules.c — see bank_rules.h.
 */
#include "core/bank_rules.h"
#include <math.h>

int64_t bank_points_for_hours(double hours, int per_hour)
{
	if (!(hours > 0) || per_hour <= 0 || hours > 100000)
		return 0;
	return (int64_t)floor(hours * per_hour + 0.5 + 1e-9);
}

int64_t bank_record_points(double hours, double old_hours, int per_hour)
{
	int64_t d = bank_points_for_hours(hours, per_hour) - bank_points_for_hours(old_hours, per_hour);
	return d > 0 ? d : 0;
}

int bank_limit_ok(int already, int limit)
{
	return limit <= 0 || already < limit;
}

int64_t bank_period_start(int64_t now, int days)
{
	return now - (int64_t)(days > 0 ? days : 1) * 86400;
}

void bank_order_code(const unsigned char rnd[5], char out[11])
{
	static const char abc[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";	/* 32 symbols */
	uint64_t v = 0;
	for (int i = 0; i < 5; i++)
		v = v << 8 | rnd[i];
	out[0] = 'L';
	out[1] = 'B';
	for (int i = 9; i >= 2; i--) {
		out[i] = abc[v & 31];
		v >>= 5;
	}
	out[10] = 0;
}
