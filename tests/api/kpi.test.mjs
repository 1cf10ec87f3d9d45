// kpi.test.mjs — KPIs, trends, current states, rankings and the red/black
// list (SPEC §3, docs/KPI.md) through the real binary.
//
// A small street of its own (two 居委, two handler units, their accounts) is
// built through the API, and eight problems are walked through the workflow
// with the injected clock in March 2031: on-time and late closing, a rework,
// a return and re-dispatch to another unit, an extension that moves the
// deadline across days, a citizen's 不满意 reopen, a relapse, a rejection and
// a merge. Every figure below was worked out by hand from that story (the
// only arithmetic left to the test is the average closing time, from the
// timestamps the API returned). Then: scope (a 居委 sees only its own, a
// handler unit only its own work), bad parameters, and the consistency check
// that recomputes the roll-ups from the raw tables, also over the demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, freshLogin, errorOf, orgId, tag, makePng, spotOf, clockIso, clockNow } from './harness.mjs';

await ensureServer();

const H = 3600 * 1000;
// Day n of the story (n = 1 is Monday 2031-03-03) at hh:mm China time.
const DAY1 = Date.UTC(2031, 2, 3) - 8 * H;
const at = (n, hhmm) => DAY1 + (n - 1) * 24 * H + Number(hhmm.slice(0, 2)) * H + Number(hhmm.slice(3)) * 60000;
const cn = (ms) => new Date(Math.floor(ms / 1000) * 1000 + 8 * H).toISOString().replace(/\.\d{3}Z$/, '+08:00');
const date = (n) => new Date(DAY1 + (n - 1) * 24 * H + 8 * H).toISOString().slice(0, 10);

let admin, resident;
const S = {};	// sessions: office (the new street), c1 (居委 C1), h1, h2 (handler units)
const O = {};	// org ids: street, c1, c2, h1, h2
const P = {};	// problems by name
const closeSecs = {};	// problem name → closed_at - created_at, from the API

async function mk(path, body) {
  const r = await api('POST', path, as(admin, { body }));
  assert.equal(r.status, 201, `${path}: ${r.text}`);
  return r.json;
}

async function clock(ms) {
  const r = await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: cn(ms) } }));
  assert.equal(r.status, 200, r.text);
}

async function report(name, org, category, when) {
  await clock(when);
  const r = await api('POST', '/api/v1/problems', as(resident, {
    body: { category, description: `考核测试 ${name} ${tag()}`, org_id: org, location: { lat: 31.22, lng: 121.54 } },
  }));
  assert.equal(r.status, 201, r.text);
  P[name] = r.json.id;
  return r.json;
}

async function act(name, who, action, when, body = {}) {
  await clock(when);
  const r = await api('POST', `/api/v1/problems/${P[name]}/actions`, as(who, { body: { action, ...body } }));
  assert.equal(r.status, 200, `${name} ${action}: ${r.text}`);
  if (action === 'verify_pass') closeSecs[name] = (Date.parse(r.json.closed_at) - Date.parse(r.json.created_at)) / 1000;
  return r.json;
}

async function rectify(name, who, when) {
  await clock(when);
  const up = await api('POST', '/api/v1/photos', as(who, { body: makePng(12, 12), headers: { 'Content-Type': 'image/png' } }));
  assert.equal(up.status, 201, up.text);
  return act(name, who, 'rectify', when, { photos: [up.json.id], location: await spotOf(who, P[name]) });
}

async function rate(name, rating, when) {
  await clock(when);
  const r = await api('POST', `/api/v1/problems/${P[name]}/rating`, as(resident, { body: { rating } }));
  assert.equal(r.status, 200, `${name} rating: ${r.text}`);
}

const get = async (who, path) => {
  const r = await api('GET', path, as(who));
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
};
const kpis = (who, q) => get(who, `/api/v1/kpis?${q}`);

