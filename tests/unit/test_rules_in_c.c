/* test_rules_in_c.c — the business rules that were SQLite triggers until
 * schema 019 and now live in the store's C, so both engines run them
 * (docs/ARCHITECTURE.md, "Rules that hold across servers"): each event kind
 * enqueues its webhook deliveries (problem.<action>, shift.signup.confirmed /
 * waitlisted / promoted / cancelled, shift.attendance.<a>, shift.cancelled)
 * for the subscribed active webhooks only, in the event's own transaction (a
 * rolled-back event leaves no delivery, a refused write enqueues nothing);
 * capacity holds for promotions too; a due delivery is taken by one server
 * only. Against a real SQLite database in a temporary directory, or, when
 * WENMING_TEST_PG names a PostgreSQL server (scripts/pg-cluster.sh), against a
 * fresh database there (made and dropped with psql): the same rules on both
 * engines. Without the C each assertion on the outbox fails. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "store/store.h"

static int64_t org, post, cat, vol[3], shift_a, hook_all, hook_shift, hook_exact, hook_off;

static int64_t mk_volunteer(const char *name)
{
	json_t *p = json_pack("{s:s, s:I}", "name", name, "org_id", (json_int_t)org);
	int64_t pid = 0, vid = 0;
	assert_int_equal(store_person_create(p, &pid), STORE_OK);
	json_decref(p);
	json_t *v = json_pack("{s:I, s:I, s:s, s:s, s:I}", "person_id", (json_int_t)pid, "org_id", (json_int_t)org, "vtype",
			      "resident", "status", "approved", "created_at", (json_int_t)1);
	assert_int_equal(store_volunteer_create(v, &vid), STORE_OK);
	json_decref(v);
	return vid;
}

static int64_t mk_hook(const char *events, int active)
{
	json_t *w = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I}", "name", events, "url", "http://127.0.0.1:9/x", "events",
			      events, "secret_enc", "x", "active", active, "created_at", (json_int_t)1);
	int64_t id = 0;
	assert_int_equal(store_webhook_add(w, &id), STORE_OK);
	json_decref(w);
	return id;
}

static int64_t mk_shift(int64_t start, int64_t end, int capacity)
{
	assert_int_equal(store_shift_ensure(post, 0, 0, start, end, capacity, 1, NULL), STORE_OK);
	json_t *f = json_pack("{s:I, s:I, s:I}", "from", (json_int_t)start, "to", (json_int_t)start + 1, "post_id",
			      (json_int_t)post);
	json_t *rows = store_shift_list(f, 1);
	json_decref(f);
	int64_t id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
	json_decref(rows);
	assert_true(id > 0);
	return id;
}

static char pg_base[512], pg_db[64];

/* psql -c sql on the server's maintenance database; 0 when it ran. */
static int psql(const char *sql)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "psql -X -q -v ON_ERROR_STOP=1 -d '%s' -c '%s' >/dev/null", pg_base, sql);
	return system(cmd);
}

/* On PostgreSQL: a database of this test's own, selected for store_init. */
static void pick_database(void)
{
	const char *base = getenv("WENMING_TEST_PG");
	if (!base || !*base)
		return;
	snprintf(pg_base, sizeof pg_base, "%s", base);
	snprintf(pg_db, sizeof pg_db, "wm_test_rules_%ld", (long)getpid());
	char sql[128], url[600];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING \"UTF8\"", pg_db);
	assert_int_equal(psql(sql), 0);
	const char *slash = strrchr(base, '/'), *query = strchr(slash, '?');
	snprintf(url, sizeof url, "%.*s/%s%s", (int)(slash - base), base, pg_db, query ? query : "");
	assert_int_equal(store_select(url, NULL), STORE_OK);
}

