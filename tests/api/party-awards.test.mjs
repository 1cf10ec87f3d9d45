// party-awards.test.mjs — honours (SPEC §9, docs/PARTY.md "awards") through the
// real binary on either backend: schemes and their state rules, validation
// failures; a nomination's evidence equals the records (recomputed here from
// the rows); nominations only in period, in scope and within the nominator's
// quota; one vote per panel member under 20 parallel requests; a declared
// conflict blocks voting; the decision respects the quota; the public roll
// carries no personal data; the certificate is a PDF.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, orgId, errorOf, tag, clockNow, query, serverDatabase, listAll } from './harness.mjs';

await ensureServer();

let admin, office, committee, committee2, inspector, resident, comm, comm2;
const day = (offset) => new Date(clockNow() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);
const year = () => Number(day(0).slice(0, 4));

before(async () => {
  [admin, office, committee, committee2, inspector, resident] = await Promise.all(
    ['admin', 'office', 'committee', 'committee2', 'inspector', 'resident'].map((l) => login(l)));
  comm = await orgId('由由第五居民区');
  comm2 = await orgId('梧桐居民区');
});

function schemeBody(extra = {}) {
  return {
    name: `测试评选 ${tag()}`, year: year(),
    nominate_from: day(-5), nominate_to: day(5), review_from: day(-5), review_to: day(10),
    categories: [
      { name: '金钥匙奖（个人）', kinds: ['person'], quota: 1, nominator_quota: 1 },
      { name: '金钥匙奖（单位）', kinds: ['unit', 'team'], quota: 2 },
    ],
    ...extra,
  };
}

