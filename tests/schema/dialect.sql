-- dialect.sql — statements in the store's one SQL dialect (docs/ARCHITECTURE.md),
-- run by scripts/schema-compare.sh on a freshly migrated database of each
-- engine: their output must be the same, byte for byte. It exercises the
-- compatibility functions of schema/pg/001 against SQLite's built-ins, the
-- translated view kpi_raw and 008's backfill section (spliced in below by
-- the script), and the triggers that still exist on both engines.
-- Output rules, so that both engines print alike: no booleans in a select
-- list (PostgreSQL prints t/f), no doubles that are whole numbers (SQLite
-- prints 1.0), and no ORDER BY over mixed types.

-- Orgs, with a placeholder path as orgs_sql.c makes one.
INSERT INTO orgs (kind, name, path, depth, lat, created_at) VALUES ('street', '街道', '/1/', 0, 1.5, 't') RETURNING id, path;
INSERT INTO orgs (parent_id, kind, name, path, depth, lat, created_at)
  VALUES (1, 'community', '社区甲', '/1/2/', 1, 2.25, 't') RETURNING id;
INSERT INTO orgs (parent_id, kind, name, code, path, depth, lat, created_at)
  VALUES (1, 'community', '社区乙', 'B', 'new:' || hex(randomblob(8)), 1, 2.5, 't') RETURNING length(path), substr(path, 1, 4);
UPDATE orgs SET path = '/1/' || id || '/' WHERE path LIKE 'new:%' RETURNING id, path;
INSERT INTO orgs (parent_id, kind, name, path, depth, created_at) VALUES (2, 'grid', '网格', '/1/2/4/', 2, 't') RETURNING id;
INSERT INTO orgs (kind, name, path, depth, created_at) VALUES ('street', '别的街道', '/5/', 0, 't') RETURNING id;

-- instr, substr/length on paths, the subtree range, json_each of paths and ids.
SELECT instr('abcabc', 'ca'), instr('abc', 'z'), coalesce(instr(NULL, 'a'), -1), instr('楼道堆物', '堆物');
SELECT id FROM orgs WHERE path >= '/1/' AND path < '/1/' || '~' ORDER BY path;
SELECT id FROM orgs WHERE substr(path, 1, length('/1/2/')) = '/1/2/' ORDER BY id;
SELECT o.id FROM orgs o WHERE EXISTS (SELECT 1 FROM json_each('["/1/2/", "/5/"]') w
  WHERE substr(o.path, 1, length(w.value)) = w.value) ORDER BY o.id;
SELECT count(*) FROM orgs WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each('[1, 3, 99]'));
SELECT value FROM json_each('["a", 7, null, "社区"]');
SELECT count(*) FROM json_each(NULL);
SELECT count(*) FROM json_each('[]');
UPDATE orgs SET path = '/9/' || substr(path, length('/1/') + 1) WHERE substr(path, 1, length('/1/')) = '/1/';
SELECT id, path FROM orgs ORDER BY id;

-- json_group_array, two-argument max/min, round of a double, strftime.
SELECT json_group_array(id) FROM orgs WHERE id < 4;
SELECT json_group_array(id) FROM orgs WHERE id < 0;
SELECT json_group_array(name) FROM (SELECT name FROM orgs ORDER BY id) t;
SELECT json_group_array(code) FROM (SELECT code FROM orgs ORDER BY id) t;
SELECT kind, count(*), json_group_array(depth) FROM orgs GROUP BY kind ORDER BY kind;
SELECT max(1, 2), min(1, 2), coalesce(max(NULL, 1), -1), coalesce(min(2, NULL), -1), min('b', 'a'), max(2, 2.5);
SELECT max(depth, 1) FROM orgs ORDER BY id;
SELECT round(avg(lat), 2), round(avg(lat), 1), round(min(lat) - 3.875, 2) FROM orgs;
SELECT strftime('%Y%m', 20454 * 86400, 'unixepoch'), CAST(strftime('%Y%m', 0, 'unixepoch') AS INTEGER);
SELECT strftime('%Y-%m-%d %H:%M:%S', 1796659200, 'unixepoch');
SELECT CASE WHEN unixepoch() > 1700000000 AND unixepoch() < 4000000000 THEN 'now' END;

