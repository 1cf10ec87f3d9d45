/*
 * search.h — full-text search of problems, where the engines differ. Both
 * keep one row per problem holding the same body: code, category name, org
 * name, address and description, simplified by OpenCC in api/search.c (SQL
 * cannot), so 楼道堆物 finds 樓道堆物 on either engine. Both answer a phrase
 * as a case-insensitive substring of the body (FTS5's trigram MATCH of a
 * quoted phrase; ILIKE '%phrase%' on PostgreSQL). A query shorter than three
 * characters never reaches the index (api/search.c sends it as "q": instr()).
 *
 *   SQLite      search_sqlite.c  FTS5 table problems_fts (trigram tokenizer)
 *   PostgreSQL  search_pg.c      table problems_search, GIN gin_trgm_ops index
 *
 * Internal to the store; store_problem_index/unindexed (store.h) dispatch here.
 */
#ifndef WM_SEARCH_H
#define WM_SEARCH_H
#include <jansson.h>
#include <stdint.h>

struct search_engine {
	/* Writes (replaces) problem id's row; inside the caller's transaction. */
	int (*index)(int64_t id, const char *text);
	/* Ids of problems without a row, oldest first, at most limit. */
	json_t *(*unindexed)(int limit);
	/* The value bound to ?19 in SEARCH_IDS_*: text (simplified, at least
	 * three characters) as one literal phrase in the engine's syntax, so
	 * user input is never query syntax. malloc'd; NULL for NULL. */
	char *(*phrase)(const char *text);
};
extern const struct search_engine search_sqlite, search_pg;
const struct search_engine *search_engine(void);

/* Statement fragments for problem_filter.h, per engine: the ids whose row
 * matches ?19 (and the filter's clause on them), and whether problem p's row
 * contains ?16 (case folded; the short-query fallback). Macros, because
 * statements are static text. */
#define SEARCH_IDS_SQLITE "SELECT rowid FROM problems_fts WHERE problems_fts MATCH ?19"
#define SEARCH_AND_PHRASE_SQLITE " AND (?19 IS NULL OR p.id IN (" SEARCH_IDS_SQLITE "))"
#define SEARCH_BODY_HAS_16_SQLITE \
	"EXISTS (SELECT 1 FROM problems_fts WHERE rowid = p.id AND instr(lower(body), lower(?16)) > 0)"
#define SEARCH_IDS_PG "SELECT problem_id FROM problems_search WHERE body ILIKE ?19"
#define SEARCH_AND_PHRASE_PG " AND (?19 IS NULL OR p.id IN (" SEARCH_IDS_PG "))"
#define SEARCH_BODY_HAS_16_PG \
	"EXISTS (SELECT 1 FROM problems_search s WHERE s.problem_id = p.id AND strpos(lower(s.body), lower(?16)) > 0)"
#endif
