/*
 * webhook_worker.c — sends the webhook outbox (docs/WEBHOOKS.md). One thread
 * wakes every WENMING_WEBHOOK_SECONDS (default 1; 0 = off) or when kicked,
 * takes the due deliveries, builds each payload from the rows as they are
 * now (the event itself is immutable history), signs it and POSTs it with
 * libcurl outside any transaction, then settles the attempt in a short write
 * transaction: delivered on 2xx, else retried on webhook_backoff()'s
 * schedule until it is given up as failed. A kill between the POST and the
 * settling sends the delivery again: receivers de-duplicate by the
 * X-Wenming-Delivery id (at-least-once, as every webhook system).
 */
#include "api.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/timefmt.h"
#include "core/webhook_rules.h"
#include "store/party_meetings.h"
#include <curl/curl.h>
#include <sodium.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_t thread;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int stopping, running, kicked, curl_ready;

static const struct {
	const char *action, *zh;
} action_names[] = {
	{"report", "新上报"}, {"accept", "已立案"}, {"reject", "不予立案"}, {"merge", "已合并"},
	{"merged_from", "合并了重复问题"}, {"join", "有群众附议"}, {"dispatch", "已派遣"},
	{"acknowledge", "处置单位已签收"}, {"return", "处置单位退回"}, {"request_extension", "申请延期"},
	{"approve_extension", "同意延期"}, {"deny_extension", "驳回延期"}, {"rectify", "已整改待核查"},
	{"verify_pass", "核查通过已销号"}, {"verify_fail", "核查不通过"}, {"reopen", "重新打开"},
	{"citizen_reopen", "群众不满意重新打开"}, {"remind", "整改时限过半"}, {"escalate", "已超期督办"},
	{"rate", "群众已评价"}, {"revisit", "回头看"},
};

static const char *action_zh(const char *a)
{
	for (size_t i = 0; a && i < sizeof action_names / sizeof action_names[0]; i++)
		if (!strcmp(action_names[i].action, a))
			return action_names[i].zh;
	return a ? a : "";
}

static const char *signup_zh(const char *ev)
{
	static const char *const map[][2] = {
		{"shift.signup.confirmed", "报名成功"}, {"shift.signup.waitlisted", "进入候补"},
		{"shift.signup.cancelled", "已取消报名"}, {"shift.signup.promoted", "候补转正"},
		{"shift.attendance.attended", "已到岗"}, {"shift.attendance.no_show", "缺勤"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i][0], ev))
			return map[i][1];
	return ev;
}

/* Copies the listed keys that are present from src to dst. */
static void pick(json_t *dst, const json_t *src, const char *const *keys)
{
	for (int i = 0; keys[i]; i++) {
		json_t *v = json_object_get(src, keys[i]);
		if (v)
			json_object_set(dst, keys[i], v);
	}
}

/* "MM-DD HH:MM" China time of a unix time, for the one-line text. */
static void short_time(int64_t t, char *out, size_t n)
{
	char buf[40];
	time_rfc3339(t, buf, sizeof buf);
	snprintf(out, n, "%.5s %.5s", buf + 5, buf + 11);
}

/* party.meeting.planned: the meeting (no minutes, no attendance: the
 * receiver is outside the platform). */
static void meeting_payload(json_t *o, int64_t id, char *text, size_t n)
{
	static const char *const keys[] = {"id", "org_id", "org_name", "type", "held_on", "start_time", "place", "topic",
					   "state", NULL};
	json_t *m = store_meeting_get(id), *v = json_object();
	pick(v, m, keys);
	json_object_set_new(o, "meeting", v);
	snprintf(text, n, "【党组织会议】%s %s %s %s：%s", jstr(m, "org_name") ? jstr(m, "org_name") : "",
		 jstr(m, "held_on") ? jstr(m, "held_on") : "", jstr(m, "start_time") ? jstr(m, "start_time") : "",
		 jstr(m, "place") ? jstr(m, "place") : "", jstr(m, "topic") ? jstr(m, "topic") : "");
	json_decref(m);
}

