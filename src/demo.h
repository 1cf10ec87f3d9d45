/*
 * demo.h — the demo street (花木街道, 浦东新区, 上海): orgs, one account per
 * role with the fixed logins of SPEC §11, and synthetic people.
 */
#ifndef WM_DEMO_H
#define WM_DEMO_H
#include <stdint.h>

/* xorshift64: the demo is the same on every run (fixed seeds per file). */
static inline uint32_t demo_rnd(uint64_t *state, uint32_t n)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (uint32_t)(*state % n);
}

/* Fills an empty database. Returns 0, or -1 (logged). Requires store_init
 * and crypto_setup. people = number of synthetic people. */
int demo_build(int people);
/* The demo logins, NULL-terminated, for printing. */
extern const char *const demo_logins[];
/* The problems of the demo (demo_problems.c): n problems over the last four
 * months in the given communities. Inside the caller's transaction. */
int demo_problems(int n, const int64_t *communities, int ncomm);
/* Revisits of the closed demo problems and three chronic spots, one watched
 * (demo_revisits.c). Inside the caller's transaction. */
int demo_revisits(const int64_t *communities, int ncomm);
/* Sites, inspections, rounds and daily tasks (demo_sites.c), after the
 * problems; inside the caller's transaction. */
int demo_sites(const int64_t *communities, int ncomm);
/* A synthetic scene photo (demo_photos.c), stored and owned by uploader;
 * the photo id, or 0. */
int64_t demo_photo(int seed, int after, int64_t uploader, int64_t at);
/* The rectify event of a demo problem as the API records it: an after-photo
 * (attached) and the GPS a few metres from the problem's point. */
int demo_rectified(int64_t pid, int64_t at, int64_t actor, const char *note);
/* The volunteers, teams, posts, rosters, records and activities of the demo
 * (demo_volunteers.c). Inside the caller's transaction, after the accounts. */
int demo_volunteers(const int64_t *communities, int ncomm, int64_t street);
/* The love bank: a 爱心超市, its catalogue, awards and orders (demo_bank.c),
 * after the volunteers; inside the caller's transaction. */
int demo_bank(const int64_t *communities, int ncomm);
/* Party building (docs/PARTY.md), one per feature, in this order (each
 * reads what the ones before it built): party tree and members, 双报到,
 * meetings, buildings, targets and good deeds, awards. Each takes the
 * communities and the street. */
/* ---- party ---- */
/* The party tree and members (demo_party.c); demo_party_gb: the 党总支 of a
 * community (the community itself when it has none), for the branch lines. */
int demo_party(const int64_t *communities, int ncomm, int64_t street);
int64_t demo_party_gb(int64_t community);

/* ---- dual ---- */
/* 双报到 units and registrations, 张志愿 with service this quarter (demo_dual.c). */
int demo_dual(const int64_t *communities, int ncomm, int64_t street);

/* ---- meetings ---- */
/* 三会一课 for the demo (demo_meetings.c), after party and dual. */
int demo_meetings(const int64_t *communities, int ncomm, int64_t street);

/* ---- buildings ---- */
/* Building reps, notices, an open 接龙, home-watch lists (demo_buildings.c). */
int demo_buildings(const int64_t *communities, int ncomm, int64_t street);

/* ---- targets ---- */
/* 目标责任书 for each community (issued, signed) and two units, and a year
 * of 好人好事 (demo_targets.c). */
int demo_targets(const int64_t *communities, int ncomm, int64_t street);

/* ---- awards ---- */
/* The honours: this year's round in review, last year's published
 * (demo_awards.c). */
int demo_awards(const int64_t *communities, int ncomm, int64_t street);

#endif
