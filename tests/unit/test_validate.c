/*
 * test_validate.c — unit tests for src/core/validate.{h,c}:
 *   - id_validate: valid 18-digit IDs (check digits precomputed with the
 *     GB 11643 rule, weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11
 *     indexes "10X98765432"), lowercase x, wrong check digits, wrong length
 *     (17, 19, empty, NULL), non-digits in the body, impossible birth dates
 *     (Feb 30, month 13, day 00, 1899, Feb 29 in 1900 vs 2000), future birth
 *     dates against today_ymd, the derived birth_date and gender, and
 *     id_error_code;
 *   - id_check_char against the table and an independent reference;
 *   - phone_valid (^1[3-9]\d{9}$);
 *   - mask_phone / mask_id, including short inputs and small out buffers;
 *   - utf8_valid_text / utf8_length: ASCII, Chinese, 4-byte emoji, overlong
 *     encodings, surrogates, truncated sequences, bytes > F4, C0 controls
 *     (only \t \n \r allowed), NUL and DEL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/validate.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Independent GB 11643 reference, used only to cross-check the tables. */
static char ref_check_char(const char *first17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

/* ---- id_validate: valid IDs ------------------------------------------- */

struct id_ok_case {
	const char *id;
	const char *birth;
	const char *gender;
};

/* Check digits computed by hand/with the rule above (not with the code under
 * test). Together they cover the check characters X 0 1 2 4 5 6 7 8 9. */
static const struct id_ok_case id_ok_cases[] = {
	{"11010519491231002X", "1949-12-31", "female"},	/* the well-known example */
	{"11010519491231002x", "1949-12-31", "female"},	/* lowercase x accepted */
	{"440304200002291236", "2000-02-29", "male"},	/* Feb 29 of leap year 2000 */
	{"110101190001010014", "1900-01-01", "male"},	/* lowest accepted year */
	{"310115198001012345", "1980-01-01", "female"},
	{"510107200512315679", "2005-12-31", "male"},
	{"110105194912310038", "1949-12-31", "male"},
	{"123456199901010009", "1999-01-01", "female"},
	{"110105200001010104", "2000-01-01", "female"},	/* 17th digit 0 -> female */
	{"110105199301010629", "1993-01-01", "female"},	/* 17th digit 2 -> female */
	{"110105199301010717", "1993-01-01", "male"},	/* 17th digit 1 -> male */
	{"110105200001010040", "2000-01-01", "female"},
	{"110105200001010091", "2000-01-01", "male"},
	{"110105200001010032", "2000-01-01", "male"},
	{"110105200001010075", "2000-01-01", "male"},
	{"110105200001010059", "2000-01-01", "male"},
	{"110105200001010067", "2000-01-01", "female"},
};

static void t_id_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(id_ok_cases); i++) {
		const struct id_ok_case *c = &id_ok_cases[i];
		struct id_info info;
		memset(&info, 0x55, sizeof info);
		enum id_error e = id_validate(c->id, &info, 0);
		if (e != ID_OK)
			fail_msg("case %zu %s: got %d (%s), want ID_OK", i, c->id, e, id_error_code(e));
		if (strcmp(info.birth_date, c->birth) || strcmp(info.gender, c->gender))
			fail_msg("case %zu %s: got %s/%s, want %s/%s", i, c->id, info.birth_date,
				 info.gender, c->birth, c->gender);
		/* info may be NULL */
		assert_int_equal(id_validate(c->id, NULL, 0), ID_OK);
		/* table sanity: the check char matches the reference rule */
		char want = c->id[17] == 'x' ? 'X' : c->id[17];
		assert_int_equal(ref_check_char(c->id), want);
	}
}

static void t_id_check_char(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(id_ok_cases); i++) {
		const char *id = id_ok_cases[i].id;
		char want = id[17] == 'x' ? 'X' : id[17];
		assert_int_equal(id_check_char(id), want);
	}
	/* All-zero body: sum 0 -> '1'. */
	assert_int_equal(id_check_char("00000000000000000"), '1');
	/* Sweep the last body digit: every residue path agrees with the reference. */
	char body[18] = "11010519491231000";
	for (char d = '0'; d <= '9'; d++) {
		body[16] = d;
		assert_int_equal(id_check_char(body), ref_check_char(body));
	}
}

