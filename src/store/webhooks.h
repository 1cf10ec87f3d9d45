/*
 * webhooks.h — the store API of webhooks and their delivery outbox
 * (webhooks_sql.c, schema 014_webhooks.sql), included from store.h. The
 * deliveries of events are written by the store functions that make the
 * events (webhook_outbox.c); these functions manage the
 * subscriptions and let the worker take and settle due deliveries. Writes run
 * inside the caller's write transaction.
 */
#ifndef WM_STORE_WEBHOOKS_H
#define WM_STORE_WEBHOOKS_H
#include <jansson.h>
#include <stdint.h>

/* w: name, url, events, secret_enc, active, created_by, created_at. */
int store_webhook_add(const json_t *w, int64_t *id_out);
/* One webhook with its delivery counts; with secret_enc only when with_secret. */
json_t *store_webhook_get(int64_t id, int with_secret);
json_t *store_webhook_list(void);
/* patch keys: name, url, events, active, secret_enc; updated_at required. */
int store_webhook_update(int64_t id, const json_t *patch);
/* Removes the webhook and its deliveries. */
int store_webhook_delete(int64_t id);

/* A delivery not written by a trigger ("ping"), due at now. */
int store_webhook_delivery_add(int64_t webhook_id, const char *event, int64_t now, int64_t *id_out);
json_t *store_webhook_delivery_get(int64_t id);
/* Newest first; state NULL = all; before_id 0 = from the newest. */
json_t *store_webhook_deliveries(int64_t webhook_id, const char *state, int64_t before_id, int limit);
/* Pending deliveries of active webhooks due at now, oldest first, with the
 * webhook's url and secret_enc. */
json_t *store_webhook_due(int64_t now, int limit);
/* Takes a due delivery for one attempt by this server: moves its next_at
 * from due_at to lease_until when it is still pending with that next_at and
 * that many attempts. STORE_OK when taken; STORE_ECONFLICT when another
 * server took (or settled) it first. Several servers on one database then
 * send each delivery once; a server that dies mid-send leaves it due again at
 * lease_until (at least once, docs/WEBHOOKS.md). */
int store_webhook_claim(int64_t id, int64_t due_at, int attempts, int64_t lease_until);
/* Settles an attempt: state "delivered", "pending" (retry at next_at) or
 * "failed"; status 0 = no HTTP answer; err NULL when none. */
int store_webhook_attempt(int64_t id, const char *state, int attempts, int64_t next_at, int status, const char *err,
			  int64_t now);
/* A failed (or pending) delivery made due now with a fresh retry schedule. */
int store_webhook_retry(int64_t id, int64_t now);
/* The problem event a delivery refers to. */
json_t *store_webhook_problem_event(int64_t event_id);
#endif
