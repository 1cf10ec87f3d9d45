/*
 * buildings.h — the store functions of building reps, building notices, the
 * 接龙 roster and home-watch lists (buildings_sql.c, home_watch_sql.c;
 * schema 025; docs/PARTY.md "buildings"). A header of their own so the
 * party features do not all edit store.h. Same conventions as store.h:
 * 0 / STORE_E* codes, new references, NULL on failure.
 */
#ifndef WM_STORE_BUILDINGS_H
#define WM_STORE_BUILDINGS_H
#include <jansson.h>
#include <stdint.h>

/* A building (orgs row of kind building): {id,name,path,parent_id,
 * compound_id,compound_name}; NULL when missing or not a building. */
json_t *store_building_get(int64_t id);
/* Buildings within the filter's "within" (scope) and under `under` (a path,
 * NULL: anywhere), id > after: [{id,name,path,compound_id,compound_name,
 * reps (active reps), residents}]. today 'YYYY-MM-DD'. */
json_t *store_building_list(const json_t *filter, const char *under, const char *today, int64_t after, int limit);

/* Reps: rows with the person's name, masked phone and "party_member". */
json_t *store_building_reps(int64_t building_id);
json_t *store_building_rep_get(int64_t id);
int store_building_rep_create(const json_t *row, int64_t now, int64_t *id);
int store_building_rep_update(int64_t id, const json_t *row, int64_t now);
int store_building_rep_delete(int64_t id);
/* The building's rep rows whose person is the account's (0 when none). */
int64_t store_building_rep_of_account(int64_t building_id, int64_t account_id);

/* The page's figures: open problems (org in the building's subtree, the
 * states in open_states, a JSON array) and approved volunteers living there. */
json_t *store_building_problems(const char *path, const json_t *open_states, int limit);
int64_t store_building_problem_count(const char *path, const json_t *open_states);
json_t *store_building_volunteers(int64_t building_id);	/* [{name}] */
int64_t store_building_accounts(int64_t building_id);	/* accounts of people living there */

/* Notices: the notice and one inbox entry per account whose person lives in
 * the building (recipients out); the caller's transaction. */
int store_building_notice_create(int64_t building_id, const char *title, const char *body, int64_t account_id,
				 int64_t now, int64_t *id, int64_t *recipients);
json_t *store_building_notices(int64_t building_id, int64_t before_id, int limit);

/* 接龙 rosters and their entries. */
int store_roster_create(int64_t building_id, const json_t *row, int64_t account_id, int64_t now, int64_t *id);
json_t *store_roster_get(int64_t id);
json_t *store_rosters(int64_t building_id, int64_t before_id, int limit);	/* with "entries" counts */
int store_roster_entry_add(int64_t roster_id, const json_t *row, int64_t account_id, int64_t now, int64_t *id);
json_t *store_roster_entries(int64_t roster_id, int64_t after_id, int limit);
/* The building the account's person lives in (0 when none). */
int64_t store_account_building(int64_t account_id);

/* Home-watch (home_watch_sql.c): rows with the person's name, masked phone,
 * the building's name and "last_visit" ('YYYY-MM-DD' or null). */
json_t *store_home_watch_list(const json_t *filter, int64_t building_id, int64_t after, int limit);
json_t *store_home_watch_get(int64_t id);
int store_home_watch_create(const json_t *row, const char *today, int64_t now, int64_t *id);
int store_home_watch_update(int64_t id, const json_t *row, int64_t now);
json_t *store_home_watch_visits(int64_t watch_id, int64_t before_id, int limit);
int store_home_watch_visit_add(int64_t watch_id, const json_t *row, int64_t account_id, int64_t now, int64_t *id);
#endif
