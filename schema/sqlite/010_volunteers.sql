-- 010 volunteers (SPEC §5): the volunteer registration of a person (types,
-- service areas, approval, no-show block, the secret calendar token), team
-- membership (teams are orgs of kind 'team'), duty posts (岗位) with a place
-- and their own eligibility rules, and claims of posts (岗位认领).
-- Times are unix seconds; dates are 'YYYY-MM-DD' (China).
CREATE TABLE volunteers (
  id              INTEGER PRIMARY KEY,
  person_id       INTEGER NOT NULL UNIQUE REFERENCES people(id),
  org_id          INTEGER NOT NULL REFERENCES orgs(id),
  vtype           TEXT NOT NULL CHECK (vtype IN ('resident', 'white_collar', 'student', 'party_member')),
  areas           TEXT NOT NULL DEFAULT '[]',
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
  self_registered INTEGER NOT NULL DEFAULT 0,
  note            TEXT,
  decided_by      INTEGER REFERENCES accounts(id),
  decided_at      INTEGER,
  blocked_until   INTEGER NOT NULL DEFAULT 0,
  calendar_token  TEXT UNIQUE,
  created_at      INTEGER NOT NULL
);
CREATE INDEX volunteers_org ON volunteers(org_id, id);

CREATE TABLE team_members (
  team_id      INTEGER NOT NULL REFERENCES orgs(id),
  volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
  leader       INTEGER NOT NULL DEFAULT 0,
  joined_at    INTEGER NOT NULL,
  PRIMARY KEY (team_id, volunteer_id)
);
CREATE INDEX team_members_volunteer ON team_members(volunteer_id);

CREATE TABLE posts (
  id             INTEGER PRIMARY KEY,
  org_id         INTEGER NOT NULL REFERENCES orgs(id),
  name           TEXT NOT NULL,
  kind           TEXT NOT NULL DEFAULT 'other',
  address        TEXT,
  lat            REAL,
  lng            REAL,
  radius_m       INTEGER NOT NULL DEFAULT 100,
  rules          TEXT,
  min_age        INTEGER,
  max_age        INTEGER,
  required_skill TEXT,
  claim_limit    INTEGER NOT NULL DEFAULT 1,
  active         INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL
);
CREATE INDEX posts_org ON posts(org_id, id);

-- A claim by a volunteer, a team or a party branch (claimant_org_id) for a term.
CREATE TABLE post_claims (
  id              INTEGER PRIMARY KEY,
  post_id         INTEGER NOT NULL REFERENCES posts(id),
  claimant_kind   TEXT NOT NULL CHECK (claimant_kind IN ('volunteer', 'team', 'party_org')),
  volunteer_id    INTEGER REFERENCES volunteers(id),
  claimant_org_id INTEGER REFERENCES orgs(id),
  start_date      TEXT NOT NULL,
  end_date        TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
  note            TEXT,
  created_by      INTEGER REFERENCES accounts(id),
  decided_by      INTEGER REFERENCES accounts(id),
  decided_at      INTEGER,
  created_at      INTEGER NOT NULL,
  CHECK ((claimant_kind = 'volunteer') = (volunteer_id IS NOT NULL)),
  CHECK ((claimant_kind = 'volunteer') = (claimant_org_id IS NULL)),
  CHECK (end_date >= start_date)
);
CREATE INDEX post_claims_post ON post_claims(post_id, status);
