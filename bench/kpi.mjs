// Benchmark: the KPI endpoints (docs/KPI.md) over a large generated history,
// against the naive GROUP BY over the raw tables for the same figures,
// measured in the same run. Usage:
//   node bench/kpi.mjs [--n 1000000] [--requests 40] [--ref-runs 3] [--seed 20260714]
//   node bench/kpi.mjs --n 10000000 --ref-runs 0   (the SPEC's 10 million: see docs/PERFORMANCE.md for time and size;
//                                                   --ref-runs 0 times no reference but still checks the 3-year totals)
// Steps: a demo database; N problems with their events straight into SQLite
// (bench/gen_kpi.sql, fixed seed); the roll-ups built by the backfill section
// of schema/sqlite/008_kpi.sql (the same SQL the migration runs); ANALYZE;
// then the server, one request at a time (latency, not throughput), and the
// reference queries in the sqlite3 shell (.timer). The 3-year totals of the
// API are compared with the reference's, so fast-but-wrong fails the run.
// Needs sqlite3 (Debian package) and build/wenming.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, readFileSync, statSync, existsSync, openSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('n', 1000000);
const REQS = arg('requests', 40);
const REF_RUNS = arg('ref-runs', 3);
const SEED = arg('seed', 20260714);
const NCOMM = Math.max(50, Math.round(N / 2000));	// a street has ~50; a city thousands
const NUNIT = Math.max(20, Math.round(NCOMM / 2));
const bin = process.env.WENMING_BIN || 'build/wenming';
const dir = process.env.WENMING_BENCH_DIR || mkdtempSync(join(tmpdir(), 'wenming-kpi-bench-'));
mkdirSync(dir, { recursive: true });
const db = join(dir, 'wenming.db');
const log = (m) => process.stderr.write(`# ${m}\n`);
const tEnd = Math.floor(Date.now() / 1000);

function start(args) {
  // the server's log goes to DIR/server.log (kept when the run fails)
  // and its scheduler is off (no reminders written while measuring).
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', openSync(join(dir, 'server.log'), 'a')],
    env: { ...process.env, WENMING_TICK_SECONDS: '0' } });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { child.stdout.resume(); resolve({ child, url: m[1] }); }
    });
    child.on('exit', (c) => reject(new Error('server exited ' + c)));
  });
}
async function stop(s) { const d = new Promise((r) => s.child.on('exit', r)); s.child.kill('SIGTERM'); await d; }
const sqlite = (input) => execFileSync('sqlite3', [db], { input, maxBuffer: 1 << 28 }).toString();
const timed = (f) => { const t = Date.now(); const v = f(); return [v, (Date.now() - t) / 1000]; };

// 1. Demo database (accounts, categories, the street), then the history.
// WENMING_BENCH_DIR with a database generated before: measured again as it is.
const reuse = process.env.WENMING_BENCH_DIR && existsSync(db);
let genSecs = 0, backfillSecs = 0, analyzeSecs = 0, s;
if (!reuse) {
  log(`demo database in ${dir}`);
  s = await start(['demo', '--data', dir, '--listen', '127.0.0.1:0', '--people', '50']);
  await stop(s);
  log(`generating ${N} problems in ${NCOMM} communities, ${NUNIT} units (seed ${SEED})`);
  [, genSecs] = timed(() => sqlite(`CREATE TEMP TABLE bp AS SELECT ${N} AS n, ${SEED} AS seed, ${tEnd} AS t_end,
  ${NCOMM} AS ncomm, ${NUNIT} AS nunit;\n` + readFileSync(new URL('./gen_kpi.sql', import.meta.url), 'utf8')));
  const migration = readFileSync(new URL('../schema/sqlite/008_kpi.sql', import.meta.url), 'utf8');
  const backfill = migration.slice(migration.indexOf('-- backfill:begin'), migration.indexOf('-- backfill:end'));
  log('building the roll-ups (008_kpi.sql backfill)');
  [, backfillSecs] = timed(() => sqlite(`PRAGMA cache_size = -1000000;\nBEGIN;\n${backfill}\nCOMMIT;\n`));
  [, analyzeSecs] = timed(() => sqlite('ANALYZE;'));
}
const counts = Object.fromEntries(sqlite(`SELECT 'problems', count(*) FROM problems; SELECT 'events', count(*) FROM problem_events;
  SELECT 'kpi_day', count(*) FROM kpi_day; SELECT 'kpi_month', count(*) FROM kpi_month; SELECT 'kpi_state', count(*) FROM kpi_state;
  SELECT 'kpi_org_day', count(*) FROM kpi_org_day; SELECT 'kpi_org_month', count(*) FROM kpi_org_month;`)
  .trim().split('\n').map((l) => l.split('|')).map(([k, v]) => [k, Number(v)]));
