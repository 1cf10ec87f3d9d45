// badinput-party-targets.mjs — the bad-input fixtures of the targets feature's body routes
// (docs/PARTY.md), merged into badinput.test.mjs's BODY_ROUTES. Each route: (fx) → where
// to send it, as whom (`who`: a session; default admin), a valid body (never sent as is)
// and a body of wrong types (each key → "wrong_type"). fixtures() creates or finds the
// objects the paths name and returns them to be merged into fx.
import { api, as, login, orgId, tag } from './harness.mjs';

export const routes = {
  targets_create: (fx) => ({ path: '/api/v1/targets', valid: { org_id: fx.comm2, year: 2098, title: '坏输入责任书', items: [{ metric: 'problems_closed', goal: 1 }] }, wrong: { org_id: 'x', year: '2098', title: 5, items: {} } }),
  targets_update: (fx) => ({ path: `/api/v1/targets/${fx.tgTarget}`, valid: { title: '改过的标题' }, wrong: { title: 1, items: 'x', marks: {} } }),
  targets_sign: (fx) => ({ path: `/api/v1/targets/${fx.tgTarget}/sign`, valid: { issuer_signer: '张主任', receiver_signer: '李经理', signed_on: '2026-01-05' }, wrong: { issuer_signer: 1, receiver_signer: [], signed_on: 20260105 } }),
  good_deeds_create: (fx) => ({ path: '/api/v1/good-deeds', valid: { org_id: fx.comm, doer_name: '王阿姨', title: '拾金不昧', occurred_on: '2024-05-01' }, wrong: { org_id: 'x', person_id: '1', doer_name: 2, title: [], content: 3, place: {}, occurred_on: 20240501, photo_id: true } }),
  good_deeds_verify: (fx) => ({ path: `/api/v1/good-deeds/${fx.tgDeed}/verify`, valid: { person_id: fx.person }, wrong: { person_id: 'x' } }),
  good_deeds_reject: (fx) => ({ path: `/api/v1/good-deeds/${fx.tgDeed}/reject`, valid: { reason: '无法核实' }, wrong: { reason: 1 } }),
};

// A draft letter for 梧桐 in a year no other test uses (found again when the
// database is reused), and a pending good deed of 由由第五, both in admin's scope.
export async function fixtures({ admin, fx }) {
  const year = 2099;
  let target = (await api('GET', `/api/v1/targets?org_id=${fx.comm2}&year=${year}`, as(admin))).json?.items?.[0];
  if (!target) {
    const t = await api('POST', '/api/v1/targets', as(admin, { body: { org_id: fx.comm2, year, title: `坏输入责任书-${tag()}` } }));
    if (t.status !== 201) throw new Error(`target fixture: ${t.status} ${t.text}`);
    target = t.json;
  }
  const d = await api('POST', '/api/v1/good-deeds', as(admin, { body: {
    org_id: fx.comm, doer_name: '坏输入好人', title: `坏输入好事-${tag()}`, occurred_on: '2024-05-01' } }));
  if (d.status !== 201) throw new Error(`good deed fixture: ${d.status} ${d.text}`);
  return { tgTarget: target.id, tgDeed: d.json.id };
}
