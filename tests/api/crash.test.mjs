// crash.test.mjs — crash safety, online backup and restore (SPEC §14, issue 8).
//
// Runs its own server (not the suite's shared one) on a private data dir set
// up from nothing — `wenming user add` for the admin, then the orgs and
// accounts through the API (the demo street would cost ~30 s to build on a
// busy CI machine) — then a write load from several concurrent clients covering every
// write kind the issue names — problem reports, problem actions (accept,
// dispatch, acknowledge, return, reject), volunteer sign-ups racing for a few
// shifts' places and their cancellations (which promote the first on the
// waitlist in the same transaction), love-bank awards — and SIGKILL at seeded random moments,
// restarting `wenming serve` on the same dir each time.
//
// Bookkeeping: a write answered 2xx is "acknowledged" and must survive every
// later kill; a write whose answer never came (in flight at the kill) may or
// may not be there, but if it is, it must be whole — the problem with its
// report event, the sign-up with a status that fits the shift, the roll-ups
// equal to the raw tables (GET /api/v1/kpis/check). After each restart the
// in-flight writes that did land are adopted as acknowledged (they are
// durable now), the rest forgotten.
//
// Then the round trip: `wenming backup` while the clients write, a kill,
// `wenming restore` into the same dir, a start, and every write acknowledged
// before the backup began must be there. The second test checks each refusal
// of `wenming restore`, and that a second server cannot open a data dir.
//
// On PostgreSQL (WENMING_TEST_PG; the server gets a database of its own) the kills are the
// same, then PostgreSQL itself is crashed under the load (pg_ctl restart -m immediate,
// PG_RESTARTS times) while the same app server keeps running: it must answer again once the
// cluster is back, every acknowledged write must be there, and a write answered 5xx while the
// database was away counts as in flight (its commit may have landed). `wenming backup`
// refuses there (the database is backed up with pg_dump): that refusal is checked instead of
// the round trip, and the restore refusals (SQLite files) are skipped.
//
// Replay a failure with the seed it printed: WENMING_CRASH_SEED=… .
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, REPO, randomPhone, testDatabase, withDatabase } from './harness.mjs';
import { restartPostgres } from './database.mjs';
import { idBorn } from './volunteer-fixtures.mjs';

const bin = binPath();
const root = mkdtempSync(join(tmpdir(), 'wenming-crash-'));
const dir = join(root, 'data');
const children = new Set();
const db = testDatabase();	// on PostgreSQL: a database of its own (database.mjs)
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
  db.drop();
});

const SEED = Number(process.env.WENMING_CRASH_SEED || Math.floor(Math.random() * 2 ** 31));
console.log(`crash.test: seed ${SEED} (replay with WENMING_CRASH_SEED=${SEED})`);
// mulberry32: the kill moments and the choice of each write come from the seed.
let rs = SEED >>> 0;
function rand() {
  rs = (rs + 0x6d2b79f5) >>> 0;
  let t = rs;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];

// A report of the sanitizer build (scripts/test.sh runs this file under it too).
const SANITIZER = /AddressSanitizer|LeakSanitizer|runtime error:/;
const KILLS = 5;
const CLIENTS = 6;
const CAPACITY = 3;
const NSHIFTS = 3;
const NVOLUNTEERS = 300;
const PG_RESTARTS = 2;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// While PostgreSQL is restarted a 5xx answer is an answer that never came (thrown like a
// network error, so the write counts as in flight); otherwise it fails the run.
let tolerate5xx = false;

function start(args) {
  const child = spawn(bin, withDatabase(args, db), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WENMING_TICK_SECONDS: '0' } });
  children.add(child);
  let err = '';
  child.stderr.on('data', (d) => { err = (err + d).slice(-16000); });
  const exited = new Promise((res) => child.on('exit', (code, signal) => { children.delete(child); res({ code, signal, stderr: err }); }));
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
  url.catch(() => {});	// awaited by the caller; a refused start is asserted through `exited`
  return { child, exited, url };
}

function run(args) {
  return new Promise((res) => execFile(bin, withDatabase(args, db), (e, stdout, stderr) => res({ code: e ? e.code : 0, stdout, stderr })));
}

function sqlite(db, sql) {
  return new Promise((res) => execFile('sqlite3', [db, sql], (e, stdout, stderr) => res({ e, stdout, stderr })));
}

