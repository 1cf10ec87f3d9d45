-- 007 revisits (回头看) and chronic spots (顽疾), SPEC §3 "Revisits".
--
-- Closing a problem schedules revisits (default +7 and +30 days). A failed
-- revisit reopens the problem as a relapse; a reopen cancels the problem's
-- other pending revisits and the next close schedules new ones.
CREATE TABLE revisits (
  id          INTEGER PRIMARY KEY,
  problem_id  INTEGER NOT NULL REFERENCES problems(id),
  offset_days INTEGER NOT NULL,
  due_at      INTEGER NOT NULL,
  state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'passed', 'failed', 'cancelled')),
  done_at     INTEGER,
  done_by     INTEGER REFERENCES accounts(id),
  note        TEXT,
  photos      TEXT,             -- JSON array of photo ids
  lat         REAL,
  lng         REAL,
  event_id    INTEGER REFERENCES problem_events(id),
  created_at  INTEGER NOT NULL
);
CREATE INDEX revisits_problem ON revisits(problem_id, state);
CREATE INDEX revisits_due ON revisits(state, due_at, id);

-- A chronic spot: one category at one site, or (without a site) within the
-- duplicate radius of an anchor point, that recurred or relapsed N times in
-- a window. Problems that made it so are linked in chronic_problems.
CREATE TABLE chronic_spots (
  id           INTEGER PRIMARY KEY,
  category_id  INTEGER NOT NULL REFERENCES categories(id),
  site_id      INTEGER,
  lat          REAL,
  lng          REAL,
  org_id       INTEGER NOT NULL REFERENCES orgs(id),
  count        INTEGER NOT NULL,       -- occurrences in the window at the last one
  first_at     INTEGER NOT NULL,
  last_at      INTEGER NOT NULL,
  flagged_at   INTEGER NOT NULL,
  watch_quota  INTEGER CHECK (watch_quota BETWEEN 1 AND 10),   -- NULL: not watched
  watch_since  INTEGER,                -- first watched day (days since epoch, UTC+8)
  watch_until  INTEGER,                -- last watched day, NULL = open-ended
  watched_by   INTEGER REFERENCES accounts(id)
);
CREATE INDEX chronic_spots_category ON chronic_spots(category_id, site_id);
CREATE INDEX chronic_spots_org ON chronic_spots(org_id, id);

CREATE TABLE chronic_problems (
  spot_id    INTEGER NOT NULL REFERENCES chronic_spots(id),
  problem_id INTEGER NOT NULL REFERENCES problems(id),
  PRIMARY KEY (spot_id, problem_id)
) WITHOUT ROWID;
CREATE INDEX chronic_problems_problem ON chronic_problems(problem_id);

-- 巡查打卡: one row per check of a spot; day = days since epoch in UTC+8.
CREATE TABLE chronic_checks (
  id         INTEGER PRIMARY KEY,
  spot_id    INTEGER NOT NULL REFERENCES chronic_spots(id),
  at         INTEGER NOT NULL,
  day        INTEGER NOT NULL,
  actor_id   INTEGER REFERENCES accounts(id),
  ok         INTEGER NOT NULL,
  note       TEXT,
  photos     TEXT,
  lat        REAL,
  lng        REAL
);
CREATE INDEX chronic_checks_spot ON chronic_checks(spot_id, day);

-- Settled days of a watched spot: every watched day gets one row, written
-- once by the scheduler after the day ends (the primary key keeps it once).
CREATE TABLE chronic_days (
  spot_id INTEGER NOT NULL REFERENCES chronic_spots(id),
  day     INTEGER NOT NULL,
  quota   INTEGER NOT NULL,
  done    INTEGER NOT NULL,
  missed  INTEGER NOT NULL,
  PRIMARY KEY (spot_id, day)
) WITHOUT ROWID;
