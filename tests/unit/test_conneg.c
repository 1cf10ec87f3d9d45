/*
 * test_conneg.c — unit tests for src/http/conneg.c: If-None-Match lists
 * ("*", weak tags, spaces, no substring matches) and Accept-Encoding
 * q-values (q=0 refuses, case-insensitive names, "*", malformed q ignored).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "http/request.h"

static void test_etag_list(void **state)
{
	(void)state;
	assert_true(etag_list_match("\"abc\"", "\"abc\""));
	assert_true(etag_list_match("*", "\"abc\""));
	assert_true(etag_list_match(" * ", "\"abc\""));
	assert_true(etag_list_match("W/\"abc\"", "\"abc\""));
	assert_true(etag_list_match("\"x\", W/\"abc\"", "\"abc\""));
	assert_true(etag_list_match("\"x\",\"abc\"  ", "\"abc\""));
	assert_false(etag_list_match("\"abcd\"", "\"abc\""));
	assert_false(etag_list_match("\"xabc\"", "\"abc\""));
	assert_false(etag_list_match("\"abc-gz\"", "\"abc\""));
	assert_false(etag_list_match("", "\"abc\""));
	assert_false(etag_list_match(NULL, "\"abc\""));
	assert_false(etag_list_match("\"*\"", "\"abc\""));
}

static void test_accepts_gzip(void **state)
{
	(void)state;
	assert_true(accepts_gzip("gzip"));
	assert_true(accepts_gzip("GZIP"));
	assert_true(accepts_gzip("deflate, gzip;q=0.5"));
	assert_true(accepts_gzip("gzip ; q=1"));
	assert_true(accepts_gzip("x-gzip"));
	assert_true(accepts_gzip("*"));
	assert_true(accepts_gzip("br;q=1.0, *;q=0.1"));
	assert_false(accepts_gzip("gzip;q=0"));
	assert_false(accepts_gzip("gzip;q=0, identity"));
	assert_false(accepts_gzip("gzip;Q=0.000"));
	assert_false(accepts_gzip("*;q=0"));
	assert_false(accepts_gzip("gzip;q=0, *"));
	assert_false(accepts_gzip("identity"));
	assert_false(accepts_gzip("br"));
	assert_false(accepts_gzip("gzipx"));
	assert_false(accepts_gzip("gzip;q=abc"));
	assert_false(accepts_gzip(""));
	assert_false(accepts_gzip(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_etag_list),
		cmocka_unit_test(test_accepts_gzip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