async function newScheme(extra) {
  const r = await api('POST', '/api/v1/awards/schemes', as(office, { body: schemeBody(extra) }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const setState = (id, state) => api('POST', `/api/v1/awards/schemes/${id}/state`, as(office, { body: { state } }));
const setPanel = (id, ids) => api('PUT', `/api/v1/awards/schemes/${id}/panel`, as(office, { body: { account_ids: ids } }));

// Rows of SQL on the server's database, '|'-split.
function rows(sql) {
  return query(serverDatabase(), sql).trim().split('\n').filter(Boolean).map((l) => l.split('|'));
}

// A person of `org`'s subtree as `who` sees them.
async function personIn(who, org) {
  const r = await api('GET', `/api/v1/people?org_id=${org}&limit=20`, as(who));
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length > 0);
  return r.json.items[0];
}

test('schemes: validation failures change nothing; state moves one step at a time; a draft is hidden', async () => {
  const bad = async (body, fields) => {
    const r = await api('POST', '/api/v1/awards/schemes', as(office, { body }));
    assert.equal(r.status, 422, r.text);
    const got = errorOf(r).fields.map((f) => f.field);
    for (const f of fields) assert.ok(got.includes(f), `${f} in ${got}`);
  };
  await bad({ ...schemeBody(), name: '' }, ['name']);
  await bad({ ...schemeBody(), year: 1999 }, ['year']);
  await bad({ ...schemeBody(), nominate_from: '2026-13-01' }, ['nominate_from']);
  await bad({ ...schemeBody(), nominate_to: day(-10) }, ['nominate_to']);
  await bad({ ...schemeBody(), categories: [] }, ['categories']);
  await bad({ ...schemeBody(), categories: [{ name: 'x', kinds: ['robot'], quota: 1 }] }, ['categories']);
  await bad({ ...schemeBody(), categories: [{ name: 'x', kinds: ['person'], quota: 0 }] }, ['categories']);
  await bad({ ...schemeBody(), nominators: ['resident'] }, ['nominators']);
  const s = await newScheme();
  assert.equal(s.state, 'draft');
  assert.equal(s.categories.length, 2);
  // Not the office: no managing.
  const denied = await api('POST', '/api/v1/awards/schemes', as(committee, { body: schemeBody() }));
  assert.equal(denied.status, 403);
  // A draft reads as missing to a 居委.
  assert.equal((await api('GET', `/api/v1/awards/schemes/${s.id}`, as(committee))).status, 404);
  // Skipping a step, an unknown state, reviewing without a panel.
  assert.equal((await setState(s.id, 'reviewing')).status, 422);
  assert.equal((await setState(s.id, 'bogus')).status, 422);
  assert.equal((await setState(s.id, 'nominating')).status, 200);
  assert.equal((await api('GET', `/api/v1/awards/schemes/${s.id}`, as(committee))).status, 200);
  const noPanel = await setState(s.id, 'reviewing');
  assert.equal(noPanel.status, 422, noPanel.text);
  assert.equal((await setPanel(s.id, [999999999])).status, 422);
  assert.equal((await setPanel(s.id, [office.account.id])).status, 200);
  assert.equal((await setState(s.id, 'reviewing')).status, 200);
  assert.equal((await setState(s.id, 'nominating')).status, 422, 'no going back');
  const patched = await api('PATCH', `/api/v1/awards/schemes/${s.id}`, as(office, { body: { review_to: day(-20) } }));
  assert.equal(patched.status, 422, 'review_to before review_from');
  const edited = await api('PATCH', `/api/v1/awards/schemes/${s.id}`, as(office, { body: { description: '评选说明（修订）' } }));
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.json.description, '评选说明（修订）');
  assert.equal((await api('PATCH', `/api/v1/awards/schemes/${s.id}`, as(committee, { body: { description: 'x' } }))).status, 403);
});

// The evidence recomputed here from the rows, with the rules of docs/PARTY.md.
function personEvidenceFromRows(pid, y) {
  const recs = rows(`SELECT r.id, r.status, r.hours, r.service_date, coalesce(r.supersedes_id, 0) FROM service_records r
    JOIN volunteers v ON v.id = r.volunteer_id WHERE v.person_id = ${pid}`);
  const replaced = new Set(recs.filter((r) => r[1] === 'approved' && r[4] !== '0').map((r) => r[4]));
  const ok = recs.filter((r) => r[1] === 'approved' && !replaced.has(r[0]));
  const inYear = (d) => d >= `${y}-01-01` && d <= `${y}-12-31`;
  const hoursYear = ok.filter((r) => inYear(r[3])).reduce((a, r) => a + Number(r[2]), 0);
  const hoursTotal = ok.reduce((a, r) => a + Number(r[2]), 0);
  const t0 = Date.UTC(y, 0, 1, -8) / 1000, t1 = Date.UTC(y + 1, 0, 1, -8) / 1000;
  const probs = rows(`SELECT p.state, p.created_at FROM problems p JOIN accounts a ON a.id = p.reporter_id WHERE a.person_id = ${pid}`)
    .filter((p) => Number(p[1]) >= t0 && Number(p[1]) < t1);
  const deeds = rows(`SELECT occurred_on FROM good_deeds WHERE person_id = ${pid} AND state = 'verified'`).filter((d) => inYear(d[0]));
  const meet = rows(`SELECT m.held_on FROM party_meeting_attendance t JOIN party_meetings m ON m.id = t.meeting_id
    WHERE t.person_id = ${pid} AND t.status = 'present' AND m.state = 'held'`).filter((d) => inYear(d[0]));
  const ladder = [100, 300, 600, 1000, 1500];
  return {
    hours_year: hoursYear, hours_total: hoursTotal, stars: ladder.filter((h) => hoursTotal >= h).length,
    problems_reported: probs.length, problems_closed: probs.filter((p) => p[0] === 'closed').length,
    good_deeds: deeds.length, meetings_attended: meet.length,
  };
}
const asMap = (items) => Object.fromEntries(items.map((i) => [i.key, i.value]));
const close = (a, b) => Math.abs(a - b) < 1e-6;

test('evidence: the figures equal the records, for the demo nominees and on the API', async () => {
  const schemes = await api('GET', `/api/v1/awards/schemes?year=${year()}`, as(office));
  assert.equal(schemes.status, 200, schemes.text);
  const demo = schemes.json.items.find((s) => s.state === 'reviewing' && s.nominations > 0);
  assert.ok(demo, 'the demo round is in review');
  const noms = await listAll(`/api/v1/awards/nominations?scheme_id=${demo.id}`, office);
  const people = noms.filter((n) => n.nominee_kind === 'person');
  assert.ok(people.length >= 4, 'people nominated from several communities');
  assert.ok(new Set(people.map((n) => n.org_id)).size >= 2);
  let withHours = 0;
  for (const n of people.slice(0, 6)) {
    const want = personEvidenceFromRows(n.nominee_id, year());
    const live = await api('GET', `/api/v1/awards/evidence?kind=person&id=${n.nominee_id}&year=${year()}`, as(office));
    assert.equal(live.status, 200, live.text);
    const got = asMap(live.json.items);
    for (const k of Object.keys(want)) assert.ok(close(got[k], want[k]), `${k}: ${got[k]} vs ${want[k]} (person ${n.nominee_id})`);
    // The stored snapshot was drawn from the same records (nothing changed them since the demo).
    const snap = asMap(n.evidence.items);
    assert.ok(close(snap.hours_total, want.hours_total), 'snapshot hours_total');
    assert.ok(n.evidence_on, 'the snapshot is dated');
    if (want.hours_total > 0) withHours++;
  }
  assert.ok(withHours > 0, 'some nominees have served hours');
  // A unit: problems it closed as the handler, and on time.
  const unit = noms.find((n) => n.nominee_kind === 'unit');
  assert.ok(unit);
  const y = year(), t0 = Date.UTC(y, 0, 1, -8) / 1000, t1 = Date.UTC(y + 1, 0, 1, -8) / 1000;
  const closed = rows(`SELECT closed_at, coalesce(rectified_at, closed_at), coalesce(deadline, -1) FROM problems
    WHERE handler_org_id = ${unit.nominee_id} AND state = 'closed'`).filter((p) => Number(p[0]) >= t0 && Number(p[0]) < t1);
  const ue = asMap((await api('GET', `/api/v1/awards/evidence?kind=unit&id=${unit.nominee_id}&year=${y}`, as(office))).json.items);
  assert.equal(ue.problems_closed, closed.length);
  assert.equal(ue.problems_on_time, closed.filter((p) => p[2] !== '-1' && Number(p[1]) <= Number(p[2])).length);
  // Bad input and scope.
  assert.equal((await api('GET', '/api/v1/awards/evidence?kind=robot&id=1', as(office))).status, 422);
  assert.equal((await api('GET', '/api/v1/awards/evidence?kind=person', as(office))).status, 422);
  assert.equal((await api('GET', '/api/v1/awards/evidence?kind=person&id=999999999', as(office))).status, 404);
  const other = await personIn(committee2, comm2);
  const foreign = await api('GET', `/api/v1/awards/evidence?kind=person&id=${other.id}`, as(committee));
  assert.equal(foreign.status, 404, 'out of scope reads as missing');
  assert.equal((await api('GET', `/api/v1/awards/evidence?kind=person&id=${other.id}`, as(resident))).status, 403);
});

test('nominations: in period, in scope, eligible kind, nominator quota, no duplicates', async () => {
  const s = await newScheme();
  const [pcat, ucat] = s.categories;
  const mine = await personIn(committee, comm);
  const theirs = await personIn(committee2, comm2);
  const body = (extra) => ({ scheme_id: s.id, category_id: pcat.id, nominee_kind: 'person', nominee_id: mine.id,
    citation: '热心社区志愿服务，常年坚持，事迹突出。', cited: ['hours_year'], ...extra });
  const nominate = (who, extra) => api('POST', '/api/v1/awards/nominations', as(who, { body: body(extra) }));
  // A draft is not open for nominations (and reads as missing to the 居委).
  assert.equal((await nominate(committee)).status, 422);
  assert.equal((await setState(s.id, 'nominating')).status, 200);
  const short = await nominate(committee, { citation: '好' });
  assert.equal(short.status, 422);
  assert.ok(errorOf(short).fields.some((f) => f.field === 'citation'));
  assert.equal((await nominate(committee, { cited: ['not_an_item'] })).status, 422);
  assert.equal((await nominate(committee, { nominee_kind: 'unit', nominee_id: comm })).status, 422, 'kind not eligible');
  assert.equal((await nominate(committee, { nominee_id: theirs.id })).status, 422, 'out of scope');
  const ok = await nominate(committee);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.nominee_name, mine.name);
  assert.deepEqual(ok.json.cited, ['hours_year']);
  assert.ok(Array.isArray(ok.json.evidence.items));
  assert.equal(ok.json.evidence_on, day(0));
  // The nominator's quota (1) is used; another nominator may still nominate.
  const again = await nominate(committee, { nominee_id: (await api('GET', `/api/v1/people?org_id=${comm}&limit=5`, as(committee))).json.items[1].id });
  assert.equal(again.status, 409, again.text);
  assert.equal(errorOf(again).code, 'quota_reached');
  const dup = await nominate(office);
  assert.equal(dup.status, 409, 'the same nominee twice in a category');
  // Scope of the list and of one nomination.
  const list2 = await listAll(`/api/v1/awards/nominations?scheme_id=${s.id}`, committee2);
  assert.equal(list2.length, 0);
  assert.equal((await api('GET', `/api/v1/awards/nominations/${ok.json.id}`, as(committee2))).status, 404);
  assert.equal((await api('GET', `/api/v1/awards/nominations/${ok.json.id}`, as(committee))).status, 200);
  // A unit nominates itself in the unit category.
  const unitS = await login('unit');
  const uid = unitS.account.grants.find((g) => g.role === 'unit').org_id;
  const u = await nominate(unitS, { category_id: ucat.id, nominee_kind: 'unit', nominee_id: uid });
  assert.equal(u.status, 201, u.text);
  // Out of the period: closed once the scheme moves on.
  await setPanel(s.id, [office.account.id]);
  assert.equal((await setState(s.id, 'reviewing')).status, 200);
  const late = await nominate(committee2, { nominee_id: theirs.id });
  assert.equal(late.status, 409);
  assert.equal(errorOf(late).code, 'not_nominating');
});

