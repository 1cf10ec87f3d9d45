// party-dual.test.mjs — 双报到 (issue 16, docs/PARTY.md "dual"): a member
// registers on a phone or through staff, validation failures change nothing,
// the 居委 accepts (a service card) or declines; a unit contact sees only its
// unit (others 404); a unit registers with a community and the 居委 accepts;
// the quarterly feedback's figures equal the service records and sign-ups
// read independently through their own APIs; xlsx and PDF; quarter edges on
// the server's clock (the quarter holding now, whatever the day).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, baseUrl, api, as, login, freshLogin, orgId, errorOf, tag, clockNow, randomPhone } from './harness.mjs';
import { unzip, cells } from './xlsx-read.mjs';

await ensureServer();

const S = {};
let comm, comm8, wutong, spdb, cg;

// The China-time quarter holding ms, and its first/last days.
function quarterOf(ms) {
  const d = new Date(ms + 8 * 3600000);
  const y = d.getUTCFullYear(), q = Math.floor(d.getUTCMonth() / 3) + 1;
  return bounds(y, q);
}
function bounds(y, q) {
  const first = new Date(Date.UTC(y, (q - 1) * 3, 1));
  const last = new Date(Date.UTC(y, q * 3, 0));
  const f = (x) => x.toISOString().slice(0, 10);
  return { name: `${y}Q${q}`, y, q, from: f(first), to: f(last) };
}
const prevQuarter = (b) => (b.q === 1 ? bounds(b.y - 1, 4) : bounds(b.y, b.q - 1));
const todayCn = () => new Date(clockNow() + 8 * 3600000).toISOString().slice(0, 10);

