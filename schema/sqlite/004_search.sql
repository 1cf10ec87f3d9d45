-- 004 Full-text search over problems (SPEC §3 "Search"). One row per problem
-- (rowid = problems.id): code, category name, org name, address and
-- description, converted to simplified Chinese by the application (OpenCC
-- t2s) before they are written, and queries are converted the same way, so
-- traditional and simplified text match alike. The trigram tokenizer finds
-- any substring of three or more characters. Rows are written by the
-- application (store_problem_index); rows missing after an upgrade are filled
-- in at startup (store_problem_index_missing), since SQL cannot simplify.
CREATE VIRTUAL TABLE problems_fts USING fts5(body, tokenize = 'trigram');

CREATE TRIGGER problems_fts_delete AFTER DELETE ON problems BEGIN
  DELETE FROM problems_fts WHERE rowid = old.id;
END;
