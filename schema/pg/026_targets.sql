-- 026: 目标责任书 and 好人好事 beyond 021 (see schema/sqlite/026).
ALTER TABLE targets ADD COLUMN issued_at BIGINT;
ALTER TABLE targets ADD COLUMN issuer_signer TEXT;
ALTER TABLE targets ADD COLUMN receiver_signer TEXT;
ALTER TABLE targets ADD COLUMN signed_on TEXT;
ALTER TABLE target_items ADD COLUMN done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE target_items ADD COLUMN note TEXT;
ALTER TABLE target_items ADD COLUMN manual_value DOUBLE PRECISION;
ALTER TABLE target_items ADD COLUMN marked_by BIGINT;
ALTER TABLE target_items ADD COLUMN marked_at BIGINT;
ALTER TABLE good_deeds ADD COLUMN photo_id BIGINT;
ALTER TABLE good_deeds ADD COLUMN reject_reason TEXT;
CREATE INDEX targets_year ON targets(year, org_id);
CREATE INDEX good_deeds_state ON good_deeds(state, id);
