/*
 * limits.c — see limits.h.
 *
 * One mutex guards the connection table and the body budgets: it is taken a
 * few times per request and by the sweeper twice a second, never across I/O
 * other than shutdown(2), which does not block.
 *
 * Cutting a connection from another thread: the sweeper calls
 * shutdown(SHUT_RDWR) on its socket; libmicrohttpd's poll() then sees the end
 * of the stream and closes the connection in its own thread. libmicrohttpd
 * reports MHD_CONNECTION_NOTIFY_CLOSED before it closes the descriptor, and
 * limits_conn_close() takes the same mutex, so the sweeper never touches a
 * descriptor number that has been closed and handed to someone else.
 */
#include "limits.h"
#include "core/log.h"
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct limits_conf limits = {
	.max_connections = 2000,
	.per_ip_connections = 64,
	.header_timeout = 15,
	.shed_timeout = 2,
	.idle_timeout = 30,
	.body_budget = (size_t)256 << 20,
	.body_budget_per_ip = (size_t)48 << 20,
};

struct slot {
	int fd;			/* -1: free */
	int busy;		/* a request's headers are in, its answer not yet sent */
	int cut;		/* shut down already */
	uint64_t since;		/* ms: opened, or the last request ended */
};

#define IP_SLOTS 512		/* client addresses with a body in flight at once */
struct ip_budget {
	char ip[64];
	size_t bytes;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct slot *slots;
static unsigned nslots, nopen;
static struct ip_budget ips[IP_SLOTS];
static size_t body_total;
static unsigned long ncut;
static int running;
static pthread_t sweeper;

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int env_uint(const char *name, unsigned long min, unsigned long max, unsigned long *out)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return 0;
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (*end || errno || n < min || n > max || v[0] == '-') {
		fprintf(stderr, "wenming: %s must be a whole number from %lu to %lu\n", name, min, max);
		return -1;
	}
	*out = n;
	return 1;
}

int limits_from_env(void)
{
	unsigned long n;
	int rc;
	if ((rc = env_uint("WENMING_MAX_CONNECTIONS", 16, 100000, &n)) < 0)
		return -1;
	if (rc)
		limits.max_connections = (unsigned)n;
	if ((rc = env_uint("WENMING_PER_IP_CONNECTIONS", 0, 100000, &n)) < 0)
		return -1;
	if (rc)
		limits.per_ip_connections = (unsigned)n;
	if ((rc = env_uint("WENMING_HEADER_TIMEOUT", 1, 3600, &n)) < 0)
		return -1;
	if (rc)
		limits.header_timeout = (unsigned)n;
	if ((rc = env_uint("WENMING_BODY_BUDGET_MB", 16, 1u << 20, &n)) < 0)
		return -1;
	if (rc)
		limits.body_budget = (size_t)n << 20;
	if ((rc = env_uint("WENMING_BODY_BUDGET_PER_IP_MB", 1, 1u << 20, &n)) < 0)
		return -1;
	if (rc)
		limits.body_budget_per_ip = (size_t)n << 20;
	if (limits.shed_timeout > limits.header_timeout)
		limits.shed_timeout = limits.header_timeout;
	return 0;
}

/* Shuts down what overstayed; called with mu held. Near the connection
 * limit (three quarters full) an idle connection gets shed_timeout instead
 * of header_timeout, so that idle keep-alive and slow clients make room. */
static unsigned sweep(uint64_t now)
{
	uint64_t limit_ms = (uint64_t)(nopen * 4 >= limits.max_connections * 3 ? limits.shed_timeout
										  : limits.header_timeout) * 1000u;
	unsigned cut = 0;
	for (unsigned i = 0; i < nslots; i++) {
		struct slot *s = &slots[i];
		if (s->fd < 0 || s->busy || s->cut || now - s->since < limit_ms)
			continue;
		shutdown(s->fd, SHUT_RDWR);
		s->cut = 1;
		cut++;
	}
	ncut += cut;
	return cut;
}

static void *sweeper_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (running) {
		unsigned cut = sweep(mono_ms());
		if (cut)
			log_info("http: closed %u connection(s) that sent no complete request headers in time", cut);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 500000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&wake, &mu, &ts);
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

int limits_start(void)
{
	/* libmicrohttpd may accept a few beyond its limit while others close. */
	nslots = limits.max_connections + 64;
	slots = calloc(nslots, sizeof *slots);
	if (!slots)
		return -1;
	for (unsigned i = 0; i < nslots; i++)
		slots[i].fd = -1;
	running = 1;
	if (pthread_create(&sweeper, NULL, sweeper_main, NULL) != 0) {
		running = 0;
		return -1;
	}
	return 0;
}

void limits_stop(void)
{
	pthread_mutex_lock(&mu);
	int was = running;
	running = 0;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&mu);
	if (was)
		pthread_join(sweeper, NULL);
}

void *limits_conn_open(int fd)
{
	void *out = NULL;
	pthread_mutex_lock(&mu);
	for (unsigned i = 0; slots && i < nslots; i++) {
		if (slots[i].fd < 0) {
			slots[i] = (struct slot){.fd = fd, .since = mono_ms()};
			nopen++;
			out = &slots[i];
			break;
		}
	}
	pthread_mutex_unlock(&mu);
	return out;
}

void limits_conn_close(void *slot)
{
	if (!slot)
		return;
	pthread_mutex_lock(&mu);
	((struct slot *)slot)->fd = -1;
	nopen--;
	pthread_mutex_unlock(&mu);
}

void limits_request_begin(void *slot)
{
	if (!slot)
		return;
	pthread_mutex_lock(&mu);
	((struct slot *)slot)->busy = 1;
	pthread_mutex_unlock(&mu);
}

void limits_request_end(void *slot)
{
	if (!slot)
		return;
	pthread_mutex_lock(&mu);
	((struct slot *)slot)->busy = 0;
	((struct slot *)slot)->since = mono_ms();
	pthread_mutex_unlock(&mu);
}

unsigned long limits_cut_count(void)
{
	pthread_mutex_lock(&mu);
	unsigned long n = ncut;
	pthread_mutex_unlock(&mu);
	return n;
}

static struct ip_budget *ip_find(const char *ip, int create)
{
	struct ip_budget *free_one = NULL;
	for (int i = 0; i < IP_SLOTS; i++) {
		if (ips[i].bytes && !strcmp(ips[i].ip, ip))
			return &ips[i];
		if (!ips[i].bytes && !free_one)
			free_one = &ips[i];
	}
	if (create && free_one)
		snprintf(free_one->ip, sizeof free_one->ip, "%s", ip);
	return create ? free_one : NULL;
}

int limits_body_reserve(const char *ip, size_t n)
{
	if (!n)
		return 0;
	int rc = -1;
	pthread_mutex_lock(&mu);
	struct ip_budget *b = ip_find(ip, 1);
	if (b && n <= limits.body_budget - body_total && body_total <= limits.body_budget &&
	    n <= limits.body_budget_per_ip - b->bytes && b->bytes <= limits.body_budget_per_ip) {
		b->bytes += n;
		body_total += n;
		rc = 0;
	}
	pthread_mutex_unlock(&mu);
	return rc;
}

void limits_body_release(const char *ip, size_t n)
{
	if (!n)
		return;
	pthread_mutex_lock(&mu);
	struct ip_budget *b = ip_find(ip, 0);
	if (b)
		b->bytes = b->bytes > n ? b->bytes - n : 0;
	body_total = body_total > n ? body_total - n : 0;
	pthread_mutex_unlock(&mu);
}
