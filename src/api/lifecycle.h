/*
 * lifecycle.h — a problem's transitions and the side effects that follow
 * each one, declared as one table (lifecycle.c) and run in one place,
 * inside the caller's write transaction. Handlers (problems.c, revisits.c,
 * citizen.c, open311.c, inspections.c through problem_insert) validate,
 * build the row's changes and call lifecycle_run; they never call an effect
 * (chronic_note, revisits_schedule, bank_award_tip, notifications) directly.
 * docs/ARCHITECTURE.md "A problem's lifecycle" shows the table.
 */
#ifndef WM_LIFECYCLE_H
#define WM_LIFECYCLE_H
#include "api.h"
#include "core/workflow.h"

enum lc_transition {
	LC_REPORT,		/* a report through the API (also inspections, the demo) */
	LC_REPORT_OPEN311,	/* a report through Open311 GeoReport v2 */
	LC_ACT,			/* the workflow actions: LC_ACT + enum wf_action */
	LC_REVISIT_FAIL = LC_ACT + WA_NACTIONS,	/* 回头看 found a relapse: reopened */
	LC_REVISIT_PASS,	/* 回头看 found none: an event only */
	LC_RATE,		/* a citizen's rating: an event (满意率 in the store) */
	LC_CITIZEN_REOPEN,	/* 不满意 reopens once, not a relapse */
	LC_NTRANSITIONS
};

/* One run of a transition. The caller fills the inputs; lifecycle_run adds
 * to patch what the table says (reopening clears closed_at, a relapse
 * counts) and runs the effects in the table's order. */
struct lc_run {
	int transition;		/* enum lc_transition, or LC_ACT + action */
	int64_t id, actor, now;
	const json_t *before;	/* the row before (every transition but a report) */
	json_t *patch;		/* the row's changes when the state changes (borrowed) */
	const char *from, *to;	/* the event's states (NULL: none) */
	const char *action;	/* the event's action; NULL: the transition's name */
	const char *note;	/* the event's note */
	const json_t *data, *photos;	/* the event's data; photos attached to it */
	int64_t merge_into;	/* merge: the surviving problem */
	int64_t keep_revisit;	/* a failed revisit: the one revisit not cancelled */
	int64_t event_id;	/* out: the event's id */
	json_t *after;		/* out (new ref, when want_after): the row after */
	int want_after;
};
/* 0 or a STORE_* code; the caller's transaction rolls back on failure. */
int lifecycle_run(struct lc_run *x);
/* A closed problem reopened (a failed revisit, a citizen's 不满意): the
 * state change and its effects; title-free, the table has the wording. */
int lifecycle_reopen(int transition, const json_t *p, int64_t actor, const char *note, const json_t *data,
		     const json_t *photos, int64_t keep_revisit, int64_t *event_id);
/* The table's name of a transition ("report", "accept"…, "revisit_fail"). */
const char *lifecycle_name(int transition);
#endif
