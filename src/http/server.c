/*
 * server.c — see server.h.
 *
 * Keep-alive: libmicrohttpd 0.9.75 answers "Connection: close" when a handler
 * queues its response on the first call for a request, so normal responses
 * are queued on the last call (after the body); only a refusal decided from
 * the headers (400 framing, 413 from Content-Length, 401/403 before the body,
 * 503 past the body budget) is answered at once, closing the connection on
 * purpose so that the body is never read. Connection limits: limits.h.
 */
#include "server.h"
#include "limits.h"
#include "offload.h"
#include "metrics.h"
#include "core/log.h"
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HEADER_MEMORY (48 * 1024)	/* MHD answers 431 past this */
#define REQUEST_ARENA_CAP (32u << 20)

static struct server_hooks hooks;

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static uint64_t mono_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void server_block_signals(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void client_ip(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = 0;
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
}

/* RFC 9110 §8.6: a 304 carries no Content-Length, or the 200's. libmicrohttpd
 * 0.9.75 writes the response's size as Content-Length (0 for an empty buffer,
 * "chunked" for an unknown size) but sends no body on a 304: a response
 * declaring the 200's length (r->len_200) with a reader that is never called
 * gives exactly the 200's Content-Length. */
static ssize_t no_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	(void)pos;
	(void)buf;
	(void)max;
	return MHD_CONTENT_READER_END_OF_STREAM;
}

static enum MHD_Result queue(struct req *r)
{
	struct MHD_Response *resp = r->status == 304
		? MHD_create_response_from_callback(r->len_200, 64, no_body, NULL, NULL)
		: MHD_create_response_from_buffer(r->out_len, (void *)r->out,
						  r->static_body ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	if (r->early_status)	/* answered before the body: never read it */
		MHD_add_response_header(resp, "Connection", "close");
	if (r->ctype)
		MHD_add_response_header(resp, "Content-Type", r->ctype);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	for (struct header *h = r->headers; h; h = h->next)
		MHD_add_response_header(resp, h->name, h->value);
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static enum MHD_Result count_host(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	if (key && !strcasecmp(key, "Host"))
		(*(int *)cls)++;
	return MHD_YES;
}

/* Framing refused before anything else, with 400 and the connection closed:
 * an HTTP/1.1 request without exactly one Host (RFC 9112 §3.2), and
 * Content-Length together with Transfer-Encoding (§6.1: the classic
 * request-smuggling shape; libmicrohttpd 0.9.75 would let chunked win). */
static const char *framing_error(struct MHD_Connection *c, const char *version)
{
	int hosts = 0;
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_host, &hosts);
	if (hosts > 1 || (!hosts && version && !strcmp(version, MHD_HTTP_VERSION_1_1)))
		return "bad_host";
	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length") &&
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding"))
		return "bad_framing";
	return NULL;
}

/* The connection's entry in the limits table (NULL in server_start_local). */
static void *conn_slot(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Holds the body budget for what the request may still send: the declared
 * Content-Length (up to the route's cap) at once, a chunked body as it comes.
 * 0, or -1 when the server or this client address has too much in flight. */
static int body_budget(struct req *r, size_t want)
{
	if (want <= r->body_reserved)
		return 0;
	if (limits_body_reserve(r->ip, want - r->body_reserved) != 0)
		return -1;
	r->body_reserved = want;
	return 0;
}

static void first_call(struct req *r, const char *version)
{
	r->conn_slot = conn_slot(r->conn);
	limits_request_begin(r->conn_slot);
	size_t cap = 0;
	if ((r->early_code = framing_error(r->conn, version)))
		r->early_status = 400;
	else
		cap = hooks.begin(r);
	buf_init(&r->body, cap);
	const char *cl = r->early_status ? NULL : MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
	unsigned long long n = cl ? strtoull(cl, NULL, 10) : 0;
	if (n && body_budget(r, n < cap ? (size_t)n : cap) != 0) {
		r->early_status = 503;
		r->early_code = "busy";
	}
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				 const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)cls;
	struct req *r = *con_cls;
	if (!r) {
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		arena_init(&r->arena, REQUEST_ARENA_CAP);
		r->conn = c;
		r->t0_usec = mono_usec();
		r->method = arena_strdup(&r->arena, method);
		r->path = arena_strdup(&r->arena, url);
		client_ip(c, r->ip, sizeof r->ip);
		*con_cls = r;
		metrics_inflight(1);
		first_call(r, version);
		/* Refused from the headers (framing, 413, 401/403, 503): answered
		 * now, on the first call, so the body is never read. */
		if (r->early_status) {
			hooks.handle(r);
			return queue(r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->early_status && buf_append(&r->body, upload, *upload_size) != 0) {
			/* Out of memory is the server's trouble, not a body too large. */
			r->early_status = r->body.oom ? 503 : 413;
			r->early_code = r->body.oom ? NULL : "body_too_large";
		}
		/* A chunked body past the budget: nothing can be answered in the
		 * middle of a body, so the connection is closed. */
		if (!r->early_status && body_budget(r, r->body.len) != 0)
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->offload == OFFLOAD_DONE) {	/* resumed: the work pool answered it */
		r->offload = OFFLOAD_NONE;
		return queue(r);
	}
	if (r->status)	/* already answered (early 413) */
		return MHD_YES;
	if (r->route && (r->route->flags & R_OFFLOAD)) {
		int rc = offload_submit(r, hooks.handle);
		if (rc == 1)
			return MHD_YES;	/* suspended; r belongs to the worker now */
		if (rc == 0)
			return queue(r);	/* 503 busy */
	}
	hooks.handle(r);
	return queue(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct req *r = *con_cls;
	if (!r)
		return;
	hooks.finish(r);
	metrics_inflight(-1);
	limits_body_release(r->ip, r->body_reserved);
	limits_request_end(r->conn_slot);
	json_decref(r->json);
	json_decref(r->query);
	json_decref(r->audits);
	json_decref(r->account);
	json_decref(r->scope);
	buf_free(&r->body);
	buf_free(&r->out_buf);
	arena_free(&r->arena);
	free(r);
	*con_cls = NULL;
}

/* Every connection enters the limits table (the header deadline). */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = ci ? limits_conn_open(ci->connect_fd) : NULL;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		limits_conn_close(*socket_context);
		*socket_context = NULL;
	}
}

/* libmicrohttpd's default unescaper turns "%00" into a NUL byte, which would
 * silently cut the path or a parameter short ("/orgs/1%00/../x" → "/orgs/1").
 * Ours decodes every other %XX and leaves "%00" as the three characters, so
 * such a path never matches a route and a parameter keeps its bad byte. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	char *w = s;
	for (const char *p = s; *p; p++) {
		int hi, lo;
		if (*p == '%' && p[1] && p[2] && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0 && (hi | lo)) {
			*w++ = (char)(hi * 16 + lo);
			p += 2;
		} else
			*w++ = *p;
	}
	*w = 0;
	return (size_t)(w - s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = 0;
	log_warn("http: %s", msg);
}

/* Parses "host:port", ":port" or "[v6]:port". */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof *ss);
	const char *colon = strrchr(s, ':');
	if (!colon)
		return -1;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || end == colon + 1)
		return -1;
	char host[128];
	size_t hl = (size_t)(colon - s);
	if (hl >= sizeof host)
		return -1;
	memcpy(host, s, hl);
	host[hl] = 0;
	if (host[0] == '[') {
		size_t l = strlen(host);
		if (l < 2 || host[l - 1] != ']')
			return -1;
		host[l - 1] = 0;
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			return -1;
		*len = sizeof *a;
		return AF_INET6;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (!host[0])
		a->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (!strcmp(host, "localhost"))
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
		return -1;
	*len = sizeof *a;
	return AF_INET;
}

