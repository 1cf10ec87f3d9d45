/*
 * test_mask_text.c — unit tests for mask_text_numbers (src/core/mask_text.c):
 * phones alone, with +86/86 and in 3-4-4 groupings, 18-digit IDs (digit and
 * X/x check characters), old 15-digit IDs, numbers inside Chinese text; and
 * what must stay: dates, house numbers, 12-digit and 19-digit runs, a phone
 * glued to more digits, a grouping with mixed separators, text ending early.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/mask_text.h"

struct mcase {
	const char *in, *want;
	int count;
};

static const struct mcase cases[] = {
	{"13812345678", "138****5678", 1},
	{"请联系我13812345678谢谢", "请联系我138****5678谢谢", 1},
	{"+8613812345678", "+86138****5678", 1},
	{"电话 138-1234-5678 或 139 8765 4321", "电话 138-****-5678 或 139 **** 4321", 2},
	{"110105199001011234", "11*************234", 1},
	{"身份证11010519900101123X。", "身份证11*************23X。", 1},
	{"11010519900101123x", "11*************23x", 1},
	{"110105900101123", "11**********123", 1},
	{"2026年11月21日 12号楼3单元", "2026年11月21日 12号楼3单元", 0},
	{"订单123456789012", "订单123456789012", 0},
	{"1234567890123456789", "1234567890123456789", 0},
	{"12812345678", "12812345678", 0},
	{"138123456789", "138123456789", 0},
	{"138-1234 5678", "138-1234 5678", 0},
	{"138-1234-567", "138-1234-567", 0},
	{"138-1234-56789", "138-1234-56789", 0},
	{"", "", 0},
	{"1", "1", 0},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char s[128];
		snprintf(s, sizeof s, "%s", cases[i].in);
		int n = mask_text_numbers(s, strlen(s));
		if (strcmp(s, cases[i].want) || n != cases[i].count)
			fail_msg("case %zu: got \"%s\" (%d) want \"%s\" (%d)", i, s, n, cases[i].want, cases[i].count);
	}
}

/* The length given is respected: nothing past n is read or written. */
static void test_bounds(void **state)
{
	(void)state;
	char s[] = "13812345678";
	assert_int_equal(mask_text_numbers(s, 10), 0);
	assert_string_equal(s, "13812345678");
	char g[] = "138-1234-5678";
	assert_int_equal(mask_text_numbers(g, 12), 0);
	assert_string_equal(g, "138-1234-5678");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
