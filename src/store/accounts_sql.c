/*
 * accounts_sql.c — accounts, role grants, sessions and login throttling.
 * Password hashes leave the store only through store_account_auth.
 */
#include "db.h"
#include "scope_sql.h"
#include "store.h"
#include <stdlib.h>
#include <string.h>

static json_t *grants_of(int64_t account_id)
{
	db_stmt *st = db_prep("SELECT g.id, g.role, g.org_id, o.name AS org_name, o.path AS org_path"
				   " FROM grants g JOIN orgs o ON o.id = g.org_id WHERE g.account_id = ? ORDER BY g.id");
	if (!st)
		return json_array();
	db_bind_i64(st, 1, account_id);
	json_t *a = db_rows(st);
	return a ? a : json_array();
}

static json_t *account_row(const char *by_login, int64_t id, int with_hash)
{
	db_stmt *st = by_login
		? db_prep("SELECT id, login, display_name, person_id, disabled AS \"disabled:bool\", created_at,"
			  " password_hash FROM accounts WHERE login = ?")
		: db_prep("SELECT id, login, display_name, person_id, disabled AS \"disabled:bool\", created_at,"
			  " password_hash FROM accounts WHERE id = ?");
	if (!st)
		return NULL;
	if (by_login)
		db_bind_text(st, 1, by_login);
	else
		db_bind_i64(st, 1, id);
	json_t *o = db_step(st) == DB_ROW ? db_row(st) : NULL;
	db_done(st);
	if (!o)
		return NULL;
	if (!with_hash)
		json_object_del(o, "password_hash");
	json_object_set_new(o, "grants", grants_of(json_integer_value(json_object_get(o, "id"))));
	return o;
}

json_t *store_account_get(int64_t id)
{
	return account_row(NULL, id, 0);
}

json_t *store_account_auth(const char *login)
{
	return account_row(login, 0, 1);
}

