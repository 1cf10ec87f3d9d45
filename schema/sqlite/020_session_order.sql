-- 020: sessions carry their order of creation per account. The cap on live
-- sessions ends the oldest first; within one second SQLite's rowid used to
-- break the tie, which PostgreSQL has no equivalent of (issue 14).
ALTER TABLE sessions ADD COLUMN seq INTEGER;
