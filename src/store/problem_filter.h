/*
 * problem_filter.h — the problem list's filter and visibility scope as one
 * SQL WHERE clause, shared by every statement that must answer the same set
 * of problems as GET /api/v1/problems (the list, the map). Internal to the
 * store. The statement must join PROBLEM_FROM's aliases (p, c, o, h).
 */
#ifndef WM_PROBLEM_FILTER_H
#define WM_PROBLEM_FILTER_H
#include "db.h"
#include "core/workflow.h"
#include "scope_sql.h"

#define PROBLEM_FROM " FROM problems p JOIN categories c ON c.id = p.category_id JOIN orgs o ON o.id = p.org_id" \
	" LEFT JOIN orgs h ON h.id = p.handler_org_id"

/* Parameters ?1–?13, ?16–?19 and ?30 (see store_problem_list in store.h for
 * the filter keys); ?14, ?15 and ?20–?29 are the statement's own. ?30, the
 * co-reporter ("scope_follower"), is set only where the caller shows such
 * rows with their public fields (the list), never for the map or ledgers.
 * Two pieces differ per engine (search.h): BODY_HAS_16, whether p's search
 * row contains ?16 (the short-query fallback), and AND_PHRASE_19, the
 * clause " AND (?19 IS NULL OR p.id IN (<ids whose row matches ?19>))".
 * The engines' files (problems_sqlite.c, problems_pg.c) expand this into
 * static statement texts. */
#define PROBLEM_FILTER_WHERE(BODY_HAS_16, AND_PHRASE_19) \
	"(?1 IS NULL OR p.state IN (SELECT value FROM json_each(?1)))" \
	" AND (?2 IS NULL OR p.category_id = ?2 OR c.parent_id = ?2)" \
	" AND " SCOPE_UNDER_OPT("o.path", "?3") \
	" AND (?4 IS NULL OR p.handler_org_id = ?4)" \
	" AND (?5 IS NULL OR p.source = ?5)" \
	" AND (?6 IS NULL OR (p.state IN (" WF_SQL_CLOCK ") AND p.deadline < ?6))" \
	" AND (?7 IS NULL OR p.created_at >= ?7)" \
	" AND (?8 IS NULL OR p.created_at < ?8)" \
	" AND (?9 IS NULL OR p.reporter_id = ?9" \
	"      OR EXISTS (SELECT 1 FROM problem_followers f WHERE f.problem_id = p.id AND f.account_id = ?9))" \
	" AND (?10 = 1" \
	"      OR " SCOPE_IN("o.path", "?11") \
	"      OR (h.path IS NOT NULL AND " SCOPE_IN("h.path", "?12") ")" \
	"      OR p.reporter_id = ?13" \
	"      OR EXISTS (SELECT 1 FROM problem_followers f WHERE f.problem_id = p.id AND f.account_id = ?30))" \
	" AND (?16 IS NULL OR instr(p.description, ?16) > 0 OR p.code = ?16" \
	"      OR " BODY_HAS_16 ")" \
	" AND (?17 IS NULL OR p.code IN (SELECT value FROM json_each(?17)))" \
	" AND (?18 IS NULL OR c.code IN (SELECT value FROM json_each(?18)))" \
	AND_PHRASE_19

/* The list's columns and the page's tail (cursor ?14, limit ?15). */
#define PROBLEM_COLS "p.id, p.code, p.state, c.code AS category, c.name AS category_name, p.category_id," \
	" p.org_id, o.name AS org_name, p.site_id, p.handler_org_id, h.name AS handler_name, p.source, p.urgency," \
	" p.description, p.address, p.lat, p.lng, p.reporter_id, p.merged_into, p.reopened_from," \
	" p.rework_count, p.relapse_count, p.dispatched_at, p.deadline, p.deadline_unit, p.ext_requested," \
	" p.reminded_at, p.escalated_at, p.rectified_at, p.rectifier_id, p.closed_at, p.closed_by," \
	" p.created_at, p.updated_at"
/* The caller decides per row what the account may see (a co-reporter only
 * the public fields): the paths its grants are matched against. */
#define LIST_PATHS ", o.path AS org_path, h.path AS handler_path"
#define LIST_TAIL " AND (?14 = 0 OR p.id < ?14) ORDER BY p.id DESC LIMIT ?15"
/* The map's columns; its box is ?20 (0: none) and ?21–?24 (min_lat, max_lat,
 * min_lng, max_lng), its limit ?15. */
#define MAP_COLS "p.id, p.code, p.lat, p.lng, p.state, c.code AS category, c.name AS category_name, p.org_id," \
	" p.deadline"

/* The statements over the filter, one text per engine and plan (see
 * store_problem_list for the plans): problems_sqlite.c (FTS5 and the R*Tree,
 * INDEXED BY hints) and problems_pg.c (pg_trgm and a GiST index on points,
 * PostgreSQL's own planner). The statement cache keys on the text's address,
 * so each is one static string. */
struct problem_sql {
	const char *list_generic, *list_by_phrase, *list_by_subtree, *list_by_period;
	const char *map;
};
extern const struct problem_sql problem_sql_sqlite, problem_sql_pg;
/* The set of the engine in use (db_backend()). */
const struct problem_sql *problem_sql(void);

/* What the binding allocated; must outlive the statement's steps. */
struct problem_filter_bound {
	char *under, *phrase;
};
void problem_filter_bind(db_stmt *st, const json_t *f, struct problem_filter_bound *b);
void problem_filter_free(struct problem_filter_bound *b);
#endif
