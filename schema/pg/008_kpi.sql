-- 008 KPIs, rankings and the red/black list (SPEC §3, docs/KPI.md);
-- PostgreSQL, the same tables and view as schema/sqlite/008.
--
-- Roll-ups maintained by the store in the same write transaction as every
-- problem change (src/store/kpi_sql.c: the difference between the problem's
-- contribution before and after the change), so a KPI request sums at most a
-- few hundred roll-up rows per key instead of scanning problems:
--   kpi_day    one row per (China-time day, org, handler unit, category);
--   kpi_month  the same per calendar month (yyyymm), so a year is 12 rows per
--              key plus the days of the partial months at its ends;
--   kpi_state  current counts per (org, handler unit, state);
--   kpi_org_day, kpi_org_month  the same metrics per org *subtree*: a
--              problem counts for its org and every ancestor, so the totals
--              of a street or a 居委 are one row per day or month, whatever
--              the number of problems below it; dim '-' (dim_id 0) is the
--              subtree's total, dim 'h' one row per handler unit (dim_id),
--              dim 'c' one per category, so grouping or filtering by one of
--              them reads a row per unit or category, not per combination.
-- handler_org_id 0 = no handler unit (not dispatched, or returned).
-- Days are whole days since 1970-01-01 in Asia/Shanghai (UTC+8, no DST):
-- (unix seconds + 28800) / 86400.
--
-- The metrics (docs/KPI.md has the definitions):
--   reported        problems reported that day (created_at)
--   accepted        立案: accepted that day (accepted_at), merged ones excepted
--   closed          closed that day (closed_at of a problem now closed)
--   close_secs      sum of (closed_at - created_at) of those
--   due             problems whose current deadline falls that day
--   on_time         of those, closed no later than the deadline
--   rectifications  整改 submissions that day (every rectify, reworks included)
--   reworks         返工: verify_fail that day
--   relapses        回潮: reopened after closing (not a citizen's 不满意 reopen)
--   sat/basic/dissat the citizen's ratings given that day

-- accepted_at of existing problems is filled from their history in SQLite;
-- a PostgreSQL database starts empty, so the column is all there is to add.
ALTER TABLE problems ADD COLUMN accepted_at BIGINT;

CREATE TABLE kpi_day (
  day            BIGINT NOT NULL,
  org_id         BIGINT NOT NULL,
  handler_org_id BIGINT NOT NULL,
  category_id    BIGINT NOT NULL,
  reported       BIGINT NOT NULL DEFAULT 0,
  accepted       BIGINT NOT NULL DEFAULT 0,
  closed         BIGINT NOT NULL DEFAULT 0,
  close_secs     BIGINT NOT NULL DEFAULT 0,
  due            BIGINT NOT NULL DEFAULT 0,
  on_time        BIGINT NOT NULL DEFAULT 0,
  rectifications BIGINT NOT NULL DEFAULT 0,
  reworks        BIGINT NOT NULL DEFAULT 0,
  relapses       BIGINT NOT NULL DEFAULT 0,
  sat            BIGINT NOT NULL DEFAULT 0,
  basic          BIGINT NOT NULL DEFAULT 0,
  dissat         BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, org_id, handler_org_id, category_id)
);

CREATE TABLE kpi_month (
  month          BIGINT NOT NULL,	-- yyyymm
  org_id         BIGINT NOT NULL,
  handler_org_id BIGINT NOT NULL,
  category_id    BIGINT NOT NULL,
  reported       BIGINT NOT NULL DEFAULT 0,
  accepted       BIGINT NOT NULL DEFAULT 0,
  closed         BIGINT NOT NULL DEFAULT 0,
  close_secs     BIGINT NOT NULL DEFAULT 0,
  due            BIGINT NOT NULL DEFAULT 0,
  on_time        BIGINT NOT NULL DEFAULT 0,
  rectifications BIGINT NOT NULL DEFAULT 0,
  reworks        BIGINT NOT NULL DEFAULT 0,
  relapses       BIGINT NOT NULL DEFAULT 0,
  sat            BIGINT NOT NULL DEFAULT 0,
  basic          BIGINT NOT NULL DEFAULT 0,
  dissat         BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (month, org_id, handler_org_id, category_id)
);

CREATE TABLE kpi_org_day (
  day            BIGINT NOT NULL,
  org_id         BIGINT NOT NULL,	-- the org or one of its ancestors
  dim            TEXT NOT NULL,	-- '-' total, 'h' per handler unit, 'c' per category
  dim_id         BIGINT NOT NULL,
  reported       BIGINT NOT NULL DEFAULT 0,
  accepted       BIGINT NOT NULL DEFAULT 0,
  closed         BIGINT NOT NULL DEFAULT 0,
  close_secs     BIGINT NOT NULL DEFAULT 0,
  due            BIGINT NOT NULL DEFAULT 0,
  on_time        BIGINT NOT NULL DEFAULT 0,
  rectifications BIGINT NOT NULL DEFAULT 0,
  reworks        BIGINT NOT NULL DEFAULT 0,
  relapses       BIGINT NOT NULL DEFAULT 0,
  sat            BIGINT NOT NULL DEFAULT 0,
  basic          BIGINT NOT NULL DEFAULT 0,
  dissat         BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, dim, day, dim_id)
);

