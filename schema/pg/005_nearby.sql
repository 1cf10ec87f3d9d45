-- 005 likely duplicates (SPEC §3 "Duplicates"), PostgreSQL's form of
-- schema/sqlite/005: a spatial index of problem locations and the
-- co-reporters who joined an existing problem.
--
-- SQLite keeps an R*Tree (problems_geo) in sync with triggers. Here the
-- index is on problems itself: GiST over the built-in point type,
-- point(lng, lat), so there is no table or trigger to keep in step. The
-- queries (src/store/nearby_pg.c, problems_pg.c) repeat the expression
-- exactly, as PostgreSQL needs to use an expression index:
--   point(p.lng, p.lat) <@ box(point(min_lng, min_lat), point(max_lng, max_lat))
-- with the box from geo_box(); the exact great-circle distance is then
-- computed in C on the doubles, as on SQLite. Why not PostGIS:
-- docs/ARCHITECTURE.md ("Nearby"). Rows without a location index a NULL
-- point and never match a box.
CREATE INDEX problems_point ON problems USING gist (point(lng, lat));

-- Co-reporters: accounts that said "this is the same problem" and joined it
-- instead of reporting again. They see the problem like its reporter does.
CREATE TABLE problem_followers (
  problem_id BIGINT NOT NULL REFERENCES problems(id),
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  joined_at  BIGINT NOT NULL,
  PRIMARY KEY (problem_id, account_id)
);
CREATE INDEX problem_followers_account ON problem_followers(account_id, problem_id);
