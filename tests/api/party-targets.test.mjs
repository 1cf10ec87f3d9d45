// party-targets.test.mjs — 目标责任书 and 好人好事 (docs/PARTY.md "targets"):
// targets CRUD and validation; live progress equal to GET /api/v1/kpis for
// the same org and period and to the underlying rows; issue/sign state
// rules; good deeds recorded → verified → on the public wall without the
// recorder, love-bank points once (verify twice, award run twice), rejected
// with a reason; scope (another 居委 gets 404). Trial balance zero after each.
import { test, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, orgId, errorOf, tag, clockNow, serverDatabase, query } from './harness.mjs';
import { volunteerAccount } from './volunteer-fixtures.mjs';

await ensureServer();

let admin, office, committee, committee2, resident, comm, comm2, unitOrg, street;
const thisYear = () => new Date(clockNow() + 8 * 3600e3).getUTCFullYear();
const today = () => new Date(clockNow() + 8 * 3600e3).toISOString().slice(0, 10);
let yearSeq = 2001;
const freshYear = () => yearSeq++;

before(async () => {
  admin = await login('admin');
  office = await login('office');
  committee = await login('committee');
  committee2 = await login('committee2');
  resident = await login('resident');
  comm = await orgId('由由第五居民区');
  comm2 = await orgId('梧桐居民区');
  unitOrg = await orgId('锦绣前城物业');
  street = await orgId('花木街道');
});

afterEach(async () => {
  const t = await api('GET', '/api/v1/bank/trial-balance', as(admin));
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.sum, 0, `the books sum to zero: ${t.text}`);
  assert.equal(t.json.balanced, true);
});

const items = [
  { metric: 'on_time_rate', goal: 0.9 },
  { metric: 'problems_closed', goal: 1 },
  { metric: 'volunteers_registered', goal: 1 },
  { metric: 'service_hours', goal: 1e6 },
  { metric: 'meetings_held', goal: 0 },
  { metric: 'good_deeds_verified', goal: 0 },
  { metric: 'awareness_rate', goal: 0.8 },
  { metric: 'text', text: '每季度开展一次清洁家园活动' },
];

