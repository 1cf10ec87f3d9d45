/*
 * request.h — one HTTP request as the handlers see it, and the reply helpers.
 *
 * Ownership: everything hanging off a request (strings, the parsed body, the
 * response) is released when libmicrohttpd reports the request complete.
 * Handlers return the HTTP status they answered with, after calling exactly
 * one reply_* function.
 */
#ifndef WM_REQUEST_H
#define WM_REQUEST_H
#include "core/arena.h"
#include "core/buf.h"
#include "core/roles.h"
#include "core/qspec.h"
#include "router.h"
#include <jansson.h>
#include <stdint.h>

struct MHD_Connection;

struct header {
	const char *name, *value;
	struct header *next;
};

struct req {
	arena_t arena;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;		/* decoded path, without the query */
	const struct route *route;	/* NULL when nothing matched */
	struct match m;
	buf_t body;
	json_t *json;			/* parsed body (JSON routes) */
	json_t *query;			/* query parameters as {"name":"value"} */
	/* The route's typed query (routes.def) and the checked values, slot i
	 * for the declaration's parameter i; read them with q_int, q_bool … (api.h). */
	const struct qspec *qspec;
	struct qval qv[QSPEC_MAX];
	char ip[64];
	uint64_t t0_usec;

	/* Set by the dispatcher before the handler runs. */
	int64_t account_id;		/* 0 when anonymous */
	json_t *account;		/* store_account_get() result, as sent to the client */
	/* The account's grants, typed once at authentication (dispatch.c): what
	 * the permission checks and the grant helpers read. org_path points into
	 * r->account, which lives as long as the request. */
	struct grant {
		enum role role;
		int64_t org_id;
		const char *org_path;	/* "/1/4/" or NULL */
	} *grants;			/* in the arena */
	size_t ngrants;
	unsigned roles;			/* role mask of all the grants */
	const char *login;
	int via_cookie;
	char token_hash[65];
	char csrf[64];
	json_t *scope;			/* org ids where the route's permission holds */
	int scope_global;		/* the permission is not limited by org */

	/* The response. */
	int status;
	const char *ctype;
	const void *out;		/* body to send (points into out_buf or static data) */
	size_t out_len;
	buf_t out_buf;
	struct header *headers;
	int static_body;		/* out points at static memory */
	int early_status;		/* decided before the body was read (413, 400, 401, 403, 503) */
	const char *early_code;
	int authed;			/* authenticated and authorised from the headers (api_begin) */
	size_t body_reserved;		/* bytes of the body budget held (http/limits.h) */
	void *conn_slot;		/* the connection's entry in http/limits.c */
	size_t len_200;			/* a 304's Content-Length: the selected 200's length */
	int offload;			/* OFFLOAD_* (offload.h): handled on the work pool */
	int fault_fired;		/* a test's injected store fault hit this request (api_handle) */
	/* Sticky request error (STORE_E*, or STORE_EIO for a buffer out of
	 * memory): set by audit() and the other helpers whose failure must abort
	 * the request, whatever the handler then answers; the dispatcher rolls
	 * back and answers 500 (docs/ARCHITECTURE.md, "Errors that cannot be
	 * ignored"). */
	int failed;
	json_t *audits;			/* R_AUDIT: entries audit() collected, written after the handler */
};
/* Marks the request failed (the first code sticks); returns rc. */
int req_fail(struct req *r, int rc);

/* JSON reply; steals `body`. Adds an ETag (and answers 304) for GET 200s. */
int reply_json(struct req *r, int status, json_t *body);
/* The SPEC §11 error shape. fields (stolen) may be NULL. */
int reply_error(struct req *r, int status, const char *code, const char *message, json_t *fields);
/* 422 with collected field errors (stolen). */
int reply_fields(struct req *r, json_t *fields);
/* No content. */
int reply_empty(struct req *r, int status);
/* Raw bytes (copied unless is_static). */
int reply_raw(struct req *r, int status, const char *ctype, const void *data, size_t len, int is_static);
/* Extra response header; both strings copied into the arena. */
void reply_header(struct req *r, const char *name, const char *value);
/* 1 when an If-None-Match header matches etag ("*", a list, weak or
 * strong; RFC 9110 §13.1.2 uses the weak comparison for it). */
int req_etag_match(struct req *r, const char *etag);
int etag_list_match(const char *if_none_match, const char *etag);
/* 1 when Accept-Encoding lets us send gzip: a "gzip" (or "x-gzip", or "*"
 * when gzip is not named) coding with q > 0; names are case-insensitive. */
int accepts_gzip(const char *accept_encoding);
/* Request header value or NULL. */
const char *req_header(struct req *r, const char *name);
/* Cookie value or NULL. */
const char *req_cookie(struct req *r, const char *name);
/* The i-th integer path parameter. */
int64_t req_id(struct req *r, int i);
/* Maps a STORE_E* code to a reply. */
int reply_store_error(struct req *r, int rc);

/* The raw value of a query parameter (NULL when absent or empty), for the
 * routes whose query is "*" (Open311); every other route declares typed
 * parameters in routes.def and reads them with q_int, q_text … (api/api.h). */
const char *qstr(struct req *r, const char *name);
#endif
