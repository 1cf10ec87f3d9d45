// volunteer-fixtures.mjs — shared set-up for the volunteer and shift tests
// (not a test file itself). Clock-dependent tests work in weeks of 2025, in
// the past of every demo shift, so ticking the settlement there touches only
// their own shifts; each file puts the clock back when it ends.
import assert from 'node:assert/strict';
import { api, as, login, makeId, randomPhone, tag, clockIso, clockNow } from './harness.mjs';

// A valid ID number born in `year`, unique within the suite: the region
// code (not checked by the server) comes from the process id, the day and
// sequence number from a counter, so test files never collide.
let seq = 0;
const REGION = `9${String(process.pid % 100000).padStart(5, '0')}`;
export function idBorn(year, region = REGION) {
  seq++;
  const d = new Date(Date.UTC(year, 0, 1) + (seq % 360) * 86400000);
  return makeId(d.toISOString().slice(0, 10).replace(/-/g, ''), Math.floor(seq / 360) % 1000, region);
}

export async function mkVolunteer(staff, org, { year = 1990, vtype = 'white_collar', skills = [], region } = {}) {
  const r = await api('POST', '/api/v1/volunteers', as(staff, {
    body: { name: `志愿-${tag()}`, id_number: idBorn(year, region), phone: randomPhone(), org_id: org, vtype, skills },
  }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

export async function mkPost(staff, org, extra = {}) {
  const r = await api('POST', '/api/v1/posts', as(staff, { body: { org_id: org, name: `测试岗-${tag()}`, kind: 'love_post', ...extra } }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

export async function addPattern(staff, post, start, end, capacity = 2, weekdays = [1, 2, 3, 4, 5, 6, 7]) {
  const r = await api('POST', `/api/v1/posts/${post}/patterns`, as(staff, { body: { weekdays, start, end, capacity } }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

export async function generate(staff, post, from, days = 7) {
  const r = await api('POST', `/api/v1/posts/${post}/generate`, as(staff, { body: { from, days } }));
  assert.equal(r.status, 200, r.text);
  return r.json;
}

export async function shiftsOf(session, post, from, to) {
  const q = new URLSearchParams({ post_id: post, from, to });
  const r = await api('GET', `/api/v1/shifts?${q}`, as(session));
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

export async function setClock(iso) {
  const r = await api('PUT', '/api/v1/system/clock', as(await login('admin'), { body: { now: iso } }));
  assert.equal(r.status, 200, r.text);
}
export async function resetClock() {
  await setClock(clockIso());
}
export async function tick() {
  const r = await api('POST', '/api/v1/system/tick', as(await login('admin')));
  assert.equal(r.status, 200, r.text);
  return r.json;
}

export const signup = (session, shift, body = {}) => api('POST', `/api/v1/shifts/${shift}/signup`, as(session, { body }));

// A new account with a resident grant, signed in; registered as a volunteer
// by itself when `register` is given (then approved by `approver`, if any).
export async function volunteerAccount(org, { year = 1990, approver = null, skills = [] } = {}) {
  const { freshLogin } = await import('./harness.mjs');
  const admin = await login('admin');
  const loginName = `vol-${tag()}`;
  const a = await api('POST', '/api/v1/accounts', as(admin, {
    body: { login: loginName, display_name: '测试志愿者', password: 'vol-secret-123', grants: [{ role: 'resident', org_id: org }] },
  }));
  assert.equal(a.status, 201, a.text);
  const s = await freshLogin(loginName, 'vol-secret-123');
  const reg = await api('POST', '/api/v1/volunteers/register', as(s, {
    body: { name: `自助-${tag()}`, id_number: idBorn(year), phone: randomPhone(), org_id: org, vtype: 'white_collar', skills },
  }));
  assert.equal(reg.status, 201, reg.text);
  if (approver) {
    const d = await api('POST', `/api/v1/volunteers/${reg.json.id}/decision`, as(approver, { body: { decision: 'approve' } }));
    assert.equal(d.status, 200, d.text);
  }
  return { session: s, volunteer: reg.json, login: loginName };
}
