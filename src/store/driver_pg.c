/*
 * driver_pg.c — the PostgreSQL engine behind db.h (driver.h), over libpq.
 *
 * One PGconn per thread (db.c keeps it). Every session is set up by its
 * connection options, so PQreset after a lost connection restores it as it
 * was: statement_timeout (env WENMING_PG_STATEMENT_TIMEOUT_MS, default 30 s),
 * TimeZone UTC, client_encoding UTF8, application_name wenming (the URI may
 * name another), and idle_in_transaction_session_timeout 5 min: a server
 * stuck inside a write transaction would otherwise hold the writers' lock
 * (pg_begin) and stall every server's writes.
 *
 * Statements: the store writes SQLite's ?/?N; prepare rewrites them to $N
 * (pg_rewrite_params) and the statement is prepared on the server at its
 * first step, when the bound values' types are known (see stmt_types for
 * the typing rule). Values travel as text, results come back as text.
 * Prepared rather than PQexecParams, measured on loopback TCP with the
 * machine shared: a primary-key read took 31-35 us prepared against 90-115
 * us parsed and planned each time; a 20-row indexed list 57-85 us against
 * 150-175 us. The cost is one more round trip at a statement's first use
 * per connection.
 *
 * A lost connection (server restart, pg_terminate_backend) is reset in
 * place: a read outside a transaction is retried once on the new session,
 * so the first request after a PostgreSQL restart still succeeds; a write
 * or anything inside a transaction fails (it may or may not have run) and
 * broken() tells db.c. Each reset bumps the connection's generation, which
 * makes every cached statement prepare itself again.
 */
#include "driver.h"
#include "driver_pg.h"
#include "core/log.h"
#include "http/assets.h"
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Transaction-scoped lock every writer takes ("WENMING"): write transactions
 * are serialised across all servers on the database, as SQLite's one writer
 * serialises them, so the store's check-then-act rules hold unchanged. */
#define PG_WRITE_LOCK INT64_C(0x57454e4d494e47)
/* Session lock around migrations ("WENMMIG"): servers starting together
 * apply each migration once. */
#define PG_MIGRATE_LOCK INT64_C(0x57454e4d4d4947)

enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25, OID_OID = 26,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };
enum { BIND_NULL, BIND_INT, BIND_REAL, BIND_TEXT };

static char *pg_target;		/* the libpq connection string or URI */
static char pg_options[512];	/* -c settings for every session, then the URI's own options */

struct pg_conn {
	PGconn *pg;
	unsigned serial;	/* names prepared statements wm1, wm2, … */
	unsigned generation;	/* bumped by every reset: statements prepare again */
	int64_t changes;
	char state[6];		/* SQLSTATE of the last error, "" when none came */
	char err[512];
};

struct pg_param {
	int kind;		/* BIND_* of the bound value */
	int stage;		/* text/NULL: 0 unknown, 1 text, 2 int8, 3 float8 (want_type) */
	int loose;		/* a number sent untyped: int8/float8 matched no function (42883) */
	Oid prepared;		/* the type it was prepared with */
	char *text;		/* malloc'd value of a BIND_TEXT */
	char num[32];		/* a BIND_INT or BIND_REAL as text */
};

struct pg_stmt {
	struct pg_conn *c;
	char *sql, *pgsql;	/* as written; with $N */
	int nparams, readonly;
	struct pg_param *par;
	const char **values;
	Oid *types;		/* scratch for PQprepare */
	char name[16];		/* "" until prepared */
	unsigned generation;	/* the connection's generation it was prepared in */
	PGresult *res;
	int row, nrows, failed;
};

/* Placeholders and keywords ----------------------------------------------- */

/* Length of the quoted text, identifier or comment starting at p, or 0. A
 * doubled quote inside ('it''s') reads as two adjacent literals: same bytes. */
static size_t skip_quoted(const char *p)
{
	const char *q = p;
	if (*p == '\'' || *p == '"') {
		for (q++; *q && *q != *p; q++)
			;
		return (size_t)(q - p) + (*q ? 1 : 0);
	}
	if (p[0] == '-' && p[1] == '-') {
		while (*q && *q != '\n')
			q++;
		return (size_t)(q - p);
	}
	if (p[0] == '/' && p[1] == '*') {
		const char *e = strstr(p + 2, "*/");
		return e ? (size_t)(e + 2 - p) : strlen(p);
	}
	return 0;
}

/* SQLite's variadic JSON builders, which PostgreSQL cannot define in SQL (a
 * function of VARIADIC "any" must be written in C): renamed at prepare, the
 * one spelling the store's SQL keeps of SQLite's that the schema cannot
 * supply (docs/ARCHITECTURE.md, "One SQL for two engines"). */
static const struct {
	const char *from, *to;
} renames[] = {{"json_object(", "json_build_object("}, {"json_array(", "json_build_array("}};

