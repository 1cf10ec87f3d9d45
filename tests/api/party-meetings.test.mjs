// party-meetings.test.mjs — 三会一课 (docs/PARTY.md, issue 16): compliance computed
// by hand for a fresh branch from the same clock (any day), the rules editor
// changes the result, QR sign-in (right token, wrong token, non-member,
// twice), leave with a reason, notices to the members' inboxes once,
// reminders once per period over two scheduler ticks, scope, and bad input
// that changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, orgId, tag, clockIso, clockNow, listAll, makePng } from './harness.mjs';

await ensureServer();

const H = 3600 * 1000;
const DAY = 24 * H;
const S = {};
const ORG = {};
const DEFAULT_RULES = {
  remind_days: 7,
  rules: {
    member_meeting: { period: 'quarter', min: 1 }, committee_meeting: { period: 'month', min: 1 },
    group_meeting: { period: 'month', min: 1 }, lecture: { period: 'quarter', min: 1 },
    theme_day: { period: 'month', min: 1, day: 5 },
  },
};
const cnDate = (ms) => new Date(ms + 8 * H).toISOString().slice(0, 10);
const cn = (ms) => new Date(Math.floor(ms / 1000) * 1000 + 8 * H).toISOString().replace(/\.\d{3}Z$/, '+08:00');
const pad = (n) => String(n).padStart(2, '0');
const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();	// m 1-based

// The hand computation: every (rule, period) of year for a branch, from the
// held meetings' dates, against today — the rules of docs/PARTY.md.
function expected(rules, year, today, held) {
  const out = {};
  for (const [type, r] of Object.entries(rules)) {
    if (type === 'group_meeting' || r.min <= 0) continue;
    const months = r.period === 'quarter' ? 3 : 1;
    for (let p = 0; p < 12 / months; p++) {
      const m0 = p * months + 1, m1 = m0 + months - 1;
      const first = `${year}-${pad(m0)}-01`, last = `${year}-${pad(m1)}-${pad(lastDay(year, m1))}`;
      const key = months === 3 ? `${year}-Q${p + 1}` : `${year}-${pad(m0)}`;
      const n = held.filter((h) => h.type === type && h.day >= first && h.day <= last).length;
      out[`${type} ${key}`] = today < first ? 'grey' : n >= r.min ? 'green' : today > last ? 'red' : 'amber';
    }
  }
  return out;
}
const cellsOf = (view, org) => {
  const row = view.orgs.find((o) => o.id === org);
  assert.ok(row, `org ${org} in the view`);
  return Object.fromEntries(row.cells.map((c) => [`${c.rule} ${c.period}`, c.status]));
};

async function meeting(s, body, status = 201) {
  const r = await api('POST', '/api/v1/party/meetings', as(s, { body }));
  assert.equal(r.status, status, r.text);
  return r.json;
}
async function inbox(s, kind) {
  const r = await api('GET', '/api/v1/notifications?limit=200', as(s));
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((n) => n.kind === kind);
}

before(async () => {
  for (const l of ['admin', 'office', 'committee', 'secretary', 'volunteer', 'resident']) S[l] = await login(l);
  ORG.gb = await orgId('前程党总支');
  ORG.jx = await orgId('锦绣前城第一党支部');
  // A fresh branch under a 党总支: nothing else holds meetings there.
  const r = await api('POST', '/api/v1/orgs', as(S.admin, { body: { kind: 'party_org', subkind: 'party_branch', name: `测试党支部${tag()}`, parent_id: ORG.gb } }));
  assert.equal(r.status, 201, r.text);
  ORG.fresh = r.json.id;
});
after(async () => {
  if (!S.admin) return;
  await api('PUT', '/api/v1/party/compliance-rules', as(S.office, { body: DEFAULT_RULES })).catch(() => {});
  await api('PUT', '/api/v1/system/clock', as(S.admin, { body: { now: clockIso() } })).catch(() => {});
});

