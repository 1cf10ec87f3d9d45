/*
 * store.h — the only database API the handlers see.
 *
 * Everything above this header speaks in domain terms (orgs, accounts,
 * people, audit entries) and jansson values; nothing here names SQLite.
 * A PostgreSQL backend implements the same functions (see docs/ARCHITECTURE.md).
 *
 * Threading: each thread that calls the store gets its own connection on first
 * use (store_thread_open). Write transactions are serialised inside the store
 * (one lock + BEGIN IMMEDIATE), which keeps write latency flat under load
 * (see docs/ARCHITECTURE.md, "write path").
 *
 * Errors: functions return 0 on success or a negative STORE_E* code. Functions
 * returning json_t* return a new reference (caller owns it) or NULL when the
 * row does not exist (or on error, which is logged).
 */
#ifndef WM_STORE_H
#define WM_STORE_H

#include <jansson.h>
#include <stdint.h>
#include <stddef.h>

enum {
	STORE_OK = 0,
	STORE_ENOTFOUND = -1,
	STORE_ECONFLICT = -2,	/* unique constraint, or state changed under us */
	STORE_EREFERENCED = -3,	/* still referenced: cannot delete */
	STORE_EIO = -4,		/* anything else: logged, answered 500 */
};

/* Lifecycle --------------------------------------------------------------- */

/* Which database (target.c): --database URL / WENMING_DATABASE names it;
 * postgresql://… or postgres://… (any libpq URI) or a libpq keyword string
 * ("host=… dbname=…") is PostgreSQL, sqlite:DIR the SQLite database
 * DIR/wenming.db; without one, the SQLite database in --data DIR. --data
 * is needed either way: it holds secret.key and the photos. */
enum { STORE_SQLITE = 1, STORE_PG = 2 };	/* the values of DB_SQLITE / DB_PG */
struct store_target {
	int backend;		/* STORE_SQLITE or STORE_PG */
	char where[4096];	/* SQLite: the directory of wenming.db; PostgreSQL: the connection string */
};
/* database may be NULL or "" (then data_dir). 0, or -1 with a message in err. */
int store_target_parse(const char *database, const char *data_dir, struct store_target *t, char *err, size_t errlen);
/* t for messages and logs, with any password masked. */
void store_target_describe(const struct store_target *t, char *out, size_t n);
/* Chooses the engine before store_init, by store_target_parse's rule
 * (STORE_EIO, logged, when it refuses). */
int store_select(const char *database, const char *dir);
/* 1 when the store runs on PostgreSQL (backup and restore refuse there). */
int store_is_pg(void);
/* Opens (creating when missing) the chosen database — SQLite in dir unless
 * store_select chose otherwise — and runs pending migrations. Call once per
 * process before any thread uses the store. */
int store_init(const char *dir);
void store_shutdown(void);
/* Per-thread connection; opened lazily by every call, closed here. */
void store_thread_close(void);
/* Schema version after migrations; number of migrations applied by init. */
int store_schema_version(void);
int store_migrations_applied(void);
/* Cheap round trip for /readyz. */
int store_ping(void);
/* Online backup of DIR's database into the file out (works while a server
 * writes to it; see sqlite.c), then PRAGMA integrity_check on the copy. Needs
 * no store_init. On failure returns STORE_EIO with a message in err. */
int store_backup(const char *dir, const char *out, char *err, size_t errlen);
/* Puts the backup `from` in place of DIR/wenming.db (restore.c): checks a
 * copy (integrity, Wenming tables, schema version not newer than this
 * binary), keeps the current database as DIR/wenming.db.before-restore-TS,
 * renames the copy in and fsyncs DIR. The caller holds DIR's lock (and,
 * for check_key, has loaded DIR/secret.key with crypto_setup). On
 * failure returns STORE_EIO with a Chinese / English message in err. */
