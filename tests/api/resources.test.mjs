// resources.test.mjs — happy and failure paths per resource: orgs (kind
// rules, moves, cycles, deletes), accounts and grants, people (ID and phone
// validation, masking, reveal, export, anonymise), audit (before/after,
// filters, paging), Idempotency-Key, ETags, pagination, operations endpoints,
// the embedded web UI, and the problem loop's supporting routes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  ensureServer, api, as, login, freshLogin, errorOf, orgId, listAll, tag, uniqueId, makeId, idCheck, randomPhone,
  rawRequest, rawHttp, routeList, parseMetrics, makePng, categoryCode, REPO, clockIso, clockNow
} from './harness.mjs';

await ensureServer();

const REGION = '110106';
let admin, office, street, comm;
const mkOrg = async (body, s = admin) => api('POST', '/api/v1/orgs', as(s, { body }));
const ok201 = (r) => { assert.equal(r.status, 201, r.text); return r.json; };

before(async () => {
  admin = await login('admin');
  office = await login('office');
  street = await orgId('花木街道');
  comm = await orgId('由由第五居民区');
});

test('orgs: create with kind rules and duplicate codes', async () => {
  const code = `T-${tag()}`;
  const c = ok201(await mkOrg({ parent_id: street, kind: 'community', name: `测试居民区-${tag()}`, code }, office));
  assert.equal(c.parent_id, street);
  assert.equal(c.kind, 'community');
  assert.equal(c.code, code);
  const st = (await api('GET', `/api/v1/orgs/${street}`, as(admin))).json;
  assert.equal(c.path, `${st.path}${c.id}/`);
  assert.equal(c.depth, st.depth + 1);
  const bad = await mkOrg({ parent_id: c.id, kind: 'building', name: '1号楼' });
  assert.equal(bad.status, 422);
  assert.ok(errorOf(bad).fields.some((f) => f.field === 'parent_id' && f.code === 'bad_parent_kind'));
  const compound = ok201(await mkOrg({ parent_id: c.id, kind: 'compound', name: '测试小区' }));
  ok201(await mkOrg({ parent_id: compound.id, kind: 'building', name: '1号楼' }));
  const dup = await mkOrg({ parent_id: street, kind: 'team', name: 'dup', code });
  assert.equal(dup.status, 422);
  assert.ok(errorOf(dup).fields.some((f) => f.field === 'code' && f.code === 'duplicate'));
  const root = await mkOrg({ kind: 'community', name: '无上级' });
  assert.equal(root.status, 422);
  assert.ok(errorOf(root).fields.some((f) => f.field === 'parent_id'));
  const kind = await mkOrg({ parent_id: street, kind: 'galaxy', name: 'x' });
  assert.equal(kind.status, 422);
  assert.ok(errorOf(kind).fields.some((f) => f.field === 'kind' && f.code === 'invalid'));
  const badCode = await mkOrg({ parent_id: street, kind: 'team', name: 'x', code: 'has space' });
  assert.equal(badCode.status, 422);
  const lat = await mkOrg({ parent_id: street, kind: 'team', name: 'x', lat: 91 });
  assert.equal(lat.status, 422);
  assert.ok(errorOf(lat).fields.some((f) => f.field === 'lat' && f.code === 'out_of_range'));
});

