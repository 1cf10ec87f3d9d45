// login-throttle.test.mjs — review 2026-12-07 #10 and the login half of #7:
// failures are counted per (source address, login) and per source across
// logins, with a progressive delay, so that others' failures never lock a
// correct password out from a source that is not itself failing; successful
// sign-ins of one account are limited per minute and its live sessions capped
// (the oldest end first). Sources are 127.0.0.x loopback addresses bound with
// node's http localAddress.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ensureServer, startServer, api, as, login, orgId, tag, baseUrl, PASSWORD } from './harness.mjs';

await ensureServer();

// POST /api/v1/session from a given local address → {status, headers, json}.
function loginFrom(from, body, base = baseUrl()) {
  const u = new URL(base);
  const data = JSON.stringify(body);
  return new Promise((res, rej) => {
    const req = http.request({
      host: u.hostname, port: u.port, path: '/api/v1/session', method: 'POST', localAddress: from,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
    }, (r) => {
      let t = '';
      r.setEncoding('utf8');
      r.on('data', (c) => { t += c; });
      r.on('end', () => { let json = null; try { json = JSON.parse(t); } catch { /* empty */ } res({ status: r.statusCode, headers: r.headers, json }); });
    });
    req.on('error', rej);
    req.end(data);
  });
}

let admin, comm;
const PW = 'throttle-Secret-71';
async function account() {
  const name = `th-${tag()}`;
  const r = await api('POST', '/api/v1/accounts', as(admin, { body: { login: name, display_name: '限流测试', password: PW, grants: [{ role: 'resident', org_id: comm }] } }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return name;
}

before(async () => {
  admin = await login('admin');
  comm = await orgId('由由第五居民区');
});

test('5 wrong passwords from one source do not lock the owner out at another', async () => {
  const victim = await account();
  for (let i = 1; i <= 5; i++) {
    const r = await loginFrom('127.0.0.7', { login: victim, password: `wrong-${i}-guess` });
    assert.equal(r.status, 401, `failure ${i}`);
  }
  // The attacking source waits (progressive delay, Retry-After in seconds).
  const again = await loginFrom('127.0.0.7', { login: victim, password: 'wrong-6-guess' });
  assert.equal(again.status, 429);
  assert.equal(again.json.error.code, 'too_many_attempts');
  const ra = Number(again.headers['retry-after']);
  assert.ok(ra >= 1 && ra <= 900, `Retry-After ${again.headers['retry-after']}`);
  // Even with the right password, that source waits: it is the one failing.
  assert.equal((await loginFrom('127.0.0.7', { login: victim, password: PW })).status, 429);
  // The owner at another address signs in at once.
  const ok = await loginFrom('127.0.0.8', { login: victim, password: PW });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  // And the same from the loopback address the rest of the suite uses.
  assert.equal((await loginFrom('127.0.0.1', { login: victim, password: PW })).status, 200);
});

test('the delay grows with each failure and is not a 15-minute lock', async () => {
  const victim = await account();
  for (let i = 1; i <= 4; i++)
    assert.equal((await loginFrom('127.0.0.9', { login: victim, password: `nope-${i}-guess` })).status, 401, `free try ${i}`);
  assert.equal((await loginFrom('127.0.0.9', { login: victim, password: 'nope-5-guess' })).status, 401, 'the fifth try is answered');
  const w1 = await loginFrom('127.0.0.9', { login: victim, password: PW });
  assert.equal(w1.status, 429);
  const ra = Number(w1.headers['retry-after']);
  assert.ok(ra >= 1 && ra <= 2, `a short first delay: ${ra}`);
  await new Promise((r) => setTimeout(r, (ra + 1) * 1000));
  // After the delay the right password works from the same source.
  assert.equal((await loginFrom('127.0.0.9', { login: victim, password: PW })).status, 200);
});

test('a source failing on many logins waits for all of them; others do not', async () => {
  const src = '127.0.0.10';
  const names = Array.from({ length: 21 }, () => `spray-${tag()}`);
  for (const n of names) assert.equal((await loginFrom(src, { login: n, password: 'Spray-2026!' })).status, 401, n);
  const victim = await account();
  const r = await loginFrom(src, { login: victim, password: PW });
  assert.equal(r.status, 429, 'password spraying slows the source down');
  assert.ok(Number(r.headers['retry-after']) >= 1);
  assert.equal((await loginFrom('127.0.0.11', { login: victim, password: PW })).status, 200);
});

test('successful sign-ins per account are limited; live sessions are capped (oldest end)', async () => {
  // A server of its own with the default bound: the shared one raises it
  // (every test file signs the demo accounts in again; harness.mjs).
  const srv = await startServer({ people: 0, env: { WENMING_LOGINS_PER_MINUTE: '' } });
  try {
    const tokens = [];
    for (let i = 0; i < 12; i++) {
      const r = await loginFrom('127.0.0.12', { login: 'resident', password: PASSWORD }, srv.url);
      assert.equal(r.status, 200, `login ${i + 1}`);
      tokens.push(r.json.token);
    }
    const r = await loginFrom('127.0.0.13', { login: 'resident', password: PASSWORD }, srv.url);
    assert.equal(r.status, 429);
    assert.equal(r.json.error.code, 'too_many_logins');
    const ra = Number(r.headers['retry-after']);
    assert.ok(ra >= 1 && ra <= 60, `Retry-After ${ra}`);
    // 12 sign-ins, at most 10 live sessions: the two oldest ended.
    const live = [];
    for (const t of tokens) live.push((await fetch(`${srv.url}/api/v1/session`, { headers: { Authorization: `Bearer ${t}` } })).status);
    assert.deepEqual(live, [401, 401, ...Array(10).fill(200)]);
  } finally {
    await srv.stop();
  }
});
