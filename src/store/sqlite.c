/*
 * sqlite.c — the SQLite backend: connections, migrations, transactions and
 * the statement cache.
 *
 * Write path: every write transaction takes one process-wide mutex and then
 * BEGIN IMMEDIATE. Relying on SQLite's busy handler alone gives p99 ~166 ms
 * under concurrent writers (it sleeps); one lock keeps p99 in single-digit
 * milliseconds (shared/NOTES.md). Readers never take the lock (WAL).
 *
 * Durability: WAL with synchronous=NORMAL, set on every connection. A commit
 * survives a crash of the process (kill -9); only an OS crash or power loss
 * can drop the last transactions. docs/ARCHITECTURE.md records the choice.
 */
#include "db.h"
#include "store.h"
#include "http/assets.h"
#include "core/crypto.h"
#include "core/log.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CACHE_SLOTS 1024

struct conn {
	sqlite3 *db;
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[CACHE_SLOTS];
	int tx_depth;
	int tx_failed;	/* a write failed in the open transaction: it may only roll back */
	uint64_t db_usec;
};

static char db_path[4096];
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct conn *tconn;
/* libmicrohttpd's worker threads end inside MHD_stop_daemon with no hook of
 * ours; a key destructor closes their connections as they exit. */
static pthread_key_t conn_key;
static pthread_once_t conn_key_once = PTHREAD_ONCE_INIT;
static int schema_version, migrations_applied;

/* wm_token_hash(t): the hex BLAKE2b of a bearer token, as sessions store it;
 * wm_seal(t): t encrypted with the data key. NULL in, NULL out. Used by the
 * calendar-token columns (schema 016, volunteers_sql.c). */
static void sql_token_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *t = (const char *)sqlite3_value_text(argv[0]);
	if (!t) {
		sqlite3_result_null(ctx);
		return;
	}
	if (sqlite3_user_data(ctx)) {
		char *sealed = secret_encrypt(t);
		if (!sealed) {
			sqlite3_result_error(ctx, "wm_seal: the data key is not loaded", -1);
			return;
		}
		sqlite3_result_text(ctx, sealed, -1, free);
		return;
	}
	char h[80];
	token_hash(t, h, sizeof h);
	sqlite3_result_text(ctx, h, -1, SQLITE_TRANSIENT);
}

/* Every connection is set up the same way; see the header comment. */
static sqlite3 *open_conn(void)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		log_error("cannot open database %s: %s", db_path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	static int seal = 1;
	sqlite3_create_function(db, "wm_token_hash", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_token_fn, NULL, NULL);
	sqlite3_create_function(db, "wm_seal", 1, SQLITE_UTF8, &seal, sql_token_fn, NULL, NULL);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
			 "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000; PRAGMA mmap_size=268435456;",
		     NULL, NULL, NULL);
	return db;
}

static void conn_free(void *p);
static void make_key(void)
{
	pthread_key_create(&conn_key, conn_free);
}

sqlite3 *db_conn(void)
{
	if (tconn)
		return tconn->db;
	struct conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->db = open_conn();
	if (!c->db) {
		free(c);
		return NULL;
	}
	tconn = c;
	pthread_once(&conn_key_once, make_key);
	pthread_setspecific(conn_key, c);
	return c->db;
}

static void conn_free(void *p)
{
	struct conn *c = p;
	if (!c)
		return;
	if (c->tx_depth > 0) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		pthread_mutex_unlock(&write_lock);
	}
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (c->cache[i].st)
			sqlite3_finalize(c->cache[i].st);
	sqlite3_close(c->db);
	free(c);
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

sqlite3_stmt *db_prep(const char *sql)
{
	sqlite3 *db = db_conn();
	if (!db)
		return NULL;
	size_t h = ((uintptr_t)sql >> 4) % CACHE_SLOTS;
	for (int probe = 0; probe < CACHE_SLOTS; probe++) {
		size_t i = (h + probe) % CACHE_SLOTS;
		if (tconn->cache[i].sql == sql)
			return tconn->cache[i].st;
		if (!tconn->cache[i].sql) {
			sqlite3_stmt *st = NULL;
			if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
				log_error("prepare failed: %s in: %.200s", sqlite3_errmsg(db), sql);
				return NULL;
			}
			tconn->cache[i].sql = sql;
			tconn->cache[i].st = st;
			return st;
		}
	}
	/* Cache full (more than CACHE_SLOTS distinct statements): should not happen. */
	log_error("statement cache full");
	return NULL;
}

