/*
 * csv.h — writing RFC 4180 CSV for exports (audit log now, ledgers later).
 * Cells that a spreadsheet would run as a formula (leading = + - @, tab, CR)
 * get a leading apostrophe (CSV injection).
 */
#ifndef WM_CSV_H
#define WM_CSV_H
#include "buf.h"

/* Appends one cell (NULL = empty), quoted when needed, then ',' or, when
 * last, CRLF. Returns buf_append's result. */
int csv_cell(buf_t *b, const char *s, int last);
#endif
