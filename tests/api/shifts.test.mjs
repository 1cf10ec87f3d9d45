// shifts.test.mjs — SPEC §5 shifts through the real binary: the pattern
// generator never duplicates; every sign-up rule refuses with its own error
// code; the waitlist is first in, first out and a cancellation promotes in
// the same transaction; the cut-off; staff sign-up on behalf and explicit
// overbooking (audited); check-in by QR page with the GPS radius, a leader's
// confirmation, the forgotten check-out policy; no-shows block after the
// tick; service records are immutable once approved and corrected by new
// records. Clock-dependent steps live in March 2025 (see volunteer-fixtures).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, orgId, errorOf } from './harness.mjs';
import {
  mkVolunteer, mkPost, addPattern, generate, shiftsOf, setClock, resetClock, tick, signup, volunteerAccount, idBorn,
} from './volunteer-fixtures.mjs';

await ensureServer();

let office, committee, admin, comm;
const SAT = '2025-03-01T10:00:00+08:00';	// the week of Mon 2025-03-03 opened Fri 2025-02-28 12:00

before(async () => {
  office = await login('office');
  committee = await login('committee');
  admin = await login('admin');
  comm = await orgId('由由第五居民区');
});
after(async () => { await resetClock(); });

async function onePostShift(extra = {}, capacity = 2, date = '2025-03-05', start = '07:30', end = '09:30') {
  const p = await mkPost(office, comm, extra);
  await addPattern(office, p.id, start, end, capacity);
  await generate(office, p.id, date, 1);
  const [s] = await shiftsOf(office, p.id, date, `${date}T23:59:59+08:00`);
  assert.ok(s, 'a shift was generated');
  return { post: p, shift: s };
}

test('the weekly pattern generates two daily slots, and regenerating never duplicates', async () => {
  const p = await mkPost(office, comm);
  await addPattern(office, p.id, '07:30', '09:30', 2);
  await addPattern(office, p.id, '16:30', '18:30', 2);
  assert.deepEqual(await generate(office, p.id, '2025-03-03', 7), { created: 14, existing: 0 });
  assert.deepEqual(await generate(office, p.id, '2025-03-03', 7), { created: 0, existing: 14 });
  assert.deepEqual(await generate(office, p.id, '2025-03-06', 7), { created: 6, existing: 8 });
  const list = await shiftsOf(office, p.id, '2025-03-03', '2025-03-31');
  assert.equal(list.length, 20);
  assert.equal(new Set(list.map((s) => s.start_at)).size, 20);
  assert.equal(list[0].start_at, '2025-03-03T07:30:00+08:00');
  assert.equal(list[0].end_at, '2025-03-03T09:30:00+08:00');
  assert.equal(list[1].start_at, '2025-03-03T16:30:00+08:00');
  assert.equal(list[0].signup_opens_at, '2025-02-28T12:00:00+08:00');
  assert.equal(list[0].capacity, 2);
  assert.equal(list[0].remaining, 2);
  // A removed pattern generates nothing more; the shifts it made stay.
  const pm = list[1].pattern_id;
  assert.equal((await api('DELETE', `/api/v1/posts/${p.id}/patterns/${pm}`, as(office))).status, 204);
  assert.equal((await api('DELETE', `/api/v1/posts/${p.id}/patterns/${pm}`, as(office))).status, 404);
  assert.deepEqual(await generate(office, p.id, '2025-03-17', 7), { created: 7, existing: 0 });
  // Bad patterns are refused with field errors.
  const bad = await api('POST', `/api/v1/posts/${p.id}/patterns`, as(office, { body: { weekdays: [0, 8], start: '25:00', end: '24:30', capacity: 2 } }));
  assert.equal(bad.status, 422);
  const fields = errorOf(bad).fields.map((f) => f.field).sort();
  assert.deepEqual(fields, ['end', 'start', 'weekdays']);
});

