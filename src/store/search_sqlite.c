/*
 * search_sqlite.c — full-text search on SQLite (search.h): the FTS5 table
 * problems_fts with the trigram tokenizer (schema/sqlite/004), one row per
 * problem, rowid = problems.id; the problems_fts_delete trigger drops a
 * deleted problem's row. FTS5 has no upsert: a re-index deletes, then inserts.
 */
#include "db.h"
#include "search.h"
#include "store.h"
#include <stdlib.h>
#include <string.h>

static int fts_index(int64_t id, const char *text)
{
	db_stmt *st = db_prep("DELETE FROM problems_fts WHERE rowid = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	int rc = db_exec_stmt(st);
	if (rc)
		return rc;
	st = db_prep("INSERT INTO problems_fts (rowid, body) VALUES (?, ?)");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, text ? text : "");
	return db_exec_stmt(st);
}

static json_t *fts_unindexed(int limit)
{
	db_stmt *st = db_prep("SELECT id FROM problems WHERE id NOT IN (SELECT rowid FROM problems_fts)"
			      " ORDER BY id LIMIT ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, limit);
	return db_rows(st);
}

/* An FTS5 query matching text as one literal phrase: in double quotes, inner
 * quotes doubled. The trigram tokenizer makes a phrase a substring match. */
static char *fts_phrase(const char *text)
{
	if (!text)
		return NULL;
	size_t n = strlen(text), k = 0;
	char *out = malloc(2 * n + 3);
	if (!out)
		return NULL;
	out[k++] = '"';
	for (size_t i = 0; i < n; i++) {
		out[k++] = text[i];
		if (text[i] == '"')
			out[k++] = '"';
	}
	out[k++] = '"';
	out[k] = 0;
	return out;
}

const struct search_engine search_sqlite = {
	.index = fts_index,
	.unindexed = fts_unindexed,
	.phrase = fts_phrase,
};
