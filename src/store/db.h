/*
 * db.h — the store's one database API, shared by the *_sql.c files and never
 * included above the store. It names no engine: db.c implements it over the
 * driver chosen at start (driver.h; SQLite or PostgreSQL). One connection per
 * thread, a prepared-statement cache per connection keyed by the SQL text's
 * address (all SQL is static), and timing of every step for /metrics.
 *
 * Where a new feature's SQL goes: a *_sql.c file over these functions, in the
 * dialect both engines run (docs/ARCHITECTURE.md, "One SQL for two engines").
 * Only full-text search, "nearby", planner hints and backup differ per
 * engine; their code lives in files named *_sqlite.c and *_pg.c.
 */
#ifndef WM_DB_H
#define WM_DB_H
#include "driver.h"
#include <jansson.h>
#include <stdint.h>

typedef struct db_stmt db_stmt;

/* The cached, reset statement for sql, or NULL (logged). The caller must not
 * free it; db_done() resets it for the next user. */
db_stmt *db_prep(const char *sql);
void db_done(db_stmt *st);
/* Runs / advances the statement with timing: DB_ROW, DB_DONE or a DB_E*
 * class (driver.h); logs unexpected errors. A failed write dooms the open
 * transaction unless it is a constraint the caller answers. */
int db_step(db_stmt *st);
/* Bind helpers (1-based): NULL strings bind SQL NULL; a json_t binds by its
 * type (objects and arrays as JSON text, booleans as 0/1). */
void db_bind_text(db_stmt *st, int i, const char *s);
void db_bind_textn(db_stmt *st, int i, const char *s, size_t n);
void db_bind_i64(db_stmt *st, int i, int64_t v);
void db_bind_double(db_stmt *st, int i, double v);
void db_bind_null(db_stmt *st, int i);
void db_bind_json(db_stmt *st, int i, const json_t *v);
/* Columns of the current row (0-based). */
int db_col_count(db_stmt *st);
int db_col_type(db_stmt *st, int i);
int64_t db_col_i64(db_stmt *st, int i);
double db_col_double(db_stmt *st, int i);
/* NULL for SQL NULL; valid until the next step or db_done. */
const char *db_col_text(db_stmt *st, int i);
/* The current row as an object: column names are keys; a column named
 * "x:json" holds JSON text and becomes key "x" with the parsed value; a
 * column named "x:bool" becomes a boolean. */
json_t *db_row(db_stmt *st);
/* The first row as an object (or NULL when there is none); resets st. */
json_t *db_one(db_stmt *st);
/* Runs a prepared statement to completion, collecting rows into an array. */
json_t *db_rows(db_stmt *st);
/* Runs a statement expecting no rows. Returns STORE_OK/STORE_ECONFLICT/STORE_EREFERENCED/STORE_EIO. */
int db_exec_stmt(db_stmt *st);
/* Runs an INSERT … RETURNING id: the new id (> 0), 0 when ON CONFLICT DO
 * NOTHING inserted nothing, or a STORE_E* code (< 0). */
int64_t db_insert_id(db_stmt *st);
/* Runs a script of statements without parameters (DDL); 0 or STORE_EIO. */
int db_exec_script(const char *sql);
/* Rows written by this thread's last INSERT/UPDATE/DELETE. */
int64_t db_changes(void);
/* Map a db_step result to a STORE_* code. */
int db_rc(int rc);
/* DB_SQLITE or DB_PG: only the per-backend files may ask. */
int db_backend(void);
/* The open connection's driver handle, for the per-backend files only. */
void *db_handle(void);
/* now as RFC 3339 UTC ("2026-11-21T05:42:00Z"), into out (>= 32 bytes). */
void db_now(char *out, size_t n);
/* Great-circle distance in metres, and the box {min_lat, max_lat, min_lng,
 * max_lng} around a point that contains the circle of radius_m (no
 * antimeridian wrap) for the coarse filter of "nearby". */
void geo_box(double lat, double lng, double radius_m, double out[4]);

/* KPI roll-ups (kpi_sql.c), maintained inside the writer's transaction by
 * problems_sql.c: load what a problem contributes before a change and after
 * it, then apply the difference. A snapshot of a missing row has found = 0. */
struct kpi_snap {
	int found;
	int64_t org, handler, category;
	char state[16];
	int64_t created, accepted, closed, deadline, rectified, updated, reworks, relapses;
	int anonymous;	/* a keyless Open311 tip: counted once accepted (docs/KPI.md) */
};
int kpi_snap_load(int64_t problem_id, struct kpi_snap *s);
int kpi_apply(const struct kpi_snap *before, const struct kpi_snap *after);
/* A citizen's rating (satisfied / basically_satisfied / dissatisfied) given at `now`. */
int kpi_rating(int64_t problem_id, const char *rating, int64_t now);
/* An org changes parent: sign -1 before (takes its subtree's figures from the
 * old ancestors), +1 after (adds them to the new ones). */
int kpi_org_moved(int64_t org_id, int sign);
#endif
