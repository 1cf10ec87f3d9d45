// open311-limits.test.mjs — review 2026-12-07: anonymous Open311 reports are
// limited per client address (#11: a burst, then N an hour, 429 in the
// GeoReport format with Retry-After; api_key clients are not limited), and
// the contact details an older database holds in clear are sealed by
// migration 017 (#3). Both need a server of their own: the shared one runs
// with the limit raised (harness.mjs), and the migration needs a restart.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, binPath, onPostgres } from './harness.mjs';

process.env.WENMING_OPEN311_ANON_LIMIT = '3,2';	// a burst of 3, then 2 an hour
const srv = await startServer({ people: 0 });
let stopped = false;
after(async () => { if (!stopped) await srv.stop(); });

const form = (o) => new URLSearchParams(o).toString();
async function call(base, method, path, { body, token, localAddress } = {}) {
  // fetch cannot choose the source address: node:http can.
  const http = await import('node:http');
  return new Promise((res, rej) => {
    const u = new URL(base + path);
    const headers = {};
    if (body) headers['Content-Type'] = typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    const data = body ? (typeof body === 'string' ? body : JSON.stringify(body)) : null;
    if (data) headers['Content-Length'] = Buffer.byteLength(data);
    const rq = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers, localAddress }, (r) => {
      let t = '';
      r.setEncoding('utf8');
      r.on('data', (d) => { t += d; });
      r.on('end', () => {
        let json = null;
        try { json = JSON.parse(t); } catch { /* not JSON */ }
        res({ status: r.statusCode, headers: r.headers, text: t, json });
      });
    });
    rq.on('error', rej);
    if (data) rq.write(data);
    rq.end();
  });
}
const loginAt = async (base, login) => (await call(base, 'POST', '/api/v1/session', { body: { login, password: 'wenming-demo' } })).json.token;
const tip = (extra = {}) => form({ service_code: 'C0301', address_string: '锦绣前城', description: '楼道堆物', ...extra });

async function setClock(token, ms) {
  const r = await call(srv.url, 'PUT', '/api/v1/system/clock', { token, body: { now: new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z') } });
  assert.equal(r.status, 200, r.text);
}

test('anonymous reports: a burst, then N an hour per address, 429 GeoReport + Retry-After; api_key clients unlimited (#11)', async () => {
  const admin = await loginAt(srv.url, 'admin');
  const t0 = Date.now();
  await setClock(admin, t0);
  // A burst of 3 from 127.0.0.2, then 429.
  for (let i = 0; i < 3; i++) {
    const r = await call(srv.url, 'POST', '/open311/v2/requests.json', { body: tip(), localAddress: '127.0.0.2' });
    assert.equal(r.status, 200, r.text);
  }
  const no = await call(srv.url, 'POST', '/open311/v2/requests.json', { body: tip({ description: '第四条' }), localAddress: '127.0.0.2' });
  assert.equal(no.status, 429, no.text);
  assert.deepEqual(Object.keys(no.json[0]).sort(), ['code', 'description']);
  assert.equal(no.json[0].code, 429);
  const wait = Number(no.headers['retry-after']);
  assert.ok(wait > 0 && wait <= 1800, `Retry-After ${no.headers['retry-after']}`);
  const x = await call(srv.url, 'POST', '/open311/v2/requests.xml', { body: tip(), localAddress: '127.0.0.2' });
  assert.equal(x.status, 429);
  assert.match(x.text, /<errors><error><code>429<\/code><description>[^<]+<\/description><\/error><\/errors>/);
  // The refused request created nothing.
  const office = await loginAt(srv.url, 'office');
  const found = await call(srv.url, 'GET', `/api/v1/problems?q=${encodeURIComponent('第四条')}`, { token: office });
  assert.equal(found.json.items.length, 0);
  // Another address has its own budget.
  assert.equal((await call(srv.url, 'POST', '/open311/v2/requests.json', { body: tip(), localAddress: '127.0.0.3' })).status, 200);
  // A trusted client with an api_key is not limited.
  const acc = (await call(srv.url, 'GET', '/api/v1/session', { token: await loginAt(srv.url, 'resident') })).json.id;
  const key = (await call(srv.url, 'POST', '/api/v1/open311/keys', { token: admin, body: { name: '12345 对接', account_id: acc } })).json.api_key;
  for (let i = 0; i < 6; i++)
    assert.equal((await call(srv.url, 'POST', '/open311/v2/requests.json', { body: tip({ api_key: key }), localAddress: '127.0.0.2' })).status, 200);
  // Time refills the bucket: 2 an hour → one more after 30 minutes (application clock).
  await setClock(admin, t0 + 31 * 60 * 1000);
  assert.equal((await call(srv.url, 'POST', '/open311/v2/requests.json', { body: tip(), localAddress: '127.0.0.2' })).status, 200);
  assert.equal((await call(srv.url, 'POST', '/open311/v2/requests.json', { body: tip(), localAddress: '127.0.0.2' })).status, 429);
  await setClock(admin, Date.now());
});

// Starts `wenming demo` on an existing data directory; resolves its URL.
function serveAgain(dir) {
  const child = spawn(binPath(), ['demo', '--data', dir, '--listen', '127.0.0.1:0', '--people', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WENMING_TEST_CLOCK: '1', WENMING_TICK_SECONDS: '0' } });
  let err = '';
  child.stderr.on('data', (d) => { err = (err + d).slice(-8000); });
  return new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) res({ url: m[1], child, err: () => err });
    });
    child.on('exit', (c) => rej(new Error(`exited ${c}: ${err}`)));
  });
}
const stopChild = (child) => new Promise((res) => { child.once('exit', res); child.kill('SIGTERM'); });

