/*
 * api.h — what every feature file in src/api/ shares: the routes table, the
 * permission table, scope checks, audit, and the application's settings.
 * Handlers see the database only through store/store.h.
 */
#ifndef WM_API_H
#define WM_API_H
#include "core/jsonx.h"
#include "core/roles.h"
#include "http/request.h"
#include "store/store.h"
#include <stdint.h>

struct app {
	char data_dir[4096];
	int demo;		/* the database is a demo database (settings.demo = 1) */
	int test_clock;		/* PUT /api/v1/system/clock may move the clock (tests) */
	/* Map tiles (--tile-url / WENMING_TILE_URL): empty = the offline map.
	 * tile_origin is the CSP img-src source allowing them. */
	char tile_url[512], tile_origin[320], tile_attribution[256];
	/* links.c: --public-url, the listen address, --trusted-proxies. */
	char public_url[200], listen_url[200], trusted_proxies[1024];
};
extern struct app app;

/* The application clock (unix seconds): the system clock plus an offset that
 * only a test-clock server lets an admin set, so reminders and escalations can
 * be tested through the real binary without waiting. */
int64_t app_now(void);
void app_clock_set(int64_t now);
/* Replaces a row's "lat"/"lng" with "location": {"lat","lng"} or null. */
void render_location(json_t *row);
/* Time fields of a row (unix seconds) rendered as RFC 3339 +08:00 in place. */
void render_times(json_t *row, const char *const *keys);
/* The account's grants, typed once by the dispatcher (r->grants, r->ngrants,
 * r->roles: struct grant in http/request.h). `roles` below is a role mask
 * (core/roles.h: R_OFFICE | R_COMMITTEE).
 * Org paths of the grants whose role is in `roles` (admin always counts): a
 * JSON array, new ref. */
json_t *grant_paths(struct req *r, unsigned roles);
/* 1 when the account holds one of the roles anywhere (admin only if named). */
int has_role(struct req *r, unsigned roles);
/* 1 when a grant whose role is in `roles` (admin always counts) covers `path`. */
int grants_cover(struct req *r, unsigned roles, const char *path);

/* The routes table (routes.def) and the dispatcher hooks for http/server.c. */
extern const struct route api_routes[];
extern const size_t api_nroutes;
size_t api_begin(struct req *r);
void api_handle(struct req *r);
void api_finish(struct req *r);
/* Route names for metrics, in table order. */
const char *const *api_route_names(void);

/* Permissions (perms.def, perm.c): one table of role × "resource.action",
 * each with the scope kind a grant gives it over (see perms.def). */
enum scope_kind { SCOPE_SUBTREE, SCOPE_PUBLIC, SCOPE_OWN, SCOPE_GLOBAL };
enum perm {
	P_NONE,	/* routes.def: public (R_PUBLIC) or any signed-in account */
#define PERM(id, name, roles, scope, desc) id,
#include "perms.def"
#undef PERM
	P_COUNT
};
struct perm_info {
	const char *name;	/* "problems.report" */
	unsigned roles;		/* role mask */
	enum scope_kind scope;
	const char *desc;
};
const struct perm_info *perm_info(int perm);	/* NULL for P_NONE or out of range */
const char *perm_name(int perm);		/* the wire name; NULL for P_NONE */
int perm_parse(const char *name);		/* P_NONE when unknown */
const char *scope_kind_name(int kind);		/* "subtree", "public", "own", "global" */
int perm_allows(int role, int perm);		/* role: enum role */
unsigned grants_roles(const json_t *grants);	/* the role mask of a JSON grants array */
json_t *perm_list_for(unsigned roles);		/* the wire names a role mask gives */
json_t *perm_table_json(void);			/* GET /api/v1/roles */

/* Scope: 1 when org_id lies within the subtree of an org where the current
 * route's permission was granted (always 1 for every scope kind but
 * SCOPE_SUBTREE, and for a grant on a root org). */
int scope_covers(struct req *r, int64_t org_id);
/* The "within" filter for store lists: NULL (no restriction) or the scope. */
json_t *scope_filter(struct req *r, json_t *filter);
/* 1 if the account holds a role in `roles` with a grant covering org_id. */
int has_role_over(struct req *r, unsigned roles, int64_t org_id);

