/*
 * targets.h — 目标责任书 (targets.c, target_metrics.c) as other features
 * read it: the metric catalogue, an item's live progress, and a letter's
 * met/total for the honours (the awards feature's evidence).
 */
#ifndef WM_API_TARGETS_H
#define WM_API_TARGETS_H
#include <jansson.h>
#include <stdint.h>

/* One metric a target item can be measured by (target_metrics.c). */
struct target_metric {
	const char *code;	/* target_items.metric */
	const char *name;	/* Chinese, as printed on the letter */
	const char *unit;	/* "rate" (goal 0..1), "count", "hours", "text" */
	const char *source;	/* where the figure comes from: "kpi", "records", "manual", "staff" */
};
/* The catalogue entry for code, or NULL. */
const struct target_metric *target_metric_find(const char *code);
/* The whole catalogue as JSON (GET /api/v1/targets/metrics). */
json_t *target_metrics_json(void);

/* An item's live progress for year to date over the org subtree at
 * org_path: {"value","goal","met","sample","from","to","source","unit"}.
 * now is app_now(). NULL on a store error. */
json_t *target_item_progress(const json_t *item, const char *org_path, int year, int64_t now);

/* The letter of org for year: how many of its items are met today and how
 * many there are. 0 when it exists (even unsigned), STORE_ENOTFOUND when
 * there is none, STORE_EIO on a store error. For the honours (awards). */
int targets_summary(int64_t org_id, int year, int *met, int *total);
#endif
