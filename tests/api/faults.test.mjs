// faults.test.mjs — store fault injection swept across the API's write paths,
// as SQLite's own tests do with I/O errors (docs/TESTING.md, "Fault injection").
//
// A test-clock server offers PUT /api/v1/system/fault {"write": N}: the N-th
// store write from then on (BEGIN, a step of a writing statement, COMMIT),
// made while answering a request, fails as SQLITE_IOERR would. For each
// request of a scripted set covering the main write paths this file sweeps
// N = 1, 2, 3 … until the request goes through without the fault firing,
// and for every N where it fired checks:
//   - the answer is 5xx in the JSON error shape (never 2xx, never a 4xx that
//     blames the client);
//   - the database is exactly as before the request: a read-only
//     fingerprint (database.mjs: the sqlite3 CLI on the live WAL database, or
//     psql on PostgreSQL) of every table, content and row count;
//   - the server still answers /healthz;
// then the request without a fault must succeed. The fingerprint leaves out
// only the columns the webhook worker (its own thread, outside the fault's
// scope) updates as it delivers: a delivery's state, attempts and times.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  api, as, ensureServer, errorOf, freshLogin, login, makeId, makePng, orgId, randomPhone, serverDataDir, tag, clockIso,
  serverDatabase, query, tableNames, tableHashes,
} from './harness.mjs';

await ensureServer();

// ID numbers of this file: its own region code, adults born in 1990 (shift
// posts have age limits), one birth day per call.
const REGION = '530102';
let idSeq = 0;
const uniqueId = () => makeId(new Date(Date.UTC(1990, 0, 1) + (++idSeq % 360) * 864e5).toISOString().slice(0, 10).replace(/-/g, ''),
  (process.pid + Math.floor(idSeq / 360)) % 1000, REGION);
const CHURN = new Set(['webhook_deliveries']);	// see the header
let db, dbPath, tables, admin, office, committee, handler, resident, comm;
const stats = [];	// [name, writes until success, faults fired] for the summary

before(async () => {
  const dir = serverDataDir();
  assert.ok(dir, 'the server data dir is unknown (run through run.mjs, which sets WENMING_DATA_DIR)');
  db = serverDatabase();
  dbPath = join(dir, 'wenming.db');
  if (!db.url) assert.ok(existsSync(dbPath), `no database at ${dbPath}`);
  [admin, office, committee, handler, resident] = await Promise.all(['admin', 'office', 'committee', 'handler', 'resident'].map((l) => login(l)));
  comm = await orgId('由由第五居民区');
  const r = await arm(0);
  assert.equal(r.status, 200, `PUT /api/v1/system/fault: ${r.text}`);
});
after(async () => {
  if (admin) await arm(0);
  await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: clockIso() } }));
  if (stats.length) {
    const total = stats.reduce((s, x) => s + x[2], 0);
    console.log(`# faults: ${stats.length} requests, ${total} injected faults: ${stats.map((x) => `${x[0]} ${x[2]}`).join(', ')}`);
  }
});

// ---- the database fingerprint ------------------------------------------------
// A commit always writes the WAL (or, after a checkpoint, the database file):
// when neither file's size, inode or modification time moved, nothing was
// committed and the last fingerprint still holds — the sweep's usual case,
// answered without starting sqlite3. On PostgreSQL the same holds for the
// cluster's WAL position (only this server's database is written meanwhile).
let lastStat = null, lastFp = null;
function fileStat() {
  if (db.url) return query(db, 'SELECT pg_current_wal_lsn();').trim();
  return ['', '-wal'].map((x) => { try { const st = statSync(dbPath + x, { bigint: true }); return `${st.ino}:${st.size}:${st.mtimeNs}`; } catch { return '-'; } }).join('|');
}
function fingerprint() {
  const st = fileStat();
  if (st === lastStat) return lastFp;
  lastFp = fullFingerprint();
  lastStat = st;
  return lastFp;
}
function fullFingerprint() {
  if (!tables) tables = tableNames(db);
  const columns = Object.fromEntries([...CHURN].map((t) => [t, 'id, webhook_id, event, problem_id, problem_event_id, signup_id, shift_id, created_at']));
  return tableHashes(db, tables, { columns });
}
function diff(a, b) {
  const la = a.split('\n'), lb = new Set(b.split('\n'));
  return la.filter((l) => l && !lb.has(l)).map((l) => l.split('|').slice(0, 2).join(' rows ')).join('; ');
}

