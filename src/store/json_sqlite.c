/*
 * json_sqlite.c — json_build_object(k, v, …) and json_build_array(v, …) on
 * SQLite, with PostgreSQL's names and meaning, so that the store's SQL
 * builds nested JSON one way on both engines. SQLite's json_object and
 * json_array do not exist on PostgreSQL 15, and no compatibility function
 * written in SQL or PL/pgSQL can take values of mixed types (a variadic
 * "any" needs C); SQLite, on the other hand, takes a C function per
 * connection. Values: integers and reals as numbers (reals as SQLite's own
 * JSON functions print them), NULL as null, text as a string unless it is
 * JSON made by a JSON function (SQLite's JSON subtype), which is embedded.
 * The result carries the JSON subtype, so json_group_array() embeds it as
 * an object or array, as it does json_object()'s.
 */
#include "json_sqlite.h"
#include <math.h>
#include <stdio.h>

#define JSON_SUBTYPE 74	/* 'J': SQLite's JSON functions mark their results with it */
#ifndef SQLITE_SUBTYPE
#define SQLITE_SUBTYPE 0
#endif
#ifndef SQLITE_RESULT_SUBTYPE
#define SQLITE_RESULT_SUBTYPE 0
#endif

/* A JSON string, escaped as SQLite's json_quote escapes it. */
static void put_string(sqlite3_str *s, const unsigned char *t, int n)
{
	sqlite3_str_appendchar(s, 1, '"');
	for (int i = 0; i < n; i++) {
		unsigned char c = t[i];
		const char *e = c == '\b' ? "\\b" : c == '\f' ? "\\f" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
			      : c == '\t' ? "\\t" : NULL;
		if (c == '"' || c == '\\')
			sqlite3_str_appendf(s, "\\%c", c);
		else if (e)
			sqlite3_str_appendall(s, e);
		else if (c < 0x20)
			sqlite3_str_appendf(s, "\\u%04x", c);
		else
			sqlite3_str_appendchar(s, 1, (char)c);
	}
	sqlite3_str_appendchar(s, 1, '"');
}

/* Appends one value; 0, or -1 for a BLOB (JSON cannot hold one). */
static int put_value(sqlite3_str *s, sqlite3_value *v)
{
	switch (sqlite3_value_type(v)) {
	case SQLITE_NULL:
		sqlite3_str_appendall(s, "null");
		return 0;
	case SQLITE_INTEGER:
		sqlite3_str_appendf(s, "%lld", (long long)sqlite3_value_int64(v));
		return 0;
	case SQLITE_FLOAT: {
		double d = sqlite3_value_double(v);
		if (isfinite(d))
			sqlite3_str_appendf(s, "%!.15g", d);
		else
			sqlite3_str_appendall(s, "null");
		return 0;
	}
	case SQLITE_TEXT:
		if (sqlite3_value_subtype(v) == JSON_SUBTYPE)
			sqlite3_str_appendall(s, (const char *)sqlite3_value_text(v));
		else
			put_string(s, sqlite3_value_text(v), sqlite3_value_bytes(v));
		return 0;
	default:
		return -1;
	}
}

static void finish(sqlite3_context *ctx, sqlite3_str *s, const char *error)
{
	if (error) {
		sqlite3_free(sqlite3_str_finish(s));
		sqlite3_result_error(ctx, error, -1);
		return;
	}
	if (sqlite3_str_errcode(s)) {
		sqlite3_free(sqlite3_str_finish(s));
		sqlite3_result_error_nomem(ctx);
		return;
	}
	int n = sqlite3_str_length(s);
	sqlite3_result_text(ctx, sqlite3_str_finish(s), n, sqlite3_free);
	sqlite3_result_subtype(ctx, JSON_SUBTYPE);
}

static void build_object(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sqlite3_str *s = sqlite3_str_new(sqlite3_context_db_handle(ctx));
	if (argc % 2) {
		finish(ctx, s, "json_build_object() needs key/value pairs");
		return;
	}
	sqlite3_str_appendchar(s, 1, '{');
	for (int i = 0; i < argc; i += 2) {
		if (sqlite3_value_type(argv[i]) != SQLITE_TEXT) {
			finish(ctx, s, "json_build_object() keys must be text");
			return;
		}
		if (i)
			sqlite3_str_appendchar(s, 1, ',');
		put_string(s, sqlite3_value_text(argv[i]), sqlite3_value_bytes(argv[i]));
		sqlite3_str_appendchar(s, 1, ':');
		if (put_value(s, argv[i + 1])) {
			finish(ctx, s, "JSON cannot hold BLOB values");
			return;
		}
	}
	sqlite3_str_appendchar(s, 1, '}');
	finish(ctx, s, NULL);
}

static void build_array(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sqlite3_str *s = sqlite3_str_new(sqlite3_context_db_handle(ctx));
	sqlite3_str_appendchar(s, 1, '[');
	for (int i = 0; i < argc; i++) {
		if (i)
			sqlite3_str_appendchar(s, 1, ',');
		if (put_value(s, argv[i])) {
			finish(ctx, s, "JSON cannot hold BLOB values");
			return;
		}
	}
	sqlite3_str_appendchar(s, 1, ']');
	finish(ctx, s, NULL);
}

int json_sqlite_register(sqlite3 *db)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS | SQLITE_SUBTYPE | SQLITE_RESULT_SUBTYPE;
	int rc = sqlite3_create_function(db, "json_build_object", -1, flags, NULL, build_object, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "json_build_array", -1, flags, NULL, build_array, NULL, NULL);
	return rc;
}
