/*
 * nearby_sqlite.c — the coarse box of "nearby" on SQLite (nearby.h): the
 * R*Tree problems_geo (schema/sqlite/005), one zero-size box per located
 * problem, rowid = problems.id, kept by triggers. It stores 32-bit floats
 * rounded outward, so it only narrows; the caller measures exactly.
 */
#include "nearby.h"

#define SQLITE_BOX GEO_BOX_SQLITE("g", "?2", "?3", "?4", "?5")

const struct nearby_sql nearby_sql_sqlite = {
	.problems = "SELECT " NEARBY_COLS
		" FROM problems_geo g JOIN problems p ON p.id = g.id JOIN categories c ON c.id = p.category_id"
		" JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs h ON h.id = p.handler_org_id"
		" WHERE " SQLITE_BOX NEARBY_STATE,
	.spot_occurrences = "SELECT id, created_at, lat, lng, relapses, seq, transitions AS \"transitions:json\""
		" FROM (SELECT p.id, p.created_at, p.closed_at, p.lat, p.lng," SPOT_TRANSITIONS "," SPOT_RELAPSES("?6")
		" FROM problems_geo g JOIN problems p ON p.id = g.id"
		" WHERE " SQLITE_BOX
		/* +category_id: the box on the R*Tree must drive the search. With a
		 * plain category_id the planner walks the category's index and
		 * probes the R*Tree per row — every problem of that category, city-wide. */
		" AND +p.category_id = ?1 AND p.state NOT IN (" WF_SQL_VOID ")) AS s"
		" WHERE created_at >= ?6 OR relapses > 0 OR coalesce(closed_at, ?6) >= ?6",
};
