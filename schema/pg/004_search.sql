-- 004 Full-text search over problems (SPEC §3 "Search"), PostgreSQL's form
-- of schema/sqlite/004 (an FTS5 trigram table there).
--
-- One row per problem: code, category name, org name, address and
-- description, converted to simplified Chinese by the application (OpenCC
-- t2s, store_problem_index) before they are written, and queries are
-- converted the same way, so 楼道堆物 finds 樓道堆物 on both engines. SQL
-- cannot simplify, so the text is a stored copy here too, not an expression.
--
-- The key column is named rowid on purpose: the statements shared by both
-- engines (search_sql.c's writes, "SELECT rowid FROM problems_fts", the
-- short-query fallback "WHERE rowid = p.id" in problem_filter.h) then run
-- unchanged; only the match itself is per engine. FTS5's trigram MATCH of a
-- phrase is a case-insensitive substring match; here it is
--   body ILIKE '%' || <the phrase, with \ % _ escaped> || '%'
-- which the GIN trigram index answers (pg_trgm lower-cases its trigrams and
-- indexes CJK characters under a UTF-8 LC_CTYPE, which 001 requires).
-- Like FTS5's trigrams, a phrase shorter than three characters cannot use
-- the index (it would scan it whole): the store keeps its instr() fallback.
--
-- A problem's deletion removes its row (ON DELETE CASCADE), as SQLite's
-- problems_fts_delete trigger does.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE problems_fts (
  rowid BIGINT PRIMARY KEY REFERENCES problems(id) ON DELETE CASCADE,
  body  TEXT NOT NULL
);
CREATE INDEX problems_fts_body ON problems_fts USING gin (body gin_trgm_ops);
