// soak.test.mjs — leaks of memory and file descriptors under mixed traffic
// (SPEC §14, issue 8). Bounded: WENMING_SOAK_SECONDS (default 60) of load.
//
// Its own server (`wenming demo` on a private data dir, scheduler off), and
// several clients sending realistic traffic at once: reads, lists followed by
// cursor, search, writes (reports, love-bank awards), photo uploads, xlsx /
// csv / pdf / iCalendar exports, bad requests; over keep-alive and fresh
// connections; slow clients (headers dribbled over a second) and aborted ones
// (half a request, half a body, or hanging up in the middle of an export).
//
// Sampled every 500 ms from /proc/PID: VmRSS, RssAnon and the number of open
// descriptors (/proc/PID/fd). The run is: warm-up (a quarter of the time, at
// least 10 s) → idle → fd baseline → main load → idle → checks:
//   - descriptors: once every client has hung up, the count must come back to
//     the baseline + 4 within 10 s (FD_MARGIN) (an fd leaked per request, per upload or per
//     export would be hundreds over thousands of requests);
//   - memory: the median RssAnon of the last third of the main load may exceed
//     the median of the middle third by at most max(8 MiB, 10 %). RssAnon, not
//     VmRSS: the database is mmap'ed (PRAGMA mmap_size, 256 MiB) and the file
//     pages it touches count in VmRSS (RssFile) and grow with the database
//     itself, which is not a leak. The allowance covers the SQLite page caches
//     (16 MB per connection, cache_size=-16000) still filling with the pages the
//     writes add, and malloc arenas settling; a leak of 1 KiB per request at
//     the few hundred requests per second of this test grows ~10 MiB per 30 s.
//     The middle third is compared, not the first, because the first third
//     after the warm-up still includes caches filling.
// No 5xx may be answered, the server must not die, and /healthz must answer at
// the end.
//
// Run it longer: WENMING_SOAK_SECONDS=900 WENMING_BIN=build/wenming \
//   node --test tests/api/soak.test.mjs   (docs/TESTING.md)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, PASSWORD, makePng, testDatabase, serverArgs } from './harness.mjs';

const SECONDS = Math.max(20, Number(process.env.WENMING_SOAK_SECONDS || 60));
const WARMUP = Math.max(10, Math.round(SECONDS / 4));
const CLIENTS = Number(process.env.WENMING_SOAK_CLIENTS || 6);
// Each worker thread opens its database connection lazily (wenming.db and its
// -wal: 2 descriptors); a thread first busy after the baseline adds 2, two add 4.
const FD_MARGIN = 4;
const RSS_MIN_ALLOW_KB = 4 * 1024;
const RSS_FRACTION = 0.04;

const root = mkdtempSync(join(tmpdir(), 'wenming-soak-'));
let child = null;
const db = testDatabase();	// on PostgreSQL (WENMING_TEST_PG) a database of its own
after(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
  db.drop();
});

function startServer() {
  child = spawn(binPath(), ['demo', ...serverArgs(join(root, 'data'), db), '--listen', '127.0.0.1:0', '--people', '300'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WENMING_TICK_SECONDS: '0' } });
  let err = '';
  child.stderr.on('data', (d) => { err = (err + d).slice(-16000); });
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  const url = new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`no listening line\n${out}\n${err}`)); }, 240000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(timer); child.stdout.resume(); res(m[1]); }
    });
    exited.then((e) => { clearTimeout(timer); rej(new Error(`exited before listening ${JSON.stringify(e)}\n${out}\n${err}`)); });
  });
  return { url, exited, stderr: () => err };
}