void db_done(sqlite3_stmt *st)
{
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
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
	log_error("injected fault: disk I/O error (%d) in: %.200s", SQLITE_IOERR_WRITE, what);
	return 1;
}

int db_step(sqlite3_stmt *st)
{
	uint64_t t0 = now_usec();
	/* An injected fault fails the step before it runs, as an I/O error on the
	 * first page written would: nothing of the statement is applied. */
	int writes = !sqlite3_stmt_readonly(st);
	int injected = writes && fault_hit(sqlite3_sql(st));
	int rc = injected ? SQLITE_IOERR_WRITE : sqlite3_step(st);
	if (tconn)
		tconn->db_usec += now_usec() - t0;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	if (!injected)	/* fault_hit logged it */
		log_error("sqlite step: %s (%d) in: %.200s", sqlite3_errmsg(sqlite3_db_handle(st)), rc,
			  sqlite3_sql(st));
	/* A write that failed for any reason but a constraint (which the caller
	 * answers, e.g. 409, and SQLite undoes by itself) dooms the transaction:
	 * after an I/O error or a full disk SQLite may have rolled it back
	 * already, and a handler that went on (an ignored audit() result, a
	 * notification "on the side") would commit half a change or answer 2xx.
	 * store_commit refuses a doomed transaction. */
	if (writes && (rc & 0xff) != SQLITE_CONSTRAINT && tconn && tconn->tx_depth > 0)
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
	if (rc == SQLITE_DONE || rc == SQLITE_ROW || rc == SQLITE_OK)
		return STORE_OK;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return STORE_EREFERENCED;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_ECONFLICT;
	return STORE_EIO;
}

void db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void db_bind_i64(sqlite3_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, v);
}

void db_bind_json(sqlite3_stmt *st, int i, const json_t *v)
{
	if (!v || json_is_null(v))
		sqlite3_bind_null(st, i);
	else if (json_is_string(v))
		sqlite3_bind_text(st, i, json_string_value(v), (int)json_string_length(v), SQLITE_TRANSIENT);
	else if (json_is_integer(v))
		sqlite3_bind_int64(st, i, json_integer_value(v));
	else if (json_is_real(v))
		sqlite3_bind_double(st, i, json_real_value(v));
	else if (json_is_boolean(v))
		sqlite3_bind_int(st, i, json_is_true(v));
	else {
		char *s = json_dumps(v, JSON_COMPACT);
		sqlite3_bind_text(st, i, s ? s : "null", -1, SQLITE_TRANSIENT);
		free(s);
	}
}

json_t *db_row(sqlite3_stmt *st)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st, i);
		const char *colon = strchr(name, ':');
		char key[64];
		size_t kl = colon ? (size_t)(colon - name) : strlen(name);
		if (kl >= sizeof key)
			kl = sizeof key - 1;
		memcpy(key, name, kl);
		key[kl] = 0;
		json_t *v;
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			v = colon && !strcmp(colon, ":bool") ? json_boolean(sqlite3_column_int64(st, i))
							     : json_integer(sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(st, i));
			break;
		case SQLITE_TEXT:
			if (colon && !strcmp(colon, ":json")) {
				v = json_loads((const char *)sqlite3_column_text(st, i), JSON_DECODE_ANY, NULL);
				if (!v)
					v = json_null();
			} else
				v = json_stringn((const char *)sqlite3_column_text(st, i),
						 (size_t)sqlite3_column_bytes(st, i));
			break;
		default:
			v = json_null();
		}
		json_object_set_new(o, key, v ? v : json_null());
	}
	return o;
}

json_t *db_one(sqlite3_stmt *st)
{
	json_t *o = db_step(st) == SQLITE_ROW ? db_row(st) : NULL;
	db_done(st);
	return o;
}

json_t *db_rows(sqlite3_stmt *st)
{
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW)
		json_array_append_new(a, db_row(st));
	db_done(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return NULL;
	}
	return a;
}

int db_exec_stmt(sqlite3_stmt *st)
{
	int rc = db_step(st);
	db_done(st);
	return db_rc(rc);
}

