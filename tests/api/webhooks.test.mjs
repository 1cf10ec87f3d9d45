// webhooks.test.mjs — SPEC §11 webhooks (docs/WEBHOOKS.md) through the real
// binary and a real receiver: deliveries of problem and shift events signed
// with HMAC-SHA256 over "<timestamp>.<body>", retried with back-off after a
// failing answer (the test clock moves past the wait), given up when the
// receiver is unreachable and retried by hand, secret rotation, an inactive
// webhook receiving nothing, validation and deletion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { ensureServer, api, as, login, orgId, tag, categoryCode, errorOf, clockIso, clockNow } from './harness.mjs';
import { mkPost, addPattern, generate, shiftsOf, mkVolunteer, setClock, resetClock, tick } from './volunteer-fixtures.mjs';

await ensureServer();

let admin, office, comm, cat, receiver, hookUrl;
const got = [];		// { headers, raw, json }
let answer = () => 200;	// status the receiver answers with

before(async () => {
  admin = await login('admin');
  office = await login('office');
  comm = await orgId('由由第五居民区');
  cat = await categoryCode();
  receiver = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      let json = null;
      try { json = JSON.parse(raw); } catch { /* kept as raw */ }
      got.push({ headers: req.headers, raw, json, method: req.method, url: req.url });
      res.writeHead(answer(json));
      res.end('ok');
    });
  });
  await new Promise((res) => receiver.listen(0, '127.0.0.1', res));
  hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
});
after(async () => {
  await resetClock();
  const list = await api('GET', '/api/v1/webhooks', as(admin));
  for (const w of list.json?.items || []) await api('DELETE', `/api/v1/webhooks/${w.id}`, as(admin));
  await new Promise((res) => receiver.close(res));
});

