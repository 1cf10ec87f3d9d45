-- 003 Open311 GeoReport v2: API keys of trusted clients (stored as hashes).
CREATE TABLE open311_keys (
  id         INTEGER PRIMARY KEY,
  key_hash   TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