int store_account_create(const char *login, const char *display_name, const char *password_hash,
			 int64_t person_id, int64_t *id_out)
{
	char now[32];
	db_now(now, sizeof now);
	db_stmt *st = db_prep("INSERT INTO accounts (login, display_name, password_hash, person_id, created_at)"
				   " VALUES (?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, login);
	db_bind_text(st, 2, display_name);
	db_bind_text(st, 3, password_hash);
	if (person_id > 0)
		db_bind_i64(st, 4, person_id);
	db_bind_text(st, 5, now);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

int store_account_update(int64_t id, const json_t *patch)
{
	db_stmt *st = db_prep("UPDATE accounts SET"
				   " display_name = CASE WHEN ?2 THEN ?3 ELSE display_name END,"
				   " disabled = CASE WHEN ?4 THEN ?5 ELSE disabled END,"
				   " person_id = CASE WHEN ?6 THEN ?7 ELSE person_id END"
				   " WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"display_name", "disabled", "person_id"};
	db_bind_i64(st, 1, id);
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(patch, keys[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

int store_account_set_password(int64_t id, const char *password_hash)
{
	db_stmt *st = db_prep("UPDATE accounts SET password_hash = ? WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, password_hash);
	db_bind_i64(st, 2, id);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

json_t *store_account_list(const json_t *filter, int64_t after_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT a.id FROM accounts a"
		" WHERE (?1 IS NULL OR instr(a.login, ?1) > 0 OR instr(a.display_name, ?1) > 0)"
		" AND (?2 IS NULL OR EXISTS (SELECT 1 FROM grants g JOIN orgs o ON o.id = g.org_id"
		"      WHERE g.account_id = a.id AND " SCOPE_UNDER("o.path", "?2") "))"
		" AND (?3 IS NULL OR EXISTS (SELECT 1 FROM grants g JOIN orgs o ON o.id = g.org_id"
		"      WHERE g.account_id = a.id AND " SCOPE_IN("o.path", "?3") "))"
		" AND a.id > ?4 ORDER BY a.id LIMIT ?5");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(filter, "q"));
	scope_bind_under(st, 2, filter, "org_id");
	scope_bind_within(st, 3, filter);
	db_bind_i64(st, 4, after_id);
	db_bind_i64(st, 5, limit);
	json_t *ids = db_rows(st);
	if (!ids)
		return NULL;
	json_t *out = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(ids, i, r) {
		json_t *a = store_account_get(json_integer_value(json_object_get(r, "id")));
		if (a)
			json_array_append_new(out, a);
	}
	json_decref(ids);
	return out;
}

/* A grant already held is STORE_ECONFLICT without a failed statement: the
 * callers go on in the same transaction (the same grant twice is one grant),
 * which PostgreSQL allows only when no statement of it failed. */
int store_grant_add(int64_t account_id, const char *role, int64_t org_id, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO grants (account_id, role, org_id) VALUES (?, ?, ?)"
			      " ON CONFLICT (account_id, role, org_id) DO NOTHING RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, account_id);
	db_bind_text(st, 2, role);
	db_bind_i64(st, 3, org_id);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : nid == 0 ? STORE_ECONFLICT : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

json_t *store_grant_get(int64_t grant_id)
{
	db_stmt *st = db_prep("SELECT g.id, g.account_id, g.role, g.org_id, o.name AS org_name"
				   " FROM grants g JOIN orgs o ON o.id = g.org_id WHERE g.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, grant_id);
	return db_one(st);
}

int store_grant_delete(int64_t grant_id)
{
	db_stmt *st = db_prep("DELETE FROM grants WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, grant_id);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

/* Sessions ------------------------------------------------------------------ */

int store_session_create(const char *token_hash, int64_t account_id, const char *csrf, int64_t expires_at)
{
	/* seq orders an account's sessions made in the same second (the cap
	 * ends the oldest first); SQLite's rowid did it before schema 020. */
	db_stmt *st = db_prep("INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at, seq)"
				   " VALUES (?1, ?2, ?3, unixepoch(), ?4,"
				   " (SELECT coalesce(max(seq), 0) + 1 FROM sessions WHERE account_id = ?2))");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, token_hash);
	db_bind_i64(st, 2, account_id);
	db_bind_text(st, 3, csrf);
	db_bind_i64(st, 4, expires_at);
	return db_exec_stmt(st);
}

json_t *store_session_get(const char *token_hash)
{
	db_stmt *st = db_prep("SELECT account_id, csrf, expires_at FROM sessions WHERE token_hash = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, token_hash);
	return db_one(st);
}

int store_session_touch(const char *token_hash, int64_t expires_at)
{
	db_stmt *st = db_prep("UPDATE sessions SET expires_at = ? WHERE token_hash = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, expires_at);
	db_bind_text(st, 2, token_hash);
	return db_exec_stmt(st);
}

int store_session_delete(const char *token_hash)
{
	db_stmt *st = db_prep("DELETE FROM sessions WHERE token_hash = ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, token_hash);
	return db_exec_stmt(st);
}

int store_session_delete_account(int64_t account_id, const char *keep_hash)
{
	db_stmt *st = db_prep("DELETE FROM sessions WHERE account_id = ? AND token_hash IS DISTINCT FROM ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, account_id);
	db_bind_text(st, 2, keep_hash);
	return db_exec_stmt(st);
}

/* Login throttling -------------------------------------------------------- */

int store_login_failure_add(const char *key, int64_t at)
{
	db_stmt *st = db_prep("INSERT INTO login_failures (key, at) VALUES (?, ?)");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, key);
	db_bind_i64(st, 2, at);
	int rc = db_exec_stmt(st);
	/* Keep the table small: old failures no longer count. */
	st = db_prep("DELETE FROM login_failures WHERE at < ? - 86400");
	if (st) {
		db_bind_i64(st, 1, at);
		db_exec_stmt(st);
	}
	return rc;
}

int store_login_failure_count(const char *key, int64_t since)
{
	db_stmt *st = db_prep("SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, key);
	db_bind_i64(st, 2, since);
	int n = db_step(st) == DB_ROW ? (int)db_col_i64(st, 0) : STORE_EIO;
	db_done(st);
	return n;
}

int store_login_failure_last(const char *key, int64_t since, int64_t *last)
{
	db_stmt *st = db_prep("SELECT count(*), coalesce(max(at), 0) FROM login_failures WHERE key = ? AND at >= ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, key);
	db_bind_i64(st, 2, since);
	int n = STORE_EIO;
	if (db_step(st) == DB_ROW) {
		n = (int)db_col_i64(st, 0);
		*last = db_col_i64(st, 1);
	}
	db_done(st);
	return n;
}

int store_login_failure_keys(const char *prefix, int64_t since, int64_t *last)
{
	db_stmt *st = db_prep("SELECT count(DISTINCT key), coalesce(max(at), 0) FROM login_failures"
				   " WHERE key >= ?1 AND key < ?3 AND at >= ?2");
	if (!st)
		return STORE_EIO;
	/* The keys with this prefix: up to the prefix followed by U+10FFFF. */
	char hi[300];
	snprintf(hi, sizeof hi, "%s\xf4\x8f\xbf\xbf", prefix);
	db_bind_text(st, 1, prefix);
	db_bind_text(st, 3, hi);
	db_bind_i64(st, 2, since);
	int n = STORE_EIO;
	if (db_step(st) == DB_ROW) {
		n = (int)db_col_i64(st, 0);
		*last = db_col_i64(st, 1);
	}
	db_done(st);
	return n;
}

int64_t store_login_oldest(const char *key, int64_t since)
{
	db_stmt *st = db_prep("SELECT coalesce(min(at), 0) FROM login_failures WHERE key = ? AND at >= ?");
	if (!st)
		return 0;
	db_bind_text(st, 1, key);
	db_bind_i64(st, 2, since);
	int64_t t = db_step(st) == DB_ROW ? db_col_i64(st, 0) : 0;
	db_done(st);
	return t;
}

int store_session_trim(int64_t account_id, int keep)
{
	db_stmt *st = db_prep("DELETE FROM sessions WHERE account_id = ?1 AND token_hash NOT IN"
				   " (SELECT token_hash FROM sessions WHERE account_id = ?1"
				   " ORDER BY created_at DESC, coalesce(seq, 0) DESC LIMIT ?2)");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, account_id);
	db_bind_i64(st, 2, keep);
	return db_exec_stmt(st);
}

int store_login_failure_clear(const char *key)
{
	db_stmt *st = db_prep("DELETE FROM login_failures WHERE key = ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, key);
	return db_exec_stmt(st);
}
