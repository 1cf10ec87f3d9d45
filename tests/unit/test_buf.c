/* test_buf.c — core/buf.c: the maximum is sticky (overflow), and so is a
 * failed allocation (forced with buf_fail_alloc_after): the buffer keeps
 * what it had, every later append is a no-op that fails, and the thread's
 * out-of-memory count tells the dispatcher once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "core/buf.h"

static void appends_and_grows(void **s)
{
	(void)s;
	buf_t b;
	buf_init(&b, 1 << 20);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_printf(&b, "%04d,", i), 0);
	assert_int_equal(b.len, 5000);
	assert_memory_equal(b.data + 4995, "0999,", 5);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_oom_take(), 0);
	buf_free(&b);
}

static void overflow_is_sticky(void **s)
{
	(void)s;
	buf_t b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345"), 0);
	assert_int_equal(buf_puts(&b, "6789"), -1);
	assert_true(b.overflow);
	assert_int_equal(buf_puts(&b, "x"), -1);	/* would fit, but the file is already short */
	assert_string_equal(b.data, "12345");
	assert_true(buf_failed(&b));
	assert_int_equal(buf_oom_take(), 0);	/* a maximum is not out of memory */
	buf_free(&b);
}

static void failed_growth_is_sticky(void **s)
{
	(void)s;
	buf_t b;
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_puts(&b, "header\n"), 0);	/* first allocation: 256 bytes */
	buf_fail_alloc_after(1);	/* the next growth fails */
	char row[300];
	memset(row, 'x', sizeof row - 1);
	row[sizeof row - 1] = 0;
	assert_int_equal(buf_puts(&b, row), -1);
	assert_true(b.oom);
	assert_true(buf_failed(&b));
	assert_false(b.overflow);
	/* Memory is back, but later appends stay no-ops: nothing after the gap. */
	assert_int_equal(buf_puts(&b, "tail"), -1);
	assert_int_equal(buf_printf(&b, "%d", 42), -1);
	assert_int_equal(b.len, 7);
	assert_string_equal(b.data, "header\n");
	assert_int_equal(buf_oom_take(), 1);	/* counted once, for the dispatcher */
	assert_int_equal(buf_oom_take(), 0);
	buf_free(&b);
	/* buf_free resets it: the buffer is usable again. */
	buf_init(&b, 16);
	assert_int_equal(buf_puts(&b, "ok"), 0);
	buf_free(&b);
}

static void failed_printf_scratch_is_sticky(void **s)
{
	(void)s;
	buf_t b;
	buf_init(&b, 1 << 20);
	char big[400];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = 0;
	buf_fail_alloc_after(1);	/* buf_printf's scratch for a long line */
	assert_int_equal(buf_printf(&b, "%s", big), -1);
	assert_true(b.oom);
	assert_int_equal(buf_puts(&b, "a"), -1);
	assert_int_equal(buf_oom_take(), 1);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(appends_and_grows),
		cmocka_unit_test(overflow_is_sticky),
		cmocka_unit_test(failed_growth_is_sticky),
		cmocka_unit_test(failed_printf_scratch_is_sticky),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
