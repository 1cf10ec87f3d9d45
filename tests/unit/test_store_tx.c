/* test_store_tx.c — write transactions against a real SQLite database in a
 * temporary directory, or PostgreSQL when WENMING_TEST_PG names a server (a
 * database of its own): a failed write or an inner rollback dooms the
 * transaction (later writes in it are refused, the writers' lock stays held
 * until the outermost level, which rolls back and fails; nothing is kept,
 * the lock is free again); a constraint failure does not; a read-only scope
 * refuses BEGIN and writes; and the fault injection the API sweep uses
 * (docs/TESTING.md, "Fault injection") fails exactly the N-th write of a
 * thread in scope, BEGIN and COMMIT included. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "store/store.h"

static _Atomic int seq;
static char pg_base[512], pg_db[64];

/* A new account with a unique login; returns the store's answer. */
static int mk(char *login, size_t n)
{
	snprintf(login, n, "tx-%d", ++seq);
	return store_account_create(login, "事务测试", "x", 0, NULL);
}

static int psql(const char *sql)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "psql -X -q -v ON_ERROR_STOP=1 -d '%s' -c '%s' >/dev/null", pg_base, sql);
	return system(cmd);
}

/* On PostgreSQL: a database of this test's own, selected for store_init. */
static void pick_database(void)
{
	const char *base = getenv("WENMING_TEST_PG");
	if (!base || !*base)
		return;
	snprintf(pg_base, sizeof pg_base, "%s", base);
	snprintf(pg_db, sizeof pg_db, "wm_test_tx_%ld", (long)getpid());
	char sql[128], url[600];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING \"UTF8\"", pg_db);
	assert_int_equal(psql(sql), 0);
	const char *slash = strrchr(base, '/'), *query = strchr(slash, '?');
	snprintf(url, sizeof url, "%.*s/%s%s", (int)(slash - base), base, pg_db, query ? query : "");
	assert_int_equal(store_select(url, NULL), STORE_OK);
}

static int exists(const char *login)
{
	json_t *a = store_account_auth(login);
	json_decref(a);
	return a != NULL;
}

static int setup(void **s)
{
	(void)s;
	char tmpl[] = "/tmp/wm-storetx-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	pick_database();
	assert_int_equal(store_init(tmpl), STORE_OK);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	store_fault_arm(0);
	store_fault_scope(0);
	store_shutdown();
	if (pg_db[0]) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", pg_db);
		psql(sql);
	}
	return 0;
}

/* After a doomed transaction the lock must be free: a plain one commits. */
static void assert_lock_free(void)
{
	char l[32];
	assert_int_equal(store_begin(), STORE_OK);
	assert_int_equal(mk(l, sizeof l), STORE_OK);
	assert_int_equal(store_commit(), STORE_OK);
	assert_true(exists(l));
}

static void inner_rollback_dooms(void **s)
{
	(void)s;
	char a[32], b[32], c[32];
	assert_int_equal(store_begin(), STORE_OK);
	assert_int_equal(mk(a, sizeof a), STORE_OK);
	assert_int_equal(store_begin(), STORE_OK);
	assert_int_equal(mk(b, sizeof b), STORE_OK);
	store_rollback();
	/* Still inside the outer transaction, which is doomed: this write is
	 * refused, not autocommitted. */
	assert_int_equal(mk(c, sizeof c), STORE_EIO);
	assert_int_equal(store_commit(), STORE_EIO);
	assert_false(exists(a));
	assert_false(exists(b));
	assert_false(exists(c));
	assert_lock_free();
}

static void failed_write_dooms(void **s)
{
	(void)s;
	char a[32], b[32], c[32];
	uint64_t fired = store_fault_fired_total();
	store_fault_scope(1);
	assert_int_equal(store_begin(), STORE_OK);
	assert_int_equal(mk(a, sizeof a), STORE_OK);
	store_fault_arm(1);
	assert_int_equal(mk(b, sizeof b), STORE_EIO);
	assert_int_equal(store_fault_take(), 1);
	assert_int_equal(store_fault_take(), 0);
	assert_int_equal(store_fault_fired_total(), fired + 1);
	/* The caller ignores the failure and goes on: the next write is refused
	 * (on SQLite an I/O error may have ended the transaction already, so it
	 * would have autocommitted), and the commit refuses. */
	assert_int_equal(mk(c, sizeof c), STORE_EIO);
	assert_int_equal(store_commit(), STORE_EIO);
	assert_false(exists(a));
	assert_false(exists(b));
	assert_false(exists(c));
	store_fault_scope(0);
	assert_lock_free();
}

