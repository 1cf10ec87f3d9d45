/*
 * gen_people.c — adds N synthetic volunteers (people + volunteers rows) to a
 * benchmark database, deterministically from a seed, sealed exactly as the
 * server seals them (src/core/privacy.c): the ID number and phone encrypted
 * with the data directory's secret.key (crypto_secretbox), the ID's keyed
 * hash (crypto_generichash with the MAC half of the key), masked copies,
 * gender and birth date from the ID. ID numbers carry a valid check
 * character; phones are valid mainland mobiles. So the API can open, search
 * and de-duplicate them like any other person.
 *
 * Not part of the product build: bench/gen.mjs compiles it with
 *   cc -O2 gen_people.c $(pkg-config --cflags --libs sqlite3 libsodium)
 * Usage: gen_people DATA_DIR N SEED
 * The volunteers go to the communities whose code starts with 'BC'
 * (bench/gen_kpi.sql makes them), round robin.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char enc_key[32], mac_key[32];
static uint64_t rs;

/* splitmix64: a fixed seed gives the same people on every machine */
static uint64_t rnd(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
				       "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋"};
static const char *const given[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇",
				    "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华"};
static const char *const skills[] = {"[\"急救\"]", "[\"摄影\"]", "[\"法律咨询\"]", "[\"助老\"]", "[]", "[\"交通劝导\"]"};
static const char *const vtypes[] = {"white_collar", "white_collar", "white_collar", "resident", "student",
				     "party_member"};
static const char *const districts[] = {"310115", "310101", "310104", "310105", "310106", "310107", "310110"};

static char check_char(const char *d)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int s = 0;
	for (int i = 0; i < 17; i++)
		s += (d[i] - '0') * w[i];
	return "10X98765432"[s % 11];
}

/* The nonce is unique per (row, field) — a counter, never reused under the key. */
static void seal(const char *plain, uint64_t row, int field, char *out, size_t outsz)
{
	unsigned char c[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 32];
	size_t n = strlen(plain);
	memset(c, 0, crypto_secretbox_NONCEBYTES);
	memcpy(c, &row, sizeof row);
	c[8] = (unsigned char)field;
	memcpy(c + 9, "wenmingbench", 12);
	crypto_secretbox_easy(c + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, c, enc_key);
	sodium_bin2base64(out, outsz, c, crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n,
			  sodium_base64_VARIANT_ORIGINAL);
}

