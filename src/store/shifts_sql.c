/*
 * shifts_sql.c — shifts (of posts and of activities), sign-ups with the
 * waitlist and attendance, activities and service records (schema 011).
 * The sign-up transaction itself is composed in api/shifts.c from these
 * reads and writes; under it, the writes here enforce capacity and overlap
 * themselves (once SQLite triggers, schema 019) and the unique index one live
 * sign-up per person and shift. The writes also enqueue the webhook
 * deliveries of their events (webhook_outbox.c). Each write runs in its own
 * nested transaction, so the check and the write it guards are one unit
 * under the write lock on either engine (docs/ARCHITECTURE.md, "Rules that
 * hold across servers").
 */
#include "db.h"
#include "scope_sql.h"
#include "store.h"
#include "webhook_outbox.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t one_i64(db_stmt *st)
{
	int rc = db_step(st);
	int64_t v = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return v;
}

/* Ends the nested transaction of a write: committed when it succeeded or
 * wrote nothing (a rule refused, STORE_ECONFLICT; no such row,
 * STORE_ENOTFOUND: the caller's transaction goes on), rolled back otherwise. */
static int tx_end(int rc)
{
	if (rc && rc != STORE_ECONFLICT && rc != STORE_ENOTFOUND) {
		store_rollback();
		return rc;
	}
	int c = store_commit();
	return rc ? rc : c;
}

/* Shifts ------------------------------------------------------------------ */

int store_shift_ensure(int64_t post_id, int64_t activity_id, int64_t pattern_id, int64_t start, int64_t end,
		       int capacity, int64_t now, int *created)
{
	db_stmt *st = db_prep("INSERT INTO shifts (post_id, activity_id, pattern_id, start_at, end_at, capacity,"
				   " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
	if (!st)
		return STORE_EIO;
	if (post_id)
		db_bind_i64(st, 1, post_id);
	if (activity_id)
		db_bind_i64(st, 2, activity_id);
	if (pattern_id)
		db_bind_i64(st, 3, pattern_id);
	db_bind_i64(st, 4, start);
	db_bind_i64(st, 5, end);
	db_bind_i64(st, 6, capacity);
	db_bind_i64(st, 7, now);
	int rc = db_exec_stmt(st);
	if (!rc && created)
		*created = db_changes() > 0;
	return rc;
}

#define SHIFT_COLS "s.id, s.post_id, s.activity_id, s.pattern_id, s.start_at, s.end_at, s.capacity, s.status," \
	" s.sequence, s.settled, s.updated_at, coalesce(p.name, a.title) AS title, coalesce(p.org_id, a.org_id) AS org_id," \
	" coalesce(p.address, a.place) AS place, coalesce(p.lat, a.lat) AS lat, coalesce(p.lng, a.lng) AS lng," \
	" coalesce(p.radius_m, a.radius_m) AS radius_m, p.min_age, p.max_age, p.required_skill, o.path AS org_path," \
	" o.name AS org_name, a.content AS content, a.organiser, a.person_in_charge," \
	" (SELECT count(*) FROM signups g WHERE g.shift_id = s.id AND g.status = 'confirmed') AS confirmed," \
	" (SELECT count(*) FROM signups g WHERE g.shift_id = s.id AND g.status = 'waitlisted') AS waitlisted"
#define SHIFT_FROM " FROM shifts s LEFT JOIN posts p ON p.id = s.post_id LEFT JOIN activities a ON a.id = s.activity_id" \
	" JOIN orgs o ON o.id = coalesce(p.org_id, a.org_id)"

json_t *store_shift_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " SHIFT_COLS SHIFT_FROM " WHERE s.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_shift_list(const json_t *f, int limit)
{
	db_stmt *st = db_prep(
		"SELECT " SHIFT_COLS ","
		" (SELECT g.status FROM signups g WHERE g.shift_id = s.id AND g.volunteer_id = ?1"
		"   AND g.status <> 'cancelled') AS my_status,"
		" (SELECT g.id FROM signups g WHERE g.shift_id = s.id AND g.volunteer_id = ?1"
		"   AND g.status <> 'cancelled') AS my_signup_id"
		SHIFT_FROM
		" WHERE s.start_at >= ?2 AND s.start_at < ?3"
		" AND (?4 IS NULL OR s.post_id = ?4)"
		" AND (?5 IS NULL OR s.activity_id = ?5)"
		" AND " SCOPE_IN_OPT("o.path", "?6")
		" AND (?7 = 0 OR s.status = 'open')"
		" ORDER BY s.start_at, s.id LIMIT ?8");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, json_integer_value(json_object_get(f, "volunteer_id")));
	db_bind_i64(st, 2, json_integer_value(json_object_get(f, "from")));
	db_bind_i64(st, 3, json_integer_value(json_object_get(f, "to")));
	db_bind_json(st, 4, json_object_get(f, "post_id"));
	db_bind_json(st, 5, json_object_get(f, "activity_id"));
	scope_bind_within(st, 6, f);
	db_bind_i64(st, 7, json_is_true(json_object_get(f, "open_only")));
	db_bind_i64(st, 8, limit);
	return db_rows(st);
}

