/* csv.c — see csv.h. */
#include "csv.h"
#include <string.h>

int csv_cell(buf_t *b, const char *s, int last)
{
	int rc = 0;
	if (s && *s) {
		int formula = strchr("=+-@\t\r", s[0]) != NULL;
		int quote = formula || strpbrk(s, ",\"\r\n") != NULL;
		if (quote)
			rc |= buf_append(b, "\"", 1);
		if (formula)
			rc |= buf_append(b, "'", 1);
		for (const char *p = s; *p; p++)
			rc |= *p == '"' ? buf_append(b, "\"\"", 2) : buf_append(b, p, 1);
		if (quote)
			rc |= buf_append(b, "\"", 1);
	}
	rc |= last ? buf_append(b, "\r\n", 2) : buf_append(b, ",", 1);
	return rc;
}