struct restore_info {
	int check_key;		/* in: refuse unless the loaded data key decrypts the backup's ID numbers */
	int backup_version, known_version;
	char kept[4200];	/* the kept database's path, "" when there was none */
};
int store_restore(const char *dir, const char *from, struct restore_info *info, char *err, size_t errlen);
/* The newest schema version this binary carries. */
int store_schema_known(void);

/* Write transactions (serialised across threads). begin/commit/rollback nest:
 * only the outermost pair touches the database. A write that fails inside
 * (but for a constraint) or an inner rollback dooms the transaction: the
 * outermost commit then rolls back and returns STORE_EIO (sqlite.c). */
int store_begin(void);
int store_commit(void);
void store_rollback(void);

/* Microseconds spent in the database by this thread since the last call
 * (for the per-request DB timing in /metrics). */
uint64_t store_take_db_usec(void);

/* Fault injection, for tests (docs/TESTING.md, "Fault injection"): compiled
 * in, inert until armed, and armed only through a route that a test-clock
 * server alone offers. store_fault_arm(n): the n-th write from now made by a
 * thread inside store_fault_scope() (BEGIN, a step of a statement that
 * writes, COMMIT) fails as SQLite's SQLITE_IOERR would, once; 0 disarms.
 * store_fault_fired_total: faults fired since start. store_fault_take: 1 when
 * one fired on this thread since the last call (the dispatcher counts such
 * answers apart in /metrics). */
void store_fault_arm(int n);
uint64_t store_fault_fired_total(void);
void store_fault_scope(int on);
int store_fault_take(void);
/* 1 when this thread found the database away (no connection, or the
 * connection lost under a statement) since the last call: a missing row then
 * means nothing, and the dispatcher answers 503 (docs/OPERATIONS.md). */
int store_db_away_take(void);

/* Settings (key/value) ---------------------------------------------------- */
/* Returns a malloc'd string or NULL. */
char *store_setting_get(const char *key);
int store_setting_set(const char *key, const char *value);

/* Orgs ------------------------------------------------------------------- */
/* An org is {"id","parent_id","kind","subkind","name","code","path","depth",
 * "address","lat","lng","created_at","children"}; path is "/1/5/23/". */
json_t *store_org_get(int64_t id);
json_t *store_org_by_code(const char *code);
/* in: {"parent_id"(nullable),"kind","subkind","name","code","address","lat","lng"};
 * *id_out receives the new id. */
int store_org_create(const json_t *in, int64_t *id_out);
/* Only the keys present in `patch` change; a parent change moves the subtree. */
int store_org_update(int64_t id, const json_t *patch);
int store_org_delete(int64_t id);
/* Keyset page ordered by path (tree order). filter keys: "parent_id",
 * "kind", "q", "within" (array of org ids whose subtrees are visible).
 * after_path is the cursor (exclusive) or NULL. */
json_t *store_org_list(const json_t *filter, const char *after_path, int limit);
/* 1 if `org` is `ancestor` or lies in its subtree, 0 if not, <0 on error. */
int store_org_within(int64_t org, int64_t ancestor);
/* Path string of an org ("/1/5/"), malloc'd, or NULL. */
char *store_org_path(int64_t id);

/* Accounts and grants ---------------------------------------------------- */
/* {"id","login","display_name","person_id","disabled","created_at",
 *  "grants":[{"id","role","org_id","org_name"}]} — never the hash. */
json_t *store_account_get(int64_t id);
/* Like get, plus "password_hash"; by login. For authentication only. */
json_t *store_account_auth(const char *login);
int store_account_create(const char *login, const char *display_name,
			 const char *password_hash, int64_t person_id, int64_t *id_out);
int store_account_update(int64_t id, const json_t *patch);	/* display_name, disabled, person_id */
int store_account_set_password(int64_t id, const char *password_hash);
/* filter: "q", "org_id" (accounts with a grant in that subtree),
 * "within" (array: grants in these subtrees). Cursor: id (exclusive). */
json_t *store_account_list(const json_t *filter, int64_t after_id, int limit);
int store_grant_add(int64_t account_id, const char *role, int64_t org_id, int64_t *id_out);
json_t *store_grant_get(int64_t grant_id);
int store_grant_delete(int64_t grant_id);

