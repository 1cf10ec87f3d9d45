/*
 * limits.h — what one client may hold of the server: connections per
 * address, time to send its headers, and bytes of request bodies in flight
 * (security review 2026-12-07 findings 4 and 5; values and reasons in
 * docs/OPERATIONS.md "Connection and body limits").
 *
 * libmicrohttpd 0.9.75 enforces the per-address connection cap itself, but its
 * only timer is an idle timeout that restarts on every byte. The header
 * deadline is ours: every connection is entered in a table when it opens
 * (MHD_OPTION_NOTIFY_CONNECTION); a sweeper thread shuts down the socket of
 * any connection that has not completed a request's headers within
 * header_timeout seconds of opening (or of the end of its previous request),
 * and of idle ones after shed_timeout seconds when the table is nearly full.
 */
#ifndef WM_LIMITS_H
#define WM_LIMITS_H
#include <stddef.h>

struct limits_conf {
	unsigned max_connections;	/* whole server */
	unsigned per_ip_connections;	/* one client address; 0 = no cap */
	unsigned header_timeout;	/* s from connection (or last request) to complete headers */
	unsigned shed_timeout;		/* s an idle connection may wait when nearly full */
	unsigned idle_timeout;		/* s without a byte (libmicrohttpd's own timer) */
	size_t body_budget;		/* bytes of request bodies in flight, whole server */
	size_t body_budget_per_ip;	/* the same for one client address */
};
extern struct limits_conf limits;

/* Reads WENMING_MAX_CONNECTIONS, WENMING_PER_IP_CONNECTIONS,
 * WENMING_HEADER_TIMEOUT, WENMING_BODY_BUDGET_MB and
 * WENMING_BODY_BUDGET_PER_IP_MB over the defaults; -1 (with a message on
 * stderr) when one is not a number in range. */
int limits_from_env(void);

/* The connection table and its sweeper thread (server_run only). */
int limits_start(void);
void limits_stop(void);
/* A connection opened: its slot (an opaque handle, NULL when the table is full
 * or not started; every function below accepts NULL). */
void *limits_conn_open(int fd);
void limits_conn_close(void *slot);
/* Headers complete (the first access-handler call) / request over. */
void limits_request_begin(void *slot);
void limits_request_end(void *slot);
/* Connections cut by the sweeper since start (for the tests and the log). */
unsigned long limits_cut_count(void);

/* Reserves n bytes of body for a client address: 0, or -1 when the server's
 * or that address's budget would be exceeded (nothing reserved then). */
int limits_body_reserve(const char *ip, size_t n);
void limits_body_release(const char *ip, size_t n);
#endif
