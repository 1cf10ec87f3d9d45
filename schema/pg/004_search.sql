-- 004 Full-text search over problems (SPEC §3 "Search"), PostgreSQL's form
-- of schema/sqlite/004 (an FTS5 trigram table there; src/store/search.h).
--
-- One row per problem: code, category name, org name, address and
-- description, converted to simplified Chinese by the application (OpenCC
-- t2s) before they are written, and queries are converted the same way, so
-- 楼道堆物 finds 樓道堆物 on both engines. SQL cannot simplify, so the body is
-- a stored copy here too, written by store_problem_index (search_pg.c);
-- rows missing after an upgrade are filled in at startup.
--
-- A phrase of three or more characters matches as
--   body ILIKE '%' || <phrase, with \ % _ escaped> || '%'
-- a case-insensitive substring match, as FTS5's trigram tokenizer answers a
-- quoted phrase; the GIN trigram index answers it (pg_trgm indexes CJK
-- characters under a UTF-8 LC_CTYPE, which 001 requires). Shorter queries
-- never reach the index: the store matches them with instr()/strpos.
--
-- The row goes with its problem (ON DELETE CASCADE), as SQLite's
-- problems_fts_delete trigger does. pg_trgm is a trusted extension: the
-- database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE problems_search (
  problem_id BIGINT PRIMARY KEY REFERENCES problems(id) ON DELETE CASCADE,
  body       TEXT NOT NULL
);
CREATE INDEX problems_search_body ON problems_search USING gin (body gin_trgm_ops);
