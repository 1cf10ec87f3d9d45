/*
 * revisits.h — the store API of revisits (回头看) and chronic spots (顽疾),
 * included from store.h. SQL in revisits_sql.c. Times are unix seconds;
 * "days" are days since 1970-01-01 counted in China time (UTC+8).
 */
#ifndef WM_STORE_REVISITS_H
#define WM_STORE_REVISITS_H
#include <jansson.h>
#include <stdint.h>

/* Revisits ------------------------------------------------------------------ */
/* A revisit row: {"id","problem_id","offset_days","due_at","state","done_at",
 * "done_by","done_by_name","note","photos","lat","lng","event_id","created_at",
 * plus the problem's "problem_code","problem_state","category","category_name",
 * "description","address","org_id","org_name","org_path","problem_lat","problem_lng"}. */
int store_revisit_add(int64_t problem_id, int offset_days, int64_t due_at, int64_t now, int64_t *id_out);
json_t *store_revisit_get(int64_t id);
/* The problem's pending revisits become cancelled (except `keep`, 0 = none). */
int store_revisits_cancel(int64_t problem_id, int64_t keep, int64_t now);
/* d: {"state","done_at","done_by","note","photos","lat","lng","event_id"};
 * only a pending revisit changes: STORE_ECONFLICT when it was done already. */
int store_revisit_done(int64_t id, const json_t *d);
/* filter: "state", "due_before", "due_after", "overdue_at" (pending and due
 * before it), "under" (org subtree), "within" (scope: org ids), "problem_id".
 * Ordered by due_at, id; the cursor is the last (due_at, id), exclusive. */
json_t *store_revisit_list(const json_t *filter, int64_t after_due, int64_t after_id, int limit);
/* All revisits of a problem, oldest schedule first. */
json_t *store_problem_revisits(int64_t problem_id);

/* Chronic spots ------------------------------------------------------------- */
/* The spot of category_id at site_id (site_id > 0) or, without a site, the
 * nearest spot of that category whose anchor lies within radius_m. NULL if none. */
json_t *store_chronic_find(int64_t category_id, int64_t site_id, double lat, double lng, double radius_m);
/* Problems of category_id at the site, or within radius_m of the point (the
 * engine's spatial index, nearby.h), not rejected or merged, that were reported since
 * `since`, relapsed since then or were open at some time since then:
 * [{"id","created_at","relapses","seq","transitions"}] where relapses counts
 * their reopen events since `since`, seq is the id of their first event (the
 * report) and transitions lists their closings and reopenings in order
 * ([[event id, action], …]). */
json_t *store_spot_occurrences(int64_t category_id, int64_t site_id, double lat, double lng, double radius_m,
			       int64_t since);
/* s: {"category_id","site_id","lat","lng","org_id","count","first_at","last_at","flagged_at"}. */
int store_chronic_create(const json_t *s, int64_t *id_out);
int store_chronic_touch(int64_t id, int count, int64_t last_at);
int store_chronic_link(int64_t spot_id, int64_t problem_id);
/* A spot: {"id","category_id","category","category_name","site_id","lat","lng",
 * "org_id","org_name","org_path","count","first_at","last_at","flagged_at",
 * "watch_quota","watch_since","watch_until","watched_by","problem_count",
 * "today_done","missed_days","missed_checks","last_check_at"} for `today`. */
json_t *store_chronic_get(int64_t id, int64_t today);
/* filter: "category_id", "under", "within", "watched" (true/false).
 * Newest flagged first; cursor: id (exclusive). */
json_t *store_chronic_list(const json_t *filter, int64_t before_id, int limit, int64_t today);
json_t *store_chronic_problems(int64_t spot_id);	/* [{"id","code","state","created_at","relapse_count"}] */
json_t *store_chronic_of_problem(int64_t problem_id);	/* [{"id","count","watch_quota"}] */
/* quota 0 unwatches (until ignored); until < 0 = open-ended. */
int store_chronic_watch(int64_t id, int quota, int64_t since, int64_t until, int64_t by);
/* c: {"spot_id","at","day","actor_id","ok","note","photos","lat","lng"}. */
int store_chronic_check_add(const json_t *c, int64_t *id_out);
json_t *store_chronic_checks(int64_t spot_id, int limit);	/* newest first, with "actor_name" */
json_t *store_chronic_days(int64_t spot_id, int limit);	/* newest first */
/* Watched spots with a day before `through` still to settle:
 * [{"id","org_id","category_name","watch_quota","watch_since","watch_until","next_day"}]. */
json_t *store_chronic_unsettled(int64_t through, int limit);
/* Settles one day of a spot (counts its checks); inserted = 0 when the day
 * was settled already (nothing changes), else done and missed are filled. */
int store_chronic_settle_day(int64_t spot_id, int64_t day, int quota, int *inserted, int *done, int *missed);
#endif
