/* workflow.c — see workflow.h. The table is the SPEC §3 table, row by row. */
#include "workflow.h"
#include <stdio.h>
#include <string.h>

/* Per state: its API name and the sets it belongs to (enum wf_set as bits). */
#define S(set) (1u << (set))
static const struct {
	const char *name;
	unsigned sets;
} states[WF_NSTATES] = {
	[WF_REPORTED] = {"reported", S(WF_SET_OPEN)},
	[WF_ACCEPTED] = {"accepted", S(WF_SET_OPEN)},
	[WF_REJECTED] = {"rejected", S(WF_SET_FINAL) | S(WF_SET_VOID)},
	[WF_MERGED] = {"merged", S(WF_SET_FINAL) | S(WF_SET_VOID)},
	[WF_DISPATCHED] = {"dispatched", S(WF_SET_OPEN) | S(WF_SET_CLOCK)},
	[WF_ACKNOWLEDGED] = {"acknowledged", S(WF_SET_OPEN) | S(WF_SET_CLOCK)},
	[WF_RECTIFIED] = {"rectified", S(WF_SET_OPEN)},
	[WF_CLOSED] = {"closed", S(WF_SET_FINAL)},
	[WF_REOPENED] = {"reopened", S(WF_SET_OPEN)},
};

#define B(s) (1u << (s))

static const struct wf_rule rules[WA_NACTIONS] = {
	{WA_ACCEPT, "accept", B(WF_REPORTED), WF_ACCEPTED, R_OFFICE | R_COMMITTEE, WF_OVER_ORG, 0},
	{WA_REJECT, "reject", B(WF_REPORTED), WF_REJECTED, R_OFFICE | R_COMMITTEE, WF_OVER_ORG, 1},
	{WA_MERGE, "merge", B(WF_REPORTED) | B(WF_ACCEPTED), WF_MERGED, R_OFFICE | R_COMMITTEE, WF_OVER_ORG, 0},
	/* A reopened problem (relapse) is dispatched again. */
	{WA_DISPATCH, "dispatch", B(WF_ACCEPTED) | B(WF_REOPENED), WF_DISPATCHED, R_OFFICE | R_COMMITTEE, WF_OVER_ORG, 0},
	{WA_ACKNOWLEDGE, "acknowledge", B(WF_DISPATCHED), WF_ACKNOWLEDGED, R_HANDLER, WF_OVER_HANDLER, 0},
	{WA_RETURN, "return", B(WF_DISPATCHED) | B(WF_ACKNOWLEDGED), WF_ACCEPTED, R_HANDLER, WF_OVER_HANDLER, 1},
	{WA_REQUEST_EXTENSION, "request_extension", B(WF_ACKNOWLEDGED), -1, R_HANDLER, WF_OVER_HANDLER, 1},
	{WA_APPROVE_EXTENSION, "approve_extension", B(WF_ACKNOWLEDGED), -1, R_OFFICE | R_COMMITTEE, WF_OVER_ORG, 0},
	{WA_DENY_EXTENSION, "deny_extension", B(WF_ACKNOWLEDGED), -1, R_OFFICE | R_COMMITTEE, WF_OVER_ORG, 1},
	{WA_RECTIFY, "rectify", B(WF_ACKNOWLEDGED), WF_RECTIFIED, R_HANDLER, WF_OVER_HANDLER, 0},
	{WA_VERIFY_PASS, "verify_pass", B(WF_RECTIFIED), WF_CLOSED, R_OFFICE | R_COMMITTEE | R_INSPECTOR, WF_OVER_ORG, 0},
	{WA_VERIFY_FAIL, "verify_fail", B(WF_RECTIFIED), WF_ACKNOWLEDGED, R_OFFICE | R_COMMITTEE | R_INSPECTOR, WF_OVER_ORG, 1},
	{WA_REOPEN, "reopen", B(WF_CLOSED), WF_REOPENED, R_OFFICE | R_INSPECTOR, WF_OVER_ORG, 1},
};

const char *wf_state_name(int s)
{
	return s >= 0 && s < WF_NSTATES ? states[s].name : NULL;
}

int wf_state_parse(const char *name)
{
	for (int i = 0; name && i < WF_NSTATES; i++)
		if (!strcmp(states[i].name, name))
			return i;
	return -1;
}

const struct wf_rule *wf_rule(int a)
{
	return a >= 0 && a < WA_NACTIONS ? &rules[a] : NULL;
}

int wf_action_parse(const char *name)
{
	for (int i = 0; name && i < WA_NACTIONS; i++)
		if (!strcmp(rules[i].name, name))
			return i;
	return -1;
}

int wf_next(int state, int action)
{
	const struct wf_rule *r = wf_rule(action);
	if (!r || state < 0 || state >= WF_NSTATES || !(r->from & B(state)))
		return -1;
	return r->to < 0 ? state : r->to;
}

int wf_in_set(int state, enum wf_set set)
{
	return state >= 0 && state < WF_NSTATES && set < WF_NSETS && (states[state].sets & S(set));
}

int wf_clock_running(int state)
{
	return wf_in_set(state, WF_SET_CLOCK);
}

int wf_is_final(int state)
{
	return wf_in_set(state, WF_SET_FINAL);
}

int wf_set_sql(enum wf_set set, char *out, size_t n)
{
	size_t len = 0;
	if (!n)
		return -1;
	out[0] = 0;
	for (int s = 0; s < WF_NSTATES; s++) {
		if (!wf_in_set(s, set))
			continue;
		int k = snprintf(out + len, n - len, "%s'%s'", len ? ", " : "", states[s].name);
		if (k < 0 || (size_t)k >= n - len)
			return -1;
		len += (size_t)k;
	}
	return (int)len;
}