static size_t rename_at(const char *sql, const char *p, char **o)
{
	if (p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.'))
		return 0;
	for (size_t i = 0; i < sizeof renames / sizeof renames[0]; i++) {
		size_t n = strlen(renames[i].from);
		if (!strncmp(p, renames[i].from, n)) {
			size_t m = strlen(renames[i].to);
			memcpy(*o, renames[i].to, m);
			*o += m;
			return n;
		}
	}
	return 0;
}

char *pg_rewrite_params(const char *sql, int *nparams)
{
	size_t len = strlen(sql), marks = 0;
	for (const char *p = sql; *p; p++)
		marks += *p == '?';
	/* "?" becomes at most "$65535"; a rename adds 6 bytes to 11 or more. */
	size_t cap = len + 5 * marks + len / 2 + 1;
	char *out = malloc(cap), *o = out;
	int max = 0;
	if (!out)
		return NULL;
	for (const char *p = sql; *p;) {
		size_t n = skip_quoted(p);
		if (n) {
			memcpy(o, p, n);
			o += n, p += n;
			continue;
		}
		if (*p == 'j' && (n = rename_at(sql, p, &o))) {
			p += n;
			continue;
		}
		if (*p != '?') {
			*o++ = *p++;
			continue;
		}
		long num = max + 1;
		if (isdigit((unsigned char)*++p)) {
			char *end;
			num = strtol(p, &end, 10);
			p = end;
		}
		if (num < 1 || num > 65535) {
			free(out);
			return NULL;
		}
		if (num > max)
			max = (int)num;
		o += snprintf(o, cap - (size_t)(o - out), "$%ld", num);
	}
	*o = 0;
	*nparams = max;
	return out;
}

static int word_is(const char *w, size_t n, const char *kw)
{
	return strlen(kw) == n && !strncasecmp(w, kw, n);
}

int pg_sql_readonly(const char *sql)
{
	int first = 1;
	for (const char *p = sql; *p;) {
		size_t n = skip_quoted(p);
		if (n) {
			p += n;
			continue;
		}
		if (!isalpha((unsigned char)*p) && *p != '_') {
			p++;
			continue;
		}
		const char *w = p;
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '$')
			p++;
		n = (size_t)(p - w);
		if (first && !word_is(w, n, "SELECT") && !word_is(w, n, "WITH") && !word_is(w, n, "VALUES"))
			return 0;
		first = 0;
		if (word_is(w, n, "INSERT") || word_is(w, n, "UPDATE") || word_is(w, n, "DELETE") ||
		    word_is(w, n, "MERGE"))
			return 0;
	}
	return !first;
}

int pg_sqlstate_class(const char *s)
{
	static const struct { const char *state; int cls; } map[] = {
		{"23505", DB_ECONSTRAINT}, {"23514", DB_ECONSTRAINT}, {"23502", DB_ECONSTRAINT},
		{"23P01", DB_ECONSTRAINT}, {"23503", DB_EFOREIGN},
		{"40001", DB_ESERIAL}, {"40P01", DB_ESERIAL}, {"55P03", DB_ESERIAL},
	};
	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(s, map[i].state))
			return map[i].cls;
	return DB_EIO;
}

/* Errors and results ------------------------------------------------------ */

/* Keeps res's error as the connection's message and returns its class. Only
 * the primary message: DETAIL lines quote the row's values (phones, names),
 * which must not reach the log. */
