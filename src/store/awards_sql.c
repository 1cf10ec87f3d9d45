/*
 * awards_sql.c — the honours' SQL (schema 027; awards.h). Votes are one row
 * per (nomination, panel member) by a UNIQUE constraint, written with
 * INSERT … ON CONFLICT DO UPDATE, so parallel votes from one member leave one
 * row whatever the interleaving (both engines run the same statement).
 */
#include "db.h"
#include "scope_sql.h"
#include "store.h"
#include "awards.h"
#include <stdio.h>
#include <string.h>

static int64_t first_i64(db_stmt *st)
{
	int rc = db_step(st);
	int64_t v = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return v;
}

/* Schemes ---------------------------------------------------------------- */

static int category_add(int64_t scheme, int pos, const json_t *c)
{
	db_stmt *st = db_prep("INSERT INTO award_categories (scheme_id, position, name, kinds, quota, nominator_quota)"
			      " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, scheme);
	db_bind_i64(st, 2, pos);
	db_bind_text(st, 3, json_string_value(json_object_get(c, "name")));
	db_bind_json(st, 4, json_object_get(c, "kinds"));
	db_bind_i64(st, 5, json_integer_value(json_object_get(c, "quota")));
	json_t *nq = json_object_get(c, "nominator_quota");
	if (json_is_integer(nq))
		db_bind_i64(st, 6, json_integer_value(nq));
	else
		db_bind_null(st, 6);
	int64_t id = db_insert_id(st);
	return id > 0 ? 0 : id < 0 ? (int)id : STORE_EIO;
}

int store_award_scheme_create(const json_t *in, int64_t by, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO award_schemes (name, year, state, nominate_from, nominate_to, review_from, review_to,"
			      " nominators, description, created_by, created_at, updated_at)"
			      " VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, json_string_value(json_object_get(in, "name")));
	db_bind_i64(st, 2, json_integer_value(json_object_get(in, "year")));
	db_bind_text(st, 3, json_string_value(json_object_get(in, "nominate_from")));
	db_bind_text(st, 4, json_string_value(json_object_get(in, "nominate_to")));
	db_bind_text(st, 5, json_string_value(json_object_get(in, "review_from")));
	db_bind_text(st, 6, json_string_value(json_object_get(in, "review_to")));
	db_bind_json(st, 7, json_object_get(in, "nominators"));
	db_bind_text(st, 8, json_string_value(json_object_get(in, "description")));
	db_bind_i64(st, 9, by);
	db_bind_i64(st, 10, now);
	int64_t id = db_insert_id(st);
	if (id <= 0)
		return id < 0 ? (int)id : STORE_EIO;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(in, "categories"), i, c) {
		int rc = category_add(id, (int)i + 1, c);
		if (rc)
			return rc;
	}
	*id_out = id;
	return 0;
}

int store_award_scheme_update(int64_t id, const json_t *p, int64_t now)
{
	db_stmt *st = db_prep("UPDATE award_schemes SET"
			      " name = CASE WHEN ?2 THEN ?3 ELSE name END,"
			      " description = CASE WHEN ?4 THEN ?5 ELSE description END,"
			      " nominate_from = coalesce(?6, nominate_from), nominate_to = coalesce(?7, nominate_to),"
			      " review_from = coalesce(?8, review_from), review_to = coalesce(?9, review_to),"
			      " nominators = coalesce(?10, nominators), updated_at = ?11 WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, json_object_get(p, "name") != NULL);
	db_bind_text(st, 3, json_string_value(json_object_get(p, "name")));
	db_bind_i64(st, 4, json_object_get(p, "description") != NULL);
	db_bind_text(st, 5, json_string_value(json_object_get(p, "description")));
	db_bind_text(st, 6, json_string_value(json_object_get(p, "nominate_from")));
	db_bind_text(st, 7, json_string_value(json_object_get(p, "nominate_to")));
	db_bind_text(st, 8, json_string_value(json_object_get(p, "review_from")));
	db_bind_text(st, 9, json_string_value(json_object_get(p, "review_to")));
	json_t *n = json_object_get(p, "nominators");
	if (n)
		db_bind_json(st, 10, n);
	else
		db_bind_null(st, 10);
	db_bind_i64(st, 11, now);
	return db_exec_stmt(st);
}

int store_award_scheme_state(int64_t id, const char *from, const char *to, int64_t now)
{
	db_stmt *st = db_prep("UPDATE award_schemes SET state = ?3, updated_at = ?4 WHERE id = ?1 AND state = ?2");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	db_bind_i64(st, 4, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() == 1 ? 0 : STORE_ECONFLICT;
}

#define SCHEME_COLS "s.id, s.name, s.year, s.state, s.nominate_from, s.nominate_to, s.review_from, s.review_to," \
	" s.nominators AS \"nominators:json\", s.description, s.created_at, s.updated_at"

json_t *store_award_scheme_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " SCHEME_COLS " FROM award_schemes s WHERE s.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	json_t *s = db_one(st);
	if (!s)
		return NULL;
	st = db_prep("SELECT c.id, c.position, c.name, c.kinds AS \"kinds:json\", c.quota, c.nominator_quota,"
		     " (SELECT count(*) FROM award_nominations n WHERE n.category_id = c.id) AS nominations,"
		     " (SELECT count(*) FROM award_nominations n WHERE n.category_id = c.id AND n.state = 'awarded') AS awarded"
		     " FROM award_categories c WHERE c.scheme_id = ? ORDER BY c.position");
	json_t *cats = st ? (db_bind_i64(st, 1, id), db_rows(st)) : NULL;
	st = db_prep("SELECT p.account_id, a.display_name FROM award_panel p JOIN accounts a ON a.id = p.account_id"
		     " WHERE p.scheme_id = ? ORDER BY p.account_id");
	json_t *panel = st ? (db_bind_i64(st, 1, id), db_rows(st)) : NULL;
	if (!cats || !panel) {
		json_decref(cats);
		json_decref(panel);
		json_decref(s);
		return NULL;
	}
	json_object_set_new(s, "categories", cats);
	json_object_set_new(s, "panel", panel);
	return s;
}

json_t *store_award_scheme_list(int64_t year, int drafts, int64_t after, int limit)
{
	db_stmt *st = db_prep("SELECT " SCHEME_COLS ","
			      " (SELECT count(*) FROM award_nominations n WHERE n.scheme_id = s.id) AS nominations"
			      " FROM award_schemes s WHERE (?1 = 0 OR s.year = ?1) AND (?2 = 1 OR s.state <> 'draft')"
			      " AND (?3 = 0 OR s.id < ?3) ORDER BY s.id DESC LIMIT ?4");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, year);
	db_bind_i64(st, 2, drafts);
	db_bind_i64(st, 3, after);
	db_bind_i64(st, 4, limit);
	return db_rows(st);
}

int store_award_panel_set(int64_t scheme_id, const json_t *ids)
{
	db_stmt *st = db_prep("DELETE FROM award_panel WHERE scheme_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, scheme_id);
	int rc = db_exec_stmt(st);
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		if (rc)
			return rc;
		st = db_prep("INSERT INTO award_panel (scheme_id, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
		if (!st)
			return STORE_EIO;
		db_bind_i64(st, 1, scheme_id);
		db_bind_i64(st, 2, json_integer_value(v));
		rc = db_exec_stmt(st);
	}
	return rc;
}

int store_award_on_panel(int64_t scheme_id, int64_t account_id)
{
	db_stmt *st = db_prep("SELECT count(*) FROM award_panel WHERE scheme_id = ? AND account_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, scheme_id);
	db_bind_i64(st, 2, account_id);
	int64_t n = first_i64(st);
	return n < 0 ? (int)n : n > 0;
}

/* Nominations ------------------------------------------------------------ */

int store_award_nomination_create(const json_t *in, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO award_nominations (scheme_id, category_id, nominee_kind, nominee_id, nominee_name,"
			      " org_id, nominator_id, citation, evidence, cited, evidence_on, created_at)"
			      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *const k[] = {"scheme_id", "category_id", "nominee_kind", "nominee_id", "nominee_name", "org_id",
					"nominator_id", "citation", "evidence", "cited", "evidence_on", "created_at"};
	for (int i = 0; i < 12; i++)
		db_bind_json(st, i + 1, json_object_get(in, k[i]));
	int64_t id = db_insert_id(st);
	if (id == 0)
		return STORE_ECONFLICT;
	if (id < 0)
		return (int)id;
	*id_out = id;
	return 0;
}

#define NOM_COLS "n.id, n.scheme_id, n.category_id, n.nominee_kind, n.nominee_id, n.nominee_name, n.org_id," \
	" o.name AS org_name, o.path AS org_path, n.nominator_id, na.display_name AS nominator_name, n.citation," \
	" n.evidence AS \"evidence:json\", n.cited AS \"cited:json\", n.evidence_on, n.state, n.decision_reason," \
	" n.decided_by, n.decided_at, n.created_at, c.name AS category_name, c.quota, s.state AS scheme_state," \
	" s.year AS scheme_year, s.name AS scheme_name," \
	" (SELECT count(*) FROM award_votes v WHERE v.nomination_id = n.id) AS votes," \
	" (SELECT avg(v.score * 1.0) FROM award_votes v WHERE v.nomination_id = n.id) AS mean_score"
#define NOM_FROM " FROM award_nominations n JOIN award_categories c ON c.id = n.category_id" \
	" JOIN award_schemes s ON s.id = n.scheme_id JOIN orgs o ON o.id = n.org_id" \
	" LEFT JOIN accounts na ON na.id = n.nominator_id"

json_t *store_award_nomination_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " NOM_COLS NOM_FROM " WHERE n.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_award_nomination_list(int64_t scheme_id, const json_t *paths, int64_t nominator, int64_t after, int limit)
{
	db_stmt *st = db_prep("SELECT " NOM_COLS NOM_FROM " WHERE (?1 = 0 OR n.scheme_id = ?1) AND (" SCOPE_IN_OPT("o.path", "?2")
			      " OR n.nominator_id = ?5) AND (?3 = 0 OR n.id > ?3) ORDER BY n.id LIMIT ?4");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, scheme_id);
	if (paths)
		db_bind_json(st, 2, paths);
	else
		db_bind_null(st, 2);
	db_bind_i64(st, 3, after);
	db_bind_i64(st, 4, limit);
	db_bind_i64(st, 5, nominator);
	return db_rows(st);
}

int64_t store_award_nominator_count(int64_t category_id, int64_t nominator_id)
{
	db_stmt *st = db_prep("SELECT count(*) FROM award_nominations WHERE category_id = ? AND nominator_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, category_id);
	db_bind_i64(st, 2, nominator_id);
	return first_i64(st);
}

int64_t store_award_awarded_count(int64_t category_id)
{
	db_stmt *st = db_prep("SELECT count(*) FROM award_nominations WHERE category_id = ? AND state = 'awarded'");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, category_id);
	return first_i64(st);
}

int store_award_decide(int64_t id, const char *state, const char *reason, int64_t by, int64_t now)
{
	db_stmt *st = db_prep("UPDATE award_nominations SET state = ?2, decision_reason = ?3, decided_by = ?4, decided_at = ?5"
			      " WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, state);
	db_bind_text(st, 3, reason);
	db_bind_i64(st, 4, by);
	db_bind_i64(st, 5, now);
	return db_exec_stmt(st);
}

/* Panel review ----------------------------------------------------------- */

int store_award_conflict(int64_t nomination_id, int64_t account_id, const char *reason, int64_t now)
{
	db_stmt *st = db_prep("INSERT INTO award_conflicts (nomination_id, account_id, reason, created_at) VALUES (?, ?, ?, ?)"
			      " ON CONFLICT (nomination_id, account_id) DO UPDATE SET reason = excluded.reason");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, nomination_id);
	db_bind_i64(st, 2, account_id);
	db_bind_text(st, 3, reason);
	db_bind_i64(st, 4, now);
	int rc = db_exec_stmt(st);
	if (rc)
		return rc;
	/* A vote cast before the declaration no longer counts. */
	st = db_prep("DELETE FROM award_votes WHERE nomination_id = ? AND account_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, nomination_id);
	db_bind_i64(st, 2, account_id);
	return db_exec_stmt(st);
}

int store_award_has_conflict(int64_t nomination_id, int64_t account_id)
{
	db_stmt *st = db_prep("SELECT count(*) FROM award_conflicts WHERE nomination_id = ? AND account_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, nomination_id);
	db_bind_i64(st, 2, account_id);
	int64_t n = first_i64(st);
	return n < 0 ? (int)n : n > 0;
}

int store_award_vote(int64_t nomination_id, int64_t account_id, int score, const char *comment, int64_t now)
{
	db_stmt *st = db_prep("INSERT INTO award_votes (nomination_id, account_id, score, comment, created_at, updated_at)"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (nomination_id, account_id)"
			      " DO UPDATE SET score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, nomination_id);
	db_bind_i64(st, 2, account_id);
	db_bind_i64(st, 3, score);
	db_bind_text(st, 4, comment);
	db_bind_i64(st, 5, now);
	return db_exec_stmt(st);
}

json_t *store_award_votes(int64_t nomination_id)
{
	db_stmt *st = db_prep("SELECT v.account_id, a.display_name, v.score, v.comment, v.updated_at FROM award_votes v"
			      " JOIN accounts a ON a.id = v.account_id WHERE v.nomination_id = ? ORDER BY v.account_id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, nomination_id);
	return db_rows(st);
}

json_t *store_award_results(int64_t scheme_id, int64_t account_id)
{
	db_stmt *st = db_prep("SELECT " NOM_COLS ","
			      " (SELECT count(*) FROM award_conflicts x WHERE x.nomination_id = n.id) AS conflicts,"
			      " (SELECT v.score FROM award_votes v WHERE v.nomination_id = n.id AND v.account_id = ?2) AS my_score,"
			      " (SELECT v.comment FROM award_votes v WHERE v.nomination_id = n.id AND v.account_id = ?2) AS my_comment,"
			      " (SELECT x.reason FROM award_conflicts x WHERE x.nomination_id = n.id AND x.account_id = ?2) AS my_conflict"
			      NOM_FROM " WHERE n.scheme_id = ?1 ORDER BY c.position, n.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, scheme_id);
	db_bind_i64(st, 2, account_id);
	return db_rows(st);
}

json_t *store_award_roll(int64_t year)
{
	db_stmt *st = db_prep("SELECT n.id, s.id AS scheme_id, s.name AS scheme_name, s.year, c.name AS category_name,"
			      " n.nominee_kind, n.nominee_name, o.name AS org_name, n.citation, n.decided_at"
			      " FROM award_nominations n JOIN award_schemes s ON s.id = n.scheme_id"
			      " JOIN award_categories c ON c.id = n.category_id JOIN orgs o ON o.id = n.org_id"
			      " WHERE s.state = 'published' AND n.state = 'awarded' AND (?1 = 0 OR s.year = ?1)"
			      " ORDER BY s.year DESC, s.id, c.position, n.id LIMIT 500");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, year);
	return db_rows(st);
}

int64_t store_award_person_employer(int64_t person_id)
{
	db_stmt *st = db_prep("SELECT employer_id FROM party_members WHERE person_id = ? AND active = 1 AND employer_id IS NOT NULL");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, person_id);
	int64_t v = first_i64(st);
	return v < 0 ? 0 : v;
}

json_t *store_award_top_people(int64_t org_id, int limit)
{
	db_stmt *st = db_prep("SELECT v.person_id, p.name, p.org_id FROM volunteers v JOIN people p ON p.id = v.person_id"
			      " JOIN orgs o ON o.id = p.org_id JOIN orgs root ON root.id = ?1"
			      " WHERE v.status = 'approved' AND p.anonymised = 0 AND " SCOPE_UNDER("o.path", "root.path")
			      " ORDER BY (SELECT coalesce(sum(r.hours), 0.0) FROM service_records r"
			      "  WHERE r.volunteer_id = v.id AND r.status = 'approved') DESC, v.id LIMIT ?2");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, org_id);
	db_bind_i64(st, 2, limit);
	return db_rows(st);
}

json_t *store_award_orgs_of_kind(int64_t org_id, const char *kind, int limit)
{
	db_stmt *st = db_prep("SELECT o.id, o.name FROM orgs o JOIN orgs root ON root.id = ?1"
			      " WHERE o.kind = ?2 AND " SCOPE_UNDER("o.path", "root.path") " ORDER BY o.id LIMIT ?3");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

/* Evidence --------------------------------------------------------------- */

/* Approved service hours not replaced by a later approved correction. */
#define HOURS_OK "r.status = 'approved' AND NOT EXISTS (SELECT 1 FROM service_records x" \
	" WHERE x.supersedes_id = r.id AND x.status = 'approved')"

json_t *store_award_evidence_person(int64_t pid, const char *from, const char *to, int64_t t0, int64_t t1)
{
	db_stmt *st = db_prep("SELECT"
		" (SELECT coalesce(sum(r.hours), 0.0) FROM service_records r JOIN volunteers v ON v.id = r.volunteer_id"
		"   WHERE v.person_id = ?1 AND " HOURS_OK " AND r.service_date >= ?2 AND r.service_date <= ?3) AS hours_year,"
		" (SELECT coalesce(sum(r.hours), 0.0) FROM service_records r JOIN volunteers v ON v.id = r.volunteer_id"
		"   WHERE v.person_id = ?1 AND " HOURS_OK ") AS hours_total,"
		" (SELECT count(*) FROM problems p WHERE p.reporter_id IN (SELECT a.id FROM accounts a WHERE a.person_id = ?1)"
		"   AND p.created_at >= ?4 AND p.created_at < ?5) AS problems_reported,"
		" (SELECT count(*) FROM problems p WHERE p.reporter_id IN (SELECT a.id FROM accounts a WHERE a.person_id = ?1)"
		"   AND p.created_at >= ?4 AND p.created_at < ?5 AND p.state = 'closed') AS problems_closed,"
		" (SELECT count(*) FROM good_deeds g WHERE g.person_id = ?1 AND g.state = 'verified'"
		"   AND g.occurred_on >= ?2 AND g.occurred_on <= ?3) AS good_deeds,"
		" (SELECT count(*) FROM party_meeting_attendance t JOIN party_meetings m ON m.id = t.meeting_id"
		"   WHERE t.person_id = ?1 AND t.status = 'present' AND m.state = 'held'"
		"   AND m.held_on >= ?2 AND m.held_on <= ?3) AS meetings_attended,"
		" (SELECT count(*) FROM party_members pm WHERE pm.person_id = ?1 AND pm.active = 1) AS party_member");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, pid);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	db_bind_i64(st, 4, t0);
	db_bind_i64(st, 5, t1);
	return db_one(st);
}

/* The volunteers an org stands for: a team's members; a unit's volunteers
 * (registered under the unit's subtree) and its employed party members. */
#define ORG_VOLS "(SELECT v.id FROM volunteers v WHERE (?6 = 'team' AND v.id IN" \
	" (SELECT tm.volunteer_id FROM team_members tm WHERE tm.team_id = ?1))" \
	" OR (?6 = 'unit' AND (EXISTS (SELECT 1 FROM orgs vo WHERE vo.id = v.org_id AND " SCOPE_UNDER("vo.path", "?7") ")" \
	" OR v.person_id IN (SELECT pm.person_id FROM party_members pm WHERE pm.employer_id = ?1 AND pm.active = 1))))"

json_t *store_award_evidence_org(int64_t oid, const char *kind, const char *from, const char *to, int64_t t0, int64_t t1)
{
	db_stmt *p = db_prep("SELECT path FROM orgs WHERE id = ?");
	if (!p)
		return NULL;
	db_bind_i64(p, 1, oid);
	json_t *row = db_one(p);
	char path[256];
	snprintf(path, sizeof path, "%s", row && json_string_value(json_object_get(row, "path")) ?
		 json_string_value(json_object_get(row, "path")) : "/none/");
	json_decref(row);
	db_stmt *st = db_prep("SELECT"
		" (SELECT count(*) FROM volunteers v WHERE v.id IN " ORG_VOLS ") AS members,"
		" (SELECT coalesce(sum(r.hours), 0.0) FROM service_records r WHERE r.volunteer_id IN " ORG_VOLS
		"   AND " HOURS_OK " AND r.service_date >= ?2 AND r.service_date <= ?3) AS hours_year,"
		" (SELECT count(*) FROM problems p WHERE p.handler_org_id = ?1 AND p.state = 'closed'"
		"   AND p.closed_at >= ?4 AND p.closed_at < ?5) AS problems_closed,"
		" (SELECT count(*) FROM problems p WHERE p.handler_org_id = ?1 AND p.state = 'closed'"
		"   AND p.closed_at >= ?4 AND p.closed_at < ?5 AND p.deadline IS NOT NULL"
		"   AND coalesce(p.rectified_at, p.closed_at) <= p.deadline) AS problems_on_time,"
		" (SELECT count(*) FROM good_deeds g WHERE g.org_id = ?1 AND g.state = 'verified'"
		"   AND g.occurred_on >= ?2 AND g.occurred_on <= ?3) AS good_deeds");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, oid);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	db_bind_i64(st, 4, t0);
	db_bind_i64(st, 5, t1);
	db_bind_text(st, 6, kind);
	db_bind_text(st, 7, path);
	return db_one(st);
}
