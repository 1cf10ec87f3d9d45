/*
 * problems_sqlite.c — the problem list's and the map's statements on SQLite
 * (problem_filter.h): the full-text phrase through FTS5, the map's box
 * through the R*Tree problems_geo, and INDEXED BY on the plans whose index
 * must drive the search (store_problem_list explains the choice;
 * tests/api/list-plans.test.mjs checks the plans).
 */
#include "nearby.h"
#include "problem_filter.h"
#include "search.h"

#define WHERE_SQLITE PROBLEM_FILTER_WHERE(SEARCH_BODY_HAS_16_SQLITE, SEARCH_AND_PHRASE_SQLITE)
#define JOINS " JOIN categories c ON c.id = p.category_id" \
	" JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs h ON h.id = p.handler_org_id"

const struct problem_sql problem_sql_sqlite = {
	.list_generic = "SELECT " PROBLEM_COLS LIST_PATHS PROBLEM_FROM " WHERE " WHERE_SQLITE LIST_TAIL,
	.list_by_phrase = "SELECT " PROBLEM_COLS LIST_PATHS PROBLEM_FROM
		" WHERE p.id IN (" SEARCH_IDS_SQLITE ") AND " WHERE_SQLITE LIST_TAIL,
	.list_by_subtree = "SELECT " PROBLEM_COLS LIST_PATHS " FROM problems p INDEXED BY problems_org" JOINS
		" WHERE p.org_id IN (SELECT id FROM orgs WHERE path >= ?3 AND path < ?3 || '~') AND "
		WHERE_SQLITE LIST_TAIL,
	.list_by_period = "SELECT " PROBLEM_COLS LIST_PATHS " FROM problems p INDEXED BY problems_created" JOINS
		" WHERE p.created_at >= ?7 AND p.created_at < ?8 AND " WHERE_SQLITE LIST_TAIL,
	/* The R*Tree narrows to the box; its 32-bit corners are rounded
	 * outward, so the exact comparison on the stored doubles follows. */
	.map = "SELECT " MAP_COLS PROBLEM_FROM " WHERE " WHERE_SQLITE
		" AND p.lat IS NOT NULL AND p.lng IS NOT NULL"
		" AND (?20 = 0 OR (p.id IN (SELECT g.id FROM problems_geo g WHERE "
		GEO_BOX_SQLITE("g", "?21", "?22", "?23", "?24") ")"
		"      AND p.lat BETWEEN ?21 AND ?22 AND p.lng BETWEEN ?23 AND ?24))"
		" ORDER BY p.id DESC LIMIT ?15",
};
