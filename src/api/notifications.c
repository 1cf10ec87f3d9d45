/*
 * notifications.c — the in-app inbox of each account (reminders, escalations,
 * new tasks), and the system clock and scheduler tick for tests and admins.
 */
#include "api.h"
#include "party_meetings.h"
#include "sites.h"
#include "core/timefmt.h"
#include <string.h>

int notifications_list(struct req *r)
{
	int limit = (int)q_int(r, "limit");
	json_t *items = store_notification_list(r->account_id, q_bool(r, "unread", 0), q_int(r, "cursor"), limit);
	if (!items)
		return reply_store_error(r, STORE_EIO);
	static const char *const keys[] = {"created_at", "read_at", NULL};
	size_t i;
	json_t *n;
	json_array_foreach(items, i, n) {
		render_times(n, keys);
		/* A body quotes the problem's description: a list, so personal
		 * numbers typed into it are masked (SPEC §2). */
		mask_text_field(n, "body");
	}
	json_t *o = page(items, limit, "id");
	json_object_set_new(o, "unread", json_integer(store_notification_unread(r->account_id)));
	return reply_json(r, 200, o);
}

int notifications_read(struct req *r)
{
	int rc = store_notification_read(r->account_id, req_id(r, 0), app_now());
	if (rc == STORE_ENOTFOUND)
		return reply_error(r, 404, "not_found", "通知不存在", NULL);
	return rc ? reply_store_error(r, rc) : reply_empty(r, 204);
}

int notifications_read_all(struct req *r)
{
	int rc = store_notification_read(r->account_id, 0, app_now());
	return rc ? reply_store_error(r, rc) : reply_empty(r, 204);
}

int system_clock(struct req *r)
{
	if (!app.test_clock)
		return reply_error(r, 404, "not_found", "仅测试时钟模式可用（WENMING_TEST_CLOCK=1）", NULL);
	static const struct fspec spec[] = {{"now", F_STR, F_REQ, 10, 40}, {NULL, 0, 0, 0, 0}};
	int st = body_check(r, spec);
	if (st)
		return st;
	int64_t t;
	if (time_parse(jstr(r->json, "now"), 0, &t))
		return reply_fields(r, json_pack("[{s:s, s:s, s:s}]", "field", "now", "code", "invalid", "message",
						 "应为 RFC 3339 时间"));
	/* Audited first (the route runs outside a transaction): when the entry
	 * cannot be written the clock stays where it was. */
	char buf[32];
	time_rfc3339(t, buf, sizeof buf);
	int rc = audit(r, "set_clock", "system", 0, NULL, json_pack("{s:s}", "now", buf));
	if (rc)
		return reply_store_error(r, rc);
	app_clock_set(t);
	return reply_json(r, 200, json_pack("{s:s}", "now", buf));
}

/* PUT /api/v1/system/fault {"write": N}: the N-th store write from now (0:
 * none) made while answering a request fails as an I/O error would
 * (store.h). Test-clock servers only, like the clock; it writes nothing
 * itself, not even an audit entry, so that a test's database fingerprint
 * taken after arming holds. Answers the faults fired since start, so the
 * test learns whether its request reached the N-th write. */
int system_fault(struct req *r)
{
	if (!app.test_clock)
		return reply_error(r, 404, "not_found", "仅测试时钟模式可用（WENMING_TEST_CLOCK=1）", NULL);
	static const struct fspec spec[] = {{"write", F_INT, F_REQ, 0, 1000000}, {NULL, 0, 0, 0, 0}};
	int st = body_check(r, spec);
	if (st)
		return st;
	int n = (int)jint(r->json, "write", 0);
	store_fault_arm(n);
	return reply_json(r, 200, json_pack("{s:i, s:I}", "write", n, "fired", (json_int_t)store_fault_fired_total()));
}

int system_tick(struct req *r)
{
	int reminded = 0, escalated = 0, days = 0, settled = 0, no_shows = 0, tasks_created = 0, tasks_missed = 0;
	int bank_awarded = 0, bank_expired = 0;	/* bank_awards.c */
	int rc = problems_tick(app_now(), &reminded, &escalated);
	if (!rc)
		rc = revisits_tick(app_now(), &days);
	if (!rc)
		rc = shifts_tick(app_now(), &settled, &no_shows);
	if (!rc)
		rc = tasks_tick(app_now(), &tasks_created, &tasks_missed);	/* tasks.c */
	if (!rc)
		rc = bank_tick(app_now(), &bank_awarded, &bank_expired);	/* bank_awards.c: catch-up awards, expiry */
	int meeting_reminders = 0;	/* party_compliance.c */
	if (!rc)
		rc = meetings_tick(app_now(), &meeting_reminders);
	if (rc)
		return reply_store_error(r, rc);
	json_t *out = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "reminded", reminded, "escalated", escalated,
				"chronic_days_settled", days, "shifts_settled", settled, "no_shows", no_shows,
				"tasks_created", tasks_created, "tasks_missed", tasks_missed);
	json_object_set_new(out, "bank_awarded", json_integer(bank_awarded));
	json_object_set_new(out, "bank_expired", json_integer(bank_expired));
	json_object_set_new(out, "meeting_reminders", json_integer(meeting_reminders));
	return reply_json(r, 200, out);
}
