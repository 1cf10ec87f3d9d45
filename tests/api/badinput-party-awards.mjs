// badinput-party-awards.mjs — the bad-input fixtures of the awards feature's body routes
// (docs/PARTY.md), merged into badinput.test.mjs's BODY_ROUTES. Each route: (fx) → where
// to send it, as whom (`who`: a session; default admin), a valid body (never sent as is)
// and a body of wrong types (each key → "wrong_type"). fixtures() creates or finds the
// objects the paths name and returns them to be merged into fx.
import { api, as, login, orgId, tag, clockNow } from './harness.mjs';

const day = (offset) => new Date(clockNow() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);

// Year 2099 and never past nominating: party-awards.test.mjs takes the newest scheme of this
// year in review with nominations for the demo's, and on a shared server (run.mjs) this file runs first.
function schemeBody() {
  return {
    name: `坏输入评选-${tag()}`, year: 2099,
    nominate_from: day(-5), nominate_to: day(5), review_from: day(-5), review_to: day(10),
    categories: [{ name: '坏输入奖', kinds: ['person'], quota: 1 }],
  };
}

export const routes = {
  awards_schemes_create: () => ({ path: '/api/v1/awards/schemes', valid: schemeBody(), wrong: { name: 1, year: '2026', nominate_from: 20260101, nominate_to: [], review_from: {}, review_to: true, nominators: 'office', description: 5, categories: {} } }),
  awards_schemes_update: (fx) => ({ path: `/api/v1/awards/schemes/${fx.awScheme}`, valid: { name: '改过的评选' }, wrong: { name: 1, nominate_from: 2, nominate_to: [], review_from: {}, review_to: false, nominators: 'office', description: 7 } }),
  awards_schemes_state: (fx) => ({ path: `/api/v1/awards/schemes/${fx.awScheme}/state`, valid: { state: 'decided' }, wrong: { state: 1 } }),
  awards_schemes_panel: (fx) => ({ path: `/api/v1/awards/schemes/${fx.awScheme}/panel`, valid: { account_ids: [fx.awPanel] }, wrong: { account_ids: 'all' } }),
  awards_nominations_create: (fx) => ({ path: '/api/v1/awards/nominations', valid: { scheme_id: fx.awScheme, category_id: fx.awCategory, nominee_kind: 'person', nominee_id: fx.person, citation: '热心社区志愿服务，常年坚持。' }, wrong: { scheme_id: 'x', category_id: '1', nominee_kind: 1, nominee_id: [], citation: {}, cited: 'hours_year' } }),
  awards_nominations_decide: (fx) => ({ path: `/api/v1/awards/nominations/${fx.awNomination}/decision`, valid: { awarded: true, reason: '事迹突出' }, wrong: { awarded: 'yes', reason: 1 } }),
  // The panel's routes: the caller must sit on the scheme's panel (else 404), and admin does;
  // the body is checked before the scheme's state, so nominating is enough.
  awards_conflict: (fx) => ({ path: `/api/v1/awards/nominations/${fx.awNomination}/conflict`, valid: { reason: '被提名人是我的亲属' }, wrong: { reason: 2 } }),
  awards_vote: (fx) => ({ path: `/api/v1/awards/nominations/${fx.awNomination}/vote`, valid: { score: 8 }, wrong: { score: '8', comment: 3 } }),
};

// A nominating scheme with admin on its panel and one nomination (a person of 由由第五).
export async function fixtures({ admin, fx }) {
  const call = async (method, path, body, status) => {
    const r = await api(method, path, as(admin, { body }));
    if (r.status !== status) throw new Error(`awards fixture ${method} ${path}: ${r.status} ${r.text}`);
    return r.json;
  };
  const s = await call('POST', '/api/v1/awards/schemes', schemeBody(), 201);
  await call('POST', `/api/v1/awards/schemes/${s.id}/state`, { state: 'nominating' }, 200);
  const n = await call('POST', '/api/v1/awards/nominations', {
    scheme_id: s.id, category_id: s.categories[0].id, nominee_kind: 'person', nominee_id: fx.person,
    citation: '长期参与社区文明创建，群众评价好。' }, 201);
  await call('PUT', `/api/v1/awards/schemes/${s.id}/panel`, { account_ids: [admin.account.id] }, 200);
  return { awScheme: s.id, awCategory: s.categories[0].id, awNomination: n.id, awPanel: admin.account.id };
}
