/*
 * demo.h — the demo street (花木街道, 浦东新区, 上海): orgs, one account per
 * role with the fixed logins of SPEC §11, and synthetic people.
 */
#ifndef WM_DEMO_H
#define WM_DEMO_H

/* Fills an empty database. Returns 0, or -1 (logged). Requires store_init
 * and crypto_setup. people = number of synthetic people. */
int demo_build(int people);
/* The demo logins, NULL-terminated, for printing. */
extern const char *const demo_logins[];
#endif
