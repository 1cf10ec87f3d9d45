/*
 * offload.c — see offload.h. A fixed set of threads and a ring of waiting
 * requests under one mutex. The connection is suspended *before* the job is
 * visible to the workers (both under the mutex), so a fast job can never
 * resume a connection that is not yet suspended. Workers run at nice +5 so
 * that on a small machine the HTTP threads (health checks, ordinary reads)
 * win the CPU while a decode or a hash runs.
 */
#include "offload.h"
#include "core/log.h"
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WORKERS_MAX 32
#define QUEUE_MAX 1024

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t th[WORKERS_MAX];
	unsigned nthreads, cap, head, len;
	struct job {
		struct req *r;
		void (*handle)(struct req *r);
	} *ring;
	int running, stopping;
} pool = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static unsigned env_uint(const char *name, unsigned dflt, unsigned max)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v = s ? strtoul(s, &end, 10) : 0;
	if (!s || *end || v == 0 || v > max)
		return dflt;
	return (unsigned)v;
}

static void *worker(void *arg)
{
	(void)arg;
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 5);
	pthread_mutex_lock(&pool.mu);
	for (;;) {
		while (!pool.len && !pool.stopping)
			pthread_cond_wait(&pool.cv, &pool.mu);
		if (!pool.len)
			break;	/* stopping and drained */
		struct job j = pool.ring[pool.head];
		pool.head = (pool.head + 1) % pool.cap;
		pool.len--;
		pthread_mutex_unlock(&pool.mu);
		j.handle(j.r);
		j.r->offload = OFFLOAD_DONE;
		MHD_resume_connection(j.r->conn);
		pthread_mutex_lock(&pool.mu);
	}
	pthread_mutex_unlock(&pool.mu);
	return NULL;
}

int offload_start(unsigned threads, unsigned queue)
{
	pool.nthreads = threads ? threads : env_uint("WENMING_WORKERS", 2, WORKERS_MAX);
	pool.cap = queue ? queue : env_uint("WENMING_WORK_QUEUE", 16, QUEUE_MAX);
	pool.ring = calloc(pool.cap, sizeof *pool.ring);
	if (!pool.ring)
		return -1;
	pool.head = pool.len = 0;
	pool.stopping = 0;
	for (unsigned i = 0; i < pool.nthreads; i++) {
		if (pthread_create(&pool.th[i], NULL, worker, NULL)) {
			pool.nthreads = i;
			offload_stop();
			return -1;
		}
	}
	pool.running = 1;
	log_info("work pool: %u threads, queue %u", pool.nthreads, pool.cap);
	return 0;
}

void offload_stop(void)
{
	pthread_mutex_lock(&pool.mu);
	pool.stopping = 1;
	pool.running = 0;
	pthread_cond_broadcast(&pool.cv);
	pthread_mutex_unlock(&pool.mu);
	for (unsigned i = 0; i < pool.nthreads; i++)
		pthread_join(pool.th[i], NULL);
	pool.nthreads = 0;
	free(pool.ring);
	pool.ring = NULL;
}

int offload_submit(struct req *r, void (*handle)(struct req *r))
{
	pthread_mutex_lock(&pool.mu);
	if (!pool.running) {	/* no pool (fuzzer, tools): the caller handles r itself */
		pthread_mutex_unlock(&pool.mu);
		return -1;
	}
	if (pool.len == pool.cap) {
		pthread_mutex_unlock(&pool.mu);
		reply_header(r, "Retry-After", "2");
		reply_error(r, 503, "busy", "服务器繁忙，请稍后再试", NULL);
		return 0;
	}
	r->offload = OFFLOAD_RUNNING;
	MHD_suspend_connection(r->conn);
	pool.ring[(pool.head + pool.len) % pool.cap] = (struct job){r, handle};
	pool.len++;
	pthread_cond_signal(&pool.cv);
	pthread_mutex_unlock(&pool.mu);
	return 1;
}
