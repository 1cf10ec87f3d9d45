// nearby.test.mjs — likely duplicates (SPEC §3 "Duplicates", issue 4): open
// problems of the same category within the radius setting (default 50 m)
// from the R*Tree, the "possible_duplicates" of a new report, joining an
// existing problem as a co-reporter, the radius setting, parameter checks,
// and the index staying in sync for Open311 reports.
//
// Every test uses categories made for it, so other files' problems (and
// reruns against the same server) never show up in its candidate lists.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, errorOf, orgId, tag, makePng, newestAuditId, spotOf } from './harness.mjs';

await ensureServer();

const M_LAT = 1 / 111320;	// degrees of latitude per metre (as the server converts)
const BASE = { lat: 31.2230, lng: 121.5420 };	// near 由由第五居民区
let S = {};
let ORG = {};

before(async () => {
  for (const l of ['admin', 'office', 'committee', 'handler', 'volunteer', 'resident', 'inspector']) S[l] = await login(l);
  ORG.comm = await orgId('由由第五居民区');
  const r = await api('GET', '/api/v1/orgs?q=HM-WY-JXQC', as(S.admin));
  ORG.jxqc = r.json.items.find((o) => o.code === 'HM-WY-JXQC').id;
});

async function mkCategory(parent = null) {
  const body = { code: `N${tag('').slice(-10)}`, name: `附近测试-${tag()}`, deadline_amount: 72, deadline_unit: 'cal_hours' };
  if (parent) body.parent_code = parent;
  const r = await api('POST', '/api/v1/categories', as(S.admin, { body }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// A point `north` metres north and `east` metres east of BASE.
function at(north = 0, east = 0) {
  const c = Math.cos((BASE.lat * Math.PI) / 180);
  return { lat: BASE.lat + north * M_LAT, lng: BASE.lng + (east * M_LAT) / c };
}

async function report(s, category, location, extra = {}) {
  const body = { category, description: `附近重复测试 ${tag('d')}`, org_id: ORG.comm, location, ...extra };
  const r = await api('POST', '/api/v1/problems', as(s, { body }));
  assert.equal(r.status, 201, `report: ${r.text}`);
  assert.ok(Array.isArray(r.json.possible_duplicates), `possible_duplicates missing: ${r.text.slice(0, 300)}`);
  return r.json;
}

const act = (s, id, action, body = {}) => api('POST', `/api/v1/problems/${id}/actions`, as(s, { body: { action, ...body } }));
async function ok(s, id, action, body = {}) {
  const r = await act(s, id, action, body);
  assert.equal(r.status, 200, `${action} on ${id}: ${r.text}`);
  return r.json;
}
async function close(id) {
  await ok(S.committee, id, 'accept');
  await ok(S.committee, id, 'dispatch', { handler_org_id: ORG.jxqc });
  await ok(S.handler, id, 'acknowledge');
  const ph = await api('POST', '/api/v1/photos', as(S.handler, { body: makePng(18, 12), headers: { 'Content-Type': 'image/png' } }));
  assert.equal(ph.status, 201, ph.text);
  await ok(S.handler, id, 'rectify', { photos: [ph.json.id], location: await spotOf(S.handler, id) });
  const c = await ok(S.committee, id, 'verify_pass');
  assert.equal(c.state, 'closed');
}

const nearby = (s, q) => api('GET', `/api/v1/problems/nearby?${new URLSearchParams(q)}`, as(s));
const join = (s, id) => api('POST', `/api/v1/problems/${id}/join`, as(s));
const ids = (items) => items.map((x) => x.id);

test('20 m apart, same category → the second report lists the first with its distance; 80 m → not listed', async () => {
  const cat = await mkCategory();
  const first = await report(S.resident, cat.code, at(0, 0));
  assert.deepEqual(first.possible_duplicates, [], 'nothing near the first report');
  const second = await report(S.volunteer, cat.code, at(20, 0));
  assert.deepEqual(ids(second.possible_duplicates), [first.id]);
  const d = second.possible_duplicates[0];
  assert.ok(Math.abs(d.distance_m - 20) < 0.5, `distance ${d.distance_m}`);
  // Only public fields: no reporter identity, no photos, no history.
  assert.deepEqual(Object.keys(d).sort(),
    ['category', 'category_name', 'code', 'created_at', 'description', 'distance_m', 'id', 'location', 'reporter_count', 'state'].sort());
  assert.equal(d.code, first.code);
  assert.equal(d.state, 'reported');
  assert.equal(d.category, cat.code);
  assert.equal(d.reporter_count, 1);
  assert.match(d.created_at, /\+08:00$/);
  assert.ok(Math.abs(d.location.lat - first.location.lat) < 1e-9);
  const far = await report(S.volunteer, cat.code, at(80, 0));
  // 80 m from the first, 60 m from the second: neither within 50 m.
  assert.deepEqual(far.possible_duplicates, []);
  // The GET: nearest first, the caller's own point.
  const r = await nearby(S.resident, { category: cat.code, lat: at(10, 0).lat, lng: at(10, 0).lng });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.radius_m, 50);
  assert.deepEqual(new Set(ids(r.json.items)), new Set([first.id, second.id]));
  for (const it of r.json.items) assert.ok(Math.abs(it.distance_m - 10) < 0.5, `distance ${it.distance_m}`);
  const r2 = await nearby(S.resident, { category: cat.code, lat: at(75, 0).lat, lng: at(75, 0).lng });
  assert.deepEqual(ids(r2.json.items), [far.id], '5 m away; the second (55 m) and the first (75 m) are outside 50 m');
  const r3 = await nearby(S.resident, { category: cat.code, lat: at(45, 0).lat, lng: at(45, 0).lng });
  assert.deepEqual(ids(r3.json.items), [second.id, far.id, first.id], 'nearest first (25, 35, 45 m)');
});

test('east–west distances use the longitude scale; a different category is not listed', async () => {
  const cat = await mkCategory();
  const other = await mkCategory();
  const a = await report(S.resident, cat.code, at(0, 500));
  const b = await report(S.resident, cat.code, at(0, 530));
  assert.deepEqual(ids(b.possible_duplicates), [a.id]);
  assert.ok(Math.abs(b.possible_duplicates[0].distance_m - 30) < 0.5, `distance ${b.possible_duplicates[0].distance_m}`);
  const c = await report(S.resident, other.code, at(0, 510));
  assert.deepEqual(c.possible_duplicates, [], 'another category at 10 m is not a duplicate');
  const r = await nearby(S.volunteer, { category: other.code, lat: at(0, 500).lat, lng: at(0, 500).lng });
  assert.deepEqual(ids(r.json.items), [c.id]);
});

test('a 大类 matches its 小类; a 小类 does not match its siblings', async () => {
  const big = await mkCategory();
  const s1 = await mkCategory(big.code);
  const s2 = await mkCategory(big.code);
  const p1 = await report(S.resident, s1.code, at(-300, 0));
  const p2 = await report(S.resident, s2.code, at(-305, 0));
  assert.deepEqual(p2.possible_duplicates, [], 'sibling 小类 are different problems');
  const r = await nearby(S.resident, { category: big.code, lat: at(-300, 0).lat, lng: at(-300, 0).lng });
  assert.deepEqual(new Set(ids(r.json.items)), new Set([p1.id, p2.id]));
});

test('closed, rejected and merged problems are not offered', async () => {
  const cat = await mkCategory();
  const closed = await report(S.resident, cat.code, at(-600, 0));
  await close(closed.id);
  const rejected = await report(S.resident, cat.code, at(-601, 0));
  await ok(S.committee, rejected.id, 'reject', { reason: '不属于受理范围' });
  const target = await report(S.resident, cat.code, at(-602, 0));
  const merged = await report(S.resident, cat.code, at(-603, 0));
  await ok(S.committee, merged.id, 'merge', { merge_into: target.id });
  const r = await nearby(S.resident, { category: cat.code, lat: at(-601, 0).lat, lng: at(-601, 0).lng });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(ids(r.json.items), [target.id]);
  const again = await report(S.volunteer, cat.code, at(-600, 0));
  assert.deepEqual(ids(again.possible_duplicates), [target.id]);
});

test('the radius setting: 100 m lists what 50 m does not; the radius parameter overrides it', async () => {
  const cat = await mkCategory();
  const a = await report(S.resident, cat.code, at(900, 0));
  const g = await api('GET', '/api/v1/settings/duplicates', as(S.resident));
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.radius_m, 50);
  const before = await newestAuditId();
  const put = await api('PUT', '/api/v1/settings/duplicates', as(S.office, { body: { radius_m: 100 } }));
  assert.equal(put.status, 200, put.text);
  try {
    assert.equal(put.json.radius_m, 100);
    assert.ok(await newestAuditId() > before, 'the change is audited');
    assert.equal((await api('GET', '/api/v1/settings/duplicates', as(S.volunteer))).json.radius_m, 100);
    const b = await report(S.volunteer, cat.code, at(980, 0));
    assert.deepEqual(ids(b.possible_duplicates), [a.id]);
    assert.ok(Math.abs(b.possible_duplicates[0].distance_m - 80) < 0.5);
    const n = await nearby(S.resident, { category: cat.code, lat: at(980, 0).lat, lng: at(980, 0).lng, radius: 10 });
    assert.deepEqual(ids(n.json.items), [b.id]);
    assert.equal(n.json.radius_m, 10);
  } finally {
    const back = await api('PUT', '/api/v1/settings/duplicates', as(S.admin, { body: { radius_m: 50 } }));
    assert.equal(back.status, 200, back.text);
  }
  // Residents and committees may not change it; bad values → 422.
  assert.equal((await api('PUT', '/api/v1/settings/duplicates', as(S.resident, { body: { radius_m: 80 } }))).status, 403);
  assert.equal((await api('PUT', '/api/v1/settings/duplicates', as(S.committee, { body: { radius_m: 80 } }))).status, 403);
  for (const v of [0, 501, -5, 1.5]) {
    const r = await api('PUT', '/api/v1/settings/duplicates', as(S.admin, { body: { radius_m: v } }));
    assert.equal(r.status, 422, `radius_m ${v}: ${r.text}`);
    assert.ok(errorOf(r).fields.some((f) => f.field === 'radius_m'));
  }
  assert.equal((await api('GET', '/api/v1/settings/duplicates', as(S.admin))).json.radius_m, 50);
});

test('joining: idempotent, a "join" event, in mine=true as public fields only; never the detail', async () => {
  const cat = await mkCategory();
  const p = await report(S.resident, cat.code, at(1200, 0), { photos: [] });
  // Before joining, the volunteer cannot open it.
  assert.equal((await api('GET', `/api/v1/problems/${p.id}`, as(S.volunteer))).status, 404);
  const before = await newestAuditId();
  const j = await join(S.volunteer, p.id);
  assert.equal(j.status, 200, j.text);
  assert.equal(j.json.id, p.id);
  assert.equal(j.json.code, p.code);
  assert.equal(j.json.reporter_count, 2);
  assert.equal(j.json.already_joined, false);
  assert.ok(!('reporter_id' in j.json) && !('photos' in j.json) && !('events' in j.json));
  assert.ok(!('org_path' in j.json) && !('handler_path' in j.json), j.text);
  assert.ok(await newestAuditId() > before, 'the join is audited');
  const again = await join(S.volunteer, p.id);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.reporter_count, 2, 'joining twice changes nothing');
  assert.equal(again.json.already_joined, true);
  // The reporter joining its own problem: a no-op.
  const own = await join(S.resident, p.id);
  assert.equal(own.status, 200);
  assert.equal(own.json.reporter_count, 2);
  // Candidates show the count.
  const n = await nearby(S.inspector, { category: cat.code, lat: at(1200, 0).lat, lng: at(1200, 0).lng });
  assert.equal(n.json.items[0].reporter_count, 2);
  // The co-reporter's list: the public fields, marked "following".
  const mine = await api('GET', '/api/v1/problems?mine=true&limit=50', as(S.volunteer));
  assert.equal(mine.status, 200, mine.text);
  const row = mine.json.items.find((x) => x.id === p.id);
  assert.ok(row, 'joined problem in mine=true');
  assert.equal(row.following, true);
  assert.deepEqual(Object.keys(row).sort(),
    ['category', 'category_name', 'code', 'created_at', 'description', 'following', 'id', 'location', 'state'].sort(), JSON.stringify(row));
  const all = await api('GET', `/api/v1/problems?category=${cat.code}`, as(S.volunteer));
  assert.deepEqual(ids(all.json.items), [p.id]);
  // Following is no access right: the detail stays 404.
  assert.equal((await api('GET', `/api/v1/problems/${p.id}`, as(S.volunteer))).status, 404);
  // The committee sees everything, including who joined; the reporter sees the
  // join but not who (co-reporters' identities are for staff).
  const g2 = await api('GET', `/api/v1/problems/${p.id}`, as(S.committee));
  assert.equal(g2.json.reporter_id, p.reporter_id);
  assert.equal(g2.json.events.find((e) => e.action === 'join').actor_login, 'volunteer');
  const g3 = await api('GET', `/api/v1/problems/${p.id}`, as(S.resident));
  assert.equal(g3.status, 200, g3.text);
  const jr = g3.json.events.find((e) => e.action === 'join');
  assert.equal(jr.actor_login, null);
  assert.equal(jr.actor_name, null);
  assert.equal((await api('GET', `/api/v1/problems/${p.id}`, as(S.handler))).status, 404);
});