test('orgs: moving a subtree updates paths and depths; cycles are refused', async () => {
  const a = ok201(await mkOrg({ parent_id: street, kind: 'community', name: `A-${tag()}` }));
  const a2 = ok201(await mkOrg({ parent_id: street, kind: 'community', name: `A2-${tag()}` }));
  const c = ok201(await mkOrg({ parent_id: a.id, kind: 'compound', name: `C-${tag()}` }));
  const b = ok201(await mkOrg({ parent_id: c.id, kind: 'building', name: `B-${tag()}` }));
  const t = ok201(await mkOrg({ parent_id: b.id, kind: 'team', name: `T-${tag()}` }));
  const mv = await api('PATCH', `/api/v1/orgs/${c.id}`, as(office, { body: { parent_id: a2.id } }));
  assert.equal(mv.status, 200, mv.text);
  assert.equal(mv.json.parent_id, a2.id);
  assert.equal(mv.json.path, `${a2.path}${c.id}/`);
  assert.equal(mv.json.depth, a2.depth + 1);
  const b2 = (await api('GET', `/api/v1/orgs/${b.id}`, as(admin))).json;
  assert.equal(b2.path, `${a2.path}${c.id}/${b.id}/`);
  assert.equal(b2.depth, a2.depth + 2);
  const t2 = (await api('GET', `/api/v1/orgs/${t.id}`, as(admin))).json;
  assert.equal(t2.path, `${a2.path}${c.id}/${b.id}/${t.id}/`);
  assert.equal(t2.depth, a2.depth + 3);
  const under = await listAll(`/api/v1/orgs?under=${a2.id}`, admin);
  assert.deepEqual(new Set(under.map((o) => o.id)), new Set([a2.id, c.id, b.id, t.id].filter((id) => under.some((o) => o.id === id))));
  assert.ok(under.some((o) => o.id === b.id) && under.some((o) => o.id === t.id));
  assert.ok(!(await listAll(`/api/v1/orgs?under=${a.id}`, admin)).some((o) => o.id === b.id));
  // Cycles: under its own descendant, or under itself.
  const t1 = ok201(await mkOrg({ parent_id: street, kind: 'team', name: `T1-${tag()}` }));
  const tt = ok201(await mkOrg({ parent_id: t1.id, kind: 'team', name: `T2-${tag()}` }));
  for (const target of [tt.id, t1.id]) {
    const cy = await api('PATCH', `/api/v1/orgs/${t1.id}`, as(admin, { body: { parent_id: target } }));
    if (target === t1.id && cy.status === 200) continue;	// "no move" is acceptable for itself
    assert.equal(cy.status, 422, cy.text);
    assert.ok(errorOf(cy).fields.some((f) => f.field === 'parent_id' && f.code === 'cycle'));
  }
  assert.equal((await api('GET', `/api/v1/orgs/${t1.id}`, as(admin))).json.parent_id, street);
  // Kind rules apply to moves too.
  const wrong = await api('PATCH', `/api/v1/orgs/${b.id}`, as(admin, { body: { parent_id: a.id } }));
  assert.equal(wrong.status, 422);
  assert.ok(errorOf(wrong).fields.some((f) => f.code === 'bad_parent_kind'));
  // Rename, and the audit entry has before and after.
  const rn = await api('PATCH', `/api/v1/orgs/${t1.id}`, as(admin, { body: { name: '改名后' } }));
  assert.equal(rn.status, 200);
  const au = await api('GET', `/api/v1/audit?resource=org&resource_id=${t1.id}&action=update`, as(admin));
  assert.equal(au.json.items[0].before.name, t1.name);
  assert.equal(au.json.items[0].after.name, '改名后');
});

test('orgs: delete with children → 409, leaf → 204, audit keeps the before', async () => {
  const p = ok201(await mkOrg({ parent_id: street, kind: 'team', name: `P-${tag()}` }));
  const ch = ok201(await mkOrg({ parent_id: p.id, kind: 'team', name: `Ch-${tag()}` }));
  const d1 = await api('DELETE', `/api/v1/orgs/${p.id}`, as(office));
  assert.equal(d1.status, 409);
  assert.equal(errorOf(d1).code, 'in_use');
  assert.equal((await api('DELETE', `/api/v1/orgs/${ch.id}`, as(office))).status, 204);
  assert.equal((await api('GET', `/api/v1/orgs/${ch.id}`, as(admin))).status, 404);
  assert.equal((await api('DELETE', `/api/v1/orgs/${ch.id}`, as(office))).status, 404);
  assert.equal((await api('DELETE', `/api/v1/orgs/${p.id}`, as(office))).status, 204);
  const au = await api('GET', `/api/v1/audit?resource=org&resource_id=${ch.id}`, as(admin));
  const del = au.json.items.find((e) => e.action === 'delete');
  assert.equal(del.before.name, ch.name);
  assert.equal(del.after, null);
  assert.equal(au.json.items.find((e) => e.action === 'create').after.name, ch.name);
  // An org with people is in use too; the office cannot delete its own street.
  assert.equal((await api('DELETE', `/api/v1/orgs/${comm}`, as(admin))).status, 409);
  assert.equal((await api('DELETE', `/api/v1/orgs/${street}`, as(office))).status, 403);
});

