// harness.mjs — shared plumbing for the API tests.
//
// One demo server for the whole suite: run.mjs calls startServer() and passes
// the URL to the test files in WENMING_URL. A test file run on its own (no
// WENMING_URL) starts a private server through ensureServer().
//
// Helpers: login(role) (cached per process: Argon2id makes logins cost
// ~100 ms), api(method, path, opts) over fetch, rawRequest() over node:net
// for requests fetch refuses to send (bad bytes, huge headers, path tricks),
// openapi() and routeList() from /api/v1/openapi.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import zlib from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { piiRecord, piiRecordRaw, piiAfterAll } from './pii-scan.mjs';
import { clockStartEnv } from '../clock.mjs';
import { testDatabase, serverArgs } from './database.mjs';

// The backend under test (database.mjs): WENMING_TEST_PG puts every server on PostgreSQL.
export { onPostgres, backendName, testDatabase, serverArgs, withDatabase, query, fingerprint, tableNames, tableHashes } from './database.mjs';

// The server's "now" (WENMING_CLOCK_START moves it; tests/clock.mjs).
export { clockNow, clockIso, CLOCK_START } from '../clock.mjs';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PASSWORD = 'wenming-demo';
export const DEMO_LOGINS = ['admin', 'office', 'committee', 'committee2', 'inspector', 'handler', 'volunteer', 'resident', 'secretary', 'unit', 'rep'];
// The role each demo login holds (committee2 is a second 居委 account).
export const ROLE_OF = {
  admin: 'admin', office: 'office', committee: 'committee', committee2: 'committee',
  inspector: 'inspector', handler: 'handler', volunteer: 'volunteer', resident: 'resident',
  secretary: 'party', unit: 'unit', rep: 'rep',
};

export function binPath() {
  const b = process.env.WENMING_BIN;
  return b ? resolve(process.cwd(), b) : join(REPO, 'build', 'wenming');
}

