// concurrency.test.mjs — parallel writes: uniqueness holds under a race,
// distinct creates all succeed, and one Idempotency-Key creates one object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, orgId, tag, uniqueId, listAll } from './harness.mjs';

await ensureServer();
const REGION = '110107';

test('20 parallel creates of people with the same ID number: one 201, 19 × 409', async () => {
  const office = await login('office');
  const comm = await orgId('由由第五居民区');
  const idn = uniqueId(REGION);
  const rs = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    api('POST', '/api/v1/people', as(office, { body: { name: `并发-${i}-${tag()}`, org_id: comm, id_number: idn } }))));
  const codes = rs.map((r) => r.status).sort();
  assert.equal(codes.filter((s) => s === 201).length, 1, `statuses: ${codes}`);
  assert.equal(codes.filter((s) => s === 409).length, 19, `statuses: ${codes}`);
  for (const r of rs.filter((x) => x.status === 409)) assert.equal(r.json.error.code, 'duplicate');
});

test('20 parallel org creates with distinct names: 20 × 201, 20 distinct ids', async () => {
  const office = await login('office');
  const street = await orgId('花木街道');
  const base = `并发队-${tag()}`;
  const rs = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    api('POST', '/api/v1/orgs', as(office, { body: { parent_id: street, kind: 'team', name: `${base}-${i}` } }))));
  assert.deepEqual(rs.map((r) => r.status), Array(20).fill(201), rs.map((r) => r.text.slice(0, 80)).join('\n'));
  assert.equal(new Set(rs.map((r) => r.json.id)).size, 20);
  const found = await listAll(`/api/v1/orgs?q=${encodeURIComponent(base)}`, office);
  assert.equal(found.length, 20);
});

test('10 parallel POSTs with one Idempotency-Key create one object', async () => {
  const office = await login('office');
  const street = await orgId('花木街道');
  const name = `幂等并发-${tag()}`;
  const key = `par-${tag()}`;
  const rs = await Promise.all(Array.from({ length: 10 }, () =>
    api('POST', '/api/v1/orgs', as(office, { body: { parent_id: street, kind: 'team', name }, headers: { 'Idempotency-Key': key } }))));
  assert.deepEqual(rs.map((r) => r.status), Array(10).fill(201), rs.map((r) => r.text.slice(0, 80)).join('\n'));
  assert.equal(new Set(rs.map((r) => r.json.id)).size, 1, 'every answer names the same org');
  assert.equal(rs.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 9);
  assert.equal((await listAll(`/api/v1/orgs?q=${encodeURIComponent(name)}`, office)).length, 1);
});

test('parallel reads and writes from several roles keep the server healthy', async () => {
  const sessions = await Promise.all(['admin', 'office', 'committee', 'committee2', 'resident'].map((l) => login(l)));
  const jobs = [];
  for (let i = 0; i < 60; i++) {
    const s = sessions[i % sessions.length];
    jobs.push(api('GET', i % 2 ? '/api/v1/orgs?limit=20' : '/api/v1/session', as(s)));
  }
  const rs = await Promise.all(jobs);
  assert.ok(rs.every((r) => r.status === 200), rs.map((r) => r.status).join(','));
  assert.equal((await api('GET', '/readyz')).status, 200);
});
