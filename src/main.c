/*
 * main.c — the command line: serve, demo, migrate, user, backup, restore. Every command takes
 * --help; options may also come from the environment (WENMING_DATA,
 * WENMING_DATABASE, WENMING_LISTEN, WENMING_THREADS).
 */
#include "api/api.h"
#include "api/sites.h"
#include "api/volunteer_import.h"
#include "core/crypto.h"
#include "core/datalock.h"
#include "core/render.h"
#include "core/log.h"
#include "core/photo.h"
#include "core/privacy.h"
#include "core/timefmt.h"
#include "core/validate.h"
#include "demo.h"
#include "http/metrics.h"
#include "http/limits.h"
#include "http/server.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct opts {
	const char *data, *database, *listen, *login, *name, *password, *role, *org_name, *tile_url, *tile_attribution, *out, *from;
	const char *file, *public_url, *trusted_proxies;
	int valid_only, batch;
	long long org;
	int threads, password_stdin, people, help, without_key;
};

static const char usage_main[] =
	"wenming " WENMING_VERSION " — 文明: the civilized-city operations platform\n\n"
	"Usage: wenming COMMAND [OPTIONS]\n\n"
	"Commands:\n"
	"  serve     serve the database in --data on --listen\n"
	"  demo      fill --data with the demo street (when empty), then serve it\n"
	"  migrate   create or upgrade the database in --data\n"
	"  user      add accounts, set passwords, grant roles (wenming user --help)\n"
	"  backup    online copy of the database in --data to --out (wenming backup --help)\n"
	"  restore   put a backup in place of the database in --data (wenming restore --help)\n"
	"  import    bulk-load a volunteer register into --data (wenming import --help)\n\n"
	"The database is SQLite in --data, or the one --database names (PostgreSQL:\n"
	"--database postgresql://USER@HOST:PORT/DB); --data always holds the key and photos.\n\n"
	"Options:\n"
	"  --version  print the version\n"
	"  --help     this text; every command also takes --help\n";

#define DATABASE_USAGE \
	"  --database URL     the database (env WENMING_DATABASE): postgresql://USER@HOST:PORT/DB\n" \
	"                     (any libpq URI, or \"host=… dbname=…\") or sqlite:DIR; without it\n" \
	"                     the SQLite database DIR/wenming.db of --data. --data DIR is required\n" \
	"                     either way: it holds secret.key and the photos\n"

#define TILE_USAGE \
	"  --tile-url URL     map tiles, e.g. https://tiles.example.org/{z}/{x}/{y}.png (env\n" \
	"                     WENMING_TILE_URL); without it the map draws offline, no tiles\n" \
	"  --tile-attribution TEXT  credit shown on the map (env WENMING_TILE_ATTRIBUTION)\n" \
	"  --public-url URL   the address users reach, e.g. https://wm.example.org (env\n" \
	"                     WENMING_PUBLIC_URL): every absolute link, QR code and check-in\n" \
	"                     URL; https:// also marks the session cookie Secure and sends\n" \
	"                     HSTS. Unset: the listen address (the Host header is never used)\n" \
	"  --trusted-proxies IP[,IP]  reverse proxies whose X-Forwarded-Proto is believed\n" \
	"                     (env WENMING_TRUSTED_PROXIES); connection limits: env\n" \
	"                     WENMING_PER_IP_CONNECTIONS, WENMING_HEADER_TIMEOUT ... (docs/OPERATIONS.md)\n"

static const char usage_serve[] =
	"Usage: wenming serve --data DIR [--database URL] --listen HOST:PORT [--threads N] [--tile-url URL]\n\n"
	"Serves the database in DIR (created and migrated when missing).\n"
	"  --data DIR         data directory (env WENMING_DATA); holds wenming.db and secret.key\n"
	DATABASE_USAGE
	"  --listen HOST:PORT address to listen on (env WENMING_LISTEN; default 127.0.0.1:8080)\n"
	"  --threads N        HTTP worker threads (env WENMING_THREADS; default 2)\n"
	TILE_USAGE;

