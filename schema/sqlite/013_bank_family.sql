-- 爱心银行 family links and transfers (docs/BANK.md, issue 7). A member links
-- a family member's login account; the 居委 (bank.manage over org_id, the
-- org of the requesting member's grant) approves; either side or staff can
-- revoke. Transfers move points member → member as one 'transfer' entry
-- whose source_id is the bank_transfers row (off unless transfer_enabled).
CREATE TABLE bank_family (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts(id),
  family_id   INTEGER NOT NULL REFERENCES accounts(id),
  relation    TEXT NOT NULL,
  org_id      INTEGER REFERENCES orgs(id),       -- whose 居委 decides
  state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'revoked')),
  created_by  INTEGER REFERENCES accounts(id),
  created_at  INTEGER NOT NULL,
  decided_by  INTEGER REFERENCES accounts(id),
  decided_at  INTEGER,
  CHECK (account_id <> family_id)
);
-- One live link per pair, whichever side asked.
CREATE UNIQUE INDEX bank_family_pair ON bank_family(min(account_id, family_id), max(account_id, family_id))
  WHERE state <> 'revoked';
CREATE INDEX bank_family_account ON bank_family(account_id);
CREATE INDEX bank_family_family ON bank_family(family_id);
CREATE INDEX bank_family_state ON bank_family(state, id);

CREATE TABLE bank_transfers (
  id          INTEGER PRIMARY KEY,
  from_id     INTEGER NOT NULL REFERENCES accounts(id),
  to_id       INTEGER NOT NULL REFERENCES accounts(id),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  note        TEXT,
  created_at  INTEGER NOT NULL
);
CREATE INDEX bank_transfers_from ON bank_transfers(from_id, created_at);