// The metric fields, from counts: rates as the API rounds them.
const r4 = (a, b) => (b ? Math.round((a / b) * 10000) / 10000 : null);
function M({ reported = 0, accepted = 0, closed = 0, due = 0, onTime = 0, rect = 0, reworks = 0, relapses = 0,
  sat = 0, basic = 0, dissat = 0, closeSum = 0 }) {
  return {
    reported, accepted, closed, closed_rate: r4(closed, accepted), due, closed_on_time: onTime,
    on_time_rate: r4(onTime, due), rectifications: rect, reworks, rework_rate: r4(reworks, rect), relapses,
    relapse_rate: r4(relapses, closed), avg_close_hours: closed ? Math.round(closeSum / closed / 36) / 100 : null,
    ratings: { satisfied: sat, basic, dissatisfied: dissat }, satisfaction_rate: r4(sat + basic, sat + basic + dissat),
  };
}
const metricsOf = (row) => {
  const { key, rank, eligible, org, score, period, from, to, ...m } = row;
  return m;
};

before(async () => {
  admin = await login('admin');
  resident = await login('resident');
  const street0 = await get(admin, `/api/v1/orgs/${await orgId('花木街道')}`);
  const t = tag('');
  O.street = (await mk('/api/v1/orgs', { parent_id: street0.parent_id, kind: 'street', name: `考核测试街道${t}` })).id;
  O.c1 = (await mk('/api/v1/orgs', { parent_id: O.street, kind: 'community', name: `考核一居${t}` })).id;
  O.c2 = (await mk('/api/v1/orgs', { parent_id: O.street, kind: 'community', name: `考核二居${t}` })).id;
  O.h1 = (await mk('/api/v1/orgs', { parent_id: O.street, kind: 'unit', name: `考核物业${t}` })).id;
  O.h2 = (await mk('/api/v1/orgs', { parent_id: O.street, kind: 'unit', name: `考核环卫${t}` })).id;
  const pw = 'kpi-test-secret-2031';
  const account = async (login, role, org) => {
    await mk('/api/v1/accounts', { login, display_name: login, password: pw, grants: [{ role, org_id: org }] });
    return freshLogin(login, pw);
  };
  S.office = await account(`kpi-office-${t}`, 'office', O.street);
  S.c1 = await account(`kpi-c1-${t}`, 'committee', O.c1);
  S.h1 = await account(`kpi-h1-${t}`, 'handler', O.h1);
  S.h2 = await account(`kpi-h2-${t}`, 'handler', O.h2);

  // --- the story ---------------------------------------------------------
  // P1 (C1, C0301, H1): closed on day 2, deadline day 3 → on time; 满意.
  await report('P1', O.c1, 'C0301', at(1, '09:00'));
  await act('P1', S.c1, 'accept', at(1, '09:10'));
  await act('P1', S.c1, 'dispatch', at(1, '09:20'), { handler_org_id: O.h1, deadline: cn(at(3, '18:00')) });
  await act('P1', S.h1, 'acknowledge', at(1, '09:30'));
  await rectify('P1', S.h1, at(2, '10:00'));
  await act('P1', S.c1, 'verify_pass', at(2, '11:00'));
  await rate('P1', 'satisfied', at(2, '12:00'));
  // P2 (C1, C0101, H1): deadline day 2, rectified day 4, 返工, closed day 4 → late; 基本满意.
  await report('P2', O.c1, 'C0101', at(1, '09:05'));
  await act('P2', S.c1, 'accept', at(1, '09:15'));
  await act('P2', S.c1, 'dispatch', at(1, '09:25'), { handler_org_id: O.h1, deadline: cn(at(2, '18:00')) });
  await act('P2', S.h1, 'acknowledge', at(1, '09:35'));
  await rectify('P2', S.h1, at(4, '09:00'));
  await act('P2', S.c1, 'verify_fail', at(4, '10:00'), { reason: '仍有残留' });
  await rectify('P2', S.h1, at(4, '11:00'));
  await act('P2', S.c1, 'verify_pass', at(4, '12:00'));
  await rate('P2', 'basically_satisfied', at(4, '13:00'));
  // P3 (C1, C0301): H1 hands it back (退单), re-dispatched to H2, extension
  // from day 6 to day 10, closed day 9, 不满意 reopens it, dispatched again
  // (deadline day 12), closed day 11 → on time; 满意 the second time.
  await report('P3', O.c1, 'C0301', at(1, '10:00'));
  await act('P3', S.c1, 'accept', at(1, '10:10'));
  await act('P3', S.c1, 'dispatch', at(1, '10:20'), { handler_org_id: O.h1, deadline: cn(at(5, '18:00')) });
  await act('P3', S.h1, 'return', at(1, '12:00'), { reason: '不属于本单位' });
  await act('P3', S.c1, 'dispatch', at(2, '09:00'), { handler_org_id: O.h2, deadline: cn(at(6, '18:00')) });
  await act('P3', S.h2, 'acknowledge', at(2, '09:30'));
  await act('P3', S.h2, 'request_extension', at(5, '09:00'), { deadline: cn(at(10, '18:00')), reason: '需要采购材料' });
  // due on day 6 until the extension is approved
  assert.equal((await kpis(S.office, `from=${date(6)}&to=${date(6)}&org_id=${O.c1}`)).totals.due, 1);
  await act('P3', S.c1, 'approve_extension', at(5, '10:00'));
  assert.equal((await kpis(S.office, `from=${date(6)}&to=${date(6)}&org_id=${O.c1}`)).totals.due, 0, 'the extension moved the deadline off day 6');
  assert.equal((await kpis(S.office, `from=${date(10)}&to=${date(10)}&org_id=${O.c1}`)).totals.due, 1, '… onto day 10');
  await rectify('P3', S.h2, at(9, '10:00'));
  await act('P3', S.c1, 'verify_pass', at(9, '11:00'));
  await rate('P3', 'dissatisfied', at(9, '12:00'));	// reopens it
  await act('P3', S.c1, 'dispatch', at(9, '13:00'), { handler_org_id: O.h2, deadline: cn(at(12, '18:00')) });
  await act('P3', S.h2, 'acknowledge', at(9, '14:00'));
  await rectify('P3', S.h2, at(11, '10:00'));
  await act('P3', S.c1, 'verify_pass', at(11, '11:00'));
  await rate('P3', 'satisfied', at(11, '12:00'));
  // P4 (C2, C0301, H2): closed day 2, then 回头看 finds it back: reopened day 8 (relapse), left open.
  await report('P4', O.c2, 'C0301', at(1, '11:00'));
  await act('P4', S.office, 'accept', at(1, '11:10'));
  await act('P4', S.office, 'dispatch', at(1, '11:20'), { handler_org_id: O.h2, deadline: cn(at(3, '18:00')) });
  await act('P4', S.h2, 'acknowledge', at(1, '11:30'));
  await rectify('P4', S.h2, at(2, '10:00'));
  await act('P4', S.office, 'verify_pass', at(2, '11:00'));
  await act('P4', S.office, 'reopen', at(8, '10:00'), { reason: '回头看发现回潮' });
  // P5 (C1): rejected.
  await report('P5', O.c1, 'C0301', at(1, '13:00'));
  await act('P5', S.c1, 'reject', at(1, '13:10'), { reason: '不属实' });
  // P6 (C1, C0101, H1): acknowledged, never rectified: due day 2, overdue.
  await report('P6', O.c1, 'C0101', at(1, '14:00'));
  await act('P6', S.c1, 'accept', at(1, '14:10'));
  await act('P6', S.c1, 'dispatch', at(1, '14:20'), { handler_org_id: O.h1, deadline: cn(at(2, '18:00')) });
  await act('P6', S.h1, 'acknowledge', at(1, '14:30'));
  // P8 (C1): accepted, then merged into P6: not a case of its own.
  await report('P8', O.c1, 'C0301', at(1, '15:00'));
  await act('P8', S.c1, 'accept', at(1, '15:10'));
  await act('P8', S.c1, 'merge', at(1, '15:20'), { merge_into: P.P6 });
  // P7 (C1, C0301, H1): reported and accepted 31 March, closed 1 April, deadline 2 April.
  await report('P7', O.c1, 'C0301', at(29, '10:00'));
  await act('P7', S.c1, 'accept', at(29, '10:10'));
  await act('P7', S.c1, 'dispatch', at(29, '10:20'), { handler_org_id: O.h1, deadline: cn(at(31, '18:00')) });
  await act('P7', S.h1, 'acknowledge', at(29, '10:30'));
  await rectify('P7', S.h1, at(30, '10:00'));
  await act('P7', S.c1, 'verify_pass', at(30, '11:00'));
  await clock(at(34, '09:00'));	// 5 April: reading time
});

