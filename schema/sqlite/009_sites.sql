-- 009 sites (点位), versioned checklists, inspections, rounds (咬尾巴) and
-- daily check tasks (一日三查, 包干区 patrols). Times are unix seconds; days
-- (ymd) are Asia/Shanghai calendar days as YYYYMMDD integers.

CREATE TABLE site_types (
  id       INTEGER PRIMARY KEY,
  code     TEXT NOT NULL UNIQUE,
  name     TEXT NOT NULL,
  name_en  TEXT,
  optional INTEGER NOT NULL DEFAULT 0,
  active   INTEGER NOT NULL DEFAULT 1
);

-- One row per version of a type's checklist; the newest version is current.
-- Versions are never edited: an edit inserts a new version with its items,
-- so past inspections keep pointing at the items they were scored against.
CREATE TABLE checklists (
  id           INTEGER PRIMARY KEY,
  site_type_id INTEGER NOT NULL REFERENCES site_types(id),
  version      INTEGER NOT NULL,
  note         TEXT,
  created_by   INTEGER REFERENCES accounts(id),
  created_at   INTEGER NOT NULL,
  UNIQUE (site_type_id, version)
);

CREATE TABLE checklist_items (
  id             INTEGER PRIMARY KEY,
  checklist_id   INTEGER NOT NULL REFERENCES checklists(id),
  seq            INTEGER NOT NULL,
  text           TEXT NOT NULL,
  weight         REAL NOT NULL DEFAULT 1 CHECK (weight > 0),
  grading        TEXT NOT NULL DEFAULT 'pass_fail' CHECK (grading IN ('pass_fail', 'abc')),
  photo_required INTEGER NOT NULL DEFAULT 0,
  category_code  TEXT,
  UNIQUE (checklist_id, seq)
);
CREATE TRIGGER checklist_items_no_update BEFORE UPDATE ON checklist_items
  BEGIN SELECT RAISE(ABORT, 'checklist versions are immutable'); END;

CREATE TABLE sites (
  id           INTEGER PRIMARY KEY,
  code         TEXT UNIQUE,
  name         TEXT NOT NULL,
  site_type_id INTEGER NOT NULL REFERENCES site_types(id),
  org_id       INTEGER NOT NULL REFERENCES orgs(id),  -- responsible community
  unit_org_id  INTEGER REFERENCES orgs(id),           -- 包保单位
  responsible  TEXT,                                  -- responsible person
  address      TEXT,
  lat          REAL,
  lng          REAL,
  active       INTEGER NOT NULL DEFAULT 1,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX sites_org ON sites(org_id, id);
CREATE INDEX sites_unit ON sites(unit_org_id, id);
CREATE INDEX sites_type ON sites(site_type_id, id);

CREATE TABLE rounds (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  mode          TEXT NOT NULL CHECK (mode IN ('ring', 'reverse', 'manual')),
  reverse_of    INTEGER REFERENCES rounds(id),
  kind          TEXT NOT NULL DEFAULT 'cross_inspection',
  scope_org_id  INTEGER NOT NULL REFERENCES orgs(id),  -- the street running it
  starts_on     INTEGER,                               -- ymd
  ends_on       INTEGER,
  state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  created_by    INTEGER REFERENCES accounts(id),
  created_at    INTEGER NOT NULL
);

CREATE TABLE round_pairs (
  id               INTEGER PRIMARY KEY,
  round_id         INTEGER NOT NULL REFERENCES rounds(id),
  seq              INTEGER NOT NULL,
  inspector_org_id INTEGER NOT NULL REFERENCES orgs(id),
  inspected_org_id INTEGER NOT NULL REFERENCES orgs(id),
  UNIQUE (round_id, inspector_org_id, inspected_org_id),
  CHECK (inspector_org_id <> inspected_org_id)
);
CREATE INDEX round_pairs_round ON round_pairs(round_id, seq);

CREATE TABLE inspections (
  id               INTEGER PRIMARY KEY,
  site_id          INTEGER NOT NULL REFERENCES sites(id),
  org_id           INTEGER NOT NULL REFERENCES orgs(id),  -- the site's community at the time
  checklist_id     INTEGER NOT NULL REFERENCES checklists(id),
  kind             TEXT NOT NULL CHECK (kind IN ('self_check', 'supervision', 'covert', 'citizen_patrol',
                   'cross_inspection', 'mock_evaluation', 'revisit', 'joint_enforcement')),
  round_pair_id    INTEGER REFERENCES round_pairs(id),
  inspector_org_id INTEGER REFERENCES orgs(id),
  inspectors       TEXT NOT NULL DEFAULT '[]',          -- JSON array of names
  started_at       INTEGER NOT NULL,
  ended_at         INTEGER NOT NULL,
  lat              REAL,
  lng              REAL,
  score_rate       REAL,                                -- 0..100; NULL when every item was N/A
  failed           INTEGER NOT NULL DEFAULT 0,
  notes            TEXT,
  notices          TEXT NOT NULL DEFAULT '[]',          -- joint enforcement: numbered 整改通知单
  confiscated      INTEGER NOT NULL DEFAULT 0,
  created_by       INTEGER REFERENCES accounts(id),
  created_at       INTEGER NOT NULL
);
CREATE INDEX inspections_site ON inspections(site_id, id);
CREATE INDEX inspections_org ON inspections(org_id, id);
CREATE INDEX inspections_pair ON inspections(round_pair_id);

CREATE TABLE inspection_results (
  inspection_id INTEGER NOT NULL REFERENCES inspections(id),
  item_id       INTEGER NOT NULL REFERENCES checklist_items(id),
  result        TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'A', 'B', 'C', 'C#', 'na')),
  note          TEXT,
  photos        TEXT NOT NULL DEFAULT '[]',
  problem_id    INTEGER REFERENCES problems(id),
  PRIMARY KEY (inspection_id, item_id)
);
CREATE INDEX inspection_results_problem ON inspection_results(problem_id);

-- Watched points and zones (包干区) with a daily quota of checks.
CREATE TABLE watch_targets (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('site', 'zone')),
  name       TEXT NOT NULL,
  site_id    INTEGER REFERENCES sites(id),
  org_id     INTEGER NOT NULL REFERENCES orgs(id),   -- the claiming org (party branch, team, community)
  person     TEXT,
  quota      INTEGER NOT NULL CHECK (quota BETWEEN 1 AND 24),
  active     INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE INDEX watch_targets_org ON watch_targets(org_id);

CREATE TABLE daily_tasks (
  id          INTEGER PRIMARY KEY,
  target_id   INTEGER NOT NULL REFERENCES watch_targets(id),
  ymd         INTEGER NOT NULL,
  slot        INTEGER NOT NULL,
  state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'late', 'missed')),
  done_at     INTEGER,
  done_by     INTEGER REFERENCES accounts(id),
  note        TEXT,
  UNIQUE (target_id, ymd, slot)
);
CREATE INDEX daily_tasks_day ON daily_tasks(ymd, state);
