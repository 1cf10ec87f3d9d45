/*
 * test_json_sqlite.c — json_build_object / json_build_array on SQLite
 * (src/store/json_sqlite.c) give the same JSON as SQLite's own json_object /
 * json_array, which the store used before it was written for two engines:
 * numbers, reals, NULL, text with every character JSON must escape, nested
 * JSON embedded (not quoted), inside json_group_array too; and the errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store/json_sqlite.h"

static sqlite3 *db;

static char *one(const char *sql)
{
	static char out[2048];
	sqlite3_stmt *st = NULL;
	out[0] = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(out, sizeof out, "prepare: %s", sqlite3_errmsg(db));
		return out;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, sizeof out, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "NULL");
	else
		snprintf(out, sizeof out, "error: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return out;
}

static void same(const char *ours, const char *sqlites)
{
	char a[2048];
	snprintf(a, sizeof a, "%s", one(ours));
	assert_string_equal(a, one(sqlites));
}

static void test_object_like_sqlite(void **state)
{
	(void)state;
	same("SELECT json_build_object('i', 42, 'neg', -7, 'r', 2.5, 'whole', 2.0, 'n', NULL, 't', 'a\"b\\c'"
	     " || char(10, 9, 1, 31, 8, 12, 13) || '楼道', 'e', '')",
	     "SELECT json_object('i', 42, 'neg', -7, 'r', 2.5, 'whole', 2.0, 'n', NULL, 't', 'a\"b\\c'"
	     " || char(10, 9, 1, 31, 8, 12, 13) || '楼道', 'e', '')");
	same("SELECT json_build_object()", "SELECT json_object()");
	same("SELECT json_build_object('k\"ey', 1)", "SELECT json_object('k\"ey', 1)");
	same("SELECT json_build_object('big', 9223372036854775807, 'small', 0.1)",
	     "SELECT json_object('big', 9223372036854775807, 'small', 0.1)");
}

static void test_array_and_nesting(void **state)
{
	(void)state;
	same("SELECT json_build_array(1, 'reopen', NULL, 1.5)", "SELECT json_array(1, 'reopen', NULL, 1.5)");
	same("SELECT json_build_array()", "SELECT json_array()");
	same("SELECT json_build_object('a', json_build_array(1, json_build_object('b', 'x')))",
	     "SELECT json_object('a', json_array(1, json_object('b', 'x')))");
	/* Text that merely looks like JSON stays a string. */
	same("SELECT json_build_array('[1]', '{\"a\":1}')", "SELECT json_array('[1]', '{\"a\":1}')");
	/* Embedded in json_group_array as objects, not as quoted strings. */
	same("SELECT json_group_array(json_build_object('id', x, 'name', 'n' || x)) FROM"
	     " (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3 ORDER BY 1)",
	     "SELECT json_group_array(json_object('id', x, 'name', 'n' || x)) FROM"
	     " (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3 ORDER BY 1)");
	same("SELECT json_group_array(json_build_array(x, 'a')) FROM (SELECT 1 AS x WHERE 0)",
	     "SELECT json_group_array(json_array(x, 'a')) FROM (SELECT 1 AS x WHERE 0)");
	/* SQLite's JSON functions read ours as JSON. */
	assert_string_equal(one("SELECT json_extract(json_build_object('a', json_build_array(5, 6)), '$.a[1]')"), "6");
}

static void test_errors(void **state)
{
	(void)state;
	assert_string_equal(one("SELECT json_build_object('a')"), "error: json_build_object() needs key/value pairs");
	assert_string_equal(one("SELECT json_build_object(1, 2)"), "error: json_build_object() keys must be text");
	assert_string_equal(one("SELECT json_build_object('a', x'00')"), "error: JSON cannot hold BLOB values");
	assert_string_equal(one("SELECT json_build_array(x'00')"), "error: JSON cannot hold BLOB values");
}

static int setup(void **state)
{
	(void)state;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return -1;
	return json_sqlite_register(db) == SQLITE_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	sqlite3_close(db);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object_like_sqlite),
		cmocka_unit_test(test_array_and_nesting),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