int store_shift_set_status(int64_t id, const char *status, int64_t now)
{
	int rc = store_begin();
	if (rc)
		return rc;
	db_stmt *st = db_prep("UPDATE shifts SET status = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?"
				   " AND status <> ?1");
	if (!st)
		return tx_end(STORE_EIO);
	db_bind_text(st, 1, status);
	db_bind_i64(st, 2, now);
	db_bind_i64(st, 3, id);
	rc = db_exec_stmt(st);
	if (!rc && db_changes() > 0 && !strcmp(status, "cancelled"))
		rc = webhooks_enqueue_shift_cancelled(id, now);
	return tx_end(rc);
}

/* Sign-ups ---------------------------------------------------------------- */

json_t *store_signup_facts(int64_t shift_id, int64_t volunteer_id, int64_t week_from, int64_t week_to)
{
	db_stmt *st = db_prep(
		"SELECT"
		" (SELECT count(*) FROM signups WHERE shift_id = ?1 AND volunteer_id = ?2"
		"   AND status IN ('confirmed', 'waitlisted')) AS already,"
		" (SELECT count(*) FROM signups WHERE shift_id = ?1 AND status = 'confirmed') AS confirmed,"
		" (SELECT count(*) FROM signups g JOIN shifts a ON a.id = g.shift_id, shifts b WHERE b.id = ?1"
		"   AND g.volunteer_id = ?2 AND g.status IN ('confirmed', 'waitlisted') AND a.id <> b.id"
		"   AND a.status = 'open' AND a.start_at < b.end_at AND b.start_at < a.end_at) AS overlapping,"
		" (SELECT count(*) FROM signups g JOIN shifts a ON a.id = g.shift_id WHERE g.volunteer_id = ?2"
		"   AND g.status IN ('confirmed', 'waitlisted') AND a.status = 'open'"
		"   AND a.start_at >= ?3 AND a.start_at < ?4) AS week_count");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, shift_id);
	db_bind_i64(st, 2, volunteer_id);
	db_bind_i64(st, 3, week_from);
	db_bind_i64(st, 4, week_to);
	return db_one(st);
}

/* The capacity rule (SPEC §5): a confirmed place beyond the shift's capacity
 * only when explicitly overbooked. STORE_ECONFLICT when the shift is full;
 * a missing shift is left to the foreign key. */
static int signup_capacity_ok(int64_t shift_id)
{
	db_stmt *st = db_prep("SELECT CASE WHEN (SELECT count(*) FROM signups g WHERE g.shift_id = s.id"
			      " AND g.status = 'confirmed') >= s.capacity THEN 1 ELSE 0 END FROM shifts s WHERE s.id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, shift_id);
	int64_t full = one_i64(st);
	return full < 0 ? (int)full : full ? STORE_ECONFLICT : STORE_OK;
}

/* The overlap rule: nobody live (confirmed or waitlisted) in two open shifts
 * whose times overlap. STORE_ECONFLICT when the volunteer would be. */
static int signup_overlap_ok(int64_t shift_id, int64_t volunteer_id)
{
	db_stmt *st = db_prep("SELECT count(*) FROM signups s JOIN shifts a ON a.id = s.shift_id, shifts b"
			      " WHERE b.id = ?1 AND s.volunteer_id = ?2 AND s.status IN ('confirmed', 'waitlisted')"
			      " AND a.id <> b.id AND a.status = 'open' AND a.start_at < b.end_at AND b.start_at < a.end_at");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, shift_id);
	db_bind_i64(st, 2, volunteer_id);
	int64_t n = one_i64(st);
	return n < 0 ? (int)n : n ? STORE_ECONFLICT : STORE_OK;
}

