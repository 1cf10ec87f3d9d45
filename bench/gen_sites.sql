-- Adds bp.nsites synthetic sites to a benchmark database (bench/gen.mjs), after
-- bench/gen_kpi.sql: every site type in turn (the optional ones too), spread
-- round robin over the generated communities (code BC…), each with a 包保
-- unit from the generated units (code BU…), positions around the demo street.
PRAGMA synchronous = OFF;
CREATE TEMP TABLE s_type AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, name FROM site_types;
CREATE TEMP TABLE s_comm AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM orgs WHERE kind = 'community' AND code LIKE 'BC%';
CREATE TEMP TABLE s_unit AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM orgs WHERE kind = 'unit' AND code LIKE 'BU%';
CREATE INDEX temp.s_type_k ON s_type(k);
CREATE INDEX temp.s_comm_k ON s_comm(k);
CREATE INDEX temp.s_unit_k ON s_unit(k);
WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < (SELECT nsites FROM bp))
INSERT INTO sites (code, name, site_type_id, org_id, unit_org_id, responsible, address, lat, lng, created_at, updated_at)
SELECT 'BS-' || i, t.name || ' 基准' || i, t.id, c.id, u.id, '负责人' || (i % 997), '基准路' || (i % 900 + 1) || '号',
       31.15 + (i * 7919 % 10000) / 50000.0, 121.45 + (i * 104729 % 10000) / 50000.0,
       (SELECT t_end FROM bp) - 400 * 86400 + i % 86400, (SELECT t_end FROM bp) - 400 * 86400 + i % 86400
FROM seq
JOIN s_type t ON t.k = seq.i % (SELECT count(*) FROM s_type)
JOIN s_comm c ON c.k = (seq.i / 7) % (SELECT count(*) FROM s_comm)
JOIN s_unit u ON u.k = (seq.i / 7) % (SELECT count(*) FROM s_unit);
