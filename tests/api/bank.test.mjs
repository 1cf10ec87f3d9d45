// bank.test.mjs — 爱心银行 (SPEC §6) through the real binary: awards are
// idempotent (the same source twice, the same Idempotency-Key twice, the
// award job run twice); an overdraw is refused with the balance unchanged;
// stock and per-person limits; cancel refunds as a new entry pointing at the
// redemption; fulfil needs the order's code; expiry as entries through the
// tick; scope and permission denials; bad input; ≥100 parallel redemptions
// against one balance and one stock. The trial balance is zero after every test.
import { test, before, afterEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, freshLogin, orgId, errorOf, tag, makePng, spotOf, clockIso, clockNow } from './harness.mjs';
import { volunteerAccount, setClock, resetClock, tick } from './volunteer-fixtures.mjs';

await ensureServer();

let admin, office, committee, committee2, comm, comm2;

before(async () => {
  admin = await login('admin');
  office = await login('office');
  committee = await login('committee');
  committee2 = await login('committee2');
  comm = await orgId('由由第五居民区');
  comm2 = await orgId('梧桐居民区');
});

afterEach(async () => {
  const t = await api('GET', '/api/v1/bank/trial-balance', as(admin));
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.sum, 0, `the books sum to zero: ${t.text}`);
  assert.deepEqual(t.json.mismatches, [], 'every balance equals its entries');
  assert.equal(t.json.balanced, true);
});
after(async () => {
  await api('PUT', '/api/v1/settings/bank', as(admin, { body: { expiry_days: 0 } }));
  await resetClock();
});