static int result_error(struct pg_conn *c, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	snprintf(c->state, sizeof c->state, "%s", state ? state : "");
	if (!msg)
		msg = PQerrorMessage(c->pg);
	snprintf(c->err, sizeof c->err, "%s%s%s", state ? state : "", state ? ": " : "", msg);
	c->err[strcspn(c->err, "\n")] = 0;	/* libpq's own messages run on over lines */
	size_t n = strlen(c->err);
	while (n && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
		c->err[--n] = 0;
	return pg_sqlstate_class(state);
}

/* Rows written, as SQLite's changes() counts them: only INSERT, UPDATE,
 * DELETE and MERGE set it (a SELECT leaves the last write's count). */
static void note_changes(struct pg_conn *c, PGresult *res)
{
	const char *cmd = PQcmdStatus(res);
	if (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) || !strncmp(cmd, "DELETE", 6) ||
	    !strncmp(cmd, "MERGE", 5))
		c->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* 1 when the last error means the session is gone: the server closed it
 * (restart, pg_terminate_backend: 57P0x) or the socket failed (08xxx, or an
 * error libpq made itself, which has no SQLSTATE). */
static int lost(const struct pg_conn *c)
{
	return PQstatus(c->pg) != CONNECTION_OK || !c->state[0] || !strncmp(c->state, "57P0", 4) ||
	       !strncmp(c->state, "08", 2);
}

/* Re-opens a lost session in place (same PGconn, same options). */
static int reset(struct pg_conn *c)
{
	PQreset(c->pg);
	c->generation++;
	if (PQstatus(c->pg) == CONNECTION_OK)
		return 0;
	snprintf(c->err, sizeof c->err, "%s", PQerrorMessage(c->pg));
	c->err[strcspn(c->err, "\n")] = 0;
	return -1;
}

static int in_transaction(struct pg_conn *c)
{
	PGTransactionStatusType t = PQtransactionStatus(c->pg);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* Runs a parameterless command; 0 or the error's DB_* class. */
static int command(struct pg_conn *c, const char *sql)
{
	PGresult *res = PQexec(c->pg, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : result_error(c, res);
	if (!rc)
		note_changes(c, res);
	PQclear(res);
	return rc;
}

/* Set-up and connections -------------------------------------------------- */

/* statement_timeout and TimeZone go in the startup packet's options, before
 * the URI's own options (a later -c wins: the operator can override). */
static int build_options(const char *target)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(target, &err);
	if (!opts) {
		log_error("--database: not a PostgreSQL connection string: %s", err ? err : "out of memory");
		PQfreemem(err);
		return -1;
	}
	const char *own = getenv("PGOPTIONS"), *env = getenv("WENMING_PG_STATEMENT_TIMEOUT_MS");
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (!strcmp(o->keyword, "options") && o->val && *o->val)
			own = o->val;
	char *end = NULL;
	long long ms = env && *env ? strtoll(env, &end, 10) : 30000;
	int rc = 0;
	if ((end && *end) || ms < 0 || ms > INT32_MAX) {
		log_error("WENMING_PG_STATEMENT_TIMEOUT_MS must be milliseconds (0 = no limit), not \"%s\"", env);
		rc = -1;
	} else if ((size_t)snprintf(pg_options, sizeof pg_options, "-c statement_timeout=%lld -c TimeZone=UTC"
				    " -c idle_in_transaction_session_timeout=300000%s%s",
				    ms, own ? " " : "", own ? own : "") >= sizeof pg_options) {
		log_error("--database: the options parameter is too long");
		rc = -1;
	}
	PQconninfoFree(opts);
	return rc;
}

/* Server notices ("relation … already exists, skipping") would reach
 * stderr as bare text; warnings go to the JSON log, the rest is dropped. */
static void notice(void *arg, const PGresult *res)
{
	(void)arg;
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (sev && !strcmp(sev, "WARNING"))
		log_warn("PostgreSQL: %s", msg ? msg : "");
}

/* Defaults first, so the URI's own values win (libpq keeps the last):
 * a connect that gives up after 10 s instead of hanging a worker, and TCP
 * keepalives that find a dead server or a firewall's dropped session in
 * about 90 s instead of the kernel's two hours. Then the URI, then what
 * Wenming fixes: the encoding and the session options. */
static void *pg_connect(void)
{
	const char *const keys[] = {"connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count",
				    "dbname", "fallback_application_name", "client_encoding", "options", NULL};
	const char *const vals[] = {"10", "60", "10", "3", pg_target, "wenming", "UTF8", pg_options, NULL};
	struct pg_conn *c = calloc(1, sizeof *c);
	if (!c || !pg_target)
		return free(c), NULL;
	c->pg = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(c->pg));
		msg[strcspn(msg, "\n")] = 0;
		log_error("cannot connect to PostgreSQL %s:%s/%s as %s: %s", PQhost(c->pg) ? PQhost(c->pg) : "",
			  PQport(c->pg) ? PQport(c->pg) : "", PQdb(c->pg) ? PQdb(c->pg) : "",
			  PQuser(c->pg) ? PQuser(c->pg) : "", msg);
		PQfinish(c->pg);
		free(c);
		return NULL;
	}
	PQsetNoticeReceiver(c->pg, notice, NULL);
	return c;
}

static void pg_disconnect(void *conn)
{
	struct pg_conn *c = conn;
	if (c) {
		PQfinish(c->pg);
		free(c);
	}
}

/* Asked by db.c before each statement outside a transaction. libpq keeps
 * CONNECTION_OK on a session whose server went away while it was idle (a
 * restart): the loss would surface on the next statement, and a write there
 * cannot be retried blindly. So the socket is looked at first: a session the
 * server closed is readable at once, and consuming its input turns it BAD;
 * db.c then reconnects before anything is sent. One poll() of 0 ms. */
static int pg_broken(void *conn)
{
	PGconn *pg = ((struct pg_conn *)conn)->pg;
	if (PQstatus(pg) != CONNECTION_OK)
		return 1;
	struct pollfd p = {.fd = PQsocket(pg), .events = POLLIN};
	if (p.fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
		if (!PQconsumeInput(pg) || PQstatus(pg) != CONNECTION_OK)
			return 1;
		PGnotify *n;
		while ((n = PQnotifies(pg)))
			PQfreemem(n);
	}
	return 0;
}