static const char usage_demo[] =
	"Usage: wenming demo --data DIR [--database URL] --listen HOST:PORT [--people N]\n\n"
	"Fills the database with the demo street 花木街道 when it is empty, then\n"
	"serves it. Logins: admin, office, committee, committee2, inspector, handler,\n"
	"volunteer, resident, secretary, unit, rep; password wenming-demo (accepted only\n"
	"by a demo database).\n"
	DATABASE_USAGE
	"  --people N         synthetic people to create (default 3000)\n"
	"  --threads N        HTTP worker threads (default 2)\n"
	TILE_USAGE;

static const char usage_migrate[] =
	"Usage: wenming migrate --data DIR [--database URL]\n\n"
	"Creates the database or applies pending schema migrations, then exits.\n"
	"(serve runs this automatically; on PostgreSQL several servers starting at\n"
	"once apply each migration once.)\n"
	DATABASE_USAGE;

static const char usage_user[] =
	"Usage: wenming user SUBCOMMAND --data DIR [--database URL] [OPTIONS]\n\n"
	"  add    --login L --name NAME [--password P | --password-stdin] [--role R [--org ID]]\n"
	"  passwd --login L [--password P | --password-stdin]\n"
	"  grant  --login L --role R [--org ID]\n"
	"  list\n\n"
	"Roles: admin office committee inspector handler volunteer resident.\n"
	"Without --org a grant goes to the root org; on an empty database a root\n"
	"org is created, named by --org-name (default 本街道).\n"
	DATABASE_USAGE;

static const char usage_backup[] =
	"Usage: wenming backup --data DIR --out FILE\n\n"
	"Copies the database DIR/wenming.db to FILE with SQLite's online backup API:\n"
	"safe while `wenming serve` runs and writes. The copy is checked with\n"
	"PRAGMA integrity_check before it is put in place.\n"
	"DIR/secret.key is NOT copied: it encrypts ID numbers and phones, so back it\n"
	"up separately (and keep it apart from the database backups).\n"
	"Restore with `wenming restore --data DIR --from FILE` (docs/OPERATIONS.md).\n"
	"SQLite only (--database sqlite:DIR names another directory for wenming.db);\n"
	"a PostgreSQL database is backed up with pg_dump or pg_basebackup.\n";

