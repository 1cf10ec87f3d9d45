// database.mjs — the tests' side of the two backends (docs/TESTING.md, "Two backends").
//
// With WENMING_TEST_PG=postgresql://…/postgres (scripts/pg-cluster.sh start) every server a
// test starts gets a database of its own on that cluster: testDatabase() creates
// wm_<random>, its args go on the command line next to --data DIR, drop() removes it (and
// whatever a killed test left is dropped when the process exits). Without it the servers run
// on SQLite in their data directory, exactly as before.
//
// Tests that read the database directly (read-only) go through query() and fingerprint(),
// which speak to sqlite3 or psql; a database is named by {dir, url} (url null on SQLite).
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const PG_BIN = process.env.WENMING_PG_BIN || '/usr/lib/postgresql/15/bin';
const REPO = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const PSQL = existsSync(join(PG_BIN, 'psql')) ? join(PG_BIN, 'psql') : 'psql';

export function onPostgres() { return !!process.env.WENMING_TEST_PG; }
export function backendName() { return onPostgres() ? 'PostgreSQL' : 'SQLite'; }

// Runs SQL (one or more statements) through psql; returns the rows as sqlite3 prints them
// (unaligned, '|' between columns, NULL empty), so portable queries read the same on both.
// A cluster still coming back from the crash test's restart ("starting up", refused) is
// waited for, up to 30 s, rather than failing the next test file.
export function psql(url, sql, { timeout = 60000 } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return execFileSync(PSQL, ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', '-'],
        { input: sql, encoding: 'utf8', timeout, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      const why = String(e.stderr || e.message);
      if (attempt >= 60 || !/starting up|shutting down|Connection refused|recovery mode/.test(why)) throw e;
      execFileSync('sleep', ['0.5']);
    }
  }
}

// The cluster URL with another database name (keeps user, host, port and parameters).
export function databaseUrl(name, base = process.env.WENMING_TEST_PG) {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

const created = new Set();
let exitHook = false;
function dropNow(name) {
  // WITH (FORCE): a server killed with -9 (or still draining) must not keep it alive.
  psql(process.env.WENMING_TEST_PG, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE);\n`);
  created.delete(name);
}

// A database for one server: {name, url, args, drop()}. On SQLite args is [] and drop() a
// no-op (the database is the data directory's wenming.db).
export function testDatabase() {
  if (!onPostgres()) return { name: null, url: null, args: [], drop() {} };
  const name = `wm_${randomBytes(6).toString('hex')}`;
  psql(process.env.WENMING_TEST_PG, `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8';\n`);
  created.add(name);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => { for (const n of [...created]) { try { dropNow(n); } catch { /* cluster gone */ } } });
  }
  const url = databaseUrl(name);
  return { name, url, args: ['--database', url], drop() { if (created.has(name)) dropNow(name); } };
}

// The command line for a server command on data dir `dir` and database `db`.
export function serverArgs(dir, db) { return ['--data', dir, ...(db ? db.args : [])]; }

// A command line with the database's args put right after its `--data DIR` (unchanged when
// it has none, or on SQLite): for tests that spell their commands out.
export function withDatabase(args, db) {
  const i = args.indexOf('--data');
  if (!db || !db.args.length || i < 0 || i + 1 >= args.length) return args;
  return [...args.slice(0, i + 2), ...db.args, ...args.slice(i + 2)];
}

// PostgreSQL itself crashes and comes back (pg_ctl restart -m immediate through
// scripts/pg-cluster.sh, which finds the cluster by WENMING_PG_DIR): resolves when it accepts
// connections again.
export function restartPostgres() {
  if (!process.env.WENMING_PG_DIR) throw new Error('WENMING_PG_DIR is not set: start the cluster with scripts/pg-cluster.sh start');
  return new Promise((res, rej) => execFile(join(REPO, 'scripts', 'pg-cluster.sh'), ['restart-immediate'],
    { timeout: 180000 }, (e, stdout, stderr) => (e ? rej(new Error(`pg-cluster.sh restart-immediate: ${e.message} ${stderr}`)) : res())));
}

// Does the database exist on the cluster (the harness's own test)?
export function databaseExists(name) {
  return psql(process.env.WENMING_TEST_PG, `SELECT count(*) FROM pg_database WHERE datname = '${name}';\n`).trim() === '1';
}

// Read-only SQL on a server's database ({dir, url}); the rows as text.
export function query(db, sql) {
  if (db.url) return psql(db.url, `BEGIN READ ONLY;\n${sql.trim().replace(/;?$/, ';')}\nCOMMIT;\n`);
  return execFileSync('sqlite3', ['-readonly', `file:${join(db.dir, 'wenming.db')}?mode=ro`], { input: sql, encoding: 'utf8', timeout: 30000 });
}

export function tableNames(db) {
  const sql = db.url ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename;"
    : "SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name;";
  return query(db, sql).trim().split('\n').filter(Boolean);
}

// One line per table, `table|rows|hash` (hex). columns: {table: 'a, b'} hashes only those
// columns of a table whose other columns churn on their own. SQLite: sha3_query of the rows;
// PostgreSQL: md5 of the rows as text in a fixed order.
export function tableHashes(db, tables, { columns = {} } = {}) {
  const parts = tables.map((t) => {
    const cols = columns[t] || '*';
    if (db.url) {
      const sel = cols === '*' ? `x::text` : `ROW(${cols.split(',').map((c) => `x.${c.trim()}`).join(', ')})::text`;
      return `SELECT '${t}', count(*), md5(coalesce(string_agg(${sel}, E'\\n' ORDER BY ${sel}), '')) FROM "${t}" x`;
    }
    const q = `SELECT ${cols} FROM "${t}"`.replace(/'/g, "''");
    return `SELECT '${t}', (SELECT count(*) FROM "${t}"), hex(sha3_query('${q}'))`;
  });
  // ORDER BY: PostgreSQL returns the branches of a UNION ALL in no fixed order.
  return query(db, `${parts.join(' UNION ALL ')} ORDER BY 1;`);
}

// The "nothing changed" fingerprint: a content hash of every table on the first line, then
// `table|rows` per table. SQLite: the sqlite3 shell's .sha3sum (as the corpus always used).
export function fingerprint(db, tables = tableNames(db)) {
  if (!db.url) {
    const counts = query(db, tables.map((t) => `SELECT '${t}', count(*) FROM "${t}"`).join(' UNION ALL ') + ';');
    return `${query(db, '.sha3sum').trim()}\n${counts}`;
  }
  const lines = tableHashes(db, tables).trim().split('\n');
  const all = createHash('sha256').update(lines.join('\n')).digest('hex');
  return `${all}\n${lines.map((l) => l.split('|').slice(0, 2).join('|')).join('\n')}\n`;
}
