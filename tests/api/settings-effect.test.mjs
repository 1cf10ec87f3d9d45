// settings-effect.test.mjs — every editable setting changes something a client
// can observe (issue 15, "Settings that do nothing"). The table EFFECTS holds,
// per settings endpoint and key, a check that sets the key to two values and
// sees two different answers from the API; the first test fails when a
// settings endpoint or a key it serves is in neither EFFECTS nor PENDING, so a
// new setting cannot arrive without its test.
//
// PENDING lists keys whose effect test is not written yet (each has an effect
// in the code: the reason says where). It must only shrink; see the report of
// branch h-copies. READ_ONLY lists keys a GET shows that the PUT does not take.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ensureServer, api, as, login, freshLogin, orgId, errorOf, openapi, categoryCode, tag, clockNow, listAll, makePng, spotOf,
} from './harness.mjs';
import { mkPost, addPattern, generate, shiftsOf, setClock, resetClock, signup, volunteerAccount, tick } from './volunteer-fixtures.mjs';

await ensureServer();

let office, admin, committee, comm;
before(async () => {
  office = await login('office');
  admin = await login('admin');
  committee = await login('committee');
  comm = await orgId('由由第五居民区');
});
after(async () => { await resetClock(); });

const SAT = '2025-03-01T10:00:00+08:00';	// the week of Mon 2025-03-03 is open (volunteer-fixtures)

async function getSettings(path) {
  const r = await api('GET', path, as(admin));
  assert.equal(r.status, 200, r.text);
  return r.json;
}
async function putSetting(path, key, value) {
  const r = await api('PUT', path, as(admin, { body: { [key]: value } }));
  assert.equal(r.status, 200, `${path} ${key}=${value}: ${r.text}`);
}
// Runs fn with the setting at value, then puts the old value back.
async function withSetting(path, key, value, fn) {
  const old = (await getSettings(path))[key];
  await putSetting(path, key, value);
  try { return await fn(); } finally { await putSetting(path, key, old); }
}

// A volunteer confirmed on a 16:30–18:30 shift of a post without GPS on Wed 2025-03-05.
async function confirmedShift() {
  await setClock(SAT);
  const p = await mkPost(office, comm);
  await addPattern(office, p.id, '16:30', '18:30', 2);
  await generate(office, p.id, '2025-03-05', 1);
  const [s] = await shiftsOf(office, p.id, '2025-03-05', '2025-03-05T23:59:59+08:00');
  const v = await volunteerAccount(comm, { approver: committee });
  const g = await signup(v.session, s.id);
  assert.equal(g.status, 201, g.text);
  return { post: p, shift: s, v, signupId: g.json.id };
}
// The shifts of a new post with one daily slot over `days` days from `date`.
async function postShifts(date, start, end, days = 1) {
  const p = await mkPost(office, comm);
  await addPattern(office, p.id, start, end, 2);
  await generate(office, p.id, date, days);
  return shiftsOf(office, p.id, date, '2025-03-31');
}
// A new approved volunteer born in `year` signs up for the 07:30 shift of Wed 2025-03-05 at `at`.
async function signupAt(at, year = 1990) {
  await setClock(SAT);
  const [s] = await postShifts('2025-03-05', '07:30', '09:30');
  const v = await volunteerAccount(comm, { year, approver: committee });
  await setClock(at);
  return outcome(await signup(v.session, s.id));
}
// A volunteer misses one shift (no check-in); the tick settles it: their blocked_until.
async function missOne() {
  await setClock(SAT);
  const [s] = await postShifts('2025-03-05', '07:30', '09:30');
  const v = await volunteerAccount(comm, { approver: committee });
  assert.equal((await signup(v.session, s.id)).status, 201);
  await setClock('2025-03-05T12:00:00+08:00');
  await tick();
  return (await api('GET', '/api/v1/volunteers/me', as(v.session))).json.volunteer.blocked_until ?? null;
}
// Two bank members of comm linked as family (approved by the 居委), the first holding 50 points.
async function bankMember() {
  const loginName = `set-${tag()}`;
  const a = await api('POST', '/api/v1/accounts', as(admin, {
    body: { login: loginName, display_name: '设置测试', password: 'set-secret-123', grants: [{ role: 'resident', org_id: comm }] },
  }));
  assert.equal(a.status, 201, a.text);
  return { id: a.json.id, login: loginName, s: await freshLogin(loginName, 'set-secret-123') };
}
async function family() {
  await resetClock();
  const a = await bankMember(), b = await bankMember();
  assert.equal((await api('POST', '/api/v1/bank/family', as(a.s, { body: { login: b.login, relation: '子女' } }))).status, 202);
  const items = (await api('GET', '/api/v1/bank/family?manage=1&state=pending', as(committee))).json.items;
  const p = items.find((x) => x.account_id === a.id && x.family_id === b.id);
  assert.equal((await api('POST', `/api/v1/bank/family/${p.id}/approve`, as(committee))).status, 200);
  const g = await api('POST', '/api/v1/bank/awards', as(office, { body: { account_id: a.id, org_id: comm, points: 50, reason: '设置测试' } }));
  assert.equal(g.status, 201, g.text);
  return { a, b };
}
const transfer = (f, amount) => api('POST', '/api/v1/bank/transfers', as(f.a.s, { body: { to_account_id: f.b.id, amount, note: '给家人' } }));
const BANK = '/api/v1/settings/bank';
const bankBalance = async (s) => (await api('GET', '/api/v1/bank/me', as(s))).json.balance;

