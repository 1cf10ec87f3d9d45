/*
 * driver_sqlite.c — the SQLite engine behind db.c (driver.h).
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
#include "driver.h"
#include "http/assets.h"
#include "core/crypto.h"
#include "core/log.h"
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static char db_path[4200];
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

/* The database and its -wal/-shm are the owner's only (0600): a data dir
 * made by an older version (0644 files) is tightened at every start. SQLite
 * gives new -wal/-shm files the database file's mode. */
static void owner_only(void)
{
	static const char *const ext[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char p[4300];
		snprintf(p, sizeof p, "%s%s", db_path, ext[i]);
		if (chmod(p, 0600) != 0 && errno != ENOENT)
			log_error("cannot make %s owner-only: %s", p, strerror(errno));
	}
}

static int sq_init(const char *target)
{
	snprintf(db_path, sizeof db_path, "%s", target);
	return 0;
}

/* wm_token_hash(t): the hex BLAKE2b of a bearer token, as sessions store it;
 * wm_seal(t): t encrypted with the data key. NULL in, NULL out. Only
 * migration 016 uses them, to upgrade the calendar tokens of an older SQLite
 * database in place (the store computes both in C). */
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
static void *sq_connect(void)
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

static void sq_disconnect(void *c)
{
	sqlite3_close(c);
}

static int sq_broken(void *c)
{
	(void)c;
	return 0;
}

static void *sq_prepare(void *c, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(c, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		log_error("prepare failed: %s in: %.200s", sqlite3_errmsg(c), sql);
		return NULL;
	}
	return st;
}

static void sq_finalize(void *st)
{
	sqlite3_finalize(st);
}

static void sq_reset(void *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void sq_bind_null(void *st, int i)
{
	sqlite3_bind_null(st, i);
}

static void sq_bind_i64(void *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, v);
}

static void sq_bind_double(void *st, int i, double v)
{
	sqlite3_bind_double(st, i, v);
}

static void sq_bind_text(void *st, int i, const char *s, size_t n)
{
	sqlite3_bind_text(st, i, s, (int)n, SQLITE_TRANSIENT);
}

static int sq_class(int rc)
{
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return DB_EFOREIGN;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return DB_ECONSTRAINT;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return DB_ESERIAL;
	return DB_EIO;
}

static int sq_step(void *st)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return sq_class(rc);
}

static int sq_column_count(void *st)
{
	return sqlite3_column_count(st);
}

static const char *sq_column_name(void *st, int i)
{
	return sqlite3_column_name(st, i);
}

static int sq_column_type(void *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		return DB_INT;
	case SQLITE_FLOAT:
		return DB_REAL;
	case SQLITE_NULL:
		return DB_NULL;
	default:
		return DB_TEXT;
	}
}

static int64_t sq_column_i64(void *st, int i)
{
	return sqlite3_column_int64(st, i);
}

static double sq_column_double(void *st, int i)
{
	return sqlite3_column_double(st, i);
}

static const char *sq_column_text(void *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static size_t sq_column_bytes(void *st, int i)
{
	return (size_t)sqlite3_column_bytes(st, i);
}

static int sq_readonly(void *st)
{
	return sqlite3_stmt_readonly(st);
}

static const char *sq_sql(void *st)
{
	return sqlite3_sql(st);
}

static int64_t sq_changes(void *c)
{
	return sqlite3_changes64(c);
}

static const char *sq_errmsg(void *c)
{
	return sqlite3_errmsg(c);
}

static int sq_exec(void *c, const char *script)
{
	char *err = NULL;
	if (sqlite3_exec(c, script, NULL, NULL, &err) != SQLITE_OK) {
		log_error("sqlite: %s", err ? err : sqlite3_errmsg(c));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int sq_begin(void *c)
{
	pthread_mutex_lock(&write_lock);
	if (sqlite3_exec(c, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		log_error("BEGIN failed: %s", sqlite3_errmsg(c));
		pthread_mutex_unlock(&write_lock);
		return -1;
	}
	return 0;
}

static int sq_commit(void *c)
{
	int rc = sqlite3_exec(c, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		log_error("COMMIT failed: %s", sqlite3_errmsg(c));
		return -1;	/* db.c rolls back, which releases the lock */
	}
	pthread_mutex_unlock(&write_lock);
	return 0;
}

static void sq_rollback(void *c)
{
	sqlite3_exec(c, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&write_lock);
}

static int applied_already(sqlite3 *db, int version)
{
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &st, NULL);
	sqlite3_bind_int(st, 1, version);
	int have = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return have;
}

static int apply_one(sqlite3 *db, const struct asset *a, int version)
{
	char *sql = malloc(a->len + 1), *err = NULL, now[32];
	if (!sql)
		return -1;
	memcpy(sql, a->data, a->len);
	sql[a->len] = 0;
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &err);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	free(sql);
	if (rc == SQLITE_OK) {
		sqlite3_stmt *st;
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
	log_info("applied migration %s", a->name);
	return 0;
}

static int sq_migrate(void *c, int *version, int *applied)
{
	sqlite3 *db = c;
	sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
			 " name TEXT NOT NULL, applied_at TEXT NOT NULL)", NULL, NULL, NULL);
	for (const struct asset *a = schema_files; a->name; a++) {
		int v = atoi(a->name);
		if (v <= 0)
			continue;
		if (!applied_already(db, v)) {
			if (apply_one(db, a, v) != 0) {
				owner_only();
				return -1;
			}
			(*applied)++;
		}
		*version = v;
	}
	owner_only();
	return 0;
}

static void sq_shutdown(void *c)
{
	sqlite3_exec(c, "PRAGMA optimize", NULL, NULL, NULL);
}

const struct db_driver db_driver_sqlite = {
	.name = "sqlite",
	.backend = DB_SQLITE,
	.init = sq_init,
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.broken = sq_broken,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_null = sq_bind_null,
	.bind_i64 = sq_bind_i64,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.step = sq_step,
	.column_count = sq_column_count,
	.column_name = sq_column_name,
	.column_type = sq_column_type,
	.column_i64 = sq_column_i64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_bytes = sq_column_bytes,
	.readonly = sq_readonly,
	.sql = sq_sql,
	.changes = sq_changes,
	.exec = sq_exec,
	.errmsg = sq_errmsg,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.migrate = sq_migrate,
	.shutdown = sq_shutdown,
};
