// volunteers.test.mjs — SPEC §5 registration and organisation: a volunteer
// registers on a phone (validated real-name fields, linked to the account,
// pending until approved, then granted the volunteer role); staff register
// and are approved at once; scope (a 居委 never sees another's volunteers);
// teams with leaders; posts and claims (岗位认领) with approval and a limit;
// the rules as configuration.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, freshLogin, orgId, errorOf, tag, randomPhone, idCheck, newestAuditId, clockIso, clockNow } from './harness.mjs';
import { idBorn, mkVolunteer, mkPost, volunteerAccount } from './volunteer-fixtures.mjs';

await ensureServer();
let admin, office, committee, committee2, comm, wt;

before(async () => {
  admin = await login('admin');
  office = await login('office');
  committee = await login('committee');
  committee2 = await login('committee2');
  comm = await orgId('由由第五居民区');
  wt = await orgId('梧桐居民区');
});

async function newAccount() {
  const loginName = `reg-${tag()}`;
  const a = await api('POST', '/api/v1/accounts', as(admin, {
    body: { login: loginName, display_name: '注册测试', password: 'reg-secret-123', grants: [{ role: 'resident', org_id: comm }] },
  }));
  assert.equal(a.status, 201, a.text);
  return freshLogin(loginName, 'reg-secret-123');
}

test('self-registration on a phone: every field error at once, then pending, linked, approved with the role', async () => {
  const s = await newAccount();
  const f17 = '11010519900101123';
  const bad = await api('POST', '/api/v1/volunteers/register', as(s, { body: {
    name: '', id_number: f17 + (idCheck(f17) === '0' ? '1' : '0'), phone: '12345', org_id: comm, vtype: 'astronaut',
  } }));
  assert.equal(bad.status, 422, bad.text);
  const fields = errorOf(bad).fields.map((f) => `${f.field}:${f.code}`).sort();
  assert.ok(fields.includes('id_number:bad_check_digit') || fields.some((f) => f.startsWith('id_number:')), fields.join());
  for (const k of ['name', 'phone', 'vtype']) assert.ok(fields.some((f) => f.startsWith(`${k}:`)), `${k} in ${fields}`);
  const before = await newestAuditId();
  const noOrg = await api('POST', '/api/v1/volunteers/register', as(s, { body: {
    name: '王小白', id_number: idBorn(1992), phone: randomPhone(), org_id: await orgId('花木城管中队'), vtype: 'white_collar',
  } }));
  assert.equal(noOrg.status, 422);
  assert.equal(await newestAuditId(), before, 'nothing written');

  const idn = idBorn(1992);
  const ok = await api('POST', '/api/v1/volunteers/register', as(s, { body: {
    name: '王小白', id_number: idn, phone: randomPhone(), org_id: comm, vtype: 'white_collar', skills: ['摄影'], areas: ['锦绣前城'],
  } }));
  assert.equal(ok.status, 201, ok.text);
  const v = ok.json;
  assert.equal(v.status, 'pending');
  assert.equal(v.self_registered, true);
  assert.equal(v.vtype, 'white_collar');
  assert.deepEqual(v.skills, ['摄影']);
  assert.deepEqual(v.areas, ['锦绣前城']);
  assert.equal(v.account_id, s.account.id);
  // The age on the server's today in China, from the birth date in the ID.
  const today = new Date(clockNow() + 8 * 3600e3).toISOString().slice(0, 10).replace(/-/g, '');
  const born = idn.slice(6, 14);
  assert.equal(v.age, Number(today.slice(0, 4)) - Number(born.slice(0, 4)) - (today.slice(4) < born.slice(4) ? 1 : 0));
  assert.ok(!ok.text.includes(idn), 'the full ID number never comes back');
  assert.match(v.id_number_masked, /^\d{2}\*+\d{2}[\dX]$/);
  // Only once per account; the same ID by someone else is accepted and flagged
  // for the 居委 (id-oracle.test.mjs: the registrant is never told).
  const again = await api('POST', '/api/v1/volunteers/register', as(s, { body: { name: '王小白', id_number: idn, phone: randomPhone(), org_id: comm, vtype: 'student' } }));
  assert.equal(again.status, 409);
  assert.equal(errorOf(again).code, 'already_registered');
  const s2 = await newAccount();
  const dup = await api('POST', '/api/v1/volunteers/register', as(s2, { body: { name: '冒名', id_number: idn, phone: randomPhone(), org_id: comm, vtype: 'student' } }));
  assert.equal(dup.status, 201, dup.text);
  assert.ok(!('possible_duplicate' in dup.json));
  assert.equal((await api('GET', `/api/v1/volunteers/${dup.json.id}`, as(committee))).json.possible_duplicate, true);
  assert.equal((await api('GET', `/api/v1/volunteers/${v.id}`, as(committee))).json.possible_duplicate, false);
  // me
  const me = await api('GET', '/api/v1/volunteers/me', as(s));
  assert.equal(me.json.volunteer.id, v.id);
  assert.match(me.json.volunteer.calendar_path, /^\/api\/v1\/calendar-feed\/[A-Za-z0-9_-]{20,}\.ics$/);
  // Another 居委 can neither see nor approve; the own 居委 approves, the account gains the role.
  assert.equal((await api('GET', `/api/v1/volunteers/${v.id}`, as(committee2))).status, 404);
  const wrong = await api('POST', `/api/v1/volunteers/${v.id}/decision`, as(committee2, { body: { decision: 'approve' } }));
  assert.equal(wrong.status, 404);
  const list2 = await api('GET', '/api/v1/volunteers?status=pending&limit=200', as(committee2));
  assert.ok(!list2.json.items.some((x) => x.id === v.id));
  const list1 = await api('GET', '/api/v1/volunteers?status=pending&limit=200', as(committee));
  assert.ok(list1.json.items.some((x) => x.id === v.id));
  const ap = await api('POST', `/api/v1/volunteers/${v.id}/decision`, as(committee, { body: { decision: 'approve' } }));
  assert.equal(ap.status, 200, ap.text);
  assert.equal(ap.json.status, 'approved');
  const sess = await api('GET', '/api/v1/session', as(s));
  assert.ok(sess.json.grants.some((g) => g.role === 'volunteer' && g.org_id === comm), JSON.stringify(sess.json.grants));
  const twice = await api('POST', `/api/v1/volunteers/${v.id}/decision`, as(committee, { body: { decision: 'approve' } }));
  assert.equal(twice.status, 409);
  assert.equal(errorOf(twice).code, 'illegal_decision');
  // Suspend, reject rules.
  const sus = await api('POST', `/api/v1/volunteers/${v.id}/decision`, as(committee, { body: { decision: 'suspend', note: '暂停' } }));
  assert.equal(sus.json.status, 'suspended');
  const rej = await api('POST', `/api/v1/volunteers/${v.id}/decision`, as(committee, { body: { decision: 'reject' } }));
  assert.equal(rej.status, 409);
});

