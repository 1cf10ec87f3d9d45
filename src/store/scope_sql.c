/*
 * scope_sql.c — the bind helpers of the org-subtree clauses (scope_sql.h).
 */
#include "scope_sql.h"
#include "store.h"
#include <stdlib.h>

void scope_bind_within(db_stmt *st, int i, const json_t *filter)
{
	json_t *w = json_object_get(filter, "within");
	if (!json_is_array(w)) {
		db_bind_null(st, i);
		return;
	}
	json_t *paths = json_array();
	size_t k;
	json_t *id;
	json_array_foreach(w, k, id) {
		char *p = store_org_path(json_integer_value(id));
		if (p) {
			json_array_append_new(paths, json_string(p));
			free(p);
		}
	}
	db_bind_json(st, i, paths);
	json_decref(paths);
}

void scope_bind_paths(db_stmt *st, int i, const json_t *filter, const char *key)
{
	db_bind_json(st, i, json_object_get(filter, key));
}

void scope_bind_under(db_stmt *st, int i, const json_t *filter, const char *key)
{
	json_t *org = json_object_get(filter, key);
	if (!json_is_integer(org)) {
		db_bind_null(st, i);
		return;
	}
	char *path = store_org_path(json_integer_value(org));
	db_bind_text(st, i, path ? path : "/none/");
	free(path);
}
