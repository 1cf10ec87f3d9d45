/*
 * test_jsonx.c — unit tests for src/core/jsonx.{h,c}:
 *   - json_check driven by a table of (JSON body -> expected field errors):
 *     unknown fields ("unknown_field", "?" for non-printable keys), every
 *     error collected in one pass, required fields ("required"), wrong types
 *     ("wrong_type") for each F_ type, null accepted only with F_NULL, string
 *     lengths in code points ("too_short"/"too_long"; a Chinese character or
 *     an emoji counts as 1), F_STRARR items that are not (valid) strings,
 *     "out_of_range" for integers, numbers and array sizes, 0/0 meaning
 *     unbounded, non-object bodies ("not_object"), control characters in
 *     strings ("invalid_text");
 *   - the shape of each error item and that errors are appended;
 *   - field_error;
 *   - jstr / jint / jbool / jhas on missing keys, wrong types, null, and a
 *     NULL object.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonx.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct fspec spec[] = {
	{"name", F_STR, F_REQ, 1, 20},
	{"age", F_INT, 0, 0, 150},
	{"active", F_BOOL, 0, 0, 0},
	{"score", F_NUM, 0, -10, 10},
	{"tags", F_STRARR, 0, 0, 3},
	{"meta", F_OBJ, 0, 0, 0},
	{"items", F_ARR, 0, 1, 2},
	{"note", F_STR, F_NULL, 0, 0},
	{"parent_id", F_INT, F_NULL, 1, 1000},
	{"big", F_INT, 0, 0, 0},
	{"ref_id", F_INT, 0, 1, INT64_MAX},	/* the shape the API handlers use */
	{NULL, F_STR, 0, 0, 0},
};

struct check_case {
	const char *body;	/* JSON text */
	const char *want;	/* sorted "field:code" list joined by ' ', "" for none */
};

/* Twenty 中 (each 1 code point, 3 bytes) and twenty-one. */
#define ZH20 "中中中中中中中中中中中中中中中中中中中中"
#define ZH21 ZH20 "中"
#define EMOJI20 "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"