after(async () => {
  // Back to real time for the files after this one (a private server may be gone already).
  if (admin) await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: clockIso() } })).catch(() => {});
});

const MARCH = 'from=2031-03-01&to=2031-03-31';

// By hand, March 2031 (P7 was closed on 1 April):
// C1: reported P1 P2 P3 P5 P6 P7 P8 = 7; accepted P1 P2 P3 P6 P7 = 5 (P5 rejected, P8 merged);
//     closed P1 P2 P3 = 3; due P1(d3) P2(d2) P3(d12) P6(d2) = 4, on time P1 P3 = 2;
//     rectifications P1 1 + P2 2 + P3 2 = 5, reworks 1; relapses 0;
//     ratings 满意 P1 P3 = 2, 基本满意 P2 = 1, 不满意 P3 = 1.
const c1March = () => M({ reported: 7, accepted: 5, closed: 3, due: 4, onTime: 2, rect: 5, reworks: 1, sat: 2, basic: 1,
  dissat: 1, closeSum: closeSecs.P1 + closeSecs.P2 + closeSecs.P3 });
// C2: P4 reported, accepted, due day 3, not closed (reopened), rectified once, one relapse.
const c2March = () => M({ reported: 1, accepted: 1, due: 1, rect: 1, relapses: 1 });

