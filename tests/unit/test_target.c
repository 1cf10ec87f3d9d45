/*
 * test_target.c — the --database / --data rule (src/store/target.c): which
 * engine and where, the error texts, and passwords masked in descriptions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "store/store.h"
#include <string.h>

static void expect(const char *database, const char *data, int backend, const char *where)
{
	struct store_target t;
	char err[256] = "";
	assert_int_equal(store_target_parse(database, data, &t, err, sizeof err), 0);
	assert_int_equal(t.backend, backend);
	assert_string_equal(t.where, where);
}

static void expect_error(const char *database, const char *data, const char *part)
{
	struct store_target t;
	char err[256] = "";
	assert_int_equal(store_target_parse(database, data, &t, err, sizeof err), -1);
	assert_non_null(strstr(err, part));
}

static void test_parse(void **state)
{
	(void)state;
	expect(NULL, "/srv/wm", STORE_SQLITE, "/srv/wm");
	expect("", "/srv/wm", STORE_SQLITE, "/srv/wm");
	expect("sqlite:/var/lib/db", "/srv/wm", STORE_SQLITE, "/var/lib/db");
	expect("sqlite:///var/lib/db", "/srv/wm", STORE_SQLITE, "/var/lib/db");
	expect("sqlite:rel/dir", NULL, STORE_SQLITE, "rel/dir");
	expect("sqlite:", "/srv/wm", STORE_SQLITE, "/srv/wm");
	expect("postgresql://wm@db:5432/wenming", "/srv/wm", STORE_PG, "postgresql://wm@db:5432/wenming");
	expect("postgres://wm@db/wenming?sslmode=require", "/srv/wm", STORE_PG, "postgres://wm@db/wenming?sslmode=require");
	expect("host=/run/postgresql dbname=wenming", "/srv/wm", STORE_PG, "host=/run/postgresql dbname=wenming");
	expect("dbname = wenming", "/srv/wm", STORE_PG, "dbname = wenming");
	expect("service=wenming", NULL, STORE_PG, "service=wenming");
	expect_error(NULL, NULL, "--data DIR is required");
	expect_error("sqlite:", NULL, "no directory");
	expect_error("mysql://db/wm", "/srv/wm", "--database must be");
	expect_error("/srv/wm", "/srv/wm", "--database must be");
	char big[5000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	memcpy(big, "sqlite:", 7);
	expect_error(big, NULL, "too long");
}

static void expect_describe(const char *database, const char *want)
{
	struct store_target t;
	char err[256], out[512];
	assert_int_equal(store_target_parse(database, "/srv/wm", &t, err, sizeof err), 0);
	store_target_describe(&t, out, sizeof out);
	assert_string_equal(out, want);
}

static void test_describe(void **state)
{
	(void)state;
	expect_describe(NULL, "/srv/wm/wenming.db");
	expect_describe("postgresql://wm@db/wenming", "postgresql://wm@db/wenming");
	expect_describe("postgresql://wm:s3cret@db:5432/wenming", "postgresql://wm:***@db:5432/wenming");
	expect_describe("postgresql://db/wenming?user=wm&password=s3cret&sslmode=require",
			"postgresql://db/wenming?user=wm&password=***&sslmode=require");
	expect_describe("host=db password='a b\\'c' dbname=wm", "host=db password=*** dbname=wm");
	expect_describe("host=db password = s3cret dbname=wm", "host=db password =*** dbname=wm");
	expect_describe("postgresql://db:5432/x", "postgresql://db:5432/x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_describe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
