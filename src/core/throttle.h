/*
 * throttle.h — a token bucket per key (a client address), in memory: a burst
 * of `burst` actions, then `per_hour` more an hour. Used for anonymous Open311
 * reports (review 2026-12-07 #11). Thread-safe; a fixed table, so memory is
 * bounded whatever the number of clients: when it is full the stalest entry
 * makes room (a client idle long enough to be evicted has a full bucket
 * anyway, or nearly).
 */
#ifndef WM_THROTTLE_H
#define WM_THROTTLE_H
#include <stdint.h>

struct throttle_limit {
	int burst, per_hour;	/* burst 0: no limit */
};

/* Takes one token for key at time now (seconds). 1 = allowed; 0 = refused,
 * and *retry_after gets the seconds until the next token. A clock moved
 * backwards counts as no time passed. */
int throttle_take(const struct throttle_limit *l, const char *key, int64_t now, int64_t *retry_after);
/* Forgets every key (tests, a changed limit). */
void throttle_reset(void);
#endif
