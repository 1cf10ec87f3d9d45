/*
 * test_router.c — unit tests for src/http/router.{h,c}:
 *   - router_match on a small route table: literal routes, integer
 *     parameters (m.ids / m.nparams, several per pattern), {*path} rest
 *     matches (m.rest points into the path), MATCH_NONE (404), MATCH_METHOD
 *     (405) with m.allow ("GET, POST" style, no duplicates), HEAD served by
 *     GET routes, MATCH_BADPATH for "..", "/./", "//", control bytes, DEL,
 *     backslash and paths not starting with '/';
 *   - integer parameters reject 0, leading zeros, non-digits, signs and more
 *     than 18 digits; trailing slashes do not match; {*path} needs at least
 *     one non-empty segment;
 *   - path_is_clean and word_in_list edge cases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/router.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

enum {
	RT_ORGS_LIST,
	RT_ORGS_CREATE,
	RT_ORG_GET,
	RT_ORG_PATCH,
	RT_GRANT_DELETE,
	RT_ASSETS,
	RT_ORG_MEMBER,
	RT_HEALTH,
	RT_ME_PUT,
	RT_COUNT
};

static const struct route table[] = {
	[RT_ORGS_LIST] = {"GET", "/api/v1/orgs", NULL, "orgs_list", 0, 0, 0, "q limit cursor"},
	[RT_ORGS_CREATE] = {"POST", "/api/v1/orgs", NULL, "orgs_create", 0, R_WRITE | R_CREATE, 65536, NULL},
	[RT_ORG_GET] = {"GET", "/api/v1/orgs/{id}", NULL, "org_get", 0, 0, 0, NULL},
	[RT_ORG_PATCH] = {"PATCH", "/api/v1/orgs/{id}", NULL, "org_patch", 0, R_WRITE, 65536, NULL},
	[RT_GRANT_DELETE] = {"DELETE", "/api/v1/accounts/{id}/grants/{grant_id}", NULL, "grant_delete", 0, R_WRITE, 0, NULL},
	[RT_ASSETS] = {"GET", "/assets/{*path}", NULL, "assets", 0, R_PUBLIC | R_RAW, 0, NULL},
	[RT_ORG_MEMBER] = {"GET", "/api/v1/orgs/{id}/members/{member_id}", NULL, "member_get", 0, 0, 0, NULL},
	[RT_HEALTH] = {"GET", "/healthz", NULL, "health", 0, R_PUBLIC, 0, NULL},
	[RT_ME_PUT] = {"PUT", "/api/v1/me", NULL, "me_put", 0, R_WRITE, 4096, NULL},
};

static int match(const char *method, const char *path, struct match *m)
{
	return router_match(table, N_ELEMS(table), method, path, m);
}

/* ---- successful matches ------------------------------------------------ */

struct hit_case {
	const char *method;
	const char *path;
	int route;
	int nparams;
	int64_t ids[ROUTE_MAX_PARAMS];
	const char *rest;	/* expected rest string, NULL when none */
};

static const struct hit_case hit_cases[] = {
	{"GET", "/api/v1/orgs", RT_ORGS_LIST, 0, {0}, NULL},
	{"POST", "/api/v1/orgs", RT_ORGS_CREATE, 0, {0}, NULL},
	{"GET", "/api/v1/orgs/1", RT_ORG_GET, 1, {1}, NULL},
	{"GET", "/api/v1/orgs/42", RT_ORG_GET, 1, {42}, NULL},
	{"PATCH", "/api/v1/orgs/42", RT_ORG_PATCH, 1, {42}, NULL},
	{"GET", "/api/v1/orgs/100", RT_ORG_GET, 1, {100}, NULL},	/* inner zeros fine */
	{"GET", "/api/v1/orgs/999999999999999999", RT_ORG_GET, 1, {INT64_C(999999999999999999)}, NULL},	/* 18 digits */
	{"DELETE", "/api/v1/accounts/7/grants/123", RT_GRANT_DELETE, 2, {7, 123}, NULL},
	{"GET", "/api/v1/orgs/3/members/9", RT_ORG_MEMBER, 2, {3, 9}, NULL},
	{"GET", "/assets/a/b.js", RT_ASSETS, 0, {0}, "a/b.js"},
	{"GET", "/assets/app.css", RT_ASSETS, 0, {0}, "app.css"},
	{"GET", "/assets/x", RT_ASSETS, 0, {0}, "x"},
	{"GET", "/assets/..b/c", RT_ASSETS, 0, {0}, "..b/c"},	/* ".." only as a whole segment is bad */
	{"GET", "/healthz", RT_HEALTH, 0, {0}, NULL},
	{"PUT", "/api/v1/me", RT_ME_PUT, 0, {0}, NULL},
	/* HEAD is served by GET routes */
	{"HEAD", "/api/v1/orgs", RT_ORGS_LIST, 0, {0}, NULL},
	{"HEAD", "/api/v1/orgs/5", RT_ORG_GET, 1, {5}, NULL},
	{"HEAD", "/assets/a/b.js", RT_ASSETS, 0, {0}, "a/b.js"},
};

