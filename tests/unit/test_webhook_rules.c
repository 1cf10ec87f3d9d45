/*
 * test_webhook_rules.c — unit tests for src/core/webhook_rules.c: the
 * signature against an HMAC-SHA256 computed independently (Python's hmac),
 * the retry schedule and its end, and which event lists and URLs pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "core/webhook_rules.h"

static void test_signature(void **state)
{
	(void)state;
	char out[65];
	const char *body = "{\"a\":1}";
	webhook_signature("whsec-test", 1700000000, body, strlen(body), out);
	/* python3: hmac.new(b'whsec-test', b'1700000000.{"a":1}', hashlib.sha256).hexdigest() */
	assert_string_equal(out, "fed7a1a6c799a6367d73724d76bc70c16678908a32a879cd1ded6565ac05cece");
	char other[65];
	webhook_signature("whsec-test", 1700000001, body, strlen(body), other);
	assert_string_not_equal(out, other);
}

static void test_backoff(void **state)
{
	(void)state;
	assert_int_equal(webhook_backoff(1), 60);
	assert_int_equal(webhook_backoff(2), 300);
	int64_t prev = 0;
	for (int a = 1; a < WEBHOOK_MAX_ATTEMPTS; a++) {
		assert_true(webhook_backoff(a) > prev);
		prev = webhook_backoff(a);
	}
	assert_int_equal(webhook_backoff(WEBHOOK_MAX_ATTEMPTS), -1);
	assert_int_equal(webhook_backoff(99), -1);
	assert_int_equal(webhook_backoff(0), 0);
}

static void test_events(void **state)
{
	(void)state;
	const char *good[] = {"*", "problem.*", "shift.*", "problem.dispatch,problem.verify_pass",
			      "shift.signup.promoted,shift.cancelled,problem.*", "party.*", "party.meeting.planned"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_true(webhook_events_valid(good[i]));
	const char *bad[] = {"", "problem", "problem.", "problem.*,", ",shift.*", "problem.a.b", "shift.a..b",
			     "shift.Signup", "task.*", "problem.*,problem.*", "problem.dispatch problem.close",
			     "**", "shift.signup.*x", NULL};
	for (size_t i = 0; bad[i]; i++)
		if (webhook_events_valid(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_false(webhook_events_valid(NULL));
	char many[400] = "";
	for (int i = 0; i < 21; i++) {
		char w[20];
		snprintf(w, sizeof w, "%sproblem.a%c", i ? "," : "", 'a' + i);
		strcat(many, w);
	}
	assert_false(webhook_events_valid(many));
}

/* The outbox's matching (webhooks_enqueue): whole items only, as the SQLite
 * triggers it replaces matched them with instr(',' || list || ',', …). */
static void test_subscribed(void **state)
{
	(void)state;
	assert_true(webhook_event_subscribed("*", "problem.dispatch"));
	assert_true(webhook_event_subscribed("shift.cancelled,*", "shift.signup.confirmed"));
	assert_true(webhook_event_subscribed("problem.*", "problem.dispatch"));
	assert_false(webhook_event_subscribed("problem.*", "shift.cancelled"));
	assert_true(webhook_event_subscribed("problem.close,shift.*", "shift.signup.promoted"));
	assert_true(webhook_event_subscribed("problem.close,problem.dispatch", "problem.dispatch"));
	assert_false(webhook_event_subscribed("problem.dis", "problem.dispatch"));
	assert_false(webhook_event_subscribed("problem.dispatch_x", "problem.dispatch"));
	assert_false(webhook_event_subscribed("shift.signup", "shift.signup.confirmed"));
	assert_false(webhook_event_subscribed("shift.signup.*", "shift.signup.confirmed"));	/* not a valid item */
	assert_false(webhook_event_subscribed("", "problem.dispatch"));
	assert_false(webhook_event_subscribed(NULL, "problem.dispatch"));
	assert_false(webhook_event_subscribed("*", NULL));
}

static void test_url(void **state)
{
	(void)state;
	assert_true(webhook_url_valid("https://oapi.dingtalk.com/robot/send?access_token=abc"));
	assert_true(webhook_url_valid("http://127.0.0.1:8080/hook"));
	const char *bad[] = {"ftp://x/y", "https://", "http:///x", "https://user:pw@host/x", "https://a b/", "javascript:alert(1)",
			     "https://:80/", "https://host/\x01", NULL};
	for (size_t i = 0; bad[i]; i++)
		if (webhook_url_valid(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_false(webhook_url_valid(NULL));
	char longu[600];
	memset(longu, 'a', sizeof longu);
	memcpy(longu, "https://", 8);
	longu[sizeof longu - 1] = 0;
	assert_false(webhook_url_valid(longu));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_subscribed),
		cmocka_unit_test(test_url),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
