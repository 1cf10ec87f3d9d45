// search.test.mjs — full-text search over problems (SPEC §3 "Search"):
// GET /api/v1/problems?q= finds Chinese text by any substring (FTS5 trigram)
// and matches traditional and simplified characters alike (OpenCC t2s at
// index and query time); queries shorter than 3 characters fall back to a
// plain substring scan; FTS5 syntax in q is literal text; scope still applies.
//
// Each test makes its own problems; a unique run of Chinese characters (in
// traditional form in one place, simplified in the other) keeps results exact.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, listAll } from './harness.mjs';

await ensureServer();

const S = {};
let COMM = null;

// Traditional → simplified pairs with one unambiguous simplified form each.
const PAIRS = [['樓', '楼'], ['雜', '杂'], ['車', '车'], ['亂', '乱'], ['號', '号'], ['門', '门'], ['電', '电'], ['話', '话'],
  ['書', '书'], ['問', '问'], ['題', '题'], ['運', '运'], ['動', '动'], ['學', '学'], ['會', '会'], ['國', '国']];
let uniq = 0;
// A unique token: {trad, simp}, 12 characters of base 16.
function token() {
  let n = BigInt(Date.now()) * 4096n + BigInt(process.pid % 4096) * 16n + BigInt(++uniq % 16);
  let trad = '', simp = '';
  for (let i = 0; i < 14; i++) {
    const [t, s] = PAIRS[Number(n % 16n)];
    trad += t; simp += s; n /= 16n;
  }
  return { trad, simp };
}

async function report(s, description) {
  const r = await api('POST', '/api/v1/problems', as(s, {
    body: { category: 'C0301', description, org_id: COMM, location: { lat: 31.2219, lng: 121.5384 } },
  }));
  assert.equal(r.status, 201, `report: ${r.text}`);
  return r.json;
}

async function search(q, s = S.office) {
  return (await listAll(`/api/v1/problems?q=${encodeURIComponent(q)}`, s)).map((p) => p.id);
}

before(async () => {
  for (const l of ['office', 'committee', 'committee2']) S[l] = await login(l);
  const r = await api('GET', `/api/v1/orgs?q=${encodeURIComponent('由由第五')}`, as(S.office));
  assert.equal(r.status, 200, r.text);
  COMM = r.json.items.find((o) => o.name === '由由第五居民区').id;
});

test('traditional text is found by a simplified query and vice versa', async () => {
  const t1 = token(), t2 = token();
  const trad = await report(S.committee, `${t1.trad}樓道堆物雜物`);
  const simp = await report(S.committee, `${t2.simp}楼道堆物杂物`);
  assert.deepEqual(await search(`${t1.simp}楼道堆物`), [trad.id], 'simplified query, traditional text');
  assert.deepEqual(await search(`${t1.trad}樓道堆物雜物`), [trad.id], 'traditional query, traditional text');
  assert.deepEqual(await search(`${t2.trad}樓道堆物`), [simp.id], 'traditional query, simplified text');
  assert.deepEqual(await search(`${t2.simp}楼道堆物杂物`), [simp.id], 'simplified query, simplified text');
  // The example, without the unique prefix: both are among the hits.
  const both = await search('楼道堆物');
  assert.ok(both.includes(trad.id) && both.includes(simp.id), 'q=楼道堆物 finds 樓道堆物 and 楼道堆物');
  const both2 = await search('樓道堆物');
  assert.ok(both2.includes(trad.id) && both2.includes(simp.id), 'q=樓道堆物 finds both');
  // The answer shows the description as reported (only the index is simplified).
  const r = await api('GET', `/api/v1/problems/${trad.id}`, as(S.office));
  assert.equal(r.json.description, `${t1.trad}樓道堆物雜物`);
});

test('any substring matches, also in the middle of a word', async () => {
  const t = token();
  const p = await report(S.committee, `${t.trad}樓道堆物雜物`);
  assert.deepEqual(await search(`${t.simp.slice(3, 9)}`), [p.id], 'middle of the token');
  const mid = await search('道堆物');
  assert.ok(mid.includes(p.id), 'q=道堆物');
  assert.ok((await search('堆物杂')).includes(p.id), 'q=堆物杂 across the simplified boundary');
});

