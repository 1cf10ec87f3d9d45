// open311.test.mjs — Open311 GeoReport v2 at /open311/v2/: discovery,
// services, service definitions, requests POST/GET (filters), one request,
// tokens, JSON and XML, the GeoReport error format and status codes, API keys
// of trusted clients, and the privacy of public output. Every JSON answer of
// /open311/v2/ is validated against the GeoReport v2 JSON schemas in
// schemas/georeport-v2/ (see the README there) with Ajv; the checks below
// add what a schema cannot say (values, privacy).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ensureServer, api, as, login, freshLogin, tag, REPO, serverDatabase, query } from './harness.mjs';

// --- GeoReport v2 schemas ---------------------------------------------------
const SCHEMAS = join(REPO, 'tests', 'api', 'schemas', 'georeport-v2');
// strictRequired off: the POST answer requires one of two properties (anyOf of "required").
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
for (const f of readdirSync(SCHEMAS).filter((n) => n.endsWith('.json')))
  ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')));
const validated = new Map();	// schema → answers validated (each must be used)

// The schema an answer must follow, from the method, the path and the status.
function schemaFor(method, path, status) {
  if (status >= 400) return 'errors.json';
  const p = path.split('?')[0].replace(/^\/open311\/v2\//, '');
  if (method === 'POST' && p === 'requests.json') return 'post-response.json';
  if (p === 'discovery.json') return 'discovery.json';
  if (p === 'services.json') return 'services.json';
  if (/^services\/[^/]+\.json$/.test(p)) return 'service-definition.json';
  if (p === 'requests.json' || /^requests\/[^/]+\.json$/.test(p)) return 'requests.json';
  if (/^tokens\/[^/]+\.json$/.test(p)) return 'tokens.json';
  return null;
}
function conforms(schema, value, label) {
  const ok = ajv.validate(schema, value);
  assert.ok(ok, `${label} does not follow ${schema}: ${ajv.errorsText(ajv.errors, { separator: '; ' })}\n${JSON.stringify(value).slice(0, 400)}`);
  validated.set(schema, (validated.get(schema) || 0) + 1);
}
// api() for /open311/v2/: every JSON answer is checked against its schema.
async function o311(method, path, opts) {
  const r = await api(method, path, opts);
  if ((r.headers.get('content-type') || '').includes('json')) {
    const schema = schemaFor(method, path, r.status);
    assert.ok(schema, `no schema for ${method} ${path} (${r.status})`);
    conforms(schema, r.json, `${method} ${path} → ${r.status}`);
  }
  return r;
}
after(() => {
  // Each schema was used at least once (a rename cannot silently skip one).
  for (const f of readdirSync(SCHEMAS).filter((n) => n.endsWith('.json') && n !== 'service.json' && n !== 'request.json'))
    assert.ok(validated.get(f) > 0, `schema ${f} never used`);
});

await ensureServer();
const B = '/open311/v2';
let admin, office;
before(async () => { admin = await login('admin'); office = await login('office'); });

const form = (o) => new URLSearchParams(o).toString();
const post = (body, ext = 'json', headers = {}) =>
  o311('POST', `${B}/requests.${ext}`, { body: form(body), headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });

// The GeoReport v2 response structure: required keys and their JSON types.
const isStr = (v) => typeof v === 'string';
const isW3c = (v) => isStr(v) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/.test(v);
function checkService(s) {
  for (const k of ['service_code', 'service_name', 'type', 'group']) assert.ok(isStr(s[k]), `service.${k}`);
  assert.equal(typeof s.metadata, 'boolean');
  assert.ok(['realtime', 'batch', 'blackbox'].includes(s.type));
  if ('keywords' in s) assert.ok(isStr(s.keywords));
  if ('description' in s) assert.ok(isStr(s.description));
}
function checkRequest(q) {
  for (const k of ['service_request_id', 'status', 'service_name', 'service_code', 'description'])
    assert.ok(isStr(q[k]), `request.${k}`);
  assert.ok(['open', 'closed'].includes(q.status));
  assert.ok(isW3c(q.requested_datetime) && isW3c(q.updated_datetime));
  if ('expected_datetime' in q) assert.ok(isW3c(q.expected_datetime));
  for (const k of ['status_notes', 'agency_responsible', 'service_notice', 'address', 'address_id', 'zipcode'])
    if (k in q) assert.ok(isStr(q[k]), `request.${k}`);
  if ('lat' in q) assert.ok(typeof q.lat === 'number' && typeof q.long === 'number');
  // Public output never names the reporter.
  for (const k of ['reporter_id', 'email', 'phone', 'first_name', 'last_name', 'account_id']) assert.ok(!(k in q), k);
}
function checkError(r, status) {
  assert.equal(r.status, status, r.text);
  if (r.json) {
    assert.ok(Array.isArray(r.json) && r.json.length >= 1);
    assert.equal(r.json[0].code, status);
    assert.ok(isStr(r.json[0].description) && r.json[0].description.length > 0);
  } else {
    assert.match(r.text, new RegExp(`<errors><error><code>${status}</code><description>[^<]+</description></error></errors>`));
  }
}

test('discovery in JSON and XML', async () => {
  const j = await o311('GET', `${B}/discovery.json`);
  assert.equal(j.status, 200);
  assert.ok(isStr(j.json.changeset) && Array.isArray(j.json.endpoints));
  const ep = j.json.endpoints[0];
  assert.equal(ep.specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.match(ep.url, /\/open311\/v2$/);
  assert.deepEqual([...ep.formats].sort(), ['application/json', 'text/xml']);
  const x = await o311('GET', `${B}/discovery.xml`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /^text\/xml/);
  assert.match(x.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<discovery>.*<endpoints><endpoint>.*<formats><format>application\/json<\/format><format>text\/xml<\/format><\/formats>/s);
});

test('services are the reportable categories; a service definition per code', async () => {
  const j = await o311('GET', `${B}/services.json`);
  assert.equal(j.status, 200);
  assert.ok(j.json.length > 10);
  j.json.forEach(checkService);
  const hall = j.json.find((s) => s.service_code === 'C0301');
  assert.equal(hall.service_name, '楼道堆物');
  assert.equal(hall.group, '杂物乱堆乱放（含楼道堆物）');
  assert.ok(!j.json.some((s) => s.service_code === 'C03'), 'a 大类 with 小类 is a group, not a service');
  assert.ok(!j.json.some((s) => s.service_code === 'C17'), 'record-only categories are not services');
  const x = await o311('GET', `${B}/services.xml`);
  assert.match(x.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<services><service><service_code>/);
  assert.ok(x.text.includes('<service><service_code>C0101</service_code><service_name>沿街垃圾乱堆</service_name>'));
  const d = await o311('GET', `${B}/services/C0301.json`);
  assert.deepEqual(d.json, { service_code: 'C0301', attributes: [] });
  const dx = await o311('GET', `${B}/services/C0301.xml`);
  assert.match(dx.text, /<service_definition><service_code>C0301<\/service_code><attributes\/><\/service_definition>/);
  checkError(await o311('GET', `${B}/services/NOPE.json`), 404);
  checkError(await o311('GET', `${B}/services/NOPE.xml`), 404);
});

test('POST a request, then GET it by id, by token and in the list; JSON and XML', async () => {
  const desc = `开放接口上报 ${tag()}`;
  const r = await post({ service_code: 'C0301', lat: '31.2101', long: '121.5502', description: desc, email: 'someone@example.org', first_name: '张' });
  assert.equal(r.status, 200, r.text);
  const id = r.json[0].service_request_id;
  assert.match(id, /^HM-\d{4}-\d{6}$/);
  // The token is the reporter's unguessable tracking code (coverage 12).
  const token = r.json[0].token;
  assert.match(token, /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
  assert.ok(r.json[0].service_notice.includes(token));
  const one = await o311('GET', `${B}/requests/${id}.json`);
  assert.equal(one.status, 200);
  assert.equal(one.json.length, 1);
  checkRequest(one.json[0]);
  assert.equal(one.json[0].status, 'open');
  assert.equal(one.json[0].description, desc);
  assert.equal(one.json[0].service_code, 'C0301');
  assert.ok(!one.text.includes('someone@example.org'), 'contact details stay internal');
  // Rounded to about 100 m.
  assert.equal(one.json[0].lat, 31.21);
  const ox = await o311('GET', `${B}/requests/${id}.xml`);
  assert.match(ox.text, new RegExp(`<service_requests><request><service_request_id>${id}</service_request_id><status>open</status>`));
  const tok = await o311('GET', `${B}/tokens/${token}.json`);
  assert.deepEqual(tok.json, [{ service_request_id: id, token }]);
  checkError(await o311('GET', `${B}/tokens/${id}.json`), 404);
  assert.equal((await api('GET', `/api/v1/track/${token}`)).json.code, id);
  const list = await o311('GET', `${B}/requests.json?service_code=C0301&status=open`);
  assert.ok(list.json.some((q) => q.service_request_id === id));
  list.json.forEach(checkRequest);
  assert.ok(list.json.every((q) => q.service_code === 'C0301' && q.status === 'open'));
  // The problem is in the closed loop, as an anonymous open311 tip, for the office.
  const p = await api('GET', `/api/v1/problems?q=${encodeURIComponent(id)}`, as(office));
  assert.equal(p.json.items[0].source, 'open311');
  assert.equal(p.json.items[0].reporter_id, null);
  const xml = await post({ service_code: 'C0102', lat: '31.22', long: '121.56' }, 'xml');
  assert.equal(xml.status, 200);
  assert.match(xml.text, /<service_requests><request><service_request_id>HM-\d{4}-\d{6}<\/service_request_id><token>[0-9A-F-]{19}<\/token><service_notice>/);
});

test('status maps to open/closed with notes; filters by id list, status and dates', async () => {
  const closed = await o311('GET', `${B}/requests.json?status=closed`);
  assert.ok(closed.json.length > 0);
  assert.ok(closed.json.every((q) => q.status === 'closed'));
  closed.json.forEach(checkRequest);
  const two = closed.json.slice(0, 2).map((q) => q.service_request_id);
  const byId = await o311('GET', `${B}/requests.json?service_request_id=${two.join(',')}`);
  assert.deepEqual(byId.json.map((q) => q.service_request_id).sort(), [...two].sort());
  const future = await o311('GET', `${B}/requests.json?start_date=2099-01-01T00:00:00Z`);
  assert.deepEqual(future.json, []);
  const win = await o311('GET', `${B}/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2099-01-01T00:00:00%2B08:00`);
  assert.ok(win.json.length >= closed.json.length);
  checkError(await o311('GET', `${B}/requests.json?status=pending`), 400);
  checkError(await o311('GET', `${B}/requests.json?start_date=yesterday`), 400);
  checkError(await o311('GET', `${B}/requests/HM-1999-000000.json`), 404);
  checkError(await o311('GET', `${B}/tokens/nope.json`), 404);
});

test('POST errors: missing service_code, unknown code, no location, bad numbers, bad encoding', async () => {
  checkError(await post({ lat: '31.2', long: '121.5' }), 400);
  checkError(await post({ service_code: 'NOPE', lat: '31.2', long: '121.5' }), 404);
  checkError(await post({ service_code: 'NOPE', lat: '31.2', long: '121.5' }, 'xml'), 404);
  checkError(await post({ service_code: 'C0301' }), 400);
  checkError(await post({ service_code: 'C0301', lat: 'north', long: '121.5' }), 400);
  checkError(await post({ service_code: 'C0301', lat: '91', long: '121.5' }), 400);
  checkError(await post({ service_code: 'C0301', address_string: '不存在的地方' }), 400);
  const bad = await o311('POST', `${B}/requests.json`, { body: 'service_code=C0301&lat=31.2&long=121.5&description=%FF%FE', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  checkError(bad, 400);
  const json = await o311('POST', `${B}/requests.json`, { body: { service_code: 'C0301' } });
  checkError(json, 400);
  checkError(await o311('GET', `${B}/nothing.json`), 404);
  checkError(await o311('GET', `${B}/services`), 404);
});

test('phone and ID numbers typed into a description are masked in public output and in staff views; the 居委 reads them through the audited reveal', async () => {
  const desc = `门口堆物 ${tag()}，联系我 13812345678 或 139-8765-4321，身份证 110105199001011234，12号楼`;
  // At 锦绣前城 (由由第五, the committee's community) in the demo street itself: the
  // test must not lean on a site another test file placed.
  const r = await post({ service_code: 'C0301', lat: '31.2011', long: '121.5378', description: desc });
  assert.equal(r.status, 200, r.text);
  const id = r.json[0].service_request_id;
  const one = await o311('GET', `${B}/requests/${id}.json`);
  const shown = one.json[0].description;
  assert.ok(shown.includes('138****5678') && shown.includes('139-****-4321') && shown.includes('11*************234'), shown);
  assert.ok(shown.includes('*号楼') && !shown.includes('12号楼'), 'building numbers are below compound level');
  for (const secret of ['13812345678', '8765', '19900101']) assert.ok(!one.text.includes(secret), secret);
  const list = await o311('GET', `${B}/requests.xml?service_request_id=${id}`);
  assert.ok(list.text.includes('138****5678') && !list.text.includes('13812345678'));
  const staff = await api('GET', `/api/v1/problems?q=${encodeURIComponent(id)}`, as(office));
  const pid = staff.json.items[0].id;
  assert.ok(!staff.text.includes('13812345678'), 'the list masks');
  // SPEC §2: the detail masks too (full values only through an audited view).
  const committee = await login('committee'), handler = await login('handler');
  for (const who of [office, committee]) {
    const d = await api('GET', `/api/v1/problems/${pid}`, as(who));
    assert.equal(d.status, 200, d.text);
    assert.ok(d.json.description.includes('138****5678') && !d.text.includes('13812345678') && !d.text.includes('110105199001011234'), d.json.description);
    assert.equal(d.json.description_masked, true);
    assert.equal(d.json.can_reveal, true);
  }
  const before = (await api('GET', `/api/v1/audit?action=reveal&resource=problem&resource_id=${pid}`, as(admin))).json.items.length;
  const typed = await api('POST', `/api/v1/problems/${pid}/contact`, as(committee));
  assert.equal(typed.status, 200, typed.text);
  assert.equal(typed.json.description, desc, 'the reveal gives the text as typed');
  const audit = (await api('GET', `/api/v1/audit?action=reveal&resource=problem&resource_id=${pid}`, as(admin))).json.items;
  assert.equal(audit.length, before + 1, 'the reveal is audited');
  assert.ok(!JSON.stringify(audit).includes('13812345678'));
  assert.equal((await api('POST', `/api/v1/problems/${pid}/contact`, as(handler))).status, 403, 'a handler unit may not reveal');
});

test('an address naming a compound places the request in its community', async () => {
  const r = await post({ service_code: 'C0601', address_string: '锦绣前城 12号楼门口' });
  assert.equal(r.status, 200, r.text);
  const one = await o311('GET', `${B}/requests/${r.json[0].service_request_id}.json`);
  assert.equal(one.json[0].address, '由由第五居民区');
});

test('API keys: an admin issues one; requests with it are reported by its account; a bad key is 403', async () => {
  const res = await login('resident');
  const k = await api('POST', '/api/v1/open311/keys', as(admin, { body: { name: `12345 对接 ${tag()}`, account_id: res.account.id } }));
  assert.equal(k.status, 201, k.text);
  assert.ok(k.json.api_key.length >= 20);
  const list = await api('GET', '/api/v1/open311/keys', as(admin));
  assert.ok(list.json.items.some((x) => x.id === k.json.id && !('api_key' in x)));
  const r = await post({ api_key: k.json.api_key, service_code: 'C07', lat: '31.21', long: '121.55', description: '小广告' });
  assert.equal(r.status, 200, r.text);
  const mine = await api('GET', '/api/v1/problems?mine=true&source=open311', as(res));
  assert.ok(mine.json.items.some((p) => p.code === r.json[0].service_request_id));
  checkError(await post({ api_key: 'not-a-key', service_code: 'C07', lat: '31.21', long: '121.55' }), 403);
  assert.equal((await api('POST', '/api/v1/open311/keys', as(office, { body: { name: 'x', account_id: res.account.id } }))).status, 403);
});

test('the schemas are not vacuous: they refuse what GeoReport v2 forbids', () => {
  const req = { service_request_id: 'HM-2026-000001', status: 'open', service_code: 'C0301', requested_datetime: '2026-11-21T10:00:00+08:00' };
  assert.ok(ajv.validate('request.json', req));
  for (const bad of [{ ...req, status: 'pending' }, { ...req, requested_datetime: '2026-11-21 10:00' }, { ...req, lat: '31.2' },
    { ...req, media_url: 'not a uri' }, (({ service_code, ...rest }) => rest)(req)])
    assert.equal(ajv.validate('request.json', bad), false, JSON.stringify(bad));
  assert.equal(ajv.validate('errors.json', [{ code: '404', description: 'x' }]), false);
  assert.equal(ajv.validate('errors.json', []), false);
  assert.equal(ajv.validate('post-response.json', [{ service_notice: 'x' }]), false);
  assert.equal(ajv.validate('services.json', [{ service_code: 'C1', service_name: 'x', metadata: 'no', type: 'realtime' }]), false);
  assert.equal(ajv.validate('service-definition.json', { service_code: 'C1', attributes: [{ code: 'a', datatype: 'color', variable: true, required: false }] }), false);
});

// --- Review 2026-12-07 ------------------------------------------------------

test('contact details are sealed: masked for the community\'s staff, never for handlers or co-reporters; reveal is audited (#3)', async () => {
  const desc = `联系方式 ${tag()}`;
  const r = await post({ service_code: 'C0301', lat: '31.2011', long: '121.5378', address_string: '锦绣前城', description: desc,
    first_name: '伟', last_name: '王', phone: '13987654321', email: 'wang@example.com', device_id: 'dev-4411-secret', account_id: 'acct-77' });
  assert.equal(r.status, 200, r.text);
  const code = r.json[0].service_request_id;
  const committee = await login('committee'), committee2 = await login('committee2'), inspector = await login('inspector');
  const handler = await login('handler');
  // A resident of its own (joining would put the problem in the demo resident's list, which other files count).
  const comm = (await api('GET', '/api/v1/orgs?q=由由第五居民区', as(office))).json.items.find((o) => o.kind === 'community').id;
  const rlogin = `o311-res-${tag()}`;
  const made = await api('POST', '/api/v1/accounts', as(admin, { body: { login: rlogin, display_name: '开放接口居民', password: 'o311-secret-123', grants: [{ role: 'resident', org_id: comm }] } }));
  assert.equal(made.status, 201, made.text);
  const resident = await freshLogin(rlogin, 'o311-secret-123');
  const id = (await api('GET', `/api/v1/problems?q=${encodeURIComponent(code)}`, as(office))).json.items[0].id;
  const secrets = ['13987654321', 'wang@example.com', 'dev-4411-secret', 'acct-77', '"伟"', '"王"'];
  for (const who of [office, committee, inspector]) {
    const p = await api('GET', `/api/v1/problems/${id}`, as(who));
    assert.equal(p.status, 200, p.text);
    for (const x of secrets) assert.ok(!p.text.includes(x), `${who.account.login} sees ${x}`);
    assert.equal(p.json.contact.name_masked, '王**');
    assert.equal(p.json.contact.phone_masked, '139****4321');
    assert.equal(p.json.contact.email_masked, 'w***@example.com');
    assert.equal(p.json.contact.device_masked, 'dev-…');
    assert.equal(p.json.contact.can_reveal, who !== inspector);
  }
  // A co-reporter (join) and the handler unit see the problem but not the reporter.
  assert.equal((await api('POST', `/api/v1/problems/${id}/join`, as(resident))).status < 300, true);
  const unit = (await api('GET', '/api/v1/orgs?q=锦绣前城物业', as(committee))).json.items.find((o) => o.kind === 'unit').id;
  assert.equal((await api('POST', `/api/v1/problems/${id}/actions`, as(committee, { body: { action: 'accept' } }))).status, 200);
  assert.equal((await api('POST', `/api/v1/problems/${id}/actions`, as(committee, { body: { action: 'dispatch', handler_org_id: unit } }))).status, 200);
  // A co-reporter gets the public row only (review #2): the detail is 404 to it.
  assert.equal((await api('GET', `/api/v1/problems/${id}`, as(resident))).status, 404);
  for (const who of [handler]) {
    const p = await api('GET', `/api/v1/problems/${id}`, as(who));
    assert.equal(p.status, 200, p.text);
    assert.ok(!('contact' in p.json), who.account.login);
    for (const x of [...secrets, '139****4321', 'w***@']) assert.ok(!p.text.includes(x), `${who.account.login} sees ${x}`);
  }
  // Reveal: office and the 居委 in scope, audited; others 403/404.
  const before = (await api('GET', '/api/v1/audit?action=reveal&resource=problem&limit=200', as(admin))).json.items.length;
  const full = await api('POST', `/api/v1/problems/${id}/contact`, as(committee));
  assert.equal(full.status, 200, full.text);
  assert.deepEqual(full.json, { first_name: '伟', last_name: '王', phone: '13987654321', email: 'wang@example.com', device_id: 'dev-4411-secret', account_id: 'acct-77' });
  assert.equal((await api('POST', `/api/v1/problems/${id}/contact`, as(office))).status, 200);
  const audit = (await api('GET', `/api/v1/audit?action=reveal&resource=problem&resource_id=${id}`, as(admin))).json.items;
  assert.equal(audit.length, 2);
  assert.ok(!JSON.stringify(audit).includes('13987654321'), 'the log says what was read, not the values');
  assert.equal((await api('GET', '/api/v1/audit?action=reveal&resource=problem&limit=200', as(admin))).json.items.length, before + 2);
  assert.equal((await api('POST', `/api/v1/problems/${id}/contact`, as(committee2))).status, 404, 'another 居委');
  for (const who of [inspector, handler, resident]) assert.equal((await api('POST', `/api/v1/problems/${id}/contact`, as(who))).status, 403, who.account.login);
  assert.equal((await api('POST', `/api/v1/problems/${id}/contact`)).status, 401);
  // Non-ASCII contact details are masked by characters, not bytes.
  const cjk = await post({ service_code: 'C0301', address_string: '锦绣前城', description: `中文联系方式 ${tag()}`, email: '张三@例子.中国', device_id: '设备甲乙丙丁戊', first_name: '欧阳' });
  const cid = (await api('GET', `/api/v1/problems?q=${cjk.json[0].service_request_id}`, as(office))).json.items[0].id;
  const cc = (await api('GET', `/api/v1/problems/${cid}`, as(committee))).json.contact;
  assert.deepEqual([cc.name_masked, cc.email_masked, cc.device_masked], ['欧**', '张***@例子.中国', '设备甲乙…']);
  // A problem without contact details, and one that does not exist.
  const plain = await post({ service_code: 'C0301', address_string: '锦绣前城', description: `无联系方式 ${tag()}` });
  const pid = (await api('GET', `/api/v1/problems?q=${plain.json[0].service_request_id}`, as(office))).json.items[0].id;
  assert.equal((await api('POST', `/api/v1/problems/${pid}/contact`, as(committee))).status, 404);
  assert.equal((await api('POST', '/api/v1/problems/99999999/contact', as(office))).status, 404);
  // At rest: neither the history nor the contact row holds the clear values.
  const db = serverDatabase();
  if (db) {
    const sql = (q) => query(db, q);
    const rows = sql(`select data from problem_events where problem_id=${id}; select * from problem_contacts where problem_id=${id};`);
    for (const x of ['13987654321', 'wang@example.com', 'dev-4411-secret', 'acct-77']) assert.ok(!rows.includes(x), x);
    assert.ok(rows.includes('139****4321'));
  }
});

test('the public feed holds citizen tips and Open311 requests only; building and room numbers are stripped (#14)', async () => {
  const all = await o311('GET', `${B}/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2100-01-01T00:00:00Z`);
  assert.equal(all.status, 200);
  assert.ok(all.json.length > 0);
  const staff = await api('GET', '/api/v1/problems?limit=200&source=inspection', as(office));
  assert.ok(staff.json.items.length > 0, 'the demo has inspections');
  const inFeed = new Set(all.json.map((q) => q.service_request_id));
  for (const p of staff.json.items) assert.ok(!inFeed.has(p.code), `inspection ${p.code} is published`);
  checkError(await o311('GET', `${B}/requests/${staff.json.items[0].code}.json`), 404);
  const tips = await api('GET', '/api/v1/problems?limit=5&source=citizen_tip', as(office));
  if (tips.json.items.length) assert.equal((await o311('GET', `${B}/requests/${tips.json.items[0].code}.json`)).status, 200);
  const r = await post({ service_code: 'C0301', lat: '31.2011', long: '121.5378', description: `锦绣前城12号楼502室门口堆物 ${tag()}，电话 138.1234.5678，身份证 3101 1520 0211 2392 49` });
  const one = await o311('GET', `${B}/requests/${r.json[0].service_request_id}.json`);
  const d = one.json[0].description;
  assert.ok(d.startsWith('锦绣前城*号楼*室门口堆物'), d);
  assert.ok(d.includes('138.****.5678') && d.includes('31** **** **** ***2 49'), d);
});

test('routing: an address or a point at a compound or site goes to the 居委 that owns it (coverage 5)', async () => {
  // 锦绣前城 (由由第五居民区): by name with a point elsewhere, and by its point alone.
  const site = (await api('GET', '/api/v1/sites?q=锦绣前城', as(office))).json.items.find((x) => x.name === '锦绣前城');
  const compound = (await api('GET', '/api/v1/orgs?q=锦绣前城&kind=compound', as(office))).json.items[0];
  assert.ok(Math.abs(site.location.lat - compound.lat) < 1e-6 && Math.abs(site.location.lng - compound.lng) < 1e-6,
    `the site ${JSON.stringify(site.location)} and the compound (${compound.lat}, ${compound.lng}) agree`);
  const cases = [
    { address_string: '锦绣前城门口', lat: '31.2300', long: '121.5600' },
    { lat: String(site.location.lat + 0.0005), long: String(site.location.lng - 0.0005) },
    { address_string: '锦绣前城 12号楼' },
  ];
  for (const c of cases) {
    const r = await post({ service_code: 'C0601', description: `电动车乱停 ${tag()}`, ...c });
    assert.equal(r.status, 200, r.text);
    const one = await o311('GET', `${B}/requests/${r.json[0].service_request_id}.json`);
    assert.equal(one.json[0].address, '由由第五居民区', JSON.stringify(c));
  }
  // Every demo site: its point routes to the site's community.
  const sites = (await api('GET', '/api/v1/sites?limit=200', as(office))).json.items.filter((x) => x.location);
  for (const s of sites.slice(0, 8)) {
    const r = await post({ service_code: 'C0601', lat: String(s.location.lat), long: String(s.location.lng), description: `点位 ${tag()}` });
    const one = await o311('GET', `${B}/requests/${r.json[0].service_request_id}.json`);
    assert.equal(one.json[0].address, s.org_name, s.name);
  }
});

test('conformance: 4,000 characters (not bytes), a maximal CJK description fits the body cap, every error in GeoReport format (§1)', async () => {
  const cjk = '楼'.repeat(4000);
  const ok = await post({ service_code: 'C0301', lat: '31.2011', long: '121.5378', description: cjk });
  assert.equal(ok.status, 200, ok.text.slice(0, 300));
  const back = await o311('GET', `${B}/requests/${ok.json[0].service_request_id}.json`);
  assert.equal([...back.json[0].description].length, 4000);
  assert.equal((await post({ service_code: 'C0301', lat: '31.2011', long: '121.5378', description: 'a'.repeat(4000) })).status, 200);
  const long = await post({ service_code: 'C0301', lat: '31.2011', long: '121.5378', description: '楼'.repeat(4001) });
  checkError(long, 400);
  assert.match(long.json[0].description, /4000/);
  // Over the body cap: 413, GeoReport format (JSON and XML).
  const huge = form({ service_code: 'C0301', lat: '31.2', long: '121.5', description: '楼'.repeat(9000) });
  checkError(await o311('POST', `${B}/requests.json`, { body: huge, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 413);
  checkError(await o311('POST', `${B}/requests.xml`, { body: huge, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 413);
  // Methods the route does not have: 405 with Allow, GeoReport format.
  for (const m of ['PUT', 'DELETE', 'PATCH']) {
    const r = await o311(m, `${B}/requests.json`);
    checkError(r, 405);
    assert.match(r.headers.get('allow'), /GET/);
    checkError(await o311(m, `${B}/requests.xml`), 405);
  }
  checkError(await o311('GET', `${B}/requests.json?status=${'x'.repeat(3000)}`), 400);
  // The discovery changeset is the document's last change, not the time of the request.
  const a = await o311('GET', `${B}/discovery.json`);
  await new Promise((res) => setTimeout(res, 1100));
  const b = await o311('GET', `${B}/discovery.json`);
  assert.equal(a.json.changeset, b.json.changeset);
  assert.equal(a.json.endpoints[0].changeset, a.json.changeset);
});

test('anonymous tips count in the KPIs only once accepted; rejected spam never does (#11)', async () => {
  const committee = await login('committee');
  const comm = (await api('GET', '/api/v1/orgs?q=由由第五居民区', as(office))).json.items.find((o) => o.kind === 'community').id;
  const reported = async () => {
    const k = await api('GET', `/api/v1/kpis?org_id=${comm}`, as(office));
    assert.equal(k.status, 200, k.text);
    return k.json.totals.reported;
  };
  const idOf = async (r) => (await api('GET', `/api/v1/problems?q=${r.json[0].service_request_id}`, as(office))).json.items[0].id;
  const before = await reported();
  const spam = await post({ service_code: 'C0301', address_string: '锦绣前城', description: `匿名 ${tag()}` });
  const real = await post({ service_code: 'C0301', address_string: '锦绣前城', description: `匿名 ${tag()}` });
  assert.equal(await reported(), before, 'not counted while unaccepted');
  const act = async (r, body) => assert.equal((await api('POST', `/api/v1/problems/${await idOf(r)}/actions`, as(committee, { body }))).status, 200);
  await act(spam, { action: 'reject', reason: '无效信息' });
  await act(real, { action: 'accept' });
  assert.equal(await reported(), before + 1, 'counted once accepted, the rejected one never');
  const check = await api('GET', '/api/v1/kpis/check', as(admin));
  assert.equal(check.status, 200, check.text);
  assert.equal(check.json.ok, true, JSON.stringify(check.json.mismatches));
});
