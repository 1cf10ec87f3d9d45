/* router.c — see router.h. Linear scan: the table is ~100 routes and each
 * comparison stops at the first differing segment, so this costs well under a
 * microsecond; a trie would buy nothing measurable. */
#include "router.h"
#include <stdio.h>
#include <string.h>

int path_is_clean(const char *p)
{
	if (!p || p[0] != '/')
		return 0;
	for (const char *c = p; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '\\')
			return 0;
		if (c[0] == '/' && c[1] == '/')
			return 0;
		if (c[0] == '/' && c[1] == '.' && (c[2] == '/' || c[2] == 0 || (c[2] == '.' && (c[3] == '/' || c[3] == 0))))
			return 0;
	}
	return 1;
}

int word_in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	if (!list || !n)
		return 0;
	for (const char *p = list; *p;) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if ((size_t)(e - p) == n && !memcmp(p, name, n))
			return 1;
		p = e;
	}
	return 0;
}

/* Parses a positive integer segment [s, e); 0 when it is not one. */
static int64_t seg_int(const char *s, const char *e)
{
	if (e == s || e - s > 18 || *s == '0')
		return 0;
	int64_t v = 0;
	for (; s < e; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int match_pattern(const char *pat, const char *path, struct match *m)
{
	m->nparams = 0;
	m->rest = NULL;
	const char *p = pat, *u = path;
	while (*p && *u) {
		if (*p != '/' || *u != '/')
			return 0;
		p++;
		u++;
		const char *pe = strchr(p, '/'), *ue = strchr(u, '/');
		if (!pe)
			pe = p + strlen(p);
		if (!ue)
			ue = u + strlen(u);
		if (*p == '{' && p[1] == '*') {
			/* One or more non-empty segments: no "a//b" (path_is_clean) and no trailing "/". */
			size_t n = strlen(u);
			if (ue == u || u[n - 1] == '/')
				return 0;
			m->rest = u;
			return 1;
		}
		if (*p == '{') {
			int64_t v = seg_int(u, ue);
			if (!v || m->nparams >= ROUTE_MAX_PARAMS)
				return 0;
			m->ids[m->nparams++] = v;
		} else if (pe - p != ue - u || memcmp(p, u, (size_t)(pe - p)))
			return 0;
		p = pe;
		u = ue;
	}
	return *p == 0 && *u == 0;
}

int router_match(const struct route *t, size_t n, const char *method, const char *path, struct match *m)
{
	memset(m, 0, sizeof *m);
	m->route = MATCH_NONE;
	if (!path_is_clean(path))
		return m->route = MATCH_BADPATH;
	int path_hit = 0;
	for (size_t i = 0; i < n; i++) {
		if (!match_pattern(t[i].pattern, path, m))
			continue;
		if (!strcmp(t[i].method, method) || (!strcmp(method, "HEAD") && !strcmp(t[i].method, "GET")))
			return m->route = (int)i;
		path_hit = 1;
		size_t used = strlen(m->allow);
		if (!strstr(m->allow, t[i].method))
			snprintf(m->allow + used, sizeof m->allow - used, "%s%s", used ? ", " : "", t[i].method);
	}
	m->nparams = 0;
	m->rest = NULL;
	return m->route = path_hit ? MATCH_METHOD : MATCH_NONE;
}