static const char usage_restore[] =
	"Usage: wenming restore --data DIR --from FILE [--without-key]\n\n"
	"Puts the backup FILE in place of DIR/wenming.db. Stop the server first: restore\n"
	"refuses while a server holds DIR. FILE is read into a copy that must pass\n"
	"PRAGMA integrity_check, be a Wenming database and have a schema version this\n"
	"wenming knows; the current database is kept as DIR/wenming.db.before-restore-TIME,\n"
	"then the copy replaces it atomically. The next start migrates an older backup.\n"
	"DIR/secret.key must be the key saved with the backup (it is checked against\n"
	"the backup's encrypted ID numbers).\n"
	"  --without-key      restore although DIR has no secret.key: a new key is made on\n"
	"                     the next start and the backup's ID numbers and phones stay\n"
	"                     unreadable\n"
	"SQLite only (--database sqlite:DIR names another directory for wenming.db);\n"
	"a PostgreSQL database is restored with pg_restore (docs/OPERATIONS.md).\n"
	"恢复前请先停止服务；secret.key 须为与备份一同保存的密钥。\n";

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"data", required_argument, NULL, 'd'},
		{"database", required_argument, NULL, 'D'},
		{"listen", required_argument, NULL, 'l'},
		{"threads", required_argument, NULL, 't'},
		{"login", required_argument, NULL, 'u'},
		{"name", required_argument, NULL, 'n'},
		{"password", required_argument, NULL, 'p'},
		{"password-stdin", no_argument, NULL, 'P'},
		{"role", required_argument, NULL, 'r'},
		{"org", required_argument, NULL, 'o'},
		{"org-name", required_argument, NULL, 'O'},
		{"people", required_argument, NULL, 'N'},
		{"tile-url", required_argument, NULL, 'T'},
		{"out", required_argument, NULL, 'X'},
		{"from", required_argument, NULL, 'F'},
		{"without-key", no_argument, NULL, 'K'},
		{"file", required_argument, NULL, 'f'},
		{"valid-only", no_argument, NULL, 'V'},
		{"batch", required_argument, NULL, 'B'},
		{"tile-attribution", required_argument, NULL, 'A'},
		{"public-url", required_argument, NULL, 'U'},
		{"trusted-proxies", required_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof *o);
	o->data = getenv("WENMING_DATA");
	o->database = getenv("WENMING_DATABASE");
	o->listen = getenv("WENMING_LISTEN");
	o->threads = getenv("WENMING_THREADS") ? atoi(getenv("WENMING_THREADS")) : 2;
	o->people = 3000;
	o->batch = 5000;
	o->tile_url = getenv("WENMING_TILE_URL");
	o->tile_attribution = getenv("WENMING_TILE_ATTRIBUTION");
	o->public_url = getenv("WENMING_PUBLIC_URL");
	o->trusted_proxies = getenv("WENMING_TRUSTED_PROXIES");
	o->org_name = "本街道";
	if (!o->listen)
		o->listen = "127.0.0.1:8080";
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o->data = optarg; break;
		case 'D': o->database = optarg; break;
		case 'l': o->listen = optarg; break;
		case 't': o->threads = atoi(optarg); break;
		case 'u': o->login = optarg; break;
		case 'n': o->name = optarg; break;
		case 'p': o->password = optarg; break;
		case 'P': o->password_stdin = 1; break;
		case 'r': o->role = optarg; break;
		case 'o': o->org = atoll(optarg); break;
		case 'O': o->org_name = optarg; break;
		case 'N': o->people = atoi(optarg); break;
		case 'T': o->tile_url = optarg; break;
		case 'A': o->tile_attribution = optarg; break;
		case 'U': o->public_url = optarg; break;
		case 'R': o->trusted_proxies = optarg; break;
		case 'X': o->out = optarg; break;
		case 'F': o->from = optarg; break;
		case 'K': o->without_key = 1; break;
		case 'f': o->file = optarg; break;
		case 'V': o->valid_only = 1; break;
		case 'B': o->batch = atoi(optarg); break;
		case 'h': o->help = 1; break;
		default: return -1;
		}
	}
	if (o->threads < 1 || o->threads > 64) {
		fprintf(stderr, "wenming: --threads must be 1..64\n");
		return -1;
	}
	if (o->tile_url && *o->tile_url &&
	    tile_url_origin(o->tile_url, app.tile_origin, sizeof app.tile_origin)) {
		fprintf(stderr, "wenming: --tile-url must be an http(s) URL with {z}, {x} and {y}, without spaces,\n"
				"quotes, commas or semicolons; braces in the host only as a leading {s}.\n");
		return -1;
	}
	if (o->tile_url && *o->tile_url)
		snprintf(app.tile_url, sizeof app.tile_url, "%s", o->tile_url);
	if (o->tile_attribution && strlen(o->tile_attribution) >= sizeof app.tile_attribution) {
		fprintf(stderr, "wenming: --tile-attribution is too long (at most %zu bytes)\n", sizeof app.tile_attribution - 1);
		return -1;
	}
	if (o->tile_attribution)
		snprintf(app.tile_attribution, sizeof app.tile_attribution, "%s", o->tile_attribution);
	if (o->public_url && *o->public_url && public_url_set(o->public_url)) {
		fprintf(stderr, "wenming: --public-url must be http(s)://HOST[:PORT][/PATH], without spaces or quotes\n");
		return -1;
	}
	if (o->trusted_proxies && *o->trusted_proxies && trusted_proxies_set(o->trusted_proxies)) {
		fprintf(stderr, "wenming: --trusted-proxies must be IP addresses separated by commas\n");
		return -1;
	}
	if (o->people < 0 || o->people > 1000000) {
		fprintf(stderr, "wenming: --people must be 0..1000000\n");
		return -1;
	}
	return 0;
}

