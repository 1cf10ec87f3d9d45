/*
 * test_qspec.c — unit tests for src/core/qspec.{h,c}, the typed query
 * parameters of routes.def:
 *   - every query declaration in src/api/routes.def parses (an unknown type
 *     or a malformed declaration fails here, and the server refuses to start);
 *   - malformed declarations are refused: unknown type, missing bounds, bad
 *     default, empty enum word, duplicate name, bad name;
 *   - values: one bool vocabulary (true/false/1/0, "yes" refused, bool(word)),
 *     int bounds and strict digits, id/cursor, dates (YYYY-MM-DD only) and
 *     times (also RFC 3339), enum words, num, text caps in code points,
 *     idlists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/qspec.h"

static const struct {
	const char *method, *pattern, *query;
} routes[] = {
#define ROUTE(method, pattern, fn, perm, flags, body_kb, query) {method, pattern, query},
#include "api/routes.def"
#undef ROUTE
};

static void every_route_query_type_is_known(void **state)
{
	(void)state;
	int typed = 0;
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
		struct qspec s;
		char err[256] = "";
		if (qspec_parse(routes[i].query, &s, err, sizeof err))
			fail_msg("%s %s: %s", routes[i].method, routes[i].pattern, err);
		typed += s.n;
	}
	assert_true(typed > 100);
}

static void malformed_declarations_fail(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"limit:integer",	  "limit:int",		 "limit:int[1]",	"limit:int[5,1]",
		"limit:int[1,9]=10",	  "limit:int[1,9]=x",	 "q:text",		"q:text[0]",
		"s:enum()",		  "s:enum(a,,b)",	 "s:enum(a,B)",		"s:enum(a",
		"b:bool(x,y)",		  "a:id a:id",		 "noType",		":id",
		"Bad:id",		  "a:id[1,2]",		 "d:date=1",		"n:num[x,1]",
		"t:token",		  "a:idd",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct qspec s;
		char err[256] = "";
		if (!qspec_parse(bad[i], &s, err, sizeof err))
			fail_msg("accepted \"%s\"", bad[i]);
		assert_true(err[0] != 0);
	}
}

/* 1 when value v is accepted by the single declaration decl. */
static int ok(const char *decl, const char *v, struct qval *out)
{
	struct qspec s;
	char err[256];
	if (qspec_parse(decl, &s, err, sizeof err))
		fail_msg("%s: %s", decl, err);
	assert_int_equal(s.n, 1);
	struct qval tmp;
	static int64_t ids[QSPEC_IDS];
	const char *code;
	char msg[160];
	int rc = qparam_check(&s.p[0], v, out ? out : &tmp, ids, &code, msg, sizeof msg);
	if (rc)
		assert_true(msg[0] != 0 && code[0] != 0);
	return rc == 0;
}

static void bools_share_one_vocabulary(void **state)
{
	(void)state;
	struct qval v;
	assert_true(ok("b:bool", "true", &v) && v.i == 1);
	assert_true(ok("b:bool", "1", &v) && v.i == 1);
	assert_true(ok("b:bool", "false", &v) && v.i == 0);
	assert_true(ok("b:bool", "0", &v) && v.i == 0);
	static const char *const refused[] = {"yes", "no", "TRUE", "on", "2", " 1", "all", "t"};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
		assert_false(ok("b:bool", refused[i], NULL));
	assert_true(ok("b:bool(all)", "all", &v) && v.i == -1);
	assert_true(ok("b:bool(all)", "1", &v) && v.i == 1);
	assert_false(ok("b:bool(all)", "any", NULL));
}

