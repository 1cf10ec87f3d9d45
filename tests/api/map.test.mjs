// map.test.mjs — what the map and the big screen read (SPEC §10, issue 4):
// GET /api/v1/problems/map (the list's filters and scope, bbox, open/all,
// limit and truncation, only marker fields), GET /api/v1/problems/feed
// (kpis.read; office/committee subtrees, handler units; public fields only), GET /api/v1/config/map, and the
// Content-Security-Policy that lets the map load.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureServer, api, as, login, errorOf, orgId, tag, listAll, binPath, testDatabase, serverArgs } from './harness.mjs';

await ensureServer();

const S = {};
const ORG = {};
const POINT_KEYS = ['category', 'category_name', 'code', 'id', 'lat', 'lng', 'org_id', 'overdue', 'state'];
const FEED_KEYS = ['action', 'at', 'category', 'category_name', 'code', 'community', 'id', 'state'];
let CAT;

before(async () => {
  for (const l of ['admin', 'office', 'committee', 'committee2', 'handler', 'inspector', 'resident']) S[l] = await login(l);
  ORG.yy5 = await orgId('由由第五居民区');
  ORG.wt = await orgId('梧桐居民区');
  // A category of its own, so other files' problems never appear in the counts.
  const r = await api('POST', '/api/v1/categories', as(S.admin, {
    body: { code: `M${tag('').slice(-10)}`, name: `地图测试-${tag()}`, deadline_amount: 72, deadline_unit: 'cal_hours' },
  }));
  assert.equal(r.status, 201, r.text);
  CAT = r.json.code;
});