/* Every wrong check character on a valid body is ID_ECHECK; exactly the right
 * one is ID_OK. */
static void t_id_wrong_check(void **state)
{
	(void)state;
	static const char cands[] = "0123456789Xx";
	for (size_t i = 0; i < N_ELEMS(id_ok_cases); i++) {
		char id[19];
		memcpy(id, id_ok_cases[i].id, 19);
		char right = ref_check_char(id);
		for (const char *c = cands; *c; c++) {
			id[17] = *c;
			char norm = *c == 'x' ? 'X' : *c;
			enum id_error want = norm == right ? ID_OK : ID_ECHECK;
			enum id_error got = id_validate(id, NULL, 0);
			if (got != want)
				fail_msg("%s: got %d want %d", id, got, want);
		}
	}
	assert_int_equal(id_validate("110105194912310021", NULL, 0), ID_ECHECK);
	assert_string_equal(id_error_code(ID_ECHECK), "id_check_digit");
}

/* ---- id_validate: rejects --------------------------------------------- */

struct id_bad_case {
	const char *id;
	int today;
	enum id_error want;
	const char *why;
};

static const struct id_bad_case id_bad_cases[] = {
	{NULL, 0, ID_ELENGTH, "NULL"},
	{"", 0, ID_ELENGTH, "empty"},
	{"11010519491231002", 0, ID_ELENGTH, "17 chars"},
	{"11010519491231002X0", 0, ID_ELENGTH, "19 chars"},
	{"11010519491231002XX", 0, ID_ELENGTH, "19 chars, XX"},
	{"X", 0, ID_ELENGTH, "1 char"},
	{"A1010519491231002X", 0, ID_ECHARS, "letter first"},
	{"1101051949123100XX", 0, ID_ECHARS, "X in 17th position"},
	{"11010519491231002Y", 0, ID_ECHARS, "Y as check char"},
	{"11010519491231002 ", 0, ID_ECHARS, "space as check char"},
	{"110105 9491231002X", 0, ID_ECHARS, "space in body"},
	{"1101051949l231002X", 0, ID_ECHARS, "lowercase L in body"},
	{"11010519491231002\n", 0, ID_ECHARS, "newline as check char"},
	{"-10105194912310021", 0, ID_ECHARS, "minus sign"},
	{"\xef\xbc\x91" "101051949123100", 0, ID_ECHARS, "fullwidth digit (3 bytes)"},
	{"110105199302300000", 0, ID_EDATE, "Feb 30"},
	{"110105199313010000", 0, ID_EDATE, "month 13"},
	{"110105199300010000", 0, ID_EDATE, "month 00"},
	{"110105199301000000", 0, ID_EDATE, "day 00"},
	{"110105199301320000", 0, ID_EDATE, "day 32"},
	{"110105199304310000", 0, ID_EDATE, "Apr 31"},
	{"110105189912310000", 0, ID_EDATE, "1899"},
	{"110105000001010000", 0, ID_EDATE, "year 0000"},
	{"110105190002290000", 0, ID_EDATE, "Feb 29 1900 (not leap)"},
	{"110105202302290000", 0, ID_EDATE, "Feb 29 2023 (not leap)"},
	{"110105210002290000", 0, ID_EDATE, "Feb 29 2100 (not leap)"},
	{"110105194912310021", 20240101, ID_ECHECK, "date ok, check wrong"},
};

static void t_id_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(id_bad_cases); i++) {
		const struct id_bad_case *c = &id_bad_cases[i];
		struct id_info info;
		enum id_error got = id_validate(c->id, &info, c->today);
		if (got != c->want)
			fail_msg("case %zu (%s): got %d (%s), want %d (%s)", i, c->why, got,
				 id_error_code(got), c->want, id_error_code(c->want));
	}
}

/* Date errors are found even when the check digit would be right, i.e. the
 * date check is a real check and not an accident of the check digit. */
