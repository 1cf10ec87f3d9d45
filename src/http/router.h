/*
 * router.h — matching a method and path against the routes table.
 *
 * Patterns are literal segments and typed parameters: "{id}" and any
 * "{name_id}" match a positive 64-bit integer; "{*rest}" matches the rest of
 * the path (one or more segments, no ".." and no empty segment). Matching is
 * pure (no allocation) so the unit tests and the fuzzer drive it directly.
 */
#ifndef WM_ROUTER_H
#define WM_ROUTER_H
#include <stddef.h>
#include <stdint.h>

#define ROUTE_MAX_PARAMS 4

struct req;
typedef int (*handler_fn)(struct req *r);

/* Route flags. */
enum {
	R_PUBLIC = 1,	/* no authentication */
	R_WRITE = 2,	/* runs inside one write transaction; rolled back on >= 400 */
	R_CREATE = 4,	/* honours Idempotency-Key */
	R_RAW = 8,	/* body is not JSON */
	R_OFFLOAD = 16,	/* CPU-heavy: handled on the work pool (offload.h) */
	/* An audited read: the handler only reads, outside the write path (the
	 * store refuses its writes); its audit() entries are written by the
	 * dispatcher in one short transaction before the answer goes out, and
	 * the answer becomes a 500 when that write fails. */
	R_AUDIT = 32,
};

struct route {
	const char *method;
	const char *pattern;
	handler_fn fn;
	const char *name;	/* handler name, for metrics and logs */
	int perm;		/* enum perm (api/perms.def); P_NONE (0) for public or any signed-in account */
	unsigned flags;
	size_t body_max;	/* bytes */
	const char *query;	/* space-separated allowed query parameters */
};

struct match {
	int route;			/* index into the table */
	int nparams;
	int64_t ids[ROUTE_MAX_PARAMS];	/* integer parameters, in order */
	const char *rest;		/* start of the {*rest} part within path, or NULL */
	char allow[64];			/* on 405: the methods that would match */
};

enum { MATCH_NONE = -1, MATCH_METHOD = -2, MATCH_BADPATH = -3 };

/* Returns the route index (>= 0), MATCH_NONE (404), MATCH_METHOD (405, with
 * m->allow filled) or MATCH_BADPATH (400: "..", "//", control characters). */
int router_match(const struct route *table, size_t n, const char *method, const char *path, struct match *m);
/* 1 if path is acceptable at all (no "..", no "//", no control bytes). */
int path_is_clean(const char *path);
/* 1 if name occurs in the space-separated list. */
int word_in_list(const char *list, const char *name);
#endif