async function member(org = comm) {
  const loginName = `bank-${tag()}`;
  const a = await api('POST', '/api/v1/accounts', as(admin, {
    body: { login: loginName, display_name: '积分测试', password: 'bank-secret-123', grants: [{ role: 'resident', org_id: org }] },
  }));
  assert.equal(a.status, 201, a.text);
  const s = await freshLogin(loginName, 'bank-secret-123');
  return { id: a.json.id, s };
}
async function award(to, points, { key, who = office, org = comm } = {}) {
  const headers = key ? { 'Idempotency-Key': key } : {};
  return api('POST', '/api/v1/bank/awards', as(who, { body: { account_id: to.id, org_id: org, points, reason: '测试奖励' }, headers }));
}
async function balance(m) {
  const r = await api('GET', '/api/v1/bank/me', as(m.s));
  assert.equal(r.status, 200, r.text);
  return r.json.balance;
}
async function mkItem(body = {}, who = office) {
  const r = await api('POST', '/api/v1/bank/items', as(who, { body: { provider_id: comm, name: `测试物品-${tag()}`, cost: 30, stock: 10, ...body } }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}
async function item(id) {
  return (await api('GET', '/api/v1/bank/items?all=1', as(office))).json.items.find((i) => i.id === id);
}
const order = (m, itemId, headers = {}) => api('POST', '/api/v1/bank/orders', as(m.s, { body: { item_id: itemId }, headers }));

test('a manual award retried with the same Idempotency-Key posts once', async () => {
  const m = await member();
  const key = `award-${tag()}`;
  const a = await award(m, 40, { key });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.source_kind, 'manual');
  assert.equal(a.json.amount, 40);
  const b = await award(m, 40, { key });
  assert.equal(b.status, 201);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal(b.json.id, a.json.id);
  assert.equal(await balance(m), 40);
  // Parallel retries of one key still post once.
  const key2 = `award-${tag()}`;
  const rs = await Promise.all(Array.from({ length: 8 }, () => award(m, 5, { key: key2 })));
  assert.ok(rs.every((r) => r.status === 201), rs.map((r) => r.status).join());
  assert.equal(new Set(rs.map((r) => r.json.id)).size, 1);
  assert.equal(await balance(m), 45);
  const me = (await api('GET', '/api/v1/bank/me', as(m.s))).json;
  assert.equal(me.items.length, 2);
  assert.deepEqual(me.items.map((e) => e.delta), [5, 40]);
  assert.equal(me.items[1].title, '测试奖励');
  assert.match(me.items[0].created_at, /\+08:00$/);
});

test('an approved service record earns points once: the hook, the award job twice, the tick', async () => {
  const v = await volunteerAccount(comm, { approver: office });
  const rules = (await api('GET', '/api/v1/settings/bank', as(v.session))).json;
  assert.equal(rules.points_per_hour, 10);
  assert.equal(rules.transfer_enabled, false);
  assert.equal(rules.expiry_days, 0);
  const rec = await api('POST', '/api/v1/records', as(office, { body: { volunteer_id: v.volunteer.id, activity_name: '积分测试服务', service_date: '2025-03-01', hours: 2.5 } }));
  assert.equal(rec.status, 201, rec.text);
  const m = { s: v.session };
  assert.equal(await balance(m), 0, 'pending records earn nothing');
  const d = await api('POST', `/api/v1/records/${rec.json.id}/decision`, as(office, { body: { decision: 'approve' } }));
  assert.equal(d.status, 200, d.text);
  assert.equal(await balance(m), 25);
  for (let i = 0; i < 2; i++) {
    const run = await api('POST', '/api/v1/bank/award-run', as(office));
    assert.equal(run.status, 200, run.text);
  }
  await tick();
  assert.equal(await balance(m), 25, 'nothing awarded twice');
  const me = (await api('GET', '/api/v1/bank/me', as(m.s))).json;
  assert.equal(me.items.length, 1);
  assert.equal(me.items[0].source_kind, 'service_record');
  assert.equal(me.items[0].source_id, rec.json.id);
  // A correction earns only the increase; hours are untouched by points.
  const c = await api('POST', '/api/v1/records', as(office, { body: { volunteer_id: v.volunteer.id, activity_name: '积分测试服务', service_date: '2025-03-01', hours: 3, supersedes_id: rec.json.id } }));
  assert.equal(c.status, 201, c.text);
  assert.equal((await api('POST', `/api/v1/records/${c.json.id}/decision`, as(office, { body: { decision: 'approve' } }))).status, 200);
  assert.equal(await balance(m), 30);
  const hours = (await api('GET', '/api/v1/volunteers/me/records', as(v.session))).json.hours;
  assert.equal(hours, 3);
  // Redeeming does not touch hours.
  const it = await mkItem({ cost: 10 });
  assert.equal((await order(m, it.id)).status, 201);
  assert.equal((await api('GET', '/api/v1/volunteers/me/records', as(v.session))).json.hours, 3);
});

test('a service record dated after today (China date, app clock) is refused and earns nothing (coverage 10)', async () => {
  const v = await volunteerAccount(comm, { approver: office });
  const clock = (now) => api('PUT', '/api/v1/system/clock', as(admin, { body: { now } }));
  const rec = (date) => api('POST', '/api/v1/records', as(office, { body: { volunteer_id: v.volunteer.id, activity_name: '未来的服务', service_date: date, hours: 5 } }));
  try {
    // 00:30 in Shanghai is still the day before in UTC: "today" is the China date.
    assert.equal((await clock('2026-06-15T00:30:00+08:00')).status, 200);
    const future = await rec('2026-06-16');
    assert.equal(future.status, 422, future.text);
    assert.deepEqual(errorOf(future).fields.map((f) => [f.field, f.code]), [['service_date', 'future']]);
    const today = await rec('2026-06-15');
    assert.equal(today.status, 201, today.text);
    // A record already stored with a date after today cannot be approved yet.
    assert.equal((await clock('2026-06-14T12:00:00+08:00')).status, 200);
    const early = await api('POST', `/api/v1/records/${today.json.id}/decision`, as(office, { body: { decision: 'approve' } }));
    assert.equal(early.status, 422, early.text);
    assert.equal(errorOf(early).fields[0].field, 'service_date');
    const list = await api('GET', `/api/v1/records?volunteer_id=${v.volunteer.id}`, as(office));
    assert.equal(list.json.items.find((x) => x.id === today.json.id).status, 'pending');
    assert.equal(await balance({ s: v.session }), 0, 'nothing earned');
    assert.equal((await api('GET', '/api/v1/volunteers/me/records', as(v.session))).json.hours, 0);
  } finally {
    await clock(clockIso());
  }
});

test('a rejected record and a record of a volunteer without an account earn nothing', async () => {
  const v = await volunteerAccount(comm, { approver: office });
  const rec = await api('POST', '/api/v1/records', as(office, { body: { volunteer_id: v.volunteer.id, activity_name: '被驳回', service_date: '2025-03-02', hours: 4 } }));
  assert.equal((await api('POST', `/api/v1/records/${rec.json.id}/decision`, as(office, { body: { decision: 'reject' } }))).status, 200);
  assert.equal((await api('POST', '/api/v1/bank/award-run', as(office))).status, 200);
  assert.equal(await balance({ s: v.session }), 0);
});

test('a citizen tip (啄木鸟) earns points once when it is verified and closed; an inspector’s patrol earns nothing', async () => {
  const m = await member();
  const handler = await login('handler');
  const unit = (await api('GET', '/api/v1/orgs?q=锦绣前城物业', as(committee))).json.items.find((o) => o.kind === 'unit').id;
  const act = async (s, id, body) => {
    const r = await api('POST', `/api/v1/problems/${id}/actions`, as(s, { body }));
    assert.equal(r.status, 200, `${body.action}: ${r.text}`);
    return r.json;
  };
  const close = async (id) => {
    await act(committee, id, { action: 'dispatch', handler_org_id: unit });
    await act(handler, id, { action: 'acknowledge' });
    const ph = await api('POST', '/api/v1/photos', as(handler, { body: makePng(), headers: { 'Content-Type': 'image/png' } }));
    await act(handler, id, { action: 'rectify', photos: [ph.json.id], note: '已清理', location: await spotOf(handler, id) });
    assert.equal((await act(committee, id, { action: 'verify_pass' })).state, 'closed');
  };
  const report = async (who) => {
    const r = await api('POST', '/api/v1/problems', as(who, { body: { category: 'C0301', description: `积分啄木鸟 ${tag()}`, org_id: comm, location: { lat: 31.21, lng: 121.55 } } }));
    assert.equal(r.status, 201, r.text);
    await act(committee, r.json.id, { action: 'accept' });
    return r.json.id;
  };
  const tip = await report(m.s);	// a resident's report is a citizen tip
  assert.equal(await balance(m), 0, 'reported and accepted: not yet verified');
  await close(tip);
  assert.equal(await balance(m), 5);
  const me = (await api('GET', '/api/v1/bank/me', as(m.s))).json.items;
  assert.equal(me[0].source_kind, 'verified_tip');
  assert.equal(me[0].source_id, tip);
  // The award job afterwards (twice) finds nothing more to give.
  for (let i = 0; i < 2; i++) assert.equal((await api('POST', '/api/v1/bank/award-run', as(office))).status, 200);
  assert.equal(await balance(m), 5);
  // An inspector's report (a patrol) is work, not a tip.
  const inspector = { s: await login('inspector') };
  const had = await balance(inspector);
  const patrol = await report(inspector.s);
  await close(patrol);
  assert.equal((await api('POST', '/api/v1/bank/award-run', as(office))).status, 200);
  assert.equal(await balance(inspector), had);
  assert.equal(await balance(m), 5);
});

test('an attended activity earns points once (the tick, then the award job)', async () => {
  await setClock('2025-06-01T09:00:00+08:00');
  const a = await api('POST', '/api/v1/activities', as(committee, { body: {
    org_id: comm, title: `积分活动-${tag()}`, date: '2025-06-10', start: '09:00', end: '10:00', capacity: 5,
  } }));
  assert.equal(a.status, 201, a.text);
  const [occ] = (await api('GET', `/api/v1/shifts?activity_id=${a.json.id}&from=2025-06-01&to=2025-07-01`, as(committee))).json.items;
  const v = await volunteerAccount(comm, { approver: committee });
  const su = await api('POST', `/api/v1/shifts/${occ.id}/signup`, as(v.session, { body: {} }));
  assert.equal(su.status, 201, su.text);
  await setClock('2025-06-10T09:05:00+08:00');
  const att = await api('POST', `/api/v1/signups/${su.json.id}/attendance`, as(committee, { body: { action: 'checkin' } }));
  assert.equal(att.status, 200, att.text);
  await setClock('2025-06-10T11:00:00+08:00');
  const t = await tick();
  assert.ok(t.bank_awarded >= 1, JSON.stringify(t));
  const m = { s: v.session };
  assert.equal(await balance(m), 5);
  assert.equal((await api('POST', '/api/v1/bank/award-run', as(office))).status, 200);
  await tick();
  assert.equal(await balance(m), 5);
  const me = (await api('GET', '/api/v1/bank/me', as(m.s))).json.items;
  assert.equal(me.length, 1);
  assert.equal(me[0].source_kind, 'activity');
  assert.equal(me[0].created_at, '2025-06-10T10:00:00+08:00', 'dated when earned (the end of the activity)');
  await resetClock();
});

test('overdraw is refused with 409 insufficient_points; balance and stock unchanged', async () => {
  const m = await member();
  assert.equal((await award(m, 20)).status, 201);
  const it = await mkItem({ cost: 30, stock: 5 });
  const r = await order(m, it.id);
  assert.equal(r.status, 409, r.text);
  assert.equal(errorOf(r).code, 'insufficient_points');
  assert.equal(await balance(m), 20);
  assert.equal((await item(it.id)).stock, 5);
  // An account that never earned anything is refused too.
  const poor = await member();
  assert.equal(errorOf(await order(poor, it.id)).code, 'insufficient_points');
  assert.equal((await api('GET', '/api/v1/bank/me/orders', as(m.s))).json.items.length, 0);
});

test('redeem, stock and per-person limits; the order carries a code and a QR', async () => {
  const m = await member();
  assert.equal((await award(m, 200)).status, 201);
  const it = await mkItem({ cost: 30, stock: 3, limit_count: 2, limit_days: 30 });
  const a = await order(m, it.id);
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.status, 'placed');
  assert.match(a.json.code, /^LB[2-9A-HJ-NP-Z]{8}$/);
  assert.equal(a.json.balance, 170);
  assert.equal((await order(m, it.id)).status, 201);
  const lim = await order(m, it.id);
  assert.equal(lim.status, 409);
  assert.equal(errorOf(lim).code, 'limit_reached');
  const m2 = await member();
  assert.equal((await award(m2, 100)).status, 201);
  assert.equal((await order(m2, it.id)).status, 201);
  const oos = await order(m2, it.id);
  assert.equal(oos.status, 409);
  assert.equal(errorOf(oos).code, 'out_of_stock');
  assert.equal(await balance(m2), 70);
  assert.equal(await balance(m), 140);
  const qr = await api('GET', `/api/v1/bank/orders/${a.json.id}/qr.png`, as(m.s));
  assert.equal(qr.status, 200);
  assert.equal(qr.headers.get('content-type'), 'image/png');
  // Someone else's order: no QR, no cancel; it reads as missing (404).
  assert.equal((await api('GET', `/api/v1/bank/orders/${a.json.id}/qr.png`, as(m2.s))).status, 404);
  assert.equal((await api('POST', `/api/v1/bank/orders/${a.json.id}/cancel`, as(m2.s))).status, 404);
  const mine = (await api('GET', '/api/v1/bank/me/orders', as(m.s))).json.items;
  assert.equal(mine.length, 2);
  assert.equal(mine[0].item_name, it.name);
  // Retrying an order with the same key creates one order.
  const it2 = await mkItem({ cost: 10, stock: 5 });
  const key = `order-${tag()}`;
  const o1 = await order(m, it2.id, { 'Idempotency-Key': key });
  const o2 = await order(m, it2.id, { 'Idempotency-Key': key });
  assert.equal(o1.status, 201);
  assert.equal(o2.json.id, o1.json.id);
  assert.equal((await item(it2.id)).stock, 4);
  assert.equal(await balance(m), 130);
  // An inactive item cannot be ordered.
  assert.equal((await api('PATCH', `/api/v1/bank/items/${it2.id}`, as(office, { body: { active: false } }))).status, 200);
  const inact = await order(m, it2.id);
  assert.equal(inact.status, 422);
  assert.ok(!(await api('GET', '/api/v1/bank/items', as(m.s))).json.items.some((i) => i.id === it2.id));
});

