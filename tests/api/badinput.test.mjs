// badinput.test.mjs — SPEC §14: bad input of every kind gets a clear error and
// changes nothing. A corpus of malformed bodies is sent to every route of
// openapi.json that takes a body; around each case the newest audit id
// (every write appends one) must not move, and around each route the counts
// of orgs, people and accounts must not change. Also: huge headers, path
// tricks, SQL-looking strings, unknown or invalid query parameters, bad
// UTF-8 in paths and queries, 405 with Allow.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  ensureServer, api, as, login, freshLogin, routeList, errorOf, orgId, listAll, tag, uniqueId, newestAuditId,
  rawRequest, rawHttp, makePng, categoryCode, idCheck, loginHolding,
} from './harness.mjs';
// Party building (docs/PARTY.md): each feature's body routes and the objects they need, in a file of its own.
import * as party_party from './badinput-party-party.mjs';
import * as party_dual from './badinput-party-dual.mjs';
import * as party_meetings from './badinput-party-meetings.mjs';
import * as party_buildings from './badinput-party-buildings.mjs';
import * as party_targets from './badinput-party-targets.mjs';
import * as party_awards from './badinput-party-awards.mjs';
const PARTY_FIXTURES = [party_party, party_dual, party_meetings, party_buildings, party_targets, party_awards];

const badCheck = (f17) => f17 + (idCheck(f17) === '0' ? '1' : '0');

await ensureServer();

const REGION = '110105';
let admin, user, fx;

