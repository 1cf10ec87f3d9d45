/*
 * fuzz_timefmt.c — the date-time parsers of every "deadline", "started_at",
 * "from"/"to" field and query: time_parse (RFC 3339, timefmt.c) and
 * period_parse_date (strict YYYY-MM-DD, period.c). Properties: a parsed time
 * written back with time_rfc3339 parses to the same instant; a parsed date
 * written back with period_format_day is the input itself; an instant taken
 * from the input's first 8 bytes (years 1970..9999) round-trips through
 * time_rfc3339 and time_parse. UBSan watches the arithmetic.
 */
#include "fuzz.h"
#include "core/period.h"
#include "core/timefmt.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256)
		return 0;
	char *s = fuzz_strndup(data, size);
	for (int allow = 0; allow < 2; allow++) {
		int64_t t = 0;
		if (time_parse(s, allow, &t) == 0) {
			char out[64], again_s[64];
			time_rfc3339(t, out, sizeof out);
			int64_t again = 0;
			if (time_parse(out, 0, &again) != 0 || again != t)
				fprintf(stderr, "[%s] -> %lld -> [%s]\n", s, (long long)t, out);
			CHECK(time_parse(out, 0, &again) == 0 && again == t);
			time_rfc3339(again, again_s, sizeof again_s);
			CHECK(!strcmp(out, again_s));
		}
	}
	int64_t day = 0;
	if (period_parse_date(s, &day) == 0) {
		char out[32];
		period_format_day(day, out, sizeof out);
		CHECK(!strcmp(out, s));
		CHECK(period_day(period_day_start(day)) == day);
	}
	if (size >= 8) {
		uint64_t u = 0;
		memcpy(&u, data, 8);
		int64_t t = (int64_t)(u % 253402272000ull);	/* 1970-01-01 .. 9999-12-31T23:59:59+08:00 */
		char out[64];
		time_rfc3339(t, out, sizeof out);
		int64_t back = -1;
		CHECK(time_parse(out, 0, &back) == 0 && back == t);
	}
	free(s);
	return 0;
}
