/*
 * test_driver_pg.c — the PostgreSQL driver (src/store/driver_pg.c) through
 * its vtable, against a real server. The pure parts (placeholder rewriting,
 * the read-only test, SQLSTATE classes) always run; the rest needs
 * WENMING_TEST_PG, a base URI such as postgresql://postgres@127.0.0.1:5499/postgres
 * whose role may create databases. Each run creates its own database and
 * drops it at the end. Without WENMING_TEST_PG the program exits 77 (meson:
 * SKIP) after the pure tests pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "store/driver.h"
#include "store/driver_pg.h"
#include "http/assets.h"
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct db_driver *d = &db_driver_pg;
static char target[1024], dbname[64];

/* Pure helpers -------------------------------------------------------------- */

static void expect_rewrite(const char *in, const char *out, int n)
{
	int got = -1;
	char *s = pg_rewrite_params(in, &got);
	assert_non_null(s);
	assert_string_equal(s, out);
	assert_int_equal(got, n);
	free(s);
}

static void test_rewrite(void **state)
{
	(void)state;
	expect_rewrite("SELECT 1", "SELECT 1", 0);
	expect_rewrite("SELECT ?, ?", "SELECT $1, $2", 2);
	expect_rewrite("?2 ?1 ?", "$2 $1 $3", 3);	/* SQLite: one past the highest so far */
	expect_rewrite("?1 ? ?1", "$1 $2 $1", 2);
	expect_rewrite("?12", "$12", 12);
	expect_rewrite("WHERE a = '?' AND b = ?", "WHERE a = '?' AND b = $1", 1);
	expect_rewrite("'it''s ?' || ?", "'it''s ?' || $1", 1);
	expect_rewrite("\"col?\" = ?", "\"col?\" = $1", 1);
	expect_rewrite("-- what ?\nSELECT ?", "-- what ?\nSELECT $1", 1);
	expect_rewrite("/* ?1 ? */ ?", "/* ?1 ? */ $1", 1);
	expect_rewrite("x IN (?3,?3)", "x IN ($3,$3)", 3);
	expect_rewrite("'unterminated ?", "'unterminated ?", 0);
	expect_rewrite("楼道堆物 ?", "楼道堆物 $1", 1);
	/* SQLite's variadic JSON builders get PostgreSQL's names, and only them. */
	expect_rewrite("SELECT json_object('a', ?, 'b', json_array(1, 2))",
		       "SELECT json_build_object('a', $1, 'b', json_build_array(1, 2))", 1);
	expect_rewrite("SELECT my_json_object(1), x.json_array(2), 'json_object(', json_group_array(3)",
		       "SELECT my_json_object(1), x.json_array(2), 'json_object(', json_group_array(3)", 0);
	int n;
	assert_null(pg_rewrite_params("?0", &n));
	assert_null(pg_rewrite_params("?70000", &n));
}

static void test_readonly(void **state)
{
	(void)state;
	assert_int_equal(pg_sql_readonly("SELECT 1"), 1);
	assert_int_equal(pg_sql_readonly("  -- note\n select * from t"), 1);
	assert_int_equal(pg_sql_readonly("WITH x AS (SELECT 1) SELECT * FROM x"), 1);
	assert_int_equal(pg_sql_readonly("VALUES (1)"), 1);
	assert_int_equal(pg_sql_readonly("SELECT 'delete' AS \"update\""), 1);
	assert_int_equal(pg_sql_readonly("SELECT updated_at FROM t"), 1);
	assert_int_equal(pg_sql_readonly("SELECT * FROM t FOR UPDATE"), 0);
	assert_int_equal(pg_sql_readonly("WITH x AS (DELETE FROM t RETURNING id) SELECT * FROM x"), 0);
	assert_int_equal(pg_sql_readonly("INSERT INTO t VALUES (1)"), 0);
	assert_int_equal(pg_sql_readonly("update t set a = 1"), 0);
	assert_int_equal(pg_sql_readonly("BEGIN"), 0);
	assert_int_equal(pg_sql_readonly(""), 0);
}