static json_t *payload(const json_t *d)
{
	char buf[40];
	const char *ev = jstr(d, "event");
	time_rfc3339(jint(d, "created_at", 0), buf, sizeof buf);
	json_t *o = json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)jint(d, "id", 0), "event", ev, "created_at", buf,
			      "attempt", (json_int_t)(jint(d, "attempts", 0) + 1));
	char text[600] = "Wenming webhook 测试消息 / test message";
	if (jint(d, "problem_id", 0)) {
		json_t *p = store_problem_get(jint(d, "problem_id", 0));
		static const char *const keys[] = {"id", "code", "state", "category", "category_name", "org_id",
						   "org_name", "handler_org_id", "handler_name", "source", "urgency",
						   "deadline", "updated_at", NULL};
		static const char *const ptimes[] = {"deadline", "updated_at", NULL};
		json_t *v = json_object();
		pick(v, p, keys);
		render_times(v, ptimes);
		json_object_set_new(o, "problem", v);
		json_t *e = store_webhook_problem_event(jint(d, "problem_event_id", 0));
		static const char *const etimes[] = {"at", NULL};
		if (e) {
			render_times(e, etimes);
			json_object_set_new(o, "action", e);
		}
		snprintf(text, sizeof text, "【问题 %s】%s · %s：%s", jstr(p, "code") ? jstr(p, "code") : "",
			 jstr(p, "category_name") ? jstr(p, "category_name") : "", jstr(p, "org_name") ? jstr(p, "org_name") : "",
			 action_zh(jstr(e, "action")));
		json_decref(p);
	} else if (jint(d, "signup_id", 0)) {
		json_t *g = store_signup_get(jint(d, "signup_id", 0));
		static const char *const keys[] = {"id", "shift_id", "status", "attendance", "waitlist_position",
						   "volunteer_id", "volunteer_name", "title", "place", "start_at",
						   "end_at", NULL};
		static const char *const gtimes[] = {"start_at", "end_at", NULL};
		json_t *v = json_object();
		pick(v, g, keys);
		char when[24];
		short_time(jint(g, "start_at", 0), when, sizeof when);
		render_times(v, gtimes);
		json_object_set_new(o, "signup", v);
		snprintf(text, sizeof text, "【值班】%s %s：%s %s", jstr(g, "title") ? jstr(g, "title") : "", when,
			 jstr(g, "volunteer_name") ? jstr(g, "volunteer_name") : "", signup_zh(ev));
		json_decref(g);
	} else if (jint(d, "shift_id", 0)) {
		json_t *s = store_shift_get(jint(d, "shift_id", 0));
		static const char *const keys[] = {"id", "title", "place", "org_id", "org_name", "start_at", "end_at",
						   "status", "capacity", "confirmed", "waitlisted", NULL};
		static const char *const stimes[] = {"start_at", "end_at", NULL};
		json_t *v = json_object();
		pick(v, s, keys);
		char when[24];
		short_time(jint(s, "start_at", 0), when, sizeof when);
		render_times(v, stimes);
		json_object_set_new(o, "shift", v);
		snprintf(text, sizeof text, "【值班取消】%s %s", jstr(s, "title") ? jstr(s, "title") : "", when);
		json_decref(s);
	}
	else if (jint(d, "meeting_id", 0))
		meeting_payload(o, jint(d, "meeting_id", 0), text, sizeof text);
	json_object_set_new(o, "text", json_string(text));
	return o;
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

/* Aborts a transfer in flight when the server stops. */
static int progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	(void)ctx, (void)dt, (void)dn, (void)ut, (void)un;
	pthread_mutex_lock(&mu);
	int stop = stopping;
	pthread_mutex_unlock(&mu);
	return stop;
}

/* POSTs body; returns the HTTP status (0 when there was no answer, err set). */
static long post(const char *url, const char *event, int64_t id, const char *secret, const char *body, char *err,
		 size_t errlen)
{
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, errlen, "curl_easy_init failed");
		return 0;
	}
	int64_t ts = (int64_t)time(NULL);
	char sig[65], h[5][160];
	webhook_signature(secret, ts, body, strlen(body), sig);
	snprintf(h[0], sizeof h[0], "X-Wenming-Event: %s", event);
	snprintf(h[1], sizeof h[1], "X-Wenming-Delivery: %lld", (long long)id);
	snprintf(h[2], sizeof h[2], "X-Wenming-Timestamp: %lld", (long long)ts);
	snprintf(h[3], sizeof h[3], "X-Wenming-Signature: sha256=%s", sig);
	snprintf(h[4], sizeof h[4], "Content-Type: application/json; charset=utf-8");
	struct curl_slist *hs = NULL;
	for (int i = 0; i < 5; i++)
		hs = curl_slist_append(hs, h[i]);
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_USERAGENT, "Wenming-Webhook/1");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);	/* a redirect is an answer, not a delivery */
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(err, errlen, "%s", *ebuf ? ebuf : curl_easy_strerror(rc));
	curl_slist_free_all(hs);
	curl_easy_cleanup(c);
	return status;
}