CREATE TABLE kpi_org_month (
  month          BIGINT NOT NULL,
  org_id         BIGINT NOT NULL,	-- the org or one of its ancestors
  dim            TEXT NOT NULL,	-- '-' total, 'h' per handler unit, 'c' per category
  dim_id         BIGINT NOT NULL,
  reported       BIGINT NOT NULL DEFAULT 0,
  accepted       BIGINT NOT NULL DEFAULT 0,
  closed         BIGINT NOT NULL DEFAULT 0,
  close_secs     BIGINT NOT NULL DEFAULT 0,
  due            BIGINT NOT NULL DEFAULT 0,
  on_time        BIGINT NOT NULL DEFAULT 0,
  rectifications BIGINT NOT NULL DEFAULT 0,
  reworks        BIGINT NOT NULL DEFAULT 0,
  relapses       BIGINT NOT NULL DEFAULT 0,
  sat            BIGINT NOT NULL DEFAULT 0,
  basic          BIGINT NOT NULL DEFAULT 0,
  dissat         BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, dim, month, dim_id)
);

CREATE TABLE kpi_state (
  org_id         BIGINT NOT NULL,
  handler_org_id BIGINT NOT NULL,
  state          TEXT NOT NULL,
  n              BIGINT NOT NULL,
  PRIMARY KEY (org_id, handler_org_id, state)
);

-- The same figures recomputed from the raw tables (IS NOT DISTINCT FROM, not
-- =, so that a NULL state or rating counts 0 rather than making the sum
-- NULL): problems for what a problem is now, problem_events for what
-- happened (an event counts for the handler unit of the latest dispatch
-- before it). Used by the backfill below and by the consistency check
-- (store_kpi_check), never per request. The translation of SQLite's view:
-- json_extract → ->> on the text cast to json, IS → IS NOT DISTINCT FROM,
-- a comparison counted as 0/1 → ::int. The sums are numeric here (sum of
-- bigint), read as integers by the driver.
CREATE VIEW kpi_raw AS
WITH ev AS (
  SELECT e.at, e.action, e.from_state, e.to_state, e.data, p.org_id, p.category_id,
         coalesce((SELECT (d.data::json ->> 'handler_org_id')::bigint FROM problem_events d
                   WHERE d.problem_id = e.problem_id AND d.action = 'dispatch' AND d.id < e.id
                   ORDER BY d.id DESC LIMIT 1), 0) AS handler_org_id
  FROM problem_events e JOIN problems p ON p.id = e.problem_id
  WHERE e.to_state = 'rectified' OR e.action = 'rate'
     OR (e.from_state = 'rectified' AND e.to_state = 'acknowledged')
     OR (e.from_state = 'closed' AND e.to_state = 'reopened' AND e.action <> 'citizen_reopen')
), contrib AS (
  SELECT (created_at + 28800) / 86400 AS day, org_id, coalesce(handler_org_id, 0) AS handler_org_id, category_id,
         1 AS reported, 0 AS accepted, 0 AS closed, 0 AS close_secs, 0 AS due, 0 AS on_time,
         0 AS rectifications, 0 AS reworks, 0 AS relapses, 0 AS sat, 0 AS basic, 0 AS dissat FROM problems
  UNION ALL
  SELECT (accepted_at + 28800) / 86400, org_id, coalesce(handler_org_id, 0), category_id,
         0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM problems WHERE accepted_at IS NOT NULL AND state <> 'merged'
  UNION ALL
  SELECT (closed_at + 28800) / 86400, org_id, coalesce(handler_org_id, 0), category_id,
         0, 0, 1, closed_at - created_at, 0, 0, 0, 0, 0, 0, 0, 0 FROM problems
  WHERE state = 'closed' AND closed_at IS NOT NULL
  UNION ALL
  SELECT (deadline + 28800) / 86400, org_id, coalesce(handler_org_id, 0), category_id,
         0, 0, 0, 0, 1, (state = 'closed' AND closed_at IS NOT NULL AND closed_at <= deadline)::int, 0, 0, 0, 0, 0, 0
  FROM problems WHERE deadline IS NOT NULL AND state NOT IN ('merged', 'rejected')
  UNION ALL
  SELECT (at + 28800) / 86400, org_id, handler_org_id, category_id, 0, 0, 0, 0, 0, 0,
         (to_state IS NOT DISTINCT FROM 'rectified')::int,
         (from_state IS NOT DISTINCT FROM 'rectified' AND to_state IS NOT DISTINCT FROM 'acknowledged')::int,
         (from_state IS NOT DISTINCT FROM 'closed' AND to_state IS NOT DISTINCT FROM 'reopened'
          AND action IS DISTINCT FROM 'citizen_reopen')::int,
         (action IS NOT DISTINCT FROM 'rate' AND data::json ->> 'rating' IS NOT DISTINCT FROM 'satisfied')::int,
         (action IS NOT DISTINCT FROM 'rate' AND data::json ->> 'rating' IS NOT DISTINCT FROM 'basically_satisfied')::int,
         (action IS NOT DISTINCT FROM 'rate' AND data::json ->> 'rating' IS NOT DISTINCT FROM 'dissatisfied')::int
  FROM ev
)
SELECT day, org_id, handler_org_id, category_id, sum(reported) AS reported, sum(accepted) AS accepted,
       sum(closed) AS closed, sum(close_secs) AS close_secs, sum(due) AS due, sum(on_time) AS on_time,
       sum(rectifications) AS rectifications, sum(reworks) AS reworks, sum(relapses) AS relapses,
       sum(sat) AS sat, sum(basic) AS basic, sum(dissat) AS dissat
