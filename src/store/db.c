/*
 * db.c — the store's database layer, the same for every engine: the chosen
 * driver (driver.h), one connection per thread with its statement cache,
 * nested write transactions that a failed write dooms, fault injection for
 * the tests, and timing of every step for /metrics.
 */
#include "db.h"
#include "store.h"
#include "core/log.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CACHE_SLOTS 1024

struct db_stmt {
	void *h;		/* the driver's statement */
	const char *sql;
	int readonly;
	int running;	/* stepped since the last db_done: later steps only read rows */
};

struct conn {
	void *h;		/* the driver's connection */
	struct db_stmt cache[CACHE_SLOTS];
	int tx_depth;
	int tx_failed;	/* a write failed in the open transaction: it may only roll back */
	uint64_t db_usec;
};

static const struct db_driver *drv = &db_driver_sqlite;
static char target[4200];
static _Thread_local struct conn *tconn;
/* libmicrohttpd's worker threads end inside MHD_stop_daemon with no hook of
 * ours; a key destructor closes their connections as they exit. */
static pthread_key_t conn_key;
static pthread_once_t conn_key_once = PTHREAD_ONCE_INIT;
static int schema_version, migrations_applied;

/* Engine selection ------------------------------------------------------- */

int store_select(const char *database, const char *dir)
{
	struct store_target t;
	char err[256];
	if (store_target_parse(database, dir, &t, err, sizeof err)) {
		log_error("%s", err);
		return STORE_EIO;
	}
	drv = t.backend == STORE_PG ? &db_driver_pg : &db_driver_sqlite;
	snprintf(target, sizeof target, t.backend == STORE_PG ? "%s" : "%s/wenming.db", t.where);
	return STORE_OK;
}

int store_is_pg(void)
{
	return drv->backend == DB_PG;
}

int db_backend(void)
{
	return drv->backend;
}

/* Connections ------------------------------------------------------------- */

static void conn_drop_cache(struct conn *c)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (c->cache[i].h)
			drv->finalize(c->cache[i].h);
		c->cache[i].h = NULL;
		c->cache[i].sql = NULL;
	}
}

static void conn_free(void *p)
{
	struct conn *c = p;
	if (!c)
		return;
	if (c->tx_depth > 0)
		drv->rollback(c->h);
	conn_drop_cache(c);
	drv->disconnect(c->h);
	free(c);
}

static void make_key(void)
{
	pthread_key_create(&conn_key, conn_free);
}

/* The thread's connection, opened on demand. Outside a transaction a broken
 * one (PostgreSQL restarted) is replaced, with its statement cache. */
static struct conn *conn_get(void)
{
	if (tconn && tconn->tx_depth == 0 && drv->broken(tconn->h)) {
		log_error("database connection lost: reconnecting");
		conn_drop_cache(tconn);
		drv->disconnect(tconn->h);
		tconn->h = drv->connect();
		if (!tconn->h) {
			struct conn *c = tconn;
			tconn = NULL;
			pthread_setspecific(conn_key, NULL);
			free(c);
			return NULL;
		}
	}
	if (tconn)
		return tconn;
	struct conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->h = drv->connect();
	if (!c->h) {
		free(c);
		return NULL;
	}
	tconn = c;
	pthread_once(&conn_key_once, make_key);
	pthread_setspecific(conn_key, c);
	return c;
}

void *db_handle(void)
{
	struct conn *c = conn_get();
	return c ? c->h : NULL;
}

void store_thread_close(void)
{
	struct conn *c = tconn;
	if (!c)
		return;
	tconn = NULL;
	pthread_setspecific(conn_key, NULL);
	conn_free(c);
}

/* Set when this thread found the database away (no connection, or one lost
 * under a statement): the dispatcher then answers 503 instead of what a
 * missing row would mean (401, 404). Cleared by store_db_away_take(). */
static _Thread_local int db_away;

static void note_away(struct conn *c)
{
	if (!c || drv->broken(c->h))
		db_away = 1;
}

int store_db_away_take(void)
{
	int a = db_away;
	db_away = 0;
	return a;
}

