/*
 * restore.c — `wenming restore`: put a backup in place of DIR/wenming.db.
 *
 * The backup is read with SQLite's backup API into DIR/wenming.db.restore-tmp
 * (so a backup that is itself in WAL mode with a -wal beside it is read
 * whole), and every check runs on that copy, which is exactly what gets
 * installed: integrity_check, the Wenming tables, and a schema version this
 * binary knows. Only then is the current database kept under a timestamped
 * name (a hard link, so it is kept even when it is too damaged to open — a
 * damaged database is the usual reason to restore), its -wal moved with it,
 * its -shm removed, and the copy renamed over wenming.db; the directory is
 * fsynced so that the rename survives a power cut. An older backup is
 * migrated by the next start, like any older database.
 *
 * The caller holds DIR's lock (core/datalock.h): no server has it open.
 * Messages are Chinese / English, like the rest of the command line.
 */
#include "store.h"
#include "core/crypto.h"
#include "http/assets.h"
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The newest schema version compiled into this binary. */
int store_schema_known(void)
{
	int max = 0;
	for (const struct asset *a = schema_files; a->name; a++)
		if (atoi(a->name) > max)
			max = atoi(a->name);
	return max;
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* The first row's first column of sql on db as text into out ("" when none). */
static int one_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st = NULL;
	out[0] = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Reads `from` into tmp and checks the copy. */
static int copy_and_check(const char *from, const char *tmp, struct restore_info *info, char *err, size_t errlen)
{
	sqlite3 *src = NULL, *dst = NULL;
	int rc = -1;
	char v[512];
	if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "无法打开备份 / cannot open the backup %s: %s", from,
			 src ? sqlite3_errmsg(src) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(src, 5000);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "无法创建 / cannot create %s: %s", tmp, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		snprintf(err, errlen, "无法读取备份 / cannot read the backup: %s", sqlite3_errmsg(dst));
		goto out;
	}
	int step;
	do {
		step = sqlite3_backup_step(b, 1024);
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
			sqlite3_sleep(20);	/* another process writes the backup file */
	} while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE) {
		snprintf(err, errlen, "无法读取备份 / cannot read the backup %s: %s", from,
			 step == SQLITE_NOTADB ? "not an SQLite database" : sqlite3_errstr(step));
		goto out;
	}
	sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (one_text(dst, "PRAGMA integrity_check", v, sizeof v) || strcmp(v, "ok")) {
		snprintf(err, errlen, "备份未通过完整性检查 / the backup fails PRAGMA integrity_check: %s",
			 v[0] ? v : sqlite3_errmsg(dst));
		goto out;
	}
	if (one_text(dst,
		     "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
		     " AND name IN ('schema_migrations', 'settings', 'problems', 'accounts')",
		     v, sizeof v) ||
	    strcmp(v, "4")) {
		snprintf(err, errlen, "不是文明数据库 / %s is not a Wenming database (no schema_migrations, settings, "
				      "problems and accounts tables)", from);
		goto out;
	}
	if (one_text(dst, "SELECT coalesce(max(version), 0) FROM schema_migrations", v, sizeof v)) {
		snprintf(err, errlen, "无法读取版本 / cannot read the schema version: %s", sqlite3_errmsg(dst));
		goto out;
	}
	info->backup_version = atoi(v);
	info->known_version = store_schema_known();
	if (info->backup_version > info->known_version) {
		snprintf(err, errlen, "备份来自更新的版本 / the backup has schema version %d but this wenming knows "
				      "only up to %d: restore it with a newer wenming",
			 info->backup_version, info->known_version);
		goto out;
	}
	/* A backup restored next to the wrong key would serve unreadable ID
	 * numbers and phones; one encrypted value tells. */
	if (info->check_key &&
	    one_text(dst, "SELECT coalesce(id_enc, phone_enc) FROM people WHERE coalesce(id_enc, phone_enc) IS NOT NULL"
			  " LIMIT 1", v, sizeof v) == 0 && v[0]) {
		char *plain = secret_decrypt(v);
		int readable = plain != NULL;
		free(plain);
		if (!readable) {
			snprintf(err, errlen, "密钥与备份不匹配 / the data key secret.key in the data directory does not decrypt "
					      "the backup's ID numbers: put the key saved with this backup there first");
			goto out;
		}
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		snprintf(err, errlen, "无法写入 / cannot close %s: %s", tmp, sqlite3_errmsg(dst));
		goto out;
	}
	dst = NULL;
	if (fsync_path(tmp, O_RDONLY)) {
		snprintf(err, errlen, "无法写入 / cannot fsync %s: %s", tmp, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc;
}

/* Keeps the current database (and its -wal) under a timestamped name,
 * byte for byte: SQLite never opens it here (opening replays or, for a
 * damaged file, may drop its -wal — the evidence we keep). A stray -wal
 * without a database is moved aside all the same. Should restore itself be
 * killed between the -wal's move and the final rename, wenming.db is the old
 * file without its -wal (the kept pair is whole): run the restore again. */
static int keep_current(const char *db, struct restore_info *info, char *err, size_t errlen)
{
	char ts[32], from[4200], to[4200];
	int have_db = exists(db);
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm);
	for (int n = 0; n < 100; n++) {
		if (n)
			snprintf(info->kept, sizeof info->kept, "%s.before-restore-%s-%d", db, ts, n);
		else
			snprintf(info->kept, sizeof info->kept, "%s.before-restore-%s", db, ts);
		if (!exists(info->kept))
			break;
	}
	if (have_db && link(db, info->kept) != 0) {
		snprintf(err, errlen, "无法保留当前数据库 / cannot keep the current database as %s: %s", info->kept,
			 strerror(errno));
		info->kept[0] = 0;
		return -1;
	}
	/* The -wal holds committed transactions of the old database (after a
	 * crash); next to the new one SQLite would replay them into it. */
	static const char *const move[] = {"-wal", "-journal"};
	for (size_t i = 0; i < sizeof move / sizeof *move; i++) {
		snprintf(from, sizeof from, "%s%s", db, move[i]);
		snprintf(to, sizeof to, "%s%s", info->kept, move[i]);
		if (rename(from, to) != 0 && errno != ENOENT) {
			snprintf(err, errlen, "无法移走 / cannot move %s: %s", from, strerror(errno));
			return -1;
		}
	}
	snprintf(from, sizeof from, "%s-shm", db);
	if (unlink(from) != 0 && errno != ENOENT) {
		snprintf(err, errlen, "无法删除 / cannot remove %s: %s", from, strerror(errno));
		return -1;
	}
	if (!have_db)
		info->kept[0] = 0;
	return 0;
}

