/*
 * scheduler.c — the background work of the closed loop: a reminder to the
 * handler unit when half of the time is gone, and an escalation (督办) to the
 * supervising org when a problem is overdue. Both are events in the
 * problem's history and notifications in the inboxes. Runs every
 * WENMING_TICK_SECONDS (default 30) in its own thread, and on demand through
 * POST /api/v1/system/tick; the clock is app_now(), which tests can move.
 */
#include "api.h"
#include "sites.h"
#include "party_meetings.h"
#include "core/log.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int event(int64_t id, int64_t now, const char *action, const char *note)
{
	json_t *e = json_pack("{s:I, s:s, s:s}", "at", (json_int_t)now, "action", action, "note", note);
	int rc = store_problem_event_add(id, e, NULL);
	json_decref(e);
	return rc;
}

static int notify_roles(const char *roles_json, int64_t org, const char *kind, const json_t *p, const char *title,
			int64_t now)
{
	if (!org)
		return STORE_OK;
	char body[512];
	snprintf(body, sizeof body, "%s %s：%s", jstr(p, "code"), jstr(p, "category_name") ? jstr(p, "category_name") : "",
		 jstr(p, "description") ? jstr(p, "description") : "");
	json_t *n = json_pack("{s:s, s:I, s:s, s:s, s:I}", "kind", kind, "problem_id", (json_int_t)jint(p, "id", 0),
			      "title", title, "body", body, "created_at", (json_int_t)now);
	int rc = store_notify(roles_json, org, n);
	json_decref(n);
	return rc;
}

int problems_tick(int64_t now, int *reminded, int *escalated)
{
	*reminded = *escalated = 0;
	int rc = store_begin();
	if (rc)
		return rc;
	json_t *due = store_problems_due(now, 0, 1000);
	size_t i;
	json_t *row;
	json_array_foreach(due, i, row) {
		int64_t half = calendar_halfway(jint(row, "dispatched_at", 0), jint(row, "deadline", 0),
						jstr(row, "deadline_unit"));
		if (now < half)
			continue;
		int64_t id = jint(row, "id", 0);
		json_t *p = store_problem_get(id);
		json_t *patch = json_pack("{s:I, s:I}", "reminded_at", (json_int_t)now, "updated_at", (json_int_t)now);
		rc = store_problem_update(id, patch);
		json_decref(patch);
		if (!rc)
			rc = event(id, now, "remind", "整改时限已过半");
		if (!rc)
			rc = notify_roles("[\"handler\"]", jint(p, "handler_org_id", 0), "reminder", p,
					  "整改时限已过半，请尽快处置", now);
		json_decref(p);
		if (rc)
			break;
		(*reminded)++;
	}
	json_decref(due);
	json_t *over = rc ? NULL : store_problems_due(now, 1, 1000);
	json_array_foreach(over, i, row) {
		int64_t id = jint(row, "id", 0);
		json_t *p = store_problem_get(id);
		json_t *org = store_org_get(jint(p, "org_id", 0));
		int64_t supervisor = jint(org, "parent_id", 0);
		json_decref(org);
		json_t *patch = json_pack("{s:I, s:I}", "escalated_at", (json_int_t)now, "updated_at", (json_int_t)now);
		rc = store_problem_update(id, patch);
		json_decref(patch);
		if (!rc)
			rc = event(id, now, "escalate", "已超期，提请上级督办");
		/* 督办: the supervising org's office, the community, and the handler. */
		if (!rc)
			rc = notify_roles("[\"office\"]", supervisor ? supervisor : jint(p, "org_id", 0), "escalation", p,
					  "问题已超期，请督办", now);
		if (!rc)
			rc = notify_roles("[\"committee\",\"handler\"]", jint(p, "org_id", 0), "escalation", p,
					  "问题已超期，已提请督办", now);
		if (!rc && jint(p, "handler_org_id", 0))
			rc = notify_roles("[\"handler\"]", jint(p, "handler_org_id", 0), "escalation", p,
					  "问题已超期，已提请督办", now);
		json_decref(p);
		if (rc)
			break;
		(*escalated)++;
	}
	json_decref(over);
	if (rc) {
		store_rollback();
		return rc;
	}
	return store_commit();
}

static pthread_t thread;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int stopping, running;

static void *loop(void *arg)
{
	int period = *(int *)arg;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += period;
		pthread_cond_timedwait(&cv, &mu, &ts);
		if (stopping)
			break;
		pthread_mutex_unlock(&mu);
		int r = 0, e = 0;
		if (problems_tick(app_now(), &r, &e))
			log_error("scheduler tick failed");
		else if (r || e)
			log_info("scheduler: %d reminder(s), %d escalation(s)", r, e);
		int days = 0;
		if (revisits_tick(app_now(), &days))	/* chronic.c: watched days that ended */
			log_error("scheduler: settling watched chronic spots failed");
		if (shifts_tick(app_now(), &r, &e))
			log_error("scheduler: settling shifts failed");
		else if (r || e)
			log_info("scheduler: %d shift(s) settled, %d no-show(s)", r, e);
		if (tasks_tick(app_now(), NULL, NULL))	/* tasks.c: daily check tasks */
			log_error("scheduler: daily tasks tick failed");
		if (bank_tick(app_now(), NULL, NULL))	/* bank_awards.c: catch-up awards, expiry */
			log_error("scheduler: love bank awards failed");
		if (meetings_tick(app_now(), &r))	/* party_compliance.c: 三会一课 reminders */
			log_error("scheduler: party meeting reminders failed");
		pthread_mutex_lock(&mu);
	}
	pthread_mutex_unlock(&mu);
	store_thread_close();
	return NULL;
}

void scheduler_start(void)
{
	static int period;
	const char *s = getenv("WENMING_TICK_SECONDS");
	period = s ? atoi(s) : 30;
	if (period <= 0)
		return;	/* 0 turns the background tick off (tests drive it) */
	stopping = 0;
	running = pthread_create(&thread, NULL, loop, &period) == 0;
}

void scheduler_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&mu);
	stopping = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(thread, NULL);
	running = 0;
}