FROM contrib GROUP BY day, org_id, handler_org_id, category_id;

-- The roll-ups rebuilt from the raw tables. On a new database every table is
-- empty and this does nothing; it is kept, translated, so that a generated
-- database (bench/gen.mjs reads the section between the markers) or a repair
-- can rebuild them on PostgreSQL as on SQLite. strftime is 001's compat
-- function; the temporary table's index takes no schema name here.
-- backfill:begin (bench/kpi.mjs runs this section again on a generated database)
DELETE FROM kpi_day;
DELETE FROM kpi_month;
DELETE FROM kpi_state;
INSERT INTO kpi_day SELECT * FROM kpi_raw;
INSERT INTO kpi_month
  SELECT CAST(strftime('%Y%m', day * 86400, 'unixepoch') AS INTEGER), org_id, handler_org_id, category_id,
         sum(reported), sum(accepted), sum(closed), sum(close_secs), sum(due), sum(on_time), sum(rectifications),
         sum(reworks), sum(relapses), sum(sat), sum(basic), sum(dissat)
  FROM kpi_day GROUP BY 1, 2, 3, 4;
INSERT INTO kpi_state SELECT org_id, coalesce(handler_org_id, 0), state, count(*) FROM problems GROUP BY 1, 2, 3;
DELETE FROM kpi_org_day;
DELETE FROM kpi_org_month;
CREATE TEMP TABLE kpi_anc AS WITH RECURSIVE anc(org, a) AS (
  SELECT id, id FROM orgs UNION ALL SELECT anc.org, o.parent_id FROM anc JOIN orgs o ON o.id = anc.a WHERE o.parent_id IS NOT NULL)
  SELECT org, a FROM anc;
CREATE INDEX kpi_anc_org ON kpi_anc(org);
INSERT INTO kpi_org_day
  SELECT k.day, x.a, k.dim, k.dim_id, sum(reported), sum(accepted), sum(closed), sum(close_secs), sum(due),
         sum(on_time), sum(rectifications), sum(reworks), sum(relapses), sum(sat), sum(basic), sum(dissat)
  FROM (SELECT day, org_id, d.dim, CASE d.dim WHEN 'h' THEN handler_org_id WHEN 'c' THEN category_id ELSE 0 END AS dim_id,
               sum(reported) AS reported, sum(accepted) AS accepted, sum(closed) AS closed,
               sum(close_secs) AS close_secs, sum(due) AS due, sum(on_time) AS on_time,
               sum(rectifications) AS rectifications, sum(reworks) AS reworks, sum(relapses) AS relapses,
               sum(sat) AS sat, sum(basic) AS basic, sum(dissat) AS dissat
        FROM kpi_day, (SELECT '-' AS dim UNION ALL SELECT 'h' UNION ALL SELECT 'c') d GROUP BY 1, 2, 3, 4) k
  JOIN kpi_anc x ON x.org = k.org_id GROUP BY 1, 2, 3, 4;
INSERT INTO kpi_org_month
  SELECT CAST(strftime('%Y%m', day * 86400, 'unixepoch') AS INTEGER), org_id, dim, dim_id, sum(reported),
         sum(accepted), sum(closed), sum(close_secs), sum(due), sum(on_time), sum(rectifications), sum(reworks),
         sum(relapses), sum(sat), sum(basic), sum(dissat)
  FROM kpi_org_day GROUP BY 1, 2, 3, 4;
DROP TABLE kpi_anc;
-- backfill:end