test('accounts and grants', async () => {
  const org = ok201(await mkOrg({ parent_id: street, kind: 'community', name: `账号测试区-${tag()}` }));
  const login_ = `acc-${tag()}`;
  const body = { login: login_, display_name: '测试账号', password: 'acc-secret-123', grants: [{ role: 'committee', org_id: org.id }] };
  const a = ok201(await api('POST', '/api/v1/accounts', as(office, { body })));
  assert.equal(a.login, login_);
  assert.ok(!('password_hash' in a) && !JSON.stringify(a).includes('argon2'));
  assert.deepEqual(a.grants.map((g) => [g.role, g.org_id]), [['committee', org.id]]);
  const dup = await api('POST', '/api/v1/accounts', as(office, { body }));
  assert.equal(dup.status, 422);
  assert.ok(errorOf(dup).fields.some((f) => f.field === 'login' && f.code === 'duplicate'));
  for (const pw of ['short', login_]) {
    const w = await api('POST', '/api/v1/accounts', as(office, { body: { ...body, login: `w-${tag()}`, password: pw === login_ ? 'same-as-login' : pw, ...(pw === login_ ? { login: 'same-as-login' } : {}) } }));
    assert.equal(w.status, 422, `${pw}: ${w.text}`);
    assert.ok(errorOf(w).fields.some((f) => f.field === 'password' && f.code === 'weak_password'));
  }
  const demoPw = await api('POST', '/api/v1/accounts', as(office, { body: { ...body, login: `demo-${tag()}`, password: 'wenming-demo' } }));
  assert.equal(demoPw.status, 201, 'the demo password is accepted on a demo database');
  const badLogin = await api('POST', '/api/v1/accounts', as(office, { body: { ...body, login: 'has space' } }));
  assert.equal(badLogin.status, 422);
  // Grants.
  const g = await api('POST', `/api/v1/accounts/${a.id}/grants`, as(office, { body: { role: 'volunteer', org_id: org.id } }));
  assert.equal(g.status, 201, g.text);
  assert.equal(g.json.role, 'volunteer');
  assert.equal((await api('POST', `/api/v1/accounts/${a.id}/grants`, as(office, { body: { role: 'volunteer', org_id: org.id } }))).status, 409);
  let got = (await api('GET', `/api/v1/accounts/${a.id}`, as(office))).json;
  assert.equal(got.grants.length, 2);
  const rm = await api('DELETE', `/api/v1/accounts/${a.id}/grants/${g.json.id}`, as(office));
  assert.equal(rm.status, 204);
  got = (await api('GET', `/api/v1/accounts/${a.id}`, as(office))).json;
  assert.deepEqual(got.grants.map((x) => x.role), ['committee']);
  assert.equal((await api('DELETE', `/api/v1/accounts/${a.id}/grants/${g.json.id}`, as(office))).status, 404);
  // Office cannot hand out admin; admin can.
  const adm = await api('POST', `/api/v1/accounts/${a.id}/grants`, as(office, { body: { role: 'admin', org_id: org.id } }));
  assert.equal(adm.status, 403);
  assert.equal(errorOf(adm).code, 'forbidden_scope');
  const adm2 = await api('POST', '/api/v1/accounts', as(office, { body: { ...body, login: `a-${tag()}`, grants: [{ role: 'admin', org_id: street }] } }));
  assert.equal(adm2.status, 403);
  // Update and list.
  const up = await api('PATCH', `/api/v1/accounts/${a.id}`, as(office, { body: { display_name: '改过的名字' } }));
  assert.equal(up.status, 200);
  assert.equal(up.json.display_name, '改过的名字');
  const list = await api('GET', `/api/v1/accounts?q=${encodeURIComponent(login_)}`, as(office));
  assert.deepEqual(list.json.items.map((x) => x.id), [a.id]);
  // Disable: sessions end, login fails; enable again.
  const s = await freshLogin(login_, 'acc-secret-123');
  const self = await api('PATCH', `/api/v1/accounts/${office.account.id}`, as(office, { body: { disabled: true } }));
  assert.equal(self.status, 422, 'nobody disables themselves');
  assert.equal((await api('PATCH', `/api/v1/accounts/${a.id}`, as(office, { body: { disabled: true } }))).status, 200);
  assert.equal((await api('GET', '/api/v1/session', as(s))).status, 401);
  const dl = await api('POST', '/api/v1/session', { body: { login: login_, password: 'acc-secret-123' } });
  assert.equal(dl.status, 401);
  assert.equal((await api('PATCH', `/api/v1/accounts/${a.id}`, as(office, { body: { disabled: false } }))).status, 200);
  // Reset the password (staff), old one fails only after the reset.
  const rs = await api('POST', `/api/v1/accounts/${a.id}/password`, as(office, { body: { new_password: 'acc-reset-456' } }));
  assert.equal(rs.status, 204);
  const s2 = await freshLogin(login_, 'acc-reset-456');
  assert.equal(s2.account.login, login_);
  const weak = await api('POST', `/api/v1/accounts/${a.id}/password`, as(office, { body: { new_password: 'x' } }));
  assert.equal(weak.status, 422);
  // The audit log has the account's life.
  const au = await listAll(`/api/v1/audit?resource=account&resource_id=${a.id}`, admin);
  const acts = au.map((e) => e.action);
  for (const x of ['create', 'grant', 'revoke', 'update', 'reset_password']) assert.ok(acts.includes(x), `audit has ${x}: ${acts}`);
  assert.ok(!JSON.stringify(au).includes('acc-reset-456') && !JSON.stringify(au).includes('argon2'), 'no passwords in the log');
});

