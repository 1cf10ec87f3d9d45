// pg-multiserver.test.mjs — several `wenming serve` processes on ONE PostgreSQL database
// (docs/TESTING.md, "Two backends"; SPEC §12): every check-then-act rule must hold across
// servers as it does inside one, because each write transaction takes the same advisory lock.
// The first server builds the demo street (`demo --people 0`); two more `serve` the same
// --database from data directories of their own that share its secret.key. Then:
//   - a session signed in on one server is valid on the others;
//   - the Friday rush spread over the servers: 225 sign-ups for 5 places → exactly 5
//     confirmed, the rest waitlisted 1…220 in the order the sign-ups were taken (FIFO);
//   - parallel redemptions spread over the servers against one stock, then one balance:
//     never negative, nothing created or lost, and the books sum to zero on every server.
// Skipped unless WENMING_TEST_PG is set (scripts/test.sh's PostgreSQL tier sets it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, PASSWORD, onPostgres, testDatabase, serverArgs, tag, randomPhone, clockNow } from './harness.mjs';
import { clockStartEnv } from '../clock.mjs';
import { idBorn } from './volunteer-fixtures.mjs';

const SKIP = !onPostgres() && 'needs WENMING_TEST_PG (several servers on one database is a PostgreSQL set-up)';
const SERVERS = 3;
const N = 225;
const CAPACITY = 5;

const root = mkdtempSync(join(tmpdir(), 'wenming-multi-'));
const db = SKIP ? null : testDatabase();
const servers = [];	// {url, child, exited, err()}

function start(cmd, dir, extra = []) {
  const env = { ...process.env, WENMING_TEST_CLOCK: '1', WENMING_TICK_SECONDS: '0', WENMING_PER_IP_CONNECTIONS: '0',
    WENMING_LOGINS_PER_MINUTE: '100000', ...clockStartEnv() };
  const child = spawn(binPath(), [cmd, ...serverArgs(dir, db), '--listen', '127.0.0.1:0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let err = '';
  child.stderr.on('data', (d) => { err = (err + d).slice(-16000); });
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`${cmd} did not listen in 240 s\n${err}`)); }, 240000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(timer); child.stdout.resume(); res({ url: m[1], child, exited, err: () => err }); }
    });
    exited.then((e) => { clearTimeout(timer); rej(new Error(`${cmd} exited ${JSON.stringify(e)} before listening\n${err}`)); });
  });
}

before(async () => {
  if (SKIP) return;
  const first = join(root, 's0');
  servers.push(await start('demo', first, ['--people', '0']));
  for (let i = 1; i < SERVERS; i++) {
    const dir = join(root, `s${i}`);
    mkdirSync(dir, { mode: 0o700 });
    copyFileSync(join(first, 'secret.key'), join(dir, 'secret.key'));	// one key: sealed fields and tokens read alike
    servers.push(await start('serve', dir));
  }
});
after(async () => {
  for (const s of servers) {
    s.child.kill('SIGTERM');
    const e = await s.exited;
    assert.equal(e.code, 0, `a server did not exit cleanly: ${JSON.stringify(e)}\n${s.err()}`);
  }
  rmSync(root, { recursive: true, force: true });
  if (db) db.drop();
});

const at = (i) => servers[i % servers.length].url;
async function call(i, method, path, session, body) {
  const headers = {};
  if (session) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(at(i) + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, json, text };
}
async function ok(i, method, path, session, body, status = 200) {
  const r = await call(i, method, path, session, body);
  assert.equal(r.status, status, `${method} ${path} on server ${i % servers.length}: ${r.text}`);
  return r.json;
}
const signIn = async (i, login, password = PASSWORD) => ok(i, 'POST', '/api/v1/session', null, { login, password });
async function orgId(name) {
  const office = await signIn(0, 'office');
  return (await ok(0, 'GET', `/api/v1/orgs?q=${encodeURIComponent(name)}`, office)).items.find((o) => o.name === name).id;
}
// Monday two weeks ahead of the servers' clock: its shifts are open to staff sign-ups.
function mondayAhead() {
  const d = new Date(clockNow() + 14 * 86400000);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
// Runs jobs(i) for i < n, at most `width` at a time.
async function pool(n, width, job) {
  const out = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => { while (next < n) { const i = next++; out[i] = await job(i); } }));
  return out;
}

test('a session signed in on one server is valid on every other', { skip: SKIP }, async () => {
  const office = await signIn(1, 'office');
  for (let i = 0; i < SERVERS; i++) assert.equal((await call(i, 'GET', '/api/v1/session', office)).status, 200, `server ${i}`);
});

