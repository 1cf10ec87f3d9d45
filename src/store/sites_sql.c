/*
 * sites_sql.c — sites (点位), site types and their versioned checklists,
 * inspections with their per-item results, rounds (咬尾巴) and daily check
 * tasks. Scope filters take JSON array texts of org paths ("/1/5/"): a row
 * is visible when its org's path starts with one of them.
 */
#include "db.h"
#include "scope_sql.h"
#include "store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs st with keys bound from obj in order (1-based), no rows expected. */
static int exec_keys(db_stmt *st, const json_t *obj, const char *const *keys, int n, int64_t *id_out)
{
	if (!st)
		return STORE_EIO;
	for (int i = 0; i < n; i++)
		db_bind_json(st, i + 1, json_object_get(obj, keys[i]));
	int64_t nid = db_insert_id(st);
	if (nid >= 0 && id_out)
		*id_out = nid;
	return nid < 0 ? (int)nid : STORE_OK;
}

/* Site types and checklists ------------------------------------------------ */

#define TYPE_COLS "t.id, t.code, t.name, t.name_en, t.optional AS \"optional:bool\", t.active AS \"active:bool\"," \
	" (SELECT max(version) FROM checklists c WHERE c.site_type_id = t.id) AS version," \
	" (SELECT id FROM checklists c WHERE c.site_type_id = t.id ORDER BY version DESC LIMIT 1) AS checklist_id," \
	" (SELECT count(*) FROM checklist_items i WHERE i.checklist_id = (SELECT id FROM checklists c" \
	"   WHERE c.site_type_id = t.id ORDER BY version DESC LIMIT 1)) AS item_count," \
	" (SELECT count(*) FROM sites s WHERE s.site_type_id = t.id AND s.active = 1) AS site_count"

json_t *store_site_types(void)
{
	return db_rows(db_prep("SELECT " TYPE_COLS " FROM site_types t ORDER BY t.code"));
}

json_t *store_site_type_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " TYPE_COLS " FROM site_types t WHERE t.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_site_type_by_code(const char *code)
{
	db_stmt *st = db_prep("SELECT " TYPE_COLS " FROM site_types t WHERE t.code = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, code);
	return db_one(st);
}

int store_site_type_upsert(const json_t *t, int64_t *id_out)
{
	static const char *const keys[] = {"code", "name", "name_en", "optional"};
	int rc = exec_keys(db_prep("INSERT INTO site_types (code, name, name_en, optional) VALUES (?1, ?2, ?3, coalesce(?4, 0))"
				   " ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,"
				   " optional = excluded.optional RETURNING id"),
			   t, keys, 4, NULL);
	if (rc || !id_out)
		return rc;
	json_t *row = store_site_type_by_code(json_string_value(json_object_get(t, "code")));
	*id_out = row ? json_integer_value(json_object_get(row, "id")) : 0;
	json_decref(row);
	return STORE_OK;
}

int store_site_type_count(void)
{
	db_stmt *st = db_prep("SELECT count(*) FROM site_types");
	if (!st)
		return STORE_EIO;
	int n = db_step(st) == DB_ROW ? (int)db_col_i64(st, 0) : STORE_EIO;
	db_done(st);
	return n;
}

#define CL_COLS "c.id, c.site_type_id, t.code AS site_type, t.name AS site_type_name, c.version, c.note," \
	" c.created_by, c.created_at, (SELECT max(version) FROM checklists x WHERE x.site_type_id = c.site_type_id)" \
	" = c.version AS \"current:bool\""

json_t *store_checklist_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " CL_COLS " FROM checklists c JOIN site_types t ON t.id = c.site_type_id"
				   " WHERE c.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_checklist_version(int64_t site_type_id, int version)
{
	db_stmt *st = db_prep("SELECT " CL_COLS " FROM checklists c JOIN site_types t ON t.id = c.site_type_id"
				   " WHERE c.site_type_id = ?1 AND (?2 = 0 OR c.version = ?2) ORDER BY c.version DESC LIMIT 1");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, site_type_id);
	db_bind_i64(st, 2, version);
	return db_one(st);
}