static void t_id_bad_date_with_right_check(void **state)
{
	(void)state;
	static const char *bodies[] = {
		"11010519930230000",	/* Feb 30 */
		"11010519931301000",	/* month 13 */
		"11010519930100000",	/* day 00 */
		"11010518991231000",	/* 1899 */
		"11010519000229000",	/* Feb 29 1900 */
	};
	for (size_t i = 0; i < N_ELEMS(bodies); i++) {
		char id[19];
		memcpy(id, bodies[i], 17);
		id[17] = ref_check_char(bodies[i]);
		id[18] = 0;
		assert_int_equal(id_validate(id, NULL, 0), ID_EDATE);
	}
	/* ...and the same construction on Feb 29 2000 is fine. */
	char id[19];
	memcpy(id, "11010520000229000", 17);
	id[17] = ref_check_char(id);
	id[18] = 0;
	assert_int_equal(id_validate(id, NULL, 0), ID_OK);
}

struct id_today_case {
	const char *id;
	int today;
	enum id_error want;
};

static const struct id_today_case id_today_cases[] = {
	/* born 2024-01-01 (11010520240101002 + check '2') */
	{"110105202401010022", 20231231, ID_EDATE},	/* future */
	{"110105202401010022", 20240101, ID_OK},	/* born today */
	{"110105202401010022", 20240102, ID_OK},
	{"110105202401010022", 0, ID_OK},		/* 0 skips the check */
	{"440304200002291236", 20000228, ID_EDATE},
	{"440304200002291236", 20000229, ID_OK},
	{"11010519491231002X", 19491230, ID_EDATE},
	{"11010519491231002X", 20991231, ID_OK},
};

static void t_id_future(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(id_today_cases); i++) {
		const struct id_today_case *c = &id_today_cases[i];
		enum id_error got = id_validate(c->id, NULL, c->today);
		if (got != c->want)
			fail_msg("case %zu %s today=%d: got %d want %d", i, c->id, c->today, got, c->want);
	}
}

static void t_id_error_code(void **state)
{
	(void)state;
	assert_string_equal(id_error_code(ID_OK), "ok");
	assert_string_equal(id_error_code(ID_ELENGTH), "id_length");
	assert_string_equal(id_error_code(ID_ECHARS), "id_chars");
	assert_string_equal(id_error_code(ID_EDATE), "id_birth_date");
	assert_string_equal(id_error_code(ID_ECHECK), "id_check_digit");
}

/* ---- phone_valid ------------------------------------------------------- */

struct phone_case {
	const char *s;
	int want;
};

static const struct phone_case phone_cases[] = {
	{"13812345678", 1},
	{"13000000000", 1},
	{"14123456789", 1},
	{"15012345678", 1},
	{"16612345678", 1},
	{"17712345678", 1},
	{"18812345678", 1},
	{"19912345678", 1},
	{"12812345678", 0},	/* 12x */
	{"11812345678", 0},	/* 11x */
	{"10812345678", 0},	/* 10x */
	{"23812345678", 0},	/* not starting with 1 */
	{"1381234567", 0},	/* 10 digits */
	{"138123456789", 0},	/* 12 digits */
	{"1381234567a", 0},	/* letter */
	{"13a12345678", 0},
	{"1381234 678", 0},	/* space */
	{"138-1234-5678", 0},
	{"+8613812345678", 0},	/* leading +86 */
	{"8613812345678", 0},
	{" 13812345678", 0},
	{"13812345678 ", 0},
	{"", 0},
	{NULL, 0},
};

static void t_phone_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(phone_cases); i++) {
		int got = phone_valid(phone_cases[i].s);
		if (got != phone_cases[i].want)
			fail_msg("case %zu \"%s\": got %d want %d", i,
				 phone_cases[i].s ? phone_cases[i].s : "(null)", got, phone_cases[i].want);
	}
}

/* ---- masking ----------------------------------------------------------- */

struct mask_case {
	const char *in;
	const char *want;
};

static const struct mask_case mask_phone_cases[] = {
	{"13812345678", "138****5678"},
	{"19900000001", "199****0001"},
	{"12345678", "123****5678"},	/* 8 chars: still 3 + 4 stars + 4 */
	{"1234567", "*******"},		/* shorter than the kept parts: all stars */
	{"123", "***"},
	{"", ""},
	{NULL, ""},
};

static void t_mask_phone(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(mask_phone_cases); i++) {
		char out[32];
		memset(out, 'Z', sizeof out);
		mask_phone(mask_phone_cases[i].in, out, sizeof out);
		if (strcmp(out, mask_phone_cases[i].want))
			fail_msg("case %zu: got \"%s\" want \"%s\"", i, out, mask_phone_cases[i].want);
	}
	/* Truncated to outsz - 1 characters, still NUL-terminated, no overrun. */
	char out[8];
	memset(out, 'Z', sizeof out);
	mask_phone("13812345678", out, 5);
	assert_string_equal(out, "138*");
	assert_int_equal(out[5], 'Z');
}

