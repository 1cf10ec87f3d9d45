/*
 * volunteers_sql.c — volunteers (a person's registration), team membership,
 * duty posts, post claims and weekly patterns (schema 010/011). Times are
 * unix seconds. The sign-up rules live in core/signup.c and api/shifts.c;
 * this file only reads and writes rows.
 */
#include "db.h"
#include "scope_sql.h"
#include "core/crypto.h"
#include "store.h"
#include <stdlib.h>
#include <string.h>

#define VOL_COLS "v.id, v.person_id, v.org_id, o.name AS org_name, v.vtype, v.areas AS \"areas:json\"," \
	" v.status, v.self_registered AS \"self_registered:bool\", v.note, v.decided_by, v.decided_at," \
	" v.blocked_until, v.created_at, p.name, p.gender, p.birth_date, p.id_masked, p.phone_masked," \
	" (p.id_enc IS NOT NULL AND p.id_hash IS NULL) AS \"possible_duplicate:bool\"," \
	" p.skills AS \"skills:json\", (SELECT a.id FROM accounts a WHERE a.person_id = p.id) AS account_id," \
	" (SELECT coalesce(json_group_array(json_object('team_id', t.id, 'name', t.name, 'leader', tm.leader)), '[]')" \
	"    FROM team_members tm JOIN orgs t ON t.id = tm.team_id WHERE tm.volunteer_id = v.id) AS \"teams:json\"," \
	" (SELECT coalesce(sum(r.hours), 0.0) FROM service_records r WHERE r.volunteer_id = v.id AND r.status = 'approved'" \
	"    AND NOT EXISTS (SELECT 1 FROM service_records n WHERE n.supersedes_id = r.id AND n.status = 'approved')) AS hours"
#define VOL_FROM " FROM volunteers v JOIN people p ON p.id = v.person_id JOIN orgs o ON o.id = v.org_id"

