// bank-transfer.test.mjs — 爱心银行 transfers to family members (issue 7):
// off by default (409 transfer_disabled); family links are asked for by
// login, approved by the 居委 within its subtree, revoked by either side;
// a transfer is one member → member 'transfer' entry; not family, overdraw
// and the monthly cap are refused with balances unchanged; the same
// Idempotency-Key posts once; 20 parallel transfers from one balance never
// overdraw and conserve the sum. The trial balance is zero after every test.
import { test, before, afterEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, freshLogin, orgId, errorOf, tag } from './harness.mjs';

await ensureServer();

let admin, office, committee, committee2, comm;

before(async () => {
  admin = await login('admin');
  office = await login('office');
  committee = await login('committee');
  committee2 = await login('committee2');
  comm = await orgId('由由第五居民区');
});
afterEach(async () => {
  const t = await api('GET', '/api/v1/bank/trial-balance', as(admin));
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.sum, 0, `the books sum to zero: ${t.text}`);
  assert.deepEqual(t.json.mismatches, []);
  assert.equal(t.json.balanced, true);
});
after(async () => {
  const r = await settings({ transfer_enabled: false, transfer_max_per_month: 200 });
  assert.equal(r.status, 200, r.text);
});

const settings = (body) => api('PUT', '/api/v1/settings/bank', as(admin, { body }));

async function member(org = comm) {
  const loginName = `xfer-${tag()}`;
  const a = await api('POST', '/api/v1/accounts', as(admin, {
    body: { login: loginName, display_name: '转赠测试', password: 'xfer-secret-123', grants: [{ role: 'resident', org_id: org }] },
  }));
  assert.equal(a.status, 201, a.text);
  const s = await freshLogin(loginName, 'xfer-secret-123');
  return { id: a.json.id, login: loginName, s };
}
async function give(m, points) {
  const r = await api('POST', '/api/v1/bank/awards', as(office, { body: { account_id: m.id, org_id: comm, points, reason: '转赠测试' } }));
  assert.equal(r.status, 201, r.text);
}
async function balance(m) {
  const r = await api('GET', '/api/v1/bank/me', as(m.s));
  assert.equal(r.status, 200, r.text);
  return r.json.balance;
}
async function link(a, b, relation = '子女') {
  return api('POST', '/api/v1/bank/family', as(a.s, { body: { login: b.login, relation } }));
}
// The link asked by a for b, as the 居委 sees it (the asker is not told an id).
async function pendingLink(a, b) {
  const items = (await api('GET', '/api/v1/bank/family?manage=1&state=pending', as(committee))).json.items;
  return items.find((x) => x.account_id === a.id && x.family_id === b.id);
}
async function family(a, b) {
  const l = await link(a, b);
  assert.equal(l.status, 202, l.text);
  assert.equal(l.json.state, 'requested');
  const p = await pendingLink(a, b);
  assert.equal(p.state, 'pending');
  const ap = await api('POST', `/api/v1/bank/family/${p.id}/approve`, as(committee));
  assert.equal(ap.status, 200, ap.text);
  assert.equal(ap.json.state, 'approved');
  return p.id;
}
const send = (from, to, amount, headers = {}) =>
  api('POST', '/api/v1/bank/transfers', as(from.s, { body: { to_account_id: to.id, amount, note: '给家人' }, headers }));

test('transfers are off by default: 409 transfer_disabled, nothing moves', async () => {
  const g = await api('GET', '/api/v1/settings/bank', as(admin));
  assert.equal(g.json.transfer_enabled, false);
  assert.equal(g.json.transfer_max_per_month, 200);
  const a = await member(), b = await member();
  await give(a, 50);
  await family(a, b);
  const r = await send(a, b, 10);
  assert.equal(r.status, 409, r.text);
  assert.equal(errorOf(r).code, 'transfer_disabled');
  assert.equal(await balance(a), 50);
  assert.equal(await balance(b), 0);
});

