/*
 * metrics.h — Prometheus counters and histograms, lock-free (atomics), per
 * route: requests by status class, latency, and time spent in the database.
 */
#ifndef WM_METRICS_H
#define WM_METRICS_H
#include <stddef.h>
#include <stdint.h>

/* names[i] labels slot i; slot n (the last) is "other" (static, 404s). */
void metrics_init(const char *const *names, size_t n);
void metrics_observe(int slot, int status, uint64_t usec, uint64_t db_usec);
/* Prometheus text exposition into a malloc'd string. */
char *metrics_render(void);
/* Hits with a 2xx/3xx answer for a slot (the route-coverage test reads /metrics). */
uint64_t metrics_ok_count(int slot);
/* A 5xx answer to a request in which a test's injected store fault fired
 * (store.h): expected, so wenming_errors_total leaves it out and
 * wenming_injected_faults_total counts it. */
void metrics_injected_5xx(void);
void metrics_inflight(int delta);
int metrics_inflight_now(void);
#endif
