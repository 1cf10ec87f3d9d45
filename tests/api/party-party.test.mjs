// party-party.test.mjs — party organisations and members (issue 16, docs/PARTY.md):
// the derived party tree and its counts equal the member rows; member CRUD with
// validation failures that change nothing; transfers with history and the
// both-ends-in-scope rule; scope (a secretary sees only their branch and its
// groups, committee2 not 由由第五's members); 亮身份 participation equals the
// attended sign-ups of party members in the database; the roster as xlsx.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, orgId, errorOf, listAll, serverDatabase, query, uniqueId, randomPhone, tag } from './harness.mjs';

await ensureServer();

let office, secretary, committee, committee2, branch, gb, gw, otherBranch;
const one = (sql) => query(serverDatabase(), sql).trim().split('\n').pop().trim();

before(async () => {
  office = await login('office');
  secretary = await login('secretary');
  committee = await login('committee');
  committee2 = await login('committee2');
  branch = await orgId('锦绣前城第一党支部');
  gb = await orgId('由由第五党总支');
  gw = await orgId('花木街道党工委');
  otherBranch = await orgId('由由八村党支部');
});

const orgs = async (s) => {
  const r = await api('GET', '/api/v1/party/organisations', as(s));
  assert.equal(r.status, 200, r.text);
  return r.json.items;
};

test('the party tree: 党工委 › 党总支 › 党支部 › 党小组, counts equal the member rows', async () => {
  const items = await orgs(office);
  const byId = new Map(items.map((o) => [o.id, o]));
  assert.equal(byId.get(gb).parent_id, gw, '党总支 under the 党工委');
  assert.equal(byId.get(branch).parent_id, gb, 'the branch under its 党总支');
  const groups = items.filter((o) => o.parent_id === branch);
  assert.ok(groups.length >= 1 && groups.every((g) => g.subkind === 'party_group'), 'building groups under the branch');
  for (const o of items) {
    const own = Number(one(`SELECT count(*) FROM party_members WHERE org_id = ${o.id} AND active = 1`));
    assert.equal(o.counts.total, own, `${o.name}: own count`);
    const probationary = Number(one(`SELECT count(*) FROM party_members WHERE org_id = ${o.id} AND active = 1 AND status = 'probationary'`));
    assert.equal(o.counts.probationary, probationary, `${o.name}: probationary`);
    const employed = Number(one(`SELECT count(*) FROM party_members WHERE org_id = ${o.id} AND active = 1 AND employed = 1`));
    assert.equal(o.counts.employed, employed, `${o.name}: employed`);
    assert.equal(o.children, items.filter((c) => c.parent_id === o.id).length, `${o.name}: child orgs`);
  }
  const all = Number(one('SELECT count(*) FROM party_members WHERE active = 1'));
  assert.equal(byId.get(gw).subtree.total, all, 'the 党工委 subtree holds every member');
  const sub = await listAll(`/api/v1/party/members?org_id=${gb}`, office);
  assert.equal(sub.length, byId.get(gb).subtree.total, 'the 党总支 list = its subtree count');
  const d = await api('GET', `/api/v1/party/organisations/${branch}`, as(office));
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.parent_name, '由由第五党总支');
  assert.equal(d.json.child_orgs.length, groups.length);
  assert.ok(Array.isArray(d.json.officers));
  const g = await api('GET', `/api/v1/party/organisations/${groups[0].id}`, as(office));
  assert.ok(g.json.places.length >= 1, 'a 楼道党小组 names its buildings');
});

test('scope: a secretary sees their branch and its groups only; out of scope reads as missing', async () => {
  const items = await orgs(secretary);
  assert.ok(items.some((o) => o.id === branch));
  for (const o of items) assert.ok(o.id === branch || o.parent_id === branch, `${o.name} is the branch or its group`);
  assert.equal((await api('GET', `/api/v1/party/organisations/${gb}`, as(secretary))).status, 404);
  const mine = await listAll('/api/v1/party/members', secretary);
  const ids = new Set(items.map((o) => o.id));
  assert.ok(mine.length > 0 && mine.every((m) => ids.has(m.org_id)));
  assert.ok(mine.every((m) => !m.phone || /\*/.test(m.phone)) && mine.every((m) => /\*/.test(m.phone_masked ?? '*')), 'phones masked');
  const yy5 = (await listAll(`/api/v1/party/members?org_id=${gb}`, office))[0];
  assert.equal((await api('GET', `/api/v1/party/members/${yy5.id}`, as(committee2))).status, 404, 'committee2: not 由由第五');
  assert.equal((await api('PATCH', `/api/v1/party/members/${yy5.id}`, as(committee2, { body: { duty: null } }))).status, 404);
  assert.equal((await api('GET', `/api/v1/party/members/${yy5.id}`, as(committee))).status, 200, 'committee: its own');
  const c2 = await listAll('/api/v1/party/members', committee2);
  assert.ok(!c2.some((m) => m.id === yy5.id));
  assert.equal((await api('GET', `/api/v1/party/organisations/${branch}/roster.xlsx`, as(committee2))).status, 404);
});

