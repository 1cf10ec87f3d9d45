/*
 * ref_query.c — the reference for the problem-list benchmark
 * (bench/scenarios/20_list.mjs): one SQL statement, prepared once on a
 * read-only connection with the server's pragmas, stepped to the end and
 * every column read, N times in a row; prints the number of rows of the last
 * run, then p50 and p99 of one run in ms. No HTTP, no JSON.
 *
 * Not part of the product build; the scenario compiles it with
 *   cc -O2 ref_query.c $(pkg-config --cflags --libs sqlite3)
 * Usage: ref_query DB N SQL
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: ref_query DB N SQL\n");
		return 2;
	}
	int n = atoi(argv[2]);
	sqlite3 *db;
	sqlite3_stmt *st;
	if (n < 1 || sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 1;
	sqlite3_exec(db, "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000; PRAGMA mmap_size=268435456;", 0, 0, 0);
	if (sqlite3_prepare_v2(db, argv[3], -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "ref_query: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	double *lat = malloc(sizeof(double) * (size_t)n);
	long rows = 0, bytes = 0;
	for (int i = 0; i < n; i++) {
		double t = now_ms();
		rows = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++)
				bytes += sqlite3_column_bytes(st, c) + (sqlite3_column_text(st, c) != NULL);
			rows++;
		}
		sqlite3_reset(st);
		lat[i] = now_ms() - t;
	}
	qsort(lat, (size_t)n, sizeof *lat, cmp);
	printf("%ld %.3f %.3f\n", rows, lat[n / 2], lat[n * 99 / 100]);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(lat);
	return bytes < 0;
}
