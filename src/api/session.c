/*
 * session.c — signing in and out, the current account, changing one's own
 * password, and the role/permission table for the UI.
 *
 * Sessions: a random 256-bit token, stored only as its hash, valid 12 hours;
 * sent as an HttpOnly SameSite=Lax cookie for the browser (writes then need
 * the X-CSRF-Token header) and returned as "token" for scripts (Bearer).
 * Throttling (throttle.c): progressive delays per (source, login) and per
 * source across logins, never a lock on the login itself; at most
 * LOGIN_PER_MINUTE sign-ins per account and SESSIONS_MAX live sessions per
 * account (the oldest end first).
 */
#include "api.h"
#include "core/crypto.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SESSION_TTL (12 * 3600)
#define SESSIONS_MAX 10

static char dummy_hash[256];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void)
{
	char pw[48];
	token_new(pw, sizeof pw, 24);
	pw_hash(pw, dummy_hash, sizeof dummy_hash);
}

static json_t *session_json(struct req *r, json_t *account, const char *csrf)
{
	json_t *o = json_deep_copy(account);
	json_t *grants = json_object_get(o, "grants");
	size_t i;
	json_t *g;
	json_array_foreach(grants, i, g) json_object_del(g, "org_path");
	json_object_set_new(o, "permissions", perm_list_for(grants_roles(json_object_get(account, "grants"))));
	json_object_set_new(o, "csrf_token", json_string(csrf));
	json_object_set_new(o, "demo", json_boolean(app.demo));
	(void)r;
	return o;
}

/* 429 with Retry-After in seconds. */
static int too_many(struct req *r, int64_t wait, const char *code, const char *msg)
{
	char ra[24];
	snprintf(ra, sizeof ra, "%lld", (long long)(wait > 0 ? wait : 1));
	reply_header(r, "Retry-After", ra);
	return reply_error(r, 429, code, msg, NULL);
}

int session_login(struct req *r)
{
	static const struct fspec spec[] = {
		{"login", F_STR, F_REQ, 1, 64},
		{"password", F_STR, F_REQ, 1, 256},
		{NULL, 0, 0, 0, 0},
	};
	int st = body_check(r, spec);
	if (st)
		return st;
	const char *login = jstr(r->json, "login"), *pw = jstr(r->json, "password");
	int64_t now = (int64_t)time(NULL);
	int64_t wait = login_throttle_wait(r->ip, login, now);
	if (wait > 0)
		return too_many(r, wait, "too_many_attempts", "登录失败次数过多，请稍后再试");
	json_t *acc = store_account_auth(login);
	if (acc && (wait = login_rate_wait(jint(acc, "id", 0), now)) > 0) {
		json_decref(acc);
		return too_many(r, wait, "too_many_logins", "该账号登录过于频繁，请稍后再试");
	}
	/* Verify against a dummy hash when the login is unknown: same cost, so
	 * response time does not reveal which logins exist. */
	pthread_once(&dummy_once, make_dummy);
	int ok = pw_verify(acc ? jstr(acc, "password_hash") : dummy_hash, pw);
	if (ok && !app.demo && !strcmp(pw, DEMO_PASSWORD))
		ok = 0;	/* the demo password is only good on a demo database */
	if (!ok || !acc || jbool(acc, "disabled", 0)) {
		json_decref(acc);
		if (store_begin() == STORE_OK) {
			login_throttle_failed(r->ip, login, now);
			store_commit();
		}
		return reply_error(r, 401, "bad_credentials", "登录名或密码错误", NULL);
	}
	char token[64], hash[65], csrf[48];
	token_new(token, sizeof token, 32);
	token_hash(token, hash, sizeof hash);
	token_new(csrf, sizeof csrf, 24);
	int64_t id = jint(acc, "id", 0);
	if (store_begin() != STORE_OK) {
		json_decref(acc);
		return reply_error(r, 503, "unavailable", "数据库暂时不可用", NULL);
	}
	login_throttle_passed(r->ip, login);
	login_rate_count(id, now);
	int rc = store_session_create(hash, id, csrf, now + SESSION_TTL);
	if (!rc)
		rc = store_session_trim(id, SESSIONS_MAX);
	r->account_id = id;
	r->login = jstr(acc, "login");
	if (!rc)
		rc = audit(r, "login", "session", id, NULL, NULL);
	if (rc || store_commit() != STORE_OK) {
		store_rollback();
		json_decref(acc);
		return reply_store_error(r, rc ? rc : STORE_EIO);
	}
	json_object_del(acc, "password_hash");
	json_t *out = session_json(r, acc, csrf);
	json_object_set_new(out, "token", json_string(token));
	json_object_set_new(out, "expires_in", json_integer(SESSION_TTL));
	char cookie[160];
	snprintf(cookie, sizeof cookie, "wm_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", token,
		 SESSION_TTL, req_is_https(r) ? "; Secure" : "");	/* links.c */
	reply_header(r, "Set-Cookie", cookie);
	/* r->account is owned by the request and released with it. */
	r->account = acc;
	r->account_id = 0;	/* the login itself is logged as anonymous */
	return reply_json(r, 200, out);
}

int session_get(struct req *r)
{
	return reply_json(r, 200, session_json(r, r->account, r->csrf));
}

int session_logout(struct req *r)
{
	int rc = store_session_delete(r->token_hash);
	if (rc)
		return reply_store_error(r, rc);
	audit(r, "logout", "session", r->account_id, NULL, NULL);
	reply_header(r, "Set-Cookie", req_is_https(r) ? "wm_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure"
						       : "wm_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
	return reply_empty(r, 204);
}

int session_password(struct req *r)
{
	static const struct fspec spec[] = {
		{"old_password", F_STR, F_REQ, 1, 256},
		{"new_password", F_STR, F_REQ, 1, 256},
		{NULL, 0, 0, 0, 0},
	};
	int st = body_check(r, spec);
	if (st)
		return st;
	json_t *acc = store_account_auth(r->login);
	int ok = acc && pw_verify(jstr(acc, "password_hash"), jstr(r->json, "old_password"));
	json_decref(acc);
	json_t *fields = json_array();
	if (!ok)
		field_error(fields, "old_password", "wrong_password", "原密码不正确");
	const char *why = password_policy(r->login, jstr(r->account, "display_name"), jstr(r->json, "new_password"),
					  has_role(r, R_PASSWORD_STAFF));
	if (why)
		field_error(fields, "new_password", "weak_password", why);
	if (json_array_size(fields))
		return reply_fields(r, fields);
	json_decref(fields);
	char hash[256];
	if (pw_hash(jstr(r->json, "new_password"), hash, sizeof hash))
		return reply_error(r, 500, "internal", "服务器内部错误", NULL);
	int rc = store_account_set_password(r->account_id, hash);
	if (!rc)	/* every other session of the account ends */
		rc = store_session_delete_account(r->account_id, r->token_hash);
	if (!rc)
		rc = audit(r, "change_password", "account", r->account_id, NULL, NULL);
	return rc ? reply_store_error(r, rc) : reply_empty(r, 204);
}

int roles_list(struct req *r)
{
	return reply_json(r, 200, perm_table_json());
}
