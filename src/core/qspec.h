/*
 * qspec.h — typed query parameters. Each route of src/api/routes.def
 * declares its query as one string, parsed once at startup:
 *
 *   "limit:int[1,200]=50 cursor:cursor q:text[100] state:enum(a,b,c)
 *    overdue:bool active:bool(all) from:date due:time org_id:id ids:idlist
 *    lat:num[-90,90] key:token[200]"
 *
 * The dispatcher checks every value against its declaration before the
 * handler runs (qparam_check) and keeps the typed result in the request;
 * ops.c renders the same declarations as OpenAPI schemas. Pure: no I/O.
 */
#ifndef WM_QSPEC_H
#define WM_QSPEC_H
#include <stddef.h>
#include <stdint.h>

enum qtype {
	Q_INT,		/* int[min,max]=default: decimal digits, optional '-' */
	Q_ID,		/* id: a row id, 1..INT64_MAX */
	Q_IDLIST,	/* idlist: comma-separated row ids, at most QSPEC_IDS */
	Q_CURSOR,	/* cursor: the id-keyed paging cursor, 0..INT64_MAX */
	Q_TOKEN,	/* token[N]: an opaque cursor of at most N bytes; the handler checks its shape */
	Q_BOOL,		/* bool or bool(word): true/false/1/0 (and the extra word) */
	Q_DATE,		/* date: YYYY-MM-DD (China-time day) */
	Q_TIME,		/* time: YYYY-MM-DD or an RFC 3339 date-time with offset */
	Q_ENUM,		/* enum(a,b,c): one of the words */
	Q_NUM,		/* num[min,max]: a plain decimal number */
	Q_TEXT,		/* text[N]: any valid text of at most N code points */
};

#define QSPEC_MAX 16	/* parameters per route */
#define QSPEC_IDS 100	/* ids in an idlist */

struct qparam {
	char name[32];
	enum qtype type;
	int64_t min, max;	/* int: bounds; text/token: length cap */
	double fmin, fmax;	/* num: bounds */
	int64_t dflt;		/* int: the value read when absent */
	int has_dflt;		/* int: "=default" was declared */
	char words[200];	/* enum: the words, space-separated; bool: the extra word */
};

struct qspec {
	int any;		/* "*": any parameter, unchecked (the web app, Open311) */
	int n;
	struct qparam p[QSPEC_MAX];
};

/* A checked value: set when the parameter was given (non-empty). i holds an
 * int, id, cursor, bool (0/1; -1 for bool's extra word), the date's or time's
 * instant (unix seconds, a date at 00:00 +08:00); d a num; n an idlist's
 * count with the ids in ids (owned by the caller of qparam_check). s is the
 * raw text (not copied). */
struct qval {
	int set;
	int64_t i;
	double d;
	const char *s;
	int64_t *ids;
	size_t n;
};

/* Parses a declaration; 0, or -1 with a reason in err ("limit: unknown type
 * 'integer'"). */
int qspec_parse(const char *decl, struct qspec *out, char *err, size_t errn);
/* The declared parameter called name, or NULL. */
const struct qparam *qspec_find(const struct qspec *s, const char *name);
/* Checks one given value; 0 (out filled), or -1 with *code ("invalid",
 * "too_long") and a message for the client. ids: room for QSPEC_IDS ids
 * (used by idlist only). */
int qparam_check(const struct qparam *p, const char *v, struct qval *out, int64_t *ids, const char **code, char *msg,
		 size_t msgn);
/* The type's name as written in routes.def ("int", "bool" …). */
const char *qtype_name(enum qtype t);
#endif
