// badinput-party-meetings.mjs — the bad-input fixtures of the meetings feature's body routes
// (docs/PARTY.md), merged into badinput.test.mjs's BODY_ROUTES. Each route: (fx) → where
// to send it, as whom (`who`: a session; default admin), a valid body (never sent as is)
// and a body of wrong types (each key → "wrong_type"). fixtures() creates or finds the
// objects the paths name and returns them to be merged into fx.
import assert from 'node:assert/strict';
import { api, as, login, orgId, tag } from './harness.mjs';

const RULES = {
  remind_days: 7,
  rules: {
    member_meeting: { period: 'quarter', min: 1 }, committee_meeting: { period: 'month', min: 1 },
    group_meeting: { period: 'month', min: 1 }, lecture: { period: 'quarter', min: 1 },
    theme_day: { period: 'month', min: 1, day: 5 },
  },
};

export const routes = {
  meetings_create: (fx) => ({
    path: '/api/v1/party/meetings',
    valid: { org_id: fx.mtBranch, type: 'lecture', held_on: '2026-01-15', topic: '坏输入党课' },
    wrong: { org_id: 'x', type: 1, held_on: 20260115, start_time: 1900, state: [], topic: {}, place: 5, speaker: true, minutes: 7, photos: 'p', attachments: {} },
  }),
  meetings_update: (fx) => ({
    path: `/api/v1/party/meetings/${fx.meeting}`,
    valid: { topic: '改题目' },
    wrong: { org_id: '1', type: 2, held_on: [], topic: 3, minutes: {}, photos: 1, attachments: 'a' },
  }),
  meetings_attendance: (fx) => ({
    path: `/api/v1/party/meetings/${fx.meeting}/attendance`,
    valid: { attendance: [{ person_id: fx.mtMemberPerson, status: 'present' }] },
    wrong: { attendance: { person_id: 1 } },
  }),
  // A member of the meeting's branch (the demo volunteer): anyone else gets 404 before the body is read.
  meetings_sign_in: (fx) => ({
    path: `/api/v1/party/meetings/${fx.meeting}/sign-in`, who: fx.mtMember,
    valid: { token: 'abcdefghijklmnopqrstuvwx' }, wrong: { token: 5 },
  }),
  meetings_leave: (fx) => ({
    path: `/api/v1/party/meetings/${fx.meeting}/leave`, who: fx.mtMember,
    valid: { reason: '出差' }, wrong: { reason: 1 },
  }),
  compliance_rules_put: () => ({
    path: '/api/v1/party/compliance-rules',
    valid: RULES, wrong: { remind_days: '7', rules: [] },
  }),
};

export async function fixtures({ admin, fx }) {
  const mtBranch = await orgId('锦绣前城第一党支部');
  // A cancelled meeting long past: no notice, no webhook event, not counted by compliance.
  const r = await api('POST', '/api/v1/party/meetings', as(admin, {
    body: { org_id: mtBranch, type: 'lecture', held_on: '2020-03-10', state: 'cancelled', topic: `坏输入会议-${tag()}` },
  }));
  assert.equal(r.status, 201, r.text);
  const m = await api('GET', `/api/v1/party/meetings/${r.json.id}`, as(admin));
  assert.ok(m.json.attendees?.length, 'the branch has members');
  return { mtBranch, meeting: r.json.id, mtMember: await login('volunteer'), mtMemberPerson: m.json.attendees[0].person_id };
}
