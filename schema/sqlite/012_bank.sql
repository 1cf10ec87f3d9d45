-- 爱心银行 (love bank, SPEC §6): a double-entry points ledger. Every movement
-- is one entry from a debit account to a credit account with a positive
-- amount, so the balances of all accounts sum to zero. Balances are kept in
-- bank_accounts.balance, updated in the same transaction as the entry; the
-- CHECK is the safety net behind the handler's insufficient_points answer.
-- Entries are append-only: refunds, reversals and expiry are new entries.
CREATE TABLE bank_accounts (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('member', 'issuer', 'provider')),
  ref_id     INTEGER NOT NULL,          -- member: accounts.id; issuer/provider: orgs.id
  balance    INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (kind, ref_id),
  CHECK (kind = 'issuer' OR balance >= 0)
);

CREATE TABLE bank_entries (
  id          INTEGER PRIMARY KEY,
  debit_id    INTEGER NOT NULL REFERENCES bank_accounts(id),
  credit_id   INTEGER NOT NULL REFERENCES bank_accounts(id),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  source_kind TEXT NOT NULL CHECK (source_kind IN ('service_record', 'activity', 'verified_tip', 'manual',
                                   'redemption', 'refund', 'transfer', 'expiry')),
  source_id   INTEGER NOT NULL,
  purpose     TEXT NOT NULL DEFAULT 'award',
  reverses_id INTEGER REFERENCES bank_entries(id),
  note        TEXT,
  created_by  INTEGER REFERENCES accounts(id),
  created_at  INTEGER NOT NULL,
  UNIQUE (source_kind, source_id, purpose),
  CHECK (debit_id <> credit_id)
);
CREATE INDEX bank_entries_debit ON bank_entries(debit_id, id);
CREATE INDEX bank_entries_credit ON bank_entries(credit_id, id);
CREATE TRIGGER bank_entries_no_update BEFORE UPDATE ON bank_entries
  BEGIN SELECT RAISE(ABORT, 'bank entries are append-only'); END;
CREATE TRIGGER bank_entries_no_delete BEFORE DELETE ON bank_entries
  BEGIN SELECT RAISE(ABORT, 'bank entries are append-only'); END;

-- Manual awards: the reason and the org whose issuing account pays.
CREATE TABLE bank_awards (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  org_id     INTEGER NOT NULL REFERENCES orgs(id),
  points     INTEGER NOT NULL CHECK (points > 0),
  reason     TEXT NOT NULL,
  created_by INTEGER REFERENCES accounts(id),
  created_at INTEGER NOT NULL
);

-- 爱心超市: goods and services offered by a provider unit.
CREATE TABLE bank_items (
  id           INTEGER PRIMARY KEY,
  provider_id  INTEGER NOT NULL REFERENCES orgs(id),
  name         TEXT NOT NULL,
  description  TEXT,
  cost         INTEGER NOT NULL CHECK (cost > 0),
  stock        INTEGER NOT NULL CHECK (stock >= 0),
  limit_count  INTEGER NOT NULL DEFAULT 0 CHECK (limit_count >= 0),   -- 0 = no limit
  limit_days   INTEGER NOT NULL DEFAULT 30 CHECK (limit_days > 0),
  active       INTEGER NOT NULL DEFAULT 1,
  created_at   INTEGER NOT NULL
);

CREATE TABLE bank_orders (
  id          INTEGER PRIMARY KEY,
  item_id     INTEGER NOT NULL REFERENCES bank_items(id),
  account_id  INTEGER NOT NULL REFERENCES accounts(id),
  cost        INTEGER NOT NULL CHECK (cost > 0),
  code        TEXT NOT NULL UNIQUE,
  status      TEXT NOT NULL DEFAULT 'placed' CHECK (status IN ('placed', 'fulfilled', 'cancelled')),
  created_at  INTEGER NOT NULL,
  decided_by  INTEGER REFERENCES accounts(id),
  decided_at  INTEGER
);
CREATE INDEX bank_orders_account ON bank_orders(account_id, item_id, created_at);
CREATE INDEX bank_orders_item ON bank_orders(item_id, status);
