/*
 * csv.h — RFC 4180 CSV: writing for exports (audit log, ledgers) and reading
 * for imports. Cells that a spreadsheet would run as a formula (leading
 * = + - @, tab, CR) get a leading apostrophe on the way out (CSV injection).
 */
#ifndef WM_CSV_H
#define WM_CSV_H
#include <stddef.h>
#include "buf.h"

/* Appends one cell (NULL = empty), quoted when needed, then ',' or, when
 * last, CRLF. Returns buf_append's result. */
int csv_cell(buf_t *b, const char *s, int last);

/* Called once per non-blank record (the same shape as xlsx_read.h's row
 * callback): row is 1-based and counts every record, blank ones included, so
 * it is the row a spreadsheet shows; cells are NUL-terminated UTF-8, valid
 * only during the call. A non-zero return stops reading and is returned. */
typedef int (*csv_row_fn)(void *ctx, size_t row, const char *const *cells, size_t ncells);

#define CSV_MAX_CELLS 1024		/* per record */
#define CSV_MAX_CELL (64 * 1024)	/* bytes per cell */

/* Reads data as RFC 4180: quoted cells with doubled quotes and embedded
 * newlines, CRLF or LF record ends, a leading UTF-8 BOM dropped, a final
 * newline optional; records with nothing in them are skipped. Returns 0, the
 * callback's non-zero value, or -1 with a Chinese message in err (which may
 * be NULL) for text that is not UTF-8 (GBK exports), an unclosed quote,
 * characters after a closing quote, or a cap above exceeded. */
int csv_read_rows(const char *data, size_t len, csv_row_fn fn, void *ctx, char *err, size_t errlen);
#endif
