/*
 * workflow.h — the problem closed loop (SPEC §3) as data: states, actions,
 * which state each action leads to, and which roles may take it. Pure: the
 * unit tests walk every (state, action) pair, the API answers 409 with the
 * allowed actions from the same table.
 */
#ifndef WM_WORKFLOW_H
#define WM_WORKFLOW_H
#include "roles.h"
#include <stddef.h>

enum wf_state {
	WF_REPORTED, WF_ACCEPTED, WF_REJECTED, WF_MERGED, WF_DISPATCHED,
	WF_ACKNOWLEDGED, WF_RECTIFIED, WF_CLOSED, WF_REOPENED, WF_NSTATES
};

enum wf_action {
	WA_ACCEPT, WA_REJECT, WA_MERGE, WA_DISPATCH, WA_ACKNOWLEDGE, WA_RETURN,
	WA_REQUEST_EXTENSION, WA_APPROVE_EXTENSION, WA_DENY_EXTENSION, WA_RECTIFY,
	WA_VERIFY_PASS, WA_VERIFY_FAIL, WA_REOPEN, WA_NACTIONS
};

/* Which org a role's grant must cover for the action: the problem's
 * community (org_id) or its handler unit (handler_org_id). */
enum wf_over { WF_OVER_ORG, WF_OVER_HANDLER };

struct wf_rule {
	enum wf_action action;
	const char *name;		/* API spelling: "accept", "request_extension"… */
	unsigned from;			/* bit mask of states it may be taken in */
	int to;				/* resulting state, or -1 = unchanged */
	unsigned roles;			/* role mask (core/roles.h; admin may always act) */
	enum wf_over over;
	int needs_reason;		/* reason required (reject, return, verify_fail, extension) */
};

const char *wf_state_name(int s);		/* "reported"…; NULL if out of range */
int wf_state_parse(const char *name);		/* -1 if unknown */
const struct wf_rule *wf_rule(int action);	/* NULL if out of range */
int wf_action_parse(const char *name);		/* -1 if unknown */
/* The next state, or -1 when the action is not allowed in `state`. For
 * actions that keep the state (extensions) returns `state`. */
int wf_next(int state, int action);
/* States that count as open work for the handler (the deadline runs). */
int wf_clock_running(int state);
/* Terminal for the loop (rejected, merged, closed). */
int wf_is_final(int state);

/* The sets of states the rest of the code asks about, each from one flag
 * of the state table (workflow.c) — never restated by hand elsewhere. */
enum wf_set {
	WF_SET_FINAL,	/* the loop ended: rejected, merged, closed */
	WF_SET_OPEN,	/* not final ("state=open" of the list, duplicates) */
	WF_SET_CLOCK,	/* the handler's deadline runs: dispatched, acknowledged */
	WF_SET_VOID,	/* ended without standing as an occurrence: rejected, merged */
	WF_NSETS
};
int wf_in_set(int state, enum wf_set set);
/* The set's state names in table order, as an SQL list "'a', 'b'" (into out,
 * NUL-terminated); the length, or -1 when out is too small. */
int wf_set_sql(enum wf_set set, char *out, size_t n);
/* The same lists for static SQL texts (the statement cache keys on a
 * string's address, so the store's statements are literals): each macro
 * must equal wf_set_sql of its set — tests/unit/test_workflow.c checks it,
 * so a change of the table fails the build's tests until they follow. */
#define WF_SQL_FINAL "'rejected', 'merged', 'closed'"
#define WF_SQL_CLOCK "'dispatched', 'acknowledged'"
#define WF_SQL_VOID "'rejected', 'merged'"
#endif
