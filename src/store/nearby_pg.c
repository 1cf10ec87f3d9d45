/*
 * nearby_pg.c — the coarse box of "nearby" on PostgreSQL (nearby.h): the
 * GiST index problems_point on point(lng, lat) of problems itself
 * (schema/pg/005), so there is no side table to keep in sync. The query
 * repeats the index's expression exactly, or the index is not used. The
 * built-in point type, not PostGIS: docs/ARCHITECTURE.md says why. <@
 * compares with PostgreSQL's geometric tolerance (1e-6 degrees, ~0.1 m), so
 * it only narrows, like the R*Tree; the caller measures exactly.
 */
#include "nearby.h"

#define PG_BOX GEO_BOX_PG("?2", "?3", "?4", "?5")

const struct nearby_sql nearby_sql_pg = {
	.problems = "SELECT " NEARBY_COLS
		" FROM problems p JOIN categories c ON c.id = p.category_id"
		" JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs h ON h.id = p.handler_org_id"
		" WHERE " PG_BOX NEARBY_STATE,
	.spot_occurrences = "SELECT id, created_at, lat, lng, relapses, seq, transitions AS \"transitions:json\""
		" FROM (SELECT p.id, p.created_at, p.closed_at, p.lat, p.lng," SPOT_TRANSITIONS "," SPOT_RELAPSES("?6")
		" FROM problems p WHERE " PG_BOX
		" AND p.category_id = ?1 AND p.state NOT IN (" WF_SQL_VOID ")) AS s"
		" WHERE created_at >= ?6 OR relapses > 0 OR coalesce(closed_at, ?6) >= ?6",
};
