/*
 * mask_text.c — see mask_text.h. Works on digit runs: a run is masked only
 * when its whole length is that of a phone or an ID, so "2026年11月21日" or
 * "12号楼" never lose digits.
 */
#include "mask_text.h"

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

static void stars(char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		s[i] = '*';
}

static int mobile_at(const char *s)
{
	return s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

/* "138-1234-5678" / "138 1234 5678": the run of 3 starting at i is followed
 * by one separator, 4 digits, the same separator, 4 digits and no digit. */
static int grouped_phone(const char *s, size_t n, size_t i)
{
	if (i + 13 > n || !mobile_at(s + i))
		return 0;
	char sep = s[i + 3];
	if (sep != '-' && sep != ' ')
		return 0;
	for (size_t k = 0; k < 4; k++)
		if (!digit(s[i + 4 + k]) || !digit(s[i + 9 + k]))
			return 0;
	return s[i + 8] == sep && (i + 13 == n || !digit(s[i + 13]));
}

int mask_text_numbers(char *s, size_t n)
{
	int masked = 0;
	size_t i = 0;
	while (i < n) {
		if (!digit(s[i]) || (i > 0 && digit(s[i - 1]))) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && digit(s[j]))
			j++;
		size_t len = j - i;
		int x_tail = len == 17 && j < n && (s[j] == 'X' || s[j] == 'x') && (j + 1 == n || !digit(s[j + 1]));
		if (len == 11 && mobile_at(s + i)) {
			stars(s, i + 3, i + 7);
			masked++;
		} else if (len == 13 && s[i] == '8' && s[i + 1] == '6' && mobile_at(s + i + 2)) {
			stars(s, i + 5, i + 9);
			masked++;
		} else if (len == 18 || x_tail || len == 15) {
			size_t total = x_tail ? 18 : len;
			stars(s, i + 2, i + total - 3);
			masked++;
			if (x_tail)
				j++;
		} else if (len == 3 && grouped_phone(s, n, i)) {
			stars(s, i + 4, i + 8);
			masked++;
			j = i + 13;
		}
		i = j;
	}
	return masked;
}