db_stmt *db_prep(const char *sql)
{
	struct conn *c = conn_get();
	if (!c) {
		note_away(NULL);
		return NULL;
	}
	size_t h = ((uintptr_t)sql >> 4) % CACHE_SLOTS;
	for (int probe = 0; probe < CACHE_SLOTS; probe++) {
		struct db_stmt *s = &c->cache[(h + probe) % CACHE_SLOTS];
		if (s->sql == sql)
			return s;
		if (!s->sql) {
			s->h = drv->prepare(c->h, sql);
			if (!s->h) {
				note_away(c);
				return NULL;	/* logged by the driver */
			}
			s->sql = sql;
			s->readonly = drv->readonly(s->h);
			return s;
		}
	}
	/* Cache full (more than CACHE_SLOTS distinct statements): should not happen. */
	log_error("statement cache full");
	return NULL;
}

void db_done(db_stmt *st)
{
	if (st) {
		drv->reset(st->h);
		st->running = 0;
	}
}

static uint64_t now_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Fault injection (store.h) ---------------------------------------------- */

static _Atomic int fault_countdown;	/* 0 = off */
static _Atomic uint64_t fault_fired;
static _Thread_local int fault_in_scope, fault_here;

void store_fault_arm(int n)
{
	atomic_store(&fault_countdown, n > 0 ? n : 0);
}

uint64_t store_fault_fired_total(void)
{
	return atomic_load(&fault_fired);
}

void store_fault_scope(int on)
{
	fault_in_scope = on;
}

int store_fault_take(void)
{
	int f = fault_here;
	fault_here = 0;
	return f;
}

/* Counts one write of this thread; 1 when it is the armed one. Threads out
 * of scope (the webhook worker, the scheduler) neither count nor fail, so a
 * background delivery cannot take a test's fault. */
static int fault_hit(const char *what)
{
	if (!fault_in_scope)
		return 0;
	int n = atomic_load(&fault_countdown);
	while (n > 0 && !atomic_compare_exchange_weak(&fault_countdown, &n, n - 1))
		;
	if (n != 1)
		return 0;
	atomic_fetch_add(&fault_fired, 1);
	fault_here = 1;
	log_error("injected fault: disk I/O error in: %.200s", what);
	return 1;
}

/* Thread in a read-only scope (store_read_only). */
static _Thread_local int read_only;

void store_read_only(int on)
{
	read_only = on;
}

/* A write this thread may not make: in a read-only scope, or in a doomed
 * transaction (on SQLite an I/O error may have rolled the transaction back
 * already, so the write would autocommit on its own; PostgreSQL refuses it
 * anyway). Logged; the step fails as an I/O error. */
static int write_refused(const db_stmt *st)
{
	if (read_only) {
		log_error("write refused in a read-only handler (R_AUDIT): %.200s", st->sql);
		return 1;
	}
	if (tconn && tconn->tx_depth > 0 && tconn->tx_failed) {
		log_error("write refused: the transaction is doomed (a write failed or an inner level rolled "
			  "back): %.200s", st->sql);
		return 1;
	}
	return 0;
}

int db_step(db_stmt *st)
{
	uint64_t t0 = now_usec();
	/* An injected fault fails the step before it runs, as an I/O error on the
	 * first page written would: nothing of the statement is applied. */
	int writes = !st->readonly && !st->running;
	st->running = 1;
	if (writes && write_refused(st))
		return DB_EIO;
	int injected = writes && fault_hit(st->sql);
	int rc = injected ? DB_EIO : drv->step(st->h);
	if (tconn)
		tconn->db_usec += now_usec() - t0;
	if (rc >= 0)
		return rc;
	if (!injected) {	/* fault_hit logged it */
		log_error("%s step: %s (%d) in: %.200s", drv->name, tconn ? drv->errmsg(tconn->h) : "?", rc, st->sql);
		note_away(tconn);
	}
	/* A write that failed for any reason but a constraint (which the caller
	 * answers, e.g. 409) dooms the transaction: after an I/O error the
	 * engine may have rolled it back already, and a handler that went on
	 * (an ignored audit() result, a notification "on the side") would commit
	 * half a change or answer 2xx. store_commit refuses a doomed
	 * transaction. On PostgreSQL any error aborts the transaction, so there
	 * every failed statement dooms it. */
	if (tconn && tconn->tx_depth > 0 &&
	    ((writes && rc != DB_ECONSTRAINT && rc != DB_EFOREIGN) || drv->backend == DB_PG))
		tconn->tx_failed = 1;
	return rc;
}

