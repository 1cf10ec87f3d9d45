-- 005 likely duplicates (SPEC §3 "Duplicates"): a spatial index of problem
-- locations and the co-reporters who joined an existing problem.
--
-- problems_geo is an R*Tree with one point (a zero-size box) per problem
-- that has a location; rowid = problems.id. Triggers keep it in sync whatever
-- path writes problems (API, Open311, demo), so no caller has to remember.
-- The R*Tree stores 32-bit floats rounded outward, so it is only the coarse
-- filter: the exact distance is computed from problems.lat/lng (doubles).
CREATE VIRTUAL TABLE problems_geo USING rtree(id, min_lat, max_lat, min_lng, max_lng);

INSERT INTO problems_geo (id, min_lat, max_lat, min_lng, max_lng)
  SELECT id, lat, lat, lng, lng FROM problems WHERE lat IS NOT NULL AND lng IS NOT NULL;

CREATE TRIGGER problems_geo_insert AFTER INSERT ON problems
  WHEN NEW.lat IS NOT NULL AND NEW.lng IS NOT NULL
BEGIN
  INSERT INTO problems_geo (id, min_lat, max_lat, min_lng, max_lng) VALUES (NEW.id, NEW.lat, NEW.lat, NEW.lng, NEW.lng);
END;

CREATE TRIGGER problems_geo_update AFTER UPDATE OF lat, lng ON problems
BEGIN
  DELETE FROM problems_geo WHERE id = OLD.id;
  INSERT INTO problems_geo (id, min_lat, max_lat, min_lng, max_lng)
    SELECT NEW.id, NEW.lat, NEW.lat, NEW.lng, NEW.lng WHERE NEW.lat IS NOT NULL AND NEW.lng IS NOT NULL;
END;

CREATE TRIGGER problems_geo_delete AFTER DELETE ON problems
BEGIN
  DELETE FROM problems_geo WHERE id = OLD.id;
END;

-- Co-reporters: accounts that said "this is the same problem" and joined it
-- instead of reporting again. They see the problem like its reporter does.
CREATE TABLE problem_followers (
  problem_id INTEGER NOT NULL REFERENCES problems(id),
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  joined_at  INTEGER NOT NULL,
  PRIMARY KEY (problem_id, account_id)
) WITHOUT ROWID;
CREATE INDEX problem_followers_account ON problem_followers(account_id, problem_id);