/* Takes DIR's lock for the rest of the process (core/datalock.h); the
 * descriptor is never closed: the kernel releases the lock at exit. */
static int lock_data(const char *cmd, const char *dir)
{
	pid_t holder;
	int fd = datalock_take(dir, &holder);
	if (fd == -1) {
		char pid[32] = "";
		if (holder > 0)
			snprintf(pid, sizeof pid, " (pid %ld)", (long)holder);
		fprintf(stderr, "wenming %s: 另一个 wenming 进程正在使用 %s / another wenming process%s is using %s; "
				"stop it first\n", cmd, dir, pid, dir);
		return -1;
	}
	if (fd < 0) {
		fprintf(stderr, "wenming %s: 无法锁定 / cannot lock %s/wenming.lock: %s\n", cmd, dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* The database this process works on (open_data, target_of) and its name
 * for messages, password masked. */
static struct store_target target;
static char target_name[4300];

/* Parses --database / WENMING_DATABASE against --data into target. */
static int target_of(const char *cmd, const char *dir, const char *database)
{
	char err[256];
	if (store_target_parse(database, dir, &target, err, sizeof err)) {
		fprintf(stderr, "wenming%s%s: %s\n", *cmd ? " " : "", cmd, err);
		return -1;
	}
	store_target_describe(&target, target_name, sizeof target_name);
	return 0;
}

/* wenming backup/restore are SQLite's; PostgreSQL has its own tools. */
static int refuse_pg(const char *cmd)
{
	if (target.backend != STORE_PG)
		return 0;
	fprintf(stderr, "wenming %s: the database is PostgreSQL (%s); use PostgreSQL's own tools:\n"
			"  pg_dump -Fc / pg_restore for a logical copy, or pg_basebackup with WAL archiving\n"
			"  for point-in-time recovery (docs/OPERATIONS.md, \"PostgreSQL\").\n"
			"--data's secret.key and photos/ are backed up separately either way.\n", cmd, target_name);
	return -1;
}

/* Creates DIR (0700) if needed, the data key, and the migrated database
 * (database: --database, NULL for SQLite in DIR).
 * lock_cmd: take DIR's lock first (serve, demo), naming the command. */
static int open_data(const char *dir, const char *database, const char *lock_cmd)
{
	if (!dir || !*dir) {
		fprintf(stderr, "wenming: --data DIR is required (it holds secret.key and the photos)\n");
		return -1;
	}
	if (target_of(lock_cmd ? lock_cmd : "", dir, database))
		return -1;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "wenming: cannot create %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (lock_cmd && lock_data(lock_cmd, dir))
		return -1;
	snprintf(app.data_dir, sizeof app.data_dir, "%s", dir);
	if (crypto_setup(dir) != 0 || store_select(database, dir) != STORE_OK || store_init(dir) != STORE_OK) {
		fprintf(stderr, "wenming: cannot open the database %s (see the log above)\n", target_name);
		return -1;
	}
	if (categories_load_defaults(0) != 0) {
		fprintf(stderr, "wenming: could not load the default problem categories\n");
		return -1;
	}
	if (site_types_load_defaults() != 0)	/* sites.h: the shipped site types and checklists */
		return -1;
	problems_index_missing();	/* search index rows of older problems; logs its own errors */
	if (open311_seal_legacy() != 0)	/* migration 017's Open311 contact details, sealed now */
		return -1;
	char *demo = store_setting_get("demo");
	app.demo = demo && !strcmp(demo, "1");
	free(demo);
	return 0;
}

static void print_url(const char *url)
{
	links_listen_url(url);
	printf("Wenming %s listening on %s\n", WENMING_VERSION, url);
	fflush(stdout);
}

static void print_demo_url(const char *url)
{
	print_url(url);
	printf("\n演示账号 / demo logins (password: %s):\n", DEMO_PASSWORD);
	for (int i = 0; demo_logins[i]; i++)
		printf("  %s\n", demo_logins[i]);
	printf("\nOpen %s/ in a browser. Stop with Ctrl-C.\n", url);
	fflush(stdout);
}

/* The test clock (WENMING_TEST_CLOCK=1) may start at a chosen instant,
 * WENMING_CLOCK_START (RFC 3339), before the demo builds its history relative
 * to "now": the suites run at awkward dates (scripts/test-dates.sh). Ignored
 * with a warning without the test clock; a bad value is an error, so a run
 * never silently falls back to today. */
static int test_clock_start(int serving)
{
	const char *tc = getenv("WENMING_TEST_CLOCK"), *start = getenv("WENMING_CLOCK_START");
	app.test_clock = tc && !strcmp(tc, "1");
	privacy_use_clock(app_now);
	if (!start || !*start)
		return 0;
	if (!app.test_clock) {
		if (serving)	/* the other commands' output is read by scripts */
			fprintf(stderr, "wenming: WENMING_CLOCK_START ignored: only with WENMING_TEST_CLOCK=1\n");
		return 0;
	}
	int64_t t;
	if (time_parse(start, 0, &t)) {
		fprintf(stderr, "wenming: WENMING_CLOCK_START=%s is not an RFC 3339 time\n", start);
		return -1;
	}
	app_clock_set(t);
	return 0;
}

static int serve(struct opts *o, void (*ready)(const char *))
{
	metrics_init(api_route_names(), api_nroutes);
	if (api_query_init())	/* a malformed query declaration in routes.def: logged */
		return 2;
	if (limits_from_env())
		return 2;
	scheduler_start();
	webhooks_start();
	struct server_opts so = {
		.listen = o->listen,
		.threads = (unsigned)o->threads,
		.hooks = {api_begin, api_handle, api_finish},
	};
	int rc = server_run(&so, ready);
	webhooks_stop();
	scheduler_stop();
	store_shutdown();
	return rc;
}

static int cmd_serve(int argc, char **argv)
{
	struct opts o;
	if (parse(argc, argv, &o))
		return 2;
	if (o.help) {
		fputs(usage_serve, stdout);
		return 0;
	}
	if (open_data(o.data, o.database, "serve"))
		return 1;
	return serve(&o, print_url);
}

static int cmd_demo(int argc, char **argv)
{
	struct opts o;
	if (parse(argc, argv, &o))
		return 2;
	if (o.help) {
		fputs(usage_demo, stdout);
		return 0;
	}
	if (open_data(o.data, o.database, "demo"))
		return 1;
	char *built = store_setting_get("demo");
	char *accounts = store_setting_get("demo_built_at");
	if (!built && !accounts) {
		json_t *none = json_object();
		json_t *any = store_org_list(none, NULL, 1);
		json_decref(none);
		int empty = any && json_array_size(any) == 0;
		json_decref(any);
		if (!empty) {
			fprintf(stderr, "wenming: %s is a database that is not a demo; refusing to add demo data\n",
				target_name);
			return 1;
		}
		printf("Building the demo street 花木街道 in %s …\n", target_name);
		fflush(stdout);
		if (demo_build(o.people) != 0)
			return 1;
		app.demo = 1;
	}
	free(built);
	free(accounts);
	return serve(&o, print_demo_url);
}

static int cmd_migrate(int argc, char **argv)
{
	struct opts o;
	if (parse(argc, argv, &o))
		return 2;
	if (o.help) {
		fputs(usage_migrate, stdout);
		return 0;
	}
	if (open_data(o.data, o.database, NULL))
		return 1;
	printf("database %s at schema version %d (%d migration(s) applied now)\n", target_name, store_schema_version(),
	       store_migrations_applied());
	store_shutdown();
	return 0;
}

static int cmd_backup(int argc, char **argv)
{
	struct opts o;
	if (parse(argc, argv, &o))
		return 2;
	if (o.help) {
		fputs(usage_backup, stdout);
		return 0;
	}
	if (!o.data || !*o.data || !o.out || !*o.out) {
		fprintf(stderr, "wenming backup: --data DIR and --out FILE are required\n\n%s", usage_backup);
		return 2;
	}
	if (target_of("backup", o.data, o.database) || refuse_pg("backup"))
		return 2;
	char err[512];
	if (store_backup(target.where, o.out, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "wenming backup: %s\n", err);
		return 1;
	}
	printf("backup of %s written to %s (integrity_check ok)\n", target_name, o.out);
	printf("reminder: %s/secret.key is not in the backup; back it up separately,\n"
	       "without it the encrypted ID numbers and phones cannot be read\n", o.data);
	return 0;
}

static int cmd_restore(int argc, char **argv)
{
	struct opts o;
	if (parse(argc, argv, &o))
		return 2;
	if (o.help) {
		fputs(usage_restore, stdout);
		return 0;
	}
	if (!o.data || !*o.data || !o.from || !*o.from) {
		fprintf(stderr, "wenming restore: --data DIR and --from FILE are required\n\n%s", usage_restore);
		return 2;
	}
	if (target_of("restore", o.data, o.database) || refuse_pg("restore"))
		return 2;
	/* Before anything touches DIR: the commonest mistake is a wrong path. */
	if (access(o.from, R_OK) != 0) {
		fprintf(stderr, "wenming restore: 备份文件不存在 / the backup %s cannot be read: %s\n", o.from,
			strerror(errno));
		return 1;
	}
	if (mkdir(o.data, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "wenming restore: 无法创建 / cannot create %s: %s\n", o.data, strerror(errno));
		return 1;
	}
	if (lock_data("restore", o.data))
		return 1;
	char key[4200];
	snprintf(key, sizeof key, "%s/secret.key", o.data);
	struct restore_info info = {0};
	if (access(key, F_OK) == 0) {
		if (crypto_setup(o.data) != 0) {
			fprintf(stderr, "wenming restore: 无法读取密钥 / cannot read %s (see the log above)\n", key);
			return 1;
		}
		info.check_key = 1;
	} else if (!o.without_key) {
		fprintf(stderr, "wenming restore: %s 不存在 / %s is missing: copy the key saved with your backups there\n"
				"first (without it the ID numbers and phones in the backup cannot be read), or give\n"
				"--without-key to restore anyway\n", key, key);
		return 1;
	}
	char err[1024];
	if (store_restore(target.where, o.from, &info, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "wenming restore: %s\n", err);
		return 1;
	}
	printf("restored %s into %s/wenming.db (integrity_check ok, schema version %d", o.from, target.where,
	       info.backup_version);
	if (info.backup_version < info.known_version)
		printf("; the next start migrates it to %d", info.known_version);
	printf(")\n");
	if (info.kept[0])
		printf("the previous database is kept as %s\n", info.kept);
	if (!info.check_key)
		printf("warning: no secret.key in %s; the next start makes a new one and the restored\n"
		       "ID numbers and phones cannot be read\n", o.data);
	return 0;
}

static int read_password(struct opts *o, char *buf, size_t n)
{
	if (o->password) {
		snprintf(buf, n, "%s", o->password);
		return 0;
	}
	if (!o->password_stdin) {
		fprintf(stderr, "wenming: give --password or --password-stdin\n");
		return -1;
	}
	if (!fgets(buf, (int)n, stdin)) {
		fprintf(stderr, "wenming: no password on standard input\n");
		return -1;
	}
	buf[strcspn(buf, "\r\n")] = 0;
	return 0;
}

/* The org for a grant: --org, else the first root org, else a new root. */
static int64_t grant_org(struct opts *o)
{
	if (o->org > 0) {
		json_t *org = store_org_get(o->org);
		json_decref(org);
		if (!org) {
			fprintf(stderr, "wenming: no org with id %lld\n", o->org);
			return -1;
		}
		return o->org;
	}
	json_t *none = json_object();
	json_t *roots = store_org_list(none, NULL, 1);
	json_decref(none);
	int64_t id = 0;
	if (roots && json_array_size(roots))
		id = json_integer_value(json_object_get(json_array_get(roots, 0), "id"));
	json_decref(roots);
	if (id)
		return id;
	json_t *in = json_pack("{s:s, s:s}", "kind", "street", "name", o->org_name);
	int rc = store_org_create(in, &id);
	json_decref(in);
	return rc ? -1 : id;
}

static const char usage_import[] =
	"Usage: wenming import volunteers --data DIR [--database URL] --org ID --file FILE [--valid-only] [--batch N]\n\n"
	"Loads a volunteer register (CSV or XLSX with the import template's headings:\n"
	"姓名 身份证号 手机号 类型, optional 技能 服务区域 住址) into the org ID (a street,\n"
	"community or compound) as approved volunteers, streamed from disk: files of\n"
	"any size, unlike the web import's 10,000 rows. The server must be stopped\n"
	"(the data directory is locked).\n\n"
	"  --valid-only  import the valid rows and list the others; without it every\n"
	"                row is checked first and nothing is written if one is wrong\n"
	"  --batch N     rows per write transaction (default 5000; progress after each)\n\n"
	"Rows whose ID number is already registered are refused, so an interrupted\n"
	"import is finished by running it again with --valid-only.\n";

static int cmd_import(int argc, char **argv)
{
	struct opts o;
	if (parse(argc, argv, &o))
		return 2;
	if (o.help) {
		fputs(usage_import, stdout);
		return 0;
	}
	const char *kind = optind < argc ? argv[optind] : NULL;
	if (!kind || strcmp(kind, "volunteers") || optind + 1 != argc) {
		fprintf(stderr, "wenming import: what to import: volunteers\n\n%s", usage_import);
		return 2;
	}
	if (!o.data || !*o.data || !o.file || !*o.file || o.org <= 0) {
		fprintf(stderr, "wenming import: --data DIR, --org ID and --file FILE are required\n\n%s", usage_import);
		return 2;
	}
	if (o.batch < 1 || o.batch > 1000000) {
		fprintf(stderr, "wenming import: --batch must be 1..1000000\n");
		return 2;
	}
	if (open_data(o.data, o.database, "import"))
		return 1;
	int rc = volunteers_import_file(o.file, o.org, o.valid_only, o.batch);
	store_shutdown();
	return rc;
}

static int cmd_user(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_user, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1];
	struct opts o;
	if (parse(argc - 1, argv + 1, &o))
		return 2;
	if (o.help) {
		fputs(usage_user, stdout);
		return 0;
	}
	if (strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "grant") && strcmp(sub, "list")) {
		fprintf(stderr, "wenming user: unknown subcommand '%s'\n\n%s", sub, usage_user);
		return 2;
	}
	if (strcmp(sub, "list") && (!o.login || !*o.login)) {
		fprintf(stderr, "wenming user %s: --login is required\n", sub);
		return 2;
	}
	if (o.role && role_parse(o.role) < 0) {
		fprintf(stderr, "wenming: unknown role '%s'\n", o.role);
		return 2;
	}
	if (open_data(o.data, o.database, NULL))
		return 1;
	int rc = 1;
	char pw[512], hash[256];
	if (!strcmp(sub, "list")) {
		json_t *none = json_object();
		json_t *list = store_account_list(none, 0, 10000);
		json_decref(none);
		size_t i;
		json_t *a;
		json_array_foreach(list, i, a) {
			printf("%-6lld %-20s %s", (long long)json_integer_value(json_object_get(a, "id")),
			       json_string_value(json_object_get(a, "login")),
			       json_string_value(json_object_get(a, "display_name")));
			size_t k;
			json_t *g;
			json_array_foreach(json_object_get(a, "grants"), k, g)
				printf("  %s@%s", json_string_value(json_object_get(g, "role")),
				       json_string_value(json_object_get(g, "org_name")));
			printf("\n");
		}
		json_decref(list);
		rc = 0;
		goto out;
	}
	if (!strcmp(sub, "add") || !strcmp(sub, "passwd")) {
		if (read_password(&o, pw, sizeof pw))
			goto out;
		int staff = (role_bit(o.role) & R_PASSWORD_STAFF) != 0;
		const char *why = password_policy(o.login, o.name, pw, staff);
		if (why) {
			fprintf(stderr, "wenming: %s\n", why);
			goto out;
		}
		if (pw_hash(pw, hash, sizeof hash)) {
			fprintf(stderr, "wenming: hashing failed\n");
			goto out;
		}
	}
	if (store_begin())
		goto out;
	json_t *acc = store_account_auth(o.login);
	int64_t id = acc ? json_integer_value(json_object_get(acc, "id")) : 0;
	json_decref(acc);
	int err = 0;
	if (!strcmp(sub, "add")) {
		if (id) {
			fprintf(stderr, "wenming: login '%s' already exists\n", o.login);
			err = 1;
		} else
			err = store_account_create(o.login, o.name ? o.name : o.login, hash, 0, &id) != 0;
	} else if (!id) {
		fprintf(stderr, "wenming: no account '%s'\n", o.login);
		err = 1;
	} else if (!strcmp(sub, "passwd")) {
		err = store_account_set_password(id, hash) || store_session_delete_account(id, NULL);
	}
	if (!err && o.role && (!strcmp(sub, "add") || !strcmp(sub, "grant"))) {
		int64_t org = grant_org(&o);
		err = org < 0 || store_grant_add(id, o.role, org, NULL) != 0;
		if (err)
			fprintf(stderr, "wenming: could not grant %s (already granted?)\n", o.role);
	} else if (!err && !strcmp(sub, "grant")) {
		fprintf(stderr, "wenming user grant: --role is required\n");
		err = 1;
	}
	if (!err) {
		json_t *e = json_pack("{s:s, s:s, s:I, s:s}", "action", sub, "resource", "account", "resource_id",
				      (json_int_t)id, "note", "wenming user (command line)");
		err = store_audit_add(e) != 0;
		json_decref(e);
	}
	if (err) {
		store_rollback();
		goto out;
	}
	if (store_commit())
		goto out;
	printf("%s: %s done\n", o.login, sub);
	rc = 0;
out:
	store_shutdown();
	return rc;
}

int main(int argc, char **argv)
{
	/* Everything this process creates holds personal data (the database, its
	 * -wal/-shm, backups, photos, export temp files): owner only, whatever
	 * the caller's umask (security review #15). */
	umask(077);
	server_block_signals();
	if (photo_init(argv[0]) != 0) {
		fprintf(stderr, "wenming: image library failed to start\n");
		return 1;
	}
	if (argc < 2) {
		fputs(usage_main, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("wenming %s\n", WENMING_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(cmd, "serve") && strcmp(cmd, "demo"))
		log_quiet(1);
	if (test_clock_start(!strcmp(cmd, "serve") || !strcmp(cmd, "demo")))
		return 2;
	int rc = 2;
	if (!strcmp(cmd, "serve"))
		rc = cmd_serve(argc - 1, argv + 1);
	else if (!strcmp(cmd, "demo"))
		rc = cmd_demo(argc - 1, argv + 1);
	else if (!strcmp(cmd, "migrate"))
		rc = cmd_migrate(argc - 1, argv + 1);
	else if (!strcmp(cmd, "user"))
		rc = cmd_user(argc - 1, argv + 1);
	else if (!strcmp(cmd, "backup"))
		rc = cmd_backup(argc - 1, argv + 1);
	else if (!strcmp(cmd, "restore"))
		rc = cmd_restore(argc - 1, argv + 1);
	else if (!strcmp(cmd, "import"))
		rc = cmd_import(argc - 1, argv + 1);
	else
		fprintf(stderr, "wenming: unknown command '%s'\n\n%s", cmd, usage_main);
	photo_shutdown();
	render_shutdown();
	return rc;
}
