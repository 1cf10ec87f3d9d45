/*
 * pwpolicy.c — see pwpolicy.h. Pure functions, no I/O: the list of common
 * passwords is compiled in (common_passwords.inc, generated from
 * data/common-passwords.txt) and searched with bsearch.
 */
#include "pwpolicy.h"
#include "validate.h"
#include <ctype.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

static const char *const common[] = {
#include "common_passwords.inc"
};

static int cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void lower(char *out, size_t n, const char *s, size_t len)
{
	size_t i;
	for (i = 0; i + 1 < n && i < len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = 0;
}

static int listed(const char *s, size_t len)
{
	char k[PW_MAX * 4 + 1];
	if (len >= sizeof k)
		return 0;
	lower(k, sizeof k, s, len);
	const char *key = k;
	return bsearch(&key, common, sizeof common / sizeof *common, sizeof *common, cmp) != NULL;
}

int pw_is_common(const char *pw)
{
	size_t n = strlen(pw);
	if (listed(pw, n))
		return 1;
	/* "password2026", "qwerty123!": a listed word with digits or signs tacked on. */
	while (n > 0 && !isalpha((unsigned char)pw[n - 1]))
		n--;
	return n >= 6 && n < strlen(pw) && listed(pw, n);
}

/* All one character, or runs like 12345678 / abcdefgh / 87654321, or a short
 * unit repeated (abcabcabc, 12121212). */
static int trivial(const char *pw)
{
	size_t n = strlen(pw);
	int up = 1, down = 1;
	for (size_t i = 1; i < n; i++) {
		int d = (unsigned char)pw[i] - (unsigned char)pw[i - 1];
		up &= d == 1;
		down &= d == -1;
	}
	if (up || down)
		return 1;
	for (size_t unit = 1; unit <= 4 && unit < n; unit++) {
		size_t i = unit;
		while (i < n && pw[i] == pw[i - unit])
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

static int blank(const char *pw)
{
	for (const char *c = pw; *c; c++)
		if (!isspace((unsigned char)*c))
			return 0;
	return 1;
}

/* Case-insensitive: does hay contain needle (ASCII folding only)? */
static int contains(const char *hay, const char *needle)
{
	size_t h = strlen(hay), n = strlen(needle);
	for (size_t i = 0; n && i + n <= h; i++)
		if (!strncasecmp(hay + i, needle, n))
			return 1;
	return 0;
}

const char *pw_policy_check(const char *pw, const char *login, const char *name, int staff)
{
	long n = utf8_length(pw, strlen(pw));
	if (n < (staff ? PW_MIN_STAFF : PW_MIN))
		return staff ? "管理人员账号的密码至少 12 个字符" : "密码至少 8 个字符";
	if (n > PW_MAX)
		return "密码最多 128 个字符";
	if (blank(pw))
		return "密码不能全是空格";
	if (trivial(pw))
		return "密码不能是同一字符重复、连续字符或简单重复";
	if (pw_is_common(pw))
		return "这是常见密码，请换一个不易猜到的密码";
	if (login && strlen(login) >= 3 && contains(pw, login))
		return "密码不能包含登录名";
	if (login && !strcasecmp(login, pw))
		return "密码不能与登录名相同";
	if (name && strlen(name) >= 3 && contains(pw, name))
		return "密码不能包含姓名";
	return NULL;
}