test(`the Friday rush over ${SERVERS} servers: ${N} sign-ups for ${CAPACITY} places → exactly ${CAPACITY} confirmed, a FIFO waitlist`, { skip: SKIP, timeout: 600000 }, async () => {
  const comm = await orgId('由由第五居民区');
  const office = await signIn(0, 'office');
  const committee = await signIn(1, 'committee');
  const week = mondayAhead();
  const post = await ok(0, 'POST', '/api/v1/posts', office, { org_id: comm, name: `多服务器岗-${tag()}`, kind: 'love_post' }, 201);
  await ok(1, 'POST', `/api/v1/posts/${post.id}/patterns`, office, { weekdays: [1, 2, 3, 4, 5, 6, 7], start: '07:30', end: '09:30', capacity: CAPACITY }, 201);
  await ok(2, 'POST', `/api/v1/posts/${post.id}/generate`, office, { from: week, days: 1 });
  const next = new Date(Date.parse(week) + 86400000).toISOString().slice(0, 10);
  const [shift] = (await ok(0, 'GET', `/api/v1/shifts?post_id=${post.id}&from=${week}&to=${next}`, office)).items;
  assert.ok(shift, 'the shift was generated');
  const vols = await pool(N, 12, (i) => ok(i, 'POST', '/api/v1/volunteers', office,
    { name: `多服务器-${tag()}`, id_number: idBorn(1990), phone: randomPhone(), org_id: comm, vtype: 'white_collar', skills: [] }, 201));
  const t0 = Date.now();
  const rs = await Promise.all(vols.map((v, i) => call(i, 'POST', `/api/v1/shifts/${shift.id}/signup`, committee, { volunteer_id: v.id })));
  const ms = Date.now() - t0;
  assert.ok(rs.every((r) => r.status === 201), rs.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.text}`).slice(0, 3).join('\n'));
  const confirmed = rs.filter((r) => r.json.status === 'confirmed');
  const waitlisted = rs.filter((r) => r.json.status === 'waitlisted');
  assert.equal(confirmed.length, CAPACITY);
  assert.equal(waitlisted.length, N - CAPACITY);
  // FIFO: the waitlist places are 1…N-5, each once, in the order the sign-ups were taken
  // (their ids), and every confirmed sign-up came before every waitlisted one.
  const byId = [...waitlisted].sort((a, b) => a.json.id - b.json.id);
  assert.deepEqual(byId.map((r) => r.json.waitlist_position), Array.from({ length: N - CAPACITY }, (_, i) => i + 1));
  assert.ok(Math.max(...confirmed.map((r) => r.json.id)) < byId[0].json.id, 'the places went to the first sign-ups');
  // Every server reads the same counts.
  for (let i = 0; i < SERVERS; i++) {
    const s = await ok(i, 'GET', `/api/v1/shifts/${shift.id}`, office);
    assert.deepEqual([s.confirmed, s.waitlisted, s.remaining], [CAPACITY, N - CAPACITY, 0], `server ${i}`);
  }
  const roster = (await ok(2, 'GET', `/api/v1/roster?week=${week}&post_id=${post.id}`, office)).items;
  assert.equal(new Set(roster.map((g) => g.volunteer_id)).size, N, 'nobody twice');
  console.log(`# ${N} sign-ups over ${SERVERS} servers in ${ms} ms`);
});

test(`parallel redemptions over ${SERVERS} servers against one stock and one balance: never negative, nothing lost`, { skip: SKIP, timeout: 300000 }, async () => {
  const comm = await orgId('由由第五居民区');
  const admin = await signIn(0, 'admin');
  const office = await signIn(1, 'office');
  const login = `multi-${tag()}`;
  const acc = await ok(2, 'POST', '/api/v1/accounts', admin,
    { login, display_name: '多服务器积分', password: 'bank-secret-123', grants: [{ role: 'resident', org_id: comm }] }, 201);
  const me = await signIn(0, login, 'bank-secret-123');
  await ok(1, 'POST', '/api/v1/bank/awards', office, { account_id: acc.id, org_id: comm, points: 1000, reason: '多服务器测试' }, 201);
  const item = async (cost, stock) => ok(2, 'POST', '/api/v1/bank/items', office, { provider_id: comm, name: `多服务器物品-${tag()}`, cost, stock }, 201);
  const stockOf = async (id) => (await ok(0, 'GET', '/api/v1/bank/items?all=1', office)).items.find((x) => x.id === id).stock;
  const balance = async (i) => (await ok(i, 'GET', '/api/v1/bank/me', me)).balance;
  const order = (i, id) => call(i, 'POST', '/api/v1/bank/orders', me, { item_id: id });
  const codes = (rs) => rs.map((r) => r.status).join();

  // Round 1: the stock runs out first (25 in stock, 1000 points at 10 each).
  const it = await item(10, 25);
  let rs = await Promise.all(Array.from({ length: 120 }, (_, i) => order(i, it.id)));
  assert.ok(rs.every((r) => r.status === 201 || (r.status === 409 && r.json.error.code === 'out_of_stock')), codes(rs));
  assert.equal(rs.filter((r) => r.status === 201).length, 25);
  assert.equal(await stockOf(it.id), 0);
  for (let i = 0; i < SERVERS; i++) assert.equal(await balance(i), 750, `server ${i}`);
  // Round 2: the balance runs out first (750 points at 40 each, 500 in stock).
  const it2 = await item(40, 500);
  rs = await Promise.all(Array.from({ length: 120 }, (_, i) => order(i, it2.id)));
  assert.ok(rs.every((r) => r.status === 201 || (r.status === 409 && r.json.error.code === 'insufficient_points')), codes(rs));
  const got = rs.filter((r) => r.status === 201).length;
  assert.equal(got, Math.floor(750 / 40));
  assert.equal(await balance(1), 750 - 40 * got);
  assert.equal(await stockOf(it2.id), 500 - got);
  const mine = (await ok(2, 'GET', '/api/v1/bank/me/orders', me)).items;
  assert.equal(mine.length, 25 + got);
  assert.equal(new Set(mine.map((o) => o.code)).size, mine.length, 'codes are unique');
  // Parallel cancels of one order on every server refund once.
  const cs = await Promise.all(Array.from({ length: 9 }, (_, i) => call(i, 'POST', `/api/v1/bank/orders/${mine[0].id}/cancel`, me)));
  assert.equal(cs.filter((r) => r.status === 200).length, 1, codes(cs));
  assert.equal(await balance(2), 750 - 40 * got + mine[0].cost);
  for (let i = 0; i < SERVERS; i++) {
    const t = await ok(i, 'GET', '/api/v1/bank/trial-balance', admin);
    assert.equal(t.sum, 0, `server ${i}: the books sum to zero: ${JSON.stringify(t)}`);
    assert.equal(t.balanced, true);
  }
});
