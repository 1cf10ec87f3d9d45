// 40_friday_rush.mjs — the Friday sign-up storm (SPEC §5, §13; issue 8):
// at Friday 12:00 the next week's shifts open and every volunteer signs
// themselves up at once. city: 10,000 volunteers racing for 400 places
// (8 posts × Mon–Fri 07:30–09:30 × 10); small: 2,000 for 100; tiny: 200 for 8.
//
// Set-up: our own `wenming demo` (small) builds the street; the office makes
// the posts, patterns and shifts through the API. The volunteers — people,
// accounts, the volunteer grant, approved registrations and one session each —
// are then written straight into SQLite with the server stopped (10,000
// Argon2id password hashes and logins through the API would take ~20 min of
// CPU and measure the login, not the rush). Sessions are stored as session.c
// stores them: BLAKE2b-256 of the token, hex; the token goes out as Bearer.
// The accounts' password_hash is "!" (no login possible): they exist only
// through their sessions. The ID and phone columns hold masked values only.
//
// The rush: the server restarted on the same data with the test clock
// (WENMING_TEST_CLOCK=1) set to a Friday 12:00:00 China time, then every
// volunteer's POST /api/v1/shifts/{id}/signup — plus, for 15 % of them, a
// second attempt at an overlapping shift (same day, another post) — fired
// in a seeded random order over `conns` keep-alive connections of a raw
// HTTP/1.1 client (bench/vol_lib.mjs).
//
// Checks (the scenario throws when one fails): every answer 201, or 409
// `overlap` for the second attempt of a pair; per shift confirmed ==
// min(capacity, live sign-ups) and the total == places exactly; nobody live in
// two overlapping shifts; the waitlist FIFO (every confirmed id below every
// waitlisted id of the shift, and the positions answered 1..W in id order);
// the answers agree with the database.
//
// References in the same run: (1) bench/ref_signup.c, the same sign-up
// transaction (BEGIN IMMEDIATE, the same facts query, capacity, INSERT with
// the same triggers, COMMIT) in C on a copy of the database taken before the
// rush, same jobs, same order, same pragmas, one thread, no HTTP; (2) GET
// /healthz through the same client and connections: the HTTP ceiling.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  rng, blake2b256hex, personName, birthDate, startWenming, sqlite, sqliteJson,
  rawRequest, hammer, percentile, round, perfStart, perfStop,
} from '../vol_lib.mjs';

const SCALES = {
  tiny: { volunteers: 200, posts: 2, days: 1, capacity: 4, conns: 32 },
  small: { volunteers: 2000, posts: 4, days: 5, capacity: 5, conns: 128 },
  city: { volunteers: 10000, posts: 8, days: 5, capacity: 10, conns: 256 },
};
const FRIDAY = '2030-01-04T12:00:00+08:00';	// a Friday: the week of Monday 2030-01-07 opens
const MONDAY = '2030-01-07';
const SECOND_TRY = 0.15;