// Per route with a request body: where to send it, as whom, a valid body (never
// sent as is), and a body of wrong types (each key → expect "wrong_type").
// raw: the body is not JSON (CSV, text, image bytes).
const BODY_ROUTES = {
  session_login: () => ({ path: '/api/v1/session', who: null, valid: { login: 'admin', password: 'x' }, wrong: { login: 5, password: [] } }),
  session_password: () => ({ path: '/api/v1/session/password', who: user, valid: { old_password: 'a-secret-123', new_password: 'b-secret-456' }, wrong: { old_password: 1, new_password: {} } }),
  orgs_create: () => ({ path: '/api/v1/orgs', valid: { parent_id: fx.street, kind: 'team', name: '坏输入队' }, wrong: { parent_id: 'x', kind: 1, name: false, lat: 'north' } }),
  orgs_update: () => ({ path: `/api/v1/orgs/${fx.org}`, valid: { name: '新名字' }, wrong: { name: 12, parent_id: 1.5, lng: [] } }),
  accounts_create: () => ({ path: '/api/v1/accounts', valid: { login: 'bad-input-x', display_name: 'x', password: 'bad-input-123' }, wrong: { login: 1, display_name: true, grants: 'admin' } }),
  accounts_update: () => ({ path: `/api/v1/accounts/${fx.account}`, valid: { display_name: 'y' }, wrong: { display_name: 1, disabled: 'yes' } }),
  accounts_password: () => ({ path: `/api/v1/accounts/${fx.account}/password`, valid: { new_password: 'c-secret-789' }, wrong: { new_password: 123456789 } }),
  grants_create: () => ({ path: `/api/v1/accounts/${fx.account}/grants`, valid: { role: 'volunteer', org_id: fx.street }, wrong: { role: ['admin'], org_id: '1' } }),
  people_create: () => ({ path: '/api/v1/people', valid: { name: '坏输入', org_id: fx.comm }, wrong: { name: 1, org_id: 'x', skills: 'a' } }),
  people_update: () => ({ path: `/api/v1/people/${fx.person}`, valid: { address: '某路' }, wrong: { address: 5, kinds: {} } }),
  categories_create: () => ({ path: '/api/v1/categories', valid: { code: 'BADIN1', name: 'x', deadline_amount: 1, deadline_unit: 'cal_hours' }, wrong: { code: 1, deadline_amount: 'one', record_only: 'no' } }),
  categories_update: () => ({ path: `/api/v1/categories/${fx.category}`, valid: { name: 'y' }, wrong: { name: 1, active: 'yes' } }),
  calendar_set_day: () => ({ path: '/api/v1/calendar/days', valid: { date: '2032-01-05', kind: 'holiday' }, wrong: { date: 20320105, kind: true } }),
  calendar_set_hours: () => ({ path: '/api/v1/calendar/hours', valid: { work_start: '08:30' }, wrong: { work_start: 830, weekend: 'sat' } }),
  problems_create: () => ({ path: '/api/v1/problems', valid: { category: fx.cat, description: 'x', org_id: fx.comm, location: { lat: 31.2, lng: 121.5 } }, wrong: { category: 1, description: [], org_id: 'x' } }),
  problems_act: () => ({ path: `/api/v1/problems/${fx.problem}/actions`, valid: { action: 'accept' }, wrong: { action: 1, note: 2 } }),
  system_clock: () => ({ path: '/api/v1/system/clock', valid: { now: '2026-01-01T00:00:00Z' }, wrong: { now: 1 } }),
  system_fault: () => ({ path: '/api/v1/system/fault', valid: { write: 0 }, wrong: { write: '1' } }),
  categories_import: () => ({ path: '/api/v1/categories/import', raw: 'text/csv' }),
  calendar_import: () => ({ path: '/api/v1/calendar/import', raw: 'text/plain' }),
  photos_upload: () => ({ path: '/api/v1/photos', raw: 'image/png' }),
  open311_keys_create: () => ({ path: '/api/v1/open311/keys', valid: { name: 'x', account_id: 1 }, wrong: { name: 1, account_id: 'x' } }),
  settings_duplicates_put: () => ({ path: '/api/v1/settings/duplicates', valid: { radius_m: 60 }, wrong: { radius_m: 'x' } }),
  revisits_do: () => ({ path: `/api/v1/revisits/${fx.revisit}`, valid: { result: 'pass' }, wrong: { result: 1, note: [], photos: 'x' } }),
  settings_revisits_put: () => ({ path: '/api/v1/settings/revisits', valid: { offsets_days: [7, 30] }, wrong: { offsets_days: 7, chronic_threshold: 'x' } }),
  chronic_watch: () => ({ path: `/api/v1/chronic/${fx.spot}/watch`, valid: { daily_quota: 3 }, wrong: { daily_quota: '3', until: 5 } }),
  chronic_check: () => ({ path: `/api/v1/chronic/${fx.spot}/checks`, valid: { ok: true }, wrong: { ok: 'yes', note: 1 } }),
  problems_rate: () => ({ path: `/api/v1/problems/${fx.problem}/rating`, valid: { rating: 'satisfied' }, wrong: { rating: 1, comment: [] } }),
  open311_post: () => ({ path: '/open311/v2/requests.json', who: null, raw: 'application/x-www-form-urlencoded' }),
  volunteers_create: () => ({ path: '/api/v1/volunteers', valid: { name: 'x', id_number: uniqueId(REGION), phone: '13800000000', org_id: fx.comm, vtype: 'resident' }, wrong: { name: 1, org_id: 'x', skills: 'a', vtype: [] } }),
  volunteers_register: () => ({ path: '/api/v1/volunteers/register', valid: { name: 'x', id_number: uniqueId(REGION), phone: '13800000000', org_id: fx.comm, vtype: 'resident' }, wrong: { name: 1, phone: 138, areas: {} } }),
  volunteers_update: () => ({ path: `/api/v1/volunteers/${fx.volunteer}`, valid: { note: 'x' }, wrong: { vtype: 1, areas: 'a' } }),
  volunteers_decide: () => ({ path: `/api/v1/volunteers/${fx.volunteer}/decision`, valid: { decision: 'suspend' }, wrong: { decision: true, note: 1 } }),
  volunteer_settings_put: () => ({ path: '/api/v1/settings/volunteers', valid: { min_age: 18 }, wrong: { min_age: '18', block_days: [] } }),
  teams_member_put: () => ({ path: `/api/v1/teams/${fx.org}/members/${fx.volunteer}`, valid: { leader: true }, wrong: { leader: 'yes' } }),
  posts_create: () => ({ path: '/api/v1/posts', valid: { org_id: fx.comm, name: 'x' }, wrong: { org_id: 'x', name: 1, radius_m: '50', location: 'here' } }),
  posts_update: () => ({ path: `/api/v1/posts/${fx.post}`, valid: { rules: 'x' }, wrong: { rules: 1, active: 'no' } }),
  posts_pattern_add: () => ({ path: `/api/v1/posts/${fx.post}/patterns`, valid: { weekdays: [1], start: '07:00', end: '08:00', capacity: 1 }, wrong: { weekdays: 1, start: 700, capacity: '2' } }),
  posts_generate: () => ({ path: `/api/v1/posts/${fx.post}/generate`, valid: { from: '2031-01-06', days: 1 }, wrong: { from: 20310106, days: '7' } }),
  posts_claim_create: () => ({ path: `/api/v1/posts/${fx.post}/claims`, valid: { claimant_kind: 'volunteer', volunteer_id: fx.volunteer, start_date: '2031-01-01', end_date: '2031-01-31' }, wrong: { claimant_kind: 1, volunteer_id: 'x', start_date: 1 } }),
  claims_decide: () => ({ path: `/api/v1/claims/${fx.claim}/decision`, valid: { decision: 'reject' }, wrong: { decision: 1 } }),
  shifts_signup: () => ({ path: `/api/v1/shifts/${fx.shift}/signup`, valid: { volunteer_id: fx.volunteer }, wrong: { volunteer_id: 'x', overbook: 'yes' } }),
  signups_attendance: () => ({ path: '/api/v1/signups/1/attendance', valid: { action: 'checkin' }, wrong: { action: 1, location: 'here' } }),
  checkin_create: () => ({ path: '/api/v1/checkin', valid: { post_id: fx.post }, wrong: { post_id: 'x', location: 1 } }),
  records_create: () => ({ path: '/api/v1/records', valid: { volunteer_id: fx.volunteer, activity_name: 'x', service_date: '2020-01-06', hours: 1 }, wrong: { volunteer_id: 'x', hours: '1', activity_name: 2 } }),
  records_decide: () => ({ path: `/api/v1/records/${fx.record}/decision`, valid: { decision: 'approve' }, wrong: { decision: 1 } }),
  volunteers_import: () => ({ path: `/api/v1/volunteers/import?org_id=${fx.comm}`, raw: 'text/csv' }),
  activities_create: () => ({ path: '/api/v1/activities', valid: { org_id: fx.comm, title: 'x', date: '2031-01-06', start: '09:00', end: '10:00', capacity: 1 }, wrong: { org_id: 'x', title: 1, capacity: '5', recurrence: [] } }),
  sites_create: () => ({ path: '/api/v1/sites', valid: { name: '坏输入点位', site_type: 'S01', org_id: fx.comm }, wrong: { name: 1, site_type: [], org_id: 'x', active: 'yes', location: 'here' } }),
  sites_import: () => ({ path: '/api/v1/sites/import', raw: 'text/csv' }),
  sites_update: () => ({ path: `/api/v1/sites/${fx.site}`, valid: { name: '改名' }, wrong: { name: 2, unit_org_id: 'x', location: 5 } }),
  checklist_put: () => ({ path: '/api/v1/site-types/13/checklist', valid: { items: [{ text: 'x' }] }, wrong: { items: 'x', note: 5 } }),
  inspections_create: () => ({ path: '/api/v1/inspections', valid: { site_id: fx.site, kind: 'self_check', results: [{ item_id: 1, result: 'pass' }] }, wrong: { site_id: 'x', kind: 1, results: {}, notices: 'two' } }),
  rounds_create: () => ({ path: '/api/v1/rounds', valid: { name: '坏输入轮次', mode: 'ring', scope_org_id: fx.street, org_ids: [fx.comm, fx.comm2] }, wrong: { name: 1, mode: [], scope_org_id: 'x', org_ids: 'all' } }),
  rounds_update: () => ({ path: `/api/v1/rounds/${fx.round}`, valid: { state: 'closed' }, wrong: { state: 1 } }),
  watch_create: () => ({ path: '/api/v1/watch-targets', valid: { kind: 'zone', name: '坏输入包干区', org_id: fx.comm, quota: 2 }, wrong: { kind: 1, org_id: 'x', quota: 'three' } }),
  watch_update: () => ({ path: `/api/v1/watch-targets/${fx.watch}`, valid: { quota: 3 }, wrong: { quota: '3', active: 'no' } }),
  tasks_done: () => ({ path: `/api/v1/tasks/${fx.task}/done`, valid: { note: '巡查完成' }, wrong: { note: 1 } }),
  bank_settings_put: () => ({ path: '/api/v1/settings/bank', valid: { points_per_hour: 10 }, wrong: { points_per_hour: '10', expiry_days: [] } }),
  bank_items_create: () => ({ path: '/api/v1/bank/items', valid: { provider_id: fx.comm, name: '坏输入物品', cost: 10, stock: 1 }, wrong: { provider_id: 'x', name: 1, cost: '10', stock: 1.5 } }),
  bank_items_update: () => ({ path: `/api/v1/bank/items/${fx.bankItem}`, valid: { stock: 3 }, wrong: { stock: '3', active: 'no' } }),
  bank_orders_create: () => ({ path: '/api/v1/bank/orders', valid: { item_id: fx.bankItem }, wrong: { item_id: 'one' } }),
  bank_orders_fulfil: () => ({ path: `/api/v1/bank/orders/${fx.bankOrder}/fulfil`, valid: { code: 'LB22222222' }, wrong: { code: 5 } }),
  bank_awards_create: () => ({ path: '/api/v1/bank/awards', valid: { account_id: fx.account, org_id: fx.comm, points: 5, reason: '坏输入奖励' }, wrong: { account_id: 'x', org_id: {}, points: '5', reason: 7 } }),
  bank_family_create: () => ({ path: '/api/v1/bank/family', valid: { login: 'office', relation: '子女' }, wrong: { login: 5, relation: [] } }),
  bank_transfers_create: () => ({ path: '/api/v1/bank/transfers', valid: { to_account_id: fx.account, amount: 1 }, wrong: { to_account_id: 'x', amount: '1', note: 5 } }),
  webhooks_create: () => ({ path: '/api/v1/webhooks', valid: { name: 'x', url: 'http://127.0.0.1:9/hook', events: ['problem.*'], active: false }, wrong: { name: 1, url: [], events: 'problem.*', active: 'no' } }),
  webhooks_update: () => ({ path: `/api/v1/webhooks/${fx.webhook}`, valid: { name: 'y' }, wrong: { name: 2, events: {}, active: 1 } }),
};
for (const m of PARTY_FIXTURES) Object.assign(BODY_ROUTES, m.routes);

