/*
 * bank.h — the love bank's store API (爱心银行, SPEC §6; bank_sql.c), included
 * from store.h. Accounts are (kind, ref): "member" ref = a login account id,
 * "issuer" and "provider" ref = an org id. Every movement is one entry from a
 * debit account to a credit account; balances are kept in the same
 * transaction. All writes must run inside the caller's write transaction.
 */
#ifndef WM_STORE_BANK_H
#define WM_STORE_BANK_H
#include <jansson.h>
#include <stdint.h>

enum { STORE_EFUNDS = -10 };	/* the debit account would go below zero */

/* The account id for (kind, ref), created with balance 0 when missing; < 0 on error. */
int64_t store_bank_account(const char *kind, int64_t ref, int64_t now);
/* The account id for (kind, ref) or 0 when none exists (reads only). */
int64_t store_bank_account_find(const char *kind, int64_t ref);
int64_t store_bank_balance(int64_t account_id);

struct bank_post {
	int64_t debit, credit, amount;
	const char *source_kind;
	int64_t source_id;
	const char *purpose;	/* NULL = "award" */
	int64_t reverses_id;	/* 0 = none */
	const char *note;
	int64_t by, now;
};
/* Posts one entry. 0 = posted (*id_out set), 1 = an entry for the same
 * (source_kind, source_id, purpose) exists (nothing changed; *id_out = it),
 * STORE_EFUNDS = the debit account (not an issuer) lacks the amount. */
int store_bank_post(const struct bank_post *p, int64_t *id_out);
json_t *store_bank_entry_by_source(const char *kind, int64_t source_id, const char *purpose);
/* Entries touching an account, newest first, with "delta" (+ credit, − debit). */
json_t *store_bank_entries(int64_t account_id, int64_t before_id, int limit);
/* {"sum","accounts","entries","issued","redeemed","mismatches":[{"account_id","balance","computed"}]} */
json_t *store_bank_trial(void);

/* Award candidates not yet awarded: records [{"id","account_id","org_id",
 * "hours","old_hours"}], tips [{"id","account_id","org_id"}], activity
 * attendances [{"id" (signup),"account_id","org_id"}]. at most limit rows. */
json_t *store_bank_pending_records(int64_t only_id, int limit);
json_t *store_bank_pending_tips(int64_t only_id, int limit);
json_t *store_bank_pending_activities(int limit);
/* Member accounts whose credits before cutoff exceed all their debits:
 * [{"account_id" (bank account),"amount","org_id" (issuer of the first award)}]. */
json_t *store_bank_expirable(int64_t cutoff);
/* Member accounts by balance, highest first: [{"account_id" (login),"display_name","balance"}]. */
json_t *store_bank_members(int limit);
/* Issuer and provider accounts of orgs within scope (NULL = all): [{"org_id",
 * "org_name","kind","out_points","in_points","entries","balance"}]. */
json_t *store_bank_org_report(const char *scope_paths);
/* Entries touching an org account within scope, oldest first, after_id
 * exclusive: + "debit_kind","debit_name","credit_kind","credit_name". */
json_t *store_bank_ledger(const char *scope_paths, int64_t after_id, int limit);
int store_bank_award_add(const json_t *in, int64_t *id_out);	/* manual award row */

/* Catalogue. */
int store_bank_item_create(const json_t *in, int64_t *id_out);
int store_bank_item_update(int64_t id, const json_t *patch);	/* keys present: name description cost stock limit_count limit_days active */
json_t *store_bank_item_get(int64_t id);			/* + "provider_path" */
json_t *store_bank_item_list(int active_only, const char *scope_paths);
/* Takes one from stock: STORE_ECONFLICT when none is left. */
int store_bank_item_take(int64_t id, int delta);
/* Orders. */
int store_bank_order_create(const json_t *in, int64_t *id_out);
json_t *store_bank_order_get(int64_t id);	/* + item name, provider_id, provider_path */
json_t *store_bank_order_by_code(const char *code);
/* filter: account_id, status, code, scope_paths (provider subtree JSON text). Newest first. */
json_t *store_bank_order_list(const json_t *filter, int64_t before_id, int limit);
/* placed → to; STORE_ECONFLICT when the order is no longer placed. */
int store_bank_order_decide(int64_t id, const char *to, int64_t by, int64_t now);
/* Orders not cancelled of an item by an account since `since`. */
int store_bank_orders_since(int64_t item_id, int64_t account_id, int64_t since);

/* Family links (schema 013): states pending → approved → revoked. */
int64_t store_bank_login_account(const char *login);	/* enabled account id, 0 = none */
int store_bank_family_create(int64_t account, int64_t family, const char *relation, int64_t org, int64_t now,
			     int64_t *id_out);
json_t *store_bank_family_get(int64_t id);	/* + logins, names, org_name, org_path */
json_t *store_bank_family_live(int64_t a, int64_t b);	/* pending or approved link, either way, or NULL */
/* account 0 = any; state NULL = any; scope_paths JSON text or NULL. Newest first. */
json_t *store_bank_family_list(int64_t account, const char *state, const char *scope_paths);
/* from (space-separated states) → to; STORE_ECONFLICT when in none of them. */
int store_bank_family_decide(int64_t id, const char *from, const char *to, int64_t by, int64_t now);
/* Transfers: the row whose id is the 'transfer' entry's source_id. */
int store_bank_transfer_add(int64_t from, int64_t to, int64_t amount, const char *note, int64_t now, int64_t *id_out);
int64_t store_bank_transferred_since(int64_t from, int64_t since);	/* points sent since */
#endif
