// problems.test.mjs — the problem closed loop (SPEC §3) through the real
// binary: the full loop with the demo roles, illegal actions (409 with the
// allowed actions), reasons, rework, reviewer ≠ rectifier, extensions,
// returns, merges, reopening, visibility scope, reminders and escalation
// with the injected clock, races between conflicting actions, photo uploads,
// the category catalogue, the working calendar and the list filters.
//
// Every test makes its own problems (descriptions carry a unique tag) and
// looks orgs up by name or code; nothing depends on demo ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ensureServer, api, as, login, freshLogin, errorOf, listAll, tag, makePng, rawRequest, rawHttp, spotOf, clockIso, clockNow,
} from './harness.mjs';

await ensureServer();

const RFC_CN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;
const CODE_RE = /^HM-\d{4}-\d{6}$/;
const H = 3600 * 1000;

let S = {};	// sessions by login
let ORG = {};	// org ids: comm, comm2, street, jxqc, xhw, compound

async function orgBy(q, pred) {
  const r = await api('GET', `/api/v1/orgs?q=${encodeURIComponent(q)}`, as(S.admin));
  assert.equal(r.status, 200, r.text);
  const o = r.json.items.find(pred);
  assert.ok(o, `org matching ${q} not found: ${r.text.slice(0, 300)}`);
  return o;
}

before(async () => {
  for (const l of ['admin', 'office', 'committee', 'committee2', 'inspector', 'handler', 'volunteer', 'resident', 'xhw-wuye'])
    S[l] = await login(l);
  ORG.comm = (await orgBy('由由第五', (o) => o.name === '由由第五居民区')).id;
  ORG.comm2 = (await orgBy('梧桐', (o) => o.name === '梧桐居民区')).id;
  ORG.street = (await orgBy('花木街道', (o) => o.name === '花木街道')).id;
  ORG.jxqc = (await orgBy('HM-WY-JXQC', (o) => o.code === 'HM-WY-JXQC')).id;
  ORG.xhw = (await orgBy('星河湾物业', (o) => o.name === '星河湾物业')).id;
  // A compound inside 由由第五 (for the subtree filter).
  const all = await listAll('/api/v1/orgs', S.admin);
  const comm = all.find((o) => o.id === ORG.comm);
  const cpd = all.find((o) => o.kind === 'compound' && o.parent_id === ORG.comm && o.path.startsWith(comm.path));
  ORG.compound = cpd ? cpd.id : null;
});

// --- helpers -------------------------------------------------------------

