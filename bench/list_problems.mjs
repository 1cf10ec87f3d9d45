// Benchmark: filtered, paginated problem lists over a large generated table,
// against GET /healthz on the same server as the reference (the HTTP floor of
// this machine in the same run). Usage:
//   node bench/list_problems.mjs [N=1000000] [requests per scenario=400]
// Prints one table: p50/p99 latency (ms) per scenario and the ratio to the
// reference. Needs sqlite3 (Debian package) and build/wenming.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { BENCH_ENV } from './lib.mjs';

const N = Number(process.argv[2] || 1000000);
const REQS = Number(process.argv[3] || 400);
const bin = process.env.WENMING_BIN || 'build/wenming';
const dir = mkdtempSync(join(tmpdir(), 'wenming-bench-'));

function start(args) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...BENCH_ENV } });
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

// 1. A demo database, then N synthetic problems straight into SQLite.
let s = await start(['demo', '--data', dir, '--listen', '127.0.0.1:0', '--people', '200']);
await stop(s);
const t0 = Date.now();
execFileSync('sqlite3', [join(dir, 'wenming.db')], {
  input: `CREATE TEMP TABLE bench_n(value INTEGER); INSERT INTO bench_n VALUES (${N});\n` +
    readFileSync(new URL('./gen_problems.sql', import.meta.url), 'utf8') + '\nANALYZE;\n',
});
const genSecs = (Date.now() - t0) / 1000;
s = await start(['serve', '--data', dir, '--listen', '127.0.0.1:0']);
const login = async (who) => (await (await fetch(s.url + '/api/v1/session', {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ login: who, password: 'wenming-demo' }) })).json()).token;
const office = await login('office'), committee = await login('committee');
const orgs = await (await fetch(s.url + '/api/v1/orgs?kind=community&limit=1',
  { headers: { authorization: 'Bearer ' + office } })).json();
const comm = orgs.items[0].id;

async function measure(path, token, concurrency = 8) {
  const lat = [];
  let next = 0, bytes = 0;
  const worker = async () => {
    while (next < REQS) {
      next++;
      const t = process.hrtime.bigint();
      const r = await fetch(s.url + path, { headers: token ? { authorization: 'Bearer ' + token } : {} });
      const b = await r.arrayBuffer();
      if (r.status !== 200) throw new Error(path + ' → ' + r.status);
      bytes = b.byteLength;
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
  const t = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  lat.sort((a, b) => a - b);
  return { p50: lat[Math.floor(lat.length * 0.5)], p99: lat[Math.floor(lat.length * 0.99)],
    rps: REQS / ((Date.now() - t) / 1000), bytes };
}

const scenarios = [
  ['reference: GET /healthz', '/healthz', null],
  ['office: newest 50', '/api/v1/problems?limit=50', office],
  ['office: state=dispatched,acknowledged', '/api/v1/problems?limit=50&state=dispatched,acknowledged', office],
  ['office: one community', `/api/v1/problems?limit=50&org_id=${comm}`, office],
  ['office: overdue', '/api/v1/problems?limit=50&overdue=true', office],
  ['committee (scoped): newest 50', '/api/v1/problems?limit=50', committee],
  ['office: category C0301 (rare)', '/api/v1/problems?limit=50&category=C0301', office],
];
const rows = [];
for (const [name, path, tok] of scenarios) rows.push([name, await measure(path, tok)]);
await stop(s);
rmSync(dir, { recursive: true, force: true });

const ref = rows[0][1];
console.log(`\nproblem lists over ${N.toLocaleString()} problems (generated in ${genSecs.toFixed(1)} s); ` +
  `${REQS} requests per row, 8 concurrent; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${cpus()[0].model}`);
console.log('| scenario | p50 ms | p99 ms | req/s | p50 ÷ reference |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, m] of rows)
  console.log(`| ${name} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${m.rps.toFixed(0)} | ${(m.p50 / ref.p50).toFixed(1)} |`);