// ---- the sweep -------------------------------------------------------------
const arm = (n) => api('PUT', '/api/v1/system/fault', as(admin, { body: { write: n } }));

// Sweeps one request. send() must send the same request every time (the
// failed tries change nothing, so it is valid each time); returns the
// successful answer.
// WENMING_FAULTS_SURVEY=1: list every violation on stderr and carry on (to
// take stock of a code base), instead of failing at the first.
const SURVEY = process.env.WENMING_FAULTS_SURVEY === '1';
function check(cond, msg) {
  if (cond) return true;
  if (!SURVEY) assert.fail(msg);
  console.error(`# VIOLATION ${msg}`);
  return false;
}
async function sweep(name, send, { ok = [200, 201, 204], geo = false } = {}) {
  let fp0 = fingerprint();
  for (let n = 1; n <= 400; n++) {
    const a = await arm(n);
    assert.equal(a.status, 200, a.text);
    const fired0 = a.json.fired;
    const r = await send();
    const d = await arm(0);
    const fired = d.json.fired > fired0;
    if (!fired) {
      assert.ok(ok.includes(r.status), `${name}: without a fault (${n - 1} writes) it answered ${r.status} ${r.text.slice(0, 300)}`);
      stats.push([name, n - 1, n - 1]);
      return r;
    }
    const where = `${name}, write #${n} failed`;
    const fp = fingerprint();
    if (!check(r.status >= 500 && r.status <= 599, `${where}: answered ${r.status} ${r.text.slice(0, 200)}; database ${fp === fp0 ? 'unchanged' : `changed: ${diff(fp, fp0)}`}`)) {
      if (r.status < 300) { stats.push([name, n, n]); return r; }
    } else {
      if (geo) {	// Open311 answers GeoReport errors: [{"code": N, "description": "…"}]
        check(Array.isArray(r.json) && r.json[0]?.code === r.status && typeof r.json[0]?.description === 'string', `${where}: not a GeoReport error: ${r.text.slice(0, 200)}`);
      } else {
        const e = errorOf(r);
        check(['internal', 'store_error', 'commit_failed', 'unavailable'].includes(e.code), `${where}: error code ${e.code}`);
      }
      check(fp === fp0, `${where}: answered ${r.status} but the database changed: ${diff(fp, fp0)}`);
    }
    fp0 = fp;
    const h = await api('GET', '/healthz');
    assert.equal(h.status, 200, `${where}: /healthz ${h.status}`);
  }
  assert.fail(`${name}: still failing after 400 writes`);
}

