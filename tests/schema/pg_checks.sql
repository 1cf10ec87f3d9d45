-- pg_checks.sql — what only PostgreSQL has to prove about schema/pg, run by
-- scripts/schema-compare.sh after tests/schema/dialect.sql on the same
-- database (it uses that file's rows). Every check prints "ok …" or raises,
-- which stops psql (ON_ERROR_STOP) and fails the script.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- The statement must fail with check_violation (23514), the class the
-- driver reports as a constraint, as SQLite's RAISE(ABORT) is.
CREATE FUNCTION pg_temp.refused(stmt text, message text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  got text;
BEGIN
  BEGIN
    EXECUTE stmt;
  EXCEPTION WHEN check_violation THEN
    GET STACKED DIAGNOSTICS got = MESSAGE_TEXT;
    IF got <> message THEN
      RAISE EXCEPTION 'refused with "%", not "%": %', got, message, stmt;
    END IF;
    RETURN 'ok refused: ' || stmt;
  END;
  RAISE EXCEPTION 'not refused: %', stmt;
END $$;

CREATE FUNCTION pg_temp.plan_uses(query text, index_name text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  plan text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
    plan := plan || line || E'\n';
  END LOOP;
  IF position(index_name IN plan) = 0 THEN
    RAISE EXCEPTION 'the plan does not use %: %', index_name, plan;
  END IF;
  RETURN 'ok ' || index_name || ' serves: ' || query;
END $$;

CREATE FUNCTION pg_temp.expect(ok boolean, what text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'check failed: %', what;
  END IF;
  RETURN 'ok ' || what;
END $$;

-- Append-only and immutable tables.
INSERT INTO audit (at, action, resource) VALUES ('t', 'create', 'account');
SELECT pg_temp.refused('UPDATE audit SET note = ''x''', 'audit log is append-only');
SELECT pg_temp.refused('DELETE FROM audit', 'audit log is append-only');
SELECT pg_temp.refused('TRUNCATE audit', 'audit log is append-only');
SELECT pg_temp.refused('UPDATE problem_events SET note = ''x''', 'problem history is append-only');
SELECT pg_temp.refused('DELETE FROM problem_events', 'problem history is append-only');
SELECT pg_temp.refused('TRUNCATE problem_events CASCADE', 'problem history is append-only');

INSERT INTO site_types (code, name) VALUES ('t', '类型');
INSERT INTO checklists (site_type_id, version, created_at) VALUES (1, 1, 1);
INSERT INTO checklist_items (checklist_id, seq, text) VALUES (1, 1, '整洁');
SELECT pg_temp.refused('UPDATE checklist_items SET text = ''x''', 'checklist versions are immutable');
SELECT pg_temp.expect((SELECT weight FROM checklist_items) = 1, 'checklist_items.weight defaults to 1');

INSERT INTO service_records (volunteer_id, org_id, activity_name, service_date, hours, status, created_at)
  VALUES (1, 2, '服务', '2026-12-07', 2.5, 'pending', 1), (1, 2, '服务', '2026-12-07', 1, 'approved', 1);
UPDATE service_records SET hours = 3 WHERE status = 'pending';
SELECT pg_temp.expect((SELECT hours FROM service_records WHERE status = 'pending') = 3, 'a pending service record can change');
SELECT pg_temp.refused('UPDATE service_records SET hours = 4 WHERE status = ''approved''',
                       'service record is immutable once decided');
SELECT pg_temp.refused('DELETE FROM service_records WHERE status = ''approved''',
                       'approved service records cannot be deleted');
DELETE FROM service_records WHERE status = 'pending';
SELECT pg_temp.expect((SELECT count(*) FROM service_records) = 1, 'a pending service record can be deleted');

INSERT INTO bank_accounts (kind, ref_id, created_at) VALUES ('issuer', 2, 1), ('member', 1, 1);
INSERT INTO bank_entries (debit_id, credit_id, amount, source_kind, source_id, created_at) VALUES (1, 2, 10, 'manual', 1, 1);
SELECT pg_temp.refused('UPDATE bank_entries SET amount = 20', 'bank entries are append-only');
SELECT pg_temp.refused('DELETE FROM bank_entries', 'bank entries are append-only');
SELECT pg_temp.refused('UPDATE bank_accounts SET balance = -1 WHERE kind = ''member''',
                       'new row for relation "bank_accounts" violates check constraint "bank_accounts_check"');

-- The sign-up rules (capacity, overlap) are the store's C since 019 (docs/ARCHITECTURE.md,
-- "Rules that hold across servers"); the API suite tests them on both engines.
SELECT pg_temp.refused('UPDATE volunteers SET calendar_token = ''plain''',
                       'new row for relation "volunteers" violates check constraint "volunteers_calendar_token_unused"');

-- Parameters as the driver sends them (untyped text): json_each($1) is the
-- text overload; a 0/1 parameter reads as a boolean in CASE WHEN; max()
-- takes an untyped operand. A parameter typed text still finds a login
-- whatever its case.
PREPARE je AS SELECT count(*) FROM json_each($1) w WHERE CAST(w.value AS BIGINT) > 1;
SELECT pg_temp.expect((SELECT parameter_types::text FROM pg_prepared_statements WHERE name = 'je') = '{text}',
                      'json_each($1) resolves to json_each(text)');
CREATE TEMP TABLE r AS EXECUTE je('[1, 2, 3]');
SELECT pg_temp.expect((SELECT count FROM r) = 2, 'json_each($1) walks the array');
DROP TABLE r;
PREPARE cw AS SELECT CASE WHEN $1 THEN 'yes' ELSE 'no' END AS a, max($2 - 1, 0) AS m;
CREATE TEMP TABLE r AS EXECUTE cw('1', '5');
SELECT pg_temp.expect((SELECT a = 'yes' AND m = 4 FROM r), 'CASE WHEN $1 and max($2 - 1, 0) take untyped parameters');
DROP TABLE r;
PREPARE lg(text) AS SELECT id FROM accounts WHERE login = $1;
CREATE TEMP TABLE r AS EXECUTE lg('aDMIN');
SELECT pg_temp.expect((SELECT count(*) FROM r) = 1, 'login = $1::text ignores case');
DROP TABLE r;
DO $$ BEGIN
  INSERT INTO accounts (login, display_name, password_hash, created_at) VALUES ('ADMIN', 'x', 'x', 't');
  RAISE EXCEPTION 'a login differing only in case was accepted';
EXCEPTION WHEN unique_violation THEN NULL;
END $$;
SELECT 'ok a login differing only in case is a unique violation';

-- Compat functions at their edges.
SELECT pg_temp.expect(pg_typeof(unixepoch()) = 'bigint'::regtype, 'unixepoch() is bigint');
SELECT pg_temp.expect(json_group_array(x)::text = '[1,null,"a\"b"]', 'json_group_array quotes and keeps NULL')
  FROM (VALUES ('1'::json), (NULL), (to_json('a"b'::text))) v(x);
DO $$ BEGIN
  PERFORM strftime('%W', 0, 'unixepoch');
  RAISE EXCEPTION 'an unsupported strftime format went through';
EXCEPTION WHEN feature_not_supported THEN NULL;
END $$;
SELECT 'ok strftime refuses what it does not implement';
SELECT pg_temp.expect(length(randomblob(8)) = 8 AND randomblob(8) <> randomblob(8), 'randomblob(8) is 8 random bytes');

-- Search: a trigram index over simplified text finds Chinese substrings.
INSERT INTO problems_search (problem_id, body) VALUES (1, 'hm-1 环境 社区甲 楼道堆物'), (2, 'hm-2 环境 网格 井盖缺失');
SET enable_seqscan = off;
SELECT pg_temp.plan_uses('SELECT problem_id FROM problems_search WHERE body ILIKE ''%楼道堆物%''', 'problems_search_body');
SELECT pg_temp.expect((SELECT json_group_array(problem_id)::text FROM problems_search WHERE body ILIKE '%楼道堆%') = '[1]',
                      'ILIKE finds a Chinese substring');
SELECT pg_temp.expect((SELECT count(*) FROM problems_search WHERE body ILIKE '%HM-2%') = 1, 'the match ignores case');

-- Nearby: the GiST index over point(lng, lat) answers the bounding box.
SELECT pg_temp.plan_uses('SELECT id FROM problems p WHERE point(p.lng, p.lat) <@ box(point(121.3, 31.1), point(121.5, 31.3))',
                         'problems_point');
SELECT pg_temp.expect((SELECT json_group_array(id)::text FROM problems p
                        WHERE point(p.lng, p.lat) <@ box(point(121.3, 31.1), point(121.5, 31.3))) = '[1]',
                      'the box finds the problem with a location, not those without');
RESET enable_seqscan;
DELETE FROM problems_search WHERE problem_id = 2;
SELECT pg_temp.expect((SELECT count(*) FROM problems_search) = 1, 'problems_search rows are deleted by problem_id');
