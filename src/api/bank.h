/*
 * bank.h — what the love bank's files (src/api/bank_*.c; SPEC §6,
 * docs/BANK.md) share: the earning rules as read from settings and the view
 * of a ledger entry. The entry points the rest of the server calls (awards,
 * the tick, bank_redeem) are declared in api.h.
 *
 * The model: a double-entry points ledger, earning rules as configuration,
 * the 爱心超市 catalogue and orders.
 *
 * Accounts: one "member" account per login account, one "issuer" account per
 * org (points come into being as a debit of the issuer of the org whose
 * volunteer record, activity or problem earned them, so issuers go negative
 * and all balances sum to zero), one "provider" account per provider unit
 * (redeemed points end there). Every movement is one entry (store_bank_post)
 * inside the request's write transaction: the store's single write lock
 * makes "check the balance, then post" atomic under parallel requests, and
 * a guarded UPDATE plus a CHECK refuse an overdraw even if a check is missed.
 *
 * Awards are unique on (source kind, source id, purpose): the hooks on record
 * approval and problem closing, the catch-up job (award-run, also run by the
 * tick) and retries all converge on the same single entry. Points are kept
 * apart from hours: nothing here touches service_records.
 *
 * The files, one feature each:
 *   bank_settings.c   the earning rules (settings key bank_rules)
 *   bank_awards.c     posting awards: hooks, catch-up job and expiry, manual awards
 *   bank_items.c      the 爱心超市 catalogue
 *   bank_orders.c     redeeming, cancelling and fulfilling orders
 *   bank_ledger.c     reading the ledger: my entries, trial balance, report, CSV
 *   bank_family.c     family links
 *   bank_transfers.c  transfers between linked family members
 */
#ifndef WM_API_BANK_H
#define WM_API_BANK_H
#include <jansson.h>

struct bank_cfg {
	int per_hour, per_activity, per_tip, expiry_days, transfer_max;
	int per_good_deed;	/* a verified 好人好事 (good_deeds.c) */
	int transfer_enabled;	/* a boolean, kept apart from the integer keys */
};

/* The rules from settings, defaults for keys not set (bank_settings.c). */
void bank_cfg_load(struct bank_cfg *c);
/* A new object with every rule, as answered and stored (bank_settings.c). */
json_t *bank_cfg_json(const struct bank_cfg *c);
/* Renders an entry's times in place and returns it (bank_ledger.c). */
json_t *bank_entry_view(json_t *e);
/* The award for a verified good deed inside the caller's transaction,
 * once per deed (bank_awards.c; good_deeds.c calls it on verify). */
int bank_award_good_deed(int64_t deed_id, int64_t now);
#endif
