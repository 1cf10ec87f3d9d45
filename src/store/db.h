/*
 * db.h — the SQLite backend's internal helpers, shared by the *_sql.c files
 * and never included above the store. One connection per thread, a
 * prepared-statement cache per connection keyed by the SQL text's address
 * (all SQL is static), and timing of every step for /metrics.
 */
#ifndef WM_DB_H
#define WM_DB_H
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

/* The cached, reset statement for sql, or NULL (logged). The caller must not
 * finalize it; db_done() resets it for the next user. */
sqlite3_stmt *db_prep(const char *sql);
void db_done(sqlite3_stmt *st);
/* sqlite3_step with timing; logs unexpected errors. */
int db_step(sqlite3_stmt *st);
/* Bind helpers: NULL strings bind SQL NULL; a json_t binds by its type
 * (objects and arrays as JSON text). */
void db_bind_text(sqlite3_stmt *st, int i, const char *s);
void db_bind_i64(sqlite3_stmt *st, int i, int64_t v);
void db_bind_json(sqlite3_stmt *st, int i, const json_t *v);
/* The current row as an object: column names are keys; a column named
 * "x:json" holds JSON text and becomes key "x" with the parsed value; a
 * column named "x:bool" becomes a boolean. */
json_t *db_row(sqlite3_stmt *st);
/* The first row as an object (or NULL when there is none); resets st. */
json_t *db_one(sqlite3_stmt *st);
/* Runs a prepared statement to completion, collecting rows into an array. */
json_t *db_rows(sqlite3_stmt *st);
/* Runs a statement expecting no rows. Returns STORE_OK/STORE_ECONFLICT/STORE_EIO. */
int db_exec_stmt(sqlite3_stmt *st);
/* The thread's connection (opened on demand). */
sqlite3 *db_conn(void);
/* Map a step/exec result to a STORE_* code. */
int db_rc(int rc);
/* now as RFC 3339 UTC ("2026-11-21T05:42:00Z"), into out (>= 32 bytes). */
void db_now(char *out, size_t n);
/* Builds a JSON array text of subtree paths for "within" filters; NULL when
 * the filter has no "within" key (no restriction). malloc'd. */
char *db_within_paths(const json_t *filter);
/* Great-circle distance in metres, and the box {min_lat, max_lat, min_lng,
 * max_lng} around a point that contains the circle of radius_m (no
 * antimeridian wrap) for the R*Tree's coarse filter (nearby_sql.c). */
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
