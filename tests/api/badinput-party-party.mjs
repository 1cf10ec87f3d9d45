// badinput-party-party.mjs — the bad-input fixtures of the party feature's body routes
// (docs/PARTY.md), merged into badinput.test.mjs's BODY_ROUTES. Each route: (fx) → where
// to send it, as whom (`who`: a session; default admin), a valid body (never sent as is)
// and a body of wrong types (each key → "wrong_type"). fixtures() creates or finds the
// objects the paths name and returns them to be merged into fx.
import { api, as, login, orgId, tag } from './harness.mjs';

export const routes = {
  party_orgs_officers: (fx) => ({
    path: `/api/v1/party/organisations/${fx.partyBranch}/officers`,
    valid: { officers: [{ person_id: fx.partyMemberPerson, post: 'secretary', since: '2025-01-01' }] },
    wrong: { officers: 'secretary' },
  }),
  party_members_create: (fx) => ({
    path: '/api/v1/party/members',
    valid: { org_id: fx.partyBranch, person: { name: '坏输入党员' }, status: 'full', joined_on: '2020-01-01', employed: false, duty: 'building_head' },
    wrong: { person_id: 'x', person: 'x', org_id: 'x', status: 1, joined_on: 20200101, employed: 'yes', employer_id: 'x', duty: [] },
  }),
  party_members_update: (fx) => ({
    path: `/api/v1/party/members/${fx.partyMember}`,
    valid: { status: 'full', duty: 'household_head' },
    wrong: { status: 1, joined_on: 5, employed: 'no', employer_id: '1', duty: {} },
  }),
  party_members_transfer: (fx) => ({
    path: `/api/v1/party/members/${fx.partyMember}/transfer`,
    valid: { to_org_id: fx.partyGroup, on_date: '2026-06-01', reason: '就近编组' },
    wrong: { to_org_id: 'x', on_date: 20260601, reason: 1 },
  }),
};

export async function fixtures({ admin, fx }) {
  const partyBranch = await orgId('锦绣前城第一党支部');
  const tree = await api('GET', '/api/v1/party/organisations', as(admin));
  if (tree.status !== 200) throw new Error(`party organisations: ${tree.status} ${tree.text}`);
  const group = tree.json.items.find((o) => o.parent_id === partyBranch);
  if (!group) throw new Error('the branch has a 党小组');
  // A member of its own: the routes' bad bodies must leave it as it is.
  const m = await api('POST', '/api/v1/party/members', as(admin, { body: { org_id: partyBranch, person: { name: `坏输入党员${tag()}`.slice(0, 20) }, status: 'full' } }));
  if (m.status !== 201) throw new Error(`party member: ${m.status} ${m.text}`);
  return { partyBranch, partyGroup: group.id, partyMember: m.json.id, partyMemberPerson: m.json.person_id };
}