async function reviewingScheme() {
  const s = await newScheme({ categories: [{ name: '福民奖', kinds: ['person'], quota: 1 }] });
  await setState(s.id, 'nominating');
  const ppl = (await api('GET', `/api/v1/people?org_id=${comm}&limit=5`, as(office))).json.items;
  const noms = [];
  for (const p of ppl.slice(0, 3)) {
    const r = await api('POST', '/api/v1/awards/nominations', as(office, { body: { scheme_id: s.id, category_id: s.categories[0].id,
      nominee_kind: 'person', nominee_id: p.id, citation: '长期参与社区文明创建，群众评价好。' } }));
    assert.equal(r.status, 201, r.text);
    noms.push(r.json);
  }
  assert.equal((await setPanel(s.id, [office.account.id, inspector.account.id])).status, 200);
  assert.equal((await setState(s.id, 'reviewing')).status, 200);
  return { s, noms };
}

test('review: one vote per panel member under 20 parallel requests; conflict blocks voting; not on the panel = missing', async () => {
  const { s, noms } = await reviewingScheme();
  const n = noms[0];
  const votes = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    api('POST', `/api/v1/awards/nominations/${n.id}/vote`, as(inspector, { body: { score: 1 + (i % 10) } }))));
  for (const v of votes) assert.equal(v.status, 200, v.text);
  const count = rows(`SELECT count(*) FROM award_votes WHERE nomination_id = ${n.id} AND account_id = ${inspector.account.id}`);
  assert.equal(count[0][0], '1', 'one row per member per nomination');
  const res = await api('GET', `/api/v1/awards/schemes/${s.id}/results`, as(office));
  assert.equal(res.status, 200, res.text);
  const r0 = res.json.nominations.find((x) => x.id === n.id);
  assert.equal(r0.votes, 1);
  // A second vote replaces the first.
  await api('POST', `/api/v1/awards/nominations/${n.id}/vote`, as(office, { body: { score: 8 } }));
  await api('POST', `/api/v1/awards/nominations/${n.id}/vote`, as(office, { body: { score: 6 } }));
  const res2 = (await api('GET', `/api/v1/awards/schemes/${s.id}/results`, as(office))).json.nominations.find((x) => x.id === n.id);
  assert.equal(res2.votes, 2);
  const inspScore = Number(rows(`SELECT score FROM award_votes WHERE nomination_id = ${n.id} AND account_id = ${inspector.account.id}`)[0][0]);
  assert.ok(close(res2.mean_score, (inspScore + 6) / 2), `mean ${res2.mean_score}`);
  // Bad scores.
  for (const score of [0, 11, 'x'])
    assert.equal((await api('POST', `/api/v1/awards/nominations/${n.id}/vote`, as(office, { body: { score } }))).status, 422);
  // A conflict: declared, the member's vote is dropped and further votes refused.
  const c = await api('POST', `/api/v1/awards/nominations/${noms[1].id}/conflict`, as(inspector, { body: { reason: '被提名人是我的亲属' } }));
  assert.equal(c.status, 200, c.text);
  const blocked = await api('POST', `/api/v1/awards/nominations/${noms[1].id}/vote`, as(inspector, { body: { score: 9 } }));
  assert.equal(blocked.status, 409);
  assert.equal(errorOf(blocked).code, 'conflict_declared');
  // Not on the panel: the nomination and the review list read as missing.
  assert.equal((await api('POST', `/api/v1/awards/nominations/${n.id}/vote`, as(committee, { body: { score: 5 } }))).status, 404);
  assert.equal((await api('GET', `/api/v1/awards/review?scheme_id=${s.id}`, as(committee))).status, 404);
  const mine = await api('GET', `/api/v1/awards/review?scheme_id=${s.id}`, as(inspector));
  assert.equal(mine.status, 200);
  assert.equal(mine.json.items.find((x) => x.id === noms[1].id).my_conflict, '被提名人是我的亲属');
  assert.equal(mine.json.items.find((x) => x.id === n.id).my_score, inspScore);
});