struct MHD_Daemon *server_start_local(const struct server_hooks *h)
{
	hooks = *h;
	/* The options of server_run that shape a request (keep them in step);
	 * no socket, no threads, no connection limit or timeout. */
	return MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_access, NULL,
				MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
				MHD_OPTION_END);
}

int server_run(const struct server_opts *o, void (*on_ready)(const char *url))
{
	hooks = o->hooks;
	struct sockaddr_storage ss;
	socklen_t sl;
	int fam = parse_listen(o->listen, &ss, &sl);
	if (fam < 0) {
		fprintf(stderr, "wenming: bad --listen address '%s' (want HOST:PORT)\n", o->listen);
		return 2;
	}
	/* poll(), not epoll: with epoll (edge-triggered) libmicrohttpd 0.9.75 misses
	 * a client that hangs up in the middle of its headers or body; the socket
	 * then sits in CLOSE-WAIT, holding its descriptor and its request until the
	 * 30 s connection timeout (found by tests/api/soak.test.mjs; any client can
	 * pile them up to the connection limit). poll() sees the hang-up at once.
	 * Measured on the shared 2-core machine, wrk -t1 -c64, GET a problem:
	 * ~2,000 req/s either way (load average 10 from other work). */
	if (limits_start() != 0) {
		fprintf(stderr, "wenming: cannot start the connection sweeper\n");
		return 1;
	}
	unsigned flags = MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (fam == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (offload_start(0, 0)) {
		fprintf(stderr, "wenming: cannot start the work pool\n");
		return 1;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_access, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, o->threads ? o->threads : 2,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
		MHD_OPTION_CONNECTION_LIMIT, limits.max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, limits.per_ip_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, limits.idle_timeout,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		MHD_OPTION_END);
	if (!d) {
		limits_stop();
		offload_stop();
		fprintf(stderr, "wenming: cannot listen on %s: %s\n", o->listen, strerror(errno));
		return 1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[128], url[200];
	const char *colon = strrchr(o->listen, ':');
	snprintf(host, sizeof host, "%.*s", (int)(colon - o->listen), o->listen);
	snprintf(url, sizeof url, "http://%s:%u", host[0] ? host : "0.0.0.0", di ? di->port : 0);
	log_info("listening on %s", url);
	if (on_ready)
		on_ready(url);

	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	int sig = 0;
	sigwait(&s, &sig);
	log_info("signal %d: draining", sig);
	MHD_quiesce_daemon(d);
	/* Let in-flight requests finish (up to 10 s), then stop. */
	for (int i = 0; i < 1000 && metrics_inflight_now() > 0; i++)
		usleep(10000);
	offload_stop();	/* finishes queued jobs, which resume their connections */
	MHD_stop_daemon(d);
	limits_stop();
	log_info("stopped");
	return 0;
}