const count = () => Number(one('SELECT count(*) FROM party_members'));

test('members: create (inline person), validation failures change nothing, patch, roster xlsx', async () => {
  const bank = await orgId('浦发银行花木支行');
  const before = count();
  const bad = [
    [{ org_id: branch, status: 'full' }, 'person_id'],
    [{ org_id: branch, person: { name: '王测试' }, status: 'member' }, 'status'],
    [{ org_id: branch, person: { name: '王测试' }, joined_on: '2020-13-01' }, 'joined_on'],
    [{ org_id: branch, person: { name: '王测试' }, employed: true }, 'employer_id'],
    [{ org_id: branch, person: { name: '王测试' }, employed: true, employer_id: branch }, 'employer_id'],
    [{ org_id: otherBranch, person: { name: '王测试' } }, 'org_id'],
    [{ org_id: branch, person: { name: '王测试', phone: '12345' } }, 'phone'],
    [{ org_id: branch, person: { name: '王测试' }, duty: 'mayor' }, 'duty'],
  ];
  for (const [body, field] of bad) {
    const r = await api('POST', '/api/v1/party/members', as(secretary, { body }));
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(errorOf(r).fields.some((f) => f.field === field), `${field} named: ${r.text}`);
  }
  assert.equal(count(), before, 'nothing written');
  const name = `党员${tag()}`.slice(0, 20);
  const r = await api('POST', '/api/v1/party/members', as(secretary, {
    body: { org_id: branch, person: { name, gender: '女', phone: randomPhone(), id_number: uniqueId('310115') },
      status: 'probationary', joined_on: '2026-01-05', employed: true, employer_id: bank, duty: 'household_head' },
  }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, name);
  assert.equal(r.json.employer_name, '浦发银行花木支行');
  assert.match(r.json.phone_masked, /\*{4}/);
  assert.equal(count(), before + 1);
  const kinds = one(`SELECT kinds FROM people WHERE id = ${r.json.person_id}`);
  assert.match(kinds, /party_member/, 'the person record is marked party_member');
  const dup = await api('POST', '/api/v1/party/members', as(office, { body: { org_id: branch, person_id: r.json.person_id } }));
  assert.equal(dup.status, 422, dup.text);
  const p = await api('PATCH', `/api/v1/party/members/${r.json.id}`, as(secretary, { body: { status: 'full', employed: false } }));
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.status, 'full');
  assert.equal(p.json.employed, false);
  assert.equal(p.json.employer_id, null, 'no employer once not employed');
  const pb = await api('PATCH', `/api/v1/party/members/${r.json.id}`, as(secretary, { body: { employed: true } }));
  assert.equal(pb.status, 422, 'employed needs an employer');
  const x = await api('GET', `/api/v1/party/organisations/${branch}/roster.xlsx`, as(secretary));
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
});

test('transfer: history kept; both ends must be in the caller scope', async () => {
  const groups = (await orgs(secretary)).filter((o) => o.parent_id === branch);
  const m = (await listAll(`/api/v1/party/members?org_id=${branch}`, secretary)).find((x) => x.org_id === branch);
  assert.ok(m, 'a member directly in the branch');
  const t1 = await api('POST', `/api/v1/party/members/${m.id}/transfer`, as(secretary, { body: { to_org_id: groups[0].id, on_date: '2026-06-01', reason: '就近编组' } }));
  assert.equal(t1.status, 200, t1.text);
  assert.equal(t1.json.org_id, groups[0].id);
  assert.equal(t1.json.transfers.length, 1);
  const out = await api('POST', `/api/v1/party/members/${m.id}/transfer`, as(secretary, { body: { to_org_id: otherBranch, on_date: '2026-07-01' } }));
  assert.equal(out.status, 422, out.text);
  assert.equal(errorOf(out).fields[0].field, 'to_org_id');
  const same = await api('POST', `/api/v1/party/members/${m.id}/transfer`, as(secretary, { body: { to_org_id: groups[0].id, on_date: '2026-07-01' } }));
  assert.equal(same.status, 422);
  const badDate = await api('POST', `/api/v1/party/members/${m.id}/transfer`, as(secretary, { body: { to_org_id: branch, on_date: '2026-02-30' } }));
  assert.equal(badDate.status, 422);
  const t2 = await api('POST', `/api/v1/party/members/${m.id}/transfer`, as(office, { body: { to_org_id: otherBranch, on_date: '2026-08-01', reason: '迁居' } }));
  assert.equal(t2.status, 200, t2.text);
  assert.deepEqual(t2.json.transfers.map((t) => [t.from_org_id, t.to_org_id]), [[branch, groups[0].id], [groups[0].id, otherBranch]]);
  assert.equal(Number(one(`SELECT count(*) FROM party_transfers WHERE member_id = ${m.id}`)), 2);
  assert.equal((await api('GET', `/api/v1/party/members/${m.id}`, as(secretary))).status, 404, 'gone from the secretary');
});

