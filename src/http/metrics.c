/* metrics.c — see metrics.h. Buckets in seconds, as Prometheus expects. */
#include "metrics.h"
#include "core/buf.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define NB (sizeof bounds / sizeof *bounds)

struct slot {
	_Atomic uint64_t by_class[6];	/* 1xx..5xx, index = status/100 */
	_Atomic uint64_t lat[NB + 1], db[NB + 1];
	_Atomic uint64_t lat_sum_us, db_sum_us, count;
};

static const char *const *slot_names;
static size_t nslots;
static struct slot *slots;
static _Atomic int inflight;
static _Atomic uint64_t injected_5xx;

void metrics_init(const char *const *names, size_t n)
{
	slot_names = names;
	nslots = n + 1;
	free(slots);
	slots = calloc(nslots, sizeof *slots);
}

static size_t bucket(uint64_t usec)
{
	double s = (double)usec / 1e6;
	size_t i = 0;
	while (i < NB && s > bounds[i])
		i++;
	return i;
}

void metrics_observe(int slot, int status, uint64_t usec, uint64_t db_usec)
{
	if (!slots)
		return;
	if (slot < 0 || (size_t)slot >= nslots)
		slot = (int)nslots - 1;
	struct slot *s = &slots[slot];
	int cls = status / 100;
	if (cls < 1 || cls > 5)
		cls = 5;
	atomic_fetch_add(&s->by_class[cls], 1);
	atomic_fetch_add(&s->lat[bucket(usec)], 1);
	atomic_fetch_add(&s->db[bucket(db_usec)], 1);
	atomic_fetch_add(&s->lat_sum_us, usec);
	atomic_fetch_add(&s->db_sum_us, db_usec);
	atomic_fetch_add(&s->count, 1);
}

uint64_t metrics_ok_count(int slot)
{
	if (!slots || slot < 0 || (size_t)slot >= nslots)
		return 0;
	return slots[slot].by_class[2] + slots[slot].by_class[3];
}

void metrics_injected_5xx(void)
{
	atomic_fetch_add(&injected_5xx, 1);
}

void metrics_inflight(int d)
{
	atomic_fetch_add(&inflight, d);
}

int metrics_inflight_now(void)
{
	return atomic_load(&inflight);
}

static void histogram(buf_t *b, const char *metric, const char *route, _Atomic uint64_t *h, uint64_t sum_us,
		      uint64_t count)
{
	uint64_t cum = 0;
	for (size_t i = 0; i < NB; i++) {
		cum += h[i];
		buf_printf(b, "%s_bucket{route=\"%s\",le=\"%g\"} %llu\n", metric, route, bounds[i],
			   (unsigned long long)cum);
	}
	cum += h[NB];
	buf_printf(b, "%s_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", metric, route, (unsigned long long)cum);
	buf_printf(b, "%s_sum{route=\"%s\"} %.6f\n", metric, route, (double)sum_us / 1e6);
	buf_printf(b, "%s_count{route=\"%s\"} %llu\n", metric, route, (unsigned long long)count);
}

char *metrics_render(void)
{
	buf_t b;
	buf_init(&b, 16 << 20);
	buf_puts(&b, "# HELP wenming_requests_total HTTP requests by route and status class.\n"
		     "# TYPE wenming_requests_total counter\n");
	for (size_t i = 0; i < nslots; i++) {
		const char *name = i + 1 < nslots ? slot_names[i] : "other";
		for (int c = 1; c <= 5; c++)
			if (slots[i].by_class[c])
				buf_printf(&b, "wenming_requests_total{route=\"%s\",code=\"%dxx\"} %llu\n", name, c,
					   (unsigned long long)slots[i].by_class[c]);
	}
	buf_puts(&b, "# HELP wenming_errors_total Requests answered with 5xx (but for injected test faults).\n"
		     "# TYPE wenming_errors_total counter\n");
	uint64_t errs = 0, injected = atomic_load(&injected_5xx);
	for (size_t i = 0; i < nslots; i++)
		errs += slots[i].by_class[5];
	buf_printf(&b, "wenming_errors_total %llu\n", (unsigned long long)(errs > injected ? errs - injected : 0));
	if (injected)
		buf_printf(&b, "# HELP wenming_injected_faults_total 5xx answers to requests with an injected store"
			       " fault (test-clock servers only).\n# TYPE wenming_injected_faults_total counter\n"
			       "wenming_injected_faults_total %llu\n", (unsigned long long)injected);
	buf_puts(&b, "# HELP wenming_request_duration_seconds Time to answer, by route.\n"
		     "# TYPE wenming_request_duration_seconds histogram\n");
	for (size_t i = 0; i < nslots; i++)
		if (slots[i].count)
			histogram(&b, "wenming_request_duration_seconds", i + 1 < nslots ? slot_names[i] : "other",
				  slots[i].lat, slots[i].lat_sum_us, slots[i].count);
	buf_puts(&b, "# HELP wenming_db_duration_seconds Time spent in the database per request, by route.\n"
		     "# TYPE wenming_db_duration_seconds histogram\n");
	for (size_t i = 0; i < nslots; i++)
		if (slots[i].count)
			histogram(&b, "wenming_db_duration_seconds", i + 1 < nslots ? slot_names[i] : "other",
				  slots[i].db, slots[i].db_sum_us, slots[i].count);
	buf_printf(&b, "# HELP wenming_inflight_requests Requests being handled.\n"
		       "# TYPE wenming_inflight_requests gauge\nwenming_inflight_requests %d\n",
		   metrics_inflight_now());
	return b.data;
}
