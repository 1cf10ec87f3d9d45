/*
 * dual_sql.c — 双报到 rows (migration 023) and the service a registered
 * member did, read from the records other features keep (dual.h). One SQL
 * for both engines: counts with count(CASE …) (PostgreSQL's sum of an
 * integer is numeric), optional filters as "?n IS NULL OR …".
 */
#include "dual.h"
#include "db.h"
#include "scope_sql.h"
#include "store.h"

/* Scope: a grant over the community, over the unit, or over the member's
 * party organisation (a branch secretary sees their members' registrations). */
#define DUAL_SCOPE(unit_col, comm_col, party_col)                                                     \
	"(" SCOPE_IN(comm_col, "?1") " OR " SCOPE_IN(unit_col, "?2") " OR (" party_col " IS NOT NULL AND " \
	SCOPE_IN(party_col, "?3") "))"

static void bind_scope(db_stmt *st, const json_t *f)
{
	scope_bind_paths(st, 1, f, "comm_paths");
	scope_bind_paths(st, 2, f, "unit_paths");
	scope_bind_paths(st, 3, f, "party_paths");
}

/* Units --------------------------------------------------------------------- */

#define DU_COLS                                                                                           \
	" d.id, d.unit_id, un.name AS unit_name, un.code AS unit_code, un.path AS unit_path, d.community_id," \
	" c.name AS community_name, c.path AS community_path, d.party_org_name, d.contact_name,"          \
	" d.contact_phone_masked, d.commitments, d.state, d.created_by, d.decided_by, d.decided_at,"       \
	" d.created_at, d.updated_at,"                                                                     \
	" (SELECT count(*) FROM dual_registrations g WHERE g.unit_id = d.unit_id"                          \
	"   AND g.community_id = d.community_id AND g.state = 'accepted') AS members"
#define DU_FROM " FROM dual_units d JOIN orgs un ON un.id = d.unit_id JOIN orgs c ON c.id = d.community_id"

int dual_unit_create(const json_t *in, int64_t now, int64_t *id)
{
	db_stmt *st = db_prep("INSERT INTO dual_units (unit_id, community_id, party_org_name, contact_name,"
			      " contact_phone_enc, contact_phone_masked, commitments, state, created_by, created_at,"
			      " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9, ?9)"
			      " ON CONFLICT DO NOTHING RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *const k[] = {"unit_id", "community_id", "party_org_name", "contact_name",
					 "contact_phone_enc", "contact_phone_masked", "commitments", "created_by"};
	for (int i = 0; i < 8; i++)
		db_bind_json(st, i + 1, json_object_get(in, k[i]));
	db_bind_i64(st, 9, now);
	int64_t r = db_insert_id(st);
	if (r < 0)
		return (int)r;
	*id = r;
	return r ? STORE_OK : STORE_ECONFLICT;
}

json_t *dual_unit_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT" DU_COLS ", d.contact_phone_enc" DU_FROM " WHERE d.id = ?1");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *dual_unit_list(const json_t *f, int64_t before_id, int limit)
{
	db_stmt *st = db_prep("SELECT" DU_COLS DU_FROM " WHERE " DUAL_SCOPE("un.path", "c.path", "NULL")
			      " AND (?4 IS NULL OR d.state = ?4) AND (?5 IS NULL OR d.community_id = ?5)"
			      " AND (?6 IS NULL OR d.unit_id = ?6) AND (?7 = 0 OR d.id < ?7)"
			      " ORDER BY d.id DESC LIMIT ?8");
	if (!st)
		return NULL;
	bind_scope(st, f);
	db_bind_json(st, 4, json_object_get(f, "state"));
	db_bind_json(st, 5, json_object_get(f, "community_id"));
	db_bind_json(st, 6, json_object_get(f, "unit_id"));
	db_bind_i64(st, 7, before_id);
	db_bind_i64(st, 8, limit);
	return db_rows(st);
}