test('totals for one 居委 and one month, every figure by hand', async () => {
  const k = await kpis(S.office, `${MARCH}&org_id=${O.c1}`);
  assert.equal(k.from, '2031-03-01');
  assert.equal(k.to, '2031-03-31');
  assert.equal(k.group_by, 'none');
  assert.equal(k.rows.length, 1);
  assert.equal(k.rows[0].key, null);
  assert.deepEqual(metricsOf(k.rows[0]), c1March());
  assert.deepEqual(k.totals, c1March());
  // the closing times as the API reported them: 26 h and 74 h 55 min
  assert.ok(Math.abs(closeSecs.P1 - 26 * 3600) < 5 && Math.abs(closeSecs.P2 - 74 * 3600 - 55 * 60) < 5, JSON.stringify(closeSecs));
  assert.deepEqual((await kpis(S.office, `${MARCH}&org_id=${O.c2}`)).totals, c2March());
  // the whole new street = both
  const st = await kpis(S.office, `${MARCH}&org_id=${O.street}`);
  const both = M({ reported: 8, accepted: 6, closed: 3, due: 5, onTime: 2, rect: 6, reworks: 1, relapses: 1, sat: 2, basic: 1,
    dissat: 1, closeSum: closeSecs.P1 + closeSecs.P2 + closeSecs.P3 });
  assert.deepEqual(st.totals, both);
  // the office's default scope is its street: no org_id gives the same
  assert.deepEqual((await kpis(S.office, MARCH)).totals, both);
});

test('a range across the month boundary reads days and months alike', async () => {
  // 15 March – 30 April, C1: P7 reported and accepted 31 March; closed, due (on time) and rectified in April.
  const k = await kpis(S.office, `from=2031-03-15&to=2031-04-30&org_id=${O.c1}`);
  assert.deepEqual(k.totals, M({ reported: 1, accepted: 1, closed: 1, due: 1, onTime: 1, rect: 1, closeSum: closeSecs.P7 }));
  // March + April as whole months = March figures + April's
  const full = await kpis(S.office, `from=2031-03-01&to=2031-04-30&org_id=${O.c1}`);
  assert.deepEqual(full.totals, M({ reported: 7, accepted: 5, closed: 4, due: 5, onTime: 3, rect: 6, reworks: 1, sat: 2, basic: 1,
    dissat: 1, closeSum: closeSecs.P1 + closeSecs.P2 + closeSecs.P3 + closeSecs.P7 }));
  // a single day: day 4 (P2 rectified twice, reworked, closed late, 基本满意)
  const d4 = await kpis(S.office, `from=${date(4)}&to=${date(4)}&org_id=${O.c1}`);
  assert.deepEqual(d4.totals, M({ closed: 1, rect: 2, reworks: 1, basic: 1, closeSum: closeSecs.P2 }));
});

