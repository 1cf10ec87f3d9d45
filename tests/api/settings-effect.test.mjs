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
import { ensureServer, api, as, login, orgId, errorOf, openapi, categoryCode } from './harness.mjs';
import { mkPost, addPattern, generate, shiftsOf, setClock, resetClock, signup, volunteerAccount } from './volunteer-fixtures.mjs';

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
  [VOL]: {
    min_age: 'signup_decide SU_AGE (core/signup.c), unit-tested in test_signup.c',
    max_age: 'signup_decide SU_AGE',
    open_weekday: 'signup_window (shift_view signup_opens_at)',
    open_minute: 'signup_window (shift_view signup_opens_at)',
    cutoff_minutes: 'signup_window closes; cancelling after the cut-off',
    weekly_quota: 'signup_decide SU_QUOTA',
    noshow_limit: 'settle_signup blocks after the limit (shifts.c)',
    block_days: 'settle_signup blocked_until (shifts.c)',
  },
  '/api/v1/settings/bank': {
    points_per_hour: 'points of an approved record (bank_rules.c)',
    points_per_activity: 'points of an attended activity (bank.c)',
    points_per_tip: 'points of an accepted tip (bank.c)',
    expiry_days: 'the expiry job (bank.c)',
    transfer_max_per_month: 'transfer limit per sender (bank.c)',
    transfer_enabled: 'transfers refused when false (bank.c)',
  },
  '/api/v1/settings/revisits': {
    offsets_days: 'revisit scheduling after closing (revisits.c)',
    chronic_threshold: 'chronic spot detection (chronic.c)',
    chronic_window_days: 'chronic spot detection window (chronic.c)',
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