int dual_unit_update(int64_t id, const json_t *in, int64_t now)
{
	db_stmt *st = db_prep("UPDATE dual_units SET party_org_name = ?1, contact_name = ?2, contact_phone_enc = ?3,"
			      " contact_phone_masked = ?4, commitments = ?5, state = ?6, decided_by = ?7,"
			      " decided_at = ?8, updated_at = ?9 WHERE id = ?10");
	if (!st)
		return STORE_EIO;
	static const char *const k[] = {"party_org_name", "contact_name", "contact_phone_enc", "contact_phone_masked",
					 "commitments", "state", "decided_by", "decided_at"};
	for (int i = 0; i < 8; i++)
		db_bind_json(st, i + 1, json_object_get(in, k[i]));
	db_bind_i64(st, 9, now);
	db_bind_i64(st, 10, id);
	return db_exec_stmt(st);
}

/* Member registrations -------------------------------------------------------- */

#define DR_COLS                                                                                            \
	" g.id, g.person_id, p.name AS person_name, g.community_id, c.name AS community_name,"            \
	" c.path AS community_path, g.unit_id, un.name AS unit_name, un.path AS unit_path, g.member_id,"    \
	" pm.org_id AS party_org_id, po.name AS party_org_name, po.path AS party_path, g.skills, g.wishes," \
	" g.availability AS \"availability:json\", g.state, g.decline_reason, g.card_no,"                 \
	" g.self_registered AS \"self_registered:bool\", g.created_by, g.decided_by, g.decided_at,"       \
	" g.created_at, g.updated_at"
#define DR_FROM                                                                                     \
	" FROM dual_registrations g JOIN people p ON p.id = g.person_id"                             \
	" JOIN orgs c ON c.id = g.community_id JOIN orgs un ON un.id = g.unit_id"                    \
	" LEFT JOIN party_members pm ON pm.person_id = g.person_id LEFT JOIN orgs po ON po.id = pm.org_id"

int dual_reg_create(const json_t *in, int64_t now, int64_t *id)
{
	db_stmt *st = db_prep("INSERT INTO dual_registrations (person_id, community_id, unit_id, member_id, skills,"
			      " wishes, availability, self_registered, created_by, state, created_at, updated_at)"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', ?10, ?10)"
			      " ON CONFLICT DO NOTHING RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *const k[] = {"person_id", "community_id", "unit_id", "member_id", "skills",
					 "wishes", "availability", "self_registered", "created_by"};
	for (int i = 0; i < 9; i++)
		db_bind_json(st, i + 1, json_object_get(in, k[i]));
	db_bind_i64(st, 10, now);
	int64_t r = db_insert_id(st);
	if (r < 0)
		return (int)r;
	*id = r;
	return r ? STORE_OK : STORE_ECONFLICT;
}

json_t *dual_reg_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT" DR_COLS DR_FROM " WHERE g.id = ?1");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *dual_reg_list(const json_t *f, int64_t before_id, int limit)
{
	db_stmt *st = db_prep("SELECT" DR_COLS DR_FROM " WHERE " DUAL_SCOPE("un.path", "c.path", "po.path")
			      " AND (?4 IS NULL OR g.state = ?4) AND (?5 IS NULL OR g.community_id = ?5)"
			      " AND (?6 IS NULL OR g.unit_id = ?6) AND (?7 IS NULL OR g.person_id = ?7)"
			      " AND (?8 = 0 OR g.id < ?8) ORDER BY g.id DESC LIMIT ?9");
	if (!st)
		return NULL;
	bind_scope(st, f);
	db_bind_json(st, 4, json_object_get(f, "state"));
	db_bind_json(st, 5, json_object_get(f, "community_id"));
	db_bind_json(st, 6, json_object_get(f, "unit_id"));
	db_bind_json(st, 7, json_object_get(f, "person_id"));
	db_bind_i64(st, 8, before_id);
	db_bind_i64(st, 9, limit);
	return db_rows(st);
}

