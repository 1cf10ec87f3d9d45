/*
 * test_file.c — unit tests for src/core/file.{h,c}: a file comes back whole
 * and NUL-terminated; an empty file is "" (not an error); a missing file, a
 * directory and a file over the cap are NULL with errno saying which.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/file.h"

static char dir[] = "/tmp/wenming-file-XXXXXX";

static void put(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void t_whole(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof path, "%s/a", dir);
	put(path, "ab\0cd", 5);	/* binary: the NUL inside is kept */
	size_t n = 99;
	char *d = file_slurp(path, 0, &n);
	assert_non_null(d);
	assert_int_equal(n, 5);
	assert_memory_equal(d, "ab\0cd", 5);
	assert_int_equal(d[5], '\0');
	free(d);
	d = file_slurp(path, 5, &n);	/* exactly at the cap */
	assert_non_null(d);
	free(d);
	unlink(path);
}

static void t_empty(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof path, "%s/empty", dir);
	put(path, "", 0);
	size_t n = 99;
	char *d = file_slurp(path, 0, &n);
	assert_non_null(d);
	assert_int_equal(n, 0);
	assert_string_equal(d, "");
	free(d);
	unlink(path);
}

static void t_refused(void **state)
{
	(void)state;
	char path[128];
	size_t n = 99;
	snprintf(path, sizeof path, "%s/missing", dir);
	errno = 0;
	assert_null(file_slurp(path, 0, &n));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(n, 0);
	errno = 0;
	assert_null(file_slurp(dir, 0, &n));	/* a directory */
	assert_int_equal(errno, EINVAL);
	snprintf(path, sizeof path, "%s/big", dir);
	put(path, "123456", 6);
	errno = 0;
	n = 99;
	assert_null(file_slurp(path, 5, &n));
	assert_int_equal(errno, EFBIG);
	assert_int_equal(n, 0);
	unlink(path);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_whole),
		cmocka_unit_test(t_empty),
		cmocka_unit_test(t_refused),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