test('cancel refunds as a new entry pointing at the redemption and returns the stock; fulfil needs the code', async () => {
  const m = await member();
  assert.equal((await award(m, 100)).status, 201);
  const it = await mkItem({ cost: 40, stock: 2 });
  const o = (await order(m, it.id)).json;
  assert.equal(await balance(m), 60);
  const c = await api('POST', `/api/v1/bank/orders/${o.id}/cancel`, as(m.s));
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.status, 'cancelled');
  assert.equal(await balance(m), 100);
  assert.equal((await item(it.id)).stock, 2);
  const me = (await api('GET', '/api/v1/bank/me', as(m.s))).json.items;
  assert.equal(me[0].source_kind, 'refund');
  assert.equal(me[0].delta, 40);
  assert.equal(me[0].reverses_id, me[1].id);
  assert.equal(me[1].source_kind, 'redemption');
  assert.equal(me[1].delta, -40);
  const again = await api('POST', `/api/v1/bank/orders/${o.id}/cancel`, as(m.s));
  assert.equal(again.status, 409);
  assert.equal(errorOf(again).code, 'order_closed');
  assert.equal(await balance(m), 100, 'a second cancel refunds nothing');
  // Fulfil: wrong code refused, right code (any case) accepted, then closed.
  const o2 = (await order(m, it.id)).json;
  const wrong = await api('POST', `/api/v1/bank/orders/${o2.id}/fulfil`, as(committee, { body: { code: 'LB22222222' } }));
  assert.equal(wrong.status, 409);
  assert.equal(errorOf(wrong).code, 'code_mismatch');
  const byCode = await api('GET', `/api/v1/bank/orders?code=${o2.code.toLowerCase()}`, as(committee));
  assert.equal(byCode.json.items.length, 1);
  assert.equal(byCode.json.items[0].id, o2.id);
  const f = await api('POST', `/api/v1/bank/orders/${o2.id}/fulfil`, as(committee, { body: { code: o2.code.toLowerCase() } }));
  assert.equal(f.status, 200, f.text);
  assert.equal(f.json.status, 'fulfilled');
  assert.equal(errorOf(await api('POST', `/api/v1/bank/orders/${o2.id}/cancel`, as(m.s))).code, 'order_closed');
  assert.equal(await balance(m), 60);
  const placed = await api('GET', '/api/v1/bank/orders?status=fulfilled&limit=200', as(office));
  assert.ok(placed.json.items.some((x) => x.id === o2.id));
});