void db_now(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *db_within_paths(const json_t *filter)
{
	json_t *w = json_object_get(filter, "within");
	if (!json_is_array(w))
		return NULL;
	json_t *paths = json_array();
	size_t i;
	json_t *id;
	json_array_foreach(w, i, id) {
		char *p = store_org_path(json_integer_value(id));
		if (p) {
			json_array_append_new(paths, json_string(p));
			free(p);
		}
	}
	char *s = json_dumps(paths, JSON_COMPACT);
	json_decref(paths);
	return s;
}

/* Transactions ------------------------------------------------------------ */

int store_begin(void)
{
	if (!db_conn())
		return STORE_EIO;
	if (tconn->tx_depth++ > 0)
		return STORE_OK;
	tconn->tx_failed = 0;
	pthread_mutex_lock(&write_lock);
	int injected = fault_hit("BEGIN IMMEDIATE");
	if (injected || sqlite3_exec(tconn->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		if (!injected)
			log_error("BEGIN failed: %s", sqlite3_errmsg(tconn->db));
		tconn->tx_depth = 0;
		pthread_mutex_unlock(&write_lock);
		return STORE_EIO;
	}
	return STORE_OK;
}

/* Nested levels only count: the outermost commit commits, or — when a write
 * failed or an inner level rolled back — rolls back and fails (STORE_EIO),
 * so every caller above sees one answer for the whole transaction. */
int store_commit(void)
{
	if (!tconn || tconn->tx_depth == 0)
		return STORE_EIO;
	if (--tconn->tx_depth > 0)
		return STORE_OK;
	int rc;
	if (tconn->tx_failed) {
		log_error("COMMIT refused: a write failed in this transaction; rolled back");
		rc = SQLITE_ABORT;
	} else {
		int injected = fault_hit("COMMIT");
		rc = injected ? SQLITE_IOERR_WRITE : sqlite3_exec(tconn->db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK && !injected)
			log_error("COMMIT failed: %s", sqlite3_errmsg(tconn->db));
	}
	if (rc != SQLITE_OK)
		sqlite3_exec(tconn->db, "ROLLBACK", NULL, NULL, NULL);
	tconn->tx_failed = 0;
	pthread_mutex_unlock(&write_lock);
	return rc == SQLITE_OK ? STORE_OK : STORE_EIO;
}

/* An inner rollback dooms the transaction and leaves it open (the levels
 * above still end it): rolling back at once, as this did before, let the
 * caller's later writes run outside any transaction and commit one by one. */
void store_rollback(void)
{
	if (!tconn || tconn->tx_depth == 0)
		return;
	if (--tconn->tx_depth > 0) {
		tconn->tx_failed = 1;
		return;
	}
	tconn->tx_failed = 0;
	sqlite3_exec(tconn->db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&write_lock);
}

/* Lifecycle and migrations ------------------------------------------------ */

static int migrate(sqlite3 *db)
{
	sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
			 " name TEXT NOT NULL, applied_at TEXT NOT NULL)", NULL, NULL, NULL);
	for (const struct asset *a = schema_files; a->name; a++) {
		int version = atoi(a->name);
		if (version <= 0)
			continue;
		sqlite3_stmt *st;
		sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &st, NULL);
		sqlite3_bind_int(st, 1, version);
		int have = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (!have) {
			char *sql = malloc(a->len + 1), *err = NULL, now[32];
			memcpy(sql, a->data, a->len);
			sql[a->len] = 0;
			db_now(now, sizeof now);
			int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &err);
			if (rc == SQLITE_OK)
				rc = sqlite3_exec(db, sql, NULL, NULL, &err);
			free(sql);
			if (rc == SQLITE_OK) {
				sqlite3_prepare_v2(db, "INSERT INTO schema_migrations VALUES (?, ?, ?)", -1, &st, NULL);
				sqlite3_bind_int(st, 1, version);
				sqlite3_bind_text(st, 2, a->name, -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
				rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
				sqlite3_finalize(st);
			}
			if (rc == SQLITE_OK)
				rc = sqlite3_exec(db, "COMMIT", NULL, NULL, &err);
			if (rc != SQLITE_OK) {
				log_error("migration %s failed: %s", a->name, err ? err : sqlite3_errmsg(db));
				sqlite3_free(err);
				sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
				return -1;
			}
			migrations_applied++;
			log_info("applied migration %s", a->name);
		}
		schema_version = version;
	}
	return 0;
}

/* The database and its -wal/-shm are the owner's only (0600): a data dir
 * made by an older version (0644 files) is tightened at every start. SQLite
 * gives new -wal/-shm files the database file's mode. */