static int setup(void **s)
{
	(void)s;
	char tmpl[] = "/tmp/wm-rules-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	pick_database();
	assert_int_equal(store_init(tmpl), STORE_OK);
	assert_true(store_schema_version() >= 19);	/* the triggers are gone: only the C can pass */
	json_t *o = json_pack("{s:s, s:s}", "kind", "street", "name", "规则街道");
	assert_int_equal(store_org_create(o, &org), STORE_OK);
	json_decref(o);
	json_t *c = json_pack("{s:s, s:s, s:i, s:s}", "code", "rules-test", "name", "测试类", "deadline_amount", 72,
			      "deadline_unit", "cal_hours");
	assert_int_equal(store_category_upsert(c, &cat), STORE_OK);
	json_decref(c);
	for (int i = 0; i < 3; i++) {
		char n[16];
		snprintf(n, sizeof n, "志愿者%d", i);
		vol[i] = mk_volunteer(n);
	}
	json_t *p = json_pack("{s:I, s:s}", "org_id", (json_int_t)org, "name", "规则岗");
	assert_int_equal(store_post_create(p, 1, &post), STORE_OK);
	json_decref(p);
	shift_a = mk_shift(100000, 107200, 1);
	hook_all = mk_hook("*", 1);
	hook_shift = mk_hook("problem.close,shift.*", 1);
	hook_exact = mk_hook("problem.accept,shift.signup.promoted,shift.attendance.no_show", 1);
	hook_off = mk_hook("*", 0);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	store_shutdown();
	if (pg_db[0]) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", pg_db);
		psql(sql);
	}
	return 0;
}

/* The event names queued for a webhook, oldest first. */
static json_t *queued(int64_t hook)
{
	json_t *rows = store_webhook_deliveries(hook, NULL, 0, 1000);
	assert_non_null(rows);
	json_t *names = json_array();
	for (size_t i = json_array_size(rows); i-- > 0;)
		json_array_append_new(names, json_string(json_string_value(json_object_get(json_array_get(rows, i), "event"))));
	json_decref(rows);
	return names;
}

static size_t count(int64_t hook, const char *event)
{
	json_t *names = queued(hook);
	size_t n = 0, i;
	json_t *v;
	json_array_foreach(names, i, v) n += !strcmp(json_string_value(v), event);
	json_decref(names);
	return n;
}

static json_t *patch(const char *k1, const char *v1, int64_t at)
{
	return json_pack("{s:s, s:I}", k1, v1, "updated_at", (json_int_t)at);
}

static void problem_events_enqueue(void **s)
{
	(void)s;
	json_t *p = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:I}", "code", "R-1", "state", "reported", "category_id",
			      (json_int_t)cat, "org_id", (json_int_t)org, "source", "staff", "description", "规则",
			      "created_at", (json_int_t)50);
	int64_t pid = 0, ev = 0;
	assert_int_equal(store_problem_create(p, &pid), STORE_OK);
	json_decref(p);
	json_t *e = json_pack("{s:I, s:s, s:s}", "at", (json_int_t)60, "action", "accept", "to_state", "accepted");
	assert_int_equal(store_problem_event_add(pid, e, &ev), STORE_OK);
	json_decref(e);
	json_t *rows = store_webhook_deliveries(hook_all, NULL, 0, 1);
	json_t *d = json_array_get(rows, 0);
	assert_string_equal(json_string_value(json_object_get(d, "event")), "problem.accept");
	assert_int_equal(json_integer_value(json_object_get(d, "problem_id")), pid);
	assert_int_equal(json_integer_value(json_object_get(d, "problem_event_id")), ev);
	assert_int_equal(json_integer_value(json_object_get(d, "created_at")), 60);
	assert_int_equal(json_integer_value(json_object_get(d, "next_at")), 60);
	assert_string_equal(json_string_value(json_object_get(d, "state")), "pending");
	json_decref(rows);
	assert_int_equal(count(hook_exact, "problem.accept"), 1);
	assert_int_equal(count(hook_shift, "problem.accept"), 0);	/* subscribed to problem.close only */
	json_t *off = queued(hook_off);
	assert_int_equal(json_array_size(off), 0);	/* inactive: nothing */
	json_decref(off);
	/* A rolled-back event leaves no delivery behind. */
	assert_int_equal(store_begin(), STORE_OK);
	e = json_pack("{s:I, s:s}", "at", (json_int_t)70, "action", "close");
	assert_int_equal(store_problem_event_add(pid, e, NULL), STORE_OK);
	json_decref(e);
	store_rollback();
	assert_int_equal(count(hook_all, "problem.close"), 0);
	assert_int_equal(count(hook_shift, "problem.close"), 0);
}

