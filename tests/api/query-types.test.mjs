// query-types.test.mjs — the typed query parameters of routes.def (ops.c
// renders them into openapi.json; the dispatcher checks them before any
// handler): one bool vocabulary on every route (true/1/false/0 accepted,
// 'yes' refused with 422 naming the field), int bounds, enum refusal with the
// words named, date vs date-time, and the same meaning for 1 and true.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, login, api, as, errorOf, openapi, loginHolding } from './harness.mjs';

await ensureServer();

let admin;
let doc;
before(async () => {
  admin = await login('admin');
  doc = await openapi();
});

// GET routes without path parameters and their query parameters of a type.
function paramsOfType(type) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const op = item.get;
    if (!op || path.includes('{')) continue;
    for (const p of op.parameters || [])
      if (p.in === 'query' && p.schema?.['x-query-type'] === type) out.push({ path, name: p.name, schema: p.schema, permission: op['x-permission'] });
  }
  return out;
}
// The account to send for a path: one whose role holds the route's permission.
const sessionFor = (path) => loginHolding(doc.paths[path].get['x-permission']);
const refusedNaming = (r, name) => r.status === 422 && (errorOf(r).fields || []).some((f) => f.field === name);

test('every query parameter in openapi.json carries its declared type', () => {
  let n = 0;
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item))
      for (const p of (op.parameters || []).filter((x) => x.in === 'query')) {
        n++;
        assert.ok(p.schema?.['x-query-type'], `${op.operationId} ${p.name}: no x-query-type`);
        if (p.schema['x-query-type'] === 'int') assert.ok(Number.isInteger(p.schema.minimum) && Number.isInteger(p.schema.maximum), `${op.operationId} ${p.name}`);
        if (p.schema['x-query-type'] === 'enum') assert.ok(p.schema.enum.length >= 2, `${op.operationId} ${p.name}`);
        if (p.schema['x-query-type'] === 'text') assert.ok(p.schema.maxLength > 0, `${op.operationId} ${p.name}`);
      }
  assert.ok(n > 100, `${n} query parameters`);
});

test('one bool vocabulary: true/1/false/0 accepted and yes refused on every bool parameter', async () => {
  const bools = paramsOfType('bool');
  assert.ok(bools.length >= 8, `${bools.length} bool parameters`);
  for (const { path, name } of bools) {
    for (const v of ['true', '1', 'false', '0']) {
      const r = await api('GET', `${path}?${name}=${v}`, as(await sessionFor(path)));
      assert.ok(r.status < 500 && !refusedNaming(r, name), `${path}?${name}=${v} → ${r.status} ${r.text.slice(0, 160)}`);
    }
    for (const v of ['yes', 'no', 'TRUE', '2']) {
      const r = await api('GET', `${path}?${name}=${v}`, as(await sessionFor(path)));
      assert.ok(refusedNaming(r, name), `${path}?${name}=${v} → ${r.status} ${r.text.slice(0, 160)}`);
      assert.equal(errorOf(r).fields.find((f) => f.field === name).code, 'invalid');
    }
  }
});

test('1 means what true means, 0 what false means', async () => {
  for (const [path, name] of [['/api/v1/notifications', 'unread'], ['/api/v1/bank/items', 'all'], ['/api/v1/bank/family', 'manage'], ['/api/v1/categories', 'all'], ['/api/v1/sites', 'active']]) {
    for (const [a, b] of [['1', 'true'], ['0', 'false']]) {
      const x = await api('GET', `${path}?${name}=${a}`, as(await sessionFor(path)));
      const y = await api('GET', `${path}?${name}=${b}`, as(await sessionFor(path)));
      assert.equal(x.status, 200, `${path}?${name}=${a}: ${x.text.slice(0, 160)}`);
      assert.deepEqual(x.json.items, y.json.items, `${path}?${name}=${a} vs ${b}`);
    }
  }
  // sites' active also takes "all" (bool(all)); other bools do not.
  assert.equal((await api('GET', '/api/v1/sites?active=all', as(admin))).status, 200);
  assert.ok(refusedNaming(await api('GET', '/api/v1/notifications?unread=all', as(admin)), 'unread'));
});