async function report(s, org, location, description = `地图测试 ${tag('d')} 联系电话13912345678`) {
  const r = await api('POST', '/api/v1/problems', as(s, { body: { category: CAT, description, org_id: org, location } }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const map = (s, q) => api('GET', `/api/v1/problems/map?${new URLSearchParams(q)}`, as(s));

test('map: the list’s set of problems, marker fields only, open by default', async () => {
  const a = await report(S.committee, ORG.yy5, { lat: 31.2231, lng: 121.5431 });
  const b = await report(S.committee, ORG.yy5, { lat: 31.2241, lng: 121.5441 });
  const r = await map(S.office, { category: CAT });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.truncated, false);
  const ids = r.json.points.map((p) => p.id);
  assert.ok(ids.includes(a.id) && ids.includes(b.id));
  for (const p of r.json.points) {
    assert.deepEqual(Object.keys(p).sort(), POINT_KEYS, 'no description, reporter, address or handler');
    assert.equal(typeof p.lat, 'number');
    assert.equal(typeof p.overdue, 'boolean');
  }
  assert.doesNotMatch(r.text, /13912345678|地图测试 d/, 'descriptions never reach the map');
  // The same ids as the list with the same filter (open states).
  const list = await listAll(`/api/v1/problems?category=${CAT}&state=open`, S.office);
  assert.deepEqual(ids.sort(), list.map((p) => p.id).sort());
  // A rejected problem leaves the default (open) map but is on state=all.
  const rej = await api('POST', `/api/v1/problems/${a.id}/actions`, as(S.committee, { body: { action: 'reject', reason: '测试' } }));
  assert.equal(rej.status, 200, rej.text);
  const open = await map(S.office, { category: CAT });
  assert.ok(!open.json.points.some((p) => p.id === a.id));
  const all = await map(S.office, { category: CAT, state: 'all' });
  assert.ok(all.json.points.some((p) => p.id === a.id && p.state === 'rejected'));
  const one = await map(S.office, { category: CAT, state: 'rejected' });
  assert.deepEqual(one.json.points.map((p) => p.id), [a.id]);
});

test('map: a 居委 sees only its own community’s problems, even when asking for another', async () => {
  const mine = await report(S.committee, ORG.yy5, { lat: 31.2101, lng: 121.5501 });
  const theirs = await report(S.committee2, ORG.wt, { lat: 31.2102, lng: 121.5502 });
  const c1 = await map(S.committee, { category: CAT, state: 'all' });
  assert.equal(c1.status, 200);
  const ids1 = c1.json.points.map((p) => p.id);
  assert.ok(ids1.includes(mine.id));
  assert.ok(!ids1.includes(theirs.id), 'committee sees committee2’s problem');
  for (const p of c1.json.points) assert.equal(p.org_id, ORG.yy5);
  const forced = await map(S.committee, { category: CAT, state: 'all', org_id: ORG.wt });
  assert.equal(forced.status, 200);
  assert.deepEqual(forced.json.points, []);
  const c2 = await map(S.committee2, { category: CAT, state: 'all' });
  assert.ok(c2.json.points.some((p) => p.id === theirs.id) && !c2.json.points.some((p) => p.id === mine.id));
  // A resident sees what it reported, nothing else.
  const res = await map(S.resident, { category: CAT, state: 'all' });
  assert.deepEqual(res.json.points, []);
  const own = await report(S.resident, ORG.yy5, { lat: 31.2103, lng: 121.5503 });
  const res2 = await map(S.resident, { category: CAT, state: 'all' });
  assert.deepEqual(res2.json.points.map((p) => p.id), [own.id]);
});

test('map: bbox keeps the points inside; limit truncates, newest first', async () => {
  const inside = await report(S.committee, ORG.yy5, { lat: 31.3001, lng: 121.6001 });
  const outside = await report(S.committee, ORG.yy5, { lat: 31.3101, lng: 121.6101 });
  const r = await map(S.office, { category: CAT, bbox: '121.6,31.3,121.605,31.305' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.points.map((p) => p.id), [inside.id]);
  const both = await map(S.office, { category: CAT, bbox: '121.59,31.29,121.62,31.32' });
  assert.deepEqual(both.json.points.map((p) => p.id), [outside.id, inside.id]);
  const lim = await map(S.office, { category: CAT, limit: '1' });
  assert.equal(lim.json.points.length, 1);
  assert.equal(lim.json.truncated, true);
  assert.equal(lim.json.points[0].id, outside.id, 'newest first');
});

test('map: bad parameters answer 422 with the field', async () => {
  for (const bbox of ['1,2,3', '1,2,3,4,5', 'a,b,c,d', '121.6,31.3,121.5,31.4', '0,91,1,92', '200,0,201,1', '1,,2,3,4', '1e1,2,3,4', ' 1,2,3,4']) {
    const r = await map(S.office, { bbox });
    assert.equal(r.status, 422, `bbox=${bbox}: ${r.status}`);
    assert.ok(errorOf(r).fields.some((f) => f.field === 'bbox'), `bbox=${bbox}: ${r.text}`);
  }
  for (const [k, v] of [['limit', '0'], ['limit', '5001'], ['limit', 'x'], ['state', 'nope'], ['category', 'NOPE'], ['org_id', '-1']]) {
    const r = await map(S.office, { [k]: v });
    assert.equal(r.status, 422, `${k}=${v}: ${r.status} ${r.text}`);
    assert.ok(errorOf(r).fields.some((f) => f.field === k));
  }
  const unknown = await api('GET', '/api/v1/problems/map?q=x', as(S.office));
  assert.equal(unknown.status, 422, 'undeclared parameters are refused');
  const anon = await api('GET', '/api/v1/problems/map');
  assert.equal(anon.status, 401);
});

test('feed: public fields only, newest first, scoped to the 居委', async () => {
  const p = await report(S.committee, ORG.yy5, { lat: 31.2201, lng: 121.5601 });
  const q = await report(S.committee2, ORG.wt, { lat: 31.2202, lng: 121.5602 });
  const office = await api('GET', '/api/v1/problems/feed?limit=100', as(S.office));
  assert.equal(office.status, 200, office.text);
  const codes = office.json.items.map((e) => e.code);
  assert.ok(codes.includes(p.code) && codes.includes(q.code));
  for (const e of office.json.items) assert.deepEqual(Object.keys(e).sort(), FEED_KEYS);
  assert.doesNotMatch(office.text, /13912345678|地图测试 d|description|actor|note|reporter/, 'no personal data in the feed');
  const ids = office.json.items.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((x, y) => y - x), 'newest first');
  const mine = office.json.items.find((e) => e.code === p.code);
  assert.equal(mine.action, 'report');
  assert.equal(mine.community, '由由第五居民区');
  assert.match(mine.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);

  const c1 = await api('GET', '/api/v1/problems/feed?limit=100', as(S.committee));
  assert.equal(c1.status, 200);
  const c1codes = c1.json.items.map((e) => e.code);
  assert.ok(c1codes.includes(p.code));
  assert.ok(!c1codes.includes(q.code), 'committee sees committee2’s events');
  for (const e of c1.json.items) assert.equal(e.community, '由由第五居民区');
  // Asking for another community narrows to nothing; it never widens the scope.
  const forced = await api('GET', `/api/v1/problems/feed?org_id=${ORG.wt}&limit=100`, as(S.committee));
  assert.equal(forced.status, 200);
  assert.deepEqual(forced.json.items, []);
  const narrowed = await api('GET', `/api/v1/problems/feed?org_id=${ORG.wt}&limit=100`, as(S.office));
  assert.ok(narrowed.json.items.every((e) => e.community === '梧桐居民区'));
  const lim = await api('GET', '/api/v1/problems/feed?limit=2', as(S.office));
  assert.equal(lim.json.items.length, 2);
});

test('feed: a handler unit sees only the problems dispatched to it; inspectors and residents none', async () => {
  const h = await api('GET', '/api/v1/problems/feed?limit=100', as(S.handler));
  assert.equal(h.status, 200, h.text);
  assert.ok(h.json.items.length > 0, 'the demo handler has dispatched problems');
  const visible = new Set((await listAll('/api/v1/problems', S.handler)).map((p) => p.code));
  for (const e of h.json.items) assert.ok(visible.has(e.code), `${e.code} is not the handler's`);
  for (const l of ['inspector', 'resident']) {
    const r = await api('GET', '/api/v1/problems/feed', as(S[l]));
    assert.equal(r.status, 403, `${l}: ${r.status}`);
  }
  for (const v of ['0', '101', 'ten']) {
    const r = await api('GET', `/api/v1/problems/feed?limit=${v}`, as(S.office));
    assert.equal(r.status, 422, `limit=${v}`);
  }
});

test('config/map: no tile server by default, and the CSP allows only our own images', async () => {
  const r = await api('GET', '/api/v1/config/map', as(S.resident));
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { tile_url: null, attribution: null });
  const page = await api('GET', '/');
  const csp = page.headers.get('content-security-policy');
  assert.match(csp, /img-src 'self' data: blob:;/);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, 'no inline scripts');
  // The libraries the pages import are served from our own origin.
  for (const a of ['echarts.esm.min.mjs', 'leaflet-src.esm.js', 'leaflet.css', 'dashboard.css']) {
    const x = await api('GET', `/assets/${a}`);
    assert.equal(x.status, 200, a);
  }
});