test('joining a closed, rejected or merged problem → 409; unknown or location-less → 404', async () => {
  const cat = await mkCategory();
  const p = await report(S.resident, cat.code, at(1500, 0));
  await close(p.id);
  const rej = await report(S.resident, cat.code, at(1510, 0));
  await ok(S.committee, rej.id, 'reject', { reason: '重复' });
  const before = await newestAuditId();
  const r = await join(S.volunteer, p.id);
  assert.equal(r.status, 409, r.text);
  assert.equal(errorOf(r).code, 'not_open');
  assert.equal(r.json.error.state, 'closed');
  assert.equal((await join(S.volunteer, rej.id)).status, 409);
  assert.equal(await newestAuditId(), before, 'nothing written');
  assert.equal((await join(S.volunteer, 99999999)).status, 404);
  const mine = await api('GET', '/api/v1/problems?mine=true&limit=200', as(S.volunteer));
  assert.ok(!ids(mine.json.items).includes(p.id));
});

test('parameter validation → 422 with the fields', async () => {
  const cat = await mkCategory();
  const good = { category: cat.code, lat: '31.2', lng: '121.5' };
  const cases = [
    [{ ...good, lat: '91' }, 'lat'],
    [{ ...good, lat: '-90.5' }, 'lat'],
    [{ ...good, lng: '181' }, 'lng'],
    [{ ...good, lat: 'north' }, 'lat'],
    [{ ...good, lat: '1e1' }, 'lat'],
    [{ ...good, lat: 'nan' }, 'lat'],
    [{ ...good, lng: ' 121.5' }, 'lng'],
    [{ ...good, radius: '0' }, 'radius'],
    [{ ...good, radius: '10000' }, 'radius'],
    [{ ...good, radius: '501' }, 'radius'],
    [{ ...good, radius: '1.5' }, 'radius'],
    [{ ...good, category: 'NO-SUCH-CAT' }, 'category'],
    [{ lat: '31.2', lng: '121.5' }, 'category'],
    [{ category: cat.code, lng: '121.5' }, 'lat'],
    [{ category: cat.code, lat: '31.2' }, 'lng'],
  ];
  for (const [q, field] of cases) {
    const r = await nearby(S.resident, q);
    assert.equal(r.status, 422, `${JSON.stringify(q)} → ${r.status} ${r.text}`);
    assert.ok(errorOf(r).fields.some((f) => f.field === field), `${JSON.stringify(q)}: field ${field} in ${r.text}`);
  }
  // All errors at once: the type errors (routes.def's typed query, checked by
  // the dispatcher) together; then the handler's own (no such category, a
  // required value missing) together.
  const all = await nearby(S.resident, { category: 'NOPE', lat: '100', lng: '200', radius: '0' });
  assert.deepEqual(new Set(errorOf(all).fields.map((f) => f.field)), new Set(['lat', 'lng', 'radius']));
  const own = await nearby(S.resident, { category: 'NOPE', lng: '121.5' });
  assert.deepEqual(new Set(errorOf(own).fields.map((f) => f.field)), new Set(['category', 'lat']));
  assert.equal((await nearby(S.resident, { ...good, radius: '500' })).status, 200);
  assert.equal((await nearby(S.resident, { ...good, lat: '-31.2', lng: '-0.5' })).status, 200);
  assert.equal((await api('GET', `/api/v1/problems/nearby?${new URLSearchParams(good)}`)).status, 401);
});

