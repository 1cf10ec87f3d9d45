/*
 * offload.h — a bounded worker pool for CPU-heavy requests (Argon2id, image
 * decode), apart from the HTTP threads (review 2026-12-07 #7). A route flagged
 * R_OFFLOAD is handled on a pool thread while its connection is suspended
 * (MHD_suspend_connection), so the HTTP threads keep answering everything
 * else; the job resumes the connection and the response is queued by the HTTP
 * thread on its next call. A full queue answers 503 `busy` + Retry-After.
 */
#ifndef WM_OFFLOAD_H
#define WM_OFFLOAD_H
#include "request.h"

/* r->offload states. */
enum { OFFLOAD_NONE = 0, OFFLOAD_RUNNING = 1, OFFLOAD_DONE = 2 };

/* Starts `threads` workers (0 → WENMING_WORKERS or 2) with room for `queue`
 * waiting jobs (0 → WENMING_WORK_QUEUE or 16). 0 or -1. */
int offload_start(unsigned threads, unsigned queue);
/* Lets running and queued jobs finish, then joins the workers. */
void offload_stop(void);
/* Hands r to the pool: suspends r->conn and returns 1 (handle(r) runs on a
 * worker, then the connection is resumed with r->offload = OFFLOAD_DONE; the
 * caller must not touch r after 1), answers r with 503 and returns 0 when the
 * queue is full, or returns -1 when no pool runs (handle r inline). */
int offload_submit(struct req *r, void (*handle)(struct req *r));
#endif
