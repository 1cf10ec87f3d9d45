// badinput-generated.test.mjs — SPEC §14 over EVERY route of the routes table,
// with cases generated from /api/v1/openapi.json (which ops.c builds from
// src/api/routes.def): nothing here names a route. Per route:
//   - every path parameter: 0, -1, 1.5, abc, a 21-digit number, %00, %FF (bad
//     UTF-8), a 5000-character value, ..%2F (other parameters are 1);
//   - every declared query parameter, by its schema (integer, date, date-time,
//     number, boolean, enum, cursor, capped text): wrong type, out of range,
//     an unknown word, bad UTF-8, NUL, over-long, and valid values (each enum
//     word, each bool spelling, the bounds) that must not be refused; and an
//     unknown query parameter;
//   - a method the path does not have: 405 with Allow naming exactly the
//     methods it has;
//   - routes taking a body (x-body-limit-kib > 0): not JSON, truncated JSON,
//     top-level array/null/number/string, 200-deep nesting, bad UTF-8 and NUL
//     inside a string, duplicate keys, a huge string, wrong Content-Type, a body
//     over the route's limit; raw routes (imports, uploads) get garbage bytes
//     and a body over the limit.
// Every case is sent as admin (the most privileged demo account) and, where
// the route is not public, without credentials. "Strict" cases must answer
// 4xx in the JSON error shape (SPEC §11; Open311 routes answer in the
// GeoReport format instead); "tolerant" cases (an empty value, an unknown
// enum word, an empty body: not malformed, just unhelpful) must not answer
// 5xx. Nothing may hang (10 s per request).
// The database is fingerprinted around each route's strict cases (database.mjs,
// read-only: on SQLite the sqlite3 CLI on the live WAL database, .sha3sum; on
// PostgreSQL psql, an md5 of every table's rows in order): content hash of every
// table and per-table row counts. No table is excluded: the scheduler is
// off in the test server (WENMING_TICK_SECONDS=0), sessions are only written
// by logins (done before the first fingerprint) and no request here touches
// the login throttle (malformed logins never reach the password check).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { ensureServer, login, openapi, rawRequest, rawHttp, errorOf, serverDataDir, serverDatabase, parseMetrics, fingerprint as dbFingerprint, tableNames } from './harness.mjs';

await ensureServer();

let admin;
let db;
const tolerated2xx = [];	// tolerant cases that were answered 2xx (diagnostic)
const tolerantWrites = [];	// write routes whose tolerant cases wrote (diagnostic)

before(async () => {
  admin = await login('admin');
  const dir = serverDataDir();
  assert.ok(dir, 'the server data dir is unknown (run through run.mjs, which sets WENMING_DATA_DIR)');
  db = serverDatabase();
  if (!db.url) assert.ok(existsSync(join(dir, 'wenming.db')), `no database in ${dir}`);
});

// ---- the database fingerprint ------------------------------------------------
let tables = null;
function fingerprint() {
  if (!tables) tables = tableNames(db);
  return dbFingerprint(db, tables);
}
function diffFingerprint(a, b) {
  const la = a.split('\n'), lb = b.split('\n');
  const out = [];
  if (la[0] !== lb[0]) out.push('content hash changed');
  for (let i = 1; i < Math.max(la.length, lb.length); i++) if (la[i] !== lb[i]) out.push(`${la[i]} → ${lb[i]}`);
  return out.join('; ');
}

// ---- the corpus ----------------------------------------------------------------
const LONG = 'x'.repeat(5000);
// Path values as they go on the wire (already percent-encoded).
const PATH_BAD = ['0', '-1', '1.5', 'abc', '99999999999999999999', '%00', '%FF', LONG, '..%2F', '..%2F..%2Fetc%2Fpasswd'];