int store_signup_insert(int64_t shift_id, int64_t volunteer_id, const char *status, int overbooked, int64_t by,
			int64_t now, int64_t *id_out)
{
	int rc = store_begin();
	if (rc)
		return rc;
	int live = !strcmp(status, "confirmed") || !strcmp(status, "waitlisted");
	if (!strcmp(status, "confirmed") && !overbooked)
		rc = signup_capacity_ok(shift_id);
	if (!rc && live)
		rc = signup_overlap_ok(shift_id, volunteer_id);
	if (rc)
		return tx_end(rc);
	db_stmt *st = db_prep("INSERT INTO signups (shift_id, volunteer_id, status, overbooked, by_account,"
				   " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?6) RETURNING id");
	if (!st)
		return tx_end(STORE_EIO);
	db_bind_i64(st, 1, shift_id);
	db_bind_i64(st, 2, volunteer_id);
	db_bind_text(st, 3, status);
	db_bind_i64(st, 4, overbooked);
	if (by)
		db_bind_i64(st, 5, by);
	db_bind_i64(st, 6, now);
	int64_t nid = db_insert_id(st);
	if (nid < 0) {	/* the insert failed as a whole (e.g. one live sign-up per shift): nothing to undo */
		store_commit();
		return (int)nid;
	}
	rc = webhooks_enqueue_signup_status(nid, shift_id, NULL, status, now);
	if (!rc && id_out)
		*id_out = nid;
	return tx_end(rc);
}

#define SIGNUP_COLS "g.id, g.shift_id, g.volunteer_id, g.status, g.overbooked AS \"overbooked:bool\", g.by_account," \
	" g.created_at, g.promoted_at, g.cancelled_at, g.checkin_at, g.checkout_at, g.checkin_by, g.checkin_distance_m," \
	" g.attendance, g.credited_end, g.hours, g.sequence, g.updated_at, s.start_at, s.end_at, s.status AS shift_status," \
	" s.sequence AS shift_sequence, s.post_id, s.activity_id, coalesce(p.name, a.title) AS title," \
	" coalesce(p.address, a.place) AS place, pe.name AS volunteer_name, pe.phone_masked, v.vtype," \
	" (CASE WHEN EXISTS (SELECT 1 FROM party_members pm WHERE pm.person_id = pe.id AND pm.active = 1) THEN 1 ELSE 0 END)" \
	"   AS \"party_member:bool\", (CASE WHEN p.vanguard = 1 THEN 1 ELSE 0 END) AS \"vanguard:bool\"," \
	" CASE WHEN g.status = 'waitlisted' THEN (SELECT count(*) FROM signups w WHERE w.shift_id = g.shift_id" \
	"   AND w.status = 'waitlisted' AND w.id <= g.id) END AS waitlist_position"
#define SIGNUP_FROM " FROM signups g JOIN shifts s ON s.id = g.shift_id LEFT JOIN posts p ON p.id = s.post_id" \
	" LEFT JOIN activities a ON a.id = s.activity_id JOIN volunteers v ON v.id = g.volunteer_id" \
	" JOIN people pe ON pe.id = v.person_id"

json_t *store_signup_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " SIGNUP_COLS SIGNUP_FROM " WHERE g.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

int64_t store_signup_live(int64_t shift_id, int64_t volunteer_id)
{
	db_stmt *st = db_prep("SELECT id FROM signups WHERE shift_id = ? AND volunteer_id = ?"
				   " AND status IN ('confirmed', 'waitlisted')");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, shift_id);
	db_bind_i64(st, 2, volunteer_id);
	return one_i64(st);
}