/* Sessions (tokens are stored only as hashes) ---------------------------- */
int store_session_create(const char *token_hash, int64_t account_id,
			 const char *csrf, int64_t expires_at);
/* {"account_id","csrf","expires_at"} or NULL. */
json_t *store_session_get(const char *token_hash);
int store_session_touch(const char *token_hash, int64_t expires_at);
int store_session_delete(const char *token_hash);
int store_session_delete_account(int64_t account_id, const char *keep_hash);

/* Login throttling: failures recorded per key ("login:x", "ip:y"). */
int store_login_failure_add(const char *key, int64_t at);
int store_login_failure_count(const char *key, int64_t since);
int store_login_failure_clear(const char *key);
/* Failures of `key` since `since` (count; *last = the newest, 0 if none). */
int store_login_failure_last(const char *key, int64_t since, int64_t *last);
/* Distinct keys starting with `prefix` that failed since `since`; *last as above. */
int store_login_failure_keys(const char *prefix, int64_t since, int64_t *last);
/* The oldest row of `key` since `since` (0 if none). */
int64_t store_login_oldest(const char *key, int64_t since);
/* Ends all but the `keep` newest sessions of an account. */
int store_session_trim(int64_t account_id, int keep);

/* People ------------------------------------------------------------------ */
/* A person row as stored: {"id","name","gender","birth_date","id_enc",
 * "id_hash","id_masked","phone_enc","phone_masked","org_id","org_name",
 * "address","skills","kinds","service_category","account_id","anonymised",
 * "created_at","updated_at"}. Encryption and masking happen above the store
 * (core/privacy.c); the store only keeps the strings. */
json_t *store_person_get(int64_t id);
int store_person_create(const json_t *in, int64_t *id_out);
int store_person_update(int64_t id, const json_t *patch);
/* filter: "q" (name substring), "org_id" (subtree), "kind", "within". */
json_t *store_person_list(const json_t *filter, int64_t after_id, int limit);
/* id of the person with this keyed ID hash, 0 if none, <0 on error. */
int64_t store_person_by_id_hash(const char *id_hash);

/* Audit (append-only; triggers refuse UPDATE and DELETE) ----------------- */
/* entry: {"actor_id","actor_login","action","resource","resource_id",
 * "before","after","ip","note"}. */
int store_audit_add(const json_t *entry);
/* filter: "actor_id","resource","resource_id","action","q","from","to". */
json_t *store_audit_list(const json_t *filter, int64_t before_id, int limit);
int64_t store_audit_count(void);

/* Idempotency keys for creating POSTs ------------------------------------ */
/* {"status","body","route"} or NULL. */
json_t *store_idem_get(int64_t account_id, const char *key);
int store_idem_put(int64_t account_id, const char *key, const char *route,
		   int status, const char *body);


/* Categories (problems_sql.c) ----------------------------------------------- */
/* {"id","code","parent_code","parent_id","name","name_en","deadline_amount",
 *  "deadline_unit","urgent_amount","urgent_unit","default_handler_org_id",
 *  "default_handler","default_handler_name","record_only","closing_conditions","active","sort"} */
json_t *store_category_list(int include_inactive);
json_t *store_category_get(int64_t id);
json_t *store_category_by_code(const char *code);
/* Insert or update by "code". */
int store_category_upsert(const json_t *c, int64_t *id_out);
int store_category_count(void);

/* Working calendar exceptions: kind "H" holiday, "W" make-up working day;
 * kind NULL deletes the day. Rows {"ymd","kind","name"}. */
json_t *store_calendar_list(int from_ymd, int to_ymd);
int store_calendar_set(int ymd, const char *kind, const char *name);

/* Named counters (problem codes): the next value, starting at 1. */
int64_t store_counter_next(const char *name);

/* Photos: one row per upload (the file on disk is shared by content hash). */
int store_photo_add(const json_t *p, int64_t *id_out);
json_t *store_photo_get(int64_t id);
json_t *store_photo_problems(int64_t photo_id);	/* [{"problem_id"}] */

