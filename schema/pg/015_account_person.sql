-- 015 (PostgreSQL, the same as schema/sqlite/015): accounts are looked up by
-- their person on every volunteer read (the volunteer's account_id in
-- VOL_COLS, store_volunteer_by_account on every sign-up). Without this index
-- each lookup scanned all accounts (docs/PERFORMANCE.md).
CREATE INDEX IF NOT EXISTS accounts_person ON accounts(person_id);
