/*
 * roles.h — the roles (roles.def) as an enum and as bits, so a set of roles
 * is a mask (R_OFFICE | R_COMMITTEE) checked by the compiler instead of a
 * space-separated string where a typo matches nobody. Pure.
 */
#ifndef WM_ROLES_H
#define WM_ROLES_H

enum role {
#define ROLE(id, name, label) ROLE_##id,
#include "roles.def"
#undef ROLE
	ROLE_COUNT
};

/* One bit per role; a role mask is an unsigned OR of these. */
enum {
#define ROLE(id, name, label) R_##id = 1u << ROLE_##id,
#include "roles.def"
#undef ROLE
	R_ALL = (1u << ROLE_COUNT) - 1,
};

/* "admin"… for a role; NULL when out of range. */
const char *role_name(int role);
/* The Chinese label ("文明办"); NULL when out of range. */
const char *role_label(int role);
/* The role a wire name spells, or -1 (unknown or NULL). */
int role_parse(const char *name);
/* The role's bit for a wire name, 0 when unknown or NULL. */
unsigned role_bit(const char *name);
#endif
