/*
 * dispatch.c — everything that happens to a request before and after its
 * handler, once, for every route: matching, the body cap, query-parameter
 * checks, authentication (session cookie or bearer token), CSRF for cookie
 * writes, permission and scope from the grants, JSON parsing, idempotency
 * keys, the write transaction (rolled back on any error answer) or, for an
 * audited read, the audit write after it, the sticky request error (a 500
 * whatever the handler answered), the access log and the metrics.
 */
#include "api.h"
#include "core/pwpolicy.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/timefmt.h"
#include <stdatomic.h>
#include "core/validate.h"
#include "http/metrics.h"
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct app app;
/* Offset in nanoseconds: set to whole seconds at the instant of the call, so
 * the injected clock reads `now` for the next full second, not until the
 * system clock's next tick (a test's "+2 h" must not become 2 h 0 min 1 s). */
static _Atomic int64_t clock_offset_ns;

static int64_t real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t app_now(void)
{
	int64_t ns = real_ns() + clock_offset_ns;
	return ns >= 0 ? ns / 1000000000 : -((-ns + 999999999) / 1000000000);
}

void app_clock_set(int64_t now)
{
	clock_offset_ns = now * 1000000000 - real_ns();
}

void render_times(json_t *row, const char *const *keys)
{
	for (; *keys; keys++) {
		json_t *v = json_object_get(row, *keys);
		if (json_is_integer(v)) {
			char buf[32];
			time_rfc3339(json_integer_value(v), buf, sizeof buf);
			json_object_set_new(row, *keys, json_string(buf));
		}
	}
}

void render_location(json_t *row)
{
	json_t *lat = json_object_get(row, "lat"), *lng = json_object_get(row, "lng");
	json_object_set_new(row, "location", json_is_number(lat) && json_is_number(lng)
						     ? json_pack("{s:O, s:O}", "lat", lat, "lng", lng)
						     : json_null());
	json_object_del(row, "lat");
	json_object_del(row, "lng");
}

/* The grant helpers read the typed grants (r->grants); admin counts for
 * grant_paths and grants_cover whatever the mask, as it always has. */
static int grant_in(const struct grant *g, unsigned wanted)
{
	return g->role == ROLE_ADMIN || (wanted & (1u << g->role));
}

json_t *grant_paths(struct req *r, unsigned wanted)
{
	json_t *out = json_array();
	for (size_t i = 0; i < r->ngrants; i++)
		if (grant_in(&r->grants[i], wanted) && r->grants[i].org_path)
			json_array_append_new(out, json_string(r->grants[i].org_path));
	return out;
}

int has_role(struct req *r, unsigned wanted)
{
	return (r->roles & wanted) != 0;
}

int grants_cover(struct req *r, unsigned wanted, const char *path)
{
	if (!path)
		return 0;
	for (size_t i = 0; i < r->ngrants; i++) {
		const char *gp = r->grants[i].org_path;
		if (gp && grant_in(&r->grants[i], wanted) && !strncmp(path, gp, strlen(gp)))
			return 1;
	}
	return 0;
}

