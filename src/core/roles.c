/* roles.c — see roles.h. */
#include "roles.h"
#include <string.h>

static const struct {
	const char *name, *label;
} table[ROLE_COUNT] = {
#define ROLE(id, name, label) [ROLE_##id] = {name, label},
#include "roles.def"
#undef ROLE
};

const char *role_name(int role)
{
	return role >= 0 && role < ROLE_COUNT ? table[role].name : NULL;
}

const char *role_label(int role)
{
	return role >= 0 && role < ROLE_COUNT ? table[role].label : NULL;
}

int role_parse(const char *name)
{
	for (int i = 0; name && i < ROLE_COUNT; i++)
		if (!strcmp(table[i].name, name))
			return i;
	return -1;
}

unsigned role_bit(const char *name)
{
	int r = role_parse(name);
	return r < 0 ? 0 : 1u << r;
}
