// http-conformance.test.mjs — HTTP/1.1 details checked over raw sockets
// (conformance review 2026-12-07 §6, coverage review bug 14, security
// review #4, #17, #18, #19 on the shared server; the connection limits, which
// need a server of their own, are in http-limits.test.mjs).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, orgId, baseUrl, rawRequest, rawHttp, errorOf } from './harness.mjs';
import { mkPost } from './volunteer-fixtures.mjs';

await ensureServer();
let office, committee, resident;
before(async () => {
  office = await login('office');
  committee = await login('committee');
  resident = await login('resident');
});

// Every value of one header in a raw answer (parseResponse keeps only the last).
const headerValues = (res, name) => res.raw.toString('latin1').split('\r\n\r\n')[0].split('\r\n')
  .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`)).map((l) => l.slice(name.length + 1).trim());

const get = (path, headers = {}, token = null) => rawRequest(rawHttp('GET', path, { headers, token }), { timeoutMs: 5000 });

test('a 304 carries no Content-Length but the 200\'s; If-None-Match: * matches an existing resource', async () => {
  for (const [path, headers, token] of [
    ['/api/v1/openapi.json', {}, null],
    ['/', {}, null],
    ['/assets/app.js', {}, null],
    ['/assets/app.js', { 'Accept-Encoding': 'gzip' }, null],
    ['/api/v1/categories', {}, office.token],
  ]) {
    const full = await get(path, headers, token);
    assert.equal(full.status, 200, `${path}: ${full.text.slice(0, 200)}`);
    const etag = full.headers.etag;
    assert.ok(etag, `${path} has an ETag`);
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const nm = await get(path, { ...headers, 'If-None-Match': inm }, token);
      assert.equal(nm.status, 304, `${path} If-None-Match: ${inm}`);
      assert.equal(nm.body.length, 0);
      const lens = headerValues(nm, 'Content-Length');
      assert.ok(lens.length === 0 || (lens.length === 1 && Number(lens[0]) === full.body.length),
        `${path} 304 Content-Length ${JSON.stringify(lens)} vs the 200's ${full.body.length}`);
      assert.equal(nm.headers.etag, etag);
    }
    assert.equal((await get(path, { ...headers, 'If-None-Match': '"other"' }, token)).status, 200);
  }
  // Keep-alive survives a 304: the next request on the same connection is answered.
  const etag = (await get('/api/v1/openapi.json')).headers.etag;
  const two = Buffer.concat([
    rawHttp('GET', '/api/v1/openapi.json', { headers: { 'If-None-Match': etag, Connection: 'keep-alive' } }),
    rawHttp('GET', '/healthz'),
  ]);
  const res = await rawRequest(two, { timeoutMs: 5000 });
  assert.equal(res.status, 304);
  assert.match(res.raw.toString('latin1'), /\r\n\r\nHTTP\/1\.1 200 /, 'the second answer follows the 304 directly, no body bytes between');
});

test('Accept-Encoding: q-values and case; gzip and identity have different ETags', async () => {
  const enc = async (ae) => {
    const r = await get('/assets/app.js', ae === null ? {} : { 'Accept-Encoding': ae });
    assert.equal(r.status, 200);
    return { coding: r.headers['content-encoding'] || 'identity', etag: r.headers.etag, vary: r.headers.vary };
  };
  assert.equal((await enc('gzip;q=0, identity')).coding, 'identity');
  assert.equal((await enc('gzip;q=0')).coding, 'identity');
  assert.equal((await enc('gzip; q=0.000')).coding, 'identity');
  assert.equal((await enc('*;q=0, identity')).coding, 'identity');
  assert.equal((await enc(null)).coding, 'identity');
  assert.equal((await enc('br')).coding, 'identity');
  assert.equal((await enc('GZIP')).coding, 'gzip');
  assert.equal((await enc('deflate, gzip;q=0.5')).coding, 'gzip');
  assert.equal((await enc('*')).coding, 'gzip');
  assert.equal((await enc('x-gzip')).coding, 'gzip');
  const id = await enc('identity');
  const gz = await enc('gzip');
  assert.notEqual(id.etag, gz.etag, 'one strong ETag for two representations');
  assert.equal(gz.vary, 'Accept-Encoding');
  // The identity validator does not revalidate the gzip copy, and the other way round.
  assert.equal((await get('/assets/app.js', { 'Accept-Encoding': 'gzip', 'If-None-Match': id.etag })).status, 200);
  assert.equal((await get('/assets/app.js', { 'If-None-Match': gz.etag })).status, 200);
});

test('HTTP/1.1 without exactly one Host → 400; HTTP/1.0 without Host is served', async () => {
  const noHost = await rawRequest(Buffer.from('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n'), { timeoutMs: 5000 });
  assert.equal(noHost.status, 400);
  assert.equal(noHost.json.error.code, 'bad_host');
  const twoHosts = await rawRequest(Buffer.from('GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n'), { timeoutMs: 5000 });
  assert.equal(twoHosts.status, 400);
  const http10 = await rawRequest(Buffer.from('GET /healthz HTTP/1.0\r\n\r\n'), { timeoutMs: 5000 });
  assert.equal(http10.status, 200);
});

