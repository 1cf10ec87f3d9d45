/*
 * test_mask_text.c — unit tests for mask_text_numbers (src/core/mask_text.c):
 * phones alone, with +86/86 and in 3-4-4 groupings, 18-digit IDs (digit and
 * X/x check characters), old 15-digit IDs, numbers inside Chinese text; and
 * what must stay: dates, house numbers, 12-digit and 19-digit runs, a phone
 * glued to more digits, text ending early; numbers written with separators
 * (".", spaces, dashes, spaced digits), full-width digits and grouped IDs
 * (review 2026-12-07 #14); building and room numbers (mask_text_places).
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
	/* Separators are normalised (review 2026-12-07 #14): one kind per number. */
	{"138.1234.5678", "138.****.5678", 1},
	{"138 12345678", "138 ****5678", 1},
	{"1381234 5678", "138**** 5678", 1},
	{"138\xE2\x80\x94" "1234\xE2\x80\x94" "5678", "138\xE2\x80\x94" "****\xE2\x80\x94" "5678", 1},
	{"1 3 8 1 2 3 4 5 6 7 8", "1 3 8 * * * * 5 6 7 8", 1},
	{"\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94"
	 "\xEF\xBC\x95\xEF\xBC\x96\xEF\xBC\x97\xEF\xBC\x98",	/* １３８１２３４５６７８ */
	 "\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x8A\xEF\xBC\x8A\xEF\xBC\x8A\xEF\xBC\x8A"
	 "\xEF\xBC\x95\xEF\xBC\x96\xEF\xBC\x97\xEF\xBC\x98", 1},
	{"3101 1520 0211 2392 49", "31** **** **** ***2 49", 1},
	{"310115-20021123-9249", "31****-********-*249", 1},
	{"身份证 3101 1520 0211 2392 4X 谢谢", "身份证 31** **** **** ***2 4X 谢谢", 1},
	{"+86 138 1234 5678", "+86 138 **** 5678", 1},
	{"138  1234  5678", "138  ****  5678", 1},
	{"2026-11-21 13812345678", "2026-11-21 138****5678", 1},
	{"2026.11.21 12:30 共3人", "2026.11.21 12:30 共3人", 0},
	{"138-1234 5678", "138-**** 5678", 1},
	{"138-1234-567", "138-1234-567", 0},
	{"138-1234-56789", "138-1234-56789", 0},
	{"", "", 0},
	{"1", "1", 0},
	{"12 345 678 901 2", "12 345 678 901 2", 0},	/* 15 digits only when written whole */
	{"138   1234 5678", "138   1234 5678", 0},	/* three separators: not one number */
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

/* mask_text_places: what lies below the compound loses its digits. */
static void test_places(void **state)
{
	(void)state;
	static const char *const pc[][2] = {
		{"锦绣前城12号楼502室", "锦绣前城*号楼*室"},
		{"锦绣前城 12号楼楼道再次堆放", "锦绣前城 *号楼楼道再次堆放"},
		{"3单元5楼东户", "*单元*楼东户"},
		{"12号楼502门口", "*号楼*门口"},
		{"12栋3层", "*栋*层"},
		{"12-502 门口", "*-* 门口"},
		{"12#楼下", "*#楼下"},
		{"锦绣路100号门口，2026年11月21日", "锦绣路100号门口，2026年11月21日"},
		{"2026-11-21 电动车", "2026-11-21 电动车"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof pc / sizeof *pc; i++) {
		char s[128];
		snprintf(s, sizeof s, "%s", pc[i][0]);
		size_t n = mask_text_places(s, strlen(s));
		if (strcmp(s, pc[i][1]) || n != strlen(pc[i][1]))
			fail_msg("place case %zu: got \"%s\" want \"%s\"", i, s, pc[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_places),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
