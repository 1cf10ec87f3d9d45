-- 015: accounts are looked up by their person on every volunteer read (the
-- volunteer's account_id in VOL_COLS, store_volunteer_by_account on every
-- sign-up). Without this index each lookup scanned all accounts: ~150 µs at
-- 10,000 volunteers with accounts, ~15 ms at a million (the Friday-rush
-- benchmark, docs/PERFORMANCE.md).
CREATE INDEX IF NOT EXISTS accounts_person ON accounts(person_id);