// ---- /proc sampling -----------------------------------------------------------
function sample(pid) {
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((st.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm')) || [])[1] || 0);
  return { t: Date.now(), rss: kb('VmRSS'), anon: kb('RssAnon'), fds: readdirSync(`/proc/${pid}/fd`).length };
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : 0; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// What the open descriptors are ("socket" ×12, "/tmp/…/wenming.db", …), for the failure message.
function fdList(pid) {
  const by = {};
  for (const f of readdirSync(`/proc/${pid}/fd`)) {
    let t;
    try { t = readlinkSync(`/proc/${pid}/fd/${f}`).replace(/:\[\d+\]$/, '').replace(root, 'DATA'); } catch { continue; }
    by[t] = (by[t] || 0) + 1;
  }
  return Object.entries(by).map(([k, v]) => `${k} ×${v}`).join(', ');
}

// ---- HTTP ----------------------------------------------------------------------
let BASE, HOST, PORT;
// One request over node:http. agent: a keep-alive agent, or false for a fresh
// connection (Connection: close). Resolves {status, body(Buffer), json}.
function request(agent, method, path, { token, body, ctype, abortAfterBytes } = {}) {
  return new Promise((resolve, reject) => {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    let data = null;
    if (body !== undefined) {
      data = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      headers['Content-Type'] = ctype || 'application/json';
      headers['Content-Length'] = String(data.length);
    }
    if (!agent) headers.Connection = 'close';
    const req = http.request({ host: HOST, port: PORT, method, path, headers, agent }, (res) => {
      const parts = [];
      let n = 0;
      res.on('data', (d) => {
        parts.push(d);
        n += d.length;
        if (abortAfterBytes && n >= abortAfterBytes) { req.destroy(); resolve({ status: res.statusCode, aborted: true }); }
      });
      res.on('end', () => {
        const b = Buffer.concat(parts);
        let json = null;
        if (/json/.test(res.headers['content-type'] || '')) try { json = JSON.parse(b.toString()); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, body: b, json, headers: res.headers });
      });
      res.on('error', (e) => (abortAfterBytes ? resolve({ status: res.statusCode, aborted: true }) : reject(e)));
    });
    req.setTimeout(30000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', (e) => (abortAfterBytes ? resolve({ status: 0, aborted: true }) : reject(e)));
    if (data) req.write(data);
    req.end();
  });
}

// Raw socket clients: slow, and hanging up half-way.
function rawClient(bytes, { delayMs = 0, pieces = 1, hangUp = false } = {}) {
  return new Promise((resolve) => {
    const s = net.connect({ host: HOST, port: PORT });
    let got = '';
    const done = (r) => { s.destroy(); resolve(r); };
    s.setTimeout(30000, () => done({ status: 0, timeout: true }));
    s.on('error', () => done({ status: 0 }));
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('close', () => resolve({ status: Number((got.match(/^HTTP\/1\.1 (\d{3})/) || [])[1] || 0) }));
    s.on('connect', async () => {
      const step = Math.ceil(bytes.length / pieces);
      for (let i = 0; i < bytes.length && !s.destroyed; i += step) {
        s.write(bytes.subarray(i, i + step));
        if (delayMs) await sleep(delayMs);
      }
      if (hangUp) done({ status: 0, hungUp: true });
    });
  });
}

// ---- the traffic -----------------------------------------------------------------
const stats = { requests: 0, byKind: {}, fiveXX: [], errors: [], unexpected: [] };
function note(kind, r, ok) {
  stats.requests++;
  stats.byKind[kind] = (stats.byKind[kind] || 0) + 1;
  if (r.status >= 500) stats.fiveXX.push(`${kind}: ${r.status} ${r.body ? r.body.toString().slice(0, 200) : ''}`);
  else if (ok && !ok(r.status) && stats.unexpected.length < 20) stats.unexpected.push(`${kind}: ${r.status} ${r.body ? r.body.toString().slice(0, 200) : ''}`);
}

let S, env;
let seq = 0;
const ok2 = (s) => s >= 200 && s < 300;
const ok4 = (s) => s >= 400 && s < 500;

// [weight, kind, fn(agent)] — fn returns a promise of {status}.
const MIX = [
  [12, 'read problem', (a) => request(a, 'GET', `/api/v1/problems/${env.problems[seq % env.problems.length]}`, { token: S.admin.token }), ok2],
  [8, 'list orgs', (a) => request(a, 'GET', '/api/v1/orgs?limit=50', { token: S.office.token }), ok2],
  [6, 'list + cursor', async (a) => {
    const r = await request(a, 'GET', '/api/v1/problems?limit=20', { token: S.office.token });
    if (r.status !== 200 || !r.json?.next_cursor) return r;
    return request(a, 'GET', `/api/v1/problems?limit=20&cursor=${encodeURIComponent(r.json.next_cursor)}`, { token: S.office.token });
  }, ok2],
  [6, 'people search', (a) => request(a, 'GET', `/api/v1/people?q=${encodeURIComponent('张')}&limit=20`, { token: S.office.token }), ok2],
  [6, 'problem search', (a) => request(a, 'GET', `/api/v1/problems?q=${encodeURIComponent(['垃圾', '停车', '广告', '井盖'][seq % 4])}`, { token: S.office.token }), ok2],
  [4, 'kpis', (a) => request(a, 'GET', '/api/v1/kpis', { token: S.office.token }), ok2],
  [4, 'map', (a) => request(a, 'GET', '/api/v1/problems/map', { token: S.office.token }), ok2],
  [3, 'volunteers', (a) => request(a, 'GET', '/api/v1/volunteers?limit=50', { token: S.office.token }), ok2],
  [3, 'notifications', (a) => request(a, 'GET', '/api/v1/notifications', { token: S.resident.token }), ok2],
  [6, 'report', (a) => request(a, 'POST', '/api/v1/problems', { token: S.resident.token, body: {
    category: 'C0301', description: `浸泡测试 ${seq}`, org_id: env.comm, location: { lat: 31.2219 + (seq % 100) / 1e5, lng: 121.5384 } } }), ok2],
  [3, 'award', (a) => request(a, 'POST', '/api/v1/bank/awards', { token: S.office.token, body: {
    account_id: env.resident, org_id: env.comm, points: 1, reason: '浸泡测试' } }), ok2],
  [3, 'upload', (a) => request(a, 'POST', '/api/v1/photos', { token: S.resident.token, body: makePng(24, 24), ctype: 'image/png' }), ok2],
  [2, 'ledger xlsx', (a) => request(a, 'GET', '/api/v1/ledger/xlsx', { token: S.office.token }), ok2],
  [1, 'ledger csv', (a) => request(a, 'GET', '/api/v1/ledger/csv', { token: S.office.token }), ok2],
  [1, 'records xlsx', (a) => request(a, 'GET', '/api/v1/records/xlsx', { token: S.office.token }), ok2],
  [1, 'round xlsx', (a) => request(a, 'GET', `/api/v1/rounds/${env.round}/xlsx`, { token: S.office.token }), ok2],
  [1, 'certificate pdf', (a) => request(a, 'GET', '/api/v1/volunteers/me/certificate', { token: S.volunteer.token }), ok2],
  [1, 'qr sheet pdf', (a) => request(a, 'GET', '/api/v1/sites/qr-sheet', { token: S.office.token }), ok2],
  [2, 'ical', (a) => request(a, 'GET', env.calendar), ok2],
  [2, 'bad json', (a) => request(a, 'POST', '/api/v1/problems', { token: S.resident.token, body: '{"category": [' }), ok4],
  [2, 'bad query', (a) => request(a, 'GET', '/api/v1/problems?limit=abc&zz=1', { token: S.office.token }), ok4],
  [1, 'not found', (a) => request(a, 'GET', '/api/v1/problems/99999999', { token: S.office.token }), ok4],
  [1, 'unauthenticated', (a) => request(a, 'GET', '/api/v1/people'), ok4],
  [1, 'wrong method', (a) => request(a, 'PATCH', '/api/v1/problems', { token: S.office.token, body: {} }), ok4],
  [1, 'oversize', () => rawClient(Buffer.from(`POST /api/v1/problems HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${S.resident.token}\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\nConnection: close\r\n\r\n`)), ok4],
  [2, 'slow client', () => rawClient(Buffer.from(`GET /api/v1/problems?limit=5 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${S.office.token}\r\nConnection: close\r\n\r\n`), { pieces: 8, delayMs: 120 }), ok2],
  [1, 'hang up in headers', () => rawClient(Buffer.from(`GET /api/v1/problems HTTP/1.1\r\nHost: x\r\nAuthor`), { hangUp: true })],
  [1, 'hang up in body', () => rawClient(Buffer.from(`POST /api/v1/problems HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${S.resident.token}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"category":"C0301",`), { hangUp: true })],
  [1, 'hang up in export', (a) => request(a, 'GET', '/api/v1/ledger/csv', { token: S.office.token, abortAfterBytes: 1 })],
];
const TOTAL = MIX.reduce((s, m) => s + m[0], 0);
function pick(x) {
  let r = x % TOTAL;
  for (const m of MIX) { if (r < m[0]) return m; r -= m[0]; }
  return MIX[0];
}

// Runs CLIENTS loops until `until`; each client has its keep-alive agent and
// sends one request in five on a fresh connection.
async function load(untilMs) {
  const agents = [];
  const one = async (c) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    let x = c * 7919;
    while (Date.now() < untilMs) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const [, kind, fn, ok] = pick(x >> 8);
      seq++;
      try {
        const r = await fn((x >> 4) % 5 === 0 ? false : agent);
        note(kind, r, ok);
      } catch (e) {
        stats.requests++;
        if (stats.errors.length < 20) stats.errors.push(`${kind}: ${e.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => one(c)));
  for (const a of agents) a.destroy();	// every client hangs up
}

// Waits until the fd count is at most `limit` (or timeoutMs); returns the last sample.
async function settle(pid, limit, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  let s = sample(pid);
  while (s.fds > limit && Date.now() < end) { await sleep(200); s = sample(pid); }
  return s;
}

async function login(l) {
  const r = await request(false, 'POST', '/api/v1/session', { body: { login: l, password: PASSWORD } });
  assert.equal(r.status, 200, `login ${l}: ${r.body}`);
  return r.json;
}

test(`soak: ${SECONDS} s of mixed traffic from ${CLIENTS} clients; descriptors and memory do not leak`, { timeout: (SECONDS + 400) * 1000 }, async () => {
  const srv = startServer();
  BASE = await srv.url;
  const u = new URL(BASE);
  HOST = u.hostname; PORT = Number(u.port);
  const pid = child.pid;
  S = {};
  for (const l of ['admin', 'office', 'resident', 'volunteer']) S[l] = await login(l);
  const orgs = await request(false, 'GET', `/api/v1/orgs?q=${encodeURIComponent('由由第五')}`, { token: S.admin.token });
  const probs = await request(false, 'GET', '/api/v1/problems?limit=100', { token: S.admin.token });
  const rounds = await request(false, 'GET', '/api/v1/rounds', { token: S.admin.token });
  const cal = await request(false, 'POST', '/api/v1/volunteers/me/calendar-token', { token: S.volunteer.token });
  assert.equal(cal.status, 200, `calendar token: ${cal.body}`);
  env = {
    comm: orgs.json.items.find((o) => o.name === '由由第五居民区').id,
    resident: S.resident.account?.id ?? S.resident.id ?? S.resident.account_id,
    problems: probs.json.items.map((p) => p.id),
    round: rounds.json.items[0].id,
    calendar: cal.json.calendar_path,
  };
  assert.ok(env.resident && env.problems.length && env.round && env.calendar, JSON.stringify(env));

  // Warm-up, then the idle baseline.
  const t0 = Date.now();
  await load(t0 + WARMUP * 1000);
  await sleep(1000);
  const base = await settle(pid, 0, 2000);	// just waits 2 s: whatever is open now is the baseline
  const baseList = fdList(pid);
  const warmupRequests = stats.requests;

  // Main load with sampling.
  const samples = [];
  const timer = setInterval(() => { try { samples.push(sample(pid)); } catch { /* exited: reported below */ } }, 500);
  await load(Date.now() + (SECONDS - WARMUP) * 1000);
  clearInterval(timer);
  const endIdle = await settle(pid, base.fds + FD_MARGIN);
  if (process.env.WENMING_SOAK_TRACE) {
    console.log(`# fds now: ${fdList(pid)}\n# baseline: ${baseList}`);
    try { console.log(execFileSync('ss', ['-tanpe'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`pid=${pid},`)).join('\n')); } catch { /* no ss */ }
  }
  const elapsed = (Date.now() - t0) / 1000;

  const health = await request(false, 'GET', '/healthz');
  // The server's own count of 5xx (aborted requests must not count: 499).
  const metrics = (await request(false, 'GET', '/metrics')).body.toString();
  const serverErrors = Number((metrics.match(/^wenming_errors_total (\d+)/m) || [])[1]);
  const n = samples.length;
  const mid = samples.slice(Math.floor(n / 3), Math.floor((2 * n) / 3));
  const last = samples.slice(Math.floor((2 * n) / 3));
  const midAnon = median(mid.map((s) => s.anon)), lastAnon = median(last.map((s) => s.anon));
  const allow = Math.max(RSS_MIN_ALLOW_KB, midAnon * RSS_FRACTION);
  const peakFds = Math.max(...samples.map((s) => s.fds));
  const mainRequests = stats.requests - warmupRequests;
  console.log(`# soak: ${elapsed.toFixed(0)} s, ${stats.requests} requests (${warmupRequests} warm-up; main ${(mainRequests / (SECONDS - WARMUP)).toFixed(0)}/s), ${CLIENTS} clients`);
  console.log(`# soak: fds baseline ${base.fds}, peak under load ${peakFds}, after the load ${endIdle.fds}`);
  console.log(`# soak: RssAnon median middle third ${(midAnon / 1024).toFixed(1)} MiB, last third ${(lastAnon / 1024).toFixed(1)} MiB (allowed +${(allow / 1024).toFixed(1)} MiB); VmRSS ${(base.rss / 1024).toFixed(1)} → ${(endIdle.rss / 1024).toFixed(1)} MiB`);
  console.log(`# soak: by kind ${JSON.stringify(stats.byKind)}`);
  if (process.env.WENMING_SOAK_TRACE) for (const s of samples) console.log(`# ${s.t - t0} ${s.rss} ${s.anon} ${s.fds}`);

  assert.equal(child.exitCode, null, `the server died: ${srv.stderr()}`);
  assert.equal(health.status, 200);
  assert.deepEqual(stats.fiveXX, [], '5xx answers under soak');
  assert.equal(serverErrors, 0, `wenming_errors_total ${serverErrors}: ${metrics.split('\n').filter((l) => l.includes('code="5xx"')).join('; ')}`);
  assert.deepEqual(stats.errors, [], 'client-side errors (resets, timeouts) on requests that should have been answered');
  assert.deepEqual(stats.unexpected, [], 'unexpected statuses');
  assert.ok(n >= 10, `too few samples (${n})`);
  assert.ok(endIdle.fds <= base.fds + FD_MARGIN,
    `file descriptors leak: ${base.fds} at the baseline, ${endIdle.fds} 10 s after the load (margin ${FD_MARGIN}); baseline: ${baseList}; now: ${fdList(pid)}`);
  assert.ok(lastAnon - midAnon <= allow,
    `memory keeps growing: RssAnon median ${midAnon} kB in the middle third, ${lastAnon} kB in the last (allowed +${Math.round(allow)} kB)`);

  child.kill('SIGTERM');
  const e = await srv.exited;
  assert.equal(e.code, 0, `exit after SIGTERM: ${JSON.stringify(e)}`);
});