static void attempt(const json_t *d)
{
	int64_t id = jint(d, "id", 0);
	int tries = (int)jint(d, "attempts", 0) + 1;
	char err[256] = "";
	long status = 0;
	char *secret = secret_decrypt(jstr(d, "secret_enc"));
	json_t *body = secret ? payload(d) : NULL;
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	if (!secret)
		snprintf(err, sizeof err, "signing secret cannot be decrypted (data key changed?)");
	else if (!text)
		snprintf(err, sizeof err, "payload could not be built");
	else
		status = post(jstr(d, "url"), jstr(d, "event"), id, secret, text, err, sizeof err);
	if (status && (status < 200 || status > 299))
		snprintf(err, sizeof err, "HTTP %ld", status);
	if (secret) {
		sodium_memzero(secret, strlen(secret));
		free(secret);
	}
	free(text);
	json_decref(body);
	int64_t now = app_now(), wait = webhook_backoff(tries);
	int ok = status >= 200 && status <= 299;
	const char *state = ok ? "delivered" : wait < 0 ? "failed" : "pending";
	if (store_begin())
		return;
	int rc = store_webhook_attempt(id, state, tries, ok || wait < 0 ? now : now + wait, (int)status, ok ? NULL : err, now);
	if (rc && rc != STORE_ENOTFOUND) {
		store_rollback();
		log_error("webhook delivery %lld: cannot record the attempt", (long long)id);
		return;
	}
	store_commit();
	if (!ok)
		log_warn("webhook delivery %lld (%s) attempt %d: %s%s", (long long)id, jstr(d, "event"), tries, err,
			 wait < 0 ? " — given up" : "");
}

/* Longer than one attempt can take (connect 5 s + transfer 10 s, plus the
 * payload's reads): a delivery is not taken twice while its first taker is
 * still sending it. */
#define LEASE_SECONDS 120

/* Takes d for this server in its own write transaction (store_webhook_claim):
 * the list of due deliveries is read without the write lock, so with several
 * servers on one database two may list the same one; only one takes it. */
static int claim(const json_t *d, int64_t now)
{
	if (store_begin())
		return 0;
	int rc = store_webhook_claim(jint(d, "id", 0), jint(d, "next_at", 0), (int)jint(d, "attempts", 0),
				     now + LEASE_SECONDS);
	if (rc && rc != STORE_ECONFLICT) {
		store_rollback();
		return 0;
	}
	return store_commit() == STORE_OK && rc == STORE_OK;
}

int webhooks_deliver_due(int64_t now, int max)
{
	json_t *due = store_webhook_due(now, max);
	size_t i;
	json_t *d;
	json_array_foreach(due, i, d) {
		pthread_mutex_lock(&mu);
		int stop = stopping;
		pthread_mutex_unlock(&mu);
		if (stop)
			break;
		if (claim(d, now))
			attempt(d);
	}
	int n = (int)json_array_size(due);
	json_decref(due);
	return n;
}

static void *loop(void *arg)
{
	int period = *(int *)arg;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		if (!kicked) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += period;
			pthread_cond_timedwait(&cv, &mu, &ts);
		}
		kicked = 0;
		if (stopping)
			break;
		pthread_mutex_unlock(&mu);
		/* A full batch means more may be due: go round again at once. */
		if (webhooks_deliver_due(app_now(), 20) == 20)
			webhooks_kick();
		pthread_mutex_lock(&mu);
	}
	pthread_mutex_unlock(&mu);
	store_thread_close();
	return NULL;
}

void webhooks_kick(void)
{
	pthread_mutex_lock(&mu);
	kicked = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

void webhooks_start(void)
{
	static int period;
	const char *s = getenv("WENMING_WEBHOOK_SECONDS");
	period = s ? atoi(s) : 1;
	if (period <= 0)
		return;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_error("webhooks: libcurl cannot start; deliveries stay queued");
		return;
	}
	curl_ready = 1;
	stopping = kicked = 0;
	running = pthread_create(&thread, NULL, loop, &period) == 0;
}

void webhooks_stop(void)
{
	if (running) {
		pthread_mutex_lock(&mu);
		stopping = 1;
		pthread_cond_signal(&cv);
		pthread_mutex_unlock(&mu);
		pthread_join(thread, NULL);
		running = 0;
	}
	if (curl_ready)
		curl_global_cleanup();
	curl_ready = 0;
}
