-- 022 party organisations (PostgreSQL, the same as schema/sqlite/022) (api/party_orgs.c, party_members.c; docs/PARTY.md):
-- the buildings a 楼道党小组 covers, and 党员先锋岗 on volunteer posts (亮身份).
CREATE TABLE party_org_places (
  org_id       BIGINT NOT NULL REFERENCES orgs(id),
  place_org_id BIGINT NOT NULL REFERENCES orgs(id),
  PRIMARY KEY (org_id, place_org_id)
);
CREATE INDEX party_org_places_place ON party_org_places(place_org_id);

ALTER TABLE posts ADD COLUMN vanguard BIGINT NOT NULL DEFAULT 0 CHECK (vanguard IN (0, 1));

-- The building a 党员楼长 / 中心户 answers for (party_members.duty).
ALTER TABLE party_members ADD COLUMN duty_place_id BIGINT REFERENCES orgs(id);
