-- 017 (review 2026-12-07, security #3 and coverage 12)
--
-- Open311 reporters' contact details (first_name, last_name, phone, email,
-- device_id, account_id) were kept in clear in the report event's data. They
-- now live sealed (libsodium, the data key, like people.phone_enc) in
-- problem_contacts, with masked copies for staff lists; the full values only
-- through the audited POST /api/v1/problems/{id}/contact (docs/API.md).
CREATE TABLE problem_contacts (
  problem_id    INTEGER PRIMARY KEY REFERENCES problems(id),
  sealed        TEXT NOT NULL,     -- secret_encrypt() of the JSON object of what was given
  name_masked   TEXT,
  phone_masked  TEXT,
  email_masked  TEXT,
  device_masked TEXT
);

-- Existing rows: SQL cannot encrypt, so the clear values move to this
-- holding table and the report events lose them here; the server seals and
-- deletes the holding rows when it opens the database (open311_seal_legacy,
-- right after the migrations, before any request is served).
CREATE TABLE problem_contacts_legacy (
  problem_id INTEGER PRIMARY KEY,
  data       TEXT NOT NULL
);
INSERT OR IGNORE INTO problem_contacts_legacy (problem_id, data)
  SELECT problem_id, data FROM problem_events
   WHERE action = 'report' AND note = 'Open311' AND json_valid(data)
     AND (json_extract(data, '$.first_name') IS NOT NULL OR json_extract(data, '$.last_name') IS NOT NULL
       OR json_extract(data, '$.phone') IS NOT NULL OR json_extract(data, '$.email') IS NOT NULL
       OR json_extract(data, '$.device_id') IS NOT NULL OR json_extract(data, '$.account_id') IS NOT NULL);
-- The history is append-only; this one correction is the migration's.
DROP TRIGGER problem_events_no_update;
UPDATE problem_events
   SET data = json_remove(data, '$.first_name', '$.last_name', '$.phone', '$.email', '$.device_id', '$.account_id')
 WHERE action = 'report' AND note = 'Open311' AND problem_id IN (SELECT problem_id FROM problem_contacts_legacy);
CREATE TRIGGER problem_events_no_update BEFORE UPDATE ON problem_events
  BEGIN SELECT RAISE(ABORT, 'problem history is append-only'); END;

-- The public tracking code of a citizen tip (source citizen_tip or open311):
-- 16 random hex digits (64 bits), given to the reporter only. The internal
-- code (HM-2026-000123) is sequential and never tracks publicly.
CREATE TABLE problem_tracking (
  problem_id INTEGER PRIMARY KEY REFERENCES problems(id),
  token      TEXT NOT NULL UNIQUE
);
INSERT INTO problem_tracking (problem_id, token)
  SELECT id, upper(hex(randomblob(8))) FROM problems WHERE source IN ('citizen_tip', 'open311');
