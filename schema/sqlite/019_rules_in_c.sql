-- 019 business rules in C, the same on every engine (docs/ARCHITECTURE.md,
-- "Rules that hold across servers"). The sign-up capacity and overlap checks
-- and the webhook outbox rows were SQLite triggers; the store functions that
-- make these writes (shifts_sql.c, problems_sql.c, webhook_outbox.c) now do
-- both themselves, inside the write's transaction, so PostgreSQL runs the
-- same rule. The append-only guards (audit, problem_events, checklist_items,
-- service_records, bank_entries) stay: they are integrity constraints, and
-- the PostgreSQL schema has them too.
DROP TRIGGER IF EXISTS signups_capacity_ins;
DROP TRIGGER IF EXISTS signups_capacity_upd;
DROP TRIGGER IF EXISTS signups_overlap;
DROP TRIGGER IF EXISTS webhook_problem_event;
DROP TRIGGER IF EXISTS webhook_signup_insert;
DROP TRIGGER IF EXISTS webhook_signup_status;
DROP TRIGGER IF EXISTS webhook_signup_attendance;
DROP TRIGGER IF EXISTS webhook_shift_cancelled;