const problemBody = (extra = {}) => ({
  category: 'C0301', description: `故障注入 ${tag('f')}`, org_id: comm, location: { lat: 31.2219, lng: 121.5384 }, ...extra,
});
const act = (s, id, action, body = {}) => () => api('POST', `/api/v1/problems/${id}/actions`, as(s, { body: { action, ...body } }));
async function upload(s) {
  const r = await api('POST', '/api/v1/photos', as(s, { body: makePng(), headers: { 'Content-Type': 'image/png' } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// ---- the script --------------------------------------------------------------

test('the fault route: admin only, validated, and it disarms', async () => {
  assert.equal((await api('PUT', '/api/v1/system/fault', as(office, { body: { write: 0 } }))).status, 403);
  assert.equal((await api('PUT', '/api/v1/system/fault', { body: { write: 0 } })).status, 401);
  const bad = await api('PUT', '/api/v1/system/fault', as(admin, { body: { write: -1 } }));
  assert.equal(bad.status, 422, bad.text);
  // Armed far away: a read-only request does not count; disarming returns the count.
  const a = await arm(1000);
  assert.equal(a.status, 200, a.text);
  assert.equal((await api('GET', '/api/v1/problems?limit=1', as(admin))).status, 200);
  const d = await arm(0);
  assert.equal(d.json.fired, a.json.fired, 'reads never fire a fault');
  assert.deepEqual(Object.keys(d.json).sort(), ['fired', 'write']);
});

test('a login, an audited reveal of personal data, the test clock', async () => {
  const login0 = () => api('POST', '/api/v1/session', { body: { login: 'committee', password: 'wenming-demo' } });
  await sweep('session_login', login0);
  const people = await api('GET', `/api/v1/people?limit=1&org_id=${comm}`, as(admin));
  assert.equal(people.status, 200, people.text);
  const pid = people.json.items[0].id;
  await sweep('people_sensitive', () => api('GET', `/api/v1/people/${pid}/sensitive`, as(admin)));
  // The test clock: audited outside a transaction; a failed entry leaves the clock alone.
  const at = '2025-02-03T04:05:06Z';
  await sweep('system_clock', () => api('PUT', '/api/v1/system/clock', as(admin, { body: { now: at } })));
  const back = await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: clockIso() } }));
  assert.equal(back.status, 200, back.text);
});

