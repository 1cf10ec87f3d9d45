// party-buildings.test.mjs — building reps, the building page, notices to a
// building, the 接龙 roster and home-watch lists (docs/PARTY.md "buildings").
// Figures are checked against the rows they count; dates follow the server's
// clock (clockNow), so the file passes on any day.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  ensureServer, api, as, login, orgId, tag, uniqueId, randomPhone, clockNow, clockIso, errorOf,
} from './harness.mjs';

await ensureServer();

const DAY = 86400000;
// The China (UTC+8) calendar date `days` from the server's today.
const ymd = (days = 0) => new Date(clockNow() + 8 * 3600000 + days * DAY).toISOString().slice(0, 10);

let admin, committee, committee2, rep, office;
let jinxiu, b1, b2, b50;
const S = {};

async function person(orgIdArg, name = `楼测-${tag()}`) {
  const r = await api('POST', '/api/v1/people', as(admin, {
    body: { name, org_id: orgIdArg, id_number: uniqueId('110101'), phone: randomPhone(), kinds: ['resident'], address: `测试地址 ${tag()}` },
  }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}
// An account of a person living in `building`, signed in.
async function dweller(building, grants = [{ role: 'resident', org_id: building }]) {
  const p = await person(building);
  const loginName = `bld-${tag()}`;
  const r = await api('POST', '/api/v1/accounts', as(admin, {
    body: { login: loginName, display_name: p.name, password: 'bld-secret-123', person_id: p.id, grants },
  }));
  assert.equal(r.status, 201, r.text);
  const s = await api('POST', '/api/v1/session', { body: { login: loginName, password: 'bld-secret-123' } });
  assert.equal(s.status, 200, s.text);
  return { person: p, account: r.json.id, session: { token: s.json.token } };
}

before(async () => {
  admin = await login('admin');
  committee = await login('committee');
  committee2 = await login('committee2');
  rep = await login('rep');
  office = await login('office');
  jinxiu = await orgId('锦绣前城');
  const r = await api('GET', `/api/v1/buildings?compound_id=${jinxiu}&limit=200`, as(committee));
  assert.equal(r.status, 200, r.text);
  const byName = Object.fromEntries(r.json.items.map((b) => [b.name, b.id]));
  b1 = byName['1号楼']; b2 = byName['2号楼']; b50 = byName['50号楼'];
  S.list = r.json.items;
});

test('the compound list: 52 buildings, rep counts equal the reps, uncovered flagged', async () => {
  assert.equal(S.list.length, 52);
  let total = 0;
  for (const b of S.list.slice(0, 8)) {
    const reps = await api('GET', `/api/v1/buildings/${b.id}/reps`, as(committee));
    assert.equal(reps.status, 200, reps.text);
    const active = reps.json.items.filter((x) => x.active).length;
    assert.equal(b.reps, active, `${b.name}: reps`);
    assert.equal(b.covered, active > 0);
  }
  for (const b of S.list) total += b.reps;
  assert.ok(total >= 55 && total <= 70, `60-odd reps, got ${total}`);
  assert.ok(S.list.some((b) => !b.covered), 'some building has no rep');
  // The rep sees their own building only; committee2 none of these.
  const mine = await api('GET', '/api/v1/buildings?limit=200', as(rep));
  assert.deepEqual(mine.json.items.map((b) => b.id), [b1]);
  const other = await api('GET', `/api/v1/buildings?compound_id=${jinxiu}`, as(committee2));
  assert.equal(other.json.items.length, 0);
  assert.equal((await api('GET', `/api/v1/buildings/${b1}`, as(committee2))).status, 404);
});

test('reps: create with validation failures, conflict, update, delete; roles', async () => {
  const before = (await api('GET', `/api/v1/buildings/${b50}/reps`, as(committee))).json.items.length;
  const p = await person(b50);
  const elsewhere = await person(await orgId('梧桐居民区'));
  const bad = [
    [{}, 'person_id'],
    [{ person_id: p.id, since: '2026-02-30' }, 'since'],
    [{ person_id: p.id, since: '2026-05-01', until: '2026-04-01' }, 'until'],
    [{ person_id: elsewhere.id }, 'person_id'],
    [{ person_id: p.id, channel: 'x'.repeat(61) }, 'channel'],
  ];
  for (const [body, field] of bad) {
    const r = await api('POST', `/api/v1/buildings/${b50}/reps`, as(committee, { body }));
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(errorOf(r).fields.some((f) => f.field === field), r.text);
  }
  assert.equal((await api('GET', `/api/v1/buildings/${b50}/reps`, as(committee))).json.items.length, before, 'bad input changed nothing');
  const body = { person_id: p.id, coverage: '1–6层', channel: '锦绣前城50号楼微信群', duties: '转达通知', since: '2025-01-01' };
  const c = await api('POST', `/api/v1/buildings/${b50}/reps`, as(committee, { body }));
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.party_member, false);
  assert.equal(c.json.active, true);
  assert.equal(c.json.phone_masked.includes('*'), true);
  assert.equal((await api('POST', `/api/v1/buildings/${b50}/reps`, as(committee, { body }))).status, 409);
  assert.equal((await api('POST', `/api/v1/buildings/${b1}/reps`, as(rep, { body }))).status, 403, 'a rep does not appoint reps');
  assert.equal((await api('POST', `/api/v1/buildings/${b50}/reps`, as(committee2, { body }))).status, 404);
  const u = await api('PATCH', `/api/v1/building-reps/${c.json.id}`, as(committee, { body: { until: ymd(-1) } }));
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.active, false, 'until yesterday: no longer active');
  assert.equal((await api('PATCH', `/api/v1/building-reps/${c.json.id}`, as(committee, { body: { until: '2024-01-01' } }))).status, 422);
  assert.equal((await api('PATCH', `/api/v1/building-reps/${c.json.id}`, as(committee2, { body: { duties: 'x' } }))).status, 404);
  assert.equal((await api('DELETE', `/api/v1/building-reps/${c.json.id}`, as(committee2))).status, 404);
  assert.equal((await api('DELETE', `/api/v1/building-reps/${c.json.id}`, as(committee))).status, 204);
  assert.equal((await api('DELETE', `/api/v1/building-reps/${c.json.id}`, as(committee))).status, 404);
});