json_t *store_volunteer_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " VOL_COLS VOL_FROM " WHERE v.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_volunteer_rule_facts(int64_t id)
{
	db_stmt *st = db_prep("SELECT v.status, v.blocked_until, p.birth_date, p.skills AS \"skills:json\""
				   " FROM volunteers v JOIN people p ON p.id = v.person_id WHERE v.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

static int64_t one_id(db_stmt *st)
{
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return id;
}

static _Thread_local int seen_ready;	/* the temp table exists on this thread's connection */

int64_t store_import_seen(const char *id_hash, int64_t row)
{
	/* A temporary table lives with this thread's connection on both engines. */
	if (!seen_ready && db_exec_script("CREATE TEMP TABLE IF NOT EXISTS import_seen (h TEXT PRIMARY KEY, row BIGINT)"))
		return STORE_EIO;
	seen_ready = 1;
	db_stmt *st = db_prep("INSERT INTO import_seen (h, row) VALUES (?, ?) ON CONFLICT (h) DO NOTHING"
				   " RETURNING 0");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, id_hash);
	db_bind_i64(st, 2, row);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_ROW)
		return 0;
	if (rc != DB_DONE)
		return STORE_EIO;
	st = db_prep("SELECT row FROM import_seen WHERE h = ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, id_hash);
	return one_id(st);
}

void store_import_seen_clear(void)
{
	/* Emptied, not dropped: the cached statements keep naming it. */
	if (seen_ready)
		db_exec_script("DELETE FROM import_seen");
}

int64_t store_volunteer_by_person(int64_t person_id)
{
	db_stmt *st = db_prep("SELECT id FROM volunteers WHERE person_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, person_id);
	return one_id(st);
}

int64_t store_volunteer_by_account(int64_t account_id)
{
	db_stmt *st = db_prep("SELECT v.id FROM volunteers v JOIN accounts a ON a.person_id = v.person_id"
				   " WHERE a.id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, account_id);
	return one_id(st);
}

int64_t store_volunteer_by_token(const char *token)
{
	db_stmt *st = db_prep("SELECT id FROM volunteers WHERE calendar_token_hash = ?");
	if (!st)
		return STORE_EIO;
	char h[80];
	token_hash(token, h, sizeof h);
	db_bind_text(st, 1, h);
	return one_id(st);
}

char *store_volunteer_token(int64_t id)
{
	db_stmt *st = db_prep("SELECT calendar_token_enc FROM volunteers WHERE id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	char *t = NULL;	/* sealed with the data key (schema 016) */
	if (db_step(st) == DB_ROW && db_col_text(st, 0))
		t = secret_decrypt(db_col_text(st, 0));
	db_done(st);
	return t;
}

/* A calendar token is stored as its hash (to find it) and sealed with the
 * data key (to show it again): binds both, or NULLs for no token. */
static int bind_token(db_stmt *st, int hash_at, int sealed_at, const char *token)
{
	if (!token) {
		db_bind_null(st, hash_at);
		db_bind_null(st, sealed_at);
		return 0;
	}
	char h[80];
	token_hash(token, h, sizeof h);
	char *sealed = secret_encrypt(token);
	if (!sealed)
		return -1;
	db_bind_text(st, hash_at, h);
	db_bind_text(st, sealed_at, sealed);
	free(sealed);
	return 0;
}

int store_volunteer_create(const json_t *in, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO volunteers (person_id, org_id, vtype, areas, status, self_registered,"
				   " note, calendar_token_hash, calendar_token_enc, created_at, decided_by, decided_at)"
				   " VALUES (?1, ?2, ?3, coalesce(?4, '[]'), coalesce(?5, 'pending'), coalesce(?6, 0), ?7,"
				   " ?8, ?12, ?9, ?10, ?11) RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"person_id", "org_id", "vtype", "areas", "status", "self_registered", "note",
				     "calendar_token", "created_at", "decided_by", "decided_at"};
	for (int i = 0; i < 11; i++)
		db_bind_json(st, i + 1, json_object_get(in, keys[i]));
	if (bind_token(st, 8, 12, json_string_value(json_object_get(in, "calendar_token"))) != 0) {
		db_done(st);
		return STORE_EIO;
	}
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

int store_volunteer_update(int64_t id, const json_t *patch)
{
	db_stmt *st = db_prep("UPDATE volunteers SET"
				   " vtype = CASE WHEN ?2 THEN ?3 ELSE vtype END,"
				   " areas = CASE WHEN ?4 THEN coalesce(?5, '[]') ELSE areas END,"
				   " status = CASE WHEN ?6 THEN ?7 ELSE status END,"
				   " note = CASE WHEN ?8 THEN ?9 ELSE note END,"
				   " decided_by = CASE WHEN ?10 THEN ?11 ELSE decided_by END,"
				   " decided_at = CASE WHEN ?12 THEN ?13 ELSE decided_at END,"
				   " blocked_until = CASE WHEN ?14 THEN ?15 ELSE blocked_until END,"
				   " calendar_token_hash = CASE WHEN ?16 THEN ?17 ELSE calendar_token_hash END,"
				   " calendar_token_enc = CASE WHEN ?16 THEN ?20 ELSE calendar_token_enc END,"
				   " org_id = CASE WHEN ?18 THEN ?19 ELSE org_id END"
				   " WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"vtype", "areas", "status", "note", "decided_by", "decided_at",
				     "blocked_until", "calendar_token", "org_id"};
	db_bind_i64(st, 1, id);
	for (int i = 0; i < 9; i++) {
		json_t *v = json_object_get(patch, keys[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	if (bind_token(st, 17, 20, json_string_value(json_object_get(patch, "calendar_token"))) != 0) {
		db_done(st);
		return STORE_EIO;
	}
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

json_t *store_volunteer_list(const json_t *f, int64_t after_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT " VOL_COLS VOL_FROM
		" WHERE (?1 IS NULL OR v.status = ?1)"
		" AND (?2 IS NULL OR v.vtype = ?2)"
		" AND (?3 IS NULL OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.volunteer_id = v.id AND tm.team_id = ?3))"
		" AND (?4 IS NULL OR instr(p.name, ?4) > 0)"
		" AND " SCOPE_UNDER_OPT("o.path", "?5")
		" AND " SCOPE_IN_OPT("o.path", "?6")
		" AND v.id > ?7 ORDER BY v.id LIMIT ?8");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(f, "status"));
	db_bind_json(st, 2, json_object_get(f, "vtype"));
	db_bind_json(st, 3, json_object_get(f, "team_id"));
	db_bind_json(st, 4, json_object_get(f, "q"));
	scope_bind_under(st, 5, f, "org_id");
	scope_bind_within(st, 6, f);
	db_bind_i64(st, 7, after_id);
	db_bind_i64(st, 8, limit);
	return db_rows(st);
}

/* Teams ------------------------------------------------------------------- */

int store_team_member_set(int64_t team_id, int64_t volunteer_id, int leader, int64_t now)
{
	db_stmt *st = db_prep("INSERT INTO team_members (team_id, volunteer_id, leader, joined_at) VALUES (?, ?, ?, ?)"
				   " ON CONFLICT (team_id, volunteer_id) DO UPDATE SET leader = excluded.leader");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, team_id);
	db_bind_i64(st, 2, volunteer_id);
	db_bind_i64(st, 3, leader);
	db_bind_i64(st, 4, now);
	return db_exec_stmt(st);
}

int store_team_member_remove(int64_t team_id, int64_t volunteer_id)
{
	db_stmt *st = db_prep("DELETE FROM team_members WHERE team_id = ? AND volunteer_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, team_id);
	db_bind_i64(st, 2, volunteer_id);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

json_t *store_team_list(const json_t *f)
{
	db_stmt *st = db_prep(
		"SELECT o.id, o.name, o.parent_id, p.name AS parent_name,"
		" (SELECT count(*) FROM team_members tm WHERE tm.team_id = o.id) AS members,"
		" (SELECT coalesce(json_group_array(json_object('volunteer_id', v.id, 'name', pp.name)), '[]')"
		"    FROM team_members tm JOIN volunteers v ON v.id = tm.volunteer_id JOIN people pp ON pp.id = v.person_id"
		"   WHERE tm.team_id = o.id AND tm.leader = 1) AS \"leaders:json\""
		" FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.kind = 'team'"
		" AND " SCOPE_IN_OPT("o.path", "?1")
		" ORDER BY o.path");
	if (!st)
		return NULL;
	scope_bind_within(st, 1, f);
	return db_rows(st);
}

json_t *store_team_members(int64_t team_id)
{
	db_stmt *st = db_prep("SELECT v.id AS volunteer_id, p.name, v.vtype, v.status, tm.leader AS \"leader:bool\","
				   " tm.joined_at FROM team_members tm JOIN volunteers v ON v.id = tm.volunteer_id"
				   " JOIN people p ON p.id = v.person_id WHERE tm.team_id = ? ORDER BY tm.leader DESC, p.name, v.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, team_id);
	return db_rows(st);
}

int store_team_is_leader(int64_t volunteer_id, int64_t team_id)
{
	db_stmt *st = db_prep("SELECT 1 FROM team_members WHERE volunteer_id = ? AND (? = 0 OR team_id = ?) AND leader = 1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, volunteer_id);
	db_bind_i64(st, 2, team_id);
	db_bind_i64(st, 3, team_id);
	return one_id(st) > 0;
}

/* Posts ------------------------------------------------------------------- */

#define POST_COLS "p.id, p.org_id, o.name AS org_name, p.name, p.kind, p.address, p.lat, p.lng, p.radius_m," \
	" p.rules, p.min_age, p.max_age, p.required_skill, p.claim_limit, p.active AS \"active:bool\", p.created_at," \
	" p.vanguard AS \"vanguard:bool\"," \
	" (SELECT coalesce(json_group_array(json_object('id', pp.id, 'weekdays', pp.weekdays, 'start_min', pp.start_min," \
	"   'end_min', pp.end_min, 'capacity', pp.capacity)), '[]') FROM post_patterns pp WHERE pp.post_id = p.id" \
	"   AND pp.active = 1) AS \"patterns:json\""

json_t *store_post_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " POST_COLS ", o.path AS org_path FROM posts p JOIN orgs o ON o.id = p.org_id"
				   " WHERE p.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

static const char *post_keys[] = {"org_id", "name", "kind", "address", "lat", "lng", "radius_m", "rules",
				  "min_age", "max_age", "required_skill", "claim_limit", "active"};
#define NPOST 13

int store_post_create(const json_t *in, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO posts (org_id, name, kind, address, lat, lng, radius_m, rules, min_age,"
				   " max_age, required_skill, claim_limit, active, created_at) VALUES (?, ?,"
				   " coalesce(?, 'other'), ?, ?, ?, coalesce(?, 100), ?, ?, ?, ?, coalesce(?, 1), coalesce(?, 1), ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	for (int i = 0; i < NPOST; i++)
		db_bind_json(st, i + 1, json_object_get(in, post_keys[i]));
	db_bind_i64(st, 14, now);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

int store_post_update(int64_t id, const json_t *patch)
{
	db_stmt *st = db_prep("UPDATE posts SET"
				   " org_id = CASE WHEN ?2 THEN ?3 ELSE org_id END,"
				   " name = CASE WHEN ?4 THEN ?5 ELSE name END,"
				   " kind = CASE WHEN ?6 THEN ?7 ELSE kind END,"
				   " address = CASE WHEN ?8 THEN ?9 ELSE address END,"
				   " lat = CASE WHEN ?10 THEN ?11 ELSE lat END,"
				   " lng = CASE WHEN ?12 THEN ?13 ELSE lng END,"
				   " radius_m = CASE WHEN ?14 THEN ?15 ELSE radius_m END,"
				   " rules = CASE WHEN ?16 THEN ?17 ELSE rules END,"
				   " min_age = CASE WHEN ?18 THEN ?19 ELSE min_age END,"
				   " max_age = CASE WHEN ?20 THEN ?21 ELSE max_age END,"
				   " required_skill = CASE WHEN ?22 THEN ?23 ELSE required_skill END,"
				   " claim_limit = CASE WHEN ?24 THEN ?25 ELSE claim_limit END,"
				   " active = CASE WHEN ?26 THEN ?27 ELSE active END"
				   " WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	for (int i = 0; i < NPOST; i++) {
		json_t *v = json_object_get(patch, post_keys[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	if (bind_token(st, 17, 20, json_string_value(json_object_get(patch, "calendar_token"))) != 0) {
		db_done(st);
		return STORE_EIO;
	}
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

json_t *store_post_list(const json_t *f, int64_t after_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT " POST_COLS " FROM posts p JOIN orgs o ON o.id = p.org_id"
		" WHERE (?1 IS NULL OR instr(p.name, ?1) > 0)"
		" AND " SCOPE_UNDER_OPT("o.path", "?2")
		" AND " SCOPE_IN_OPT("o.path", "?3")
		" AND p.id > ?4 ORDER BY p.id LIMIT ?5");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(f, "q"));
	scope_bind_under(st, 2, f, "org_id");
	scope_bind_within(st, 3, f);
	db_bind_i64(st, 4, after_id);
	db_bind_i64(st, 5, limit);
	return db_rows(st);
}

/* Claims ------------------------------------------------------------------ */

#define CLAIM_COLS "c.id, c.post_id, ps.name AS post_name, c.claimant_kind, c.volunteer_id, c.claimant_org_id," \
	" coalesce(pp.name, co.name) AS claimant_name, c.start_date, c.end_date, c.status, c.note, c.created_by," \
	" c.decided_by, c.decided_at, c.created_at"
#define CLAIM_FROM " FROM post_claims c JOIN posts ps ON ps.id = c.post_id LEFT JOIN volunteers v ON v.id = c.volunteer_id" \
	" LEFT JOIN people pp ON pp.id = v.person_id LEFT JOIN orgs co ON co.id = c.claimant_org_id"

json_t *store_claim_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " CLAIM_COLS CLAIM_FROM " WHERE c.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_claim_list(int64_t post_id)
{
	db_stmt *st = db_prep("SELECT " CLAIM_COLS CLAIM_FROM " WHERE c.post_id = ? ORDER BY c.id DESC LIMIT 500");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, post_id);
	return db_rows(st);
}

int store_claim_create(const json_t *in, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO post_claims (post_id, claimant_kind, volunteer_id, claimant_org_id,"
				   " start_date, end_date, status, note, created_by, created_at)"
				   " VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"post_id", "claimant_kind", "volunteer_id", "claimant_org_id", "start_date",
				     "end_date", "note", "created_by"};
	for (int i = 0; i < 8; i++)
		db_bind_json(st, i + 1, json_object_get(in, keys[i]));
	db_bind_i64(st, 9, now);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

int store_claim_decide(int64_t id, const char *status, int64_t by, int64_t at)
{
	db_stmt *st = db_prep("UPDATE post_claims SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, status);
	if (by)
		db_bind_i64(st, 2, by);
	db_bind_i64(st, 3, at);
	db_bind_i64(st, 4, id);
	return db_exec_stmt(st);
}

/* Approved claims of a post whose term overlaps [start_date, end_date]. */
int store_claim_overlapping(int64_t post_id, const char *start_date, const char *end_date, int64_t exclude_id)
{
	db_stmt *st = db_prep("SELECT count(*) FROM post_claims WHERE post_id = ? AND status = 'approved'"
				   " AND start_date <= ? AND end_date >= ? AND id <> ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, post_id);
	db_bind_text(st, 2, end_date);
	db_bind_text(st, 3, start_date);
	db_bind_i64(st, 4, exclude_id);
	return (int)one_id(st);
}

/* Patterns ---------------------------------------------------------------- */

int store_pattern_add(int64_t post_id, int weekdays, int start_min, int end_min, int capacity, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO post_patterns (post_id, weekdays, start_min, end_min, capacity)"
				   " VALUES (?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, post_id);
	db_bind_i64(st, 2, weekdays);
	db_bind_i64(st, 3, start_min);
	db_bind_i64(st, 4, end_min);
	db_bind_i64(st, 5, capacity);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

int store_pattern_disable(int64_t post_id, int64_t pattern_id)
{
	db_stmt *st = db_prep("UPDATE post_patterns SET active = 0 WHERE post_id = ? AND id = ? AND active = 1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, post_id);
	db_bind_i64(st, 2, pattern_id);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}