uint64_t store_take_db_usec(void)
{
	if (!tconn)
		return 0;
	uint64_t v = tconn->db_usec;
	tconn->db_usec = 0;
	return v;
}

int db_rc(int rc)
{
	if (rc >= 0)
		return STORE_OK;
	if (rc == DB_EFOREIGN)
		return STORE_EREFERENCED;
	if (rc == DB_ECONSTRAINT)
		return STORE_ECONFLICT;
	return STORE_EIO;
}

int db_exec_script(const char *sql)
{
	struct conn *c = conn_get();
	return c && drv->exec(c->h, sql) == 0 ? STORE_OK : STORE_EIO;
}

int64_t db_changes(void)
{
	return tconn ? drv->changes(tconn->h) : 0;
}

/* Binding and reading ----------------------------------------------------- */

void db_bind_text(db_stmt *st, int i, const char *s)
{
	if (s)
		drv->bind_text(st->h, i, s, strlen(s));
	else
		drv->bind_null(st->h, i);
}

void db_bind_textn(db_stmt *st, int i, const char *s, size_t n)
{
	if (s)
		drv->bind_text(st->h, i, s, n);
	else
		drv->bind_null(st->h, i);
}

void db_bind_i64(db_stmt *st, int i, int64_t v)
{
	drv->bind_i64(st->h, i, v);
}

void db_bind_double(db_stmt *st, int i, double v)
{
	drv->bind_double(st->h, i, v);
}

void db_bind_null(db_stmt *st, int i)
{
	drv->bind_null(st->h, i);
}

void db_bind_json(db_stmt *st, int i, const json_t *v)
{
	if (!v || json_is_null(v))
		drv->bind_null(st->h, i);
	else if (json_is_string(v))
		drv->bind_text(st->h, i, json_string_value(v), json_string_length(v));
	else if (json_is_integer(v))
		drv->bind_i64(st->h, i, json_integer_value(v));
	else if (json_is_real(v))
		drv->bind_double(st->h, i, json_real_value(v));
	else if (json_is_boolean(v))
		drv->bind_i64(st->h, i, json_is_true(v));
	else {
		char *s = json_dumps(v, JSON_COMPACT);
		db_bind_text(st, i, s ? s : "null");
		free(s);
	}
}

int db_col_count(db_stmt *st)
{
	return drv->column_count(st->h);
}

int db_col_type(db_stmt *st, int i)
{
	return drv->column_type(st->h, i);
}

int64_t db_col_i64(db_stmt *st, int i)
{
	return drv->column_i64(st->h, i);
}

double db_col_double(db_stmt *st, int i)
{
	return drv->column_double(st->h, i);
}

const char *db_col_text(db_stmt *st, int i)
{
	return drv->column_text(st->h, i);
}

static json_t *col_value(db_stmt *st, int i, const char *colon)
{
	switch (drv->column_type(st->h, i)) {
	case DB_INT:
		return colon && !strcmp(colon, ":bool") ? json_boolean(drv->column_i64(st->h, i))
							: json_integer(drv->column_i64(st->h, i));
	case DB_REAL:
		return json_real(drv->column_double(st->h, i));
	case DB_TEXT: {
		const char *t = drv->column_text(st->h, i);
		if (colon && !strcmp(colon, ":json")) {
			json_t *v = json_loads(t, JSON_DECODE_ANY, NULL);
			return v ? v : json_null();
		}
		if (colon && !strcmp(colon, ":bool"))	/* PostgreSQL's boolean text */
			return json_boolean(t && (t[0] == 't' || t[0] == '1'));
		return json_stringn(t, drv->column_bytes(st->h, i));
	}
	default:
		return json_null();
	}
}

json_t *db_row(db_stmt *st)
{
	json_t *o = json_object();
	int n = drv->column_count(st->h);
	for (int i = 0; i < n; i++) {
		const char *name = drv->column_name(st->h, i);
		const char *colon = strchr(name, ':');
		char key[64];
		size_t kl = colon ? (size_t)(colon - name) : strlen(name);
		if (kl >= sizeof key)
			kl = sizeof key - 1;
		memcpy(key, name, kl);
		key[kl] = 0;
		json_t *v = col_value(st, i, colon);
		json_object_set_new(o, key, v ? v : json_null());
	}
	return o;
}