test('compliance by hand for a fresh branch, and the rules editor changes it', async () => {
  const now = clockNow(), today = cnDate(now), year = Number(today.slice(0, 4));
  const held = [
    { type: 'committee_meeting', day: `${year}-01-15` },
    { type: 'theme_day', day: `${year}-02-05` },
    { type: 'member_meeting', day: `${year}-03-20` },
    { type: 'lecture', day: today },
    { type: 'committee_meeting', day: `${year}-01-28` },
  ];
  for (const h of held)
    await meeting(S.admin, { org_id: ORG.fresh, type: h.type, held_on: h.day, state: 'held', topic: '手算合规' });
  // Not counted: cancelled, planned, last year's.
  await meeting(S.admin, { org_id: ORG.fresh, type: 'committee_meeting', held_on: today, state: 'cancelled', topic: '取消' });
  await meeting(S.admin, { org_id: ORG.fresh, type: 'theme_day', held_on: today, state: 'planned', topic: '计划' });
  await meeting(S.admin, { org_id: ORG.fresh, type: 'lecture', held_on: `${year - 1}-12-31`, state: 'held', topic: '去年' });

  let r = await api('GET', `/api/v1/party/compliance?year=${year}&org_id=${ORG.gb}`, as(S.office));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.today, today);
  const want = expected(DEFAULT_RULES.rules, year, today, held);
  assert.deepEqual(cellsOf(r.json, ORG.fresh), want);
  const row = r.json.orgs.find((o) => o.id === ORG.fresh);
  const n = (s) => Object.values(want).filter((v) => v === s).length;
  assert.deepEqual(row.counts, { grey: n('grey'), green: n('green'), amber: n('amber'), red: n('red') });
  // The 党总支's roll-up holds at least the fresh branch's counts.
  const up = r.json.rollup.find((o) => o.id === ORG.gb);
  assert.ok(up && up.counts.red >= n('red') && up.counts.green >= n('green'), JSON.stringify(up));
  // Next year is all grey; last year's lecture counts there only.
  r = await api('GET', `/api/v1/party/compliance?year=${year + 1}&org_id=${ORG.fresh}`, as(S.office));
  assert.ok(r.json.orgs[0].cells.every((c) => c.status === 'grey'));
  r = await api('GET', `/api/v1/party/compliance?year=${year - 1}&org_id=${ORG.fresh}`, as(S.office));
  assert.equal(cellsOf(r.json, ORG.fresh)[`lecture ${year - 1}-Q4`], 'green');
  assert.equal(cellsOf(r.json, ORG.fresh)[`lecture ${year - 1}-Q3`], 'red');

  // Two committee meetings a month: January (two held) stays green, the rest change.
  const rules = structuredClone(DEFAULT_RULES);
  rules.rules.committee_meeting.min = 2;
  rules.rules.lecture = { period: 'month', min: 1 };
  r = await api('PUT', '/api/v1/party/compliance-rules', as(S.office, { body: rules }));
  assert.equal(r.status, 200, r.text);
  r = await api('GET', `/api/v1/party/compliance?year=${year}&org_id=${ORG.fresh}`, as(S.office));
  assert.deepEqual(cellsOf(r.json, ORG.fresh), expected(rules.rules, year, today, held));
  assert.equal(cellsOf(r.json, ORG.fresh)[`committee_meeting ${year}-01`], 'green');

  // Bad rules change nothing; only office/admin may edit.
  for (const bad of [{ remind_days: 7 }, { ...rules, rules: { ...rules.rules, lecture: { period: 'week', min: 1 } } },
    { ...rules, rules: { ...rules.rules, lecture: { period: 'month', min: 11 } } }, { ...rules, remind_days: -1 },
    { ...rules, rules: { ...rules.rules, extra: { period: 'month', min: 1 } } }]) {
    r = await api('PUT', '/api/v1/party/compliance-rules', as(S.office, { body: bad }));
    assert.equal(r.status, 422, JSON.stringify(bad));
  }
  r = await api('PUT', '/api/v1/party/compliance-rules', as(S.secretary, { body: DEFAULT_RULES }));
  assert.equal(r.status, 403);
  r = await api('GET', '/api/v1/party/compliance-rules', as(S.secretary));
  assert.deepEqual(r.json, rules);
  r = await api('PUT', '/api/v1/party/compliance-rules', as(S.office, { body: DEFAULT_RULES }));
  assert.equal(r.status, 200);
});