/* The database must hold text as UTF-8; a collation other than C sorts lists
 * differently from SQLite (docs/OPERATIONS.md), which is allowed but noted. */
static int check_database(struct pg_conn *c)
{
	const char *enc = PQparameterStatus(c->pg, "server_encoding");
	if (!enc || strcmp(enc, "UTF8")) {
		log_error("PostgreSQL database %s uses encoding %s; Wenming needs UTF8 "
			  "(CREATE DATABASE … ENCODING 'UTF8', docs/OPERATIONS.md)", PQdb(c->pg), enc ? enc : "?");
		return -1;
	}
	if (PQserverVersion(c->pg) < 150000)
		log_warn("PostgreSQL %d: Wenming is tested with 15 and later", PQserverVersion(c->pg) / 10000);
	PGresult *res = PQexec(c->pg, "SELECT datcollate FROM pg_database WHERE datname = current_database()");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		const char *coll = PQgetvalue(res, 0, 0);
		if (strcmp(coll, "C") && strcmp(coll, "POSIX") && strncasecmp(coll, "C.UTF", 5))
			log_warn("PostgreSQL database %s collates by %s: lists sort differently from SQLite; "
				 "LC_COLLATE C.UTF-8 is recommended (docs/OPERATIONS.md)", PQdb(c->pg), coll);
	}
	PQclear(res);
	return 0;
}

static int pg_init(const char *target)
{
	free(pg_target);
	pg_target = target ? strdup(target) : NULL;
	if (!pg_target || build_options(pg_target))
		return -1;
	struct pg_conn *c = pg_connect();
	if (!c)
		return -1;
	int rc = check_database(c);
	pg_disconnect(c);
	return rc;
}

/* Statements -------------------------------------------------------------- */

static void *pg_prepare(void *conn, const char *sql)
{
	struct pg_conn *c = conn;
	struct pg_stmt *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->c = c;
	s->row = -1;
	s->sql = strdup(sql);
	s->pgsql = pg_rewrite_params(sql, &s->nparams);
	s->readonly = pg_sql_readonly(sql);
	if (s->nparams) {
		s->par = calloc((size_t)s->nparams, sizeof *s->par);
		s->values = calloc((size_t)s->nparams, sizeof *s->values);
		s->types = calloc((size_t)s->nparams, sizeof *s->types);
	}
	if (!s->sql || !s->pgsql || (s->nparams && (!s->par || !s->values || !s->types))) {
		log_error("cannot prepare (bad ?N or out of memory): %s", sql);
		snprintf(c->err, sizeof c->err, "bad parameter number or out of memory");
		free(s->sql), free(s->pgsql), free(s->par), free(s->values), free(s->types), free(s);
		return NULL;
	}
	return s;
}

static void clear_params(struct pg_stmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		free(s->par[i].text);
		s->par[i].text = NULL;
		s->par[i].kind = BIND_NULL;
	}
}

static void pg_reset(void *stmt)
{
	struct pg_stmt *s = stmt;
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
	s->failed = 0;
	clear_params(s);
}

static void pg_finalize(void *stmt)
{
	struct pg_stmt *s = stmt;
	if (!s)
		return;
	pg_reset(s);	/* the server's copy ends with the session */
	free(s->sql), free(s->pgsql), free(s->par), free(s->values), free(s->types), free(s);
}

static struct pg_param *param(struct pg_stmt *s, int i)
{
	if (i < 1 || i > s->nparams) {
		log_error("bind of parameter %d, statement has %d: %s", i, s->nparams, s->sql);
		return NULL;
	}
	struct pg_param *p = &s->par[i - 1];
	free(p->text);
	p->text = NULL;
	return p;
}

static void pg_bind_null(void *stmt, int i)
{
	struct pg_param *p = param(stmt, i);
	if (p)
		p->kind = BIND_NULL;
}

static void pg_bind_i64(void *stmt, int i, int64_t v)
{
	struct pg_param *p = param(stmt, i);
	if (p) {
		p->kind = BIND_INT;
		snprintf(p->num, sizeof p->num, "%" PRId64, v);
	}
}

static void pg_bind_double(void *stmt, int i, double v)
{
	struct pg_param *p = param(stmt, i);
	if (p) {
		p->kind = BIND_REAL;
		snprintf(p->num, sizeof p->num, "%.17g", v);
	}
}

static void pg_bind_text(void *stmt, int i, const char *str, size_t n)
{
	struct pg_param *p = param(stmt, i);
	if (!p)
		return;
	p->kind = BIND_NULL;
	if (str && (p->text = malloc(n + 1))) {
		memcpy(p->text, str, n);
		p->text[n] = 0;
		p->kind = BIND_TEXT;
	}
}

