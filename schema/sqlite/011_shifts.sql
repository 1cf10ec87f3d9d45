-- 011 shifts (SPEC §5): weekly patterns of a post, the shifts generated from
-- them (one per post and time: regenerating never duplicates), sign-ups with
-- the waitlist and attendance, activities (活动清单) whose occurrences are
-- shifts too, and service records (志愿服务记录), immutable once approved.
CREATE TABLE post_patterns (
  id        INTEGER PRIMARY KEY,
  post_id   INTEGER NOT NULL REFERENCES posts(id),
  weekdays  INTEGER NOT NULL CHECK (weekdays BETWEEN 1 AND 127),   -- bit 0 = Monday
  start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
  end_min   INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),
  capacity  INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
  active    INTEGER NOT NULL DEFAULT 1,
  CHECK (end_min > start_min)
);
CREATE INDEX post_patterns_post ON post_patterns(post_id);

CREATE TABLE activities (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES orgs(id),
  title         TEXT NOT NULL,
  place         TEXT,
  content       TEXT,
  organiser     TEXT,
  person_in_charge TEXT,
  lat           REAL,
  lng           REAL,
  radius_m      INTEGER NOT NULL DEFAULT 200,
  recurrence    TEXT NOT NULL DEFAULT 'once' CHECK (recurrence IN ('once', 'monthly')),
  day_of_month  INTEGER CHECK (day_of_month BETWEEN 1 AND 28),
  start_min     INTEGER NOT NULL,
  end_min       INTEGER NOT NULL,
  capacity      INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
  created_at    INTEGER NOT NULL,
  CHECK (end_min > start_min)
);

-- A shift belongs to a post or is an occurrence of an activity.
CREATE TABLE shifts (
  id          INTEGER PRIMARY KEY,
  post_id     INTEGER REFERENCES posts(id),
  activity_id INTEGER REFERENCES activities(id),
  pattern_id  INTEGER REFERENCES post_patterns(id),
  start_at    INTEGER NOT NULL,
  end_at      INTEGER NOT NULL,
  capacity    INTEGER NOT NULL CHECK (capacity >= 1),
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
  sequence    INTEGER NOT NULL DEFAULT 0,
  settled     INTEGER NOT NULL DEFAULT 0,
  updated_at  INTEGER NOT NULL,
  CHECK ((post_id IS NULL) <> (activity_id IS NULL)),
  CHECK (end_at > start_at)
);
CREATE UNIQUE INDEX shifts_post_time ON shifts(post_id, start_at, end_at) WHERE post_id IS NOT NULL;
CREATE UNIQUE INDEX shifts_activity_time ON shifts(activity_id, start_at) WHERE activity_id IS NOT NULL;
CREATE INDEX shifts_start ON shifts(start_at);

CREATE TABLE signups (
  id           INTEGER PRIMARY KEY,
  shift_id     INTEGER NOT NULL REFERENCES shifts(id),
  volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
  status       TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
  overbooked   INTEGER NOT NULL DEFAULT 0,
  by_account   INTEGER REFERENCES accounts(id),
  created_at   INTEGER NOT NULL,
  promoted_at  INTEGER,
  cancelled_at INTEGER,
  checkin_at   INTEGER,
  checkout_at  INTEGER,
  checkin_by   INTEGER REFERENCES accounts(id),
  checkin_distance_m REAL,
  attendance   TEXT CHECK (attendance IN ('attended', 'no_show')),
  credited_end INTEGER,
  hours        REAL,
  sequence     INTEGER NOT NULL DEFAULT 0,
  updated_at   INTEGER NOT NULL
);
-- Safety nets under the sign-up transaction: one live sign-up per person and
-- shift; confirmed places never beyond capacity unless explicitly overbooked;
-- nobody live in two overlapping shifts.
CREATE UNIQUE INDEX signups_live ON signups(shift_id, volunteer_id) WHERE status IN ('confirmed', 'waitlisted');
CREATE INDEX signups_volunteer ON signups(volunteer_id, status);
CREATE INDEX signups_shift ON signups(shift_id, status, id);
CREATE TRIGGER signups_capacity_ins BEFORE INSERT ON signups
  WHEN NEW.status = 'confirmed' AND NEW.overbooked = 0
   AND (SELECT count(*) FROM signups WHERE shift_id = NEW.shift_id AND status = 'confirmed')
       >= (SELECT capacity FROM shifts WHERE id = NEW.shift_id)
  BEGIN SELECT RAISE(ABORT, 'shift full'); END;
CREATE TRIGGER signups_capacity_upd BEFORE UPDATE OF status ON signups
  WHEN NEW.status = 'confirmed' AND OLD.status <> 'confirmed' AND NEW.overbooked = 0
   AND (SELECT count(*) FROM signups WHERE shift_id = NEW.shift_id AND status = 'confirmed')
       >= (SELECT capacity FROM shifts WHERE id = NEW.shift_id)
  BEGIN SELECT RAISE(ABORT, 'shift full'); END;
CREATE TRIGGER signups_overlap BEFORE INSERT ON signups
  WHEN NEW.status IN ('confirmed', 'waitlisted') AND EXISTS (
    SELECT 1 FROM signups s JOIN shifts a ON a.id = s.shift_id, shifts b
     WHERE b.id = NEW.shift_id AND s.volunteer_id = NEW.volunteer_id
       AND s.status IN ('confirmed', 'waitlisted') AND a.id <> b.id AND a.status = 'open'
       AND a.start_at < b.end_at AND b.start_at < a.end_at)
  BEGIN SELECT RAISE(ABORT, 'overlapping shift'); END;

-- 志愿服务记录 (national record rules, Art. 7). Approved rows are immutable: a
-- correction is a new record naming the one it supersedes.
CREATE TABLE service_records (
  id               INTEGER PRIMARY KEY,
  volunteer_id     INTEGER NOT NULL REFERENCES volunteers(id),
  org_id           INTEGER NOT NULL REFERENCES orgs(id),
  signup_id        INTEGER REFERENCES signups(id),
  activity_name    TEXT NOT NULL,
  service_date     TEXT NOT NULL,
  place            TEXT,
  content          TEXT,
  hours            REAL NOT NULL CHECK (hours >= 0 AND hours <= 1000),
  organiser        TEXT,
  person_in_charge TEXT,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  supersedes_id    INTEGER REFERENCES service_records(id),
  created_by       INTEGER REFERENCES accounts(id),
  decided_by       INTEGER REFERENCES accounts(id),
  decided_at       INTEGER,
  created_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX service_records_signup ON service_records(signup_id) WHERE signup_id IS NOT NULL;
CREATE INDEX service_records_volunteer ON service_records(volunteer_id, status);
CREATE INDEX service_records_org ON service_records(org_id, status, id);
CREATE TRIGGER service_records_frozen BEFORE UPDATE ON service_records
  WHEN OLD.status <> 'pending'
  BEGIN SELECT RAISE(ABORT, 'service record is immutable once decided'); END;
CREATE TRIGGER service_records_no_delete BEFORE DELETE ON service_records
  WHEN OLD.status = 'approved'
  BEGIN SELECT RAISE(ABORT, 'approved service records cannot be deleted'); END;
