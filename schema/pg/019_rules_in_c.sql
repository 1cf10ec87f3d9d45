-- 019 business rules in C (docs/ARCHITECTURE.md, "Rules that hold across
-- servers"). On SQLite this version drops the triggers that enforced sign-up
-- capacity and overlap and wrote the webhook outbox; the store's C now does
-- both on every engine. The PostgreSQL schema never had those triggers, so
-- there is nothing to do here: the file exists so that both engines' schema
-- versions stay in step.
SELECT 1;