/* The type a bound value is prepared with, the rule that lets one SQL text
 * run on both engines:
 * - integers are int8 and reals float8, so `? + 1` or `LIMIT ?` never fall
 *   back to int4 or text;
 * - text and NULL are "unknown" (0), so PostgreSQL infers them from the
 *   context as it does a quoted literal (a text value fits an integer or a
 *   text column alike);
 * - where the context says nothing or disagrees (`? IS NULL`, `SELECT ?`,
 *   `?1 IS NULL OR parent_id = ?1`) PostgreSQL answers 42P18/42P08 naming
 *   the parameter, which is prepared again as text (25);
 * - where a type then matches no operator or function (42883, 42804,
 *   42725), the parameter the error points at (or, when it points at none,
 *   every candidate) moves on: a typed number to "unknown" (substr(text,
 *   int8) becomes substr(text, int4)), a text or NULL one from text to int8
 *   to float8 (`parent_id = ?1` above).
 * Each step is remembered by the statement (stage, loose), so it is paid
 * once per statement, not per execution; a NULL fits whatever was chosen. */
static Oid want_type(const struct pg_param *p)
{
	static const Oid stage_type[] = {0, OID_TEXT, OID_INT8, OID_FLOAT8};
	if ((p->kind == BIND_INT || p->kind == BIND_REAL) && !p->loose)
		return p->kind == BIND_INT ? OID_INT8 : OID_FLOAT8;
	return stage_type[p->stage];
}

/* 1 when the prepared statement takes the values bound now: a NULL fits any
 * type, a value sent as text fits "unknown" and text alike. */
static int types_fit(const struct pg_stmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		const struct pg_param *p = &s->par[i];
		Oid want = want_type(p), have = p->prepared;
		if (p->kind != BIND_NULL && want != have && !((want == 0 || want == OID_TEXT) &&
							       (have == 0 || have == OID_TEXT)))
			return 0;
	}
	return 1;
}

/* The parameter next to the error's position (an operator's operand), or
 * 0. PostgreSQL counts the position in characters from 1. */
static int param_at(const struct pg_stmt *s, const PGresult *res)
{
	const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
	long chars = pos ? strtol(pos, NULL, 10) : 0;
	const char *p = s->pgsql;
	for (long n = 1; *p && n < chars; p++)
		n += ((unsigned char)p[1] & 0xC0) != 0x80;
	if (chars < 1 || !*p)
		return 0;
	const char *f = p;	/* after the operator: "= $3" */
	while (*f && !isalnum((unsigned char)*f) && *f != '$' && *f != '(' && *f != '\'')
		f++;
	if (*f == '$')
		return atoi(f + 1);
	const char *b = p;	/* before it: "$3 =" */
	while (b > s->pgsql && b[-1] == ' ')
		b--;
	while (b > s->pgsql && isdigit((unsigned char)b[-1]))
		b--;
	return b > s->pgsql && b[-1] == '$' && isdigit((unsigned char)*b) ? atoi(b) : 0;
}

/* One parameter's next type after a mismatch; 0 when it has none left. An
 * untyped one moves too: a NULL in `INSERT … SELECT ?4` is resolved to text
 * by the DISTINCT select list and then refused by a bigint column (42804), which
 * int8 two steps on satisfies. */
static int next_type(struct pg_param *p)
{
	if ((p->kind == BIND_INT || p->kind == BIND_REAL) && !p->loose)
		return p->loose = 1;
	if (p->stage >= 3)
		return 0;
	p->stage++;
	return 1;
}

/* After 42P18/42P08 (the parameter named in the message, "… parameter $3";
 * when it cannot be read, a translated server, every untyped one) or after
 * 42883/42804/42725 (the parameter at the error's position, else every
 * candidate): 1 when some type changed, so preparing again may succeed. */
static int retype(struct pg_stmt *s, const PGresult *res, const char *state)
{
	int changed = 0;
	if (!strcmp(state, "42P18") || !strcmp(state, "42P08")) {
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		const char *d = msg ? strchr(msg, '$') : NULL;
		int n = d ? atoi(d + 1) : 0;
		for (int i = 0; i < s->nparams; i++)
			if ((n ? i == n - 1 : s->types[i] == 0) && s->par[i].stage == 0)
				s->par[i].stage = changed = 1;
		return changed;
	}
	if (strcmp(state, "42883") && strcmp(state, "42804") && strcmp(state, "42725"))
		return 0;
	int n = param_at(s, res);
	if (n >= 1 && n <= s->nparams)
		return next_type(&s->par[n - 1]);
	for (int i = 0; i < s->nparams; i++)	/* numbers first: substr(?, ?) */
		if ((s->par[i].kind == BIND_INT || s->par[i].kind == BIND_REAL) && !s->par[i].loose)
			s->par[i].loose = changed = 1;
	for (int i = 0; !changed && i < s->nparams; i++)
		changed |= next_type(&s->par[i]);
	return changed;
}

