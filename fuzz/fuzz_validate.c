/*
 * fuzz_validate.c — the validators of validate.c on arbitrary bytes:
 * id_validate, phone_valid, mask_phone, mask_id, utf8_length,
 * utf8_valid_text, coord_parse and tile_url_origin. Properties, each against
 * an independent reading of the rule in validate.h: a valid ID is 17 digits
 * plus the right check character with a real birth date; a valid phone is
 * 1[3-9] and nine digits; utf8_length agrees with a decoder written here;
 * valid text has no C0 control but \t \n \r, and no DEL; a parsed coordinate is within
 * range and strtod reads the same value; a tile origin is a prefix-shaped
 * http(s) origin with no CSP-breaking byte.
 */
#include "fuzz.h"
#include "core/validate.h"
#include <math.h>
#include <string.h>

/* Code points of s, or -1: shortest forms only, no surrogates, <= U+10FFFF. */
static long ref_utf8_length(const unsigned char *s, size_t n)
{
	long count = 0;
	for (size_t i = 0; i < n; count++) {
		unsigned c = s[i], need, cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF)
			need = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			need = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			need = 3, cp = c & 0x07;
		else
			return -1;
		if (i + need >= n)
			return -1;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return -1;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		i += need + 1;
	}
	return count;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void check_id(const char *s)
{
	struct id_info info;
	memset(&info, 0x55, sizeof info);
	enum id_error e = id_validate(s, &info, 20261121);
	CHECK(id_error_code(e) != NULL);
	if (e != ID_OK)
		return;
	CHECK(strlen(s) == 18 && all_digits(s, 17));
	char want = id_check_char(s);
	CHECK(s[17] == want || (want == 'X' && s[17] == 'x'));
	CHECK(memchr(info.birth_date, 0, sizeof info.birth_date) && strlen(info.birth_date) == 10);
	CHECK(!memcmp(info.birth_date, s + 6, 4) && !memcmp(info.birth_date + 5, s + 10, 2) &&
	      !memcmp(info.birth_date + 8, s + 12, 2));
	CHECK(strcmp(info.birth_date, "2026-11-21") <= 0);
	CHECK(!strcmp(info.gender, (s[16] - '0') % 2 ? "male" : "female"));
	char masked[64];
	mask_id(s, masked, sizeof masked);
	CHECK(masked[0] == s[0] && masked[1] == s[1] && !strcmp(masked + strlen(masked) - 3, s + 15));
}

static void check_phone(const char *s)
{
	int want = strlen(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits(s, 11);
	CHECK(phone_valid(s) == want);
	char masked[64];
	mask_phone(s, masked, sizeof masked);
	CHECK(memchr(masked, 0, sizeof masked));
	if (want)
		CHECK(!memcmp(masked, s, 3) && !memcmp(masked + 3, "****", 4) && !strcmp(masked + 7, s + 7));
	for (const char *c = masked; *c; c++)	/* masking never leaks the middle digits */
		CHECK(!want || c < masked + 3 || c >= masked + 7 || *c == '*');
}

static void check_coord(const char *s)
{
	double v = NAN;
	int rc = coord_parse(s, 90.0, &v);
	if (rc != 0)
		return;
	CHECK(v >= -90.0 && v <= 90.0);
	for (const char *c = s; *c; c++)
		CHECK((*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '+');
	char *end;
	double w = strtod(s, &end);
	CHECK(*end == 0 && w == v);
}

static void check_tile(const char *s)
{
	char origin[512];
	memset(origin, 'Z', sizeof origin);
	if (tile_url_origin(s, origin, sizeof origin) != 0)
		return;
	CHECK(strlen(s) <= 400);
	CHECK(!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8));
	CHECK(strstr(s, "{z}") && strstr(s, "{x}") && strstr(s, "{y}"));
	CHECK(memchr(origin, 0, sizeof origin));
	CHECK(!strncmp(origin, "http://", 7) || !strncmp(origin, "https://", 8));
	const char *host = strstr(origin, "://") + 3;	/* goes into the CSP header: one origin, no path */
	CHECK(*host && !strchr(host, '/'));
	for (const char *c = origin; *c; c++)
		CHECK((unsigned char)*c > 0x20 && *c != 0x7f && !strchr(";,'\"{}", *c));
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		CHECK(*c > 0x20 && *c != 0x7f && !strchr(";,'\"", *c));
}

/* Noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF), which text refuses too
 * (security review #12); data is well-formed UTF-8 here. */
static int ref_has_nonchar(const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = d[i];
		size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		unsigned cp = len == 1 ? c : c & (0xFFu >> (len + 1));
		for (size_t k = 1; k < len && i + k < n; k++)
			cp = (cp << 6) | (d[i + k] & 0x3F);
		if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
			return 1;
		i += len;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	long n = utf8_length((const char *)data, size);
	CHECK(n == ref_utf8_length(data, size));
	int text = utf8_valid_text((const char *)data, size);
	if (text) {
		CHECK(n >= 0);
		for (size_t i = 0; i < size; i++)
			CHECK((data[i] >= 0x20 && data[i] != 0x7f) || data[i] == '\t' || data[i] == '\n' || data[i] == '\r');
	} else if (n >= 0) {
		int ctl = 0;
		for (size_t i = 0; i < size; i++)
			ctl |= (data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' && data[i] != '\r') || data[i] == 0x7f;
		CHECK(ctl || ref_has_nonchar(data, size));
	}
	char *s = fuzz_strndup(data, size);
	check_id(s);
	check_phone(s);
	check_coord(s);
	check_tile(s);
	free(s);
	return 0;
}