test('党小组: group meetings count per group, and only there', async () => {
  const today = cnDate(clockNow()), year = Number(today.slice(0, 4));
  let r = await api('POST', '/api/v1/orgs', as(S.admin, { body: { kind: 'party_org', subkind: 'party_group', name: `测试党小组${tag()}`, parent_id: ORG.fresh } }));
  assert.equal(r.status, 201, r.text);
  const group = r.json.id;
  await meeting(S.admin, { org_id: group, type: 'group_meeting', held_on: `${year}-01-20`, state: 'held', topic: '小组会' });
  // A group meeting recorded on the branch does not count for the group.
  await meeting(S.admin, { org_id: ORG.fresh, type: 'group_meeting', held_on: `${year}-02-20`, state: 'held', topic: '记在支部' });
  r = await api('GET', `/api/v1/party/compliance?year=${year}&org_id=${ORG.fresh}`, as(S.office));
  assert.equal(r.status, 200, r.text);
  const g = r.json.orgs.find((o) => o.id === group);
  assert.ok(g, 'the group has a row');
  assert.deepEqual([...new Set(g.cells.map((c) => c.rule))], ['group_meeting']);
  assert.equal(g.cells.length, 12);
  assert.deepEqual(Object.fromEntries(g.cells.map((c) => [`${c.rule} ${c.period}`, c.status])), Object.fromEntries(Object.entries(
    expected({ x: { period: 'month', min: 1 } }, year, today, [{ type: 'x', day: `${year}-01-20` }])).map(([k, v]) => [k.replace(/^x/, 'group_meeting'), v])));
  const branch = r.json.orgs.find((o) => o.id === ORG.fresh);
  assert.ok(!branch.cells.some((c) => c.rule === 'group_meeting'), 'group meetings are not a branch rule');
});

test('scope: the secretary sees their branch only; out of scope is 404', async () => {
  const m = await meeting(S.admin, { org_id: ORG.fresh, type: 'lecture', held_on: cnDate(clockNow()), topic: '范围' });
  let r = await api('GET', `/api/v1/party/meetings/${m.id}`, as(S.secretary));
  assert.equal(r.status, 404);
  r = await api('GET', `/api/v1/party/compliance?org_id=${ORG.fresh}`, as(S.secretary));
  assert.equal(r.status, 404);
  r = await api('GET', '/api/v1/party/compliance', as(S.secretary));
  assert.equal(r.status, 200);
  // The branch and the 党小组 under it (the party tree's demo hangs groups under 锦绣前城第一党支部).
  const jxPath = (await api('GET', `/api/v1/orgs/${ORG.jx}`, as(S.admin))).json.path;
  const under = async (id) => (await api('GET', `/api/v1/orgs/${id}`, as(S.admin))).json.path.startsWith(jxPath);
  const seen = r.json.orgs.map((o) => o.id);
  assert.ok(seen.includes(ORG.jx));
  for (const id of seen) assert.ok(await under(id), `org ${id} is under the secretary's branch`);
  const mine = await listAll(`/api/v1/party/meetings?org_id=${ORG.jx}`, S.secretary);
  assert.ok(mine.length > 0);
  for (const id of new Set(mine.map((x) => x.org_id))) assert.ok(await under(id), `meeting org ${id}`);
  r = await api('GET', '/api/v1/party/meetings?limit=200', as(S.secretary));
  for (const id of new Set(r.json.items.map((x) => x.org_id))) assert.ok(await under(id), `meeting org ${id}`);
  r = await api('POST', '/api/v1/party/meetings', as(S.secretary, { body: { org_id: ORG.fresh, type: 'lecture', held_on: '2026-01-01', topic: 'x' } }));
  assert.equal(r.status, 403);
});