async function createTarget(org, year, body = {}) {
  const r = await api('POST', '/api/v1/targets', as(office, { body: { org_id: org, year, items, ...body } }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('the metric catalogue names every metric with its unit and source', async () => {
  const r = await api('GET', '/api/v1/targets/metrics', as(office));
  assert.equal(r.status, 200, r.text);
  const codes = r.json.items.map((m) => m.code);
  for (const m of items) assert.ok(codes.includes(m.metric), m.metric);
  assert.equal(r.json.items.find((m) => m.code === 'awareness_rate').source, 'manual');
});

test('create, read, list, patch a draft; validation failures change nothing', async () => {
  const year = freshYear();
  const t = await createTarget(comm, year);
  assert.equal(t.state, 'draft');
  assert.equal(t.items.length, items.length);
  assert.equal(t.total, items.length);
  assert.match(t.title, /精神文明创建工作目标责任书/);
  const g = await api('GET', `/api/v1/targets/${t.id}`, as(committee));
  assert.equal(g.status, 200, g.text);
  const l = await api('GET', `/api/v1/targets?year=${year}`, as(office));
  assert.ok(l.json.items.some((x) => x.id === t.id && x.total === items.length));
  const dup = await api('POST', '/api/v1/targets', as(office, { body: { org_id: comm, year, items } }));
  assert.equal(dup.status, 409, dup.text);
  const bad = [
    { org_id: comm, year: freshYear(), items: [{ metric: 'nope', goal: 1 }] },
    { org_id: comm, year: freshYear(), items: [{ metric: 'on_time_rate' }] },
    { org_id: comm, year: freshYear(), items: [{ metric: 'on_time_rate', goal: 1.5 }] },
    { org_id: comm, year: freshYear(), items: [{ metric: 'text' }] },
    { org_id: street, year: freshYear(), items },
    { org_id: comm, year: 1999, items },
    { org_id: 99999999, year: freshYear(), items },
    { year: freshYear() },
  ];
  for (const body of bad) {
    const r = await api('POST', '/api/v1/targets', as(office, { body }));
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(errorOf(r).fields?.length >= 1, r.text);
  }
  const p = await api('PATCH', `/api/v1/targets/${t.id}`, as(office, { body: { title: '改过的标题', items: items.slice(0, 2) } }));
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.title, '改过的标题');
  assert.equal(p.json.items.length, 2);
  const pb = await api('PATCH', `/api/v1/targets/${t.id}`, as(office, { body: { items: [{ metric: 'x' }] } }));
  assert.equal(pb.status, 422);
  assert.equal((await api('GET', `/api/v1/targets/${t.id}`, as(office))).json.items.length, 2, 'bad input changed nothing');
  // committee reads but may not write
  const cw = await api('PATCH', `/api/v1/targets/${t.id}`, as(committee, { body: { title: 'x' } }));
  assert.equal(cw.status, 403, cw.text);
});

test('progress equals GET /api/v1/kpis and the underlying rows for the same org and period', async () => {
  const year = thisYear();
  const unit = await orgId('花木环卫所');	// a unit: no demo letter on it this year
  let t = (await api('GET', `/api/v1/targets?year=${year}&org_id=${comm}`, as(office))).json.items.find((x) => x.org_id === comm);
  if (!t) t = await createTarget(comm, year);
  const full = (await api('GET', `/api/v1/targets/${t.id}`, as(office))).json;
  const withKpi = full.items.find((i) => i.metric === 'on_time_rate') ? full : await createTarget(unit, year);
  const item = withKpi.items.find((i) => i.metric === 'on_time_rate');
  const pr = item.progress;
  assert.equal(pr.from, `${year}-01-01`);
  assert.equal(pr.to, today());
  const k = await api('GET', `/api/v1/kpis?org_id=${withKpi.org_id}&from=${pr.from}&to=${pr.to}`, as(admin));
  assert.equal(k.status, 200, k.text);
  assert.equal(pr.value, k.json.totals.on_time_rate);
  assert.equal(pr.sample, k.json.totals.due);
  const closed = withKpi.items.find((i) => i.metric === 'problems_closed');
  if (closed) assert.equal(closed.progress.value, k.json.totals.closed);
  const db = serverDatabase();
  if (db) {
    const path = query(db, `SELECT path FROM orgs WHERE id = ${withKpi.org_id}`).trim();
    const vol = withKpi.items.find((i) => i.metric === 'volunteers_registered');
    if (vol) {
      const n = Number(query(db, `SELECT count(*) FROM volunteers v JOIN orgs o ON o.id = v.org_id WHERE v.status = 'approved' AND o.path LIKE '${path}%'`).trim());
      assert.equal(vol.progress.value, n);
    }
    const gd = withKpi.items.find((i) => i.metric === 'good_deeds_verified');
    if (gd) {
      const n = Number(query(db, `SELECT count(*) FROM good_deeds g JOIN orgs o ON o.id = g.org_id WHERE g.state = 'verified' AND g.occurred_on BETWEEN '${pr.from}' AND '${pr.to}' AND o.path LIKE '${path}%'`).trim());
      assert.equal(gd.progress.value, n);
    }
  }
});

test('issue and sign: the state rules', async () => {
  const t = await createTarget(unitOrg, freshYear());
  const s0 = await api('POST', `/api/v1/targets/${t.id}/sign`, as(office, { body: { issuer_signer: '张主任', receiver_signer: '李经理', signed_on: today() } }));
  assert.equal(s0.status, 409, 'a draft cannot be signed');
  const m0 = await api('PATCH', `/api/v1/targets/${t.id}`, as(office, { body: { marks: [{ item_id: t.items[7].id, done: true }] } }));
  assert.equal(m0.status, 409, 'no marks on a draft');
  const empty = await createTarget(unitOrg, freshYear(), { items: [] });
  assert.equal((await api('POST', `/api/v1/targets/${empty.id}/issue`, as(office))).status, 409, 'nothing to issue');
  const i = await api('POST', `/api/v1/targets/${t.id}/issue`, as(office));
  assert.equal(i.status, 200, i.text);
  assert.equal(i.json.state, 'issued');
  assert.ok(i.json.issued_at);
  assert.equal((await api('POST', `/api/v1/targets/${t.id}/issue`, as(office))).status, 409, 'issued once');
  const ed = await api('PATCH', `/api/v1/targets/${t.id}`, as(office, { body: { items } }));
  assert.equal(ed.status, 409, 'items are fixed once issued');
  const textItem = i.json.items.find((x) => x.metric === 'text');
  const aw = i.json.items.find((x) => x.metric === 'awareness_rate');
  const mk = await api('PATCH', `/api/v1/targets/${t.id}`, as(office, { body: { marks: [
    { item_id: textItem.id, done: true, note: '已完成四次' }, { item_id: aw.id, value: 0.85 }] } }));
  assert.equal(mk.status, 200, mk.text);
  const t2 = mk.json.items.find((x) => x.id === textItem.id);
  assert.equal(t2.done, true);
  assert.equal(t2.progress.met, true);
  assert.ok(t2.marked_by_name && t2.marked_at, 'who and when');
  const a2 = mk.json.items.find((x) => x.id === aw.id);
  assert.equal(a2.progress.value, 0.85);
  assert.equal(a2.progress.met, true);
  const badMark = await api('PATCH', `/api/v1/targets/${t.id}`, as(office, { body: { marks: [{ item_id: aw.id, value: 2 }] } }));
  assert.equal(badMark.status, 422);
  const fut = await api('POST', `/api/v1/targets/${t.id}/sign`, as(office, { body: { issuer_signer: '张主任', receiver_signer: '李经理', signed_on: '2100-01-01' } }));
  assert.equal(fut.status, 422, fut.text);
  const s = await api('POST', `/api/v1/targets/${t.id}/sign`, as(office, { body: { issuer_signer: '张主任', receiver_signer: '李经理', signed_on: today() } }));
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.state, 'signed');
  assert.equal(s.json.issuer_signer, '张主任');
  assert.equal(s.json.receiver_signer, '李经理');
  assert.equal((await api('POST', `/api/v1/targets/${t.id}/sign`, as(office, { body: { issuer_signer: 'a', receiver_signer: 'b', signed_on: today() } }))).status, 409);
  assert.ok(s.json.met >= 2 && s.json.total === items.length);
});

test('targets out of scope read as missing; committee2 cannot see 由由第五\'s letter', async () => {
  const t = await createTarget(comm, freshYear());
  const g = await api('GET', `/api/v1/targets/${t.id}`, as(committee2));
  assert.equal(g.status, 404, g.text);
  const l = await api('GET', '/api/v1/targets', as(committee2));
  assert.ok(!l.json.items.some((x) => x.id === t.id));
  assert.equal((await api('GET', '/api/v1/targets', as(resident))).status, 403);
});

async function recordDeed(session, body = {}) {
  const r = await api('POST', '/api/v1/good-deeds', as(session, { body: {
    org_id: comm, doer_name: '王阿姨', title: `拾金不昧 ${tag()}`, content: '捡到钱包交还失主', place: '3号楼门口',
    occurred_on: today(), ...body } }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('good deed: recorded, verified, on the wall without the recorder, points once', async () => {
  const v = await volunteerAccount(comm, { approver: committee });
  const d = await recordDeed(resident);
  assert.equal(d.state, 'pending');
  assert.equal((await api('GET', `/api/v1/good-deeds/${d.id}`, as(resident))).status, 200, 'the recorder sees it');
  assert.equal((await api('GET', `/api/v1/good-deeds/${d.id}`, as(committee2))).status, 404);
  assert.equal((await api('POST', `/api/v1/good-deeds/${d.id}/verify`, as(committee2, { body: {} }))).status, 404);
  assert.equal((await api('POST', `/api/v1/good-deeds/${d.id}/verify`, as(resident, { body: {} }))).status, 403);
  const q = await api('GET', `/api/v1/good-deeds?state=pending&org_id=${comm}`, as(committee));
  assert.ok(q.json.items.some((x) => x.id === d.id), 'in the 居委 queue');
  const ok = await api('POST', `/api/v1/good-deeds/${d.id}/verify`, as(committee, { body: { person_id: v.volunteer.person_id } }));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.state, 'verified');
  assert.equal(ok.json.person_id, v.volunteer.person_id);
  const again = await api('POST', `/api/v1/good-deeds/${d.id}/verify`, as(committee, { body: {} }));
  assert.equal(again.status, 409);
  const run = await api('POST', '/api/v1/bank/award-run', as(admin));
  assert.equal(run.status, 200, run.text);
  await api('POST', '/api/v1/bank/award-run', as(admin));
  const me = (await api('GET', '/api/v1/bank/me', as(v.session))).json;
  const entries = me.items.filter((e) => e.source_kind === 'manual' && e.purpose === 'good_deed' && e.source_id === d.id);
  assert.equal(entries.length, 1, JSON.stringify(me.items));
  const cfg = (await api('GET', '/api/v1/settings/bank', as(admin))).json;
  assert.equal(entries[0].amount, cfg.points_per_good_deed);
  const wall = await api('GET', '/api/v1/good-deeds/wall?limit=200', {});
  assert.equal(wall.status, 200, wall.text);
  const w = wall.json.items.find((x) => x.id === d.id);
  assert.ok(w, 'on the wall');
  for (const k of ['recorded_by', 'recorded_by_name', 'verified_by', 'place', 'person_id', 'org_path'])
    assert.ok(!(k in w), `no ${k} on the wall`);
  assert.equal(w.org_name, '由由第五居民区');
  const audit = await api('GET', `/api/v1/audit?resource=good_deed&resource_id=${d.id}`, as(admin));
  assert.ok(audit.json.items.some((e) => e.action === 'verify'));
});

test('good deed: rejected with a reason, not on the wall; bad input', async () => {
  const d = await recordDeed(resident);
  const noReason = await api('POST', `/api/v1/good-deeds/${d.id}/reject`, as(committee, { body: {} }));
  assert.equal(noReason.status, 422);
  const r = await api('POST', `/api/v1/good-deeds/${d.id}/reject`, as(committee, { body: { reason: '无法核实' } }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'rejected');
  assert.equal(r.json.reject_reason, '无法核实');
  assert.equal((await api('POST', `/api/v1/good-deeds/${d.id}/verify`, as(committee, { body: {} }))).status, 409);
  const wall = await api('GET', '/api/v1/good-deeds/wall?limit=200', {});
  assert.ok(!wall.json.items.some((x) => x.id === d.id));
  for (const body of [
    { org_id: comm, title: '无名', occurred_on: today() },
    { org_id: comm, doer_name: 'x', title: '好事', occurred_on: '2100-01-01' },
    { org_id: comm, doer_name: 'x', title: '好事', occurred_on: 'yesterday' },
    { org_id: 99999999, doer_name: 'x', title: '好事', occurred_on: today() },
    { org_id: comm, person_id: 1, title: '好事', occurred_on: today() },	// a resident cannot name a person
  ]) {
    const b = await api('POST', '/api/v1/good-deeds', as(resident, { body }));
    assert.equal(b.status, 422, `${JSON.stringify(body)}: ${b.text}`);
  }
  const mine = await api('GET', '/api/v1/good-deeds', as(resident));
  assert.ok(mine.json.items.every((x) => x.recorded_by === mine.json.items[0].recorded_by));
});

test('the signed letter as PDF: %PDF, pages, out of scope 404', async () => {
  const l = await api('GET', `/api/v1/targets?year=${thisYear()}&org_id=${comm}`, as(committee));
  const t = l.json.items.find((x) => x.org_id === comm);
  assert.ok(t, 'the demo letter of 由由第五');
  const r = await fetch(`${(await import('./harness.mjs')).baseUrl()}/api/v1/targets/${t.id}/letter.pdf`, { headers: { Authorization: `Bearer ${committee.token}` } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const buf = Buffer.from(await r.arrayBuffer());
  assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
  const pages = (buf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1, `pages: ${pages}`);
  assert.equal((await api('GET', `/api/v1/targets/${t.id}/letter.pdf`, as(committee2))).status, 404);
});
