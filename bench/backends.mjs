// SQLite and PostgreSQL side by side (issue 14): one run starts `wenming demo`
// on each engine, drives the same two loads at both and prints one markdown
// table with the PostgreSQL ÷ SQLite ratio and each figure against its
// reference, measured in the same run (never a timed assertion).
//   node bench/backends.mjs [--secs 5] [--people 50] [--database postgresql://…/EMPTY_DB]
//
// Data: the demo street (`wenming demo --people N`) on both engines. The big
// datasets of bench/gen.mjs are written as SQLite files directly, so they
// exist for SQLite only; these figures are not comparable with bench/run.mjs's.
// PostgreSQL: --database (an empty database), else a new database in the
// cluster of $WENMING_TEST_PG, else a throw-away cluster (scripts/pg-cluster.sh)
// stopped at the end; a database this script creates is dropped at the end.
//
// Loads (as bench/scenarios/10_read_one.mjs and 30_report.mjs):
//   read    GET /api/v1/problems/{id} with the office's session cookie, wrk -t1
//           -c64, walking 1,000 ids drawn over the street's problems (fixed seed).
//           Reference: nginx serving a static file of the median answer's size.
//   report  POST /api/v1/problems as the office (Bearer), wrk -t1 -c16, in one of
//           the street's communities (梧桐, HM-C03), each at a fresh spot; every
//           answer must be a stored problem. References: raw SQLite in C
//           (bench/ref_insert.c) and raw PostgreSQL through pgbench
//           (bench/ref_insert_pg.sql), the same rows per report, one client each.
// Each load warms for 2 s, then measures --secs; the engines take turns
// (SQLite, then PostgreSQL, then the reference) so drifting load on a shared
// machine hits all three alike. Progress goes to stderr, the table to stdout.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, readdirSync, chmodSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { startServer, stopServer, repoRoot } from './gen.mjs';
import { login, wrk, wrkScript, sql, psql, compile, nginxStatic, reportScript, peakRss } from './lib.mjs';
import { machine, cpuBusy, otherWork, fmt, ratioFmt } from './machine.mjs';

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i], next = process.argv[i + 1];
  if (!a.startsWith('--')) continue;
  if (next === undefined || next.startsWith('--')) args[a.slice(2)] = true;
  else args[a.slice(2)] = next, i++;
}
const secs = Number(args.secs || 5), people = Number(args.people || 50), seed = 20260714;
const bin = process.env.WENMING_BIN || join(repoRoot, 'build/wenming');
const work = mkdtempSync(join(tmpdir(), 'wenming-backends-'));
chmodSync(work, 0o755);	// nginx's workers (an unprivileged user when run as root) read a file under it
const t0 = Date.now();
const log = (m) => process.stderr.write(`# ${new Date().toISOString().slice(11, 19)} ${m}\n`);
const cleanups = [];	// run in order at the end: servers, then the database, then the cluster

