/*
 * sites.h — what the files of issue 5 share (sites.c, checklists.c,
 * inspections.c, rounds.c, tasks.c): who sees a site, the client's view of
 * rows, and Asia/Shanghai days.
 */
#ifndef WM_API_SITES_H
#define WM_API_SITES_H
#include "api.h"

/* Roles that see the sites of the communities their grants cover; handler
 * grants see the sites their unit is 包保 for. */
#define SITE_VIEW_ROLES (R_OFFICE | R_COMMITTEE | R_INSPECTOR | R_VOLUNTEER | R_RESIDENT)

int site_visible(struct req *r, const json_t *site);
/* Puts the account's visibility into a store filter ("scope_org_paths",
 * "scope_unit_paths" as JSON texts). */
void site_scope(struct req *r, json_t *filter);
/* 咬尾巴 (rounds.c): the inspected org's path of a round pair when the
 * account inspects for that pair (its grants cover the inspecting org) and
 * the round is open — the sites it may list and open for the pair; else
 * NULL. malloc'd. */
char *round_pair_inspected_path(struct req *r, int64_t pair_id);
/* JSON text of the paths where the account holds one of roles (+ admin); malloc'd. */
char *scope_paths(struct req *r, unsigned roles);
/* The client's view of a site row: location, times, the page URL; steals s. */
json_t *site_view(json_t *s);
/* Checks a site body (as POST /api/v1/sites takes it; a patch for self_id)
 * beyond types and returns the store row; field errors go to fields. */
json_t *check_site(struct req *r, const json_t *in, int64_t self_id, json_t *fields);
/* The filters of GET /api/v1/sites (also the export and the QR sheet) with
 * the account's scope; NULL after answering 422. */
json_t *site_filter(struct req *r, json_t *fields);
/* Checks {"lat","lng"} (null allowed) and appends a field error. */
void check_latlng(const json_t *loc, const char *field, json_t *fields);

/* Asia/Shanghai calendar day of a unix time as YYYYMMDD, its start, and the
 * day n days later. */
int ymd_of(int64_t t);
int64_t ymd_start(int ymd);
int ymd_add(int ymd, int n);
/* "YYYY-MM-DD" → ymd; 0 when invalid. */
int ymd_parse(const char *s);
void ymd_format(int ymd, char *out, size_t n);

/* Loads the shipped site types and checklists (data/site_types.csv,
 * data/checklist_items.csv) into a database without site types. */
int site_types_load_defaults(void);
/* Daily tasks (tasks.c): today's tasks generated, past open ones settled as
 * missed; idempotent. Its own transaction. */
int tasks_tick(int64_t now, int *created, int *missed);
#endif