/* Problems: times are unix seconds. */
int store_problem_create(const json_t *p, int64_t *id_out);
/* With "org_path" and "handler_path" for scope checks. */
json_t *store_problem_get(int64_t id);
/* Only keys present change; "updated_at" always set from the patch. */
int store_problem_update(int64_t id, const json_t *patch);
/* filter: "states" (JSON array text), "category_id" (also matches its
 * children), "under" (org subtree), "handler_org_id", "source", "overdue_at"
 * (now: only overdue ones), "from"/"to" (created_at), "reporter_id", "q"
 * (substring, instr), "fts" (substring via the full-text index, >= 3 chars),
 * "codes" / "category_codes" (JSON array texts of problem / category codes),
 * and the scope: "scope_all" (true) or "scope_org_paths" / "scope_handler_paths"
 * (JSON array texts) / "scope_reporter" (account id) / "scope_follower" (account
 * id: also the problems it joined as a co-reporter). Rows carry "org_path" and
 * "handler_path". Newest first. */
json_t *store_problem_list(const json_t *filter, int64_t before_id, int limit);
/* The map (map_sql.c): located problems of the same filter and scope, in
 * bbox {minLng, minLat, maxLng, maxLat} when not NULL, newest first:
 * [{"id","code","lat","lng","state","category","category_name","org_id","deadline"}].
 * The feed: the newest history events of problems whose community lies
 * under "scope_org_paths" or whose handler unit lies under
 * "scope_handler_paths" (JSON array texts), and under "org_id" when given;
 * public fields only: [{"id","at","action","code","state","category",
 * "category_name","community"}]. */
json_t *store_problem_map(const json_t *filter, const double *bbox, int limit);
json_t *store_problem_feed(const json_t *filter, int limit);
int store_problem_event_add(int64_t problem_id, const json_t *e, int64_t *id_out);
json_t *store_problem_events(int64_t problem_id);
int store_problem_photo_add(int64_t problem_id, int64_t photo_id, int64_t event_id, const char *kind);
json_t *store_problem_photos(int64_t problem_id);
/* escalation = 1: ids of open problems past their deadline, not escalated;
 * 0: open unreminded problems {"id","dispatched_at","deadline","deadline_unit"}. */
json_t *store_problems_due(int64_t now, int escalation, int limit);

/* Notifications: one per account holding one of roles_json (JSON array text)
 * on org_id or an ancestor. n: {"kind","problem_id","title","body","created_at"}. */
int store_notify(const char *roles_json, int64_t org_id, const json_t *n);
json_t *store_notification_list(int64_t account_id, int unread_only, int64_t before_id, int limit);
int store_notification_unread(int64_t account_id);
int store_notification_read(int64_t account_id, int64_t id, int64_t now);

/* Open311: trusted clients' keys (hashes), the community nearest a point,
 * a problem by its public code. */
int64_t store_open311_key_account(const char *key_hash);	/* account id, 0 if unknown */
int store_open311_key_add(const char *key_hash, const char *name, int64_t account_id, int64_t now, int64_t *id_out);
json_t *store_open311_key_list(void);
int64_t store_nearest_community(double lat, double lng);	/* 0 if none */
json_t *store_problem_by_code(const char *code);
/* Citizen tips (citizen_sql.c, migration 017): an Open311 reporter's contact
 * details {"sealed","name_masked","phone_masked","email_masked",
 * "device_masked"} (one row per problem; get → NULL when none); the rows of
 * older databases still to seal ([{"problem_id","data"}]); the public
 * tracking token of a problem (malloc'd, NULL when none) and the problem of
 * a token (0 when none). */