test('group_by handler: the return and re-dispatch moved P3 to H2; events stay with the unit of the time', async () => {
  const k = await kpis(S.office, `${MARCH}&org_id=${O.c1}&group_by=handler`);
  const by = Object.fromEntries(k.rows.map((r) => [r.key.id, r]));
  assert.deepEqual(Object.keys(by).map(Number).sort((a, b) => a - b), [0, O.h1, O.h2].sort((a, b) => a - b));
  assert.equal(by[O.h1].key.name.startsWith('考核物业'), true);
  // H1: P1 P2 P6 P7 (P3 went to H2)
  assert.deepEqual(metricsOf(by[O.h1]), M({ reported: 4, accepted: 4, closed: 2, due: 3, onTime: 1, rect: 3, reworks: 1, sat: 1,
    basic: 1, closeSum: closeSecs.P1 + closeSecs.P2 }));
  assert.deepEqual(metricsOf(by[O.h2]), M({ reported: 1, accepted: 1, closed: 1, due: 1, onTime: 1, rect: 2, sat: 1, dissat: 1,
    closeSum: closeSecs.P3 }));
  // no unit: P5 (rejected) and P8 (merged)
  assert.deepEqual(metricsOf(by[0]), M({ reported: 2 }));
  assert.deepEqual(k.totals, c1March());
  // filtered to H2 across the street, by community: P3 in C1, P4 in C2
  const h2 = await kpis(S.office, `${MARCH}&handler_org_id=${O.h2}&group_by=community`);
  assert.deepEqual(h2.rows.map((r) => r.key.id), [O.c1, O.c2].sort((a, b) => a - b));
  const c = Object.fromEntries(h2.rows.map((r) => [r.key.id, r]));
  assert.deepEqual(metricsOf(c[O.c2]), c2March());
  assert.equal(c[O.c1].rectifications, 2);
});

test('group_by category and org; category filter includes the 小类 of a 大类', async () => {
  const k = await kpis(S.office, `${MARCH}&org_id=${O.c1}&group_by=category`);
  const by = Object.fromEntries(k.rows.map((r) => [r.key.code, r]));
  assert.deepEqual(Object.keys(by).sort(), ['C0101', 'C0301']);
  // C0101: P2 and P6
  assert.deepEqual(metricsOf(by.C0101), M({ reported: 2, accepted: 2, closed: 1, due: 2, rect: 2, reworks: 1, basic: 1,
    closeSum: closeSecs.P2 }));
  const c01 = await kpis(S.office, `${MARCH}&org_id=${O.c1}&category=C01`);
  assert.deepEqual(c01.totals, metricsOf(by.C0101));
  // the subtree roll-ups (one dimension) and the detailed ones (two) agree
  const byCat = await kpis(S.office, `${MARCH}&org_id=${O.c1}&category=C0301`);
  const detailed = await kpis(S.office, `${MARCH}&org_id=${O.c1}&category=C0301&group_by=handler`);
  assert.deepEqual(detailed.totals, byCat.totals);
  assert.deepEqual(byCat.totals, M({ reported: 5, accepted: 3, closed: 2, due: 2, onTime: 2, rect: 3, sat: 2, dissat: 1,
    closeSum: closeSecs.P1 + closeSecs.P3 }));	// P1 P3 P5 P7 P8
  const org = await kpis(S.office, `${MARCH}&org_id=${O.street}&group_by=org`);
  assert.deepEqual(org.rows.map((r) => r.key.id), [O.c1, O.c2].sort((a, b) => a - b));
});