static int die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "gen_people: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: gen_people DATA_DIR N SEED\n");
		return 2;
	}
	long n = atol(argv[2]);
	rs = strtoull(argv[3], NULL, 10) * 0x2545F4914F6CDD1DULL + 7;
	char path[4096];
	unsigned char raw[64];
	snprintf(path, sizeof path, "%s/secret.key", argv[1]);
	FILE *f = fopen(path, "rb");
	if (sodium_init() < 0 || !f || fread(raw, 1, 64, f) != 64)
		return die(NULL, "cannot read secret.key");
	fclose(f);
	memcpy(enc_key, raw, 32);
	memcpy(mac_key, raw + 32, 32);

	sqlite3 *db;
	snprintf(path, sizeof path, "%s/wenming.db", argv[1]);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return die(db, "open");
	sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -500000;", 0, 0, 0);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT id FROM orgs WHERE kind = 'community' AND code LIKE 'BC%' ORDER BY id", -1, &q,
			       0) != SQLITE_OK)
		return die(db, "orgs");
	int64_t *comm = NULL;
	size_t ncomm = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		comm = realloc(comm, (ncomm + 1) * sizeof *comm);
		comm[ncomm++] = sqlite3_column_int64(q, 0);
	}
	sqlite3_finalize(q);
	if (!ncomm)
		return die(NULL, "no BC communities (run gen_kpi.sql first)");

	sqlite3_stmt *pp, *vv;
	if (sqlite3_prepare_v2(db, "INSERT INTO people (name, gender, birth_date, id_enc, id_hash, id_masked, phone_enc,"
				   " phone_masked, org_id, address, skills, kinds, created_at, updated_at)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[\"resident\",\"volunteer\"]', ?, ?12)",
			       -1, &pp, 0) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO volunteers (person_id, org_id, vtype, areas, status, self_registered,"
				   " decided_at, created_at) VALUES (?, ?, ?, '[]', ?, ?, ?, ?)",
			       -1, &vv, 0) != SQLITE_OK)
		return die(db, "prepare");
	sqlite3_exec(db, "BEGIN", 0, 0, 0);
	for (long i = 0; i < n; i++) {
		/* Unique IDs by construction: the sequence number sits in the birth
		 * date's day-of-history and the order code, so no retry is needed. */
		char id[19], tmp[40], phone[12], hash[65], masked[19], pmask[12], name[32], birth[11], addr[64];
		char idenc[128], phenc[128];
		long day = (long)(i % 21900), serial = i / 21900;	/* 60 years of days × 1000 serials */
		int y = 1946 + (int)(day / 365), doy = (int)(day % 365);
		static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int m = 0;
		while (doy >= mdays[m])
			doy -= mdays[m++];
		snprintf(tmp, sizeof tmp, "%s%04d%02d%02d%03ld", districts[serial % 7], y, m + 1, doy + 1,
			 (serial / 7) % 1000);
		memcpy(id, tmp, 17);
		id[17] = check_char(id);
		id[18] = 0;
		snprintf(birth, sizeof birth, "%04d-%02d-%02d", y, m + 1, doy + 1);
		snprintf(phone, sizeof phone, "1%c%09ld", "3578"[i % 4], (long)(i * 7919 % 1000000000L));
		unsigned char h[32];
		crypto_generichash(h, sizeof h, (const unsigned char *)id, 18, mac_key, sizeof mac_key);
		sodium_bin2hex(hash, sizeof hash, h, sizeof h);
		snprintf(masked, sizeof masked, "%.2s*************%.3s", id, id + 15);
		snprintf(pmask, sizeof pmask, "%.3s****%.4s", phone, phone + 7);
		seal(id, (uint64_t)i, 1, idenc, sizeof idenc);
		seal(phone, (uint64_t)i, 2, phenc, sizeof phenc);
		uint64_t r = rnd();
		snprintf(name, sizeof name, "%s%s", surnames[r % 24], given[(r >> 8) % 24]);
		snprintf(addr, sizeof addr, "基准路%lu弄%lu号", (unsigned long)((r >> 16) % 900 + 1),
			 (unsigned long)((r >> 28) % 60 + 1));
		int64_t org = comm[i % ncomm];
		long created = 1700000000L + (long)(i * 97 % 94608000L);
		char cat[32];
		snprintf(cat, sizeof cat, "2025-01-01T00:00:00Z");
		sqlite3_bind_text(pp, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(pp, 2, (id[16] - '0') % 2 ? "male" : "female", -1, SQLITE_STATIC);
		sqlite3_bind_text(pp, 3, birth, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(pp, 4, idenc, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(pp, 5, hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(pp, 6, masked, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(pp, 7, phenc, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(pp, 8, pmask, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(pp, 9, org);
		sqlite3_bind_text(pp, 10, addr, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(pp, 11, skills[(r >> 40) % 6], -1, SQLITE_STATIC);
		sqlite3_bind_text(pp, 12, cat, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(pp) != SQLITE_DONE)
			return die(db, "insert person");
		sqlite3_reset(pp);
		int st = (int)((r >> 44) % 100);
		sqlite3_bind_int64(vv, 1, sqlite3_last_insert_rowid(db));
		sqlite3_bind_int64(vv, 2, org);
		sqlite3_bind_text(vv, 3, vtypes[(r >> 52) % 6], -1, SQLITE_STATIC);
		sqlite3_bind_text(vv, 4, st < 90 ? "approved" : st < 96 ? "pending" : st < 98 ? "rejected" : "suspended", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int(vv, 5, st % 2);
		if (st < 96)
			sqlite3_bind_int64(vv, 6, created + 86400);
		else
			sqlite3_bind_null(vv, 6);
		sqlite3_bind_int64(vv, 7, created);
		if (sqlite3_step(vv) != SQLITE_DONE)
			return die(db, "insert volunteer");
		sqlite3_reset(vv);
		if (i % 100000 == 99999) {
			sqlite3_exec(db, "COMMIT; BEGIN", 0, 0, 0);
		}
	}
	if (sqlite3_exec(db, "COMMIT", 0, 0, 0) != SQLITE_OK)
		return die(db, "commit");
	sqlite3_finalize(pp);
	sqlite3_finalize(vv);
	sqlite3_close(db);
	free(comm);
	return 0;
}