static const struct check_case check_cases[] = {
	/* fine */
	{"{\"name\":\"x\"}", ""},
	{"{\"name\":\"张三\",\"age\":30,\"active\":true,\"score\":1.5,\"tags\":[\"a\",\"b\"],"
	 "\"meta\":{\"k\":1},\"items\":[1],\"note\":\"n\",\"parent_id\":7,\"big\":9223372036854775807}", ""},
	{"{\"name\":\"x\",\"score\":-10}", ""},
	{"{\"name\":\"x\",\"score\":10}", ""},
	{"{\"name\":\"x\",\"score\":3}", ""},		/* F_NUM takes integers */
	{"{\"name\":\"x\",\"age\":0}", ""},
	{"{\"name\":\"x\",\"age\":150}", ""},
	{"{\"name\":\"x\",\"tags\":[]}", ""},
	{"{\"name\":\"x\",\"tags\":[\"a\",\"b\",\"c\"]}", ""},
	{"{\"name\":\"x\",\"items\":[1,\"two\"]}", ""},
	{"{\"name\":\"x\",\"active\":false}", ""},
	{"{\"name\":\"x\",\"meta\":{}}", ""},
	{"{\"name\":\"a\\tb\\nc\\r\"}", ""},		/* \t \n \r are text */

	/* null only with F_NULL */
	{"{\"name\":\"x\",\"note\":null,\"parent_id\":null}", ""},
	{"{\"name\":null}", "name:required"},
	{"{\"name\":\"x\",\"age\":null}", "age:wrong_type"},
	{"{\"name\":\"x\",\"active\":null}", "active:wrong_type"},
	{"{\"name\":\"x\",\"tags\":null}", "tags:wrong_type"},
	{"{\"name\":\"x\",\"meta\":null}", "meta:wrong_type"},

	/* required */
	{"{}", "name:required"},
	{"{\"age\":1}", "name:required"},

	/* unknown fields */
	{"{\"name\":\"x\",\"bogus\":1}", "bogus:unknown_field"},
	{"{\"name\":\"x\",\"Name\":\"y\"}", "Name:unknown_field"},	/* case-sensitive */
	{"{\"name\":\"x\",\"a\":1,\"b\":null,\"c\":[]}", "a:unknown_field b:unknown_field c:unknown_field"},
	{"{\"name\":\"x\",\"\\u0001evil\":1}", "?:unknown_field"},	/* non-printable key not echoed */
	{"{\"name\":\"x\",\"" "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" "\":1}",
	 "?:unknown_field"},							/* over-long key not echoed */

	/* all errors in one pass */
	{"{\"name\":1,\"age\":\"x\",\"zzz\":true}", "age:wrong_type name:wrong_type zzz:unknown_field"},
	{"{\"bogus\":1,\"age\":200,\"tags\":[1]}",
	 "age:out_of_range bogus:unknown_field name:required tags:wrong_type"},
	{"{\"name\":\"\",\"age\":-1,\"active\":1,\"score\":\"s\",\"tags\":\"t\",\"meta\":[],\"items\":{},"
	 "\"note\":5,\"parent_id\":0,\"x\":0}",
	 "active:wrong_type age:out_of_range items:wrong_type meta:wrong_type name:too_short note:wrong_type "
	 "parent_id:out_of_range score:wrong_type tags:wrong_type x:unknown_field"},

	/* wrong types, one F_ type at a time */
	{"{\"name\":1}", "name:wrong_type"},
	{"{\"name\":true}", "name:wrong_type"},
	{"{\"name\":[\"x\"]}", "name:wrong_type"},
	{"{\"name\":{}}", "name:wrong_type"},
	{"{\"name\":\"x\",\"age\":\"1\"}", "age:wrong_type"},
	{"{\"name\":\"x\",\"age\":1.5}", "age:wrong_type"},
	{"{\"name\":\"x\",\"age\":1.0}", "age:wrong_type"},
	{"{\"name\":\"x\",\"age\":true}", "age:wrong_type"},
	{"{\"name\":\"x\",\"active\":1}", "active:wrong_type"},
	{"{\"name\":\"x\",\"active\":\"true\"}", "active:wrong_type"},
	{"{\"name\":\"x\",\"score\":\"1\"}", "score:wrong_type"},
	{"{\"name\":\"x\",\"score\":false}", "score:wrong_type"},
	{"{\"name\":\"x\",\"tags\":\"a\"}", "tags:wrong_type"},
	{"{\"name\":\"x\",\"tags\":{}}", "tags:wrong_type"},
	{"{\"name\":\"x\",\"meta\":[]}", "meta:wrong_type"},
	{"{\"name\":\"x\",\"meta\":\"{}\"}", "meta:wrong_type"},
	{"{\"name\":\"x\",\"items\":{}}", "items:wrong_type"},
	{"{\"name\":\"x\",\"items\":\"[]\"}", "items:wrong_type"},

	/* string length in code points */
	{"{\"name\":\"\"}", "name:too_short"},
	{"{\"name\":\"" ZH20 "\"}", ""},			/* 20 code points, 60 bytes */
	{"{\"name\":\"" ZH21 "\"}", "name:too_long"},
	{"{\"name\":\"" EMOJI20 "\"}", ""},			/* 20 code points, 80 bytes */
	{"{\"name\":\"" EMOJI20 "a\"}", "name:too_long"},
	{"{\"name\":\"aaaaaaaaaaaaaaaaaaaa\"}", ""},
	{"{\"name\":\"aaaaaaaaaaaaaaaaaaaaa\"}", "name:too_long"},
	{"{\"name\":\"中\"}", ""},

	/* F_STRARR items */
	{"{\"name\":\"x\",\"tags\":[\"a\",1]}", "tags:wrong_type"},
	{"{\"name\":\"x\",\"tags\":[null]}", "tags:wrong_type"},
	{"{\"name\":\"x\",\"tags\":[[\"a\"]]}", "tags:wrong_type"},
	{"{\"name\":\"x\",\"tags\":[\"a\\u0001\"]}", "tags:wrong_type"},
	{"{\"name\":\"x\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}", "tags:out_of_range"},
	{"{\"name\":\"x\",\"tags\":[\"中文\"]}", ""},

	/* ranges */
	{"{\"name\":\"x\",\"age\":-1}", "age:out_of_range"},
	{"{\"name\":\"x\",\"age\":151}", "age:out_of_range"},
	{"{\"name\":\"x\",\"age\":9223372036854775807}", "age:out_of_range"},
	{"{\"name\":\"x\",\"age\":-9223372036854775808}", "age:out_of_range"},
	{"{\"name\":\"x\",\"score\":10.5}", "score:out_of_range"},
	{"{\"name\":\"x\",\"score\":-10.01}", "score:out_of_range"},
	{"{\"name\":\"x\",\"score\":11}", "score:out_of_range"},
	{"{\"name\":\"x\",\"parent_id\":0}", "parent_id:out_of_range"},
	{"{\"name\":\"x\",\"parent_id\":1001}", "parent_id:out_of_range"},
	{"{\"name\":\"x\",\"items\":[]}", "items:out_of_range"},
	{"{\"name\":\"x\",\"items\":[1,2,3]}", "items:out_of_range"},
	{"{\"name\":\"x\",\"big\":-9223372036854775808}", ""},	/* 0,0 = unbounded */
	{"{\"name\":\"x\",\"ref_id\":1}", ""},
	{"{\"name\":\"x\",\"ref_id\":9223372036854775807}", ""},
	{"{\"name\":\"x\",\"ref_id\":0}", "ref_id:out_of_range"},
	{"{\"name\":\"x\",\"ref_id\":-1}", "ref_id:out_of_range"},
	{"{\"name\":\"x\",\"ref_id\":\"1\"}", "ref_id:wrong_type"},

	/* text validity */
	{"{\"name\":\"a\\u0001b\"}", "name:invalid_text"},
	{"{\"name\":\"a\\u001bb\"}", "name:invalid_text"},
	{"{\"name\":\"a\\u007f\"}", "name:invalid_text"},
	{"{\"name\":\"a\\u0000b\"}", "name:invalid_text"},	/* parsed with JSON_ALLOW_NUL */
	{"{\"name\":\"x\",\"note\":\"\\u000b\"}", "note:invalid_text"},
	{"{\"name\":\"a\\u0001\",\"age\":\"x\"}", "age:wrong_type name:invalid_text"},
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Checks the items' shape and renders them as a sorted "field:code ..." list. */
static void render_errors(const json_t *fields, char *out, size_t outsz)
{
	size_t n = json_array_size(fields);
	char **items = calloc(n ? n : 1, sizeof *items);
	assert_non_null(items);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(fields, i);
		assert_true(json_is_object(e));
		assert_int_equal(json_object_size(e), 3);
		const char *field = json_string_value(json_object_get(e, "field"));
		const char *code = json_string_value(json_object_get(e, "code"));
		const char *msg = json_string_value(json_object_get(e, "message"));
		assert_non_null(field);
		assert_non_null(code);
		assert_non_null(msg);
		assert_true(msg[0] != 0);
		size_t len = strlen(field) + strlen(code) + 2;
		items[i] = malloc(len);
		assert_non_null(items[i]);
		snprintf(items[i], len, "%s:%s", field, code);
	}
	qsort(items, n, sizeof *items, cmp_str);
	out[0] = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(out + o, outsz - o, "%s%s", i ? " " : "", items[i]);
		assert_true(w >= 0 && (size_t)w < outsz - o);
		o += (size_t)w;
		free(items[i]);
	}
	free(items);
}