test('settings: transfer_enabled and transfer_max_per_month are validated and saved', async () => {
  for (const body of [{ transfer_enabled: 'yes' }, { transfer_max_per_month: 0 }, { transfer_max_per_month: '5' }, { transfer_max_per_month: 10000001 }]) {
    const r = await settings(body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
  }
  const c = await api('PUT', '/api/v1/settings/bank', as(committee, { body: { transfer_enabled: true } }));
  assert.equal(c.status, 403);
  const r = await settings({ transfer_enabled: true, transfer_max_per_month: 300 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.transfer_enabled, true);
  assert.equal(r.json.transfer_max_per_month, 300);
  assert.equal(r.json.points_per_hour, 10, 'other rules untouched');
  const m = await member();
  const me = (await api('GET', '/api/v1/bank/me', as(m.s))).json;
  assert.equal(me.rules.transfer_enabled, true);
  assert.equal((await settings({ transfer_max_per_month: 200 })).status, 200);
});

test('family links: by login, not yourself, no duplicates, 居委 approves within its subtree, either side revokes', async () => {
  const a = await member(), b = await member();
  const bad = await api('POST', '/api/v1/bank/family', as(a.s, { body: { login: a.login, relation: '本人' } }));
  assert.equal(bad.status, 422, bad.text);
  // Review 2026-12-07 #16: an unknown login, a known one and a pair already
  // asked for answer alike, and the answer names nobody.
  const none = await api('POST', '/api/v1/bank/family', as(a.s, { body: { login: `nobody-${tag()}`, relation: '子女' } }));
  const l = await link(a, b);
  const dup = await link(a, b);
  const rev = await link(b, a);
  for (const r of [none, l, dup, rev]) {
    assert.equal(r.status, 202, r.text);
    assert.deepEqual(Object.keys(r.json).sort(), ['login', 'relation', 'state']);
    assert.equal(r.json.state, 'requested');
    assert.ok(!r.text.includes('转赠测试'), 'no display name in the answer');
  }
  const officeLink = await api('POST', '/api/v1/bank/family', as(a.s, { body: { login: 'office', relation: '子女' } }));
  assert.equal(officeLink.status, 202);
  assert.ok(!officeLink.text.includes('文明办'), officeLink.text);
  const p = await pendingLink(a, b);
  assert.ok(p, 'the 居委 sees the pending link');
  // The asked side sees it (with the asker's login); the asker does not yet.
  const seen = (await api('GET', '/api/v1/bank/family', as(b.s))).json.items.find((x) => x.id === p.id);
  assert.equal(seen.other_login, a.login, 'the other side as seen from b');
  assert.equal(seen.state, 'pending');
  const mine = (await api('GET', '/api/v1/bank/family', as(a.s))).json.items;
  assert.equal(mine.length, 0, `the asker sees no unconfirmed link: ${JSON.stringify(mine)}`);
  assert.equal((await api('POST', `/api/v1/bank/family/${p.id}/approve`, as(a.s))).status, 403);
  const other = await api('POST', `/api/v1/bank/family/${p.id}/approve`, as(committee2));
  assert.equal(other.status, 404, `out of scope reads as missing: ${other.text}`);
  assert.ok(!(await api('GET', '/api/v1/bank/family?manage=1&state=pending', as(committee2))).json.items.some((x) => x.id === p.id));
  assert.equal((await api('GET', '/api/v1/bank/family?manage=1', as(a.s))).status, 403);
  assert.equal((await api('POST', `/api/v1/bank/family/${p.id}/approve`, as(committee))).status, 200);
  assert.equal((await api('POST', `/api/v1/bank/family/${p.id}/approve`, as(committee))).status, 409, 'not pending any more');
  // Confirmed: now the asker sees the link and the other side's name.
  const now = (await api('GET', '/api/v1/bank/family', as(a.s))).json.items.find((x) => x.id === p.id);
  assert.equal(now.other_login, b.login);
  assert.equal(now.other_name, '转赠测试');
  // A stranger cannot revoke; the family member can; twice is 409; then a new link may be asked.
  const c = await member();
  assert.equal((await api('POST', `/api/v1/bank/family/${p.id}/revoke`, as(c.s))).status, 404, 'a stranger’s link reads as missing');
  const rv = await api('POST', `/api/v1/bank/family/${p.id}/revoke`, as(b.s));
  assert.equal(rv.status, 200, rv.text);
  assert.equal(rv.json.state, 'revoked');
  assert.equal((await api('POST', `/api/v1/bank/family/${p.id}/revoke`, as(a.s))).status, 409);
  assert.equal((await link(a, b)).status, 202);
  const again = await pendingLink(a, b);
  assert.ok(again && again.id !== p.id, 'a new link was asked');
  assert.equal((await api('POST', `/api/v1/bank/family/${again.id}/revoke`, as(office))).status, 200, 'staff revoke');
  assert.equal((await api('POST', '/api/v1/bank/family/999999999/approve', as(committee))).status, 404);
});

test('a transfer to an approved family member moves points as one entry; others are refused', async () => {
  assert.equal((await settings({ transfer_enabled: true, transfer_max_per_month: 200 })).status, 200);
  const a = await member(), b = await member(), c = await member();
  await give(a, 100);
  // Not family (and a pending link is not enough).
  const nf = await send(a, c, 10);
  assert.equal(nf.status, 409, nf.text);
  assert.equal(errorOf(nf).code, 'not_family');
  assert.equal((await link(a, c)).status, 202);
  assert.equal(errorOf(await send(a, c, 10)).code, 'not_family');
  await family(a, b);
  const r = await send(a, b, 30);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.source_kind, 'transfer');
  assert.equal(r.json.amount, 30);
  assert.equal(r.json.balance, 70);
  assert.equal(await balance(a), 70);
  assert.equal(await balance(b), 30);
  const mb = (await api('GET', '/api/v1/bank/me', as(b.s))).json.items[0];
  assert.equal(mb.source_kind, 'transfer');
  assert.equal(mb.delta, 30);
  assert.match(mb.title, /^来自/);
  // Back the other way (the link is symmetric).
  assert.equal((await send(b, a, 5)).status, 201);
  assert.equal(await balance(a), 75);
  // Overdraw: refused, balances unchanged.
  const od = await send(a, b, 76);
  assert.equal(od.status, 409, od.text);
  assert.equal(errorOf(od).code, 'insufficient_points');
  assert.equal(await balance(a), 75);
  assert.equal(await balance(b), 25);
  // Bad input.
  for (const body of [{}, { to_account_id: b.id }, { to_account_id: b.id, amount: 0 }, { to_account_id: b.id, amount: -5 },
    { to_account_id: 'x', amount: 5 }, { to_account_id: b.id, amount: 1.5 }, { to_account_id: a.id, amount: 5 },
    { to_account_id: b.id, amount: 5, note: 'x'.repeat(201) }]) {
    const x = await api('POST', '/api/v1/bank/transfers', as(a.s, { body }));
    assert.equal(x.status, 422, `${JSON.stringify(body)}: ${x.text}`);
  }
  assert.equal(await balance(a), 75);
  // After a revoke, no more transfers.
  const links = (await api('GET', '/api/v1/bank/family', as(a.s))).json.items;
  const ab = links.find((x) => x.family_id === b.id && x.state === 'approved');
  assert.equal((await api('POST', `/api/v1/bank/family/${ab.id}/revoke`, as(a.s))).status, 200);
  assert.equal(errorOf(await send(a, b, 1)).code, 'not_family');
  // Hours are not touched (a member without a volunteer has none).
});

test('the monthly cap counts what was sent this month', async () => {
  assert.equal((await settings({ transfer_enabled: true, transfer_max_per_month: 50 })).status, 200);
  const a = await member(), b = await member();
  await give(a, 200);
  await family(a, b);
  assert.equal((await send(a, b, 40)).status, 201);
  const over = await send(a, b, 11);
  assert.equal(over.status, 409, over.text);
  assert.equal(errorOf(over).code, 'transfer_limit');
  assert.equal((await send(a, b, 10)).status, 201);
  assert.equal(errorOf(await send(a, b, 1)).code, 'transfer_limit');
  assert.equal(await balance(a), 150);
  assert.equal(await balance(b), 50);
  assert.equal((await settings({ transfer_max_per_month: 200 })).status, 200);
});

test('the same Idempotency-Key twice posts once', async () => {
  assert.equal((await settings({ transfer_enabled: true })).status, 200);
  const a = await member(), b = await member();
  await give(a, 100);
  await family(a, b);
  const key = `xfer-${tag()}`;
  const r1 = await send(a, b, 20, { 'Idempotency-Key': key });
  assert.equal(r1.status, 201, r1.text);
  const r2 = await send(a, b, 20, { 'Idempotency-Key': key });
  assert.equal(r2.status, 201);
  assert.equal(r2.headers.get('idempotent-replayed'), 'true');
  assert.equal(r2.json.id, r1.json.id);
  assert.equal(await balance(a), 80);
  assert.equal(await balance(b), 20);
});

test('20 parallel transfers from one balance never overdraw and the sum is conserved', async () => {
  assert.equal((await settings({ transfer_enabled: true, transfer_max_per_month: 100000 })).status, 200);
  const a = await member(), b = await member();
  await give(a, 100);
  await give(b, 3);
  await family(a, b);
  const rs = await Promise.all(Array.from({ length: 20 }, () => send(a, b, 7)));
  const ok = rs.filter((r) => r.status === 201).length;
  const refused = rs.filter((r) => r.status === 409 && errorOf(r).code === 'insufficient_points').length;
  assert.equal(ok, 14, rs.map((r) => r.status).join());
  assert.equal(refused, 6);
  assert.equal(await balance(a), 2);
  assert.equal(await balance(b), 3 + 98);
  assert.equal((await settings({ transfer_max_per_month: 200, transfer_enabled: false })).status, 200);
});