static void t_hits(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(hit_cases); i++) {
		const struct hit_case *c = &hit_cases[i];
		struct match m;
		memset(&m, 0x5a, sizeof m);
		int r = match(c->method, c->path, &m);
		if (r != c->route)
			fail_msg("case %zu %s %s: got %d want %d", i, c->method, c->path, r, c->route);
		assert_int_equal(m.route, c->route);
		assert_int_equal(m.nparams, c->nparams);
		for (int k = 0; k < c->nparams; k++)
			assert_true(m.ids[k] == c->ids[k]);
		if (c->rest) {
			assert_non_null(m.rest);
			assert_string_equal(m.rest, c->rest);
			/* rest points into the caller's path */
			assert_true(m.rest >= c->path && m.rest < c->path + strlen(c->path));
		} else {
			assert_null(m.rest);
		}
	}
}

/* ---- misses: 404 / 405 / 400 ------------------------------------------- */

struct miss_case {
	const char *method;
	const char *path;
	int want;
	const char *allow;	/* for MATCH_METHOD */
};

static const struct miss_case miss_cases[] = {
	/* 404 */
	{"GET", "/", MATCH_NONE, NULL},
	{"GET", "/api", MATCH_NONE, NULL},
	{"GET", "/api/v1", MATCH_NONE, NULL},
	{"GET", "/api/v1/org", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgsx", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/", MATCH_NONE, NULL},	/* trailing slash */
	{"GET", "/api/v1/orgs/5/", MATCH_NONE, NULL},
	{"GET", "/healthz/", MATCH_NONE, NULL},
	{"GET", "/API/v1/orgs", MATCH_NONE, NULL},	/* case-sensitive */
	{"GET", "/api/v1/orgs/5/extra", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/5/members", MATCH_NONE, NULL},
	{"DELETE", "/api/v1/accounts/7/grants", MATCH_NONE, NULL},
	{"GET", "/nope", MATCH_NONE, NULL},
	{"GET", "/assets", MATCH_NONE, NULL},
	{"GET", "/assets/", MATCH_NONE, NULL},	/* {*path} needs something */
	/* integer parameter rejects */
	{"GET", "/api/v1/orgs/0", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/007", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/00", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/abc", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/12a", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/a12", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/-1", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/+1", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/1.5", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/1e3", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/%31", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/1234567890123456789", MATCH_NONE, NULL},	/* 19 digits */
	{"GET", "/api/v1/orgs/9223372036854775807", MATCH_NONE, NULL},	/* INT64_MAX, 19 digits */
	{"GET", "/api/v1/orgs/99999999999999999999999", MATCH_NONE, NULL},
	{"DELETE", "/api/v1/accounts/7/grants/0", MATCH_NONE, NULL},
	{"DELETE", "/api/v1/accounts/07/grants/1", MATCH_NONE, NULL},
	{"GET", "/api/v1/orgs/ 1", MATCH_NONE, NULL},
	/* 405 */
	{"DELETE", "/api/v1/orgs", MATCH_METHOD, "GET, POST"},
	{"PUT", "/api/v1/orgs", MATCH_METHOD, "GET, POST"},
	{"POST", "/api/v1/orgs/5", MATCH_METHOD, "GET, PATCH"},
	{"GET", "/api/v1/accounts/7/grants/8", MATCH_METHOD, "DELETE"},
	{"HEAD", "/api/v1/accounts/7/grants/8", MATCH_METHOD, "DELETE"},
	{"POST", "/assets/a/b.js", MATCH_METHOD, "GET"},
	{"GET", "/api/v1/me", MATCH_METHOD, "PUT"},
	{"get", "/healthz", MATCH_METHOD, "GET"},	/* methods are case-sensitive */
	/* 400 */
	{"GET", "/api/v1/../v1/orgs", MATCH_BADPATH, NULL},
	{"GET", "/api/v1/orgs/..", MATCH_BADPATH, NULL},
	{"GET", "/..", MATCH_BADPATH, NULL},
	{"GET", "/assets/../etc/passwd", MATCH_BADPATH, NULL},
	{"GET", "/assets/a/../../x", MATCH_BADPATH, NULL},
	{"GET", "/api/./v1/orgs", MATCH_BADPATH, NULL},
	{"GET", "/api/v1/orgs/.", MATCH_BADPATH, NULL},
	{"GET", "/.", MATCH_BADPATH, NULL},
	{"GET", "//api/v1/orgs", MATCH_BADPATH, NULL},
	{"GET", "/api//v1/orgs", MATCH_BADPATH, NULL},
	{"GET", "/assets//a.js", MATCH_BADPATH, NULL},
	{"GET", "/assets/a//b.js", MATCH_BADPATH, NULL},
	{"GET", "//", MATCH_BADPATH, NULL},
	{"GET", "/api/v1/orgs\n", MATCH_BADPATH, NULL},
	{"GET", "/api/v1/orgs\r\nX: y", MATCH_BADPATH, NULL},
	{"GET", "/api/v1/\torgs", MATCH_BADPATH, NULL},
	{"GET", "/assets/a\x01.js", MATCH_BADPATH, NULL},
	{"GET", "/assets/a\x1f.js", MATCH_BADPATH, NULL},
	{"GET", "/assets/a\x7f.js", MATCH_BADPATH, NULL},	/* DEL */
	{"GET", "/assets/a\\b.js", MATCH_BADPATH, NULL},	/* backslash */
	{"GET", "/assets\\..\\x", MATCH_BADPATH, NULL},
	{"GET", "api/v1/orgs", MATCH_BADPATH, NULL},	/* no leading '/' */
	{"GET", "", MATCH_BADPATH, NULL},
	{"GET", "*", MATCH_BADPATH, NULL},
	{"GET", "http://host/api/v1/orgs", MATCH_BADPATH, NULL},
	{"GET", NULL, MATCH_BADPATH, NULL},
	/* BADPATH wins even when the method would not match anything */
	{"BREW", "/a/../b", MATCH_BADPATH, NULL},
};

static void t_misses(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(miss_cases); i++) {
		const struct miss_case *c = &miss_cases[i];
		struct match m;
		memset(&m, 0x5a, sizeof m);
		int r = match(c->method, c->path, &m);
		if (r != c->want)
			fail_msg("case %zu %s %s: got %d want %d", i, c->method,
				 c->path ? c->path : "(null)", r, c->want);
		assert_int_equal(m.route, c->want);
		/* no leftovers of partial matches */
		assert_int_equal(m.nparams, 0);
		assert_null(m.rest);
		if (c->want == MATCH_METHOD)
			assert_string_equal(m.allow, c->allow);
		else
			assert_string_equal(m.allow, "");
	}
}

/* The allow list names each method once, in table order, and fits its
 * buffer even with many methods for one path. */
static void t_allow_many(void **state)
{
	(void)state;
	static const struct route t[] = {
		{"GET", "/x", NULL, "a", 0, 0, 0, NULL},
		{"GET", "/y", NULL, "b", 0, 0, 0, NULL},
		{"POST", "/x", NULL, "c", 0, 0, 0, NULL},
		{"GET", "/x", NULL, "d", 0, 0, 0, NULL},	/* duplicate method */
		{"PUT", "/x", NULL, "e", 0, 0, 0, NULL},
		{"PATCH", "/x", NULL, "f", 0, 0, 0, NULL},
		{"DELETE", "/x", NULL, "g", 0, 0, 0, NULL},
		{"OPTIONS", "/x", NULL, "h", 0, 0, 0, NULL},
		{"PROPFIND", "/x", NULL, "i", 0, 0, 0, NULL},
		{"PROPPATCH", "/x", NULL, "j", 0, 0, 0, NULL},
		{"MKCOL", "/x", NULL, "k", 0, 0, 0, NULL},
		{"COPY", "/x", NULL, "l", 0, 0, 0, NULL},
		{"MOVE", "/x", NULL, "m", 0, 0, 0, NULL},
		{"LOCK", "/x", NULL, "n", 0, 0, 0, NULL},
		{"UNLOCK", "/x", NULL, "o", 0, 0, 0, NULL},
	};
	struct match m;
	assert_int_equal(router_match(t, 3, "DELETE", "/x", &m), MATCH_METHOD);
	assert_string_equal(m.allow, "GET, POST");
	assert_int_equal(router_match(t, 5, "DELETE", "/x", &m), MATCH_METHOD);
	assert_string_equal(m.allow, "GET, POST, PUT");
	assert_int_equal(router_match(t, N_ELEMS(t), "TRACE", "/x", &m), MATCH_METHOD);
	assert_true(strlen(m.allow) < sizeof m.allow);
	assert_true(strncmp(m.allow, "GET, POST, PUT, PATCH, DELETE", 29) == 0);
	/* first table entry wins when two routes match */
	assert_int_equal(router_match(t, N_ELEMS(t), "GET", "/x", &m), 0);
	/* empty table */
	assert_int_equal(router_match(t, 0, "GET", "/x", &m), MATCH_NONE);
	assert_string_equal(m.allow, "");
}

/* A failed integer-parameter route must not leave its ids behind when a later
 * route matches, and more params than ROUTE_MAX_PARAMS never match. */
static void t_params_edge(void **state)
{
	(void)state;
	static const struct route t[] = {
		{"GET", "/a/{id}/b", NULL, "x", 0, 0, 0, NULL},
		{"GET", "/a/{id}/{b_id}/c", NULL, "y", 0, 0, 0, NULL},
		{"GET", "/p/{a_id}/{b_id}/{c_id}/{d_id}", NULL, "four", 0, 0, 0, NULL},
		{"GET", "/q/{a_id}/{b_id}/{c_id}/{d_id}/{e_id}", NULL, "five", 0, 0, 0, NULL},
		{"GET", "/f/{*rest}", NULL, "files", 0, 0, 0, NULL},
		{"GET", "/g/{id}/{*rest}", NULL, "id_files", 0, 0, 0, NULL},
	};
	struct match m;
	assert_int_equal(router_match(t, N_ELEMS(t), "GET", "/a/5/6/c", &m), 1);
	assert_int_equal(m.nparams, 2);
	assert_true(m.ids[0] == 5 && m.ids[1] == 6);

	assert_int_equal(router_match(t, N_ELEMS(t), "GET", "/p/1/2/3/4", &m), 2);
	assert_int_equal(m.nparams, 4);
	assert_true(m.ids[0] == 1 && m.ids[1] == 2 && m.ids[2] == 3 && m.ids[3] == 4);

	/* a fifth parameter does not fit in ids[] */
	assert_int_equal(router_match(t, N_ELEMS(t), "GET", "/q/1/2/3/4/5", &m), MATCH_NONE);

	assert_int_equal(router_match(t, N_ELEMS(t), "GET", "/f/deep/er/file.txt", &m), 4);
	assert_string_equal(m.rest, "deep/er/file.txt");

	assert_int_equal(router_match(t, N_ELEMS(t), "GET", "/g/12/x/y", &m), 5);
	assert_int_equal(m.nparams, 1);
	assert_true(m.ids[0] == 12);
	assert_string_equal(m.rest, "x/y");
	assert_int_equal(router_match(t, N_ELEMS(t), "GET", "/g/12/", &m), MATCH_NONE);
	assert_int_equal(router_match(t, N_ELEMS(t), "GET", "/g/12", &m), MATCH_NONE);
	assert_int_equal(router_match(t, N_ELEMS(t), "GET", "/g/0/x", &m), MATCH_NONE);
}

/* router.h: "{*rest}" matches one or more segments with no ".." and no empty
 * segment. A trailing slash leaves an empty last segment. */
static void t_rest_no_empty_segment(void **state)
{
	(void)state;
	struct match m;
	int r = match("GET", "/assets/a/", &m);
	if (r == RT_ASSETS)
		fail_msg("\"/assets/a/\" matched {*path} with rest \"%s\" (empty last segment)", m.rest);
	assert_int_equal(r, MATCH_NONE);
	assert_null(m.rest);
}

/* ---- path_is_clean ----------------------------------------------------- */

struct clean_case {
	const char *path;
	int want;
};

static const struct clean_case clean_cases[] = {
	{"/", 1},
	{"/a", 1},
	{"/api/v1/orgs", 1},
	{"/api/v1/orgs/", 1},	/* trailing slash is clean (just won't match) */
	{"/a.b", 1},
	{"/.well-known/x", 1},	/* dot-prefixed names are fine */
	{"/a/.hidden", 1},
	{"/a/..b", 1},
	{"/a/b..", 1},
	{"/a/...", 1},
	{"/a/b.", 1},
	{"/%2e%2e/x", 1},	/* still percent-encoded: not our business here */
	{"/\xe4\xb8\xad\xe6\x96\x87", 1},	/* UTF-8 bytes >= 0x80 */
	{"/a b", 1},
	{"/~user", 1},
	{NULL, 0},
	{"", 0},
	{"a", 0},
	{"a/b", 0},
	{".", 0},
	{"./a", 0},
	{"\\a", 0},
	{"//", 0},
	{"//a", 0},
	{"/a//b", 0},
	{"/a/", 1},
	{"/a///", 0},
	{"/.", 0},
	{"/..", 0},
	{"/./", 0},
	{"/../", 0},
	{"/a/.", 0},
	{"/a/..", 0},
	{"/a/./b", 0},
	{"/a/../b", 0},
	{"/a\\b", 0},
	{"/a\\..\\b", 0},
	{"/a\tb", 0},
	{"/a\nb", 0},
	{"/a\rb", 0},
	{"/a\x01", 0},
	{"/a\x1f", 0},
	{"/a\x7f", 0},
	{"/\x1b", 0},
};

static void t_path_is_clean(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(clean_cases); i++) {
		int got = path_is_clean(clean_cases[i].path);
		if (got != clean_cases[i].want)
			fail_msg("case %zu \"%s\": got %d want %d", i,
				 clean_cases[i].path ? clean_cases[i].path : "(null)", got,
				 clean_cases[i].want);
	}
}