static const struct mask_case mask_id_cases[] = {
	{"11010519491231002X", "11*************02X"},
	{"440304200002291236", "44*************236"},
	{"123456", "12*456"},	/* just longer than 2 + 3 */
	{"12345", "*****"},	/* not longer than the kept parts: all stars */
	{"12", "**"},
	{"", ""},
	{NULL, ""},
};

static void t_mask_id(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(mask_id_cases); i++) {
		char out[32];
		memset(out, 'Z', sizeof out);
		mask_id(mask_id_cases[i].in, out, sizeof out);
		if (strcmp(out, mask_id_cases[i].want))
			fail_msg("case %zu: got \"%s\" want \"%s\"", i, out, mask_id_cases[i].want);
	}
	/* 18 chars -> 2 + 13 stars + 3 */
	char out[32];
	mask_id("11010519491231002X", out, sizeof out);
	assert_int_equal(strlen(out), 18);
	assert_int_equal(strspn(out + 2, "*"), 13);
	/* Small out buffer: truncated, NUL-terminated, no overrun. */
	char small[8];
	memset(small, 'Z', sizeof small);
	mask_id("11010519491231002X", small, 6);
	assert_string_equal(small, "11***");
	assert_int_equal(small[6], 'Z');
}

/* ---- UTF-8 ------------------------------------------------------------- */

struct utf8_case {
	const char *s;
	size_t n;		/* bytes; the literal may contain NUL */
	long len;		/* utf8_length */
	int text;		/* utf8_valid_text */
	const char *why;
};

#define U(lit) lit, sizeof(lit) - 1