test('people: validation, masking, derived fields, reveal, export, anonymise', async () => {
  // Born 1990-05-17, sequence 123 → odd 17th digit → male.
  const idn = makeId('19900517', 123, REGION);
  const phone = randomPhone();
  const name = `王测试-${tag()}`;
  const base = { name, org_id: comm, kinds: ['resident', 'volunteer'], skills: ['急救'] };
  const p = ok201(await api('POST', '/api/v1/people', as(office, { body: { ...base, id_number: idn, phone } })));
  assert.equal(p.gender, 'male');
  const today = new Date(clockNow() + 8 * 3600e3);	// the server's today in China
  let age = today.getUTCFullYear() - 1990;
  if (today.getUTCMonth() + 1 < 5 || (today.getUTCMonth() + 1 === 5 && today.getUTCDate() < 17)) age--;
  assert.equal(p.age, age);
  assert.equal(p.id_number_masked, `${idn.slice(0, 2)}${'*'.repeat(13)}${idn.slice(-3)}`);
  assert.equal(p.phone_masked, `${phone.slice(0, 3)}****${phone.slice(-4)}`);
  assert.ok(!JSON.stringify(p).includes(idn) && !JSON.stringify(p).includes(phone));
  const f17 = idn.slice(0, 17);
  const wrongCheck = f17 + (idCheck(f17) === '1' ? '2' : '1');
  const cases = [
    [{ id_number: wrongCheck }, 'id_number', 'id_check_digit'],
    [{ id_number: (() => { const f = `${REGION}19900230123`; return f + idCheck(f); })() }, 'id_number', 'id_birth_date'],
    [{ id_number: (() => { const f = `${REGION}20991231123`; return f + idCheck(f); })() }, 'id_number', 'id_birth_date'],
    [{ id_number: '12345' }, 'id_number', 'id_length'],
    [{ id_number: `${f17.slice(0, 16)}A${idCheck(f17)}` }, 'id_number', 'id_chars'],
    [{ phone: '12345678901' }, 'phone', 'invalid_phone'],
    [{ phone: '1381234567' }, 'phone', 'invalid_phone'],
    [{ kinds: ['alien'] }, 'kinds', 'invalid'],
  ];
  for (const [extra, field, code] of cases) {
    const r = await api('POST', '/api/v1/people', as(office, { body: { ...base, ...extra } }));
    assert.equal(r.status, 422, `${JSON.stringify(extra)}: ${r.text}`);
    assert.equal(errorOf(r).fields[0].field, field);
    assert.equal(errorOf(r).fields[0].code, code, JSON.stringify(extra));
  }
  // A lower-case x check digit is the same ID.
  const dup = await api('POST', '/api/v1/people', as(office, { body: { ...base, id_number: idn } }));
  assert.equal(dup.status, 409);
  assert.equal(errorOf(dup).code, 'duplicate');
  // Female from an even 17th digit; no phone → null mask.
  const fem = ok201(await api('POST', '/api/v1/people', as(office, { body: { name: `女-${tag()}`, org_id: comm, id_number: makeId('19800229', 124, REGION) } })));
  assert.equal(fem.gender, 'female');
  assert.equal(fem.phone_masked, null);
  // List (masked) and search.
  const l = await api('GET', `/api/v1/people?q=${encodeURIComponent(name)}`, as(office));
  assert.equal(l.json.items.length, 1);
  assert.equal(l.json.items[0].id_number_masked, p.id_number_masked);
  const vol = await listAll('/api/v1/people?kind=volunteer', office);
  assert.ok(vol.some((x) => x.id === p.id) && vol.every((x) => x.kinds.includes('volunteer')));
  // PATCH phone; audit has before/after masks only.
  const phone2 = randomPhone();
  const up = await api('PATCH', `/api/v1/people/${p.id}`, as(office, { body: { phone: phone2 } }));
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.phone_masked, `${phone2.slice(0, 3)}****${phone2.slice(-4)}`);
  const au = await api('GET', `/api/v1/audit?resource=person&resource_id=${p.id}&action=update`, as(admin));
  assert.equal(au.json.items[0].before.phone_masked, p.phone_masked);
  assert.equal(au.json.items[0].after.phone_masked, up.json.phone_masked);
  assert.ok(!au.text.includes(phone2) && !au.text.includes(idn), 'no clear values in the audit log');
  const badUp = await api('PATCH', `/api/v1/people/${p.id}`, as(office, { body: { phone: '999' } }));
  assert.equal(badUp.status, 422);
  // Reveal: full values.
  const s = await api('GET', `/api/v1/people/${p.id}/sensitive`, as(office));
  assert.equal(s.status, 200);
  assert.equal(s.json.id_number, idn);
  assert.equal(s.json.phone, phone2);
  assert.equal(s.json.birth_date, '1990-05-17');
  // Export.
  const ex = await api('GET', `/api/v1/people/${p.id}/export`, as(office));
  assert.equal(ex.status, 200);
  assert.match(ex.headers.get('content-disposition') || '', /attachment/);
  assert.equal(ex.json.format, 'wenming-person-export-v1');
  assert.equal(ex.json.person.id_number, idn);
  assert.equal(ex.json.person.name, name);
  assert.equal((await api('GET', `/api/v1/audit?resource=person&resource_id=${p.id}&action=export`, as(admin))).json.items.length, 1);
  // Anonymise.
  const an = await api('POST', `/api/v1/people/${p.id}/anonymise`, as(office));
  assert.equal(an.status, 200, an.text);
  assert.notEqual(an.json.name, name);
  assert.equal(an.json.phone_masked, null);
  assert.equal(an.json.id_number_masked, null);
  assert.equal(an.json.anonymised, true);
  const s2 = await api('GET', `/api/v1/people/${p.id}/sensitive`, as(office));
  assert.equal(s2.json.id_number, null);
  assert.equal(s2.json.phone, null);
  const ex2 = await api('GET', `/api/v1/people/${p.id}/export`, as(office));
  assert.ok(!ex2.text.includes(name) && !ex2.text.includes(idn) && !ex2.text.includes(phone2));
  assert.equal((await api('PATCH', `/api/v1/people/${p.id}`, as(office, { body: { name: 'x' } }))).status, 409);
  assert.equal((await api('GET', `/api/v1/people?q=${encodeURIComponent(name)}`, as(office))).json.items.length, 0);
  assert.equal((await api('GET', '/api/v1/people/99999999', as(office))).status, 404);
});