static void deallocate(struct pg_stmt *s)
{
	char sql[40];
	snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
	PQclear(PQexec(s->c->pg, sql));
	s->name[0] = 0;
}

/* One PQprepare for the current types; inside a transaction under a
 * savepoint, since a failed prepare (42P18) would abort the transaction. */
static PGresult *prepare_once(struct pg_stmt *s)
{
	struct pg_conn *c = s->c;
	int tx = in_transaction(c);
	for (int i = 0; i < s->nparams; i++)
		s->types[i] = want_type(&s->par[i]);
	if (tx)
		PQclear(PQexec(c->pg, "SAVEPOINT wm_prepare"));
	PGresult *res = PQprepare(c->pg, s->name, s->pgsql, s->nparams, s->types);
	if (tx && PQresultStatus(res) != PGRES_COMMAND_OK)
		PQclear(PQexec(c->pg, "ROLLBACK TO SAVEPOINT wm_prepare"));
	if (tx)
		PQclear(PQexec(c->pg, "RELEASE SAVEPOINT wm_prepare"));
	return res;
}

/* Prepares the statement on the server for the bound values' types, unless
 * it already is in this session with types that fit. 0 or a DB_* class. */
static int stmt_prepare(struct pg_stmt *s)
{
	struct pg_conn *c = s->c;
	if (s->name[0] && s->generation == c->generation) {
		if (types_fit(s))
			return 0;
		deallocate(s);
	}
	snprintf(s->name, sizeof s->name, "wm%u", ++c->serial);
	for (int attempt = 0;; attempt++) {
		PGresult *res = prepare_once(s);
		if (PQresultStatus(res) == PGRES_COMMAND_OK) {
			PQclear(res);
			for (int i = 0; i < s->nparams; i++)
				s->par[i].prepared = s->types[i];
			s->generation = c->generation;
			return 0;
		}
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		int again = state && attempt < 4 * s->nparams + 2 && retype(s, res, state);
		int rc = again ? 0 : result_error(c, res);
		PQclear(res);
		if (!again) {
			s->name[0] = 0;
			return rc;
		}
	}
}

/* Executes once more after an error that did not run the statement: the
 * server forgot it (26000, e.g. DISCARD ALL by a pooler), or the session was
 * lost and the statement only reads (a write may have committed). */
static int retry_after(struct pg_stmt *s, int tx)
{
	struct pg_conn *c = s->c;
	if (tx)
		return 0;
	if (!strcmp(c->state, "26000")) {
		s->name[0] = 0;
		return 1;
	}
	if (!lost(c) || !s->readonly)
		return 0;
	log_warn("PostgreSQL connection lost (%s); reconnecting", c->err);
	return reset(c) == 0;
}

/* Runs the statement with the bound values: 0 with s->res holding the
 * rows, or a DB_* class. */
static int stmt_exec(struct pg_stmt *s)
{
	struct pg_conn *c = s->c;
	for (int attempt = 0;; attempt++) {
		int tx = in_transaction(c), rc = stmt_prepare(s);
		if (!rc) {
			for (int i = 0; i < s->nparams; i++) {
				const struct pg_param *p = &s->par[i];
				s->values[i] = p->kind == BIND_NULL ? NULL : p->kind == BIND_TEXT ? p->text : p->num;
			}
			PGresult *res = PQexecPrepared(c->pg, s->name, s->nparams, s->values, NULL, NULL, 0);
			ExecStatusType st = PQresultStatus(res);
			if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
				note_changes(c, res);
				s->res = res;
				s->nrows = PQntuples(res);
				return 0;
			}
			rc = result_error(c, res);
			PQclear(res);
		}
		if (attempt || !retry_after(s, tx))
			return rc;
	}
}

static int pg_step(void *stmt)
{
	struct pg_stmt *s = stmt;
	if (s->failed)
		return s->failed;
	if (!s->res) {
		int rc = stmt_exec(s);
		if (rc)
			return s->failed = rc;
	}
	if (s->row < s->nrows)
		s->row++;
	return s->row < s->nrows ? DB_ROW : DB_DONE;
}

/* Columns ------------------------------------------------------------------- */

/* The cell's text in the current row, NULL for SQL NULL or no such cell. */
static const char *cell(const struct pg_stmt *s, int i)
{
	if (!s->res || s->row < 0 || s->row >= s->nrows || i < 0 || i >= PQnfields(s->res) ||
	    PQgetisnull(s->res, s->row, i))
		return NULL;
	return PQgetvalue(s->res, s->row, i);
}

static int is_bool(const struct pg_stmt *s, int i)
{
	return PQftype(s->res, i) == OID_BOOL;
}

