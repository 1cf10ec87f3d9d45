/*
 * test_backup.c — store_backup (src/store/sqlite.c) under a steady writer:
 * another connection commits every millisecond while a database of a few
 * thousand pages is copied. The copy must finish while the writer is still
 * running (before the fix, each write between two 256-page steps restarted
 * the copy from page 1, so it finished only when the writer stopped) and be
 * a consistent snapshot: integrity_check ok and the rows of a whole number of
 * transactions (each writes two rows that must come together).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

static char dir[] = "/tmp/wenming-backup-XXXXXX";
static char db_path[256], out_path[256];
static atomic_int stop, writes, writer_done;

#define WRITER_SECONDS 8

static void *writer(void *arg)
{
	(void)arg;
	sqlite3 *db = NULL;
	if (sqlite3_open(db_path, &db) != SQLITE_OK)
		return NULL;
	sqlite3_busy_timeout(db, 5000);
	sqlite3_exec(db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!atomic_load(&stop)) {
		sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO pairs (k) VALUES ('a'); INSERT INTO pairs (k) VALUES ('b');"
				 " COMMIT", NULL, NULL, NULL);
		atomic_fetch_add(&writes, 1);
		usleep(1000);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= WRITER_SECONDS)
			break;
	}
	sqlite3_close(db);
	atomic_store(&writer_done, 1);
	return NULL;
}

static long long one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void t_backup_under_writes(void **state)
{
	(void)state;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "PRAGMA journal_mode=WAL; CREATE TABLE filler (x BLOB);"
				      " CREATE TABLE pairs (id INTEGER PRIMARY KEY, k TEXT NOT NULL);"
				      " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)"
				      " INSERT INTO filler SELECT randomblob(3000) FROM n;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, writer, NULL), 0);
	while (atomic_load(&writes) < 20)
		usleep(1000);
	char err[512];
	int rc = store_backup(dir, out_path, err, sizeof err);
	int writer_still_running = !atomic_load(&writer_done);
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	assert_int_equal(rc, STORE_OK);
	/* Finished with the writer still going (it runs WRITER_SECONDS). */
	assert_true(writer_still_running);
	sqlite3 *copy = NULL;
	assert_int_equal(sqlite3_open(out_path, &copy), SQLITE_OK);
	assert_int_equal(one(copy, "SELECT count(*) FROM filler"), 4000);
	long long a = one(copy, "SELECT count(*) FROM pairs WHERE k = 'a'");
	long long b = one(copy, "SELECT count(*) FROM pairs WHERE k = 'b'");
	assert_int_equal(a, b);
	assert_true(a >= 20);
	sqlite3_close(copy);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	snprintf(db_path, sizeof db_path, "%s/wenming.db", dir);
	snprintf(out_path, sizeof out_path, "%s/copy.db", dir);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_backup_under_writes),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	static const char *const files[] = {"wenming.db", "wenming.db-wal", "wenming.db-shm", "copy.db", "copy.db.tmp"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char path[300];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	return rc;
}