test('int bounds from the declaration', async () => {
  const cases = [
    ['/api/v1/problems', 'limit', 1, 200], ['/api/v1/problems/map', 'limit', 1, 5000], ['/api/v1/problems/feed', 'limit', 1, 100],
    ['/api/v1/rankings', 'top', 1, 50], ['/api/v1/calendar', 'year', 1900, 9999],
  ];
  for (const [path, name, min, max] of cases) {
    const schema = doc.paths[path].get.parameters.find((p) => p.name === name).schema;
    assert.deepEqual([schema.minimum, schema.maximum], [min, max], `${path} ${name}`);
    for (const v of [min - 1, max + 1, 'x', '1.0']) {
      const r = await api('GET', `${path}?${name}=${v}`, as(await sessionFor(path)));
      assert.ok(refusedNaming(r, name), `${path}?${name}=${v} → ${r.status}`);
      if (typeof v === 'number') assert.match(errorOf(r).fields[0].message, new RegExp(`${min}.*${max}`));
    }
    for (const v of [min, max]) assert.equal((await api('GET', `${path}?${name}=${v}`, as(await sessionFor(path)))).status, 200, `${path}?${name}=${v}`);
  }
});

test('enums: a word not declared is refused naming the field and the words; each declared word is accepted', async () => {
  const enums = paramsOfType('enum');
  assert.ok(enums.length >= 10, `${enums.length} enum parameters`);
  for (const { path, name, schema } of enums) {
    const r = await api('GET', `${path}?${name}=zz_nope`, as(await sessionFor(path)));
    assert.ok(refusedNaming(r, name), `${path}?${name}=zz_nope → ${r.status} ${r.text.slice(0, 160)}`);
    const msg = errorOf(r).fields.find((f) => f.field === name).message;
    for (const w of schema.enum) assert.ok(msg.includes(w), `${path} ${name}: "${msg}" does not name ${w}`);
    for (const w of schema.enum) {
      const ok = await api('GET', `${path}?${name}=${w}`, as(await sessionFor(path)));
      assert.ok(ok.status < 500 && !refusedNaming(ok, name), `${path}?${name}=${w} → ${ok.status} ${ok.text.slice(0, 160)}`);
    }
  }
});

test('dates: YYYY-MM-DD only on a date parameter, also RFC 3339 on a date-time one', async () => {
  const dates = paramsOfType('date');
  assert.ok(dates.length >= 6, `${dates.length} date parameters`);
  for (const { path, name } of dates)
    for (const v of ['2026-02-30', '2026-2-01', 'tomorrow', '2026-12-01T00:00:00%2B08:00'])
      assert.ok(refusedNaming(await api('GET', `${path}?${name}=${v}`, as(await sessionFor(path))), name), `${path}?${name}=${v}`);
  assert.equal((await api('GET', '/api/v1/records?from=2026-12-01', as(admin))).status, 200);
  assert.equal((await api('GET', '/api/v1/problems?from=2026-12-01T00:00:00%2B08:00', as(admin))).status, 200);
  assert.equal((await api('GET', '/api/v1/problems?from=2026-12-01', as(admin))).status, 200);
  for (const v of ['2026-02-30', '2026-12-01T00:00:00', 'tomorrow'])
    assert.ok(refusedNaming(await api('GET', `/api/v1/problems?from=${v}`, as(admin)), 'from'), v);
});

test('text caps: over the declared length is refused as too_long', async () => {
  const r = await api('GET', `/api/v1/people?q=${encodeURIComponent('文'.repeat(101))}`, as(admin));
  assert.ok(refusedNaming(r, 'q'), r.text);
  assert.equal(errorOf(r).fields[0].code, 'too_long');
  assert.equal((await api('GET', `/api/v1/people?q=${encodeURIComponent('文'.repeat(100))}`, as(admin))).status, 200);
});