async function call(base, method, path, token, body) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (tolerate5xx && res.status >= 500) throw new Error(`unavailable: ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

// A 503 (the database away: PostgreSQL still coming back, or this worker's connection
// finding the loss on its first statement) is retried as clients do, for up to 10 s:
// nothing was committed by such an answer (docs/OPERATIONS.md).
async function ok(base, method, path, token, body, status = 200) {
  let r = await call(base, method, path, token, body);
  for (let i = 0; r.status === 503 && i < 40; i++) {
    await sleep(250);
    r = await call(base, method, path, token, body);
  }
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

const PASSWORD = 'crash-test-Secret-2026';
const LOGINS = ['admin', 'office', 'committee', 'handler', 'resident'];
async function sessions(base) {
  const s = {};
  for (const l of LOGINS) {
    let r = await call(base, 'POST', '/api/v1/session', null, { login: l, password: PASSWORD });
    for (let i = 0; r.status === 503 && i < 40; i++) {
      await sleep(250);
      r = await call(base, 'POST', '/api/v1/session', null, { login: l, password: PASSWORD });
    }
    assert.equal(r.status, 200, `login ${l}: ${r.text}`);
    s[l] = r.json;
  }
  return s;
}

async function listAll(base, path, token) {
  const out = [];
  let cursor = null;
  for (let i = 0; i < 100; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const page = await ok(base, 'GET', `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    out.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

// --- What the clients were told ---------------------------------------------

const PREFIX = '崩溃测试';
// Problems by id: { events: [acknowledged actions, 'report' first], state,
// busy (an action in flight), uncertain (the action whose answer never came) }.
const problems = new Map();
const inflightReports = new Set();	// descriptions of reports without an answer
// Sign-ups by id: { shift, vid, status, position, busy, uncertain };
// in flight: "shift/vid". A shift with a cancellation (acknowledged or in
// flight) may have promoted any of its waitlisted: `churned` holds it until
// the next check has read the statuses back.
const signups = new Map();
const inflightSignups = new Set();
const churned = new Set();
let freeVolunteers = [];
// Points: the resident's balance must lie in [base + acked, base + acked + inflight].
const points = { base: 0, acked: 0, inflight: 0, awards: 0 };
const counts = { reports: 0, actions: 0, signups: 0, cancels: 0, awards: 0, uncertain: 0 };

const NEXT = {	// state → [action, who, body, state after]
  reported: [['accept', 'committee', {}, 'accepted'], ['accept', 'committee', {}, 'accepted'], ['reject', 'committee', { reason: '不属于受理范围' }, 'rejected']],
  accepted: [['dispatch', 'committee', null, 'dispatched']],
  dispatched: [['acknowledge', 'handler', {}, 'acknowledged']],
  acknowledged: [['return', 'handler', { reason: '非本单位职责' }, 'accepted']],
};
const AFTER = Object.fromEntries(Object.values(NEXT).flat().map(([a, , , to]) => [a, to]));
AFTER.report = 'reported';

// One write of a kind chosen by the seed. A 4xx is a bug in the test or the
// server and fails the run; a network error means the server is gone.
async function oneWrite(base, s, env, c, n) {
  const kind = pick(['report', 'action', 'action', 'signup', 'signup', 'cancel', 'award']);
  if (kind === 'cancel') {
    // Mostly confirmed places, so that someone on the waitlist moves up.
    const live = [...signups.entries()].filter(([, g]) => !g.busy && !g.uncertain && g.status !== 'cancelled');
    const conf = live.filter(([, g]) => g.status === 'confirmed');
    if (live.length) {
      const [gid, g] = pick(conf.length && rand() < 0.8 ? conf : live);
      g.busy = true;
      g.cancelTried = true;
      churned.add(g.shift);
      try {
        const r = await call(base, 'POST', `/api/v1/signups/${gid}/cancel`, s.committee.token, {});
        if (r.status !== 200) throw new Error(`fail: cancel sign-up ${gid}: ${r.status} ${r.text}`);
        assert.equal(r.json.status, 'cancelled');
        Object.assign(g, { status: 'cancelled', position: null });
        counts.cancels++;
      } catch (e) {
        if (!e.message.startsWith('fail')) { g.uncertain = 'cancel'; counts.uncertain++; }
        throw e;
      } finally { g.busy = false; }
      return;
    }
  }
  if (kind === 'action') {
    const ready = [...problems.entries()].filter(([, p]) => !p.busy && !p.uncertain && NEXT[p.state]);
    if (ready.length) {
      const [id, p] = pick(ready);
      const [action, who, body, to] = pick(NEXT[p.state]);
      p.busy = true;
      try {
        const r = await call(base, 'POST', `/api/v1/problems/${id}/actions`, s[who].token,
          { action, ...(body || { handler_org_id: env.handlerOrg }), note: `${PREFIX} ${c}-${n}` });
        if (r.status !== 200) throw new Error(`fail: ${action} on ${id} (${p.state}): ${r.status} ${r.text}`);
        assert.equal(r.json.state, to, `${action} → ${to}`);
        p.events.push(action);
        p.state = to;
        counts.actions++;
      } catch (e) {
        if (!e.message.startsWith('fail')) { p.uncertain = action; counts.uncertain++; }
        throw e;
      } finally { p.busy = false; }
      return;
    }
  }
  if (kind === 'signup' && freeVolunteers.length) {
    const vid = freeVolunteers.pop();
    const shift = pick(env.shifts);
    const key = `${shift}/${vid}`;
    inflightSignups.add(key);
    const r = await call(base, 'POST', `/api/v1/shifts/${shift}/signup`, s.committee.token, { volunteer_id: vid });
    inflightSignups.delete(key);
    if (r.status !== 201) throw new Error(`fail: sign-up ${key}: ${r.status} ${r.text}`);
    assert.ok(['confirmed', 'waitlisted'].includes(r.json.status), r.text);
    if (signups.has(r.json.id)) throw new Error(`fail: sign-up id ${r.json.id} given twice: an acknowledged sign-up was lost`);
    signups.set(r.json.id, { shift, vid, status: r.json.status, position: r.json.waitlist_position ?? null, busy: false, uncertain: null });
    counts.signups++;
    return;
  }
  if (kind === 'award') {
    points.inflight++;
    const r = await call(base, 'POST', '/api/v1/bank/awards', s.office.token,
      { account_id: env.resident, org_id: env.comm, points: 1, reason: PREFIX });
    points.inflight--;
    if (r.status < 200 || r.status >= 300) throw new Error(`fail: award: ${r.status} ${r.text}`);
    points.acked++;
    counts.awards++;
    return;
  }
  const description = `${PREFIX} ${c}-${n}`;
  inflightReports.add(description);
  const r = await call(base, 'POST', '/api/v1/problems', s.resident.token,
    { category: 'C0301', description, org_id: env.comm, location: { lat: 31.2219, lng: 121.5384 } });
  inflightReports.delete(description);
  if (r.status !== 201) throw new Error(`fail: report: ${r.status} ${r.text}`);
  // An id given twice means the first acknowledged row was lost (SQLite reuses the highest rowid).
  if (problems.has(r.json.id)) throw new Error(`fail: problem id ${r.json.id} given twice: an acknowledged report was lost`);
  problems.set(r.json.id, { description, events: ['report'], state: 'reported', busy: false, uncertain: null });
  counts.reports++;
}

// Writes until stop(); the in-flight sets keep what had no answer.
let seq = 0;
function load(base, s, env) {
  let stopped = false;
  const one = async (c) => {
    while (!stopped) {
      try {
        await oneWrite(base, s, env, c, seq++);
      } catch (e) {
        if (e.message.startsWith('fail') || e.code === 'ERR_ASSERTION') throw e;
        if (!stopped) await new Promise((r) => setTimeout(r, 20));	// the server is gone: retry until stopped
      }
    }
  };
  const all = Promise.all(Array.from({ length: CLIENTS }, (_, c) => one(c)));
  all.catch(() => {});	// reported by stop(), not as an unhandled rejection
  return { stop: async () => { stopped = true; await all; } };
}

// --- Checks after a restart ---------------------------------------------------

// The database is consistent whatever was acknowledged: books, roll-ups,
// shifts. Returns the shifts' live sign-ups.
async function consistent(base, s, env, label) {
  const t = await ok(base, 'GET', '/api/v1/bank/trial-balance', s.admin.token);
  assert.equal(t.sum, 0, `${label}: the books sum to zero: ${JSON.stringify(t)}`);
  assert.equal(t.balanced, true, `${label}: ${JSON.stringify(t)}`);
  const k = await ok(base, 'GET', '/api/v1/kpis/check?from=2020-01-01&to=2050-12-31', s.admin.token);
  assert.equal(k.ok, true, `${label}: roll-ups differ from the raw tables: ${JSON.stringify(k.mismatches).slice(0, 2000)}`);
  const roster = (await ok(base, 'GET', `/api/v1/roster?week=${env.week}&post_id=${env.post}`, s.office.token)).items;
  for (const sid of env.shifts) {
    const mine = roster.filter((g) => g.shift_id === sid);
    const conf = mine.filter((g) => g.status === 'confirmed');
    const wait = mine.filter((g) => g.status === 'waitlisted').sort((a, b) => a.id - b.id);
    assert.equal(conf.length + wait.length, mine.length, `${label}: shift ${sid}: only confirmed and waitlisted`);
    assert.ok(conf.length <= CAPACITY, `${label}: shift ${sid} over capacity: ${conf.length}`);
    if (wait.length) assert.equal(conf.length, CAPACITY, `${label}: shift ${sid} has a waitlist with free places`);
    assert.deepEqual(wait.map((g) => g.waitlist_position), wait.map((_, i) => i + 1), `${label}: shift ${sid} waitlist`);
    assert.equal(new Set(mine.map((g) => g.volunteer_id)).size, mine.length, `${label}: shift ${sid}: a volunteer twice`);
    const sh = await ok(base, 'GET', `/api/v1/shifts/${sid}`, s.office.token);
    assert.equal(sh.confirmed, conf.length, `${label}: shift ${sid} count`);
    assert.equal(sh.waitlisted, wait.length, `${label}: shift ${sid} waitlist count`);
  }
  return roster;
}

async function balance(base, s) {
  return (await ok(base, 'GET', '/api/v1/bank/me', s.resident.token)).balance;
}

// Every acknowledged write is there; the in-flight ones that landed are whole
// and become acknowledged.
async function verify(base, env, label) {
  const s = await sessions(base);
  const roster = await consistent(base, s, env, label);

  // Reports: the resident's crash-test problems are the acknowledged ones
  // plus, at most, those in flight at the kill.
  const mine = (await listAll(base, '/api/v1/problems?mine=true', s.resident.token)).filter((p) => p.description?.startsWith(PREFIX));
  const seen = new Map(mine.map((p) => [p.id, p.description]));
  for (const [id, p] of problems) assert.equal(seen.get(id), p.description, `${label}: acknowledged problem ${id} is missing`);
  for (const p of mine) {
    if (problems.has(p.id)) continue;
    assert.ok(inflightReports.has(p.description), `${label}: problem ${p.id} "${p.description}" was never reported`);
    problems.set(p.id, { description: p.description, events: null, state: null, busy: false, uncertain: 'report' });
  }
  inflightReports.clear();
  // Actions: the history is the acknowledged actions, plus at most the one in
  // flight; the state is the one the last of them leads to.
  for (const [id, p] of problems) {
    const got = await ok(base, 'GET', `/api/v1/problems/${id}`, s.admin.token);
    const acts = got.events.map((e) => e.action);
    if (p.uncertain === 'report') assert.deepEqual(acts, ['report'], `${label}: new problem ${id} whole`);
    else if (p.uncertain && acts.length === p.events.length + 1) assert.deepEqual(acts, [...p.events, p.uncertain], `${label}: problem ${id} history`);
    else assert.deepEqual(acts, p.events, `${label}: problem ${id} history (in flight: ${p.uncertain})`);
    assert.equal(got.state, AFTER[acts.at(-1)], `${label}: problem ${id} state after ${acts.at(-1)}`);
    Object.assign(p, { events: acts, state: got.state, uncertain: null });
  }

  // Sign-ups: each acknowledged one with its status and place (a waitlisted
  // one may have been promoted where someone cancelled); a cancelled one is
  // off the roster; others only from the in-flight set.
  const byId = new Map(roster.map((g) => [g.id, g]));
  for (const [gid, g] of signups) {
    const row = byId.get(gid);
    if (g.status === 'cancelled' || (g.uncertain === 'cancel' && !row)) {
      assert.ok(!row, `${label}: sign-up ${gid} was cancelled but is on the roster as ${row?.status}`);
      Object.assign(g, { status: 'cancelled', position: null, uncertain: null });
      continue;
    }
    assert.ok(row && row.shift_id === g.shift && row.volunteer_id === g.vid, `${label}: acknowledged sign-up ${gid} (shift ${g.shift}, volunteer ${g.vid}) is missing`);
    if (churned.has(g.shift) && g.status === 'waitlisted') assert.ok(['waitlisted', 'confirmed'].includes(row.status), `${label}: sign-up ${gid}`);
    else assert.equal(row.status, g.status, `${label}: sign-up ${gid} status`);
    if (!churned.has(g.shift)) assert.equal(row.waitlist_position ?? null, g.position, `${label}: sign-up ${gid} waitlist place`);
    Object.assign(g, { status: row.status, position: row.waitlist_position ?? null, uncertain: null });
  }
  for (const row of roster) {
    if (signups.has(row.id)) continue;
    assert.ok(inflightSignups.has(`${row.shift_id}/${row.volunteer_id}`), `${label}: sign-up ${row.id} was never made`);
    signups.set(row.id, { shift: row.shift_id, vid: row.volunteer_id, status: row.status, position: row.waitlist_position ?? null, busy: false, uncertain: null });
  }
  inflightSignups.clear();
  churned.clear();

  // Points: at least the acknowledged awards, at most those plus the in-flight ones.
  const b = await balance(base, s);
  assert.ok(b >= points.base + points.acked && b <= points.base + points.acked + points.inflight,
    `${label}: balance ${b} outside [${points.base} + ${points.acked}, + ${points.inflight} in flight]`);
  Object.assign(points, { base: b, acked: 0, inflight: 0 });
  return s;
}

// A copy of what was acknowledged, for the backup round trip.
function snapshot() {
  return {
    problems: new Map([...problems].map(([id, p]) => [id, { description: p.description, events: [...p.events] }])),
    signups: new Map([...signups].map(([id, g]) => [id, { ...g }])),
    points: points.base + points.acked,
  };
}

async function integrity(db, label) {
  const q = 'PRAGMA integrity_check;';
  const cli = await sqlite(db, q);
  if (cli.e && cli.e.code === 'ENOENT') return false;
  assert.ifError(cli.e);
  assert.equal(cli.stdout.trim(), 'ok', `${label}: integrity_check: ${cli.stdout} ${cli.stderr}`);
  return true;
}

// Monday of the week two weeks ahead (YYYY-MM-DD): shifts there are in the
// future whatever the day, so staff sign-ups are open.
function mondayAhead() {
  const d = new Date(Date.now() + 14 * 86400000);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

const state = { backup: null };

// PostgreSQL crashes (restart -m immediate) under the write load, PG_RESTARTS times, while the
// app server keeps running: it answers again once the cluster is back (writes go through
// again), stays up, and every acknowledged write is there.
async function postgresRestarts(srv, base, env) {
  let gone = null;
  srv.exited.then((e) => { gone = e; });
  for (let round = 1; round <= PG_RESTARTS; round++) {
    tolerate5xx = true;
    const s = await sessions(base);
    const l = load(base, s, env);
    const ms = 250 + Math.floor(rand() * 1250);
    await sleep(ms);
    const t = Date.now();
    await restartPostgres();
    const restartMs = Date.now() - t;
    // Back: a write is acknowledged within 30 s of the cluster accepting connections.
    const acked = () => counts.reports + counts.actions + counts.signups + counts.cancels + counts.awards;
    const a0 = acked();
    while (acked() === a0 && Date.now() - t < restartMs + 30000 && !gone) await sleep(50);
    const backMs = Date.now() - t - restartMs;
    await sleep(300);
    await l.stop();
    tolerate5xx = false;
    assert.equal(gone, null, `the app server exited when PostgreSQL restarted: ${JSON.stringify(gone)}`);
    assert.ok(acked() > a0, `round ${round}: no write went through within 30 s of PostgreSQL's restart`);
    await verify(base, env, `after PostgreSQL restart ${round} (at ${ms} ms, seed ${SEED})`);
    console.log(`crash.test: PostgreSQL restart ${round}: ${restartMs} ms, writes acknowledged again ${backMs} ms later`);
  }
}

test(`SIGKILL under write load ${KILLS} times: acknowledged writes survive, in-flight ones are whole; backup and restore under load`, { timeout: 300000 }, async () => {
  const t0 = Date.now();
  // A street, a community, a handling unit and one account per role.
  const add = await new Promise((res) => {
    const c = execFile(bin, withDatabase(['user', 'add', '--data', dir, '--login', 'admin', '--name', '管理员', '--password-stdin',
      '--role', 'admin', '--org-name', '测试街道'], db), (e, stdout, stderr) => res({ code: e ? e.code : 0, stderr }));
    c.stdin.end(`${PASSWORD}\n`);
  });
  assert.equal(add.code, 0, add.stderr);
  let srv = start(['serve', '--data', dir, '--listen', '127.0.0.1:0']);
  let base = await srv.url;
  const admin = (await ok(base, 'POST', '/api/v1/session', null, { login: 'admin', password: PASSWORD })).token;
  const street = (await ok(base, 'GET', '/api/v1/orgs', admin)).items[0].id;
  const comm = (await ok(base, 'POST', '/api/v1/orgs', admin, { parent_id: street, kind: 'community', name: '崩溃居民区' }, 201)).id;
  const handlerOrg = (await ok(base, 'POST', '/api/v1/orgs', admin, { parent_id: street, kind: 'unit', subkind: 'property', name: '崩溃物业' }, 201)).id;
  const grants = { office: street, committee: comm, handler: handlerOrg, resident: comm };
  for (const [login, org] of Object.entries(grants))
    await ok(base, 'POST', '/api/v1/accounts', admin, { login, display_name: login, password: PASSWORD, grants: [{ role: login, org_id: org }] }, 201);
  let s = await sessions(base);
  const resident = s.resident.id ?? s.resident.account_id ?? s.resident.account?.id;
  assert.ok(resident, `resident account id in the login answer: ${JSON.stringify(s.resident)}`);

  // A few shifts of capacity CAPACITY for many volunteers to race for.
  const week = mondayAhead();
  const post = await ok(base, 'POST', '/api/v1/posts', s.office.token, { org_id: comm, name: `${PREFIX}岗`, kind: 'love_post' }, 201);
  await ok(base, 'POST', `/api/v1/posts/${post.id}/patterns`, s.office.token, { weekdays: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '10:00', capacity: CAPACITY }, 201);
  await ok(base, 'POST', `/api/v1/posts/${post.id}/generate`, s.office.token, { from: week, days: NSHIFTS });
  const next = new Date(Date.parse(week) + 7 * 86400000).toISOString().slice(0, 10);
  const shifts = (await ok(base, 'GET', `/api/v1/shifts?post_id=${post.id}&from=${week}&to=${next}`, s.office.token)).items.map((x) => x.id);
  assert.equal(shifts.length, NSHIFTS);
  for (let i = 0; i < NVOLUNTEERS; i += 20) {
    const batch = await Promise.all(Array.from({ length: Math.min(20, NVOLUNTEERS - i) }, (_, k) => ok(base, 'POST', '/api/v1/volunteers', s.office.token,
      { name: `${PREFIX}志愿者${i + k}`, id_number: idBorn(1990), phone: randomPhone(), org_id: comm, vtype: 'white_collar', skills: [] }, 201)));
    freeVolunteers.push(...batch.map((v) => v.id));
  }
  const env = { comm, handlerOrg, resident, week, post: post.id, shifts };
  points.base = await balance(base, s);
  const setupMs = Date.now() - t0;

  // Two servers on one data dir: the second one is refused.
  const second = start(['serve', '--data', dir, '--listen', '127.0.0.1:0']);
  const e2 = await second.exited;
  assert.equal(e2.code, 1, `a second server on ${dir} must be refused`);
  assert.match(e2.stderr, /another wenming process \(pid \d+\) is using/);

  for (let round = 1; round <= KILLS; round++) {
    const l = load(base, s, env);
    const ms = 250 + Math.floor(rand() * 1250);
    await new Promise((r) => setTimeout(r, ms));
    srv.child.kill('SIGKILL');
    const e = await srv.exited;
    assert.equal(e.signal, 'SIGKILL');
    assert.doesNotMatch(e.stderr, SANITIZER, 'a sanitizer report before the kill');
    await l.stop();
    srv = start(['serve', '--data', dir, '--listen', '127.0.0.1:0']);
    base = await srv.url;
    s = await verify(base, env, `after kill ${round} (at ${ms} ms, seed ${SEED})`);
  }
  assert.ok(counts.reports > 0 && counts.actions > 0 && counts.signups > 0 && counts.awards > 0,
    `every write kind was acknowledged: ${JSON.stringify(counts)}`);
  const killsMs = Date.now() - t0 - setupMs;
  if (db.url) {
    await postgresRestarts(srv, base, env);
    const b = await run(['backup', '--data', dir, '--out', join(root, 'backup.db')]);
    assert.notEqual(b.code, 0, `backup on PostgreSQL must refuse: ${b.stdout}`);
    assert.match(b.stderr, /pg_dump/, 'the refusal points to pg_dump');
    assert.ok(!existsSync(join(root, 'backup.db')), 'no file written');
    srv.child.kill('SIGTERM');
    const last = await srv.exited;
    assert.equal(last.code, 0, last.stderr);
    assert.doesNotMatch(last.stderr, SANITIZER);
    console.log(`crash.test: seed ${SEED} (PostgreSQL); ${KILLS} kills, ${PG_RESTARTS} PostgreSQL restarts, acknowledged ${JSON.stringify(counts)}, `
      + `${problems.size} problems, ${signups.size} sign-ups; set-up ${setupMs} ms, kills ${killsMs} ms, restarts ${Date.now() - t0 - setupMs - killsMs} ms`);
    return;
  }

  // Backup while the clients write; restore refused while the server runs;
  // then a kill, the restore, and everything acknowledged before the backup
  // began is there.
  const out = join(root, 'backup.db');
  const l = load(base, s, env);
  await new Promise((r) => setTimeout(r, 150 + Math.floor(rand() * 300)));
  const before = snapshot();
  const b = await run(['backup', '--data', dir, '--out', out]);
  await new Promise((r) => setTimeout(r, 100 + Math.floor(rand() * 300)));
  const busy = await run(['restore', '--data', dir, '--from', out]);
  srv.child.kill('SIGKILL');
  await srv.exited;
  await l.stop();
  assert.equal(b.code, 0, `backup: ${b.stderr}`);
  assert.match(b.stdout, /integrity_check ok/);
  assert.match(b.stdout, /secret\.key/);
  assert.equal(busy.code, 1, `restore under a running server must be refused: ${busy.stdout}`);
  assert.match(busy.stderr, /另一个 wenming 进程正在使用 .* another wenming process \(pid \d+\) is using/);
  assert.ok(existsSync(join(dir, 'wenming.db-wal')), 'the killed server left a -wal');
  const r = await run(['restore', '--data', dir, '--from', out]);
  assert.equal(r.code, 0, `restore: ${r.stderr}`);
  assert.match(r.stdout, /restored .* \(integrity_check ok, schema version \d+\)/);
  const kept = r.stdout.match(/previous database is kept as (.*)\n/)?.[1];
  assert.ok(kept && existsSync(kept), `the previous database is kept: ${r.stdout}`);
  assert.ok(!existsSync(join(dir, 'wenming.db-wal')) && !existsSync(join(dir, 'wenming.db-shm')), 'no stale -wal/-shm next to the restored database');
  assert.ok(!readdirSync(dir).some((f) => f.includes('restore-tmp')), 'no temporary file left');
  assert.ok(existsSync(`${kept}-wal`), 'its -wal went with it');
  if (await integrity(kept, 'the kept database')) {
    // The kept copy, opened with its -wal, holds what was acknowledged before the kill.
    const n = await sqlite(kept, `SELECT count(*) FROM problems WHERE id IN (${[...problems.keys()].join(',')})`);
    assert.equal(Number(n.stdout.trim()), problems.size, 'the kept database holds every acknowledged problem');
  }

  srv = start(['serve', '--data', dir, '--listen', '127.0.0.1:0']);
  base = await srv.url;
  s = await sessions(base);
  await consistent(base, s, env, 'after restore');
  for (const [id, { description, events: evs }] of before.problems) {
    const got = await ok(base, 'GET', `/api/v1/problems/${id}`, s.admin.token);
    assert.equal(got.description, description, `after restore: problem ${id}`);
    const acts = got.events.map((e) => e.action);
    assert.deepEqual(acts.slice(0, evs.length), evs, `after restore: problem ${id} holds the actions acknowledged before the backup`);
  }
  const roster = (await ok(base, 'GET', `/api/v1/roster?week=${env.week}&post_id=${env.post}`, s.office.token)).items;
  const byId = new Map(roster.map((g) => [g.id, g]));
  // A sign-up whose cancellation was ever sent may be gone (it may have
  // landed before the backup's snapshot); any cancellation may have promoted
  // a waitlisted one.
  for (const [gid, g] of before.signups) {
    if (signups.get(gid).cancelTried) continue;
    assert.ok(byId.has(gid) && byId.get(gid).volunteer_id === g.vid, `after restore: sign-up ${gid} acknowledged before the backup is missing`);
    if (g.status === 'confirmed') assert.equal(byId.get(gid).status, 'confirmed', `after restore: sign-up ${gid} status`);
    else assert.ok(['waitlisted', 'confirmed'].includes(byId.get(gid).status), `after restore: sign-up ${gid} status`);
  }
  assert.ok(await balance(base, s) >= before.points, 'after restore: the points awarded before the backup');
  srv.child.kill('SIGTERM');
  const last = await srv.exited;
  assert.equal(last.code, 0);
  assert.doesNotMatch(last.stderr, SANITIZER);
  const checked = await integrity(join(dir, 'wenming.db'), 'after restore');
  if (!checked) {
    const fin = await run(['backup', '--data', dir, '--out', join(root, 'final.db')]);
    assert.equal(fin.code, 0, `final integrity_check: ${fin.stderr}`);
    console.log('crash.test: no sqlite3 CLI; integrity checked through wenming backup only');
  }
  state.backup = out;
  console.log(`crash.test: seed ${SEED}; ${KILLS} kills, acknowledged ${JSON.stringify(counts)}, `
    + `${problems.size} problems, ${signups.size} sign-ups; set-up ${setupMs} ms, kills ${killsMs} ms, `
    + `backup round trip ${Date.now() - t0 - setupMs - killsMs} ms`);
});

test('wenming restore refuses what it must not put in place, and keeps the database as it was', {
  timeout: 120000, skip: db.url ? 'PostgreSQL: wenming backup/restore are SQLite file copies (PostgreSQL is backed up with pg_dump)' : false,
}, async () => {
  assert.ok(state.backup, 'the first test made a backup');
  const good = state.backup;
  const db = join(dir, 'wenming.db');
  const sizeBefore = statSync(db).size;
  const files = () => readdirSync(dir).sort();
  const listing = files();
  async function refused(from, pattern, args = []) {
    const r = await run(['restore', '--data', dir, '--from', from, ...args]);
    assert.equal(r.code, 1, `restore from ${from} must be refused: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /^wenming restore: /);
    assert.match(r.stderr, pattern);
    assert.deepEqual(files(), listing, 'nothing changed in the data dir');
    assert.equal(statSync(db).size, sizeBefore);
    return r;
  }
  // Usage errors.
  const u = await run(['restore', '--data', dir]);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /--from FILE are required/);
  const h = await run(['restore', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /Usage: wenming restore --data DIR --from FILE/);
  assert.match((await run(['--help'])).stdout, /restore /);

  await refused(join(root, 'no-such.db'), /备份文件不存在 .* cannot be read/);
  const text = join(root, 'not-sqlite.db');
  writeFileSync(text, 'this is not a database, just text long enough to have a header\n');
  await refused(text, /不是 SQLite 数据库 .* not an SQLite database/);
  const empty = join(root, 'empty.db');
  writeFileSync(empty, '');
  await refused(empty, /not an SQLite database/);

  // Damaged b-tree pages: the copy fails integrity_check.
  const bad = join(root, 'damaged.db');
  copyFileSync(good, bad);
  const pageSize = readFileSync(bad).readUInt16BE(16);
  const fd = openSync(bad, 'r+');
  for (const page of [2, 3, 4]) writeSync(fd, Buffer.from([7, 7, 7, 7]), 0, 4, pageSize * (page - 1));
  closeSync(fd);
  await refused(bad, /备份未通过完整性检查 .* fails PRAGMA integrity_check/);

  const haveCli = !((await sqlite(':memory:', 'SELECT 1')).e?.code === 'ENOENT');
  if (haveCli) {
    const other = join(root, 'other.db');
    assert.ifError((await sqlite(other, 'CREATE TABLE t(a); INSERT INTO t VALUES (1);')).e);
    await refused(other, /不是文明数据库 .* not a Wenming database/);
    const newer = join(root, 'newer.db');
    copyFileSync(good, newer);
    assert.ifError((await sqlite(newer, "INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', '2030-01-01T00:00:00Z');")).e);
    await refused(newer, /备份来自更新的版本 .* schema version 9999 but this wenming knows only up to \d+/);
  } else console.log('crash.test: no sqlite3 CLI; the not-Wenming and newer-schema refusals are not tested');

  // The data key: missing (unless --without-key) or not the backup's key.
  const key = join(dir, 'secret.key');
  const saved = readFileSync(key);
  try {
    writeFileSync(key, Buffer.alloc(64, 1), { mode: 0o600 });
    await refused(good, /密钥与备份不匹配 .* does not decrypt/);
    rmSync(key);
    const r = await run(['restore', '--data', dir, '--from', good]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /secret\.key 不存在 .* is missing.*\n.*\n--without-key/);
    assert.deepEqual(files(), listing.filter((f) => f !== 'secret.key'));
  } finally {
    writeFileSync(key, saved, { mode: 0o600 });
  }

  // The usual reason to restore: the current database is damaged. It is
  // kept as it is, and the backup goes in.
  const broken = join(root, 'broken');
  mkdirSync(broken, { mode: 0o700 });
  copyFileSync(good, join(broken, 'wenming.db'));
  copyFileSync(key, join(broken, 'secret.key'));
  const bfd = openSync(join(broken, 'wenming.db'), 'r+');
  writeSync(bfd, Buffer.alloc(pageSize * 4, 0x5a), 0, pageSize * 4, 0);	// the header and the schema page
  closeSync(bfd);
  writeFileSync(join(broken, 'wenming.db-wal'), 'stale');
  const rb = await run(['restore', '--data', broken, '--from', good]);
  assert.equal(rb.code, 0, rb.stderr);
  const keptBroken = rb.stdout.match(/kept as (.*)\n/)?.[1];
  assert.ok(keptBroken && readFileSync(keptBroken).subarray(0, 4).equals(Buffer.alloc(4, 0x5a)), 'the damaged file is kept as it was');
  assert.equal(readFileSync(`${keptBroken}-wal`, 'utf8'), 'stale', 'its -wal moved along');
  assert.ok(!existsSync(join(broken, 'wenming.db-wal')));
  if (haveCli) assert.ok(await integrity(join(broken, 'wenming.db'), 'restored over a damaged database'));

  // Into a new machine's empty data dir: with the saved key, and without it
  // when told so (a warning; the next start makes a new key).
  const fresh = join(root, 'fresh');
  const r1 = await run(['restore', '--data', fresh, '--from', good, '--without-key']);
  assert.equal(r1.code, 0, r1.stderr);
  assert.doesNotMatch(r1.stdout, /kept as/);
  assert.match(r1.stdout, /warning: no secret\.key/);
  rmSync(fresh, { recursive: true });
  mkdirSync(fresh, { mode: 0o700 });
  copyFileSync(key, join(fresh, 'secret.key'));
  const r2 = await run(['restore', '--data', fresh, '--from', good]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.doesNotMatch(r2.stdout, /warning/);
  const fs = start(['serve', '--data', fresh, '--listen', '127.0.0.1:0']);
  const fb = await fs.url;
  const fsess = await sessions(fb);
  assert.equal((await ok(fb, 'GET', '/api/v1/bank/trial-balance', fsess.admin.token)).sum, 0);
  fs.child.kill('SIGTERM');
  const fe = await fs.exited;
  assert.equal(fe.code, 0);
  assert.doesNotMatch(fe.stderr, SANITIZER);

  // An older backup (the newest migration undone, when it only creates
  // tables, indexes, triggers and views) is accepted and migrated by the
  // next start. Statements start at column 0; trigger bodies are indented.
  const migrations = readdirSync(join(REPO, 'schema', 'sqlite')).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
  const newest = migrations.at(-1);
  const sql = readFileSync(join(REPO, 'schema', 'sqlite', newest), 'utf8').replace(/--[^\n]*/g, '');
  const tops = sql.split('\n').filter((x) => /^[A-Za-z]/.test(x));
  const onlyCreates = tops.every((x) => /^(CREATE (TABLE|(UNIQUE )?INDEX|TRIGGER|VIEW) \w+|WHEN |FOR EACH ROW|BEGIN|END;?)/i.test(x));
  const named = (kind) => tops.map((x) => x.match(new RegExp(`^CREATE ${kind} (\\w+)`, 'i'))?.[1]).filter(Boolean);
  if (haveCli && onlyCreates) {
    const older = join(root, 'older.db');
    copyFileSync(good, older);
    const v = parseInt(newest, 10);
    const undo = [...named('TRIGGER').map((t) => `DROP TRIGGER ${t};`), ...named('VIEW').map((t) => `DROP VIEW ${t};`),
      ...named('TABLE').reverse().map((t) => `DROP TABLE ${t};`), `DELETE FROM schema_migrations WHERE version = ${v};`].join(' ');
    assert.ifError((await sqlite(older, undo)).e);
    const r = await run(['restore', '--data', dir, '--from', older]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`schema version ${v - 1}; the next start migrates it to ${v}`));
    const m = await run(['migrate', '--data', dir]);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, new RegExp(`at schema version ${v} \\(1 migration\\(s\\) applied now\\)`));
    const srv = start(['serve', '--data', dir, '--listen', '127.0.0.1:0']);
    const base = await srv.url;
    const s = await sessions(base);
    const t = await ok(base, 'GET', '/api/v1/bank/trial-balance', s.admin.token);
    assert.equal(t.sum, 0);
    srv.child.kill('SIGTERM');
    assert.equal((await srv.exited).code, 0);
    assert.ok(await integrity(db, 'migrated restore'));
    assert.equal((await sqlite(db, `SELECT count(*) FROM schema_migrations WHERE version = ${v}`)).stdout.trim(), '1');
  } else console.log(`crash.test: the older-backup migration is not tested (${haveCli ? `${newest} does more than create tables` : 'no sqlite3 CLI'})`);
});
