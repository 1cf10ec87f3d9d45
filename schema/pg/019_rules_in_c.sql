-- 019 business rules in C, the same on every engine (docs/ARCHITECTURE.md,
-- "Rules that hold across servers"). Versions 011 and 014 translated
-- SQLite's business-rule triggers as they were: sign-up capacity and overlap,
-- and the webhook outbox rows. The store's C now does both inside the
-- write's transaction (shifts_sql.c, problems_sql.c, webhook_outbox.c), so
-- the triggers go, as on SQLite; kept, they would refuse twice and enqueue
-- every delivery twice. The append-only guards (wm_refuse) stay.
DROP TRIGGER IF EXISTS signups_capacity_ins ON signups;
DROP TRIGGER IF EXISTS signups_capacity_upd ON signups;
DROP TRIGGER IF EXISTS signups_overlap ON signups;
DROP TRIGGER IF EXISTS webhook_problem_event ON problem_events;
DROP TRIGGER IF EXISTS webhook_signup_insert ON signups;
DROP TRIGGER IF EXISTS webhook_signup_status ON signups;
DROP TRIGGER IF EXISTS webhook_signup_attendance ON signups;
DROP TRIGGER IF EXISTS webhook_shift_cancelled ON shifts;
DROP FUNCTION IF EXISTS wm_signups_capacity();
DROP FUNCTION IF EXISTS wm_signups_overlap();
DROP FUNCTION IF EXISTS wm_webhook_problem_event();
DROP FUNCTION IF EXISTS wm_webhook_signup_insert();
DROP FUNCTION IF EXISTS wm_webhook_signup_status();
DROP FUNCTION IF EXISTS wm_webhook_signup_attendance();
DROP FUNCTION IF EXISTS wm_webhook_shift_cancelled();
DROP FUNCTION IF EXISTS wm_webhook_enqueue(text, bigint, bigint, bigint, bigint, bigint);
