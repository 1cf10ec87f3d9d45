/* test_volunteer_store.c — the schema's safety nets under the volunteer
 * module, against a real SQLite database in a temporary directory: decided
 * service records refuse any change (trigger), a correction supersedes in the
 * counted hours, one live sign-up per person and shift, the capacity rule
 * (unless overbooked) and the overlap rule of the store's C (triggers until
 * schema 019), and shift generation that never duplicates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store.h"

static int64_t org, vol[3], shift_a, shift_b;

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

static int setup(void **s)
{
	(void)s;
	char tmpl[] = "/tmp/wm-volstore-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	assert_int_equal(store_init(tmpl), STORE_OK);
	json_t *o = json_pack("{s:s, s:s}", "kind", "street", "name", "测试街道");
	assert_int_equal(store_org_create(o, &org), STORE_OK);
	json_decref(o);
	for (int i = 0; i < 3; i++) {
		char n[16];
		snprintf(n, sizeof n, "志愿者%d", i);
		vol[i] = mk_volunteer(n);
	}
	json_t *p = json_pack("{s:I, s:s}", "org_id", (json_int_t)org, "name", "测试岗");
	int64_t post = 0;
	assert_int_equal(store_post_create(p, 1, &post), STORE_OK);
	json_decref(p);
	int created = 0;
	assert_int_equal(store_shift_ensure(post, 0, 0, 1000, 8200, 1, 1, &created), STORE_OK);
	assert_int_equal(created, 1);
	assert_int_equal(store_shift_ensure(post, 0, 0, 1000, 8200, 1, 1, &created), STORE_OK);
	assert_int_equal(created, 0);	/* regenerating never duplicates */
	assert_int_equal(store_shift_ensure(post, 0, 0, 5000, 9000, 5, 1, &created), STORE_OK);
	json_t *f = json_pack("{s:I, s:I, s:I}", "from", (json_int_t)0, "to", (json_int_t)100000, "post_id", (json_int_t)post);
	json_t *rows = store_shift_list(f, 10);
	json_decref(f);
	assert_int_equal(json_array_size(rows), 2);
	shift_a = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
	shift_b = json_integer_value(json_object_get(json_array_get(rows, 1), "id"));
	json_decref(rows);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	store_shutdown();
	return 0;
}

static void test_decided_records_are_immutable(void **s)
{
	(void)s;
	json_t *in = json_pack("{s:I, s:I, s:s, s:s, s:f}", "volunteer_id", (json_int_t)vol[0], "org_id", (json_int_t)org,
			       "activity_name", "爱心岗", "service_date", "2025-03-05", "hours", 2.0);
	int64_t id = 0;
	assert_int_equal(store_record_create(in, 1, &id), STORE_OK);
	assert_true(id > 0);
	assert_int_equal(store_record_decide(id, "approved", 0, 2), STORE_OK);
	/* The trigger refuses any later change, whoever asks. */
	assert_int_equal(store_record_decide(id, "rejected", 0, 3), STORE_ECONFLICT);
	json_t *r = store_record_get(id);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "approved");
	json_decref(r);
	assert_true(store_volunteer_hours(vol[0]) == 2.0);
	/* A correction counts once approved; the old row stays as it was. */
	json_object_set_new(in, "hours", json_real(3.5));
	json_object_set_new(in, "supersedes_id", json_integer(id));
	int64_t corr = 0;
	assert_int_equal(store_record_create(in, 4, &corr), STORE_OK);
	assert_true(store_volunteer_hours(vol[0]) == 2.0);
	assert_int_equal(store_record_decide(corr, "approved", 0, 5), STORE_OK);
	assert_true(store_volunteer_hours(vol[0]) == 3.5);
	r = store_record_get(id);
	assert_int_equal(json_integer_value(json_object_get(r, "superseded_by")), corr);
	assert_true(json_number_value(json_object_get(r, "hours")) == 2.0);
	json_decref(r);
	json_decref(in);
}

static void test_signup_safety_nets(void **s)
{
	(void)s;
	int64_t g1 = 0, g2 = 0, g3 = 0;
	/* capacity 1: the second confirmed place is refused unless overbooked */
	assert_int_equal(store_signup_insert(shift_a, vol[0], "confirmed", 0, 0, 1, &g1), STORE_OK);
	assert_int_equal(store_signup_insert(shift_a, vol[1], "confirmed", 0, 0, 1, &g2), STORE_ECONFLICT);
	assert_int_equal(store_signup_insert(shift_a, vol[1], "confirmed", 1, 0, 1, &g2), STORE_OK);
	/* one live sign-up per person and shift */
	assert_int_equal(store_signup_insert(shift_a, vol[0], "waitlisted", 0, 0, 1, &g3), STORE_ECONFLICT);
	/* overlap: shift_b (5000–9000) overlaps shift_a (1000–8200) */
	assert_int_equal(store_signup_insert(shift_b, vol[0], "confirmed", 0, 0, 1, &g3), STORE_ECONFLICT);
	assert_int_equal(store_signup_insert(shift_b, vol[2], "confirmed", 0, 0, 1, &g3), STORE_OK);
	/* promotion beyond capacity is refused by the store too */
	int64_t w = 0;
	assert_int_equal(store_signup_insert(shift_a, vol[2] + 0, "waitlisted", 0, 0, 1, &w), STORE_ECONFLICT);	/* vol[2] overlaps */
	json_t *patch = json_pack("{s:s, s:I}", "status", "cancelled", "updated_at", (json_int_t)2);
	assert_int_equal(store_signup_update(g3, patch), STORE_OK);
	json_decref(patch);
	assert_int_equal(store_signup_insert(shift_a, vol[2], "waitlisted", 0, 0, 1, &w), STORE_OK);
	patch = json_pack("{s:s, s:I}", "status", "confirmed", "updated_at", (json_int_t)3);
	assert_int_equal(store_signup_update(w, patch), STORE_ECONFLICT);	/* shift_a already has 2 for capacity 1 */
	json_decref(patch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decided_records_are_immutable),
		cmocka_unit_test(test_signup_safety_nets),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