static void signup_events_enqueue(void **s)
{
	(void)s;
	int64_t g0 = 0, g1 = 0, g2 = 0;
	assert_int_equal(store_signup_insert(shift_a, vol[0], "confirmed", 0, 0, 200, &g0), STORE_OK);
	assert_int_equal(store_signup_insert(shift_a, vol[1], "waitlisted", 0, 0, 201, &g1), STORE_OK);
	assert_int_equal(count(hook_all, "shift.signup.confirmed"), 1);
	assert_int_equal(count(hook_shift, "shift.signup.waitlisted"), 1);
	assert_int_equal(count(hook_exact, "shift.signup.confirmed"), 0);
	/* The capacity rule refuses a second confirmed place and enqueues nothing. */
	assert_int_equal(store_signup_insert(shift_a, vol[2], "confirmed", 0, 0, 202, &g2), STORE_ECONFLICT);
	assert_int_equal(count(hook_all, "shift.signup.confirmed"), 1);
	/* …and a promotion while the shift is full. */
	json_t *pt = patch("status", "confirmed", 203);
	assert_int_equal(store_signup_update(g1, pt), STORE_ECONFLICT);
	json_decref(pt);
	assert_int_equal(count(hook_all, "shift.signup.promoted"), 0);
	/* Cancel, then promote: "cancelled", then "promoted" (not "confirmed"). */
	pt = patch("status", "cancelled", 204);
	assert_int_equal(store_signup_update(g0, pt), STORE_OK);
	json_decref(pt);
	pt = patch("status", "confirmed", 205);
	assert_int_equal(store_signup_update(g1, pt), STORE_OK);
	json_decref(pt);
	assert_int_equal(count(hook_all, "shift.signup.cancelled"), 1);
	assert_int_equal(count(hook_all, "shift.signup.promoted"), 1);
	assert_int_equal(count(hook_exact, "shift.signup.promoted"), 1);
	assert_int_equal(count(hook_all, "shift.signup.confirmed"), 1);
	/* An update that leaves the status as it was enqueues no status event. */
	pt = patch("status", "confirmed", 206);
	assert_int_equal(store_signup_update(g1, pt), STORE_OK);
	json_decref(pt);
	assert_int_equal(count(hook_all, "shift.signup.confirmed"), 1);
	/* Attendance: recorded once, changed once more; the same value again is no event. */
	pt = patch("attendance", "attended", 207);
	assert_int_equal(store_signup_update(g1, pt), STORE_OK);
	assert_int_equal(store_signup_update(g1, pt), STORE_OK);
	json_decref(pt);
	pt = patch("attendance", "no_show", 208);
	assert_int_equal(store_signup_update(g1, pt), STORE_OK);
	json_decref(pt);
	assert_int_equal(count(hook_all, "shift.attendance.attended"), 1);
	assert_int_equal(count(hook_all, "shift.attendance.no_show"), 1);
	assert_int_equal(count(hook_exact, "shift.attendance.no_show"), 1);
	assert_int_equal(count(hook_exact, "shift.attendance.attended"), 0);
	json_t *rows = store_webhook_deliveries(hook_all, NULL, 0, 1);
	json_t *d = json_array_get(rows, 0);
	assert_int_equal(json_integer_value(json_object_get(d, "signup_id")), g1);
	assert_int_equal(json_integer_value(json_object_get(d, "shift_id")), shift_a);
	assert_int_equal(json_integer_value(json_object_get(d, "created_at")), 208);
	json_decref(rows);
	/* An update of a missing sign-up: not found, nothing queued. */
	pt = patch("status", "cancelled", 209);
	assert_int_equal(store_signup_update(999999, pt), STORE_ENOTFOUND);
	json_decref(pt);
	assert_int_equal(count(hook_all, "shift.signup.cancelled"), 1);
}

