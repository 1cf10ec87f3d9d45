/*
 * masking.c — personal numbers typed into free text, masked in API views.
 * SPEC §2: lists show phones and ID numbers masked to every role, also the
 * ones a reporter typed into a description (core/mask_text.c does the
 * masking; this applies it to one field of a JSON row).
 */
#include "api.h"
#include "core/mask_text.h"
#include <stdlib.h>
#include <string.h>

int mask_text_field(json_t *row, const char *key)
{
	const char *v = jstr(row, key);
	char *m = v ? strdup(v) : NULL;
	int n = m ? mask_text_numbers(m, strlen(m)) : 0;
	if (n > 0)
		json_object_set_new(row, key, json_string(m));
	free(m);
	return n > 0;
}
