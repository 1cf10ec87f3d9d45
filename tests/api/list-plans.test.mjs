// list-plans.test.mjs — GET /api/v1/problems answers selective filters with
// their own statements (an index drives the search: a small org subtree on
// problems_org, a closed past period on problems_created, a full-text phrase
// on the trigram index; see store_problem_list). Whatever statement serves a
// page, the pages walked with the cursor must be exactly the rows of the
// unfiltered list that match, newest first — checked here against the
// unfiltered list filtered in the test, at page sizes that pick either plan
// (the subtree plan is chosen when R² ≤ limit × N).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login } from './harness.mjs';

await ensureServer();
let office, all;

async function walk(query, limit) {
  const ids = [];
  let cursor = null;
  for (let i = 0; i < 2000; i++) {
    const r = await api('GET', `/api/v1/problems?limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ''}`, as(office));
    assert.equal(r.status, 200, r.text);
    ids.push(...r.json.items.map((p) => p.id));
    cursor = r.json.next_cursor;
    if (!cursor) return ids;
  }
  throw new Error('too many pages');
}

before(async () => {
  office = await login('office');
  all = [];
  let cursor = null;
  do {
    const r = await api('GET', `/api/v1/problems?limit=200${cursor ? `&cursor=${cursor}` : ''}`, as(office));
    assert.equal(r.status, 200, r.text);
    all.push(...r.json.items);
    cursor = r.json.next_cursor;
  } while (cursor);
  assert.ok(all.length > 100, 'the demo has problems to list');
});

test('a community filter: same rows with every page size', async () => {
  const r = await api('GET', '/api/v1/orgs?kind=community&limit=200', as(office));
  assert.equal(r.status, 200, r.text);
  const counts = new Map();
  for (const p of all) counts.set(p.org_id, (counts.get(p.org_id) || 0) + 1);
  // The busiest community; the demo reports on communities, not on their sub-orgs.
  const comm = r.json.items.sort((a, b) => (counts.get(b.id) || 0) - (counts.get(a.id) || 0))[0];
  const want = all.filter((p) => p.org_id === comm.id).map((p) => p.id);
  assert.ok(want.length >= 5, 'the community has problems');
  for (const limit of [1, 3, 7, 50, 200]) assert.deepEqual(await walk(`org_id=${comm.id}`, limit), want, `limit ${limit}`);
  const open = all.filter((p) => p.org_id === comm.id && !['closed', 'rejected', 'merged'].includes(p.state)).map((p) => p.id);
  for (const limit of [2, 50]) assert.deepEqual(await walk(`org_id=${comm.id}&state=open`, limit), open, `open, limit ${limit}`);
});

test('a closed period in the past: same rows as the unfiltered list', async () => {
  const times = all.map((p) => Date.parse(p.created_at) / 1000).sort((a, b) => a - b);
  // The oldest tenth: far in the past compared with the rest, so the period plan is taken.
  const from = times[0], to = times[Math.floor(times.length / 10)];
  const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
  const want = all.filter((p) => { const t = Date.parse(p.created_at) / 1000; return t >= from && t < to; }).map((p) => p.id);
  assert.ok(want.length > 0, 'the period holds problems');
  for (const limit of [1, 4, 200]) assert.deepEqual(await walk(`from=${iso(from)}&to=${iso(to)}`, limit), want, `limit ${limit}`);
  const cat = all.find((p) => want.includes(p.id)).category;
  const wantCat = all.filter((p) => want.includes(p.id) && p.category === cat).map((p) => p.id);
  assert.deepEqual(await walk(`from=${iso(from)}&to=${iso(to)}&category=${cat}`, 2), wantCat, 'with a category');
});

test('a full-text phrase: same rows, newest first, through the cursor', async () => {
  const word = '垃圾';	// two characters use the substring scan; three use the trigram index
  const phrase = all.find((p) => p.description && [...p.description].length >= 4).description.slice(0, 4);
  const want = all.filter((p) => p.description && p.description.includes(phrase)).map((p) => p.id);
  assert.ok(want.length > 0);
  const got = await walk(`q=${encodeURIComponent(phrase)}`, 3);
  // The index also holds the code, category, org and address: the description's hits are a subset, in order.
  assert.deepEqual(got.filter((id) => want.includes(id)), want);
  assert.deepEqual([...got].sort((a, b) => b - a), got, 'newest first');
  const short = all.filter((p) => p.description && p.description.includes(word)).map((p) => p.id);
  assert.deepEqual((await walk(`q=${encodeURIComponent(word)}`, 5)).filter((id) => short.includes(id)), short);
});
