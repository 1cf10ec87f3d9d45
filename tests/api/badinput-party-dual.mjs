// badinput-party-dual.mjs — the bad-input fixtures of the dual feature's body routes
// (docs/PARTY.md), merged into badinput.test.mjs's BODY_ROUTES. Each route: (fx) → where
// to send it, as whom (`who`: a session; default admin), a valid body (never sent as is)
// and a body of wrong types (each key → "wrong_type"). fixtures() creates or finds the
// objects the paths name and returns them to be merged into fx.
import { api, as, login, orgId, tag } from './harness.mjs';

export const routes = {
  dual_units_create: (fx) => ({
    path: '/api/v1/party/units',
    valid: { unit_id: fx.dualUnitOrg, community_id: fx.comm2, party_org_name: '坏输入党支部', contact_name: '王联络', contact_phone: '13800000000', commitments: 'x' },
    wrong: { unit_id: 'x', community_id: '1', party_org_name: 1, contact_name: [], contact_phone: 13800000000, commitments: {} },
  }),
  dual_units_update: (fx) => ({
    path: `/api/v1/party/units/${fx.dualUnit}`,
    valid: { commitments: '每季度一次讲座', contact_name: '王联络' },
    wrong: { party_org_name: 1, contact_name: true, contact_phone: 138, commitments: [], state: 0 },
  }),
  dual_regs_create: (fx) => ({
    path: '/api/v1/party/registrations',
    valid: { person_id: fx.person, community_id: fx.comm, unit_id: fx.dualUnitOrg, skills: '法律咨询', wishes: '为老服务', availability: ['weekend'] },
    wrong: { person_id: 'x', community_id: [], unit_id: '1', skills: 1, wishes: {}, availability: 'weekend' },
  }),
  dual_regs_update: (fx) => ({
    path: `/api/v1/party/registrations/${fx.dualReg}`,
    valid: { skills: '摄影', availability: ['holiday'] },
    wrong: { unit_id: 'x', skills: 1, wishes: [], availability: 'holiday' },
  }),
  dual_regs_decline: (fx) => ({
    path: `/api/v1/party/registrations/${fx.dualReg}/decline`,
    valid: { reason: '不在本居民区居住' },
    wrong: { reason: 1 },
  }),
};

export async function fixtures({ admin, fx }) {
  const dualUnitOrg = await orgId('浦发银行花木支行');
  const first = async (path) => {
    const r = await api('GET', path, as(admin));
    if (r.status !== 200 || !r.json.items.length) throw new Error(`${path}: ${r.status} ${r.text}`);
    return r.json.items[0].id;
  };
  // The demo's registrations: the bad bodies change nothing, so no fresh ones are needed.
  return {
    dualUnitOrg,
    dualUnit: await first('/api/v1/party/units?limit=1'),
    dualReg: await first('/api/v1/party/registrations?limit=1'),
  };
}