test('scope: another 居委 cannot stock, award for or fulfil in this community; members cannot manage', async () => {
  const m = await member();
  const it = await mkItem({ cost: 10, stock: 3 });
  assert.equal((await award(m, 50)).status, 201);
  const o = (await order(m, it.id)).json;
  // Naming an org outside the scope in the body: 403 forbidden_scope (orgs
  // are public); an item or order of another 居委 in the path: 404, as missing.
  const cases = [
    await api('POST', '/api/v1/bank/items', as(committee2, { body: { provider_id: comm, name: '越权', cost: 1, stock: 1 } })),
    await award(m, 1000, { who: committee2, org: comm }),
  ];
  for (const r of cases) {
    assert.equal(r.status, 403, r.text);
    assert.equal(errorOf(r).code, 'forbidden_scope');
  }
  for (const r of [
    await api('PATCH', `/api/v1/bank/items/${it.id}`, as(committee2, { body: { stock: 100 } })),
    await api('POST', `/api/v1/bank/orders/${o.id}/fulfil`, as(committee2, { body: { code: o.code } })),
  ]) {
    assert.equal(r.status, 404, r.text);
    assert.equal(errorOf(r).code, 'not_found');
  }
  assert.ok(!(await api('GET', '/api/v1/bank/orders?limit=200', as(committee2))).json.items.some((x) => x.id === o.id));
  for (const [method, path, body] of [
    ['POST', '/api/v1/bank/items', { provider_id: comm, name: 'x', cost: 1, stock: 1 }],
    ['POST', '/api/v1/bank/awards', { account_id: m.id, org_id: comm, points: 1, reason: '自己给自己' }],
    ['POST', '/api/v1/bank/award-run'],
    ['GET', '/api/v1/bank/trial-balance'],
    ['PUT', '/api/v1/settings/bank', { points_per_hour: 1000 }],
  ]) {
    const r = await api(method, path, as(m.s, body ? { body } : {}));
    assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
  }
  assert.equal((await api('GET', '/api/v1/bank/trial-balance', as(office))).status, 403);
  assert.equal((await api('PUT', '/api/v1/settings/bank', as(committee, { body: { points_per_hour: 1 } }))).status, 403);
  assert.equal(await balance(m), 40);
  assert.equal((await item(it.id)).stock, 2);
  // committee2 awarding in its own community is fine.
  assert.equal((await award(m, 3, { who: committee2, org: comm2 })).status, 201);
  assert.equal(await balance(m), 43);
});

