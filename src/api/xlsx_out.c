/* xlsx_out.c — see xlsx_out.h. */
#include "xlsx_out.h"
#include "api.h"
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
	char *data = err == LXW_NO_ERROR ? file_slurp(path, len) : NULL;
	unlink(path);
	return data;
}
