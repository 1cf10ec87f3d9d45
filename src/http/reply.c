/*
 * reply.c — building responses. The dispatcher turns what these leave in
 * struct req into a libmicrohttpd response (http/server.c).
 */
#include "request.h"
#include "core/log.h"
#include "store/store.h"
#include <microhttpd.h>
#include <sodium.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void reply_header(struct req *r, const char *name, const char *value)
{
	/* One header per name: a later call replaces the value (the dispatcher's
	 * default Cache-Control gave the calendar feed two, coverage review bug
	 * 14). Set-Cookie is the one header that may repeat. */
	if (strcasecmp(name, "Set-Cookie"))
		for (struct header *h = r->headers; h; h = h->next)
			if (!strcasecmp(h->name, name)) {
				h->value = arena_strdup(&r->arena, value);
				return;
			}
	struct header *h = arena_alloc(&r->arena, sizeof *h);
	if (!h)
		return;
	h->name = arena_strdup(&r->arena, name);
	h->value = arena_strdup(&r->arena, value);
	h->next = r->headers;
	r->headers = h;
}

int reply_raw(struct req *r, int status, const char *ctype, const void *data, size_t len, int is_static)
{
	r->status = status;
	r->ctype = ctype;
	if (is_static) {
		r->out = data;
		r->out_len = len;
		r->static_body = 1;
	} else {
		buf_free(&r->out_buf);
		buf_init(&r->out_buf, (size_t)-1 / 2);
		buf_append(&r->out_buf, data, len);
		r->out = r->out_buf.data;
		r->out_len = r->out_buf.len;
		r->static_body = 0;
	}
	return status;
}

int reply_json(struct req *r, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(body);
	if (!s)
		return reply_error(r, 500, "internal", "服务器内部错误", NULL);
	size_t n = strlen(s);
	if (status == 200 && !strcmp(r->method, "GET")) {
		unsigned char h[12];
		char hex[25], etag[32];
		crypto_generichash(h, sizeof h, (const unsigned char *)s, n, NULL, 0);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		snprintf(etag, sizeof etag, "\"%s\"", hex);
		reply_header(r, "ETag", etag);
		if (req_etag_match(r, etag)) {
			free(s);
			r->len_200 = n;
			return reply_empty(r, 304);
		}
	}
	reply_raw(r, status, "application/json; charset=utf-8", s, n, 0);
	free(s);
	return status;
}

int reply_error(struct req *r, int status, const char *code, const char *message, json_t *fields)
{
	json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
	if (fields && json_array_size(fields))
		json_object_set_new(e, "fields", fields);
	else
		json_decref(fields);
	/* Errors carry no ETag; build the body directly. */
	json_t *o = json_pack("{s:o}", "error", e);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	reply_raw(r, status, "application/json; charset=utf-8", s ? s : "{}", s ? strlen(s) : 2, 0);
	free(s);
	return status;
}

int reply_fields(struct req *r, json_t *fields)
{
	return reply_error(r, 422, "validation_failed", "请求内容有误，请检查标出的字段", fields);
}

int reply_empty(struct req *r, int status)
{
	return reply_raw(r, status, NULL, "", 0, 1);
}

int reply_store_error(struct req *r, int rc)
{
	switch (rc) {
	case STORE_ENOTFOUND:
		return reply_error(r, 404, "not_found", "未找到", NULL);
	case STORE_ECONFLICT:
		return reply_error(r, 409, "conflict", "与已有数据冲突", NULL);
	case STORE_EREFERENCED:
		return reply_error(r, 409, "in_use", "仍被其他数据引用，不能删除", NULL);
	default:
		return reply_error(r, 500, "internal", "服务器内部错误", NULL);
	}
}

int req_fail(struct req *r, int rc)
{
	if (rc && !r->failed)
		r->failed = rc;
	return rc;
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int64_t req_id(struct req *r, int i)
{
	return i < r->m.nparams ? r->m.ids[i] : 0;
}

const char *qstr(struct req *r, const char *name)
{
	const char *v = json_string_value(json_object_get(r->query, name));
	return v && *v ? v : NULL;
}