/* Audit: appends an entry in the current transaction; steals before/after.
 * On an audited read (R_AUDIT) the entry is collected and written by the
 * dispatcher after the handler. A failure is sticky (req_fail): the
 * dispatcher rolls back and answers 500 whatever the handler does next, so
 * the result may be ignored when nothing else depends on it. */
int audit(struct req *r, const char *action, const char *resource, int64_t id, json_t *before, json_t *after);

/* Body checking: json_check on the parsed body; on errors answers 422 and
 * returns the status, else 0. */
int body_check(struct req *r, const struct fspec *spec);
/* Like body_check but keeps going: returns the array of field errors found so
 * far (new ref; empty when fine) so the handler can add its own checks and
 * answer every error at once. NULL when the body is not an object (then the
 * 422 has been answered). Fields with the wrong type read as absent via
 * jstr/jint, so later checks skip them. */
json_t *body_fields(struct req *r, const struct fspec *spec);
/* Masks the personal numbers typed into a row's free-text field (masking.c);
 * 1 when something was masked. */
int mask_text_field(json_t *row, const char *key);
/* Typed query parameters (routes.def's query column, core/qspec.h). The
 * dispatcher has checked every value before the handler runs, so these
 * only read: q_has (given and non-empty), q_int (int, id, cursor; the
 * declared default when absent), q_bool (1/0, dflt when absent, -1 for a
 * bool(word)'s word), q_time (date/time as unix seconds, 0 when absent),
 * q_num, q_text (the raw text of any type, NULL when absent), q_ids (an
 * idlist). A name the route does not declare reads as absent. */
int api_query_init(void);	/* parses the declarations: 0, or -1 (logged) */
const struct qspec *api_route_qspec(const struct route *rt);
int q_has(struct req *r, const char *name);
int64_t q_int(struct req *r, const char *name);
int q_bool(struct req *r, const char *name, int dflt);
int64_t q_time(struct req *r, const char *name);
double q_num(struct req *r, const char *name);
const char *q_text(struct req *r, const char *name);
const int64_t *q_ids(struct req *r, const char *name, size_t *n);
/* 422 naming one field (the SPEC §11 shape); returns the status. */
int reply_field(struct req *r, const char *field, const char *code, const char *message);
/* The end of a list handler: 500 when items is NULL (the store failed), else
 * 200 {"items":items,"next_cursor":…} (see page); steals items. */
int list_reply(struct req *r, json_t *items, int limit, const char *cursor_key);
/* {"items":items,"next_cursor":cursor-or-null}; steals items. */
json_t *page(json_t *items, int limit, const char *cursor_key);

/* Passwords: policy check (NULL when fine, else an error message). */
/* NULL or why the password is refused (core/pwpolicy.c; the demo password
 * only on a demo database). staff: the account holds admin/office/committee. */
const char *password_policy(const char *login, const char *name, const char *password, int staff);
/* The roles whose accounts get the staff password policy. */
#define R_PASSWORD_STAFF (R_ADMIN | R_OFFICE | R_COMMITTEE)
/* 1 when a JSON grants array (a request body's) holds one of them. */
int grants_staff(json_t *grants);
/* Login throttles (throttle.c): seconds this source must wait before trying
 * `login` again (0 = go), and the records of a failed or passed try. */
int64_t login_throttle_wait(const char *ip, const char *login, int64_t now);
void login_throttle_failed(const char *ip, const char *login, int64_t now);
void login_throttle_passed(const char *ip, const char *login);
/* Seconds before the account may sign in again (successful sign-ins per minute). */
int64_t login_rate_wait(int64_t account_id, int64_t now);
void login_rate_count(int64_t account_id, int64_t now);
#define DEMO_PASSWORD "wenming-demo"

/* Closed loop (problems.c, calendar.c, scheduler.c, categories.c). Who sees
 * a problem in full: staff grants over it and its reporter (a co-reporter
 * does not: problem_public). */
int problem_visible(struct req *r, const json_t *p);
/* Reporting, shared by POST /api/v1/problems and inspections (problems.c):
 * problem_check appends field errors for a report body (types already
 * checked) and writes nothing; problem_insert creates a checked report inside
 * the caller's transaction (row, event, photos, index, notification, audit). */
