// id-oracle.test.mjs — review 2026-12-07 #6: self-registration
// (POST /api/v1/volunteers/register) never tells whether an ID number is on
// file. The review's probe — a valid ID plus an invalid phone — answers the
// same field errors for an ID on file and one that is not; a complete
// registration with an ID on file is accepted and shown to the 居委 as
// possible_duplicate (never to the registrant); attempts are limited per
// account (429 + Retry-After). Staff registering a person still get
// `duplicate`: they are in scope, audited, and SPEC §2 keeps ID numbers unique.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, freshLogin, errorOf, orgId, tag, makeId, uniqueId, randomPhone } from './harness.mjs';

await ensureServer();

// A region code no other test file uses, so IDs of this file never clash with theirs.
const REGION = '310104';
let admin, committee, comm;
async function newAccount() {
  const name = `orc-${tag()}`;
  const a = await api('POST', '/api/v1/accounts', as(admin, { body: { login: name, display_name: '探测测试', password: 'orc-secret-123', grants: [{ role: 'resident', org_id: comm }] } }));
  assert.equal(a.status, 201, a.text);
  return freshLogin(name, 'orc-secret-123');
}
const reg = (s, body) => api('POST', '/api/v1/volunteers/register', as(s, { body: { name: '探测', org_id: comm, vtype: 'resident', ...body } }));

before(async () => {
  admin = await login('admin');
  committee = await login('committee');
  comm = await orgId('由由第五居民区');
});

test('the review’s probe: an ID on file and one not on file answer alike', async () => {
  const onFile = uniqueId(REGION);
  const p = await api('POST', '/api/v1/people', as(committee, { body: { name: '已登记', org_id: comm, id_number: onFile } }));
  assert.equal(p.status, 201, p.text);
  const s = await newAccount();
  const a = await reg(s, { id_number: onFile, phone: '0' });
  const b = await reg(s, { id_number: uniqueId(REGION), phone: '0' });
  assert.equal(a.status, 422);
  assert.equal(b.status, 422);
  const codes = (r) => errorOf(r).fields.map((f) => `${f.field}:${f.code}`).sort();
  assert.deepEqual(codes(a), codes(b));
  assert.deepEqual(codes(a), ['phone:invalid_phone']);
  assert.ok(!JSON.stringify(a.json).includes('duplicate'));
});

test('a registration with an ID on file is accepted and flagged for the 居委 only', async () => {
  const onFile = uniqueId(REGION);
  assert.equal((await api('POST', '/api/v1/people', as(committee, { body: { name: '原登记', org_id: comm, id_number: onFile } }))).status, 201);
  const s = await newAccount();
  const r = await reg(s, { id_number: onFile, phone: randomPhone() });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'pending');
  assert.ok(!('possible_duplicate' in r.json), 'the registrant is not told');
  const me = (await api('GET', '/api/v1/volunteers/me', as(s))).json.volunteer;
  assert.ok(!('possible_duplicate' in me));
  const staff = await api('GET', `/api/v1/volunteers/${r.json.id}`, as(committee));
  assert.equal(staff.json.possible_duplicate, true);
  assert.equal(staff.json.id_number_masked, `${onFile.slice(0, 2)}${'*'.repeat(13)}${onFile.slice(-3)}`, 'the ID is kept (sealed)');
  const list = await api('GET', '/api/v1/volunteers?status=pending&limit=200', as(committee));
  assert.equal(list.json.items.find((x) => x.id === r.json.id).possible_duplicate, true);
  // A fresh ID is not flagged.
  const s2 = await newAccount();
  const fresh = await reg(s2, { id_number: uniqueId(REGION), phone: randomPhone() });
  assert.equal(fresh.status, 201);
  assert.equal((await api('GET', `/api/v1/volunteers/${fresh.json.id}`, as(committee))).json.possible_duplicate, false);
});

test('self-registration attempts are limited per account', async () => {
  const s = await newAccount();
  for (let i = 1; i <= 10; i++) assert.equal((await reg(s, { id_number: uniqueId(REGION), phone: '0' })).status, 422, `try ${i}`);
  const r = await reg(s, { id_number: uniqueId(REGION), phone: '0' });
  assert.equal(r.status, 429);
  assert.equal(errorOf(r).code, 'too_many_attempts');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  // Another account is not affected.
  assert.equal((await reg(await newAccount(), { id_number: uniqueId(REGION), phone: '0' })).status, 422);
});

test('staff creating a person still see duplicate (in scope, audited)', async () => {
  const idn = uniqueId(REGION);
  assert.equal((await api('POST', '/api/v1/people', as(committee, { body: { name: '甲', org_id: comm, id_number: idn } }))).status, 201);
  const again = await api('POST', '/api/v1/people', as(committee, { body: { name: '乙', org_id: comm, id_number: idn } }));
  assert.ok([409, 422].includes(again.status), again.text);
  assert.ok(JSON.stringify(again.json).includes('duplicate'));
});
