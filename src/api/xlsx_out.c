/* xlsx_out.c — see xlsx_out.h. */
#include "xlsx_out.h"
#include "api.h"
#include "core/file.h"
#include "core/timefmt.h"
#include "core/validate.h"
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

lxw_workbook *xlsx_open(char *path, const char *prefix, int constant_memory)
{
	char tmpdir[4200];
	snprintf(tmpdir, sizeof tmpdir, "%s/tmp", app.data_dir);
	mkdir(tmpdir, 0700);
	snprintf(path, XLSX_PATH_MAX, "%s/%s-XXXXXX", tmpdir, prefix);
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return NULL;
	close(fd);
	/* libxlsxwriter keeps its own temp files in tmpdir too (not /tmp). */
	lxw_workbook_options opt = {.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE, .tmpdir = tmpdir};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb)
		unlink(path);
	return wb;
}

char *xlsx_finish(lxw_workbook *wb, const char *path, size_t *len)
{
	lxw_error err = workbook_close(wb);
	*len = 0;
	char *data = err == LXW_NO_ERROR ? file_slurp(path, 0, len) : NULL;
	unlink(path);
	return data;
}

lxw_error xlsx_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *f)
{
	if (!s || !*s)
		return worksheet_write_blank(ws, row, col, f);
	if (utf8_xml_safe(s))
		return worksheet_write_string(ws, row, col, s, f);
	size_t n = strlen(s);
	char *clean = malloc(n + 1);
	if (!clean)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	utf8_xml_clean(s, n, clean);
	lxw_error e = *clean ? worksheet_write_string(ws, row, col, clean, f) : worksheet_write_blank(ws, row, col, f);
	free(clean);
	return e;
}

lxw_error xlsx_time(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, int64_t t, lxw_format *f)
{
	int64_t day = china_day(t), secs = t - china_day_start(day);
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	lxw_datetime dt = {.year = y, .month = (int)m, .day = (int)d, .hour = (int)(secs / 3600),
			   .min = (int)(secs / 60 % 60), .sec = (double)(secs % 60)};
	return worksheet_write_datetime(ws, row, col, &dt, f);
}

lxw_error xlsx_date(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *ymd, lxw_format *f)
{
	int y;
	unsigned m, d;
	char tail;
	if (ymd && strlen(ymd) == 10 && sscanf(ymd, "%4d-%2u-%2u%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 &&
	    d >= 1 && d <= 31 && y >= 1900) {
		lxw_datetime dt = {.year = y, .month = (int)m, .day = (int)d};
		return worksheet_write_datetime(ws, row, col, &dt, f);
	}
	return xlsx_text(ws, row, col, ymd, f);
}