async function waitFor(pred, label, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const hit = got.find(pred);
    if (hit) return hit;
    if (Date.now() > end) throw new Error(`${label}: not received within ${ms} ms; got ${got.map((g) => g.json?.event).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
async function waitDelivery(hook, id, pred, label, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const r = await api('GET', `/api/v1/webhooks/${hook}/deliveries?limit=200`, as(admin));
    assert.equal(r.status, 200, r.text);
    const d = r.json.items.find((x) => x.id === id);
    if (d && pred(d)) return d;
    if (Date.now() > end) throw new Error(`${label}: delivery ${id} is ${JSON.stringify(d)}`);
    await new Promise((res) => setTimeout(res, 150));
  }
}
const verify = (g, secret) => {
  const ts = g.headers['x-wenming-timestamp'];
  const want = crypto.createHmac('sha256', secret).update(`${ts}.${g.raw}`).digest('hex');
  return g.headers['x-wenming-signature'] === `sha256=${want}`;
};
const report = async (desc) => {
  const r = await api('POST', '/api/v1/problems', as(office, { body: { category: cat, description: desc, org_id: comm, location: { lat: 31.2, lng: 121.5 } } }));
  assert.equal(r.status, 201, r.text);
  return r.json;
};

let hook, secret;

test('a webhook is created with a secret shown once; a report is delivered signed', async () => {
  const r = await api('POST', '/api/v1/webhooks', as(admin, { body: { name: `钉钉群-${tag()}`, url: hookUrl, events: ['problem.*', 'shift.*'] } }));
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.secret, /^whsec_[A-Za-z0-9_-]{20,}$/);
  assert.deepEqual(r.json.events, ['problem.*', 'shift.*']);
  assert.equal(r.json.active, true);
  hook = r.json.id;
  secret = r.json.secret;
  const again = await api('GET', `/api/v1/webhooks/${hook}`, as(admin));
  assert.equal(again.status, 200);
  assert.ok(!('secret' in again.json) && !('secret_enc' in again.json) && !again.text.includes(secret), 'the secret is shown once');
  const listed = await api('GET', '/api/v1/webhooks', as(admin));
  assert.ok(!listed.text.includes('secret'), 'no secret in the list');

  const p = await report(`推送测试 ${tag()}`);
  const g = await waitFor((x) => x.json?.event === 'problem.report' && x.json.problem?.code === p.code, 'problem.report');
  assert.equal(g.method, 'POST');
  assert.ok(verify(g, secret), 'signature verifies with the secret');
  assert.ok(!verify(g, 'whsec_wrong'), 'and not with another');
  assert.equal(g.headers['x-wenming-event'], 'problem.report');
  assert.equal(g.headers['x-wenming-delivery'], String(g.json.id));
  assert.match(g.headers['content-type'], /^application\/json/);
  assert.ok(Math.abs(Number(g.headers['x-wenming-timestamp']) - Date.now() / 1000) < 60);
  assert.equal(g.json.problem.id, p.id);
  assert.equal(g.json.action.action, 'report');
  assert.equal(g.json.action.to_state, 'reported');
  assert.match(g.json.text, new RegExp(`问题 ${p.code}.*新上报`));
  assert.ok(!g.raw.includes('推送测试'), 'no description (free text may hold personal data)');
  // A workflow action follows as its own event.
  const acc = await api('POST', `/api/v1/problems/${p.id}/actions`, as(office, { body: { action: 'accept' } }));
  assert.equal(acc.status, 200, acc.text);
  const a = await waitFor((x) => x.json?.event === 'problem.accept' && x.json.problem?.id === p.id, 'problem.accept');
  assert.equal(a.json.action.from_state, 'reported');
  assert.equal(a.json.problem.state, 'accepted');
  const d = await waitDelivery(hook, a.json.id, (x) => x.state === 'delivered', 'accept delivered');
  assert.equal(d.attempts, 1);
  assert.equal(d.last_status, 200);
  assert.equal(d.problem_id, p.id);
});

test('a failing receiver is retried after the back-off; a delivered one cannot be retried', async () => {
  let fails = 1;
  answer = (j) => (j?.event === 'ping' && fails-- > 0 ? 500 : 200);
  const ping = await api('POST', `/api/v1/webhooks/${hook}/ping`, as(admin));
  assert.equal(ping.status, 202, ping.text);
  const id = ping.json.id;
  const first = await waitDelivery(hook, id, (x) => x.attempts === 1, 'first attempt');
  assert.equal(first.state, 'pending');
  assert.equal(first.last_status, 500);
  assert.equal(first.last_error, 'HTTP 500');
  const wait = (Date.parse(first.next_at) - clockNow()) / 1000;
  assert.ok(wait > 50 && wait < 70, `retried in about a minute, not ${wait} s`);
  // Nothing happens before the wait is over …
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await waitDelivery(hook, id, () => true, 'still')).attempts, 1);
  // … and the retry comes once the clock has passed it.
  await setClock(new Date(clockNow() + 61000).toISOString());
  const done = await waitDelivery(hook, id, (x) => x.state === 'delivered', 'retried');
  assert.equal(done.attempts, 2);
  assert.equal(done.last_error, null);
  await resetClock();
  assert.equal(got.filter((g) => g.json?.id === id).length, 2, 'sent twice, same delivery id');
  answer = () => 200;
  const again = await api('POST', `/api/v1/webhook-deliveries/${id}/retry`, as(admin));
  assert.equal(again.status, 409);
  assert.equal(errorOf(again).code, 'already_delivered');
  assert.equal((await api('POST', '/api/v1/webhook-deliveries/999999999/retry', as(admin))).status, 404);
});

test('an unreachable receiver: the error is recorded, a retry by hand sends it again', async () => {
  const dead = await api('POST', '/api/v1/webhooks', as(admin, { body: { name: `断线-${tag()}`, url: 'http://127.0.0.1:9/nothing', events: ['problem.close'] } }));
  assert.equal(dead.status, 201, dead.text);
  const ping = await api('POST', `/api/v1/webhooks/${dead.json.id}/ping`, as(admin));
  const d = await waitDelivery(dead.json.id, ping.json.id, (x) => x.attempts === 1, 'attempted');
  assert.equal(d.state, 'pending');
  assert.equal(d.last_status, null);
  assert.ok(d.last_error && d.last_error.length > 3, d.last_error);
  // Point it at the receiver and retry by hand: delivered at once.
  const fix = await api('PATCH', `/api/v1/webhooks/${dead.json.id}`, as(admin, { body: { url: hookUrl } }));
  assert.equal(fix.status, 200, fix.text);
  assert.equal(fix.json.url, hookUrl);
  const retry = await api('POST', `/api/v1/webhook-deliveries/${ping.json.id}/retry`, as(admin));
  assert.equal(retry.status, 200, retry.text);
  assert.equal(retry.json.state, 'pending');
  await waitDelivery(dead.json.id, ping.json.id, (x) => x.state === 'delivered', 'delivered after the fix');
  const failedOnly = await api('GET', `/api/v1/webhooks/${dead.json.id}/deliveries?state=failed`, as(admin));
  assert.deepEqual(failedOnly.json.items, []);
  assert.equal((await api('DELETE', `/api/v1/webhooks/${dead.json.id}`, as(admin))).status, 204);
  assert.equal((await api('GET', `/api/v1/webhooks/${dead.json.id}`, as(admin))).status, 404);
  assert.equal((await api('GET', `/api/v1/webhooks/${dead.json.id}/deliveries`, as(admin))).status, 404);
});

test('shift events: a sign-up and its cancellation are delivered', async () => {
  const post = await mkPost(office, comm);
  await addPattern(office, post.id, '07:30', '09:30', 1);
  await generate(office, post.id, '2025-03-05', 1);
  const [shift] = await shiftsOf(office, post.id, '2025-03-05', '2025-03-05T23:59:59+08:00');
  await setClock('2025-03-01T10:00:00+08:00');
  const v = await mkVolunteer(office, comm);
  const s = await api('POST', `/api/v1/shifts/${shift.id}/signup`, as(office, { body: { volunteer_id: v.id } }));
  assert.equal(s.status, 201, s.text);
  const g = await waitFor((x) => x.json?.event === 'shift.signup.confirmed' && x.json.signup?.id === s.json.id, 'signup');
  assert.ok(verify(g, secret));
  assert.equal(g.json.signup.shift_id, shift.id);
  assert.equal(g.json.signup.start_at, '2025-03-05T07:30:00+08:00');
  assert.match(g.json.text, /值班.*03-05 07:30.*报名成功/);
  const c = await api('POST', `/api/v1/signups/${s.json.id}/cancel`, as(office));
  assert.equal(c.status, 200, c.text);
  await waitFor((x) => x.json?.event === 'shift.signup.cancelled' && x.json.signup?.id === s.json.id, 'cancel');
  await resetClock();
});

test('rotating the secret signs with the new one; an inactive webhook gets nothing', async () => {
  const rot = await api('POST', `/api/v1/webhooks/${hook}/secret`, as(admin));
  assert.equal(rot.status, 200, rot.text);
  assert.notEqual(rot.json.secret, secret);
  const p = await report(`轮换 ${tag()}`);
  const g = await waitFor((x) => x.json?.event === 'problem.report' && x.json.problem?.id === p.id, 'after rotation');
  assert.ok(verify(g, rot.json.secret) && !verify(g, secret));
  secret = rot.json.secret;
  const off = await api('PATCH', `/api/v1/webhooks/${hook}`, as(admin, { body: { active: false } }));
  assert.equal(off.json.active, false);
  const before_ = (await api('GET', `/api/v1/webhooks/${hook}/deliveries?limit=200`, as(admin))).json.items.length;
  const q = await report(`停用 ${tag()}`);
  await new Promise((r) => setTimeout(r, 2500));
  assert.ok(!got.some((x) => x.json?.problem?.id === q.id), 'nothing sent while inactive');
  assert.equal((await api('GET', `/api/v1/webhooks/${hook}/deliveries?limit=200`, as(admin))).json.items.length, before_, 'nothing queued');
  // Only the events subscribed to are queued.
  const only = await api('PATCH', `/api/v1/webhooks/${hook}`, as(admin, { body: { active: true, events: ['problem.accept'] } }));
  assert.deepEqual(only.json.events, ['problem.accept']);
  const x = await report(`只订阅立案 ${tag()}`);
  await api('POST', `/api/v1/problems/${x.id}/actions`, as(office, { body: { action: 'accept' } }));
  await waitFor((y) => y.json?.event === 'problem.accept' && y.json.problem?.id === x.id, 'accept only');
  assert.ok(!got.some((y) => y.json?.event === 'problem.report' && y.json.problem?.id === x.id), 'report not subscribed');
});

// The store's C writes the outbox (schema 019 dropped the triggers): every
// shift event kind is queued, each once, for a webhook subscribed to shift.*.
test('every shift event kind is queued once: waitlisted, promoted, cancelled, no-show, shift cancelled', async () => {
  const w = await api('POST', '/api/v1/webhooks', as(admin, { body: { name: `班次-${tag()}`, url: hookUrl, events: ['shift.*'] } }));
  assert.equal(w.status, 201, w.text);
  const post = await mkPost(office, comm);
  await addPattern(office, post.id, '07:30', '09:30', 1);
  await generate(office, post.id, '2025-03-12', 2);
  const [s1, s2] = await shiftsOf(office, post.id, '2025-03-12', '2025-03-13T23:59:59+08:00');
  await setClock('2025-03-10T10:00:00+08:00');
  const [v1, v2] = [await mkVolunteer(office, comm), await mkVolunteer(office, comm)];
  const a = await api('POST', `/api/v1/shifts/${s1.id}/signup`, as(office, { body: { volunteer_id: v1.id } }));
  const b = await api('POST', `/api/v1/shifts/${s1.id}/signup`, as(office, { body: { volunteer_id: v2.id } }));
  assert.equal(a.json.status, 'confirmed', a.text);
  assert.equal(b.json.status, 'waitlisted', b.text);
  assert.equal((await api('POST', `/api/v1/signups/${a.json.id}/cancel`, as(office))).status, 200);
  const c = await api('POST', `/api/v1/shifts/${s2.id}/signup`, as(office, { body: { volunteer_id: v1.id } }));
  assert.equal(c.status, 201, c.text);
  assert.equal((await api('POST', `/api/v1/shifts/${s2.id}/cancel`, as(office))).status, 200);
  assert.equal((await api('POST', `/api/v1/shifts/${s2.id}/cancel`, as(office))).status, 409);
  await setClock('2025-03-12T12:00:00+08:00');	// s1 is over and v2 never checked in
  await tick();
  const items = (await api('GET', `/api/v1/webhooks/${w.json.id}/deliveries?limit=200`, as(admin))).json.items;
  const of = (pred) => items.filter(pred).map((d) => d.event).sort();
  assert.deepEqual(of((d) => d.signup_id === a.json.id), ['shift.signup.cancelled', 'shift.signup.confirmed']);
  assert.deepEqual(of((d) => d.signup_id === b.json.id), ['shift.attendance.no_show', 'shift.signup.promoted', 'shift.signup.waitlisted']);
  assert.deepEqual(of((d) => d.shift_id === s2.id && !d.signup_id), ['shift.cancelled']);
  assert.ok(items.every((d) => d.shift_id === s1.id || d.shift_id === s2.id), 'only this post\'s shifts');
  await resetClock();
  await api('DELETE', `/api/v1/webhooks/${w.json.id}`, as(admin));
});

test('bad webhooks are refused with field errors and nothing is stored', async () => {
  const n = (await api('GET', '/api/v1/webhooks', as(admin))).json.items.length;
  const cases = [
    [{ name: 'x', url: 'ftp://example.org/x', events: ['*'] }, 'url'],
    [{ name: 'x', url: 'https://user:pw@example.org/x', events: ['*'] }, 'url'],
    [{ name: 'x', url: 'https://example.org/x', events: ['problem.*', 'problem.*'] }, 'events'],
    [{ name: 'x', url: 'https://example.org/x', events: ['task.*'] }, 'events'],
    [{ name: 'x', url: 'https://example.org/x', events: [] }, 'events'],
    [{ name: 'x', url: 'https://example.org/x', events: [1, 'problem.*'] }, 'events'],
    [{ name: 'x', url: 'https://example.org/x', events: [null] }, 'events'],
    [{ name: '', url: 'https://example.org/x', events: ['*'] }, 'name'],
    [{ url: 'https://example.org/x', events: ['*'] }, 'name'],
  ];
  for (const [body, field] of cases) {
    const r = await api('POST', '/api/v1/webhooks', as(admin, { body }));
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(errorOf(r).fields.some((f) => f.field === field), `${field}: ${r.text}`);
  }
  const st = await api('GET', `/api/v1/webhooks/${hook}/deliveries?state=lost`, as(admin));
  assert.equal(st.status, 422);
  const pb = await api('PATCH', `/api/v1/webhooks/${hook}`, as(admin, { body: { url: 'not a url' } }));
  assert.equal(pb.status, 422);
  assert.equal((await api('PATCH', '/api/v1/webhooks/999999999', as(admin, { body: { name: 'y' } }))).status, 404);
  assert.equal((await api('GET', '/api/v1/webhooks', as(admin))).json.items.length, n);
  assert.equal((await api('GET', '/api/v1/webhooks', as(office))).status, 403);
});
