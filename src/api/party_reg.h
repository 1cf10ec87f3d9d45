/*
 * party_reg.h — what the 双报到 handlers share (party_reg.c: member
 * registrations; party_reg_units.c: unit registrations; party_reg_report.c:
 * service, quarterly feedback, overview). docs/PARTY.md "dual".
 *
 * Scope (the permissions are SCOPE_OWN; these helpers check each row): a
 * registration is seen by a grant of admin/office/committee/party covering
 * its community, a unit grant covering its unit, or a party grant covering
 * the member's party organisation. Out of scope reads as missing (404).
 */
#ifndef WM_PARTY_REG_H
#define WM_PARTY_REG_H
#include "api.h"

#define DUAL_STAFF (R_ADMIN | R_OFFICE | R_COMMITTEE | R_PARTY)
/* Adds the caller's scope arrays (store/dual.h) to f; returns f. */
json_t *dual_scope(struct req *r, json_t *f);
int dual_reg_visible(struct req *r, const json_t *g);
/* Staff over the registration: its community, or (party) its member's branch. */
int dual_reg_manageable(struct req *r, const json_t *g);
int dual_unit_visible(struct req *r, const json_t *u);
/* Client view: drops the paths and sealed values, renders times. Steals/returns row. */
json_t *dual_reg_view(json_t *g);
json_t *dual_unit_view(json_t *u);
/* The period of ?from&to, else ?quarter, else the quarter holding today (the
 * app clock, China time): dates from/to (>= 11 bytes), instants [t0, t1),
 * the quarter's name or "" (q >= 8 bytes). 0, or the status of a 422 answered. */
int dual_period(struct req *r, char *from, char *to, int64_t *t0, int64_t *t1, char *q);
/* The person of the signed-in account (0 when none). */
int64_t dual_account_person(struct req *r);
#endif
