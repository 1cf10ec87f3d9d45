/*
 * server.h — the libmicrohttpd glue: an internal thread pool with epoll,
 * bounded headers and bodies, keep-alive, and graceful shutdown on
 * SIGTERM/SIGINT (stop accepting, let in-flight requests finish).
 */
#ifndef WM_SERVER_H
#define WM_SERVER_H
#include "request.h"

struct server_hooks {
	/* First call: path and method known, headers read. Sets r->route and
	 * may set r->early_status (e.g. 413 from Content-Length). Returns the
	 * body cap in bytes. */
	size_t (*begin)(struct req *r);
	/* Body complete: answer the request (fill r->status / r->out). */
	void (*handle)(struct req *r);
	/* After the response is sent: logs, metrics. */
	void (*finish)(struct req *r);
};

struct server_opts {
	const char *listen;	/* "127.0.0.1:8080" or ":8080" or "[::1]:8080" */
	unsigned threads;
	struct server_hooks hooks;
};

/* Blocks until SIGTERM or SIGINT, then drains. 0 on clean exit.
 * on_ready (may be NULL) is called once the socket listens, with the URL. */
int server_run(const struct server_opts *o, void (*on_ready)(const char *url));
/* The same request handling as server_run, in process and single-threaded,
 * for fuzz/fuzz_api.c: a daemon with no listening socket and no threads; the
 * caller hands it one end of a socketpair with MHD_add_connection and drives
 * it with MHD_run. NULL on failure. */
struct MHD_Daemon;
struct MHD_Daemon *server_start_local(const struct server_hooks *h);
/* Signals blocked before any thread starts so sigwait() in the main thread
 * sees them (shared/NOTES.md). Call first thing in main. */
void server_block_signals(void);
#endif