test('trend by day, week and month', async () => {
  const d = await get(S.office, `/api/v1/kpis/trend?from=${date(1)}&to=${date(4)}&interval=day&org_id=${O.c1}`);
  assert.equal(d.interval, 'day');
  assert.deepEqual(d.points.map((p) => p.period), [date(1), date(2), date(3), date(4)]);
  assert.deepEqual(d.points.map((p) => [p.from, p.to]), [1, 2, 3, 4].map((n) => [date(n), date(n)]));
  assert.deepEqual(metricsOf(d.points[0]), M({ reported: 6, accepted: 4 }));	// P1 P2 P3 P5 P6 P8; P8 merged
  assert.deepEqual(metricsOf(d.points[1]), M({ closed: 1, due: 2, rect: 1, sat: 1, closeSum: closeSecs.P1 }));	// P1; P2 P6 due
  assert.deepEqual(metricsOf(d.points[2]), M({ due: 1, onTime: 1 }));	// P1's deadline
  assert.deepEqual(metricsOf(d.points[3]), M({ closed: 1, rect: 2, reworks: 1, basic: 1, closeSum: closeSecs.P2 }));
  // ISO weeks: 1 March is a Saturday (2031-W09), the story starts in W10
  const w = await get(S.office, `/api/v1/kpis/trend?${MARCH}&interval=week&org_id=${O.c1}`);
  assert.deepEqual(w.points.map((p) => p.period), ['2031-W09', '2031-W10', '2031-W11', '2031-W12', '2031-W13', '2031-W14']);
  assert.deepEqual([w.points[0].from, w.points[0].to], ['2031-03-01', '2031-03-02']);
  assert.deepEqual([w.points[5].from, w.points[5].to], ['2031-03-31', '2031-03-31']);
  // W10 (3–9 March): P1, P2 closed; due P1 P2 P6; rectifications P1 + P2 ×2 (P3's come on 11 and 13 March)
  assert.deepEqual(metricsOf(w.points[1]), M({ reported: 6, accepted: 4, closed: 2, due: 3, onTime: 1, rect: 3, reworks: 1,
    sat: 1, basic: 1, closeSum: closeSecs.P1 + closeSecs.P2 }));
  // W11 (10–16 March): P3 rectified twice, closed on 13 March, due 14 March; 不满意 then 满意
  assert.deepEqual(metricsOf(w.points[2]), M({ closed: 1, due: 1, onTime: 1, rect: 2, sat: 1, dissat: 1, closeSum: closeSecs.P3 }));
  const m = await get(S.office, `/api/v1/kpis/trend?from=2031-03-15&to=2031-04-30&interval=month&org_id=${O.c1}`);
  assert.deepEqual(m.points.map((p) => [p.period, p.from, p.to]), [['2031-03', '2031-03-15', '2031-03-31'], ['2031-04', '2031-04-01', '2031-04-30']]);
  assert.deepEqual(metricsOf(m.points[0]), M({ reported: 1, accepted: 1 }));
  assert.deepEqual(metricsOf(m.points[1]), M({ closed: 1, due: 1, onTime: 1, rect: 1, closeSum: closeSecs.P7 }));
});

test('current states and overdue', async () => {
  const s1 = await get(S.office, `/api/v1/kpis/states?org_id=${O.c1}`);
  assert.deepEqual(s1, {
    states: { reported: 0, accepted: 0, rejected: 1, merged: 1, dispatched: 0, acknowledged: 1, rectified: 0, closed: 4, reopened: 0 },
    open: 1, overdue: 1,
  });
  const s2 = await get(S.office, `/api/v1/kpis/states?org_id=${O.c2}`);
  assert.equal(s2.states.reopened, 1);
  assert.equal(s2.open, 1);
  assert.equal(s2.overdue, 0, 'a reopened problem waits for dispatch: its clock is not running');
  const h1 = await get(S.h1, '/api/v1/kpis/states');
  assert.deepEqual(h1, {
    states: { reported: 0, accepted: 0, rejected: 0, merged: 0, dispatched: 0, acknowledged: 1, rectified: 0, closed: 3, reopened: 0 },
    open: 1, overdue: 1,
  });
});