-- Upserts with a target, RETURNING. The target table's columns are qualified in
-- DO UPDATE: PostgreSQL finds a bare "value" ambiguous with excluded.value.
INSERT INTO counters (name, value) VALUES ('problem', 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value;
INSERT INTO counters (name, value) VALUES ('problem', 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value;
INSERT INTO settings (key, value) VALUES ('k', 'a') ON CONFLICT (key) DO UPDATE SET value = excluded.value;
INSERT INTO settings (key, value) VALUES ('k', 'b') ON CONFLICT (key) DO UPDATE SET value = excluded.value;
SELECT key, value FROM settings;
INSERT INTO calendar_days (ymd, kind, name) VALUES (20261001, 'H', '国庆') ON CONFLICT (ymd) DO NOTHING RETURNING ymd;
INSERT INTO calendar_days (ymd, kind, name) VALUES (20261001, 'W', 'x') ON CONFLICT (ymd) DO NOTHING RETURNING ymd;

-- Accounts: the login is case-insensitive on both engines.
INSERT INTO accounts (login, display_name, password_hash, created_at) VALUES ('Admin', '管理员', 'h', 't') RETURNING id;
SELECT id, login FROM accounts WHERE login = 'ADMIN';
SELECT count(*) FROM accounts WHERE instr(login, 'dm') > 0;
INSERT INTO webhooks (name, url, events, secret_enc, created_at, updated_at)
  VALUES ('all problems', 'http://x', 'problem.*', 's', 1, 1) RETURNING id;
INSERT INTO webhooks (name, url, events, secret_enc, created_at, updated_at)
  VALUES ('shift events', 'http://y', 'shift.signup.promoted,shift.cancelled,problem.close', 's', 1, 1) RETURNING id;

-- Problems and their history, for kpi_raw and the webhook outbox.
INSERT INTO categories (code, name) VALUES ('env', '环境') RETURNING id;
INSERT INTO problems (code, state, category_id, org_id, handler_org_id, source, description, lat, lng, reporter_id,
                      deadline, accepted_at, closed_at, created_at, updated_at)
  VALUES ('HM-1', 'closed', 1, 2, 3, 'patrol', '楼道堆物', 31.2, 121.4, 1, 1796700000, 1796600000, 1796650000,
          1796500000, 1796650000) RETURNING id;
INSERT INTO problems (code, state, category_id, org_id, source, description, created_at, updated_at)
  VALUES ('HM-2', 'reported', 1, 4, 'open311', '井盖缺失', 1796500000, 1796500000) RETURNING id;
INSERT INTO problems (code, state, category_id, org_id, source, description, accepted_at, created_at, updated_at)
  VALUES ('HM-3', 'dispatched', 1, 4, 'open311', '路灯不亮', 1796590000, 1796500000, 1796590000) RETURNING id;
INSERT INTO problem_events (problem_id, at, action, to_state, data) VALUES (1, 1796500000, 'report', 'reported', '{}');
INSERT INTO problem_events (problem_id, at, action, from_state, to_state, data)
  VALUES (1, 1796550000, 'dispatch', 'accepted', 'dispatched', '{"handler_org_id": 3}');
INSERT INTO problem_events (problem_id, at, action, from_state, to_state, data)
  VALUES (1, 1796600000, 'rectify', 'acknowledged', 'rectified', NULL);
INSERT INTO problem_events (problem_id, at, action, from_state, to_state, data)
  VALUES (1, 1796610000, 'verify_fail', 'rectified', 'acknowledged', NULL);
INSERT INTO problem_events (problem_id, at, action, from_state, to_state, data)
  VALUES (1, 1796650000, 'close', 'rectified', 'closed', NULL);
INSERT INTO problem_events (problem_id, at, action, data) VALUES (1, 1796660000, 'rate', '{"rating": "basically_satisfied"}');
INSERT INTO problem_events (problem_id, at, action, from_state, to_state) VALUES (1, 1796670000, 'reopen', 'closed', 'reopened');
INSERT INTO problem_events (problem_id, at, action, from_state, to_state)
  VALUES (1, 1796680000, 'citizen_reopen', 'closed', 'reopened');
SELECT * FROM kpi_raw ORDER BY day, org_id, handler_org_id, category_id;
SELECT webhook_id, event, problem_id, problem_event_id, created_at, next_at, state FROM webhook_deliveries
  ORDER BY problem_event_id, webhook_id;

-- Shifts and sign-ups: the capacity and overlap rules let these through;
-- the outbox records the sign-up, its promotion, attendance, a cancellation.
INSERT INTO posts (org_id, name, created_at) VALUES (2, '岗位', 1) RETURNING id;
INSERT INTO people (name, org_id, created_at, updated_at) VALUES ('志愿者', 2, 't', 't') RETURNING id;
INSERT INTO volunteers (person_id, org_id, vtype, created_at) VALUES (1, 2, 'resident', 1) RETURNING id;
INSERT INTO shifts (post_id, start_at, end_at, capacity, updated_at) VALUES (1, 1000, 2000, 1, 1) RETURNING id;
INSERT INTO shifts (post_id, start_at, end_at, capacity, updated_at) VALUES (1, 3000, 4000, 2, 1) RETURNING id;
INSERT INTO signups (shift_id, volunteer_id, status, created_at, updated_at) VALUES (1, 1, 'waitlisted', 5, 5) RETURNING id;
UPDATE signups SET status = 'confirmed', updated_at = 6 WHERE id = 1;
UPDATE signups SET attendance = 'attended', updated_at = 7 WHERE id = 1;
INSERT INTO signups (shift_id, volunteer_id, status, created_at, updated_at) VALUES (2, 1, 'confirmed', 8, 8) RETURNING id;
UPDATE shifts SET status = 'cancelled', updated_at = 9 WHERE id = 2;
SELECT webhook_id, event, signup_id, shift_id, created_at FROM webhook_deliveries
  WHERE signup_id IS NOT NULL OR shift_id IS NOT NULL ORDER BY created_at, webhook_id;

-- 008's backfill section, spliced in here by the script, then the roll-ups it built.
-- backfill
SELECT * FROM kpi_day ORDER BY day, org_id, handler_org_id, category_id;
SELECT * FROM kpi_month ORDER BY month, org_id, handler_org_id, category_id;
SELECT * FROM kpi_state ORDER BY org_id, handler_org_id, state;
SELECT * FROM kpi_org_day ORDER BY org_id, dim, day, dim_id;
SELECT * FROM kpi_org_month ORDER BY org_id, dim, month, dim_id;