static void test_classes(void **state)
{
	(void)state;
	assert_int_equal(pg_sqlstate_class("23505"), DB_ECONSTRAINT);
	assert_int_equal(pg_sqlstate_class("23514"), DB_ECONSTRAINT);
	assert_int_equal(pg_sqlstate_class("23502"), DB_ECONSTRAINT);
	assert_int_equal(pg_sqlstate_class("23P01"), DB_ECONSTRAINT);
	assert_int_equal(pg_sqlstate_class("23503"), DB_EFOREIGN);
	assert_int_equal(pg_sqlstate_class("40001"), DB_ESERIAL);
	assert_int_equal(pg_sqlstate_class("40P01"), DB_ESERIAL);
	assert_int_equal(pg_sqlstate_class("55P03"), DB_ESERIAL);
	assert_int_equal(pg_sqlstate_class("42601"), DB_EIO);
	assert_int_equal(pg_sqlstate_class(NULL), DB_EIO);
}

/* Against a server -------------------------------------------------------------- */

/* Runs sql on a fresh statement with up to three text/NULL parameters and
 * returns the step result; the statement stays open in *out when asked. */
static int run(void *c, const char *sql, void **out)
{
	void *st = d->prepare(c, sql);
	assert_non_null(st);
	int rc = d->step(st);
	if (out)
		*out = st;
	else
		d->finalize(st);
	return rc;
}

static void *conn(void)
{
	void *c = d->connect();
	assert_non_null(c);
	return c;
}

static void test_settings(void **state)
{
	(void)state;
	void *c = conn(), *st;
	assert_int_equal(run(c, "SELECT current_setting('statement_timeout'), current_setting('TimeZone'),"
			     " current_setting('application_name'), current_setting('client_encoding')", &st), DB_ROW);
	assert_string_equal(d->column_text(st, 0), "30s");
	assert_string_equal(d->column_text(st, 1), "UTC");
	assert_string_equal(d->column_text(st, 2), "wenming");
	assert_string_equal(d->column_text(st, 3), "UTF8");
	d->finalize(st);
	assert_int_equal(run(c, "SELECT current_setting('idle_in_transaction_session_timeout'),"
			     " current_setting('tcp_keepalives_idle')", &st), DB_ROW);
	assert_string_equal(d->column_text(st, 0), "5min");
	d->finalize(st);
	assert_int_equal(d->broken(c), 0);
	d->disconnect(c);
}

static void test_types(void **state)
{
	(void)state;
	void *c = conn(), *st;
	assert_int_equal(run(c, "SELECT 1::int2 AS a, 2::int4, 9007199254740993::int8, 4::oid, 1.5::float4,"
			     " 2.5::float8, 7::numeric, 7.25::numeric, true, false, '文明'::text, NULL,"
			     " 'v'::varchar, '{\"a\":1}'::json, 99999999999999999999::numeric", &st), DB_ROW);
	assert_int_equal(d->column_count(st), 15);
	assert_string_equal(d->column_name(st, 0), "a");
	static const int types[] = {DB_INT, DB_INT, DB_INT, DB_INT, DB_REAL, DB_REAL, DB_INT, DB_REAL,
				    DB_INT, DB_INT, DB_TEXT, DB_NULL, DB_TEXT, DB_TEXT, DB_REAL};
	for (int i = 0; i < 15; i++)
		assert_int_equal(d->column_type(st, i), types[i]);
	assert_int_equal(d->column_i64(st, 2), INT64_C(9007199254740993));
	assert_true(d->column_double(st, 5) == 2.5);
	assert_int_equal(d->column_i64(st, 6), 7);
	assert_true(d->column_double(st, 7) == 7.25);
	assert_int_equal(d->column_i64(st, 7), 7);
	assert_int_equal(d->column_i64(st, 8), 1);
	assert_int_equal(d->column_i64(st, 9), 0);
	assert_string_equal(d->column_text(st, 8), "1");
	assert_string_equal(d->column_text(st, 9), "0");
	assert_int_equal(d->column_bytes(st, 8), 1);
	assert_string_equal(d->column_text(st, 10), "文明");
	assert_int_equal(d->column_bytes(st, 10), strlen("文明"));
	assert_null(d->column_text(st, 11));
	assert_int_equal(d->column_i64(st, 14), INT64_MAX);
	assert_int_equal(d->step(st), DB_DONE);
	assert_int_equal(d->step(st), DB_DONE);
	d->finalize(st);
	d->disconnect(c);
}

