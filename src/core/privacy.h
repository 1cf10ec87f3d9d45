/*
 * privacy.h — personal data in and out of the store (个人信息保护法, SPEC §2):
 * ID numbers and phones are kept encrypted, with a keyed hash of the ID for
 * uniqueness and masked copies for lists. Views for clients are built here so
 * no handler can forget the masking.
 */
#ifndef WM_PRIVACY_H
#define WM_PRIVACY_H
#include <jansson.h>
#include <stdint.h>

/* Sets id_enc, id_hash, id_masked, gender and birth_date on row from a
 * validated ID number (uppercased X). 0 or -1. */
int privacy_seal_id(json_t *row, const char *id_number);
/* Sets phone_enc and phone_masked. 0 or -1. */
int privacy_seal_phone(json_t *row, const char *phone);
/* The keyed hash of an ID number (hex) into out (>= 65). */
void privacy_id_hash(const char *id_number, char *out, size_t n);
/* Masked view for every role: no ciphertext, no hash; adds "age". New ref. */
json_t *privacy_person_view(const json_t *stored);
/* The clear values {"id_number","phone"} (nulls where absent). New ref. */
json_t *privacy_person_secrets(const json_t *stored);
/* Today in China (UTC+8) as YYYYMMDD, on the clock given to privacy_use_clock
 * (the app's injectable clock, so ages follow a test's clock) or time(). */
int today_ymd_cn(void);
void privacy_use_clock(int64_t (*now)(void));
#endif
