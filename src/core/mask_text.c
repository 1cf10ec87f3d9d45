/*
 * mask_text.c — see mask_text.h.
 *
 * Numbers: people write a phone as 13812345678, 138-1234-5678,
 * 138.1234.5678, 138 12345678, 1 3 8 1 2 …, with dashes (—, –, －), or in
 * full-width digits (１３８…), and an ID as 3101 1520 0211 2392 49 or
 * 310115-20021123-9249. So the text is read as runs of digit groups joined
 * by one or two separators; a group (digits written together) is never
 * split, and a number is masked when consecutive groups add up to a phone or
 * an ID. "2026年11月21日" or "12号楼" never lose digits: no group sequence of
 * theirs has the length of a phone or an ID.
 *
 * Places: the public sees a place down to the compound (SPEC §2); building,
 * unit, floor and room numbers are below it and lose their digits.
 */
#include "mask_text.h"
#include <string.h>

/* The digit at s[i] (ASCII or full-width U+FF10..FF19): its byte length, 0
 * when there is none. */
static size_t digit_len(const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	if (i < n && u[i] >= '0' && u[i] <= '9')
		return 1;
	if (i + 2 < n && u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] >= 0x90 && u[i + 2] <= 0x99)
		return 3;
	return 0;
}

static int digit_value(const char *s, size_t i)
{
	return (unsigned char)s[i] <= '9' ? s[i] - '0' : (unsigned char)s[i + 2] - 0x90;
}

/* A separator inside a written number at s[i]: its byte length, or 0. */
static size_t sep_len(const char *s, size_t n, size_t i)
{
	static const char *const seps[] = {" ", ".", "-", "\xE2\x80\x94" /* — */, "\xE2\x80\x93" /* – */,
					   "\xEF\xBC\x8D" /* － */, "\xEF\xBC\x8E" /* ． */, "\xE3\x80\x80" /* ideographic space */};
	for (size_t k = 0; k < sizeof seps / sizeof *seps; k++) {
		size_t l = strlen(seps[k]);
		if (i + l <= n && !memcmp(s + i, seps[k], l))
			return l;
	}
	return 0;
}

/* An X check character at s[i] (x, X, full-width Ｘ/ｘ): its byte length, or 0. */
static size_t x_len(const char *s, size_t n, size_t i)
{
	if (i < n && (s[i] == 'X' || s[i] == 'x'))
		return 1;
	if (i + 2 < n && (unsigned char)s[i] == 0xEF &&
	    (((unsigned char)s[i + 1] == 0xBC && (unsigned char)s[i + 2] == 0xB8) ||
	     ((unsigned char)s[i + 1] == 0xBD && (unsigned char)s[i + 2] == 0x98)))
		return 3;
	return 0;
}

#define MAXG 24		/* groups looked at in one run */
#define MAXD 19		/* digits of the longest number masked (18) + 1 */

struct group {
	size_t start, end;	/* bytes */
	int ndig;
};

/* Star the digits of groups [a, b] whose index (counted over those groups)
 * is in [from, to): an ASCII star for an ASCII digit, a full-width one (same
 * length) for a full-width digit. */
static void star_digits(char *s, size_t n, const struct group *g, int a, int b, int from, int to)
{
	int k = 0;
	for (int x = a; x <= b; x++)
		for (size_t i = g[x].start; i < g[x].end;) {
			size_t l = digit_len(s, n, i);
			if (k >= from && k < to) {
				if (l == 1)
					s[i] = '*';
				else
					memcpy(s + i, "\xEF\xBC\x8A", 3);
			}
			k++;
			i += l;
		}
}

/* The number's kind from its digits d[0..len): 1 mobile, 2 +86 mobile, 3 ID. */
static int kind_of(const int *d, int len, int x_tail, int groups)
{
	if (x_tail)
		return len == 17 ? 3 : 0;
	if (len == 11 && d[0] == 1 && d[1] >= 3)
		return 1;
	if (len == 13 && d[0] == 8 && d[1] == 6 && d[2] == 1 && d[3] >= 3)
		return 2;
	/* The old 15-digit ID only written whole: across groups 15 digits are
	 * more often a date and a phone ("11-21 138…"). */
	return len == 18 || (len == 15 && groups == 1) ? 3 : 0;
}