#define ROUTE(method, pattern, fn, perm, flags, body_kb, query) \
	{method, pattern, fn, #fn, perm, flags, (size_t)(body_kb) * 1024, query},
const struct route api_routes[] = {
#include "routes.def"
};
#undef ROUTE
const size_t api_nroutes = sizeof api_routes / sizeof *api_routes;

const char *const *api_route_names(void)
{
	static const char *names[sizeof api_routes / sizeof *api_routes];
	for (size_t i = 0; i < api_nroutes; i++)
		names[i] = api_routes[i].name;
	return names;
}

#define DEFAULT_BODY_MAX 1024	/* routes without a declared body */
#define BAD_ARG_KEY "\001bad"

/* 1 when the request announces a body (Content-Length > 0 or chunked). */
static int announces_body(struct req *r)
{
	const char *cl = req_header(r, "Content-Length");
	return (cl && strtoull(cl, NULL, 10) > 0) || req_header(r, "Transfer-Encoding");
}

static int authenticate(struct req *r, int required);
static int authorize(struct req *r);
static int csrf_check(struct req *r);
static void away_reply(struct req *r);

size_t api_begin(struct req *r)
{
	client_from_proxy(r);	/* links.c */
	int idx = router_match(api_routes, api_nroutes, r->method, r->path, &r->m);
	r->route = idx >= 0 ? &api_routes[idx] : NULL;
	size_t cap = r->route && r->route->body_max ? r->route->body_max : DEFAULT_BODY_MAX;
	const char *cl = req_header(r, "Content-Length");
	if (cl) {
		char *end;
		unsigned long long n = strtoull(cl, &end, 10);
		if (*end || n > cap) {
			r->early_status = 413;
			r->early_code = "body_too_large";
		}
	}
	/* Security review #4: who may send a body is decided from the headers,
	 * before a byte of it is read; a refusal is answered at once and the
	 * connection closed (http/server.c). */
	if (!r->early_status && r->route && !(r->route->flags & R_PUBLIC) && announces_body(r)) {
		r->authed = 1;
		store_db_away_take();
		if (authenticate(r, 1) || csrf_check(r) || authorize(r)) {
			if (store_db_away_take())
				away_reply(r);
			r->early_status = r->status;
		}
	}
	return cap;
}

/* An error answered before any handler runs; under /open311/ it takes the
 * GeoReport format [{"code","description"}] (open311.c), as every answer there. */
static int early_error(struct req *r, int status, const char *code, const char *message)
{
	if (!strncmp(r->path, "/open311/", 9))
		return open311_status_error(r, status);
	return reply_error(r, status, code, message, NULL);
}

/* The database was away while this request ran (store_db_away_take): a
 * session, account or row that was not read is not "missing", so a 401 or
 * 404 built on it would be a lie and a client would act on it (sign out,
 * forget the problem). 503 with Retry-After instead, like a failed BEGIN. */
static void away_reply(struct req *r)
{
	reply_header(r, "Retry-After", "5");
	early_error(r, 503, "unavailable", "数据库暂时不可用");
}

/* Query parameters into r->query; returns 0 or the error status answered. */
static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	json_t *q = cls;
	json_t *bad = json_object_get(q, BAD_ARG_KEY);
	if (!utf8_valid_text(key, strlen(key)) || (value && !utf8_valid_text(value, strlen(value))) ||
	    strlen(key) > 64 || (value && strlen(value) > 2048)) {
		if (!bad)
			json_object_set_new(q, BAD_ARG_KEY, json_true());
		return MHD_YES;
	}
	json_object_set_new(q, key, json_string(value ? value : ""));
	return MHD_YES;
}

/* The typed query declarations of routes.def, parsed once (api_query_init),
 * in table order. */
static struct qspec route_qspecs[sizeof api_routes / sizeof *api_routes];
static int qspecs_ready;
static pthread_once_t qspecs_once = PTHREAD_ONCE_INIT;

static void qspecs_parse(void)
{
	int rc = 0;
	for (size_t i = 0; i < api_nroutes; i++) {
		char err[256];
		if (qspec_parse(api_routes[i].query, &route_qspecs[i], err, sizeof err)) {
			log_msg("error", "routes.def: %s %s: %s", api_routes[i].method, api_routes[i].pattern, err);
			rc = -1;
		}
	}
	qspecs_ready = !rc;
}

int api_query_init(void)
{
	pthread_once(&qspecs_once, qspecs_parse);
	return qspecs_ready ? 0 : -1;
}

const struct qspec *api_route_qspec(const struct route *rt)
{
	return rt && !api_query_init() ? &route_qspecs[rt - api_routes] : NULL;
}

/* Every parameter known to the route (else 422 unknown_parameter, as
 * always), before authentication. */
static int check_query(struct req *r)
{
	r->query = json_object();
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_arg, r->query);
	if (json_object_get(r->query, BAD_ARG_KEY))
		return early_error(r, 400, "bad_query", "查询参数不是有效的 UTF-8 文本或过长");
	const struct qspec *qs = r->qspec = api_route_qspec(r->route);
	if (!qs)
		return early_error(r, 500, "internal", "服务器内部错误");
	json_t *fields = json_array();
	const char *key;
	json_t *v;
	json_object_foreach(r->query, key, v) {
		if (!qs->any && !qspec_find(qs, key))
			field_error(fields, key, "unknown_parameter", "不支持的查询参数");
	}
	if (json_array_size(fields))
		return reply_error(r, 422, "validation_failed", "请求中有不支持的查询参数", fields);
	json_decref(fields);
	return 0;
}

