/*
 * targets_sql.h — the store side of 目标责任书 (targets, target_items) and
 * 好人好事 (good_deeds), schema 021 + 026; the figures a target's items are
 * measured by that are not KPIs (those come from store_kpi_grouped).
 */
#ifndef WM_TARGETS_SQL_H
#define WM_TARGETS_SQL_H
#include <jansson.h>
#include <stdint.h>

/* Targets: rows carry org_name, org_kind and org_path. */
json_t *store_target_get(int64_t id);
json_t *store_target_find(int64_t org_id, int year);
/* f: "year", "org_id" (that org's subtree), "within" (scope_filter). */
json_t *store_target_list(const json_t *f, int64_t after_id, int limit);
int store_target_create(const json_t *in, int64_t now, int64_t *id_out);	/* ECONFLICT: org+year taken */
int store_target_set_title(int64_t id, const char *title, int64_t now);
/* Replaces every item (draft only, checked by the caller). */
int store_target_items_set(int64_t target_id, const json_t *items);
json_t *store_target_items(int64_t target_id);
/* A staff mark on one item: done/note (text items) or manual_value. */
int store_target_item_mark(int64_t target_id, int64_t item_id, const json_t *mark, int64_t by, int64_t now);
/* State change from -> to; ECONFLICT when the state was not `from`. */
int store_target_issue(int64_t id, int64_t now);
int store_target_sign(int64_t id, const char *issuer, const char *receiver, const char *on, int64_t now);

/* Figures over an org subtree (path) and a date range (YYYY-MM-DD). */
int64_t store_fig_volunteers(const char *path);
int store_fig_hours(const char *path, const char *from, const char *to, double *hours, int64_t *records);
int64_t store_fig_meetings(const char *path, const char *from, const char *to);
int64_t store_fig_good_deeds(const char *path, const char *from, const char *to);

/* Good deeds: rows carry org_name and org_path. */
json_t *store_good_deed_get(int64_t id);
/* f: "within", "org_id", "state", "recorded_by" (only that account's). */
json_t *store_good_deed_list(const json_t *f, int64_t after_id, int limit);
/* The public wall: verified deeds under path (NULL: all), newest first
 * (id < before_id when > 0). */
json_t *store_good_deed_wall(const char *path, int64_t before_id, int limit);
int store_good_deed_create(const json_t *in, int64_t now, int64_t *id_out);
/* pending -> verified/rejected; ECONFLICT when no longer pending. */
int store_good_deed_review(int64_t id, const char *state, int64_t by, int64_t person_id, const char *reason,
			   int64_t now);
/* Verified deeds whose doer has an account and no award yet (only = 0: all). */
json_t *store_good_deeds_unawarded(int64_t only_id, int limit);
#endif