int store_problem_contact_put(int64_t problem_id, const json_t *contact);
json_t *store_problem_contact_get(int64_t problem_id);
json_t *store_problem_contacts_legacy(int limit);
int store_problem_contact_legacy_done(int64_t problem_id);
int store_tracking_put(int64_t problem_id, const char *token);
char *store_tracking_token(int64_t problem_id);
int64_t store_tracking_problem(const char *token);
/* Places for routing a citizen tip: the community (kind 'community') that
 * org_id is or lies under (0 when none); the org (a compound, or the org of
 * a site) of the compound or active site nearest to the point within a box
 * of radius_m around it (0 when none). */
int64_t store_community_of(int64_t org_id);
int64_t store_place_near(double lat, double lng, double radius_m);

/* Full-text search (search_sql.c): the problem's searchable text (already
 * simplified Chinese) replaces its index row; problems with no index row yet
 * ([{"id"}], oldest first). store_problem_list's "fts" filter matches the
 * index as a substring (>= 3 characters); "q" is the instr() fallback. */
int store_problem_index(int64_t id, const char *text);
json_t *store_problem_unindexed(int limit);

/* Citizen loop: ratings of closed problems by their reporters; a
 * notification to one account. */
int store_rating_add(int64_t problem_id, int64_t account_id, const char *rating, const char *comment, int reopened,
		     int64_t now);
json_t *store_ratings(int64_t problem_id);	/* [{"account_id","rating","comment","reopened","created_at"}] */
int store_notify_account(int64_t account_id, const json_t *n);

/* Likely duplicates (nearby_sql.c): open problems (not closed, rejected or
 * merged) of category_id (or, for a 大类, its 小类) within radius_m of a point,
 * from the engine's spatial index (nearby.h), nearest first: [{"id","code","state","category",
 * "category_name","description","lat","lng","created_at","reporter_count",
 * "distance_m"}] plus "reporter_id", "org_path" and "handler_path" for the
 * caller's scope decision (not for output). Co-reporters who joined a problem:
 * follow returns 1 when added, 0 when already following; reporter_count is
 * 1 (the reporter) + followers. */
json_t *store_problems_nearby(int64_t category_id, double lat, double lng, double radius_m, int64_t exclude_id, int limit);
int store_problem_is_follower(int64_t problem_id, int64_t account_id);
int store_problem_follow(int64_t problem_id, int64_t account_id, int64_t now);
/* A merge: the co-reporters of `from` follow `to` as well (those already there
 * and `to`'s reporter are skipped). */
int store_problem_followers_copy(int64_t from, int64_t to, int64_t now);
int64_t store_problem_reporter_count(int64_t problem_id);


/* Volunteers, teams, posts, claims, patterns (volunteers_sql.c) ------------ */
/* A volunteer: {"id","person_id","org_id","org_name","vtype","areas","status",
 * "self_registered","note","decided_by","decided_at","blocked_until",
 * "created_at","name","gender","birth_date","id_masked","phone_masked",
 * "skills","account_id","teams":[{"team_id","name","leader"}],"hours"} — hours:
 * approved records not superseded by an approved correction. */
json_t *store_volunteer_get(int64_t id);
/* Only what the sign-up rules read (status, blocked_until, birth_date, skills):
 * the full row sums the volunteer's hours and lists teams, per sign-up. */
json_t *store_volunteer_rule_facts(int64_t id);
/* Duplicate ID numbers within one imported file (wenming import): a temp
 * table on this thread's connection. Returns the earlier row with this hash,
 * 0 when new (and remembers row), < 0 on error; clear empties it. */
int64_t store_import_seen(const char *id_hash, int64_t row);
void store_import_seen_clear(void);
int64_t store_volunteer_by_person(int64_t person_id);	/* 0 if none */
int64_t store_volunteer_by_account(int64_t account_id);	/* 0 if none */
int64_t store_volunteer_by_token(const char *token);	/* 0 if none */
char *store_volunteer_token(int64_t id);		/* malloc'd or NULL */
/* person_id, org_id, vtype, areas, status, self_registered, note, calendar_token (stored
 * hashed and sealed, schema 016), created_at,
 * decided_by, decided_at */