test('Open311 reports enter the spatial index (triggers, not the API handler)', async () => {
  const cat = await mkCategory();
  const pt = at(2000, 0);
  const body = new URLSearchParams({ service_code: cat.code, lat: String(pt.lat), long: String(pt.lng), description: `Open311 重复 ${tag()}` }).toString();
  const o = await api('POST', '/open311/v2/requests.json', { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(o.status, 200, o.text);
  const code = o.json[0].service_request_id;
  const r = await nearby(S.resident, { category: cat.code, lat: at(2015, 0).lat, lng: at(2015, 0).lng });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((x) => x.code), [code]);
  // Outside the resident's scope: the distance in steps of 10 m (not a trilateration aid).
  assert.equal(r.json.items[0].distance_m, 20);
  const p = await report(S.resident, cat.code, at(2010, 0));
  assert.deepEqual(p.possible_duplicates.map((x) => x.code), [code]);
});

// --- Review 2026-12-07: #2 (join opened any problem), #8 / coverage 3 (unmasked text) ---

const PII = '楼道堆物，请联系我 13812345678，身份证 310115200211239249';
const MASKED = '楼道堆物，请联系我 138****5678，身份证 31*************249';

async function unitOtherThanHandler() {
  const r = await api('GET', '/api/v1/orgs?kind=unit&limit=200', as(S.admin));
  assert.equal(r.status, 200, r.text);
  return r.json.items.find((o) => o.id !== ORG.jxqc && o.code !== 'HM-WY-JXQC').id;
}

test('review #2: joining gives committee2, handler and resident the public fields only — detail, photos, thumbs, notice stay 404', async () => {
  S.committee2 = S.committee2 || await login('committee2');
  const cat = await mkCategory();
  const up = await api('POST', '/api/v1/photos', as(S.committee, { body: makePng(14, 11), headers: { 'Content-Type': 'image/png' } }));
  assert.equal(up.status, 201, up.text);
  const pt = at(3000, 0.37);
  const p = await report(S.committee, cat.code, pt, { description: PII, photos: [up.json.id], address: '锦绣路 1 号 3 室' });
  await ok(S.committee, p.id, 'accept');
  await ok(S.committee, p.id, 'dispatch', { handler_org_id: await unitOtherThanHandler() });
  for (const who of ['committee2', 'handler', 'resident']) {
    const s = S[who];
    const paths = [`/api/v1/problems/${p.id}`, `/api/v1/photos/${up.json.id}`, `/api/v1/photos/${up.json.id}/thumb`, `/api/v1/problems/${p.id}/notice`];
    for (const path of paths) assert.equal((await api('GET', path, as(s))).status, 404, `${who} before joining: ${path}`);
    const j = await join(s, p.id);
    assert.equal(j.status, 200, `${who} join: ${j.text}`);
    assert.equal(j.json.description, MASKED, `${who}: the join answer masks the text`);
    assert.deepEqual(j.json.location, { lat: Math.round(pt.lat * 1000) / 1000, lng: Math.round(pt.lng * 1000) / 1000 }, `${who}: coarse point`);
    for (const k of ['address', 'handler_name', 'handler_org_id', 'events', 'photos', 'reporter_id', 'deadline']) assert.ok(!(k in j.json), `${who}: ${k} in the join answer`);
    // Re-evaluated at every read: joined, still 404 everywhere.
    for (const path of paths) assert.equal((await api('GET', path, as(s))).status, 404, `${who} after joining: ${path}`);
    const act = await api('POST', `/api/v1/problems/${p.id}/actions`, as(s, { body: { action: 'acknowledge' } }));
    assert.ok([403, 404].includes(act.status), `${who} acting: ${act.status} ${act.text}`);	// 403: no problems.act at all
    // The list: the public row; filters on what it does not show leave it out.
    const mine = await api('GET', '/api/v1/problems?mine=true&limit=100', as(s));
    const row = mine.json.items.find((x) => x.id === p.id);
    assert.ok(row && row.following === true, `${who}: row in mine=true`);
    assert.equal(row.description, MASKED);
    for (const k of ['address', 'handler_name', 'handler_org_id', 'org_name', 'deadline', 'reporter_id', 'source', 'urgency']) assert.ok(!(k in row), `${who}: ${k} in the list row`);
    for (const q of [`handler_org_id=${row.handler_org_id || 1}`, 'q=13812345678', 'source=self_check', 'overdue=false']) {
      const f = await api('GET', `/api/v1/problems?${q}&limit=200&category=${cat.code}`, as(s));
      assert.ok(!ids(f.json.items || []).includes(p.id), `${who}: followed problem under ${q}`);
    }
    const map = await api('GET', `/api/v1/problems/map?category=${cat.code}`, as(s));
    assert.ok(!(map.json.points || []).some((x) => x.id === p.id), `${who}: followed problem on the map`);
  }
  // Staff in scope still see it all, with the text as typed.
  const full = await api('GET', `/api/v1/problems/${p.id}`, as(S.committee));
  assert.equal(full.json.description, PII);
});

test('review #8: nearby, possible_duplicates and join mask phone and ID numbers; outside the scope the point is coarse', async () => {
  const cat = await mkCategory();
  const pt = at(4000, 0.37);
  const p = await report(S.resident, cat.code, pt, { description: PII });
  // Another resident-like account (the volunteer) near that spot.
  const n = await nearby(S.volunteer, { category: cat.code, lat: pt.lat, lng: pt.lng, radius: 50 });
  assert.equal(n.status, 200, n.text);
  assert.equal(n.json.items[0].id, p.id);
  assert.equal(n.json.items[0].description, MASKED);
  assert.deepEqual(n.json.items[0].location, { lat: Math.round(pt.lat * 1000) / 1000, lng: Math.round(pt.lng * 1000) / 1000 });
  for (const k of ['reporter_id', 'org_path', 'handler_path']) assert.ok(!(k in n.json.items[0]), k);
  const dup = await report(S.volunteer, cat.code, at(4010, 0.37));
  assert.equal(dup.possible_duplicates[0].id, p.id);
  assert.equal(dup.possible_duplicates[0].description, MASKED);
  assert.notEqual(dup.possible_duplicates[0].location.lat, pt.lat);
  // The community's own 居委 sees the exact point (in scope), the text still masked.
  const c = await nearby(S.committee, { category: cat.code, lat: pt.lat, lng: pt.lng });
  const mineRow = c.json.items.find((x) => x.id === p.id);
  assert.equal(mineRow.description, MASKED);
  assert.ok(Math.abs(mineRow.location.lat - pt.lat) < 1e-9, 'exact in scope');
  assert.ok(Math.abs(mineRow.distance_m) < 0.5);
  // The reporter's own detail: as typed.
  assert.equal((await api('GET', `/api/v1/problems/${p.id}`, as(S.resident))).json.description, PII);
});
