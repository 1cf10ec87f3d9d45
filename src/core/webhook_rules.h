/*
 * webhook_rules.h — the pure parts of webhooks (docs/WEBHOOKS.md): the
 * signature a receiver checks, the retry schedule, and which event lists and
 * URLs an admin may register.
 */
#ifndef WM_WEBHOOK_RULES_H
#define WM_WEBHOOK_RULES_H
#include <stddef.h>
#include <stdint.h>

/* Hex HMAC-SHA256 over "<timestamp>.<body>" with the secret as key (the
 * receiver recomputes it from the X-Wenming-Timestamp header and the raw
 * body). out must hold 65 bytes. */
void webhook_signature(const char *secret, int64_t timestamp, const char *body, size_t n, char out[65]);

/* Seconds to wait after the attempts-th failed attempt (1 = the first), or
 * -1 when the delivery is given up (after WEBHOOK_MAX_ATTEMPTS). */
#define WEBHOOK_MAX_ATTEMPTS 8
int64_t webhook_backoff(int attempts);

/* A comma list of at most 20 names, each "*", "problem.*", "shift.*",
 * "problem.<action>" or "shift.<a>[.<b>]" of [a-z_] words; no blanks or
 * duplicates. 1 when valid. */
int webhook_events_valid(const char *list);

/* 1 when a stored comma list subscribes to event ("problem.dispatch",
 * "shift.signup.promoted", …): an item "*", the event's family with ".*"
 * ("problem.*" or "shift.*"), or the event's exact name. Items are whole:
 * "problem.dis" does not subscribe to "problem.dispatch". */
int webhook_event_subscribed(const char *list, const char *event);

/* An http or https URL with a host, at most 500 bytes, no whitespace or
 * controls, no user:password@. 1 when valid. */
int webhook_url_valid(const char *url);
#endif
