// badinput-party-buildings.mjs — the bad-input fixtures of the buildings feature's body routes
// (docs/PARTY.md), merged into badinput.test.mjs's BODY_ROUTES. Each route: (fx) → where
// to send it, as whom (`who`: a session; default admin), a valid body (never sent as is)
// and a body of wrong types (each key → "wrong_type"). fixtures() creates or finds the
// objects the paths name and returns them to be merged into fx.
import assert from 'node:assert/strict';
import { api, as, login, orgId, tag } from './harness.mjs';

export const routes = {
  building_reps_create: (fx) => ({
    path: `/api/v1/buildings/${fx.building}/reps`,
    valid: { person_id: fx.buildingPerson, coverage: '1–6层', since: '2025-01-01' },
    wrong: { person_id: 'x', coverage: 1, channel: [], duties: {}, since: 20250101, until: true },
  }),
  building_reps_update: (fx) => ({
    path: `/api/v1/building-reps/${fx.buildingRep}`,
    valid: { duties: '转达通知' },
    wrong: { coverage: 1, channel: 2, duties: [], since: 20250101, until: {} },
  }),
  building_notices_create: (fx) => ({
    path: `/api/v1/buildings/${fx.building}/notices`,
    valid: { title: '停水通知', body: '周六停水' },
    wrong: { title: 1, body: [] },
  }),
  building_rosters_create: (fx) => ({
    path: `/api/v1/buildings/${fx.building}/rosters`,
    valid: { title: '接龙', closes_on: '2099-12-31' },
    wrong: { title: 1, description: 2, closes_on: 20991231 },
  }),
  roster_entries_create: (fx) => ({
    path: `/api/v1/rosters/${fx.roster}/entries`,
    valid: { name: '王建国', room: '302' },
    wrong: { name: 1, room: 302, note: [] },
  }),
  // Home-watch lists are the 居委's and the rep's only (admin lacks homewatch.manage).
  home_watch_create: (fx) => ({
    path: '/api/v1/home-watch', who: fx.committee,
    valid: { person_id: fx.buildingPerson, building_id: fx.building, reason: 'lives_alone', frequency: 'weekly' },
    wrong: { person_id: 'x', building_id: '1', room: 1201, reason: 2, frequency: [], rep_id: 'x', note: {} },
  }),
  home_watch_update: (fx) => ({
    path: `/api/v1/home-watch/${fx.homeWatch}`, who: fx.committee,
    valid: { note: '每周走访' },
    wrong: { room: 1, reason: 2, frequency: 3, rep_id: 'x', note: [], active: 'no' },
  }),
  home_watch_visits_create: (fx) => ({
    path: `/api/v1/home-watch/${fx.homeWatch}/visits`, who: fx.committee,
    valid: { visited_on: '2026-01-05', condition: 'good' },
    wrong: { visited_on: 20260105, visitor: 1, condition: 2, needs: [], follow_up: {}, problem_id: 'x' },
  }),
};

export async function fixtures({ admin, fx }) {
  const committee = await login('committee');
  const compound = await orgId('锦绣前城');
  const r = await api('GET', `/api/v1/buildings?compound_id=${compound}&limit=200`, as(committee));
  assert.equal(r.status, 200, r.text);
  const byName = Object.fromEntries(r.json.items.map((b) => [b.name, b.id]));
  const building = byName['50号楼'];
  assert.ok(building, 'the demo compound has 50号楼');
  // A demo rep (1号楼 has one: the rep login's).
  const reps = await api('GET', `/api/v1/buildings/${byName['1号楼']}/reps`, as(admin));
  assert.equal(reps.status, 200, reps.text);
  assert.ok(reps.json.items.length, '1号楼 has a rep');
  const roster = await api('POST', `/api/v1/buildings/${building}/rosters`, as(admin, {
    body: { title: `坏输入接龙-${tag()}`, closes_on: '2099-12-31' },
  }));
  assert.equal(roster.status, 201, roster.text);
  // A resident of the building: the valid bodies' rep and home-watch person.
  const p = await api('POST', '/api/v1/people', as(admin, { body: { name: `坏输入楼民-${tag()}`, org_id: building } }));
  assert.equal(p.status, 201, p.text);
  // A home-watch entry of the committee's: an existing one, else a fresh one.
  let homeWatch = (await api('GET', '/api/v1/home-watch?limit=1', as(committee))).json?.items?.[0]?.id;
  if (!homeWatch) {
    const w = await api('POST', '/api/v1/home-watch', as(committee, {
      body: { person_id: p.json.id, building_id: building, reason: 'lives_alone', frequency: 'weekly' },
    }));
    assert.equal(w.status, 201, w.text);
    homeWatch = w.json.id;
  }
  return { committee, building, buildingPerson: p.json.id, buildingRep: reps.json.items[0].id, roster: roster.json.id, homeWatch };
}