test('QR sign-in: right token present, wrong token 422, non-member 404, twice idempotent', async () => {
  const today = cnDate(clockNow());
  const m = await meeting(S.secretary, { org_id: ORG.jx, type: 'theme_day', held_on: today, topic: `签到${tag()}`, place: '党群服务站' });
  assert.equal(m.signin_token, undefined, 'the secret is not in the meeting');
  let r = await api('GET', `/api/v1/party/meetings/${m.id}/sign-in-link`, as(S.secretary));
  assert.equal(r.status, 200, r.text);
  const token = new URL(r.json.url.replace('/#/', '/')).searchParams.get('t');
  assert.ok(token && token.length >= 20);
  r = await api('GET', `/api/v1/party/meetings/${m.id}/qr.png`, as(S.secretary));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');

  r = await api('GET', `/api/v1/party/meetings/${m.id}/mine`, as(S.volunteer));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.my_status, null);
  r = await api('POST', `/api/v1/party/meetings/${m.id}/sign-in`, as(S.volunteer, { body: { token: token.slice(0, -2) + 'xx' } }));
  assert.equal(r.status, 422);
  r = await api('GET', `/api/v1/party/meetings/${m.id}/mine`, as(S.volunteer));
  assert.equal(r.json.my_status, null, 'a wrong token changes nothing');
  for (const who of ['resident', 'committee']) {
    r = await api('POST', `/api/v1/party/meetings/${m.id}/sign-in`, as(S[who], { body: { token } }));
    assert.equal(r.status, 404, `${who} is not a member`);
  }
  r = await api('POST', `/api/v1/party/meetings/${m.id}/sign-in`, as(S.volunteer, { body: { token } }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.my_status, 'present');
  let g = await api('GET', `/api/v1/party/meetings/${m.id}`, as(S.secretary));
  const me = g.json.attendees.find((a) => a.status === 'present');
  assert.ok(me);
  r = await api('POST', `/api/v1/party/meetings/${m.id}/sign-in`, as(S.volunteer, { body: { token } }));
  assert.equal(r.status, 200);
  g = await api('GET', `/api/v1/party/meetings/${m.id}`, as(S.secretary));
  assert.equal(g.json.present, 1);
  assert.equal(g.json.attendees.find((a) => a.person_id === me.person_id).signed_at, me.signed_at);
  // Outside the window (a meeting next week) and a missing meeting.
  const later = await meeting(S.secretary, { org_id: ORG.jx, type: 'lecture', held_on: cnDate(clockNow() + 7 * DAY), topic: '下周' });
  r = await api('GET', `/api/v1/party/meetings/${later.id}/sign-in-link`, as(S.secretary));
  const t2 = new URL(r.json.url.replace('/#/', '/')).searchParams.get('t');
  r = await api('POST', `/api/v1/party/meetings/${later.id}/sign-in`, as(S.volunteer, { body: { token: t2 } }));
  assert.equal(r.status, 409);
  r = await api('POST', '/api/v1/party/meetings/999999999/sign-in', as(S.volunteer, { body: { token } }));
  assert.equal(r.status, 404);
});