test('bad input: field errors, nothing posted', async () => {
  const m = await member();
  const bad = async (method, path, body, fields) => {
    const r = await api(method, path, as(office, { body }));
    assert.equal(r.status, 422, `${path} ${JSON.stringify(body)}: ${r.text}`);
    const got = errorOf(r).fields.map((f) => f.field);
    for (const f of fields) assert.ok(got.includes(f), `${f} in ${r.text}`);
  };
  await bad('POST', '/api/v1/bank/awards', { account_id: m.id, org_id: comm, points: 0, reason: '零分' }, ['points']);
  await bad('POST', '/api/v1/bank/awards', { account_id: m.id, org_id: comm, points: -5, reason: '负分' }, ['points']);
  await bad('POST', '/api/v1/bank/awards', { account_id: m.id, org_id: comm, points: 5 }, ['reason']);
  await bad('POST', '/api/v1/bank/awards', { account_id: 999999999, org_id: 999999999, points: 5, reason: '不存在' }, ['account_id', 'org_id']);
  await bad('POST', '/api/v1/bank/awards', { account_id: m.id, org_id: comm, points: 1.5, reason: '小数' }, ['points']);
  await bad('POST', '/api/v1/bank/items', { provider_id: comm, name: '', cost: 0, stock: -1 }, ['name', 'cost', 'stock']);
  await bad('POST', '/api/v1/bank/items', { provider_id: 999999999, name: 'x', cost: 1, stock: 1 }, ['provider_id']);
  await bad('PUT', '/api/v1/settings/bank', { points_per_hour: -1, expiry_days: 99999 }, ['points_per_hour', 'expiry_days']);
  const o = await api('POST', '/api/v1/bank/orders', as(m.s, { body: { item_id: 999999999 } }));
  assert.equal(o.status, 422);
  const q = await api('GET', '/api/v1/bank/orders?status=lost', as(office));
  assert.equal(q.status, 422);
  assert.equal((await api('GET', '/api/v1/bank/me?limit=0', as(m.s))).status, 422);
  assert.equal((await api('GET', '/api/v1/bank/orders/999999999/qr.png', as(m.s))).status, 404);
  assert.equal((await api('POST', '/api/v1/bank/orders/999999999/cancel', as(m.s))).status, 404);
  assert.equal(await balance(m), 0);
});

