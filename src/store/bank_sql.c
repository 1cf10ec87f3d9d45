/*
 * bank_sql.c — the love bank's SQL (schema 012): accounts, append-only
 * entries, manual awards, the 爱心超市 catalogue and orders. Posting an entry
 * debits with a guarded UPDATE (balance >= amount unless the account issues
 * points), so even without the handler's check an overdraw changes nothing;
 * the table's CHECK is a second net. Callers hold the write transaction
 * (writes are serialised by the store's one lock + BEGIN IMMEDIATE), which is
 * what makes check-then-post safe under parallel requests.
 */
#include "db.h"
#include "scope_sql.h"
#include "store.h"
#include <string.h>

static int64_t first_i64(db_stmt *st)
{
	int rc = db_step(st);
	int64_t v = rc == DB_ROW ? db_col_i64(st, 0) : rc == DB_DONE ? 0 : STORE_EIO;
	db_done(st);
	return v;
}

int64_t store_bank_account_find(const char *kind, int64_t ref)
{
	db_stmt *st = db_prep("SELECT id FROM bank_accounts WHERE kind = ? AND ref_id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, kind);
	db_bind_i64(st, 2, ref);
	return first_i64(st);
}

int64_t store_bank_account(const char *kind, int64_t ref, int64_t now)
{
	int64_t id = store_bank_account_find(kind, ref);
	if (id)
		return id;
	db_stmt *st = db_prep("INSERT INTO bank_accounts (kind, ref_id, balance, created_at) VALUES (?, ?, 0, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, kind);
	db_bind_i64(st, 2, ref);
	db_bind_i64(st, 3, now);
	return db_insert_id(st);
}

int64_t store_bank_balance(int64_t account_id)
{
	db_stmt *st = db_prep("SELECT balance FROM bank_accounts WHERE id = ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, account_id);
	return first_i64(st);
}

json_t *store_bank_entry_by_source(const char *kind, int64_t source_id, const char *purpose)
{
	db_stmt *st = db_prep("SELECT * FROM bank_entries WHERE source_kind = ? AND source_id = ? AND purpose = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, kind);
	db_bind_i64(st, 2, source_id);
	db_bind_text(st, 3, purpose ? purpose : "award");
	return db_one(st);
}

int store_bank_post(const struct bank_post *p, int64_t *id_out)
{
	const char *purpose = p->purpose ? p->purpose : "award";
	json_t *old = store_bank_entry_by_source(p->source_kind, p->source_id, purpose);
	if (old) {
		if (id_out)
			*id_out = json_integer_value(json_object_get(old, "id"));
		json_decref(old);
		return 1;
	}
	if (p->amount <= 0 || p->debit == p->credit)
		return STORE_ECONFLICT;
	db_stmt *st = db_prep("UPDATE bank_accounts SET balance = balance - ?2"
				   " WHERE id = ?1 AND (kind = 'issuer' OR balance >= ?2)");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, p->debit);
	db_bind_i64(st, 2, p->amount);
	int rc = db_exec_stmt(st);
	if (rc)
		return rc;
	if (!db_changes())
		return STORE_EFUNDS;
	st = db_prep("UPDATE bank_accounts SET balance = balance + ?2 WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, p->credit);
	db_bind_i64(st, 2, p->amount);
	if ((rc = db_exec_stmt(st)))
		return rc;
	st = db_prep("INSERT INTO bank_entries (debit_id, credit_id, amount, source_kind, source_id, purpose,"
		     " reverses_id, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, nullif(?, 0), ?, nullif(?, 0), ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, p->debit);
	db_bind_i64(st, 2, p->credit);
	db_bind_i64(st, 3, p->amount);
	db_bind_text(st, 4, p->source_kind);
	db_bind_i64(st, 5, p->source_id);
	db_bind_text(st, 6, purpose);
	db_bind_i64(st, 7, p->reverses_id);
	db_bind_text(st, 8, p->note);
	db_bind_i64(st, 9, p->by);
	db_bind_i64(st, 10, p->now);
	int64_t nid = db_insert_id(st);
	rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

json_t *store_bank_entries(int64_t account_id, int64_t before_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT e.id, e.amount, CASE WHEN e.credit_id = ?1 THEN e.amount ELSE -e.amount END AS delta,"
		" e.source_kind, e.source_id, e.purpose, e.reverses_id, e.note, e.created_at,"
		" CASE e.source_kind WHEN 'redemption' THEN (SELECT i.name FROM bank_orders o JOIN bank_items i"
		"   ON i.id = o.item_id WHERE o.id = e.source_id)"
		"  WHEN 'refund' THEN (SELECT i.name FROM bank_orders o JOIN bank_items i ON i.id = o.item_id WHERE o.id = e.source_id)"
		"  WHEN 'service_record' THEN (SELECT r.activity_name FROM service_records r WHERE r.id = e.source_id)"
		"  WHEN 'manual' THEN (SELECT a.reason FROM bank_awards a WHERE a.id = e.source_id)"
		"  WHEN 'verified_tip' THEN (SELECT p.code FROM problems p WHERE p.id = e.source_id)"
		"  WHEN 'transfer' THEN (SELECT CASE WHEN e.credit_id = ?1 THEN '来自 ' || fa.display_name"
		"   ELSE '转赠给 ' || ta.display_name END FROM bank_transfers t JOIN accounts fa ON fa.id = t.from_id"
		"   JOIN accounts ta ON ta.id = t.to_id WHERE t.id = e.source_id) END AS title"
		" FROM bank_entries e WHERE (e.debit_id = ?1 OR e.credit_id = ?1) AND (?2 = 0 OR e.id < ?2)"
		" ORDER BY e.id DESC LIMIT ?3");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, account_id);
	db_bind_i64(st, 2, before_id);
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

json_t *store_bank_trial(void)
{
	db_stmt *st = db_prep(
		"SELECT (SELECT coalesce(sum(balance), 0) FROM bank_accounts) AS sum,"
		" (SELECT count(*) FROM bank_accounts) AS accounts, (SELECT count(*) FROM bank_entries) AS entries,"
		" (SELECT coalesce(-sum(balance), 0) FROM bank_accounts WHERE kind = 'issuer') AS outstanding,"
		" (SELECT coalesce(sum(balance), 0) FROM bank_accounts WHERE kind = 'member') AS members,"
		" (SELECT coalesce(sum(balance), 0) FROM bank_accounts WHERE kind = 'provider') AS redeemed,"
		" (SELECT coalesce(json_group_array(json_object('account_id', id, 'balance', balance, 'computed', c)), '[]') FROM"
		"   (SELECT a.id, a.balance, coalesce((SELECT sum(amount) FROM bank_entries WHERE credit_id = a.id), 0)"
		"     - coalesce((SELECT sum(amount) FROM bank_entries WHERE debit_id = a.id), 0) AS c FROM bank_accounts a) x"
		"   WHERE balance <> c) AS \"mismatches:json\"");
	if (!st)
		return NULL;
	return db_one(st);
}

#define REC_PENDING \
	"SELECT r.id, a.id AS account_id, r.org_id, r.hours, coalesce(o.hours, 0.0) AS old_hours, r.decided_at AS at" \
	" FROM service_records r JOIN volunteers v ON v.id = r.volunteer_id" \
	" JOIN accounts a ON a.person_id = v.person_id" \
	" LEFT JOIN service_records o ON o.id = r.supersedes_id" \
	" WHERE r.status = 'approved' AND (?1 = 0 OR r.id = ?1)" \
	" AND NOT EXISTS (SELECT 1 FROM bank_entries e WHERE e.source_kind = 'service_record' AND e.source_id = r.id" \
	"   AND e.purpose = 'award') ORDER BY r.id LIMIT ?2"

json_t *store_bank_pending_records(int64_t only_id, int limit)
{
	db_stmt *st = db_prep(REC_PENDING);
	if (!st)
		return NULL;
	db_bind_i64(st, 1, only_id);
	db_bind_i64(st, 2, limit);
	return db_rows(st);
}

json_t *store_bank_pending_tips(int64_t only_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT p.id, p.reporter_id AS account_id, p.org_id, p.closed_at AS at FROM problems p"
		" WHERE p.state = 'closed' AND p.reporter_id IS NOT NULL"
		" AND p.source IN ('citizen_tip', 'message_board', 'open311', 'volunteer') AND (?1 = 0 OR p.id = ?1)"
		" AND NOT EXISTS (SELECT 1 FROM bank_entries e WHERE e.source_kind = 'verified_tip' AND e.source_id = p.id"
		"   AND e.purpose = 'award') ORDER BY p.id LIMIT ?2");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, only_id);
	db_bind_i64(st, 2, limit);
	return db_rows(st);
}

json_t *store_bank_pending_activities(int limit)
{
	db_stmt *st = db_prep(
		"SELECT g.id, a.id AS account_id, act.org_id, s.end_at AS at FROM signups g JOIN shifts s ON s.id = g.shift_id"
		" JOIN activities act ON act.id = s.activity_id JOIN volunteers v ON v.id = g.volunteer_id"
		" JOIN accounts a ON a.person_id = v.person_id WHERE g.attendance = 'attended'"
		" AND NOT EXISTS (SELECT 1 FROM bank_entries e WHERE e.source_kind = 'activity' AND e.source_id = g.id"
		"   AND e.purpose = 'award') ORDER BY g.id LIMIT ?1");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, limit);
	return db_rows(st);
}

static int exec_keys(const char *sql, const json_t *in, const char *const *keys, int n, int64_t *id_out)
{
	db_stmt *st = db_prep(sql);
	if (!st)
		return STORE_EIO;
	for (int i = 0; i < n; i++)
		db_bind_json(st, i + 1, json_object_get(in, keys[i]));
	int64_t nid = db_insert_id(st);
	if (nid >= 0 && id_out)
		*id_out = nid;
	return nid < 0 ? (int)nid : STORE_OK;
}

int store_bank_award_add(const json_t *in, int64_t *id_out)
{
	static const char *const k[] = {"account_id", "org_id", "points", "reason", "created_by", "created_at"};
	return exec_keys("INSERT INTO bank_awards (account_id, org_id, points, reason, created_by, created_at)"
			 " VALUES (?, ?, ?, ?, ?, ?) RETURNING id", in, k, 6, id_out);
}

int store_bank_item_create(const json_t *in, int64_t *id_out)
{
	static const char *const k[] = {"provider_id", "name", "description", "cost", "stock", "limit_count",
					"limit_days", "created_at"};
	return exec_keys("INSERT INTO bank_items (provider_id, name, description, cost, stock, limit_count, limit_days,"
			 " created_at) VALUES (?, ?, ?, ?, ?, coalesce(?, 0), coalesce(?, 30), ?) RETURNING id", in, k, 8, id_out);
}

int store_bank_item_update(int64_t id, const json_t *patch)
{
	db_stmt *st = db_prep("UPDATE bank_items SET"
				   " name = CASE WHEN ?2 THEN ?3 ELSE name END,"
				   " description = CASE WHEN ?4 THEN ?5 ELSE description END,"
				   " cost = CASE WHEN ?6 THEN ?7 ELSE cost END,"
				   " stock = CASE WHEN ?8 THEN ?9 ELSE stock END,"
				   " limit_count = CASE WHEN ?10 THEN ?11 ELSE limit_count END,"
				   " limit_days = CASE WHEN ?12 THEN ?13 ELSE limit_days END,"
				   " active = CASE WHEN ?14 THEN ?15 ELSE active END"
				   " WHERE id = ?1");
	if (!st)
		return STORE_EIO;
	static const char *const k[] = {"name", "description", "cost", "stock", "limit_count", "limit_days", "active"};
	db_bind_i64(st, 1, id);
	for (int i = 0; i < 7; i++) {
		json_t *v = json_object_get(patch, k[i]);
		db_bind_i64(st, 2 + 2 * i, v != NULL);
		db_bind_json(st, 3 + 2 * i, v);
	}
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ENOTFOUND;
}

#define ITEM_COLS "i.id, i.provider_id, o.name AS provider_name, o.path AS provider_path, i.name, i.description," \
	" i.cost, i.stock, i.limit_count, i.limit_days, i.active AS \"active:bool\", i.created_at"

json_t *store_bank_item_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " ITEM_COLS " FROM bank_items i JOIN orgs o ON o.id = i.provider_id WHERE i.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_bank_item_list(int active_only, const char *scope_paths)
{
	db_stmt *st = db_prep("SELECT " ITEM_COLS " FROM bank_items i JOIN orgs o ON o.id = i.provider_id"
				   " WHERE (?1 = 0 OR i.active = 1) AND " SCOPE_IN_OPT("o.path", "?2")
				   " ORDER BY i.cost, i.id LIMIT 500");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, active_only);
	db_bind_text(st, 2, scope_paths);
	return db_rows(st);
}

int store_bank_item_take(int64_t id, int delta)
{
	db_stmt *st = db_prep("UPDATE bank_items SET stock = stock - ?2 WHERE id = ?1 AND stock - ?2 >= 0");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, delta);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ECONFLICT;
}

