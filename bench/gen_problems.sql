-- Adds bench_n.value synthetic problems to a demo database for the list
-- benchmark: spread over the demo communities, categories, handler units and
-- states, oldest first.
CREATE TEMP TABLE b_cat AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM categories;
CREATE TEMP TABLE b_comm AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM orgs WHERE kind = 'community';
CREATE TEMP TABLE b_unit AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM orgs WHERE kind = 'unit';
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < (SELECT value FROM bench_n))
INSERT INTO problems (code, state, category_id, org_id, handler_org_id, source, urgency, description,
                      lat, lng, reporter_id, dispatched_at, deadline, deadline_unit, created_at, updated_at)
SELECT 'BN-' || i,
       CASE i % 20 WHEN 0 THEN 'reported' WHEN 1 THEN 'dispatched' WHEN 2 THEN 'acknowledged'
                   WHEN 3 THEN 'rectified' ELSE 'closed' END,
       c.id, o.id, u.id,
       CASE i % 3 WHEN 0 THEN 'citizen_tip' WHEN 1 THEN 'patrol' ELSE 'self_check' END,
       'normal', '楼道堆物 合成数据 ' || i, 31.2, 121.55, 1,
       unixepoch() - 86400 * 120 + i / 10, unixepoch() - 86400 * 120 + i / 10 + 86400 * 3, 'cal_hours',
       unixepoch() - 86400 * 120 + i / 10, unixepoch() - 86400 * 120 + i / 10
FROM seq
JOIN b_cat c ON c.k = seq.i % (SELECT count(*) FROM b_cat)
JOIN b_comm o ON o.k = seq.i % (SELECT count(*) FROM b_comm)
JOIN b_unit u ON u.k = seq.i % (SELECT count(*) FROM b_unit);
