-- 021 party building (SPEC §8, §9; docs/PARTY.md): the tables the party
-- features share. Each block has one owner (the file it names); a feature
-- adds its own tables and columns in its own migration (022…), so this file
-- holds only what more than one feature reads. Dates are 'YYYY-MM-DD' text,
-- instants epoch seconds, as elsewhere.

-- Party members (api/party_members.c). A member is a person record (people)
-- in one party organisation (an orgs row of kind party_org: a branch or a
-- group); 在职党员 name their employer unit. Transfers keep history.
CREATE TABLE party_members (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL UNIQUE REFERENCES people(id),
  org_id      INTEGER NOT NULL REFERENCES orgs(id),
  status      TEXT NOT NULL DEFAULT 'full' CHECK (status IN ('full', 'probationary')),
  joined_on   TEXT,
  employed    INTEGER NOT NULL DEFAULT 0 CHECK (employed IN (0, 1)),
  employer_id INTEGER REFERENCES orgs(id),
  duty        TEXT,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX party_members_org ON party_members(org_id, id);
CREATE INDEX party_members_employer ON party_members(employer_id) WHERE employer_id IS NOT NULL;

CREATE TABLE party_transfers (
  id          INTEGER PRIMARY KEY,
  member_id   INTEGER NOT NULL REFERENCES party_members(id),
  from_org_id INTEGER NOT NULL REFERENCES orgs(id),
  to_org_id   INTEGER NOT NULL REFERENCES orgs(id),
  on_date     TEXT NOT NULL,
  reason      TEXT,
  account_id  INTEGER,
  created_at  INTEGER NOT NULL
);
CREATE INDEX party_transfers_member ON party_transfers(member_id, id);

-- Officers of a party organisation: secretary, deputy, committee members,
-- group leaders (api/party_orgs.c).
CREATE TABLE party_officers (
  id        INTEGER PRIMARY KEY,
  org_id    INTEGER NOT NULL REFERENCES orgs(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  post      TEXT NOT NULL CHECK (post IN ('secretary', 'deputy_secretary', 'committee_member', 'group_leader')),
  since     TEXT,
  until     TEXT
);
CREATE INDEX party_officers_org ON party_officers(org_id);

-- 三会一课 and theme party days (api/party_meetings.c).
CREATE TABLE party_meetings (
  id         INTEGER PRIMARY KEY,
  org_id     INTEGER NOT NULL REFERENCES orgs(id),
  type       TEXT NOT NULL CHECK (type IN ('member_meeting', 'committee_meeting', 'group_meeting', 'lecture', 'theme_day')),
  held_on    TEXT NOT NULL,
  state      TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'held', 'cancelled')),
  topic      TEXT NOT NULL,
  place      TEXT,
  speaker    TEXT,
  minutes    TEXT,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX party_meetings_org ON party_meetings(org_id, held_on);

CREATE TABLE party_meeting_attendance (
  meeting_id INTEGER NOT NULL REFERENCES party_meetings(id),
  person_id  INTEGER NOT NULL REFERENCES people(id),
  status     TEXT NOT NULL CHECK (status IN ('present', 'leave', 'absent')),
  reason     TEXT,
  signed_at  INTEGER,
  PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX party_meeting_attendance_person ON party_meeting_attendance(person_id);

-- 好人好事 (api/good_deeds.c): recorded by anyone, verified by the 居委.
CREATE TABLE good_deeds (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES orgs(id),
  person_id   INTEGER REFERENCES people(id),
  doer_name   TEXT NOT NULL,
  title       TEXT NOT NULL,
  content     TEXT,
  place       TEXT,
  occurred_on TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'verified', 'rejected')),
  recorded_by INTEGER,
  verified_by INTEGER,
  verified_at INTEGER,
  created_at  INTEGER NOT NULL
);
CREATE INDEX good_deeds_org ON good_deeds(org_id, state, id);
CREATE INDEX good_deeds_person ON good_deeds(person_id) WHERE person_id IS NOT NULL;

-- 目标责任书 (api/targets.c): per year and org, items drawn from the
-- product's figures (metric) or free-text commitments (metric 'text').
CREATE TABLE targets (
  id         INTEGER PRIMARY KEY,
  org_id     INTEGER NOT NULL REFERENCES orgs(id),
  year       INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title      TEXT NOT NULL,
  state      TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'issued', 'signed')),
  signed_by  TEXT,
  signed_at  INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (org_id, year)
);

CREATE TABLE target_items (
  id        INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL REFERENCES targets(id),
  position  INTEGER NOT NULL,
  metric    TEXT NOT NULL,
  goal      REAL,
  text      TEXT,
  UNIQUE (target_id, position)
);