// Problems (as revisits.test.mjs does): a fresh place far from other tests, a report, the closed loop.
let spotSeq = 0;
const freshSpot = () => ({ lat: 31.36 + (process.pid % 500) * 0.0009 + ++spotSeq * 0.002, lng: 121.70 + Math.random() * 0.05 });
const near = (l, m) => ({ lat: l.lat + m / 111320, lng: l.lng });
async function report(login_, location) {
  const r = await api('POST', '/api/v1/problems', as(await login(login_), {
    body: { category: 'C0301', description: `设置测试 ${tag()}`, org_id: comm, location },
  }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}
async function act(login_, id, action, body = {}) {
  const r = await api('POST', `/api/v1/problems/${id}/actions`, as(await login(login_), { body: { action, ...body } }));
  assert.equal(r.status, 200, `${action}: ${r.text}`);
}
async function closeProblem(id) {
  const handler = await login('handler');
  await act('committee', id, 'accept');
  await act('committee', id, 'dispatch', { handler_org_id: await orgId('锦绣前城物业') });
  await act('handler', id, 'acknowledge');
  const photo = await api('POST', '/api/v1/photos', as(handler, { body: makePng(18, 12), headers: { 'Content-Type': 'image/png' } }));
  assert.equal(photo.status, 201, photo.text);
  await act('handler', id, 'rectify', { photos: [photo.json.id], location: await spotOf(handler, id) });
  await act('committee', id, 'verify_pass');
}
// A problem closed `daysAgo` days ago at a fresh place, and a new report 10 m away now:
// is the place a chronic spot?
async function recurrence(daysAgo = 0) {
  const loc = freshSpot();
  if (daysAgo) await setClock(new Date(clockNow() - daysAgo * 86400000).toISOString());
  const a = await report('inspector', loc);
  await closeProblem(a.id);
  await resetClock();
  await report('resident', near(loc, 10));
  const items = await listAll('/api/v1/chronic?category=C0301', office);
  return items.some((x) => x.location && Math.abs(x.location.lat - loc.lat) < 0.0003 && Math.abs(x.location.lng - loc.lng) < 0.0003);
}
const REV = '/api/v1/settings/revisits';

const checkin = (x) => api('POST', '/api/v1/checkin', as(x.v.session, { body: { post_id: x.post.id } }));
const checkout = (x) => api('POST', `/api/v1/signups/${x.signupId}/attendance`, as(x.v.session, { body: { action: 'checkout' } }));
// The status (and error code) of an attempt, as one comparable string.
const outcome = (r) => (r.status < 300 ? `${r.status}` : `${r.status} ${errorOf(r)?.code}`);

const VOL = '/api/v1/settings/volunteers';

// key → async (value) => an observable outcome; [a, b] two values whose outcomes differ.
const EFFECTS = {
  [VOL]: {
    // A check-out 10 minutes after the end: refused without grace, recorded with 30 minutes.
    checkout_grace_minutes: {
      values: [0, 30],
      observe: async () => {
        const x = await confirmedShift();
        await setClock('2025-03-05T16:35:00+08:00');
        assert.equal((await checkin(x)).status, 200);
        await setClock('2025-03-05T18:40:00+08:00');
        const r = await checkout(x);
        return outcome(r) + (r.status === 200 ? ` ${r.json.checkout_at}` : '');
      },
      expect: ['409 outside_window', '200 2025-03-05T18:40:00+08:00'],
    },
    // A check-in 20 minutes before the start: too early when it opens 10 minutes before.
    checkin_before_minutes: {
      values: [10, 30],
      observe: async () => {
        const x = await confirmedShift();
        await setClock('2025-03-05T16:10:00+08:00');
        return outcome(await checkin(x));
      },
      expect: ['409 outside_window', '200'],
    },
    // A check-in 5 minutes after the end: too late when it closes at the end.
    checkin_after_minutes: {
      values: [0, 10],
      observe: async () => {
        const x = await confirmedShift();
        await setClock('2025-03-05T18:35:00+08:00');
        return outcome(await checkin(x));
      },
      expect: ['409 outside_window', '200'],
    },
    // Age on the day of service: a volunteer born in 1990 is in their thirties on 2025-03-05.
    min_age: { values: [40, 18], observe: () => signupAt(SAT), expect: ['409 too_young', '201'] },
    max_age: { values: [30, 65], observe: () => signupAt(SAT), expect: ['409 too_old', '201'] },
    // When sign-up opens for a shift: the weekday and minute of the week before.
    open_weekday: {
      values: [5, 3],
      observe: async () => { await setClock(SAT); return (await postShifts('2025-03-12', '07:30', '09:30'))[0].signup_opens_at; },
      expect: ['2025-03-07T12:00:00+08:00', '2025-03-05T12:00:00+08:00'],
    },
    open_minute: {
      values: [720, 540],
      observe: async () => { await setClock(SAT); return (await postShifts('2025-03-12', '07:30', '09:30'))[0].signup_opens_at; },
      expect: ['2025-03-07T12:00:00+08:00', '2025-03-07T09:00:00+08:00'],
    },
    // Sign-up 30 minutes before the start: closed with a 60-minute cut-off, open with 10.
    cutoff_minutes: { values: [60, 10], observe: () => signupAt('2025-03-05T07:00:00+08:00'), expect: ['409 signup_closed', '201'] },
    // A second shift in the same week: over a quota of 1, within one of 2.
    weekly_quota: {
      values: [1, 2],
      observe: async () => {
        await setClock(SAT);
        const list = await postShifts('2025-03-04', '07:30', '09:30', 2);
        const v = await volunteerAccount(comm, { approver: committee });
        assert.equal((await signup(v.session, list[0].id)).status, 201);
        return outcome(await signup(v.session, list[1].id));
      },
      expect: ['409 weekly_quota', '201'],
    },
    // One no-show blocks at a limit of 1, not at 5; block_days sets how long.
    noshow_limit: { values: [1, 5], observe: missOne, expect: ['2025-04-04T12:00:00+08:00', null] },
    block_days: {
      values: [30, 7],
      observe: async () => withSetting(VOL, 'noshow_limit', 1, missOne),
      expect: ['2025-04-04T12:00:00+08:00', '2025-03-12T12:00:00+08:00'],
    },
  },
  [BANK]: {
    // A transfer to family: refused while transfers are off.
    transfer_enabled: { values: [false, true], observe: async () => outcome(await transfer(await family(), 10)), expect: ['409 transfer_disabled', '201'] },
    // A 2-hour service record, once approved, earns points_per_hour × 2.
    points_per_hour: {
      values: [10, 20],
      observe: async () => {
        await resetClock();
        const v = await volunteerAccount(comm, { approver: office });
        const rec = await api('POST', '/api/v1/records', as(office, {
          body: { volunteer_id: v.volunteer.id, activity_name: '设置测试服务', service_date: '2025-03-01', hours: 2 },
        }));
        assert.equal(rec.status, 201, rec.text);
        const d = await api('POST', `/api/v1/records/${rec.json.id}/decision`, as(office, { body: { decision: 'approve' } }));
        assert.equal(d.status, 200, d.text);
        return bankBalance(v.session);
      },
      expect: [20, 40],
    },
    // Points three days old: kept when they never expire, gone after a day's expiry (the tick).
    expiry_days: {
      values: [0, 1],
      observe: async () => {
        await resetClock();
        const m = await bankMember();
        const g = await api('POST', '/api/v1/bank/awards', as(office, { body: { account_id: m.id, org_id: comm, points: 10, reason: '设置测试' } }));
        assert.equal(g.status, 201, g.text);
        await setClock(new Date(clockNow() + 3 * 86400000).toISOString());
        await tick();
        await resetClock();
        return bankBalance(m.s);
      },
      expect: [10, 0],
    },
    // A resident's report (a citizen tip), once verified and closed, earns points_per_tip.
    points_per_tip: {
      values: [5, 12],
      observe: async () => {
        await resetClock();
        const m = await bankMember();
        const r = await api('POST', '/api/v1/problems', as(m.s, {
          body: { category: 'C0301', description: `设置测试啄木鸟 ${tag()}`, org_id: comm, location: freshSpot() },
        }));
        assert.equal(r.status, 201, r.text);
        await closeProblem(r.json.id);
        return bankBalance(m.s);
      },
      expect: [5, 12],
    },
    // A good deed of a volunteer with a login, once the 居委 verifies it, earns points_per_good_deed
    // (targets feature, docs/PARTY.md).
    points_per_good_deed: {
      values: [5, 9],
      observe: async () => {
        await resetClock();
        const v = await volunteerAccount(comm, { approver: office });
        const d = await api('POST', '/api/v1/good-deeds', as(office, {
          body: { org_id: comm, person_id: v.volunteer.person_id, title: `设置测试好事 ${tag()}`, occurred_on: new Date(clockNow() + 8 * 3600e3).toISOString().slice(0, 10) },
        }));
        assert.equal(d.status, 201, d.text);
        const ok = await api('POST', `/api/v1/good-deeds/${d.json.id}/verify`, as(committee, { body: {} }));
        assert.equal(ok.status, 200, ok.text);
        return bankBalance(v.session);
      },
      expect: [5, 9],
    },
    // 30 points in one month: over a cap of 20, within one of 40.
    transfer_max_per_month: {
      values: [20, 40],
      observe: async () => withSetting(BANK, 'transfer_enabled', true, async () => outcome(await transfer(await family(), 30))),
      expect: ['409 transfer_limit', '201'],
    },
  },
  [REV]: {
    // Closing a problem schedules one revisit per offset.
    offsets_days: {
      values: [[7], [3, 14, 60]],
      observe: async () => {
        await resetClock();
        const p = await report('resident', freshSpot());
        await closeProblem(p.id);
        return (await listAll(`/api/v1/revisits?problem_id=${p.id}`, office)).length;
      },
      expect: [1, 3],
    },
    // Two reports at one place: a chronic spot at a threshold of 2, not at 3.
    chronic_threshold: { values: [2, 3], observe: () => recurrence(), expect: [true, false] },
    // A recurrence 40 days after the first report counts within 90 days, not within 30.
    chronic_window_days: {
      values: [90, 30],
      observe: () => withSetting(REV, 'chronic_threshold', 2, () => recurrence(40)),
      expect: [true, false],
    },
  },
  '/api/v1/settings/duplicates': {
    // The likely-duplicates search runs with the radius set here when the client names none.
    radius_m: {
      values: [50, 120],
      observe: async () => {
        const q = new URLSearchParams({ category: await categoryCode(), lat: '31.2153', lng: '121.5502' });
        const r = await api('GET', `/api/v1/problems/nearby?${q}`, as(await login('resident')));
        assert.equal(r.status, 200, r.text);
        return r.json.radius_m;
      },
      expect: [50, 120],
    },
  },
};

const PENDING = {
  '/api/v1/settings/bank': {
    points_per_activity: 'award_activities in bank.c: points of an attended activity (not written yet)',
  },
};

// Keys a GET shows that are not settings of that endpoint.
const READ_ONLY = {
  '/api/v1/settings/duplicates': ['default_radius_m', 'max_radius_m'],
  '/api/v1/settings/revisits': ['defaults', 'chronic_radius_m'],	// chronic_radius_m is duplicates' radius_m
};

test('the table covers every settings endpoint and every key each one serves', async () => {
  const spec = await openapi();
  const endpoints = Object.entries(spec.paths)
    .filter(([p, ops]) => ops.put && /\/settings\//.test(p))
    .map(([p]) => (p.startsWith('/api/v1') ? p : `/api/v1${p}`))
    .sort();
  const known = [...new Set([...Object.keys(EFFECTS), ...Object.keys(PENDING)])].sort();
  assert.deepEqual(endpoints, known, 'a settings endpoint without an effect table');
  for (const path of endpoints) {
    const served = Object.keys(await getSettings(path)).filter((k) => !(READ_ONLY[path] || []).includes(k)).sort();
    const covered = [...Object.keys(EFFECTS[path] || {}), ...Object.keys(PENDING[path] || {})].sort();
    assert.deepEqual(served, covered, `${path}: every key has a row in EFFECTS or PENDING`);
    for (const k of Object.keys(EFFECTS[path] || {}))
      assert.ok(!(PENDING[path] || {})[k], `${path} ${k} is both tested and pending`);
  }
});

for (const [path, keys] of Object.entries(EFFECTS)) {
  for (const [key, row] of Object.entries(keys)) {
    test(`${path} ${key} changes behaviour`, async () => {
      const seen = [];
      for (const value of row.values)
        seen.push(await withSetting(path, key, value, row.observe));
      assert.deepEqual(seen, row.expect);
      assert.notEqual(seen[0], seen[1]);
    });
  }
}