test('leave with a reason; the secretary marks attendance; bad marks change nothing', async () => {
  const m = await meeting(S.secretary, { org_id: ORG.jx, type: 'member_meeting', held_on: cnDate(clockNow() + 3 * DAY), start_time: '19:00', topic: `请假${tag()}` });
  let r = await api('POST', `/api/v1/party/meetings/${m.id}/leave`, as(S.volunteer, { body: { reason: '' } }));
  assert.equal(r.status, 422);
  r = await api('POST', `/api/v1/party/meetings/${m.id}/leave`, as(S.resident, { body: { reason: '出差' } }));
  assert.equal(r.status, 404);
  r = await api('POST', `/api/v1/party/meetings/${m.id}/leave`, as(S.volunteer, { body: { reason: '出差' } }));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.my_status, r.json.my_reason], ['leave', '出差']);
  const g = await api('GET', `/api/v1/party/meetings/${m.id}`, as(S.secretary));
  assert.equal(g.json.on_leave, 1);
  const pid = g.json.attendees.find((a) => a.status === 'leave').person_id;
  const before = JSON.stringify(g.json.attendees);
  for (const bad of [[{ person_id: pid, status: 'leave' }], [{ person_id: pid, status: 'late' }], [{ person_id: 1, status: 'present' }],
    [{ person_id: pid, status: 'present' }, { person_id: 999999999, status: 'absent' }]]) {
    r = await api('PUT', `/api/v1/party/meetings/${m.id}/attendance`, as(S.secretary, { body: { attendance: bad } }));
    assert.equal(r.status, 422, JSON.stringify(bad));
  }
  assert.equal(JSON.stringify((await api('GET', `/api/v1/party/meetings/${m.id}`, as(S.secretary))).json.attendees), before);
  r = await api('PUT', `/api/v1/party/meetings/${m.id}/attendance`, as(S.secretary, { body: { attendance: [{ person_id: pid, status: 'absent' }] } }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.attendees.find((a) => a.person_id === pid).status, 'absent');
  r = await api('PATCH', `/api/v1/party/meetings/${m.id}`, as(S.secretary, { body: { state: 'held', minutes: '议定事项', attachments: [{ name: '会议材料', url: 'https://example.org/a.pdf' }] } }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'held');
  r = await api('POST', `/api/v1/party/meetings/${m.id}/leave`, as(S.volunteer, { body: { reason: '出差' } }));
  assert.equal(r.status, 409, 'no leave once held');
  // Photos: the uploader attaches; another editor keeps them, but cannot add someone else's upload.
  const up = async () => {
    const u = await api('POST', '/api/v1/photos', as(S.admin, { body: makePng(16, 12), headers: { 'Content-Type': 'image/png' } }));
    assert.equal(u.status, 201, u.text);
    return u.json.id;
  };
  const [p1, p2] = [await up(), await up()];
  r = await api('PATCH', `/api/v1/party/meetings/${m.id}`, as(S.admin, { body: { photos: [p1] } }));
  assert.equal(r.status, 200, r.text);
  r = await api('PATCH', `/api/v1/party/meetings/${m.id}`, as(S.secretary, { body: { photos: [p1], minutes: '补充记录' } }));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.photos, [p1]);
  r = await api('PATCH', `/api/v1/party/meetings/${m.id}`, as(S.secretary, { body: { photos: [p1, p2] } }));
  assert.equal(r.status, 422);
});