int store_restore(const char *dir, const char *from, struct restore_info *info, char *err, size_t errlen)
{
	char db[4096], tmp[4200], tmpj[4300];
	int check_key = info->check_key;
	memset(info, 0, sizeof *info);
	info->check_key = check_key;
	err[0] = 0;
	struct stat st;
	if (stat(from, &st) != 0) {
		snprintf(err, errlen, "备份文件不存在 / the backup %s cannot be read: %s", from, strerror(errno));
		return STORE_EIO;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "备份不是普通文件 / the backup %s is not a regular file", from);
		return STORE_EIO;
	}
	char head[16] = {0};
	FILE *f = fopen(from, "rb");
	size_t got = f ? fread(head, 1, sizeof head, f) : 0;
	if (f)
		fclose(f);
	if (got != sizeof head || memcmp(head, "SQLite format 3", 16)) {
		snprintf(err, errlen, "不是 SQLite 数据库 / %s is not an SQLite database", from);
		return STORE_EIO;
	}
	snprintf(db, sizeof db, "%s/wenming.db", dir);
	snprintf(tmp, sizeof tmp, "%s.restore-tmp", db);
	snprintf(tmpj, sizeof tmpj, "%s-journal", tmp);
	remove(tmp);
	remove(tmpj);
	if (copy_and_check(from, tmp, info, err, errlen))
		goto fail;
	if (keep_current(db, info, err, errlen))
		goto fail;
	if (rename(tmp, db) != 0) {
		snprintf(err, errlen, "无法替换数据库 / cannot rename %s to %s: %s", tmp, db, strerror(errno));
		goto fail;
	}
	if (fsync_path(dir, O_RDONLY | O_DIRECTORY)) {
		snprintf(err, errlen, "无法同步目录 / cannot fsync %s: %s", dir, strerror(errno));
		return STORE_EIO;	/* the new database is in place; only its durability is in doubt */
	}
	return STORE_OK;
fail:
	remove(tmp);
	remove(tmpj);
	return STORE_EIO;
}
