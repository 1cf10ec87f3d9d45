/*
 * party_meetings.h — the store of 三会一课 (party_meetings_sql.c): meetings,
 * their expected attendees (the active party members of the org's subtree),
 * attendance, the held meetings a compliance view counts, and the reminder
 * keys that make a reminder once per (org, rule, period).
 */
#ifndef WM_STORE_PARTY_MEETINGS_H
#define WM_STORE_PARTY_MEETINGS_H
#include <jansson.h>
#include <stdint.h>

/* One meeting with org_name, org_path, org_subkind (and signin_token: the
 * API strips it), or NULL. */
json_t *store_meeting_get(int64_t id);
/* Filters: org_id (subtree), type, state, from, to (held_on), within. */
json_t *store_meeting_list(const json_t *f, int64_t after_id, int limit);
int store_meeting_create(const json_t *in, int64_t now, int64_t *id_out);
int store_meeting_update(int64_t id, const json_t *patch, int64_t now);
/* The expected attendees: [{person_id, name, org_id, org_name, status,
 * reason, signed_at}] (status NULL until marked), by name. */
json_t *store_meeting_roster(int64_t meeting_id);
/* 1 when person is an active member of the meeting org's subtree, 0 if not. */
int store_meeting_is_member(int64_t meeting_id, int64_t person_id);
int store_attendance_set(int64_t meeting_id, int64_t person_id, const char *status, const char *reason,
			 int64_t signed_at);
/* The enabled accounts of the meeting's expected attendees: [{"id"}]. */
json_t *store_meeting_member_accounts(int64_t meeting_id);
/* The person of an account (0 when none). */
int64_t store_account_person(int64_t account_id);
/* Party orgs within the caller's grants (filter "within") and under org_id:
 * [{id, parent_id, name, subkind, path}], by path. */
json_t *store_meeting_orgs(const json_t *f);
/* Held meetings with held_on in [from, to]: [{org_id, type, held_on}]. */
json_t *store_meetings_held(const char *from, const char *to);
/* 1 when the key was new (a reminder is to be sent), 0 when it existed. */
int store_compliance_reminder_claim(int64_t org_id, const char *rule, const char *period, int64_t now);
/* An inbox notification to every enabled account with `role` granted on
 * exactly org_id. */
int store_notify_role_on(const char *role, int64_t org_id, const json_t *n);
/* Demo helpers (demo_meetings.c): the first person named name (0 when
 * none); makes person a full member of org unless already a member. */
int64_t store_person_named(const char *name);
int store_party_member_ensure(int64_t person_id, int64_t org_id, int64_t now);
/* The active members of org's subtree: [{"person_id"}]. */
json_t *store_party_members_under(int64_t org_id);
#endif
