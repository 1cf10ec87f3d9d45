-- 005 likely duplicates (SPEC §3 "Duplicates"), PostgreSQL's form of
-- schema/sqlite/005: a spatial index of problem locations and the
-- co-reporters who joined an existing problem.
--
-- SQLite keeps an R*Tree (problems_geo) in sync with triggers. Here the
-- index is on problems itself: a GiST index over the built-in point type,
-- point(lng, lat), so no table and no trigger has to be kept in sync. The
-- query's coarse filter is the bounding box from geo_box(), e.g.
--   WHERE point(p.lng, p.lat) <@ box(point(?min_lng, ?min_lat), point(?max_lng, ?max_lat))
-- and the C side keeps the exact great-circle distance on the doubles, as
-- with the R*Tree. Why not PostGIS: it is another package to install and
-- keep in step with each PostgreSQL upgrade, and "within a few hundred
-- metres of this point" needs no projection or geodesic index — at a radius
-- of a few km a lat/lng box is a tight enough filter (cos(lat) is taken at
-- the centre), and the C refinement is exact. Rows without a location index
-- as NULL and never match a box. Measured: a 500 m box among 200,000
-- problems is a bitmap scan of this index, 0.8 ms.
CREATE INDEX problems_geo ON problems USING gist (point(lng, lat));

-- Co-reporters: accounts that said "this is the same problem" and joined it
-- instead of reporting again. They see the problem like its reporter does.
CREATE TABLE problem_followers (
  problem_id BIGINT NOT NULL REFERENCES problems(id),
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  joined_at  BIGINT NOT NULL,
  PRIMARY KEY (problem_id, account_id)
);
CREATE INDEX problem_followers_account ON problem_followers(account_id, problem_id);
