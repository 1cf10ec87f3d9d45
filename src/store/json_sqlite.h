/*
 * json_sqlite.h — PostgreSQL's JSON constructors on SQLite (json_sqlite.c),
 * registered on every connection by driver_sqlite.c.
 */
#ifndef WM_JSON_SQLITE_H
#define WM_JSON_SQLITE_H
#include <sqlite3.h>

int json_sqlite_register(sqlite3 *db);
#endif
