-- Adds synthetic problems with their history to a demo database for the KPI
-- benchmark (bench/kpi.mjs), deterministically from bp.seed:
--   bp.n problems over the three years before bp.t_end, in bp.ncomm new
--   communities (基准居委) and bp.nunit new handler units under the demo street,
--   each community served mostly by three units; categories skewed towards
--   the first ones; 2 % rejected, 1 % merged, recent ones open, 1 % stuck,
--   the rest closed (10 % late, 6 % with one rework, 2 % relapsed and
--   reopened), 40 % of the closed citizen tips rated.
-- The events are written type by type (report, accept, …, rate), so every
-- dispatch has a smaller id than the rectifications that follow it, as when
-- the API writes them. The roll-ups are then built by 008_kpi.sql's backfill.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -1000000;

-- Orgs: temporary paths first, then the real ones from the new ids.
CREATE TEMP TABLE b_street AS SELECT id, path, depth FROM orgs WHERE kind = 'street' ORDER BY id LIMIT 1;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < (SELECT ncomm FROM bp))
INSERT INTO orgs (parent_id, kind, name, code, path, depth, created_at)
  SELECT s.id, 'community', '基准居委' || i, 'BC' || i, 'tmp-c' || i, s.depth + 1, '2026-01-01T00:00:00Z' FROM k, b_street s;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < (SELECT nunit FROM bp))
INSERT INTO orgs (parent_id, kind, name, code, path, depth, created_at)
  SELECT s.id, 'unit', '基准单位' || i, 'BU' || i, 'tmp-u' || i, s.depth + 1, '2026-01-01T00:00:00Z' FROM k, b_street s;
UPDATE orgs SET path = (SELECT path FROM b_street) || id || '/' WHERE path LIKE 'tmp-%';
CREATE TEMP TABLE b_comm AS SELECT CAST(substr(code, 3) AS INTEGER) AS k, id FROM orgs WHERE code LIKE 'BC%' AND kind = 'community';
CREATE TEMP TABLE b_unit AS SELECT CAST(substr(code, 3) AS INTEGER) AS k, id FROM orgs WHERE code LIKE 'BU%' AND kind = 'unit';
CREATE TEMP TABLE b_cat AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, id FROM categories WHERE parent_id IS NOT NULL;
CREATE INDEX temp.b_comm_k ON b_comm(k);
CREATE INDEX temp.b_unit_k ON b_unit(k);
CREATE INDEX temp.b_cat_k ON b_cat(k);

-- Pseudo-random numbers r1..r8 in [0, 2^32) per problem: a multiplicative
-- hash of (i, k, seed), mixed with shifts (SQLite has no XOR: a ^ b = (a | b) - (a & b)).
CREATE TEMP TABLE g AS
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < (SELECT n FROM bp)),
x AS (SELECT i, (i * 2654435761 + (SELECT seed FROM bp) * 40503 + k * 2246822519) % 4294967296 AS x, k
      FROM seq, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
                 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8)),
y AS (SELECT i, k, ((x | (x >> 15)) - (x & (x >> 15))) * 2246822519 % 4294967296 AS y FROM x),
z AS (SELECT i, k, (y | (y >> 13)) - (y & (y >> 13)) AS r FROM y)
SELECT i, max(CASE k WHEN 1 THEN r END) AS r1, max(CASE k WHEN 2 THEN r END) AS r2, max(CASE k WHEN 3 THEN r END) AS r3,
       max(CASE k WHEN 4 THEN r END) AS r4, max(CASE k WHEN 5 THEN r END) AS r5, max(CASE k WHEN 6 THEN r END) AS r6,
       max(CASE k WHEN 7 THEN r END) AS r7, max(CASE k WHEN 8 THEN r END) AS r8
FROM z GROUP BY i;

-- Times and fates.
CREATE TEMP TABLE f AS
SELECT i, r1, r2, r3, r4, r5, r6, r7, r8, created,
       (SELECT t_end FROM bp) - created AS age,
       CASE WHEN r5 % 1000 < 20 THEN 'rejected' WHEN r5 % 1000 < 30 THEN 'merged'
            WHEN (SELECT t_end FROM bp) - created < 10 * 86400
              THEN CASE r6 % 5 WHEN 0 THEN 'reported' WHEN 1 THEN 'accepted' WHEN 2 THEN 'dispatched'
                               WHEN 3 THEN 'acknowledged' ELSE 'rectified' END
            WHEN r6 % 100 = 0 THEN 'acknowledged'
            WHEN r6 % 100 < 3 THEN 'reopened'
            ELSE 'closed' END AS state
FROM (SELECT g.*, (SELECT t_end FROM bp) - 3 * 365 * 86400 + (i - 1) * (3 * 365 * 86400) / (SELECT n FROM bp) + r1 % 3600 AS created
      FROM g);

INSERT INTO problems (code, state, category_id, org_id, handler_org_id, source, urgency, description, lat, lng,
                      reporter_id, accepted_at, dispatched_at, deadline, deadline_unit, rectified_at, closed_at,
                      rework_count, relapse_count, created_at, updated_at)
SELECT 'KB-' || i, state, c.id, o.id,
       CASE WHEN disp IS NOT NULL THEN u.id END,
       CASE r3 % 3 WHEN 0 THEN 'citizen_tip' WHEN 1 THEN 'patrol' ELSE 'self_check' END,
       'normal', '基准问题 ' || i, 31.2, 121.55, (SELECT id FROM accounts WHERE login = 'resident'),
       acc, disp, dl, CASE WHEN dl IS NOT NULL THEN 'cal_hours' END, rect,
       CASE WHEN state = 'closed' THEN rect + 1800 + r5 % 7200 END,
       rework, state = 'reopened', created,
       CASE WHEN state = 'reopened' THEN rect + 1800 + r5 % 7200 + 7 * 86400
            WHEN state = 'closed' THEN rect + 1800 + r5 % 7200 ELSE coalesce(rect, disp, acc, created) END