test('the problem loop: report, every workflow step, rating, with webhooks outbox and notifications', async () => {
  const hook = await sweep('webhooks_create', () => api('POST', '/api/v1/webhooks', as(admin, {
    body: { name: `故障-${tag()}`, url: 'http://127.0.0.1:9/faults', events: ['*'] },
  })));
  try {
    const up = await sweep('photos_upload', () => api('POST', '/api/v1/photos', as(resident, { body: makePng(24, 24, [1, 2, 3]), headers: { 'Content-Type': 'image/png' } })), { ok: [200, 201] });
    const body = problemBody({ photos: [up.json.id] });
    const p = (await sweep('problems_create', () => api('POST', '/api/v1/problems', as(resident, { body })))).json;
    await sweep('accept', act(committee, p.id, 'accept', { note: '受理' }));
    await sweep('dispatch', act(committee, p.id, 'dispatch', { handler_org_id: await orgId('锦绣前城物业') }));
    await sweep('return', act(handler, p.id, 'return', { reason: '不属于本单位' }));
    await sweep('dispatch again', act(committee, p.id, 'dispatch', { handler_org_id: await orgId('锦绣前城物业') }));
    await sweep('acknowledge', act(handler, p.id, 'acknowledge'));
    const dl = (await api('GET', `/api/v1/problems/${p.id}`, as(committee))).json.deadline;
    const later = new Date(Date.parse(dl) + 48 * 3600e3).toISOString();
    await sweep('request_extension', act(handler, p.id, 'request_extension', { deadline: later, reason: '需采购材料' }));
    await sweep('approve_extension', act(committee, p.id, 'approve_extension'));
    const ph = await upload(handler);
    await sweep('rectify', act(handler, p.id, 'rectify', { photos: [ph], note: '已清理', location: { lat: 31.222, lng: 121.538 } }));
    await sweep('verify_fail', act(committee, p.id, 'verify_fail', { reason: '仍有堆物' }));
    const ph2 = await upload(handler);
    await sweep('rectify again', act(handler, p.id, 'rectify', { photos: [ph2], note: '已彻底清理', location: { lat: 31.222, lng: 121.538 } }));
    await sweep('verify_pass (closes, schedules revisits)', act(committee, p.id, 'verify_pass', { note: '通过' }));
    await sweep('problems_rate', () => api('POST', `/api/v1/problems/${p.id}/rating`, as(resident, { body: { rating: 'satisfied' } })));
    const rv = (await api('GET', `/api/v1/revisits?problem_id=${p.id}`, as(committee))).json.items;
    assert.equal(rv.length, 2, 'closing scheduled two revisits');
    const ph3 = await upload(committee);
    await sweep('revisits_do (fails: the problem relapses)', () => api('POST', `/api/v1/revisits/${rv[0].id}`, as(committee, { body: { result: 'fail', note: '又堆满了', photos: [ph3] } })));
    const o311 = `service_code=C0301&lat=31.2219&long=121.5384&description=${encodeURIComponent(`故障注入 ${tag()}`)}`;
    await sweep('open311_post', () => api('POST', '/open311/v2/requests.json', { body: o311, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), { geo: true });
    const rej = (await api('POST', '/api/v1/problems', as(resident, { body: problemBody() }))).json;
    await sweep('reject', act(committee, rej.id, 'reject', { reason: '重复' }));
  } finally {
    await api('DELETE', `/api/v1/webhooks/${hook.json.id}`, as(admin));
  }
});

test('people, volunteers, accounts and grants', async () => {
  const person = (await sweep('people_create', () => api('POST', '/api/v1/people', as(admin, {
    body: { name: `故障人-${tag()}`, org_id: comm, kinds: ['resident'], id_number: uniqueId(), phone: randomPhone() },
  })))).json;
  await sweep('people_update', () => api('PATCH', `/api/v1/people/${person.id}`, as(admin, { body: { name: '故障人改', phone: randomPhone() } })));
  const vbody = { name: `故障志愿-${tag()}`, id_number: uniqueId(), phone: randomPhone(), org_id: comm, vtype: 'white_collar', skills: ['急救'] };
  const v = (await sweep('volunteers_create', () => api('POST', '/api/v1/volunteers', as(office, { body: vbody })))).json;
  await sweep('volunteers_update', () => api('PATCH', `/api/v1/volunteers/${v.id}`, as(office, { body: { areas: ['锦绣前城'], note: '故障注入' } })));
  const loginName = `flt-${tag()}`;
  const acc = (await sweep('accounts_create', () => api('POST', '/api/v1/accounts', as(admin, {
    body: { login: loginName, display_name: '故障账号', password: 'fault-secret-123', grants: [{ role: 'resident', org_id: comm }] },
  })))).json;
  await sweep('accounts_update', () => api('PATCH', `/api/v1/accounts/${acc.id}`, as(admin, { body: { display_name: '故障账号改' } })));
  const g = (await sweep('grants_create', () => api('POST', `/api/v1/accounts/${acc.id}/grants`, as(admin, { body: { role: 'volunteer', org_id: comm } })))).json;
  await sweep('grants_delete', () => api('DELETE', `/api/v1/accounts/${acc.id}/grants/${g.id}`, as(admin)));
  await sweep('accounts_password', () => api('POST', `/api/v1/accounts/${acc.id}/password`, as(admin, { body: { new_password: 'fault-secret-456' } })));
});

test('orgs: create, and move a subtree (paths and KPI roll-ups follow)', async () => {
  const street = await orgId('花木街道');
  const mk = (body) => sweep(`orgs_create (${body.kind})`, () => api('POST', '/api/v1/orgs', as(admin, { body })));
  const a = (await mk({ parent_id: street, kind: 'community', name: `故障社区甲-${tag()}` })).json;
  const b = (await api('POST', '/api/v1/orgs', as(admin, { body: { parent_id: street, kind: 'community', name: `故障社区乙-${tag()}` } }))).json;
  const c = (await mk({ parent_id: a.id, kind: 'compound', name: `故障小区-${tag()}` })).json;
  const moved = await sweep('orgs_update (move)', () => api('PATCH', `/api/v1/orgs/${c.id}`, as(admin, { body: { parent_id: b.id } })));
  assert.equal(moved.json.parent_id, b.id);
});

// A signed-in resident who registered as a volunteer and was approved.
async function volunteerAccount() {
  const loginName = `flv-${tag()}`;
  const a = await api('POST', '/api/v1/accounts', as(admin, {
    body: { login: loginName, display_name: '故障志愿者', password: 'vol-secret-123', grants: [{ role: 'resident', org_id: comm }] },
  }));
  assert.equal(a.status, 201, a.text);
  const s = await freshLogin(loginName, 'vol-secret-123');
  const reg = await api('POST', '/api/v1/volunteers/register', as(s, {
    body: { name: `自助-${tag()}`, id_number: uniqueId(), phone: randomPhone(), org_id: comm, vtype: 'white_collar' },
  }));
  assert.equal(reg.status, 201, reg.text);
  return { id: a.json.id, s, volunteer: reg.json };
}

test('shifts: sign-up to the waitlist, cancel with promotion; service records and their approval', async () => {
  const post = (await api('POST', '/api/v1/posts', as(office, { body: { org_id: comm, name: `故障岗-${tag()}`, kind: 'love_post' } }))).json;
  assert.ok(post.id);
  const pat = await api('POST', `/api/v1/posts/${post.id}/patterns`, as(office, { body: { weekdays: [1, 2, 3, 4, 5, 6, 7], start: '07:30', end: '09:30', capacity: 1 } }));
  assert.equal(pat.status, 201, pat.text);
  const date = '2025-04-02';
  const gen = await api('POST', `/api/v1/posts/${post.id}/generate`, as(office, { body: { from: date, days: 1 } }));
  assert.equal(gen.status, 200, gen.text);
  const q = new URLSearchParams({ post_id: post.id, from: date, to: `${date}T23:59:59+08:00` });
  const [shift] = (await api('GET', `/api/v1/shifts?${q}`, as(office))).json.items;
  assert.ok(shift, 'a shift');
  const clk = await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: '2025-03-29T10:00:00+08:00' } }));
  assert.equal(clk.status, 200, clk.text);
  const [a, b] = [await volunteerAccount(), await volunteerAccount()];
  await sweep('volunteers_decide', () => api('POST', `/api/v1/volunteers/${a.volunteer.id}/decision`, as(committee, { body: { decision: 'approve' } })));
  assert.equal((await api('POST', `/api/v1/volunteers/${b.volunteer.id}/decision`, as(committee, { body: { decision: 'approve' } }))).status, 200);
  const sa = (await sweep('shifts_signup', () => api('POST', `/api/v1/shifts/${shift.id}/signup`, as(a.s, { body: {} })), { ok: [201] })).json;
  assert.equal(sa.status, 'confirmed');
  const sb = (await sweep('shifts_signup (waitlist)', () => api('POST', `/api/v1/shifts/${shift.id}/signup`, as(b.s, { body: {} })), { ok: [201] })).json;
  assert.equal(sb.status, 'waitlisted');
  await sweep('signups_cancel (promotes)', () => api('POST', `/api/v1/signups/${sa.id}/cancel`, as(a.s)));
  const mine = (await api('GET', '/api/v1/volunteers/me/signups?from=2025-04-01&to=2025-04-30', as(b.s))).json.items;
  assert.equal(mine[0].status, 'confirmed', 'the waitlisted volunteer was promoted');
  await sweep('shifts_cancel (notifies the signed-up)', () => api('POST', `/api/v1/shifts/${shift.id}/cancel`, as(office)));
  await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: clockIso() } }));

  const rec = (await sweep('records_create', () => api('POST', '/api/v1/records', as(office, {
    body: { volunteer_id: b.volunteer.id, activity_name: '故障注入服务', service_date: '2025-03-01', hours: 2 },
  })))).json;
  await sweep('records_decide (approve, earns points)', () => api('POST', `/api/v1/records/${rec.id}/decision`, as(office, { body: { decision: 'approve' } })));
});

