/*
 * awards.h — the honours' store (schema 027, awards_sql.c): schemes with
 * categories and panel, nominations with their evidence snapshot, conflicts,
 * votes, results and the public roll; and the evidence figures drawn from
 * the records (service hours, problems, good deeds, party meetings).
 */
#ifndef WM_STORE_AWARDS_H
#define WM_STORE_AWARDS_H
#include <jansson.h>
#include <stdint.h>

/* Schemes: in has name year nominate_from nominate_to review_from review_to
 * nominators (array) description categories (array of {name kinds quota
 * nominator_quota}). */
int store_award_scheme_create(const json_t *in, int64_t by, int64_t now, int64_t *id_out);
int store_award_scheme_update(int64_t id, const json_t *patch, int64_t now);	/* keys present: name description nominate_from nominate_to review_from review_to nominators */
int store_award_scheme_state(int64_t id, const char *from, const char *to, int64_t now);	/* STORE_ECONFLICT when not in `from` */
json_t *store_award_scheme_get(int64_t id);	/* with categories and panel [{account_id, display_name}] */
json_t *store_award_scheme_list(int64_t year, int drafts, int64_t after, int limit);
int store_award_panel_set(int64_t scheme_id, const json_t *account_ids);
int store_award_on_panel(int64_t scheme_id, int64_t account_id);	/* 1, 0 or STORE_EIO */

/* Nominations. in has scheme_id category_id nominee_kind nominee_id
 * nominee_name org_id nominator_id citation evidence (object) cited (array)
 * evidence_on created_at. */
int store_award_nomination_create(const json_t *in, int64_t *id_out);
json_t *store_award_nomination_get(int64_t id);	/* + org_path, category_name, scheme_state, scheme_year, scheme_name, quota */
/* scheme_id 0 = any; paths NULL = no restriction (a JSON array of org
 * paths); the nominator's own nominations are always included. */
json_t *store_award_nomination_list(int64_t scheme_id, const json_t *paths, int64_t nominator, int64_t after, int limit);
int64_t store_award_nominator_count(int64_t category_id, int64_t nominator_id);
int64_t store_award_awarded_count(int64_t category_id);
int store_award_decide(int64_t id, const char *state, const char *reason, int64_t by, int64_t now);

/* Panel review. */
int store_award_conflict(int64_t nomination_id, int64_t account_id, const char *reason, int64_t now);
int store_award_has_conflict(int64_t nomination_id, int64_t account_id);
/* One row per (nomination, member): a second vote replaces score/comment. */
int store_award_vote(int64_t nomination_id, int64_t account_id, int score, const char *comment, int64_t now);
json_t *store_award_votes(int64_t nomination_id);
/* Every nomination of the scheme with votes, mean_score, conflicts (and,
 * when account_id > 0, my_score / my_conflict for that member). */
json_t *store_award_results(int64_t scheme_id, int64_t account_id);

/* The honour roll: awarded nominations of published schemes, year 0 = all. */
json_t *store_award_roll(int64_t year);

/* For the demo and the nomination form: the approved volunteers under org
 * (its subtree) with the most approved hours, [{person_id, name, org_id}];
 * and the orgs of a kind under it, [{id, name}]. */
json_t *store_award_top_people(int64_t org_id, int limit);
json_t *store_award_orgs_of_kind(int64_t org_id, const char *kind, int limit);

/* The unit employing the person as an active party member, 0 when none. */
int64_t store_award_person_employer(int64_t person_id);

/* Evidence figures. from/to are 'YYYY-MM-DD' (service dates, deeds,
 * meetings) and t0/t1 epoch seconds [t0, t1) for problems. */
json_t *store_award_evidence_person(int64_t person_id, const char *from, const char *to, int64_t t0, int64_t t1);
json_t *store_award_evidence_org(int64_t org_id, const char *kind, const char *from, const char *to, int64_t t0, int64_t t1);
#endif
