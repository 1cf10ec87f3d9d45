/*
 * map_sql.c — what the map and the big screen read: the located problems of
 * the problem list's filter and scope (problem_filter.h) inside a bounding
 * box, and the feed of recent history events with public fields only.
 */
#include "db.h"
#include "scope_sql.h"
#include "problem_filter.h"
#include "store.h"
#include <stdlib.h>

json_t *store_problem_map(const json_t *f, const double *bbox, int limit)
{
	/* The statement per engine (problems_sqlite.c, problems_pg.c): the
	 * box through the R*Tree or the GiST index, then exactly on the doubles. */
	db_stmt *st = db_prep(problem_sql()->map);
	if (!st)
		return NULL;
	struct problem_filter_bound b;
	problem_filter_bind(st, f, &b);
	db_bind_i64(st, 15, limit);
	db_bind_i64(st, 20, bbox != NULL);
	if (bbox) {	/* minLng, minLat, maxLng, maxLat */
		db_bind_double(st, 21, bbox[1]);
		db_bind_double(st, 22, bbox[3]);
		db_bind_double(st, 23, bbox[0]);
		db_bind_double(st, 24, bbox[2]);
	}
	json_t *rows = db_rows(st);
	problem_filter_free(&b);
	return rows;
}

json_t *store_problem_feed(const json_t *filter, int limit)
{
	/* Scope: the problem's community under one of the office/committee
	 * paths, or its handler unit under one of the handler paths. The
	 * community is the problem's org or its nearest ancestor of kind
	 * community (a problem may be filed on a compound or building; public
	 * output names places only down to the community). */
	db_stmt *st = db_prep(
		"SELECT e.id, e.at, e.action, p.code, p.state, c.code AS category, c.name AS category_name,"
		" coalesce((SELECT a.name FROM orgs a WHERE a.kind = 'community'"
		"           AND substr(o.path, 1, length(a.path)) = a.path ORDER BY a.depth DESC LIMIT 1),"
		"          CASE WHEN o.kind IN ('street', 'district', 'city') THEN o.name END) AS community"
		" FROM problem_events e JOIN problems p ON p.id = e.problem_id"
		" JOIN categories c ON c.id = p.category_id JOIN orgs o ON o.id = p.org_id"
		" LEFT JOIN orgs h ON h.id = p.handler_org_id"
		" WHERE (" SCOPE_IN("o.path", "?1") " OR (h.path IS NOT NULL AND " SCOPE_IN("h.path", "?2") "))"
		" AND " SCOPE_UNDER_OPT("o.path", "?3")
		" ORDER BY e.id DESC LIMIT ?4");
	if (!st)
		return NULL;
	scope_bind_paths(st, 1, filter, "scope_org_paths");
	scope_bind_paths(st, 2, filter, "scope_handler_paths");
	scope_bind_under(st, 3, filter, "org_id");
	db_bind_i64(st, 4, limit);
	json_t *rows = db_rows(st);
	return rows;
}