// RFC 3339 in China time (+08:00) for a millisecond timestamp.
function cn(ms) {
  const d = new Date(Math.floor(ms / 1000) * 1000 + 8 * H);
  return d.toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

async function upload(s, png = makePng(20, 14)) {
  const r = await api('POST', '/api/v1/photos', as(s, { body: png, headers: { 'Content-Type': 'image/png' } }));
  assert.equal(r.status, 201, `upload: ${r.text}`);
  assert.ok(Number.isInteger(r.json.id));
  return r.json.id;
}

function multipart(parts, boundary = `----wm${tag()}`) {
  const chunks = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data, 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

// Where report() puts a problem; a rectification is reported from there.
const HERE = { lat: 31.2219, lng: 121.5384 };

async function report(s, extra = {}) {
  const body = {
    category: 'C0301', description: `楼道堆物 ${tag('p')}`, org_id: ORG.comm,
    location: { lat: 31.2219, lng: 121.5384 }, ...extra,
  };
  const r = await api('POST', '/api/v1/problems', as(s, { body }));
  assert.equal(r.status, 201, `report: ${r.text}`);
  return r.json;
}

const act = (s, id, action, body = {}) => api('POST', `/api/v1/problems/${id}/actions`, as(s, { body: { action, ...body } }));

async function ok(s, id, action, body = {}, state = null) {
  const r = await act(s, id, action, body);
  assert.equal(r.status, 200, `${action} on ${id}: ${r.text}`);
  if (state) assert.equal(r.json.state, state, `${action} → state`);
  return r.json;
}

async function getP(s, id) {
  const r = await api('GET', `/api/v1/problems/${id}`, as(s));
  assert.equal(r.status, 200, `GET problem ${id}: ${r.text}`);
  return r.json;
}
const actions = (p) => p.events.map((e) => e.action);

function illegal(r, allowedExpected = null) {
  assert.equal(r.status, 409, r.text);
  const e = errorOf(r);
  assert.equal(e.code, 'illegal_action');
  assert.ok(Array.isArray(e.allowed_actions), `allowed_actions missing: ${r.text}`);
  if (allowedExpected) assert.deepEqual([...e.allowed_actions].sort(), [...allowedExpected].sort(), r.text);
  return e;
}

function fieldErr(r, field, status = 422) {
  assert.equal(r.status, status, r.text);
  const e = errorOf(r);
  assert.ok((e.fields || []).some((f) => f.field === field), `expected a field error on ${field}: ${r.text}`);
  return e;
}

// Walks a fresh problem to a state (reported by the resident unless given).
async function toState(state, { reporter = null, handlerOrg = null, handler = null, extra = {} } = {}) {
  const p = await report(reporter || S.resident, extra);
  if (state === 'reported') return p;
  await ok(S.committee, p.id, 'accept', {}, 'accepted');
  if (state === 'accepted') return p;
  await ok(S.committee, p.id, 'dispatch', { handler_org_id: handlerOrg || ORG.jxqc }, 'dispatched');
  if (state === 'dispatched') return p;
  const h = handler || S.handler;
  await ok(h, p.id, 'acknowledge', {}, 'acknowledged');
  if (state === 'acknowledged') return p;
  const ph = await upload(h);
  await ok(h, p.id, 'rectify', { photos: [ph], note: '已清理', location: { lat: 31.222, lng: 121.538 } }, 'rectified');
  if (state === 'rectified') return p;
  await ok(S.committee, p.id, 'verify_pass', {}, 'closed');
  return p;
}

async function notificationsOf(s) {
  return listAll('/api/v1/notifications', s, { limit: 200, max: 200 });
}

// --- 1. the full loop ------------------------------------------------------

test('full loop: report → accept → dispatch → acknowledge → rectify → verify_pass, with history, photos and scope', async () => {
  const { resident, committee, committee2, handler, volunteer } = S;
  const png = makePng(32, 24);
  const mp = multipart([{ name: 'file', filename: 'before.png', type: 'image/png', data: png }]);
  const up = await api('POST', '/api/v1/photos', as(resident, { body: mp.body, headers: { 'Content-Type': mp.type } }));
  assert.equal(up.status, 201, up.text);
  assert.ok(Number.isInteger(up.json.id));
  assert.equal(up.json.url, `/api/v1/photos/${up.json.id}`);
  const before = up.json.id;

  const desc = `楼道堆放纸箱 ${tag('loop')}`;
  const r = await api('POST', '/api/v1/problems', as(resident, {
    body: { category: 'C0301', description: desc, org_id: ORG.comm, location: { lat: 31.2219, lng: 121.5384 }, photos: [before] },
  }));
  assert.equal(r.status, 201, r.text);
  const p = r.json;
  assert.match(p.code, CODE_RE);
  assert.equal(p.state, 'reported');
  assert.equal(p.overdue, false);
  assert.equal(p.category, 'C0301');
  assert.equal(p.org_id, ORG.comm);
  assert.equal(p.handler_org_id, null);
  assert.equal(p.deadline, null);
  assert.equal(p.description, desc);
  assert.equal(p.source, 'citizen_tip');
  assert.deepEqual(p.location, { lat: 31.2219, lng: 121.5384 });
  assert.match(p.created_at, RFC_CN);

  const acc = await ok(committee, p.id, 'accept', { note: '受理' }, 'accepted');
  assert.ok(acc.allowed_actions.includes('dispatch'), JSON.stringify(acc.allowed_actions));
  const dis = await ok(committee, p.id, 'dispatch', { handler_org_id: ORG.jxqc, note: '请物业处理' }, 'dispatched');
  assert.equal(dis.handler_org_id, ORG.jxqc);
  assert.equal(dis.handler_name, '锦绣前城物业');
  assert.match(dis.deadline, RFC_CN);
  assert.match(dis.dispatched_at, RFC_CN);
  assert.ok(Date.parse(dis.deadline) > Date.parse(dis.dispatched_at));
  assert.equal(dis.overdue, false);

  // The handler now sees it and has a task notification.
  const hv = await getP(handler, p.id);
  assert.deepEqual(hv.allowed_actions.sort(), ['acknowledge', 'return'].sort());
  assert.ok((await notificationsOf(handler)).some((n) => n.problem_id === p.id && n.kind === 'dispatched'), 'handler notified of the task');

  await ok(handler, p.id, 'acknowledge', { note: '已签收' }, 'acknowledged');
  const after = await upload(handler, makePng(30, 20));
  const rec = await ok(handler, p.id, 'rectify', { photos: [after], note: '纸箱已清运', location: { lat: 31.2221, lng: 121.5386 } }, 'rectified');
  assert.equal(rec.rectifier_id, handler.account.id);
  assert.match(rec.rectified_at, RFC_CN);
  const closed = await ok(committee, p.id, 'verify_pass', { note: '现场核查通过' }, 'closed');
  assert.match(closed.closed_at, RFC_CN);
  assert.equal(closed.closed_by, committee.account.id);
  assert.equal(closed.overdue, false);
  assert.deepEqual(closed.allowed_actions, [], 'committee may not reopen');

  // History: one event per action, in order, with actor, states, note and data.
  const full = await getP(committee, p.id);
  assert.deepEqual(actions(full), ['report', 'accept', 'dispatch', 'acknowledge', 'rectify', 'verify_pass']);
  const ev = Object.fromEntries(full.events.map((e) => [e.action, e]));
  assert.equal(ev.report.actor_login, 'resident');
  assert.equal(ev.report.to_state, 'reported');
  assert.equal(ev.accept.from_state, 'reported');
  assert.equal(ev.accept.to_state, 'accepted');
  assert.equal(ev.accept.note, '受理');
  assert.equal(ev.dispatch.actor_login, 'committee');
  assert.equal(ev.dispatch.data.handler_org_id, ORG.jxqc);
  assert.equal(ev.acknowledge.actor_login, 'handler');
  assert.equal(ev.rectify.note, '纸箱已清运');
  assert.deepEqual(ev.rectify.data.photos, [after]);
  assert.deepEqual(ev.rectify.data.location, { lat: 31.2221, lng: 121.5386 });
  assert.equal(ev.verify_pass.from_state, 'rectified');
  assert.equal(ev.verify_pass.to_state, 'closed');
  for (const e of full.events) assert.match(e.at, RFC_CN, `event ${e.action} time`);

  // Photos: before from the report, after from the rectification.
  const kinds = Object.fromEntries(full.photos.map((x) => [x.id, x.kind]));
  assert.equal(kinds[before], 'before');
  assert.equal(kinds[after], 'after');

  // The resident follows it in "mine".
  const mine = await listAll('/api/v1/problems?mine=true', resident);
  const m = mine.find((x) => x.id === p.id);
  assert.ok(m, 'in the resident’s own list');
  assert.equal(m.state, 'closed');
  // Own reports in full; problems it only follows (joined, or merged into) as public rows.
  assert.ok(mine.every((x) => x.reporter_id === resident.account.id || (x.following === true && !('reporter_id' in x))));

  // Photo serving: the community's committee yes; another community and an unrelated account no.
  for (const id of [before, after]) {
    const img = await api('GET', `/api/v1/photos/${id}`, as(committee));
    assert.equal(img.status, 200, img.text.slice(0, 200));
    assert.equal(img.headers.get('content-type'), 'image/jpeg');
    assert.equal((await api('GET', `/api/v1/photos/${id}`, as(committee2))).status, 404);
    assert.equal((await api('GET', `/api/v1/photos/${id}`, as(volunteer))).status, 404);
  }
  const raw = await fetch(`${process.env.WENMING_URL}/api/v1/photos/${before}`, { headers: { Authorization: `Bearer ${committee.token}` } });
  const bytes = Buffer.from(await raw.arrayBuffer());
  assert.equal(bytes[0], 0xff);
  assert.equal(bytes[1], 0xd8, 'a JPEG');
  assert.equal((await api('GET', `/api/v1/photos/${before}/thumb`, as(handler))).status, 200, 'the handler sees the problem’s photos');
});

// --- 2. illegal actions --------------------------------------------------------

test('illegal actions answer 409 illegal_action with the allowed actions', async () => {
  const p = await report(S.resident);
  // acknowledge on a reported problem (the committee sees it; the state forbids it)
  illegal(await act(S.committee, p.id, 'acknowledge'), ['accept', 'reject', 'merge']);
  illegal(await act(S.committee, p.id, 'verify_pass'), ['accept', 'reject', 'merge']);
  // a handler does not even see a problem that is not dispatched to its unit
  assert.equal((await act(S.handler, p.id, 'acknowledge')).status, 404);
  await ok(S.committee, p.id, 'accept', {}, 'accepted');
  const e = illegal(await act(S.committee, p.id, 'accept'), ['merge', 'dispatch']);
  assert.equal(e.state, 'accepted');
  await ok(S.committee, p.id, 'dispatch', { handler_org_id: ORG.jxqc }, 'dispatched');
  await ok(S.handler, p.id, 'acknowledge', {}, 'acknowledged');
  const e2 = illegal(await act(S.handler, p.id, 'acknowledge'), ['return', 'request_extension', 'rectify']);
  assert.equal(e2.state, 'acknowledged');
  illegal(await act(S.committee, p.id, 'dispatch', { handler_org_id: ORG.jxqc }));
  illegal(await act(S.committee, p.id, 'approve_extension'), null);
  // unknown actions are a validation error, not a state error
  fieldErr(await act(S.committee, p.id, 'teleport'), 'action');
  // nothing changed: the history has only the legal actions
  assert.deepEqual(actions(await getP(S.committee, p.id)), ['report', 'accept', 'dispatch', 'acknowledge']);
});

// --- 3. reasons ------------------------------------------------------------

test('reject, return, verify_fail and deny_extension need a reason (422 field "reason"), nothing changes', async () => {
  const a = await report(S.resident);
  fieldErr(await act(S.committee, a.id, 'reject'), 'reason');
  fieldErr(await act(S.committee, a.id, 'reject', { reason: '' }), 'reason');
  assert.equal((await getP(S.committee, a.id)).state, 'reported');
  const rj = await ok(S.committee, a.id, 'reject', { reason: '不属于本辖区' }, 'rejected');
  assert.equal(rj.state, 'rejected');
  const ev = (await getP(S.committee, a.id)).events.at(-1);
  assert.equal(ev.action, 'reject');
  assert.equal(ev.data.reason, '不属于本辖区');

  const b = await toState('dispatched');
  fieldErr(await act(S.handler, b.id, 'return'), 'reason');
  assert.equal((await getP(S.handler, b.id)).state, 'dispatched');

  const c = await toState('rectified');
  fieldErr(await act(S.committee, c.id, 'verify_fail'), 'reason');
  assert.equal((await getP(S.committee, c.id)).state, 'rectified');

  const d = await toState('acknowledged');
  const dl = Date.parse((await getP(S.handler, d.id)).deadline);
  fieldErr(await act(S.handler, d.id, 'request_extension', { deadline: cn(dl + 48 * H) }), 'reason');
  await ok(S.handler, d.id, 'request_extension', { deadline: cn(dl + 48 * H), reason: '需采购材料' });
  fieldErr(await act(S.committee, d.id, 'deny_extension'), 'reason');
  const still = await getP(S.committee, d.id);
  assert.notEqual(still.ext_requested, null, 'the request is still pending');
});

// --- 4. rework -------------------------------------------------------------

test('rework: verify_fail → acknowledged with rework_count +1, rectify again, verify_pass', async () => {
  const p = await toState('rectified');
  const f = await ok(S.committee, p.id, 'verify_fail', { reason: '楼道仍有杂物' }, 'acknowledged');
  assert.equal(f.rework_count, 1);
  assert.ok((await notificationsOf(S.handler)).some((n) => n.problem_id === p.id && n.kind === 'rework'), 'handler told to rework');
  const ph = await upload(S.handler);
  await ok(S.handler, p.id, 'rectify', { photos: [ph], note: '二次清理', location: HERE }, 'rectified');
  const c = await ok(S.office, p.id, 'verify_pass', {}, 'closed');
  assert.equal(c.rework_count, 1);
  const full = await getP(S.committee, p.id);
  assert.deepEqual(actions(full), ['report', 'accept', 'dispatch', 'acknowledge', 'rectify', 'verify_fail', 'rectify', 'verify_pass']);
  const vf = full.events.find((e) => e.action === 'verify_fail');
  assert.equal(vf.from_state, 'rectified');
  assert.equal(vf.to_state, 'acknowledged');
  assert.equal(vf.data.reason, '楼道仍有杂物');
  assert.equal(full.photos.filter((x) => x.kind === 'after').length, 2);
});

// --- 5. reviewer ≠ rectifier -------------------------------------------------------

test('the rectifier may not review its own work (403 self_review)', async () => {
  const loginName = `dual-${tag()}`;
  const cr = await api('POST', '/api/v1/accounts', as(S.admin, {
    body: {
      login: loginName, display_name: '双重身份', password: 'dual-secret-123',
      grants: [{ role: 'handler', org_id: ORG.jxqc }, { role: 'committee', org_id: ORG.comm }],
    },
  }));
  assert.equal(cr.status, 201, cr.text);
  const dual = await freshLogin(loginName, 'dual-secret-123');
  const p = await toState('acknowledged');
  const ph = await upload(dual);
  await ok(dual, p.id, 'rectify', { photos: [ph], location: HERE }, 'rectified');
  for (const [action, body] of [['verify_pass', {}], ['verify_fail', { reason: '自查' }]]) {
    const r = await act(dual, p.id, action, body);
    assert.equal(r.status, 403, r.text);
    assert.equal(errorOf(r).code, 'self_review');
  }
  assert.equal((await getP(S.committee, p.id)).state, 'rectified');
  await ok(S.committee, p.id, 'verify_pass', {}, 'closed');
});

// --- 6. rectify needs photos ------------------------------------------------------

test('rectify without after-photos → 422 field "photos"', async () => {
  const p = await toState('acknowledged');
  fieldErr(await act(S.handler, p.id, 'rectify', { note: '已处理' }), 'photos');
  fieldErr(await act(S.handler, p.id, 'rectify', { note: '已处理', photos: [] }), 'photos');
  // someone else's upload is not the handler's evidence
  const other = await upload(S.resident);
  fieldErr(await act(S.handler, p.id, 'rectify', { photos: [other] }), 'photos');
  fieldErr(await act(S.handler, p.id, 'rectify', { photos: [999999999] }), 'photos');
  const full = await getP(S.handler, p.id);
  assert.equal(full.state, 'acknowledged');
  assert.ok(!actions(full).includes('rectify'));
});

// --- 7. extensions ---------------------------------------------------------------

test('extension: request, second request 409, approve moves the deadline; deny keeps it', async () => {
  const p = await toState('acknowledged');
  const d0 = (await getP(S.handler, p.id)).deadline;
  const want = cn(Date.parse(d0) + 48 * H);
  // not earlier than the current deadline
  fieldErr(await act(S.handler, p.id, 'request_extension', { deadline: cn(Date.parse(d0) - H), reason: 'x' }), 'deadline');
  fieldErr(await act(S.handler, p.id, 'request_extension', { reason: '缺少期限' }), 'deadline');
  const rq = await ok(S.handler, p.id, 'request_extension', { deadline: want, reason: '需等待业委会决定' }, 'acknowledged');
  assert.equal(rq.ext_requested, want);
  assert.equal(rq.deadline, d0, 'the deadline itself is unchanged until approved');
  illegal(await act(S.handler, p.id, 'request_extension', { deadline: cn(Date.parse(d0) + 96 * H), reason: '再延' }));
  // the handler cannot approve its own request
  assert.equal((await act(S.handler, p.id, 'approve_extension')).status, 403);
  const ap = await ok(S.committee, p.id, 'approve_extension', { note: '同意' }, 'acknowledged');
  assert.equal(ap.deadline, want);
  assert.equal(ap.ext_requested, null);
  illegal(await act(S.committee, p.id, 'approve_extension'));	// nothing pending any more
  assert.ok((await notificationsOf(S.handler)).some((n) => n.problem_id === p.id && n.kind === 'extension'));

  // deny path
  const want2 = cn(Date.parse(want) + 24 * H);
  await ok(S.handler, p.id, 'request_extension', { deadline: want2, reason: '材料未到' });
  const dn = await ok(S.office, p.id, 'deny_extension', { reason: '时限内可完成' }, 'acknowledged');
  assert.equal(dn.deadline, want, 'a denied request leaves the deadline');
  assert.equal(dn.ext_requested, null);
  const full = await getP(S.committee, p.id);
  assert.deepEqual(actions(full).slice(-4), ['request_extension', 'approve_extension', 'request_extension', 'deny_extension']);
  assert.equal(full.events.find((e) => e.action === 'approve_extension').data.deadline !== undefined, true);
});

// --- 8. return -------------------------------------------------------------

test('return: back to accepted with no handler; re-dispatch to another unit works', async () => {
  const p = await toState('acknowledged');
  const r = await ok(S.handler, p.id, 'return', { reason: '不属于本物业管理范围' }, 'accepted');
  assert.equal(r.handler_org_id, null);
  assert.equal(r.deadline, null);
  assert.equal((await api('GET', `/api/v1/problems/${p.id}`, as(S.handler))).status, 404, 'no longer the handler’s');
  assert.ok((await notificationsOf(S.committee)).some((n) => n.problem_id === p.id && n.kind === 'returned'));
  const d = await ok(S.committee, p.id, 'dispatch', { handler_org_id: ORG.xhw }, 'dispatched');
  assert.equal(d.handler_org_id, ORG.xhw);
  assert.match(d.deadline, RFC_CN);
  await ok(S['xhw-wuye'], p.id, 'acknowledge', {}, 'acknowledged');
  const full = await getP(S.committee, p.id);
  const ret = full.events.find((e) => e.action === 'return');
  assert.equal(ret.from_state, 'acknowledged');
  assert.equal(ret.to_state, 'accepted');
  assert.equal(ret.data.reason, '不属于本物业管理范围');
  assert.equal(ret.data.handler_org_id, ORG.jxqc);
  assert.deepEqual(actions(full), ['report', 'accept', 'dispatch', 'acknowledge', 'return', 'dispatch', 'acknowledge']);
});

// --- 9. merge ----------------------------------------------------------------

test('merge: A into B; not into itself, a closed or a merged problem', async () => {
  const a = await report(S.resident);
  const b = await report(S.resident);
  await ok(S.committee, b.id, 'accept');
  const m = await ok(S.committee, a.id, 'merge', { merge_into: b.id, note: '重复上报' }, 'merged');
  assert.equal(m.merged_into, b.id);
  const bv = await getP(S.committee, b.id);
  const mf = bv.events.find((e) => e.action === 'merged_from');
  assert.ok(mf, `B's events: ${actions(bv)}`);
  assert.equal(mf.data.problem_id, a.id);
  assert.equal(bv.state, 'accepted', 'B is unchanged');
  const av = await getP(S.committee, a.id);
  assert.equal(av.events.at(-1).action, 'merge');
  assert.equal(av.events.at(-1).data.merge_into, b.id);
  illegal(await act(S.committee, a.id, 'accept'), []);

  const c = await report(S.resident);
  fieldErr(await act(S.committee, c.id, 'merge', { merge_into: c.id }), 'merge_into');
  const closed = await toState('closed');
  fieldErr(await act(S.committee, c.id, 'merge', { merge_into: closed.id }), 'merge_into');
  fieldErr(await act(S.committee, c.id, 'merge', { merge_into: a.id }), 'merge_into');
  fieldErr(await act(S.committee, c.id, 'merge', {}), 'merge_into');
  fieldErr(await act(S.committee, c.id, 'merge', { merge_into: 999999999 }), 'merge_into');
  assert.equal((await getP(S.committee, c.id)).state, 'reported');
});

// --- 10. reopen ----------------------------------------------------------------

test('reopen: the inspector reopens a closed problem (relapse), then it is dispatched again', async () => {
  const p = await toState('closed');
  fieldErr(await act(S.inspector, p.id, 'reopen'), 'reason');
  assert.equal((await act(S.committee, p.id, 'reopen', { reason: 'x' })).status, 403, 'a committee may not reopen');
  const r = await ok(S.inspector, p.id, 'reopen', { reason: '回头看发现楼道又堆满杂物' }, 'reopened');
  assert.equal(r.relapse_count, 1);
  assert.equal(r.closed_at, null);
  const d = await ok(S.committee, p.id, 'dispatch', { handler_org_id: ORG.jxqc }, 'dispatched');
  assert.match(d.deadline, RFC_CN);
  assert.equal(d.relapse_count, 1);
  const full = await getP(S.committee, p.id);
  const ro = full.events.find((e) => e.action === 'reopen');
  assert.equal(ro.actor_login, 'inspector');
  assert.equal(ro.from_state, 'closed');
  assert.equal(ro.to_state, 'reopened');
  assert.equal(ro.data.reason, '回头看发现楼道又堆满杂物');
  assert.deepEqual(actions(full).slice(-3), ['verify_pass', 'reopen', 'dispatch']);
});

// --- 11. scope --------------------------------------------------------------------

test('scope: other communities, other handler units and residents see and act only on their own', async () => {
  const p = await toState('dispatched');
  assert.equal((await api('GET', `/api/v1/problems/${p.id}`, as(S.committee2))).status, 404);
  const r = await act(S.committee2, p.id, 'return', { reason: 'x' });
  assert.equal(r.status, 404, r.text);
  assert.equal((await act(S.committee2, p.id, 'accept')).status, 404);
  const c2 = await listAll(`/api/v1/problems?q=${encodeURIComponent(p.description)}`, S.committee2);
  assert.equal(c2.length, 0, 'not in committee2’s list');
  assert.equal((await listAll(`/api/v1/problems?q=${encodeURIComponent(p.description)}`, S.committee)).length, 1);

  assert.equal((await api('GET', `/api/v1/problems/${p.id}`, as(S['xhw-wuye']))).status, 404);
  assert.equal((await act(S['xhw-wuye'], p.id, 'acknowledge')).status, 404);
  assert.equal((await listAll(`/api/v1/problems?handler_org_id=${ORG.jxqc}`, S['xhw-wuye'])).length, 0);
  assert.ok((await listAll(`/api/v1/problems?handler_org_id=${ORG.jxqc}&q=${encodeURIComponent(p.description)}`, S.handler)).length === 1);
  const hl = await listAll('/api/v1/problems', S.handler);
  assert.ok(hl.every((x) => x.handler_org_id === ORG.jxqc || x.reporter_id === S.handler.account.id ||
    (x.following === true && !('handler_org_id' in x))), 'handler sees its unit only (and public rows of what it follows)');

  // Residents: only their own reports, even in their community.
  const staff = await report(S.committee, { description: `居委自查 ${tag('own')}` });
  assert.equal((await api('GET', `/api/v1/problems/${staff.id}`, as(S.resident))).status, 404);
  const rl = await listAll('/api/v1/problems', S.resident);
  assert.ok(rl.length >= 1);
  assert.ok(rl.every((x) => x.reporter_id === S.resident.account.id || (x.following === true && !('reporter_id' in x))),
    'resident list holds only own reports (and public rows of what it follows)');
  assert.ok(rl.some((x) => x.id === p.id));
  // A resident may read its report but not act on it.
  const ra = await act(S.resident, p.id, 'acknowledge');
  assert.equal(ra.status, 403, ra.text);
  const rv = await act(S.volunteer, staff.id, 'accept');
  assert.equal(rv.status, 403, rv.text);
  assert.equal((await getP(S.committee, staff.id)).state, 'reported');
});

// --- 12. reminders and escalation ---------------------------------------------------

test('reminder at half time and escalation when overdue, with the injected clock', async () => {
  const setClock = async (ms) => {
    const r = await api('PUT', '/api/v1/system/clock', as(S.admin, { body: { now: cn(ms) } }));
    assert.equal(r.status, 200, r.text);
  };
  const tick = async () => {
    const r = await api('POST', '/api/v1/system/tick', as(S.admin));
    assert.equal(r.status, 200, r.text);
    assert.ok(Number.isInteger(r.json.reminded) && Number.isInteger(r.json.escalated), r.text);
    return r.json;
  };
  try {
    await setClock(clockNow());
    // default category deadline: C0301 is 72 calendar hours
    const q = await toState('accepted');
    const dq = await ok(S.committee, q.id, 'dispatch', { handler_org_id: ORG.jxqc }, 'dispatched');
    assert.equal(Date.parse(dq.deadline) - Date.parse(dq.dispatched_at), 72 * H, `${dq.dispatched_at} → ${dq.deadline}`);
    assert.equal(dq.deadline_unit, 'cal_hours');

    const p = await toState('accepted');
    const want = cn(clockNow() + 10 * H);
    const d = await ok(S.committee, p.id, 'dispatch', { handler_org_id: ORG.jxqc, deadline: want }, 'dispatched');
    assert.equal(d.deadline, want);
    const t0 = Date.parse(d.dispatched_at);
    // a deadline in the past is refused
    const past = await toState('accepted');
    fieldErr(await act(S.committee, past.id, 'dispatch', { handler_org_id: ORG.jxqc, deadline: cn(clockNow() - H) }), 'deadline');

    // +1 h: nothing for this problem yet
    await setClock(t0 + 1 * H);
    await tick();
    assert.ok(!actions(await getP(S.committee, p.id)).includes('remind'));

    // +6 h: more than half of the 10 h is gone → reminder
    await setClock(t0 + 6 * H);
    const t1 = await tick();
    assert.ok(t1.reminded >= 1, JSON.stringify(t1));
    let full = await getP(S.committee, p.id);
    assert.equal(actions(full).filter((a) => a === 'remind').length, 1, `events: ${actions(full)}`);
    assert.ok(!actions(full).includes('escalate'));
    assert.equal(full.overdue, false);
    assert.match(full.reminded_at, RFC_CN);
    const hn = (await notificationsOf(S.handler)).filter((n) => n.problem_id === p.id && n.kind === 'reminder');
    assert.equal(hn.length, 1, 'one reminder in the handler’s inbox');

    // past the deadline → escalation
    await setClock(Date.parse(want) + 60 * 1000);
    const t2 = await tick();
    assert.ok(t2.escalated >= 1, JSON.stringify(t2));
    full = await getP(S.committee, p.id);
    assert.equal(actions(full).filter((a) => a === 'escalate').length, 1, `events: ${actions(full)}`);
    assert.equal(full.overdue, true);
    assert.match(full.escalated_at, RFC_CN);
    assert.ok((await notificationsOf(S.office)).some((n) => n.problem_id === p.id && n.kind === 'escalation'), 'office (supervising org) notified');
    assert.ok((await notificationsOf(S.committee)).some((n) => n.problem_id === p.id && n.kind === 'escalation'), 'community notified');
    const od = await listAll(`/api/v1/problems?overdue=true&q=${encodeURIComponent(p.description)}`, S.office);
    assert.equal(od.length, 1);
    assert.equal(od[0].id, p.id);
    assert.equal(od[0].overdue, true);
    const odAll = await listAll('/api/v1/problems?overdue=true', S.committee);
    assert.ok(odAll.some((x) => x.id === p.id));
    assert.ok(odAll.every((x) => x.overdue === true), 'every overdue=true item is overdue');

    // again: no duplicates
    await tick();
    await setClock(Date.parse(want) + 2 * H);
    await tick();
    full = await getP(S.committee, p.id);
    assert.equal(actions(full).filter((a) => a === 'remind').length, 1);
    assert.equal(actions(full).filter((a) => a === 'escalate').length, 1);
    assert.equal((await notificationsOf(S.handler)).filter((n) => n.problem_id === p.id && n.kind === 'reminder').length, 1);

    // a rectified problem is no longer overdue
    await ok(S.handler, p.id, 'acknowledge');
    const ph = await upload(S.handler);
    const rec = await ok(S.handler, p.id, 'rectify', { photos: [ph], location: await spotOf(S.handler, p.id) }, 'rectified');
    assert.equal(rec.overdue, false);
  } finally {
    await api('PUT', '/api/v1/system/clock', as(S.admin, { body: { now: clockIso() } }));
  }
  const now = await api('PUT', '/api/v1/system/clock', as(S.admin, { body: { now: clockIso() } }));
  assert.ok(Math.abs(Date.parse(now.json.now) - clockNow()) < 5000, 'clock back to the present');
});

// --- 12b. working-time deadlines -----------------------------------------------------

test('deadlines from the working calendar: weekends, holidays, make-up days, urgency, half-time in working time', async () => {
  const setClock = async (ms) => {
    const r = await api('PUT', '/api/v1/system/clock', as(S.admin, { body: { now: cn(ms) } }));
    assert.equal(r.status, 200, r.text);
  };
  const t = tag('').replace(/[^A-Za-z0-9]/g, '').slice(-8).toUpperCase();
  const mkCat = async (code, body) => {
    const r = await api('POST', '/api/v1/categories', as(S.office, { body: { code, parent_code: 'C03', name: `工时类别${code}`, ...body } }));
    assert.equal(r.status, 201, r.text);
    return code;
  };
  const wh = await mkCat(`WH${t}`, { deadline_amount: 4, deadline_unit: 'work_hours', urgent_amount: 2, urgent_unit: 'cal_hours' });
  const wd = await mkCat(`WD${t}`, { deadline_amount: 2, deadline_unit: 'work_days' });
  const cal = (await api('GET', '/api/v1/calendar', as(S.office))).json;
  const mins = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const [ws, ls, le, we] = [cal.work_start, cal.lunch_start, cal.lunch_end, cal.work_end].map(mins);
  // 4 working hours from the start of a working day, with the lunch break
  const fourH = ws + 240 <= ls ? ws + 240 : le + (240 - (ls - ws));
  assert.ok(fourH <= we, 'the default day holds 4 working hours');
  // a Saturday in March of a far year, 10:00 China time
  const year = 2045;
  let sat = Date.UTC(year, 2, 1, 10 - 8, 0, 0);
  while (new Date(sat + 8 * H).getUTCDay() !== 6) sat += 24 * H;
  const day = (offset) => new Date(sat + offset * 24 * H + 8 * H).toISOString().slice(0, 10);
  const at = (offset, m) => `${day(offset)}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00+08:00`;
  const setDay = async (date, kind) => {
    const r = await api('PUT', '/api/v1/calendar/days', as(S.office, { body: { date, kind, name: kind === 'normal' ? null : '测试' } }));
    assert.equal(r.status, 200, r.text);
  };
  const dispatchNew = async (category, extra = {}) => {
    const p = await report(extra.urgency ? S.committee : S.resident, { category, ...extra });	// staff set urgency
    await ok(S.committee, p.id, 'accept');
    return ok(S.committee, p.id, 'dispatch', { handler_org_id: ORG.jxqc }, 'dispatched');
  };
  try {
    await setClock(sat);
    assert.deepEqual([...cal.weekend].sort(), [0, 6], 'the default weekend');
    {
      const p1 = await dispatchNew(wh);
      assert.equal(p1.deadline_unit, 'work_hours');
      assert.equal(p1.deadline, at(2, fourH), 'Saturday + 4 working hours → Monday');
      const p2 = await dispatchNew(wd);
      assert.equal(p2.deadline, at(3, we), 'Saturday + 2 working days → Tuesday, end of day');
      // urgent: its own amount and unit
      const p3 = await dispatchNew(wh, { urgency: 'urgent' });
      // the test clock keeps running after setClock: measure from the dispatch
      assert.equal(Date.parse(p3.deadline) - Date.parse(p3.dispatched_at), 2 * H, 'urgent: 2 calendar hours');
      // Monday a holiday → Tuesday
      await setDay(day(2), 'holiday');
      const p4 = await dispatchNew(wh);
      assert.equal(p4.deadline, at(3, fourH), 'a holiday Monday is skipped');
      // Sunday a make-up working day → Sunday
      await setDay(day(1), 'workday');
      const p5 = await dispatchNew(wh);
      assert.equal(p5.deadline, at(1, fourH), 'a make-up Sunday counts');
      await setDay(day(1), 'normal');
      await setDay(day(2), 'normal');
      // half-time in working time: the reminder for p1 comes on Monday after 2 working hours
      const half = ws + 120 <= ls ? ws + 120 : le + (120 - (ls - ws));
      await setClock(Date.parse(at(2, half - 15)));
      await api('POST', '/api/v1/system/tick', as(S.admin));
      assert.ok(!actions(await getP(S.committee, p1.id)).includes('remind'), 'not yet at Monday before half of the working time');
      await setClock(Date.parse(at(2, half + 15)));
      const tk = await api('POST', '/api/v1/system/tick', as(S.admin));
      assert.equal(tk.status, 200, tk.text);
      assert.ok(actions(await getP(S.committee, p1.id)).includes('remind'), 'reminded after half of the working time');
    }
  } finally {
    await api('PUT', '/api/v1/calendar/days', as(S.office, { body: { date: day(1), kind: 'normal' } }));
    await api('PUT', '/api/v1/calendar/days', as(S.office, { body: { date: day(2), kind: 'normal' } }));
    await api('PUT', '/api/v1/system/clock', as(S.admin, { body: { now: clockIso() } }));
  }
});

// --- 13. races -------------------------------------------------------------

test('conflicting actions in parallel: exactly one wins, the other gets 409', async () => {
  for (let round = 0; round < 3; round++) {
    const p = await toState('rectified');
    const [a, b] = await Promise.all([
      act(S.committee, p.id, 'verify_pass'),
      act(S.office, p.id, 'verify_fail', { reason: '复查不合格' }),
    ]);
    const st = [a.status, b.status].sort();
    assert.deepEqual(st, [200, 409], `verify race: ${a.text} / ${b.text}`);
    const full = await getP(S.committee, p.id);
    const verdicts = actions(full).filter((x) => x === 'verify_pass' || x === 'verify_fail');
    assert.equal(verdicts.length, 1, `one verdict in history: ${actions(full)}`);
    assert.equal(full.state, a.status === 200 ? 'closed' : 'acknowledged');
    if (b.status === 409) assert.equal(errorOf(b).code, 'illegal_action');
    else assert.equal(errorOf(a).code, 'illegal_action');
  }
  for (let round = 0; round < 3; round++) {
    const p = await toState('acknowledged');
    const ph = await upload(S.handler);
    const h2 = await freshLogin('handler');
    const [ret, rec] = await Promise.all([
      act(S.handler, p.id, 'return', { reason: '非本单位' }),
      act(h2, p.id, 'rectify', { photos: [ph], location: HERE }),
    ]);
    const st = [ret.status, rec.status].sort();
    assert.equal(st.filter((s) => s === 200).length, 1, `return/rectify race: ${ret.status} ${ret.text.slice(0, 200)} / ${rec.status} ${rec.text.slice(0, 200)}`);
    assert.ok(st.every((s) => s === 200 || s === 409 || s === 404), `statuses ${st}`);
    const full = await getP(S.committee, p.id);
    const done = actions(full).filter((x) => x === 'return' || x === 'rectify');
    assert.equal(done.length, 1, `history: ${actions(full)}`);
    assert.equal(full.state, ret.status === 200 ? 'accepted' : 'rectified');
  }
});

// --- 14. uploads ---------------------------------------------------------------------

test('photo uploads: sniffed types, corrupt and oversize files, multipart rules, login', async () => {
  const s = S.resident;
  const php = '<?php system($_GET["c"]); ?><html><body>hi</body></html>\n';
  let r = await api('POST', '/api/v1/photos', as(s, { body: php, headers: { 'Content-Type': 'image/jpeg' } }));
  assert.equal(r.status, 422, r.text);
  assert.equal(errorOf(r).code, 'unsupported_image');
  let mp = multipart([{ name: 'file', filename: 'x.jpg', type: 'image/jpeg', data: php }]);
  r = await api('POST', '/api/v1/photos', as(s, { body: mp.body, headers: { 'Content-Type': mp.type } }));
  assert.equal(r.status, 422, r.text);
  assert.equal(errorOf(r).code, 'unsupported_image');

  // GIF
  const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b])]);
  mp = multipart([{ name: 'file', filename: 'a.gif', type: 'image/gif', data: gif }]);
  r = await api('POST', '/api/v1/photos', as(s, { body: mp.body, headers: { 'Content-Type': mp.type } }));
  assert.equal(r.status, 422, r.text);
  assert.equal(errorOf(r).code, 'unsupported_image');

  // raw PNG bytes with image/png → 201; a PNG declared as a GIF is still a PNG
  r = await api('POST', '/api/v1/photos', as(s, { body: makePng(40, 30), headers: { 'Content-Type': 'image/png' } }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.width, 40);
  assert.equal(r.json.height, 30);
  const stored = r.json.id;
  mp = multipart([{ name: 'note', data: 'hello' }, { name: 'file', filename: 'x.gif', type: 'image/gif', data: makePng(12, 12) }]);
  r = await api('POST', '/api/v1/photos', as(s, { body: mp.body, headers: { 'Content-Type': mp.type } }));
  assert.equal(r.status, 201, r.text);

  // a truncated JPEG (half of a photo the server stored)
  const img = await fetch(`${process.env.WENMING_URL}/api/v1/photos/${stored}`, { headers: { Authorization: `Bearer ${s.token}` } });
  assert.equal(img.status, 200);
  const jpeg = Buffer.from(await img.arrayBuffer());
  assert.equal(jpeg[0], 0xff);
  assert.equal(jpeg[1], 0xd8);
  r = await api('POST', '/api/v1/photos', as(s, { body: jpeg.subarray(0, Math.floor(jpeg.length / 2)), headers: { 'Content-Type': 'image/jpeg' } }));
  assert.equal(r.status, 422, r.text);
  assert.equal(errorOf(r).code, 'corrupt_image');
  // the whole JPEG is fine
  r = await api('POST', '/api/v1/photos', as(s, { body: jpeg, headers: { 'Content-Type': 'image/jpeg' } }));
  assert.equal(r.status, 201, r.text);

  // multipart without a "file" field; a malformed multipart
  mp = multipart([{ name: 'note', data: 'no file here' }]);
  r = await api('POST', '/api/v1/photos', as(s, { body: mp.body, headers: { 'Content-Type': mp.type } }));
  assert.equal(r.status, 400, r.text);
  errorOf(r);
  r = await api('POST', '/api/v1/photos', as(s, { body: 'xx', headers: { 'Content-Type': 'multipart/form-data' } }));
  assert.equal(r.status, 400, r.text);
  // two files in one upload
  mp = multipart([{ name: 'file', filename: 'a.png', type: 'image/png', data: makePng(9, 9) }, { name: 'file', filename: 'b.png', type: 'image/png', data: makePng(9, 9) }]);
  r = await api('POST', '/api/v1/photos', as(s, { body: mp.body, headers: { 'Content-Type': mp.type } }));
  assert.equal(r.status, 400, r.text);
  // not an image type at all
  r = await api('POST', '/api/v1/photos', as(s, { body: 'hello', headers: { 'Content-Type': 'text/plain' } }));
  assert.equal(r.status, 415, r.text);
  // empty
  r = await api('POST', '/api/v1/photos', as(s, { body: Buffer.alloc(0), headers: { 'Content-Type': 'image/png' } }));
  assert.ok([400, 422].includes(r.status), r.text);

  // oversize: > 12 MiB announced → 413 before the body is read
  const big = await rawRequest(rawHttp('POST', '/api/v1/photos', {
    token: s.token, headers: { 'Content-Type': 'image/jpeg', 'Content-Length': String(13 * 1024 * 1024) }, body: '\xff\xd8',
  }));
  assert.equal(big.status, 413, big.text);
  // just over 12 MiB of real bytes (under the route's body cap) → 413 too
  const over = Buffer.alloc(12 * 1024 * 1024 + 200, 0);
  makePng(8, 8).copy(over);
  r = await api('POST', '/api/v1/photos', as(s, { body: over, headers: { 'Content-Type': 'image/png' } }));
  assert.equal(r.status, 413, r.text.slice(0, 300));

  // login required
  r = await api('POST', '/api/v1/photos', { body: makePng(8, 8), headers: { 'Content-Type': 'image/png' } });
  assert.equal(r.status, 401, r.text);
  assert.equal((await api('GET', `/api/v1/photos/${stored}`)).status, 401);
});