static void test_binds(void **state)
{
	(void)state;
	void *c = conn();
	void *st = d->prepare(c, "SELECT ?1 + 1, ?2 * 2, ?3 || '!', ?4::text IS NULL, ?1");
	assert_non_null(st);
	d->bind_i64(st, 1, INT64_C(9007199254740993));
	d->bind_double(st, 2, 0.1);
	d->bind_text(st, 3, "樓道堆物xyz", strlen("樓道堆物"));
	d->bind_null(st, 4);
	assert_int_equal(d->step(st), DB_ROW);
	assert_int_equal(d->column_i64(st, 0), INT64_C(9007199254740994));
	assert_true(d->column_double(st, 1) == 0.2);
	assert_string_equal(d->column_text(st, 2), "樓道堆物!");
	assert_int_equal(d->column_i64(st, 3), 1);
	assert_int_equal(d->column_type(st, 4), DB_INT);
	assert_int_equal(d->step(st), DB_DONE);
	/* Reused with other values, as db.c's cache does. */
	d->reset(st);
	d->bind_i64(st, 1, -5);
	d->bind_double(st, 2, 1e300);
	d->bind_text(st, 3, "", 0);
	d->bind_text(st, 4, "x", 1);
	assert_int_equal(d->step(st), DB_ROW);
	assert_int_equal(d->column_i64(st, 0), -4);
	assert_string_equal(d->column_text(st, 2), "!");
	assert_int_equal(d->column_i64(st, 3), 0);
	d->finalize(st);
	d->disconnect(c);
}

/* A parameter whose type nothing determines (42P18) is prepared as text;
 * the same statement then takes an integer for it (prepared again). */
static void test_untyped(void **state)
{
	(void)state;
	void *c = conn();
	void *st = d->prepare(c, "SELECT ? IS NULL, ?");
	d->bind_text(st, 1, "a", 1);
	d->bind_text(st, 2, "b", 1);
	assert_int_equal(d->step(st), DB_ROW);
	assert_int_equal(d->column_i64(st, 0), 0);
	assert_string_equal(d->column_text(st, 1), "b");
	d->reset(st);
	d->bind_null(st, 1);
	d->bind_i64(st, 2, 42);
	assert_int_equal(d->step(st), DB_ROW);
	assert_int_equal(d->column_i64(st, 0), 1);
	assert_int_equal(d->column_type(st, 1), DB_INT);
	assert_int_equal(d->column_i64(st, 1), 42);
	d->reset(st);
	/* Inside a transaction the failed first prepare must not abort it. */
	assert_int_equal(d->exec(c, "BEGIN"), 0);
	void *st2 = d->prepare(c, "SELECT ? IS NULL");
	d->bind_text(st2, 1, "a", 1);
	assert_int_equal(d->step(st2), DB_ROW);
	assert_int_equal(run(c, "SELECT 1", NULL), DB_ROW);
	assert_int_equal(d->commit(c), 0);
	d->finalize(st2);
	d->finalize(st);

	/* The store's optional filters: one parameter in IS NULL and against a
	 * bigint column, another against a text column, first bound NULL. */
	assert_int_equal(d->exec(c, "CREATE TEMP TABLE org (id BIGINT, parent_id BIGINT, kind TEXT);"
			     "INSERT INTO org VALUES (1, NULL, 'street'), (2, 1, 'community'), (3, 1, 'street')"), 0);
	st = d->prepare(c, "SELECT count(*) FROM org o WHERE (?1 IS NULL OR o.parent_id = ?1)"
			   " AND (?2 IS NULL OR o.kind = ?2)");
	d->bind_null(st, 1);
	d->bind_null(st, 2);
	assert_int_equal(d->step(st), DB_ROW);
	assert_int_equal(d->column_i64(st, 0), 3);
	d->reset(st);
	d->bind_i64(st, 1, 1);
	d->bind_text(st, 2, "street", 6);
	assert_int_equal(d->step(st), DB_ROW);
	assert_int_equal(d->column_i64(st, 0), 1);
	d->reset(st);
	d->bind_text(st, 1, "1", 1);	/* a number sent as text, as a JSON string binds */
	d->bind_null(st, 2);
	assert_int_equal(d->step(st), DB_ROW);
	assert_int_equal(d->column_i64(st, 0), 2);
	d->finalize(st);
	/* A NULL in a select list feeding a bigint column, bound NULL first:
	 * DISTINCT makes it text (42804), so it moves on to int8. */
	assert_int_equal(d->exec(c, "CREATE TEMP TABLE note (kind TEXT, problem_id BIGINT)"), 0);
	st = d->prepare(c, "INSERT INTO note (kind, problem_id) SELECT DISTINCT ?1, ?2 FROM org o WHERE o.id = 1");
	d->bind_text(st, 1, "chronic", 7);
	d->bind_null(st, 2);
	assert_int_equal(d->step(st), DB_DONE);
	d->reset(st);
	d->bind_text(st, 1, "problem", 7);
	d->bind_i64(st, 2, 77);
	assert_int_equal(d->step(st), DB_DONE);
	d->finalize(st);
	assert_int_equal(run(c, "SELECT count(*), sum(problem_id) FROM note", &st), DB_ROW);
	assert_int_equal(d->column_i64(st, 0), 2);
	assert_int_equal(d->column_i64(st, 1), 77);
	d->finalize(st);
	/* int8 matches no substr(): the numbers go untyped. */
	st = d->prepare(c, "SELECT substr(?, ?, ?), pg_terminate_backend(?) IS NULL");
	d->bind_text(st, 1, "文明城市", strlen("文明城市"));
	d->bind_i64(st, 2, 2);
	d->bind_i64(st, 3, 2);
	d->bind_null(st, 4);
	assert_int_equal(d->step(st), DB_ROW);
	assert_string_equal(d->column_text(st, 0), "明城");
	d->finalize(st);
	d->disconnect(c);
}

