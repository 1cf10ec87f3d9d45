/*
 * webhook_outbox.h — the webhook delivery outbox written by the store
 * functions that make an event (store-internal; docs/WEBHOOKS.md). Until
 * schema 019 SQLite triggers wrote these rows; now C writes them, so both
 * engines enqueue the same deliveries. Each call runs inside the event's own
 * write transaction: a delivery exists exactly when its event was committed.
 */
#ifndef WM_STORE_WEBHOOK_OUTBOX_H
#define WM_STORE_WEBHOOK_OUTBOX_H
#include <stdint.h>

/* One event: name ("problem.dispatch", "shift.cancelled", …), the rows it
 * refers to (0 = none) and its time, which is also when it is first due. */
struct webhook_event {
	const char *name;
	int64_t problem_id, problem_event_id, signup_id, shift_id, at;
	int64_t meeting_id;	/* party.meeting.* (api/party_meetings.c) */
};

/* One pending delivery per active webhook subscribed to e->name. STORE_OK
 * (also when none is), or STORE_EIO. */
int webhooks_enqueue(const struct webhook_event *e);
/* A problem_events row was added: "problem.<action>". */
int webhooks_enqueue_problem_event(int64_t problem_id, int64_t event_id, const char *action, int64_t at);
/* A sign-up was made or changed status: "shift.signup.<status>", or
 * "shift.signup.promoted" for waitlisted → confirmed (候补转正). */
int webhooks_enqueue_signup_status(int64_t signup_id, int64_t shift_id, const char *from, const char *to,
				   int64_t at);
/* A sign-up's attendance was recorded: "shift.attendance.<attendance>". */
int webhooks_enqueue_attendance(int64_t signup_id, int64_t shift_id, const char *attendance, int64_t at);
/* A shift was cancelled: "shift.cancelled". */
int webhooks_enqueue_shift_cancelled(int64_t shift_id, int64_t at);
#endif
