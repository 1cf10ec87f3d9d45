-- 026: 目标责任书 and 好人好事 beyond the shared columns of 021 (docs/PARTY.md,
-- "targets"): when a letter was issued and who signed it for each side;
-- per item, a staff mark for free-text commitments (done + note) and a
-- manually entered value for metrics the product cannot count yet (知晓率:
-- there are no surveys), with who entered it and when; per good deed, the
-- photo, the reason of a rejection and who recorded the review.
ALTER TABLE targets ADD COLUMN issued_at INTEGER;
ALTER TABLE targets ADD COLUMN issuer_signer TEXT;
ALTER TABLE targets ADD COLUMN receiver_signer TEXT;
ALTER TABLE targets ADD COLUMN signed_on TEXT;
ALTER TABLE target_items ADD COLUMN done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE target_items ADD COLUMN note TEXT;
ALTER TABLE target_items ADD COLUMN manual_value REAL;
ALTER TABLE target_items ADD COLUMN marked_by INTEGER;
ALTER TABLE target_items ADD COLUMN marked_at INTEGER;
ALTER TABLE good_deeds ADD COLUMN photo_id INTEGER;
ALTER TABLE good_deeds ADD COLUMN reject_reason TEXT;
CREATE INDEX targets_year ON targets(year, org_id);
CREATE INDEX good_deeds_state ON good_deeds(state, id);
