/*
 * xlsx_read.h — reading the first worksheet of an .xlsx upload for imports
 * (volunteers, sites, service records). There is no C xlsx reader in
 * Debian, so this is libzip for the container and libxml2's streaming
 * xmlReader for the parts; the callback has the same shape as csv.h's, so an
 * import accepts either format with one row handler.
 */
#ifndef WM_XLSX_READ_H
#define WM_XLSX_READ_H
#include <stddef.h>
#include <stdint.h>

/* Called once per row that has at least one non-empty cell, in file order.
 * row is the sheet's 1-based row number (rows absent from the file are
 * skipped, so numbers may jump); cells[i] is column i (A = 0), "" for an empty
 * cell in the middle; trailing empty cells are not counted in ncells. Strings
 * are UTF-8, valid only during the call. Values: shared and inline strings as
 * text, numbers as written in the file ("12", "3.5", "1.2E-3"; dates are
 * serial day numbers, see xlsx_serial_date), booleans "TRUE"/"FALSE", formula
 * results and errors ("#N/A") as cached in the file. A non-zero return stops
 * reading and is returned. */
typedef int (*xlsx_row_fn)(void *ctx, size_t row, const char *const *cells, size_t ncells);

#define XLSX_MAX_UNCOMPRESSED (64u << 20)	/* all parts read, after inflating */
#define XLSX_MAX_COLS 16384			/* XFD, Excel's last column */
#define XLSX_MAX_STRINGS 1000000		/* shared strings (each costs memory, even "") */

/* Reads the first worksheet (in workbook order) of the .xlsx in data. Returns
 * 0, the callback's non-zero value, or -1 with a Chinese message in err (may
 * be NULL) for: not a zip, an old .xls, no worksheet, parts inflating past
 * XLSX_MAX_UNCOMPRESSED (zip bombs), over XLSX_MAX_STRINGS shared strings, malformed XML or a DTD in it, a bad
 * shared-string index or cell reference. Thread-safe. */
int xlsx_read_rows(const void *data, size_t len, xlsx_row_fn fn, void *ctx, char *err, size_t errlen);

/* A date cell (Excel's 1900 date system, serial days since 1899-12-30; the
 * time of day, if any, is dropped) as a civil date. 0, or -1 when cell is not
 * a number in 1900-03-01 … 9999-12-31. */
int xlsx_serial_date(const char *cell, int *y, unsigned *m, unsigned *d);
#endif
