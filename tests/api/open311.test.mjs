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
import { ensureServer, api, as, login, tag, REPO } from './harness.mjs';

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
  assert.ok(!('token' in r.json[0]));
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
  const tok = await o311('GET', `${B}/tokens/${id}.json`);
  assert.deepEqual(tok.json, [{ service_request_id: id, token: id }]);
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
  assert.match(xml.text, /<service_requests><request><service_request_id>HM-\d{4}-\d{6}<\/service_request_id><service_notice>/);
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

test('phone and ID numbers typed into a description are masked in public output, kept for staff', async () => {
  const desc = `门口堆物 ${tag()}，联系我 13812345678 或 139-8765-4321，身份证 110105199001011234，12号楼`;
  const r = await post({ service_code: 'C0301', lat: '31.2101', long: '121.5502', description: desc });
  assert.equal(r.status, 200, r.text);
  const id = r.json[0].service_request_id;
  const one = await o311('GET', `${B}/requests/${id}.json`);
  const shown = one.json[0].description;
  assert.ok(shown.includes('138****5678') && shown.includes('139-****-4321') && shown.includes('11*************234'), shown);
  assert.ok(shown.includes('12号楼'), 'other numbers stay');
  for (const secret of ['13812345678', '8765', '19900101']) assert.ok(!one.text.includes(secret), secret);
  const list = await o311('GET', `${B}/requests.xml?service_request_id=${id}`);
  assert.ok(list.text.includes('138****5678') && !list.text.includes('13812345678'));
  const staff = await api('GET', `/api/v1/problems?q=${encodeURIComponent(id)}`, as(office));
  const full = await api('GET', `/api/v1/problems/${staff.json.items[0].id}`, as(office));
  assert.equal(full.json.description, desc, 'staff see what was typed');
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