/* Masks the numbers among the groups g[0..ng) of one run; returns how many. */
static int mask_run(char *s, size_t n, const struct group *g, int ng, const int *xt)
{
	int masked = 0;
	for (int a = 0; a < ng;) {
		int d[MAXD], len = 0, best = -1, best_kind = 0;
		for (int b = a; b < ng && len + g[b].ndig < MAXD; b++) {
			for (size_t i = g[b].start; i < g[b].end; i += digit_len(s, n, i))
				d[len++] = digit_value(s, i);
			int k = kind_of(d, len, xt[b], b - a + 1);
			if (k)
				best = b, best_kind = k;
			if (xt[b])
				break;	/* an X ends a number */
		}
		if (best < 0) {
			a++;
			continue;
		}
		int total = 0;
		for (int x = a; x <= best; x++)
			total += g[x].ndig;
		if (best_kind == 1)
			star_digits(s, n, g, a, best, 3, 7);
		else if (best_kind == 2)
			star_digits(s, n, g, a, best, 5, 9);
		else
			star_digits(s, n, g, a, best, 2, (xt[best] ? total + 1 : total) - 3);
		masked++;
		a = best + 1;
	}
	return masked;
}

int mask_text_numbers(char *s, size_t n)
{
	int masked = 0;
	size_t i = 0;
	while (i < n) {
		if (!digit_len(s, n, i)) {
			i++;
			continue;
		}
		/* One run: groups of digits, one or two separators between them. */
		struct group g[MAXG];
		int xt[MAXG], ng = 0;
		size_t j = i;
		while (ng < MAXG) {
			size_t l, start = j;
			int nd = 0;
			while ((l = digit_len(s, n, j)))
				j += l, nd++;
			g[ng] = (struct group){start, j, nd};
			xt[ng] = 0;
			if ((l = x_len(s, n, j)) && !(j + l < n && ((s[j + l] | 32) >= 'a' && (s[j + l] | 32) <= 'z'))) {
				xt[ng] = 1;
				g[ng].end = j;	/* the X is not starred */
				j += l;
			}
			ng++;
			if (xt[ng - 1])
				break;
			size_t k = j, seps = 0;
			while (seps < 2 && (l = sep_len(s, n, k)))
				k += l, seps++;
			if (!seps || !digit_len(s, n, k))
				break;
			j = k;
		}
		/* A group too long to be anything of ours spoils nothing but itself. */
		int start = 0;
		for (int x = 0; x <= ng; x++)
			if (x == ng || g[x].ndig >= MAXD) {
				masked += mask_run(s, n, g + start, x - start, xt + start);
				start = x + 1;
			}
		i = j > i ? j : i + 1;
	}
	return masked;
}

/* Words after a number that make it a building, unit, floor or room
 * number. "号楼" before "楼" and "号房" before "号": the longest first. */
static size_t place_word(const char *s, size_t n, size_t i)
{
	static const char *const words[] = {"号楼", "号房", "号室", "栋", "幢", "座", "单元", "室", "层", "楼", "户", "#", "＃"};
	for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
		size_t l = strlen(words[k]);
		if (i + l <= n && !memcmp(s + i, words[k], l))
			return l;
	}
	return 0;
}

static size_t digits_at(const char *s, size_t n, size_t i)
{
	size_t j = i, l;
	while ((l = digit_len(s, n, j)))
		j += l;
	return j - i;
}

size_t mask_text_places(char *s, size_t n)
{
	size_t w = 0, i = 0;
	int after_place = 0;	/* the last thing copied was a place word: "12号楼502" */
	while (i < n) {
		size_t d = (i == 0 || !digit_len(s, n, i - 1)) ? digits_at(s, n, i) : 0;
		if (!d) {
			size_t l = place_word(s, n, i);
			if (l) {
				memmove(s + w, s + i, l);
				w += l, i += l;
				after_place = 1;
				continue;
			}
			after_place = 0;
			s[w++] = s[i++];
			continue;
		}
		size_t j = i + d, room = 0;
		/* "12-502": a building and a room written with a dash. */
		if (j < n && s[j] == '-' && (room = digits_at(s, n, j + 1)) && !digit_len(s, n, j + 1 + room) &&
		    d <= 3 * 3 && room >= 3) {
			memcpy(s + w, "*-*", 3);
			w += 3, i = j + 1 + room;
			after_place = 0;
			continue;
		}
		if (place_word(s, n, j) || after_place) {
			s[w++] = '*';
			i = j;
			after_place = 0;
			continue;
		}
		memmove(s + w, s + i, d);
		w += d, i = j;
		after_place = 0;
	}
	if (w < n)
		s[w] = 0;
	return w;
}
