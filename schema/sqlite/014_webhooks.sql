-- Webhooks (SPEC §11, docs/WEBHOOKS.md): HMAC-signed POSTs of problem and
-- shift events to URLs an admin registers, so a deployment can bridge to
-- WeChat Work, DingTalk or SMS. Deliveries are an outbox written by triggers
-- in the same transaction as the event itself, so every write path (API,
-- scheduler, imports, inspections) is covered and a delivery exists exactly
-- when its event was committed. A background worker sends them with retries.
CREATE TABLE webhooks (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  url         TEXT NOT NULL,
  events      TEXT NOT NULL,          -- comma list: "*", "problem.*", "shift.*", "problem.dispatch", …
  secret_enc  TEXT NOT NULL,          -- the signing secret, encrypted with the data key
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_by  INTEGER REFERENCES accounts(id),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
  id           INTEGER PRIMARY KEY,
  webhook_id   INTEGER NOT NULL REFERENCES webhooks(id),
  event        TEXT NOT NULL,
  problem_id   INTEGER,
  problem_event_id INTEGER,
  signup_id    INTEGER,
  shift_id     INTEGER,
  created_at   INTEGER NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_at      INTEGER NOT NULL,
  last_status  INTEGER,               -- HTTP status of the last attempt (NULL: no answer)
  last_error   TEXT,
  delivered_at INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_at, id) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);

-- The triggers cost one lookup in the (tiny) webhooks table per event when
-- none is active. Names are matched as whole items of the comma list.
CREATE TRIGGER webhook_problem_event AFTER INSERT ON problem_events
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active = 1)
BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event, problem_id, problem_event_id, created_at, next_at)
  SELECT w.id, 'problem.' || NEW.action, NEW.problem_id, NEW.id, NEW.at, NEW.at FROM webhooks w
  WHERE w.active = 1 AND (instr(',' || w.events || ',', ',*,') OR instr(',' || w.events || ',', ',problem.*,')
    OR instr(',' || w.events || ',', ',problem.' || NEW.action || ','));
END;

CREATE TRIGGER webhook_signup_insert AFTER INSERT ON signups
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active = 1)
BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event, signup_id, shift_id, created_at, next_at)
  SELECT w.id, 'shift.signup.' || NEW.status, NEW.id, NEW.shift_id, NEW.created_at, NEW.created_at FROM webhooks w
  WHERE w.active = 1 AND (instr(',' || w.events || ',', ',*,') OR instr(',' || w.events || ',', ',shift.*,')
    OR instr(',' || w.events || ',', ',shift.signup.' || NEW.status || ','));
END;

-- waitlisted → confirmed is a promotion (候补转正), the event volunteers wait for.
CREATE TRIGGER webhook_signup_status AFTER UPDATE OF status ON signups
WHEN NEW.status <> OLD.status AND EXISTS (SELECT 1 FROM webhooks WHERE active = 1)
BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event, signup_id, shift_id, created_at, next_at)
  SELECT w.id, e.name, NEW.id, NEW.shift_id, NEW.updated_at, NEW.updated_at
  FROM webhooks w, (SELECT 'shift.signup.' || CASE WHEN OLD.status = 'waitlisted' AND NEW.status = 'confirmed'
                      THEN 'promoted' ELSE NEW.status END AS name) e
  WHERE w.active = 1 AND (instr(',' || w.events || ',', ',*,') OR instr(',' || w.events || ',', ',shift.*,')
    OR instr(',' || w.events || ',', ',' || e.name || ','));
END;

CREATE TRIGGER webhook_signup_attendance AFTER UPDATE OF attendance ON signups
WHEN NEW.attendance IS NOT NULL AND NEW.attendance IS NOT OLD.attendance
  AND EXISTS (SELECT 1 FROM webhooks WHERE active = 1)
BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event, signup_id, shift_id, created_at, next_at)
  SELECT w.id, 'shift.attendance.' || NEW.attendance, NEW.id, NEW.shift_id, NEW.updated_at, NEW.updated_at
  FROM webhooks w
  WHERE w.active = 1 AND (instr(',' || w.events || ',', ',*,') OR instr(',' || w.events || ',', ',shift.*,')
    OR instr(',' || w.events || ',', ',shift.attendance.' || NEW.attendance || ','));
END;

CREATE TRIGGER webhook_shift_cancelled AFTER UPDATE OF status ON shifts
WHEN NEW.status = 'cancelled' AND OLD.status <> 'cancelled' AND EXISTS (SELECT 1 FROM webhooks WHERE active = 1)
BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event, shift_id, created_at, next_at)
  SELECT w.id, 'shift.cancelled', NEW.id, NEW.updated_at, NEW.updated_at FROM webhooks w
  WHERE w.active = 1 AND (instr(',' || w.events || ',', ',*,') OR instr(',' || w.events || ',', ',shift.*,')
    OR instr(',' || w.events || ',', ',shift.cancelled,'));
END;
