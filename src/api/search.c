/*
 * search.c — full-text search over problems (SPEC §3 "Search"). Each problem
 * has one index row: its code, category name, org name, address and
 * description, converted to simplified Chinese (core/chinese.c, OpenCC t2s).
 * Queries are converted the same way, so 楼道堆物 finds 樓道堆物 and back.
 * The index is written inside the transaction that creates a problem;
 * problems without a row (a database from before schema 004) are indexed at
 * startup. Renaming a category or an org does not re-index its problems.
 */
#include "api.h"
#include "core/chinese.h"
#include "core/log.h"
#include "core/validate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int problem_reindex(int64_t id)
{
	json_t *p = store_problem_get(id);
	if (!p)
		return STORE_ENOTFOUND;
	static const char *const keys[] = {"code", "category_name", "org_name", "address", "description"};
	size_t n = 1;
	for (size_t k = 0; k < 5; k++)
		n += (jstr(p, keys[k]) ? strlen(jstr(p, keys[k])) : 0) + 1;
	char *text = malloc(n);
	if (!text) {
		json_decref(p);
		return STORE_EIO;
	}
	size_t at = 0;
	for (size_t k = 0; k < 5; k++)
		at += (size_t)snprintf(text + at, n - at, "%s%s", k ? "\n" : "", jstr(p, keys[k]) ? jstr(p, keys[k]) : "");
	json_decref(p);
	char *simple = zh_simplify(text);
	free(text);
	if (!simple)
		return STORE_EIO;
	int rc = store_problem_index(id, simple);
	free(simple);
	return rc;
}

int problems_index_missing(void)
{
	int total = 0;
	for (;;) {
		json_t *ids = store_problem_unindexed(500);
		if (!ids)
			return -1;
		size_t n = json_array_size(ids), i;
		json_t *row;
		if (n == 0) {
			json_decref(ids);
			break;
		}
		int rc = store_begin();
		json_array_foreach(ids, i, row) {
			if (!rc)
				rc = problem_reindex(jint(row, "id", 0));
		}
		json_decref(ids);
		if (rc) {
			store_rollback();
			log_error("search: indexing problems failed (%d)", rc);
			return -1;
		}
		if (store_commit())
			return -1;
		total += (int)n;
	}
	if (total)
		log_info("search: indexed %d problems", total);
	return 0;
}

void problems_search_filter(json_t *f, const char *q)
{
	if (!q)
		return;
	char *s = zh_simplify(q);
	if (!s)
		return;
	/* A trigram needs three characters; shorter queries use instr(). */
	long chars = utf8_length(s, strlen(s));
	json_object_set_new(f, chars >= 3 ? "fts" : "q", json_string(s));
	free(s);
}