int store_bank_order_create(const json_t *in, int64_t *id_out)
{
	static const char *const k[] = {"item_id", "account_id", "cost", "code", "created_at"};
	return exec_keys("INSERT INTO bank_orders (item_id, account_id, cost, code, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			 in, k, 5, id_out);
}

#define ORDER_COLS "b.id, b.item_id, i.name AS item_name, i.provider_id, o.name AS provider_name," \
	" o.path AS provider_path, b.account_id, ac.display_name AS member_name, b.cost, b.code, b.status," \
	" b.created_at, b.decided_by, b.decided_at"
#define ORDER_FROM " FROM bank_orders b JOIN bank_items i ON i.id = b.item_id JOIN orgs o ON o.id = i.provider_id" \
	" JOIN accounts ac ON ac.id = b.account_id"

json_t *store_bank_order_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " ORDER_COLS ORDER_FROM " WHERE b.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

json_t *store_bank_order_by_code(const char *code)
{
	db_stmt *st = db_prep("SELECT " ORDER_COLS ORDER_FROM " WHERE b.code = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, code);
	return db_one(st);
}

json_t *store_bank_order_list(const json_t *f, int64_t before_id, int limit)
{
	db_stmt *st = db_prep("SELECT " ORDER_COLS ORDER_FROM
				   " WHERE (?1 IS NULL OR b.account_id = ?1) AND (?2 IS NULL OR b.status = ?2)"
				   " AND " SCOPE_IN_OPT("o.path", "?3")
				   " AND (?4 = 0 OR b.id < ?4) AND (?6 IS NULL OR b.code = upper(?6)) ORDER BY b.id DESC LIMIT ?5");
	if (!st)
		return NULL;
	db_bind_json(st, 1, json_object_get(f, "account_id"));
	db_bind_json(st, 2, json_object_get(f, "status"));
	db_bind_json(st, 3, json_object_get(f, "scope_paths"));
	db_bind_i64(st, 4, before_id);
	db_bind_i64(st, 5, limit);
	db_bind_json(st, 6, json_object_get(f, "code"));
	return db_rows(st);
}

int store_bank_order_decide(int64_t id, const char *to, int64_t by, int64_t now)
{
	db_stmt *st = db_prep("UPDATE bank_orders SET status = ?2, decided_by = ?3, decided_at = ?4"
				   " WHERE id = ?1 AND status = 'placed'");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, to);
	db_bind_i64(st, 3, by);
	db_bind_i64(st, 4, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ECONFLICT;
}

int store_bank_orders_since(int64_t item_id, int64_t account_id, int64_t since)
{
	db_stmt *st = db_prep("SELECT count(*) FROM bank_orders WHERE item_id = ? AND account_id = ?"
				   " AND created_at >= ? AND status <> 'cancelled'");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, item_id);
	db_bind_i64(st, 2, account_id);
	db_bind_i64(st, 3, since);
	return (int)first_i64(st);
}

json_t *store_bank_expirable(int64_t cutoff)
{
	db_stmt *st = db_prep(
		"SELECT account_id, amount, org_id FROM (SELECT a.id AS account_id,"
		" (SELECT coalesce(sum(amount), 0) FROM bank_entries WHERE credit_id = a.id AND created_at < ?1)"
		" - (SELECT coalesce(sum(amount), 0) FROM bank_entries WHERE debit_id = a.id) AS amount,"
		" (SELECT i.ref_id FROM bank_entries e JOIN bank_accounts i ON i.id = e.debit_id AND i.kind = 'issuer'"
		"   WHERE e.credit_id = a.id ORDER BY e.id LIMIT 1) AS org_id"
		" FROM bank_accounts a WHERE a.kind = 'member') x WHERE amount > 0 AND org_id IS NOT NULL");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, cutoff);
	return db_rows(st);
}