static void ints_ids_and_cursors(void **state)
{
	(void)state;
	struct qval v;
	assert_true(ok("l:int[1,200]=50", "200", &v) && v.i == 200);
	assert_false(ok("l:int[1,200]=50", "201", NULL));
	assert_false(ok("l:int[1,200]=50", "0", NULL));
	static const char *const junk[] = {"abc", "1.5", "1e3", "+1", " 1", "1 ", "99999999999999999999", "-", "0x10"};
	for (size_t i = 0; i < sizeof junk / sizeof *junk; i++) {
		assert_false(ok("l:int[-5,200]", junk[i], NULL));
		assert_false(ok("i:id", junk[i], NULL));
		assert_false(ok("c:cursor", junk[i], NULL));
	}
	assert_true(ok("l:int[-5,5]", "-5", &v) && v.i == -5);
	assert_false(ok("i:id", "0", NULL));
	assert_true(ok("i:id", "9223372036854775807", &v) && v.i == INT64_MAX);
	assert_true(ok("c:cursor", "0", NULL));
	assert_false(ok("c:cursor", "-1", NULL));
	struct qspec s;
	char err[64];
	assert_int_equal(qspec_parse("limit:int[1,200]=50 cursor:cursor", &s, err, sizeof err), 0);
	assert_int_equal(s.n, 2);
	assert_true(s.p[0].has_dflt && s.p[0].dflt == 50);
	assert_ptr_equal(qspec_find(&s, "cursor"), &s.p[1]);
	assert_null(qspec_find(&s, "q"));
}

static void dates_times_enums_text(void **state)
{
	(void)state;
	struct qval v;
	assert_true(ok("d:date", "2026-12-07", &v) && v.i == 1796572800);	/* 00:00 +08:00 */
	static const char *const bad_dates[] = {"abc", "2024-13-45", "2024-02-30", "99999-01-01", "2026-12-07T00:00:00Z", "2026-1-7"};
	for (size_t i = 0; i < sizeof bad_dates / sizeof *bad_dates; i++)
		assert_false(ok("d:date", bad_dates[i], NULL));
	assert_true(ok("t:time", "2026-12-07", NULL));
	assert_true(ok("t:time", "2026-12-07T10:00:00+08:00", NULL));
	assert_false(ok("t:time", "2026-12-07T10:00:00", NULL));
	assert_true(ok("s:enum(pending,approved)", "approved", NULL));
	assert_false(ok("s:enum(pending,approved)", "approve", NULL));
	assert_false(ok("s:enum(pending,approved)", "pending,approved", NULL));
	assert_true(ok("x:num[-90,90]", "-31.25", &v) && v.d == -31.25);
	static const char *const bad_nums[] = {"abc", "1e999", "NaN", "0x10", "90.5", "--1", "1.2.3"};
	for (size_t i = 0; i < sizeof bad_nums / sizeof *bad_nums; i++)
		assert_false(ok("x:num[-90,90]", bad_nums[i], NULL));
	assert_true(ok("q:text[3]", "文明城", NULL));	/* code points, not bytes */
	assert_false(ok("q:text[3]", "文明城市", NULL));
	assert_true(ok("k:token[4]", "1234", NULL));
	assert_false(ok("k:token[4]", "12345", NULL));
}

static void idlists(void **state)
{
	(void)state;
	struct qval v;
	assert_true(ok("ids:idlist", "3,1,2", &v));
	assert_int_equal(v.n, 3);
	assert_true(v.ids[0] == 3 && v.ids[2] == 2);
	static const char *const bad[] = {"1,,2", ",1", "1,", "0", "a", "1;2"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(ok("ids:idlist", bad[i], NULL));
	char many[4 * QSPEC_IDS + 8] = "1";
	for (int i = 0; i < QSPEC_IDS; i++)
		strcat(many, ",1");
	assert_false(ok("ids:idlist", many, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_route_query_type_is_known),
		cmocka_unit_test(malformed_declarations_fail),
		cmocka_unit_test(bools_share_one_vocabulary),
		cmocka_unit_test(ints_ids_and_cursors),
		cmocka_unit_test(dates_times_enums_text),
		cmocka_unit_test(idlists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