int store_volunteer_create(const json_t *in, int64_t *id_out);
/* vtype, areas, status, note, decided_by, decided_at, blocked_until, calendar_token, org_id */
int store_volunteer_update(int64_t id, const json_t *patch);
/* filter: "status","vtype","team_id","q","org_id","within". Cursor: id. */
json_t *store_volunteer_list(const json_t *filter, int64_t after_id, int limit);
int store_team_member_set(int64_t team_id, int64_t volunteer_id, int leader, int64_t now);
int store_team_member_remove(int64_t team_id, int64_t volunteer_id);
json_t *store_team_list(const json_t *filter);	/* orgs of kind team; "within" */
json_t *store_team_members(int64_t team_id);
/* 1 when the volunteer leads team_id (any team when 0). */
int store_team_is_leader(int64_t volunteer_id, int64_t team_id);
json_t *store_post_get(int64_t id);	/* with "patterns" and "org_path" */
int store_post_create(const json_t *in, int64_t now, int64_t *id_out);
int store_post_update(int64_t id, const json_t *patch);
json_t *store_post_list(const json_t *filter, int64_t after_id, int limit);	/* "q","org_id","within" */
json_t *store_claim_get(int64_t id);
json_t *store_claim_list(int64_t post_id);
int store_claim_create(const json_t *in, int64_t now, int64_t *id_out);
int store_claim_decide(int64_t id, const char *status, int64_t by, int64_t at);
int store_claim_overlapping(int64_t post_id, const char *start_date, const char *end_date, int64_t exclude_id);
int store_pattern_add(int64_t post_id, int weekdays, int start_min, int end_min, int capacity, int64_t *id_out);
int store_pattern_disable(int64_t post_id, int64_t pattern_id);

/* Shifts, sign-ups, activities, service records (shifts_sql.c) ------------- */
/* Inserts the shift unless one exists at that time (*created = 0 then). */
int store_shift_ensure(int64_t post_id, int64_t activity_id, int64_t pattern_id, int64_t start, int64_t end,
		       int capacity, int64_t now, int *created);
/* With the post's or activity's place, rules, "org_path", "confirmed", "waitlisted". */
json_t *store_shift_get(int64_t id);
/* filter: "from","to" (start_at), "post_id","activity_id","within","open_only",
 * "volunteer_id" (adds "my_status","my_signup_id"). */
json_t *store_shift_list(const json_t *filter, int limit);
int store_shift_set_status(int64_t id, const char *status, int64_t now);	/* bumps sequence */
/* {"already","confirmed","overlapping","week_count"} for the sign-up rules. */
json_t *store_signup_facts(int64_t shift_id, int64_t volunteer_id, int64_t week_from, int64_t week_to);
int store_signup_insert(int64_t shift_id, int64_t volunteer_id, const char *status, int overbooked, int64_t by,
			int64_t now, int64_t *id_out);
json_t *store_signup_get(int64_t id);
int64_t store_signup_live(int64_t shift_id, int64_t volunteer_id);
int64_t store_waitlist_first(int64_t shift_id);
/* status, promoted_at, cancelled_at, checkin_at, checkout_at, checkin_by,
 * checkin_distance_m, attendance, credited_end, hours; "updated_at" always.
 * A status change raises the sign-up's sequence (calendar feeds). */
int store_signup_update(int64_t id, const json_t *patch);
/* filter: "shift_id","volunteer_id","from","to","with_cancelled","attendance". */
json_t *store_signup_list(const json_t *filter, int limit);
json_t *store_roster(const json_t *filter, int limit);	/* "from","to","post_id","within" */
int store_noshow_count(int64_t volunteer_id, int64_t since);
json_t *store_shifts_to_settle(int64_t now, int limit);
int store_shift_mark_settled(int64_t id);
json_t *store_signups_for_feed(int64_t volunteer_id, int64_t since, int limit);
json_t *store_activity_get(int64_t id);
int store_activity_create(const json_t *in, int64_t now, int64_t *id_out);
json_t *store_activity_list(const json_t *filter, int limit);	/* "within","now" */
json_t *store_record_get(int64_t id);
/* ON CONFLICT DO NOTHING (one record per sign-up): *id_out = 0 then. */
int store_record_create(const json_t *in, int64_t now, int64_t *id_out);
int store_record_decide(int64_t id, const char *status, int64_t by, int64_t at);
/* filter: "volunteer_id","status","within","from","to" (service_date). Newest first. */
json_t *store_record_list(const json_t *filter, int64_t before_id, int limit);
double store_volunteer_hours(int64_t volunteer_id);
/* Revisits (回头看) and chronic spots (顽疾). */
#include "revisits.h"

