/*
 * people_sql.c — people records. ID numbers and phones arrive here already
 * encrypted and masked (core/privacy.c); id_hash is the keyed hash that makes
 * "one record per ID number" enforceable without the clear value.
 */
#include "db.h"
#include "scope_sql.h"
#include "store.h"
#include <stdlib.h>

#define PERSON_COLS "p.id, p.name, p.gender, p.birth_date, p.id_enc, p.id_hash, p.id_masked," \
	" p.phone_enc, p.phone_masked, p.org_id, o.name AS org_name, p.address," \
	" p.skills AS \"skills:json\", p.kinds AS \"kinds:json\", p.service_category," \
	" (SELECT a.id FROM accounts a WHERE a.person_id = p.id) AS account_id," \
	" p.anonymised AS \"anonymised:bool\", p.created_at, p.updated_at"

json_t *store_person_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " PERSON_COLS " FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

static const char *person_keys[] = {"name", "gender", "birth_date", "id_enc", "id_hash", "id_masked",
				    "phone_enc", "phone_masked", "org_id", "address", "skills", "kinds",
				    "service_category", "anonymised"};
#define NKEYS (int)(sizeof person_keys / sizeof *person_keys)

int store_person_create(const json_t *in, int64_t *id_out)
{
	char now[32];
	db_now(now, sizeof now);
	db_stmt *st = db_prep("INSERT INTO people (name, gender, birth_date, id_enc, id_hash, id_masked,"
				   " phone_enc, phone_masked, org_id, address, skills, kinds, service_category,"
				   " anonymised, created_at, updated_at)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, '[]'), coalesce(?, '[]'), ?,"
				   " coalesce(?, 0), ?15, ?15) RETURNING id");
	if (!st)
		return STORE_EIO;
	for (int i = 0; i < NKEYS; i++)
		db_bind_json(st, i + 1, json_object_get(in, person_keys[i]));
	db_bind_text(st, 15, now);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

int store_person_update(int64_t id, const json_t *patch)
{
	char now[32];
	db_now(now, sizeof now);
	/* One static statement: ?(2k) says whether key k is present, ?(2k+1) its value. */
	db_stmt *st = db_prep("UPDATE people SET"
				   " name = CASE WHEN ?2 THEN ?3 ELSE name END,"
				   " gender = CASE WHEN ?4 THEN ?5 ELSE gender END,"
				   " birth_date = CASE WHEN ?6 THEN ?7 ELSE birth_date END,"
				   " id_enc = CASE WHEN ?8 THEN ?9 ELSE id_enc END,"
				   " id_hash = CASE WHEN ?10 THEN ?11 ELSE id_hash END,"
				   " id_masked = CASE WHEN ?12 THEN ?13 ELSE id_masked END,"
				   " phone_enc = CASE WHEN ?14 THEN ?15 ELSE phone_enc END,"
				   " phone_masked = CASE WHEN ?16 THEN ?17 ELSE phone_masked END,"
				   " org_id = CASE WHEN ?18 THEN ?19 ELSE org_id END,"
				   " address = CASE WHEN ?20 THEN ?21 ELSE address END,"
				   " skills = CASE WHEN ?22 THEN coalesce(?23, '[]') ELSE skills END,"
				   " kinds = CASE WHEN ?24 THEN coalesce(?25, '[]') ELSE kinds END,"
				   " service_category = CASE WHEN ?26 THEN ?27 ELSE service_category END,"
				   " anonymised = CASE WHEN ?28 THEN ?29 ELSE anonymised END,"
				   " updated_at = ?30"
				   " WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	for (int i = 0; i < NKEYS; i++) {
		json_t *v = json_object_get(patch, person_keys[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	db_bind_text(st, 30, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

json_t *store_person_list(const json_t *filter, int64_t after_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT " PERSON_COLS " FROM people p JOIN orgs o ON o.id = p.org_id"
		" WHERE (?1 IS NULL OR instr(p.name, ?1) > 0)"
		" AND " SCOPE_UNDER_OPT("o.path", "?2")
		" AND (?3 IS NULL OR EXISTS (SELECT 1 FROM json_each(p.kinds) k WHERE k.value = ?3))"
		" AND " SCOPE_IN_OPT("o.path", "?4")
		" AND p.id > ?5 ORDER BY p.id LIMIT ?6");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(filter, "q"));
	scope_bind_under(st, 2, filter, "org_id");
	db_bind_json(st, 3, json_object_get(filter, "kind"));
	scope_bind_within(st, 4, filter);
	db_bind_i64(st, 5, after_id);
	db_bind_i64(st, 6, limit);
	return db_rows(st);
}

int64_t store_person_by_id_hash(const char *id_hash)
{
	db_stmt *st = db_prep("SELECT id FROM people WHERE id_hash = ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, id_hash);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return id;
}