// Starts `wenming demo` on a random port; resolves {url, child, dir, db, stderr(), stop()}
// (db: {dir, url, name}, url null on SQLite; on PostgreSQL a database of its own, dropped by stop()).
// env: extra environment for this server (e.g. tighter connection limits).
export async function startServer({ people = 300, timeoutMs = 240000, env: extraEnv = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-api-'));
  const database = testDatabase();
  const bin = binPath();
  // The test clock makes PUT /api/v1/system/clock available; the background
  // scheduler is off (tests drive it through POST /api/v1/system/tick).
  // Every client of the suite comes from 127.0.0.1 (bank.test.mjs opens 120 connections at
  // once): no per-address connection cap here; http-limits.test.mjs tests the cap on a
  // server of its own.
  const env = { WENMING_TEST_CLOCK: '1', WENMING_TICK_SECONDS: '0', WENMING_PER_IP_CONNECTIONS: '0',
    // The suite posts many anonymous Open311 requests from one address: the per-address
    // limit is raised here and tested on a private server (open311-limits.test.mjs).
    WENMING_OPEN311_ANON_LIMIT: '100000,100000',
    // Every test file signs the demo accounts in again (a process each): the
    // per-account sign-in bound is tested on a private server (login-throttle.test.mjs).
    WENMING_LOGINS_PER_MINUTE: '100000',
    // WENMING_CLOCK_START (scripts/test-dates.sh) starts that clock at a chosen instant.
    ...process.env, ...clockStartEnv(), ...extraEnv };
  const child = spawn(bin, ['demo', ...serverArgs(dir, database), '--listen', '127.0.0.1:0', '--people', String(people)],
    { stdio: ['ignore', 'pipe', 'pipe'], env });
  // Keep only the tail of stderr (the access log goes there) so the pipe never fills.
  let errTail = '';
  child.stderr.on('data', (d) => { errTail = (errTail + d).slice(-64 * 1024); });
  let exited = null;
  const exitPromise = new Promise((res) => child.on('exit', (code, signal) => { exited = { code, signal }; res(exited); }));
  let listening = false;
  const url = await new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`wenming (${bin}) did not print its listening line within ${timeoutMs / 1000} s\nstdout:\n${out}\nstderr:\n${errTail}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { listening = true; clearTimeout(timer); res(m[1]); }
    });
    child.on('error', (e) => { clearTimeout(timer); rej(new Error(`cannot start ${bin}: ${e.message}`)); });
    exitPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      if (!listening) database.drop();
      rej(new Error(`wenming (${bin}) exited (code ${code}, signal ${signal}) before listening\nstdout:\n${out}\nstderr:\n${errTail}`));
    });
  });
  child.stdout.resume();
  return {
    url, child, dir, db: { dir, url: database.url, name: database.name },
    stderr: () => errTail,
    exited: () => exited,
    // SIGTERM, wait up to graceMs; returns {code, signal, timedOut}.
    async stop(graceMs = 15000) {
      if (!exited) child.kill('SIGTERM');
      let timer;
      const r = await Promise.race([
        exitPromise,
        new Promise((res) => { timer = setTimeout(() => res(null), graceMs); }),
      ]);
      clearTimeout(timer);
      let out;
      if (!r) {
        child.kill('SIGKILL');
        await exitPromise;
        out = { code: null, signal: 'SIGKILL', timedOut: true };
      } else out = { ...r, timedOut: false };
      rmSync(dir, { recursive: true, force: true });
      database.drop();
      return out;
    },
  };
}

let BASE = null;
let own = null;

// The server's base URL. When WENMING_URL is unset (a test file run on its
// own), starts a private server and stops it when the process ends.
export async function ensureServer() {
  await piiAfterAll(openapi);	// PII scan of every answer (pii-scan.mjs)
  if (!BASE && process.env.WENMING_URL) BASE = process.env.WENMING_URL.replace(/\/+$/, '');
  if (BASE) return BASE;
  process.stderr.write('WENMING_URL is not set: starting a private demo server for this file (run.mjs shares one)\n');
  own = await startServer();
  BASE = own.url;
  process.env.WENMING_URL = BASE;
  const { after } = await import('node:test');
  after(async () => { if (own) { const s = own; own = null; await s.stop(); } });
  process.on('exit', () => { if (own) own.child.kill('SIGKILL'); });
  return BASE;
}

export function baseUrl() {
  if (!BASE && process.env.WENMING_URL) BASE = process.env.WENMING_URL.replace(/\/+$/, '');
  if (!BASE) throw new Error('WENMING_URL is not set: run the suite with `node tests/api/run.mjs`, or call ensureServer() first');
  return BASE;
}

// api(method, path, {token, cookie, csrf, body, headers, raw})
//   body: object → JSON (Content-Type application/json unless raw or given);
//         string/Buffer → sent as is (Content-Type only if given in headers).
//   returns {status, headers, json, text}
export async function api(method, path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.Cookie = opts.cookie;
  if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
  let body;
  if (opts.body !== undefined) {
    if (typeof opts.body === 'string' || Buffer.isBuffer(opts.body)) body = opts.body;
    else {
      body = JSON.stringify(opts.body);
      if (!opts.raw && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['Content-Type'] = 'application/json';
    }
  }
  const res = await fetch(baseUrl() + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json = null;
  if (text && (res.headers.get('content-type') || '').includes('json')) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  assertNoEpochTimes(json, `${method} ${path}`);
  piiRecord(method, path, opts, res.status, json);
  return { status: res.status, headers: res.headers, json, text };
}

// SPEC: every time in the API is an RFC 3339 string with its offset. Any JSON
// answer whose key names a time (…_at, …deadline, …_until, …date) but holds
// an integer fails the calling test, so a new raw epoch cannot slip in.
const TIME_KEY = /(_at|deadline|_until|date)$/;
export function epochTimeKeys(v, where = '$', out = []) {
  if (Array.isArray(v)) v.forEach((x, i) => epochTimeKeys(x, `${where}[${i}]`, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (TIME_KEY.test(k) && Number.isInteger(x)) out.push(`${where}.${k}=${x}`);
      else epochTimeKeys(x, `${where}.${k}`, out);
    }
  }
  return out;
}
function assertNoEpochTimes(json, what) {
  const bad = json ? epochTimeKeys(json) : [];
  if (bad.length) throw new Error(`${what}: time keys holding integers, not RFC 3339: ${bad.slice(0, 5).join(', ')}`);
}

const sessions = new Map();

// Logs in (once per process per login) → {token, csrf, cookie, account}.
export async function login(role, password = PASSWORD) {
  const key = `${role}\0${password}`;
  if (sessions.has(key)) return sessions.get(key);
  const s = await freshLogin(role, password);
  sessions.set(key, s);
  return s;
}

// A new session every time (for tests that log out or change passwords).
export async function freshLogin(loginName, password = PASSWORD) {
  const r = await api('POST', '/api/v1/session', { body: { login: loginName, password } });
  if (r.status !== 200) throw new Error(`login ${loginName} failed: ${r.status} ${r.text}`);
  const setCookie = r.headers.get('set-cookie') || '';
  const m = setCookie.match(/wm_session=([^;]*)/);
  return {
    token: r.json.token,
    csrf: r.json.csrf_token,
    cookie: m ? `wm_session=${m[1]}` : null,
    account: r.json,
    setCookie,
  };
}

// as(session) → options for api() using the bearer token.
export const as = (s, extra = {}) => ({ token: s.token, ...extra });

// Sends raw bytes over TCP and parses the HTTP/1.1 answer (Connection: close
// is expected from the request). Resolves {status, headers, body, text, json,
// error}; status 0 when the server closed without answering.
export function rawRequest(data, { timeoutMs = 10000, chunks = null, chunkDelayMs = 0 } = {}) {
  const u = new URL(baseUrl());
  return new Promise((res) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port) });
    const parts = [];
    let error = null;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      const out = parseResponse(Buffer.concat(parts), error);
      piiRecordRaw(data || (chunks && Buffer.concat(chunks.map((c) => Buffer.from(c)))), out);
      res(out);
    };
    const timer = setTimeout(() => { error = error || 'timeout'; finish(); }, timeoutMs);
    sock.on('data', (d) => parts.push(d));
    sock.on('error', (e) => { error = e.code || e.message; finish(); });
    sock.on('end', finish);
    sock.on('close', finish);
    sock.on('connect', async () => {
      try {
        if (chunks) {
          for (const c of chunks) {
            if (sock.destroyed) break;
            await new Promise((r) => sock.write(c, r));
            if (chunkDelayMs) await new Promise((r) => setTimeout(r, chunkDelayMs));
          }
        } else sock.write(data);
      } catch (e) { error = e.code || e.message; }
    });
  });
}

function parseResponse(buf, error) {
  const out = { status: 0, headers: {}, body: Buffer.alloc(0), text: '', json: null, error, raw: buf };
  const sep = buf.indexOf('\r\n\r\n');
  if (sep < 0) return out;
  const head = buf.subarray(0, sep).toString('latin1').split('\r\n');
  const m = head[0].match(/^HTTP\/1\.[01] (\d{3})/);
  if (!m) return out;
  out.status = Number(m[1]);
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) out.headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = buf.subarray(sep + 4);
  if (/chunked/i.test(out.headers['transfer-encoding'] || '')) body = dechunk(body);
  else if (out.headers['content-length'] !== undefined) body = body.subarray(0, Number(out.headers['content-length']));
  out.body = body;
  out.text = body.toString('utf8');
  if (/json/.test(out.headers['content-type'] || '')) {
    try { out.json = JSON.parse(out.text); } catch { /* not JSON */ }
  }
  return out;
}

function dechunk(b) {
  const out = [];
  let i = 0;
  while (i < b.length) {
    const e = b.indexOf('\r\n', i);
    if (e < 0) break;
    const n = parseInt(b.subarray(i, e).toString('latin1'), 16);
    if (!n) break;
    out.push(b.subarray(e + 2, e + 2 + n));
    i = e + 2 + n + 2;
  }
  return Buffer.concat(out);
}

// Builds a raw HTTP/1.1 request. path is a string (latin1) or a Buffer.
export function rawHttp(method, path, { headers = {}, body = null, token = null } = {}) {
  const u = new URL(baseUrl());
  const h = { Host: u.host, Connection: 'close', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== null && body !== undefined && h['Content-Length'] === undefined && h['Transfer-Encoding'] === undefined)
    h['Content-Length'] = String(Buffer.byteLength(body));
  const lines = Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n');
  const pathBuf = Buffer.isBuffer(path) ? path : Buffer.from(path, 'latin1');
  return Buffer.concat([
    Buffer.from(`${method} `, 'latin1'), pathBuf, Buffer.from(` HTTP/1.1\r\n${lines}\r\n\r\n`, 'latin1'),
    body === null || body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  ]);
}

let openapiDoc = null;
export async function openapi() {
  if (!openapiDoc) {
    const r = await api('GET', '/api/v1/openapi.json');
    if (r.status !== 200 || !r.json) throw new Error(`GET /api/v1/openapi.json: ${r.status} ${r.text.slice(0, 200)}`);
    openapiDoc = r.json;
  }
  return openapiDoc;
}

// A session whose role holds `permission`: admin's, unless admin lacks it (home-watch lists
// are the 居委's and the building rep's only, docs/PARTY.md), then the first demo login
// whose role has it. The generated checks that send "any allowed account" use it.
let permRoles = null;
export async function loginHolding(permission) {
  if (!permRoles) {
    const t = (await api('GET', '/api/v1/roles', as(await login('admin')))).json;
    permRoles = Object.fromEntries(t.permissions.map((p) => [p.permission, p.roles]));
  }
  const roles = permission ? permRoles[permission] || [] : ['admin'];
  const name = roles.includes('admin') ? 'admin' : DEMO_LOGINS.find((l) => roles.includes(ROLE_OF[l]));
  return login(name || 'admin');
}

// [{method: 'GET', path: '/api/v1/orgs/{id}', operationId, permission, public, body, idempotent}]
export async function routeList() {
  const doc = await openapi();
  const out = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(item)) {
      out.push({
        method: m.toUpperCase(), path, operationId: op.operationId,
        permission: op['x-permission'] || null,
        public: Array.isArray(op.security) && op.security.length === 0,
        body: !!op.requestBody,
        idempotent: !!op['x-idempotency-key'],
      });
    }
  }
  return out;
}

// Asserts the SPEC §11 error shape; returns the error object.
export function errorOf(r) {
  if (!r.json || typeof r.json.error !== 'object' || r.json.error === null)
    throw new Error(`expected an error body {"error":{…}}, got ${r.status} ${String(r.text).slice(0, 300)}`);
  const e = r.json.error;
  if (typeof e.code !== 'string' || !e.code || typeof e.message !== 'string' || !e.message)
    throw new Error(`error body lacks code/message: ${r.text.slice(0, 300)}`);
  if (e.fields !== undefined) {
    if (!Array.isArray(e.fields)) throw new Error(`error.fields is not an array: ${r.text.slice(0, 300)}`);
    for (const f of e.fields)
      if (typeof f.field !== 'string' || typeof f.code !== 'string' || typeof f.message !== 'string')
        throw new Error(`malformed field error: ${JSON.stringify(f)}`);
  }
  return e;
}

// All items of a list endpoint (follows next_cursor).
export async function listAll(path, session, { limit = 200, max = 100 } = {}) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < max; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await api('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, as(session));
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text.slice(0, 300)}`);
    items.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (!cursor) return items;
  }
  throw new Error(`GET ${path}: more than ${max} pages`);
}