test('officers: replaced as a whole; one secretary; bad posts refused', async () => {
  const m = (await listAll(`/api/v1/party/members?org_id=${branch}`, secretary))[0];
  const ok = await api('PUT', `/api/v1/party/organisations/${branch}/officers`, as(secretary, { body: { officers: [{ person_id: m.person_id, post: 'secretary', since: '2025-01-01' }] } }));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.officers.length, 1);
  const two = await api('PUT', `/api/v1/party/organisations/${branch}/officers`, as(secretary, { body: { officers: [{ person_id: m.person_id, post: 'secretary' }, { person_id: m.person_id, post: 'secretary' }] } }));
  assert.equal(two.status, 422);
  const bad = await api('PUT', `/api/v1/party/organisations/${branch}/officers`, as(secretary, { body: { officers: [{ person_id: m.person_id, post: 'king' }] } }));
  assert.equal(bad.status, 422);
  const d = await api('GET', `/api/v1/party/organisations/${branch}`, as(secretary));
  assert.equal(d.json.secretary, m.name);
  assert.equal((await api('PUT', `/api/v1/party/organisations/${gb}/officers`, as(secretary, { body: { officers: [] } }))).status, 404);
});

test('亮身份: participation equals the attended sign-ups of party members', async () => {
  const from = '2020-01-01', to = '2099-12-31';
  const r = await api('GET', `/api/v1/party/participation?from=${from}&to=${to}`, as(office));
  assert.equal(r.status, 200, r.text);
  const lo = Date.parse(`${from}T00:00:00+08:00`) / 1000, hi = Date.parse('2100-01-01T00:00:00+08:00') / 1000;
  const base = `FROM signups g JOIN shifts s ON s.id = g.shift_id JOIN volunteers v ON v.id = g.volunteer_id
    JOIN party_members m ON m.person_id = v.person_id AND m.active = 1
    WHERE g.attendance = 'attended' AND s.start_at >= ${lo} AND s.start_at < ${hi}`;
  assert.equal(r.json.total.signups, Number(one(`SELECT count(*) ${base}`)));
  assert.equal(r.json.total.members, Number(one(`SELECT count(DISTINCT m.id) ${base}`)));
  assert.ok(Math.abs(r.json.total.hours - Number(one(`SELECT coalesce(sum(coalesce(g.hours, 0)), 0) ${base}`))) < 0.01);
  const sum = (l) => l.reduce((a, x) => a + x.signups, 0);
  assert.equal(sum(r.json.by_branch), r.json.total.signups);
  assert.equal(sum(r.json.by_post) + sum(r.json.by_activity), r.json.total.signups);
  assert.ok(r.json.total.signups > 0, 'the demo volunteer (a party member) served');
  const s = await api('GET', `/api/v1/party/participation?from=${from}&to=${to}`, as(secretary));
  assert.ok(s.json.by_branch.every((b) => b.org_id === branch || b.name.startsWith('锦绣前城')));
  assert.equal((await api('GET', '/api/v1/party/participation?from=2026-02-30', as(office))).status, 422);
});

test('orgs: a party org’s subkind is one of the tree’s levels; a 党小组 hangs under a party org', async () => {
  const admin = await login('admin');
  const comm = await orgId('由由第五居民区');
  const mk = (body) => api('POST', '/api/v1/orgs', as(admin, { body: { kind: 'party_org', name: `测试党组织-${tag()}`, ...body } }));
  const bad = await mk({ parent_id: comm, subkind: 'party_cell' });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(errorOf(bad).fields[0].field, 'subkind');
  const loose = await mk({ parent_id: comm, subkind: 'party_group' });
  assert.equal(loose.status, 422, loose.text);
  assert.equal(errorOf(loose).fields[0].field, 'parent_id');
  const ok = await mk({ parent_id: branch, subkind: 'party_group' });
  assert.equal(ok.status, 201, ok.text);
  const items = await orgs(office);
  assert.equal(items.find((o) => o.id === ok.json.id).parent_id, branch, 'the new group joins the tree under the branch');
});
