// citizen.test.mjs — the citizen loop: the tracking code's public status page
// (no login, no personal data), the reporter's notification on closing, the
// satisfaction rating, and 不满意 reopening a problem exactly once.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, orgId, makePng, errorOf, tag, spotOf } from './harness.mjs';

await ensureServer();
let resident, committee, handler, volunteer, comm, unit;
before(async () => {
  [resident, committee, handler, volunteer] = await Promise.all(['resident', 'committee', 'handler', 'volunteer'].map((w) => login(w)));
  comm = await orgId('由由第五居民区');
  unit = (await api('GET', '/api/v1/orgs?q=锦绣前城物业', as(committee))).json.items.find((o) => o.kind === 'unit').id;
});

const act = (s, id, body) => api('POST', `/api/v1/problems/${id}/actions`, as(s, { body }));
async function photo(s) {
  const r = await api('POST', '/api/v1/photos', as(s, { body: makePng(), headers: { 'Content-Type': 'image/png' } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function closeIt(id, first = true) {
  if (first) {
    assert.equal((await act(committee, id, { action: 'accept' })).status, 200);
  }
  assert.equal((await act(committee, id, { action: 'dispatch', handler_org_id: unit })).status, 200);
  assert.equal((await act(handler, id, { action: 'acknowledge' })).status, 200);
  assert.equal((await act(handler, id, { action: 'rectify', photos: [await photo(handler)], note: '已清理', location: await spotOf(handler, id) })).status, 200);
  const v = await act(committee, id, { action: 'verify_pass' });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.state, 'closed');
}

test('tracking page, notification on closing, rating, 不满意 reopens once', async () => {
  const desc = `楼道堆物 市民闭环 ${tag()}`;
  const rep = await api('POST', '/api/v1/problems', as(resident, { body: { category: 'C0301', description: desc, org_id: comm, location: { lat: 31.21, lng: 121.55 } } }));
  assert.equal(rep.status, 201, rep.text);
  const { id, code, tracking_code: tc } = rep.json;
  // The reporter gets an unguessable tracking code (64 random bits), also in their own view.
  assert.match(tc, /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
  assert.equal((await api('GET', `/api/v1/problems/${id}`, as(resident))).json.tracking_code, tc);
  assert.ok(!('tracking_code' in (await api('GET', `/api/v1/problems/${id}`, as(committee))).json), 'only the reporter is given it');
  // The public page: by the tracking code only (any case, dashes or not), no login, no personal data.
  assert.equal((await api('GET', `/api/v1/track/${code}`)).status, 404, 'the sequential code tracks nothing');
  assert.equal((await api('GET', `/api/v1/track/${tc.replaceAll('-', '').toLowerCase()}`)).status, 200);
  let t = await api('GET', `/api/v1/track/${tc}`);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.code, code);
  assert.equal(t.json.tracking_code, tc);
  assert.equal(t.json.state, 'reported');
  assert.equal(t.json.category_name, '楼道堆物');
  assert.equal(t.json.org_name, '由由第五居民区');
  for (const k of ['reporter_id', 'description', 'location', 'lat', 'handler_name', 'photos']) assert.ok(!(k in t.json), k);
  assert.ok(!t.text.includes('李居民'));
  // Rating before closing: 409.
  let r = await api('POST', `/api/v1/problems/${id}/rating`, as(resident, { body: { rating: 'satisfied' } }));
  assert.equal(r.status, 409);
  assert.equal(errorOf(r).code, 'not_closed');
  await closeIt(id);
  const inbox = await api('GET', '/api/v1/notifications?unread=true', as(resident));
  assert.ok(inbox.json.items.some((n) => n.problem_id === id && n.kind === 'closed'), 'the reporter is asked to rate');
  t = await api('GET', `/api/v1/track/${tc}`);
  assert.equal(t.json.state, 'closed');
  assert.ok(t.json.closed_at);
  assert.ok(t.json.timeline.some((e) => e.action === 'verify_pass'));
  assert.ok(!t.json.timeline.some((e) => 'actor_id' in e || 'actor_name' in e));
  // Someone else cannot rate; bad values are refused.
  r = await api('POST', `/api/v1/problems/${id}/rating`, as(committee, { body: { rating: 'satisfied' } }));
  assert.equal(r.status, 403);
  r = await api('POST', `/api/v1/problems/${id}/rating`, as(resident, { body: { rating: 'great' } }));
  assert.equal(r.status, 422);
  // 不满意 reopens it.
  r = await api('POST', `/api/v1/problems/${id}/rating`, as(resident, { body: { rating: 'dissatisfied', comment: '楼道里还有纸箱' } }));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { rating: 'dissatisfied', reopened: true, state: 'reopened' });
  let p = await api('GET', `/api/v1/problems/${id}`, as(committee));
  assert.equal(p.json.state, 'reopened');
  assert.ok(p.json.events.some((e) => e.action === 'citizen_reopen'));
  // Closed again; a second 不满意 is recorded but does not reopen; a third rating is refused.
  await closeIt(id, false);
  r = await api('POST', `/api/v1/problems/${id}/rating`, as(resident, { body: { rating: 'dissatisfied' } }));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { rating: 'dissatisfied', reopened: false, state: 'closed' });
  r = await api('POST', `/api/v1/problems/${id}/rating`, as(resident, { body: { rating: 'satisfied' } }));
  assert.equal(r.status, 409);
  assert.equal(errorOf(r).code, 'already_rated');
  p = await api('GET', `/api/v1/problems/${id}`, as(committee));
  assert.equal(p.json.state, 'closed');
  assert.equal(p.json.events.filter((e) => e.action === 'rate').length, 2);
});

test('a satisfied rating keeps the problem closed; unknown codes are 404; another account cannot see it', async () => {
  const rep = await api('POST', '/api/v1/problems', as(resident, { body: { category: 'C0601', description: `单车 ${tag()}`, org_id: comm, location: { lat: 31.21, lng: 121.55 } } }));
  await closeIt(rep.json.id);
  const r = await api('POST', `/api/v1/problems/${rep.json.id}/rating`, as(resident, { body: { rating: 'basically_satisfied' } }));
  assert.deepEqual(r.json, { rating: 'basically_satisfied', reopened: false, state: 'closed' });
  assert.equal((await api('GET', '/api/v1/track/HM-1999-999999')).status, 404);
  assert.equal((await api('GET', `/api/v1/track/${'x'.repeat(60)}`)).status, 404);
  const other = await api('POST', `/api/v1/problems/${rep.json.id}/rating`, as(volunteer, { body: { rating: 'satisfied' } }));
  assert.equal(other.status, 404);
});

test('only citizen tips are trackable: inspections, 暗访 and other staff findings never are (coverage 12)', async () => {
  const office = await login('office');
  const inspector = await login('inspector');
  for (const [who, body] of [[office, { source: 'inspection' }], [committee, {}], [inspector, {}], [volunteer, {}]]) {
    const r = await api('POST', '/api/v1/problems', as(who, { body: { category: 'C0601', description: `内部发现 ${tag()}`, org_id: comm, location: { lat: 31.21, lng: 121.55 }, ...body } }));
    assert.equal(r.status, 201, r.text);
    assert.ok(!('tracking_code' in r.json), `${r.json.source} gets no tracking code`);
    assert.equal((await api('GET', `/api/v1/track/${r.json.code}`)).status, 404, r.json.source);
  }
  // The demo's internal findings (inspections, patrols, self-checks): none tracks by its code.
  for (const n of [1, 2, 3, 10, 100]) {
    const code = `HM-${new Date().getFullYear()}-${String(n).padStart(6, '0')}`;
    assert.equal((await api('GET', `/api/v1/track/${code}`)).status, 404, code);
  }
  // The demo resident's own older tips carry their tracking codes too.
  const mine = (await api('GET', '/api/v1/problems?mine=true&source=citizen_tip&limit=200', as(resident))).json.items
    .filter((x) => x.reporter_id === resident.account.id);
  assert.ok(mine.length > 0);
  const own = await api('GET', `/api/v1/problems/${mine[mine.length - 1].id}`, as(resident));
  assert.match(own.json.tracking_code, /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
  assert.equal((await api('GET', `/api/v1/track/${own.json.tracking_code}`)).json.code, own.json.code);
  // Guessing: a well-formed code that was never issued.
  assert.equal((await api('GET', '/api/v1/track/0000-0000-0000-0000')).status, 404);
});
