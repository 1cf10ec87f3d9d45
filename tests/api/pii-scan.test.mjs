// pii-scan.test.mjs — the PII scan of every JSON answer (pii-scan.mjs, run
// from harness.mjs's api()) tested on its own: what it finds and what it
// leaves alone, that it names route, field and account, and the list views
// it made mask typed numbers (SPEC §2: lists masked to every role).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, freshLogin, openapi, makeId, tag, categoryCode, orgId } from './harness.mjs';
import { piiNumbers, piiRecord, piiFindings } from './pii-scan.mjs';

await ensureServer();

test('the detector: mobile and ID numbers in the forms people type them, nothing else', () => {
  const id = makeId('19900307', 123, '310115');
  const found = (s) => piiNumbers(s).map((n) => n.value);
  for (const s of ['13812345678', '电话13812345678。', '138-1234-5678', '138 1234 5678', '138.1234.5678', '1381234 5678', '138 12345678',
    '138—1234—5678', '１３８１２３４５６７８'])
    assert.deepEqual(found(s), ['13812345678'], s);
  assert.deepEqual(found(`身份证${id}号`), [id]);
  assert.deepEqual(found(`${id.slice(0, 6)}-${id.slice(6, 14)}-${id.slice(14)}`), [id], 'grouped with hyphens');
  assert.deepEqual(found(`${id.slice(0, 4)} ${id.slice(4, 8)} ${id.slice(8, 12)} ${id.slice(12, 16)} ${id.slice(16)}`), [id], 'grouped in fours');
  assert.deepEqual(found('旧证 310115900307123'), ['310115900307123'], '15-digit');
  for (const s of ['138****5678', '31*************239', 'a13812345678b', '138123456789', '2026-12-07T12:50:53+08:00', 'HM-2026-000001',
    '31.2153,121.5502', `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`, '310115201302301234', '1796902787', '12号楼502室'])
    assert.deepEqual(found(s), [], s);
});

test('a hit names route, field and account; own typed text, reveal routes and KNOWN are told apart', async () => {
  const s = await login('committee');
  const list = [];
  const phone = '13912340000';
  // Typed by this session, echoed in a free-text field: allowed.
  piiRecord('POST', '/api/v1/problems', { token: s.token, body: { description: `联系 ${phone}` } }, 201, { description: `联系 ${phone}` }, list);
  // The same number in a structured field, or to another account: a hit.
  piiRecord('GET', '/api/v1/people/5', { token: s.token }, 200, { id: 5, phone }, list);
  piiRecord('GET', '/api/v1/problems?limit=5', { token: (await login('office')).token }, 200, { items: [{ description: `联系 ${phone}` }] }, list);
  // An audited reveal route: allowed.
  piiRecord('GET', '/api/v1/people/5/sensitive', { token: s.token }, 200, { phone }, list);
  assert.equal(list.length, 3);
  const { bad } = await piiFindings(openapi, list);
  assert.equal(bad.length, 2, bad.join('\n'));
  assert.match(bad[0], /GET \/api\/v1\/people\/\{id\} \(people_get\) → 200: full mobile number 139…00 in field "phone" to committee/);
  assert.match(bad[1], /GET \/api\/v1\/problems \(problems_list\) .* "items\[0\]\.description" to office/);
});

let office, committee, resident;
before(async () => {
  office = await login('office');
  committee = await login('committee');
  resident = await freshLogin('resident');
});

test('numbers typed into a report are masked in problem lists and notifications, kept for the reporter and the staff detail', async () => {
  const phone = `139${String(Date.now()).slice(-8)}`;
  const idn = makeId('19851120', 77, '310115');
  const desc = `楼道堆物 ${tag()}，联系我 ${phone}，身份证 ${idn}`;
  const r = await api('POST', '/api/v1/problems', as(resident, { body: { category: await categoryCode(), description: desc, org_id: await orgId('由由第五居民区'), location: { lat: 31.2101, lng: 121.5502 } } }));
  assert.equal(r.status, 201, r.text);
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  // Lists: masked to every role, the reporter's own list too.
  for (const s of [office, committee, resident]) {
    const l = await api('GET', `/api/v1/problems?q=${encodeURIComponent(r.json.code)}`, as(s));
    assert.equal(l.status, 200, l.text);
    const it = l.json.items.find((x) => x.id === r.json.id);
    assert.ok(it, `${s.account.login} lists the problem`);
    assert.ok(!l.text.includes(phone) && !l.text.includes(idn), `${s.account.login}: full number in the list`);
    assert.ok(it.description.includes(masked) && it.description.includes(`${idn.slice(0, 2)}*************${idn.slice(-3)}`), it.description);
  }
  // The 居委's notification of the new problem quotes the description: masked.
  const n = await api('GET', '/api/v1/notifications?limit=200', as(committee));
  const mine = n.json.items.filter((x) => x.problem_id === r.json.id);
  assert.ok(mine.length, 'the 居委 was told');
  for (const x of mine) assert.ok(!x.body.includes(phone) && x.body.includes(masked), x.body);
  // The detail: the reporter sees what they typed; so do the staff who act on it.
  assert.equal((await api('GET', `/api/v1/problems/${r.json.id}`, as(resident))).json.description, desc);
});