test('Content-Length with Transfer-Encoding → 400 and the connection is closed', async () => {
  // No "Connection: close": the server must close on its own (RFC 9112 §6.1).
  const body = '5\r\nhello\r\n0\r\n\r\n';
  const req = Buffer.from(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n${body}`);
  const res = await rawRequest(req, { timeoutMs: 4000 });
  assert.equal(res.status, 400);
  assert.equal(res.json.error.code, 'bad_framing');
  assert.notEqual(res.error, 'timeout', 'the connection stayed open after the answer');
  assert.equal(headerValues(res, 'Connection')[0], 'close');
});

test('security #4: a body is refused from the headers, before it is sent', async () => {
  const start = Date.now();
  // 12 MB announced, not one byte sent: the answer must come anyway.
  const head = Buffer.from('POST /api/v1/photos HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 12000000\r\n\r\n');
  const anon = await rawRequest(head, { timeoutMs: 4000 });
  assert.equal(anon.status, 401, `no answer before the body: ${anon.error}`);
  assert.equal(anon.json.error.code, 'unauthenticated');
  assert.ok(Date.now() - start < 3000);
  assert.notEqual(anon.error, 'timeout', 'the connection is closed, the body never read');
  // A cookie write without the CSRF token: 403 before the body too.
  const cookie = await rawRequest(Buffer.from(`POST /api/v1/photos HTTP/1.1\r\nHost: x\r\nCookie: ${resident.cookie}\r\nContent-Type: image/png\r\nContent-Length: 12000000\r\n\r\n`), { timeoutMs: 4000 });
  assert.equal(cookie.status, 403);
  assert.equal(cookie.json.error.code, 'csrf_failed');
  // A permission the account lacks: 403 before the body (resident cannot create orgs).
  const perm = await rawRequest(Buffer.from(`POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${resident.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`), { timeoutMs: 4000 });
  assert.equal(perm.status, 403);
  // A bad token with a chunked body: 401 at once as well.
  const chunked = await rawRequest(Buffer.from('POST /api/v1/problems HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n'), { timeoutMs: 4000 });
  assert.equal(chunked.status, 401);
  // Authenticated uploads still work, and so do bodies of public routes.
  const ok = await api('POST', '/api/v1/session', { body: { login: 'resident', password: 'wrong-password-x' } });
  assert.equal(ok.status, 401);
  assert.ok(errorOf(ok).code);
});

test('coverage bug 14: the calendar feed sends one Cache-Control', async () => {
  const vol = await login('volunteer');
  const me = (await api('GET', '/api/v1/volunteers/me', as(vol))).json.volunteer;
  assert.ok(me.calendar_path);
  const r = await get(me.calendar_path);
  assert.equal(r.status, 200);
  assert.deepEqual(headerValues(r, 'Cache-Control'), ['private, no-store']);
  for (const path of ['/api/v1/openapi.json', '/', '/assets/app.js?v=1'])
    assert.equal(headerValues(await get(path), 'Cache-Control').length, 1, path);
});

test('security #17: links never use the Host header', async () => {
  const comm = await orgId('由由第五居民区');
  const p = await mkPost(office, comm);
  const evil = { Host: 'evil.example', 'X-Forwarded-Proto': 'https' };
  const qr = await get(`/api/v1/posts/${p.id}/qr`, evil, office.token);
  assert.equal(qr.status, 200);
  assert.equal(qr.headers['x-checkin-url'], `${baseUrl()}/#/checkin/${p.id}`);
  const disc = await get('/open311/v2/discovery.json', evil);
  assert.equal(disc.status, 200);
  assert.ok(!disc.text.includes('evil.example'), disc.text);
  assert.ok(disc.text.includes(`${baseUrl()}/open311/v2`));
  const csv = await get('/api/v1/ledger/csv', evil, office.token);
  assert.equal(csv.status, 200);
  assert.ok(!csv.text.includes('evil.example'));
});

test('security #18: audited GETs refuse requests another site started', async () => {
  const id = (await api('GET', '/api/v1/people?limit=1', as(committee))).json.items[0].id;
  for (const site of ['cross-site', 'same-site', 'CROSS-SITE']) {
    for (const auth of [{ Cookie: committee.cookie }, { Authorization: `Bearer ${committee.token}` }]) {
      const r = await get(`/api/v1/people/${id}/sensitive`, { 'Sec-Fetch-Site': site, ...auth });
      assert.equal(r.status, 403, `${site}: ${r.text}`);
      assert.equal(r.json.error.code, 'cross_site');
    }
  }
  const before = (await api('GET', `/api/v1/audit?action=reveal&resource_id=${id}&limit=200`, as(await login('admin')))).json;
  const exp = await get(`/api/v1/people/${id}/export`, { 'Sec-Fetch-Site': 'cross-site', Cookie: committee.cookie });
  assert.equal(exp.status, 403);
  assert.equal((await get('/api/v1/ledger/csv', { 'Sec-Fetch-Site': 'cross-site', Cookie: office.cookie })).status, 403);
  // The web UI's own requests (same-origin), typed URLs (none) and clients without the header pass.
  for (const site of ['same-origin', 'none', null]) {
    const h = { Cookie: committee.cookie };
    if (site) h['Sec-Fetch-Site'] = site;
    assert.equal((await get(`/api/v1/people/${id}/sensitive`, h)).status, 200, String(site));
  }
  const afterList = (await api('GET', `/api/v1/audit?action=reveal&resource_id=${id}&limit=200`, as(await login('admin')))).json;
  assert.equal(afterList.items.length - before.items.length, 3, 'only the three allowed reveals were audited');
  // Reads that write nothing are not affected.
  assert.equal((await get('/api/v1/problems?limit=1', { 'Sec-Fetch-Site': 'cross-site', Cookie: office.cookie })).status, 200);
});

test('security #19: X-Forwarded-Proto from an untrusted address changes nothing', async () => {
  const r = await rawRequest(rawHttp('POST', '/api/v1/session', {
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https' },
    body: JSON.stringify({ login: 'resident', password: 'wenming-demo' }),
  }), { timeoutMs: 10000 });
  assert.equal(r.status, 200);
  assert.ok(!/;\s*Secure/i.test(r.headers['set-cookie']), r.headers['set-cookie']);
  assert.equal(r.headers['strict-transport-security'], undefined);
});