/* ---- word_in_list ------------------------------------------------------ */

struct word_case {
	const char *list;
	const char *name;
	int want;
};

static const struct word_case word_cases[] = {
	{"q limit cursor", "q", 1},
	{"q limit cursor", "limit", 1},
	{"q limit cursor", "cursor", 1},
	{"q limit cursor", "lim", 0},		/* prefix */
	{"q limit cursor", "limits", 0},	/* longer */
	{"q limit cursor", "imit", 0},		/* suffix */
	{"q limit cursor", "ursor", 0},
	{"q limit cursor", "q limit", 0},	/* two words */
	{"q limit cursor", "Q", 0},		/* case-sensitive */
	{"q limit cursor", "", 0},		/* empty name */
	{"  q   limit  ", "limit", 1},		/* extra spaces */
	{"  q   limit  ", "q", 1},
	{"  q   limit  ", "", 0},
	{"only", "only", 1},
	{"only", "onl", 0},
	{"", "q", 0},
	{"   ", "q", 0},
	{NULL, "q", 0},
	{"a b c", "c", 1},
	{"abc", "b", 0},
};

static void t_word_in_list(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(word_cases); i++) {
		const struct word_case *c = &word_cases[i];
		int got = word_in_list(c->list, c->name);
		if (got != c->want)
			fail_msg("case %zu list=\"%s\" name=\"%s\": got %d want %d", i,
				 c->list ? c->list : "(null)", c->name, got, c->want);
	}
	/* the query list of a real route */
	assert_true(word_in_list(table[RT_ORGS_LIST].query, "cursor"));
	assert_false(word_in_list(table[RT_ORGS_CREATE].query, "cursor"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_hits),
		cmocka_unit_test(t_misses),
		cmocka_unit_test(t_allow_many),
		cmocka_unit_test(t_params_edge),
		cmocka_unit_test(t_rest_no_empty_segment),
		cmocka_unit_test(t_path_is_clean),
		cmocka_unit_test(t_word_in_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