before(async () => {
  admin = await login('admin');
  const street = await orgId('花木街道');
  const comm = await orgId('由由第五居民区');
  const mk = async (path, body) => {
    const r = await api('POST', path, as(admin, { body }));
    assert.equal(r.status, 201, `${path}: ${r.text}`);
    return r.json;
  };
  const org = await mk('/api/v1/orgs', { parent_id: street, kind: 'team', name: `坏输入目标-${tag()}` });
  const login_ = `badin-${tag()}`;
  const account = await mk('/api/v1/accounts', { login: login_, display_name: '坏输入目标', password: 'a-secret-123', grants: [{ role: 'resident', org_id: comm }] });
  const person = await mk('/api/v1/people', { name: `坏输入-${tag()}`, org_id: comm, id_number: uniqueId(REGION) });
  const category = await mk('/api/v1/categories', { code: `B${tag('').slice(-10)}`, name: `坏输入类别-${tag()}`, deadline_amount: 4, deadline_unit: 'work_days' });
  const cat = await categoryCode();
  const problem = await mk('/api/v1/problems', { category: cat, description: '坏输入目标问题', org_id: comm, location: { lat: 31.2, lng: 121.5 } });
  user = await freshLogin(login_, 'a-secret-123');
  const volunteer = await mk('/api/v1/volunteers', { name: `坏输入志愿-${tag()}`, id_number: uniqueId(REGION), phone: '13900000000', org_id: comm, vtype: 'resident' });
  const post = await mk('/api/v1/posts', { org_id: comm, name: `坏输入岗-${tag()}` });
  const pat = await api('POST', `/api/v1/posts/${post.id}/patterns`, as(admin, { body: { weekdays: [1], start: '07:00', end: '08:00', capacity: 1 } }));
  assert.equal(pat.status, 201, pat.text);
  const gen = await api('POST', `/api/v1/posts/${post.id}/generate`, as(admin, { body: { from: '2031-01-06', days: 1 } }));
  assert.equal(gen.status, 200, gen.text);
  const shifts = await api('GET', `/api/v1/shifts?post_id=${post.id}&from=2031-01-06&to=2031-01-07`, as(admin));
  const claim = await mk(`/api/v1/posts/${post.id}/claims`, { claimant_kind: 'volunteer', volunteer_id: volunteer.id, start_date: '2031-01-01', end_date: '2031-01-31' });
  const record = await mk('/api/v1/records', { volunteer_id: volunteer.id, activity_name: '坏输入记录', service_date: '2020-01-06', hours: 1 });
  const rv = await api('GET', `/api/v1/revisits?state=pending&org_id=${comm}&limit=1`, as(admin));
  const spot = await api('GET', `/api/v1/chronic?org_id=${comm}&limit=1`, as(admin));
  assert.ok(rv.json.items.length && spot.json.items.length, 'the demo has revisits and chronic spots');
  const comm2 = await orgId('梧桐居民区');
  const site = await mk('/api/v1/sites', { name: `坏输入点位-${tag()}`, site_type: 'S01', org_id: comm });
  const round = await mk('/api/v1/rounds', { name: `坏输入轮次-${tag()}`, mode: 'ring', scope_org_id: street, org_ids: [comm, comm2] });
  const watch = await mk('/api/v1/watch-targets', { kind: 'zone', name: `坏输入包干区-${tag()}`, org_id: comm, quota: 1 });
  const task = (await api('GET', `/api/v1/tasks?target_id=${watch.id}`, as(admin))).json.items[0].id;
  const bankItem = await mk('/api/v1/bank/items', { provider_id: comm, name: `坏输入物品-${tag()}`, cost: 5, stock: 5 });
  await mk('/api/v1/bank/awards', { account_id: admin.account.id, org_id: comm, points: 10, reason: '坏输入测试' });
  const bankOrder = await mk('/api/v1/bank/orders', { item_id: bankItem.id });
  const webhook = await mk('/api/v1/webhooks', { name: `坏输入推送-${tag()}`, url: 'http://127.0.0.1:9/hook', events: ['problem.close'], active: false });
  fx = {
    street, comm, comm2, org: org.id, account: account.id, person: person.id, category: category.id, cat, problem: problem.id,
    volunteer: volunteer.id, post: post.id, shift: shifts.json.items[0].id, claim: claim.id, record: record.id,
    revisit: rv.json.items[0].id, spot: spot.json.items[0].id, site: site.id, round: round.id, watch: watch.id, task,
    bankItem: bankItem.id, bankOrder: bankOrder.id,
    webhook: webhook.id,
  };
  for (const m of PARTY_FIXTURES) Object.assign(fx, await m.fixtures({ admin, fx }));
});

