/*
 * xlsx_out.h — the Excel exports' shared plumbing: libxlsxwriter writes to a
 * file, so each export opens a workbook on a fresh temp file under DATA/tmp
 * and reads the finished file back into memory for the answer.
 */
#ifndef WM_XLSX_OUT_H
#define WM_XLSX_OUT_H
#include <stddef.h>
#include <xlsxwriter.h>

#define XLSX_PATH_MAX 4300
#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* A workbook on a new temp file named from prefix; path (XLSX_PATH_MAX bytes)
 * receives the file's name. constant_memory streams rows (large ledgers) at
 * the price of writing each row once, in order. NULL on failure (nothing left
 * behind). */
lxw_workbook *xlsx_open(char *path, const char *prefix, int constant_memory);
/* Closes wb, reads the file back and removes it: malloc'd bytes in *len, or
 * NULL when writing or reading failed. */
char *xlsx_finish(lxw_workbook *wb, const char *path, size_t *len);

/* Number formats of the date cells: Excel sorts and filters them as dates. */
#define XLSX_TIME_FMT "yyyy-mm-dd hh:mm"
#define XLSX_DATE_FMT "yyyy-mm-dd"
/* Every cell of every export goes through these three. A text cell loses what
 * XML 1.0 cannot hold (U+FFFF and other non-characters, C0 controls: rows
 * stored before the text rule, security #12), so one row never breaks the
 * sheet; s may be NULL (a blank cell). */
lxw_error xlsx_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *f);
/* The instant t as China local time (+08:00), an Excel date serial shown
 * through f (whose number format is XLSX_TIME_FMT). */
lxw_error xlsx_time(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, int64_t t, lxw_format *f);
/* A calendar date "YYYY-MM-DD" as an Excel date (f: XLSX_DATE_FMT); a text
 * cell when s is not such a date, blank when NULL. */
lxw_error xlsx_date(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *ymd, lxw_format *f);
#endif
