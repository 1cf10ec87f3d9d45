-- 016 calendar feed tokens at rest (security review #15; PostgreSQL, the
-- same columns and index as schema/sqlite/016): the secret in a volunteer's
-- feed URL is a bearer credential, so it is stored as its BLAKE2b hash (the
-- feed is looked up by the hash) plus a copy sealed with the data key
-- (DIR/secret.key) so the volunteer's page can show the link again.
--
-- SQLite moves existing plaintext tokens over here with wm_token_hash() and
-- wm_seal(), functions the application registers on its connections. A new
-- PostgreSQL database has no volunteers, so there is nothing to move and
-- those functions do not exist here: the store computes both values in C.
-- The plaintext column stays, as in SQLite (the same columns on both
-- engines), and a CHECK keeps it empty for good.
ALTER TABLE volunteers ADD COLUMN calendar_token_hash TEXT;
ALTER TABLE volunteers ADD COLUMN calendar_token_enc TEXT;
ALTER TABLE volunteers ADD CONSTRAINT volunteers_calendar_token_unused CHECK (calendar_token IS NULL);
CREATE UNIQUE INDEX volunteers_calendar_token_hash ON volunteers(calendar_token_hash);
