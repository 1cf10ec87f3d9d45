/*
 * dual.h — 双报到 in the store (dual_sql.c, migration 023): unit
 * registrations, member registrations and the service a member did, read
 * from the existing records (service records, sign-ups, problems). Lists
 * take a filter with the caller's scope as JSON arrays of org paths:
 * "comm_paths" (grants over the community), "unit_paths" (grants over the
 * unit), "party_paths" (grants over the member's party organisation).
 */
#ifndef WM_STORE_DUAL_H
#define WM_STORE_DUAL_H
#include <jansson.h>
#include <stdint.h>

int dual_unit_create(const json_t *in, int64_t now, int64_t *id);
json_t *dual_unit_get(int64_t id);
/* filter: the scope arrays, "state", "community_id", "unit_id". */
json_t *dual_unit_list(const json_t *f, int64_t before_id, int limit);
/* Sets the keys of in that are columns (party_org_name, contact_name,
 * contact_phone_enc, contact_phone_masked, commitments, state, decided_by, decided_at). */
int dual_unit_update(int64_t id, const json_t *in, int64_t now);

int dual_reg_create(const json_t *in, int64_t now, int64_t *id);
json_t *dual_reg_get(int64_t id);
/* filter: the scope arrays, "state", "community_id", "unit_id", "person_id". */
json_t *dual_reg_list(const json_t *f, int64_t before_id, int limit);
/* skills, wishes, availability (array), unit_id, state, decline_reason,
 * card_no, decided_by, decided_at. */
int dual_reg_update(int64_t id, const json_t *in, int64_t now);
/* The accepted registrations of a unit (all communities), oldest first. */
json_t *dual_unit_members(int64_t unit_id);
/* The live (pending/accepted) registration of person with community: id or 0. */
int64_t dual_reg_live(int64_t person_id, int64_t community_id);
/* The person's party_members row {id, org_id, employed, employer_id} or NULL. */
json_t *dual_party_member(int64_t person_id);
/* What a person did between the dates from..to (inclusive, YYYY-MM-DD; t0..t1
 * the same days as instants [t0, t1)): approved hours and records (not
 * superseded), attended post shifts, attended activities, activity sign-ups,
 * problems reported and of those closed. */
json_t *dual_service(int64_t person_id, const char *from, const char *to, int64_t t0, int64_t t1);
/* Per community in scope ("comm_paths"): units and members registered
 * (accepted), pending ones. */
json_t *dual_overview(const json_t *f);
/* Demo helpers (demo_dual.c): the person of a login (0 if none); up to
 * limit 在职党员 (party_members employed with an employer) with the
 * community they live in, or, when the party feature made none, people
 * tagged party_member. */
int64_t dual_demo_login_person(const char *login);
json_t *dual_demo_candidates(int limit);
#endif