test('the building page: reps, open problems, volunteers and notices equal the rows', async () => {
  const cat = (await api('GET', '/api/v1/categories', as(admin))).json.items.find((x) => x.parent_id);
  const pr = await api('POST', '/api/v1/problems', as(committee, {
    body: { category: cat.code, description: `楼道堆物 ${tag()}`, org_id: b2, location: { lat: 31.2276, lng: 121.5402 } },
  }));
  assert.equal(pr.status, 201, pr.text);
  const page = await api('GET', `/api/v1/buildings/${b2}`, as(committee));
  assert.equal(page.status, 200, page.text);
  const reps = (await api('GET', `/api/v1/buildings/${b2}/reps`, as(committee))).json.items;
  assert.deepEqual(page.json.reps.map((x) => x.id), reps.map((x) => x.id));
  assert.ok(page.json.problems.items.some((x) => x.id === pr.json.id));
  assert.equal(page.json.problems.open, page.json.problems.items.length);
  assert.equal(page.json.volunteers.count, page.json.volunteers.names.length);
  for (const n of page.json.volunteers.names) assert.match(n, /\*/);
  const notices = (await api('GET', `/api/v1/buildings/${b2}/notices?limit=10`, as(committee))).json.items;
  assert.deepEqual(page.json.notices.map((x) => x.id), notices.map((x) => x.id));
  assert.equal(page.json.community.name, '由由第五居民区');
  assert.equal(page.json.compound_name, '锦绣前城');
});

