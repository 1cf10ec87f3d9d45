/*
 * problem_filter.h — the problem list's filter and visibility scope as one
 * SQL WHERE clause, shared by every statement that must answer the same set
 * of problems as GET /api/v1/problems (the list, the map). Internal to the
 * store. The statement must join PROBLEM_FROM's aliases (p, c, o, h).
 */
#ifndef WM_PROBLEM_FILTER_H
#define WM_PROBLEM_FILTER_H
#include "db.h"

#define PROBLEM_FROM " FROM problems p JOIN categories c ON c.id = p.category_id JOIN orgs o ON o.id = p.org_id" \
	" LEFT JOIN orgs h ON h.id = p.handler_org_id"

/* Parameters ?1–?13, ?16–?19 and ?30 (see store_problem_list in store.h for
 * the filter keys); ?14, ?15 and ?20–?29 are the statement's own. ?30, the
 * co-reporter ("scope_follower"), is set only where the caller shows such
 * rows with their public fields (the list), never for the map or ledgers. */
#define PROBLEM_FILTER_WHERE \
	"(?1 IS NULL OR p.state IN (SELECT value FROM json_each(?1)))" \
	" AND (?2 IS NULL OR p.category_id = ?2 OR c.parent_id = ?2)" \
	" AND (?3 IS NULL OR substr(o.path, 1, length(?3)) = ?3)" \
	" AND (?4 IS NULL OR p.handler_org_id = ?4)" \
	" AND (?5 IS NULL OR p.source = ?5)" \
	" AND (?6 IS NULL OR (p.state IN ('dispatched', 'acknowledged') AND p.deadline < ?6))" \
	" AND (?7 IS NULL OR p.created_at >= ?7)" \
	" AND (?8 IS NULL OR p.created_at < ?8)" \
	" AND (?9 IS NULL OR p.reporter_id = ?9" \
	"      OR EXISTS (SELECT 1 FROM problem_followers f WHERE f.problem_id = p.id AND f.account_id = ?9))" \
	" AND (?10 = 1" \
	"      OR EXISTS (SELECT 1 FROM json_each(?11) w WHERE substr(o.path, 1, length(w.value)) = w.value)" \
	"      OR (h.path IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(?12) w" \
	"          WHERE substr(h.path, 1, length(w.value)) = w.value))" \
	"      OR p.reporter_id = ?13" \
	"      OR EXISTS (SELECT 1 FROM problem_followers f WHERE f.problem_id = p.id AND f.account_id = ?30))" \
	" AND (?16 IS NULL OR instr(p.description, ?16) > 0 OR p.code = ?16" \
	"      OR EXISTS (SELECT 1 FROM problems_fts WHERE rowid = p.id AND instr(lower(body), lower(?16)) > 0))" \
	" AND (?17 IS NULL OR p.code IN (SELECT value FROM json_each(?17)))" \
	" AND (?18 IS NULL OR c.code IN (SELECT value FROM json_each(?18)))" \
	" AND (?19 IS NULL OR p.id IN (SELECT rowid FROM problems_fts WHERE problems_fts MATCH ?19))"

/* What the binding allocated; must outlive the statement's steps. */
struct problem_filter_bound {
	char *under, *phrase;
};
void problem_filter_bind(db_stmt *st, const json_t *f, struct problem_filter_bound *b);
void problem_filter_free(struct problem_filter_bound *b);
#endif