test('120 parallel redemptions against one balance and one stock: never negative, nothing created or lost', async () => {
  // Round 1: the stock runs out first (25 in stock, 1000 points at 10 each).
  const m = await member();
  assert.equal((await award(m, 1000)).status, 201);
  const it = await mkItem({ cost: 10, stock: 25 });
  let rs = await Promise.all(Array.from({ length: 120 }, () => order(m, it.id)));
  let ok = rs.filter((r) => r.status === 201).length;
  assert.ok(rs.every((r) => r.status === 201 || (r.status === 409 && errorOf(r).code === 'out_of_stock')), rs.map((r) => r.status).join());
  assert.equal(ok, 25);
  assert.equal((await item(it.id)).stock, 0);
  assert.equal(await balance(m), 1000 - 10 * ok);
  // Round 2: the balance runs out first (750 points at 40 each, 500 in stock).
  const it2 = await mkItem({ cost: 40, stock: 500 });
  rs = await Promise.all(Array.from({ length: 120 }, () => order(m, it2.id)));
  ok = rs.filter((r) => r.status === 201).length;
  assert.ok(rs.every((r) => r.status === 201 || (r.status === 409 && errorOf(r).code === 'insufficient_points')), rs.map((r) => r.status).join());
  assert.equal(ok, Math.floor(750 / 40));
  const bal = await balance(m);
  assert.equal(bal, 750 - 40 * ok);
  assert.ok(bal >= 0);
  assert.equal((await item(it2.id)).stock, 500 - ok);
  const mine = (await api('GET', '/api/v1/bank/me/orders', as(m.s))).json.items;
  assert.equal(mine.length, 25 + ok);
  assert.equal(new Set(mine.map((o) => o.code)).size, mine.length, 'codes are unique');
  // Parallel cancels of one order refund once.
  const one = mine[0];
  const cs = await Promise.all(Array.from({ length: 10 }, () => api('POST', `/api/v1/bank/orders/${one.id}/cancel`, as(m.s))));
  assert.equal(cs.filter((r) => r.status === 200).length, 1);
  assert.equal(await balance(m), bal + one.cost);
});

