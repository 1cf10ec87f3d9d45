/*
 * test_pwpolicy.c — unit tests for the password policy (src/core/pwpolicy.c,
 * review 2026-12-07 #13): the review's weak passwords (12345678, aaaaaaaa,
 * password, eight spaces) and other trivial ones are refused; common words
 * with digits tacked on; the login and display name inside the password;
 * staff accounts need 12 characters; ordinary passphrases pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/pwpolicy.h"

static void test_refused(void **state)
{
	(void)state;
	static const char *const weak[] = {
		"12345678", "aaaaaaaa", "password", "        ", "\t \t \t \t", "87654321", "abcdefgh", "abcabcabc",
		"12121212", "PassWord", "password2026", "qwerty123!", "1qaz2wsx", "woaini1314", "iloveyou", "a1234567",
		"short", "", NULL,
	};
	for (int i = 0; weak[i]; i++) {
		const char *why = pw_policy_check(weak[i], "someone", NULL, 0);
		if (!why)
			fail_msg("accepted: \"%s\"", weak[i]);
	}
	char big[200];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	big[5] = 'y';
	assert_non_null(pw_policy_check(big, NULL, NULL, 0));
}

static void test_personal(void **state)
{
	(void)state;
	assert_non_null(pw_policy_check("zhangwei", "zhangwei", NULL, 0));
	assert_non_null(pw_policy_check("ZhangWei-2026", "zhangwei", NULL, 0));
	assert_non_null(pw_policy_check("my-Wang-Fang-77", "wf", "wang-fang", 0));
	assert_null(pw_policy_check("my-Wang-Fang-77", "wf", "张", 0));
}

static void test_staff(void **state)
{
	(void)state;
	assert_null(pw_policy_check("tree-lamp-9", "u1", NULL, 0));
	assert_non_null(pw_policy_check("tree-lamp-9", "u1", NULL, 1));
	assert_null(pw_policy_check("tree-lamp-river-9", "u1", NULL, 1));
}

static void test_accepted(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"acc-secret-123", "correct horse battery", "文明城市创建2026", "tk-reset-456x", "Xq7!vB2m", "a-long-secret-1", NULL,
	};
	for (int i = 0; ok[i]; i++) {
		const char *why = pw_policy_check(ok[i], "login1", "测试账号", 0);
		if (why)
			fail_msg("refused \"%s\": %s", ok[i], why);
	}
	assert_true(pw_is_common("Password1"));
	assert_false(pw_is_common("acc-secret-123"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_personal),
		cmocka_unit_test(test_staff),
		cmocka_unit_test(test_accepted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
