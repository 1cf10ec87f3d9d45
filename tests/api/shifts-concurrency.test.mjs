// shifts-concurrency.test.mjs — the Friday rush against the real binary:
// hundreds of parallel sign-ups for a capacity-5 shift give exactly 5
// confirmations (the rest waitlisted in order), and parallel sign-ups of the
// same people for several overlapping shifts never leave anyone in two of
// them (SPEC §5: N simultaneous sign-ups for capacity C → min(N, C)).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, orgId, listAll } from './harness.mjs';
import { mkVolunteer, mkPost, addPattern, generate, shiftsOf, setClock, resetClock, signup, volunteerAccount } from './volunteer-fixtures.mjs';

await ensureServer();
let office, committee, comm;
const N = 220;

before(async () => {
  office = await login('office');
  committee = await login('committee');
  comm = await orgId('由由第五居民区');
  await setClock('2025-05-02T12:00:00+08:00');	// Friday 12:00: the week of 2025-05-05 opens
});
after(async () => { await resetClock(); });

async function volunteers(n) {
  const out = [];
  for (let i = 0; i < n; i += 20)
    out.push(...await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => mkVolunteer(office, comm))));
  return out;
}

test(`${N} parallel sign-ups for a capacity-5 shift: exactly 5 confirmed, the rest waitlisted in order`, async () => {
  const p = await mkPost(office, comm);
  await addPattern(office, p.id, '07:30', '09:30', 5);
  await generate(office, p.id, '2025-05-05', 1);
  const [shift] = await shiftsOf(office, p.id, '2025-05-05', '2025-05-06');
  const vols = await volunteers(N);
  // A handful of self sign-ups by real volunteer accounts race with the staff's.
  const selves = [];
  for (let i = 0; i < 5; i++) selves.push(await volunteerAccount(comm, { approver: committee }));
  const t0 = Date.now();
  const rs = await Promise.all([
    ...vols.map((v) => signup(committee, shift.id, { volunteer_id: v.id })),
    ...selves.map((s) => signup(s.session, shift.id)),
  ]);
  const ms = Date.now() - t0;
  assert.ok(rs.every((r) => r.status === 201), rs.filter((r) => r.status !== 201).map((r) => r.text).slice(0, 3).join('\n'));
  const confirmed = rs.filter((r) => r.json.status === 'confirmed');
  const waitlisted = rs.filter((r) => r.json.status === 'waitlisted');
  assert.equal(confirmed.length, 5);
  assert.equal(waitlisted.length, N + 5 - 5);
  // Waitlist positions are 1..N, each once.
  const s = (await api('GET', `/api/v1/shifts/${shift.id}`, as(office))).json;
  assert.equal(s.confirmed, 5);
  assert.equal(s.remaining, 0);
  assert.equal(s.waitlisted, N);
  const roster = (await api('GET', `/api/v1/roster?week=2025-05-05&post_id=${p.id}`, as(office))).json.items;
  const pos = roster.filter((g) => g.status === 'waitlisted').map((g) => g.waitlist_position).sort((a, b) => a - b);
  assert.deepEqual(pos, Array.from({ length: N }, (_, i) => i + 1));
  console.log(`# ${N + 5} sign-ups in ${ms} ms`);
  // Every waitlisted person was told their place in the answer.
  assert.ok(waitlisted.every((r) => r.json.waitlist_position >= 1));
});

test('parallel sign-ups of the same people for overlapping shifts: nobody ends up in two', async () => {
  // Three posts whose shifts overlap (08:00–10:00, 09:00–11:00, 09:30–10:30), capacity 5 each.
  const shifts = [];
  for (const [a, b] of [['08:00', '10:00'], ['09:00', '11:00'], ['09:30', '10:30']]) {
    const p = await mkPost(office, comm);
    await addPattern(office, p.id, a, b, 5);
    await generate(office, p.id, '2025-05-06', 1);
    shifts.push((await shiftsOf(office, p.id, '2025-05-06', '2025-05-07'))[0]);
  }
  const vols = await volunteers(70);
  const jobs = [];
  for (const v of vols) for (const s of shifts) jobs.push({ v, s });
  // Shuffle deterministically so the three attempts of one person interleave with others.
  for (let i = jobs.length - 1; i > 0; i--) { const j = (i * 7919) % (i + 1); [jobs[i], jobs[j]] = [jobs[j], jobs[i]]; }
  const rs = await Promise.all(jobs.map(({ v, s }) => signup(committee, s.id, { volunteer_id: v.id }).then((r) => ({ r, v, s }))));
  const ok = rs.filter((x) => x.r.status === 201);
  const refused = rs.filter((x) => x.r.status !== 201);
  assert.ok(refused.every((x) => x.r.status === 409 && x.r.json.error.code === 'overlap'), refused.map((x) => x.r.text).slice(0, 3).join('\n'));
  // Each person holds exactly one live sign-up among the three.
  const per = new Map();
  for (const x of ok) per.set(x.v.id, (per.get(x.v.id) || 0) + 1);
  assert.equal(per.size, vols.length);
  assert.ok([...per.values()].every((n) => n === 1));
  // Exact counts per shift.
  let live = 0;
  for (const s of shifts) {
    const got = (await api('GET', `/api/v1/shifts/${s.id}`, as(office))).json;
    assert.ok(got.confirmed <= 5, `shift ${s.id}: ${got.confirmed} confirmed`);
    const mine = ok.filter((x) => x.s.id === s.id);
    assert.equal(got.confirmed + got.waitlisted, mine.length);
    assert.equal(got.confirmed, Math.min(5, mine.length));
    live += mine.length;
  }
  assert.equal(live, vols.length);
});
