/*
 * search.c — the store's full-text entry points (store.h), dispatched to the
 * engine in use (search.h: search_sqlite.c, search_pg.c).
 */
#include "db.h"
#include "search.h"
#include "store.h"

const struct search_engine *search_engine(void)
{
	return db_backend() == DB_PG ? &search_pg : &search_sqlite;
}

int store_problem_index(int64_t id, const char *text)
{
	return search_engine()->index(id, text);
}

json_t *store_problem_unindexed(int limit)
{
	return search_engine()->unindexed(limit);
}
