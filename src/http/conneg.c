/*
 * conneg.c — the conditional and content-coding parts of a request:
 * If-None-Match (RFC 9110 §13.1.2) and Accept-Encoding (§12.5.3).
 * Pure string work, so the unit tests drive it directly.
 */
#include "request.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The opaque part of an entity tag ("W/" dropped): start and length. */
static void opaque(const char *tag, size_t len, const char **start, size_t *n)
{
	if (len >= 2 && tag[0] == 'W' && tag[1] == '/') {
		tag += 2;
		len -= 2;
	}
	*start = tag;
	*n = len;
}

int etag_list_match(const char *inm, const char *etag)
{
	if (!inm || !etag)
		return 0;
	const char *want;
	size_t wn;
	opaque(etag, strlen(etag), &want, &wn);
	for (const char *p = skip_ows(inm); *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 1 && *p == '*')
			return 1;
		const char *got;
		size_t gn;
		opaque(p, len, &got, &gn);
		if (gn == wn && !memcmp(got, want, wn))
			return 1;
		if (!end)
			break;
		p = skip_ows(end + 1);
	}
	return 0;
}

int req_etag_match(struct req *r, const char *etag)
{
	return etag_list_match(req_header(r, "If-None-Match"), etag);
}

/* The q of one Accept-Encoding element's parameters (";q=0.5"): 1 when
 * absent, -1 when malformed (the element is then ignored). */
static double element_q(const char *params, size_t len)
{
	double q = 1;
	const char *p = params, *end = params + len;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		if (!semi)
			break;
		p = skip_ows(semi + 1);
		if (p + 2 <= end && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			char num[16];
			size_t n = 0;
			for (const char *c = p + 2; c < end && n + 1 < sizeof num && *c != ';' && *c != ' ' && *c != '\t'; c++)
				num[n++] = *c;
			num[n] = 0;
			char *e;
			q = strtod(num, &e);
			if (!n || *e || q < 0 || q > 1)
				return -1;
		}
	}
	return q;
}

int accepts_gzip(const char *ae)
{
	if (!ae)
		return 0;
	double gzip_q = -1, star_q = -1;
	for (const char *p = skip_ows(ae); *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		size_t name = strcspn(p, ";, \t");
		if (name > len)
			name = len;
		double q = element_q(p + name, len - name);
		if ((name == 4 && !strncasecmp(p, "gzip", 4)) || (name == 6 && !strncasecmp(p, "x-gzip", 6)))
			gzip_q = q > gzip_q ? q : gzip_q;
		else if (name == 1 && *p == '*')
			star_q = q;
		if (!end)
			break;
		p = skip_ows(end + 1);
	}
	return gzip_q >= 0 ? gzip_q > 0 : star_q > 0;
}