/* Sites, checklists, inspections, rounds, daily tasks (sites_sql.c) --------
 * Scope arguments are JSON array texts of org paths ("/1/5/"); a row is
 * visible when its org lies under one of them. Times are unix seconds; days
 * are YYYYMMDD integers (Asia/Shanghai). */
/* Site types {"id","code","name","name_en","optional","active","version",
 * "checklist_id","item_count","site_count"} (version: the current checklist). */
json_t *store_site_types(void);
json_t *store_site_type_get(int64_t id);
json_t *store_site_type_by_code(const char *code);
int store_site_type_upsert(const json_t *t, int64_t *id_out);	/* by "code" */
int store_site_type_count(void);
/* A checklist version {"id","site_type_id","site_type","version","note",
 * "created_by","created_at","current"}; version 0 = the newest. */
json_t *store_checklist_get(int64_t checklist_id);
json_t *store_checklist_version(int64_t site_type_id, int version);
json_t *store_checklist_versions(int64_t site_type_id);
/* [{"id","seq","text","weight","grading","photo_required","category","category_name"}] */
json_t *store_checklist_items(int64_t checklist_id);
/* A new version (the next number) of a type's checklist; items are added
 * with store_checklist_item_add {"seq","text","weight","grading",
 * "photo_required","category"}. Versions are immutable (a trigger). */
int store_checklist_add(int64_t site_type_id, const char *note, int64_t by, int64_t now, int64_t *id_out, int *version_out);
int store_checklist_item_add(int64_t checklist_id, const json_t *item);
/* A site {"id","code","name","site_type_id","site_type","site_type_name",
 * "org_id","org_name","unit_org_id","unit_name","responsible","address","lat","lng",
 * "active","created_at","updated_at","last_inspected_at","last_score_rate"}
 * (+ "org_path","unit_path" from get). */
json_t *store_site_get(int64_t id);
json_t *store_site_by_code(const char *code);
int store_site_create(const json_t *s, int64_t *id_out);
int store_site_update(int64_t id, const json_t *patch);	/* keys present change; "updated_at" */
/* filter: "scope_org_paths","scope_unit_paths" (JSON texts), "site_type_id",
 * "under_path", "unit_org_id", "active" (0/1), "q". Cursor: id (exclusive), ascending. */
json_t *store_site_list(const json_t *filter, int64_t after_id, int limit);
/* Inspections: the row, then one result per item {"item_id","result","note",
 * "photos","problem_id"}. */
int store_inspection_create(const json_t *in, int64_t *id_out);
int store_inspection_result_add(int64_t inspection_id, const json_t *res);
json_t *store_inspection_get(int64_t id);	/* + "org_path","unit_path","inspector_path" */
json_t *store_inspection_results(int64_t id);
/* filter: scope paths as for sites, "site_id","under_path","kind","round_id". Newest first. */
json_t *store_inspection_list(const json_t *filter, int64_t before_id, int limit);
/* Rounds (咬尾巴) and their pairs with progress. */
int store_round_create(const json_t *r, int64_t *id_out);
int store_round_pair_add(int64_t round_id, int seq, int64_t inspector, int64_t inspected);
json_t *store_round_get(int64_t id);	/* + "scope_path" */
json_t *store_round_list(const char *scope_paths, int64_t before_id, int limit);
int store_round_set_state(int64_t id, const char *state);
json_t *store_round_pairs(int64_t round_id);
json_t *store_round_pair_get(int64_t pair_id);
/* Inspected orgs ranked by score rate: [{"org_id","org_name","inspections",
 * "score_rate","problems","rectified","rounds"}]; 0 = no bound / any round. */
