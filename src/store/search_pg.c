/*
 * search_pg.c — full-text search on PostgreSQL (search.h): the table
 * problems_search (schema/pg/004), one row per problem with the same
 * simplified body as SQLite's FTS5 table, and a GIN gin_trgm_ops index
 * (pg_trgm) that answers ILIKE '%phrase%' — case-insensitive substring
 * match, as FTS5's trigram tokenizer answers a quoted phrase. The row goes
 * with its problem (ON DELETE CASCADE), as SQLite's trigger does.
 */
#include "db.h"
#include "search.h"
#include "store.h"
#include <stdlib.h>
#include <string.h>

static int trgm_index(int64_t id, const char *text)
{
	db_stmt *st = db_prep("INSERT INTO problems_search (problem_id, body) VALUES (?, ?)"
			      " ON CONFLICT (problem_id) DO UPDATE SET body = excluded.body");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, text ? text : "");
	return db_exec_stmt(st);
}

static json_t *trgm_unindexed(int limit)
{
	/* NOT EXISTS, not NOT IN: PostgreSQL plans it as an anti-join. */
	db_stmt *st = db_prep("SELECT p.id FROM problems p WHERE NOT EXISTS"
			      " (SELECT 1 FROM problems_search s WHERE s.problem_id = p.id) ORDER BY p.id LIMIT ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, limit);
	return db_rows(st);
}

/* An ILIKE pattern matching text anywhere: '%' text '%' with the pattern
 * characters \ % _ escaped by a backslash (ILIKE's default escape). */
static char *trgm_phrase(const char *text)
{
	if (!text)
		return NULL;
	size_t n = strlen(text), k = 0;
	char *out = malloc(2 * n + 3);
	if (!out)
		return NULL;
	out[k++] = '%';
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '\\' || text[i] == '%' || text[i] == '_')
			out[k++] = '\\';
		out[k++] = text[i];
	}
	out[k++] = '%';
	out[k] = 0;
	return out;
}

const struct search_engine search_pg = {
	.index = trgm_index,
	.unindexed = trgm_unindexed,
	.phrase = trgm_phrase,
};
