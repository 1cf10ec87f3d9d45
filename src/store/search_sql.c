/*
 * search_sql.c — the full-text index of problems (schema 004): an FTS5 table
 * with the trigram tokenizer, one row per problem, rowid = problems.id. The
 * text is simplified Chinese, written by the application; the list query
 * (problems_sql.c) matches it with "fts" and falls back to instr() for
 * queries shorter than a trigram.
 */
#include "db.h"
#include "store.h"

int store_problem_index(int64_t id, const char *text)
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

json_t *store_problem_unindexed(int limit)
{
	db_stmt *st = db_prep("SELECT id FROM problems WHERE id NOT IN (SELECT rowid FROM problems_fts)"
				   " ORDER BY id LIMIT ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, limit);
	return db_rows(st);
}