test('staff registration: approved at once, in scope only; an existing person can become a volunteer', async () => {
  const v = await mkVolunteer(committee, comm, { vtype: 'party_member' });
  assert.equal(v.status, 'approved');
  assert.equal(v.self_registered, false);
  const out = await api('POST', '/api/v1/volunteers', as(committee, { body: { name: '越权', id_number: idBorn(1990), phone: randomPhone(), org_id: wt, vtype: 'resident' } }));
  assert.equal(out.status, 403);
  const p = await api('POST', '/api/v1/people', as(committee, { body: { name: `已有-${tag()}`, org_id: comm, kinds: ['resident'] } }));
  assert.equal(p.status, 201);
  const idn = idBorn(1985);
  const linked = await api('POST', '/api/v1/volunteers', as(committee, { body: { person_id: p.json.id, name: p.json.name, id_number: idn, phone: randomPhone(), org_id: comm, vtype: 'resident' } }));
  assert.equal(linked.status, 201, linked.text);
  assert.equal(linked.json.person_id, p.json.id);
  const person = await api('GET', `/api/v1/people/${p.json.id}`, as(committee));
  assert.ok(person.json.kinds.includes('volunteer'));
  const again = await api('POST', '/api/v1/volunteers', as(committee, { body: { person_id: p.json.id, name: 'x', id_number: idn, phone: randomPhone(), org_id: comm, vtype: 'resident' } }));
  assert.equal(again.status, 409);
  // Filters and update.
  const upd = await api('PATCH', `/api/v1/volunteers/${v.id}`, as(committee, { body: { vtype: 'student', areas: ['由由五村'] } }));
  assert.equal(upd.status, 200);
  assert.equal(upd.json.vtype, 'student');
  const bad = await api('PATCH', `/api/v1/volunteers/${v.id}`, as(committee, { body: { vtype: 'pilot' } }));
  assert.equal(bad.status, 422);
  const byType = await api('GET', '/api/v1/volunteers?vtype=student&limit=200', as(committee));
  assert.ok(byType.json.items.some((x) => x.id === v.id));
  assert.equal((await api('GET', '/api/v1/volunteers?vtype=pilot', as(committee))).status, 422);
});

