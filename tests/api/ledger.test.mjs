// ledger.test.mjs — the rectification ledger (整改台账, SPEC §3 "Ledgers") as
// Excel and CSV, and the printable rectification notice (整改通知单): columns,
// filters and the period, scope (a 居委 never gets another 居委's problems),
// CSV formula neutralisation, no personal data, an audit entry per export,
// HTML escaping and 404 for invisible problems.
//
// The .xlsx is read with a minimal zip central-directory reader (node:zlib).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, tag, baseUrl, makePng, spotOf } from './harness.mjs';
import { unzip, cells, assertDateCell, chinaText } from './xlsx-read.mjs';

await ensureServer();

const S = {};
const ORG = {};

async function orgBy(q, pred) {
  const r = await api('GET', `/api/v1/orgs?q=${encodeURIComponent(q)}`, as(S.admin));
  assert.equal(r.status, 200, r.text);
  const o = r.json.items.find(pred);
  assert.ok(o, `org ${q} not found`);
  return o;
}

async function report(s, description, extra = {}) {
  const body = { category: 'C0301', description, org_id: ORG.comm, location: { lat: 31.2219, lng: 121.5384 }, ...extra };
  const r = await api('POST', '/api/v1/problems', as(s, { body }));
  assert.equal(r.status, 201, `report: ${r.text}`);
  return r.json;
}

async function act(s, id, action, extra = {}) {
  const r = await api('POST', `/api/v1/problems/${id}/actions`, as(s, { body: { action, ...extra } }));
  assert.equal(r.status, 200, `${action}: ${r.text}`);
  return r.json;
}