// The PostgreSQL database: { url, note }; what was made here is undone by cleanups.
function pgDatabase() {
  if (args.database) return { url: String(args.database), note: 'the database given by --database' };
  let base = process.env.WENMING_TEST_PG, note = 'a new database in the cluster of $WENMING_TEST_PG';
  if (!base) {
    const out = execFileSync(join(repoRoot, 'scripts/pg-cluster.sh'), ['start'], { encoding: 'utf8' });
    const env = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2].replace(/^'|'$/g, '')]));
    base = env.WENMING_TEST_PG;
    cleanups.unshift(() => execFileSync(join(repoRoot, 'scripts/pg-cluster.sh'), ['stop'],
      { env: { ...process.env, WENMING_PG_DIR: env.WENMING_PG_DIR }, stdio: 'inherit' }));
    note = 'a throw-away cluster (scripts/pg-cluster.sh: fsync on, shared_buffers 64MB)';
    log(`PostgreSQL cluster in ${env.WENMING_PG_DIR}`);
  }
  if (!/^postgres(ql)?:\/\//.test(base)) throw new Error(`WENMING_TEST_PG must be a postgresql:// URI (${base})`);
  const name = `wenming_bench_${process.pid}`;
  psql(base, `CREATE DATABASE ${name};`);
  cleanups.unshift(() => psql(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE);`));
  const u = new URL(base);
  u.pathname = '/' + name;
  return { url: u.toString(), note };
}

// One engine: its demo server and how to query its database directly.
async function startEngine(name, dbArgs, query, pg = false) {
  const dir = join(work, name.toLowerCase());
  execFileSync('mkdir', ['-p', dir]);
  log(`${name}: wenming demo --people ${people}…`);
  const t = Date.now();
  const starting = startServer(bin, ['demo', '--data', dir, ...dbArgs, '--listen', '127.0.0.1:0',
    '--people', String(people)], join(dir, 'server.log'));
  cleanups.unshift(() => stopServer(starting));
  const server = await starting.catch((err) => {
    const errors = readFileSync(join(dir, 'server.log'), 'utf8').split('\n').filter((l) => l.includes('"level":"error"'));
    throw new Error(`${err.message}${errors.length ? `: ${errors[0].slice(0, 400)}` : ''}`);
  });
  const built = (Date.now() - t) / 1000;
  const one = (text) => {
    const v = query(text)[0];
    if (v === undefined) throw new Error(`${name}: no answer to ${text}`);
    return v;
  };
  const e = { name, dir, server, url: server.url, built, query, one, pg,
    org: one("SELECT id FROM orgs WHERE code = 'HM-C03';"), cat: one("SELECT id FROM categories WHERE code = 'C0101';"),
    acct: one("SELECT id FROM accounts WHERE login = 'office';"), problems: Number(one('SELECT count(*) FROM problems;')) };
  e.session = await login(e.url, 'office');
  log(`${name}: ${server.url}, demo built in ${built.toFixed(0)} s, ${e.problems} problems`);
  return e;
}

// A route's counters on the server's /metrics: answers, seconds in the handler,
// seconds of it in the database (src/http/metrics.c).
async function routeTimes(url, route) {
  const t = await (await fetch(url + '/metrics')).text();
  const v = (m) => Number(t.match(new RegExp(`^${m}\\{route="${route}"\\} (\\S+)$`, 'm'))?.[1] || 0);
  return { n: v('wenming_request_duration_seconds_count'), handler: v('wenming_request_duration_seconds_sum'),
    db: v('wenming_db_duration_seconds_sum') };
}

// Runs one measured load (wrk) and adds, per answered request, the handler's
// and the database's milliseconds from /metrics and, on PostgreSQL, xacts: the
// database's transactions (every statement outside BEGIN is one) from
// pg_stat_database. A backend publishes its counts at most once a second, so
// the last second of the warm-up and of the load are counted late; the two
// roughly cancel (same load), and the figure is approximate.
async function measure(e, route, load) {
  const q = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database();";
  const m0 = await routeTimes(e.url, route), x0 = e.pg ? Number(e.one(q)) : null;
  const w = load();
  const m1 = await routeTimes(e.url, route), x1 = e.pg ? Number(e.one(q)) : null;
  const n = m1.n - m0.n;
  return { ...w, handlerMs: (1000 * (m1.handler - m0.handler)) / n, dbMs: (1000 * (m1.db - m0.db)) / n,
    xacts: e.pg ? (x1 - x0 - 1) / w.requests : null };
}

// The read load on one engine: returns wrk's figures and the median answer size.
async function readLoad(e) {
  const all = e.query('SELECT id FROM problems ORDER BY id;').map(Number);
  const ids = Array.from({ length: 1000 }, (_, k) => all[Number((BigInt(seed) * 7919n + BigInt(k) * 2654435761n) % BigInt(all.length))]);
  const sizes = [];
  for (const id of ids.slice(0, 50)) {
    const r = await fetch(`${e.url}/api/v1/problems/${id}`, { headers: { cookie: e.session.cookie } });
    const b = await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${e.name}: GET /api/v1/problems/${id} → ${r.status}`);
    if (r.headers.get('connection') === 'close') throw new Error(`${e.name}: the server answers Connection: close`);
    sizes.push(b.byteLength);
  }
  sizes.sort((a, b) => a - b);
  const script = wrkScript(e.dir, 'read.lua', { headers: { Cookie: e.session.cookie }, paths: ids.map((id) => `/api/v1/problems/${id}`) });
  wrk(e.url + '/', { secs: 2, script });
  const w = await measure(e, 'problems_get', () => wrk(e.url + '/', { secs, script }));
  log(`${e.name}: read ${fmt(w.rps)} req/s, p50 ${fmt(w.p50)} ms, p99 ${fmt(w.p99)} ms`);
  return { ...w, size: sizes[sizes.length >> 1] };
}

