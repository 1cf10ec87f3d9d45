-- 018 (review 2026-12-07 #11): an anonymous Open311 tip (source open311, no
-- reporter: posted without api_key) counts in the KPIs only once it has been
-- accepted (立案): until then it is in the 待受理 queue but in no figure or
-- ranking, so that spam cannot move them. The same rule in kpi_sql.c
-- (contribute); the recomputation view changes with it and the roll-ups are
-- rebuilt from the raw tables.
DROP VIEW kpi_raw;
CREATE VIEW kpi_raw AS
WITH ev AS (
  SELECT e.at, e.action, e.from_state, e.to_state, e.data, p.org_id, p.category_id,
         coalesce((SELECT json_extract(d.data, '$.handler_org_id') FROM problem_events d
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
         0, 0, 0, 0, 1, state = 'closed' AND closed_at IS NOT NULL AND closed_at <= deadline, 0, 0, 0, 0, 0, 0
  FROM problems WHERE deadline IS NOT NULL AND state NOT IN ('merged', 'rejected')
  UNION ALL
  SELECT (at + 28800) / 86400, org_id, handler_org_id, category_id, 0, 0, 0, 0, 0, 0,
         to_state IS 'rectified',
         from_state IS 'rectified' AND to_state IS 'acknowledged',
         from_state IS 'closed' AND to_state IS 'reopened' AND action IS NOT 'citizen_reopen',
         action IS 'rate' AND json_extract(data, '$.rating') IS 'satisfied',
         action IS 'rate' AND json_extract(data, '$.rating') IS 'basically_satisfied',
         action IS 'rate' AND json_extract(data, '$.rating') IS 'dissatisfied'
  FROM ev
)
SELECT day, org_id, handler_org_id, category_id, sum(reported) AS reported, sum(accepted) AS accepted,
       sum(closed) AS closed, sum(close_secs) AS close_secs, sum(due) AS due, sum(on_time) AS on_time,
       sum(rectifications) AS rectifications, sum(reworks) AS reworks, sum(relapses) AS relapses,
       sum(sat) AS sat, sum(basic) AS basic, sum(dissat) AS dissat
FROM contrib GROUP BY day, org_id, handler_org_id, category_id;

-- The roll-ups again, as 008 built them (its backfill section, unchanged).
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
CREATE INDEX temp.kpi_anc_org ON kpi_anc(org);
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