json_t *db_one(db_stmt *st)
{
	json_t *o = db_step(st) == DB_ROW ? db_row(st) : NULL;
	db_done(st);
	return o;
}

json_t *db_rows(db_stmt *st)
{
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(a, db_row(st));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(a);
		return NULL;
	}
	return a;
}

int db_exec_stmt(db_stmt *st)
{
	int rc = db_step(st);
	db_done(st);
	return db_rc(rc);
}

int64_t db_insert_id(db_stmt *st)
{
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? drv->column_i64(st->h, 0) : 0;
	/* Step to the end so the engine finishes the statement. */
	while (rc == DB_ROW)
		rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return db_rc(rc);
	return id;	/* 0: ON CONFLICT DO NOTHING inserted nothing */
}

void db_now(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Transactions ------------------------------------------------------------ */

int store_begin(void)
{
	struct conn *c = conn_get();
	if (!c) {
		note_away(NULL);
		return STORE_EIO;
	}
	if (read_only) {
		log_error("BEGIN refused in a read-only handler (R_AUDIT)");
		return STORE_EIO;
	}
	if (c->tx_depth++ > 0)
		return STORE_OK;
	c->tx_failed = 0;
	if (fault_hit("BEGIN")) {
		c->tx_depth = 0;
		return STORE_EIO;
	}
	if (drv->begin(c->h) != 0) {
		c->tx_depth = 0;
		note_away(c);
		return STORE_EIO;
	}
	return STORE_OK;
}

/* Nested levels only count: the outermost commit commits, or — when a write
 * failed or an inner level rolled back — rolls back and fails (STORE_EIO),
 * so every caller above sees one answer for the whole transaction. */
int store_commit(void)
{
	struct conn *c = tconn;
	if (!c || c->tx_depth == 0)
		return STORE_EIO;
	if (--c->tx_depth > 0)
		return STORE_OK;
	int ok;
	if (c->tx_failed) {
		log_error("COMMIT refused: a write failed in this transaction; rolled back");
		ok = 0;
	} else
		ok = !fault_hit("COMMIT") && drv->commit(c->h) == 0;
	if (!ok)
		drv->rollback(c->h);
	c->tx_failed = 0;
	return ok ? STORE_OK : STORE_EIO;
}

/* An inner rollback dooms the transaction and leaves it open (the levels
 * above still end it): rolling back at once would release the writers' lock
 * mid-request and let the caller's later writes run outside any transaction
 * and commit one by one. Later writes in the doomed transaction are refused
 * (db_step), and only the outermost level rolls back (Fossil's deferred
 * rollback). */
void store_rollback(void)
{
	struct conn *c = tconn;
	if (!c || c->tx_depth == 0)
		return;
	if (--c->tx_depth > 0) {
		c->tx_failed = 1;
		return;
	}
	c->tx_failed = 0;
	drv->rollback(c->h);
}

/* Lifecycle --------------------------------------------------------------- */

int store_init(const char *dir)
{
	if (!target[0] && store_select(NULL, dir) != STORE_OK)
		return STORE_EIO;
	if (drv->init(target) != 0)
		return STORE_EIO;
	struct conn *c = conn_get();
	if (!c)
		return STORE_EIO;
	migrations_applied = 0;
	return drv->migrate(c->h, &schema_version, &migrations_applied) == 0 ? STORE_OK : STORE_EIO;
}

void store_shutdown(void)
{
	if (tconn)
		drv->shutdown(tconn->h);
	store_thread_close();
}

int store_schema_version(void)
{
	return schema_version;
}

int store_migrations_applied(void)
{
	return migrations_applied;
}

int store_ping(void)
{
	db_stmt *st = db_prep("SELECT 1");
	if (!st)
		return STORE_EIO;
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? STORE_OK : STORE_EIO;
}

/* Settings ---------------------------------------------------------------- */

char *store_setting_get(const char *key)
{
	db_stmt *st = db_prep("SELECT value FROM settings WHERE key = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, key);
	char *v = NULL;
	if (db_step(st) == DB_ROW && db_col_text(st, 0))
		v = strdup(db_col_text(st, 0));
	db_done(st);
	return v;
}

int store_setting_set(const char *key, const char *value)
{
	db_stmt *st = db_prep("INSERT INTO settings (key, value) VALUES (?, ?)"
			      " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	return db_exec_stmt(st);
}
