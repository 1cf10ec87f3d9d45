/* party_meetings_sql.c — see party_meetings.h; one SQL for both engines. */
#include "party_meetings.h"
#include "db.h"
#include "scope_sql.h"
#include "store.h"

#define MEETING_COLS "m.id, m.org_id, o.name AS org_name, o.subkind AS org_subkind, m.type, m.held_on," \
	" m.start_time, m.state, m.topic, m.place, m.speaker, m.minutes, m.photos AS \"photos:json\"," \
	" m.attachments AS \"attachments:json\", m.created_by, m.created_at, m.updated_at," \
	" (SELECT count(*) FROM party_meeting_attendance a WHERE a.meeting_id = m.id AND a.status = 'present') AS present," \
	" (SELECT count(*) FROM party_meeting_attendance a WHERE a.meeting_id = m.id AND a.status = 'leave') AS on_leave"

json_t *store_meeting_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " MEETING_COLS ", m.signin_token, o.path AS org_path FROM party_meetings m"
			      " JOIN orgs o ON o.id = m.org_id WHERE m.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_meeting_list(const json_t *f, int64_t after_id, int limit)
{
	/* Newest first: the cursor is the last id seen, ids descending. */
	db_stmt *st = db_prep("SELECT " MEETING_COLS " FROM party_meetings m JOIN orgs o ON o.id = m.org_id"
			      " WHERE " SCOPE_UNDER_OPT("o.path", "?1") " AND " SCOPE_IN_OPT("o.path", "?2")
			      " AND (?3 IS NULL OR m.type = ?3) AND (?4 IS NULL OR m.state = ?4)"
			      " AND (?5 IS NULL OR m.held_on >= ?5) AND (?6 IS NULL OR m.held_on <= ?6)"
			      " AND (?7 = 0 OR m.id < ?7) ORDER BY m.id DESC LIMIT ?8");
	if (!st)
		return NULL;
	scope_bind_under(st, 1, f, "org_id");
	scope_bind_within(st, 2, f);
	db_bind_json(st, 3, json_object_get(f, "type"));
	db_bind_json(st, 4, json_object_get(f, "state"));
	db_bind_json(st, 5, json_object_get(f, "from"));
	db_bind_json(st, 6, json_object_get(f, "to"));
	db_bind_i64(st, 7, after_id);
	db_bind_i64(st, 8, limit);
	return db_rows(st);
}

static const char *const mkeys[] = {"org_id", "type", "held_on", "start_time", "state", "topic", "place",
				    "speaker", "minutes", "photos", "attachments", "signin_token"};
#define NMKEYS 12

int store_meeting_create(const json_t *in, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO party_meetings (org_id, type, held_on, start_time, state, topic, place,"
			      " speaker, minutes, photos, attachments, signin_token, created_by, created_at, updated_at)"
			      " VALUES (?1, ?2, ?3, ?4, coalesce(?5, 'planned'), ?6, ?7, ?8, ?9, coalesce(?10, '[]'),"
			      " coalesce(?11, '[]'), ?12, ?13, ?14, ?14) RETURNING id");
	if (!st)
		return STORE_EIO;
	for (int i = 0; i < NMKEYS; i++)
		db_bind_json(st, i + 1, json_object_get(in, mkeys[i]));
	db_bind_json(st, 13, json_object_get(in, "created_by"));
	db_bind_i64(st, 14, now);
	int64_t nid = db_insert_id(st);
	if (nid < 0)
		return (int)nid;
	*id_out = nid;
	return STORE_OK;
}