void problem_check(struct req *r, const json_t *in, json_t *fields);
int problem_insert(struct req *r, const json_t *in, int64_t *id_out, json_t **out);
json_t *problem_view(json_t *p);
/* GET /api/v1/problems' filters plus the visibility scope; NULL after a 422. */
json_t *problems_filter(struct req *r, json_t *fields);
/* Appends the names of the open (not final) states to arr. */
void problems_open_states(json_t *arr);
int64_t calendar_deadline(int64_t start, const char *unit, int amount);
int64_t calendar_halfway(int64_t start, int64_t deadline, const char *unit);
int problems_tick(int64_t now, int *reminded, int *escalated);
void scheduler_start(void);
void scheduler_stop(void);
int categories_load_defaults(int again);
/* Likely duplicates (nearby.c): the open problems near p (a store row) of its
 * category, excluding p, as a new array of public fields; problem_public is
 * the public view of a list row the account only follows (steals p);
 * follower_view hides co-reporters' identities from a non-staff viewer. */
json_t *duplicates_for(struct req *r, const json_t *p);
json_t *problem_public(struct req *r, json_t *p);
void follower_view(struct req *r, json_t *p);
/* Open311 contact details (open311_contact.c): seal what the reporter gave
 * (form keys first_name, last_name, phone, email, device_id, account_id) for
 * the problem, inside the caller's transaction; seal the rows migration 017
 * set aside (startup); add the masked "contact" to a problem detail for the
 * staff of its community (not handlers, not co-reporters). */
int open311_contact_seal(int64_t problem_id, const json_t *given);
int open311_seal_legacy(void);
/* An error before the handler under /open311/ (dispatch.c), in the GeoReport
 * format and in XML when the path ends in .xml (open311.c). */
int open311_status_error(struct req *r, int status);
/* Tracking codes of citizen tips (citizen.c): 1 for the sources a citizen
 * reports through (citizen_tip, open311); a new code for a problem of such a
 * source (inside the caller's transaction; out gets "XXXX-XXXX-XXXX-XXXX",
 * or "" for other sources; out >= 24 bytes); the problem a typed code names
 * (0 when none); the code into a problem detail viewed by its reporter. */
int citizen_source(const char *source);
int citizen_track_issue(int64_t problem_id, const char *source, char *out, size_t n);
int64_t citizen_track_lookup(const char *typed);
void citizen_track_attach(struct req *r, json_t *p);
int citizen_track_shown(int64_t problem_id, char *out, size_t n);
void open311_contact_view(struct req *r, json_t *p);
/* Typed numbers in the description masked except for its reporter (open311_contact.c). */
void problem_description_view(struct req *r, json_t *p);
/* Full-text search (search.c): rewrite one problem's index row (inside the
 * writer's transaction); index every problem without a row (startup); put the
 * simplified query q into a store_problem_list filter ("fts" or "q"). */
int problem_reindex(int64_t id);
int problems_index_missing(void);
void problems_search_filter(json_t *f, const char *q);


/* People (people.c): validates the real-name fields of `in` (id_number,
 * phone: SPEC §2) and copies them sealed, with the plain ones, into `row`;
 * field errors go to `fields` (a duplicate ID of another person than
 * self_id is "duplicate"). */
void people_seal_fields(const json_t *in, json_t *row, json_t *fields, int64_t self_id);
void people_seal_fields_ex(const json_t *in, json_t *row, json_t *fields, int64_t self_id, int *dup);
/* In-memory limiter (throttle.c): seconds to wait before attempt number
 * max + 1 of `kind` by `id` within `window` seconds (0 = go; counts it). */
int64_t attempt_wait(const char *kind, int64_t id, int max, int window, int64_t now);

/* Volunteers and shifts (volunteers.c, shifts.c, records.c). */
struct signup_cfg;
/* The sign-up rules from the setting "volunteer_rules" over the defaults. */
void volunteer_cfg(struct signup_cfg *c);
/* The volunteer id of the signed-in account (0 if none). */
int64_t my_volunteer(struct req *r);
/* Settles ended shifts (attendance, no-shows, blocks, pending service
 * records) in one transaction of its own. */
int shifts_tick(int64_t now, int *settled, int *no_shows);
/* Inserts the registration of person pid (pending when self-registered,
 * else approved by decided_by) with a fresh calendar token. */
int volunteer_new(int64_t pid, int64_t org, const char *vtype, const json_t *areas, int self, int64_t decided_by,
		  int64_t *vid);
extern const char *const volunteer_types;	/* "resident white_collar student party_member" */
/* Shift generation (posts.c, records.c), shared with the demo: the post's
 * active patterns (a store_post_get row) over [from_day, from_day + days);
 * an activity's occurrences (one on `day`, or monthly on day_of_month for six
 * months from `day`). Existing shifts are left alone. */