test('decision respects the quota, is audited, and the published roll is public without personal data; certificate', async () => {
  const { s, noms } = await reviewingScheme();	// person category quota 1
  const decide = (id, awarded) => api('POST', `/api/v1/awards/nominations/${id}/decision`,
    as(office, { body: { awarded, reason: awarded ? '评审组平均分最高' : '名额所限' } }));
  assert.equal((await decide(noms[0].id, true)).status, 200);
  const over = await decide(noms[1].id, true);
  assert.equal(over.status, 409);
  assert.equal(errorOf(over).code, 'quota_reached');
  assert.equal((await decide(noms[1].id, false)).status, 200);
  assert.equal((await api('POST', `/api/v1/awards/nominations/${noms[2].id}/decision`, as(office, { body: { awarded: true } }))).status, 422);
  assert.equal((await api('POST', `/api/v1/awards/nominations/${noms[2].id}/decision`, as(committee, { body: { awarded: true, reason: 'xx' } }))).status, 403);
  const audit = await api('GET', `/api/v1/audit?resource=award_nomination&resource_id=${noms[0].id}&action=decide`, as(admin));
  assert.equal(audit.status, 200);
  assert.equal(audit.json.items.length, 1);
  // Not on the roll until published.
  const before = await api('GET', `/api/v1/awards/roll?year=${year()}`);
  assert.ok(!before.json.items.some((x) => x.scheme_id === s.id));
  assert.equal((await setState(s.id, 'decided')).status, 200);
  assert.equal((await setState(s.id, 'published')).status, 200);
  assert.equal((await decide(noms[2].id, false)).status, 409, 'published: decisions are final');
  const roll = await api('GET', `/api/v1/awards/roll?year=${year()}`);
  assert.equal(roll.status, 200, roll.text);
  const mine = roll.json.items.filter((x) => x.scheme_id === s.id);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].nominee_name, noms[0].nominee_name);
  const text = JSON.stringify(roll.json);
  for (const k of ['phone', 'id_masked', 'address', 'evidence', 'nominee_id', 'nominator'])
    assert.ok(!text.includes(`"${k}`), `no ${k} on the public roll`);
  // Last year's demo round is on the roll.
  const last = await api('GET', `/api/v1/awards/roll?year=${year() - 1}`);
  assert.ok(last.json.items.length > 0, 'the demo published last year');
  // The certificate.
  const pdf = await api('GET', `/api/v1/awards/nominations/${noms[0].id}/certificate.pdf`, as(office));
  assert.equal(pdf.status, 200);
  assert.match(pdf.headers.get('content-type'), /application\/pdf/);
  assert.ok(pdf.text.startsWith('%PDF-'));
  assert.equal((await api('GET', `/api/v1/awards/nominations/${noms[1].id}/certificate.pdf`, as(office))).status, 409);
  assert.equal((await api('GET', `/api/v1/awards/nominations/${noms[0].id}/certificate.pdf`, as(committee))).status, 403);
});
