-- 024 三会一课 and 主题党日 (api/party_meetings.c, api/party_compliance.c;
-- docs/PARTY.md): what the meetings feature adds to 021's party_meetings —
-- the start time, the QR sign-in secret, photos (ids of the photo uploads)
-- and attachments (linked files: [{"name","url"}]) — and the reminders sent
-- before a compliance period closes, one per (org, rule, period) whatever
-- the number of servers (the unique key; INSERT … ON CONFLICT DO NOTHING).
ALTER TABLE party_meetings ADD COLUMN start_time TEXT;
ALTER TABLE party_meetings ADD COLUMN signin_token TEXT;
ALTER TABLE party_meetings ADD COLUMN photos TEXT NOT NULL DEFAULT '[]';
ALTER TABLE party_meetings ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
-- The webhook event party.meeting.planned names its meeting (docs/WEBHOOKS.md).
ALTER TABLE webhook_deliveries ADD COLUMN meeting_id INTEGER;

CREATE TABLE party_compliance_reminders (
  id         INTEGER PRIMARY KEY,
  org_id     INTEGER NOT NULL REFERENCES orgs(id),
  rule       TEXT NOT NULL,
  period     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (org_id, rule, period)
);