static void t_check_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(check_cases); i++) {
		const struct check_case *c = &check_cases[i];
		json_error_t jerr;
		json_t *obj = json_loads(c->body, JSON_ALLOW_NUL, &jerr);
		if (!obj)
			fail_msg("case %zu: bad test JSON (%s): %s", i, jerr.text, c->body);
		json_t *fields = json_array();
		int n = json_check(obj, spec, fields);
		char got[1024];
		render_errors(fields, got, sizeof got);
		if (strcmp(got, c->want))
			fail_msg("case %zu %s:\n  got  \"%s\"\n  want \"%s\"", i, c->body, got, c->want);
		assert_int_equal(n, (int)json_array_size(fields));
		json_decref(fields);
		json_decref(obj);
	}
}

/* The brief's example: three independent problems give three entries. */
static void t_three_problems(void **state)
{
	(void)state;
	json_t *obj = json_pack("{s:i, s:s, s:b}", "name", 1, "age", "old", "zzz", 1);
	json_t *fields = json_array();
	assert_int_equal(json_check(obj, spec, fields), 3);
	assert_int_equal(json_array_size(fields), 3);
	json_decref(fields);
	json_decref(obj);
}

static void t_not_object(void **state)
{
	(void)state;
	json_t *bodies[] = {json_array(), json_string("x"), json_integer(1), json_real(1.5),
			    json_true(), json_null()};
	for (size_t i = 0; i < N_ELEMS(bodies); i++) {
		json_t *fields = json_array();
		assert_int_equal(json_check(bodies[i], spec, fields), 1);
		char got[128];
		render_errors(fields, got, sizeof got);
		assert_string_equal(got, ":not_object");
		json_decref(fields);
		json_decref(bodies[i]);
	}
	/* a NULL body (failed parse) is not an object either */
	json_t *fields = json_array();
	assert_int_equal(json_check(NULL, spec, fields), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 0), "code")),
			    "not_object");
	json_decref(fields);
}