static void shift_cancelled_enqueues_once(void **s)
{
	(void)s;
	int64_t b = mk_shift(300000, 303600, 3);
	assert_int_equal(store_shift_set_status(b, "cancelled", 400), STORE_OK);
	assert_int_equal(store_shift_set_status(b, "cancelled", 401), STORE_OK);	/* already: no second event */
	assert_int_equal(count(hook_all, "shift.cancelled"), 1);
	assert_int_equal(count(hook_shift, "shift.cancelled"), 1);
	assert_int_equal(count(hook_exact, "shift.cancelled"), 0);
	assert_int_equal(store_shift_set_status(b, "open", 402), STORE_OK);
	assert_int_equal(count(hook_all, "shift.cancelled"), 1);	/* reopening is no event */
}

/* Overlap holds for a waitlisted sign-up too, and counts only open shifts. */
static void overlap_rule(void **s)
{
	(void)s;
	int64_t c = mk_shift(500000, 507200, 1), d = mk_shift(503600, 510800, 1), g = 0;
	assert_int_equal(store_signup_insert(c, vol[2], "confirmed", 0, 0, 600, &g), STORE_OK);
	assert_int_equal(store_signup_insert(d, vol[2], "waitlisted", 0, 0, 601, &g), STORE_ECONFLICT);
	assert_int_equal(store_shift_set_status(c, "cancelled", 602), STORE_OK);
	assert_int_equal(store_signup_insert(d, vol[2], "confirmed", 0, 0, 603, &g), STORE_OK);
}

/* Several servers list the same due delivery; one takes it (webhook_worker.c). */
static void delivery_claimed_once(void **s)
{
	(void)s;
	json_t *rows = store_webhook_deliveries(hook_all, "pending", 0, 1);
	json_t *d = json_array_get(rows, 0);
	assert_non_null(d);
	int64_t id = json_integer_value(json_object_get(d, "id")), due = json_integer_value(json_object_get(d, "next_at"));
	json_decref(rows);
	assert_int_equal(store_webhook_claim(id, due, 0, due + 120), STORE_OK);
	assert_int_equal(store_webhook_claim(id, due, 0, due + 120), STORE_ECONFLICT);
	/* The taker settles it; after a failed attempt the next due time can be taken again. */
	assert_int_equal(store_webhook_attempt(id, "pending", 1, due + 60, 500, "HTTP 500", due), STORE_OK);
	assert_int_equal(store_webhook_claim(id, due + 60, 0, due + 180), STORE_ECONFLICT);	/* stale attempts */
	assert_int_equal(store_webhook_claim(id, due + 60, 1, due + 180), STORE_OK);
	assert_int_equal(store_webhook_attempt(id, "delivered", 2, due + 60, 200, NULL, due + 60), STORE_OK);
	assert_int_equal(store_webhook_claim(id, due + 60, 2, due + 180), STORE_ECONFLICT);	/* settled */
}

/* The callers go on after a grant already held (one grant, not an error): no
 * statement may fail, or PostgreSQL would refuse the rest of the transaction. */
static void duplicate_grant_leaves_transaction_usable(void **s)
{
	(void)s;
	int64_t acc = 0, g = 0;
	assert_int_equal(store_account_create("rules-grant", "授权", "x", 0, &acc), STORE_OK);
	assert_int_equal(store_begin(), STORE_OK);
	assert_int_equal(store_grant_add(acc, "office", org, &g), STORE_OK);
	assert_true(g > 0);
	assert_int_equal(store_grant_add(acc, "office", org, NULL), STORE_ECONFLICT);
	assert_int_equal(store_grant_add(acc, "committee", org, NULL), STORE_OK);
	assert_int_equal(store_commit(), STORE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(problem_events_enqueue),
		cmocka_unit_test(signup_events_enqueue),
		cmocka_unit_test(shift_cancelled_enqueues_once),
		cmocka_unit_test(overlap_rule),
		cmocka_unit_test(delivery_claimed_once),
		cmocka_unit_test(duplicate_grant_leaves_transaction_usable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