int dual_reg_update(int64_t id, const json_t *in, int64_t now)
{
	db_stmt *st = db_prep("UPDATE dual_registrations SET skills = ?1, wishes = ?2, availability = ?3, unit_id = ?4,"
			      " state = ?5, decline_reason = ?6, card_no = ?7, decided_by = ?8, decided_at = ?9,"
			      " updated_at = ?10 WHERE id = ?11");
	if (!st)
		return STORE_EIO;
	static const char *const k[] = {"skills", "wishes", "availability", "unit_id", "state",
					 "decline_reason", "card_no", "decided_by", "decided_at"};
	for (int i = 0; i < 9; i++)
		db_bind_json(st, i + 1, json_object_get(in, k[i]));
	db_bind_i64(st, 10, now);
	db_bind_i64(st, 11, id);
	return db_exec_stmt(st);
}

json_t *dual_unit_members(int64_t unit_id)
{
	db_stmt *st = db_prep("SELECT" DR_COLS DR_FROM " WHERE g.unit_id = ?1 AND g.state = 'accepted' ORDER BY g.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, unit_id);
	return db_rows(st);
}

int64_t dual_reg_live(int64_t person_id, int64_t community_id)
{
	db_stmt *st = db_prep("SELECT id FROM dual_registrations WHERE person_id = ?1 AND community_id = ?2"
			      " AND state <> 'declined'");
	if (!st)
		return 0;
	db_bind_i64(st, 1, person_id);
	db_bind_i64(st, 2, community_id);
	int64_t id = db_step(st) == DB_ROW ? db_col_i64(st, 0) : 0;
	db_done(st);
	return id;
}

json_t *dual_party_member(int64_t person_id)
{
	db_stmt *st = db_prep("SELECT id, org_id, employed, employer_id FROM party_members"
			      " WHERE person_id = ?1 AND active = 1");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, person_id);
	return db_one(st);
}

/* Service --------------------------------------------------------------------- */

static int service_records(json_t *out, int64_t person, const char *from, const char *to)
{
	db_stmt *st = db_prep("SELECT count(*), coalesce(sum(r.hours), 0) FROM service_records r"
			      " JOIN volunteers v ON v.id = r.volunteer_id WHERE v.person_id = ?1"
			      " AND r.status = 'approved' AND r.service_date >= ?2 AND r.service_date <= ?3"
			      " AND NOT EXISTS (SELECT 1 FROM service_records n WHERE n.supersedes_id = r.id"
			      " AND n.status = 'approved')");
	if (!st)
		return -1;
	db_bind_i64(st, 1, person);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	json_object_set_new(out, "records", json_integer(db_col_i64(st, 0)));
	json_object_set_new(out, "hours", json_real(db_col_double(st, 1)));
	db_done(st);
	return 0;
}

static int service_signups(json_t *out, int64_t person, int64_t t0, int64_t t1)
{
	db_stmt *st = db_prep(
		"SELECT count(CASE WHEN sh.activity_id IS NULL AND s.attendance = 'attended' THEN 1 END),"
		" count(CASE WHEN sh.activity_id IS NOT NULL AND s.attendance = 'attended' THEN 1 END),"
		" count(CASE WHEN sh.activity_id IS NOT NULL AND s.status = 'confirmed' THEN 1 END)"
		" FROM signups s JOIN shifts sh ON sh.id = s.shift_id JOIN volunteers v ON v.id = s.volunteer_id"
		" WHERE v.person_id = ?1 AND sh.start_at >= ?2 AND sh.start_at < ?3");
	if (!st)
		return -1;
	db_bind_i64(st, 1, person);
	db_bind_i64(st, 2, t0);
	db_bind_i64(st, 3, t1);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	json_object_set_new(out, "shifts_attended", json_integer(db_col_i64(st, 0)));
	json_object_set_new(out, "activities_attended", json_integer(db_col_i64(st, 1)));
	json_object_set_new(out, "activity_signups", json_integer(db_col_i64(st, 2)));
	db_done(st);
	return 0;
}