// Starts `wenming serve` on a fresh directory with extra arguments; resolves
// {url, stop} or, when it exits first, {code, stderr}.
async function serveWith(args) {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-tiles-'));
  const db = testDatabase();
  const child = spawn(binPath(), ['serve', ...serverArgs(dir, db), '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const gone = () => { rmSync(dir, { recursive: true, force: true }); db.drop(); };
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) resolve({ url: m[1], stop: async () => { const done = new Promise((r) => child.on('exit', r)); child.kill('SIGTERM'); await done; gone(); } });
    });
    child.on('exit', (code) => { gone(); resolve({ code, stderr: err }); });
  });
}

test('--tile-url: the tile origin joins the CSP img-src; a bad URL stops the server', async () => {
  const s = await serveWith(['--tile-url', 'https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png', '--tile-attribution', '© 示例地图']);
  assert.ok(s.url, s.stderr);
  try {
    const csp = (await fetch(s.url + '/')).headers.get('content-security-policy');
    assert.match(csp, /img-src 'self' data: blob: https:\/\/\*\.tiles\.example\.org:8443;/);
  } finally { await s.stop(); }
  for (const bad of ['ftp://x.org/{z}/{x}/{y}', 'https://x.org/tiles', "https://x.org/{z}/{x}/{y}.png;script-src 'unsafe-inline'",
    'https://x.org/{z}/{x}/{y}.png data:', 'https://user@x.org/{z}/{x}/{y}', 'https://{z}.x.org/{z}/{x}/{y}']) {
    const r = await serveWith(['--tile-url', bad]);
    assert.equal(r.code, 2, `${bad}: ${r.url || r.stderr}`);
    assert.match(r.stderr, /--tile-url/);
  }
});