async function counts() {
  return {
    orgs: (await listAll('/api/v1/orgs', admin)).length,
    people: (await listAll('/api/v1/people', admin)).length,
    accounts: (await listAll('/api/v1/accounts', admin)).length,
    audit: await newestAuditId(),
  };
}

// Sends one case and checks status, error shape and that no audit entry appeared.
async function expectBad(label, send, statuses, code = null) {
  const before = await newestAuditId();
  const r = await send();
  assert.ok(statuses.includes(r.status), `${label}: status ${r.status} not in [${statuses}] — ${String(r.text).slice(0, 300)}`);
  const ct = (r.headers.get ? r.headers.get('content-type') : r.headers['content-type']) || '';
  if (ct.includes('json')) {
    const e = errorOf(r);
    if (code) assert.equal(e.code, code, `${label}: error code`);
  } else assert.ok(r.status === 431 || r.status === 413 || r.status === 400, `${label}: non-JSON answer ${r.status}`);
  assert.equal(await newestAuditId(), before, `${label}: something was written (audit id moved)`);
  return r;
}

const send = (c, body, ctype = 'application/json') => () => api(c.method, c.path, {
  ...(c.who === null ? {} : { token: (c.who || admin).token }), body, headers: { 'Content-Type': ctype },
});

function oversizeCL(c, size) {
  return () => rawRequest(rawHttp(c.method, c.path, {
    token: c.who === null ? null : (c.who || admin).token,
    headers: { 'Content-Type': c.raw || 'application/json', 'Content-Length': String(size) },
    body: '{"x":"',
  }));
}
function oversizeChunked(c, size) {
  const head = rawHttp(c.method, c.path, {
    token: c.who === null ? null : (c.who || admin).token,
    headers: { 'Content-Type': c.raw || 'application/json', 'Transfer-Encoding': 'chunked' },
  });
  const piece = 'x'.repeat(8192);
  const chunks = [head, Buffer.from('{"name":"')];
  chunks[1] = Buffer.from(`${(9).toString(16)}\r\n{"name":"\r\n`);
  for (let n = 0; n < size; n += piece.length) chunks.push(Buffer.from(`${piece.length.toString(16)}\r\n${piece}\r\n`));
  chunks.push(Buffer.from('0\r\n\r\n'));
  return () => rawRequest(null, { chunks });
}

test('every route with a request body has a bad-input fixture', async () => {
  const missing = (await routeList()).filter((r) => r.body && !BODY_ROUTES[r.operationId]).map((r) => r.operationId);
  assert.deepEqual(missing, [], `add these to BODY_ROUTES in badinput.test.mjs: ${missing.join(', ')}`);
});