int post_generate(const json_t *post, int64_t from_day, int days, int64_t now, int *created, int *existing);
int activity_generate(int64_t id, const char *recurrence, int day_of_month, int start_min, int end_min, int64_t day,
		      int capacity, int64_t now, int *n_out);
/* A volunteer row for clients (hours, stars). New ref. */
json_t *volunteer_view(json_t *v);

/* Links and transport (links.c): the base of absolute links, without a
 * trailing slash — --public-url, else the setting public_url, else the
 * listen address; never the request's Host. */
void link_base(struct req *r, char *out, size_t n);
/* 0, or -1 when url is not http(s)://host[:port][/path] (stored in app). */
int public_url_set(const char *url);
/* The URL the server listens on (server_run's on_ready), for link_base. */
void links_listen_url(const char *url);
/* 0, or -1 when list is not IP addresses separated by commas or spaces. */
int trusted_proxies_set(const char *list);
/* Behind a trusted proxy: r->ip becomes the client X-Forwarded-For names
 * (logs, audit, login throttles, body budget). */
void client_from_proxy(struct req *r);
/* 1 when the request reached the client over HTTPS: the public URL is
 * https://, or a trusted proxy said X-Forwarded-Proto: https. */
int req_is_https(struct req *r);
/* HSTS on every answer when req_is_https. */
void transport_headers(struct req *r);
/* Revisits and chronic spots (revisits.c, chronic.c). Settings: revisit
 * offsets in days, and N occurrences in a window of days make a spot chronic. */
#define REVISIT_MAX_OFFSETS 5
struct revisit_settings {
	int offsets[REVISIT_MAX_OFFSETS], n;
	int threshold, window_days;
};
void revisit_settings(struct revisit_settings *s);	/* revisit_plan.c */
void revisit_defaults(struct revisit_settings *s);	/* the values without settings */
/* On closing: the revisits at the configured offsets (pending ones replaced);
 * an effect of the lifecycle (lifecycle.c), revisit_plan.c. */
int revisits_schedule(int64_t problem_id, int64_t now);
/* The problem detail's "revisits" summary and "chronic_spots" links. */
void revisits_detail(json_t *p);
/* A report or relapse of p (a store row): counts its spot, flags or extends
 * a chronic spot. Inside the caller's write transaction; an effect of the
 * lifecycle (lifecycle.c), not called by handlers. */
int chronic_note(const json_t *p, int64_t now);
/* Settles the watched days that ended before now's China-time day; inside
 * the caller's transaction (chronic_settle) or its own (revisits_tick). */
int chronic_settle(int64_t now, int *settled);
int revisits_tick(int64_t now, int *settled);
/* Shared checks of action bodies (problems.c) and the duplicate radius (nearby.c). */
void check_location(const json_t *loc, json_t *fields);
void check_photos(struct req *r, const json_t *photos, json_t *fields);
int duplicate_radius(void);

/* Love bank (bank_awards.c, bank_orders.c; src/api/bank.h lists its files): awards for an approved record / a closed citizen tip
 * inside the caller's transaction (idempotent; 0 when nothing is due), and
 * the catch-up job in a transaction of its own. */
int bank_award_record(int64_t record_id, int64_t now);
int bank_award_tip(int64_t problem_id, int64_t now);
int bank_tick(int64_t now, int *awarded, int *expired);
/* Redeems one item for a login account inside the caller's transaction:
 * 0 (order_id set), a BANK_* refusal, or a STORE_E* code. */
enum { BANK_NO_ITEM = 1, BANK_LIMIT, BANK_STOCK, BANK_FUNDS };
int bank_redeem(int64_t account, int64_t item, int64_t now, int64_t *order_id);

/* Webhooks (webhook_worker.c): the delivery worker thread, started and
 * stopped with the server; kick wakes it when a delivery is due now. One
 * pass sends at most `max` due deliveries; returns how many were attempted. */
void webhooks_start(void);
void webhooks_stop(void);
void webhooks_kick(void);
int webhooks_deliver_due(int64_t now, int max);

/* Handlers, one per route; defined in the feature files. */
#define ROUTE(method, pattern, fn, perm, flags, body_kb, query) int fn(struct req *r);
#include "routes.def"
#undef ROUTE
#endif