FROM (SELECT f.*,
             CASE WHEN state NOT IN ('reported', 'rejected') THEN created + 1800 + r1 % 5400 END AS acc,
             CASE WHEN state NOT IN ('reported', 'rejected', 'merged', 'accepted') THEN created + 3000 + r1 % 5400 + r2 % 3000 END AS disp,
             CASE WHEN state NOT IN ('reported', 'rejected', 'merged', 'accepted')
                  THEN created + 3000 + r1 % 5400 + r2 % 3000 + (CASE WHEN r8 % 10 < 3 THEN 24 ELSE 72 END) * 3600 END AS dl,
             CASE WHEN state IN ('rectified', 'closed', 'reopened')
                  THEN CASE WHEN r7 % 100 >= 90 AND state <> 'rectified'	-- late
                            THEN created + 3000 + r1 % 5400 + r2 % 3000 + (CASE WHEN r8 % 10 < 3 THEN 24 ELSE 72 END) * 3600 + 3600 + r3 % 86400
                            ELSE created + 3000 + r1 % 5400 + r2 % 3000
                                 + (CASE WHEN r8 % 10 < 3 THEN 24 ELSE 72 END) * 3600 * (20 + r4 % 60) / 100 + 7200 END END AS rect,
             CASE WHEN state IN ('rectified', 'closed', 'reopened') AND r7 % 100 < 6 THEN 1 ELSE 0 END AS rework
      FROM f) s
JOIN b_comm o ON o.k = s.r2 % (SELECT ncomm FROM bp)
JOIN b_unit u ON u.k = (o.k * 7 + s.r3 % 3) % (SELECT nunit FROM bp)
JOIN b_cat c ON c.k = (s.r4 % 1000) * (s.r4 % 1000) * (SELECT count(*) FROM b_cat) / 1000000
ORDER BY i;
DROP TABLE g;
DROP TABLE f;

-- Ratings of closed citizen tips.
INSERT INTO problem_ratings (problem_id, account_id, rating, created_at)
SELECT id, reporter_id, CASE WHEN (id * 7919) % 10 < 7 THEN 'satisfied' WHEN (id * 7919) % 10 < 9 THEN 'basically_satisfied'
                             ELSE 'dissatisfied' END, closed_at + 3600
FROM problems WHERE code LIKE 'KB-%' AND state = 'closed' AND source = 'citizen_tip' AND (id * 104729) % 100 < 40;

-- History, type by type.
CREATE TEMP TABLE bpr AS SELECT * FROM problems WHERE code LIKE 'KB-%';
INSERT INTO problem_events (problem_id, at, action, to_state) SELECT id, created_at, 'report', 'reported' FROM bpr;
INSERT INTO problem_events (problem_id, at, action, from_state, to_state)
  SELECT id, accepted_at, 'accept', 'reported', 'accepted' FROM bpr WHERE accepted_at IS NOT NULL;
INSERT INTO problem_events (problem_id, at, action, from_state, to_state, data)
  SELECT id, created_at + 3600, 'reject', 'reported', 'rejected', '{"reason":"不属实"}' FROM bpr WHERE state = 'rejected';
INSERT INTO problem_events (problem_id, at, action, from_state, to_state)
  SELECT id, accepted_at + 600, 'merge', 'accepted', 'merged' FROM bpr WHERE state = 'merged';
INSERT INTO problem_events (problem_id, at, action, from_state, to_state, data)
  SELECT id, dispatched_at, 'dispatch', 'accepted', 'dispatched', json_object('handler_org_id', handler_org_id, 'deadline', deadline)
  FROM bpr WHERE dispatched_at IS NOT NULL;
INSERT INTO problem_events (problem_id, at, action, from_state, to_state)
  SELECT id, dispatched_at + 1200, 'acknowledge', 'dispatched', 'acknowledged' FROM bpr
  WHERE state IN ('acknowledged', 'rectified', 'closed', 'reopened');
INSERT INTO problem_events (problem_id, at, action, from_state, to_state)
  SELECT id, rectified_at - 7200, 'rectify', 'acknowledged', 'rectified' FROM bpr WHERE rework_count = 1;
INSERT INTO problem_events (problem_id, at, action, from_state, to_state, data)
  SELECT id, rectified_at - 3600, 'verify_fail', 'rectified', 'acknowledged', '{"reason":"返工"}' FROM bpr WHERE rework_count = 1;
INSERT INTO problem_events (problem_id, at, action, from_state, to_state)
  SELECT id, rectified_at, 'rectify', 'acknowledged', 'rectified' FROM bpr WHERE rectified_at IS NOT NULL;
INSERT INTO problem_events (problem_id, at, action, from_state, to_state)
  SELECT id, CASE WHEN state = 'closed' THEN closed_at ELSE updated_at - 7 * 86400 END, 'verify_pass', 'rectified', 'closed'
  FROM bpr WHERE state IN ('closed', 'reopened');
INSERT INTO problem_events (problem_id, at, action, from_state, to_state, data)
  SELECT id, updated_at, 'reopen', 'closed', 'reopened', '{"reason":"回头看发现回潮"}' FROM bpr WHERE state = 'reopened';
INSERT INTO problem_events (problem_id, at, action, data)
  SELECT r.problem_id, r.created_at, 'rate', json_object('rating', r.rating)
  FROM problem_ratings r JOIN bpr p ON p.id = r.problem_id;
-- Search index rows (empty bodies) so that the server does not index a million rows at startup.
INSERT INTO problems_fts (rowid, body) SELECT id, '' FROM bpr;
DROP TABLE bpr;