test('the problem code, whole or in part', async () => {
  const t = token();
  const p = await report(S.committee, `${t.simp}井盖缺失`);
  assert.match(p.code, /^HM-\d{4}-\d{6}$/);
  assert.deepEqual(await search(p.code), [p.id], 'whole code');
  assert.ok((await search(p.code.slice(3))).includes(p.id), 'code without its prefix');
  assert.ok((await search(p.code.toLowerCase())).includes(p.id), 'ASCII case does not matter');
  // Demo problems (written by `wenming demo`) are indexed too.
  const first = await api('GET', '/api/v1/problems?limit=1', as(S.office));
  assert.equal(first.status, 200, first.text);
  const demo = first.json.items[0];
  assert.ok((await search(demo.code)).includes(demo.id), 'a demo problem by its code');
});

test('queries shorter than three characters fall back to a substring scan', async () => {
  const t = token();
  const p = await report(S.committee, `${t.trad}樓道堆物雜物`);
  assert.ok((await search('雜物')).includes(p.id), 'two traditional characters');
  assert.ok((await search('杂物')).includes(p.id), 'two simplified characters');
  assert.ok((await search('樓')).includes(p.id), 'one character');
  const s2 = token();
  const q = await report(S.committee, `${s2.simp}xy`);
  assert.ok((await search('XY')).includes(q.id), 'two ASCII characters, case-insensitive');
});

test('FTS5 syntax in q is literal text: 200, never 500', async () => {
  const t = token();
  const p = await report(S.committee, `${t.trad}說"你好" a*b OR NEAR(x) -y`);
  for (const q of ['"', '""', '"""', '*', 'OR', 'NEAR(', 'NEAR(a b)', '-', '- -', 'a OR b', 'x* AND y', '"楼道',
    '楼道"堆物', '(', ')', ':', 'body:楼道', '^楼道', '{body}: x', 'a + b', '\\', "'", '%', '_', ';--']) {
    const r = await api('GET', `/api/v1/problems?q=${encodeURIComponent(q)}`, as(S.office));
    assert.equal(r.status, 200, `q=${q}: ${r.status} ${r.text.slice(0, 200)}`);
  }
  assert.deepEqual(await search(`${t.simp}说"你好"`), [p.id], 'quotes are part of the phrase');
  assert.deepEqual(await search(`"你好" a*b OR NEAR(x) -y`).then((ids) => ids.includes(p.id)), true, 'operators are text');
  assert.deepEqual(await search(`${t.simp} OR 楼道`), [], 'OR is not an operator');
});

test('LIKE wildcards in q are literal text too (PostgreSQL matches with ILIKE)', async () => {
  const t = token(), u = token();
  const p = await report(S.committee, `${t.simp}甲_乙%丙\\丁`);
  const other = await report(S.committee, `${u.simp}甲x乙yy丙`);
  assert.deepEqual(await search(`${t.simp}甲_乙`), [p.id], 'an underscore is itself');
  assert.deepEqual(await search(`${u.simp}甲_乙`), [], 'an underscore matches no other character');
  assert.deepEqual(await search(`${u.simp}甲%丙`), [], 'a percent sign matches no run of characters');
  assert.deepEqual(await search(`${t.simp}甲_乙%丙\\丁`), [p.id], 'the whole text, backslash included');
  assert.ok((await search('乙%丙\\丁')).includes(p.id), 'percent and backslash inside the phrase');
  assert.ok(!(await search('乙%丙\\丁')).includes(other.id));
});

test('scope still applies to search', async () => {
  const t = token();
  const p = await report(S.committee, `${t.trad}樓道堆物`);
  assert.deepEqual(await search(`${t.simp}楼道`, S.committee), [p.id], 'committee sees its own');
  assert.deepEqual(await search(`${t.simp}楼道`, S.committee2), [], 'committee2 does not');
  assert.deepEqual(await search(t.simp.slice(0, 2), S.committee2).then((ids) => ids.includes(p.id)), false,
    'nor through the short-query fallback');
  assert.deepEqual(await search(p.code, S.committee2), [], 'nor by code');
});