/* The account's grants into r->grants once, so that authorize and the grant
 * helpers do not walk the JSON on every check. A role the table does not
 * know (none is stored: accounts.c and `wenming user` refuse them) gives
 * nothing, as before. */
static int grants_load(struct req *r)
{
	json_t *grants = json_object_get(r->account, "grants");
	size_t n = json_array_size(grants), i;
	r->grants = n ? arena_alloc(&r->arena, n * sizeof *r->grants) : NULL;
	if (n && !r->grants)
		return reply_error(r, 500, "internal", "服务器内部错误", NULL);
	json_t *g;
	json_array_foreach(grants, i, g) {
		int role = role_parse(jstr(g, "role"));
		if (role < 0)
			continue;
		r->grants[r->ngrants++] =
			(struct grant){(enum role)role, jint(g, "org_id", 0), jstr(g, "org_path")};
		r->roles |= 1u << role;
	}
	return 0;
}

/* Every value of its declared type (else one 422 naming each bad field),
 * after authorisation (an anonymous caller still gets 401 first) and before
 * the handler, which reads r->qv through q_int, q_bool … */
static int check_query_types(struct req *r)
{
	const struct qspec *qs = r->qspec;
	json_t *fields = json_array();
	for (int i = 0; i < qs->n; i++) {
		const char *s = json_string_value(json_object_get(r->query, qs->p[i].name));
		if (!s || !*s)	/* empty = absent */
			continue;
		const char *code;
		char msg[160];
		int64_t *ids = qs->p[i].type == Q_IDLIST ? arena_alloc(&r->arena, QSPEC_IDS * sizeof *ids) : NULL;
		if (qparam_check(&qs->p[i], s, &r->qv[i], ids, &code, msg, sizeof msg))
			field_error(fields, qs->p[i].name, code, msg);
	}
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	return 0;
}

/* Finds the session from a bearer token or the cookie; 0 or an error status. */
static int authenticate(struct req *r, int required)
{
	const char *token = NULL;
	const char *authz = req_header(r, "Authorization");
	if (authz && !strncasecmp(authz, "Bearer ", 7))
		token = authz + 7;
	else if ((token = req_cookie(r, "wm_session")))
		r->via_cookie = 1;
	if (!token || !*token || strlen(token) > 128) {
		r->via_cookie = 0;
		return required ? reply_error(r, 401, "unauthenticated", "请先登录", NULL) : 0;
	}
	token_hash(token, r->token_hash, sizeof r->token_hash);
	json_t *s = store_session_get(r->token_hash);
	if (!s || jint(s, "expires_at", 0) <= (int64_t)time(NULL)) {
		json_decref(s);
		r->via_cookie = 0;
		r->token_hash[0] = 0;
		return required ? reply_error(r, 401, "session_expired", "登录已失效，请重新登录", NULL) : 0;
	}
	snprintf(r->csrf, sizeof r->csrf, "%s", jstr(s, "csrf"));
	r->account_id = jint(s, "account_id", 0);
	json_decref(s);
	r->account = store_account_get(r->account_id);
	if (!r->account || jbool(r->account, "disabled", 0)) {
		r->account_id = 0;
		return required ? reply_error(r, 401, "account_disabled", "账号已停用", NULL) : 0;
	}
	r->login = jstr(r->account, "login");
	return grants_load(r);
}

/* The orgs where the route's permission holds, from the account's grants.
 * Every scope kind but SCOPE_SUBTREE leaves the rows to the handler (public
 * information, own rows) or covers everything (city-wide data, the system). */
static int authorize(struct req *r)
{
	const struct perm_info *p = perm_info(r->route->perm);
	if (!p)
		return 0;
	r->scope = json_array();
	for (size_t i = 0; i < r->ngrants; i++) {
		const struct grant *g = &r->grants[i];
		if (!(p->roles & (1u << g->role)))
			continue;
		json_array_append_new(r->scope, json_integer(g->org_id));
		int slashes = 0;
		for (const char *c = g->org_path ? g->org_path : ""; *c; c++)
			slashes += *c == '/';
		if (slashes == 2)	/* a grant on a root org covers everything */
			r->scope_global = 1;
	}
	if (json_array_size(r->scope) == 0)
		return reply_error(r, 403, "forbidden", "没有权限进行此操作", NULL);
	if (p->scope != SCOPE_SUBTREE)
		r->scope_global = 1;
	return 0;
}

