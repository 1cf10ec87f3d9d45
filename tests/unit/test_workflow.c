/*
 * test_workflow.c — every (state, action) pair of the closed loop against
 * the SPEC §3 table, written out independently here: allowed with the right
 * resulting state, or refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/workflow.h"

/* The SPEC §3 table: {action, from state, to state}; "=" keeps the state. */
static const struct {
	const char *action, *from, *to;
} allowed[] = {
	{"accept", "reported", "accepted"},
	{"reject", "reported", "rejected"},
	{"merge", "reported", "merged"},
	{"merge", "accepted", "merged"},
	{"dispatch", "accepted", "dispatched"},
	{"dispatch", "reopened", "dispatched"},
	{"acknowledge", "dispatched", "acknowledged"},
	{"return", "dispatched", "accepted"},
	{"return", "acknowledged", "accepted"},
	{"request_extension", "acknowledged", "="},
	{"approve_extension", "acknowledged", "="},
	{"deny_extension", "acknowledged", "="},
	{"rectify", "acknowledged", "rectified"},
	{"verify_pass", "rectified", "closed"},
	{"verify_fail", "rectified", "acknowledged"},
	{"reopen", "closed", "reopened"},
};

static const char *const states[] = {"reported", "accepted", "rejected", "merged", "dispatched",
				     "acknowledged", "rectified", "closed", "reopened"};
static const char *const actions[] = {"accept", "reject", "merge", "dispatch", "acknowledge", "return",
				      "request_extension", "approve_extension", "deny_extension", "rectify",
				      "verify_pass", "verify_fail", "reopen"};

static void t_every_pair(void **s)
{
	(void)s;
	int checked = 0;
	for (size_t si = 0; si < sizeof states / sizeof *states; si++)
		for (size_t ai = 0; ai < sizeof actions / sizeof *actions; ai++) {
			int st = wf_state_parse(states[si]), ac = wf_action_parse(actions[ai]);
			assert_true(st >= 0);
			assert_true(ac >= 0);
			const char *want = NULL;
			for (size_t k = 0; k < sizeof allowed / sizeof *allowed; k++)
				if (!strcmp(allowed[k].action, actions[ai]) && !strcmp(allowed[k].from, states[si]))
					want = allowed[k].to;
			int got = wf_next(st, ac);
			if (!want) {
				if (got != -1)
					fail_msg("%s in %s should be refused, got %s", actions[ai], states[si], wf_state_name(got));
			} else {
				const char *w = !strcmp(want, "=") ? states[si] : want;
				if (got < 0 || strcmp(wf_state_name(got), w))
					fail_msg("%s in %s should give %s", actions[ai], states[si], w);
			}
			checked++;
		}
	assert_int_equal(checked, 9 * 13);
}

static void t_names_round_trip(void **s)
{
	(void)s;
	for (int i = 0; i < WF_NSTATES; i++)
		assert_int_equal(wf_state_parse(wf_state_name(i)), i);
	for (int a = 0; a < WA_NACTIONS; a++)
		assert_int_equal(wf_action_parse(wf_rule(a)->name), a);
	assert_int_equal(wf_state_parse("open"), -1);
	assert_int_equal(wf_state_parse(NULL), -1);
	assert_int_equal(wf_action_parse("close"), -1);
	assert_null(wf_state_name(-1));
	assert_null(wf_state_name(WF_NSTATES));
	assert_null(wf_rule(WA_NACTIONS));
	assert_int_equal(wf_next(-1, WA_ACCEPT), -1);
	assert_int_equal(wf_next(WF_REPORTED, -1), -1);
}

static void t_who_and_reasons(void **s)
{
	(void)s;
	assert_int_equal(wf_rule(WA_ACKNOWLEDGE)->roles, R_HANDLER);
	assert_int_equal(wf_rule(WA_RECTIFY)->over, WF_OVER_HANDLER);
	assert_int_equal(wf_rule(WA_ACCEPT)->over, WF_OVER_ORG);
	assert_true(wf_rule(WA_VERIFY_PASS)->roles & R_INSPECTOR);
	assert_false(wf_rule(WA_VERIFY_PASS)->roles & R_HANDLER);
	assert_true(wf_rule(WA_REJECT)->needs_reason);
	assert_true(wf_rule(WA_RETURN)->needs_reason);
	assert_true(wf_rule(WA_VERIFY_FAIL)->needs_reason);
	assert_false(wf_rule(WA_ACCEPT)->needs_reason);
	assert_true(wf_clock_running(WF_DISPATCHED));
	assert_true(wf_clock_running(WF_ACKNOWLEDGED));
	assert_false(wf_clock_running(WF_RECTIFIED));
	assert_true(wf_is_final(WF_CLOSED));
	assert_false(wf_is_final(WF_REOPENED));
}

/* The SQL lists the store's static statements use are the table's sets. */
static void t_sets_sql(void **s)
{
	(void)s;
	static const struct {
		enum wf_set set;
		const char *sql;
	} lists[] = {{WF_SET_FINAL, WF_SQL_FINAL}, {WF_SET_CLOCK, WF_SQL_CLOCK}, {WF_SET_VOID, WF_SQL_VOID}};
	char buf[256];
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		assert_true(wf_set_sql(lists[i].set, buf, sizeof buf) > 0);
		assert_string_equal(buf, lists[i].sql);
	}
	assert_int_equal(wf_set_sql(WF_SET_CLOCK, buf, 8), -1);
	for (int st = 0; st < WF_NSTATES; st++) {
		assert_int_equal(wf_in_set(st, WF_SET_OPEN), !wf_is_final(st));
		assert_true(!wf_in_set(st, WF_SET_VOID) || wf_is_final(st));
		assert_true(!wf_clock_running(st) || !wf_is_final(st));
	}
	assert_true(wf_clock_running(WF_DISPATCHED) && wf_clock_running(WF_ACKNOWLEDGED));
	assert_true(wf_is_final(WF_CLOSED) && !wf_in_set(WF_CLOSED, WF_SET_VOID));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_every_pair),
		cmocka_unit_test(t_sets_sql),
		cmocka_unit_test(t_names_round_trip),
		cmocka_unit_test(t_who_and_reasons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