test('malformed bodies on every body route: clear errors, nothing changed', async () => {
  const routes = (await routeList()).filter((r) => r.body && BODY_ROUTES[r.operationId]);
  assert.ok(routes.length >= 10);
  for (const rt of routes) {
    const c = { method: rt.method, ...BODY_ROUTES[rt.operationId](fx) };
    const L = `${rt.method} ${c.path} (${rt.operationId})`;
    const snap = await counts();
    if (!c.raw) {
      await expectBad(`${L} truncated`, send(c, '{"name": "x'), [400], 'invalid_json');
      await expectBad(`${L} trailing garbage`, send(c, `${JSON.stringify(c.valid)} garbage`), [400], 'invalid_json');
      await expectBad(`${L} two objects`, send(c, `${JSON.stringify(c.valid)}${JSON.stringify(c.valid)}`), [400], 'invalid_json');
      await expectBad(`${L} single quotes`, send(c, "{'name':'x'}"), [400], 'invalid_json');
      await expectBad(`${L} comment`, send(c, '{/* c */}'), [400], 'invalid_json');
      await expectBad(`${L} text/plain`, send(c, JSON.stringify(c.valid), 'text/plain'), [415], 'unsupported_media_type');
      await expectBad(`${L} form`, send(c, 'a=b&c=d', 'application/x-www-form-urlencoded'), [415], 'unsupported_media_type');
      for (const arr of ['[]', `[${JSON.stringify(c.valid)}]`]) {
        const r = await expectBad(`${L} array ${arr.slice(0, 20)}`, send(c, arr), [422], 'validation_failed');
        assert.ok(errorOf(r).fields.some((f) => f.code === 'not_object'), `${L}: not_object`);
      }
      const unk = await expectBad(`${L} unknown field`, send(c, JSON.stringify({ ...c.valid, zzz_unknown: 1 })), [422], 'validation_failed');
      assert.ok(errorOf(unk).fields.some((f) => f.field === 'zzz_unknown' && f.code === 'unknown_field'), `${L}: unknown_field in ${unk.text}`);
      const wt = await expectBad(`${L} wrong types`, send(c, JSON.stringify(c.wrong)), [422], 'validation_failed');
      for (const k of Object.keys(c.wrong))
        assert.ok(errorOf(wt).fields.some((f) => f.field === k && f.code === 'wrong_type'), `${L}: wrong_type for ${k} in ${wt.text}`);
      const nulls = Object.fromEntries(Object.keys(c.valid).map((k) => [k, { nested: [1, { deep: null }] }]));
      await expectBad(`${L} objects everywhere`, send(c, JSON.stringify(nulls)), [422]);
      const key = Object.keys(c.valid).find((k) => typeof c.valid[k] === 'string') || 'name';
      const badUtf8 = Buffer.concat([Buffer.from(`{"${key}":"ab`), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]);
      await expectBad(`${L} bad UTF-8`, send(c, badUtf8), [400], 'invalid_json');
      const overlong = Buffer.concat([Buffer.from(`{"${key}":"`), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
      await expectBad(`${L} overlong UTF-8`, send(c, overlong), [400]);
      const surrogate = Buffer.concat([Buffer.from(`{"${key}":"`), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
      await expectBad(`${L} UTF-8 surrogate`, send(c, surrogate), [400]);
      await expectBad(`${L} lone \\ud800`, send(c, `{"${key}":"\\ud800"}`), [400, 422]);
      await expectBad(`${L} NUL`, send(c, `{"${key}":"a\\u0000b"}`), [400, 422]);
      await expectBad(`${L} control char`, send(c, JSON.stringify({ ...c.valid, [key]: 'a\u0001\u001bb' })), [400, 422]);
      await expectBad(`${L} duplicate keys`, send(c, `{"${key}":"a","${key}":"b"}`), [400], 'invalid_json');
      await expectBad(`${L} deep nesting`, send(c, '['.repeat(3000) + ']'.repeat(3000)), [400, 413, 422]);
      await expectBad(`${L} huge number`, send(c, `{"${key}":1e999999}`), [400, 422]);
      await expectBad(`${L} oversize (Content-Length)`, oversizeCL(c, 50 * 1024 * 1024), [413], 'body_too_large');
      await expectBad(`${L} oversize (chunked)`, oversizeChunked(c, 600 * 1024), [413], 'body_too_large');
    } else if (c.raw === 'application/x-www-form-urlencoded') {
      // Open311 answers in the GeoReport error format: [{"code","description"}].
      const geo = async (label, body, ctype, status) => {
        const before = await newestAuditId();
        const r = await send(c, body, ctype)();
        assert.equal(r.status, status, `${label}: ${r.status} ${r.text}`);
        assert.ok(Array.isArray(r.json) && r.json[0].code === status && r.json[0].description, `${label}: GeoReport error ${r.text}`);
        assert.equal(await newestAuditId(), before, `${label}: something was written (audit id moved)`);
      };
      await geo(`${L} bad UTF-8`, 'service_code=C0301&lat=31.2&long=121.5&description=%FF%FE', c.raw, 400);
      await geo(`${L} NUL`, 'service_code=C0301&lat=31.2&long=121.5&description=a%00b', c.raw, 400);
      await geo(`${L} control char`, 'service_code=C0301&lat=31.2&long=121.5&description=a%01b', c.raw, 400);
      await geo(`${L} JSON body`, '{"service_code":"C0301","lat":31.2,"long":121.5}', 'application/json', 400);
      await geo(`${L} no service_code`, 'lat=31.2&long=121.5', c.raw, 400);
      await geo(`${L} unknown service`, 'service_code=NOPE&lat=31.2&long=121.5', c.raw, 404);
      await geo(`${L} SQL-looking code`, `service_code=${encodeURIComponent("C0301' OR '1'='1")}&lat=31.2&long=121.5`, c.raw, 404);
      await geo(`${L} no location`, 'service_code=C0301', c.raw, 400);
      await geo(`${L} lat out of range`, 'service_code=C0301&lat=190&long=121.5', c.raw, 400);
      await geo(`${L} lat not a number`, 'service_code=C0301&lat=1e&long=121.5', c.raw, 400);
      // Over the body cap too: 413 from the dispatcher, in the GeoReport format (conformance §1).
      const big = await oversizeCL(c, 50 * 1024 * 1024)();
      assert.equal(big.status, 413, `${L} oversize: ${big.status} ${big.text}`);
      assert.ok(Array.isArray(big.json) && big.json[0].code === 413 && big.json[0].description, `${L} oversize: GeoReport error ${big.text}`);
    } else if (c.raw === 'image/png') {
      await expectBad(`${L} text/plain`, send(c, 'hello', 'text/plain'), [415], 'unsupported_media_type');
      await expectBad(`${L} JSON`, send(c, '{"file":"x"}', 'application/json'), [415], 'unsupported_media_type');
      await expectBad(`${L} empty`, send(c, Buffer.alloc(0), 'image/png'), [400]);
      await expectBad(`${L} not an image`, send(c, Buffer.from('GIF89a this is not really a picture at all'), 'image/gif'), [422, 415, 400]);
      await expectBad(`${L} HTML as PNG`, send(c, Buffer.from('<html><script>alert(1)</script></html>'), 'image/png'), [422, 415, 400]);
      const png = makePng();
      await expectBad(`${L} truncated PNG`, send(c, png.subarray(0, 40), 'image/png'), [422, 400]);
      await expectBad(`${L} multipart without boundary`, send(c, png, 'multipart/form-data'), [400]);
      await expectBad(`${L} oversize (Content-Length)`, oversizeCL(c, 50 * 1024 * 1024), [413], 'body_too_large');
    } else {
      await expectBad(`${L} bad UTF-8`, send(c, Buffer.from([0x61, 0x2c, 0xff, 0xfe, 0x0a]), c.raw), [400]);
      await expectBad(`${L} garbage`, send(c, 'this,is\n"not,valid\n', c.raw), [400, 422]);
      await expectBad(`${L} empty`, send(c, Buffer.alloc(0), c.raw), [400, 422]);
      await expectBad(`${L} oversize (Content-Length)`, oversizeCL(c, 50 * 1024 * 1024), [413], 'body_too_large');
      await expectBad(`${L} oversize (chunked)`, oversizeChunked(c, 1024 * 1024), [413], 'body_too_large');
    }
    assert.deepEqual(await counts(), snap, `${L}: counts changed`);
  }
  assert.equal((await api('GET', '/healthz')).status, 200, 'the server is alive');
});

test('a JSON string or number instead of an object → 422 not_object', async () => {
  const c = { method: 'POST', ...BODY_ROUTES.orgs_create(fx) };
  for (const body of ['"a string"', '42', 'true', 'null']) {
    const r = await expectBad(`POST /api/v1/orgs ${body}`, send(c, body), [422], 'validation_failed');
    assert.ok(errorOf(r).fields.some((f) => f.code === 'not_object'), `${body}: ${r.text}`);
  }
});

test('every field error of a request is collected in one answer', async () => {
  const cases = [
    ['/api/v1/orgs', { kind: 5, name: true, lat: 'x' }, ['kind', 'name', 'lat']],
    ['/api/v1/people', { name: 1, org_id: 'x', address: 7 }, ['name', 'org_id', 'address']],
    ['/api/v1/accounts', { login: 1, display_name: 2, password: 3 }, ['login', 'display_name', 'password']],
  ];
  for (const [path, body, names] of cases) {
    const r = await expectBad(`POST ${path}`, () => api('POST', path, as(admin, { body })), [422], 'validation_failed');
    const f = errorOf(r).fields;
    assert.equal(f.length, 3, `${path}: ${r.text}`);
    assert.deepEqual(f.map((x) => x.field).sort(), [...names].sort());
  }
  // Semantic errors are collected too: bad ID, bad phone, missing org.
  const r = await expectBad('POST /api/v1/people semantic', () => api('POST', '/api/v1/people', as(admin, {
    body: { name: 'x', org_id: 99999999, id_number: badCheck('11010119900101123'), phone: '123' },
  })), [422]);
  assert.deepEqual(errorOf(r).fields.map((x) => x.field).sort(), ['id_number', 'org_id', 'phone']);
});

test('huge header (> 48 KiB): 431/413/400, the server survives', async () => {
  const r = await rawRequest(rawHttp('GET', '/api/v1/orgs', { token: admin.token, headers: { 'X-Huge': 'a'.repeat(60 * 1024) } }));
  assert.ok([431, 413, 400].includes(r.status), `status ${r.status} ${r.error || ''}`);
  const many = {};
  for (let i = 0; i < 2000; i++) many[`X-H${i}`] = 'v'.repeat(30);
  const r2 = await rawRequest(rawHttp('GET', '/api/v1/orgs', { token: admin.token, headers: many }));
  assert.ok([431, 413, 400].includes(r2.status), `many headers: status ${r2.status} ${r2.error || ''}`);
  const cookie = await rawRequest(rawHttp('GET', '/api/v1/session', { headers: { Cookie: `wm_session=${'z'.repeat(50000)}` } }));
  assert.ok([431, 413, 400, 401].includes(cookie.status), `huge cookie: ${cookie.status}`);
  const longTok = await api('GET', '/api/v1/session', { token: 'k'.repeat(4000) });
  assert.equal(longTok.status, 401);
  assert.equal((await api('GET', '/healthz')).status, 200);
});

test('path tricks: 400 or 404, never 500', async () => {
  const before = await newestAuditId();
  const cases = [
    '/api/v1/../etc/passwd', '/api/v1/orgs/../../../etc/passwd', '//api/v1/orgs', '/api/v1//orgs', '/api/v1/%2e%2e/etc/passwd',
    '/api/v1/orgs/%2e%2e', '/assets/../../etc/passwd', '/assets/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fetc/passwd',
    '/api/v1/orgs/0', '/api/v1/orgs/abc', '/api/v1/orgs/99999999999', '/api/v1/orgs/-1', '/api/v1/orgs/1.5', '/api/v1/orgs/01',
    '/api/v1/orgs/99999999999999999999999', '/api/v1/orgs/1%0a', '/api/v1/orgs\\1', '/api/v1/orgs/1/',
    '/api/v1/people/9223372036854775807', '/api/v1/people/9223372036854775808', '/api/v1/accounts/1/grants/0',
    '/api/v1/nonexistent', '/api', '/api/v2/orgs', '/open311/v2/nothing', '/api/v1/orgs/%ff', '/assets/', '/assets/nope.js',
  ];
  for (const p of cases) {
    const r = await rawRequest(rawHttp('GET', p, { token: admin.token }));
    // Outside /api and /open311 an unknown GET is a page of the single-page app.
    assert.ok([400, 404].includes(r.status) || (r.status === 200 && !p.startsWith('/api') && !p.startsWith('/open311') && /<html/i.test(r.text)),
      `GET ${p} → ${r.status} ${r.text.slice(0, 120)}`);
    if (r.status !== 200 && p.startsWith('/open311/'))	// the GeoReport error format
      assert.ok(Array.isArray(r.json) && r.json[0].code === r.status, `GET ${p}: GeoReport error shape`);
    else if (r.status !== 200) assert.ok(r.json && r.json.error && r.json.error.code, `GET ${p}: error shape`);
    assert.ok(!r.text.includes('root:'), `GET ${p} leaked a file`);
  }
  for (const p of ['/api/v1/orgs/0', '/api/v1/orgs/abc', '/api/v1/orgs/99999999999']) {
    for (const m of ['PATCH', 'DELETE']) {
      const r = await rawRequest(rawHttp(m, p, { token: admin.token, headers: { 'Content-Type': 'application/json' }, body: m === 'PATCH' ? '{"name":"x"}' : null }));
      assert.ok([400, 404].includes(r.status), `${m} ${p} → ${r.status}`);
    }
  }
  // Bad bytes in the path itself.
  for (const raw of [Buffer.from([0x2f, 0x61, 0x70, 0x69, 0x2f, 0xff, 0xfe]), Buffer.from('/api/v1/orgs/%c3%28'), Buffer.from('/%ed%a0%80')]) {
    const r = await rawRequest(rawHttp('GET', raw, { token: admin.token }));
    assert.equal(r.status, 400, `path ${raw.toString('latin1')} → ${r.status}`);
    assert.equal(r.json.error.code, 'bad_path');
  }
  assert.equal(await newestAuditId(), before);
  assert.equal((await api('GET', '/healthz')).status, 200);
});

// libmicrohttpd decodes %00 into a NUL byte; the path must not be cut there
// (it would turn /api/v1/orgs/1%00anything into /api/v1/orgs/1).
test('a percent-encoded NUL in the path → 400, the path is not truncated', async () => {
  for (const p of ['/api/v1/orgs/1%00', '/api/v1/orgs/1%00/../../../etc/passwd', '/api/v1/orgs%00.json']) {
    const r = await rawRequest(rawHttp('GET', p, { token: admin.token }));
    assert.ok([400, 404].includes(r.status), `GET ${p} → ${r.status} ${r.text.slice(0, 80)}`);
  }
});

test('SQL-looking strings in q parameters are plain text', async () => {
  const evil = ["' OR '1'='1", "'; DROP TABLE orgs; --", '" OR 1=1 --', '%', '_', '*', '\\', "1' UNION SELECT password_hash FROM accounts --"];
  for (const path of ['/api/v1/orgs', '/api/v1/people', '/api/v1/accounts', '/api/v1/audit', '/api/v1/problems']) {
    for (const q of evil) {
      const r = await api('GET', `${path}?q=${encodeURIComponent(q)}`, as(admin));
      assert.equal(r.status, 200, `${path}?q=${q} → ${r.status} ${r.text.slice(0, 200)}`);
      // Matching is literal: whatever comes back contains the text itself.
      if (path !== '/api/v1/audit')
        for (const it of r.json.items)
          assert.ok(Object.values(it).some((v) => typeof v === 'string' && v.includes(q)), `${path}?q=${q} matched ${JSON.stringify(it).slice(0, 120)}`);
      if (/OR|UNION/.test(q)) assert.ok(r.json.items.length < 3, `${path}?q=${q} matched ${r.json.items.length} rows`);
      assert.ok(!/argon2/i.test(r.text), 'no password hashes');
    }
  }
  const all = await listAll('/api/v1/orgs', admin);
  assert.ok(all.length > 100, 'the orgs table is still there');
});

test('SQL-looking names are stored literally and returned unchanged', async () => {
  const street = await orgId('花木街道');
  const names = ["Robert'); DROP TABLE orgs;--", '" OR ""="', "x' UNION SELECT * FROM accounts --", '<script>alert(1)</script>', '100% _done_ \\ 引号\'"'];
  for (const n of names) {
    const name = `${n} ${tag()}`;
    const c = await api('POST', '/api/v1/orgs', as(admin, { body: { parent_id: street, kind: 'team', name, address: name } }));
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.name, name);
    const g = await api('GET', `/api/v1/orgs/${c.json.id}`, as(admin));
    assert.equal(g.json.name, name);
    assert.equal(g.json.address, name);
    const s = await api('GET', `/api/v1/orgs?q=${encodeURIComponent(name)}`, as(admin));
    assert.ok(s.json.items.some((o) => o.id === c.json.id), `search finds ${name}`);
    assert.equal(s.json.items.length, 1, `search for ${name} finds only it`);
  }
  const p = await api('POST', '/api/v1/people', as(admin, { body: { name: "O'Brien\"; DELETE FROM people;--", org_id: await orgId('由由第五居民区') } }));
  assert.equal(p.status, 201, p.text);
  assert.equal((await api('GET', `/api/v1/people/${p.json.id}`, as(admin))).json.name, "O'Brien\"; DELETE FROM people;--");
  assert.ok((await listAll('/api/v1/people', admin)).length > 300);
});

test('unknown query parameters → 422 unknown_parameter on every GET route', async () => {
  const before = await newestAuditId();
  // Open311 takes the standard's parameters (jurisdiction_id and extensions) and ignores others.
  for (const r of (await routeList()).filter((x) => x.method === 'GET' && !x.operationId.startsWith('web_') && !x.operationId.startsWith('open311_get'))) {
    const path = r.path.replace(/\{[^}]+\}/g, '1');
    const res = await api('GET', `${path}?zzz_unknown=1`, as(admin));
    assert.equal(res.status, 422, `${path}?zzz_unknown=1 → ${res.status}`);
    const e = errorOf(res);
    assert.ok(e.fields.some((f) => f.field === 'zzz_unknown' && f.code === 'unknown_parameter'), path);
  }
  assert.equal(await newestAuditId(), before);
});

test('invalid limit / cursor values → 422 on every list route', async () => {
  const lists = (await routeList()).filter((x) => x.method === 'GET' && !x.path.includes('{'));
  const doc = (await api('GET', '/api/v1/openapi.json')).json;
  let n = 0;
  for (const r of lists) {
    const params = (doc.paths[r.path].get.parameters || []).map((p) => p.name);
    // Paginated lists (limit + cursor, 1..200); the map and the feed have their own limits (below).
    if (!params.includes('limit') || !params.includes('cursor')) continue;
    n++;
    const who = await loginHolding(r.permission);
    for (const v of ['0', '-1', '201', 'abc', '1.5', '1e3', '99999999999999999999']) {
      const res = await api('GET', `${r.path}?limit=${encodeURIComponent(v)}`, as(who));
      assert.equal(res.status, 422, `${r.path}?limit=${v} → ${res.status}`);
      assert.ok(errorOf(res).fields.some((f) => f.field === 'limit'), `${r.path}?limit=${v}`);
    }
    for (const v of ['abc', '-5']) {
      const res = await api('GET', `${r.path}?cursor=${encodeURIComponent(v)}`, as(who));
      assert.equal(res.status, 422, `${r.path}?cursor=${v} → ${res.status} ${res.text.slice(0, 100)}`);
    }
    assert.equal((await api('GET', `${r.path}?limit=200`, as(who))).status, 200);
    assert.equal((await api('GET', `${r.path}?limit=1`, as(who))).status, 200);
  }
  assert.ok(n >= 5, 'list routes found');
});

test('map and feed: invalid query values → 422 naming the parameter, nothing written', async () => {
  const before = await newestAuditId();
  const cases = [
    ['/api/v1/problems/map', 'bbox', ['1,2,3', '1,2,3,4,5', '4,3,2,1', 'NaN,0,1,1', '-181,0,0,1', '0,-91,1,0', "1,2,3,4' OR 1=1", '1;2;3;4']],
    ['/api/v1/problems/map', 'limit', ['0', '5001', '1.5', '-3']],
    ['/api/v1/problems/map', 'state', ['opened', "open' --"]],
    ['/api/v1/problems/map', 'org_id', ['0', 'x']],
    ['/api/v1/problems/feed', 'limit', ['0', '101', 'abc']],
    ['/api/v1/problems/feed', 'org_id', ['0', '1.5']],
  ];
  for (const [path, key, values] of cases) {
    for (const v of values) {
      const r = await api('GET', `${path}?${key}=${encodeURIComponent(v)}`, as(admin));
      assert.equal(r.status, 422, `${path}?${key}=${v} → ${r.status} ${r.text.slice(0, 120)}`);
      assert.ok(errorOf(r).fields.some((f) => f.field === key), `${path}?${key}=${v}`);
    }
  }
  assert.equal((await api('GET', '/api/v1/problems/map?limit=5000', as(admin))).status, 200);
  assert.equal((await api('GET', '/api/v1/problems/feed?limit=100', as(admin))).status, 200);
  assert.equal(await newestAuditId(), before);
});

test('bad UTF-8 or oversize values in query strings → 400', async () => {
  for (const q of ['q=%ff', 'q=%c3%28', 'q=%ed%a0%80', '%ff=1', `q=${'a'.repeat(5000)}`]) {
    const r = await rawRequest(rawHttp('GET', `/api/v1/orgs?${q}`, { token: admin.token }));
    assert.equal(r.status, 400, `?${q.slice(0, 30)} → ${r.status}`);
    assert.equal(r.json.error.code, 'bad_query');
  }
  const raw = Buffer.concat([Buffer.from('/api/v1/people?q='), Buffer.from([0xff, 0xc0, 0x80])]);
  const r = await rawRequest(rawHttp('GET', raw, { token: admin.token }));
  assert.equal(r.status, 400);
});

test('method not allowed → 405 with Allow', async () => {
  const before = await newestAuditId();
  const byPath = new Map();
  for (const r of await routeList()) {
    if (!byPath.has(r.path)) byPath.set(r.path, new Set());
    byPath.get(r.path).add(r.method);
  }
  for (const [p, methods] of byPath) {
    const path = p.replace(/\{path\}/, 'app.js').replace(/\{[^}]+\}/g, '1');
    const other = ['PUT', 'PATCH', 'DELETE', 'POST', 'GET'].find((m) => !methods.has(m));
    const r = await api(other, path, as(admin));
    assert.equal(r.status, 405, `${other} ${path} → ${r.status}`);
    if (path.startsWith('/open311/'))	// every error there is GeoReport's (conformance §1)
      assert.ok(Array.isArray(r.json) && r.json[0].code === 405 && r.json[0].description, `${other} ${path}: ${r.text}`);
    else
      assert.equal(errorOf(r).code, 'method_not_allowed');
    const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean).sort();
    assert.deepEqual(allow, [...methods].sort(), `${other} ${path}: Allow`);
  }
  assert.equal(await newestAuditId(), before);
});