test('teams with leaders; the demo has the teams of the practices', async () => {
  const teams = (await api('GET', '/api/v1/teams', as(office))).json.items;
  for (const n of ['七彩虹巾帼志愿者服务队', '手拉手睦邻志愿服务队', '疫情防控志愿者服务队'])
    assert.ok(teams.some((t) => t.name === n), n);
  const qch = teams.find((t) => t.name === '七彩虹巾帼志愿者服务队');
  assert.ok(qch.members > 0 && qch.leaders.length > 0);
  const v = await mkVolunteer(committee, comm);
  const put = await api('PUT', `/api/v1/teams/${qch.id}/members/${v.id}`, as(committee, { body: { leader: true } }));
  assert.equal(put.status, 200, put.text);
  assert.ok(put.json.items.some((m) => m.volunteer_id === v.id && m.leader === true));
  const byTeam = await api('GET', `/api/v1/volunteers?team_id=${qch.id}&limit=200`, as(committee));
  assert.ok(byTeam.json.items.some((x) => x.id === v.id));
  const members = await api('GET', `/api/v1/teams/${qch.id}/members`, as(committee));
  assert.ok(members.json.items.some((m) => m.volunteer_id === v.id));
  assert.equal((await api('DELETE', `/api/v1/teams/${qch.id}/members/${v.id}`, as(committee))).status, 204);
  assert.equal((await api('DELETE', `/api/v1/teams/${qch.id}/members/${v.id}`, as(committee))).status, 404);
  assert.equal((await api('PUT', `/api/v1/teams/${comm}/members/${v.id}`, as(committee, { body: {} }))).status, 404, 'not a team');
  // joined_at is RFC 3339 with the offset, not an epoch integer (coverage 8).
  assert.match(put.json.items.find((m) => m.volunteer_id === v.id).joined_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
});

test('a team takes only volunteers in the caller\'s scope: another community\'s volunteer is 404, nothing leaked (security #9)', async () => {
  const committee2 = await login('committee2');
  const v = await mkVolunteer(committee, comm);
  const teams = (await api('GET', '/api/v1/teams', as(committee2))).json.items;
  let own = null;
  for (const t of teams) if ((await api('GET', `/api/v1/teams/${t.id}/members`, as(committee2))).status === 200) { own = t; break; }
  assert.ok(own, 'committee2 manages a team');
  const put = await api('PUT', `/api/v1/teams/${own.id}/members/${v.id}`, as(committee2, { body: { leader: true } }));
  assert.equal(put.status, 404, put.text);
  assert.equal(errorOf(put).code, 'not_found');
  assert.ok(!put.text.includes(v.name), 'the answer does not name the volunteer');
  assert.equal(put.text, (await api('PUT', `/api/v1/teams/${own.id}/members/999999999`, as(committee2, { body: {} }))).text, 'same answer as a missing volunteer');
  const members = await api('GET', `/api/v1/teams/${own.id}/members`, as(committee2));
  assert.ok(!members.json.items.some((m) => m.volunteer_id === v.id), 'not added');
});

test('posts and claims: a volunteer claims for themself, a leader for the team; approval within the limit', async () => {
  const post = await mkPost(committee, comm, { claim_limit: 1, location: { lat: 31.22, lng: 121.54 }, radius_m: 80 });
  assert.deepEqual(post.location, { lat: 31.22, lng: 121.54 });
  const a = await volunteerAccount(comm, { approver: committee });
  const b = await volunteerAccount(comm, { approver: committee });
  const claim = (s, body) => api('POST', `/api/v1/posts/${post.id}/claims`, as(s, { body }));
  const c1 = await claim(a.session, { claimant_kind: 'volunteer', start_date: '2026-01-01', end_date: '2026-06-30' });
  assert.equal(c1.status, 201, c1.text);
  assert.equal(c1.json.status, 'pending');
  assert.equal(c1.json.volunteer_id, a.volunteer.id);
  const c2 = await claim(b.session, { claimant_kind: 'volunteer', start_date: '2026-03-01', end_date: '2026-12-31' });
  assert.equal(c2.status, 201);
  // Claiming for someone else, or for a team one does not lead.
  assert.equal((await claim(a.session, { claimant_kind: 'volunteer', volunteer_id: b.volunteer.id, start_date: '2026-01-01', end_date: '2026-01-31' })).status, 403);
  const team = (await api('GET', '/api/v1/teams', as(office))).json.items.find((t) => t.name === '手拉手睦邻志愿服务队');
  assert.equal((await claim(a.session, { claimant_kind: 'team', org_id: team.id, start_date: '2026-01-01', end_date: '2026-01-31' })).status, 403);
  const badDates = await claim(a.session, { claimant_kind: 'volunteer', start_date: '2026-05-01', end_date: '2026-04-01' });
  assert.equal(badDates.status, 422);
  // Approval: the first fits, the overlapping second exceeds the limit of 1.
  const d1 = await api('POST', `/api/v1/claims/${c1.json.id}/decision`, as(committee, { body: { decision: 'approve' } }));
  assert.equal(d1.status, 200, d1.text);
  const d2 = await api('POST', `/api/v1/claims/${c2.json.id}/decision`, as(committee, { body: { decision: 'approve' } }));
  assert.equal(d2.status, 409);
  assert.equal(errorOf(d2).code, 'claim_limit');
  assert.equal((await api('POST', `/api/v1/claims/${c2.json.id}/decision`, as(committee2, { body: { decision: 'reject' } }))).status, 404);
  const d3 = await api('POST', `/api/v1/claims/${c2.json.id}/decision`, as(committee, { body: { decision: 'reject' } }));
  assert.equal(d3.json.status, 'rejected');
  // A party branch claim by staff.
  const branch = await api('POST', '/api/v1/orgs', as(admin, { body: { parent_id: comm, kind: 'party_org', name: `测试党支部-${tag()}` } }));
  const c4 = await claim(committee, { claimant_kind: 'party_org', org_id: branch.json.id, start_date: '2027-01-01', end_date: '2027-12-31' });
  assert.equal(c4.status, 201, c4.text);
  const list = await api('GET', `/api/v1/posts/${post.id}/claims`, as(a.session));
  assert.equal(list.json.items.length, 3);
  // Post reads and updates.
  assert.equal((await api('GET', `/api/v1/posts/${post.id}`, as(a.session))).status, 200);
  const upd = await api('PATCH', `/api/v1/posts/${post.id}`, as(committee, { body: { rules: '提前 5 分钟到岗', location: null } }));
  assert.equal(upd.status, 200, upd.text);
  assert.equal(upd.json.location, null);
  assert.equal((await api('PATCH', `/api/v1/posts/${post.id}`, as(committee2, { body: { rules: 'x' } }))).status, 404);
  assert.equal((await api('PATCH', `/api/v1/posts/${post.id}`, as(committee, { body: { kind: 'spaceship' } }))).status, 422);
  const posts = await api('GET', '/api/v1/posts?limit=200', as(committee));
  // Posts are public to every signed-in account (a volunteer may serve in any community).
  assert.ok(posts.json.items.some((p) => p.name === '梧桐居委爱心岗'));
  assert.ok(posts.json.items.find((p) => p.name === '梧桐居委爱心岗').patterns.length === 2);
});

test('the rules are configuration: read by anyone, changed by staff, validated', async () => {
  const r = await api('GET', '/api/v1/settings/volunteers', as(await login('volunteer')));
  assert.equal(r.status, 200);
  assert.equal(r.json.min_age, 18);
  assert.equal(r.json.max_age, 65);
  assert.equal(r.json.open_weekday, 5);
  assert.equal(r.json.open_minute, 720);
  assert.equal(r.json.noshow_limit, 2);
  assert.equal(r.json.block_days, 30);
  const bad = await api('PUT', '/api/v1/settings/volunteers', as(office, { body: { min_age: 70, max_age: 60 } }));
  assert.equal(bad.status, 422);
  assert.equal((await api('PUT', '/api/v1/settings/volunteers', as(committee, { body: { min_age: 16 } }))).status, 403);
  const ok = await api('PUT', '/api/v1/settings/volunteers', as(office, { body: { cutoff_minutes: 60 } }));
  assert.equal(ok.status, 200);
});