static void setup_table(void *c)
{
	assert_int_equal(d->exec(c, "DROP TABLE IF EXISTS kid; DROP TABLE IF EXISTS item;"
			     "CREATE TABLE item (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
			     " n INTEGER NOT NULL DEFAULT 0 CHECK (n >= 0));"
			     "CREATE TABLE kid (id BIGSERIAL PRIMARY KEY, item BIGINT REFERENCES item(id))"), 0);
}

static int insert(void *c, const char *name, int64_t n, int64_t *id)
{
	void *st = d->prepare(c, "INSERT INTO item (name, n) VALUES (?, ?) RETURNING id");
	d->bind_text(st, 1, name, name ? strlen(name) : 0);
	d->bind_i64(st, 2, n);
	int rc = d->step(st);
	if (rc == DB_ROW && id)
		*id = d->column_i64(st, 0);
	d->finalize(st);
	return rc;
}

static void test_errors_changes(void **state)
{
	(void)state;
	void *c = conn();
	setup_table(c);
	int64_t id = 0;
	assert_int_equal(insert(c, "a", 1, &id), DB_ROW);
	assert_true(id > 0);
	assert_int_equal(d->changes(c), 1);
	assert_int_equal(insert(c, "b", 1, NULL), DB_ROW);
	assert_int_equal(insert(c, "c", 1, NULL), DB_ROW);
	assert_int_equal(insert(c, "a", 1, NULL), DB_ECONSTRAINT);
	assert_non_null(strstr(d->errmsg(c), "23505"));
	assert_int_equal(insert(c, NULL, 1, NULL), DB_ECONSTRAINT);
	assert_int_equal(insert(c, "d", -1, NULL), DB_ECONSTRAINT);
	void *st = d->prepare(c, "INSERT INTO kid (item) VALUES (?)");
	d->bind_i64(st, 1, 999999);
	assert_int_equal(d->step(st), DB_EFOREIGN);
	assert_int_equal(d->step(st), DB_EFOREIGN);	/* stays failed until reset */
	d->finalize(st);
	assert_int_equal(run(c, "SELEC 1", NULL), DB_EIO);
	assert_int_equal(run(c, "UPDATE item SET n = n + 1", NULL), DB_DONE);
	assert_int_equal(d->changes(c), 3);
	assert_int_equal(run(c, "SELECT * FROM item", NULL), DB_ROW);
	assert_int_equal(d->changes(c), 3);	/* a SELECT leaves it, as in SQLite */
	assert_int_equal(run(c, "DELETE FROM item WHERE name = 'zzz'", NULL), DB_DONE);
	assert_int_equal(d->changes(c), 0);
	d->disconnect(c);
}

