-- 023 双报到 (docs/PARTY.md "dual"; api/party_reg*.c, store/dual_sql.c): units
-- and employed party members register with the community where they live;
-- the community accepts; service is collected from the existing records, so
-- nothing here stores hours.

-- A unit (orgs kind unit) registered with a community (orgs kind community).
-- The contact's phone is sealed like people's phones (core/privacy.c).
CREATE TABLE dual_units (
  id                   INTEGER PRIMARY KEY,
  unit_id              INTEGER NOT NULL REFERENCES orgs(id),
  community_id         INTEGER NOT NULL REFERENCES orgs(id),
  party_org_name       TEXT NOT NULL,
  contact_name         TEXT NOT NULL,
  contact_phone_enc    TEXT,
  contact_phone_masked TEXT,
  commitments          TEXT,
  state                TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'ended')),
  created_by           INTEGER,
  decided_by           INTEGER,
  decided_at           INTEGER,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX dual_units_pair ON dual_units(unit_id, community_id);
CREATE INDEX dual_units_community ON dual_units(community_id, id);

-- A member's registration (一单一表一卡): the slip and form are this row, the
-- card is card_no, issued on acceptance. member_id is the party_members row
-- when the member's membership is kept here; null when it is elsewhere.
CREATE TABLE dual_registrations (
  id             INTEGER PRIMARY KEY,
  person_id      INTEGER NOT NULL REFERENCES people(id),
  community_id   INTEGER NOT NULL REFERENCES orgs(id),
  unit_id        INTEGER NOT NULL REFERENCES orgs(id),
  member_id      INTEGER REFERENCES party_members(id),
  skills         TEXT,
  wishes         TEXT,
  availability   TEXT NOT NULL DEFAULT '[]',
  state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'declined')),
  decline_reason TEXT,
  card_no        TEXT UNIQUE,
  self_registered INTEGER NOT NULL DEFAULT 0 CHECK (self_registered IN (0, 1)),
  created_by     INTEGER,
  decided_by     INTEGER,
  decided_at     INTEGER,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
-- One live registration per person and community (a declined one may be retried).
CREATE UNIQUE INDEX dual_registrations_live ON dual_registrations(person_id, community_id) WHERE state <> 'declined';
CREATE INDEX dual_registrations_community ON dual_registrations(community_id, id);
CREATE INDEX dual_registrations_unit ON dual_registrations(unit_id, state);
