/*
 * pwpolicy.h — the password policy (review 2026-12-07 #13): length, a list of
 * common passwords, trivial patterns, and the account's own login or name.
 * Staff accounts (admin, office, committee: they reveal personal data) need a
 * longer password. No composition rules ("one upper case, one digit"): they
 * push people to "Password1!", which the list refuses anyway (NIST SP 800-63B).
 */
#ifndef WM_PWPOLICY_H
#define WM_PWPOLICY_H

#define PW_MIN 8
#define PW_MIN_STAFF 12
#define PW_MAX 128

/* NULL when `pw` is acceptable, else the reason (Chinese, for the field error
 * "weak_password"). login and name may be NULL. */
const char *pw_policy_check(const char *pw, const char *login, const char *name, int staff);

/* 1 when `pw` (any case) is on the list of common passwords. */
int pw_is_common(const char *pw);
#endif
