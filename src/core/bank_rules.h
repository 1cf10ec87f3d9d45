/*
 * bank_rules.h — the love bank's pure rules (SPEC §6), kept apart from the
 * ledger so they can be unit-tested: how many points an approved record
 * earns, and whether a redemption fits the per-person limit.
 */
#ifndef WM_BANK_RULES_H
#define WM_BANK_RULES_H
#include <stdint.h>

/* Points for `hours` at per_hour points an hour, rounded half up to whole
 * points; 0 for non-positive or absurd inputs. */
int64_t bank_points_for_hours(double hours, int per_hour);
/* A record that corrects an approved one earns only the increase over the
 * corrected record's points (never negative: a decrease is not clawed back). */
int64_t bank_record_points(double hours, double old_hours, int per_hour);
/* 1 when one more order fits: limit 0 means unlimited. */
int bank_limit_ok(int already, int limit);
/* Start of the limit window ending at now (days > 0). */
int64_t bank_period_start(int64_t now, int days);
/* The order's pickup code from 5 random bytes: "LB" + 8 characters of an
 * alphabet without 0/O/1/I. out must hold 11 bytes. */
void bank_order_code(const unsigned char rnd[5], char out[11]);
#endif