// [value, strict, accepted] per query schema (ops.c renders each route's
// typed declaration from routes.def); values as they go on the wire. A case
// marked accepted is a valid value of the type: it must not be refused with a
// 422 naming the parameter (whatever else the route answers; a code given
// instead of true: not refused with that code).
function queryCases(name, schema) {
  const t = schema?.type, f = schema?.format;
  const typed = t !== 'string' || !!f || !!schema?.enum;
  const out = [
    ['%FF%FE', true],	// not UTF-8
    // NUL: the server keeps "%00" as those three characters (server.c's
    // unescaper), so in free text it is just text; a typed value must fail.
    ['a%00b', typed],
    ['1%00', typed],
    ['y'.repeat(3000), true],	// over the 2048-byte cap on a value
    ['', false],	// empty = absent
  ];
  if (t === 'integer') {
    out.push(['abc', true], ['1.5', true], ['1e3', true], ['+1', true], [' 1', true], ['99999999999999999999', true]);
    const min = schema.minimum ?? 1;
    out.push([String(min - 1), true]);
    if (schema.maximum !== undefined) out.push([String(schema.maximum + 1), true], ['100000000', true]);
    out.push(['-1', min >= 0]);
    // The declared bounds are valid values (ids have none: a handler may
    // refuse an id that names no such row, or the wrong kind of row).
    if (schema.maximum !== undefined) out.push([String(min), false, true], [String(schema.maximum), false, true]);
  } else if (f === 'cursor') {
    out.push(['garbage!!', true], ['-1', true], ['99999999999999999999', true]);
    if (schema.maxLength) out.push(['9'.repeat(schema.maxLength + 1), true]);
  } else if (f === 'date' || f === 'date-time') {
    out.push(['abc', true], ['2024-13-45', true], ['2024-02-30', true], ['99999-01-01', true], ['2024-1-5', true]);
    // A date is a day only; a date-time parameter also takes RFC 3339.
    // (Valid dates are not probed here: a route may refuse a range as too long.)
    out.push(['2030-01-01T00:00:00%2B08:00', f === 'date']);
  } else if (t === 'number') {
    out.push(['abc', true], ['1e999', true], ['NaN', true], ['0x10', true]);
    if (schema.maximum !== undefined) out.push([String(schema.maximum + 1), true], [String(schema.maximum), false, true]);
  } else if (schema?.enum) {
    // Enums and booleans (one vocabulary: true/false/1/0 on every route).
    out.push(['zz-no-such-value', true], ["' OR 1=1 --", true], ['maybe', true], ['2', true]);
    if (schema['x-boolean']) out.push(['yes', true], ['TRUE', true]);
    for (const v of schema.enum) out.push([v, false, true]);
  } else {
    out.push(['zz-no-such-value', false], ["' OR 1=1 --", false]);
    // At the cap: not too long (the handler may still not know the word).
    if (schema?.maxLength && schema.maxLength < 2000) out.push(['z'.repeat(schema.maxLength + 1), true], ['z'.repeat(schema.maxLength), false, 'too_long']);
  }
  return out;
}

const deep = (n) => '['.repeat(n) + ']'.repeat(n);
const deepObj = (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
// [label, body (string|Buffer), content type, strict]
function jsonBodyCases(limitKib) {
  return [
    ['not JSON', 'hello', 'application/json', true],
    ['truncated JSON', '{"name": "ab', 'application/json', true],
    ['top-level array', '[]', 'application/json', true],
    ['top-level null', 'null', 'application/json', true],
    ['top-level number', '42', 'application/json', true],
    ['top-level string', '"x"', 'application/json', true],
    ['200-deep arrays', deep(200), 'application/json', true],
    ['200-deep objects', deepObj(200), 'application/json', true],
    ['bad UTF-8 in a string', Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), 'application/json', true],
    ['NUL in a string', '{"name":"a\\u0000b"}', 'application/json', true],
    ['duplicate keys', '{"zz":1,"zz":2}', 'application/json', true],
    ['huge string', `{"zz_unknown":"${'z'.repeat(Math.max(0, limitKib * 1024 - 64))}"}`, 'application/json', true],
    ['unknown field', '{"zz_unknown_field":1}', 'application/json', true],
    ['wrong Content-Type', '{}', 'text/plain', true],
    ...overLimit(limitKib, 'application/json'),
    ['empty body', '', 'application/json', false],
  ];
}
// Over the route's cap: announced by Content-Length (answered 413 before the
// body is read, so only the headers are sent: writing megabytes the server
// will not read ends in a reset that can eat the answer), and for small caps
// also streamed without a length (chunked), which the body buffer must stop.
function overLimit(limitKib, ct) {
  const n = limitKib * 1024 + 1;
  const out = [['body over the limit (Content-Length)', { announce: n }, ct, true]];
  if (limitKib <= 64) out.push(['body over the limit (chunked)', { chunked: Buffer.alloc(n, 0x20) }, ct, true]);
  return out;
}
function rawBodyCases(limitKib) {
  return [
    ['garbage bytes', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x89, 0x50, 0x4e, 0x47, 0x0a, 0x00, 0x2c, 0x2c]), 'application/octet-stream', true],
    ['bad UTF-8 text', Buffer.concat([Buffer.from('a,b,c\n'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from(',x\n')]), 'text/csv', true],
    ['JSON instead', '{"a":1}', 'application/json', true],
    ...overLimit(limitKib, 'text/csv'),
    ['empty body', '', 'text/csv', false],
  ];
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