test('rankings and the red/black list', async () => {
  // Score = weighted mean of the rates that exist (closed 30, on time 30,
  // 1 − rework 15, 1 − relapse 10, satisfaction 15), as a percentage.
  // C1: 0.6·30 + 0.5·30 + 0.8·15 + 1·10 + 0.75·15 = 66.25
  // C2: closed 0, on time 0, 1 − rework 1 (relapse and satisfaction have no denominator): 15 / 75 = 20
  const r = await get(S.office, `/api/v1/rankings?${MARCH}&kind=community&min_accepted=1`);
  assert.equal(r.kind, 'community');
  assert.equal(r.min_accepted, 1);
  assert.deepEqual(r.rows.map((x) => [x.rank, x.org.id, x.score, x.eligible]), [[1, O.c1, 66.25, true], [2, O.c2, 20, true]]);
  assert.deepEqual(metricsOf(r.rows[0]), c1March());
  assert.deepEqual(r.red.map((x) => x.org.id), [O.c1]);
  assert.deepEqual(r.black.map((x) => x.org.id), [O.c2]);
  // the default minimum volume (5 accepted) leaves C2 out of the lists
  const d = await get(S.office, `/api/v1/rankings?${MARCH}&kind=community`);
  assert.equal(d.min_accepted, 5);
  assert.deepEqual(d.rows.map((x) => [x.rank, x.org.id, x.eligible]), [[1, O.c1, true], [null, O.c2, false]]);
  assert.deepEqual(d.red.map((x) => x.org.id), [O.c1]);
  assert.deepEqual(d.black, []);
  // handlers: H1 0.5·30 + ⅓·30 + ⅔·15 + 1·10 + 1·15 = 60; H2 0.5·30 + 0.5·30 + 1·15 + 0·10 + 0.5·15 = 52.5
  const h = await get(S.office, `/api/v1/rankings?${MARCH}&kind=handler&min_accepted=1&top=1`);
  assert.deepEqual(h.rows.map((x) => [x.rank, x.org.id, x.score]), [[1, O.h1, 60], [2, O.h2, 52.5]]);
  assert.deepEqual(h.red.map((x) => x.org.id), [O.h1]);
  assert.deepEqual(h.black.map((x) => x.org.id), [O.h2]);
});

test('scope: a 居委 sees only its own figures, a handler unit only its work', async () => {
  const own = await kpis(S.c1, MARCH);
  assert.deepEqual(own.totals, c1March(), 'no org_id: the 居委’s own figures');
  let r = await api('GET', `/api/v1/kpis?${MARCH}&org_id=${O.c2}`, as(S.c1));
  assert.equal(r.status, 403, r.text);
  assert.equal(errorOf(r).code, 'forbidden_scope');
  r = await api('GET', `/api/v1/kpis?${MARCH}&org_id=${O.street}`, as(S.c1));
  assert.equal(r.status, 403, 'not the street above it either');
  // community ranking for a 居委: only itself
  const rk = await get(S.c1, `/api/v1/rankings?${MARCH}&min_accepted=1`);
  assert.deepEqual(rk.rows.map((x) => x.org.id), [O.c1]);
  // the demo 居委 sees nothing of the new street
  const other = await login('committee');
  r = await api('GET', `/api/v1/kpis?${MARCH}&org_id=${O.c1}`, as(other));
  assert.equal(r.status, 403);
  assert.deepEqual((await kpis(other, MARCH)).totals.reported, 0);
  // handler H1: its own unit only
  const h1 = await kpis(S.h1, MARCH);
  assert.deepEqual(h1.totals, M({ reported: 4, accepted: 4, closed: 2, due: 3, onTime: 1, rect: 3, reworks: 1, sat: 1, basic: 1,
    closeSum: closeSecs.P1 + closeSecs.P2 }));
  assert.deepEqual((await kpis(S.h1, `${MARCH}&handler_org_id=${O.h1}`)).totals, h1.totals);
  r = await api('GET', `/api/v1/kpis?${MARCH}&handler_org_id=${O.h2}`, as(S.h1));
  assert.equal(r.status, 403, r.text);
  r = await api('GET', `/api/v1/kpis?${MARCH}&org_id=${O.c1}`, as(S.h1));
  assert.equal(r.status, 403, 'a handler names its unit, not a community');
  // its unit within a community: allowed
  assert.equal((await kpis(S.h1, `${MARCH}&org_id=${O.c1}&handler_org_id=${O.h1}`)).totals.accepted, 4);
  // roles without kpis.read
  for (const who of ['volunteer', 'resident', 'inspector']) {
    r = await api('GET', `/api/v1/kpis?${MARCH}`, as(await login(who)));
    assert.equal(r.status, 403, `${who}: ${r.text}`);
  }
  r = await api('GET', '/api/v1/kpis/check', as(S.office));
  assert.equal(r.status, 403, 'the check is for admins');
});

