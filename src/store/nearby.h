/*
 * nearby.h — "near this point" queries, where the engines differ only in the
 * coarse filter: SQLite walks the R*Tree problems_geo (schema/sqlite/005,
 * kept by triggers), PostgreSQL a GiST index on point(lng, lat) of problems
 * itself (schema/pg/005). Both take the box from geo_box() (db.h), which
 * contains the circle; the exact great-circle distance is then computed in C
 * on the stored doubles (haversine_m), identically for both.
 *
 *   SQLite      nearby_sqlite.c
 *   PostgreSQL  nearby_pg.c
 *
 * Parameters of both statements: ?1 the category, ?2–?5 the box (min_lat,
 * max_lat, min_lng, max_lng); nearby: ?6 the problem to leave out;
 * spot_occurrences: ?6 the start of the window. Internal to the store.
 */
#ifndef WM_NEARBY_H
#define WM_NEARBY_H
#include "core/workflow.h"

struct nearby_sql {
	/* Open problems of the category (or its 小类) in the box (nearby_sql.c). */
	const char *problems;
	/* A chronic spot's problems in the box with their history since ?6
	 * (revisits_sql.c, store_spot_occurrences). */
	const char *spot_occurrences;
};
extern const struct nearby_sql nearby_sql_sqlite, nearby_sql_pg;
const struct nearby_sql *nearby_sql(void);

/* The coarse box, written once per engine for the "nearby" statements and
 * the map's (problems_sqlite.c, problems_pg.c); a–d are the parameters of
 * min_lat, max_lat, min_lng, max_lng. SQLite: the R*Tree row g overlaps the
 * box. PostgreSQL: the problem's point lies in it, spelt exactly as the GiST
 * index problems_point's expression, or the index is not used. */
#define GEO_BOX_SQLITE(g, a, b, c, d) \
	g ".max_lat >= " a " AND " g ".min_lat <= " b " AND " g ".max_lng >= " c " AND " g ".min_lng <= " d
#define GEO_BOX_PG(a, b, c, d) "point(p.lng, p.lat) <@ box(point(" c ", " a "), point(" d ", " b "))"

#define NEARBY_COLS "p.id, p.code, p.state, c.code AS category, c.name AS category_name, p.description," \
	" p.lat, p.lng, p.created_at," \
	" 1 + (SELECT count(*) FROM problem_followers f WHERE f.problem_id = p.id) AS reporter_count," \
	" p.reporter_id, o.path AS org_path, h.path AS handler_path"
#define NEARBY_STATE " AND (p.category_id = ?1 OR c.parent_id = ?1)" \
	" AND p.state NOT IN (" WF_SQL_FINAL ") AND p.id <> ?6"

/* A problem's first event (its report) and its closings and reopenings in
 * order, by event id: the global event sequence orders them across problems
 * even within one second. Shared with revisits_sql.c's by-site statement. */
#define SPOT_TRANSITIONS " (SELECT min(e.id) FROM problem_events e WHERE e.problem_id = p.id) AS seq," \
	" (SELECT coalesce(json_group_array(json_array(t.id, t.action)), '[]') FROM (SELECT e.id, e.action FROM problem_events e" \
	" WHERE e.problem_id = p.id AND e.action IN ('verify_pass', 'reopen', 'citizen_reopen') ORDER BY e.id) t)" \
	" AS transitions"
/* A relapse is a reopen event (the reopen action or a failed revisit). */
#define SPOT_RELAPSES(since) " (SELECT count(*) FROM problem_events e WHERE e.problem_id = p.id" \
	" AND e.action = 'reopen'  AND e.at >= " since ") AS relapses"
#endif
