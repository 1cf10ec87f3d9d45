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
/* The problems of the demo (demo_problems.c): n problems over the last four
 * months in the given communities. Inside the caller's transaction. */
#include <stdint.h>
int demo_problems(int n, const int64_t *communities, int ncomm);
#endif
