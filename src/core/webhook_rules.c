/*
 * webhook_rules.c — see webhook_rules.h.
 */
#include "webhook_rules.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void webhook_signature(const char *secret, int64_t timestamp, const char *body, size_t n, char out[65])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char ts[32];
	int tn = snprintf(ts, sizeof ts, "%lld.", (long long)timestamp);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (unsigned long long)tn);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

int64_t webhook_backoff(int attempts)
{
	/* 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h: a receiver that is down for
	 * a weekend still gets Friday's events on Monday morning at the latest. */
	static const int64_t wait[WEBHOOK_MAX_ATTEMPTS - 1] = {60, 300, 1800, 7200, 21600, 43200, 86400};
	if (attempts < 1)
		return 0;
	return attempts < WEBHOOK_MAX_ATTEMPTS ? wait[attempts - 1] : -1;
}

static int word(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return 0;
	return 1;
}

/* One item: "*", "problem.*", "shift.*", "party.*", "problem.w", "shift.w",
 * "shift.w.w", "party.w" or "party.w.w" (party.meeting.planned). */
static int item_valid(const char *s, size_t n)
{
	if (n == 1 && s[0] == '*')
		return 1;
	size_t p;
	if (n > 8 && !strncmp(s, "problem.", 8))
		p = 8;
	else if (n > 6 && !strncmp(s, "shift.", 6))
		p = 6;
	else if (n > 6 && !strncmp(s, "party.", 6))
		p = 6;
	else
		return 0;
	const char *r = s + p;
	size_t rn = n - p;
	if (rn == 1 && r[0] == '*')
		return 1;
	const char *dot = memchr(r, '.', rn);
	if (!dot)
		return word(r, rn);
	if (p == 8)
		return 0;	/* problem events have one word */
	size_t a = (size_t)(dot - r);
	return word(r, a) && word(dot + 1, rn - a - 1);
}

int webhook_events_valid(const char *list)
{
	if (!list || !*list || strlen(list) > 1000)
		return 0;
	const char *items[20];
	size_t lens[20], count = 0;
	const char *s = list;
	for (;;) {
		const char *c = strchr(s, ',');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		if (count == 20 || !item_valid(s, n))
			return 0;
		for (size_t i = 0; i < count; i++)
			if (lens[i] == n && !memcmp(items[i], s, n))
				return 0;
		items[count] = s;
		lens[count++] = n;
		if (!c)
			return 1;
		s = c + 1;
	}
}

int webhook_event_subscribed(const char *list, const char *event)
{
	if (!list || !event)
		return 0;
	const char *dot = strchr(event, '.');
	size_t fam = dot ? (size_t)(dot - event) : 0, en = strlen(event);
	for (const char *s = list;;) {
		const char *c = strchr(s, ',');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		if ((n == 1 && s[0] == '*') || (n == en && !memcmp(s, event, n)) ||
		    (fam && n == fam + 2 && !memcmp(s, event, fam + 1) && s[fam + 1] == '*'))
			return 1;
		if (!c)
			return 0;
		s = c + 1;
	}
}

int webhook_url_valid(const char *url)
{
	if (!url)
		return 0;
	size_t n = strlen(url), p;
	if (n > 500)
		return 0;
	if (!strncasecmp(url, "https://", 8))
		p = 8;
	else if (!strncasecmp(url, "http://", 7))
		p = 7;
	else
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			return 0;
	size_t host_end = p;
	while (host_end < n && url[host_end] != '/' && url[host_end] != '?' && url[host_end] != '#')
		host_end++;
	if (host_end == p || memchr(url + p, '@', host_end - p))
		return 0;
	return url[p] != ':';
}
