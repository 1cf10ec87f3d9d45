// password-policy.test.mjs — review 2026-12-07 #13: the review's weak
// passwords and other trivial ones answer 422 with a field error
// `weak_password` on every route that sets a password; staff accounts need
// 12 characters; the demo password stays good on a demo database.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, freshLogin, errorOf, orgId, tag } from './harness.mjs';

await ensureServer();

let admin, comm;
const WEAK = ['12345678', 'aaaaaaaa', 'password', '        ', 'abcdefgh', '87654321', 'qwerty2026', 'woaini1314', '12121212'];
const weakField = (r, field, what) => {
  assert.equal(r.status, 422, `${what}: ${r.status} ${r.text}`);
  const f = errorOf(r).fields.find((x) => x.field === field);
  assert.ok(f, `${what}: field ${field} in ${r.text}`);
  assert.equal(f.code, 'weak_password', what);
  assert.ok(f.message && f.message.length > 0, 'a message says why');
};
const body = (password, role = 'resident', extra = {}) => ({
  login: `pw-${tag()}`, display_name: '密码测试', password, grants: [{ role, org_id: comm }], ...extra,
});

before(async () => {
  admin = await login('admin');
  comm = await orgId('由由第五居民区');
});

test('account create refuses common and trivial passwords', async () => {
  for (const pw of WEAK) weakField(await api('POST', '/api/v1/accounts', as(admin, { body: body(pw) })), 'password', JSON.stringify(pw));
  // The login or the display name inside the password.
  const b = body('x');
  weakField(await api('POST', '/api/v1/accounts', as(admin, { body: { ...b, password: `${b.login}-2026` } })), 'password', 'contains login');
  weakField(await api('POST', '/api/v1/accounts', as(admin, { body: body('my Wang Fang 77', 'resident', { display_name: 'Wang Fang' }) })), 'password', 'contains name');
  // Staff need 12 characters; residents 8.
  weakField(await api('POST', '/api/v1/accounts', as(admin, { body: body('tree-lamp-9', 'committee') })), 'password', 'staff 11 chars');
  assert.equal((await api('POST', '/api/v1/accounts', as(admin, { body: body('tree-lamp-9') }))).status, 201);
  assert.equal((await api('POST', '/api/v1/accounts', as(admin, { body: body('tree-lamp-river-9', 'committee') }))).status, 201);
  // The demo password on a demo database (the demo logins use it).
  assert.equal((await api('POST', '/api/v1/accounts', as(admin, { body: body('wenming-demo', 'office') }))).status, 201);
});

test('password reset and change refuse them too', async () => {
  const b = body('river-stone-42');
  const a = await api('POST', '/api/v1/accounts', as(admin, { body: b }));
  assert.equal(a.status, 201, a.text);
  for (const pw of WEAK.slice(0, 4))
    weakField(await api('POST', `/api/v1/accounts/${a.json.id}/password`, as(admin, { body: { new_password: pw } })), 'new_password', `reset ${JSON.stringify(pw)}`);
  const s = await freshLogin(b.login, 'river-stone-42');
  for (const pw of WEAK.slice(0, 4))
    weakField(await api('POST', '/api/v1/session/password', as(s, { body: { old_password: 'river-stone-42', new_password: pw } })), 'new_password', `change ${JSON.stringify(pw)}`);
  assert.equal((await api('POST', '/api/v1/session/password', as(s, { body: { old_password: 'river-stone-42', new_password: 'maple-window-58' } }))).status, 204);
});