test('love bank: an award, an order, its fulfilment', async () => {
  const m = await volunteerAccount();
  // With an Idempotency-Key: the key is stored in the same transaction.
  const key = `fault-${tag()}`;
  await sweep('bank_awards_create (Idempotency-Key)', () => api('POST', '/api/v1/bank/awards', as(office, {
    body: { account_id: m.id, org_id: comm, points: 50, reason: '故障注入' }, headers: { 'Idempotency-Key': key },
  })));
  const item = (await sweep('bank_items_create', () => api('POST', '/api/v1/bank/items', as(office, { body: { provider_id: comm, name: `故障物品-${tag()}`, cost: 30, stock: 2 } })))).json;
  const o = (await sweep('bank_orders_create', () => api('POST', '/api/v1/bank/orders', as(m.s, { body: { item_id: item.id } })))).json;
  await sweep('bank_orders_fulfil', () => api('POST', `/api/v1/bank/orders/${o.id}/fulfil`, as(office, { body: { code: o.code } })));
  const cheap = (await api('POST', '/api/v1/bank/items', as(office, { body: { provider_id: comm, name: `故障小物-${tag()}`, cost: 10, stock: 2 } }))).json;
  const o2 = (await api('POST', '/api/v1/bank/orders', as(m.s, { body: { item_id: cheap.id } }))).json;
  assert.ok(o2.id, 'a second order');
  await sweep('bank_orders_cancel (refunds, restocks)', () => api('POST', `/api/v1/bank/orders/${o2.id}/cancel`, as(m.s)));
  const t = await api('GET', '/api/v1/bank/trial-balance', as(admin));
  assert.equal(t.json.balanced, true, t.text);
});

