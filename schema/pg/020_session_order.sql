-- 020: sessions carry their order of creation per account (see schema/sqlite/020).
ALTER TABLE sessions ADD COLUMN seq BIGINT;
