/*
 * driver.h — what a database engine must provide to the store.
 *
 * The store's SQL is written once (the src/store files named *_sql.c) over db.h; db.c keeps
 * what is the same for every engine (the per-thread connection, the
 * statement cache keyed by the SQL text's address, transaction nesting and
 * dooming, fault injection, timing) and calls one of these tables for the
 * rest. Two drivers exist: driver_sqlite.c and driver_pg.c (libpq). No
 * sqlite3_* or PQ* call appears outside its driver and the per-backend files
 * named *_sqlite.c / *_pg.c (scripts/check-source.sh enforces it).
 *
 * The model follows PowerDNS's and FreeRADIUS's SQL drivers: a connection
 * handle, prepared statements with positional parameters, a cursor stepped
 * row by row, and errors reduced to the few classes the store acts on.
 *
 * SQL dialect (docs/ARCHITECTURE.md, "One SQL for two engines"): parameters
 * are written ? or ?N (SQLite's spelling); the PostgreSQL driver rewrites
 * them to $N outside quotes. New rows' ids come back through RETURNING.
 */
#ifndef WM_DRIVER_H
#define WM_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/* db_step results: >= 0 is a row or the end, < 0 an error class. */
enum {
	DB_DONE = 0,
	DB_ROW = 1,
	DB_ECONSTRAINT = -1,	/* unique, check or not-null violation: the caller answers (409) */
	DB_EFOREIGN = -2,	/* foreign key violation */
	DB_ESERIAL = -3,	/* serialization failure, deadlock, lock timeout: retry the transaction */
	DB_EIO = -4,		/* anything else: logged, answered 500 */
};

/* Column value types as the store sees them. An engine's booleans read as
 * DB_INT 0/1 unless the column is named "x:bool" (db_row), so both engines
 * give the same JSON. NUMERIC reads as DB_INT when integral, else DB_REAL. */
enum { DB_NULL, DB_INT, DB_REAL, DB_TEXT };

enum { DB_SQLITE = 1, DB_PG = 2 };

struct db_driver {
	const char *name;	/* "sqlite" or "postgresql" */
	int backend;		/* DB_SQLITE or DB_PG */
	/* Process-wide set-up: target is the database file's path (SQLite) or
	 * a libpq connection URI (PostgreSQL). Runs before any connect. */
	int (*init)(const char *target);
	/* A new connection for the calling thread, or NULL (logged). */
	void *(*connect)(void);
	void (*disconnect)(void *conn);
	/* 1 when the connection is broken and must be replaced (PostgreSQL after
	 * a server restart); db.c then drops its statement cache and reconnects
	 * before the next statement outside a transaction. */
	int (*broken)(void *conn);
	/* Prepared statements. prepare returns a handle or NULL (logged). */
	void *(*prepare)(void *conn, const char *sql);
	void (*finalize)(void *stmt);
	/* Ends the current execution and clears the parameters. */
	void (*reset)(void *stmt);
	void (*bind_null)(void *stmt, int i);
	void (*bind_i64)(void *stmt, int i, int64_t v);
	void (*bind_double)(void *stmt, int i, double v);
	void (*bind_text)(void *stmt, int i, const char *s, size_t n);
	/* Runs the statement on the first call, then moves to the next row:
	 * DB_ROW, DB_DONE, or a DB_E* class (the message via errmsg). */
	int (*step)(void *stmt);
	int (*column_count)(void *stmt);
	const char *(*column_name)(void *stmt, int i);
	int (*column_type)(void *stmt, int i);
	int64_t (*column_i64)(void *stmt, int i);
	double (*column_double)(void *stmt, int i);
	/* NULL for SQL NULL; valid until the next step or reset. */
	const char *(*column_text)(void *stmt, int i);
	size_t (*column_bytes)(void *stmt, int i);
	/* 1 when the statement cannot write (for fault injection). */
	int (*readonly)(void *stmt);
	const char *(*sql)(void *stmt);
	/* Rows written by the connection's last INSERT/UPDATE/DELETE. */
	int64_t (*changes)(void *conn);
	/* Runs a script of statements without parameters (migrations). */
	int (*exec)(void *conn, const char *script);
	const char *(*errmsg)(void *conn);
	/* Write transactions. begin serialises writers across everything that
	 * writes to the database: SQLite takes a process-wide lock and BEGIN
	 * IMMEDIATE; PostgreSQL BEGIN and a transaction-scoped advisory lock, so
	 * the rule holds across several servers on one database. */
	int (*begin)(void *conn);
	int (*commit)(void *conn);
	void (*rollback)(void *conn);
	/* Applies the embedded migrations not yet applied, in order, each in a
	 * transaction; sets *version to the newest applied and *applied to how
	 * many ran now. Safe when several servers start at once. */
	int (*migrate)(void *conn, int *version, int *applied);
	void (*shutdown)(void *conn);
};

extern const struct db_driver db_driver_sqlite, db_driver_pg;
#endif