test('an inspection that raises problems; imports', async () => {
  const site = (await sweep('sites_create', () => api('POST', '/api/v1/sites', as(committee, {
    body: { name: `故障点位-${tag()}`, site_type: 'S01', org_id: comm, location: { lat: 31.2101, lng: 121.5502 } },
  })))).json;
  const cl = (await api('GET', `/api/v1/site-types/${site.site_type_id}/checklist`, as(admin))).json;
  const failing = cl.items.filter((i) => i.category && i.grading !== 'abc').slice(0, 2);
  assert.equal(failing.length, 2, 'two items that raise problems');
  const resultsWith = (ph) => cl.items.map((i) => (failing.includes(i) ? { item_id: i.id, result: 'fail', note: '故障注入', photos: [ph] }
    : { item_id: i.id, result: i.grading === 'abc' ? 'A' : 'pass' }));
  const results = resultsWith(await upload(committee));
  const n = (await sweep('inspections_create (raises 2 problems)', () => api('POST', '/api/v1/inspections', as(committee, {
    body: { site_id: site.id, kind: 'self_check', results },
  })))).json;
  assert.equal(n.results.filter((x) => x.problem_id).length, 2);
  const officeResults = resultsWith(await upload(office));
  const je = (await sweep('inspections_create (joint enforcement, numbered notices)', () => api('POST', '/api/v1/inspections', as(office, {
    body: { site_id: site.id, kind: 'joint_enforcement', notices: 2, confiscated: 1, results: officeResults },
  })))).json;
  assert.equal(je.notices.length, 2);

  const csv = ['姓名,身份证号,手机号,类型', `注错一${tag()},${uniqueId()},${randomPhone()},白领`, `注错二${tag()},${uniqueId()},${randomPhone()},学生`].join('\r\n');
  const imp = await sweep('volunteers_import', () => api('POST', `/api/v1/volunteers/import?org_id=${comm}`, as(office, { body: csv, headers: { 'Content-Type': 'text/csv' } })));
  assert.equal(imp.json.imported, 2, imp.text);
  const cats = (await api('GET', '/api/v1/categories/export', as(admin))).text;
  await sweep('categories_import', () => api('POST', '/api/v1/categories/import', as(admin, { body: cats, headers: { 'Content-Type': 'text/csv' } })));
});