static int pg_column_count(void *stmt)
{
	struct pg_stmt *s = stmt;
	return s->res ? PQnfields(s->res) : 0;
}

static const char *pg_column_name(void *stmt, int i)
{
	struct pg_stmt *s = stmt;
	return s->res && i >= 0 && i < PQnfields(s->res) ? PQfname(s->res, i) : NULL;
}

/* NUMERIC (sum() of bigints, round()) reads as an integer when it is one
 * and fits, as SQLite's sum() of integers is an integer. */
static int integral(const char *v)
{
	const char *p = v + (*v == '-' || *v == '+');
	if (!*p)
		return 0;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	errno = 0;
	(void)strtoll(v, NULL, 10);
	return errno != ERANGE;
}

static int pg_column_type(void *stmt, int i)
{
	struct pg_stmt *s = stmt;
	const char *v = cell(s, i);
	if (!v)
		return DB_NULL;
	switch (PQftype(s->res, i)) {
	case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID: case OID_BOOL:
		return DB_INT;
	case OID_FLOAT4: case OID_FLOAT8:
		return DB_REAL;
	case OID_NUMERIC:
		return integral(v) ? DB_INT : DB_REAL;
	default:
		return DB_TEXT;
	}
}

/* As SQLite converts: a real is truncated (clamped to the int64 range), text
 * reads its leading number, anything else 0. */
static int64_t pg_column_i64(void *stmt, int i)
{
	struct pg_stmt *s = stmt;
	const char *v = cell(s, i);
	if (!v)
		return 0;
	if (is_bool(s, i))
		return *v == 't';
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (*end != '.' && *end != 'e' && *end != 'E' && errno != ERANGE)
		return n;
	double d = strtod(v, NULL);
	if (d != d)
		return 0;
	return d >= 9223372036854775807.0 ? INT64_MAX : d <= -9223372036854775808.0 ? INT64_MIN : (int64_t)d;
}

static double pg_column_double(void *stmt, int i)
{
	struct pg_stmt *s = stmt;
	const char *v = cell(s, i);
	if (!v)
		return 0;
	return is_bool(s, i) ? (*v == 't') : strtod(v, NULL);
}

static const char *pg_column_text(void *stmt, int i)
{
	struct pg_stmt *s = stmt;
	const char *v = cell(s, i);
	if (v && is_bool(s, i))
		return *v == 't' ? "1" : "0";
	return v;
}

static size_t pg_column_bytes(void *stmt, int i)
{
	struct pg_stmt *s = stmt;
	const char *v = cell(s, i);
	return !v ? 0 : is_bool(s, i) ? 1 : (size_t)PQgetlength(s->res, s->row, i);
}

static int pg_readonly(void *stmt)
{
	return ((struct pg_stmt *)stmt)->readonly;
}

static const char *pg_sql(void *stmt)
{
	return ((struct pg_stmt *)stmt)->sql;
}

/* Connection-level calls ------------------------------------------------------ */

static int64_t pg_changes(void *conn)
{
	return ((struct pg_conn *)conn)->changes;
}

static int pg_exec(void *conn, const char *script)
{
	return command(conn, script);
}

static const char *pg_errmsg(void *conn)
{
	struct pg_conn *c = conn;
	return c->err[0] ? c->err : PQerrorMessage(c->pg);
}

/* BEGIN and the writers' lock in one round trip. A session found lost
 * before anything ran is reset and tried once more. READ COMMITTED is
 * spelt out: under REPEATABLE READ or SERIALIZABLE (a DBA's default) the
 * snapshot would be taken at the lock statement, before the wait, and the
 * check-then-act rules would read what the previous writer changed. */
static int pg_begin(void *conn)
{
	struct pg_conn *c = conn;
	char sql[120];
	snprintf(sql, sizeof sql, "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(%" PRId64 ")",
		 PG_WRITE_LOCK);
	int rc = command(c, sql);
	if (rc && lost(c) && !in_transaction(c)) {
		log_warn("PostgreSQL connection lost (%s); reconnecting", c->err);
		if (reset(c) == 0)
			rc = command(c, sql);
	}
	if (rc && in_transaction(c))
		PQclear(PQexec(c->pg, "ROLLBACK"));
	return rc;
}

/* COMMIT of a transaction that had failed answers "ROLLBACK", not an error:
 * that must not pass for success. */
static int pg_commit(void *conn)
{
	struct pg_conn *c = conn;
	PGresult *res = PQexec(c->pg, "COMMIT");
	int rc = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = result_error(c, res);
	else if (!strcmp(PQcmdStatus(res), "ROLLBACK")) {
		snprintf(c->err, sizeof c->err, "COMMIT of a failed transaction: rolled back");
		rc = DB_EIO;
	}
	PQclear(res);
	if (rc && in_transaction(c))
		PQclear(PQexec(c->pg, "ROLLBACK"));
	return rc;
}