static void owner_only(void)
{
	static const char *const ext[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char p[4200];
		snprintf(p, sizeof p, "%s%s", db_path, ext[i]);
		if (chmod(p, 0600) != 0 && errno != ENOENT)
			log_error("cannot make %s owner-only: %s", p, strerror(errno));
	}
}

int store_init(const char *dir)
{
	snprintf(db_path, sizeof db_path, "%s/wenming.db", dir);
	sqlite3 *db = db_conn();
	if (!db)
		return STORE_EIO;
	migrations_applied = 0;
	int rc = migrate(db) == 0 ? STORE_OK : STORE_EIO;
	owner_only();
	return rc;
}

void store_shutdown(void)
{
	if (tconn)
		sqlite3_exec(tconn->db, "PRAGMA optimize", NULL, NULL, NULL);
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
	sqlite3_stmt *st = db_prep("SELECT 1");
	if (!st)
		return STORE_EIO;
	int rc = db_step(st);
	db_done(st);
	return rc == SQLITE_ROW ? STORE_OK : STORE_EIO;
}

/* Settings ---------------------------------------------------------------- */

char *store_setting_get(const char *key)
{
	sqlite3_stmt *st = db_prep("SELECT value FROM settings WHERE key = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, key);
	char *v = NULL;
	if (db_step(st) == SQLITE_ROW)
		v = strdup((const char *)sqlite3_column_text(st, 0));
	db_done(st);
	return v;
}

int store_setting_set(const char *key, const char *value)
{
	sqlite3_stmt *st = db_prep("INSERT INTO settings (key, value) VALUES (?, ?)"
				   " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	return db_exec_stmt(st);
}

/* Online backup ------------------------------------------------------------ */

/* Copies DIR/wenming.db into out with SQLite's online backup API, in chunks
 * of 256 pages. The source connection holds one read transaction for the
 * whole copy: in WAL that is one consistent snapshot and never blocks the
 * server's writers (checkpoints just stop at it until the copy ends).
 * Without it each step takes a fresh snapshot, and a write by any other
 * connection between two steps restarts the copy from page 1 — under a
 * steady write load a database of more than a few hundred pages never
 * finished (measured: 51 restarts in 0.2 s against a writer committing every
 * 2 ms; with the read transaction none). The copy goes to out.tmp, is
 * checked with PRAGMA integrity_check, then renamed over out.
 * Independent of store_init: it opens its own two connections. */
int store_backup(const char *dir, const char *out, char *err, size_t errlen)
{
	char src_path[4096], tmp_path[4096];
	snprintf(src_path, sizeof src_path, "%s/wenming.db", dir);
	snprintf(tmp_path, sizeof tmp_path, "%s.tmp", out);
	sqlite3 *src = NULL, *dst = NULL;
	int rc = STORE_EIO;
	err[0] = 0;
	if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", src_path, src ? sqlite3_errmsg(src) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(src, 5000);
	if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot read %s: %s", src_path, sqlite3_errmsg(src));
		goto out;
	}
	remove(tmp_path);
	/* The copy holds password hashes and personal data: 0600 before any byte
	 * is written, whatever the umask (security review #15). */
	int fd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0 || close(fd) != 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp_path, strerror(errno));
		goto out;
	}
	if (sqlite3_open_v2(tmp_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot create %s: %s", tmp_path, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		snprintf(err, errlen, "backup: %s", sqlite3_errmsg(dst));
		goto out;
	}
	int step;
	do {
		step = sqlite3_backup_step(b, 256);
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		snprintf(err, errlen, "backup: %s", sqlite3_errstr(step));
		goto out;
	}
	/* The copy is a plain rollback-journal file until served again. */
	sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "integrity_check: %s", sqlite3_errmsg(dst));
		goto out;
	}
	int ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
		 !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
	if (!ok)
		snprintf(err, errlen, "integrity_check on the copy: %s",
			 sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(dst));
	sqlite3_finalize(st);
	if (!ok)
		goto out;
	if (sqlite3_close(dst) != SQLITE_OK) {
		snprintf(err, errlen, "closing %s: %s", tmp_path, sqlite3_errmsg(dst));
		goto out;
	}
	dst = NULL;
	if (rename(tmp_path, out) != 0) {
		snprintf(err, errlen, "cannot rename %s to %s", tmp_path, out);
		goto out;
	}
	rc = STORE_OK;
out:
	if (dst) {
		sqlite3_close(dst);
		remove(tmp_path);
	}
	if (src && !sqlite3_get_autocommit(src))
		sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(src);
	return rc;
}
