/*
 * throttle.c — see throttle.h. 4,096 slots of open addressing over a hash of
 * the key, probing 8; one mutex (an anonymous report costs far more than the
 * lock).
 */
#include "throttle.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 4096
#define PROBE 8

static struct slot {
	char key[64];
	double tokens;
	int64_t at;	/* when tokens was last brought up to date */
} slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int throttle_take(const struct throttle_limit *l, const char *key, int64_t now, int64_t *retry_after)
{
	if (l->burst <= 0)
		return 1;
	pthread_mutex_lock(&lock);
	uint32_t h = hash(key);
	struct slot *s = NULL, *stalest = NULL;
	for (int i = 0; i < PROBE && !s; i++) {
		struct slot *x = &slots[(h + (uint32_t)i) % SLOTS];
		if (!strncmp(x->key, key, sizeof x->key - 1) && x->key[0])
			s = x;
		else if (!stalest || !x->key[0] || (stalest->key[0] && x->at < stalest->at))
			stalest = x;
	}
	if (!s) {
		s = stalest;
		snprintf(s->key, sizeof s->key, "%s", key);
		s->tokens = l->burst;
		s->at = now;
	}
	if (now > s->at)
		s->tokens = fmin(l->burst, s->tokens + (double)(now - s->at) * l->per_hour / 3600.0);
	s->at = now;
	int ok = s->tokens >= 1.0;
	if (ok)
		s->tokens -= 1.0;
	else
		*retry_after = l->per_hour > 0 ? (int64_t)ceil((1.0 - s->tokens) * 3600.0 / l->per_hour) : 3600;
	pthread_mutex_unlock(&lock);
	return ok;
}

void throttle_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(slots, 0, sizeof slots);
	pthread_mutex_unlock(&lock);
}
