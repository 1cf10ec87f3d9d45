-- 017 (review 2026-12-07, security #3 and coverage 12; PostgreSQL, the same
-- tables as schema/sqlite/017)
--
-- Open311 reporters' contact details (first_name, last_name, phone, email,
-- device_id, account_id) live sealed (libsodium, the data key, like
-- people.phone_enc) in problem_contacts, with masked copies for staff lists;
-- the full values only through the audited POST
-- /api/v1/problems/{id}/contact (docs/API.md).
CREATE TABLE problem_contacts (
  problem_id    BIGINT PRIMARY KEY REFERENCES problems(id),
  sealed        TEXT NOT NULL,     -- secret_encrypt() of the JSON object of what was given
  name_masked   TEXT,
  phone_masked  TEXT,
  email_masked  TEXT,
  device_masked TEXT
);

-- SQLite's holding table for contacts found in clear in old report events,
-- sealed and emptied by the server at start (open311_seal_legacy). On a new
-- PostgreSQL database there are no old events: the table exists, always
-- empty, so that the same start-up code runs on both engines. SQLite's
-- data moves (filling it, stripping the events' data with json_remove under
-- a lifted append-only trigger, tracking tokens for old tips) are not needed.
CREATE TABLE problem_contacts_legacy (
  problem_id BIGINT PRIMARY KEY,
  data       TEXT NOT NULL
);

-- The public tracking code of a citizen tip (source citizen_tip or open311):
-- 16 random hex digits (64 bits), given to the reporter only. The internal
-- code (HM-2026-000123) is sequential and never tracks publicly.
CREATE TABLE problem_tracking (
  problem_id BIGINT PRIMARY KEY REFERENCES problems(id),
  token      TEXT NOT NULL UNIQUE
);