async function api(url, method, path, token, body) {
  const r = await fetch(url + path, {
    method, headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
const login = async (url, who) => (await api(url, 'POST', '/api/v1/session', null, { login: who, password: 'wenming-demo' })).token;

// Posts, patterns and shifts through the API, as an office would.
async function makeShifts(url, cfg, log) {
  const office = await login(url, 'office');
  const comms = (await api(url, 'GET', '/api/v1/orgs?kind=community&limit=50', office)).items;
  const shifts = [];
  for (let p = 0; p < cfg.posts; p++) {
    const post = await api(url, 'POST', '/api/v1/posts', office,
      { org_id: comms[p % comms.length].id, name: `周五抢岗-${p + 1}`, kind: 'love_post' });
    await api(url, 'POST', `/api/v1/posts/${post.id}/patterns`, office,
      { weekdays: [1, 2, 3, 4, 5].slice(0, cfg.days), start: '07:30', end: '09:30', capacity: cfg.capacity });
    await api(url, 'POST', `/api/v1/posts/${post.id}/generate`, office, { from: MONDAY, days: 7 });
    const got = (await api(url, 'GET', `/api/v1/shifts?post_id=${post.id}&from=${MONDAY}&to=2030-01-14`, office)).items;
    for (const s of got) shifts.push({ id: s.id, post: p, day: s.start_at.slice(0, 10), capacity: s.capacity });
  }
  log(`friday_rush: ${shifts.length} shifts, ${shifts.reduce((a, s) => a + s.capacity, 0)} places`);
  return { shifts, comms };
}

// People, accounts, grants, approved registrations and sessions in SQLite.
function makeVolunteers(db, cfg, comms, r) {
  const [{ p, a, v }] = sqliteJson(db, 'SELECT (SELECT max(id) FROM people) AS p, (SELECT max(id) FROM accounts) AS a, (SELECT max(id) FROM volunteers) AS v;');
  const [{ office }] = sqliteJson(db, "SELECT id AS office FROM accounts WHERE login = 'office';");
  const nowIso = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const now = Math.floor(Date.now() / 1000);
  const serviceDay = new Date(MONDAY + 'T00:00:00Z');
  const vtypes = ['white_collar', 'white_collar', 'white_collar', 'resident', 'student', 'party_member'];
  const sql = ['BEGIN;'];
  const vols = [];
  const q = (s) => `'${s.replace(/'/g, "''")}'`;
  for (let i = 1; i <= cfg.volunteers; i++) {
    const pid = p + i, aid = a + i, vid = v + i;
    const org = comms[r.int(comms.length)].id;
    const name = personName(r);
    const gender = r() < 0.5 ? 'male' : 'female';
    const token = Buffer.from(Array.from({ length: 32 }, () => r.int(256))).toString('base64url');
    const phone = `1${3 + r.int(7)}${r.int(10)}****${String(r.int(10000)).padStart(4, '0')}`;
    sql.push(`INSERT INTO people (id, name, gender, birth_date, id_masked, phone_masked, org_id, skills, kinds, created_at, updated_at) VALUES (${pid}, ${q(name)}, '${gender}', '${birthDate(r, serviceDay, 19, 64)}', '31****************', '${phone}', ${org}, '[]', '["resident","volunteer"]', '${nowIso}', '${nowIso}');`);
    sql.push(`INSERT INTO accounts (id, login, display_name, password_hash, person_id, created_at) VALUES (${aid}, 'rush${i}', ${q(name)}, '!', ${pid}, '${nowIso}');`);
    sql.push(`INSERT INTO grants (account_id, role, org_id) VALUES (${aid}, 'volunteer', ${org});`);
    sql.push(`INSERT INTO volunteers (id, person_id, org_id, vtype, areas, status, decided_by, decided_at, created_at) VALUES (${vid}, ${pid}, ${org}, '${r.pick(vtypes)}', '["本社区"]', 'approved', ${office}, ${now}, ${now});`);
    sql.push(`INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at) VALUES ('${blake2b256hex(token)}', ${aid}, 'rush-csrf-${i}', ${now}, ${now + 12 * 3600});`);
    vols.push({ vid, token });
  }
  sql.push('COMMIT;');
  sqlite(db, sql.join('\n'));
  return vols;
}

// Who tries which shift: popularity skewed (some posts are near home for
// more people), 15 % also try an overlapping shift; seeded shuffle.
function makeJobs(vols, shifts, r) {
  const weights = shifts.map((_, i) => 1 / (1 + (i % 7)));
  const total = weights.reduce((a, b) => a + b, 0);
  const pickShift = () => {
    let x = r() * total;
    for (let i = 0; i < shifts.length; i++) if ((x -= weights[i]) <= 0) return shifts[i];
    return shifts[shifts.length - 1];
  };
  const jobs = [];
  for (const v of vols) {
    const s = pickShift();
    jobs.push({ v, s, second: false });
    const sameDay = shifts.filter((o) => o.day === s.day && o.id !== s.id);
    if (sameDay.length && r() < SECOND_TRY) jobs.push({ v, s: r.pick(sameDay), second: true });
  }
  for (let i = jobs.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [jobs[i], jobs[j]] = [jobs[j], jobs[i]];
  }
  return jobs;
}

// Exported for tests/bench/rush-check.test.mjs: the check must be able to fail.
export function check(jobs, res, db, shifts) {
  const fail = (m) => { throw new Error('friday_rush: ' + m); };
  const pairs = new Map();	// volunteer id → answers
  for (let i = 0; i < jobs.length; i++) {
    const x = res[i], j = jobs[i];
    let body = null;
    try { body = JSON.parse(x.body); } catch { /* checked below */ }
    x.json = body;
    if (x.status !== 201 && !(x.status === 409 && body?.error?.code === 'overlap'))
      fail(`volunteer ${j.v.vid} shift ${j.s.id}: ${x.status} ${x.body}`);
    if (!pairs.has(j.v.vid)) pairs.set(j.v.vid, []);
    pairs.get(j.v.vid).push(x.status);
  }
  for (const [vid, st] of pairs) {
    const ok = st.filter((s) => s === 201).length;
    if (ok !== 1) fail(`volunteer ${vid}: ${ok} sign-ups accepted of ${st.length} attempts (expected exactly 1)`);
  }
  const ids = shifts.map((s) => s.id).join(',');
  const rows = sqliteJson(db, `SELECT s.id, s.capacity,
      (SELECT count(*) FROM signups WHERE shift_id = s.id AND status = 'confirmed') AS confirmed,
      (SELECT count(*) FROM signups WHERE shift_id = s.id AND status = 'waitlisted') AS waitlisted,
      (SELECT max(id) FROM signups WHERE shift_id = s.id AND status = 'confirmed') AS last_confirmed,
      (SELECT min(id) FROM signups WHERE shift_id = s.id AND status = 'waitlisted') AS first_waitlisted
    FROM shifts s WHERE s.id IN (${ids});`);
  let confirmed = 0, places = 0, live = 0;
  for (const s of rows) {
    if (s.confirmed !== Math.min(s.capacity, s.confirmed + s.waitlisted))
      fail(`shift ${s.id}: ${s.confirmed} confirmed, ${s.waitlisted} waitlisted, capacity ${s.capacity}`);
    if (s.first_waitlisted !== null && s.last_confirmed > s.first_waitlisted)
      fail(`shift ${s.id}: waitlist not FIFO (confirmed id ${s.last_confirmed} after waitlisted id ${s.first_waitlisted})`);
    confirmed += s.confirmed; places += s.capacity; live += s.confirmed + s.waitlisted;
  }
  const [{ n: overlaps }] = sqliteJson(db, `SELECT count(*) AS n FROM signups a JOIN signups b
      ON b.volunteer_id = a.volunteer_id AND b.id > a.id
    JOIN shifts sa ON sa.id = a.shift_id JOIN shifts sb ON sb.id = b.shift_id
    WHERE a.status IN ('confirmed', 'waitlisted') AND b.status IN ('confirmed', 'waitlisted')
      AND sa.start_at < sb.end_at AND sb.start_at < sa.end_at;`);
  if (overlaps) fail(`${overlaps} pairs of overlapping live sign-ups of one person`);
  const ok = res.filter((x) => x.status === 201);
  if (ok.length !== live) fail(`${ok.length} sign-ups answered 201 but ${live} live in the database`);
  const okConfirmed = ok.filter((x) => x.json.status === 'confirmed').length;
  if (okConfirmed !== confirmed) fail(`${okConfirmed} answered confirmed, ${confirmed} in the database`);
  // Waitlist positions as answered: 1..W per shift in sign-up id order.
  const byShift = new Map();
  for (const x of ok) if (x.json.status === 'waitlisted') {
    if (!byShift.has(x.json.shift_id)) byShift.set(x.json.shift_id, []);
    byShift.get(x.json.shift_id).push(x.json);
  }
  for (const [sid, list] of byShift) {
    list.sort((a, b) => a.id - b.id);
    list.forEach((g, i) => { if (g.waitlist_position !== i + 1) fail(`shift ${sid}: sign-up ${g.id} answered position ${g.waitlist_position}, expected ${i + 1}`); });
  }
  return { confirmed, places, live };
}

export default {
  name: 'friday_rush',
  async run(ctx) {
    const cfg = SCALES[ctx.scale];
    if (!cfg) throw new Error(`friday_rush: unknown scale ${ctx.scale}`);
    const r = rng(ctx.seed);
    const env = { WENMING_TEST_CLOCK: '1', WENMING_TICK_SECONDS: '0' };
    const db = join(ctx.dir, 'wenming.db');

    // 1. The street and the shifts.
    let srv = await startWenming(ctx.bin, ['demo', '--data', ctx.dir, '--listen', '127.0.0.1:0', '--people', '200'], { env });
    let shifts, comms;
    try { ({ shifts, comms } = await makeShifts(srv.url, cfg, ctx.log)); } finally { await srv.stop(); }

    // 2. The volunteers and their sessions, straight into SQLite.
    let t = Date.now();
    const vols = makeVolunteers(db, cfg, comms, r);
    ctx.log(`friday_rush: ${vols.length} volunteers with sessions written in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const jobs = makeJobs(vols, shifts, r);
    const refDb = join(ctx.dir, 'ref.db');
    sqlite(db, `.backup '${refDb}'`);

    // 3. The rush on a fresh server (its peak RSS is the rush's alone).
    // BENCH_THREADS: the server's --threads (the product's default is 2).
    srv = await startWenming(ctx.bin, ['serve', '--data', ctx.dir, '--listen', '127.0.0.1:0', '--threads', process.env.BENCH_THREADS || '2'], { env });
    let res, health, rss, anon, cpu;
    try {
      const admin = await login(srv.url, 'admin');
      srv.resetPeaks();
      // The HTTP ceiling first (it also warms the server up).
      const hreq = rawRequest('GET', srv.url + '/healthz');
      health = await hammer(srv.url, Array.from({ length: jobs.length }, () => hreq), cfg.conns, { keepBody: () => false });
      await api(srv.url, 'PUT', '/api/v1/system/clock', admin, { now: FRIDAY });
      const reqs = jobs.map((j) => rawRequest('POST', `${srv.url}/api/v1/shifts/${j.s.id}/signup`,
        { headers: { Authorization: 'Bearer ' + j.v.token } }));
      ctx.log(`friday_rush: firing ${reqs.length} sign-ups over ${cfg.conns} connections`);
      const perf = await perfStart(srv.pid, ctx, 'friday_rush');
      const cpu0 = srv.cpuSeconds();
      res = await hammer(srv.url, reqs, cfg.conns);
      cpu = srv.cpuSeconds() - cpu0;
      await perfStop(perf, ctx);
      rss = srv.peakRssMiB();
      anon = srv.peakAnonMiB();
    } finally { await srv.stop(); }

    // 4. Exact capacity, overlap, FIFO (throws on any violation).
    const c = check(jobs, res, db, shifts);
    if (c.confirmed !== c.places) throw new Error(`friday_rush: ${c.confirmed} confirmed for ${c.places} places`);

    // 5. The reference: the same transaction in C, same jobs, same order.
    const exe = join(ctx.dir, 'ref_signup');
    const src = join(ctx.repo, 'bench', 'ref_signup.c');
    const flags = execFileSync('pkg-config', ['--cflags', '--libs', 'sqlite3']).toString().trim().split(/\s+/);
    execFileSync('cc', ['-O2', '-o', exe, src, ...flags]);
    const jobFile = join(ctx.dir, 'jobs.txt');
    writeFileSync(jobFile, jobs.map((j) => `${j.s.id} ${j.v.vid}`).join('\n') + '\n');
    const [rj, rc, , , rsecs, rcpu] = execFileSync(exe, [refDb, jobFile, String(Math.floor(Date.parse(FRIDAY) / 1000))])
      .toString().trim().split(' ').map(Number);
    if (rc !== c.places) throw new Error(`friday_rush: the reference confirmed ${rc} for ${c.places} places`);

    // Figures.
    const span = (xs) => (Math.max(...xs.map((x) => x.end)) - Math.min(...xs.map((x) => x.start))) / 1000;
    const lat = res.map((x) => x.end - x.start).sort((a, b) => a - b);
    const hlat = health.map((x) => x.end - x.start).sort((a, b) => a - b);
    const rps = jobs.length / span(res), hrps = health.length / span(health);
    const gone = Math.max(...res.filter((x) => x.json?.status === 'confirmed').map((x) => x.end)) / 1000;
    ctx.log(`friday_rush: ${jobs.length} sign-ups (${vols.length} volunteers, ${c.places} places) in ${span(res).toFixed(2)} s; ` +
      `${c.confirmed} confirmed, ${c.live - c.confirmed} waitlisted, ${jobs.length - c.live} refused (overlap); reference C ${rj} jobs in ${rsecs.toFixed(3)} s; server CPU ${cpu.toFixed(2)} s = ${(cpu / jobs.length * 1e6).toFixed(0)} µs per sign-up; peak RSS ${rss} MiB (anonymous ${anon} MiB)`);
    const row = (metric, value, unit, reference, refValue, better) => ({
      scenario: 'friday_rush', metric, value: round(value, 3), unit, reference, ref_value: round(refValue, 3), better, peak_rss_mib: rss,
    });
    return [
      row('signups_per_s', rps, 'req/s', 'raw SQLite sign-up txn in C, 1 thread', rj / rsecs, 'higher'),
      row('signups_per_s_vs_http', rps, 'req/s', 'GET /healthz, same client', hrps, 'higher'),
      row('signup_p50', percentile(lat, 0.5), 'ms', 'GET /healthz p50, same client', percentile(hlat, 0.5), 'lower'),
      row('signup_p99', percentile(lat, 0.99), 'ms', 'GET /healthz p99, same client', percentile(hlat, 0.99), 'lower'),
      row('server_cpu_per_signup', cpu / jobs.length * 1e6, 'µs', 'raw SQLite CPU per sign-up txn', rcpu / rj * 1e6, 'lower'),
      row('all_places_gone', gone, 's', 'raw SQLite, all jobs', rsecs, 'lower'),
      row('confirmed_vs_places', c.confirmed, 'places', 'places offered', c.places, 'higher'),
    ];
  },
};