json_t *store_org_ranking(const char *under_path, int64_t from, int64_t to, int64_t round_id);
/* Watch targets (watched points, 包干区) and their daily tasks. */
int store_watch_create(const json_t *t, int64_t *id_out);
int store_watch_update(int64_t id, const json_t *patch);
json_t *store_watch_get(int64_t id);	/* + "org_path" */
json_t *store_watch_list(const char *scope_paths);
/* Tasks for day ymd (slots 1..quota of every active target), idempotent:
 * the number created (>= 0) or a STORE_E* code. */
int store_tasks_generate(int ymd);
/* Open tasks of days before before_ymd become missed: the number settled. */
int store_tasks_settle(int before_ymd);
json_t *store_task_get(int64_t id);	/* + "org_path" */
json_t *store_task_list(const char *scope_paths, int ymd, const char *state, int64_t target_id, int64_t after_id, int limit);
/* open/missed → state ("done" or "late"); STORE_ECONFLICT if already done. */
int store_task_done(int64_t id, const char *state, int64_t at, int64_t by, const char *note);
json_t *store_task_stats(const char *scope_paths, int from_ymd, int to_ymd, int per_person);
/* KPIs (kpi_sql.c, kpi_plan.c; docs/KPI.md). Roll-ups kept by
 * store_problem_create / update and store_rating_add in the writer's
 * transaction. Filters f: "org_path" (subtree), "handler_org_id",
 * "category_id" (a 大类 includes its 小类), and the scope: "scope_all" (true)
 * or "scope_org_paths" / "scope_handler_paths" (JSON array texts of subtree
 * paths: rows whose org, or whose handler unit, lies under one of them).
 * The planner (kpi_plan.c) adds the period's keys to f and picks the
 * roll-up tables that answer. */
enum kpi_metric {
	KPI_REPORTED, KPI_ACCEPTED, KPI_CLOSED, KPI_CLOSE_SECS, KPI_DUE, KPI_ON_TIME, KPI_RECTIFICATIONS,
	KPI_REWORKS, KPI_RELAPSES, KPI_SAT, KPI_BASIC, KPI_DISSAT, KPI_NMETRICS
};
/* The sums of the metrics under one key (an org, a unit, a category, a day). */
struct kpi_sums {
	int64_t id;
	int64_t m[KPI_NMETRICS];
};
/* Sums over the days from..to grouped by group ("none", "org", "community"
 * (each org's sums under the 居委 above it), "handler", "category"), as a
 * malloc'd array sorted by id, groups with nothing in the period left out
 * (one zero row for "none"); *n its length. NULL on a store error. */
struct kpi_sums *store_kpi_grouped(json_t *f, int64_t from, int64_t to, const char *group, size_t *n);
/* Sums per day over from..to, or (months) per whole month (id = its first
 * day) and per day in the partial months at the ends: a malloc'd array in
 * no particular order, several entries may share an id. NULL on error. */
struct kpi_sums *store_kpi_series(json_t *f, int64_t from, int64_t to, int months, size_t *n);
/* {"states":[{"state","n"}],"overdue":n}: current counts (no period or
 * category) and the open problems whose deadline is before now. */
json_t *store_kpi_states(const json_t *f, int64_t now);
/* Names for result keys: [{"id","name","code","kind"}] / [{"id","name","code"}]. */
json_t *store_kpi_org_names(const json_t *ids);
json_t *store_kpi_category_names(const json_t *ids);
/* Recomputes the roll-ups of days from..to (and their months, and the
 * current states) from problems and problem_events and returns the rows that
 * differ ([] when consistent), at most 50 per table. */
json_t *store_kpi_check(int64_t from_day, int64_t to_day);

#include "bank.h"	/* love bank (bank_sql.c) */
#include "webhooks.h"	/* webhook subscriptions and outbox (webhooks_sql.c) */

#endif
