// revisits.test.mjs — 回头看 and 顽疾 (SPEC §3 "Revisits"): closing schedules
// revisits at +7 and +30 days; pass; fail reopens the problem as a relapse and
// cancels its other pending revisit; doing one twice is 409; the reopen action
// and a citizen's 不满意 cancel pending revisits; scope; bad input; the
// settings; chronic spots flagged at exactly N within the window (not at N-1,
// not counting reports outside it, counting relapses); the watch list with
// daily checks and missed days settled by the tick with the test clock,
// idempotently.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, errorOf, orgId, listAll, tag, makePng, spotOf, clockIso, clockNow } from './harness.mjs';

await ensureServer();

const H = 3600 * 1000;
const DAY = 24 * H;
const S = {};
const ORG = {};

before(async () => {
  for (const l of ['admin', 'office', 'committee', 'committee2', 'inspector', 'handler', 'resident', 'volunteer'])
    S[l] = await login(l);
  ORG.comm = await orgId('由由第五居民区');
  ORG.jxqc = await orgId('锦绣前城物业');
});
// Leave the clock at real time whatever happened (the private server may be gone already).
after(async () => {
  if (S.admin) await api('PUT', '/api/v1/system/clock', as(S.admin, { body: { now: clockIso() } })).catch(() => {});
});

// RFC 3339 in China time for a millisecond timestamp; the China-time date.
const cn = (ms) => new Date(Math.floor(ms / 1000) * 1000 + 8 * H).toISOString().replace(/\.\d{3}Z$/, '+08:00');
const cnDate = (ms) => new Date(ms + 8 * H).toISOString().slice(0, 10);
const setClock = async (ms) => {
  const r = await api('PUT', '/api/v1/system/clock', as(S.admin, { body: { now: cn(ms) } }));
  assert.equal(r.status, 200, r.text);
};
const tick = async () => {
  const r = await api('POST', '/api/v1/system/tick', as(S.admin));
  assert.equal(r.status, 200, r.text);
  return r.json;
};

// A spot of its own for every test: somewhere north of the demo street, far
// from the other tests' fixed locations (the radius is 50 m).
let spotSeq = 0;
function freshSpot() {
  spotSeq++;
  return { lat: 31.30 + (process.pid % 500) * 0.0009 + spotSeq * 0.002, lng: 121.60 + Math.random() * 0.05 };
}
const near = (l, m = 5) => ({ lat: l.lat + m / 111320, lng: l.lng });