json_t *store_checklist_versions(int64_t site_type_id)
{
	db_stmt *st = db_prep("SELECT " CL_COLS ", (SELECT count(*) FROM checklist_items i WHERE i.checklist_id = c.id)"
				   " AS item_count, (SELECT count(*) FROM inspections n WHERE n.checklist_id = c.id) AS inspection_count"
				   " FROM checklists c JOIN site_types t ON t.id = c.site_type_id WHERE c.site_type_id = ?"
				   " ORDER BY c.version DESC");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, site_type_id);
	return db_rows(st);
}

json_t *store_checklist_items(int64_t checklist_id)
{
	db_stmt *st = db_prep("SELECT i.id, i.seq, i.text, i.weight, i.grading, i.photo_required AS \"photo_required:bool\","
				   " i.category_code AS category, g.name AS category_name"
				   " FROM checklist_items i LEFT JOIN categories g ON g.code = i.category_code"
				   " WHERE i.checklist_id = ? ORDER BY i.seq");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, checklist_id);
	return db_rows(st);
}

int store_checklist_add(int64_t site_type_id, const char *note, int64_t by, int64_t now, int64_t *id_out, int *version_out)
{
	db_stmt *st = db_prep("INSERT INTO checklists (site_type_id, version, note, created_by, created_at)"
				   " VALUES (?1, coalesce((SELECT max(version) FROM checklists WHERE site_type_id = ?1), 0) + 1,"
				   " ?2, ?3, ?4) RETURNING id, version");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, site_type_id);
	db_bind_text(st, 2, note);
	if (by)
		db_bind_i64(st, 3, by);
	db_bind_i64(st, 4, now);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		if (id_out)
			*id_out = db_col_i64(st, 0);
		if (version_out)
			*version_out = (int)db_col_i64(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? STORE_OK : db_rc(rc);
}