static int csrf_check(struct req *r)
{
	int safe = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
	if (!safe && r->via_cookie && !(r->route->flags & R_PUBLIC)) {
		const char *t = req_header(r, "X-CSRF-Token");
		if (!t || !secure_streq(t, r->csrf))
			return reply_error(r, 403, "csrf_failed", "缺少或错误的 CSRF 令牌（X-CSRF-Token）", NULL);
	}
	return 0;
}

/* Security review #18: GET routes that write (an audited reveal or export)
 * are refused when the browser says another site started the request
 * (Sec-Fetch-Site cross-site or same-site): a link or form elsewhere must
 * not create audit entries in a signed-in user's name. Requests without the
 * header (non-browser clients, bookmarks) pass. */
static int cross_site_check(struct req *r)
{
	if (!(r->route->flags & (R_WRITE | R_AUDIT)) || (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")))
		return 0;
	const char *site = req_header(r, "Sec-Fetch-Site");
	if (site && (!strcasecmp(site, "cross-site") || !strcasecmp(site, "same-site")))
		return reply_error(r, 403, "cross_site", "不接受从其他网站发起的此类请求，请在本系统页面内操作", NULL);
	return 0;
}

/* Answers for what http/server.c or api_begin refused from the headers. */
static void early_reply(struct req *r)
{
	if (r->status)	/* authentication or authorisation, answered in api_begin */
		return;
	switch (r->early_status) {
	case 413:
		early_error(r, 413, "body_too_large", "请求体过大");
		break;
	case 503:
		reply_header(r, "Retry-After", "5");
		early_error(r, 503, "busy", "服务器正在接收过多上传，请稍后重试");
		break;
	default:
		early_error(r, 400, r->early_code ? r->early_code : "bad_request",
			    r->early_code && !strcmp(r->early_code, "bad_host") ? "HTTP/1.1 请求须有且只有一个 Host 头"
										: "请求同时带有 Content-Length 与 Transfer-Encoding");
	}
}

static int parse_body(struct req *r)
{
	if (r->route->flags & R_RAW)
		return 0;
	if (r->body.len == 0) {
		r->json = json_object();
		return 0;
	}
	const char *ct = req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return reply_error(r, 415, "unsupported_media_type", "请求体应为 application/json", NULL);
	json_error_t err;
	r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	if (!r->json) {
		char msg[256];
		snprintf(msg, sizeof msg, "JSON 格式错误（第 %d 行第 %d 列）", err.line, err.column);
		return reply_error(r, 400, "invalid_json", msg, NULL);
	}
	return 0;
}

static int idem_key_ok(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > 128)
		return 0;
	for (const char *c = k; *c; c++)
		if (*c < 0x21 || *c > 0x7e)
			return 0;
	return 1;
}

/* Errors that cannot be ignored ------------------------------------------
 * r->failed is sticky (req_fail): audit() sets it when its write fails, and
 * so does a buffer that ran out of memory while the handler built its answer
 * (core/buf.h). Whatever the handler then answered, the transaction rolls
 * back and the client gets a 500 — never a 2xx built on a lost audit entry
 * or a truncated file. */
static void take_failures(struct req *r)
{
	if (buf_oom_take()) {
		log_error("out of memory while %s built its answer", r->route->name);
		req_fail(r, STORE_EIO);
	}
}

/* The 500 for a failed request. The handler's own 5xx stands; any other
 * answer is replaced, with the headers it added (a file's
 * Content-Disposition, an ETag, a cookie) dropped: headers are prepended, so
 * the list as it was before the handler is a tail of the list now. */
static void drop_handler_headers(struct req *r, struct header *before)
{
	r->headers = before;
	reply_header(r, "Cache-Control", "no-store");
}

static void failed_reply(struct req *r, struct header *before)
{
	if (r->status >= 500)
		return;
	drop_handler_headers(r, before);
	reply_error(r, 500, "internal", "服务器内部错误", NULL);
}

/* R_AUDIT: the entries the handler collected, in one short write
 * transaction of their own. */
static int audit_flush(json_t *entries)
{
	int rc = store_begin();
	if (rc)
		return rc;
	size_t i;
	json_t *e;
	json_array_foreach(entries, i, e) {
		if ((rc = store_audit_add(e)) != STORE_OK) {
			store_rollback();
			return rc;
		}
	}
	return store_commit();
}

/* An audited read: the handler reads outside the write path (the store
 * refuses its writes, so it never takes the writers' lock); then its audit
 * entries are written, before the answer is sent. An answer that would go
 * out without its entries written becomes a 500: an audited read must never
 * leak unaudited. */
static void run_audited(struct req *r, struct header *before)
{
	store_read_only(1);
	int status = r->route->fn(r);
	store_read_only(0);
	take_failures(r);
	if (!r->failed && status < 400) {
		if (!json_array_size(r->audits)) {
			log_error("%s answered %d without an audit entry", r->route->name, status);
			req_fail(r, STORE_EIO);
		} else if (req_fail(r, audit_flush(r->audits)))
			log_error("%s: the audit entry could not be written; the answer is withheld", r->route->name);
	}
	json_decref(r->audits);
	r->audits = NULL;
	if (r->failed)
		failed_reply(r, before);
}

static void run_handler(struct req *r)
{
	const struct route *rt = r->route;
	struct header *before = r->headers;
	if (rt->flags & R_AUDIT) {
		run_audited(r, before);
		return;
	}
	if (!(rt->flags & R_WRITE)) {
		rt->fn(r);
		take_failures(r);
		if (r->failed)
			failed_reply(r, before);
		return;
	}
	const char *ikey = (rt->flags & R_CREATE) ? req_header(r, "Idempotency-Key") : NULL;
	if (ikey && !idem_key_ok(ikey)) {
		reply_error(r, 400, "bad_idempotency_key", "Idempotency-Key 应为 1–128 个可见 ASCII 字符", NULL);
		return;
	}
	if (store_begin() != STORE_OK) {
		reply_error(r, 503, "unavailable", "数据库暂时不可用", NULL);
		return;
	}
	if (ikey) {
		json_t *prev = store_idem_get(r->account_id, ikey);
		if (prev) {
			store_rollback();
			if (strcmp(jstr(prev, "route"), rt->name)) {
				reply_error(r, 422, "idempotency_key_reused", "该 Idempotency-Key 已用于其他请求", NULL);
			} else {
				const char *b = jstr(prev, "body");
				reply_raw(r, (int)jint(prev, "status", 200), "application/json; charset=utf-8", b,
					  strlen(b), 0);
				reply_header(r, "Idempotent-Replayed", "true");
			}
			json_decref(prev);
			return;
		}
	}
	int status = rt->fn(r);
	take_failures(r);
	if (status >= 400 || r->failed) {
		store_rollback();
		if (r->failed)
			failed_reply(r, before);
		return;
	}
	if (ikey) {
		char *body = strndup(r->out ? r->out : "", r->out_len);
		store_idem_put(r->account_id, ikey, rt->name, status, body ? body : "");
		free(body);
	}
	if (store_commit() != STORE_OK) {
		drop_handler_headers(r, before);	/* e.g. a logout's cookie: nothing was saved */
		reply_error(r, 500, "commit_failed", "保存失败，请重试", NULL);
	}
}

static void handle(struct req *r);

/* The handler may run on a work-pool thread (R_OFFLOAD) while api_finish runs
 * on the HTTP thread: an injected fault is taken here, on the handler's
 * thread, and carried in the request. */
void api_handle(struct req *r)
{
	store_db_away_take();
	buf_oom_take();	/* what an earlier request or the body left on this thread is not this handler's */
	handle(r);
	if (store_fault_take())
		r->fault_fired = 1;
	if (store_db_away_take() && r->status >= 400 && r->status != 503)
		away_reply(r);
}

static void handle(struct req *r)
{
	store_fault_scope(1);	/* a test's injected store fault may hit this request's writes */
	reply_header(r, "Cache-Control", "no-store");
	transport_headers(r);
	if (r->early_status) {
		early_reply(r);
		return;
	}
	if (r->m.route == MATCH_BADPATH) {
		early_error(r, 400, "bad_path", "请求路径无效");
		return;
	}
	if (utf8_length(r->path, strlen(r->path)) < 0) {
		early_error(r, 400, "bad_path", "请求路径不是有效的 UTF-8");
		return;
	}
	if (r->m.route == MATCH_METHOD) {
		reply_header(r, "Allow", r->m.allow);
		early_error(r, 405, "method_not_allowed", "不支持该请求方法");
		return;
	}
	if (!r->route) {
		/* Any other GET outside the API is a page of the single-page app. */
		int api = !strncmp(r->path, "/api/", 5) || !strcmp(r->path, "/api") || !strncmp(r->path, "/open311", 8);
		if (!api && (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")))
			web_index(r);
		else
			early_error(r, 404, "not_found", "没有这个接口");
		return;
	}
	if (check_query(r))
		return;
	if (cross_site_check(r))
		return;
	/* r->authed: done from the headers in api_begin. */
	if (!r->authed && (authenticate(r, !(r->route->flags & R_PUBLIC)) || csrf_check(r) || authorize(r)))
		return;
	if (check_query_types(r) || parse_body(r))
		return;
	run_handler(r);
}

static uint64_t mono_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void api_finish(struct req *r)
{
	uint64_t us = mono_usec() - r->t0_usec;
	uint64_t db_us = store_take_db_usec();
	int slot = r->route ? (int)(r->route - api_routes) : (int)api_nroutes;
	/* No status: the client hung up before its request was complete (libmicrohttpd
	 * still reports the request as ended). That is the client's doing, not a
	 * server error: logged and counted as 499 ("client closed request", as nginx
	 * does), so that aborted uploads do not raise wenming_errors_total. */
	if (!r->status)
		r->status = 499;
	metrics_observe(slot, r->status, us, db_us);
	if ((r->fault_fired || store_fault_take()) && r->status >= 500)
		metrics_injected_5xx();
	char ts[40];
	log_now(ts, sizeof ts);
	log_access(json_pack("{s:s, s:s, s:s, s:s, s:i, s:f, s:f, s:s, s:I, s:I}", "ts", ts, "method", r->method,
			     "path", r->path, "route", r->route ? r->route->name : "-", "status", r->status,
			     "ms", (double)us / 1000.0, "db_ms", (double)db_us / 1000.0, "ip", r->ip,
			     "account", (json_int_t)r->account_id, "bytes", (json_int_t)r->out_len));
}

/* Helpers for the handlers ------------------------------------------------ */

int scope_covers(struct req *r, int64_t org_id)
{
	if (r->scope_global)
		return 1;
	size_t i;
	json_t *s;
	json_array_foreach(r->scope, i, s) {
		if (store_org_within(org_id, json_integer_value(s)) == 1)
			return 1;
	}
	return 0;
}

json_t *scope_filter(struct req *r, json_t *filter)
{
	if (!r->scope_global && r->scope)
		json_object_set(filter, "within", r->scope);
	return filter;
}

int has_role_over(struct req *r, unsigned roles, int64_t org_id)
{
	for (size_t i = 0; i < r->ngrants; i++)
		if ((roles & (1u << r->grants[i].role)) && store_org_within(org_id, r->grants[i].org_id) == 1)
			return 1;
	return 0;
}

/* Instants in an audit snapshot read like every other time in the API
 * (RFC 3339), whichever store row or view a handler passed: integer values
 * of "…_at" keys, at the top and one level down, become text. */
static void audit_times(json_t *o, int depth)
{
	const char *k;
	json_t *v;
	if (!json_is_object(o))
		return;
	json_object_foreach(o, k, v) {
		size_t n = strlen(k);
		if (json_is_integer(v) && n > 3 && !strcmp(k + n - 3, "_at")) {
			char t[40];
			time_rfc3339(json_integer_value(v), t, sizeof t);
			json_object_set_new(o, k, json_string(t));
		} else if (depth < 1 && json_is_object(v)) {
			audit_times(v, depth + 1);
		}
	}
}

int audit(struct req *r, const char *action, const char *resource, int64_t id, json_t *before, json_t *after)
{
	audit_times(before, 0);
	audit_times(after, 0);
	json_t *e = json_pack("{s:s, s:s, s:I, s:s}", "action", action, "resource", resource, "resource_id",
			      (json_int_t)id, "ip", r->ip);
	if (r->account_id) {
		json_object_set_new(e, "actor_id", json_integer(r->account_id));
		json_object_set_new(e, "actor_login", json_string(r->login));
	}
	if (before)
		json_object_set_new(e, "before", before);
	if (after)
		json_object_set_new(e, "after", after);
	/* An audited read (R_AUDIT) runs outside the write path: the dispatcher
	 * writes what was collected after the handler (run_audited). */
	if (r->route && (r->route->flags & R_AUDIT)) {
		if (!r->audits)
			r->audits = json_array();
		json_array_append_new(r->audits, e);
		return STORE_OK;
	}
	int rc = store_audit_add(e);
	json_decref(e);
	return req_fail(r, rc);	/* sticky: the dispatcher answers 500 even if the result is ignored */
}

int body_check(struct req *r, const struct fspec *spec)
{
	json_t *fields = json_array();
	if (json_check(r->json, spec, fields))
		return reply_fields(r, fields);
	json_decref(fields);
	return 0;
}

json_t *body_fields(struct req *r, const struct fspec *spec)
{
	json_t *fields = json_array();
	if (json_check(r->json, spec, fields) && !json_is_object(r->json)) {
		reply_fields(r, fields);
		return NULL;
	}
	return fields;
}

json_t *page(json_t *items, int limit, const char *cursor_key)
{
	json_t *next = json_null();
	size_t n = json_array_size(items);
	if ((int)n >= limit && n > 0) {
		json_t *last = json_object_get(json_array_get(items, n - 1), cursor_key);
		if (json_is_integer(last)) {
			char s[24];
			snprintf(s, sizeof s, "%lld", (long long)json_integer_value(last));
			next = json_string(s);
		} else if (json_is_string(last))
			next = json_string(json_string_value(last));
	}
	return json_pack("{s:o, s:o}", "items", items, "next_cursor", next);
}

/* The checked value of a declared parameter; NULL when the route does not
 * declare it (then it reads as absent: the dispatcher refused it anyway —
 * shared filters such as problems_filter serve routes declaring a subset). */
static const struct qval *qval_of(struct req *r, const char *name, const struct qparam **pp)
{
	const struct qspec *qs = r->qspec;
	for (int i = 0; qs && i < qs->n; i++)
		if (!strcmp(qs->p[i].name, name)) {
			if (pp)
				*pp = &qs->p[i];
			return &r->qv[i];
		}
	return NULL;
}

int q_has(struct req *r, const char *name)
{
	const struct qval *v = qval_of(r, name, NULL);
	return v && v->set;
}

int64_t q_int(struct req *r, const char *name)
{
	const struct qparam *p = NULL;
	const struct qval *v = qval_of(r, name, &p);
	return v && v->set ? v->i : p ? p->dflt : 0;
}

int q_bool(struct req *r, const char *name, int dflt)
{
	const struct qval *v = qval_of(r, name, NULL);
	return v && v->set ? (int)v->i : dflt;
}

int64_t q_time(struct req *r, const char *name)
{
	const struct qval *v = qval_of(r, name, NULL);
	return v && v->set ? v->i : 0;
}

double q_num(struct req *r, const char *name)
{
	const struct qval *v = qval_of(r, name, NULL);
	return v && v->set ? v->d : 0;
}

const char *q_text(struct req *r, const char *name)
{
	const struct qval *v = qval_of(r, name, NULL);
	return v && v->set ? v->s : NULL;
}

const int64_t *q_ids(struct req *r, const char *name, size_t *n)
{
	const struct qval *v = qval_of(r, name, NULL);
	*n = v && v->set ? v->n : 0;
	return *n ? v->ids : NULL;
}

int reply_field(struct req *r, const char *field, const char *code, const char *message)
{
	return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", field, "code", code, "message", message));
}

int list_reply(struct req *r, json_t *items, int limit, const char *cursor_key)
{
	if (!items)
		return reply_store_error(r, STORE_EIO);
	return reply_json(r, 200, page(items, limit, cursor_key));
}

/* The demo password is good on a demo database only (so demo logins keep
 * working) and refused everywhere else; the rest is core/pwpolicy.c. */
const char *password_policy(const char *login, const char *name, const char *pw, int staff)
{
	if (!strcmp(pw, DEMO_PASSWORD))
		return app.demo ? NULL : "该密码仅用于演示数据库";
	return pw_policy_check(pw, login, name, staff);
}

int grants_staff(json_t *grants)
{
	return (grants_roles(grants) & R_PASSWORD_STAFF) != 0;
}