async function fetchRaw(s, path) {
  const res = await fetch(baseUrl() + path, { headers: { Authorization: `Bearer ${s.token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

function csvRows(text) {
  // Enough of RFC 4180 for the assertions: quoted cells with "" and newlines.
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r') { /* CRLF */ } else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

let P;	// a closed problem in 由由第五 with before/after photos
let T;	// its tag

before(async () => {
  for (const l of ['admin', 'office', 'committee', 'committee2', 'handler', 'resident', 'inspector', 'volunteer'])
    S[l] = await login(l);
  ORG.comm = (await orgBy('由由第五', (o) => o.name === '由由第五居民区')).id;
  ORG.jxqc = (await orgBy('HM-WY-JXQC', (o) => o.code === 'HM-WY-JXQC')).id;
  T = tag('ledger');
  P = await report(S.resident, `台账测试 ${T}`, { address: '由由路 88 弄 3 号' });
  await act(S.committee, P.id, 'accept');
  await act(S.committee, P.id, 'dispatch', { handler_org_id: ORG.jxqc });
  P = (await api('GET', `/api/v1/problems/${P.id}`, as(S.committee))).json;
});

test('CSV: BOM, the SPEC §3 columns in Chinese, the row of a known problem', async () => {
  const r = await fetchRaw(S.office, `/api/v1/ledger/csv?q=${encodeURIComponent(T)}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="ledger-\d{8}\.csv"; filename\*=UTF-8''%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6-\d{8}\.csv/);
  assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const rows = csvRows(r.bytes.subarray(3).toString('utf8'));
  assert.deepEqual(rows[0], ['编号', '发现日期', '地点', '问题类别', '问题描述', '问题来源', '责任单位', '整改时限',
    '状态', '整改日期', '核查人', '销号日期', '整改前照片', '整改后照片', '是否超期']);
  assert.equal(rows.length, 2, JSON.stringify(rows));
  const row = rows[1];
  assert.equal(row[0], P.code);
  assert.match(row[1], /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.equal(row[2], '由由第五居民区 由由路 88 弄 3 号');
  assert.match(row[3], / › /, '大类 › 小类');
  assert.equal(row[4], `台账测试 ${T}`);
  assert.equal(row[5], '随手拍');
  assert.equal(row[6], P.handler_name);
  assert.match(row[7], /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.equal(row[8], '已派遣');
  assert.equal(row[14], '否');
});

test('CSV: the full loop fills 整改日期, 核查人, 销号日期 and before/after photo links', async () => {
  const up = async (s) => (await api('POST', '/api/v1/photos', as(s, { body: makePng(12, 10), headers: { 'Content-Type': 'image/png' } }))).json.id;
  const t = tag('loop');
  const before = await up(S.committee);
  const p = await report(S.committee, `台账闭环 ${t}`, { photos: [before] });
  await act(S.committee, p.id, 'accept');
  await act(S.committee, p.id, 'dispatch', { handler_org_id: ORG.jxqc });
  const h = await login('handler');
  await act(h, p.id, 'acknowledge');
  const after = await up(h);
  await act(h, p.id, 'rectify', { photos: [after], note: '已清理', location: await spotOf(h, p.id) });
  await act(S.office, p.id, 'verify_pass');
  const r = await fetchRaw(S.office, `/api/v1/ledger/csv?q=${encodeURIComponent(t)}`);
  const rows = csvRows(r.bytes.subarray(3).toString('utf8'));
  assert.equal(rows.length, 2);
  const row = rows[1];
  assert.equal(row[8], '已销号');
  assert.match(row[9], /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.equal(row[10], (await api('GET', '/api/v1/session', as(S.office))).json.display_name);
  assert.match(row[11], /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.match(row[12], new RegExp(`^http://127\\.0\\.0\\.1:\\d+/api/v1/photos/${before}$`));
  assert.match(row[13], new RegExp(`/api/v1/photos/${after}$`));
});

test('CSV: no personal data of the reporter', async () => {
  const me = (await api('GET', '/api/v1/session', as(S.resident))).json;
  const r = await fetchRaw(S.office, `/api/v1/ledger/csv?q=${encodeURIComponent(T)}`);
  const text = r.bytes.toString('utf8');
  assert.ok(!text.includes(me.display_name), 'reporter name not in the ledger');
  assert.ok(!text.includes(me.login), 'reporter login not in the ledger');
  assert.doesNotMatch(text, /1[3-9]\d{9}/, 'no phone numbers');
  assert.doesNotMatch(text, /\d{17}[\dX]/, 'no ID numbers');
});

test('filters and the period: from/to on created_at exclude, state and category filter', async () => {
  const q = `q=${encodeURIComponent(T)}`;
  const count = async (extra) => {
    const r = await fetchRaw(S.office, `/api/v1/ledger/csv?${q}&${extra}`);
    assert.equal(r.status, 200, r.bytes.toString());
    return csvRows(r.bytes.subarray(3).toString('utf8')).length - 1;
  };
  const at = encodeURIComponent(P.created_at);
  const later = encodeURIComponent(new Date(Date.parse(P.created_at) + 1000).toISOString());
  assert.equal(await count(`from=${at}`), 1);
  assert.equal(await count(`to=${at}`), 0, 'to is exclusive');
  assert.equal(await count(`from=${later}`), 0);
  assert.equal(await count(`to=${later}`), 1);
  assert.equal(await count('from=2000-01-01&to=2001-01-01'), 0);
  assert.equal(await count('state=dispatched'), 1);
  assert.equal(await count('state=closed'), 0);
  assert.equal(await count('category=C0301'), 1);
  assert.equal(await count(`handler_org_id=${ORG.jxqc}`), 1);
  assert.equal(await count(`org_id=${ORG.comm}`), 1);
  assert.equal(await count('source=hotline'), 0);
  const bad = await api('GET', '/api/v1/ledger/csv?from=yesterday', as(S.office));
  assert.equal(bad.status, 422);
  const unknown = await api('GET', '/api/v1/ledger/csv?stat=open', as(S.office));
  assert.equal(unknown.status, 422);
});

test('CSV neutralises a formula-looking description', async () => {
  const t = tag('f');
  await report(S.committee, `=HYPERLINK("http://evil.example/${t}","点我")`);
  const r = await fetchRaw(S.committee, `/api/v1/ledger/csv?q=${encodeURIComponent(t)}`);
  const text = r.bytes.toString('utf8');
  const rows = csvRows(text.slice(1));
  assert.equal(rows.length, 2);
  assert.ok(rows[1][4].startsWith("'="), rows[1][4]);
  assert.doesNotMatch(text, /(^|,|")=HYPERLINK/m);
});

test('xlsx: a zip with the sheet, the header, a known code, title, frozen header and autofilter', async () => {
  const r = await fetchRaw(S.office, `/api/v1/ledger/xlsx?q=${encodeURIComponent(T)}&from=2020-01-01`);
  assert.equal(r.status, 200, r.bytes.toString().slice(0, 200));
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(r.headers.get('content-disposition'), /filename="ledger-\d{8}\.xlsx"; filename\*=UTF-8''%E6%95%B4/);
  assert.equal(r.bytes.subarray(0, 2).toString('latin1'), 'PK');
  const files = unzip(r.bytes);
  const sheet = files['xl/worksheets/sheet1.xml'];
  assert.ok(sheet, Object.keys(files).join(', '));
  const xml = sheet.toString('utf8');
  assert.ok(xml.includes('<t>编号</t>'), 'header 编号');
  assert.ok(xml.includes('<t>整改后照片</t>'));
  assert.ok(xml.includes(`<t>${P.code}</t>`), 'known problem code');
  assert.match(xml, /<t>花木街道 整改台账 2020-01-01 至 …<\/t>/);
  assert.match(xml, /state="frozen"/);
  assert.match(xml, /<autoFilter ref="A3:O4"\/>/);
  assert.ok(xml.includes('需先登录'), 'note: photo links need a login');
  // 发现日期 and 整改时限 are Excel dates in China time, not text (conformance §3).
  const c = cells(files);
  assertDateCell(files, c, 'B4', 'yyyy-mm-dd hh:mm', chinaText(P.created_at));
  assertDateCell(files, c, 'H4', 'yyyy-mm-dd hh:mm', chinaText(P.deadline));
  assert.equal(c.get('J4').value, null, '整改日期 blank while open');
  assert.equal(c.get('L4').value, null, '销号日期 blank while open');
  assert.equal(c.get('A4').value, P.code);
});

test('xlsx: 整改日期 and 销号日期 of a closed problem are Excel dates too', async () => {
  const t = tag('xd');
  const p = await report(S.committee, `台账日期 ${t}`, { photos: [(await api('POST', '/api/v1/photos', as(S.committee, { body: makePng(12, 10), headers: { 'Content-Type': 'image/png' } }))).json.id] });
  await act(S.committee, p.id, 'accept');
  await act(S.committee, p.id, 'dispatch', { handler_org_id: ORG.jxqc });
  const h = await login('handler');
  await act(h, p.id, 'acknowledge');
  const ph = (await api('POST', '/api/v1/photos', as(h, { body: makePng(12, 10), headers: { 'Content-Type': 'image/png' } }))).json.id;
  await act(h, p.id, 'rectify', { photos: [ph], note: '已清理', location: await spotOf(h, p.id) });
  await act(S.office, p.id, 'verify_pass');
  const full = (await api('GET', `/api/v1/problems/${p.id}`, as(S.office))).json;
  const r = await fetchRaw(S.office, `/api/v1/ledger/xlsx?q=${encodeURIComponent(t)}`);
  assert.equal(r.status, 200);
  const files = unzip(r.bytes);
  const c = cells(files);
  assert.equal(c.get('A4').value, full.code);
  assertDateCell(files, c, 'B4', 'yyyy-mm-dd hh:mm', chinaText(full.created_at));
  assertDateCell(files, c, 'J4', 'yyyy-mm-dd hh:mm', chinaText(full.rectified_at));
  assertDateCell(files, c, 'L4', 'yyyy-mm-dd hh:mm', chinaText(full.closed_at));
});

test('one U+FFFF does not break the xlsx: refused on input, stripped from stored rows (security #12)', async () => {
  const t = tag('ffff');
  // The review's reproduction: refused now, through the API and Open311.
  for (const ch of ['\uffff', '\ufffe', '\ufdd0', '\u{1ffff}']) {
    const bad = await api('POST', '/api/v1/problems', as(S.committee, { body: { category: 'C0301', description: `非字符 ${ch} ${t}`, org_id: ORG.comm, location: { lat: 31.2219, lng: 121.5384 } } }));
    assert.equal(bad.status, 422, `${JSON.stringify(ch)}: ${bad.text}`);
  }
  const o = await api('POST', '/open311/v2/requests.json', { body: new URLSearchParams({ service_code: 'C0301', lat: '31.2219', long: '121.5384', description: `anon \uffff ${t}` }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(o.status, 400, o.text);
  // The ledger stays well-formed XML with every row (no raw non-character in any part).
  const r = await fetchRaw(S.office, `/api/v1/ledger/xlsx?q=${encodeURIComponent(T)}`);
  for (const [name, data] of Object.entries(unzip(r.bytes)))
    if (name.endsWith('.xml')) assert.doesNotMatch(data.toString('utf8'), /[\uFFFE\uFFFF\u0000-\u0008\u000B\u000C\u000E-\u001F]/, name);
});

test('scope: committee2 does not get 由由第五’s problems; committee does', async () => {
  const c2 = await fetchRaw(S.committee2, '/api/v1/ledger/csv');
  assert.equal(c2.status, 200);
  const rows = csvRows(c2.bytes.subarray(3).toString('utf8')).slice(1);
  assert.ok(rows.length > 0, 'committee2 sees its own community');
  assert.ok(!rows.some((r) => r[2].startsWith('由由第五居民区')), 'no 由由第五 rows for committee2');
  assert.ok(!rows.some((r) => r[0] === P.code));
  const x2 = await fetchRaw(S.committee2, `/api/v1/ledger/xlsx?q=${encodeURIComponent(T)}`);
  assert.ok(!unzip(x2.bytes)['xl/worksheets/sheet1.xml'].toString().includes(P.code));
  const c1 = await fetchRaw(S.committee, `/api/v1/ledger/csv?q=${encodeURIComponent(T)}`);
  assert.ok(c1.bytes.toString().includes(P.code));
});

test('residents, volunteers, handlers and inspectors get 403; anonymous 401', async () => {
  for (const l of ['resident', 'volunteer', 'handler', 'inspector']) {
    for (const f of ['csv', 'xlsx']) {
      const r = await api('GET', `/api/v1/ledger/${f}`, as(S[l]));
      assert.equal(r.status, 403, `${l} ${f}`);
    }
  }
  assert.equal((await api('GET', '/api/v1/ledger/csv')).status, 401);
});

test('each export writes an audit entry with the filter', async () => {
  for (const f of ['csv', 'xlsx']) {
    const r = await fetchRaw(S.office, `/api/v1/ledger/${f}?q=${encodeURIComponent(T)}&state=dispatched`);
    assert.equal(r.status, 200);
    const a = await api('GET', '/api/v1/audit?resource=ledger&action=export&limit=1', as(S.admin));
    assert.equal(a.status, 200, a.text);
    const e = a.json.items[0];
    assert.equal(e.actor_login, 'office');
    assert.equal(e.after.format, f);
    assert.equal(e.after.filter.q, T);
    assert.equal(e.after.filter.state, 'dispatched');
    assert.equal(e.after.rows, 1);
  }
});

test('notice: the printable 整改通知单 with code, handler, escaped description; 404 when invisible', async () => {
  const t = tag('n');
  const p = await report(S.committee, `<script>alert("${t}")</script> & 楼道堆物`, { address: '<b>由由路</b>' });
  await act(S.committee, p.id, 'accept');
  await act(S.committee, p.id, 'dispatch', { handler_org_id: ORG.jxqc });
  const full = (await api('GET', `/api/v1/problems/${p.id}`, as(S.committee))).json;
  const r = await api('GET', `/api/v1/problems/${p.id}/notice`, as(S.committee));
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
  const html = r.text;
  assert.ok(html.includes('整改通知单'));
  assert.ok(html.includes('回执'));
  assert.ok(html.includes(p.code));
  assert.ok(html.includes(full.handler_name), 'handler name');
  assert.ok(html.includes('由由第五居民区'));
  assert.ok(html.includes('花木街道'), 'issuing org: the community’s parent');
  assert.ok(html.includes(`&lt;script&gt;alert(&quot;${t}&quot;)&lt;/script&gt; &amp; 楼道堆物`));
  assert.ok(html.includes('&lt;b&gt;由由路&lt;/b&gt;'));
  assert.ok(!/<script/i.test(html), 'no script element at all');
  assert.equal((await api('GET', `/api/v1/problems/${p.id}/notice`, as(S.committee2))).status, 404);
  assert.equal((await api('GET', '/api/v1/problems/999999999/notice', as(S.admin))).status, 404);
  // The before-photo thumbnail of a problem reported with a photo.
  const nr = await api('GET', `/api/v1/problems/${P.id}/notice`, as(S.office));
  assert.equal(nr.status, 200);
  assert.ok(nr.text.includes(P.code));
});

// Review 2026-12-07, coverage 6: the demo closes nothing on paper — every
// closed problem has an after-photo, and its rectification a location.
test('demo: every 已销号 row has an after-photo; every closed problem\'s rectify has a location', async () => {
  const r = await fetchRaw(S.admin, '/api/v1/ledger/csv?state=closed');
  const rows = csvRows(r.bytes.subarray(3).toString('utf8')).slice(1).filter((x) => x[8] === '已销号');
  assert.ok(rows.length > 50, `closed rows: ${rows.length}`);
  const bare = rows.filter((x) => !x[13]);
  assert.deepEqual(bare.map((x) => x[0]), [], 'closed without an after-photo');
  for (const code of rows.slice(0, 40).map((x) => x[0])) {
    const found = await api('GET', `/api/v1/problems?q=${encodeURIComponent(code)}&state=closed`, as(S.admin));
    const p = found.json.items.find((x) => x.code === code);
    const full = await api('GET', `/api/v1/problems/${p.id}`, as(S.admin));
    const fixes = full.json.events.filter((e) => e.action === 'rectify');
    assert.ok(fixes.length && fixes.every((e) => e.data && e.data.location), `${code}: rectify without a location`);
  }
});