// The report load on one engine; every answer counted by wrk must be a stored problem.
async function reportLoad(e) {
  const lua = reportScript(e.dir, e.session.token, e.org);
  const count = () => Number(e.one('SELECT count(*) FROM problems;'));
  wrk(e.url + '/', { conns: 16, secs: Math.min(2, secs), script: lua });
  const before = count();
  const w = await measure(e, 'problems_create', () => wrk(e.url + '/', { conns: 16, secs, script: lua }));
  const stored = count() - before;
  if (stored < w.requests) throw new Error(`${e.name}: wrk counted ${w.requests} answers but only ${stored} new problems are stored`);
  log(`${e.name}: report ${fmt(w.rps)} /s, p50 ${fmt(w.p50)} ms, p99 ${fmt(w.p99)} ms (${stored} stored)`);
  return w;
}

// Raw SQLite in C, the same rows per report (bench/ref_insert.c), one thread.
function sqliteRef(e) {
  const exe = compile(repoRoot, work, 'ref_insert');
  const n = Math.max(500, secs * 1000);
  const [rps, p50, p99] = execFileSync(exe, [join(e.dir, 'wenming.db'), String(n), e.org, e.cat, e.acct], { encoding: 'utf8' })
    .trim().split(' ').map(Number);
  log(`raw SQLite: ${fmt(rps)} /s, p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms`);
  return { rps, p50, p99 };
}

// Raw PostgreSQL through pgbench (bench/ref_insert_pg.sql), one client, prepared statements.
function pgRef(e, url) {
  const now = Math.floor(Date.now() / 1000), day = Math.floor((now + 8 * 3600) / 86400);
  const d = new Date((now + 8 * 3600) * 1000);
  const vars = { org: e.org, cat: e.cat, acct: e.acct, now, day, month: d.getUTCFullYear() * 100 + d.getUTCMonth() + 1,
    year: d.getUTCFullYear(), at: new Date(now * 1000).toISOString().slice(0, 19) + 'Z' };
  const dir = join(work, 'pgbench');
  execFileSync('mkdir', ['-p', dir]);
  const pgbench = process.env.WENMING_PG_BIN ? join(process.env.WENMING_PG_BIN, 'pgbench') : '/usr/lib/postgresql/15/bin/pgbench';
  const out = execFileSync(pgbench, ['-n', '-M', 'prepared', '-c', '1', '-T', String(secs), '-f', join(repoRoot, 'bench/ref_insert_pg.sql'),
    ...Object.entries(vars).flatMap(([k, v]) => ['-D', `${k}=${v}`]), '--log', `--log-prefix=${join(dir, 'tx')}`, url],
  { encoding: 'utf8', cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const failed = Number(out.match(/number of failed transactions: (\d+)/)?.[1] || 0);
  if (failed) throw new Error(`pgbench: ${failed} failed transactions\n${out}`);
  const lat = readdirSync(dir).filter((f) => f.startsWith('tx')).flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'))
    .map((l) => Number(l.split(' ')[2]) / 1000).sort((a, b) => a - b);
  const rps = Number(out.match(/tps = ([\d.]+)/)[1]);
  const r = { rps, p50: lat[lat.length >> 1], p99: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] };
  log(`raw PostgreSQL: ${fmt(r.rps)} /s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms`);
  return r;
}

// The table: one row per metric, SQLite and PostgreSQL, their ratio, and each against its reference.
function table(rows, head) {
  const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b ? `${ratioFmt(a / b)}×` : '—');
  const u = (x, unit) => (x === null || x === undefined ? '—' : `${fmt(x)}${unit ? ' ' + unit : ''}`);
  const lines = [...head, '', '| load | metric | SQLite | PostgreSQL | PG ÷ SQLite | reference | SQLite ÷ ref | PG ÷ ref | better |',
    '|---|---|---:|---:|---:|---|---:|---:|---|'];
  for (const r of rows) {
    const ref = r.refs.map((x) => `${x.name}: ${u(x.value, r.unit)}`).join('; ') || '—';
    const [rs, rp] = r.refs.length === 2 ? [r.refs[0].value, r.refs[1].value] : [r.refs[0]?.value, r.refs[0]?.value];
    lines.push(`| ${r.load} | ${r.metric} | ${u(r.sqlite, r.unit)} | ${u(r.pg, r.unit)} | ${ratio(r.pg, r.sqlite)} | ${ref} | ` +
      `${ratio(r.sqlite, rs)} | ${ratio(r.pg, rp)} | ${r.better} |`);
  }
  return lines.join('\n');
}

