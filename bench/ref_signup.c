/*
 * ref_signup.c — the reference of the Friday-rush benchmark: the sign-up
 * transaction done directly in SQLite from C, one thread, no HTTP, no JSON,
 * no session lookup, no audit row. Same database file (a copy taken before
 * the rush), same pragmas as src/store/sqlite.c, same facts query as
 * store_signup_facts() and the same INSERT (the schema's triggers fire as in
 * the product). Per job: BEGIN IMMEDIATE; facts; capacity; decide; INSERT;
 * COMMIT. That is the raw ceiling of "capacity check + insert".
 *
 * Not part of the build: bench/scenarios/40_friday_rush.mjs compiles it with
 *   cc -O2 -o ref_signup bench/ref_signup.c $(pkg-config --cflags --libs sqlite3)
 * Usage: ref_signup DB JOBS NOW
 *   JOBS: one "shift_id volunteer_id" per line, in the order of the rush.
 * Prints one line: jobs confirmed waitlisted refused seconds cpu_seconds.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static sqlite3 *db;

static sqlite3_stmt *prep(const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "ref_signup: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	return st;
}

static void exec(const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "ref_signup: %s: %s\n", sql, err);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: ref_signup DB JOBS NOW\n");
		return 2;
	}
	FILE *jf = fopen(argv[2], "r");
	if (!jf || sqlite3_open(argv[1], &db) != SQLITE_OK) {
		fprintf(stderr, "ref_signup: cannot open %s or %s\n", argv[1], argv[2]);
		return 1;
	}
	long long now = atoll(argv[3]);
	exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
	     "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000; PRAGMA mmap_size=268435456;");
	sqlite3_busy_timeout(db, 5000);
	sqlite3_stmt *shift = prep("SELECT capacity, start_at FROM shifts WHERE id = ?");
	sqlite3_stmt *facts = prep(
		"SELECT"
		" (SELECT count(*) FROM signups WHERE shift_id = ?1 AND volunteer_id = ?2"
		"   AND status IN ('confirmed', 'waitlisted')) AS already,"
		" (SELECT count(*) FROM signups WHERE shift_id = ?1 AND status = 'confirmed') AS confirmed,"
		" (SELECT count(*) FROM signups g JOIN shifts a ON a.id = g.shift_id, shifts b WHERE b.id = ?1"
		"   AND g.volunteer_id = ?2 AND g.status IN ('confirmed', 'waitlisted') AND a.id <> b.id"
		"   AND a.status = 'open' AND a.start_at < b.end_at AND b.start_at < a.end_at) AS overlapping,"
		" (SELECT count(*) FROM signups g JOIN shifts a ON a.id = g.shift_id WHERE g.volunteer_id = ?2"
		"   AND g.status IN ('confirmed', 'waitlisted') AND a.status = 'open'"
		"   AND a.start_at >= ?3 AND a.start_at < ?4) AS week_count");
	sqlite3_stmt *ins = prep("INSERT INTO signups (shift_id, volunteer_id, status, overbooked, by_account,"
				 " created_at, updated_at) VALUES (?, ?, ?, 0, NULL, ?4, ?4)");
	sqlite3_stmt *begin = prep("BEGIN IMMEDIATE"), *commit = prep("COMMIT");
	long long sid, vid;
	long jobs = 0, confirmed = 0, waitlisted = 0, refused = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (fscanf(jf, "%lld %lld", &sid, &vid) == 2) {
		jobs++;
		sqlite3_step(begin);
		sqlite3_reset(begin);
		sqlite3_bind_int64(shift, 1, sid);
		int cap = 0;
		long long start = 0;
		if (sqlite3_step(shift) == SQLITE_ROW) {
			cap = sqlite3_column_int(shift, 0);
			start = sqlite3_column_int64(shift, 1);
		}
		sqlite3_reset(shift);
		/* The week of the shift, as the product computes it (whole days
		 * suffice here: the rush's shifts are one week's). */
		long long week_from = start - 7 * 86400, week_to = start + 7 * 86400;
		sqlite3_bind_int64(facts, 1, sid);
		sqlite3_bind_int64(facts, 2, vid);
		sqlite3_bind_int64(facts, 3, week_from);
		sqlite3_bind_int64(facts, 4, week_to);
		int already = 0, conf = 0, overl = 0, week = 0;
		if (sqlite3_step(facts) == SQLITE_ROW) {
			already = sqlite3_column_int(facts, 0);
			conf = sqlite3_column_int(facts, 1);
			overl = sqlite3_column_int(facts, 2);
			week = sqlite3_column_int(facts, 3);
		}
		sqlite3_reset(facts);
		if (already || overl || week >= 6 || !cap) {
			refused++;
			exec("ROLLBACK");
			continue;
		}
		const char *status = conf < cap ? "confirmed" : "waitlisted";
		sqlite3_bind_int64(ins, 1, sid);
		sqlite3_bind_int64(ins, 2, vid);
		sqlite3_bind_text(ins, 3, status, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 4, now);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "ref_signup: insert: %s\n", sqlite3_errmsg(db));
			return 1;
		}
		sqlite3_reset(ins);
		sqlite3_step(commit);
		sqlite3_reset(commit);
		if (conf < cap)
			confirmed++;
		else
			waitlisted++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	printf("%ld %ld %ld %ld %.6f %.6f\n", jobs, confirmed, waitlisted, refused, secs, cpu);
	sqlite3_close(db);
	return 0;
}
