-- 006 the citizen loop (PostgreSQL; same as schema/sqlite/006): the
-- reporter's satisfaction with a closed problem (满意 / 基本满意 / 不满意).
-- One rating per reporter and problem, plus one more after a 不满意 that
-- reopened it (reopened = 1 marks that first one).
CREATE TABLE problem_ratings (
  problem_id BIGINT NOT NULL REFERENCES problems(id),
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  rating     TEXT NOT NULL CHECK (rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
  comment    TEXT,
  reopened   BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (problem_id, account_id, reopened)
);
