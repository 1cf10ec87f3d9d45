/*
 * ref_insert.c — the reference for the "report a problem" benchmark
 * (bench/scenarios/30_report.mjs): raw SQLite doing what POST
 * /api/v1/problems writes, in C, with no HTTP, no JSON and no validation.
 *
 * Per report, one transaction (BEGIN IMMEDIATE … COMMIT), the same rows the
 * server writes (src/api/problems.c problem_insert and the store functions it
 * calls): the year's code counter, the problem, its KPI roll-ups (kpi_day,
 * kpi_month, kpi_org_day and kpi_org_month for the org and its ancestors,
 * kpi_state: the same upserts as src/store/kpi_sql.c), the 'report' event,
 * the search index row, the notifications to the committee above the org and
 * the audit row. Not done: the chronic-spot check (a read of nearby problems,
 * nothing written at a fresh spot) and reading the problem back for the answer.
 * The connection's pragmas are the server's (src/store/sqlite.c).
 *
 * Not part of the product build; the scenario compiles it with
 *   cc -O2 ref_insert.c $(pkg-config --cflags --libs sqlite3)
 * Usage: ref_insert DB N ORG_ID CATEGORY_ID ACCOUNT_ID
 * Prints: reports/s, then p50 and p99 latency of one report in ms.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define METRICS "reported, accepted, closed, close_secs, due, on_time, rectifications, reworks, relapses, sat, basic, dissat"
#define UPSERT_SET " ON CONFLICT DO UPDATE SET reported = reported + excluded.reported," \
	" accepted = accepted + excluded.accepted, closed = closed + excluded.closed," \
	" close_secs = close_secs + excluded.close_secs, due = due + excluded.due, on_time = on_time + excluded.on_time," \
	" rectifications = rectifications + excluded.rectifications, reworks = reworks + excluded.reworks," \
	" relapses = relapses + excluded.relapses, sat = sat + excluded.sat, basic = basic + excluded.basic," \
	" dissat = dissat + excluded.dissat"
#define TREE(table, period) \
	"WITH RECURSIVE up(id, parent) AS (SELECT id, parent_id FROM orgs WHERE id = ?2" \
	" UNION ALL SELECT o.id, o.parent_id FROM orgs o JOIN up ON o.id = up.parent)" \
	" INSERT INTO " table " (" period ", org_id, dim, dim_id, " METRICS ")" \
	" SELECT ?1, up.id, d.dim, d.dim_id, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0" \
	" FROM up, (SELECT '-' AS dim, 0 AS dim_id UNION ALL SELECT 'h', 0 UNION ALL SELECT 'c', ?3) d" \
	" WHERE true" UPSERT_SET

static const char *const sql[] = {
	"INSERT INTO counters (name, value) VALUES (?1, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
	"INSERT INTO problems (code, state, category_id, org_id, site_id, source, urgency, description, address, lat, lng,"
	" reporter_id, created_at, updated_at) VALUES (?1, 'reported', ?2, ?3, NULL, 'inspection', 'normal', ?4, ?5, ?6, ?7,"
	" ?8, ?9, ?9)",
	"INSERT INTO kpi_day (day, org_id, handler_org_id, category_id, " METRICS ")"
	" VALUES (?1, ?2, 0, ?3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)" UPSERT_SET,
	"INSERT INTO kpi_month (month, org_id, handler_org_id, category_id, " METRICS ")"
	" VALUES (?1, ?2, 0, ?3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)" UPSERT_SET,
	TREE("kpi_org_day", "day"),
	TREE("kpi_org_month", "month"),
	"INSERT INTO kpi_state (org_id, handler_org_id, state, n) VALUES (?1, 0, 'reported', 1)"
	" ON CONFLICT DO UPDATE SET n = n + excluded.n",
	"INSERT INTO problem_events (problem_id, at, actor_id, action, from_state, to_state, note, data)"
	" VALUES (?1, ?2, ?3, 'report', NULL, 'reported', NULL, '{\"photos\":[]}')",
	"DELETE FROM problems_fts WHERE rowid = ?1",
	"INSERT INTO problems_fts (rowid, body) VALUES (?1, ?2)",
	"INSERT INTO notifications (account_id, kind, problem_id, title, body, created_at)"
	" SELECT DISTINCT g.account_id, 'reported', ?3, '新的问题上报待受理', ?4, ?5 FROM grants g JOIN orgs go ON go.id = g.org_id"
	" JOIN accounts a ON a.id = g.account_id, orgs t WHERE t.id = ?2 AND NOT a.disabled"
	" AND substr(t.path, 1, length(go.path)) = go.path AND g.role IN (SELECT value FROM json_each(?1))",
	"INSERT INTO audit (at, actor_id, actor_login, action, resource, resource_id, before, after, ip, note)"
	" VALUES (?1, ?2, 'office', 'report', 'problem', ?3, NULL, ?4, '127.0.0.1', NULL)",
};
enum { COUNTER, PROBLEM, KDAY, KMONTH, KODAY, KOMONTH, KSTATE, EVENT, FTSDEL, FTSINS, NOTIFY, AUDIT, NSQL };

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

static int run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : rc;
}

static void civil(int64_t days, int *y, int *m)
{
	/* days since 1970-01-01 → year, month (Howard Hinnant's algorithm, as src/core/period.c) */
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	unsigned doe = (unsigned)(days - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: ref_insert DB N ORG_ID CATEGORY_ID ACCOUNT_ID\n");
		return 2;
	}
	long n = atol(argv[2]);
	int64_t org = atoll(argv[3]), cat = atoll(argv[4]), acct = atoll(argv[5]);
	sqlite3 *db;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 1;
	sqlite3_busy_timeout(db, 5000);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
			 "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000; PRAGMA mmap_size=268435456;", 0, 0, 0);
	sqlite3_stmt *st[NSQL];
	for (int i = 0; i < NSQL; i++)
		if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st[i], 0) != SQLITE_OK) {
			fprintf(stderr, "ref_insert: %s\n%s\n", sqlite3_errmsg(db), sql[i]);
			return 1;
		}
	double *lat = malloc(sizeof(double) * (size_t)n), t0 = now_ms();
	for (long i = 0; i < n; i++) {
		double t = now_ms();
		int64_t now = (int64_t)time(NULL), day = (now + 8 * 3600) / 86400;
		int y, m;
		civil(day, &y, &m);
		char counter[32], code[48], desc[64], body[160], after[96];
		snprintf(counter, sizeof counter, "refproblem:%d", y);
		int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0);
		sqlite3_bind_text(st[COUNTER], 1, counter, -1, SQLITE_STATIC);
		int64_t seq = sqlite3_step(st[COUNTER]) == SQLITE_ROW ? sqlite3_column_int64(st[COUNTER], 0) : -1;
		sqlite3_reset(st[COUNTER]);
		snprintf(code, sizeof code, "REF-%d-%06lld-%ld", y, (long long)seq, (long)getpid());
		snprintf(desc, sizeof desc, "楼道堆物 基准上报 %ld", i);
		sqlite3_bind_text(st[PROBLEM], 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[PROBLEM], 2, cat);
		sqlite3_bind_int64(st[PROBLEM], 3, org);
		sqlite3_bind_text(st[PROBLEM], 4, desc, -1, SQLITE_STATIC);
		sqlite3_bind_text(st[PROBLEM], 5, "基准路1号", -1, SQLITE_STATIC);
		sqlite3_bind_double(st[PROBLEM], 6, 30.9 + (double)(i % 1000) / 2000.0);
		sqlite3_bind_double(st[PROBLEM], 7, 121.0 + (double)(i / 1000 % 1000) / 2000.0);
		sqlite3_bind_int64(st[PROBLEM], 8, acct);
		sqlite3_bind_int64(st[PROBLEM], 9, now);
		rc = rc ? rc : run(st[PROBLEM]);
		int64_t id = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(st[KDAY], 1, day);
		sqlite3_bind_int64(st[KMONTH], 1, y * 100 + m);
		sqlite3_bind_int64(st[KODAY], 1, day);
		sqlite3_bind_int64(st[KOMONTH], 1, y * 100 + m);
		for (int k = KDAY; k <= KOMONTH; k++) {
			sqlite3_bind_int64(st[k], 2, org);
			sqlite3_bind_int64(st[k], 3, cat);
			rc = rc ? rc : run(st[k]);
		}
		sqlite3_bind_int64(st[KSTATE], 1, org);
		rc = rc ? rc : run(st[KSTATE]);
		sqlite3_bind_int64(st[EVENT], 1, id);
		sqlite3_bind_int64(st[EVENT], 2, now);
		sqlite3_bind_int64(st[EVENT], 3, acct);
		rc = rc ? rc : run(st[EVENT]);
		snprintf(body, sizeof body, "%s\n沿街垃圾乱堆\n基准居委\n基准路1号\n%s", code, desc);
		sqlite3_bind_int64(st[FTSDEL], 1, id);
		rc = rc ? rc : run(st[FTSDEL]);
		sqlite3_bind_int64(st[FTSINS], 1, id);
		sqlite3_bind_text(st[FTSINS], 2, body, -1, SQLITE_STATIC);
		rc = rc ? rc : run(st[FTSINS]);
		sqlite3_bind_text(st[NOTIFY], 1, "[\"committee\"]", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[NOTIFY], 2, org);
		sqlite3_bind_int64(st[NOTIFY], 3, id);
		sqlite3_bind_text(st[NOTIFY], 4, code, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[NOTIFY], 5, now);
		rc = rc ? rc : run(st[NOTIFY]);
		char at[32];
		time_t tt = (time_t)now;
		strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", gmtime(&tt));
		snprintf(after, sizeof after, "{\"code\":\"%s\",\"source\":\"inspection\"}", code);
		sqlite3_bind_text(st[AUDIT], 1, at, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[AUDIT], 2, acct);
		sqlite3_bind_int64(st[AUDIT], 3, id);
		sqlite3_bind_text(st[AUDIT], 4, after, -1, SQLITE_STATIC);
		rc = rc ? rc : run(st[AUDIT]);
		if (rc || sqlite3_exec(db, "COMMIT", 0, 0, 0) != SQLITE_OK) {
			fprintf(stderr, "ref_insert: report %ld: %s\n", i, sqlite3_errmsg(db));
			return 1;
		}
		lat[i] = now_ms() - t;
	}
	double secs = (now_ms() - t0) / 1e3;
	qsort(lat, (size_t)n, sizeof *lat, cmp);
	printf("%.1f %.3f %.3f\n", (double)n / secs, lat[n / 2], lat[n * 99 / 100]);
	for (int i = 0; i < NSQL; i++)
		sqlite3_finalize(st[i]);
	sqlite3_close(db);
	free(lat);
	return 0;
}
