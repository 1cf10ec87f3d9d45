/*
 * assets.h — files compiled into the binary (tools/embed.py): the web UI
 * (web_files) and the schema migrations (schema_files: SQLite; schema_pg_files:
 * PostgreSQL).
 */
#ifndef WM_ASSETS_H
#define WM_ASSETS_H
#include <stddef.h>

struct asset {
	const char *name;		/* path relative to its folder */
	const unsigned char *data;
	size_t len;
	const unsigned char *gz;	/* gzip copy or NULL */
	size_t gzlen;
	const char *etag;
	const char *mime;
};

extern const struct asset web_files[];
extern const struct asset schema_files[];
extern const struct asset schema_pg_files[];
extern const struct asset data_files[];	/* data/: shipped default configuration */

const struct asset *asset_find(const struct asset *table, const char *name);
#endif