int store_meeting_update(int64_t id, const json_t *patch, int64_t now)
{
	db_stmt *st = db_prep("UPDATE party_meetings SET"
			      " org_id = CASE WHEN ?2 = 1 THEN ?3 ELSE org_id END,"
			      " type = CASE WHEN ?4 = 1 THEN ?5 ELSE type END,"
			      " held_on = CASE WHEN ?6 = 1 THEN ?7 ELSE held_on END,"
			      " start_time = CASE WHEN ?8 = 1 THEN ?9 ELSE start_time END,"
			      " state = CASE WHEN ?10 = 1 THEN ?11 ELSE state END,"
			      " topic = CASE WHEN ?12 = 1 THEN ?13 ELSE topic END,"
			      " place = CASE WHEN ?14 = 1 THEN ?15 ELSE place END,"
			      " speaker = CASE WHEN ?16 = 1 THEN ?17 ELSE speaker END,"
			      " minutes = CASE WHEN ?18 = 1 THEN ?19 ELSE minutes END,"
			      " photos = CASE WHEN ?20 = 1 THEN ?21 ELSE photos END,"
			      " attachments = CASE WHEN ?22 = 1 THEN ?23 ELSE attachments END,"
			      " signin_token = CASE WHEN ?24 = 1 THEN ?25 ELSE signin_token END,"
			      " updated_at = ?26 WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	for (int i = 0; i < NMKEYS; i++) {
		json_t *v = json_object_get(patch, mkeys[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	db_bind_i64(st, 26, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

/* The active members whose branch or group lies in the meeting org's subtree. */
#define MEMBERS_OF_MEETING " FROM party_meetings m JOIN orgs mo ON mo.id = m.org_id JOIN party_members pm ON pm.active = 1" \
	" JOIN orgs o ON o.id = pm.org_id AND substr(o.path, 1, length(mo.path)) = mo.path"

json_t *store_meeting_roster(int64_t meeting_id)
{
	db_stmt *st = db_prep("SELECT pm.person_id, p.name, pm.org_id, o.name AS org_name, a.status, a.reason, a.signed_at"
			      MEMBERS_OF_MEETING " JOIN people p ON p.id = pm.person_id"
			      " LEFT JOIN party_meeting_attendance a ON a.meeting_id = m.id AND a.person_id = pm.person_id"
			      " WHERE m.id = ?1 ORDER BY o.path, p.name, pm.person_id LIMIT 2000");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, meeting_id);
	return db_rows(st);
}

int store_meeting_is_member(int64_t meeting_id, int64_t person_id)
{
	db_stmt *st = db_prep("SELECT 1" MEMBERS_OF_MEETING " WHERE m.id = ?1 AND pm.person_id = ?2");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, meeting_id);
	db_bind_i64(st, 2, person_id);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : STORE_EIO;
}

int store_attendance_set(int64_t meeting_id, int64_t person_id, const char *status, const char *reason,
			 int64_t signed_at)
{
	db_stmt *st = db_prep("INSERT INTO party_meeting_attendance (meeting_id, person_id, status, reason, signed_at)"
			      " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (meeting_id, person_id) DO UPDATE SET"
			      " status = excluded.status, reason = excluded.reason, signed_at = excluded.signed_at");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, meeting_id);
	db_bind_i64(st, 2, person_id);
	db_bind_text(st, 3, status);
	db_bind_text(st, 4, reason);
	if (signed_at)
		db_bind_i64(st, 5, signed_at);
	else
		db_bind_null(st, 5);
	return db_exec_stmt(st);
}

json_t *store_meeting_member_accounts(int64_t meeting_id)
{
	db_stmt *st = db_prep("SELECT DISTINCT ac.id" MEMBERS_OF_MEETING
			      " JOIN accounts ac ON ac.person_id = pm.person_id AND ac.disabled = 0 WHERE m.id = ?1 ORDER BY ac.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, meeting_id);
	return db_rows(st);
}

int64_t store_account_person(int64_t account_id)
{
	db_stmt *st = db_prep("SELECT coalesce(person_id, 0) FROM accounts WHERE id = ?");
	if (!st)
		return 0;
	db_bind_i64(st, 1, account_id);
	int64_t id = db_step(st) == DB_ROW ? db_col_i64(st, 0) : 0;
	db_done(st);
	return id;
}

json_t *store_meeting_orgs(const json_t *f)
{
	db_stmt *st = db_prep("SELECT o.id, o.parent_id, o.name, o.subkind, o.path FROM orgs o WHERE o.kind = 'party_org'"
			      " AND " SCOPE_UNDER_OPT("o.path", "?1") " AND " SCOPE_IN_OPT("o.path", "?2")
			      " ORDER BY o.path LIMIT 5000");
	if (!st)
		return NULL;
	scope_bind_under(st, 1, f, "org_id");
	scope_bind_within(st, 2, f);
	return db_rows(st);
}

json_t *store_meetings_held(const char *from, const char *to)
{
	db_stmt *st = db_prep("SELECT m.org_id, m.type, m.held_on FROM party_meetings m JOIN orgs o ON o.id = m.org_id"
			      " WHERE o.kind = 'party_org' AND m.state = 'held' AND m.held_on >= ?1 AND m.held_on <= ?2");
	if (!st)
		return NULL;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	return db_rows(st);
}

int store_compliance_reminder_claim(int64_t org_id, const char *rule, const char *period, int64_t now)
{
	db_stmt *st = db_prep("INSERT INTO party_compliance_reminders (org_id, rule, period, created_at)"
			      " VALUES (?, ?, ?, ?) ON CONFLICT (org_id, rule, period) DO NOTHING RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, org_id);
	db_bind_text(st, 2, rule);
	db_bind_text(st, 3, period);
	db_bind_i64(st, 4, now);
	int64_t id = db_insert_id(st);
	return id < 0 ? (int)id : id > 0;
}

int store_notify_role_on(const char *role, int64_t org_id, const json_t *n)
{
	/* grants are unique per (account, role, org): no DISTINCT needed (and
	 * none wanted: PostgreSQL would type the parameters as text). */
	db_stmt *st = db_prep("INSERT INTO notifications (account_id, kind, title, body, created_at)"
			      " SELECT g.account_id, ?3, ?4, ?5, ?6 FROM grants g JOIN accounts a ON a.id = g.account_id"
			      " WHERE g.role = ?1 AND g.org_id = ?2 AND a.disabled = 0");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, role);
	db_bind_i64(st, 2, org_id);
	db_bind_json(st, 3, json_object_get(n, "kind"));
	db_bind_json(st, 4, json_object_get(n, "title"));
	db_bind_json(st, 5, json_object_get(n, "body"));
	db_bind_json(st, 6, json_object_get(n, "created_at"));
	return db_exec_stmt(st);
}

int64_t store_person_named(const char *name)
{
	db_stmt *st = db_prep("SELECT id FROM people WHERE name = ? ORDER BY id LIMIT 1");
	if (!st)
		return 0;
	db_bind_text(st, 1, name);
	int64_t id = db_step(st) == DB_ROW ? db_col_i64(st, 0) : 0;
	db_done(st);
	return id;
}

int store_party_member_ensure(int64_t person_id, int64_t org_id, int64_t now)
{
	db_stmt *st = db_prep("INSERT INTO party_members (person_id, org_id, status, joined_on, created_at, updated_at)"
			      " VALUES (?1, ?2, 'full', '2015-07-01', ?3, ?3) ON CONFLICT (person_id) DO NOTHING");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, person_id);
	db_bind_i64(st, 2, org_id);
	db_bind_i64(st, 3, now);
	return db_exec_stmt(st);
}

json_t *store_party_members_under(int64_t org_id)
{
	db_stmt *st = db_prep("SELECT pm.person_id FROM party_members pm JOIN orgs o ON o.id = pm.org_id, orgs t"
			      " WHERE t.id = ?1 AND pm.active = 1 AND substr(o.path, 1, length(t.path)) = t.path ORDER BY pm.id");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, org_id);
	return db_rows(st);
}
