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
#endif
