/*
 * webhooks.c — the admin's side of webhooks (docs/WEBHOOKS.md): register a
 * URL for problem and shift events, see its deliveries, ping it, retry a
 * failed delivery, rotate the signing secret. The secret is shown once, at
 * creation and rotation, and kept encrypted with the data key because the
 * server needs it to sign. Sending is webhook_worker.c's job.
 */
#include "api.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/timefmt.h"
#include "core/webhook_rules.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const hook_times[] = {"created_at", "updated_at", "last_delivered_at", NULL};
static const char *const delivery_times[] = {"created_at", "next_at", "delivered_at", NULL};

/* Stored "a,b" → "events": ["a","b"]; times as RFC 3339. */
static json_t *hook_view(json_t *w)
{
	if (!w)
		return NULL;
	json_t *arr = json_array();
	const char *s = jstr(w, "events");
	while (s && *s) {
		const char *c = strchr(s, ',');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		json_array_append_new(arr, json_stringn(s, n));
		s = c ? c + 1 : NULL;
	}
	json_object_set_new(w, "events", arr);
	render_times(w, hook_times);
	return w;
}

/* The events array of a body as the stored comma list (malloc'd), or NULL
 * with a field error when it is not a valid list. */
static char *events_list(const json_t *arr, json_t *fields)
{
	size_t i;
	json_t *it;
	/* A non-string item has its wrong_type error from the field table already. */
	json_array_foreach(arr, i, it) if (!json_is_string(it)) return NULL;
	buf_t b;
	buf_init(&b, 4096);
	json_array_foreach(arr, i, it) {
		if (i)
			buf_puts(&b, ",");
		buf_puts(&b, json_string_value(it));
	}
	if (!b.data || !webhook_events_valid(b.data)) {
		field_error(fields, "events", "invalid",
			    "事件应为 *、problem.*、shift.* 或 problem.动作、shift.signup.状态 等，且不重复");
		buf_free(&b);
		return NULL;
	}
	return b.data;	/* the caller frees it */
}

static void check_url(const json_t *body, json_t *fields)
{
	const char *url = jstr(body, "url");
	if (url && !webhook_url_valid(url))
		field_error(fields, "url", "invalid", "应为 http:// 或 https:// 开头的地址，不含空格和账号密码");
}

/* A new signing secret: the clear text into clear (>= 64), encrypted as return (malloc'd). */
static char *new_secret(char *clear, size_t n)
{
	char tok[56];
	token_new(tok, sizeof tok, 24);
	snprintf(clear, n, "whsec_%s", tok);
	return secret_encrypt(clear);
}

