/*
 * problems_pg.c — the problem list's and the map's statements on PostgreSQL
 * (problem_filter.h): the full-text phrase through pg_trgm (search_pg.c),
 * the map's box through the GiST index on point(lng, lat) (schema/pg/005),
 * and no planner hints: PostgreSQL chooses between problems_org,
 * problems_created and the primary key from its statistics. The plans keep
 * SQLite's shapes (the driving condition first), so both engines get the
 * same rows from the same statement families.
 */
#include "nearby.h"
#include "problem_filter.h"
#include "search.h"

#define WHERE_PG PROBLEM_FILTER_WHERE(SEARCH_BODY_HAS_16_PG, SEARCH_AND_PHRASE_PG)
/* The phrase plan drives on the matches and leaves the same test out of the
 * filter: PostgreSQL cannot see that the two are one (an OR'ed IN stays a
 * hashed subplan) and would filter a scan of every problem with it
 * (measured: a sequential scan of 200,000 rows instead of 100 lookups). */
#define WHERE_PG_PHRASE PROBLEM_FILTER_WHERE(SEARCH_BODY_HAS_16_PG, "")

const struct problem_sql problem_sql_pg = {
	.list_generic = "SELECT " PROBLEM_COLS LIST_PATHS PROBLEM_FROM " WHERE " WHERE_PG LIST_TAIL,
	.list_by_phrase = "SELECT " PROBLEM_COLS LIST_PATHS PROBLEM_FROM
		" WHERE p.id IN (" SEARCH_IDS_PG ") AND " WHERE_PG_PHRASE LIST_TAIL,
	.list_by_subtree = "SELECT " PROBLEM_COLS LIST_PATHS PROBLEM_FROM
		" WHERE p.org_id IN (SELECT id FROM orgs WHERE path >= ?3 AND path < ?3 || '~') AND "
		WHERE_PG LIST_TAIL,
	.list_by_period = "SELECT " PROBLEM_COLS LIST_PATHS PROBLEM_FROM
		" WHERE p.created_at >= ?7 AND p.created_at < ?8 AND " WHERE_PG LIST_TAIL,
	/* The GiST index answers the box; <@ compares with a tolerance of
	 * 1e-6 degrees, so the exact comparison on the doubles follows. */
	.map = "SELECT " MAP_COLS PROBLEM_FROM " WHERE " WHERE_PG
		" AND p.lat IS NOT NULL AND p.lng IS NOT NULL"
		" AND (?20 = 0 OR (" GEO_BOX_PG("?21", "?22", "?23", "?24")
		"      AND p.lat BETWEEN ?21 AND ?22 AND p.lng BETWEEN ?23 AND ?24))"
		" ORDER BY p.id DESC LIMIT ?15",
};