// SQLite only: it rewrites the database file into what an older release left; no release ever
// wrote contact details in clear to PostgreSQL (its schema starts with them sealed).
test('an older database: migration 017 seals the Open311 contact details kept in clear (#3)', {
  skip: onPostgres() && 'PostgreSQL: no older release wrote a PostgreSQL database (the migration rewrites an old SQLite file)',
}, async () => {
  const r = await call(srv.url, 'POST', '/open311/v2/requests.json', { body: tip({ description: '旧库联系方式' }), localAddress: '127.0.0.4' });
  assert.equal(r.status, 200, r.text);
  const code = r.json[0].service_request_id;
  // Make the database what an older version left: no 017, contact details in the report event.
  await stopChild(srv.child);
  const db = join(srv.dir, 'wenming.db');
  execFileSync('sqlite3', [db, `
    DELETE FROM schema_migrations WHERE version = 17;
    DROP TABLE problem_contacts; DROP TABLE problem_contacts_legacy; DROP TABLE problem_tracking;
    DROP TRIGGER problem_events_no_update;
    UPDATE problem_events SET data = json_object('email', 'wang@example.com', 'first_name', '伟', 'last_name', '王',
      'phone', '13987654321', 'device_id', 'dev-9', 'media_url', 'http://example.org/a.jpg')
     WHERE action = 'report' AND problem_id = (SELECT id FROM problems WHERE code = '${code}');
    CREATE TRIGGER problem_events_no_update BEFORE UPDATE ON problem_events
      BEGIN SELECT RAISE(ABORT, 'problem history is append-only'); END;`]);
  const again = await serveAgain(srv.dir);
  try {
    const sql = (q) => execFileSync('sqlite3', ['-readonly', db, q], { encoding: 'utf8' });
    const id = sql(`SELECT id FROM problems WHERE code = '${code}'`).trim();
    const events = sql(`SELECT data FROM problem_events WHERE problem_id = ${id}`);
    for (const x of ['13987654321', 'wang@example.com', 'dev-9', '"伟"']) assert.ok(!events.includes(x), `history still holds ${x}`);
    assert.ok(events.includes('http://example.org/a.jpg'), 'media_url stays');
    assert.equal(sql('SELECT count(*) FROM problem_contacts_legacy').trim(), '0');
    const row = sql(`SELECT * FROM problem_contacts WHERE problem_id = ${id}`);
    assert.ok(row.includes('139****4321') && !row.includes('13987654321'), row);
    // Older citizen tips got a tracking code too.
    assert.equal(sql(`SELECT count(*) FROM problem_tracking WHERE problem_id = ${id}`).trim(), '1');
    // The sealed values open for the audited reveal.
    const office = await loginAt(again.url, 'office');
    const http = { ...srv, url: again.url };
    const full = await call(http.url, 'POST', `/api/v1/problems/${id}/contact`, { token: office });
    assert.equal(full.status, 200, full.text);
    assert.equal(full.json.phone, '13987654321');
    assert.equal(full.json.email, 'wang@example.com');
  } finally {
    await stopChild(again.child);
    stopped = true;
    await srv.stop();
  }
});