// --- 15. categories ------------------------------------------------------------------

test('categories: two levels, PATCH by office, CSV export and all-or-nothing import, committee 403', async () => {
  const list = await api('GET', '/api/v1/categories', as(S.resident));
  assert.equal(list.status, 200, list.text);
  const byCode = new Map(list.json.items.map((c) => [c.code, c]));
  assert.ok(byCode.get('C01'), 'C01');
  assert.equal(byCode.get('C01').parent_code, null);
  assert.equal(byCode.get('C0101').parent_code, 'C01');
  assert.equal(byCode.get('C0101').parent_id, byCode.get('C01').id);
  assert.equal(byCode.get('C0301').deadline_amount, 72);
  assert.equal(byCode.get('C0301').deadline_unit, 'cal_hours');

  // own catalogue entries so the shipped ones stay as they are
  const t = tag('').replace(/[^A-Za-z0-9]/g, '').slice(-8).toUpperCase();
  const pc = `TP${t}`, cc = `TC${t}`;
  const mk = async (body) => {
    const r = await api('POST', '/api/v1/categories', as(S.office, { body }));
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const parent = await mk({ code: pc, name: `测试大类${t}`, deadline_amount: 48, deadline_unit: 'cal_hours' });
  const child = await mk({ code: cc, parent_code: pc, name: `测试小类${t}`, deadline_amount: 2, deadline_unit: 'work_days' });
  assert.equal(child.parent_id, parent.id);

  const pa = await api('PATCH', `/api/v1/categories/${child.id}`, as(S.office, { body: { deadline_amount: 5, deadline_unit: 'work_hours' } }));
  assert.equal(pa.status, 200, pa.text);
  assert.equal(pa.json.deadline_amount, 5);
  assert.equal(pa.json.deadline_unit, 'work_hours');
  assert.equal(pa.json.name, `测试小类${t}`);
  const cp = await api('PATCH', `/api/v1/categories/${child.id}`, as(S.committee, { body: { deadline_amount: 9 } }));
  assert.equal(cp.status, 403, cp.text);
  assert.equal((await api('GET', `/api/v1/categories/${child.id}`, as(S.committee))).json.deadline_amount, 5);
  fieldErr(await api('PATCH', `/api/v1/categories/${child.id}`, as(S.office, { body: { deadline_unit: 'fortnights' } })), 'deadline_unit');

  const ex = await api('GET', '/api/v1/categories/export', as(S.office));
  assert.equal(ex.status, 200);
  assert.match(ex.headers.get('content-type'), /^text\/csv/);
  const lines = ex.text.replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
  const header = lines[0];
  assert.equal(header, 'code,parent_code,name,name_en,deadline_amount,deadline_unit,urgent_amount,urgent_unit,default_handler,record_only,closing_conditions,active');
  assert.ok(lines.some((l) => l.startsWith('C0301,C03,')), 'C0301 exported');
  const childLine = lines.find((l) => l.startsWith(`${cc},`));
  assert.ok(childLine, 'own category exported');
  const parentLine = lines.find((l) => l.startsWith(`${pc},`));

  // import one changed name
  const renamed = `改名小类${t}`;
  const csv1 = `${header}\n${parentLine}\n${childLine.replace(`测试小类${t}`, renamed)}\n`;
  const im = await api('POST', '/api/v1/categories/import', as(S.office, { body: csv1, headers: { 'Content-Type': 'text/csv' } }));
  assert.equal(im.status, 200, im.text);
  assert.equal(im.json.imported, 2);
  const after1 = await api('GET', `/api/v1/categories/${child.id}`, as(S.office));
  assert.equal(after1.json.name, renamed);
  assert.equal(after1.json.deadline_amount, 5, 'other columns kept');
  assert.equal(after1.json.parent_id, parent.id);

  // one bad row: 422 naming the row, and the good row is not applied either
  const badLine = parentLine.replace(`测试大类${t}`, `坏行大类${t}`).replace(',cal_hours,', ',fortnights,');
  const csv2 = `${header}\n${childLine.replace(`测试小类${t}`, `不应生效${t}`)}\n${badLine}\n`;
  const bad = await api('POST', '/api/v1/categories/import', as(S.office, { body: csv2, headers: { 'Content-Type': 'text/csv' } }));
  assert.equal(bad.status, 422, bad.text);
  const e = errorOf(bad);
  assert.ok(e.fields.some((f) => /^row 3/.test(f.field)), bad.text);
  assert.equal((await api('GET', `/api/v1/categories/${child.id}`, as(S.office))).json.name, renamed, 'nothing changed');
  assert.equal((await api('GET', `/api/v1/categories/${parent.id}`, as(S.office))).json.name, `测试大类${t}`);
  // the committee may not import or export
  assert.equal((await api('POST', '/api/v1/categories/import', as(S.committee, { body: csv1, headers: { 'Content-Type': 'text/csv' } }))).status, 403);
  assert.equal((await api('GET', '/api/v1/categories/export', as(S.committee))).status, 403);
});

// --- 16. calendar -------------------------------------------------------------------

test('calendar: days, year listing, text import (all or nothing), hours validation', async () => {
  const year = 2040 + (process.pid % 9);	// far from any deadline of the suite
  const d1 = `${year}-05-06`;
  const r = await api('PUT', '/api/v1/calendar/days', as(S.office, { body: { date: d1, kind: 'holiday', name: '测试假日' } }));
  assert.equal(r.status, 200, r.text);
  let cal = await api('GET', `/api/v1/calendar?year=${year}`, as(S.resident));
  assert.equal(cal.status, 200, cal.text);
  assert.equal(cal.json.year, year);
  assert.deepEqual(cal.json.days.find((d) => d.date === d1), { date: d1, kind: 'holiday', name: '测试假日' });
  for (const k of ['work_start', 'work_end', 'lunch_start', 'lunch_end']) assert.match(cal.json[k], /^\d\d:\d\d$/);
  assert.ok(Array.isArray(cal.json.weekend));

  const im = await api('POST', '/api/v1/calendar/import', as(S.office, {
    body: `# 测试\n${year}-10-01 holiday 国庆节\n${year}-10-12 workday 调休上班\n`, headers: { 'Content-Type': 'text/plain' },
  }));
  assert.equal(im.status, 200, im.text);
  assert.equal(im.json.imported, 2);
  cal = await api('GET', `/api/v1/calendar?year=${year}`, as(S.office));
  assert.equal(cal.json.days.find((d) => d.date === `${year}-10-01`).kind, 'holiday');
  assert.equal(cal.json.days.find((d) => d.date === `${year}-10-12`).kind, 'workday');

  const bad = await api('POST', '/api/v1/calendar/import', as(S.office, {
    body: `${year}-11-03 holiday 好行\n${year}-11-31 holiday 坏日期\n`, headers: { 'Content-Type': 'text/plain' },
  }));
  assert.equal(bad.status, 422, bad.text);
  assert.ok(errorOf(bad).fields.some((f) => f.field === 'line 2'), bad.text);
  const bad2 = await api('POST', '/api/v1/calendar/import', as(S.office, {
    body: `${year}-11-04 holiday 好行\n${year}-11-05 sometimes 坏类型\n`, headers: { 'Content-Type': 'text/plain' },
  }));
  assert.equal(bad2.status, 422, bad2.text);
  assert.ok(errorOf(bad2).fields.some((f) => f.field === 'line 2'), bad2.text);
  cal = await api('GET', `/api/v1/calendar?year=${year}`, as(S.office));
  assert.ok(!cal.json.days.some((d) => d.date === `${year}-11-03` || d.date === `${year}-11-04`), 'nothing imported');

  const before = (await api('GET', '/api/v1/calendar', as(S.office))).json;
  for (const body of [{ work_start: '25:00' }, { work_end: '8:3x' }, { lunch_start: '12-00' }, { weekend: [7] }]) {
    const h = await api('PUT', '/api/v1/calendar/hours', as(S.office, { body }));
    assert.equal(h.status, 422, `${JSON.stringify(body)}: ${h.text}`);
    assert.ok(errorOf(h).fields.some((f) => f.field === Object.keys(body)[0]), h.text);
  }
  const afterH = (await api('GET', '/api/v1/calendar', as(S.office))).json;
  for (const k of ['work_start', 'work_end', 'lunch_start', 'lunch_end', 'weekend']) assert.deepEqual(afterH[k], before[k]);
  assert.equal((await api('PUT', '/api/v1/calendar/days', as(S.committee, { body: { date: d1, kind: 'normal' } }))).status, 403);
  // restore: the day back to normal
  assert.equal((await api('PUT', '/api/v1/calendar/days', as(S.office, { body: { date: d1, kind: 'normal' } }))).status, 200);
  cal = await api('GET', `/api/v1/calendar?year=${year}`, as(S.office));
  assert.ok(!cal.json.days.some((d) => d.date === d1));
});

// --- report validation, dispatch validation, sources, codes ------------------------

test('report and dispatch validation: category, org kind, location, photos, handler unit', async () => {
  const base = { category: 'C0301', description: `校验 ${tag()}`, org_id: ORG.comm, location: { lat: 31.2, lng: 121.5 } };
  const post = (body, s = S.resident) => api('POST', '/api/v1/problems', as(s, { body }));
  fieldErr(await post({ ...base, category: 'C9999' }), 'category');
  fieldErr(await post({ ...base, org_id: ORG.jxqc }), 'org_id');	// a handler unit is not a place
  fieldErr(await post({ ...base, org_id: 999999999 }), 'org_id');
  fieldErr(await post({ ...base, location: undefined }), 'location');
  fieldErr(await post({ ...base, location: { lat: 91, lng: 121.5 } }), 'location');
  fieldErr(await post({ ...base, photos: [await upload(S.committee)] }), 'photos');	// someone else's upload
  fieldErr(await post({ ...base, description: '' }), 'description');
  fieldErr(await post({ ...base, urgency: 'asap' }), 'urgency');
  assert.equal((await listAll(`/api/v1/problems?q=${encodeURIComponent(base.description)}`, S.office)).length, 0, 'nothing created');

  const p = await toState('accepted');
  fieldErr(await act(S.committee, p.id, 'dispatch', {}), 'handler_org_id');	// C0301 has no default handler
  fieldErr(await act(S.committee, p.id, 'dispatch', { handler_org_id: 999999999 }), 'handler_org_id');
  const party = (await listAll('/api/v1/orgs', S.admin)).find((o) => o.kind === 'party_org');
  if (party) fieldErr(await act(S.committee, p.id, 'dispatch', { handler_org_id: party.id }), 'handler_org_id');
  fieldErr(await act(S.committee, p.id, 'dispatch', { handler_org_id: ORG.jxqc, deadline: 'next week' }), 'deadline');
  const still = await getP(S.committee, p.id);
  assert.equal(still.state, 'accepted');
  assert.equal(still.handler_org_id, null);
});

test('sources: staff name the source, residents\' and volunteers\' reports are what they are', async () => {
  const src = async (s, extra = {}) => (await report(s, extra)).source;
  assert.equal(await src(S.resident), 'citizen_tip');
  assert.equal(await src(S.resident, { source: 'hotline' }), 'citizen_tip', 'a resident cannot claim a hotline source');
  assert.equal(await src(S.volunteer), 'volunteer');
  assert.equal(await src(S.committee), 'self_check');
  assert.equal(await src(S.inspector), 'patrol');
  assert.equal(await src(S.committee, { source: 'hotline' }), 'hotline');
  assert.equal(await src(S.office, { source: 'higher_level' }), 'higher_level');
  fieldErr(await api('POST', '/api/v1/problems', as(S.committee, {
    body: { category: 'C0301', description: 'x', org_id: ORG.comm, location: { lat: 31.2, lng: 121.5 }, source: 'fax' },
  })), 'source');
});

test('problem codes: parallel reports get distinct, consecutive HM-YYYY-NNNNNN codes', async () => {
  const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => api('POST', '/api/v1/problems', as(S.resident, {
    body: { category: 'C0301', description: `并发上报 ${i} ${tag()}`, org_id: ORG.comm, location: { lat: 31.2, lng: 121.5 } },
  }))));
  assert.deepEqual(rs.map((r) => r.status), Array(10).fill(201), rs.map((r) => r.text.slice(0, 100)).join('\n'));
  const codes = rs.map((r) => r.json.code);
  for (const c of codes) assert.match(c, CODE_RE);
  assert.equal(new Set(codes).size, 10);
  // Consecutive within each year (a batch sent at midnight on New Year's Eve
  // may start the new year's numbering).
  for (const y of new Set(codes.map((c) => c.slice(3, 7)))) {
    const seqs = codes.filter((c) => c.slice(3, 7) === y).map((c) => Number(c.slice(-6))).sort((x, z) => x - z);
    assert.equal(seqs[seqs.length - 1] - seqs[0], seqs.length - 1, `consecutive in ${y}: ${seqs}`);
  }
  // The year in China time of each report's own creation (at 23:59:59 on
  // New Year's Eve two reports may straddle the year; the server's clock, not
  // this machine's, decides).
  for (const r of rs)
    assert.equal(r.json.code.slice(3, 7), String(new Date(Date.parse(r.json.created_at) + 8 * H).getUTCFullYear()), `the year in China time: ${r.json.code} ${r.json.created_at}`);
});

