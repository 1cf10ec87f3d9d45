-- 002 the problem closed loop: categories, the working calendar, photos,
-- problems with their event history, notifications, counters.
-- Problem times are unix seconds (INTEGER): the server compares them
-- (deadlines, overdue, reminders); the API renders RFC 3339 with +08:00.

CREATE TABLE categories (
  id                 INTEGER PRIMARY KEY,
  code               TEXT NOT NULL UNIQUE,
  parent_id          INTEGER REFERENCES categories(id),
  name               TEXT NOT NULL,
  name_en            TEXT,
  deadline_amount    INTEGER NOT NULL DEFAULT 72,
  deadline_unit      TEXT NOT NULL DEFAULT 'cal_hours'
                     CHECK (deadline_unit IN ('cal_hours', 'work_hours', 'work_days')),
  urgent_amount      INTEGER,
  urgent_unit        TEXT CHECK (urgent_unit IN ('cal_hours', 'work_hours', 'work_days')),
  default_handler_org_id INTEGER REFERENCES orgs(id),
  record_only        INTEGER NOT NULL DEFAULT 0,
  closing_conditions TEXT,
  active             INTEGER NOT NULL DEFAULT 1,
  sort               INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX categories_parent ON categories(parent_id);

-- Exceptions to the weekly pattern: holidays ('H') and make-up working days ('W').
CREATE TABLE calendar_days (
  ymd  INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('H', 'W')),
  name TEXT
);

-- One row per upload: the same picture uploaded twice is one file on disk
-- (content-addressed) but two rows, each owned by its uploader.
CREATE TABLE photos (
  id          INTEGER PRIMARY KEY,
  sha256      TEXT NOT NULL,
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  bytes       INTEGER NOT NULL,
  sniffed     TEXT,
  taken_at    INTEGER,
  lat         REAL,
  lng         REAL,
  uploader_id INTEGER REFERENCES accounts(id),
  created_at  INTEGER NOT NULL
);
CREATE INDEX photos_sha256 ON photos(sha256);

CREATE TABLE problems (
  id              INTEGER PRIMARY KEY,
  code            TEXT NOT NULL UNIQUE,
  state           TEXT NOT NULL,
  category_id     INTEGER NOT NULL REFERENCES categories(id),
  org_id          INTEGER NOT NULL REFERENCES orgs(id),
  site_id         INTEGER,
  handler_org_id  INTEGER REFERENCES orgs(id),
  source          TEXT NOT NULL,
  urgency         TEXT NOT NULL DEFAULT 'normal',
  description     TEXT NOT NULL,
  address         TEXT,
  lat             REAL,
  lng             REAL,
  reporter_id     INTEGER REFERENCES accounts(id),
  merged_into     INTEGER REFERENCES problems(id),
  reopened_from   INTEGER REFERENCES problems(id),
  rework_count    INTEGER NOT NULL DEFAULT 0,
  relapse_count   INTEGER NOT NULL DEFAULT 0,
  dispatched_at   INTEGER,
  deadline        INTEGER,
  deadline_unit   TEXT,
  ext_requested   INTEGER,          -- a pending extension: the deadline asked for
  reminded_at     INTEGER,
  escalated_at    INTEGER,
  rectified_at    INTEGER,
  rectifier_id    INTEGER REFERENCES accounts(id),
  closed_at       INTEGER,
  closed_by       INTEGER REFERENCES accounts(id),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
-- The list filters: by state/org subtree (via orgs.path join), handler, overdue.
CREATE INDEX problems_state ON problems(state, id);
CREATE INDEX problems_org ON problems(org_id, id);
CREATE INDEX problems_handler ON problems(handler_org_id, state, id);
CREATE INDEX problems_category ON problems(category_id, id);
CREATE INDEX problems_reporter ON problems(reporter_id, id);
CREATE INDEX problems_deadline ON problems(state, deadline);
CREATE INDEX problems_created ON problems(created_at, id);

CREATE TABLE problem_events (
  id          INTEGER PRIMARY KEY,
  problem_id  INTEGER NOT NULL REFERENCES problems(id),
  at          INTEGER NOT NULL,
  actor_id    INTEGER REFERENCES accounts(id),
  action      TEXT NOT NULL,
  from_state  TEXT,
  to_state    TEXT,
  note        TEXT,
  data        TEXT              -- JSON: reason, handler_org_id, deadline, location, photos…
);
CREATE INDEX problem_events_problem ON problem_events(problem_id, id);
CREATE TRIGGER problem_events_no_update BEFORE UPDATE ON problem_events
  BEGIN SELECT RAISE(ABORT, 'problem history is append-only'); END;
CREATE TRIGGER problem_events_no_delete BEFORE DELETE ON problem_events
  BEGIN SELECT RAISE(ABORT, 'problem history is append-only'); END;

CREATE TABLE problem_photos (
  problem_id INTEGER NOT NULL REFERENCES problems(id),
  photo_id   INTEGER NOT NULL REFERENCES photos(id),
  event_id   INTEGER REFERENCES problem_events(id),
  kind       TEXT NOT NULL CHECK (kind IN ('before', 'after')),
  PRIMARY KEY (problem_id, photo_id, kind)
);
CREATE INDEX problem_photos_photo ON problem_photos(photo_id);

CREATE TABLE notifications (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  problem_id INTEGER REFERENCES problems(id),
  title      TEXT NOT NULL,
  body       TEXT,
  created_at INTEGER NOT NULL,
  read_at    INTEGER
);
CREATE INDEX notifications_account ON notifications(account_id, id);

CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