// Demo orgs by name (cached): {name → org}.
let orgCache = null;
export async function demoOrgs() {
  if (!orgCache) {
    const admin = await login('admin');
    orgCache = new Map();
    for (const o of await listAll('/api/v1/orgs', admin)) if (!orgCache.has(o.name)) orgCache.set(o.name, o);
  }
  return orgCache;
}
export async function orgId(name) {
  const o = (await demoOrgs()).get(name);
  if (!o) throw new Error(`demo org ${name} not found`);
  return o.id;
}

// GB 11643 check digit; makeId(region6, 'YYYYMMDD', seq3) → a valid 18-digit ID.
export function idCheck(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return '10X98765432'[s % 11];
}
export function makeId(birth = '19900101', seq = null, region = '310115') {
  const q = seq === null ? String(Math.floor(Math.random() * 1000)).padStart(3, '0') : String(seq).padStart(3, '0');
  const f = region + birth + q;
  return f + idCheck(f);
}
// A fresh, unique, valid ID number. Each test file passes its own region
// code (the demo uses 310115 with sequence 900–999), so files never collide;
// within a process the birth date advances by one day per call from a random
// start, so re-running a file against the same server rarely collides either.
let idSeq = Math.floor(Math.random() * 8000);
export function uniqueId(region = '110101') {
  idSeq++;
  const day = new Date(Date.UTC(1950, 0, 1) + (idSeq % 18000) * 86400000);
  const b = day.toISOString().slice(0, 10).replace(/-/g, '');
  return makeId(b, idSeq % 900, region);
}
export function randomPhone() {
  return `13${Math.floor(Math.random() * 10)}${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

// A unique suffix for names and codes in this process.
let uniq = 0;
export const tag = (p = 't') => `${p}${process.pid.toString(36)}${(++uniq).toString(36)}${Date.now().toString(36).slice(-4)}`;

// The newest audit id (as admin) — every write appends an audit entry.
export async function newestAuditId() {
  const r = await api('GET', '/api/v1/audit?limit=1', as(await login('admin')));
  if (r.status !== 200) throw new Error(`GET /api/v1/audit: ${r.status} ${r.text.slice(0, 200)}`);
  return r.json.items.length ? r.json.items[0].id : 0;
}

// Parses Prometheus text into [{name, labels, value}].
export function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/);
    if (!m) continue;
    const labels = {};
    if (m[2]) for (const l of m[2].matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

// A small valid PNG of one colour (w × h); different colours give different
// files (photos are content-addressed).
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
let pngSeq = 0;
export function makePng(w = 16, h = 16, rgb = null) {
  if (!rgb) { pngSeq++; rgb = [(process.pid * 7 + pngSeq * 53) & 255, (pngSeq * 97) & 255, (Date.now() + pngSeq) & 255]; }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const row = Buffer.alloc(1 + w * 3);
  for (let x = 0; x < w; x++) { row[1 + x * 3] = rgb[0]; row[2 + x * 3] = rgb[1]; row[3 + x * 3] = rgb[2]; }
  const raw = Buffer.concat(Array.from({ length: h }, (_, y) => {
    const r = Buffer.from(row);
    r[1] = (r[1] + y) & 255;	// a little variation per line
    return r;
  }));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// A leaf problem category code (cached).
let catCode = null;
export async function categoryCode() {
  if (!catCode) {
    const r = await api('GET', '/api/v1/categories', as(await login('admin')));
    if (r.status !== 200) throw new Error(`GET /api/v1/categories: ${r.status} ${r.text.slice(0, 200)}`);
    const leaf = r.json.items.find((c) => c.parent_id && c.active !== false && !c.record_only) || r.json.items.find((c) => c.parent_id) || r.json.items[0];
    catCode = leaf.code;
  }
  return catCode;
}

// The data directory of the server under test (for tests that read the
// database directly, read-only): run.mjs passes WENMING_DATA_DIR; a file run
// on its own has its private server's dir. null when neither is known.
export function serverDataDir() {
  if (process.env.WENMING_DATA_DIR) return process.env.WENMING_DATA_DIR;
  return own ? own.dir : null;
}
// The database of the server under test, {dir, url} for query()/fingerprint() (url: run.mjs
// passes WENMING_DATA_DATABASE on PostgreSQL; null on SQLite); null when the dir is unknown.
export function serverDatabase() {
  const dir = serverDataDir();
  if (!dir) return null;
  const url = process.env.WENMING_DATA_DIR ? (process.env.WENMING_DATA_DATABASE || null) : own.db.url;
  return { dir, url };
}

// Where a rectification must be reported from (the closing rule: GPS within
// 50 m of the problem's point or its site's): the problem's point, else its
// site's, as `session` sees them; undefined when it has neither.
export async function spotOf(session, id) {
  const p = await api('GET', `/api/v1/problems/${id}`, { token: session.token });
  if (p.json && p.json.location) return p.json.location;
  if (p.json && p.json.site_id) {
    const s = await api('GET', `/api/v1/sites/${p.json.site_id}`, { token: session.token });
    if (s.json && s.json.location) return s.json.location;
  }
  return undefined;
}
