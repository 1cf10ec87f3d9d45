/*
 * driver_pg.h — the PostgreSQL driver's pure helpers, exposed for its unit
 * test (tests/unit/test_driver_pg.c). The driver itself is db_driver_pg
 * (driver.h); nothing above the store includes this.
 */
#ifndef WM_DRIVER_PG_H
#define WM_DRIVER_PG_H

/* The store's SQL with SQLite's parameters (? numbered one past the highest
 * so far, ?N explicit) rewritten to PostgreSQL's $N; text inside '…'
 * literals, "…" identifiers, -- and block comments is copied unchanged.
 * *nparams receives the highest number. malloc'd; NULL for ?0 or a number
 * above 65535 (PostgreSQL's limit) or when out of memory. */
char *pg_rewrite_params(const char *sql, int *nparams);
/* 1 when sql cannot write: its first keyword is SELECT, WITH or VALUES and
 * no INSERT/UPDATE/DELETE/MERGE keyword appears outside quotes (SELECT … FOR
 * UPDATE counts as a write: it takes row locks). */
int pg_sql_readonly(const char *sql);
/* The DB_* class (driver.h) of a SQLSTATE; NULL (no answer) is DB_EIO. */
int pg_sqlstate_class(const char *sqlstate);
#endif
