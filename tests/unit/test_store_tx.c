/* test_store_tx.c — write transactions against a real SQLite database in a
 * temporary directory: a failed write or an inner rollback dooms the
 * transaction (the outermost commit rolls back and fails, nothing is kept, the
 * write lock is free again); a constraint failure does not; and the fault
 * injection the API sweep uses (docs/TESTING.md, "Fault injection") fails
 * exactly the N-th write of a thread in scope, BEGIN and COMMIT included. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store.h"

static int seq;

/* A new account with a unique login; returns the store's answer. */
static int mk(char *login, size_t n)
{
	snprintf(login, n, "tx-%d", ++seq);
	return store_account_create(login, "事务测试", "x", 0, NULL);
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
	assert_int_equal(store_init(tmpl), STORE_OK);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	store_fault_arm(0);
	store_fault_scope(0);
	store_shutdown();
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
	/* Still inside the outer transaction: this write is not autocommitted. */
	assert_int_equal(mk(c, sizeof c), STORE_OK);
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
	/* The caller ignores the failure and goes on: the commit refuses. */
	assert_int_equal(mk(c, sizeof c), STORE_OK);
	assert_int_equal(store_commit(), STORE_EIO);
	assert_false(exists(a));
	assert_false(exists(b));
	assert_false(exists(c));
	store_fault_scope(0);
	assert_lock_free();
}

static void constraint_does_not_doom(void **s)
{
	(void)s;
	char a[32], b[32];
	assert_int_equal(store_begin(), STORE_OK);
	assert_int_equal(mk(a, sizeof a), STORE_OK);
	assert_int_equal(store_account_create(a, "重复", "x", 0, NULL), STORE_ECONFLICT);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inner_rollback_dooms),
		cmocka_unit_test(failed_write_dooms),
		cmocka_unit_test(constraint_does_not_doom),
		cmocka_unit_test(fault_counts_begin_and_commit),
		cmocka_unit_test(fault_spares_threads_out_of_scope),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
