/*
 * fuzz_router.c — router_match, path_is_clean and word_in_list (router.c)
 * over the real routes table. Input: one method-selector byte, then the path.
 * Properties: a match re-renders to exactly the input path (the pattern with
 * its ids and rest filled in); a 405 lists only methods of routes whose
 * pattern matches; a clean path has no "//", "/./", "/../", backslash or
 * control byte; word_in_list agrees with a naive split.
 */
#include "fuzz.h"
#include "api/api.h"
#include "http/router.h"
#include <string.h>

static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get"};

/* The pattern with the match's values put back. */
static void render(const char *pat, const struct match *m, char *out, size_t n)
{
	size_t o = 0;
	int k = 0;
	for (const char *p = pat; *p && o + 1 < n;) {
		if (*p == '{') {
			const char *e = strchr(p, '}');
			if (p[1] == '*')
				o += (size_t)snprintf(out + o, n - o, "%s", m->rest);
			else
				o += (size_t)snprintf(out + o, n - o, "%lld", (long long)m->ids[k++]);
			p = e + 1;
		} else
			out[o++] = *p++;
		if (o >= n)
			o = n - 1;
	}
	out[o] = 0;
}

static int naive_in_list(const char *list, const char *name)
{
	if (!*name)
		return 0;
	char *copy = strdup(list), *save = NULL;
	int hit = 0;
	for (char *w = strtok_r(copy, " ", &save); w && !hit; w = strtok_r(NULL, " ", &save))
		hit = !strcmp(w, name);
	free(copy);
	return hit;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	const char *method = methods[data[0] % (sizeof methods / sizeof *methods)];
	char *path = fuzz_strndup(data + 1, size - 1);
	struct match m;
	int rc = router_match(api_routes, api_nroutes, method, path, &m);
	CHECK(rc == m.route);
	CHECK(rc >= MATCH_BADPATH && rc < (int)api_nroutes);
	int clean = path_is_clean(path);
	CHECK((rc == MATCH_BADPATH) == !clean);
	if (clean) {
		CHECK(path[0] == '/' && !strstr(path, "//") && !strstr(path, "/./") && !strstr(path, "/../"));
		CHECK(!strchr(path, '\\'));
		for (const char *c = path; *c; c++)
			CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
	}
	if (rc >= 0) {
		const struct route *rt = &api_routes[rc];
		CHECK(!strcmp(rt->method, method) || (!strcmp(method, "HEAD") && !strcmp(rt->method, "GET")));
		CHECK(m.nparams >= 0 && m.nparams <= ROUTE_MAX_PARAMS);
		for (int i = 0; i < m.nparams; i++)
			CHECK(m.ids[i] > 0);
		if (m.rest)
			CHECK(m.rest > path && m.rest < path + strlen(path) && *m.rest && m.rest[strlen(m.rest) - 1] != '/');
		char again[8192];
		render(rt->pattern, &m, again, sizeof again);
		CHECK(!strcmp(again, path));
	} else if (rc == MATCH_METHOD) {
		CHECK(m.allow[0] && memchr(m.allow, 0, sizeof m.allow));
		CHECK(!strstr(m.allow, method));
	} else {
		CHECK(m.nparams == 0 && !m.rest);
	}

	/* word_in_list: the path split at its first '?' as "name?list". */
	char *q = strchr(path, '?');
	if (q) {
		*q = 0;
		CHECK(word_in_list(q + 1, path) == naive_in_list(q + 1, path));
	}
	free(path);
	return 0;
}
