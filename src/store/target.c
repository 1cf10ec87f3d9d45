/*
 * target.c — which database a command works on: the value of --database
 * (or WENMING_DATABASE) and --data, reduced to a struct store_target, and
 * the store's entry point for it (store_open).
 *
 * The rule (docs/OPERATIONS.md): postgresql:// and postgres:// URIs and
 * libpq keyword strings ("host=db dbname=wenming") are PostgreSQL; sqlite:DIR
 * is the SQLite database DIR/wenming.db; no --database means SQLite in
 * --data DIR, as before PostgreSQL existed. The string is handed to libpq
 * unchanged, so every libpq parameter (sslmode, target_session_attrs, a
 * service file) works. No engine is called here: db.c's store_select
 * applies the result, main.c names it in messages.
 */
#include "store.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* A libpq keyword string starts with a keyword and "=". */
static int keyword_string(const char *s)
{
	const char *p = s;
	while (isspace((unsigned char)*p))
		p++;
	const char *w = p;
	while (islower((unsigned char)*p) || *p == '_')
		p++;
	while (isspace((unsigned char)*p))
		p++;
	return p > w && *p == '=';
}

static int fill(struct store_target *t, int backend, const char *where, char *err, size_t errlen)
{
	t->backend = backend;
	if ((size_t)snprintf(t->where, sizeof t->where, "%s", where) < sizeof t->where)
		return 0;
	snprintf(err, errlen, "--database is too long (at most %zu bytes)", sizeof t->where - 1);
	return -1;
}

int store_target_parse(const char *database, const char *data_dir, struct store_target *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	if (!database || !*database) {
		if (data_dir && *data_dir)
			return fill(t, STORE_SQLITE, data_dir, err, errlen);
		snprintf(err, errlen, "--data DIR is required");
		return -1;
	}
	if (!strncmp(database, "postgresql://", 13) || !strncmp(database, "postgres://", 11) ||
	    keyword_string(database))
		return fill(t, STORE_PG, database, err, errlen);
	if (!strncmp(database, "sqlite:", 7)) {
		const char *dir = database + 7;
		if (!strncmp(dir, "//", 2) && dir[2] == '/')	/* sqlite:///var/lib/wenming */
			dir += 2;
		if (!*dir)
			dir = data_dir;
		if (dir && *dir)
			return fill(t, STORE_SQLITE, dir, err, errlen);
		snprintf(err, errlen, "--database sqlite: names no directory and there is no --data DIR");
		return -1;
	}
	snprintf(err, errlen, "--database must be postgresql://USER@HOST:PORT/DB (or another libpq URI or "
		 "\"host=… dbname=…\") or sqlite:DIR");
	return -1;
}

/* Copies src to out with the value after each "password=" and the password
 * of a URI's user:password@ replaced by ***. */
static void mask(const char *src, char *out, size_t n)
{
	size_t o = 0;
	const char *scheme = strstr(src, "://");
	const char *auth_end = scheme ? strpbrk(scheme + 3, "@/?") : NULL;
	const char *colon = auth_end && *auth_end == '@' ? memchr(scheme + 3, ':', (size_t)(auth_end - scheme - 3)) : NULL;
	for (const char *p = src; *p && o + 4 < n;) {
		if (p == colon) {
			memcpy(out + o, ":***", 4);
			o += 4;
			p = auth_end;
			continue;
		}
		const char *eq = p + 8;
		while (*eq == ' ')
			eq++;
		if (!strncmp(p, "password", 8) && (p == src || !isalnum((unsigned char)p[-1])) && *eq == '=') {
			size_t k = (size_t)(eq - p) + 1;
			if (o + k + 3 >= n)
				break;
			memcpy(out + o, p, k);
			memcpy(out + o + k, "***", 3);
			o += k + 3;
			p = eq + 1;
			while (*p == ' ')
				p++;
			char quote = *p == '\'' ? *p++ : 0;
			while (*p && (quote ? *p != quote : (*p != ' ' && *p != '&')))
				p += (quote && *p == '\\' && p[1]) ? 2 : 1;
			if (quote && *p)
				p++;
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = 0;
}

void store_target_describe(const struct store_target *t, char *out, size_t n)
{
	if (t->backend == STORE_PG)
		mask(t->where, out, n);
	else
		snprintf(out, n, "%s/wenming.db", t->where);
}