/* On SQLite; on PostgreSQL it does (the engine's rule). */
static void constraint_does_not_doom(void **s)
{
	(void)s;
	char a[32], b[32];
	assert_int_equal(store_begin(), STORE_OK);
	assert_int_equal(mk(a, sizeof a), STORE_OK);
	assert_int_equal(store_account_create(a, "重复", "x", 0, NULL), STORE_ECONFLICT);
	if (store_is_pg()) {
		/* PostgreSQL aborts the transaction on any error, a constraint too:
		 * the next write is refused and the commit rolls back. */
		assert_int_equal(mk(b, sizeof b), STORE_EIO);
		assert_int_equal(store_commit(), STORE_EIO);
		assert_false(exists(a));
		assert_lock_free();
		return;
	}
	assert_int_equal(mk(b, sizeof b), STORE_OK);
	assert_int_equal(store_commit(), STORE_OK);
	assert_true(exists(a));
	assert_true(exists(b));
}

static void fault_counts_begin_and_commit(void **s)
{
	(void)s;
	char a[32];
	store_fault_scope(1);
	store_fault_arm(1);	/* BEGIN */
	assert_int_equal(store_begin(), STORE_EIO);
	assert_int_equal(store_fault_take(), 1);
	store_fault_arm(3);	/* BEGIN, the insert, COMMIT */
	assert_int_equal(store_begin(), STORE_OK);
	assert_int_equal(mk(a, sizeof a), STORE_OK);
	assert_int_equal(store_commit(), STORE_EIO);
	assert_int_equal(store_fault_take(), 1);
	assert_false(exists(a));
	/* Reads neither count nor fail. */
	store_fault_arm(1);
	assert_false(exists("nobody"));
	assert_int_equal(store_ping(), STORE_OK);
	assert_int_equal(store_fault_take(), 0);
	store_fault_arm(0);
	store_fault_scope(0);
	assert_lock_free();
}

static void fault_spares_threads_out_of_scope(void **s)
{
	(void)s;
	char a[32];
	store_fault_scope(0);
	store_fault_arm(1);
	assert_int_equal(mk(a, sizeof a), STORE_OK);	/* autocommit, not counted */
	assert_true(exists(a));
	assert_int_equal(store_fault_take(), 0);
	store_fault_scope(1);
	assert_int_equal(mk(a, sizeof a), STORE_EIO);	/* the armed fault was still waiting */
	assert_int_equal(store_fault_take(), 1);
	assert_false(exists(a));
	store_fault_scope(0);
}

/* Another thread's whole write transaction (begin, insert, commit). */
static _Atomic int other_done;
static char other_login[32];

static void *other_writer(void *arg)
{
	(void)arg;
	int rc = store_begin();
	if (rc == STORE_OK)
		rc = mk(other_login, sizeof other_login);
	if (rc == STORE_OK)
		rc = store_commit();
	else
		store_rollback();
	store_thread_close();
	atomic_store(&other_done, rc == STORE_OK ? 1 : -1);
	return NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

/* Deferred rollback: an inner rollback keeps the writers' lock (SQLite's
 * process lock, PostgreSQL's advisory lock) until the outermost level ends,
 * so no other writer gets in between. */
static void inner_rollback_keeps_the_lock(void **s)
{
	(void)s;
	char a[32];
	assert_int_equal(store_begin(), STORE_OK);
	assert_int_equal(store_begin(), STORE_OK);
	assert_int_equal(mk(a, sizeof a), STORE_OK);
	store_rollback();
	atomic_store(&other_done, 0);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, other_writer, NULL), 0);
	sleep_ms(300);
	assert_int_equal(atomic_load(&other_done), 0);	/* still waiting for the lock */
	store_rollback();	/* the outermost level: rolls back, frees the lock */
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(atomic_load(&other_done), 1);
	assert_false(exists(a));
	assert_true(exists(other_login));
}

/* store_read_only: neither BEGIN nor a write (autocommit) gets through, so
 * the writers' lock is never taken; reads do. */
static void read_only_scope_refuses_writes(void **s)
{
	(void)s;
	char a[32];
	store_read_only(1);
	assert_int_equal(store_begin(), STORE_EIO);
	assert_int_equal(mk(a, sizeof a), STORE_EIO);
	assert_int_equal(store_ping(), STORE_OK);
	store_read_only(0);
	assert_false(exists(a));
	assert_lock_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inner_rollback_dooms),
		cmocka_unit_test(failed_write_dooms),
		cmocka_unit_test(constraint_does_not_doom),
		cmocka_unit_test(fault_counts_begin_and_commit),
		cmocka_unit_test(fault_spares_threads_out_of_scope),
		cmocka_unit_test(inner_rollback_keeps_the_lock),
		cmocka_unit_test(read_only_scope_refuses_writes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