async function main() {
  const m = machine(repoRoot);
  const before = { busy: cpuBusy(), load: loadavg()[0].toFixed(2), others: otherWork() };
  log(`machine: ${m.cpu}, ${m.cores} cores; before the run: CPU ${before.busy} % busy, load ${before.load}`);
  // PostgreSQL failing to start (or a load failing on it) still prints SQLite's
  // figures; the run then exits 1 with the reason.
  let pgFailure = null;
  const onPg = async (f) => {
    if (pgFailure) return {};
    try { return await f(); } catch (e) { pgFailure = e; log(`PostgreSQL: ${e.message}`); return {}; }
  };
  const pg = await onPg(pgDatabase);
  const sq = await startEngine('SQLite', [], (t) => sql(join(work, 'sqlite', 'wenming.db'), t));
  const pe = await onPg(() => startEngine('PostgreSQL', ['--database', pg.url], (t) => psql(pg.url, t), true));
  const pgSettings = await onPg(() => psql(pg.url, "SELECT current_setting('server_version') || '|' || current_setting('shared_buffers')" +
    " || '|' || current_setting('synchronous_commit') || '|' || current_setting('fsync');")[0].split('|'));
  const r = { sqlite: await readLoad(sq), pg: await onPg(() => readLoad(pe)) };
  const nginx = await nginxStatic(join(work, 'nginx'), r.sqlite.size, { secs, headers: { Cookie: sq.session.cookie } });
  log(`nginx: ${fmt(nginx.rps)} req/s, p50 ${fmt(nginx.p50)} ms, p99 ${fmt(nginx.p99)} ms`);
  const w = { sqlite: await reportLoad(sq), pg: await onPg(() => reportLoad(pe)) };
  const ref = { sqlite: sqliteRef(sq), pg: await onPg(() => pgRef(pe, pg.url)) };
  const rss = { sqlite: peakRss(sq.server.pid), pg: pe.server ? peakRss(pe.server.pid) : null };
  const after = { busy: cpuBusy(), load: loadavg()[0].toFixed(2), others: otherWork() };
  const ng = { name: `nginx static ${r.sqlite.size} B file` };
  const rawS = { name: 'raw SQLite in C (ref_insert.c), 1 thread' }, rawP = { name: 'raw PostgreSQL (pgbench, ref_insert_pg.sql), 1 client' };
  const size = !r.pg.size || r.pg.size === r.sqlite.size ? `${r.sqlite.size} B` : `${r.sqlite.size} B (PostgreSQL ${r.pg.size} B)`;
  const rows = [
    ...[['requests/s', 'rps', 'req/s', 'higher'], ['p50 latency', 'p50', 'ms', 'lower'], ['p99 latency', 'p99', 'ms', 'lower']].map(([metric, k, unit, better], i) =>
      ({ load: i ? 'read' : `read: GET /api/v1/problems/{id}, ${size}, 64 conns`, metric, unit, better, sqlite: r.sqlite[k], pg: r.pg[k],
        refs: [{ ...ng, value: nginx[k] }] })),
    ...[['reports/s', 'rps', '/s', 'higher'], ['p50 latency', 'p50', 'ms', 'lower'], ['p99 latency', 'p99', 'ms', 'lower']].map(([metric, k, unit, better], i) =>
      ({ load: i ? 'report' : 'report: POST /api/v1/problems, 16 clients', metric, unit, better, sqlite: w.sqlite[k], pg: w.pg[k],
        refs: [{ ...rawS, value: ref.sqlite[k] }, { ...rawP, value: ref.pg[k] }] })),
    ...[['read', r, 'problems_get'], ['report', w, 'problems_create']].flatMap(([load, x, route]) => [
      { load, metric: `time in the handler per answer (/metrics, route ${route})`, unit: 'ms', better: 'lower',
        sqlite: x.sqlite.handlerMs, pg: x.pg.handlerMs, refs: [] },
      { load, metric: 'of which in the database', unit: 'ms', better: 'lower', sqlite: x.sqlite.dbMs, pg: x.pg.dbMs, refs: [] },
      { load, metric: 'PostgreSQL transactions per answer (about; every statement outside BEGIN is one)', unit: '', better: 'lower',
        sqlite: null, pg: x.pg.xacts, refs: [] }]),
    { load: 'server', metric: 'peak RSS of wenming (VmHWM; PostgreSQL\'s own processes not counted)', unit: 'MiB', better: 'lower',
      sqlite: rss.sqlite, pg: rss.pg, refs: [] },
    { load: 'server', metric: `wenming demo --people ${people}: street built and listening`, unit: 's', better: 'lower',
      sqlite: sq.built, pg: pe.built, refs: [] },
  ];
  const head = [`### SQLite and PostgreSQL side by side, demo street, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`, '',
    `- Data: the demo street on both engines (\`wenming demo --people ${people}\`: ${sq.problems} problems on SQLite, ${pe.problems ?? '—'} on` +
    ' PostgreSQL) — not the generated scale datasets of `bench/run.mjs`, which are SQLite files; do not compare with those tables.',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.ram} RAM, ${m.kernel}; build \`${m.buildtype}\`.`,
    `- SQLite ${m.sqlite}, \`${m.durability}\` (a commit survives a crash of the process, not of the OS).`,
    `- PostgreSQL ${(pgSettings[0] || '?').split(' ')[0]} on the same machine over loopback TCP, ${pg.note || '?'}; shared_buffers` +
    ` ${pgSettings[1] || '?'}, synchronous_commit ${pgSettings[2] || '?'}, fsync ${pgSettings[3] || '?'} (with both on, a commit survives an OS crash).`,
    `- ${secs} s per measured run after 2 s of warm-up; the engines take turns, then the reference.`,
    `- Other work on the machine: before the run CPU ${before.busy} % busy, load ${before.load}${before.others ? ` (${before.others})` : ''};` +
    ` after it CPU ${after.busy} % busy, load ${after.load}${after.others ? ` (${after.others})` : ''}. The run took ${((Date.now() - t0) / 1000).toFixed(0)} s.`,
    '- PG ÷ SQLite and X ÷ ref are plain ratios of the figures; the last column says which way is better.'];
  if (pgFailure) head.push(`- **PostgreSQL failed**: ${String(pgFailure.message).split('\n')[0]}`);
  console.log('\n' + table(rows, head));
  if (pgFailure) throw pgFailure;
}

async function cleanUp() {
  for (const c of cleanups.splice(0)) {
    try { await c(); } catch (e) { log(`cleanup: ${e.message}`); }
  }
}
// Interrupted: still stop the servers, drop the database and stop the cluster
// (the cluster's postmaster is not in this process group and would outlive us).
for (const sig of ['SIGINT', 'SIGTERM'])
  process.once(sig, async () => { log(`${sig}: cleaning up (files in ${work})`); await cleanUp(); process.exit(130); });

let code = 0;
try {
  await main();
} catch (e) {
  log(`FAILED: ${e.stack || e}`);
  log(`files kept in ${work}`);
  code = 1;
} finally {
  await cleanUp();
  if (!code) rmSync(work, { recursive: true, force: true });
}
process.exit(code);