const dbBytes = statSync(db).size;

// 2. The server.
s = await start(['serve', '--data', dir, '--listen', '127.0.0.1:0']);
const N_REAL = counts.problems;
const login = async (who) => (await (await fetch(s.url + '/api/v1/session', {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ login: who, password: 'wenming-demo' }) })).json()).token;
const tok = { admin: await login('admin'), office: await login('office'), committee: await login('committee') };
const day = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);
const today = day(tEnd);
const monthStart = today.slice(0, 8) + '01';
const lastMonthEnd = day(Date.parse(monthStart + 'T00:00:00+08:00') / 1000 - 86400);
const lastMonthStart = lastMonthEnd.slice(0, 8) + '01';
const yearFrom = day(tEnd - 364 * 86400);
const threeFrom = day(tEnd - 1095 * 86400);
const street = sqlite("SELECT id || '|' || path FROM orgs WHERE kind = 'street' ORDER BY id LIMIT 1;").trim().split('|');

async function measure(path, token) {
  const lat = [];
  let body = null;
  for (let i = 0; i < REQS; i++) {
    const get = () => fetch(s.url + path, { headers: token ? { authorization: 'Bearer ' + token } : {} });
    // The first request after a long reference run may find its kept-alive
    // connection closed by the server's 30 s idle timeout: warm up first.
    for (let tries = 0; i === 0 && tries < 8; tries++) {
      try { await (await get()).text(); break; } catch { /* a stale pooled connection: dropped, try the next */ }
    }
    const t = process.hrtime.bigint();
    const r = await get();
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${path} → ${r.status} ${text.slice(0, 200)}`);
    lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    body = text;
  }
  lat.sort((a, b) => a - b);
  return { p50: lat[Math.floor(lat.length * 0.5)], p99: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))], body };
}

// The naive reference: the same figures straight from problems and problem_events.
const secs = (d) => Date.parse(d + 'T00:00:00+08:00') / 1000;
function naive(from, to, groupExpr, orgFilter = '') {
  const a = secs(from), b = secs(to) + 86400;
  return `SELECT ${groupExpr} AS g, sum(created_at >= ${a} AND created_at < ${b}),
  sum(accepted_at >= ${a} AND accepted_at < ${b} AND state <> 'merged'),
  sum(state = 'closed' AND closed_at >= ${a} AND closed_at < ${b}),
  sum(CASE WHEN state = 'closed' AND closed_at >= ${a} AND closed_at < ${b} THEN closed_at - created_at ELSE 0 END),
  sum(deadline >= ${a} AND deadline < ${b} AND state NOT IN ('merged', 'rejected')),
  sum(deadline >= ${a} AND deadline < ${b} AND state = 'closed' AND closed_at <= deadline)
FROM problems p WHERE 1 ${orgFilter} GROUP BY 1;
SELECT ${groupExpr} AS g, sum(e.to_state = 'rectified'), sum(e.from_state = 'rectified' AND e.to_state = 'acknowledged'),
  sum(e.from_state = 'closed' AND e.to_state = 'reopened' AND e.action <> 'citizen_reopen'),
  sum(e.action = 'rate' AND json_extract(e.data, '$.rating') = 'satisfied'),
  sum(e.action = 'rate' AND json_extract(e.data, '$.rating') = 'basically_satisfied'),
  sum(e.action = 'rate' AND json_extract(e.data, '$.rating') = 'dissatisfied')
FROM problem_events e JOIN problems p ON p.id = e.problem_id WHERE e.at >= ${a} AND e.at < ${b} ${orgFilter} GROUP BY 1;`;
}
function reference(sql, nRuns = REF_RUNS) {
  const out = sqlite(`.timer on\n${Array(nRuns).fill(sql).join('\n')}\n`);
  const times = [...out.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
  // two statements per run
  const runs = [];
  for (let i = 0; i + 1 < times.length; i += 2) runs.push(times[i] + times[i + 1]);
  runs.sort((x, y) => x - y);
  const rows = out.split('\n').filter((l) => l.includes('|') && !l.startsWith('Run Time'));
  return { p50: runs[Math.floor(runs.length / 2)], p99: runs[runs.length - 1], rows };
}

const under = `AND p.org_id IN (SELECT id FROM orgs WHERE path >= '${street[1]}' AND path < '${street[1]}~')`;
const scenarios = [
  ['reference: GET /healthz (HTTP floor)', '/healthz', null, null],
  ['office, last month, street totals', `/api/v1/kpis?from=${lastMonthStart}&to=${lastMonthEnd}`, 'office', naive(lastMonthStart, lastMonthEnd, '0', under)],
  ['office, 12 months, by community', `/api/v1/kpis?from=${yearFrom}&to=${today}&group_by=community`, 'office', naive(yearFrom, today, 'p.org_id', under)],
  ['office, 12 months, by handler unit', `/api/v1/kpis?from=${yearFrom}&to=${today}&group_by=handler`, 'office', naive(yearFrom, today, 'p.handler_org_id', under)],
  ['office, 12 months, by category', `/api/v1/kpis?from=${yearFrom}&to=${today}&group_by=category`, 'office', naive(yearFrom, today, 'p.category_id', under)],
  ['admin, 3 years, totals', `/api/v1/kpis?from=${threeFrom}&to=${today}`, 'admin', naive(threeFrom, today, '0')],
  ['committee (one 居委), 12 months', `/api/v1/kpis?from=${yearFrom}&to=${today}`, 'committee', null],
  ['office, trend by month, 12 months', `/api/v1/kpis/trend?from=${yearFrom}&to=${today}&interval=month`, 'office', null],
  ['office, trend by week, 12 months', `/api/v1/kpis/trend?from=${yearFrom}&to=${today}&interval=week`, 'office', null],
  ['office, trend by day, this month', `/api/v1/kpis/trend?from=${monthStart}&to=${today}&interval=day`, 'office', null],
  ['office, current states + overdue', '/api/v1/kpis/states', 'office', null],
  ['office, ranking of communities, 12 months', `/api/v1/rankings?from=${yearFrom}&to=${today}&kind=community`, 'office', null],
];
const rows = [];
let verdict = 'ok';
for (const [name, path, who, ref] of scenarios) {
  log(name);
  const m = await measure(path, who ? tok[who] : null);
  // --ref-runs 0: no timed references, but the 3-year totals are still checked once
  const guard = name.startsWith('admin, 3 years');
  const r = ref && (REF_RUNS > 0 || guard) ? reference(ref, Math.max(REF_RUNS, 1)) : null;
  rows.push([name, m, r]);
  if (guard) {
    // fast-but-wrong guard: the API's totals equal the reference's
    const t = JSON.parse(m.body).totals;
    const [a, b] = r.rows.slice(0, 2).map((l) => l.split('|').map(Number));
    const want = [a[1], a[2], a[3], a[5], a[6], b[1], b[2], b[3], b[4], b[5], b[6]];
    const got = [t.reported, t.accepted, t.closed, t.due, t.closed_on_time, t.rectifications, t.reworks, t.relapses,
      t.ratings.satisfied, t.ratings.basic, t.ratings.dissatisfied];
    if (JSON.stringify(want) !== JSON.stringify(got)) verdict = `MISMATCH api ${JSON.stringify(got)} ≠ raw ${JSON.stringify(want)}`;
  }
}
await stop(s);
if (!process.env.WENMING_BENCH_DIR) rmSync(dir, { recursive: true, force: true });

const ms = (x) => (x === undefined || x === null ? '—' : x.toFixed(x < 10 ? 2 : 1));
console.log(`\nKPIs over ${N_REAL.toLocaleString()} problems (${counts.events.toLocaleString()} events) in ${NCOMM} communities and ${NUNIT} units;`);
console.log(`generated in ${genSecs.toFixed(0)} s, roll-ups built in ${backfillSecs.toFixed(0)} s (ANALYZE ${analyzeSecs.toFixed(0)} s); ` +
  `database ${(dbBytes / 2 ** 30).toFixed(2)} GiB; rows: kpi_day ${counts.kpi_day.toLocaleString()}, kpi_month ${counts.kpi_month.toLocaleString()}, ` +
  `kpi_org_day ${counts.kpi_org_day.toLocaleString()}, kpi_org_month ${counts.kpi_org_month.toLocaleString()}, kpi_state ${counts.kpi_state.toLocaleString()};`);
console.log(`${REQS} sequential requests per row, reference ${REF_RUNS} runs in the sqlite3 shell; ${cpus().length} cores, ` +
  `${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${cpus()[0].model}; 3-year totals API = raw: ${verdict}`);
console.log('| scenario | API p50 ms | API p99 ms | naive SQL p50 ms | naive SQL max ms | naive ÷ API (p50) |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, m, r] of rows)
  console.log(`| ${name} | ${ms(m.p50)} | ${ms(m.p99)} | ${r ? ms(r.p50) : '—'} | ${r ? ms(r.p99) : '—'} | ${r ? (r.p50 / m.p50).toFixed(1) + '×' : '—'} |`);
if (verdict !== 'ok') process.exit(1);
