/*
 * web.c — the embedded web UI. index.html for "/" and every page path of the
 * single-page app; other files under /assets/. Precompressed gzip copies are
 * sent when the client accepts them; ETags come from the build.
 */
#include "api.h"
#include "http/assets.h"
#include <stdio.h>
#include <string.h>

const struct asset *asset_find(const struct asset *t, const char *name)
{
	for (; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

static int send_asset(struct req *r, const struct asset *a, int immutable)
{
	/* The gzip copy is another representation: its own ETag ("…-gz"), so a
	 * cache never pairs one coding's validator with the other's bytes. */
	int gz = a->gz && accepts_gzip(req_header(r, "Accept-Encoding"));
	char etag[96];
	size_t el = strlen(a->etag);
	if (gz && el >= 2 && a->etag[el - 1] == '"')
		snprintf(etag, sizeof etag, "%.*s-gz\"", (int)(el - 1), a->etag);
	else
		snprintf(etag, sizeof etag, "%s", a->etag);
	reply_header(r, "ETag", etag);
	reply_header(r, "Vary", "Accept-Encoding");
	/* Replace the API's no-store: assets are revalidated by ETag. */
	for (struct header *h = r->headers; h; h = h->next)
		if (!strcmp(h->name, "Cache-Control"))
			h->value = immutable ? "public, max-age=31536000, immutable" : "no-cache";
	if (!strncmp(a->mime, "text/html", 9)) {
		/* Map tiles from a configured server are the only images from
		 * elsewhere (app.tile_origin, checked at startup by tile_url_origin). */
		char csp[768];
		snprintf(csp, sizeof csp,
			 "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline';"
			 " img-src 'self' data: blob:%s%s; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
			 app.tile_origin[0] ? " " : "", app.tile_origin);
		reply_header(r, "Content-Security-Policy", csp);
	}
	if (req_etag_match(r, etag)) {
		r->len_200 = gz ? a->gzlen : a->len;
		return reply_empty(r, 304);
	}
	if (gz)
		reply_header(r, "Content-Encoding", "gzip");
	if (gz)
		return reply_raw(r, 200, a->mime, a->gz, a->gzlen, 1);
	return reply_raw(r, 200, a->mime, a->data, a->len, 1);
}

int web_index(struct req *r)
{
	const struct asset *a = asset_find(web_files, "index.html");
	if (!a)
		return reply_error(r, 404, "not_found", "未打包网页界面", NULL);
	return send_asset(r, a, 0);
}

int web_asset(struct req *r)
{
	const struct asset *a = r->m.rest ? asset_find(web_files, r->m.rest) : NULL;
	if (!a || !strcmp(a->name, "index.html"))
		return reply_error(r, 404, "not_found", "没有这个文件", NULL);
	/* ?v=<etag> URLs may be cached for good; plain ones are revalidated. */
	return send_asset(r, a, q_text(r, "v") != NULL);
}