int store_checklist_item_add(int64_t checklist_id, const json_t *item)
{
	db_stmt *st = db_prep("INSERT INTO checklist_items (checklist_id, seq, text, weight, grading, photo_required,"
				   " category_code) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, checklist_id);
	static const char *const keys[] = {"seq", "text", "weight", "grading", "photo_required", "category"};
	for (int i = 0; i < 6; i++)
		db_bind_json(st, i + 2, json_object_get(item, keys[i]));
	return db_exec_stmt(st);
}

/* Sites ----------------------------------------------------------------------- */

#define SITE_COLS "s.id, s.code, s.name, s.site_type_id, t.code AS site_type, t.name AS site_type_name, s.org_id," \
	" o.name AS org_name, s.unit_org_id, u.name AS unit_name, s.responsible, s.address, s.lat, s.lng," \
	" s.active AS \"active:bool\", s.created_at, s.updated_at," \
	" (SELECT max(n.ended_at) FROM inspections n WHERE n.site_id = s.id) AS last_inspected_at," \
	" (SELECT n.score_rate FROM inspections n WHERE n.site_id = s.id ORDER BY n.ended_at DESC, n.id DESC LIMIT 1)" \
	" AS last_score_rate"
#define SITE_FROM " FROM sites s JOIN site_types t ON t.id = s.site_type_id JOIN orgs o ON o.id = s.org_id" \
	" LEFT JOIN orgs u ON u.id = s.unit_org_id"

json_t *store_site_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " SITE_COLS ", o.path AS org_path, u.path AS unit_path" SITE_FROM " WHERE s.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_site_by_code(const char *code)
{
	db_stmt *st = db_prep("SELECT " SITE_COLS ", o.path AS org_path, u.path AS unit_path" SITE_FROM " WHERE s.code = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, code);
	return db_one(st);
}

static const char *const site_keys[] = {"code", "name", "site_type_id", "org_id", "unit_org_id", "responsible",
					"address", "lat", "lng", "active", "created_at"};

int store_site_create(const json_t *s, int64_t *id_out)
{
	return exec_keys(db_prep("INSERT INTO sites (code, name, site_type_id, org_id, unit_org_id, responsible, address, lat,"
				 " lng, active, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
				 " coalesce(?10, 1), ?11, ?11) RETURNING id"),
			 s, site_keys, 11, id_out);
}

int store_site_update(int64_t id, const json_t *patch)
{
	db_stmt *st = db_prep("UPDATE sites SET"
				   " code = CASE WHEN ?2 THEN ?3 ELSE code END,"
				   " name = CASE WHEN ?4 THEN ?5 ELSE name END,"
				   " site_type_id = CASE WHEN ?6 THEN ?7 ELSE site_type_id END,"
				   " org_id = CASE WHEN ?8 THEN ?9 ELSE org_id END,"
				   " unit_org_id = CASE WHEN ?10 THEN ?11 ELSE unit_org_id END,"
				   " responsible = CASE WHEN ?12 THEN ?13 ELSE responsible END,"
				   " address = CASE WHEN ?14 THEN ?15 ELSE address END,"
				   " lat = CASE WHEN ?16 THEN ?17 ELSE lat END,"
				   " lng = CASE WHEN ?18 THEN ?19 ELSE lng END,"
				   " active = CASE WHEN ?20 THEN ?21 ELSE active END,"
				   " updated_at = ?22 WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	for (int i = 0; i < 10; i++) {
		json_t *v = json_object_get(patch, site_keys[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	db_bind_json(st, 22, json_object_get(patch, "updated_at"));
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

json_t *store_site_list(const json_t *f, int64_t after_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT " SITE_COLS SITE_FROM
		" WHERE (" SCOPE_IN("o.path", "?1") " OR (u.path IS NOT NULL AND " SCOPE_IN("u.path", "?2") "))"
		" AND (?3 IS NULL OR s.site_type_id = ?3)"
		" AND " SCOPE_UNDER_OPT("o.path", "?4")
		" AND (?5 IS NULL OR s.unit_org_id = ?5)"
		" AND (?6 IS NULL OR s.active = ?6)"
		" AND (?7 IS NULL OR instr(s.name, ?7) > 0 OR instr(coalesce(s.address, ''), ?7) > 0 OR s.code = ?7)"
		" AND s.id > ?8 ORDER BY s.id LIMIT ?9");
	if (!st)
		return NULL;
	scope_bind_paths(st, 1, f, "scope_org_paths");
	scope_bind_paths(st, 2, f, "scope_unit_paths");
	db_bind_json(st, 3, json_object_get(f, "site_type_id"));
	db_bind_json(st, 4, json_object_get(f, "under_path"));
	db_bind_json(st, 5, json_object_get(f, "unit_org_id"));
	db_bind_json(st, 6, json_object_get(f, "active"));
	db_bind_json(st, 7, json_object_get(f, "q"));
	db_bind_i64(st, 8, after_id);
	db_bind_i64(st, 9, limit);
	return db_rows(st);
}

/* Inspections ------------------------------------------------------------------ */

static const char *const insp_keys[] = {"site_id", "org_id", "checklist_id", "kind", "round_pair_id",
					"inspector_org_id", "inspectors", "started_at", "ended_at", "lat", "lng",
					"score_rate", "failed", "notes", "notices", "confiscated", "created_by",
					"created_at"};

int store_inspection_create(const json_t *in, int64_t *id_out)
{
	return exec_keys(db_prep("INSERT INTO inspections (site_id, org_id, checklist_id, kind, round_pair_id, inspector_org_id,"
				 " inspectors, started_at, ended_at, lat, lng, score_rate, failed, notes, notices, confiscated,"
				 " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, coalesce(?, '[]'), ?, ?, ?, ?, ?,"
				 " coalesce(?, 0), ?, coalesce(?, '[]'), coalesce(?, 0), ?, ?) RETURNING id"),
			 in, insp_keys, 18, id_out);
}

int store_inspection_result_add(int64_t inspection_id, const json_t *res)
{
	db_stmt *st = db_prep("INSERT INTO inspection_results (inspection_id, item_id, result, note, photos, problem_id)"
				   " VALUES (?, ?, ?, ?, coalesce(?, '[]'), ?)");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, inspection_id);
	static const char *const keys[] = {"item_id", "result", "note", "photos", "problem_id"};
	for (int i = 0; i < 5; i++)
		db_bind_json(st, i + 2, json_object_get(res, keys[i]));
	return db_exec_stmt(st);
}

#define INSP_COLS "n.id, n.site_id, s.name AS site_name, s.code AS site_code, t.code AS site_type, n.org_id," \
	" o.name AS org_name, n.checklist_id, c.version AS checklist_version, n.kind, n.round_pair_id," \
	" p.round_id, n.inspector_org_id, io.name AS inspector_org_name, n.inspectors AS \"inspectors:json\"," \
	" n.started_at, n.ended_at, n.lat, n.lng, n.score_rate, n.failed, n.notes, n.notices AS \"notices:json\"," \
	" n.confiscated, n.created_by, a.display_name AS created_by_name, n.created_at"
#define INSP_FROM " FROM inspections n JOIN sites s ON s.id = n.site_id JOIN site_types t ON t.id = s.site_type_id" \
	" JOIN orgs o ON o.id = n.org_id JOIN checklists c ON c.id = n.checklist_id" \
	" LEFT JOIN round_pairs p ON p.id = n.round_pair_id LEFT JOIN orgs io ON io.id = n.inspector_org_id" \
	" LEFT JOIN accounts a ON a.id = n.created_by LEFT JOIN orgs u ON u.id = s.unit_org_id"

json_t *store_inspection_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " INSP_COLS ", o.path AS org_path, u.path AS unit_path, io.path AS inspector_path"
				   INSP_FROM " WHERE n.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_inspection_results(int64_t id)
{
	db_stmt *st = db_prep("SELECT r.item_id, i.seq, i.text, i.weight, i.grading, i.photo_required AS \"photo_required:bool\","
				   " i.category_code AS category, r.result, r.note, r.photos AS \"photos:json\", r.problem_id,"
				   " p.code AS problem_code, p.state AS problem_state"
				   " FROM inspection_results r JOIN checklist_items i ON i.id = r.item_id"
				   " LEFT JOIN problems p ON p.id = r.problem_id WHERE r.inspection_id = ? ORDER BY i.seq");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_rows(st);
}

json_t *store_inspection_list(const json_t *f, int64_t before_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT " INSP_COLS INSP_FROM
		" WHERE (" SCOPE_IN("o.path", "?1") " OR (u.path IS NOT NULL AND " SCOPE_IN("u.path", "?2") ")"
		"        OR (io.path IS NOT NULL AND " SCOPE_IN("io.path", "?1") "))"
		" AND (?3 IS NULL OR n.site_id = ?3)"
		" AND " SCOPE_UNDER_OPT("o.path", "?4")
		" AND (?5 IS NULL OR n.kind = ?5)"
		" AND (?6 IS NULL OR p.round_id = ?6)"
		" AND (?7 = 0 OR n.id < ?7) ORDER BY n.id DESC LIMIT ?8");
	if (!st)
		return NULL;
	scope_bind_paths(st, 1, f, "scope_org_paths");
	scope_bind_paths(st, 2, f, "scope_unit_paths");
	db_bind_json(st, 3, json_object_get(f, "site_id"));
	db_bind_json(st, 4, json_object_get(f, "under_path"));
	db_bind_json(st, 5, json_object_get(f, "kind"));
	db_bind_json(st, 6, json_object_get(f, "round_id"));
	db_bind_i64(st, 7, before_id);
	db_bind_i64(st, 8, limit);
	return db_rows(st);
}

/* Rounds ------------------------------------------------------------------------- */

int store_round_create(const json_t *r, int64_t *id_out)
{
	static const char *const keys[] = {"name", "mode", "reverse_of", "kind", "scope_org_id", "starts_on", "ends_on",
					   "created_by", "created_at"};
	return exec_keys(db_prep("INSERT INTO rounds (name, mode, reverse_of, kind, scope_org_id, starts_on, ends_on,"
				 " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
			 r, keys, 9, id_out);
}

int store_round_pair_add(int64_t round_id, int seq, int64_t inspector, int64_t inspected)
{
	db_stmt *st = db_prep("INSERT INTO round_pairs (round_id, seq, inspector_org_id, inspected_org_id) VALUES (?, ?, ?, ?)");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, round_id);
	db_bind_i64(st, 2, seq);
	db_bind_i64(st, 3, inspector);
	db_bind_i64(st, 4, inspected);
	return db_exec_stmt(st);
}

#define ROUND_COLS "r.id, r.name, r.mode, r.reverse_of, r.kind, r.scope_org_id, o.name AS scope_org_name," \
	" r.starts_on, r.ends_on, r.state, r.created_by, r.created_at," \
	" (SELECT count(*) FROM round_pairs p WHERE p.round_id = r.id) AS pair_count," \
	" (SELECT count(*) FROM inspections n JOIN round_pairs p ON p.id = n.round_pair_id WHERE p.round_id = r.id)" \
	" AS inspection_count," \
	" (SELECT count(*) FROM inspection_results x JOIN inspections n ON n.id = x.inspection_id" \
	"  JOIN round_pairs p ON p.id = n.round_pair_id WHERE p.round_id = r.id AND x.problem_id IS NOT NULL)" \
	" AS problem_count"

json_t *store_round_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " ROUND_COLS ", o.path AS scope_path FROM rounds r JOIN orgs o ON o.id = r.scope_org_id"
				   " WHERE r.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_round_list(const char *scope_paths, int64_t before_id, int limit)
{
	db_stmt *st = db_prep("SELECT " ROUND_COLS " FROM rounds r JOIN orgs o ON o.id = r.scope_org_id"
				   " WHERE (" SCOPE_IN("o.path", "?1") " OR EXISTS (SELECT 1 FROM round_pairs p"
				   "  JOIN orgs a ON a.id = p.inspector_org_id JOIN orgs b ON b.id = p.inspected_org_id"
				   "  WHERE p.round_id = r.id AND (" SCOPE_IN("a.path", "?1") " OR " SCOPE_IN("b.path", "?1") ")))"
				   " AND (?2 = 0 OR r.id < ?2) ORDER BY r.id DESC LIMIT ?3");
	if (!st)
		return NULL;
	db_bind_text(st, 1, scope_paths);
	db_bind_i64(st, 2, before_id);
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

int store_round_set_state(int64_t id, const char *state)
{
	db_stmt *st = db_prep("UPDATE rounds SET state = ? WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, state);
	db_bind_i64(st, 2, id);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

/* Per pair: the inspected org's active sites (the target), inspections done,
 * average score rate, problems found and problems rectified (closed, or
 * rectified and awaiting review). */
json_t *store_round_pairs(int64_t round_id)
{
	db_stmt *st = db_prep(
		"SELECT p.id, p.seq, p.inspector_org_id, a.name AS inspector_name, p.inspected_org_id, b.name AS inspected_name,"
		" (SELECT count(*) FROM sites s JOIN orgs so ON so.id = s.org_id WHERE s.active = 1"
		"   AND substr(so.path, 1, length(b.path)) = b.path) AS site_count,"
		" (SELECT count(*) FROM inspections n WHERE n.round_pair_id = p.id) AS done,"
		" (SELECT round(avg(n.score_rate), 2) FROM inspections n WHERE n.round_pair_id = p.id) AS score_rate,"
		" (SELECT count(*) FROM inspection_results x JOIN inspections n ON n.id = x.inspection_id"
		"   WHERE n.round_pair_id = p.id AND x.problem_id IS NOT NULL) AS problems,"
		" (SELECT count(*) FROM inspection_results x JOIN inspections n ON n.id = x.inspection_id"
		"   JOIN problems q ON q.id = x.problem_id WHERE n.round_pair_id = p.id"
		"   AND q.state IN ('rectified', 'closed')) AS rectified,"
		" a.path AS inspector_path, b.path AS inspected_path"
		" FROM round_pairs p JOIN orgs a ON a.id = p.inspector_org_id JOIN orgs b ON b.id = p.inspected_org_id"
		" WHERE p.round_id = ? ORDER BY p.seq");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, round_id);
	return db_rows(st);
}

json_t *store_round_pair_get(int64_t pair_id)
{
	db_stmt *st = db_prep("SELECT p.id, p.round_id, p.inspector_org_id, p.inspected_org_id, r.state AS round_state,"
				   " r.kind AS round_kind, a.path AS inspector_path, b.path AS inspected_path"
				   " FROM round_pairs p JOIN rounds r ON r.id = p.round_id JOIN orgs a ON a.id = p.inspector_org_id"
				   " JOIN orgs b ON b.id = p.inspected_org_id WHERE p.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, pair_id);
	return db_one(st);
}

/* Communities (or any org inspected) ranked by score rate across inspections
 * between from and to (unix seconds; 0 = open), under a path, visible by
 * scope paths. Problems found = raised by those inspections; rectified =
 * of those, rectified or closed. */
json_t *store_org_ranking(const char *under_path, int64_t from, int64_t to, int64_t round_id)
{
	/* Per inspection first (its problems and how many are fixed), then per
	 * org: the average is over inspections, not over their problems. */
	db_stmt *st = db_prep(
		"SELECT o.id AS org_id, o.name AS org_name, count(*) AS inspections,"
		" round(avg(n.score_rate), 2) AS score_rate, sum(n.problems) AS problems,"
		" sum(n.rectified) AS rectified, count(DISTINCT n.round_id) AS rounds"
		" FROM (SELECT i.org_id, i.score_rate, p.round_id,"
		"   (SELECT count(*) FROM inspection_results x WHERE x.inspection_id = i.id AND x.problem_id IS NOT NULL)"
		"   AS problems,"
		"   (SELECT count(*) FROM inspection_results x JOIN problems q ON q.id = x.problem_id"
		"    WHERE x.inspection_id = i.id AND q.state IN ('rectified', 'closed')) AS rectified"
		"   FROM inspections i LEFT JOIN round_pairs p ON p.id = i.round_pair_id"
		"   WHERE (?2 = 0 OR i.ended_at >= ?2) AND (?3 = 0 OR i.ended_at < ?3) AND (?4 = 0 OR p.round_id = ?4)) n"
		" JOIN orgs o ON o.id = n.org_id"
		" WHERE " SCOPE_UNDER_OPT("o.path", "?1")
		" GROUP BY o.id ORDER BY avg(n.score_rate) IS NULL, round(avg(n.score_rate), 2) DESC, sum(n.problems) ASC, o.path");
	if (!st)
		return NULL;
	db_bind_text(st, 1, under_path);
	db_bind_i64(st, 2, from);
	db_bind_i64(st, 3, to);
	db_bind_i64(st, 4, round_id);
	return db_rows(st);
}

/* Watch targets and daily tasks --------------------------------------------------- */

int store_watch_create(const json_t *t, int64_t *id_out)
{
	static const char *const keys[] = {"kind", "name", "site_id", "org_id", "person", "quota", "active", "created_at"};
	return exec_keys(db_prep("INSERT INTO watch_targets (kind, name, site_id, org_id, person, quota, active, created_at)"
				 " VALUES (?, ?, ?, ?, ?, ?, coalesce(?, 1), ?) RETURNING id"),
			 t, keys, 8, id_out);
}

int store_watch_update(int64_t id, const json_t *patch)
{
	db_stmt *st = db_prep("UPDATE watch_targets SET name = CASE WHEN ?2 THEN ?3 ELSE name END,"
				   " person = CASE WHEN ?4 THEN ?5 ELSE person END,"
				   " quota = CASE WHEN ?6 THEN ?7 ELSE quota END,"
				   " active = CASE WHEN ?8 THEN ?9 ELSE active END WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	static const char *const keys[] = {"name", "person", "quota", "active"};
	for (int i = 0; i < 4; i++) {
		json_t *v = json_object_get(patch, keys[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

#define WATCH_COLS "w.id, w.kind, w.name, w.site_id, s.name AS site_name, w.org_id, o.name AS org_name, w.person," \
	" w.quota, w.active AS \"active:bool\", w.created_at"
#define WATCH_FROM " FROM watch_targets w JOIN orgs o ON o.id = w.org_id LEFT JOIN sites s ON s.id = w.site_id"

json_t *store_watch_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " WATCH_COLS ", o.path AS org_path" WATCH_FROM " WHERE w.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_watch_list(const char *scope_paths)
{
	db_stmt *st = db_prep("SELECT " WATCH_COLS WATCH_FROM " WHERE " SCOPE_IN("o.path", "?1") " ORDER BY o.path, w.id");
	if (!st)
		return NULL;
	db_bind_text(st, 1, scope_paths);
	return db_rows(st);
}

int store_tasks_generate(int ymd)
{
	db_stmt *st = db_prep("INSERT INTO daily_tasks (target_id, ymd, slot)"
				   " SELECT w.id, ?1, CAST(n.value AS INTEGER) FROM watch_targets w"
				   " JOIN json_each('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24]') n"
				   " ON CAST(n.value AS INTEGER) <= w.quota WHERE w.active = 1 ON CONFLICT DO NOTHING");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, ymd);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes();
}

int store_tasks_settle(int before_ymd)
{
	db_stmt *st = db_prep("UPDATE daily_tasks SET state = 'missed' WHERE state = 'open' AND ymd < ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, before_ymd);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes();
}

#define TASK_COLS "k.id, k.target_id, w.kind, w.name, w.site_id, w.org_id, o.name AS org_name, w.person, w.quota," \
	" k.ymd, k.slot, k.state, k.done_at, k.done_by, a.display_name AS done_by_name, k.note"
#define TASK_FROM " FROM daily_tasks k JOIN watch_targets w ON w.id = k.target_id JOIN orgs o ON o.id = w.org_id" \
	" LEFT JOIN accounts a ON a.id = k.done_by"

json_t *store_task_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " TASK_COLS ", o.path AS org_path" TASK_FROM " WHERE k.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_task_list(const char *scope_paths, int ymd, const char *state, int64_t target_id, int64_t after_id, int limit)
{
	db_stmt *st = db_prep("SELECT " TASK_COLS TASK_FROM " WHERE " SCOPE_IN("o.path", "?1")
				   " AND (?2 = 0 OR k.ymd = ?2) AND (?3 IS NULL OR k.state = ?3) AND (?4 = 0 OR k.target_id = ?4)"
				   " AND k.id > ?5 ORDER BY k.id LIMIT ?6");
	if (!st)
		return NULL;
	db_bind_text(st, 1, scope_paths);
	db_bind_i64(st, 2, ymd);
	db_bind_text(st, 3, state);
	db_bind_i64(st, 4, target_id);
	db_bind_i64(st, 5, after_id);
	db_bind_i64(st, 6, limit);
	return db_rows(st);
}

int store_task_done(int64_t id, const char *state, int64_t at, int64_t by, const char *note)
{
	db_stmt *st = db_prep("UPDATE daily_tasks SET state = ?2, done_at = ?3, done_by = ?4, note = ?5"
				   " WHERE id = ?1 AND state IN ('open', 'missed')");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, state);
	db_bind_i64(st, 3, at);
	db_bind_i64(st, 4, by);
	db_bind_text(st, 5, note);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ECONFLICT;
}

/* Counts per claiming org (by = "org") or per person who did them (by =
 * "person"; open and missed tasks count under the target's person). */
json_t *store_task_stats(const char *scope_paths, int from_ymd, int to_ymd, int per_person)
{
	db_stmt *st = per_person
		? db_prep("SELECT coalesce(a.display_name, w.person, '') AS name, o.name AS org_name,"
			  " sum(CASE WHEN k.state = 'done' THEN 1 ELSE 0 END) AS done, sum(CASE WHEN k.state = 'late' THEN 1 ELSE 0 END) AS late, sum(CASE WHEN k.state = 'missed' THEN 1 ELSE 0 END) AS missed,"
			  " sum(CASE WHEN k.state = 'open' THEN 1 ELSE 0 END) AS open" TASK_FROM
			  " WHERE " SCOPE_IN("o.path", "?1") " AND k.ymd BETWEEN ?2 AND ?3"
			  " GROUP BY 1, o.id ORDER BY missed DESC, 1")
		: db_prep("SELECT o.id AS org_id, o.name AS org_name, sum(CASE WHEN k.state = 'done' THEN 1 ELSE 0 END) AS done,"
			  " sum(CASE WHEN k.state = 'late' THEN 1 ELSE 0 END) AS late, sum(CASE WHEN k.state = 'missed' THEN 1 ELSE 0 END) AS missed, sum(CASE WHEN k.state = 'open' THEN 1 ELSE 0 END) AS open"
			  TASK_FROM " WHERE " SCOPE_IN("o.path", "?1") " AND k.ymd BETWEEN ?2 AND ?3"
			  " GROUP BY o.id ORDER BY missed DESC, o.path");
	if (!st)
		return NULL;
	db_bind_text(st, 1, scope_paths);
	db_bind_i64(st, 2, from_ymd);
	db_bind_i64(st, 3, to_ymd);
	return db_rows(st);
}
