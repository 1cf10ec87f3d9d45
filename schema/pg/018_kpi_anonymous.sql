-- 018 (review 2026-12-07 #11; PostgreSQL, the same view as
-- schema/sqlite/018): an anonymous Open311 tip (source open311, no reporter:
-- posted without api_key) counts in the KPIs only once it has been accepted
-- (立案): until then it is in the 待受理 queue but in no figure or ranking, so
-- that spam cannot move them. The same rule in kpi_sql.c (contribute); the
-- recomputation view changes with it. SQLite then rebuilds the roll-ups from
-- the raw tables; a new PostgreSQL database has none to rebuild (008's
-- backfill section does it when needed).
DROP VIEW kpi_raw;
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
  WHERE NOT (source = 'open311' AND reporter_id IS NULL AND accepted_at IS NULL)
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
