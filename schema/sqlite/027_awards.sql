-- 027 honours (SPEC §9; docs/PARTY.md "awards"): award schemes with their
-- categories and panel, nominations carrying a snapshot of the evidence drawn
-- from the records, conflicts of interest, and one score per panel member
-- per nomination (UNIQUE: a second vote replaces the first).
CREATE TABLE award_schemes (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  year           INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  state          TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'nominating', 'reviewing', 'decided', 'published')),
  nominate_from  TEXT NOT NULL,
  nominate_to    TEXT NOT NULL,
  review_from    TEXT NOT NULL,
  review_to      TEXT NOT NULL,
  nominators     TEXT NOT NULL DEFAULT '["committee","unit","party","office"]',
  description    TEXT,
  created_by     INTEGER,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX award_schemes_year ON award_schemes(year, id);

CREATE TABLE award_categories (
  id              INTEGER PRIMARY KEY,
  scheme_id       INTEGER NOT NULL REFERENCES award_schemes(id),
  position        INTEGER NOT NULL,
  name            TEXT NOT NULL,
  kinds           TEXT NOT NULL,
  quota           INTEGER NOT NULL CHECK (quota >= 1),
  nominator_quota INTEGER CHECK (nominator_quota IS NULL OR nominator_quota >= 1),
  UNIQUE (scheme_id, position)
);

CREATE TABLE award_panel (
  scheme_id  INTEGER NOT NULL REFERENCES award_schemes(id),
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  PRIMARY KEY (scheme_id, account_id)
);
CREATE INDEX award_panel_account ON award_panel(account_id);

CREATE TABLE award_nominations (
  id              INTEGER PRIMARY KEY,
  scheme_id       INTEGER NOT NULL REFERENCES award_schemes(id),
  category_id     INTEGER NOT NULL REFERENCES award_categories(id),
  nominee_kind    TEXT NOT NULL CHECK (nominee_kind IN ('person', 'team', 'unit')),
  nominee_id      INTEGER NOT NULL,
  nominee_name    TEXT NOT NULL,
  org_id          INTEGER NOT NULL REFERENCES orgs(id),
  nominator_id    INTEGER NOT NULL REFERENCES accounts(id),
  citation        TEXT NOT NULL,
  evidence        TEXT NOT NULL,
  cited           TEXT NOT NULL DEFAULT '[]',
  evidence_on     TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'nominated' CHECK (state IN ('nominated', 'awarded', 'not_awarded')),
  decision_reason TEXT,
  decided_by      INTEGER,
  decided_at      INTEGER,
  created_at      INTEGER NOT NULL,
  UNIQUE (category_id, nominee_kind, nominee_id)
);
CREATE INDEX award_nominations_scheme ON award_nominations(scheme_id, id);
CREATE INDEX award_nominations_nominator ON award_nominations(category_id, nominator_id);

CREATE TABLE award_conflicts (
  nomination_id INTEGER NOT NULL REFERENCES award_nominations(id),
  account_id    INTEGER NOT NULL REFERENCES accounts(id),
  reason        TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (nomination_id, account_id)
);

CREATE TABLE award_votes (
  id            INTEGER PRIMARY KEY,
  nomination_id INTEGER NOT NULL REFERENCES award_nominations(id),
  account_id    INTEGER NOT NULL REFERENCES accounts(id),
  score         INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
  comment       TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  UNIQUE (nomination_id, account_id)
);
