// account-takeover.test.mjs — review 2026-12-07 #1: an account is changed
// (profile, disable, password reset, grants added or removed) only by someone
// whose scope covers *all* of its grants; only an admin touches an account
// holding admin; a grant is added to an account outside the caller's scope
// only when that account has no grants at all (adoption).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, errorOf, orgId, tag } from './harness.mjs';

await ensureServer();

let admin, office, committee, street, comm, comm2, otherStreet;
const ok201 = (r) => { assert.equal(r.status, 201, r.text); return r.json; };
// Refused: 403 forbidden_scope for an account the caller may see (one grant in
// its scope) but not change; 404 not_found for an account or grant outside its
// scope altogether (docs/API.md: out-of-scope objects read as missing).
const forbidden = (r, what) => {
  assert.ok(r.status === 403 || r.status === 404, `${what}: ${r.status} ${r.text}`);
  assert.equal(errorOf(r).code, r.status === 403 ? 'forbidden_scope' : 'not_found', what);
};
const mkAccount = async (grants, by = admin) => ok201(await api('POST', '/api/v1/accounts', as(by, {
  body: { login: `tk-${tag()}`, display_name: '接管测试', password: 'tk-secret-123', grants },
})));
// Every change route, tried by `who` on account `a`; each must be refused.
async function allRefused(who, a, label) {
  forbidden(await api('PATCH', `/api/v1/accounts/${a.id}`, as(who, { body: { disabled: true } })), `${label} disable`);
  forbidden(await api('PATCH', `/api/v1/accounts/${a.id}`, as(who, { body: { display_name: 'owned' } })), `${label} update`);
  forbidden(await api('POST', `/api/v1/accounts/${a.id}/password`, as(who, { body: { new_password: 'Office-0wns-admin!' } })), `${label} password`);
  forbidden(await api('POST', `/api/v1/accounts/${a.id}/grants`, as(who, { body: { role: 'resident', org_id: comm } })), `${label} add grant`);
  for (const g of a.grants)
    forbidden(await api('DELETE', `/api/v1/accounts/${a.id}/grants/${g.id}`, as(who)), `${label} remove grant ${g.role}`);
}

before(async () => {
  admin = await login('admin');
  office = await login('office');
  committee = await login('committee');
  street = await orgId('花木街道');
  comm = await orgId('由由第五居民区');
  comm2 = await orgId('梧桐居民区');
  const district = await orgId('浦东新区');
  otherStreet = ok201(await api('POST', '/api/v1/orgs', as(admin, { body: { parent_id: district, kind: 'street', name: `接管测试街道-${tag()}` } }))).id;
});

test('office cannot take over the admin account (the review’s recipe)', async () => {
  const adminId = admin.account.id;
  const a = (await api('GET', `/api/v1/accounts/${adminId}`, as(admin))).json;
  assert.ok(a.grants.some((g) => g.role === 'admin'));
  // Step 1 of the recipe: drop a harmless grant onto admin — refused now.
  forbidden(await api('POST', `/api/v1/accounts/${adminId}/grants`, as(office, { body: { role: 'resident', org_id: street } })), 'grant onto admin');
  // Step 2: even if admin held a grant in office's street, office is refused.
  const g = ok201(await api('POST', `/api/v1/accounts/${adminId}/grants`, as(admin, { body: { role: 'resident', org_id: street } })));
  try {
    const visible = await api('GET', `/api/v1/accounts/${adminId}`, as(office));
    assert.equal(visible.status, 200, 'office may see the account (one grant in its scope)');
    await allRefused(office, { id: adminId, grants: [g] }, 'office→admin');
    forbidden(await api('POST', `/api/v1/accounts/${adminId}/password`, as(office, { body: { new_password: 'Office-0wns-admin!' } })), 'reset');
    const s = await api('POST', '/api/v1/session', { body: { login: 'admin', password: 'Office-0wns-admin!' } });
    assert.equal(s.status, 401, 'the admin password was not changed');
  } finally {
    assert.equal((await api('DELETE', `/api/v1/accounts/${adminId}/grants/${g.id}`, as(admin))).status, 204);
  }
  assert.equal((await api('GET', `/api/v1/accounts/${adminId}`, as(admin))).json.disabled, false);
});

test('an account with an admin grant inside office’s street is still admin-only', async () => {
  const a = await mkAccount([{ role: 'committee', org_id: comm }, { role: 'admin', org_id: comm }]);
  await allRefused(office, a, 'office→local admin');
  // The admin may.
  assert.equal((await api('PATCH', `/api/v1/accounts/${a.id}`, as(admin, { body: { display_name: '管理员改' } }))).status, 200);
});

test('office vs an account with a grant in another street', async () => {
  const a = await mkAccount([{ role: 'committee', org_id: comm }, { role: 'office', org_id: otherStreet }]);
  assert.equal((await api('GET', `/api/v1/accounts/${a.id}`, as(office))).status, 200, 'visible: one grant in scope');
  await allRefused(office, a, 'office→two streets');
  // Once the outside grant is gone, office manages the account again.
  const outside = a.grants.find((g) => g.org_id === otherStreet);
  assert.equal((await api('DELETE', `/api/v1/accounts/${a.id}/grants/${outside.id}`, as(admin))).status, 204);
  assert.equal((await api('PATCH', `/api/v1/accounts/${a.id}`, as(office, { body: { display_name: '本街道' } }))).status, 200);
  assert.equal((await api('POST', `/api/v1/accounts/${a.id}/password`, as(office, { body: { new_password: 'tk-reset-456x' } }))).status, 204);
  ok201(await api('POST', `/api/v1/accounts/${a.id}/grants`, as(office, { body: { role: 'resident', org_id: comm2 } })));
});

test('office adopts an account without grants, not one held elsewhere', async () => {
  const bare = await mkAccount([]);
  forbidden(await api('PATCH', `/api/v1/accounts/${bare.id}`, as(office, { body: { display_name: 'x' } })), 'not yet in scope');
  ok201(await api('POST', `/api/v1/accounts/${bare.id}/grants`, as(office, { body: { role: 'volunteer', org_id: comm } })));
  assert.equal((await api('PATCH', `/api/v1/accounts/${bare.id}`, as(office, { body: { display_name: '已接收' } }))).status, 200);
  // Held by another street only: not visible, not adoptable.
  const held = await mkAccount([{ role: 'office', org_id: otherStreet }]);
  assert.equal((await api('GET', `/api/v1/accounts/${held.id}`, as(office))).status, 404, 'out of scope reads as missing');
  await allRefused(office, held, 'office→other street');
});

test('a 居委 account manages no accounts, least of all another 居委’s', async () => {
  const other = await mkAccount([{ role: 'committee', org_id: comm2 }]);
  for (const [m, p, body] of [
    ['PATCH', `/api/v1/accounts/${other.id}`, { disabled: true }],
    ['POST', `/api/v1/accounts/${other.id}/password`, { new_password: 'Committee-0wns!' }],
    ['POST', `/api/v1/accounts/${other.id}/grants`, { role: 'resident', org_id: comm }],
    ['DELETE', `/api/v1/accounts/${other.id}/grants/${other.grants[0].id}`, undefined],
  ]) {
    const r = await api(m, p, as(committee, body ? { body } : {}));
    assert.equal(r.status, 403, `committee ${m} ${p}: ${r.text}`);
  }
  assert.equal((await api('GET', `/api/v1/accounts/${other.id}`, as(admin))).json.disabled, false);
});