int webhooks_list(struct req *r)
{
	json_t *items = store_webhook_list();
	if (!items)
		return reply_store_error(r, STORE_EIO);
	size_t i;
	json_t *w;
	json_array_foreach(items, i, w) hook_view(w);
	return reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

int webhooks_get(struct req *r)
{
	json_t *w = hook_view(store_webhook_get(req_id(r, 0), 0));
	if (!w)
		return reply_error(r, 404, "not_found", "Webhook 不存在", NULL);
	return reply_json(r, 200, w);
}

int webhooks_create(struct req *r)
{
	static const struct fspec spec[] = {
		{"name", F_STR, F_REQ, 1, 100}, {"url", F_STR, F_REQ, 1, 500}, {"events", F_STRARR, F_REQ, 1, 20},
		{"active", F_BOOL, 0, 0, 0}, {NULL, 0, 0, 0, 0}};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return 422;
	check_url(r->json, fields);
	json_t *ev = json_object_get(r->json, "events");
	char *events = json_is_array(ev) && json_array_size(ev) ? events_list(ev, fields) : NULL;
	if (json_array_size(fields)) {
		free(events);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	char clear[80];
	char *enc = new_secret(clear, sizeof clear);
	if (!enc || !events) {
		free(enc);
		free(events);
		return reply_store_error(r, STORE_EIO);
	}
	int64_t now = app_now(), id = 0;
	json_t *row = json_pack("{s:O, s:O, s:s, s:s, s:b, s:I, s:I}", "name", json_object_get(r->json, "name"), "url",
				json_object_get(r->json, "url"), "events", events, "secret_enc", enc, "active",
				jbool(r->json, "active", 1), "created_by", (json_int_t)r->account_id, "created_at",
				(json_int_t)now);
	free(enc);
	free(events);
	int rc = row ? store_webhook_add(row, &id) : STORE_EIO;
	json_decref(row);
	if (!rc)
		rc = audit(r, "create", "webhook", id, NULL,
			   json_pack("{s:O, s:O}", "name", json_object_get(r->json, "name"), "url", json_object_get(r->json, "url")));
	if (rc)
		return reply_store_error(r, rc);
	json_t *w = hook_view(store_webhook_get(id, 0));
	if (!w)
		return reply_store_error(r, STORE_EIO);
	json_object_set_new(w, "secret", json_string(clear));
	sodium_memzero(clear, sizeof clear);
	return reply_json(r, 201, w);
}

int webhooks_update(struct req *r)
{
	static const struct fspec spec[] = {
		{"name", F_STR, 0, 1, 100}, {"url", F_STR, 0, 1, 500}, {"events", F_STRARR, 0, 1, 20},
		{"active", F_BOOL, 0, 0, 0}, {NULL, 0, 0, 0, 0}};
	json_t *fields = body_fields(r, spec);
	if (!fields)
		return 422;
	check_url(r->json, fields);
	json_t *ev = json_object_get(r->json, "events");
	char *events = json_is_array(ev) && json_array_size(ev) ? events_list(ev, fields) : NULL;
	if (json_array_size(fields)) {
		free(events);
		return reply_fields(r, fields);
	}
	json_decref(fields);
	int64_t id = req_id(r, 0);
	json_t *before = store_webhook_get(id, 0);
	if (!before) {
		free(events);
		return reply_error(r, 404, "not_found", "Webhook 不存在", NULL);
	}
	json_t *patch = json_pack("{s:I}", "updated_at", (json_int_t)app_now());
	static const char *const keys[] = {"name", "url", "active", NULL};
	for (int i = 0; keys[i]; i++)
		if (json_object_get(r->json, keys[i]))
			json_object_set(patch, keys[i], json_object_get(r->json, keys[i]));
	if (events)
		json_object_set_new(patch, "events", json_string(events));
	free(events);
	int rc = store_webhook_update(id, patch);
	if (!rc)
		rc = audit(r, "update", "webhook", id, before, json_deep_copy(r->json));
	else
		json_decref(before);
	json_decref(patch);
	if (rc)
		return reply_store_error(r, rc);
	return reply_json(r, 200, hook_view(store_webhook_get(id, 0)));
}

int webhooks_delete(struct req *r)
{
	int64_t id = req_id(r, 0);
	json_t *before = store_webhook_get(id, 0);
	if (!before)
		return reply_error(r, 404, "not_found", "Webhook 不存在", NULL);
	int rc = store_webhook_delete(id);
	if (!rc)
		rc = audit(r, "delete", "webhook", id, before, NULL);
	else
		json_decref(before);
	return rc ? reply_store_error(r, rc) : reply_empty(r, 204);
}

static int hook_exists(int64_t id)
{
	json_t *w = store_webhook_get(id, 0);
	json_decref(w);
	return w != NULL;
}

int webhooks_rotate(struct req *r)
{
	int64_t id = req_id(r, 0);
	if (!hook_exists(id))
		return reply_error(r, 404, "not_found", "Webhook 不存在", NULL);
	char clear[80];
	char *enc = new_secret(clear, sizeof clear);
	if (!enc)
		return reply_store_error(r, STORE_EIO);
	json_t *patch = json_pack("{s:s, s:I}", "secret_enc", enc, "updated_at", (json_int_t)app_now());
	free(enc);
	int rc = store_webhook_update(id, patch);
	json_decref(patch);
	if (!rc)
		rc = audit(r, "rotate_secret", "webhook", id, NULL, NULL);
	if (rc)
		return reply_store_error(r, rc);
	json_t *o = json_pack("{s:I, s:s}", "id", (json_int_t)id, "secret", clear);
	sodium_memzero(clear, sizeof clear);
	return reply_json(r, 200, o);
}

static json_t *delivery_view(json_t *d)
{
	if (d)
		render_times(d, delivery_times);
	return d;
}

int webhooks_ping(struct req *r)
{
	int64_t id = req_id(r, 0), did = 0;
	if (!hook_exists(id))
		return reply_error(r, 404, "not_found", "Webhook 不存在", NULL);
	int rc = store_webhook_delivery_add(id, "ping", app_now(), &did);
	if (rc)
		return reply_store_error(r, rc);
	webhooks_kick();
	return reply_json(r, 202, delivery_view(store_webhook_delivery_get(did)));
}

int webhooks_deliveries(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	int64_t id = req_id(r, 0);
	if (!hook_exists(id))
		return reply_error(r, 404, "not_found", "Webhook 不存在", NULL);
	json_t *items = store_webhook_deliveries(id, q_text(r, "state"), q_int(r, "cursor"), limit);
	size_t i;
	json_t *d;
	json_array_foreach(items, i, d) delivery_view(d);
	return list_reply(r, items, limit, "id");
}

int webhook_delivery_retry(struct req *r)
{
	int64_t id = req_id(r, 0);
	json_t *d = store_webhook_delivery_get(id);
	if (!d)
		return reply_error(r, 404, "not_found", "投递记录不存在", NULL);
	int delivered = !strcmp(jstr(d, "state") ? jstr(d, "state") : "", "delivered");
	json_decref(d);
	if (delivered)
		return reply_error(r, 409, "already_delivered", "该投递已成功，无需重试", NULL);
	int rc = store_webhook_retry(id, app_now());
	if (!rc)
		rc = audit(r, "retry", "webhook_delivery", id, NULL, NULL);
	if (rc)
		return reply_store_error(r, rc);
	webhooks_kick();
	return reply_json(r, 200, delivery_view(store_webhook_delivery_get(id)));
}