test('a planned meeting notifies the members with accounts once; bad input creates nothing', async () => {
  const hook = await api('POST', '/api/v1/webhooks', as(S.admin, { body: { name: `会议推送-${tag()}`, url: 'http://127.0.0.1:9/hook', events: ['party.*'], active: true } }));
  assert.equal(hook.status, 201, hook.text);
  const before = (await inbox(S.volunteer, 'party_meeting')).length;
  const topic = `通知${tag()}`;
  const m = await meeting(S.secretary, { org_id: ORG.jx, type: 'committee_meeting', held_on: cnDate(clockNow() + 2 * DAY), topic });
  let mine = await inbox(S.volunteer, 'party_meeting');
  assert.equal(mine.length, before + 1);
  assert.ok(mine.some((n) => n.body.includes(topic)));
  await api('PATCH', `/api/v1/party/meetings/${m.id}`, as(S.secretary, { body: { place: '会议室' } }));
  await meeting(S.secretary, { org_id: ORG.jx, type: 'committee_meeting', held_on: cnDate(clockNow() - 2 * DAY), state: 'held', topic: '补录' });
  mine = await inbox(S.volunteer, 'party_meeting');
  assert.equal(mine.length, before + 1, 'an edit or a held record sends nothing');
  assert.equal((await inbox(S.resident, 'party_meeting')).filter((n) => n.body.includes(topic)).length, 0);
  // One webhook delivery: the planned meeting only (not the edit, not the held record).
  const dl = await api('GET', `/api/v1/webhooks/${hook.json.id}/deliveries`, as(S.admin));
  assert.equal(dl.status, 200, dl.text);
  assert.deepEqual(dl.json.items.map((d) => d.event), ['party.meeting.planned']);
  await api('PATCH', `/api/v1/webhooks/${hook.json.id}`, as(S.admin, { body: { active: false } }));

  const count = async () => (await listAll(`/api/v1/party/meetings?org_id=${ORG.jx}`, S.secretary)).length;
  const n0 = await count();
  for (const bad of [{ org_id: ORG.jx, type: 'party', held_on: '2026-01-01', topic: 'x' },
    { org_id: ORG.jx, type: 'lecture', held_on: '2026-02-30', topic: 'x' },
    { org_id: ORG.jx, type: 'lecture', held_on: '2026-02-01', topic: '' },
    { org_id: ORG.jx, type: 'lecture', held_on: '2026-02-01', topic: 'x', start_time: '25:00' },
    { org_id: ORG.jx, type: 'lecture', held_on: '2026-02-01', topic: 'x', photos: [999999999] },
    { org_id: ORG.jx, type: 'lecture', held_on: '2026-02-01', topic: 'x', attachments: [{ name: 'a', url: 'ftp://x' }] },
    { org_id: await orgId('由由第五居民区'), type: 'lecture', held_on: '2026-02-01', topic: 'x' }]) {
    const r = await api('POST', '/api/v1/party/meetings', as(S.secretary, { body: bad }));
    assert.equal(r.status, 422, JSON.stringify(bad) + r.text);
  }
  const r = await api('PATCH', `/api/v1/party/meetings/${m.id}`, as(S.secretary, { body: { state: 'done' } }));
  assert.equal(r.status, 422);
  assert.equal(await count(), n0);
  assert.equal((await api('GET', `/api/v1/party/meetings/${m.id}`, as(S.secretary))).json.state, 'planned');
});

test('reminders before a period closes: once per (org, rule, period) over two ticks', async () => {
  // A secretary account of the fresh branch.
  const loginName = `sec${tag()}`.slice(0, 30);
  let r = await api('POST', '/api/v1/accounts', as(S.admin, { body: { login: loginName, display_name: '测试书记', password: 'meeting-secret-123', grants: [{ role: 'party', org_id: ORG.fresh }] } }));
  assert.equal(r.status, 201, r.text);
  const sec = await login(loginName, 'meeting-secret-123');
  // Three days before the end of this month, noon China time.
  const t = new Date(clockNow() + 8 * H);
  const y = t.getUTCFullYear(), mo = t.getUTCMonth() + 1;
  const at = Date.UTC(y, mo - 1, lastDay(y, mo) - 3, 4, 0, 0);
  r = await api('PUT', '/api/v1/system/clock', as(S.admin, { body: { now: cn(at) } }));
  assert.equal(r.status, 200, r.text);
  const day = cnDate(at);
  const view = (await api('GET', `/api/v1/party/compliance?year=${y}&org_id=${ORG.fresh}`, as(S.office))).json;
  const due = view.orgs[0].cells.filter((c) => c.status === 'amber' && c.closing);
  assert.ok(due.every((c) => c.last >= day && c.first <= day));
  assert.ok(due.some((c) => c.rule === 'theme_day' || c.rule === 'committee_meeting') || view.orgs[0].cells.filter((c) => c.period === `${y}-${pad(mo)}`).every((c) => c.status === 'green'));
  for (let i = 0; i < 2; i++) {
    r = await api('POST', '/api/v1/system/tick', as(S.admin));
    assert.equal(r.status, 200, r.text);
    assert.equal(typeof r.json.meeting_reminders, 'number');
  }
  const got = await inbox(sec, 'party_compliance');
  assert.equal(got.length, due.length, JSON.stringify(got.map((n) => n.body)));
  for (const c of due) assert.equal(got.filter((n) => n.body.includes(c.period)).length >= 1, true);
  r = await api('PUT', '/api/v1/system/clock', as(S.admin, { body: { now: clockIso() } }));
  assert.equal(r.status, 200);
});
