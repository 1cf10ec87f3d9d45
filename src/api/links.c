/*
 * links.c — the server's public address and how a request reached it.
 *
 * Absolute links (ledger photo links, QR codes, X-Checkin-Url, Open311
 * discovery) never come from the request's Host header, which any client
 * sets (security review #17): they use --public-url / WENMING_PUBLIC_URL,
 * else the older setting public_url, else the address the server listens on
 * (a wildcard address replaced by the machine's host name).
 *
 * X-Forwarded-Proto and X-Forwarded-For are believed only from the
 * addresses in --trusted-proxies / WENMING_TRUSTED_PROXIES (security review
 * #19).
 */
#include "api.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <unistd.h>

static int url_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr(".-:[]_~/%", c);
}

int public_url_set(const char *url)
{
	size_t n = strlen(url);
	const char *host = !strncmp(url, "https://", 8) ? url + 8 : !strncmp(url, "http://", 7) ? url + 7 : NULL;
	if (!host || !*host || *host == '/' || n >= sizeof app.public_url)
		return -1;
	for (const char *c = host; *c; c++)
		if (!url_char_ok(*c))
			return -1;
	while (n > 0 && url[n - 1] == '/')
		n--;
	snprintf(app.public_url, sizeof app.public_url, "%.*s", (int)n, url);
	return 0;
}

void links_listen_url(const char *url)
{
	const char *wild = strstr(url, "://0.0.0.0:") ? "0.0.0.0" : strstr(url, "://[::]:") ? "[::]" : NULL;
	char host[128];
	if (!wild || gethostname(host, sizeof host) != 0 || !host[0]) {
		snprintf(app.listen_url, sizeof app.listen_url, "%s", url);
		return;
	}
	host[sizeof host - 1] = 0;
	const char *port = strstr(url, wild) + strlen(wild);
	snprintf(app.listen_url, sizeof app.listen_url, "http://%s%.16s", host, port);
}

int trusted_proxies_set(const char *list)
{
	char copy[sizeof app.trusted_proxies], *save = NULL;
	if (strlen(list) >= sizeof copy)
		return -1;
	snprintf(copy, sizeof copy, "%s", list);
	app.trusted_proxies[0] = 0;
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		unsigned char a[16];
		if (inet_pton(AF_INET, t, a) != 1 && inet_pton(AF_INET6, t, a) != 1)
			return -1;
		size_t l = strlen(app.trusted_proxies);
		snprintf(app.trusted_proxies + l, sizeof app.trusted_proxies - l, "%s%s", l ? " " : "", t);
	}
	return 0;
}

static int from_trusted_proxy(struct req *r)
{
	return app.trusted_proxies[0] && r->ip[0] && word_in_list(app.trusted_proxies, r->ip);
}

void client_from_proxy(struct req *r)
{
	const char *xff = from_trusted_proxy(r) ? req_header(r, "X-Forwarded-For") : NULL;
	if (!xff)
		return;
	/* The rightmost address that is not one of our proxies: the ones to its
	 * left were written by the client and prove nothing. */
	char copy[512], *save = NULL, *pick = NULL;
	snprintf(copy, sizeof copy, "%s", xff);
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
		if (!word_in_list(app.trusted_proxies, t))
			pick = t;
	unsigned char a[16];
	if (pick && strlen(pick) < sizeof r->ip &&
	    (inet_pton(AF_INET, pick, a) == 1 || inet_pton(AF_INET6, pick, a) == 1))
		snprintf(r->ip, sizeof r->ip, "%s", pick);
}

int req_is_https(struct req *r)
{
	if (!strncmp(app.public_url, "https://", 8))
		return 1;
	const char *proto = req_header(r, "X-Forwarded-Proto");
	return proto && !strcasecmp(proto, "https") && from_trusted_proxy(r);
}

void transport_headers(struct req *r)
{
	/* A year, this host only: subdomains may be other services. */
	if (req_is_https(r))
		reply_header(r, "Strict-Transport-Security", "max-age=31536000");
}

void link_base(struct req *r, char *out, size_t n)
{
	(void)r;
	if (app.public_url[0]) {
		snprintf(out, n, "%s", app.public_url);
		return;
	}
	char *pub = store_setting_get("public_url");
	size_t l = pub ? strlen(pub) : 0;
	while (l > 0 && pub[l - 1] == '/')
		l--;
	if (l)
		snprintf(out, n, "%.*s", (int)l, pub);
	else
		snprintf(out, n, "%s", app.listen_url[0] ? app.listen_url : "http://localhost");
	free(pub);
}
