-- 025 building representatives (楼组长 / 楼代表), notices, a simple
-- registration roster (接龙) and home-watch lists (docs/PARTY.md
-- "buildings"; api/buildings.c, api/building_rosters.c, api/home_watch.c).
-- A building is an orgs row of kind 'building'; a person lives in a building
-- when people.org_id is the building. Dates are 'YYYY-MM-DD' text, instants
-- epoch seconds.

-- The reps of a building: a person, what they cover, their group channel
-- (a name only, never a link or an invite code), their duties.
CREATE TABLE building_reps (
  id          INTEGER PRIMARY KEY,
  building_id INTEGER NOT NULL REFERENCES orgs(id),
  person_id   INTEGER NOT NULL REFERENCES people(id),
  coverage    TEXT,
  channel     TEXT,
  duties      TEXT,
  since       TEXT,
  until       TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (building_id, person_id)
);
CREATE INDEX building_reps_person ON building_reps(person_id);

-- Notices a rep or the 居委 passed to a building; recipients = the inbox
-- entries written (0: nobody of the building has an account, recorded only).
CREATE TABLE building_notices (
  id          INTEGER PRIMARY KEY,
  building_id INTEGER NOT NULL REFERENCES orgs(id),
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  account_id  INTEGER,
  recipients  INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);
CREATE INDEX building_notices_building ON building_notices(building_id, id);

-- 接龙: a roster a rep opens for the building; residents add themselves.
CREATE TABLE building_rosters (
  id          INTEGER PRIMARY KEY,
  building_id INTEGER NOT NULL REFERENCES orgs(id),
  title       TEXT NOT NULL,
  description TEXT,
  closes_on   TEXT NOT NULL,
  account_id  INTEGER,
  created_at  INTEGER NOT NULL
);
CREATE INDEX building_rosters_building ON building_rosters(building_id, id);

CREATE TABLE building_roster_entries (
  id         INTEGER PRIMARY KEY,
  roster_id  INTEGER NOT NULL REFERENCES building_rosters(id),
  account_id INTEGER,
  name       TEXT NOT NULL,
  room       TEXT NOT NULL,
  note       TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX building_roster_entries_roster ON building_roster_entries(roster_id, id);

-- Home-watch (独居老人 and others who need a visit): visible only to the 居委
-- and the building's rep (perms.def homewatch.manage).
CREATE TABLE home_watch (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL REFERENCES people(id),
  building_id INTEGER NOT NULL REFERENCES orgs(id),
  room        TEXT,
  reason      TEXT NOT NULL CHECK (reason IN ('lives_alone', 'elderly', 'disability', 'illness', 'hardship', 'other')),
  frequency   TEXT NOT NULL CHECK (frequency IN ('weekly', 'fortnightly', 'monthly')),
  rep_id      INTEGER REFERENCES building_reps(id),
  note        TEXT,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_on  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX home_watch_building ON home_watch(building_id, id);

CREATE TABLE home_watch_visits (
  id         INTEGER PRIMARY KEY,
  watch_id   INTEGER NOT NULL REFERENCES home_watch(id),
  visited_on TEXT NOT NULL,
  visitor    TEXT NOT NULL,
  condition  TEXT NOT NULL CHECK (condition IN ('good', 'fair', 'poor', 'not_home')),
  needs      TEXT,
  follow_up  TEXT,
  problem_id INTEGER REFERENCES problems(id),
  account_id INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX home_watch_visits_watch ON home_watch_visits(watch_id, visited_on);