async function upload(s) {
  const r = await api('POST', '/api/v1/photos', as(s, { body: makePng(18, 12), headers: { 'Content-Type': 'image/png' } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function report(s, { category = 'C0301', location = freshSpot() } = {}) {
  const r = await api('POST', '/api/v1/problems', as(s, {
    body: { category, description: `回头看测试 ${tag()}`, org_id: ORG.comm, location },
  }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const act = (s, id, action, body = {}) => api('POST', `/api/v1/problems/${id}/actions`, as(s, { body: { action, ...body } }));
async function ok(s, id, action, body = {}) {
  const r = await act(s, id, action, body);
  assert.equal(r.status, 200, `${action}: ${r.text}`);
  return r.json;
}
// From reported (or reopened) to closed.
async function close(id, { reopened = false } = {}) {
  if (!reopened) await ok(S.committee, id, 'accept');
  await ok(S.committee, id, 'dispatch', { handler_org_id: ORG.jxqc });
  await ok(S.handler, id, 'acknowledge');
  await ok(S.handler, id, 'rectify', { photos: [await upload(S.handler)], location: await spotOf(S.handler, id) });
  return ok(S.committee, id, 'verify_pass');
}
async function closedProblem(opts = {}) {
  const p = await report(opts.reporter || S.resident, opts);
  await close(p.id);
  return p;
}
const getP = async (s, id) => {
  const r = await api('GET', `/api/v1/problems/${id}`, as(s));
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const revisitsOf = async (s, pid) => listAll(`/api/v1/revisits?problem_id=${pid}`, s);
const doRevisit = (s, id, body) => api('POST', `/api/v1/revisits/${id}`, as(s, { body }));

// --- revisits ---------------------------------------------------------------

test('closing schedules revisits at +7 and +30 days, due by the end of the day', async () => {
  const p = await closedProblem();
  const full = await getP(S.committee, p.id);
  assert.equal(full.state, 'closed');
  const rv = full.revisits;
  assert.equal(rv.pending, 2);
  assert.deepEqual(rv.items.map((v) => v.offset_days), [7, 30]);
  const closedMs = Date.parse(full.closed_at);
  for (const v of rv.items) {
    assert.equal(v.state, 'pending');
    assert.equal(v.overdue, false);
    assert.match(v.due_at, /T23:59:59\+08:00$/);
    assert.equal(v.due_at.slice(0, 10), cnDate(closedMs + v.offset_days * DAY));
  }
  assert.equal(rv.next_due_at, rv.items[0].due_at);
  // The task list, scoped and filtered.
  const list = await revisitsOf(S.inspector, p.id);
  assert.equal(list.length, 2);
  assert.equal(list[0].problem_code, p.code);
  assert.equal(list[0].org_id, ORG.comm);
  assert.ok(list[0].problem_location && typeof list[0].problem_location.lat === 'number');
  assert.equal(list[0].org_path, undefined);
  const one = await api('GET', `/api/v1/revisits/${list[0].id}`, as(S.committee));
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.problem_id, p.id);
  // Ordered by due date; due_before keeps the +7 one only.
  const before = list[0].due_at.slice(0, 10);
  const d8 = new Date(Date.parse(`${before}T00:00:00+08:00`) + DAY + 8 * H).toISOString().slice(0, 10);
  const early = await listAll(`/api/v1/revisits?problem_id=${p.id}&due_before=${d8}`, S.office);
  assert.deepEqual(early.map((v) => v.offset_days), [7]);
  const pend = await listAll(`/api/v1/revisits?problem_id=${p.id}&state=pending&overdue=false`, S.office);
  assert.equal(pend.length, 2);
});

test('keyset paging of the task list by due date', async () => {
  await closedProblem();
  await closedProblem();
  const first = await api('GET', '/api/v1/revisits?state=pending&limit=3', as(S.office));
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.items.length, 3);
  assert.ok(first.json.next_cursor);
  const second = await api('GET', `/api/v1/revisits?state=pending&limit=3&cursor=${encodeURIComponent(first.json.next_cursor)}`, as(S.office));
  assert.equal(second.status, 200, second.text);
  const ids = new Set(first.json.items.map((v) => v.id));
  for (const v of second.json.items) assert.ok(!ids.has(v.id), 'no repeats across pages');
  const all = [...first.json.items, ...second.json.items].map((v) => Date.parse(v.due_at));
  for (let i = 1; i < all.length; i++) assert.ok(all[i] >= all[i - 1], 'ordered by due date');
});

test('pass: the revisit is done, the history shows it; a second time is 409', async () => {
  const p = await closedProblem();
  const [v7] = await revisitsOf(S.inspector, p.id);
  const ph = await upload(S.inspector);
  const r = await doRevisit(S.inspector, v7.id, { result: 'pass', note: '现场保持良好', photos: [ph], location: { lat: 31.31, lng: 121.61 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'passed');
  assert.equal(r.json.done_by_name, '街道督查员');
  assert.deepEqual(r.json.photos, [ph]);
  assert.deepEqual(r.json.location, { lat: 31.31, lng: 121.61 });
  assert.match(r.json.done_at, /\+08:00$/);
  const again = await doRevisit(S.committee, v7.id, { result: 'pass' });
  assert.equal(again.status, 409, again.text);
  assert.equal(errorOf(again).code, 'revisit_closed');
  const again2 = await doRevisit(S.inspector, v7.id, { result: 'fail', photos: [await upload(S.inspector)] });
  assert.equal(again2.status, 409);
  const full = await getP(S.committee, p.id);
  assert.equal(full.state, 'closed');
  const ev = full.events.find((e) => e.action === 'revisit');
  assert.ok(ev, 'a revisit event in the history');
  assert.equal(ev.data.revisit_id, v7.id);
  assert.equal(ev.data.result, 'pass');
  assert.equal(ev.note, '现场保持良好');
  assert.equal(full.revisits.passed, 1);
  assert.equal(full.revisits.pending, 1);
  assert.ok(full.photos.some((x) => x.id === ph), 'the revisit photo is shown with the problem');
});

test('fail: photo required; reopens as a relapse like the reopen action, cancels the other revisit, the next close schedules new ones', async () => {
  const p = await closedProblem();
  const [v7, v30] = await revisitsOf(S.committee, p.id);
  const noPhoto = await doRevisit(S.committee, v7.id, { result: 'fail', note: '又堆满了' });
  assert.equal(noPhoto.status, 422);
  assert.ok(errorOf(noPhoto).fields.some((f) => f.field === 'photos'));
  const ph = await upload(S.committee);
  const r = await doRevisit(S.committee, v7.id, { result: 'fail', note: '楼道又堆满纸箱', photos: [ph] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'failed');
  assert.equal(r.json.problem_state, 'reopened');
  const full = await getP(S.committee, p.id);
  assert.equal(full.state, 'reopened');
  assert.equal(full.relapse_count, 1);
  assert.equal(full.closed_at, null);
  const ro = full.events.find((e) => e.action === 'reopen');
  assert.ok(ro, 'a reopen event, as the reopen action writes');
  assert.equal(ro.from_state, 'closed');
  assert.equal(ro.to_state, 'reopened');
  assert.equal(ro.data.revisit_id, v7.id);
  assert.equal(ro.data.reason, '回头看发现问题回潮');
  assert.equal(ro.note, '楼道又堆满纸箱');
  assert.equal(ro.actor_login, 'committee');
  assert.equal(r.json.event_id, ro.id);
  const states = Object.fromEntries(full.revisits.items.map((v) => [v.id, v.state]));
  assert.equal(states[v7.id], 'failed');
  assert.equal(states[v30.id], 'cancelled');
  assert.equal((await doRevisit(S.committee, v30.id, { result: 'pass' })).status, 409, 'a cancelled revisit cannot be done');
  // The 居委 is told, as for the reopen action.
  const notes = (await api('GET', '/api/v1/notifications?limit=50', as(S.committee))).json.items;
  assert.ok(notes.some((n) => n.kind === 'reopened' && n.problem_id === p.id));
  // Dispatched again, closed again: two new pending revisits.
  await close(p.id, { reopened: true });
  const after2 = await getP(S.committee, p.id);
  assert.equal(after2.revisits.pending, 2);
  assert.equal(after2.revisits.items.length, 4);
  assert.equal(after2.relapse_count, 1);
});

test('the reopen action and a citizen’s 不满意 cancel pending revisits', async () => {
  const p = await closedProblem();
  await ok(S.inspector, p.id, 'reopen', { reason: '巡查发现回潮' });
  const a = await getP(S.committee, p.id);
  assert.deepEqual(a.revisits.items.map((v) => v.state), ['cancelled', 'cancelled']);
  assert.equal(a.relapse_count, 1);

  const q = await closedProblem({ reporter: S.resident });
  const rate = await api('POST', `/api/v1/problems/${q.id}/rating`, as(S.resident, { body: { rating: 'dissatisfied' } }));
  assert.equal(rate.status, 200, rate.text);
  assert.equal(rate.json.state, 'reopened');
  const b = await getP(S.committee, q.id);
  assert.deepEqual(b.revisits.items.map((v) => v.state), ['cancelled', 'cancelled']);
  assert.equal(b.relapse_count, 0, 'a citizen’s verdict is not a relapse');
  assert.ok(b.events.some((e) => e.action === 'citizen_reopen'));
});

test('scope: another 居委 cannot see or do a revisit; other roles are refused', async () => {
  const p = await closedProblem();
  const [v] = await revisitsOf(S.committee, p.id);
  assert.equal((await api('GET', `/api/v1/revisits/${v.id}`, as(S.committee2))).status, 404);
  const r = await doRevisit(S.committee2, v.id, { result: 'pass' });
  assert.equal(r.status, 404, r.text);
  assert.equal((await listAll(`/api/v1/revisits?problem_id=${p.id}`, S.committee2)).length, 0);
  for (const who of ['handler', 'volunteer', 'resident']) {
    assert.equal((await api('GET', '/api/v1/revisits', as(S[who]))).status, 403, who);
    assert.equal((await doRevisit(S[who], v.id, { result: 'pass' })).status, 403, who);
  }
  const still = await api('GET', `/api/v1/revisits/${v.id}`, as(S.committee));
  assert.equal(still.json.state, 'pending', 'nothing changed');
});

test('bad input: every field error at once, nothing changed', async () => {
  const p = await closedProblem();
  const [v] = await revisitsOf(S.committee, p.id);
  const foreign = await upload(S.office);
  const r = await doRevisit(S.committee, v.id, { result: 'maybe', note: 5, photos: [foreign], location: { lat: 91, lng: 0 } });
  assert.equal(r.status, 422, r.text);
  const fields = errorOf(r).fields.map((f) => f.field).sort();
  assert.ok(fields.includes('note'), r.text);
  const r2 = await doRevisit(S.committee, v.id, { result: 'maybe', photos: [foreign], location: { lat: 91, lng: 0 } });
  assert.deepEqual(errorOf(r2).fields.map((f) => f.field).sort(), ['location', 'photos', 'result']);
  assert.equal((await doRevisit(S.committee, v.id, {})).status, 422);
  assert.equal((await doRevisit(S.committee, v.id, { result: 'pass', extra: 1 })).status, 422);
  assert.equal((await doRevisit(S.committee, 999999999, { result: 'pass' })).status, 404);
  for (const q of ['state=done', 'overdue=yes', 'due_before=tomorrow', 'cursor=abc', 'org_id=x', 'limit=0'])
    assert.equal((await api('GET', `/api/v1/revisits?${q}`, as(S.committee))).status, 422, q);
  assert.equal((await api('GET', '/api/v1/revisits?nope=1', as(S.committee))).status, 422);
  const still = await api('GET', `/api/v1/revisits/${v.id}`, as(S.committee));
  assert.equal(still.json.state, 'pending');
});

test('settings: offsets and the chronic threshold and window', async () => {
  const g = await api('GET', '/api/v1/settings/revisits', as(S.inspector));
  assert.equal(g.status, 200, g.text);
  assert.deepEqual(g.json.offsets_days, [7, 30]);
  assert.equal(g.json.chronic_threshold, 3);
  assert.equal(g.json.chronic_window_days, 90);
  assert.equal(g.json.chronic_radius_m, 50);
  for (const bad of [{ offsets_days: [] }, { offsets_days: [30, 7] }, { offsets_days: [0] }, { offsets_days: ['7'] },
    { chronic_threshold: 1 }, { chronic_window_days: 400 }, {}, { radius_m: 3 }]) {
    const r = await api('PUT', '/api/v1/settings/revisits', as(S.admin, { body: bad }));
    assert.equal(r.status, 422, `${JSON.stringify(bad)} → ${r.status} ${r.text}`);
  }
  assert.equal((await api('PUT', '/api/v1/settings/revisits', as(S.committee, { body: { chronic_threshold: 4 } }))).status, 403);
  const put = await api('PUT', '/api/v1/settings/revisits', as(S.office, { body: { offsets_days: [3, 14, 60] } }));
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.json.offsets_days, [3, 14, 60]);
  try {
    const p = await closedProblem();
    assert.deepEqual((await getP(S.committee, p.id)).revisits.items.map((v) => v.offset_days), [3, 14, 60]);
  } finally {
    const back = await api('PUT', '/api/v1/settings/revisits', as(S.office, { body: { offsets_days: [7, 30], chronic_threshold: 3, chronic_window_days: 90 } }));
    assert.equal(back.status, 200, back.text);
  }
});

// --- chronic spots ----------------------------------------------------------

async function spotAt(loc, category = 'C0301', s = S.office) {
  const items = await listAll(`/api/v1/chronic?category=${category}`, s);
  return items.find((x) => x.location && Math.abs(x.location.lat - loc.lat) < 0.0003 && Math.abs(x.location.lng - loc.lng) < 0.0003) || null;
}

test('chronic: flagged at exactly N recurrences within the radius, not at N-1; a report while one is open is not a recurrence', async () => {
  const loc = freshSpot();
  const a = await closedProblem({ reporter: S.inspector, location: loc });
  const b = await closedProblem({ reporter: S.committee, location: near(loc, 10) });
  assert.equal(await spotAt(loc), null, 'two reports: not chronic yet');
  // Another category at the same place does not count.
  await closedProblem({ location: near(loc, 5), category: 'C0102' });
  assert.equal(await spotAt(loc), null);
  // Outside the 50 m radius does not count either.
  await closedProblem({ location: near(loc, 80) });
  assert.equal(await spotAt(loc), null);
  const c = await report(S.resident, { location: near(loc, 20) });
  const spot = await spotAt(loc);
  assert.ok(spot, 'the third report within 50 m flags the spot');
  assert.equal(spot.count, 3);
  assert.equal(spot.problem_count, 3);
  assert.equal(spot.category, 'C0301');
  assert.equal(spot.org_id, ORG.comm);
  assert.equal(spot.watch, null);
  const one = await api('GET', `/api/v1/chronic/${spot.id}`, as(S.committee));
  assert.equal(one.status, 200, one.text);
  assert.deepEqual(one.json.problems.map((p) => p.id).sort((x, y) => x - y), [a.id, b.id, c.id].sort((x, y) => x - y));
  const pd = await getP(S.committee, c.id);
  assert.deepEqual(pd.chronic_spots.map((x) => x.id), [spot.id]);
  const notes = (await api('GET', '/api/v1/notifications?limit=50', as(S.committee))).json.items;
  assert.ok(notes.some((n) => n.kind === 'chronic' && n.problem_id === c.id), 'the 居委 is told');
  // The same pile reported again while c is open: linked, but not a recurrence.
  const d = await report(S.inspector, { location: near(loc, 15) });
  let again = (await api('GET', `/api/v1/chronic/${spot.id}`, as(S.committee))).json;
  assert.equal(again.count, 3);
  assert.ok(again.problems.some((p) => p.id === d.id));
  // After c is closed, the next report is a recurrence.
  await close(c.id);
  await ok(S.committee, d.id, 'reject', { reason: '与已办结问题重复' });
  const e = await report(S.inspector, { location: near(loc, 12) });
  again = (await api('GET', `/api/v1/chronic/${spot.id}`, as(S.committee))).json;
  assert.equal(again.count, 4);
  assert.ok(again.problems.some((p) => p.id === e.id));
  assert.equal((await listAll('/api/v1/chronic?category=C0301', S.office)).filter((x) => x.id === spot.id).length, 1, 'one spot, not a second');
});

test('chronic: reports outside the window do not count; a relapse does', async () => {
  const loc = freshSpot();
  const now = clockNow();
  try {
    await setClock(now - 100 * DAY);
    await closedProblem({ reporter: S.inspector, location: loc });
  } finally {
    await setClock(now);
  }
  await closedProblem({ reporter: S.inspector, location: near(loc, 5) });
  await closedProblem({ reporter: S.inspector, location: near(loc, 8) });
  assert.equal(await spotAt(loc), null, 'only two within 90 days');
  await report(S.inspector, { location: near(loc, 3) });
  const spot = await spotAt(loc);
  assert.ok(spot, 'three within 90 days');
  assert.equal(spot.count, 3);
  assert.equal(spot.problem_count, 3, 'the old report is not part of it');

  // Two reports (2), then a failed revisit of the first: the relapse makes 3.
  const loc2 = freshSpot();
  const p = await closedProblem({ location: loc2 });
  await closedProblem({ location: near(loc2, 10) });
  assert.equal(await spotAt(loc2), null, 'two reports');
  const [v] = await revisitsOf(S.inspector, p.id);
  assert.equal((await doRevisit(S.inspector, v.id, { result: 'fail', photos: [await upload(S.inspector)] })).status, 200);
  const s2 = await spotAt(loc2);
  assert.ok(s2, 'report + report + relapse = 3');
  assert.equal(s2.count, 3);
  const notes = (await api('GET', '/api/v1/notifications?limit=50', as(S.committee))).json.items;
  assert.ok(notes.some((n) => n.kind === 'chronic' && n.problem_id === p.id), 'flagged by the relapse');
});

test('chronic watch list: daily quota, checks, missed days settled once by the tick', async () => {
  const loc = freshSpot();
  for (let i = 0; i < 3; i++) await closedProblem({ location: near(loc, i * 4) });
  const spot = await spotAt(loc);
  assert.ok(spot);
  const path = `/api/v1/chronic/${spot.id}`;
  // Bad watch bodies.
  for (const bad of [{ daily_quota: 0 }, { daily_quota: 11 }, { daily_quota: 3, until: '2020-01-01' }, { daily_quota: 3, until: 'soon' }, {}])
    assert.equal((await api('PUT', `${path}/watch`, as(S.committee, { body: bad }))).status, 422, JSON.stringify(bad));
  assert.equal((await api('PUT', `${path}/watch`, as(S.inspector, { body: { daily_quota: 3 } }))).status, 403, 'inspectors check, 居委 and office watch');
  assert.equal((await api('PUT', `${path}/watch`, as(S.committee2, { body: { daily_quota: 3 } }))).status, 404, 'another 居委');
  assert.equal((await api('GET', path, as(S.committee2))).status, 404);

  // Day D (a future day, 09:00 China time) … D+3.
  const today0 = Date.parse(`${cnDate(clockNow())}T09:00:00+08:00`);
  const D = today0 + 30 * DAY;
  try {
    await setClock(D);
    const w = await api('PUT', `${path}/watch`, as(S.committee, { body: { daily_quota: 3, until: null } }));
    assert.equal(w.status, 200, w.text);
    assert.deepEqual(w.json.watch, { daily_quota: 3, since: cnDate(D), until: null });
    assert.deepEqual(w.json.today, { date: cnDate(D), done: 0, quota: 3 });
    const check = (s, body) => api('POST', `${path}/checks`, as(s, { body }));
    let c = await check(S.inspector, { ok: true, note: '巡查打卡', location: { lat: loc.lat, lng: loc.lng } });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual(c.json.spot.today, { date: cnDate(D), done: 1, quota: 3 });
    assert.equal((await check(S.committee, { ok: false })).status, 422, 'a failed check needs a note or a photo');
    assert.equal((await check(S.committee, { ok: 'yes' })).status, 422);
    assert.equal((await check(S.handler, { ok: true })).status, 403);
    c = await check(S.committee, { ok: false, note: '又有人堆放纸箱', photos: [await upload(S.committee)] });
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.spot.today.done, 2);
    let t = await tick();
    let s = (await api('GET', path, as(S.committee))).json;
    assert.equal(s.missed_checks, 0, 'the day has not ended');
    assert.equal(s.checks.length, 2);
    assert.equal(s.checks[0].ok, false);

    // D+1: day D is settled: 2 of 3 → 1 missed; the 居委 is told once.
    await setClock(D + DAY);
    const beforeNotes = (await api('GET', '/api/v1/notifications?limit=200', as(S.committee))).json.items
      .filter((n) => n.kind === 'chronic_missed' && n.body.includes(`#${spot.id}`)).length;
    t = await tick();
    assert.ok(t.chronic_days_settled >= 1, JSON.stringify(t));
    s = (await api('GET', path, as(S.committee))).json;
    assert.equal(s.missed_days, 1);
    assert.equal(s.missed_checks, 1);
    assert.deepEqual(s.days[0], { date: cnDate(D), quota: 3, done: 2, missed: 1 });
    assert.deepEqual(s.today, { date: cnDate(D + DAY), done: 0, quota: 3 });
    const notes1 = (await api('GET', '/api/v1/notifications?limit=200', as(S.committee))).json.items.filter((n) => n.kind === 'chronic_missed' && n.body.includes(`#${spot.id}`));
    assert.equal(notes1.length, beforeNotes + 1);
    // Idempotent: another tick the same day changes nothing.
    await tick();
    s = (await api('GET', path, as(S.committee))).json;
    assert.equal(s.missed_checks, 1);
    assert.equal(s.days.length, 1);
    const notes2 = (await api('GET', '/api/v1/notifications?limit=200', as(S.committee))).json.items.filter((n) => n.kind === 'chronic_missed' && n.body.includes(`#${spot.id}`));
    assert.equal(notes2.length, notes1.length, 'no second notification');

    // D+1: all three checks. D+2: none. At D+3 both days settle.
    for (let i = 0; i < 3; i++) assert.equal((await check(S.inspector, { ok: true })).status, 201);
    await setClock(D + 3 * DAY);
    await tick();
    await tick();
    s = (await api('GET', path, as(S.office))).json;
    assert.deepEqual(s.days.slice(0, 3), [
      { date: cnDate(D + 2 * DAY), quota: 3, done: 0, missed: 3 },
      { date: cnDate(D + DAY), quota: 3, done: 3, missed: 0 },
      { date: cnDate(D), quota: 3, done: 2, missed: 1 },
    ]);
    assert.equal(s.missed_days, 2);
    assert.equal(s.missed_checks, 4);
    const watched = await listAll('/api/v1/chronic?watched=true', S.committee);
    assert.ok(watched.some((x) => x.id === spot.id));
    // Unwatch: no more days are settled.
    const u = await api('DELETE', `${path}/watch`, as(S.office));
    assert.equal(u.status, 200, u.text);
    assert.equal(u.json.watch, null);
    assert.equal(u.json.today, null);
    await setClock(D + 6 * DAY);
    await tick();
    s = (await api('GET', path, as(S.office))).json;
    assert.equal(s.missed_checks, 4, 'days after the watch ended are not counted');
    assert.equal(s.days.length, 3);
  } finally {
    await setClock(clockNow());
  }
});

test('chronic list: scope and filters', async () => {
  for (const who of ['handler', 'volunteer', 'resident'])
    assert.equal((await api('GET', '/api/v1/chronic', as(S[who]))).status, 403, who);
  const mine = await listAll('/api/v1/chronic', S.committee);
  for (const x of mine) assert.equal(x.org_id, ORG.comm);
  const theirs = await listAll('/api/v1/chronic', S.committee2);
  assert.ok(!theirs.some((x) => mine.some((y) => y.id === x.id)));
  for (const q of ['watched=maybe', 'category=NOPE', 'cursor=x', 'limit=500'])
    assert.equal((await api('GET', `/api/v1/chronic?${q}`, as(S.office))).status, 422, q);
});