static const struct utf8_case utf8_cases[] = {
	{U(""), 0, 1, "empty"},
	{U("hello, world"), 12, 1, "ASCII"},
	{U("\xe4\xb8\xad\xe6\x96\x87"), 2, 1, "中文"},
	{U("\xe5\xbc\xa0\xe4\xb8\x89 Zhang"), 8, 1, "mixed"},
	{U("\xf0\x9f\x98\x80"), 1, 1, "4-byte emoji U+1F600"},
	{U("a\xf0\x9f\x98\x80" "b"), 3, 1, "emoji between ASCII"},
	{U("\xc2\xa9"), 1, 1, "U+00A9 (2 bytes)"},
	{U("\xdf\xbf"), 1, 1, "U+07FF, largest 2-byte"},
	{U("\xe0\xa0\x80"), 1, 1, "U+0800, smallest 3-byte"},
	{U("\xef\xbf\xbf"), 1, 0, "U+FFFF: a non-character XML forbids (security #12)"},
	{U("\xef\xbf\xbe"), 1, 0, "U+FFFE: non-character, not XML"},
	{U("\xef\xbf\xbd"), 1, 1, "U+FFFD replacement character is fine"},
	{U("\xef\xb7\x90"), 1, 0, "U+FDD0 non-character"},
	{U("\xef\xb7\xaf"), 1, 0, "U+FDEF non-character"},
	{U("\xef\xb7\x8f"), 1, 1, "U+FDCF just below the non-characters"},
	{U("\xef\xb7\xb0"), 1, 1, "U+FDF0 just above"},
	{U("\xf0\x9f\xbf\xbf"), 1, 0, "U+1FFFF non-character of plane 1"},
	{U("\xf4\x8f\xbf\xbf"), 1, 0, "U+10FFFF, largest, a non-character"},
	{U("\xf4\x8f\xbf\xbd"), 1, 1, "U+10FFFD, largest character"},
	{U("\xed\x9f\xbf"), 1, 1, "U+D7FF, just below surrogates"},
	{U("\xee\x80\x80"), 1, 1, "U+E000, just above surrogates"},
	{U("a\tb\nc\r\n"), 7, 1, "tab, LF, CR allowed"},
	{U("\xc0\x80"), -1, 0, "overlong NUL C0 80"},
	{U("\xc1\xbf"), -1, 0, "overlong C1 BF"},
	{U("\xe0\x80\xaf"), -1, 0, "overlong 3-byte '/'"},
	{U("\xe0\x9f\xbf"), -1, 0, "overlong 3-byte U+07FF"},
	{U("\xf0\x80\x80\xaf"), -1, 0, "overlong 4-byte"},
	{U("\xf0\x8f\xbf\xbf"), -1, 0, "overlong 4-byte U+FFFF"},
	{U("\xed\xa0\x80"), -1, 0, "surrogate U+D800"},
	{U("\xed\xbf\xbf"), -1, 0, "surrogate U+DFFF"},
	{U("\xed\xa0\xbd\xed\xb8\x80"), -1, 0, "CESU-8 surrogate pair"},
	{U("\xe4\xb8"), -1, 0, "truncated 3-byte"},
	{U("a\xe4"), -1, 0, "truncated lead at end"},
	{U("\xf0\x9f\x98"), -1, 0, "truncated 4-byte"},
	{U("\xc2"), -1, 0, "truncated 2-byte"},
	{U("\xe4" "a" "\xad"), -1, 0, "bad continuation"},
	{U("\x80"), -1, 0, "lone continuation byte"},
	{U("\xbf"), -1, 0, "lone continuation byte BF"},
	{U("\xf4\x90\x80\x80"), -1, 0, "U+110000 (F4 90)"},
	{U("\xf5\x80\x80\x80"), -1, 0, "F5 lead"},
	{U("\xf7\xbf\xbf\xbf"), -1, 0, "F7 lead"},
	{U("\xf8\x88\x80\x80\x80"), -1, 0, "F8 5-byte lead"},
	{U("\xfc\x84\x80\x80\x80\x80"), -1, 0, "FC 6-byte lead"},
	{U("\xfe"), -1, 0, "FE"},
	{U("\xff"), -1, 0, "FF"},
	/* well-formed UTF-8 but not acceptable text */
	{U("a\x01" "b"), 3, 0, "SOH"},
	{U("\x1f"), 1, 0, "unit separator"},
	{U("\x1b[31m"), 5, 0, "ESC"},
	{U("\x0b"), 1, 0, "vertical tab"},
	{U("\x0c"), 1, 0, "form feed"},
	{U("\x08"), 1, 0, "backspace"},
	{U("a\x7f"), 2, 0, "DEL"},
	{U("a\0b"), 3, 0, "embedded NUL"},
};

static void t_utf8(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(utf8_cases); i++) {
		const struct utf8_case *c = &utf8_cases[i];
		long len = utf8_length(c->s, c->n);
		int text = utf8_valid_text(c->s, c->n);
		if (len != c->len)
			fail_msg("case %zu (%s): utf8_length %ld want %ld", i, c->why, len, c->len);
		if (text != c->text)
			fail_msg("case %zu (%s): utf8_valid_text %d want %d", i, c->why, text, c->text);
	}
}

/* Stored text from before the rule is cleaned for XML writers: non-characters,
 * C0 controls, surrogates and stray bytes go; Chinese, emoji, \t \n \r stay. */
static void t_xml_clean(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"anon \xef\xbf\xbf x", "anon  x"},
		{"\xef\xbf\xbe\xe4\xb8\xad\xef\xb7\x90", "\xe4\xb8\xad"},
		{"a\x01" "b\x1b" "c\td\ne\r", "abc\td\ne\r"},
		{"\xf0\x9f\x98\x80\xf0\x9f\xbf\xbf", "\xf0\x9f\x98\x80"},
		{"bad\xff\xc0\x80 end\xed\xa0\x80", "bad end"},
		{"\xe4\xb8", ""},
		{"", ""},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char out[64];
		size_t n = utf8_xml_clean(cases[i].in, strlen(cases[i].in), out);
		assert_string_equal(out, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
		assert_int_equal(utf8_xml_safe(cases[i].in), !strcmp(cases[i].in, cases[i].out));
		assert_true(utf8_xml_safe(out));
	}
	assert_true(xml_char_ok(0x10FFFD));
	assert_false(xml_char_ok(0x110000));
	assert_false(xml_char_ok(0xFFFF));
}

/* The length argument is honoured: bytes past n are never looked at, and a
 * multi-byte sequence cut by n is rejected. */
