// audited-reads.test.mjs — audited reads (R_AUDIT) and the sticky request
// error (docs/ARCHITECTURE.md, "Errors that cannot be ignored; audited reads"),
// with the store's fault injection (PUT /api/v1/system/fault {"write": N}: the
// N-th store write from then on fails as an I/O error would).
//
//   - An audited read's handler runs outside the write path: it makes no write
//     at all (a refused or missing read fires no armed fault), and its audit
//     entry is written after it, in a transaction of three writes (BEGIN, the
//     INSERT, COMMIT).
//   - When that write fails the client gets a 500 in the JSON error shape, and
//     never the data: no file, no Content-Disposition, no audit entry.
//   - The sticky request error: an audit() whose failure the handler ignores
//     (DELETE /api/v1/session) still ends in a rollback and a 500 without the
//     handler's headers (the cookie is not cleared, the session still works).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, ensureServer, errorOf, freshLogin, login, orgId, newestAuditId, clockIso } from './harness.mjs';

await ensureServer();

let admin, office, comm, pid, vid;
before(async () => {
  [admin, office] = await Promise.all([login('admin'), login('office')]);
  comm = await orgId('由由第五居民区');
  const people = await api('GET', `/api/v1/people?limit=1&org_id=${comm}`, as(admin));
  assert.equal(people.status, 200, people.text);
  pid = people.json.items[0].id;
  const vols = await api('GET', '/api/v1/volunteers?limit=1&status=approved', as(admin));
  assert.equal(vols.status, 200, vols.text);
  vid = vols.json.items[0]?.id;
  assert.equal((await arm(0)).status, 200);
});
after(async () => {
  if (admin) await arm(0);
  if (admin) await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: clockIso() } }));
});

const arm = (n) => api('PUT', '/api/v1/system/fault', as(admin, { body: { write: n } }));

// Sends the request with the n-th write armed; {r, fired}.
async function withFault(n, send) {
  const a = await arm(n);
  assert.equal(a.status, 200, a.text);
  const r = await send();
  const d = await arm(0);
  return { r, fired: d.json.fired > a.json.fired };
}

// Sweeps N = 1, 2, … over one audited read: every fired fault answers 500
// without the data and adds no audit entry; the request without a fault
// answers 200 with exactly one new entry. Returns the number of writes.
async function sweepAudited(name, send, { action, resource, secret = null }) {
  for (let n = 1; n <= 10; n++) {
    const audit0 = await newestAuditId();
    const { r, fired } = await withFault(n, send);
    if (!fired) {
      assert.equal(r.status, 200, `${name}: ${r.status} ${r.text.slice(0, 200)}`);
      const items = (await api('GET', `/api/v1/audit?limit=5&action=${action}&resource=${resource}`, as(admin))).json.items;
      assert.ok(items[0].id > audit0, `${name}: no audit entry`);
      assert.equal((await api('GET', '/api/v1/audit?limit=5', as(admin))).json.items.filter((e) => e.id > audit0).length, 1,
        `${name}: exactly one new audit entry`);
      return n - 1;
    }
    const where = `${name}, write #${n} failed`;
    assert.equal(r.status, 500, `${where}: answered ${r.status} ${r.text.slice(0, 200)}`);
    assert.match(r.headers.get('content-type'), /^application\/json/, where);
    assert.equal(errorOf(r).code, 'internal', where);
    assert.equal(r.headers.get('content-disposition'), null, `${where}: a file was offered`);
    if (secret) assert.ok(!r.text.includes(secret), `${where}: the data leaked`);
    assert.equal(await newestAuditId(), audit0, `${where}: an audit entry was kept`);
  }
  assert.fail(`${name}: still failing after 10 writes`);
}

test('an audited read whose audit write fails answers 500 without the data; three writes, all after the handler', async () => {
  const plain = await api('GET', `/api/v1/people/${pid}/sensitive`, as(admin));
  assert.equal(plain.status, 200, plain.text);
  const secret = plain.json.id_number;
  assert.ok(secret, 'the person has an ID number');
  const routes = [
    ['people_sensitive', () => api('GET', `/api/v1/people/${pid}/sensitive`, as(admin)), { action: 'reveal', resource: 'person', secret }],
    ['people_export', () => api('GET', `/api/v1/people/${pid}/export`, as(admin)), { action: 'export', resource: 'person', secret }],
    ['ledger_csv', () => api('GET', `/api/v1/ledger/csv?org_id=${comm}`, as(office)), { action: 'export', resource: 'ledger' }],
    ['ledger_xlsx', () => api('GET', `/api/v1/ledger/xlsx?org_id=${comm}`, as(office)), { action: 'export', resource: 'ledger' }],
    ['records_xlsx', () => api('GET', '/api/v1/records/xlsx?from=2026-01-01', as(office)), { action: 'export', resource: 'volunteer_hours' }],
    ['bank_ledger_csv', () => api('GET', '/api/v1/bank/ledger.csv', as(office)), { action: 'export', resource: 'bank_ledger' }],
  ];
  if (vid) routes.push(['volunteers_certificate', () => api('GET', `/api/v1/volunteers/${vid}/certificate`, as(admin)), { action: 'certificate', resource: 'volunteer' }]);
  for (const [name, send, opts] of routes) {
    // BEGIN, the audit INSERT, COMMIT: the handler itself wrote nothing, and
    // a failed BEGIN answers 500 (the handler had run), not the 503 a write
    // route answers when its transaction cannot start before the handler.
    assert.equal(await sweepAudited(name, send, opts), 3, `${name}: writes`);
  }
});

test('an audited read that is refused or finds nothing makes no write (the handler is outside the write path)', async () => {
  for (const [what, send, status] of [
    ['a missing person', () => api('GET', '/api/v1/people/999999999/sensitive', as(admin)), 404],
    ['a bad filter', () => api('GET', '/api/v1/ledger/csv?from=yesterday', as(office)), 422],
    ['a missing volunteer', () => api('GET', '/api/v1/volunteers/999999999/certificate', as(admin)), 404],
  ]) {
    const { r, fired } = await withFault(1, send);
    assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(fired, false, `${what}: a write was made (BEGIN before the handler?)`);
  }
});

test('the sticky request error: an ignored audit() failure rolls back and answers 500 without the handler\'s headers', async () => {
  const s = await freshLogin('committee');
  const codes = [];
  for (let n = 1; n <= 10; n++) {
    const { r, fired } = await withFault(n, () => api('DELETE', '/api/v1/session', as(s)));
    if (!fired) {
      assert.equal(r.status, 204, r.text);
      break;
    }
    const where = `logout, write #${n} failed`;
    assert.ok(r.status >= 500 && r.status <= 599, `${where}: ${r.status} ${r.text}`);
    codes.push(errorOf(r).code);
    assert.equal(r.headers.get('set-cookie'), null, `${where}: the cookie was cleared`);
    assert.equal((await api('GET', '/api/v1/session', as(s))).status, 200, `${where}: the session was deleted`);
  }
  // BEGIN (503 before the handler), the DELETE (the handler answers 500),
  // the audit entry's INSERT — its result ignored by the handler, which
  // answers 204: audit() marked the request failed, so the dispatcher rolled
  // back and answered 500 (before: the commit refused the doomed transaction)
  // — and COMMIT.
  assert.deepEqual(codes, ['unavailable', 'internal', 'internal', 'commit_failed']);
  assert.equal((await api('GET', '/api/v1/session', as(s))).status, 401, 'logged out at last');
});