/* Errors are appended to whatever the array already holds. */
static void t_appends(void **state)
{
	(void)state;
	json_t *fields = json_array();
	field_error(fields, "earlier", "custom", "an earlier error");
	json_t *obj = json_pack("{s:s}", "nope", "x");
	assert_int_equal(json_check(obj, spec, fields), 2);	/* unknown + required */
	assert_int_equal(json_array_size(fields), 3);
	json_t *first = json_array_get(fields, 0);
	assert_string_equal(json_string_value(json_object_get(first, "field")), "earlier");
	assert_string_equal(json_string_value(json_object_get(first, "code")), "custom");
	assert_string_equal(json_string_value(json_object_get(first, "message")), "an earlier error");
	json_decref(obj);
	json_decref(fields);
}

/* Required + nullable: present-as-null is fine, missing is not. */
static void t_required_nullable(void **state)
{
	(void)state;
	static const struct fspec s[] = {
		{"p", F_INT, F_REQ | F_NULL, 0, 0},
		{NULL, F_STR, 0, 0, 0},
	};
	json_t *fields = json_array();
	json_t *obj = json_pack("{s:n}", "p");
	assert_int_equal(json_check(obj, s, fields), 0);
	json_decref(obj);
	obj = json_object();
	assert_int_equal(json_check(obj, s, fields), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 0), "code")), "required");
	json_decref(obj);
	/* an empty spec rejects every key */
	static const struct fspec none[] = {{NULL, F_STR, 0, 0, 0}};
	json_array_clear(fields);
	obj = json_pack("{s:i, s:i}", "a", 1, "b", 2);
	assert_int_equal(json_check(obj, none, fields), 2);
	json_decref(obj);
	json_decref(fields);
}

/* ---- accessors --------------------------------------------------------- */

static void t_accessors(void **state)
{
	(void)state;
	json_t *o = json_loads("{\"s\":\"str\",\"i\":42,\"neg\":-7,\"r\":1.0,\"t\":true,\"f\":false,"
			       "\"n\":null,\"a\":[1],\"o\":{},\"istr\":\"5\",\"big\":9223372036854775807}",
			       0, NULL);
	assert_non_null(o);

	assert_string_equal(jstr(o, "s"), "str");
	assert_null(jstr(o, "missing"));
	assert_null(jstr(o, "i"));
	assert_null(jstr(o, "n"));
	assert_null(jstr(o, "a"));
	assert_null(jstr(NULL, "s"));

	assert_true(jint(o, "i", -1) == 42);
	assert_true(jint(o, "neg", 0) == -7);
	assert_true(jint(o, "big", 0) == INT64_MAX);
	assert_true(jint(o, "missing", 99) == 99);
	assert_true(jint(o, "r", 99) == 99);	/* real is not an integer */
	assert_true(jint(o, "istr", 99) == 99);
	assert_true(jint(o, "t", 99) == 99);
	assert_true(jint(o, "n", 99) == 99);
	assert_true(jint(NULL, "i", 99) == 99);

	assert_int_equal(jbool(o, "t", 0), 1);
	assert_int_equal(jbool(o, "f", 1), 0);
	assert_int_equal(jbool(o, "missing", 1), 1);
	assert_int_equal(jbool(o, "missing", 0), 0);
	assert_int_equal(jbool(o, "i", 7), 7);	/* 42 is not a boolean */
	assert_int_equal(jbool(o, "n", 7), 7);
	assert_int_equal(jbool(o, "s", 7), 7);
	assert_int_equal(jbool(NULL, "t", 7), 7);

	assert_int_equal(jhas(o, "s"), 1);
	assert_int_equal(jhas(o, "n"), 1);	/* present, even if null */
	assert_int_equal(jhas(o, "o"), 1);
	assert_int_equal(jhas(o, "missing"), 0);
	assert_int_equal(jhas(o, ""), 0);
	assert_int_equal(jhas(NULL, "s"), 0);

	/* on a non-object everything is "missing" */
	json_t *arr = json_array();
	assert_null(jstr(arr, "s"));
	assert_true(jint(arr, "i", 3) == 3);
	assert_int_equal(jbool(arr, "t", 2), 2);
	assert_int_equal(jhas(arr, "s"), 0);
	json_decref(arr);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_check_table),
		cmocka_unit_test(t_three_problems),
		cmocka_unit_test(t_not_object),
		cmocka_unit_test(t_appends),
		cmocka_unit_test(t_required_nullable),
		cmocka_unit_test(t_accessors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
