// http-limits.test.mjs — what one client may hold of the server (security
// review 2026-12-07 #4, #5) and HTTPS behind a trusted proxy (#19). A server
// of its own with tight limits, so the tests stay short and the shared
// server's clients (all on 127.0.0.1) are not affected:
//   40 connections in all, 20 per address, headers within 4 s, 24 MiB of
//   bodies per address; 127.0.0.3 is a trusted proxy.
// Loopback addresses other than 127.0.0.1 (127.0.0.2 …) reach the server on
// 127.0.0.1 as different clients.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { startServer, PASSWORD } from './harness.mjs';

const MAX = 40, PER_IP = 20, HEADER_S = 4, BUDGET_MB = 24;
let srv, HOST, PORT;
before(async () => {
  srv = await startServer({ people: 0, env: {
    WENMING_MAX_CONNECTIONS: String(MAX), WENMING_PER_IP_CONNECTIONS: String(PER_IP), WENMING_HEADER_TIMEOUT: String(HEADER_S),
    WENMING_BODY_BUDGET_PER_IP_MB: String(BUDGET_MB), WENMING_TRUSTED_PROXIES: '127.0.0.3',
  } });
  const u = new URL(srv.url);
  HOST = u.hostname; PORT = Number(u.port);
});
after(async () => { if (srv) await srv.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${srv.child.pid}/status`, 'utf8'))[1]);

// One request over node:http from a given local address → {status, headers, body, ms}.
function request(localAddress, method, path, { headers = {}, body } = {}) {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port: PORT, localAddress, method, path, agent: false,
      headers: { Connection: 'close', ...headers } }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts).toString(), ms: Date.now() - t0 }));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`timeout ${method} ${path}`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

// A socket from localAddress; resolves once connected, with .gone tracking.
function open(localAddress) {
  return new Promise((resolve) => {
    const s = net.connect({ host: HOST, port: PORT, localAddress });
    s.gone = false;
    s.got = [];
    s.on('data', (d) => s.got.push(d));
    s.on('error', () => { s.gone = true; });
    s.on('close', () => { s.gone = true; });
    s.on('end', () => { s.gone = true; });
    s.on('connect', () => resolve(s));
    setTimeout(() => resolve(s), 3000);
  });
}

async function token(localAddress, login) {
  const r = await request(localAddress, 'POST', '/api/v1/session', { headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }) });
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body).token;
}

test('#5: one address cannot hold more than its share of connections; others are served', { timeout: 60000 }, async () => {
  const socks = [];
  for (let i = 0; i < 200; i++) socks.push(open('127.0.0.1'));
  const all = await Promise.all(socks);
  await sleep(700);
  const alive = all.filter((s) => !s.gone).length;
  assert.ok(alive <= PER_IP + 2, `${alive} of 200 idle connections from one address stay open (cap ${PER_IP})`);
  // Another client is not starved; repeated probes stay fast.
  for (let i = 0; i < 5; i++) {
    const h = await request('127.0.0.2', 'GET', '/healthz');
    assert.equal(h.status, 200);
    assert.ok(h.ms < 1500, `/healthz took ${h.ms} ms`);
  }
  for (const s of all) s.destroy();
  await sleep(300);
  // Once they are gone the address is served again.
  assert.equal((await request('127.0.0.1', 'GET', '/healthz')).status, 200);
});

test('#5: headers dribbled a byte at a time are cut at the deadline, not kept alive by each byte', { timeout: 30000 }, async () => {
  const s = await open('127.0.0.4');
  const idle = await open('127.0.0.4');	// connects and sends nothing
  s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
  const t0 = Date.now();
  while (!s.gone && Date.now() - t0 < (HEADER_S + 5) * 1000) {
    s.write('X-Slow: a\r\n');
    await sleep(250);
  }
  const took = Date.now() - t0;
  assert.ok(s.gone, `still open after ${took} ms of dribbling`);
  assert.ok(took >= (HEADER_S - 1) * 1000 && took < (HEADER_S + 3) * 1000, `cut after ${took} ms (deadline ${HEADER_S} s)`);
  for (let i = 0; i < 20 && !idle.gone; i++) await sleep(100);
  assert.ok(idle.gone, 'the idle connection is cut as well');
  s.destroy();
  idle.destroy();
  // A slow but finishing client (the whole request within the deadline) is served.
  const ok = await open('127.0.0.4');
  const req = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
  for (const part of req.match(/.{1,8}/gs)) { ok.write(part); await sleep(100); }
  for (let i = 0; i < 30 && !ok.gone; i++) await sleep(100);
  assert.match(Buffer.concat(ok.got).toString(), /^HTTP\/1\.1 200 /);
  ok.destroy();
});

test('#5: near the connection limit idle connections are shed sooner', { timeout: 30000 }, async () => {
  // 32 idle connections of 40 (three quarters is 30): shed after ~2 s, not the 4 s header deadline.
  const t0 = Date.now();
  const idle = await Promise.all(Array.from({ length: 32 }, (_, i) => open(i % 2 ? '127.0.0.7' : '127.0.0.8')));
  while (idle.some((s) => !s.gone) && Date.now() - t0 < 8000) await sleep(100);
  const took = Date.now() - t0;
  assert.ok(idle.every((s) => s.gone), `${idle.filter((s) => !s.gone).length} idle connections still open`);
  assert.ok(took < (HEADER_S - 0.7) * 1000, `shed after ${took} ms (header deadline ${HEADER_S} s)`);
  for (const s of idle) s.destroy();
  assert.equal((await request('127.0.0.2', 'GET', '/healthz')).status, 200);
});

test('#4: parallel large uploads cannot grow memory past the body budget', { timeout: 90000 }, async (t) => {
  const tok = await token('127.0.0.5', 'resident');
  const N = 12, DECLARED = 11 << 20, SENT = 10 << 20;
  const chunk = Buffer.alloc(1 << 20, 0x61);
  const rss0 = rssKb();
  const socks = [];
  for (let i = 0; i < N; i++) {
    const s = await open('127.0.0.5');
    s.write(`POST /api/v1/photos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tok}\r\nContent-Type: image/png\r\nContent-Length: ${DECLARED}\r\n\r\n`);
    socks.push(s);
  }
  await sleep(500);
  // Those refused from the headers got their answer already; the others get 10 MiB each.
  let refused = 0;
  for (const s of socks) {
    const head = Buffer.concat(s.got).toString('latin1');
    if (head.startsWith('HTTP/1.1 503')) { refused++; assert.match(head, /"busy"/); assert.match(head, /Retry-After: \d+/i); continue; }
    for (let m = 0; m < SENT >> 20 && !s.gone; m++)
      await new Promise((r) => s.write(chunk, r));
  }
  await sleep(800);
  const grown = (rssKb() - rss0) / 1024;
  const admitted = N - refused;
  t.diagnostic(`RSS ${(rss0 / 1024).toFixed(0)} → ${(rssKb() / 1024).toFixed(0)} MiB; ${admitted} of ${N} uploads admitted`);
  assert.ok(grown < BUDGET_MB * 2 + 24, `RSS grew by ${grown.toFixed(0)} MiB with ${N} partial 10 MiB uploads`);
  assert.ok(admitted >= 1 && admitted <= BUDGET_MB / 11 + 1, `${admitted} uploads admitted (per-address budget ${BUDGET_MB} MiB)`);
  // The server still answers others; after the clients hang up the budget is free again.
  assert.equal((await request('127.0.0.2', 'GET', '/healthz')).status, 200);
  for (const s of socks) s.destroy();
  await sleep(500);
  const again = await open('127.0.0.5');
  again.write(`POST /api/v1/photos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tok}\r\nContent-Type: image/png\r\nContent-Length: ${DECLARED}\r\n\r\n`);
  await sleep(500);
  assert.equal(Buffer.concat(again.got).length, 0, 'admitted again (no early answer)');
  again.destroy();
});

test('#19: behind a trusted proxy saying https the cookie is Secure and HSTS is sent; not from others', { timeout: 30000 }, async () => {
  const login = (addr, proto) => request(addr, 'POST', '/api/v1/session', {
    headers: { 'Content-Type': 'application/json', ...(proto ? { 'X-Forwarded-Proto': proto } : {}) },
    body: JSON.stringify({ login: 'resident', password: PASSWORD }) });
  const viaProxy = await login('127.0.0.3', 'https');
  assert.equal(viaProxy.status, 200);
  assert.match(viaProxy.headers['set-cookie'][0], /;\s*Secure/);
  assert.match(viaProxy.headers['strict-transport-security'], /max-age=\d+/);
  const plainProxy = await login('127.0.0.3', 'http');
  assert.ok(!/Secure/.test(plainProxy.headers['set-cookie'][0]));
  assert.equal(plainProxy.headers['strict-transport-security'], undefined);
  const spoofed = await login('127.0.0.6', 'https');
  assert.ok(!/Secure/.test(spoofed.headers['set-cookie'][0]));
  assert.equal(spoofed.headers['strict-transport-security'], undefined);
  // X-Forwarded-For: the client the proxy names (rightmost), only from the proxy;
  // seen in the audit entry of a login.
  const loginFrom = (addr, xff) => request(addr, 'POST', '/api/v1/session', {
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': xff },
    body: JSON.stringify({ login: 'resident', password: PASSWORD }) });
  await loginFrom('127.0.0.3', '6.6.6.6, 10.1.2.3');
  await loginFrom('127.0.0.6', '10.9.9.9');
  const admin = await token('127.0.0.2', 'admin');
  const audit = await request('127.0.0.2', 'GET', '/api/v1/audit?action=login&limit=20', { headers: { Authorization: `Bearer ${admin}` } });
  const ips = JSON.parse(audit.body).items.map((e) => e.ip);
  assert.ok(ips.includes('10.1.2.3'), JSON.stringify(ips));
  assert.ok(ips.includes('127.0.0.6'), JSON.stringify(ips));
  assert.ok(!ips.includes('6.6.6.6') && !ips.includes('10.9.9.9'), JSON.stringify(ips));
});
