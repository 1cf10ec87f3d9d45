/*
 * throttle.c — how often a source may try passwords and an account may sign
 * in (review 2026-12-07 #7, #10). Counted in the login_failures table so that
 * several app servers share the counts; real time, not the test clock.
 *
 * Failures count per (source address, login) and per source across distinct
 * logins, never per login alone: a login that others are guessing stays open
 * to its owner at another address, so nobody can lock an account out. Each
 * bound is a progressive delay measured from the last failure, not a hard
 * lock: PAIR_FREE failures of one login from one source are free, then each
 * further try waits 2^(n − PAIR_FREE) s, at most DELAY_MAX. A source failing
 * on more than SOURCE_FREE distinct logins (password spraying; far above what
 * typos behind one NAT address produce) waits likewise, for every login.
 * Successful sign-ins of one account are limited too (LOGIN_PER_MINUTE), so a
 * leaked password cannot be used to burn Argon2id time on the server.
 */
#include "api.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL_WINDOW 3600
#define PAIR_FREE 4
#define SOURCE_FREE 20
#define DELAY_MAX 900
#define LOGIN_PER_MINUTE 12	/* default; WENMING_LOGINS_PER_MINUTE overrides */

static void pair_key(char *out, size_t n, const char *ip, const char *login)
{
	snprintf(out, n, "src:%s\t%s", ip, login);
	for (char *c = out; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c + 32);
}

/* Seconds still to wait after n counted failures, the newest at `last`. */
static int64_t backoff(int n, int free_n, int64_t last, int64_t now)
{
	if (n <= free_n)
		return 0;
	int e = n - free_n > 10 ? 10 : n - free_n;
	int64_t d = (int64_t)1 << e;
	if (d > DELAY_MAX)
		d = DELAY_MAX;
	return last + d > now ? last + d - now : 0;
}

int64_t login_throttle_wait(const char *ip, const char *login, int64_t now)
{
	char key[160], prefix[80];
	pair_key(key, sizeof key, ip, login);
	snprintf(prefix, sizeof prefix, "src:%s\t", ip);
	int64_t last = 0, slast = 0;
	int n = store_login_failure_last(key, now - FAIL_WINDOW, &last);
	int d = store_login_failure_keys(prefix, now - FAIL_WINDOW, &slast);
	int64_t w1 = n > 0 ? backoff(n, PAIR_FREE, last, now) : 0;
	int64_t w2 = d > 0 ? backoff(d, SOURCE_FREE, slast, now) : 0;
	return w1 > w2 ? w1 : w2;
}

void login_throttle_failed(const char *ip, const char *login, int64_t now)
{
	char key[160];
	pair_key(key, sizeof key, ip, login);
	store_login_failure_add(key, now);
}

void login_throttle_passed(const char *ip, const char *login)
{
	char key[160];
	pair_key(key, sizeof key, ip, login);
	store_login_failure_clear(key);
}

/* The per-account sign-in bound: LOGIN_PER_MINUTE, or a whole number from
 * WENMING_LOGINS_PER_MINUTE (the API suite's shared server signs the demo
 * accounts in once per test file, dozens of files a minute). Read once. */
static int logins_per_minute;
static pthread_once_t lpm_once = PTHREAD_ONCE_INIT;

static void lpm_read(void)
{
	const char *e = getenv("WENMING_LOGINS_PER_MINUTE");
	char *end = NULL;
	long v = e ? strtol(e, &end, 10) : 0;
	logins_per_minute = e && *e && !*end && v > 0 && v <= 1000000 ? (int)v : LOGIN_PER_MINUTE;
}

/* Sign-ins are recorded as rows "signin:<id>" in the same table (sessions
 * themselves are trimmed, so they cannot be counted). */
int64_t login_rate_wait(int64_t account_id, int64_t now)
{
	char key[48];
	snprintf(key, sizeof key, "signin:%lld", (long long)account_id);
	int64_t last = 0;
	int n = store_login_failure_last(key, now - 60, &last);
	pthread_once(&lpm_once, lpm_read);
	if (n < logins_per_minute)
		return 0;
	int64_t first = store_login_oldest(key, now - 60);
	return first + 60 > now ? first + 60 - now : 1;
}

void login_rate_count(int64_t account_id, int64_t now)
{
	char key[48];
	snprintf(key, sizeof key, "signin:%lld", (long long)account_id);
	store_login_failure_add(key, now);
}

/* In-memory attempt counts, for requests whose failures roll back with the
 * request's transaction (a 422 leaves nothing in the database to count):
 * self-registration. Per process; ATTEMPT_SLOTS fixed windows, a busy slot
 * is taken over when its window has passed. */
#define ATTEMPT_SLOTS 1024
static struct attempt {
	const char *kind;
	int64_t id, start;
	int n;
} attempts[ATTEMPT_SLOTS];
static pthread_mutex_t attempts_mu = PTHREAD_MUTEX_INITIALIZER;

int64_t attempt_wait(const char *kind, int64_t id, int max, int window, int64_t now)
{
	size_t h = ((size_t)id * 2654435761u + (size_t)(uintptr_t)kind) % ATTEMPT_SLOTS;
	int64_t wait = 0;
	pthread_mutex_lock(&attempts_mu);
	struct attempt *a = &attempts[h];
	if (a->kind != kind || a->id != id || a->start + window <= now)
		*a = (struct attempt){kind, id, now, 0};
	if (a->n >= max)
		wait = a->start + window - now;
	else
		a->n++;
	pthread_mutex_unlock(&attempts_mu);
	return wait;
}
