/*
 * webhook_outbox.c — see webhook_outbox.h. The webhooks table is tiny (a
 * handful of subscriptions): one read of the active ones per event, the
 * matching in C (webhook_event_subscribed, the rule the SQLite triggers
 * expressed with instr), one insert per subscriber.
 */
#include "webhook_outbox.h"
#include "db.h"
#include "store.h"
#include "core/webhook_rules.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bind_id(db_stmt *st, int i, int64_t v)
{
	if (v)
		db_bind_i64(st, i, v);
	else
		db_bind_null(st, i);
}

/* The ids of the active webhooks subscribed to name, in id order (malloc'd
 * into *ids; collected first, so no insert runs while the read is open). */
static int subscribers(const char *name, int64_t **ids)
{
	*ids = NULL;
	db_stmt *st = db_prep("SELECT id, events FROM webhooks WHERE active = 1 ORDER BY id");
	if (!st)
		return STORE_EIO;
	int n = 0, cap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!webhook_event_subscribed(db_col_text(st, 1), name))
			continue;
		if (n == cap) {
			int64_t *more = realloc(*ids, (size_t)(cap = cap ? cap * 2 : 8) * sizeof **ids);
			if (!more) {
				rc = DB_EIO;
				break;
			}
			*ids = more;
		}
		(*ids)[n++] = db_col_i64(st, 0);
	}
	db_done(st);
	return rc == DB_DONE ? n : STORE_EIO;
}

int webhooks_enqueue(const struct webhook_event *e)
{
	int64_t *ids;
	int n = subscribers(e->name, &ids), rc = n < 0 ? n : STORE_OK;
	for (int i = 0; !rc && i < n; i++) {
		db_stmt *st = db_prep("INSERT INTO webhook_deliveries (webhook_id, event, problem_id, problem_event_id,"
				      " signup_id, shift_id, created_at, next_at, meeting_id) VALUES (?, ?, ?, ?, ?, ?, ?7, ?7, ?8)");
		if (!st) {
			rc = STORE_EIO;
			break;
		}
		db_bind_i64(st, 1, ids[i]);
		db_bind_text(st, 2, e->name);
		bind_id(st, 3, e->problem_id);
		bind_id(st, 4, e->problem_event_id);
		bind_id(st, 5, e->signup_id);
		bind_id(st, 6, e->shift_id);
		db_bind_i64(st, 7, e->at);
		bind_id(st, 8, e->meeting_id);
		rc = db_exec_stmt(st);
	}
	free(ids);
	return rc;
}

int webhooks_enqueue_problem_event(int64_t problem_id, int64_t event_id, const char *action, int64_t at)
{
	char name[80];
	snprintf(name, sizeof name, "problem.%s", action ? action : "");
	return webhooks_enqueue(&(struct webhook_event){.name = name, .problem_id = problem_id,
							.problem_event_id = event_id, .at = at});
}

int webhooks_enqueue_signup_status(int64_t signup_id, int64_t shift_id, const char *from, const char *to,
				   int64_t at)
{
	char name[80];
	int promoted = from && !strcmp(from, "waitlisted") && !strcmp(to, "confirmed");
	snprintf(name, sizeof name, "shift.signup.%s", promoted ? "promoted" : to);
	return webhooks_enqueue(&(struct webhook_event){.name = name, .signup_id = signup_id, .shift_id = shift_id,
							.at = at});
}

int webhooks_enqueue_attendance(int64_t signup_id, int64_t shift_id, const char *attendance, int64_t at)
{
	char name[80];
	snprintf(name, sizeof name, "shift.attendance.%s", attendance);
	return webhooks_enqueue(&(struct webhook_event){.name = name, .signup_id = signup_id, .shift_id = shift_id,
							.at = at});
}

int webhooks_enqueue_shift_cancelled(int64_t shift_id, int64_t at)
{
	return webhooks_enqueue(&(struct webhook_event){.name = "shift.cancelled", .shift_id = shift_id, .at = at});
}