json_t *store_bank_members(int limit)
{
	db_stmt *st = db_prep("SELECT b.ref_id AS account_id, a.display_name, b.balance FROM bank_accounts b"
				   " JOIN accounts a ON a.id = b.ref_id WHERE b.kind = 'member'"
				   " ORDER BY b.balance DESC, b.id LIMIT ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, limit);
	return db_rows(st);
}

/* The org accounts (issuers and providers) within scope with what they
 * issued, took back (expiry) and received (redemptions net of refunds). */
json_t *store_bank_org_report(const char *scope_paths)
{
	db_stmt *st = db_prep(
		"SELECT o.id AS org_id, o.name AS org_name, b.kind,"
		" coalesce((SELECT sum(amount) FROM bank_entries e WHERE e.debit_id = b.id), 0) AS out_points,"
		" coalesce((SELECT sum(amount) FROM bank_entries e WHERE e.credit_id = b.id), 0) AS in_points,"
		" (SELECT count(*) FROM bank_entries e WHERE e.debit_id = b.id OR e.credit_id = b.id) AS entries,"
		" b.balance FROM bank_accounts b JOIN orgs o ON o.id = b.ref_id"
		" WHERE b.kind IN ('issuer', 'provider') AND " SCOPE_IN_OPT("o.path", "?1")
		" ORDER BY b.kind, o.path");
	if (!st)
		return NULL;
	db_bind_text(st, 1, scope_paths);
	return db_rows(st);
}

/* Entries that touch an org account within scope (every entry does: awards
 * and expiry an issuer, redemptions and refunds a provider), oldest first,
 * with both sides named. */
json_t *store_bank_ledger(const char *scope_paths, int64_t after_id, int limit)
{
	db_stmt *st = db_prep(
		"SELECT e.id, e.created_at, e.source_kind, e.source_id, e.purpose, e.amount, e.reverses_id, e.note,"
		" d.kind AS debit_kind, CASE d.kind WHEN 'member' THEN (SELECT display_name FROM accounts WHERE id = d.ref_id)"
		"   ELSE (SELECT name FROM orgs WHERE id = d.ref_id) END AS debit_name,"
		" c.kind AS credit_kind, CASE c.kind WHEN 'member' THEN (SELECT display_name FROM accounts WHERE id = c.ref_id)"
		"   ELSE (SELECT name FROM orgs WHERE id = c.ref_id) END AS credit_name"
		" FROM bank_entries e JOIN bank_accounts d ON d.id = e.debit_id JOIN bank_accounts c ON c.id = e.credit_id"
		" WHERE e.id > ?2 AND (?1 IS NULL OR EXISTS (SELECT 1 FROM bank_accounts x JOIN orgs o ON o.id = x.ref_id"
		"   WHERE x.id IN (e.debit_id, e.credit_id) AND x.kind <> 'member' AND " SCOPE_IN("o.path", "?1") "))"
		" ORDER BY e.id LIMIT ?3");
	if (!st)
		return NULL;
	db_bind_text(st, 1, scope_paths);
	db_bind_i64(st, 2, after_id);
	db_bind_i64(st, 3, limit);
	return db_rows(st);
}

/* Family links and transfers (schema 013) ----------------------------------- */

int64_t store_bank_login_account(const char *login)
{
	db_stmt *st = db_prep("SELECT id FROM accounts WHERE login = ? AND disabled = 0");
	if (!st)
		return STORE_EIO;
	db_bind_text(st, 1, login);
	return first_i64(st);
}

int store_bank_family_create(int64_t account, int64_t family, const char *relation, int64_t org, int64_t now,
			     int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO bank_family (account_id, family_id, relation, org_id, state, created_by,"
				   " created_at) VALUES (?1, ?2, ?3, nullif(?4, 0), 'pending', ?1, ?5) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, account);
	db_bind_i64(st, 2, family);
	db_bind_text(st, 3, relation);
	db_bind_i64(st, 4, org);
	db_bind_i64(st, 5, now);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

#define FAMILY_COLS "f.id, f.account_id, a.login AS account_login, a.display_name AS account_name, f.family_id," \
	" b.login AS family_login, b.display_name AS family_name, f.relation, f.org_id, o.name AS org_name," \
	" o.path AS org_path, f.state, f.created_by, f.created_at, f.decided_by, f.decided_at"
#define FAMILY_FROM " FROM bank_family f JOIN accounts a ON a.id = f.account_id JOIN accounts b ON b.id = f.family_id" \
	" LEFT JOIN orgs o ON o.id = f.org_id"

json_t *store_bank_family_get(int64_t id)
{
	db_stmt *st = db_prep("SELECT " FAMILY_COLS FAMILY_FROM " WHERE f.id = ?");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, id);
	return db_one(st);
}

/* The live (pending or approved) link between two accounts, either way. */
json_t *store_bank_family_live(int64_t a, int64_t b)
{
	db_stmt *st = db_prep("SELECT " FAMILY_COLS FAMILY_FROM " WHERE f.state <> 'revoked' AND"
				   " ((f.account_id = ?1 AND f.family_id = ?2) OR (f.account_id = ?2 AND f.family_id = ?1))");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, a);
	db_bind_i64(st, 2, b);
	return db_one(st);
}

json_t *store_bank_family_list(int64_t account, const char *state, const char *scope_paths)
{
	db_stmt *st = db_prep("SELECT " FAMILY_COLS FAMILY_FROM
				   " WHERE (?1 = 0 OR f.account_id = ?1 OR f.family_id = ?1) AND (?2 IS NULL OR f.state = ?2)"
				   " AND " SCOPE_IN_OPT("o.path", "?3") " ORDER BY f.id DESC LIMIT 500");
	if (!st)
		return NULL;
	db_bind_i64(st, 1, account);
	db_bind_text(st, 2, state);
	db_bind_text(st, 3, scope_paths);
	return db_rows(st);
}

int store_bank_family_decide(int64_t id, const char *from, const char *to, int64_t by, int64_t now)
{
	db_stmt *st = db_prep("UPDATE bank_family SET state = ?3, decided_by = ?4, decided_at = ?5"
				   " WHERE id = ?1 AND instr(' ' || ?2 || ' ', ' ' || state || ' ') > 0");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	db_bind_i64(st, 4, by);
	db_bind_i64(st, 5, now);
	int rc = db_exec_stmt(st);
	return rc ? rc : db_changes() ? STORE_OK : STORE_ECONFLICT;
}

int store_bank_transfer_add(int64_t from, int64_t to, int64_t amount, const char *note, int64_t now, int64_t *id_out)
{
	db_stmt *st = db_prep("INSERT INTO bank_transfers (from_id, to_id, amount, note, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, from);
	db_bind_i64(st, 2, to);
	db_bind_i64(st, 3, amount);
	db_bind_text(st, 4, note);
	db_bind_i64(st, 5, now);
	int64_t nid = db_insert_id(st);
	int rc = nid < 0 ? (int)nid : STORE_OK;
	if (!rc && id_out)
		*id_out = nid;
	return rc;
}

int64_t store_bank_transferred_since(int64_t from, int64_t since)
{
	db_stmt *st = db_prep("SELECT coalesce(sum(amount), 0) FROM bank_transfers WHERE from_id = ? AND created_at >= ?");
	if (!st)
		return STORE_EIO;
	db_bind_i64(st, 1, from);
	db_bind_i64(st, 2, since);
	return first_i64(st);
}