test('waitlist FIFO; a cancellation promotes the first waitlisted in the same transaction', async () => {
  const { shift } = await onePostShift();
  await setClock(SAT);
  const vols = [];
  for (let i = 0; i < 4; i++) vols.push(await volunteerAccount(comm, { approver: committee }));
  const rs = [];
  for (const v of vols) rs.push(await signup(v.session, shift.id));
  assert.deepEqual(rs.map((r) => r.status), [201, 201, 201, 201], rs.map((r) => r.text).join('\n'));
  assert.deepEqual(rs.map((r) => r.json.status), ['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
  assert.deepEqual(rs.map((r) => r.json.waitlist_position), [null, null, 1, 2]);
  const s1 = (await api('GET', `/api/v1/shifts/${shift.id}`, as(vols[0].session))).json;
  assert.equal(s1.remaining, 0);
  assert.equal(s1.waitlisted, 2);
  // The first confirmed cancels: the first waitlisted is promoted, the second moves up.
  const c = await api('POST', `/api/v1/signups/${rs[0].json.id}/cancel`, as(vols[0].session));
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.status, 'cancelled');
  const mine = async (v) => (await api('GET', '/api/v1/volunteers/me/signups?from=2025-03-01&to=2025-03-31', as(v.session))).json.items;
  const third = (await mine(vols[2]))[0];
  assert.equal(third.status, 'confirmed');
  assert.ok(third.promoted_at);
  const fourth = (await mine(vols[3]))[0];
  assert.equal(fourth.status, 'waitlisted');
  assert.equal(fourth.waitlist_position, 1);
  // The promoted volunteer was told.
  const n = await api('GET', '/api/v1/notifications?limit=5', as(vols[2].session));
  assert.ok(n.json.items.some((x) => x.kind === 'shift_promoted'), n.text);
  // Cancelling a waitlisted place promotes nobody.
  const c2 = await api('POST', `/api/v1/signups/${fourth.id}/cancel`, as(vols[3].session));
  assert.equal(c2.status, 200);
  const s2 = (await api('GET', `/api/v1/shifts/${shift.id}`, as(office))).json;
  assert.equal(s2.confirmed, 2);
  assert.equal(s2.waitlisted, 0);
  // Cancelling twice.
  const again = await api('POST', `/api/v1/signups/${fourth.id}/cancel`, as(vols[3].session));
  assert.equal(again.status, 409);
  assert.equal(errorOf(again).code, 'already_cancelled');
});

test('every sign-up rule refuses with its own error code', async () => {
  await setClock(SAT);
  const codeOf = async (r, status = 409) => { assert.equal(r.status, status, r.text); return errorOf(r).code; };
  const { shift } = await onePostShift({}, 5);
  // not a volunteer
  assert.equal(await codeOf(await signup(await login('resident'), shift.id)), 'not_volunteer');
  // not approved yet
  const pending = await volunteerAccount(comm);
  assert.equal(pending.volunteer.status, 'pending');
  assert.equal(await codeOf(await signup(pending.session, shift.id)), 'not_approved');
  // already signed up
  const v = await volunteerAccount(comm, { approver: committee });
  assert.equal((await signup(v.session, shift.id)).status, 201);
  assert.equal(await codeOf(await signup(v.session, shift.id)), 'already_signed_up');
  // window not open yet (Friday 11:59) and closed (inside the cut-off, 60 min)
  const w = await volunteerAccount(comm, { approver: committee });
  await setClock('2025-02-28T11:59:00+08:00');
  assert.equal(await codeOf(await signup(w.session, shift.id)), 'signup_not_open');
  await setClock('2025-02-28T12:00:00+08:00');
  const okNow = await signup(w.session, shift.id);
  assert.equal(okNow.status, 201, okNow.text);
  await setClock('2025-03-05T06:30:00+08:00');
  const late = await volunteerAccount(comm, { approver: committee });
  assert.equal(await codeOf(await signup(late.session, shift.id)), 'signup_closed');
  await setClock(SAT);
  // age on the day of service: 17 and 70 (defaults 18–65), then the post's own minimum
  const young = await volunteerAccount(comm, { approver: committee, year: 2008 });
  assert.equal(await codeOf(await signup(young.session, shift.id)), 'too_young');
  const old = await volunteerAccount(comm, { approver: committee, year: 1955 });
  assert.equal(await codeOf(await signup(old.session, shift.id)), 'too_old');
  const { shift: s30 } = await onePostShift({ min_age: 40 }, 5, '2025-03-06');
  const v30 = await volunteerAccount(comm, { approver: committee, year: 1995 });
  assert.equal(await codeOf(await signup(v30.session, s30.id)), 'too_young');
  // a required skill
  const { shift: sk } = await onePostShift({ required_skill: '急救' }, 5, '2025-03-06', '10:00', '11:00');
  assert.equal(await codeOf(await signup(v30.session, sk.id)), 'skill_required');
  const medic = await volunteerAccount(comm, { approver: committee, skills: ['急救'] });
  assert.equal((await signup(medic.session, sk.id)).status, 201);
  // overlap with another shift of the same person
  const { shift: ov } = await onePostShift({}, 5, '2025-03-05', '08:30', '10:30');
  assert.equal(await codeOf(await signup(v.session, ov.id)), 'overlap');
  // weekly quota (set to 2 for this step)
  const rules = (await api('GET', '/api/v1/settings/volunteers', as(office))).json;
  try {
    const q = await api('PUT', '/api/v1/settings/volunteers', as(office, { body: { weekly_quota: 2 } }));
    assert.equal(q.status, 200, q.text);
    const { shift: q1 } = await onePostShift({}, 5, '2025-03-07', '07:00', '08:00');
    const { shift: q2 } = await onePostShift({}, 5, '2025-03-08', '07:00', '08:00');
    assert.equal((await signup(v.session, q1.id)).status, 201);	// v already has one this week
    assert.equal(await codeOf(await signup(v.session, q2.id)), 'weekly_quota');
  } finally {
    await api('PUT', '/api/v1/settings/volunteers', as(office, { body: { weekly_quota: rules.weekly_quota } }));
  }
  // a cancelled shift
  const { shift: cx } = await onePostShift({}, 5, '2025-03-07', '12:00', '13:00');
  const cancel = await api('POST', `/api/v1/shifts/${cx.id}/cancel`, as(office));
  assert.equal(cancel.status, 200, cancel.text);
  assert.equal(cancel.json.status, 'cancelled');
  assert.equal(await codeOf(await signup(medic.session, cx.id)), 'shift_cancelled');
  // unknown shift
  assert.equal(await codeOf(await signup(v.session, 999999999), 404), 'not_found');
});

test('no-shows: two missed shifts block sign-ups for 30 days (injected clock + tick)', async () => {
  await setClock('2025-03-08T10:00:00+08:00');	// Saturday: the week of 2025-03-10 is open
  const v = await volunteerAccount(comm, { approver: committee });
  const p = await mkPost(office, comm);
  await addPattern(office, p.id, '07:30', '09:30', 2);
  await generate(office, p.id, '2025-03-10', 7);
  const list = await shiftsOf(office, p.id, '2025-03-10', '2025-03-17');
  for (const s of list.slice(0, 2)) assert.equal((await signup(v.session, s.id)).status, 201);
  // After both shifts ended, with no check-in: the tick records two no-shows.
  await setClock('2025-03-11T12:00:00+08:00');
  const t = await tick();
  assert.ok(t.no_shows >= 2 && t.shifts_settled >= 2, JSON.stringify(t));
  const mine = (await api('GET', '/api/v1/volunteers/me/signups?from=2025-03-10&to=2025-03-17', as(v.session))).json.items;
  assert.deepEqual(mine.map((g) => g.attendance), ['no_show', 'no_show']);
  const me = (await api('GET', '/api/v1/volunteers/me', as(v.session))).json.volunteer;
  assert.equal(me.blocked_until, '2025-04-10T12:00:00+08:00');
  const r = await signup(v.session, list[3].id);
  assert.equal(r.status, 409);
  assert.equal(errorOf(r).code, 'blocked_no_shows');
  // The roster shows the no-shows to staff.
  const roster = await api('GET', `/api/v1/roster?week=2025-03-10&post_id=${p.id}`, as(committee));
  assert.equal(roster.status, 200, roster.text);
  assert.equal(roster.json.items.filter((g) => g.attendance === 'no_show').length, 2);
});

test('cut-off for cancelling; staff sign up on behalf and overbook explicitly (audited)', async () => {
  await setClock(SAT);
  const { shift } = await onePostShift({}, 1, '2025-03-05', '14:00', '15:00');
  const a = await volunteerAccount(comm, { approver: committee });
  const g = await signup(a.session, shift.id);
  assert.equal(g.status, 201);
  // A staff-registered volunteer, signed up by the 居委; the shift is full → waitlisted.
  const b = await mkVolunteer(office, comm);
  const w = await signup(committee, shift.id, { volunteer_id: b.id });
  assert.equal(w.status, 201, w.text);
  assert.equal(w.json.status, 'waitlisted');
  // Explicit overbooking by staff: confirmed beyond capacity, logged as "overbook".
  const c = await mkVolunteer(office, comm);
  const o = await signup(committee, shift.id, { volunteer_id: c.id, overbook: true });
  assert.equal(o.status, 201, o.text);
  assert.equal(o.json.status, 'confirmed');
  assert.equal(o.json.overbooked, true);
  const audit = await api('GET', `/api/v1/audit?action=overbook&resource=signup&resource_id=${o.json.id}`, as(admin));
  assert.equal(audit.json.items.length, 1);
  assert.equal(audit.json.items[0].actor_login, 'committee');
  // A volunteer cannot overbook or sign up someone else.
  const d = await mkVolunteer(office, comm);
  const bad = await signup(a.session, shift.id, { volunteer_id: d.id });
  assert.equal(bad.status, 403);
  const bad2 = await signup(a.session, shift.id, { overbook: true });
  assert.equal(bad2.status, 403);
  // Another 居委 cannot sign up people for this post.
  const other = await signup(await login('committee2'), shift.id, { volunteer_id: d.id });
  assert.equal(other.status, 403);
  // Inside the cut-off the volunteer cannot cancel; staff still can.
  await setClock('2025-03-05T13:30:00+08:00');
  const late = await api('POST', `/api/v1/signups/${g.json.id}/cancel`, as(a.session));
  assert.equal(late.status, 409);
  assert.equal(errorOf(late).code, 'signup_closed');
  const staffCancel = await api('POST', `/api/v1/signups/${g.json.id}/cancel`, as(committee));
  assert.equal(staffCancel.status, 200, staffCancel.text);
  // Someone else's sign-up is not visible to a volunteer.
  const foreign = await api('POST', `/api/v1/signups/${w.json.id}/cancel`, as(a.session));
  assert.equal(foreign.status, 404);
});

test('check-in within the window and the radius; leader confirmation; forgotten check-out; records', async () => {
  await setClock(SAT);
  const gate = { lat: 31.2153, lng: 121.5502 };
  const { post, shift } = await onePostShift({ location: gate, radius_m: 100 }, 3, '2025-03-05', '16:30', '18:30');
  const v = await volunteerAccount(comm, { approver: committee });
  const forgetful = await volunteerAccount(comm, { approver: committee });
  const leaderAcc = await volunteerAccount(comm, { approver: committee });
  for (const x of [v, forgetful, leaderAcc]) assert.equal((await signup(x.session, shift.id)).status, 201);
  // The leader of a team (set by staff).
  const team = await api('POST', '/api/v1/orgs', as(admin, { body: { parent_id: comm, kind: 'team', name: `签到队-${Date.now()}` } }));
  assert.equal(team.status, 201, team.text);
  const lead = await api('PUT', `/api/v1/teams/${team.json.id}/members/${leaderAcc.volunteer.id}`, as(committee, { body: { leader: true } }));
  assert.equal(lead.status, 200, lead.text);

  const checkin = (s, loc) => api('POST', '/api/v1/checkin', as(s, { body: { post_id: post.id, location: loc } }));
  // Too early (check-in opens 30 min before start).
  await setClock('2025-03-05T15:50:00+08:00');
  let r = await checkin(v.session, gate);
  assert.equal(r.status, 409);
  assert.equal(errorOf(r).code, 'outside_window');
  await setClock('2025-03-05T16:25:00+08:00');
  // Without a location at a post with GPS; then 500 m away.
  r = await checkin(v.session, null);
  assert.equal(r.status, 422);
  assert.equal(errorOf(r).code, 'location_required');
  for (const bad of [{ lat: 1e308, lng: 121.5 }, { lat: 91, lng: 0 }, { lat: 31.2, lng: -181 }]) {
    r = await checkin(v.session, bad);
    assert.equal(r.status, 422, `${JSON.stringify(bad)}: ${r.text}`);
  }
  r = await checkin(v.session, { lat: gate.lat + 0.0045, lng: gate.lng });
  assert.equal(r.status, 409);
  assert.equal(errorOf(r).code, 'too_far');
  r = await checkin(v.session, { lat: gate.lat + 0.0003, lng: gate.lng });	// ~33 m
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.checkin_at);
  assert.ok(r.json.checkin_distance_m > 20 && r.json.checkin_distance_m < 50);
  r = await checkin(v.session, gate);
  assert.equal(r.status, 409);
  assert.equal(errorOf(r).code, 'already_checked_in');
  // A volunteer with no sign-up at this post.
  const stranger = await volunteerAccount(comm, { approver: committee });
  r = await checkin(stranger.session, gate);
  assert.equal(errorOf(r).code, 'no_signup');
  // The leader checks in and confirms the forgetful volunteer's presence.
  assert.equal((await checkin(leaderAcc.session, gate)).status, 200);
  const fgs = (await api('GET', '/api/v1/volunteers/me/signups?from=2025-03-05&to=2025-03-06', as(forgetful.session))).json.items[0];
  await setClock('2025-03-05T17:00:00+08:00');
  r = await api('POST', `/api/v1/signups/${fgs.id}/attendance`, as(leaderAcc.session, { body: { action: 'checkin' } }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.checkin_by, leaderAcc.session.account.id);
  // A plain volunteer cannot confirm someone else: the sign-up reads as missing.
  r = await api('POST', `/api/v1/signups/${fgs.id}/attendance`, as(stranger.session, { body: { action: 'checkin' } }));
  assert.equal(r.status, 404);
  // v checks out early at 18:00; the forgetful one never checks out.
  await setClock('2025-03-05T18:00:00+08:00');
  const vgs = (await api('GET', '/api/v1/volunteers/me/signups?from=2025-03-05&to=2025-03-06', as(v.session))).json.items[0];
  r = await api('POST', `/api/v1/signups/${vgs.id}/attendance`, as(v.session, { body: { action: 'checkout' } }));
  assert.equal(r.status, 200, r.text);
  // After the end the tick settles: hours 1.5 (16:30–18:00) and 1.5 (17:00–18:30, credited to the end).
  await setClock('2025-03-05T19:00:00+08:00');
  await tick();
  const after1 = (await api('GET', '/api/v1/volunteers/me/signups?from=2025-03-05&to=2025-03-06', as(v.session))).json.items[0];
  assert.equal(after1.attendance, 'attended');
  assert.equal(after1.hours, 1.5);
  const after2 = (await api('GET', '/api/v1/volunteers/me/signups?from=2025-03-05&to=2025-03-06', as(forgetful.session))).json.items[0];
  assert.equal(after2.attendance, 'attended');
  assert.equal(after2.hours, 1.5);
  assert.equal(after2.credited_end, '2025-03-05T18:30:00+08:00');

  // Service records: pending, with the national fields; approved; immutable afterwards.
  const recs = (await api('GET', `/api/v1/records?volunteer_id=${v.volunteer.id}`, as(committee))).json.items;
  assert.equal(recs.length, 1);
  const rec = recs[0];
  assert.equal(rec.status, 'pending');
  assert.equal(rec.activity_name, post.name);
  assert.equal(rec.service_date, '2025-03-05');
  assert.equal(rec.hours, 1.5);
  assert.ok(rec.organiser && rec.content);
  r = await api('POST', `/api/v1/records/${rec.id}/decision`, as(committee, { body: { decision: 'approve' } }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');
  r = await api('POST', `/api/v1/records/${rec.id}/decision`, as(committee, { body: { decision: 'reject' } }));
  assert.equal(r.status, 409);
  assert.equal(errorOf(r).code, 'record_immutable');
  let mine = (await api('GET', '/api/v1/volunteers/me/records', as(v.session))).json;
  assert.equal(mine.hours, 1.5);
  // A correction is a new record that supersedes the old one once approved.
  const corr = await api('POST', '/api/v1/records', as(committee, { body: {
    volunteer_id: v.volunteer.id, activity_name: rec.activity_name, service_date: rec.service_date, place: rec.place,
    content: '更正：实际服务 2 小时', hours: 2, organiser: rec.organiser, supersedes_id: rec.id,
  } }));
  assert.equal(corr.status, 201, corr.text);
  mine = (await api('GET', '/api/v1/volunteers/me/records', as(v.session))).json;
  assert.equal(mine.hours, 1.5, 'a pending correction changes nothing yet');
  assert.equal((await api('POST', `/api/v1/records/${corr.json.id}/decision`, as(committee, { body: { decision: 'approve' } }))).status, 200);
  mine = (await api('GET', '/api/v1/volunteers/me/records', as(v.session))).json;
  assert.equal(mine.hours, 2);
  const old = mine.items.find((x) => x.id === rec.id);
  assert.equal(old.superseded_by, corr.json.id);
  assert.equal(old.hours, 1.5, 'the old record itself is unchanged');
  // A correction of a record that is not approved is refused.
  const pend = (await api('GET', `/api/v1/records?volunteer_id=${forgetful.volunteer.id}`, as(committee))).json.items[0];
  const bad = await api('POST', '/api/v1/records', as(committee, { body: {
    volunteer_id: forgetful.volunteer.id, activity_name: 'x', service_date: '2025-03-05', hours: 1, supersedes_id: pend.id,
  } }));
  assert.equal(bad.status, 422);
});

test('activities: monthly on a fixed day, sign-up open at once, occurrences are shifts', async () => {
  await setClock('2025-04-01T09:00:00+08:00');
  const a = await api('POST', '/api/v1/activities', as(committee, { body: {
    org_id: comm, title: `爱邻日-${Date.now()}`, place: '党群服务站', content: '为老人理发', recurrence: 'monthly',
    day_of_month: 20, date: '2025-04-01', start: '09:00', end: '11:30', capacity: 2, organiser: '由由第五居委',
  } }));
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.occurrences, 6);
  const occ = (await api('GET', `/api/v1/shifts?activity_id=${a.json.id}&from=2025-04-01&to=2025-07-01`, as(committee))).json.items;
  assert.deepEqual(occ.map((s) => s.start_at.slice(0, 10)), ['2025-04-20', '2025-05-20', '2025-06-20']);
  const v = await volunteerAccount(comm, { approver: committee });
  const r = await signup(v.session, occ[2].id);	// two months ahead: activities have no Friday window
  assert.equal(r.status, 201, r.text);
  const list = await api('GET', '/api/v1/activities', as(committee));
  assert.ok(list.json.items.some((x) => x.id === a.json.id));
  const bad = await api('POST', '/api/v1/activities', as(committee, { body: {
    org_id: comm, title: 'x', recurrence: 'monthly', date: '2025-04-01', start: '11:00', end: '10:00', capacity: 0,
  } }));
  assert.equal(bad.status, 422);
  assert.deepEqual(errorOf(bad).fields.map((f) => f.field).sort(), ['capacity', 'day_of_month', 'end']);
});
