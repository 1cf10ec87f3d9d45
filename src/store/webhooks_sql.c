/*
 * webhooks_sql.c — webhook subscriptions and the delivery outbox (see
 * webhooks.h and schema/sqlite/014_webhooks.sql).
 */
#include "db.h"
#include "store.h"
#include <string.h>

int store_webhook_add(const json_t *w, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO webhooks (name, url, events, secret_enc, active, created_by, created_at,"
				   " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?7) RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"name", "url", "events", "secret_enc", "active", "created_by", "created_at"};
	for (int i = 0; i < 7; i++)
		db_bind_json(st, i + 1, json_object_get(w, keys[i]));
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

#define WEBHOOK_COLS "w.id, w.name, w.url, w.events, w.active AS \"active:bool\", w.created_by, w.created_at," \
	" w.updated_at," \
	" (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'pending') AS pending," \
	" (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'failed') AS failed," \
	" (SELECT max(d.delivered_at) FROM webhook_deliveries d WHERE d.webhook_id = w.id) AS last_delivered_at"

json_t *store_webhook_get(int64_t id, int with_secret)
{
	db_stmt *st = db_prep(with_secret ? "SELECT " WEBHOOK_COLS ", w.secret_enc FROM webhooks w WHERE w.id = ?"
					       : "SELECT " WEBHOOK_COLS " FROM webhooks w WHERE w.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_webhook_list(void)
{
	db_stmt *st = db_prep("SELECT " WEBHOOK_COLS " FROM webhooks w ORDER BY w.id");
	return st ? db_rows(st) : NULL;
}

int store_webhook_update(int64_t id, const json_t *patch)
{
	db_stmt *st = db_prep("UPDATE webhooks SET"
				   " name = CASE WHEN ?2 THEN ?3 ELSE name END,"
				   " url = CASE WHEN ?4 THEN ?5 ELSE url END,"
				   " events = CASE WHEN ?6 THEN ?7 ELSE events END,"
				   " active = CASE WHEN ?8 THEN ?9 ELSE active END,"
				   " secret_enc = CASE WHEN ?10 THEN ?11 ELSE secret_enc END,"
				   " updated_at = ?12 WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"name", "url", "events", "active", "secret_enc"};
	db_bind_i64(st, 1, id);
	for (int i = 0; i < 5; i++) {
		json_t *v = json_object_get(patch, keys[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	db_bind_json(st, 12, json_object_get(patch, "updated_at"));
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

int store_webhook_delete(int64_t id)
{
	db_stmt *st = db_prep("DELETE FROM webhook_deliveries WHERE webhook_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	int rc = db_exec_stmt(st);
	if (rc)
		return rc;
	st = db_prep("DELETE FROM webhooks WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

int store_webhook_delivery_add(int64_t webhook_id, const char *event, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO webhook_deliveries (webhook_id, event, created_at, next_at)"
				   " VALUES (?, ?, ?, ?3) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, webhook_id);
	db_bind_text(st, 2, event);
	db_bind_i64(st, 3, now);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

#define DELIVERY_COLS "d.id, d.webhook_id, d.event, d.problem_id, d.problem_event_id, d.signup_id, d.shift_id, d.meeting_id," \
	" d.created_at, d.state, d.attempts, d.next_at, d.last_status, d.last_error, d.delivered_at"

json_t *store_webhook_delivery_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " DELIVERY_COLS " FROM webhook_deliveries d WHERE d.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_webhook_deliveries(int64_t webhook_id, const char *state, int64_t before_id, int limit)
{
	db_stmt *st = db_prep("SELECT " DELIVERY_COLS " FROM webhook_deliveries d WHERE d.webhook_id = ?1"
				   " AND (?2 IS NULL OR d.state = ?2) AND (?3 = 0 OR d.id < ?3) ORDER BY d.id DESC LIMIT ?4");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, webhook_id);
	db_bind_text(st, 2, state);
	db_bind_i64(st, 3, before_id);
	db_bind_i64(st, 4, limit);
	return db_rows(st);
}

json_t *store_webhook_due(int64_t now, int limit)
{
	db_stmt *st = db_prep("SELECT " DELIVERY_COLS ", w.url, w.secret_enc FROM webhook_deliveries d"
				   " JOIN webhooks w ON w.id = d.webhook_id"
				   " WHERE d.state = 'pending' AND d.next_at <= ? AND w.active = 1"
				   " ORDER BY d.next_at, d.id LIMIT ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, now);
	db_bind_i64(st, 2, limit);
	return db_rows(st);
}

int store_webhook_claim(int64_t id, int64_t due_at, int attempts, int64_t lease_until)
{
	db_stmt *st = db_prep("UPDATE webhook_deliveries SET next_at = ?4"
				   " WHERE id = ?1 AND state = 'pending' AND next_at = ?2 AND attempts = ?3");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, due_at);
	db_bind_i64(st, 3, attempts);
	db_bind_i64(st, 4, lease_until);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ECONFLICT;
}

int store_webhook_attempt(int64_t id, const char *state, int attempts, int64_t next_at, int status, const char *err,
			  int64_t now)
{
	db_stmt *st = db_prep("UPDATE webhook_deliveries SET state = ?2, attempts = ?3, next_at = ?4,"
				   " last_status = ?5, last_error = ?6,"
				   " delivered_at = CASE WHEN ?2 = 'delivered' THEN ?7 ELSE delivered_at END"
				   " WHERE id = ?1 AND state = 'pending'");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, state);
	db_bind_i64(st, 3, attempts);
	db_bind_i64(st, 4, next_at);
	if (status)
		db_bind_i64(st, 5, status);
	db_bind_text(st, 6, err);
	db_bind_i64(st, 7, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

int store_webhook_retry(int64_t id, int64_t now)
{
	db_stmt *st = db_prep("UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_at = ?2"
				   " WHERE id = ?1 AND state <> 'delivered'");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ECONFLICT;
}

json_t *store_webhook_problem_event(int64_t event_id)
{
	db_stmt *st = db_prep("SELECT e.id, e.at, e.action, e.from_state, e.to_state, e.note,"
				   " a.display_name AS actor_name FROM problem_events e"
				   " LEFT JOIN accounts a ON a.id = e.actor_id WHERE e.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, event_id);
	return db_one(st);
}