int64_t store_waitlist_first(int64_t shift_id)
{
	db_stmt *st = db_prep("SELECT id FROM signups WHERE shift_id = ? AND status = 'waitlisted' ORDER BY id LIMIT 1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, shift_id);
	return one_i64(st);
}

/* What a sign-up was before an update: the rules and the events compare. */
struct signup_before {
	int64_t shift_id;
	int overbooked;
	char status[16], attendance[16];
};

static int signup_before_load(int64_t id, struct signup_before *b)
{
	db_stmt *st = db_prep("SELECT shift_id, overbooked, status, coalesce(attendance, '') FROM signups WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		b->shift_id = db_col_i64(st, 0);
		b->overbooked = (int)db_col_i64(st, 1);
		snprintf(b->status, sizeof b->status, "%s", db_col_text(st, 2));
		snprintf(b->attendance, sizeof b->attendance, "%s", db_col_text(st, 3));
	}
	db_done(st);
	return rc == DB_ROW ? STORE_OK : rc == DB_DONE ? STORE_ENOTFOUND : STORE_EIO;
}

/* After the row changed: the webhook deliveries of a new status and of an
 * attendance recorded or changed (webhook_outbox.c). */
static int signup_events(int64_t id, const struct signup_before *b, const json_t *patch)
{
	int64_t at = json_integer_value(json_object_get(patch, "updated_at"));
	const char *status = json_string_value(json_object_get(patch, "status"));
	const char *att = json_string_value(json_object_get(patch, "attendance"));
	int rc = STORE_OK;
	if (status && strcmp(status, b->status))
		rc = webhooks_enqueue_signup_status(id, b->shift_id, b->status, status, at);
	if (!rc && att && strcmp(att, b->attendance))
		rc = webhooks_enqueue_attendance(id, b->shift_id, att, at);
	return rc;
}

/* The capacity rule holds for a promotion too (waitlisted or cancelled →
 * confirmed) unless the sign-up was overbooked; then the row is updated and
 * its events enqueued, all in one transaction. */
int store_signup_update(int64_t id, const json_t *patch)
{
	int rc = store_begin();
	if (rc)
		return rc;
	struct signup_before b;
	rc = signup_before_load(id, &b);
	const char *status = json_string_value(json_object_get(patch, "status"));
	if (!rc && status && !strcmp(status, "confirmed") && strcmp(b.status, "confirmed") && !b.overbooked)
		rc = signup_capacity_ok(b.shift_id);
	if (rc)
		return tx_end(rc);
	db_stmt *st = db_prep("UPDATE signups SET"
				   " status = CASE WHEN ?2 THEN ?3 ELSE status END,"
				   " promoted_at = CASE WHEN ?4 THEN ?5 ELSE promoted_at END,"
				   " cancelled_at = CASE WHEN ?6 THEN ?7 ELSE cancelled_at END,"
				   " checkin_at = CASE WHEN ?8 THEN ?9 ELSE checkin_at END,"
				   " checkout_at = CASE WHEN ?10 THEN ?11 ELSE checkout_at END,"
				   " checkin_by = CASE WHEN ?12 THEN ?13 ELSE checkin_by END,"
				   " checkin_distance_m = CASE WHEN ?14 THEN ?15 ELSE checkin_distance_m END,"
				   " attendance = CASE WHEN ?16 THEN ?17 ELSE attendance END,"
				   " credited_end = CASE WHEN ?18 THEN ?19 ELSE credited_end END,"
				   " hours = CASE WHEN ?20 THEN ?21 ELSE hours END,"
				   " updated_at = ?23, sequence = sequence + ?22"
				   " WHERE id = ?1");
	if (!st)
		return tx_end(STORE_EIO);
	static const char *keys[] = {"status", "promoted_at", "cancelled_at", "checkin_at", "checkout_at",
				     "checkin_by", "checkin_distance_m", "attendance", "credited_end", "hours"};
	db_bind_i64(st, 1, id);
	for (int i = 0; i < 10; i++) {
		json_t *v = json_object_get(patch, keys[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	db_bind_i64(st, 22, json_object_get(patch, "status") ? 1 : 0);
	db_bind_json(st, 23, json_object_get(patch, "updated_at"));
	rc = db_exec_stmt(st);
	if (!rc && !db_changes())
		rc = STORE_ENOTFOUND;
	if (!rc)
		rc = signup_events(id, &b, patch);
	return tx_end(rc);
}

json_t *store_signup_list(const json_t *f, int limit)
{
	db_stmt *st = db_prep(
		"SELECT " SIGNUP_COLS SIGNUP_FROM
		" WHERE (?1 IS NULL OR g.shift_id = ?1)"
		" AND (?2 IS NULL OR g.volunteer_id = ?2)"
		" AND (?3 IS NULL OR s.start_at >= ?3) AND (?4 IS NULL OR s.start_at < ?4)"
		" AND (?5 = 1 OR g.status <> 'cancelled')"
		" AND (?6 IS NULL OR g.attendance = ?6)"
		" ORDER BY s.start_at, g.status, g.id LIMIT ?7");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(f, "shift_id"));
	db_bind_json(st, 2, json_object_get(f, "volunteer_id"));
	db_bind_json(st, 3, json_object_get(f, "from"));
	db_bind_json(st, 4, json_object_get(f, "to"));
	db_bind_i64(st, 5, json_is_true(json_object_get(f, "with_cancelled")));
	db_bind_json(st, 6, json_object_get(f, "attendance"));
	db_bind_i64(st, 7, limit);
	return db_rows(st);
}

/* Roster of a week for staff: every live sign-up of shifts in [from, to) in the scope. */
json_t *store_roster(const json_t *f, int limit)
{
	db_stmt *st = db_prep(
		"SELECT " SIGNUP_COLS SIGNUP_FROM " JOIN orgs o ON o.id = coalesce(p.org_id, a.org_id)"
		" WHERE s.start_at >= ?1 AND s.start_at < ?2 AND g.status <> 'cancelled'"
		" AND (?3 IS NULL OR s.post_id = ?3)"
		" AND " SCOPE_IN_OPT("o.path", "?4")
		" ORDER BY s.start_at, s.id, g.status, g.id LIMIT ?5");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(f, "from"));
	db_bind_json(st, 2, json_object_get(f, "to"));
	db_bind_json(st, 3, json_object_get(f, "post_id"));
	scope_bind_within(st, 4, f);
	db_bind_i64(st, 5, limit);
	return db_rows(st);
}

int store_noshow_count(int64_t volunteer_id, int64_t since)
{
	db_stmt *st = db_prep("SELECT count(*) FROM signups g JOIN shifts s ON s.id = g.shift_id"
				   " WHERE g.volunteer_id = ? AND g.attendance = 'no_show' AND s.start_at >= ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, volunteer_id);
	db_bind_i64(st, 2, since);
	return (int)one_i64(st);
}

json_t *store_shifts_to_settle(int64_t now, int limit)
{
	db_stmt *st = db_prep("SELECT id FROM shifts WHERE settled = 0 AND end_at <= ? ORDER BY end_at, id LIMIT ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, now);
	db_bind_i64(st, 2, limit);
	return db_rows(st);
}

int store_shift_mark_settled(int64_t id)
{
	db_stmt *st = db_prep("UPDATE shifts SET settled = 1 WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	return db_exec_stmt(st);
}

/* Calendar feed: the volunteer's sign-ups (also cancelled ones, so clients
 * learn of the cancellation) of shifts starting after `since`. */
json_t *store_signups_for_feed(int64_t volunteer_id, int64_t since, int limit)
{
	/* content: what the activity is about (or the post's rules), for DESCRIPTION. */
	db_stmt *st = db_prep("SELECT " SIGNUP_COLS ", coalesce(a.content, p.rules) AS content" SIGNUP_FROM
				   " WHERE g.volunteer_id = ? AND s.start_at >= ?"
				   " ORDER BY s.start_at, g.id LIMIT ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, volunteer_id);
	db_bind_i64(st, 2, since);
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

/* Activities ---------------------------------------------------------------- */

json_t *store_activity_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT a.*, o.name AS org_name, o.path AS org_path FROM activities a"
				   " JOIN orgs o ON o.id = a.org_id WHERE a.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

int store_activity_create(const json_t *in, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO activities (org_id, title, place, content, organiser, person_in_charge,"
				   " lat, lng, radius_m, recurrence, day_of_month, start_min, end_min, capacity, created_at)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, 200), coalesce(?, 'once'), ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"org_id", "title", "place", "content", "organiser", "person_in_charge", "lat",
				     "lng", "radius_m", "recurrence", "day_of_month", "start_min", "end_min", "capacity"};
	for (int i = 0; i < 14; i++)
		db_bind_json(st, i + 1, json_object_get(in, keys[i]));
	db_bind_i64(st, 15, now);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

json_t *store_activity_list(const json_t *f, int limit)
{
	db_stmt *st = db_prep(
		"SELECT a.*, o.name AS org_name, (SELECT min(s.start_at) FROM shifts s WHERE s.activity_id = a.id"
		"   AND s.start_at >= ?2 AND s.status = 'open') AS next_start"
		" FROM activities a JOIN orgs o ON o.id = a.org_id"
		" WHERE " SCOPE_IN_OPT("o.path", "?1")
		" ORDER BY a.id DESC LIMIT ?3");
	if (!st)
		return NULL;
	scope_bind_within(st, 1, f);
	db_bind_i64(st, 2, json_integer_value(json_object_get(f, "now")));
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

/* Service records ----------------------------------------------------------- */

#define REC_COLS "r.id, r.volunteer_id, pe.name AS volunteer_name, r.org_id, o.name AS org_name, r.signup_id," \
	" r.activity_name, r.service_date, r.place, r.content, r.hours, r.organiser, r.person_in_charge, r.status," \
	" r.supersedes_id, r.created_by, r.decided_by, r.decided_at, r.created_at, o.path AS org_path," \
	" (SELECT n.id FROM service_records n WHERE n.supersedes_id = r.id AND n.status = 'approved') AS superseded_by"
#define REC_FROM " FROM service_records r JOIN volunteers v ON v.id = r.volunteer_id JOIN people pe ON pe.id = v.person_id" \
	" JOIN orgs o ON o.id = r.org_id"

json_t *store_record_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " REC_COLS REC_FROM " WHERE r.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

int store_record_create(const json_t *in, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO service_records (volunteer_id, org_id, signup_id, activity_name,"
				   " service_date, place, content, hours, organiser, person_in_charge, supersedes_id,"
				   " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
				   " ON CONFLICT DO NOTHING RETURNING id");
	if (!st)
		return STORE_EIO;
	static const char *keys[] = {"volunteer_id", "org_id", "signup_id", "activity_name", "service_date", "place",
				     "content", "hours", "organiser", "person_in_charge", "supersedes_id", "created_by"};
	for (int i = 0; i < 12; i++)
		db_bind_json(st, i + 1, json_object_get(in, keys[i]));
	db_bind_i64(st, 13, now);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

int store_record_decide(int64_t id, const char *status, int64_t by, int64_t at)
{
	db_stmt *st = db_prep("UPDATE service_records SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, status);
	if (by)	/* 0: no account (the demo, the scheduler) */
		db_bind_i64(st, 2, by);
	db_bind_i64(st, 3, at);
	db_bind_i64(st, 4, id);
	return db_exec_stmt(st);
}

json_t *store_record_list(const json_t *f, int64_t before_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT " REC_COLS REC_FROM
		" WHERE (?1 IS NULL OR r.volunteer_id = ?1)"
		" AND (?2 IS NULL OR r.status = ?2)"
		" AND " SCOPE_IN_OPT("o.path", "?3")
		" AND (?4 IS NULL OR r.service_date >= ?4) AND (?5 IS NULL OR r.service_date <= ?5)"
		" AND (?6 = 0 OR r.id < ?6)"
		" ORDER BY r.id DESC LIMIT ?7");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(f, "volunteer_id"));
	db_bind_json(st, 2, json_object_get(f, "status"));
	scope_bind_within(st, 3, f);
	db_bind_json(st, 4, json_object_get(f, "from"));
	db_bind_json(st, 5, json_object_get(f, "to"));
	db_bind_i64(st, 6, before_id);
	db_bind_i64(st, 7, limit);
	return db_rows(st);
}

/* Counted hours: approved records that no approved correction supersedes. */
double store_volunteer_hours(int64_t volunteer_id)
{
	db_stmt *st = db_prep("SELECT coalesce(sum(r.hours), 0) FROM service_records r WHERE r.volunteer_id = ?"
				   " AND r.status = 'approved' AND NOT EXISTS (SELECT 1 FROM service_records n"
				   " WHERE n.supersedes_id = r.id AND n.status = 'approved')");
	if (!st)
		return 0;
	db_bind_i64(st, 1, volunteer_id);
	double h = db_step(st) == DB_ROW ? db_col_double(st, 0) : 0;
	db_done(st);
	return h;
}