test('notices reach the inboxes of the building only; none → recorded only', async () => {
  const b = S.list.find((x) => x.name === '47号楼').id;
  const a1 = await dweller(b), a2 = await dweller(b), out = await dweller(b50);
  const title = `停水通知 ${tag()}`;
  const r = await api('POST', `/api/v1/buildings/${b}/notices`, as(committee, { body: { title, body: '周六 8:00–12:00 停水' } }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.recipients, 2);
  assert.equal(r.json.delivered, true);
  for (const a of [a1, a2]) {
    const inbox = await api('GET', '/api/v1/notifications', as(a.session));
    assert.ok(inbox.json.items.some((n) => n.title === title), 'in the inbox');
  }
  const inbox = await api('GET', '/api/v1/notifications', as(out.session));
  assert.ok(!inbox.json.items.some((n) => n.title === title), 'not in another building');
  const none = S.list.find((x) => x.name === '46号楼').id;
  const r0 = await api('POST', `/api/v1/buildings/${none}/notices`, as(committee, { body: { title, body: '无人有账号' } }));
  assert.equal(r0.json.recipients, 0);
  assert.equal(r0.json.delivered, false);
  assert.equal((await api('POST', `/api/v1/buildings/${b}/notices`, as(committee, { body: { title: '' } }))).status, 422);
  assert.equal((await api('POST', `/api/v1/buildings/${b}/notices`, as(rep, { body: { title, body: 'x' } }))).status, 404, 'another building');
  assert.equal((await api('POST', `/api/v1/buildings/${b1}/notices`, as(rep, { body: { title, body: 'x' } }))).status, 201, 'their own');
});

test('roster: open, residents add themselves, masked list, audited export, closed', async () => {
  assert.equal((await api('POST', `/api/v1/buildings/${b1}/rosters`, as(rep, { body: { title: '接龙', closes_on: ymd(-1) } }))).status, 422);
  const ro = await api('POST', `/api/v1/buildings/${b1}/rosters`, as(rep, { body: { title: `接龙 ${tag()}`, closes_on: ymd(0) } }));
  assert.equal(ro.status, 201, ro.text);
  assert.equal(ro.json.open, true);
  const home = await dweller(b1), away = await dweller(b2);
  const mine = await api('GET', '/api/v1/my/rosters', as(home.session));
  assert.equal(mine.json.building.id, b1);
  assert.ok(mine.json.items.some((x) => x.id === ro.json.id));
  assert.equal((await api('GET', '/api/v1/my/rosters', as(away.session))).json.items.some((x) => x.id === ro.json.id), false);
  const e = await api('POST', `/api/v1/rosters/${ro.json.id}/entries`, as(home.session, { body: { name: '王建国', room: '302', note: '2 辆' } }));
  assert.equal(e.status, 201, e.text);
  assert.equal((await api('POST', `/api/v1/rosters/${ro.json.id}/entries`, as(away.session, { body: { name: '李四', room: '101' } }))).status, 404);
  assert.equal((await api('POST', `/api/v1/rosters/${ro.json.id}/entries`, as(home.session, { body: { name: '' } }))).status, 422);
  const list = await api('GET', `/api/v1/rosters/${ro.json.id}/entries`, as(rep));
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.items.map((x) => x.name), ['王**']);
  const page = (await api('GET', `/api/v1/buildings/${b1}`, as(rep))).json;
  const shown = page.rosters.find((x) => x.id === ro.json.id);
  assert.equal(shown.open, true);
  assert.equal(shown.entries, list.json.items.length, 'the page counts the entries');
  assert.equal((await api('GET', `/api/v1/rosters/${ro.json.id}/entries`, as(committee2))).status, 404);
  const csv = await api('GET', `/api/v1/rosters/${ro.json.id}/export?format=csv`, as(rep));
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.text, /王建国/);
  const xlsx = await api('GET', `/api/v1/rosters/${ro.json.id}/export?format=xlsx`, as(committee));
  assert.equal(xlsx.status, 200);
  const audit = await api('GET', `/api/v1/audit?resource=building_roster&resource_id=${ro.json.id}&action=export`, as(admin));
  assert.equal(audit.json.items.length, 2);
  // Tomorrow (China time) the roster has closed.
  const clock = await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: new Date(clockNow() + 2 * DAY).toISOString() } }));
  assert.equal(clock.status, 200, clock.text);
  try {
    const late = await api('POST', `/api/v1/rosters/${ro.json.id}/entries`, as(home.session, { body: { name: '赵六', room: '402' } }));
    assert.equal(late.status, 409, late.text);
  } finally {
    await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: clockIso() } }));
  }
});

test('home-watch: only the 居委 of that community and the building\'s rep', async () => {
  const p = await person(b1);
  const body = { person_id: p.id, building_id: b1, room: '1201室', reason: 'lives_alone', frequency: 'weekly' };
  const c = await api('POST', '/api/v1/home-watch', as(committee, { body }));
  assert.equal(c.status, 201, c.text);
  S.watch = c.json.id;
  assert.equal((await api('GET', `/api/v1/home-watch/${S.watch}`, as(committee))).status, 200);
  assert.equal((await api('GET', `/api/v1/home-watch/${S.watch}`, as(rep))).status, 200);
  const repList = await api('GET', '/api/v1/home-watch?limit=200', as(rep));
  assert.ok(repList.json.items.length > 0 && repList.json.items.every((w) => w.building_id === b1));
  assert.equal((await api('GET', `/api/v1/home-watch/${S.watch}`, as(committee2))).status, 404);
  assert.equal((await api('GET', `/api/v1/home-watch/${S.watch}/visits`, as(committee2))).status, 404);
  assert.equal((await api('PATCH', `/api/v1/home-watch/${S.watch}`, as(committee2, { body: { note: 'x' } }))).status, 404);
  assert.equal((await api('GET', `/api/v1/home-watch/${S.watch}/contact`, as(committee2))).status, 404);
  assert.equal((await api('GET', '/api/v1/home-watch', as(committee2))).json.items.some((w) => w.id === S.watch), false);
  assert.equal((await api('POST', '/api/v1/home-watch', as(committee2, { body }))).status, 422, 'a building outside its scope');
  for (const who of ['admin', 'office', 'inspector', 'handler', 'volunteer', 'resident', 'secretary', 'unit']) {
    const s = await login(who);
    assert.equal((await api('GET', '/api/v1/home-watch', as(s))).status, 403, who);
    assert.equal((await api('GET', `/api/v1/home-watch/${S.watch}`, as(s))).status, 403, who);
    assert.equal((await api('GET', `/api/v1/home-watch/${S.watch}/contact`, as(s))).status, 403, who);
  }
  // The rep of another building of the same compound sees nothing of 1号楼's.
  const other = await dweller(b2, [{ role: 'rep', org_id: b2 }]);
  assert.equal((await api('GET', `/api/v1/home-watch/${S.watch}`, as(other.session))).status, 404);
  assert.equal((await api('POST', `/api/v1/home-watch/${S.watch}/visits`, as(other.session, { body: { visited_on: ymd(0), condition: 'good' } }))).status, 404);
  // Validation.
  for (const [b, field] of [[{ ...body, reason: 'rich' }, 'reason'], [{ ...body, frequency: 'daily' }, 'frequency'], [{ ...body, rep_id: 999999 }, 'rep_id']]) {
    const r = await api('POST', '/api/v1/home-watch', as(committee, { body: b }));
    assert.equal(r.status, 422, r.text);
    assert.ok(errorOf(r).fields.some((f) => f.field === field), r.text);
  }
});