test('the same picture uploaded by two accounts: each upload is usable by its uploader', async () => {
  const png = makePng(18, 18);
  const a = await upload(S.resident, png);
  const r = await api('POST', '/api/v1/photos', as(S.handler, { body: png, headers: { 'Content-Type': 'image/png' } }));
  assert.equal(r.status, 201, r.text);
  const b = r.json.id;
  const p = await toState('acknowledged');
  const get = await api('GET', `/api/v1/photos/${b}`, as(S.handler));
  assert.equal(get.status, 200, `the handler cannot read the photo id its own upload returned (id ${b}, resident's ${a}): ${get.text}`);
  const rec = await act(S.handler, p.id, 'rectify', { photos: [b], location: HERE });
  assert.equal(rec.status, 200, `the handler cannot use its own upload as evidence: ${rec.text}`);
});

// --- 17. lists ------------------------------------------------------------------------

test('lists: filters, keyset pagination and bad filter values', async () => {
  const t = tag('list');
  const t0 = clockNow();
  const mk = (s, extra) => report(s, { description: `列表测试 ${t} ${extra.category || 'C0301'}`, ...extra });
  const a = await mk(S.resident, { category: 'C0301' });
  const b = await mk(S.resident, { category: 'C0302' });
  const c = await mk(S.resident, { category: 'C0101' });
  const d = await mk(S.committee, { category: 'C0301', source: 'hotline' });
  const e = await mk(S.committee, { category: 'C0101', source: 'hotline' });
  const f = await mk(S.inspector, { category: 'C0302', ...(ORG.compound ? { org_id: ORG.compound } : {}) });
  const g = await mk(S.resident, { category: 'C0301' });
  await ok(S.committee, b.id, 'accept');
  await ok(S.committee, c.id, 'accept');
  await ok(S.committee, c.id, 'dispatch', { handler_org_id: ORG.jxqc });
  await ok(S.committee, e.id, 'accept');
  await ok(S.committee, e.id, 'dispatch', { handler_org_id: ORG.xhw });
  const all = [a, b, c, d, e, f, g];
  const q = `q=${encodeURIComponent(t)}`;
  const ids = async (query, s = S.office) => (await listAll(`/api/v1/problems?${q}${query ? `&${query}` : ''}`, s)).map((x) => x.id).sort((x, y) => x - y);
  const sorted = (xs) => xs.map((x) => x.id).sort((x, y) => x - y);

  assert.deepEqual(await ids(''), sorted(all));
  assert.deepEqual(await ids('state=reported'), sorted([a, d, f, g]));
  assert.deepEqual(await ids('state=accepted,dispatched'), sorted([b, c, e]));
  assert.deepEqual(await ids('state=closed'), []);
  assert.deepEqual(await ids('category=C03'), sorted([a, b, d, f, g]), 'parent code includes children');
  assert.deepEqual(await ids('category=C0301'), sorted([a, d, g]));
  assert.deepEqual(await ids('category=C01'), sorted([c, e]));
  assert.deepEqual(await ids(`org_id=${ORG.street}`), sorted(all), 'street subtree');
  assert.deepEqual(await ids(`org_id=${ORG.comm}`), sorted(all), 'community subtree');
  assert.deepEqual(await ids(`org_id=${ORG.comm2}`), []);
  if (ORG.compound) assert.deepEqual(await ids(`org_id=${ORG.compound}`), sorted([f]));
  assert.deepEqual(await ids(`handler_org_id=${ORG.jxqc}`), sorted([c]));
  assert.deepEqual(await ids(`handler_org_id=${ORG.xhw}`), sorted([e]));
  // The source filter against the sources the server recorded (who may name
  // a source is checked in its own test below).
  const full7 = await listAll(`/api/v1/problems?${q}`, S.office);
  for (const src of new Set(full7.map((x) => x.source)))
    assert.deepEqual(await ids(`source=${src}`), full7.filter((x) => x.source === src).map((x) => x.id).sort((x, y) => x - y), `source=${src}`);
  assert.deepEqual(await ids('source=open311'), full7.filter((x) => x.source === 'open311').map((x) => x.id));
  assert.deepEqual(await ids('overdue=true'), []);
  assert.deepEqual(await ids('overdue=false'), sorted(all));
  assert.deepEqual(await ids(`from=${encodeURIComponent(cn(t0 - 120000))}&to=${encodeURIComponent(cn(clockNow() + 120000))}`), sorted(all));
  assert.deepEqual(await ids(`from=${encodeURIComponent(cn(clockNow() + 3600000))}`), []);
  assert.deepEqual(await ids(`to=${encodeURIComponent(cn(t0 - 3600000))}`), []);
  assert.deepEqual(await ids('mine=true', S.committee), sorted([d, e]));
  assert.deepEqual(await ids(`state=dispatched&handler_org_id=${ORG.jxqc}&category=C01`), sorted([c]), 'filters combine');
  assert.deepEqual((await listAll(`/api/v1/problems?q=${encodeURIComponent(a.code)}`, S.office)).map((x) => x.id), [a.id], 'q matches the code');
  assert.deepEqual(await ids('', S.committee2), [], 'scope applies to lists');
  assert.deepEqual(await ids('', S.handler), sorted([c]));

  // keyset pagination, limit=5: over our 7 and over the committee's whole list
  const p1 = await api('GET', `/api/v1/problems?${q}&limit=5`, as(S.office));
  assert.equal(p1.status, 200);
  assert.equal(p1.json.items.length, 5);
  assert.ok(p1.json.next_cursor);
  const p2 = await api('GET', `/api/v1/problems?${q}&limit=5&cursor=${encodeURIComponent(p1.json.next_cursor)}`, as(S.office));
  assert.equal(p2.json.items.length, 2);
  assert.equal(p2.json.next_cursor, null);
  assert.deepEqual([...p1.json.items, ...p2.json.items].map((x) => x.id), sorted(all).reverse(), 'newest first, no gaps');
  const seen = new Set();
  let cursor = null;
  let pages = 0;
  let last = Infinity;
  do {
    const r = await api('GET', `/api/v1/problems?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, as(S.committee));
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 5);
    for (const it of r.json.items) {
      assert.ok(!seen.has(it.id), `duplicate ${it.id}`);
      assert.ok(it.id < last, 'descending ids');
      last = it.id;
      seen.add(it.id);
    }
    cursor = r.json.next_cursor;
    pages++;
  } while (cursor && pages < 500);
  assert.ok(!cursor, 'the walk ended');
  const whole = await listAll('/api/v1/problems', S.committee);
  assert.equal(seen.size, whole.length);

  // bad filter values
  for (const [query, field] of [
    ['state=bogus', 'state'], ['state=reported,nope', 'state'], ['category=NOPE99', 'category'], ['org_id=abc', 'org_id'],
    ['handler_org_id=-1', 'handler_org_id'], ['source=fax', 'source'], ['overdue=maybe', 'overdue'], ['mine=yes', 'mine'],
    ['from=yesterday', 'from'], ['to=2026-13-45', 'to'], ['limit=0', 'limit'], ['cursor=abc', 'cursor'], ['colour=red', 'colour'],
  ]) {
    const r = await api('GET', `/api/v1/problems?${query}`, as(S.office));
    assert.equal(r.status, 422, `${query}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.ok(errorOf(r).fields.some((x) => x.field === field), `${query}: ${r.text}`);
  }
});

after(async () => {
  // Leave the clock at real time whatever happened.
  try {
    if (S.admin) await api('PUT', '/api/v1/system/clock', as(S.admin, { body: { now: clockIso() } }));
  } catch { /* the private server may already be gone */ }
});

// --- Review 2026-12-07 (coverage 4, 6, 7; security 19) -----------------------------

test('coverage 6: rectify needs the GPS within 50 m of the problem (or its site) — 422 location required / too_far', async () => {
  const p = await toState('acknowledged');
  const ph = await upload(S.handler);
  const noGps = fieldErr(await act(S.handler, p.id, 'rectify', { photos: [ph], note: '已处理' }), 'location');
  assert.equal(noGps.fields.find((f) => f.field === 'location').code, 'required');
  // ~0.001° north = 111 m away
  const far = fieldErr(await act(S.handler, p.id, 'rectify', { photos: [ph], location: { lat: HERE.lat + 0.001, lng: HERE.lng } }), 'location');
  const ff = far.fields.find((f) => f.field === 'location');
  assert.equal(ff.code, 'too_far');
  assert.match(ff.message, /50/);
  assert.equal((await getP(S.handler, p.id)).state, 'acknowledged', 'nothing changed');
  // 40 m north: accepted, and the location is in the history.
  const near = { lat: HERE.lat + 40 / 111320, lng: HERE.lng };
  await ok(S.handler, p.id, 'rectify', { photos: [ph], location: near }, 'rectified');
  const ev = (await getP(S.committee, p.id)).events.find((e) => e.action === 'rectify');
  assert.deepEqual(ev.data.location, near);
});

test('coverage 6: a problem placed by its site only is rectified at the site', async () => {
  const site = await api('POST', '/api/v1/sites', as(S.admin, { body: { name: `销号点位-${tag()}`, site_type: 'S01', org_id: ORG.comm, location: { lat: 31.2301, lng: 121.5401 } } }));
  assert.equal(site.status, 201, site.text);
  const p = await toState('acknowledged', { extra: { location: null, site_id: site.json.id } });
  const ph = await upload(S.handler);
  fieldErr(await act(S.handler, p.id, 'rectify', { photos: [ph], location: HERE }), 'location');
  await ok(S.handler, p.id, 'rectify', { photos: [ph], location: { lat: 31.2302, lng: 121.5401 } }, 'rectified');
});

test('coverage 7: dispatch only to a handler unit (a 居委, compound or street cannot sign for it) → 422', async () => {
  const p = await toState('accepted');
  for (const org of [ORG.comm, ORG.street, ORG.compound].filter(Boolean)) {
    const e = fieldErr(await act(S.committee, p.id, 'dispatch', { handler_org_id: org }), 'handler_org_id');
    assert.equal(e.fields.find((f) => f.field === 'handler_org_id').code, 'bad_kind');
  }
  assert.equal((await getP(S.committee, p.id)).state, 'accepted');
  await ok(S.committee, p.id, 'dispatch', { handler_org_id: ORG.jxqc }, 'dispatched');
});

test('security 19: only staff set urgency — a resident\'s or volunteer\'s "urgent" → 422 staff_only; staff may', async () => {
  for (const s of [S.resident, S.volunteer]) {
    const e = fieldErr(await api('POST', '/api/v1/problems', as(s, { body: { category: 'C0301', description: `紧急 ${tag()}`, org_id: ORG.comm, location: HERE, urgency: 'urgent' } })), 'urgency');
    assert.equal(e.fields.find((f) => f.field === 'urgency').code, 'staff_only');
  }
  assert.equal((await report(S.resident, { urgency: 'normal' })).urgency, 'normal');
  assert.equal((await report(S.committee, { urgency: 'urgent' })).urgency, 'urgent');
  // The 居委 decides at 立案.
  const p = await report(S.resident);
  assert.equal((await ok(S.committee, p.id, 'accept', { urgency: 'urgent' })).urgency, 'urgent');
});

test('coverage 4: the reporter of a merged report follows the surviving case (public fields, no detail, no rating) and tracking points to it', async () => {
  const a = await report(S.resident, { description: `又看到飞线充电 13900001111 ${tag()}` });
  const b = await report(S.committee, { description: `飞线充电 13900002222 ${tag()}` });
  await ok(S.committee, b.id, 'accept');
  await ok(S.committee, a.id, 'merge', { merge_into: b.id }, 'merged');
  // The resident's list: its own (merged) report and the surviving case it now follows.
  const mine = await listAll('/api/v1/problems?mine=true', S.resident, { limit: 200, max: 400 });
  const row = mine.find((x) => x.id === b.id);
  assert.ok(row, 'the surviving case is in the reporter\'s list');
  assert.equal(row.following, true);
  assert.match(row.description, /139\*\*\*\*2222/);
  assert.equal((await api('GET', `/api/v1/problems/${b.id}`, as(S.resident))).status, 404, 'public fields only');
  // Its own report names the surviving code; the tracking page points there.
  const own = await getP(S.resident, a.id);
  assert.equal(own.merged_into, b.id);
  assert.equal(own.merged_into_code, b.code);
  // Tracking is by the random tracking code (coverage 12): b is the 居委's own
  // finding, not publicly trackable, so a's page says merged and points nowhere.
  assert.ok(own.tracking_code, 'the reporter sees its tracking code');
  assert.equal(own.merged_into_tracking_code, undefined);
  const tr = await api('GET', `/api/v1/track/${own.tracking_code}`);
  assert.equal(tr.status, 200, tr.text);
  assert.equal(tr.json.state, 'merged');
  assert.equal(tr.json.merged_into, undefined);
  assert.equal((await api('GET', `/api/v1/track/${a.code}`)).status, 404, 'an HM- code is not a tracking code');
  // Merged into another citizen tip: both the detail and the public page name its tracking code.
  const c = await report(S.resident, { description: `楼道堆物 ${tag()}` });
  const d = await report(S.resident, { description: `楼道堆物又来了 ${tag()}` });
  await ok(S.committee, c.id, 'accept');
  await ok(S.committee, d.id, 'merge', { merge_into: c.id }, 'merged');
  const cCode = (await getP(S.resident, c.id)).tracking_code, dView = await getP(S.resident, d.id);
  assert.ok(cCode);
  assert.equal(dView.merged_into_tracking_code, cCode);
  assert.equal((await api('GET', `/api/v1/track/${dView.tracking_code}`)).json.merged_into, cCode);
  assert.ok((await notificationsOf(S.resident)).some((n) => n.kind === 'merged' && n.problem_id === a.id), 'told');
  // Only the surviving case's reporter rates it (SPEC: the reporter rates).
  await ok(S.committee, b.id, 'dispatch', { handler_org_id: ORG.jxqc });
  await ok(S.handler, b.id, 'acknowledge');
  await ok(S.handler, b.id, 'rectify', { photos: [await upload(S.handler)], location: HERE });
  await ok(S.office, b.id, 'verify_pass', {}, 'closed');
  const rate = await api('POST', `/api/v1/problems/${b.id}/rating`, as(S.resident, { body: { rating: 'satisfied' } }));
  assert.equal(rate.status, 404, rate.text);
  const ownRate = await api('POST', `/api/v1/problems/${b.id}/rating`, as(S.committee, { body: { rating: 'satisfied' } }));
  assert.equal(ownRate.status, 200, ownRate.text);
});