// The routes and their cases, from the OpenAPI document.
async function buildCorpus() {
  const doc = await openapi();
  const routes = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const methods = Object.keys(item).map((m) => m.toUpperCase());
    for (const [m, op] of Object.entries(item)) {
      const method = m.toUpperCase();
      const params = op.parameters || [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query');
      const fill = (over = {}) => path.replace(/\{([^}]+)\}/g, (_, n) => (n in over ? over[n] : '1'));
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      const open311 = path.startsWith('/open311/');
      const cases = [];
      for (const p of pathParams)
        for (const v of PATH_BAD) cases.push({ label: `path ${p.name}=${v.slice(0, 24)}`, method, path: fill({ [p.name]: v }), strict: true });
      if (!op['x-any-query']) {
        cases.push({ label: 'unknown query parameter', method, path: `${fill()}?zz_unknown=1`, strict: true });
        for (const q of queryParams)
          for (const [v, strict, accepted] of queryCases(q.name, q.schema))
            cases.push({ label: `query ${q.name}=${v.slice(0, 24)}`, method, path: `${fill()}?${q.name}=${v}`, strict, accepted: accepted ? { name: q.name, code: accepted === true ? null : accepted } : null });
      }
      const wrong = METHODS.find((x) => !methods.includes(x));
      cases.push({ label: `wrong method ${wrong}`, method: wrong, path: fill(), strict: true, allow: methods });
      const kib = op['x-body-limit-kib'] || 0;
      if (op.requestBody && kib > 0) {
        const raw = !op.requestBody.content?.['application/json'];
        // Tolerant cases (an empty body is {}: a no-op PATCH is not malformed)
        // go to ids that do not exist, so that the shared server's data stay
        // as the other test files expect them.
        const none = Object.fromEntries(pathParams.map((p) => [p.name, '2147483646']));
        for (const [label, body, ct, strict] of raw ? rawBodyCases(kib) : jsonBodyCases(kib))
          cases.push({ label: `body: ${label}`, method, path: strict ? fill() : fill(none), body, ct, strict });
      }
      routes.push({ method, path, op, isPublic, open311, cases });
    }
  }
  return routes;
}