test('bad parameters: 422 with every field error', async () => {
  const bad = async (path, fields) => {
    const r = await api('GET', path, as(S.office));
    assert.equal(r.status, 422, `${path}: ${r.text}`);
    const got = (errorOf(r).fields || []).map((f) => f.field).sort();
    assert.deepEqual(got, [...fields].sort(), `${path}: ${r.text}`);
  };
  await bad('/api/v1/kpis?from=2031-02-30', ['from']);
  await bad('/api/v1/kpis?from=2031-3-01&to=yesterday', ['from', 'to']);
  await bad('/api/v1/kpis?from=2031-04-01&to=2031-03-01', ['to']);
  await bad('/api/v1/kpis?from=2027-01-01&to=2030-01-02', ['to']);	// more than three years
  // Values of the wrong type are refused by the dispatcher (routes.def's typed
  // query), all in one answer, before the handler looks rows up; the
  // handler's own errors (no such category or org) then come together.
  await bad('/api/v1/kpis?group_by=street&org_id=abc&category=NOPE', ['group_by', 'org_id']);
  await bad('/api/v1/kpis?category=NOPE&org_id=999999999', ['category', 'org_id']);
  await bad('/api/v1/kpis?org_id=999999999&handler_org_id=0', ['handler_org_id']);
  await bad('/api/v1/kpis?org_id=999999999&handler_org_id=999999998', ['org_id', 'handler_org_id']);
  await bad('/api/v1/kpis/trend?interval=year', ['interval']);
  await bad('/api/v1/rankings?kind=street&top=0', ['kind', 'top']);
  await bad('/api/v1/kpis/states?org_id=x', ['org_id']);
  const unknown = await api('GET', '/api/v1/kpis?period=month', as(S.office));
  assert.equal(unknown.status, 422, unknown.text);
  // exactly three years is fine; the default is the current month
  assert.equal((await api('GET', '/api/v1/kpis?from=2028-01-01&to=2030-12-31', as(S.office))).status, 200);
  const def = await kpis(S.office, '');
  assert.deepEqual([def.from, def.to], ['2031-04-01', '2031-04-30'], 'the clock says 5 April 2031');
});

test('moving a 居委 to another street moves its figures with it', async () => {
  const street0 = await get(admin, `/api/v1/orgs/${O.street}`);
  const other = await mk('/api/v1/orgs', { parent_id: street0.parent_id, kind: 'street', name: `考核迁入街道${tag()}` });
  const move = async (parent) => {
    const r = await api('PATCH', `/api/v1/orgs/${O.c2}`, as(admin, { body: { parent_id: parent } }));
    assert.equal(r.status, 200, r.text);
  };
  try {
    await move(other.id);
    assert.deepEqual((await kpis(admin, `${MARCH}&org_id=${other.id}`)).totals, c2March());
    const st = await kpis(admin, `${MARCH}&org_id=${O.street}&group_by=community`);
    assert.deepEqual(st.rows.map((r) => r.key.id), [O.c1]);
    assert.deepEqual(st.totals, c1March());
    const c = await get(admin, '/api/v1/kpis/check?from=2031-03-01&to=2031-03-31');
    assert.equal(c.ok, true, JSON.stringify(c.mismatches));
  } finally {
    await move(O.street);
  }
  assert.equal((await kpis(admin, `${MARCH}&org_id=${other.id}`)).totals.reported, 0);
  assert.equal((await kpis(admin, `${MARCH}&org_id=${O.street}`)).totals.reported, 8);
});

test('consistency check: the roll-ups equal a recomputation from the raw tables', async () => {
  const c = await get(admin, '/api/v1/kpis/check?from=2031-02-01&to=2031-05-31');
  assert.equal(c.ok, true, JSON.stringify(c.mismatches));
  // and over everything the demo and the other tests wrote
  const all = await get(admin, '/api/v1/kpis/check?from=2020-01-01&to=2050-12-31');
  assert.equal(all.ok, true, JSON.stringify(all.mismatches));
});