static void test_transactions(void **state)
{
	(void)state;
	void *c = conn(), *st;
	setup_table(c);
	assert_int_equal(d->begin(c), 0);
	assert_int_equal(insert(c, "gone", 1, NULL), DB_ROW);
	d->rollback(c);
	assert_int_equal(d->begin(c), 0);
	assert_int_equal(insert(c, "kept", 1, NULL), DB_ROW);
	assert_int_equal(d->commit(c), 0);
	assert_int_equal(run(c, "SELECT string_agg(name, ',') FROM item", &st), DB_ROW);
	assert_string_equal(d->column_text(st, 0), "kept");
	d->finalize(st);
	/* A failed statement aborts a PostgreSQL transaction: COMMIT then
	 * answers ROLLBACK, which must not read as success. */
	assert_int_equal(d->begin(c), 0);
	assert_int_equal(insert(c, "kept", 1, NULL), DB_ECONSTRAINT);
	assert_int_not_equal(d->commit(c), 0);
	assert_int_equal(run(c, "SELECT count(*) FROM item", &st), DB_ROW);
	assert_int_equal(d->column_i64(st, 0), 1);
	d->finalize(st);
	d->disconnect(c);
}

struct waiter {
	void *c;
	volatile int began;
};

static void *begin_thread(void *arg)
{
	struct waiter *w = arg;
	w->began = d->begin(w->c) == 0 ? 1 : -1;
	return NULL;
}

/* begin takes the writers' lock: a second writer waits for the first. */
static void test_writer_lock(void **state)
{
	(void)state;
	struct waiter w = {conn(), 0};
	void *a = conn();
	assert_int_equal(d->begin(a), 0);
	pthread_t t;
	pthread_create(&t, NULL, begin_thread, &w);
	usleep(300000);
	assert_int_equal(w.began, 0);
	assert_int_equal(d->commit(a), 0);
	pthread_join(t, NULL);
	assert_int_equal(w.began, 1);
	d->rollback(w.c);
	d->disconnect(w.c);
	d->disconnect(a);
}

static int64_t backend_pid(void *c)
{
	void *st;
	assert_int_equal(run(c, "SELECT pg_backend_pid()", &st), DB_ROW);
	int64_t pid = d->column_i64(st, 0);
	d->finalize(st);
	return pid;
}

static void terminate(void *killer, int64_t pid)
{
	void *st = d->prepare(killer, "SELECT pg_terminate_backend(?)");
	d->bind_i64(st, 1, pid);
	assert_int_equal(d->step(st), DB_ROW);
	d->finalize(st);
	usleep(100000);
}

/* After the server drops the session, a read outside a transaction is
 * retried once on a new session; a write fails and broken() says so. */
static void test_reconnect(void **state)
{
	(void)state;
	void *c = conn(), *killer = conn();
	setup_table(c);
	void *cached = d->prepare(c, "SELECT count(*) FROM item WHERE n >= ?");
	d->bind_i64(cached, 1, 0);
	assert_int_equal(d->step(cached), DB_ROW);
	d->reset(cached);
	int64_t pid = backend_pid(c);
	terminate(killer, pid);
	d->bind_i64(cached, 1, 0);
	assert_int_equal(d->step(cached), DB_ROW);	/* prepared again on the new session */
	assert_int_equal(d->column_i64(cached, 0), 0);
	d->reset(cached);
	assert_int_not_equal(backend_pid(c), pid);
	assert_int_equal(d->broken(c), 0);

	terminate(killer, backend_pid(c));
	assert_int_equal(insert(c, "maybe", 1, NULL), DB_EIO);
	assert_int_equal(d->broken(c), 1);
	d->finalize(cached);
	d->disconnect(c);
	c = conn();
	assert_int_equal(insert(c, "after", 1, NULL), DB_ROW);
	/* begin on a lost session starts over on a new one. */
	terminate(killer, backend_pid(c));
	assert_int_equal(d->begin(c), 0);
	assert_int_equal(insert(c, "in tx", 1, NULL), DB_ROW);
	assert_int_equal(d->commit(c), 0);
	d->disconnect(c);
	d->disconnect(killer);
}

struct migrator {
	int rc, version, applied;
};

static void *migrate_thread(void *arg)
{
	struct migrator *m = arg;
	void *c = d->connect();
	m->rc = c ? d->migrate(c, &m->version, &m->applied) : -1;
	d->disconnect(c);
	return NULL;
}

/* Three servers starting at once: every embedded migration is applied
 * exactly once, all three end at the same version, and the session's
 * statement timeout is back afterwards. */