static void t_utf8_bounds(void **state)
{
	(void)state;
	const char *s = "\xe4\xb8\xad\xe6\x96\x87\x01";	/* 中文 + SOH */
	assert_int_equal(utf8_length(s, 6), 2);
	assert_int_equal(utf8_valid_text(s, 6), 1);
	assert_int_equal(utf8_valid_text(s, 7), 0);
	assert_int_equal(utf8_length(s, 5), -1);
	assert_int_equal(utf8_length(s, 3), 1);
	assert_int_equal(utf8_length(s, 0), 0);
	assert_int_equal(utf8_valid_text(s, 0), 1);
}

static void t_coord_parse(void **state)
{
	(void)state;
	double v = 0;
	assert_int_equal(coord_parse("31.2101", 90, &v), 0);
	assert_true(v > 31.21 && v < 31.2102);
	assert_int_equal(coord_parse("-180", 180, &v), 0);
	assert_int_equal(coord_parse("0", 90, &v), 0);
	static const char *const bad[] = {"", "91", "-90.0001", "1e1", " 1", "1 ", "+1", "0x10", "nan", "inf",
					  "1.2.3", "-", ".", "1-2", "123456789012345678901234567890123", NULL};
	for (int i = 0; bad[i]; i++)
		assert_int_equal(coord_parse(bad[i], 90, &v), -1);
	assert_int_equal(coord_parse(NULL, 90, &v), -1);
}

static void t_tile_url_origin(void **state)
{
	(void)state;
	char o[128];
	assert_int_equal(tile_url_origin("https://tiles.example.org/{z}/{x}/{y}.png", o, sizeof o), 0);
	assert_string_equal(o, "https://tiles.example.org");
	assert_int_equal(tile_url_origin("https://{s}.tile.example.org:8443/a/{z}/{x}/{y}.png?k=1", o, sizeof o), 0);
	assert_string_equal(o, "https://*.tile.example.org:8443");
	assert_int_equal(tile_url_origin("http://10.0.0.5:8080/{z}/{y}/{x}", o, sizeof o), 0);
	assert_string_equal(o, "http://10.0.0.5:8080");
	static const char *const bad[] = {
		"", "ftp://x.org/{z}/{x}/{y}", "https://x.org/tiles.png", "https://x.org/{z}/{x}",
		"https://x.org/{z}/{x}/{y}.png; script-src *", "https://x.org/{z}/{x}/{y}.png,a",
		"https://x.org/{z}/{x}/{y}'", "https://x.org/{z}/{x}/{y}\"", "https://x.org/{z}/{x}/{y}\\",
		"https://us@x.org/{z}/{x}/{y}", "https://{z}.x.org/{z}/{x}/{y}", "https://a{s}.x.org/{z}/{x}/{y}",
		"https:///{z}/{x}/{y}", "https://{s}./{z}/{x}/{y}", "https://x.org/{z}/{x}/{y}\n", NULL,
	};
	for (int i = 0; bad[i]; i++)
		assert_int_equal(tile_url_origin(bad[i], o, sizeof o), -1);
	assert_int_equal(tile_url_origin(NULL, o, sizeof o), -1);
	char tiny[8];
	assert_int_equal(tile_url_origin("https://tiles.example.org/{z}/{x}/{y}", tiny, sizeof tiny), -1);
	char longurl[512];
	memset(longurl, 'a', sizeof longurl - 1);
	longurl[sizeof longurl - 1] = 0;
	memcpy(longurl, "https://x.org/{z}/{x}/{y}/", 26);
	assert_int_equal(tile_url_origin(longurl, o, sizeof o), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_id_valid),
		cmocka_unit_test(t_id_check_char),
		cmocka_unit_test(t_id_wrong_check),
		cmocka_unit_test(t_id_bad),
		cmocka_unit_test(t_id_bad_date_with_right_check),
		cmocka_unit_test(t_id_future),
		cmocka_unit_test(t_id_error_code),
		cmocka_unit_test(t_phone_valid),
		cmocka_unit_test(t_mask_phone),
		cmocka_unit_test(t_mask_id),
		cmocka_unit_test(t_utf8),
		cmocka_unit_test(t_utf8_bounds),
		cmocka_unit_test(t_xml_clean),
		cmocka_unit_test(t_coord_parse),
		cmocka_unit_test(t_tile_url_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
