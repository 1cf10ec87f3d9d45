-- 001 foundation: settings, the org tree, accounts and grants, sessions,
-- login throttling, people (encrypted IDs), the append-only audit log and
-- idempotency keys. Times are RFC 3339 text (UTC) unless named *_at INTEGER
-- (unix seconds, used where the server compares them).

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- path is the materialised path "/1/5/23/": a subtree is a prefix match.
CREATE TABLE orgs (
  id         INTEGER PRIMARY KEY,
  parent_id  INTEGER REFERENCES orgs(id),
  kind       TEXT NOT NULL,
  subkind    TEXT,
  name       TEXT NOT NULL,
  code       TEXT UNIQUE,
  path       TEXT NOT NULL UNIQUE,
  depth      INTEGER NOT NULL,
  address    TEXT,
  lat        REAL,
  lng        REAL,
  created_at TEXT NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_kind ON orgs(kind, path);

CREATE TABLE people (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL,
  gender           TEXT,
  birth_date       TEXT,
  id_enc           TEXT,
  id_hash          TEXT UNIQUE,
  id_masked        TEXT,
  phone_enc        TEXT,
  phone_masked     TEXT,
  org_id           INTEGER NOT NULL REFERENCES orgs(id),
  address          TEXT,
  skills           TEXT NOT NULL DEFAULT '[]',
  kinds            TEXT NOT NULL DEFAULT '[]',
  service_category TEXT,
  anonymised       INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX people_org ON people(org_id, id);

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name  TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  person_id     INTEGER REFERENCES people(id),
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL
);

CREATE TABLE grants (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  role       TEXT NOT NULL,
  org_id     INTEGER NOT NULL REFERENCES orgs(id),
  UNIQUE (account_id, role, org_id)
);
CREATE INDEX grants_org ON grants(org_id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  csrf       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at  INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);

CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  actor_id    INTEGER,
  actor_login TEXT,
  action      TEXT NOT NULL,
  resource    TEXT NOT NULL,
  resource_id TEXT,
  before      TEXT,
  after       TEXT,
  ip          TEXT,
  note        TEXT
);
CREATE INDEX audit_resource ON audit(resource, resource_id);
CREATE INDEX audit_actor ON audit(actor_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

CREATE TABLE idempotency (
  account_id INTEGER NOT NULL,
  key        TEXT NOT NULL,
  route      TEXT NOT NULL,
  status     INTEGER NOT NULL,
  body       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, key)
);
