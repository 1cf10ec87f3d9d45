/*
 * scope_sql.h — the store's org-subtree clauses ("rows of orgs within these
 * subtrees"), written once in the dialect both engines run. An org's path is
 * its ancestors' ids and its own, "/1/5/12/", so an org lies in a subtree
 * exactly when its path starts with the subtree root's path.
 *
 * The clauses are macros because every statement's SQL is a static string
 * (db_prep caches by the text's address): a clause must be pasted into the
 * literal at compile time. Each clause goes with the bind helper below that
 * fills its parameter, so a caller never builds a path list by hand.
 *
 *   " AND " SCOPE_IN_OPT("o.path", "?4")   + scope_bind_within(st, 4, filter)
 *   " AND " SCOPE_UNDER_OPT("o.path", "?2") + scope_bind_under(st, 2, filter, "org_id")
 */
#ifndef WM_SCOPE_SQL_H
#define WM_SCOPE_SQL_H
#include "db.h"

/* The path in column col lies under one of the paths in param, a JSON array
 * text ('["/1/5/", "/1/7/"]'); an empty array matches nothing. */
#define SCOPE_IN(col, param) \
	"EXISTS (SELECT 1 FROM json_each(" param ") w WHERE substr(" col ", 1, length(w.value)) = w.value)"
/* The same, where a NULL param means no restriction. */
#define SCOPE_IN_OPT(col, param) "(" param " IS NULL OR " SCOPE_IN(col, param) ")"
/* The path in column col lies under the one path param. */
#define SCOPE_UNDER(col, param) "substr(" col ", 1, length(" param ")) = " param
/* The same, where a NULL param means no restriction. */
#define SCOPE_UNDER_OPT(col, param) "(" param " IS NULL OR " SCOPE_UNDER(col, param) ")"

/* Binds at i, for SCOPE_IN*, the JSON array of the paths of the org ids in
 * filter's "within" (the caller's grants), or NULL when the filter has no
 * "within" array (no restriction). An id with no org adds nothing. */
void scope_bind_within(db_stmt *st, int i, const json_t *filter);
/* Binds at i, for SCOPE_IN*, the JSON array of paths the handler put in
 * filter[key] ("scope_org_paths", "scope_handler_paths"), or NULL. */
void scope_bind_paths(db_stmt *st, int i, const json_t *filter, const char *key);
/* Binds at i, for SCOPE_UNDER*, the path of the org whose id is filter[key]:
 * NULL when the key is absent (no restriction), a path no org has when the
 * org does not exist (so the list is empty, not unfiltered). */
void scope_bind_under(db_stmt *st, int i, const json_t *filter, const char *key);
#endif
