/*
 * test_chinese.c — unit tests for src/core/chinese.{h,c} (OpenCC t2s):
 *   - traditional → simplified (樓道堆物 → 楼道堆物), simplified unchanged;
 *   - mixed ASCII and Chinese, codes and punctuation kept byte for byte;
 *   - the empty string and NULL;
 *   - invalid UTF-8 comes back unchanged (never passed to OpenCC);
 *   - zh_shutdown then a new conversion loads the converter again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/chinese.h"

static void expect(const char *in, const char *want)
{
	char *out = zh_simplify(in);
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void t_traditional(void **state)
{
	(void)state;
	assert_int_equal(zh_init(), 0);
	expect("樓道堆物", "楼道堆物");
	expect("樓道堆物雜物", "楼道堆物杂物");
	expect("垃圾亂堆，車輛亂停", "垃圾乱堆，车辆乱停");
	expect("楼道堆物", "楼道堆物");
}

static void t_mixed_ascii(void **state)
{
	(void)state;
	expect("HM-2026-000123 樓道 3號樓", "HM-2026-000123 楼道 3号楼");
	expect("plain ascii \"quoted\" * OR NEAR(", "plain ascii \"quoted\" * OR NEAR(");
}

static void t_empty(void **state)
{
	(void)state;
	expect("", "");
	assert_null(zh_simplify(NULL));
}

static void t_invalid_utf8(void **state)
{
	(void)state;
	static const char bad[] = "\xe6\xa8\x93\xff\xfe abc \xe6";	/* 樓, stray bytes, a cut sequence */
	char *out = zh_simplify(bad);
	assert_non_null(out);
	assert_memory_equal(out, bad, sizeof bad);
	free(out);
	expect("\xc0\x80", "\xc0\x80");	/* overlong NUL */
}

static void t_reload(void **state)
{
	(void)state;
	zh_shutdown();
	expect("問題", "问题");
	zh_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_traditional), cmocka_unit_test(t_mixed_ascii), cmocka_unit_test(t_empty),
		cmocka_unit_test(t_invalid_utf8), cmocka_unit_test(t_reload),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
