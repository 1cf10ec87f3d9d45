/*
 * orgs_sql.c — the org tree. Subtrees are prefix matches on the materialised
 * path ("/1/5/23/"), so "everything under X" is one index range scan.
 */
#include "db.h"
#include "scope_sql.h"
#include "store.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORG_COLS "o.id, o.parent_id, o.kind, o.subkind, o.name, o.code, o.path, o.depth," \
	" o.address, o.lat, o.lng, o.created_at"

json_t *store_org_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " ORG_COLS ", (SELECT count(*) FROM orgs c WHERE c.parent_id = o.id)"
				   " AS children FROM orgs o WHERE o.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

char *store_org_path(int64_t id)
{
	db_stmt *st = db_prep("SELECT path FROM orgs WHERE id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	char *p = db_step(st) == DB_ROW ? strdup(db_col_text(st, 0)) : NULL;
	db_done(st);
	return p;
}

int store_org_within(int64_t org, int64_t ancestor)
{
	db_stmt *st = db_prep("SELECT 1 FROM orgs o, orgs a WHERE o.id = ? AND a.id = ?"
				   " AND substr(o.path, 1, length(a.path)) = a.path");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, org);
	db_bind_i64(st, 2, ancestor);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : STORE_EIO;
}

int store_org_create(const json_t *in, int64_t *id_out)
{
	char now[32];
	db_now(now, sizeof now);
	int64_t parent = json_integer_value(json_object_get(in, "parent_id"));
	char *ppath = NULL;
	int depth = 0;
	if (parent) {
		ppath = store_org_path(parent);
		if (!ppath)
			return STORE_ENOTFOUND;
		for (const char *c = ppath; *c; c++)
			depth += *c == '/';
		depth -= 1;
	}
	/* Insert with a placeholder path, then set the real one from the new id. */
	db_stmt *st = db_prep("INSERT INTO orgs (parent_id, kind, subkind, name, code, path, depth, address,"
				   " lat, lng, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?11, ?6, ?7, ?8, ?9, ?10) RETURNING id");
	if (!st) {
		free(ppath);
		return STORE_EIO;
	}
	if (parent)
		db_bind_i64(st, 1, parent);
	db_bind_json(st, 2, json_object_get(in, "kind"));
	db_bind_json(st, 3, json_object_get(in, "subkind"));
	db_bind_json(st, 4, json_object_get(in, "name"));
	db_bind_json(st, 5, json_object_get(in, "code"));
	db_bind_i64(st, 6, depth);
	db_bind_json(st, 7, json_object_get(in, "address"));
	db_bind_json(st, 8, json_object_get(in, "lat"));
	db_bind_json(st, 9, json_object_get(in, "lng"));
	db_bind_text(st, 10, now);
	/* Unique until the real path replaces it in this transaction. */
	char tmp[48];
	uint8_t r[8];
	randombytes_buf(r, sizeof r);
	snprintf(tmp, sizeof tmp, "new:%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
	db_bind_text(st, 11, tmp);
	int64_t id = db_insert_id(st);
	if (id < 0) {
		free(ppath);
		return (int)id;
	}
	char path[512];
	snprintf(path, sizeof path, "%s/%lld/", ppath ? ppath : "", (long long)id);
	free(ppath);
	/* ppath ends with '/', so "/1/" + "/7/" would double it: squeeze. */
	char *dbl = strstr(path, "//");
	if (dbl)
		memmove(dbl, dbl + 1, strlen(dbl));
	st = db_prep("UPDATE orgs SET path = ? WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, path);
	db_bind_i64(st, 2, id);
	int rc = db_exec_stmt(st);
	if (!rc && id_out)
		*id_out = id;
	return rc;
}

int store_org_update(int64_t id, const json_t *patch)
{
	db_stmt *st = db_prep("UPDATE orgs SET"
				   " name = CASE WHEN ?2 THEN ?3 ELSE name END,"
				   " code = CASE WHEN ?4 THEN ?5 ELSE code END,"
				   " address = CASE WHEN ?6 THEN ?7 ELSE address END,"
				   " subkind = CASE WHEN ?8 THEN ?9 ELSE subkind END,"
				   " lat = CASE WHEN ?10 THEN ?11 ELSE lat END,"
				   " lng = CASE WHEN ?12 THEN ?13 ELSE lng END"
				   " WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"name", "code", "address", "subkind", "lat", "lng"};
	db_bind_i64(st, 1, id);
	for (int i = 0; i < 6; i++) {
		json_t *v = json_object_get(patch, keys[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	int rc = db_exec_stmt(st);
	if (rc || db_changes() == 0)
		return rc ? rc : STORE_ENOTFOUND;
	json_t *np = json_object_get(patch, "parent_id");
	if (!json_is_integer(np))
		return STORE_OK;
	/* Move: rewrite the path prefix of the whole subtree in one statement. */
	char *old = store_org_path(id), *ppath = store_org_path(json_integer_value(np));
	if (!old || !ppath) {
		free(old);
		free(ppath);
		return STORE_ENOTFOUND;
	}
	char newp[512];
	snprintf(newp, sizeof newp, "%s%lld/", ppath, (long long)id);
	rc = kpi_org_moved(id, -1);	/* the subtree roll-ups follow the move (kpi_sql.c) */
	if (rc) {
		free(old);
		free(ppath);
		return rc;
	}
	int odepth = 0, ndepth = 0;
	for (const char *c = old; *c; c++)
		odepth += *c == '/';
	for (const char *c = newp; *c; c++)
		ndepth += *c == '/';
	st = db_prep("UPDATE orgs SET path = ?2 || substr(path, length(?1) + 1), depth = depth + ?3"
		     " WHERE " SCOPE_UNDER("path", "?1"));
	if (st) {
		db_bind_text(st, 1, old);
		db_bind_text(st, 2, newp);
		db_bind_i64(st, 3, ndepth - odepth);
		rc = db_exec_stmt(st);
	} else
		rc = STORE_EIO;
	free(old);
	free(ppath);
	if (rc)
		return rc;
	st = db_prep("UPDATE orgs SET parent_id = ? WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, json_integer_value(np));
	db_bind_i64(st, 2, id);
	rc = db_exec_stmt(st);
	return rc ? rc : kpi_org_moved(id, +1);
}

int store_org_delete(int64_t id)
{
	db_stmt *st = db_prep("SELECT (SELECT count(*) FROM orgs WHERE parent_id = ?1)"
				   " + (SELECT count(*) FROM grants WHERE org_id = ?1)"
				   " + (SELECT count(*) FROM people WHERE org_id = ?1)");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	int64_t refs = db_step(st) == DB_ROW ? db_col_i64(st, 0) : -1;
	db_done(st);
	if (refs != 0)
		return refs < 0 ? STORE_EIO : STORE_EREFERENCED;
	st = db_prep("DELETE FROM orgs WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	int rc = db_exec_stmt(st);
	if (!rc && db_changes() == 0)
		return STORE_ENOTFOUND;
	return rc;
}

json_t *store_org_list(const json_t *filter, const char *after_path, int limit)
{
	db_stmt *st = db_prep(
		"SELECT " ORG_COLS " FROM orgs o"
		" WHERE (?1 IS NULL OR o.parent_id = ?1)"
		" AND (?2 IS NULL OR o.kind = ?2)"
		" AND (?3 IS NULL OR instr(o.name, ?3) > 0 OR instr(coalesce(o.code, ''), ?3) > 0)"
		" AND " SCOPE_IN_OPT("o.path", "?4")
		" AND (?5 IS NULL OR o.path > ?5)"
		" AND " SCOPE_UNDER_OPT("o.path", "?6")
		" ORDER BY o.path LIMIT ?7");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(filter, "parent_id"));
	db_bind_json(st, 2, json_object_get(filter, "kind"));
	db_bind_json(st, 3, json_object_get(filter, "q"));
	scope_bind_within(st, 4, filter);
	db_bind_text(st, 5, after_path);
	scope_bind_under(st, 6, filter, "under");
	db_bind_i64(st, 7, limit);
	return db_rows(st);
}

json_t *store_org_by_code(const char *code)
{
	db_stmt *st = db_prep("SELECT " ORG_COLS " FROM orgs o WHERE o.code = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, code);
	return db_one(st);
}