test('expiry (off by default) posts expiry entries through the tick, once per day', async () => {
  const m = await member();
  assert.equal((await award(m, 70)).status, 201);
  const it = await mkItem({ cost: 20, stock: 5 });
  assert.equal((await order(m, it.id)).status, 201);
  assert.equal(await balance(m), 50);
  await tick();
  assert.equal(await balance(m), 50, 'expiry is off by default');
  const s = await api('PUT', '/api/v1/settings/bank', as(office, { body: { expiry_days: 1 } }));
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.expiry_days, 1);
  await tick();
  assert.equal(await balance(m), 50, 'nothing is older than a day yet');
  await setClock(new Date(clockNow() + 3 * 86400000).toISOString());
  const t = await tick();
  assert.ok(t.bank_expired >= 1, JSON.stringify(t));
  assert.equal(await balance(m), 0);
  const me = (await api('GET', '/api/v1/bank/me', as(m.s))).json.items;
  assert.equal(me[0].source_kind, 'expiry');
  assert.equal(me[0].delta, -50);
  await tick();
  assert.equal((await api('GET', '/api/v1/bank/me', as(m.s))).json.items.length, me.length, 'a second run the same day changes nothing');
  assert.equal((await api('PUT', '/api/v1/settings/bank', as(office, { body: { expiry_days: 0 } }))).status, 200);
  await resetClock();
});

test('staff see per-org issuance and redemption and export the ledger as CSV; others cannot', async () => {
  const m = await member();
  assert.equal((await award(m, 60)).status, 201);
  const it = await mkItem({ cost: 25, stock: 3 });
  assert.equal((await order(m, it.id)).status, 201);
  const rep = await api('GET', '/api/v1/bank/report', as(office));
  assert.equal(rep.status, 200, rep.text);
  const issuer = rep.json.items.find((x) => x.kind === 'issuer' && x.org_id === comm);
  const provider = rep.json.items.find((x) => x.kind === 'provider' && x.org_id === comm);
  assert.ok(issuer && provider, rep.text.slice(0, 300));
  assert.equal(issuer.balance, issuer.in_points - issuer.out_points);
  assert.ok(issuer.out_points >= 60);
  assert.ok(provider.in_points >= 25);
  const csv = await api('GET', '/api/v1/bank/ledger.csv', as(office));
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.match(lines[0], /^分录号,时间,来源/);
  assert.ok(lines.some((l) => l.includes(',redemption,') && l.includes(',积分测试,')), 'the redemption is in the ledger');
  assert.equal((await api('GET', '/api/v1/bank/ledger.csv', as(committee))).status, 403);
  assert.equal((await api('GET', '/api/v1/bank/report', as(m.s))).status, 403);
});