async function send(c, token) {
  const headers = {};
  if (c.body !== undefined) headers['Content-Type'] = c.ct;
  let body = c.body === undefined ? null : c.body;
  if (body && body.announce) {
    headers['Content-Length'] = String(body.announce);
    body = null;
  } else if (body && body.chunked) {
    headers['Transfer-Encoding'] = 'chunked';
    const parts = [];
    for (let i = 0; i < body.chunked.length; i += 4096) {
      const piece = body.chunked.subarray(i, i + 4096);
      parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    body = Buffer.concat(parts);
  } else if (body !== null && body.length === 0) headers['Content-Length'] = '0';
  return rawRequest(rawHttp(c.method, c.path, { headers, body, token }), { timeoutMs: 10000 });
}

// Checks one answer; returns a problem description or null.
function judge(route, c, r) {
  if (r.status === 0) return `no answer (${r.error || 'closed'})`;
  if (r.status >= 500) return `answered ${r.status}: ${r.text.slice(0, 200)}`;
  if (c.accepted && r.status === 422 && (r.json?.error?.fields || []).some((f) => f.field === c.accepted.name && (!c.accepted.code || f.code === c.accepted.code)))
    return `a valid value was refused: ${r.text.slice(0, 200)}`;
  if (!c.strict) return null;
  if (r.status < 400 || r.status >= 500) return `answered ${r.status} to malformed input: ${r.text.slice(0, 200)}`;
  if (c.allow && r.status === 405) {
    const allow = (r.headers.allow || '').split(/\s*,\s*/).filter(Boolean).sort().join(',');
    if (allow !== [...c.allow].sort().join(',')) return `405 with Allow "${r.headers.allow}", expected ${c.allow.join(', ')}`;
  }
  if (route.open311 && r.status !== 401) {
    // GeoReport v2 errors, 405 and 413 from the dispatcher included (conformance §1):
    // [{"code": …, "description": "…"}] (JSON) or XML.
    const ok = (Array.isArray(r.json) && r.json.length && r.json[0].code === r.status && r.json[0].description) || /<errors>/.test(r.text);
    return ok ? null : `not a GeoReport error: ${r.status} ${r.text.slice(0, 200)}`;
  }
  try { errorOf(r); } catch (e) { return `${r.status} ${e.message}`; }
  return null;
}

// Wrong types per field. The OpenAPI document does not carry the body
// schemas (they are the handlers' fspec tables), so the fields are learnt from
// the server itself: {"zz_unknown_field":1} is refused with 422 naming every
// missing required field. Each such field then gets every JSON type and some
// awkward numbers, always alongside the unknown field, so that no probe can
// be a valid request: the answer must be a 4xx error, never a 5xx, and
// nothing may change.
const WRONG_VALUES = [0, -1, 1.5, 1e300, -9007199254740991, 'x', '', ' ', true, false, null, [], [1, 'a'], {}, { a: { b: [] } },
  '\u202e\u200b', '😀'.repeat(300), '<script>', "' OR 1=1 --"];
async function addFieldCases(routes) {
  for (const route of routes) {
    const c0 = route.cases.find((c) => c.label === 'body: unknown field');
    if (!c0) continue;
    const r = await send(c0, admin.token);
    const fields = (r.json?.error?.fields || []).filter((f) => f.code === 'required' || f.code === 'missing').map((f) => f.field);
    route.learnt = fields;
    for (const f of fields)
      for (const v of WRONG_VALUES) {
        const body = JSON.stringify({ zz_unknown_field: 1, [f]: v });
        if (body.length > (route.op['x-body-limit-kib'] || 0) * 1024) continue;
        route.cases.push({ label: `body: ${f}=${JSON.stringify(v).slice(0, 20)}`, method: c0.method, path: c0.path, body, ct: 'application/json', strict: true });
      }
  }
}

const corpus = await buildCorpus();

test('the corpus covers every route of the table', async () => {
  await addFieldCases(corpus);
  const learnt = corpus.filter((r) => r.learnt?.length);
  console.log(`# required body fields learnt from the server for ${learnt.length} routes: ${learnt.map((r) => `${r.op.operationId}(${r.learnt.join(',')})`).join(' ')}`);
  assert.ok(corpus.length > 100, `only ${corpus.length} routes in openapi.json`);
  for (const r of corpus) assert.ok(r.cases.length >= 1, `${r.method} ${r.path}: no cases`);
  const n = corpus.reduce((s, r) => s + r.cases.length, 0);
  console.log(`# ${corpus.length} routes, ${n} generated cases (each sent as admin, and unauthenticated where not public)`);
});

for (const route of corpus) {
  test(`bad input: ${route.method} ${route.path}`, async () => {
    const problems = [];
    const who = [['admin', admin.token]];
    if (!route.isPublic) who.push(['anonymous', null]);
    // Strict cases first, between two fingerprints: nothing may change.
    const fp0 = fingerprint();
    for (const c of route.cases.filter((x) => x.strict))
      for (const [name, token] of who) {
        const p = judge(route, c, await send(c, token));
        if (p) problems.push(`[${name}] ${c.label}: ${p}`);
      }
    const fp1 = fingerprint();
    if (fp0 !== fp1) problems.push(`the database changed during the strict cases: ${diffFingerprint(fp0, fp1)}`);
    // Tolerant cases: never 5xx; a route that does not write must not write.
    for (const c of route.cases.filter((x) => !x.strict))
      for (const [name, token] of who) {
        const r = await send(c, token);
        const p = judge(route, c, r);
        if (p) problems.push(`[${name}] ${c.label}: ${p}`);
        else if (r.status < 300) tolerated2xx.push(`${route.method} ${route.path} [${name}] ${c.label}: ${r.status}`);
      }
    const fp2 = fingerprint();
    if (fp1 !== fp2) {
      if (!route.op['x-write']) problems.push(`a route that does not write changed the database: ${diffFingerprint(fp1, fp2)}`);
      else tolerantWrites.push(`${route.method} ${route.path}: ${diffFingerprint(fp1, fp2)}`);
    }
    assert.deepEqual(problems, [], `${route.method} ${route.path}:\n  ${problems.join('\n  ')}`);
  });
}

test('summary of tolerated 2xx answers', () => {
  console.log(`# ${tolerated2xx.length} tolerant cases answered 2xx (empty values, unknown words, empty bodies)`);
  for (const t of tolerated2xx.filter((x) => /empty body/.test(x))) console.log(`#   ${t}`);
  console.log(`# ${tolerantWrites.length} write routes wrote on a tolerant case`);
  for (const t of tolerantWrites) console.log(`#   ${t}`);
});

// Clients that hang up half-way through their headers or body must not leave
// their socket open on the server. libmicrohttpd's epoll mode missed such
// hang-ups and kept the socket in CLOSE-WAIT until the 30 s connection
// timeout (found by soak.test.mjs; the server now uses poll()). The server's
// process is found by its --data directory; its descriptors are counted
// before and shortly after 24 such clients.
function serverPid(dir) {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('--data');
      if (i >= 0 && argv[i + 1] === dir) return Number(p);
    } catch { /* gone or not ours */ }
  }
  return null;
}
test('clients hanging up mid-headers or mid-body leave no socket behind', async () => {
  const pid = serverPid(serverDataDir());
  assert.ok(pid, 'the server process (by its --data directory)');
  const fds = () => readdirSync(`/proc/${pid}/fd`).length;
  // An abandoned request is not a server error: it must not count as 5xx
  // (it used to: no status was recorded as 500).
  const errors = async () => {
    const m = parseMetrics(await (await fetch(`${process.env.WENMING_URL}/metrics`)).text());
    return m.find((x) => x.name === 'wenming_errors_total')?.value ?? 0;
  };
  const errors0 = await errors();
  const before = fds();
  const u = new URL(process.env.WENMING_URL);
  const partial = [
    `GET /api/v1/problems HTTP/1.1\r\nHost: x\r\nAuthoriz`,
    `POST /api/v1/problems HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin.token}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"category":"C0301",`,
    `PATCH /api/v1/orgs/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
  ];
  await Promise.all(Array.from({ length: 24 }, (_, i) => new Promise((res) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port) });
    s.on('error', () => res());
    s.on('close', () => res());
    s.on('connect', () => { s.write(partial[i % partial.length]); s.destroy(); });
  })));
  let now = fds();
  for (let t = 0; t < 30 && now > before + 1; t++) { await new Promise((r) => setTimeout(r, 100)); now = fds(); }
  assert.ok(now <= before + 1, `${now - before} descriptors still open 3 s after 24 clients hung up (before ${before}, now ${now})`);
  assert.equal(await errors(), errors0, 'wenming_errors_total counted the abandoned requests as 5xx');
});