test('audit: filters, paging, admin only', async () => {
  const q = `审计标记-${tag()}`;
  const o = ok201(await mkOrg({ parent_id: street, kind: 'team', name: q }, office));
  const byQ = await api('GET', `/api/v1/audit?q=${encodeURIComponent(q)}`, as(admin));
  assert.equal(byQ.status, 200);
  assert.ok(byQ.json.items.length >= 1);
  assert.ok(byQ.json.items.every((e) => JSON.stringify(e).includes(q)));
  const e = byQ.json.items.find((x) => x.action === 'create');
  assert.equal(e.resource, 'org');
  assert.equal(String(e.resource_id), String(o.id));
  assert.equal(e.actor_login, 'office');
  assert.equal(e.actor_id, office.account.id);
  assert.match(e.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  const byActor = await api('GET', `/api/v1/audit?actor_id=${office.account.id}&limit=200`, as(admin));
  assert.ok(byActor.json.items.every((x) => x.actor_id === office.account.id));
  const byAction = await api('GET', '/api/v1/audit?action=login&limit=50', as(admin));
  assert.ok(byAction.json.items.length > 0 && byAction.json.items.every((x) => x.action === 'login'));
  const byRes = await api('GET', '/api/v1/audit?resource=person&limit=50', as(admin));
  assert.ok(byRes.json.items.every((x) => x.resource === 'person'));
  // The audit trail is stamped with the wall clock, not the test clock (docs/TESTING.md).
  const day = (d) => new Date(Date.now() + d * 86400e3).toISOString().slice(0, 10);
  assert.ok((await api('GET', `/api/v1/audit?from=${day(-2)}&limit=5`, as(admin))).json.items.length > 0);
  assert.equal((await api('GET', `/api/v1/audit?from=${day(2)}`, as(admin))).json.items.length, 0);
  assert.equal((await api('GET', `/api/v1/audit?to=${day(-2)}`, as(admin))).json.items.length, 0);
  assert.ok((await api('GET', `/api/v1/audit?from=${day(-1)}&to=${day(2)}&q=${encodeURIComponent(q)}`, as(admin))).json.items.length >= 1);
  assert.equal((await api('GET', '/api/v1/audit?from=yesterday', as(admin))).status, 422);
  // Paging: newest first, no duplicates across pages.
  const seen = [];
  let cursor = null;
  for (let i = 0; i < 4; i++) {
    const r = await api('GET', `/api/v1/audit?limit=5${cursor ? `&cursor=${cursor}` : ''}`, as(admin));
    assert.equal(r.status, 200);
    seen.push(...r.json.items.map((x) => x.id));
    cursor = r.json.next_cursor;
    assert.ok(cursor);
  }
  assert.equal(new Set(seen).size, 20);
  assert.deepEqual(seen, [...seen].sort((a, b) => b - a));
  for (const who of ['office', 'committee', 'resident']) assert.equal((await api('GET', '/api/v1/audit', as(await login(who)))).status, 403);
  // CSV export.
  const csv = await api('GET', `/api/v1/audit/export?q=${encodeURIComponent(q)}`, as(admin));
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') || '', /csv/);
  assert.ok(csv.text.includes(q));
});

// RFC 3339 with an offset (SPEC §11): 08:00+08:00 is 00:00Z.
test('audit: from/to with a UTC offset are compared as instants', async () => {
  const now = Date.now();
  const bj = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00';
  const recent = await api('GET', `/api/v1/audit?from=${encodeURIComponent(bj(now - 3600e3))}&limit=5`, as(admin));
  assert.equal(recent.status, 200);
  assert.ok(recent.json.items.length > 0, `from=${bj(now - 3600e3)} (an hour ago) finds nothing`);
  const future = await api('GET', `/api/v1/audit?to=${encodeURIComponent(bj(now - 3600e3))}&limit=5&action=logout`, as(admin));
  assert.ok(future.json.items.every((e) => Date.parse(e.at) < now - 3600e3), 'to= excludes newer entries');
});

test('Idempotency-Key: one object, replayed answer, other route → 422', async () => {
  const key = `k-${tag()}`;
  const name = `幂等队-${tag()}`;
  const body = { parent_id: street, kind: 'team', name };
  const r1 = await api('POST', '/api/v1/orgs', as(office, { body, headers: { 'Idempotency-Key': key } }));
  assert.equal(r1.status, 201);
  assert.equal(r1.headers.get('idempotent-replayed'), null);
  const r2 = await api('POST', '/api/v1/orgs', as(office, { body, headers: { 'Idempotency-Key': key } }));
  assert.equal(r2.status, 201);
  assert.equal(r2.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(r2.json, r1.json);
  assert.equal((await api('GET', `/api/v1/orgs?q=${encodeURIComponent(name)}`, as(admin))).json.items.length, 1);
  const other = await api('POST', '/api/v1/people', as(office, { body: { name: 'x', org_id: comm }, headers: { 'Idempotency-Key': key } }));
  assert.equal(other.status, 422);
  assert.equal(errorOf(other).code, 'idempotency_key_reused');
  // Keys are per account: the same key from admin creates its own.
  const r3 = await api('POST', '/api/v1/orgs', as(admin, { body, headers: { 'Idempotency-Key': key } }));
  assert.equal(r3.status, 201);
  assert.notEqual(r3.json.id, r1.json.id);
  // A failed request does not burn the key.
  const k2 = `k-${tag()}`;
  const bad = await api('POST', '/api/v1/orgs', as(office, { body: { ...body, kind: 'nope' }, headers: { 'Idempotency-Key': k2 } }));
  assert.equal(bad.status, 422);
  const good = await api('POST', '/api/v1/orgs', as(office, { body: { ...body, name: `${name}-2` }, headers: { 'Idempotency-Key': k2 } }));
  assert.equal(good.status, 201);
});

test('ETag on GET → If-None-Match → 304; changes give a new ETag', async () => {
  const o = ok201(await mkOrg({ parent_id: street, kind: 'team', name: `ETag-${tag()}` }));
  const g = await api('GET', `/api/v1/orgs/${o.id}`, as(admin));
  const etag = g.headers.get('etag');
  assert.match(etag, /^"[^"]+"$/);
  const nm = await api('GET', `/api/v1/orgs/${o.id}`, as(admin, { headers: { 'If-None-Match': etag } }));
  assert.equal(nm.status, 304);
  assert.equal(nm.text, '');
  const list = await api('GET', '/api/v1/people?limit=3', as(admin));
  assert.equal((await api('GET', '/api/v1/people?limit=3', as(admin, { headers: { 'If-None-Match': list.headers.get('etag') } }))).status, 304);
  await api('PATCH', `/api/v1/orgs/${o.id}`, as(admin, { body: { name: `ETag2-${tag()}` } }));
  const g2 = await api('GET', `/api/v1/orgs/${o.id}`, as(admin, { headers: { 'If-None-Match': etag } }));
  assert.equal(g2.status, 200);
  assert.notEqual(g2.headers.get('etag'), etag);
});

test('pagination: limit=2 walks all people without duplicates', async () => {
  const c = await login('committee');
  // Every page of 200 (people now also live in buildings: a 居委 has several hundred).
  const all = (await listAll('/api/v1/people', c, { limit: 200 })).map((p) => p.id);
  assert.ok(all.length > 4 && all.length < 2000, `${all.length} people`);
  const walked = [];
  let cursor = null;
  for (let i = 0; i < 1000; i++) {
    const r = await api('GET', `/api/v1/people?limit=2${cursor ? `&cursor=${cursor}` : ''}`, as(c));
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length <= 2);
    walked.push(...r.json.items.map((p) => p.id));
    cursor = r.json.next_cursor;
    if (!cursor) break;
  }
  assert.equal(new Set(walked).size, walked.length, 'no duplicates');
  assert.deepEqual(walked, all);
  const orgs = await listAll('/api/v1/orgs', admin, { limit: 7 });
  assert.equal(new Set(orgs.map((o) => o.id)).size, orgs.length);
  assert.equal(orgs.length, (await listAll('/api/v1/orgs', admin)).length);
  const accs = await listAll('/api/v1/accounts', admin, { limit: 3 });
  assert.equal(new Set(accs.map((o) => o.id)).size, accs.length);
});

test('operations: /healthz, /readyz, /metrics, /api/v1/openapi.json', async () => {
  const h = await api('GET', '/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.json.status, 'ok');
  const r = await api('GET', '/readyz');
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ready');
  const m = await api('GET', '/metrics');
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /^text\/plain/);
  const ms = parseMetrics(m.text);
  assert.ok(ms.some((x) => x.name === 'wenming_requests_total' && x.labels.route === 'ops_healthz' && x.labels.code === '2xx' && x.value >= 1));
  assert.ok(ms.some((x) => x.name === 'wenming_request_duration_seconds_bucket' && x.labels.le === '+Inf'));
  assert.match(m.text, /# TYPE wenming_request_duration_seconds histogram/);
  const doc = (await api('GET', '/api/v1/openapi.json')).json;
  assert.match(doc.openapi, /^3\./);
  // Every route of the routes table is in the document (and nothing else).
  const table = [...readFileSync(`${REPO}/src/api/routes.def`, 'utf8').matchAll(/^ROUTE\("(\w+)",\s*"([^"]+)",\s*(\w+)/gm)]
    .map(([, meth, path, fn]) => `${meth} ${path.replace('{*', '{')} ${fn}`).sort();
  const ops = (await routeList()).map((x) => `${x.method} ${x.path} ${x.operationId}`).sort();
  assert.deepEqual(ops, table);
  for (const x of await routeList()) if (!x.public) assert.ok(x.permission !== undefined);
});

test('web UI: index with CSP and gzip, assets with ETag/304, SPA fallback', async () => {
  const r = await api('GET', '/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  assert.match(r.text, /<!doctype html>/i);
  const csp = r.headers.get('content-security-policy') || '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  const gz = await rawRequest(rawHttp('GET', '/', { headers: { 'Accept-Encoding': 'gzip' } }));
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gunzipSync(gz.body).toString('utf8'), /<!doctype html>/i);
  const plain = await rawRequest(rawHttp('GET', '/'));
  assert.equal(plain.headers['content-encoding'], undefined);
  for (const a of ['/assets/app.js', '/assets/vue.esm-browser.prod.js']) {
    const x = await api('GET', a);
    assert.equal(x.status, 200, a);
    assert.match(x.headers.get('content-type'), /javascript/);
    const et = x.headers.get('etag');
    assert.ok(et, `${a} ETag`);
    const y = await api('GET', a, { headers: { 'If-None-Match': et } });
    assert.equal(y.status, 304, a);
    const v = await api('GET', `${a}?v=${encodeURIComponent(et.replace(/"/g, ''))}`);
    assert.match(v.headers.get('cache-control'), /immutable/);
  }
  assert.equal((await api('GET', '/assets/no-such-file.js')).status, 404);
  assert.equal((await api('GET', '/assets/index.html')).status, 404);
  for (const page of ['/orgs', '/people/12', '/login']) {
    const p = await api('GET', page);
    assert.equal(p.status, 200, page);
    assert.match(p.text, /<!doctype html>/i);
  }
  const apiMiss = await api('GET', '/api/v1/nothing-here');
  assert.equal(apiMiss.status, 404);
  errorOf(apiMiss);
  assert.equal((await api('POST', '/orgs')).status, 404);
});

test('categories and the working calendar', async () => {
  const list = await api('GET', '/api/v1/categories', as(await login('resident')));
  assert.equal(list.status, 200);
  assert.ok(list.json.items.length > 10);
  const one = await api('GET', `/api/v1/categories/${list.json.items[0].id}`, as(admin));
  assert.equal(one.status, 200);
  const code = `R${tag('').slice(-10)}`;
  const c = ok201(await api('POST', '/api/v1/categories', as(office, { body: { code, name: `测试类别-${tag()}`, deadline_amount: 3, deadline_unit: 'work_days' } })));
  assert.equal(c.code, code);
  const dup = await api('POST', '/api/v1/categories', as(office, { body: { code, name: 'x', deadline_amount: 3, deadline_unit: 'work_days' } }));
  assert.equal(dup.status, 422);
  const unit = await api('POST', '/api/v1/categories', as(office, { body: { code: `${code}x`.slice(0, 16), name: 'x', deadline_amount: 3, deadline_unit: 'fortnights' } }));
  assert.equal(unit.status, 422);
  const up = await api('PATCH', `/api/v1/categories/${c.id}`, as(office, { body: { deadline_amount: 5 } }));
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.deadline_amount, 5);
  assert.equal((await api('PATCH', `/api/v1/categories/${c.id}`, as(office, { body: { code: 'OTHER' } }))).status, 422);
  const csv = await api('GET', '/api/v1/categories/export', as(office));
  assert.equal(csv.status, 200);
  assert.ok(csv.text.includes(code));
  const imp = await api('POST', '/api/v1/categories/import', as(office, { body: csv.text, headers: { 'Content-Type': 'text/csv' } }));
  assert.equal(imp.status, 200, imp.text);
  assert.ok(imp.json.imported > 10);
  const cal = await api('GET', '/api/v1/calendar?year=2031', as(await login('handler')));
  assert.equal(cal.status, 200);
  assert.equal(cal.json.year, 2031);
  const day = await api('PUT', '/api/v1/calendar/days', as(office, { body: { date: '2031-10-08', kind: 'holiday', name: '测试假日' } }));
  assert.equal(day.status, 200, day.text);
  const badDay = await api('PUT', '/api/v1/calendar/days', as(office, { body: { date: '2031-02-30', kind: 'holiday' } }));
  assert.equal(badDay.status, 422);
  const hours = await api('PUT', '/api/v1/calendar/hours', as(office, { body: { work_start: cal.json.work_start, work_end: cal.json.work_end } }));
  assert.equal(hours.status, 200, hours.text);
  const badHours = await api('PUT', '/api/v1/calendar/hours', as(office, { body: { work_start: '25:00' } }));
  assert.equal(badHours.status, 422);
  const ci = await api('POST', '/api/v1/calendar/import', as(office, { body: '2031-10-09 holiday 测试\n2031-10-11 workday 调休\n', headers: { 'Content-Type': 'text/plain' } }));
  assert.equal(ci.status, 200, ci.text);
  assert.equal(ci.json.imported, 2);
  const days = (await api('GET', '/api/v1/calendar?year=2031', as(admin))).json.days;
  assert.ok(JSON.stringify(days).includes('2031-10-08') && JSON.stringify(days).includes('2031-10-11'));
});

test('problems, photos, notifications and the scheduler routes', async () => {
  const c = await login('committee');
  const res = await login('resident');
  const png = makePng(24, 18);
  const ph = await api('POST', '/api/v1/photos', as(res, { body: png, headers: { 'Content-Type': 'image/png' } }));
  assert.equal(ph.status, 201, ph.text);
  assert.equal(ph.json.width, 24);
  const img = await api('GET', `/api/v1/photos/${ph.json.id}`, as(res));
  assert.equal(img.status, 200);
  assert.match(img.headers.get('content-type'), /image\/jpeg/);
  const th = await api('GET', `/api/v1/photos/${ph.json.id}/thumb`, as(res));
  assert.equal(th.status, 200);
  assert.equal((await api('GET', `/api/v1/photos/${ph.json.id}`, as(await login('committee2')))).status, 404, 'not another community’s');
  const before = (await api('GET', '/api/v1/notifications?unread=true', as(c))).json.unread;
  const p = await api('POST', '/api/v1/problems', as(res, {
    body: { category: await categoryCode(), description: `楼下垃圾 ${tag()}`, org_id: comm, location: { lat: 31.21, lng: 121.55 }, photos: [ph.json.id] },
  }));
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.state, 'reported');
  assert.match(p.json.code, /^[A-Z]+-\d{4}-\d{6}$/);
  assert.equal((await api('GET', `/api/v1/problems/${p.json.id}`, as(res))).status, 200);
  assert.equal((await api('GET', `/api/v1/problems/${p.json.id}`, as(c))).status, 200);
  assert.equal((await api('GET', `/api/v1/problems/${p.json.id}`, as(await login('committee2')))).status, 404);
  const lst = await api('GET', '/api/v1/problems?state=reported&limit=10', as(c));
  assert.equal(lst.status, 200);
  assert.ok(lst.json.items.every((x) => x.state === 'reported'));
  const acc = await api('POST', `/api/v1/problems/${p.json.id}/actions`, as(c, { body: { action: 'accept', note: '受理' } }));
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.json.state, 'accepted');
  const again = await api('POST', `/api/v1/problems/${p.json.id}/actions`, as(c, { body: { action: 'accept' } }));
  assert.equal(again.status, 409, 'an illegal action answers 409');
  errorOf(again);
  // The committee was notified of the report.
  const n = await api('GET', '/api/v1/notifications?unread=true', as(c));
  assert.equal(n.status, 200);
  assert.ok(n.json.unread > before);
  const mine = n.json.items.find((x) => x.problem_id === p.json.id);
  assert.ok(mine, 'a notification about the new problem');
  assert.equal((await api('POST', `/api/v1/notifications/${mine.id}/read`, as(c))).status, 204);
  assert.equal((await api('POST', `/api/v1/notifications/${mine.id}/read`, as(res))).status, 404, 'not someone else’s');
  assert.equal((await api('POST', '/api/v1/notifications/read_all', as(c))).status, 204);
  assert.equal((await api('GET', '/api/v1/notifications', as(c))).json.unread, 0);
  const clock = await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: clockIso() } }));
  assert.equal(clock.status, 200, clock.text);
  const badClock = await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: 'tomorrow-ish' } }));
  assert.equal(badClock.status, 422);
  const tick = await api('POST', '/api/v1/system/tick', as(admin));
  assert.equal(tick.status, 200);
  assert.ok(Number.isInteger(tick.json.reminded) && Number.isInteger(tick.json.escalated));
});