test('bad Idempotency-Key → 400, nothing created', async () => {
  const before = await newestAuditId();
  for (const key of ['has space', 'x'.repeat(129), 'tab\tkey']) {
    const r = await api('POST', '/api/v1/orgs', as(admin, { body: { parent_id: fx.street, kind: 'team', name: `幂等坏键-${tag()}` }, headers: { 'Idempotency-Key': key } }));
    assert.equal(r.status, 400, `key ${JSON.stringify(key.slice(0, 10))} → ${r.status}`);
    assert.equal(errorOf(r).code, 'bad_idempotency_key');
  }
  assert.equal(await newestAuditId(), before);
});

test('wrong IDs and other orgs’ IDs in bodies: clear errors, nothing changed', async () => {
  const c = await login('committee');
  const before = await newestAuditId();
  const wt = await orgId('梧桐居民区');
  const cases = [
    [admin, 'POST', '/api/v1/orgs', { parent_id: 99999999, kind: 'team', name: 'x' }, [422]],
    [admin, 'POST', '/api/v1/people', { name: 'x', org_id: 99999999 }, [422]],
    [admin, 'POST', '/api/v1/accounts', { login: `w-${tag()}`, display_name: 'x', password: 'w-secret-123', grants: [{ role: 'resident', org_id: 99999999 }] }, [422]],
    [admin, 'POST', '/api/v1/accounts', { login: `w-${tag()}`, display_name: 'x', password: 'w-secret-123', grants: [{ role: 'emperor', org_id: fx.comm }] }, [422]],
    [admin, 'POST', `/api/v1/accounts/${fx.account}/grants`, { role: 'volunteer', org_id: 99999999 }, [422]],
    [admin, 'POST', '/api/v1/accounts/99999999/grants', { role: 'volunteer', org_id: fx.comm }, [404]],
    [admin, 'PATCH', '/api/v1/people/99999999', { name: 'x' }, [404]],
    [admin, 'PATCH', `/api/v1/people/${fx.person}`, { org_id: 99999999 }, [422]],
    [admin, 'POST', '/api/v1/problems', { category: 'NOPE', description: 'x', org_id: fx.comm, location: { lat: 31, lng: 121 } }, [422]],
    [admin, 'POST', '/api/v1/problems', { category: fx.cat, description: 'x', org_id: fx.comm, location: { lat: 91, lng: 121 } }, [422]],
    [admin, 'POST', '/api/v1/problems', { category: fx.cat, description: 'x', org_id: fx.comm, location: { lat: 31, lng: 121 }, photos: [99999999] }, [422]],
    [c, 'POST', '/api/v1/people', { name: 'x', org_id: wt }, [403]],
    [c, 'PATCH', `/api/v1/people/${fx.person}`, { org_id: wt }, [403]],
  ];
  for (const [who, m, p, body, st] of cases)
    await expectBad(`${m} ${p} ${JSON.stringify(body).slice(0, 60)}`, () => api(m, p, as(who, { body })), st);
  assert.equal(await newestAuditId(), before);
});
