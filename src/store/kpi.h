/*
 * kpi.h — the KPI roll-ups' reads that the planner (kpi_plan.c) composes
 * into answers; internal to the store (kpi_sql.c holds the SQL). Filters f
 * as in store.h's KPI section, plus the period: "h1","h2" / "m1","m2" /
 * "t1","t2" (head days, whole months yyyymm, tail days: core/period.h
 * period_split; absent = empty). Rows: {"k", "reported","accepted","closed",
 * "close_secs","due","on_time","rectifications","reworks","relapses","sat",
 * "basic","dissat"}.
 */
#ifndef WM_STORE_KPI_H
#define WM_STORE_KPI_H
#include <jansson.h>
#include <stdint.h>

/* Sums grouped by group: "none" (k = 0), "org", "handler", "category". */
json_t *kpi_sum(const json_t *f, const char *group);
/* Per day (k = day, over h1..h2) or per month (k = yyyymm, over m1..m2). */
json_t *kpi_series(const json_t *f, int months);
/* The subtree roll-ups (no scope filter: the caller checked that the orgs
 * lie within the reader's scope). A question: the subtrees of `orgs`, along
 * dimension `dim` ("-" none, "h" handler unit, "c" category), restricted to
 * dim_ids (NULL = all), grouped by the dimension's id (by_dim) or by org.
 * Sums over the period (k = dim id or org id), or per day / month (k). The
 * roots of the org tree (path NULL) or the communities under path: ids. */
struct kpi_tree {
	json_t *orgs;		/* array of org ids */
	const char *dim;
	json_t *dim_ids;	/* array of ids, or NULL */
	int by_dim;
};
json_t *kpi_tree_sum(const json_t *f, const struct kpi_tree *t);
json_t *kpi_tree_series(const json_t *f, const struct kpi_tree *t, int months);
json_t *kpi_tree_orgs(const char *path, int communities);
/* A category and its 小类: an array of ids. */
json_t *kpi_category_ids(int64_t id);
/* The community (居委) above each org: [{"org","community"}] (absent if none). */
json_t *kpi_communities(const json_t *ids);
#endif