static void test_migrate(void **state)
{
	(void)state;
	int files = 0, newest = 0;
	for (const struct asset *a = schema_pg_files; a->name; a++)
		if (atoi(a->name) > 0)
			files++, newest = atoi(a->name);
	struct migrator m[3] = {{0}};
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, migrate_thread, &m[i]);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(m[0].applied + m[1].applied + m[2].applied, files);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(m[i].rc, 0);
		assert_int_equal(m[i].version, newest);
	}
	void *c = conn(), *st;
	int version = -1, applied = -1;
	assert_int_equal(d->migrate(c, &version, &applied), 0);
	assert_int_equal(applied, 0);
	assert_int_equal(version, newest);
	assert_int_equal(run(c, "SELECT count(*), current_setting('statement_timeout') FROM schema_migrations", &st),
			 DB_ROW);
	assert_int_equal(d->column_i64(st, 0), files);
	assert_string_equal(d->column_text(st, 1), "30s");	/* restored after migrating */
	d->finalize(st);
	d->disconnect(c);
}

static void test_timeout(void **state)
{
	(void)state;
	setenv("WENMING_PG_STATEMENT_TIMEOUT_MS", "200", 1);
	assert_int_equal(d->init(target), 0);
	void *c = conn();
	assert_int_equal(run(c, "SELECT pg_sleep(2)", NULL), DB_EIO);
	assert_non_null(strstr(d->errmsg(c), "57014"));
	assert_int_equal(d->broken(c), 0);
	d->disconnect(c);
	setenv("WENMING_PG_STATEMENT_TIMEOUT_MS", "soon", 1);
	assert_int_not_equal(d->init(target), 0);
	unsetenv("WENMING_PG_STATEMENT_TIMEOUT_MS");
	assert_int_equal(d->init(target), 0);
}

static void test_init_errors(void **state)
{
	(void)state;
	assert_int_not_equal(d->init("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"), 0);
	assert_int_not_equal(d->init("host=127.0.0.1 port= =oops"), 0);
	assert_int_equal(d->init(target), 0);
}

/* Set-up: a database of its own, named for the process. ---------------------- */

/* The base URI's parameters with dbname replaced, as a keyword string (so
 * the driver's keyword-string path is exercised too). */
static int make_target(const char *base)
{
	PQconninfoOption *opts = PQconninfoParse(base, NULL);
	if (!opts)
		return -1;
	size_t n = 0;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || !*o->val || !strcmp(o->keyword, "dbname"))
			continue;
		n += (size_t)snprintf(target + n, sizeof target - n, "%s='", o->keyword);
		for (const char *p = o->val; *p && n < sizeof target - 4; p++) {
			if (*p == '\'' || *p == '\\')
				target[n++] = '\\';
			target[n++] = *p;
		}
		n += (size_t)snprintf(target + n, sizeof target - n, "' ");
	}
	snprintf(target + n, sizeof target - n, "dbname=%s", dbname);
	PQconninfoFree(opts);
	return 0;
}

static int admin(const char *base, const char *sql)
{
	PGconn *pg = PQconnectdb(base);
	PGresult *res = PQexec(pg, sql);
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
	if (rc)
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(pg));
	PQclear(res);
	PQfinish(pg);
	return rc;
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_classes),
	};
	const struct CMUnitTest live[] = {
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_binds),
		cmocka_unit_test(test_untyped),
		cmocka_unit_test(test_errors_changes),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_writer_lock),
		cmocka_unit_test(test_reconnect),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_init_errors),
	};
	int failed = cmocka_run_group_tests_name("driver_pg pure", pure, NULL, NULL);
	const char *base = getenv("WENMING_TEST_PG");
	if (failed || !base || !*base) {
		if (!failed)
			fprintf(stderr, "WENMING_TEST_PG unset: the PostgreSQL part is skipped\n");
		return failed ? failed : 77;
	}
	char sql[128];
	snprintf(dbname, sizeof dbname, "wm_test_driver_%ld", (long)getpid());
	snprintf(sql, sizeof sql, "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", dbname);
	if (make_target(base) || admin(base, sql))
		return 1;
	if (d->init(target) != 0) {
		fprintf(stderr, "cannot use %s\n", target);
		failed = 1;
	} else
		failed = cmocka_run_group_tests_name("driver_pg live", live, NULL, NULL);
	snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", dbname);
	admin(base, sql);
	return failed;
}
