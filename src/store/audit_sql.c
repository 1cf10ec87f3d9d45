/*
 * audit_sql.c — the append-only audit log (triggers in the schema refuse
 * UPDATE and DELETE) and the idempotency-key table for creating POSTs.
 */
#include "db.h"
#include "store.h"
#include <stdio.h>
#include <stdlib.h>

int store_audit_add(const json_t *e)
{
	char now[32];
	db_now(now, sizeof now);
	db_stmt *st = db_prep("INSERT INTO audit (at, actor_id, actor_login, action, resource, resource_id,"
				   " before, after, ip, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, now);
	db_bind_json(st, 2, json_object_get(e, "actor_id"));
	db_bind_json(st, 3, json_object_get(e, "actor_login"));
	db_bind_json(st, 4, json_object_get(e, "action"));
	db_bind_json(st, 5, json_object_get(e, "resource"));
	json_t *rid = json_object_get(e, "resource_id");
	if (json_is_integer(rid)) {
		char s[24];
		snprintf(s, sizeof s, "%lld", (long long)json_integer_value(rid));
		db_bind_text(st, 6, s);
	} else
		db_bind_json(st, 6, rid);
	db_bind_json(st, 7, json_object_get(e, "before"));
	db_bind_json(st, 8, json_object_get(e, "after"));
	db_bind_json(st, 9, json_object_get(e, "ip"));
	db_bind_json(st, 10, json_object_get(e, "note"));
	return db_exec_stmt(st);
}

json_t *store_audit_list(const json_t *f, int64_t before_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT id, at, actor_id, actor_login, action, resource, resource_id,"
		" before AS \"before:json\", after AS \"after:json\", ip, note FROM audit"
		" WHERE (?1 IS NULL OR actor_id = ?1)"
		" AND (?2 IS NULL OR resource = ?2)"
		" AND (?3 IS NULL OR resource_id = ?3)"
		" AND (?4 IS NULL OR action = ?4)"
		" AND (?5 IS NULL OR instr(coalesce(actor_login, ''), ?5) > 0 OR instr(coalesce(before, ''), ?5) > 0"
		"      OR instr(coalesce(after, ''), ?5) > 0 OR instr(coalesce(note, ''), ?5) > 0)"
		" AND (?6 IS NULL OR at >= ?6)"
		" AND (?7 IS NULL OR at < ?7)"
		" AND (?8 = 0 OR id < ?8)"
		" ORDER BY id DESC LIMIT ?9");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(f, "actor_id"));
	db_bind_json(st, 2, json_object_get(f, "resource"));
	db_bind_json(st, 3, json_object_get(f, "resource_id"));
	db_bind_json(st, 4, json_object_get(f, "action"));
	db_bind_json(st, 5, json_object_get(f, "q"));
	db_bind_json(st, 6, json_object_get(f, "from"));
	db_bind_json(st, 7, json_object_get(f, "to"));
	db_bind_i64(st, 8, before_id);
	db_bind_i64(st, 9, limit);
	return db_rows(st);
}

int64_t store_audit_count(void)
{
	db_stmt *st = db_prep("SELECT count(*) FROM audit");
	if (!st)
		return STORE_EIO;
	int64_t n = db_step(st) == DB_ROW ? db_col_i64(st, 0) : STORE_EIO;
	db_done(st);
	return n;
}

json_t *store_idem_get(int64_t account_id, const char *key)
{
	db_stmt *st = db_prep("SELECT status, body, route FROM idempotency WHERE account_id = ? AND key = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, account_id);
	db_bind_text(st, 2, key);
	return db_one(st);
}

int store_idem_put(int64_t account_id, const char *key, const char *route, int status, const char *body)
{
	db_stmt *st = db_prep("INSERT INTO idempotency (account_id, key, route, status, body, created_at)"
				   " VALUES (?, ?, ?, ?, ?, unixepoch())");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, account_id);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, route);
	db_bind_i64(st, 4, status);
	db_bind_text(st, 5, body);
	return db_exec_stmt(st);
}