static int service_problems(json_t *out, int64_t person, int64_t t0, int64_t t1)
{
	db_stmt *st = db_prep("SELECT count(*), count(CASE WHEN p.state = 'closed' THEN 1 END) FROM problems p"
			      " JOIN accounts a ON a.id = p.reporter_id WHERE a.person_id = ?1"
			      " AND p.created_at >= ?2 AND p.created_at < ?3");
	if (!st)
		return -1;
	db_bind_i64(st, 1, person);
	db_bind_i64(st, 2, t0);
	db_bind_i64(st, 3, t1);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	json_object_set_new(out, "problems_reported", json_integer(db_col_i64(st, 0)));
	json_object_set_new(out, "problems_closed", json_integer(db_col_i64(st, 1)));
	db_done(st);
	return 0;
}

json_t *dual_service(int64_t person_id, const char *from, const char *to, int64_t t0, int64_t t1)
{
	json_t *out = json_object();
	if (service_records(out, person_id, from, to) || service_signups(out, person_id, t0, t1) ||
	    service_problems(out, person_id, t0, t1)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *dual_overview(const json_t *f)
{
	db_stmt *st = db_prep(
		"SELECT c.id, c.name, c.code,"
		" (SELECT count(*) FROM dual_units d WHERE d.community_id = c.id AND d.state = 'accepted') AS units,"
		" (SELECT count(*) FROM dual_registrations g WHERE g.community_id = c.id AND g.state = 'accepted') AS members,"
		" (SELECT count(*) FROM dual_registrations g WHERE g.community_id = c.id AND g.state = 'pending') AS pending,"
		" (SELECT coalesce(sum(r.hours), 0) FROM service_records r JOIN volunteers v ON v.id = r.volunteer_id"
		"   JOIN dual_registrations g ON g.person_id = v.person_id AND g.community_id = c.id"
		"   AND g.state = 'accepted' WHERE r.status = 'approved' AND r.service_date >= ?2"
		"   AND r.service_date <= ?3 AND NOT EXISTS (SELECT 1 FROM service_records n"
		"   WHERE n.supersedes_id = r.id AND n.status = 'approved')) AS hours"
		" FROM orgs c WHERE c.kind = 'community' AND " SCOPE_IN("c.path", "?1") " ORDER BY c.id");
	if (!st)
		return NULL;
	scope_bind_paths(st, 1, f, "comm_paths");
	db_bind_json(st, 2, json_object_get(f, "from"));
	db_bind_json(st, 3, json_object_get(f, "to"));
	return db_rows(st);
}

/* Demo (demo_dual.c) ------------------------------------------------------------ */

int64_t dual_demo_login_person(const char *login)
{
	db_stmt *st = db_prep("SELECT person_id FROM accounts WHERE login = ?1");
	if (!st)
		return 0;
	db_bind_text(st, 1, login);
	int64_t id = db_step(st) == DB_ROW ? db_col_i64(st, 0) : 0;
	db_done(st);
	return id;
}

json_t *dual_demo_candidates(int limit)
{
	/* 在职党员 of the party feature when they exist, else people tagged
	 * party_member; each with the community they live in. */
	db_stmt *st = db_prep(
		"SELECT p.id AS person_id, p.org_id AS community_id, pm.employer_id, pm.id AS member_id"
		" FROM people p JOIN orgs c ON c.id = p.org_id AND c.kind = 'community'"
		" LEFT JOIN party_members pm ON pm.person_id = p.id"
		" WHERE (pm.employed = 1 AND pm.employer_id IS NOT NULL)"
		"    OR (NOT EXISTS (SELECT 1 FROM party_members x WHERE x.employed = 1) AND p.kinds LIKE '%party_member%')"
		" ORDER BY p.id LIMIT ?1");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, limit);
	return db_rows(st);
}