async function unitOrg(code) {
  const r = await api('GET', `/api/v1/orgs?kind=unit&limit=200`, as(S.admin));
  return r.json.items.find((o) => o.code === code).id;
}
async function fetchRaw(s, path) {
  const res = await fetch(baseUrl() + path, { headers: { Authorization: `Bearer ${s.token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
// A fresh person living in org, with an account signed in (resident grant).
async function resident(org) {
  const p = await api('POST', '/api/v1/people', as(S.admin, { body: { name: `双报到${tag()}`.slice(0, 20), org_id: org, kinds: ['resident'] } }));
  assert.equal(p.status, 201, p.text);
  const loginName = `dual-${tag()}`;
  const a = await api('POST', '/api/v1/accounts', as(S.admin, {
    body: { login: loginName, display_name: '双报到测试', password: 'dual-secret-123', person_id: p.json.id, grants: [{ role: 'resident', org_id: org }] },
  }));
  assert.equal(a.status, 201, a.text);
  return { person: p.json.id, s: await freshLogin(loginName, 'dual-secret-123') };
}
const reg = (s, body) => api('POST', '/api/v1/party/registrations', as(s, { body }));
async function count(table) {
  const r = await api('GET', '/api/v1/party/registrations?limit=200', as(S.admin));
  return r.json.items.length;
}

before(async () => {
  for (const l of ['admin', 'office', 'committee', 'committee2', 'volunteer', 'unit', 'resident', 'secretary'])
    S[l] = await login(l);
  comm = await orgId('由由第五居民区');
  comm8 = await orgId('由由第八居民区');
  wutong = await orgId('梧桐居民区');
  spdb = await unitOrg('HM-SPDB');
  cg = await unitOrg('HM-CG');
});

test('a member registers on the phone; bad input is refused and changes nothing', async () => {
  const m = await resident(comm);
  const n0 = await count();
  for (const [body, field] of [
    [{ availability: ['weekend'] }, 'unit_id'],                                  // no employer known: unit required
    [{ unit_id: comm, availability: ['weekend'] }, 'unit_id'],                  // not a unit
    [{ unit_id: spdb, availability: ['sunday'] }, 'availability'],
    [{ unit_id: spdb, availability: ['weekend', 'weekend'] }, 'availability'],
    [{ unit_id: spdb, community_id: spdb }, 'community_id'],
    [{ unit_id: spdb, skills: 'x'.repeat(201) }, 'skills'],
  ]) {
    const r = await reg(m.s, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(errorOf(r).fields.some((f) => f.field === field), r.text);
  }
  const none = await reg(S.office, { unit_id: spdb });   // an account without a person
  assert.equal(none.status, 422);
  assert.equal(errorOf(none).fields[0].field, 'person_id');
  assert.equal(await count(), n0, 'nothing written');

  const r = await reg(m.s, { unit_id: spdb, skills: '法律咨询', wishes: '为老服务', availability: ['weekday_evening', 'weekend'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.state, 'pending');
  assert.equal(r.json.community_id, comm, 'defaults to where the person lives');
  assert.equal(r.json.self_registered, true);
  assert.deepEqual(r.json.availability, ['weekday_evening', 'weekend']);
  assert.equal(r.json.card_no, null);
  const again = await reg(m.s, { unit_id: spdb });
  assert.equal(again.status, 409, again.text);

  // Someone else's registration needs staff over that community.
  const other = await resident(comm);
  const byStranger = await reg(m.s, { person_id: other.person, unit_id: spdb });
  assert.equal(byStranger.status, 422);
  assert.equal(errorOf(byStranger).fields[0].code, 'not_found');
  const byForeignStaff = await reg(S.committee2, { person_id: other.person, unit_id: spdb });
  assert.equal(byForeignStaff.status, 422);

  // The member sees it, pending, under "mine"; the staff list shows it.
  const mine = await api('GET', '/api/v1/party/registrations/mine', as(m.s));
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.items.length, 1);
  assert.equal(mine.json.items[0].id, r.json.id);

  // The 居委 accepts: a card number; accepting twice is refused.
  const forbidden = await api('POST', `/api/v1/party/registrations/${r.json.id}/accept`, as(m.s));
  assert.equal(forbidden.status, 403);
  const foreign = await api('POST', `/api/v1/party/registrations/${r.json.id}/accept`, as(S.committee2));
  assert.equal(foreign.status, 404, 'out of scope reads as missing');
  const acc = await api('POST', `/api/v1/party/registrations/${r.json.id}/accept`, as(S.committee));
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.json.state, 'accepted');
  assert.match(acc.json.card_no, /^SB\d{4}\d{6}$/);
  const twice = await api('POST', `/api/v1/party/registrations/${r.json.id}/accept`, as(S.committee));
  assert.equal(twice.status, 409);
  const card = await fetchRaw(m.s, `/api/v1/party/registrations/${r.json.id}/card.svg`);
  assert.equal(card.status, 200);
  assert.match(card.bytes.toString('utf8'), /<svg/);
  const notMine = await fetchRaw(other.s, `/api/v1/party/registrations/${r.json.id}/card.svg`);
  assert.equal(notMine.status, 404);
});

test('staff register a member, decline needs a reason, a declined member may register again', async () => {
  const m = await resident(comm);
  const r = await reg(S.committee, { person_id: m.person, unit_id: cg, availability: ['holiday'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.self_registered, false);
  const noReason = await api('POST', `/api/v1/party/registrations/${r.json.id}/decline`, as(S.committee, { body: {} }));
  assert.equal(noReason.status, 422);
  const d = await api('POST', `/api/v1/party/registrations/${r.json.id}/decline`, as(S.committee, { body: { reason: '不在本居民区居住' } }));
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.state, 'declined');
  assert.equal(d.json.decline_reason, '不在本居民区居住');
  const patch = await api('PATCH', `/api/v1/party/registrations/${r.json.id}`, as(S.committee, { body: { availability: ['nope'] } }));
  assert.equal(patch.status, 422);
  const again = await reg(m.s, { unit_id: cg });
  assert.equal(again.status, 201, again.text);
  const p2 = await api('PATCH', `/api/v1/party/registrations/${again.json.id}`, as(S.committee, { body: { skills: '摄影', unit_id: spdb } }));
  assert.equal(p2.status, 200, p2.text);
  assert.equal(p2.json.skills, '摄影');
  assert.equal(p2.json.unit_id, spdb);
});

test('a unit contact sees only its own unit; a 居委 only its community', async () => {
  const all = (await api('GET', '/api/v1/party/registrations?limit=200', as(S.admin))).json.items;
  const own = await api('GET', '/api/v1/party/registrations?limit=200', as(S.unit));
  assert.equal(own.status, 200, own.text);
  assert.ok(own.json.items.length > 0);
  assert.ok(own.json.items.every((g) => g.unit_id === spdb), 'only 浦发银行花木支行');
  const foreign = all.find((g) => g.unit_id !== spdb);
  assert.ok(foreign, 'the demo has other units');
  for (const p of [`/api/v1/party/registrations/${foreign.id}`, `/api/v1/party/registrations/${foreign.id}/service`]) {
    const r = await api('GET', p, as(S.unit));
    assert.equal(r.status, 404, p);
  }
  const units = (await api('GET', '/api/v1/party/units?limit=200', as(S.admin))).json.items;
  const cgUnit = units.find((u) => u.unit_id === cg);
  const fb = await api('GET', `/api/v1/party/units/${cgUnit.id}/feedback`, as(S.unit));
  assert.equal(fb.status, 404);
  const ownUnits = (await api('GET', '/api/v1/party/units?limit=200', as(S.unit))).json.items;
  assert.ok(ownUnits.length > 0 && ownUnits.every((u) => u.unit_id === spdb));
  const c2 = (await api('GET', '/api/v1/party/registrations?limit=200', as(S.committee2))).json.items;
  assert.ok(c2.every((g) => g.community_id === wutong), '梧桐 sees only 梧桐');
  const inComm = all.find((g) => g.community_id === comm);
  assert.equal((await api('GET', `/api/v1/party/registrations/${inComm.id}`, as(S.committee2))).status, 404);
  assert.equal((await api('GET', '/api/v1/party/registrations', as(S.volunteer))).status, 403);
  assert.equal((await api('GET', '/api/v1/party/dual/overview', as(S.unit))).status, 403);
  const ov = await api('GET', '/api/v1/party/dual/overview', as(S.committee));
  assert.equal(ov.status, 200, ov.text);
  assert.deepEqual(ov.json.items.map((c) => c.id), [comm]);
});

test('a unit registers with a community, the phone masked; the 居委 accepts', async () => {
  const phone = randomPhone();
  const bad = await api('POST', '/api/v1/party/units', as(S.unit, { body: { unit_id: cg, community_id: wutong, party_org_name: '党支部', contact_name: '王', contact_phone: phone } }));
  assert.equal(bad.status, 422, 'another unit reads as missing');
  const badPhone = await api('POST', '/api/v1/party/units', as(S.unit, { body: { unit_id: spdb, community_id: wutong, party_org_name: '党支部', contact_name: '王', contact_phone: '12' } }));
  assert.equal(badPhone.status, 422);
  const r = await api('POST', '/api/v1/party/units', as(S.unit, {
    body: { unit_id: spdb, community_id: wutong, party_org_name: '浦发银行花木支行党支部', contact_name: '王联络', contact_phone: phone, commitments: '金融知识进社区' },
  }));
  if (r.status === 409) return;   // a rerun against the same database
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.state, 'pending');
  assert.ok(!r.text.includes(phone), 'the full phone never leaves');
  assert.equal(r.json.contact_phone_masked, `${phone.slice(0, 3)}****${phone.slice(7)}`);
  assert.equal((await api('POST', `/api/v1/party/units/${r.json.id}/accept`, as(S.unit))).status, 403);
  assert.equal((await api('POST', `/api/v1/party/units/${r.json.id}/accept`, as(S.committee))).status, 404);
  const ok = await api('POST', `/api/v1/party/units/${r.json.id}/accept`, as(S.committee2));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.state, 'accepted');
  const end = await api('PATCH', `/api/v1/party/units/${r.json.id}`, as(S.unit, { body: { state: 'ended' } }));
  assert.equal(end.status, 422, 'only staff end a registration');
  const edit = await api('PATCH', `/api/v1/party/units/${r.json.id}`, as(S.unit, { body: { commitments: '每季度一次金融知识讲座' } }));
  assert.equal(edit.status, 200, edit.text);
});

// The service of a volunteer in [from, to], from the records and sign-ups APIs.
async function expected(vid, b) {
  const rec = await api('GET', `/api/v1/records?volunteer_id=${vid}&status=approved&from=${b.from}&to=${b.to}&limit=200`, as(S.admin));
  assert.equal(rec.status, 200, rec.text);
  const live = rec.json.items.filter((x) => !x.superseded_by);
  return { records: live.length, hours: live.reduce((s, x) => s + x.hours, 0) };
}

test('the quarterly feedback equals the service records and sign-ups', async () => {
  const b = quarterOf(clockNow());
  const me = await api('GET', '/api/v1/volunteers/me', as(S.volunteer));
  const vid = me.json.volunteer.id;
  const units = (await api('GET', '/api/v1/party/units?limit=200', as(S.unit))).json.items;
  const u = units.find((x) => x.community_id === comm);
  const get = async (q = '') => {
    const r = await api('GET', `/api/v1/party/units/${u.id}/feedback${q}`, as(S.unit));
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const fb0 = await get();
  assert.equal(fb0.period.quarter, b.name, 'the quarter holding the server\'s now');
  assert.ok(fb0.items.every((x) => x.community_name === u.community_name), 'the members registered with that community');
  assert.equal(fb0.period.from, b.from);
  assert.equal(fb0.period.to, b.to);
  const z0 = fb0.items.find((x) => x.name === '张志愿');
  assert.ok(z0, '张志愿 is registered with 浦发银行花木支行');
  const e0 = await expected(vid, b);
  assert.equal(z0.records, e0.records);
  assert.ok(Math.abs(z0.hours - e0.hours) < 1e-9);
  assert.ok(z0.hours > 0, 'the demo gives 张志愿 service this quarter');

  // Sign-ups in the quarter, from the volunteer's own list.
  const t0 = `${b.from}T00:00:00+08:00`, t1 = new Date(Date.parse(`${b.to}T00:00:00+08:00`) + 86400000).toISOString();
  const su = (await api('GET', `/api/v1/volunteers/me/signups?from=${encodeURIComponent(t0)}&to=${encodeURIComponent(t1)}`, as(S.volunteer))).json.items;
  assert.equal(z0.shifts_attended, su.filter((s) => s.attendance === 'attended' && !s.activity_id).length);
  assert.equal(z0.activities_attended, su.filter((s) => s.attendance === 'attended' && s.activity_id).length);
  assert.equal(z0.activity_signups, su.filter((s) => s.activity_id && s.status === 'confirmed').length);

  // A new approved record today moves the figures by exactly its hours.
  const c = await api('POST', '/api/v1/records', as(S.committee, { body: { volunteer_id: vid, activity_name: '双报到测试服务', service_date: todayCn(), hours: 1.5 } }));
  assert.equal(c.status, 201, c.text);
  assert.equal((await api('POST', `/api/v1/records/${c.json.id}/decision`, as(S.committee, { body: { decision: 'approve' } }))).status, 200);
  const fb1 = await get(`?quarter=${b.name}`);
  const z1 = fb1.items.find((x) => x.name === '张志愿');
  assert.equal(z1.records, z0.records + 1);
  assert.ok(Math.abs(z1.hours - (z0.hours + 1.5)) < 1e-9);
  // Totals are the sum of the rows.
  assert.equal(fb1.totals.members, fb1.items.length);
  assert.equal(fb1.totals.records, fb1.items.reduce((s, x) => s + x.records, 0));
  assert.ok(Math.abs(fb1.totals.hours - fb1.items.reduce((s, x) => s + x.hours, 0)) < 1e-9);
  // The registration's own service view says the same.
  const svc = await api('GET', `/api/v1/party/registrations/${z1.registration_id}/service?quarter=${b.name}`, as(S.committee));
  assert.equal(svc.status, 200, svc.text);
  assert.equal(svc.json.records, z1.records);
  assert.equal(svc.json.projects, null, 'projects are not in the product yet');
  // The member's own page.
  const mine = await api('GET', '/api/v1/party/registrations/mine', as(S.volunteer));
  assert.ok(Math.abs(mine.json.service.hours - z1.hours) < 1e-9);
  assert.ok(mine.json.items.some((g) => g.card_no));

  // The previous quarter: the records dated in it, no more.
  const p = prevQuarter(b);
  const fbp = await get(`?quarter=${p.name}`);
  const zp = fbp.items.find((x) => x.name === '张志愿');
  const ep = await expected(vid, p);
  assert.equal(zp.records, ep.records);
  assert.ok(Math.abs(zp.hours - ep.hours) < 1e-9);
  // Explicit dates equal to the quarter give the same figures.
  const fbd = await get(`?from=${b.from}&to=${b.to}`);
  assert.equal(fbd.items.find((x) => x.name === '张志愿').hours, z1.hours);

  for (const q of ['?quarter=2026Q5', '?quarter=26Q1', '?from=2026-01-01', `?from=${b.to}&to=${b.from}`]) {
    const r = await api('GET', `/api/v1/party/units/${u.id}/feedback${q}`, as(S.unit));
    assert.equal(r.status, 422, `${q}: ${r.text}`);
  }

  // xlsx: the same figures.
  const x = await fetchRaw(S.unit, `/api/v1/party/units/${u.id}/feedback.xlsx?quarter=${b.name}`);
  assert.equal(x.status, 200);
  const cs = cells(unzip(x.bytes));
  const row = [...cs.entries()].find(([ref, c]) => ref.startsWith('A') && c.value === '张志愿')[0].slice(1);
  assert.equal(Number(cs.get(`D${row}`).value), z1.records);
  assert.ok(Math.abs(Number(cs.get(`E${row}`).value) - z1.hours) < 1e-9);
  assert.equal(cs.get('D3').value, '服务次数');
  // PDF: a real document with its pages.
  const pdf = await fetchRaw(S.unit, `/api/v1/party/units/${u.id}/feedback.pdf?quarter=${b.name}`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok((pdf.bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length >= 1, 'has pages');
});

test('a unit registration and a member registration read by id: 200 in scope, 404 out of it', async () => {
  const units = await api('GET', '/api/v1/party/units?limit=1', as(S.unit));
  assert.equal(units.status, 200, units.text);
  assert.ok(units.json.items.length > 0, 'the demo registered the unit');
  const u = units.json.items[0];
  const got = await api('GET', `/api/v1/party/units/${u.id}`, as(S.unit));
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.id, u.id);
  assert.ok(!got.text.includes('contact_phone_enc'), 'the sealed phone never leaves');
  const regs = await api('GET', '/api/v1/party/registrations?limit=1', as(S.committee));
  assert.equal(regs.status, 200, regs.text);
  assert.ok(regs.json.items.length > 0, 'the demo has registrations in 由由第五');
  const g = regs.json.items[0];
  const one = await api('GET', `/api/v1/party/registrations/${g.id}`, as(S.committee));
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.id, g.id);
  assert.equal((await api('GET', `/api/v1/party/registrations/${g.id}`, as(S.committee2))).status, 404);
});
