/*
 * party.h — the store of party organisations and members (party_sql.c;
 * schema 021 party_members/party_transfers/party_officers, 022). Included by
 * api/party_*.c and demo_party.c only. Writes run inside the caller's write
 * transaction.
 */
#ifndef WM_STORE_PARTY_H
#define WM_STORE_PARTY_H
#include <jansson.h>
#include <stdint.h>

/* Every party org (kind party_org) with its org parent's path, its
 * secretary's name, its own active members' counts (full, probationary,
 * employed) and "in_scope" (its path lies under filter's "within"). */
json_t *store_party_orgs(const json_t *filter);
json_t *store_party_officers(int64_t org_id);
/* Replaces the officers of org_id by officers [{person_id, post, since?}]. */
int store_party_officers_set(int64_t org_id, const json_t *officers);
/* The places (buildings) a party group covers: [{id, name}]. */
json_t *store_party_org_places(int64_t org_id);
int store_party_org_place_add(int64_t org_id, int64_t place_id);

/* Members. filter: within (scope), org_ids (array of party org ids),
 * status, employed (0/1, absent = any), q (name contains). */
json_t *store_party_member_list(const json_t *filter, int64_t after_id, int limit);
json_t *store_party_member_get(int64_t id);
int64_t store_party_member_by_person(int64_t person_id);
/* in: person_id, org_id, status, joined_on, employed, employer_id, duty. */
int store_party_member_create(const json_t *in, int64_t now, int64_t *id_out);
/* Sets the keys present in patch (org_id, status, joined_on, employed, employer_id, duty, active). */
int store_party_member_update(int64_t id, const json_t *patch, int64_t now);
int store_party_transfer_add(int64_t member_id, int64_t from, int64_t to, const char *on_date, const char *reason,
			     int64_t account_id, int64_t now);
json_t *store_party_transfers(int64_t member_id);
/* Adds "party_member" to a person's kinds when missing. */
int store_party_mark_person(int64_t person_id);

/* 亮身份: attended sign-ups of party members between [from, to) (unix
 * seconds), one row per sign-up: {member_id, org_id, post_id, post_name,
 * activity_id, activity_title, hours}; filter: within, org_ids. */
json_t *store_party_participation(const json_t *filter, int64_t from, int64_t to);
/* The demo and the posts routes: the first org under parent of kind
 * party_org with subkind (0 when none); the children of parent of a kind
 * [{id, name}] by id; a post's 党员先锋岗 flag. */
int64_t store_party_org_child(int64_t parent, const char *subkind);
json_t *store_party_children(int64_t parent, const char *kind);
int store_party_post_vanguard(int64_t post_id, int vanguard);
int64_t store_party_post_by_name(const char *name);
#endif