test('home-watch: due and overdue follow the clock', async () => {
  const id = S.watch;
  const v0 = await api('GET', `/api/v1/home-watch/${id}`, as(rep));
  assert.equal(v0.json.due_on, ymd(7), 'weekly, listed today');
  assert.equal(v0.json.overdue, false);
  assert.equal((await api('POST', `/api/v1/home-watch/${id}/visits`, as(rep, { body: { visited_on: ymd(1), condition: 'good' } }))).status, 422, 'not in the future');
  assert.equal((await api('POST', `/api/v1/home-watch/${id}/visits`, as(rep, { body: { visited_on: ymd(0), condition: 'great' } }))).status, 422);
  const v = await api('POST', `/api/v1/home-watch/${id}/visits`, as(rep, { body: { visited_on: ymd(-10), condition: 'poor', needs: '需要代购药品 13912345678' } }));
  assert.equal(v.status, 201, v.text);
  // The watch was listed today, so the last visit (10 days ago) is what counts: due 3 days ago.
  assert.equal(v.json.watch.due_on, ymd(-3));
  assert.equal(v.json.watch.overdue, true);
  assert.equal(v.json.watch.days_overdue, 3);
  const od = await api('GET', '/api/v1/home-watch?overdue=true&limit=200', as(rep));
  assert.ok(od.json.items.some((w) => w.id === id));
  assert.ok(od.json.items.every((w) => w.overdue));
  const v2 = await api('POST', `/api/v1/home-watch/${id}/visits`, as(rep, { body: { visited_on: ymd(0), condition: 'good' } }));
  assert.equal(v2.json.watch.overdue, false);
  assert.equal(v2.json.watch.due_on, ymd(7));
  const visits = await api('GET', `/api/v1/home-watch/${id}/visits`, as(committee));
  assert.equal(visits.json.items.length, 2);
  assert.equal(visits.json.items.find((x) => x.condition === 'poor').needs.includes('13912345678'), false, 'numbers masked in lists');
  // Eight days on, the weekly visit is overdue by one day.
  await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: new Date(clockNow() + 8 * DAY).toISOString() } }));
  try {
    const w = await api('GET', `/api/v1/home-watch/${id}`, as(rep));
    assert.equal(w.json.overdue, true);
    assert.equal(w.json.days_overdue, 1);
  } finally {
    await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: clockIso() } }));
  }
  // Inactive: never overdue.
  const off = await api('PATCH', `/api/v1/home-watch/${id}`, as(committee, { body: { active: false } }));
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.active, false);
});

test('home-watch PII: masked in lists, full only through the audited contact route', async () => {
  const list = await api('GET', '/api/v1/home-watch?limit=200', as(committee));
  assert.ok(list.json.items.length >= 15, 'the demo lists 15 people');
  for (const w of list.json.items) {
    assert.ok(!('phone' in w), 'no full phone in the list');
    assert.match(w.phone_masked || '*', /\*/);
  }
  const w = list.json.items.find((x) => x.id === S.watch);
  const full = await api('GET', `/api/v1/home-watch/${S.watch}/contact`, as(rep));
  assert.equal(full.status, 200, full.text);
  assert.match(full.json.phone, /^1\d{10}$/);
  assert.equal(full.json.phone.slice(0, 3), w.phone_masked.slice(0, 3));
  const audit = await api('GET', `/api/v1/audit?resource=home_watch&resource_id=${S.watch}&action=reveal`, as(admin));
  assert.equal(audit.json.items.length, 1);
  assert.equal(audit.json.items[0].actor_login, 'rep');
  // Some demo lists are overdue, some not.
  const demo = list.json.items.filter((x) => x.visits > 0);
  assert.ok(demo.some((x) => x.overdue) && demo.some((x) => !x.overdue), 'the demo shows both');
});
