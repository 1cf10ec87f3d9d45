/*
 * awards.h — the honours (SPEC §9, docs/PARTY.md "awards"), shared by
 *   awards_schemes.c      schemes, categories, state, panel
 *   awards_nominations.c  evidence drawn from the records, nominations, decisions
 *   awards_review.c       the panel's review page, conflicts, votes, results, roll, certificates
 * and the store in src/store/awards.h.
 */
#ifndef WM_API_AWARDS_H
#define WM_API_AWARDS_H
#include "api.h"
#include "store/awards.h"

/* Today in China as 'YYYY-MM-DD' (the app clock). */
void awards_today(char out[11]);
/* The scheme, or NULL; a draft is missing to everyone but the managers. */
json_t *awards_scheme_visible(struct req *r, int64_t id);
/* The evidence for a nominee (kind person/team/unit) in a year: {kind, id,
 * name, org_id, year, drawn_on, items:[{key, value}]}; NULL with *status set
 * (404/500) when the nominee is missing or out of the caller's scope.
 * r NULL: no scope check (the demo). */
json_t *awards_evidence(struct req *r, const char *kind, int64_t id, int year, int *status);
/* Renders every created_at / updated_at / decided_at (epoch seconds) in
 * v, at any depth, as RFC 3339; returns v. */
json_t *awards_out(json_t *v);
#endif
