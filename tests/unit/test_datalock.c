/*
 * test_datalock.c — unit tests for src/core/datalock.{h,c}: the first taker
 * gets the lock and its pid in the file; a second open of the same lock (in
 * this process or another) is refused and told the holder's pid; closing the
 * descriptor, or the holder dying by SIGKILL, frees it with nothing to clean
 * up; a missing directory is an error, not "held".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/datalock.h"

static char dir[] = "/tmp/wenming-datalock-XXXXXX";

static void t_take_refuse_release(void **state)
{
	(void)state;
	pid_t holder = -1;
	int fd = datalock_take(dir, &holder);
	assert_true(fd >= 0);
	char path[512], buf[32] = {0};
	snprintf(path, sizeof path, "%s/wenming.lock", dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_int_equal(atol(buf), getpid());
	/* flock belongs to the open file description: a second open conflicts
	 * even inside the same process. */
	assert_int_equal(datalock_take(dir, &holder), -1);
	assert_int_equal(holder, getpid());
	close(fd);
	fd = datalock_take(dir, &holder);
	assert_true(fd >= 0);
	close(fd);
}

static void t_holder_killed(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pid_t h;
		char ok = datalock_take(dir, &h) >= 0 ? 'y' : 'n';
		if (write(p[1], &ok, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	char ok = 0;
	assert_int_equal(read(p[0], &ok, 1), 1);
	assert_int_equal(ok, 'y');
	pid_t holder = 0;
	assert_int_equal(datalock_take(dir, &holder), -1);
	assert_int_equal(holder, child);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	int fd = datalock_take(dir, &holder);
	assert_true(fd >= 0);	/* no stale lock after a crash */
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void t_missing_dir(void **state)
{
	(void)state;
	pid_t holder = 7;
	assert_int_equal(datalock_take("/nonexistent/wenming-no-such-dir", &holder), -2);
	assert_int_equal(holder, 0);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_take_refuse_release),
		cmocka_unit_test(t_holder_killed),
		cmocka_unit_test(t_missing_dir),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char path[512];
	snprintf(path, sizeof path, "%s/wenming.lock", dir);
	unlink(path);
	rmdir(dir);
	return rc;
}
