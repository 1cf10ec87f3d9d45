-- 016 calendar feed tokens at rest (security review #15): the secret in a
-- volunteer's feed URL is a bearer credential, so it is stored like session
-- tokens, as its BLAKE2b hash (the feed is looked up by the hash), plus a copy
-- sealed with the data key (DIR/secret.key) so the volunteer's page can show
-- the link again. A copy of the database alone yields neither. Existing
-- tokens are moved over here, so subscribed feed URLs keep working.
-- wm_token_hash() and wm_seal() are registered on every connection
-- (src/store/sqlite.c); the plaintext column stays, always NULL (SQLite cannot
-- drop a UNIQUE column).
ALTER TABLE volunteers ADD COLUMN calendar_token_hash TEXT;
ALTER TABLE volunteers ADD COLUMN calendar_token_enc TEXT;
UPDATE volunteers SET calendar_token_hash = wm_token_hash(calendar_token), calendar_token_enc = wm_seal(calendar_token)
  WHERE calendar_token IS NOT NULL;
UPDATE volunteers SET calendar_token = NULL;
CREATE UNIQUE INDEX volunteers_calendar_token_hash ON volunteers(calendar_token_hash);
