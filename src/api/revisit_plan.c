/*
 * revisit_plan.c — the settings of 回头看 and 顽疾 (revisit offsets, the
 * chronic threshold and window) and the scheduling of a closed problem's
 * revisits: what the lifecycle (lifecycle.c) and the chronic check
 * (chronic.c) need, apart from the revisits' handlers (revisits.c), which
 * call the lifecycle — so the effects do not call back into a handler file.
 */
#include "api.h"
#include "core/timefmt.h"
#include <stdlib.h>
#include <string.h>

/* Settings ------------------------------------------------------------------- */

static const int default_offsets[] = {7, 30};
#define THRESHOLD_DEFAULT 3
#define WINDOW_DEFAULT 90

void revisit_defaults(struct revisit_settings *s)
{
	s->n = 0;
	for (size_t i = 0; i < sizeof default_offsets / sizeof *default_offsets; i++)
		s->offsets[s->n++] = default_offsets[i];
	s->threshold = THRESHOLD_DEFAULT;
	s->window_days = WINDOW_DEFAULT;
}

static int setting_int(const char *key, int dflt, int min, int max)
{
	char *v = store_setting_get(key);
	long n = v ? strtol(v, NULL, 10) : dflt;
	free(v);
	return n >= min && n <= max ? (int)n : dflt;
}

void revisit_settings(struct revisit_settings *s)
{
	s->n = 0;
	char *v = store_setting_get("revisit_offsets");
	if (v) {
		char *save = NULL;
		for (char *t = strtok_r(v, ",", &save); t && s->n < REVISIT_MAX_OFFSETS; t = strtok_r(NULL, ",", &save)) {
			long d = strtol(t, NULL, 10);
			if (d >= 1 && d <= 365)
				s->offsets[s->n++] = (int)d;
		}
		free(v);
	}
	if (!s->n)
		for (size_t i = 0; i < sizeof default_offsets / sizeof *default_offsets; i++)
			s->offsets[s->n++] = default_offsets[i];
	s->threshold = setting_int("chronic_threshold", THRESHOLD_DEFAULT, 2, 20);
	s->window_days = setting_int("chronic_window_days", WINDOW_DEFAULT, 1, 365);
}

/* Scheduling ----------------------------------------------------------------- */

/* The last second of the China-time day `days` days after t. */
static int64_t end_of_day_after(int64_t t, int days)
{
	return china_day_start(china_day(t) + days + 1) - 1;
}

int revisits_schedule(int64_t problem_id, int64_t now)
{
	struct revisit_settings s;
	revisit_settings(&s);
	int rc = store_revisits_cancel(problem_id, 0, now);
	for (int i = 0; i < s.n && !rc; i++)
		rc = store_revisit_add(problem_id, s.offsets[i], end_of_day_after(now, s.offsets[i]), now, NULL);
	return rc;
}