static void pg_rollback(void *conn)
{
	struct pg_conn *c = conn;
	if (in_transaction(c))
		PQclear(PQexec(c->pg, "ROLLBACK"));
}

/* Migrations -------------------------------------------------------------- */

/* 1 when version is recorded, 0 when not, -1 on error. */
static int migration_applied(struct pg_conn *c, int version)
{
	char v[16];
	const char *vals[] = {v};
	snprintf(v, sizeof v, "%d", version);
	PGresult *res = PQexecParams(c->pg, "SELECT 1 FROM schema_migrations WHERE version = $1::integer",
				     1, NULL, vals, NULL, NULL, 0);
	int rc = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) > 0 : (result_error(c, res), -1);
	PQclear(res);
	return rc;
}

/* One migration file in its own transaction (the files hold no BEGIN or
 * COMMIT of their own, and nothing that cannot run in a transaction). */
static int migrate_one(struct pg_conn *c, const struct asset *a, int version)
{
	char *sql = malloc(a->len + 1), v[16];
	if (!sql)
		return -1;
	memcpy(sql, a->data, a->len);
	sql[a->len] = 0;
	int rc = command(c, "BEGIN");
	if (!rc)
		rc = command(c, sql);
	free(sql);
	if (!rc) {
		const char *vals[] = {v, a->name};
		snprintf(v, sizeof v, "%d", version);
		PGresult *res = PQexecParams(c->pg, "INSERT INTO schema_migrations (version, name, applied_at) "
					     "VALUES ($1::integer, $2, to_char(now() AT TIME ZONE 'UTC', "
					     "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))", 2, NULL, vals, NULL, NULL, 0);
		rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : result_error(c, res);
		PQclear(res);
	}
	if (!rc)
		rc = pg_commit(c);
	if (rc) {
		log_error("migration %s failed: %s", a->name, c->err);
		pg_rollback(c);
		return -1;
	}
	log_info("applied migration %s", a->name);
	return 0;
}

static void warn_newer(struct pg_conn *c, int version)
{
	PGresult *res = PQexec(c->pg, "SELECT max(version) FROM schema_migrations");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
	    atoi(PQgetvalue(res, 0, 0)) > version)
		log_warn("the database has schema version %s, newer than this wenming's %d", PQgetvalue(res, 0, 0),
			 version);
	PQclear(res);
}

/* Under a session advisory lock, so servers starting together wait for the
 * first one's migrations instead of racing it; no statement timeout while
 * migrating (an index on a large table) or waiting for the lock. */
static int pg_migrate(void *conn, int *version, int *applied)
{
	struct pg_conn *c = conn;
	char lock[80], unlock[80];
	snprintf(lock, sizeof lock, "SELECT pg_advisory_lock(%" PRId64 ")", PG_MIGRATE_LOCK);
	snprintf(unlock, sizeof unlock, "SELECT pg_advisory_unlock(%" PRId64 ")", PG_MIGRATE_LOCK);
	*version = *applied = 0;
	if (command(c, "SET statement_timeout = 0") || command(c, lock)) {
		log_error("cannot lock the schema for migrations: %s", c->err);
		return -1;
	}
	int rc = command(c, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
			    " name TEXT NOT NULL, applied_at TEXT NOT NULL)");
	if (rc)
		log_error("cannot create schema_migrations: %s", c->err);
	for (const struct asset *a = schema_pg_files; !rc && a->name; a++) {
		int v = atoi(a->name), have = v > 0 ? migration_applied(c, v) : 0;
		if (v <= 0)
			continue;
		if (have < 0)
			log_error("cannot read schema_migrations: %s", c->err);
		rc = have < 0 ? -1 : have ? 0 : migrate_one(c, a, v);
		if (!rc) {
			*applied += !have;
			*version = v;
		}
	}
	if (!rc)
		warn_newer(c, *version);
	command(c, unlock);
	command(c, "RESET statement_timeout");
	return rc ? -1 : 0;
}

static void pg_shutdown(void *conn)
{
	(void)conn;	/* nothing process-wide to flush: the server owns durability */
}

const struct db_driver db_driver_pg = {
	.name = "postgresql",
	.backend = DB_PG,
	.init = pg_init,
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.broken = pg_broken,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_null = pg_bind_null,
	.bind_i64 = pg_bind_i64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.step = pg_step,
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.column_type = pg_column_type,
	.column_i64 = pg_column_i64,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.column_bytes = pg_column_bytes,
	.readonly = pg_readonly,
	.sql = pg_sql,
	.changes = pg_changes,
	.exec = pg_exec,
	.errmsg = pg_errmsg,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.migrate = pg_migrate,
	.shutdown = pg_shutdown,
};
