// sites.test.mjs — issue 5 (SPEC §4): sites (点位) CRUD, scope and bad input;
// the shipped site types and checklists, checklist versioning; an inspection
// whose failed items raise exactly those problems, atomically (a failure
// part-way creates no inspection and no problem); a 咬尾巴 round from creation
// to ranking and its reverse; daily tasks missed under the injected clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { ensureServer, api, as, login, orgId, tag, makePng, errorOf, clockIso, clockNow } from './harness.mjs';
import { unzip, cells, assertDateCell } from './xlsx-read.mjs';

await ensureServer();

let admin, office, committee, committee2, inspector, handler, volunteer, resident;
let street, yy5, yy8, wt, qc, wuye;

before(async () => {
  [admin, office, committee, committee2, inspector, handler, volunteer, resident] = await Promise.all(
    ['admin', 'office', 'committee', 'committee2', 'inspector', 'handler', 'volunteer', 'resident'].map((l) => login(l)));
  street = await orgId('花木街道');
  yy5 = await orgId('由由第五居民区');
  yy8 = await orgId('由由第八居民区');
  wt = await orgId('梧桐居民区');
  qc = await orgId('前程居民区');
  wuye = await orgId('锦绣前城物业');
});

after(async () => {
  // Other files run after this one: give them the real clock back.
  await api('PUT', '/api/v1/system/clock', as(admin, { body: { now: clockIso() } }));
});

const fieldsOf = (r) => (errorOf(r).fields || []).map((f) => f.field);

async function mkSite(who, body) {
  const r = await api('POST', '/api/v1/sites', as(who, { body: { name: `点位-${tag()}`, site_type: 'S01', ...body } }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}
async function checklist(typeId, version) {
  const r = await api('GET', `/api/v1/site-types/${typeId}/checklist${version ? `?version=${version}` : ''}`, as(admin));
  assert.equal(r.status, 200, r.text);
  return r.json;
}
async function typeId(code) {
  const r = await api('GET', '/api/v1/site-types', as(resident));
  assert.equal(r.status, 200, r.text);
  return r.json.items.find((t) => t.code === code).id;
}
async function photo(who) {
  const r = await api('POST', '/api/v1/photos', as(who, { body: makePng(), headers: { 'Content-Type': 'image/png' } }));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
const pass = (i) => ({ item_id: i.id, result: i.grading === 'abc' ? 'A' : 'pass' });
async function problemCount(source = 'inspection') {
  let n = 0;
  let cursor = null;
  for (;;) {
    const r = await api('GET', `/api/v1/problems?source=${source}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, as(admin));
    assert.equal(r.status, 200, r.text);
    n += r.json.items.length;
    if (!r.json.next_cursor) return n;
    cursor = r.json.next_cursor;
  }
}

test('the shipped site types and checklists (defaults.md) are loaded', async () => {
  const r = await api('GET', '/api/v1/site-types', as(resident));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 14);
  const s01 = r.json.items.find((t) => t.code === 'S01');
  assert.equal(s01.name, '居民小区');
  assert.equal(s01.item_count, 10);
  assert.ok(r.json.items.every((t) => t.item_count >= 5 && t.item_count <= 10), 'every type has 5–10 items');
  assert.equal(r.json.items.find((t) => t.code === 'S13').optional, true);
  const cl = await checklist(s01.id);
  assert.equal(cl.version, 1);
  assert.equal(cl.current, true);
  const stairs = cl.items.find((i) => i.text.startsWith('楼道无堆物'));
  assert.equal(stairs.category, 'C0301');
  assert.equal(stairs.photo_required, true);
  assert.ok(cl.items.some((i) => i.grading === 'abc'));
  assert.equal((await api('GET', '/api/v1/site-types/999/checklist', as(admin))).status, 404);
  assert.equal((await api('GET', `/api/v1/site-types/${s01.id}/checklist?version=99`, as(admin))).status, 404);
  assert.equal((await api('GET', `/api/v1/site-types/${s01.id}/checklist?version=x`, as(admin))).status, 422);
});

test('sites: create, read, update, list with filters, export; scope per community and 包保单位', async () => {
  const code = `T-${tag()}`;
  const s = await mkSite(committee, { code, name: `测试小区-${tag()}`, org_id: yy5, unit_org_id: wuye, responsible: '王主任', address: '锦绣路 100 号', location: { lat: 31.21, lng: 121.55 } });
  assert.equal(s.org_id, yy5);
  assert.equal(s.unit_name, '锦绣前城物业');
  assert.equal(s.site_type, 'S01');
  assert.deepEqual(s.location, { lat: 31.21, lng: 121.55 });
  assert.equal(s.page, `/#/sites/${s.id}`);
  assert.equal(s.active, true);
  // Seen by the community's roles, the 包保单位 (handler), staff; not by another 居委.
  for (const who of [admin, office, committee, inspector, handler, volunteer, resident])
    assert.equal((await api('GET', `/api/v1/sites/${s.id}`, as(who))).status, 200);
  assert.equal((await api('GET', `/api/v1/sites/${s.id}`, as(committee2))).status, 404);
  const l2 = await api('GET', `/api/v1/sites?q=${encodeURIComponent(s.name)}`, as(committee2));
  assert.equal(l2.json.items.length, 0);
  // A site of another community without our unit: the handler does not see it.
  const other = await mkSite(committee2, { org_id: wt });
  assert.equal((await api('GET', `/api/v1/sites/${other.id}`, as(handler))).status, 404);
  assert.equal((await api('GET', `/api/v1/sites/${other.id}`, as(committee))).status, 404);
  // A 居委 registers sites only in its own community.
  const out = await api('POST', '/api/v1/sites', as(committee, { body: { name: 'x', site_type: 'S01', org_id: wt } }));
  assert.equal(out.status, 422);
  assert.ok(errorOf(out).fields.some((f) => f.field === 'org_id' && f.code === 'forbidden_scope'), out.text);
  assert.equal((await api('PATCH', `/api/v1/sites/${other.id}`, as(committee, { body: { name: 'y' } }))).status, 404);
  // Update and deactivate.
  const u = await api('PATCH', `/api/v1/sites/${s.id}`, as(committee, { body: { responsible: '李主任', location: null } }));
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.responsible, '李主任');
  assert.equal(u.json.location, null);
  assert.equal(u.json.address, '锦绣路 100 号');
  // Filters.
  const byType = await api('GET', `/api/v1/sites?type=S01&org_id=${yy5}&limit=200`, as(office));
  assert.ok(byType.json.items.some((x) => x.id === s.id));
  assert.ok(byType.json.items.every((x) => x.site_type === 'S01' && x.org_id === yy5));
  const byUnit = await api('GET', `/api/v1/sites?unit_org_id=${wuye}`, as(handler));
  assert.ok(byUnit.json.items.some((x) => x.id === s.id));
  assert.ok(byUnit.json.items.every((x) => x.unit_org_id === wuye));
  const byCode = await api('GET', `/api/v1/sites?q=${code}`, as(admin));
  assert.deepEqual(byCode.json.items.map((x) => x.id), [s.id]);
  const off = await api('PATCH', `/api/v1/sites/${s.id}`, as(committee, { body: { active: false } }));
  assert.equal(off.json.active, false);
  assert.equal((await api('GET', `/api/v1/sites?q=${code}`, as(admin))).json.items.length, 0);
  assert.equal((await api('GET', `/api/v1/sites?q=${code}&active=false`, as(admin))).json.items.length, 1);
  assert.equal((await api('GET', `/api/v1/sites?q=${code}&active=all`, as(admin))).json.items.length, 1);
  await api('PATCH', `/api/v1/sites/${s.id}`, as(committee, { body: { active: true } }));
  // Export as CSV (BOM, header, the row).
  const csv = await api('GET', `/api/v1/sites/export?org_id=${yy5}`, as(office));
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.ok(csv.text.includes('id,code,name,site_type,org_id'), csv.text.slice(0, 100));
  assert.ok(csv.text.includes(code));
  // Paging.
  const p1 = await api('GET', '/api/v1/sites?limit=1', as(admin));
  assert.equal(p1.json.items.length, 1);
  assert.ok(p1.json.next_cursor);
  const p2 = await api('GET', `/api/v1/sites?limit=1&cursor=${p1.json.next_cursor}`, as(admin));
  assert.ok(p2.json.items[0].id > p1.json.items[0].id);
});

test('sites: CSV import (create and update by code, all or nothing) and QR codes', async () => {
  const code = `IMP-${tag()}`;
  const csv = `code,name,site_type,org_name,unit_name,responsible,address,lat,lng,active\r\n${code},导入的公交站,S06,由由第五居民区,锦绣前城物业,赵站长,"浦东南路 1 号, 近地铁",31.22,121.54,1\r\n`;
  const r = await api('POST', '/api/v1/sites/import', as(committee, { body: csv, headers: { 'Content-Type': 'text/csv' } }));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { created: 1, updated: 0 });
  const got = (await api('GET', `/api/v1/sites?q=${code}`, as(committee))).json.items[0];
  assert.equal(got.name, '导入的公交站');
  assert.equal(got.address, '浦东南路 1 号, 近地铁');
  assert.equal(got.unit_name, '锦绣前城物业');
  assert.deepEqual(got.location, { lat: 31.22, lng: 121.54 });
  // The export, edited, imported again: updates by id.
  const exp = await api('GET', `/api/v1/sites/export?q=${code}`, as(committee));
  const edited = exp.text.replace('赵站长', '钱站长');
  const r2 = await api('POST', '/api/v1/sites/import', as(committee, { body: edited, headers: { 'Content-Type': 'text/csv' } }));
  assert.equal(r2.status, 200, r2.text);
  assert.deepEqual(r2.json, { created: 0, updated: 1 });
  assert.equal((await api('GET', `/api/v1/sites/${got.id}`, as(committee))).json.responsible, '钱站长');
  // A non-character (U+FFFF) in a cell: the whole file is refused (security #12).
  const nc = await api('POST', '/api/v1/sites/import', as(committee, { body: csv.replace('导入的公交站', '导入\uffff'), headers: { 'Content-Type': 'text/csv' } }));
  assert.equal(nc.status, 422, nc.text);
  assert.ok(fieldsOf(nc).includes('row 2.name'), nc.text);
  // One bad row (another community, an unknown type, bad GPS): nothing is imported.
  const bad = `code,name,site_type,org_name,lat,lng\nOK-${tag()},好的,S06,由由第五居民区,,\nB-${tag()},别人的,S06,梧桐居民区,,\nC-${tag()},坏的,S99,由由第五居民区,north,121\n`;
  const r3 = await api('POST', '/api/v1/sites/import', as(committee, { body: bad, headers: { 'Content-Type': 'text/csv' } }));
  assert.equal(r3.status, 422, r3.text);
  assert.deepEqual(fieldsOf(r3).sort(), ['row 3.org_id', 'row 4.location', 'row 4.site_type']);
  assert.equal((await api('GET', '/api/v1/sites?q=好的', as(committee))).json.items.length, 0);
  assert.equal((await api('POST', '/api/v1/sites/import', as(committee, { body: '{}', headers: { 'Content-Type': 'application/json' } }))).status, 415);
  // QR codes: PNG, SVG and the A4 sheet, holding the site page's URL.
  const png = await fetch(`${process.env.WENMING_URL}/api/v1/sites/${got.id}/qr.png?px=4`, { headers: { Authorization: `Bearer ${committee.token}` } });
  assert.equal(png.status, 200);
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.equal(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString(), 'PNG');
  const svg = await api('GET', `/api/v1/sites/${got.id}/qr.svg`, as(resident));
  assert.equal(svg.status, 200);
  assert.match(svg.text, /^<\?xml|<svg/);
  assert.equal((await api('GET', `/api/v1/sites/${got.id}/qr.svg`, as(committee2))).status, 404);
  assert.equal((await api('GET', `/api/v1/sites/${got.id}/qr.png?px=99`, as(committee))).status, 422);
  const pdf = await fetch(`${process.env.WENMING_URL}/api/v1/sites/qr-sheet?org_id=${yy5}&type=S06`, { headers: { Authorization: `Bearer ${office.token}` } });
  assert.equal(pdf.status, 200);
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  assert.equal((await api('GET', '/api/v1/sites/qr-sheet?q=NO-SUCH-SITE-EVER', as(office))).status, 404);
});

// A minimal .xlsx (a zip of deflated XML parts, inline strings) for the import.
const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => { let c = 0xffffffff; for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
function zip(files) {
  const locals = [], centrals = [];
  let off = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text), comp = zlib.deflateRawSync(data), nm = Buffer.from(name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0); h.writeUInt16LE(20, 4); h.writeUInt16LE(0x0800, 6); h.writeUInt16LE(8, 8);
    h.writeUInt32LE(crc32(data), 14); h.writeUInt32LE(comp.length, 18); h.writeUInt32LE(data.length, 22); h.writeUInt16LE(nm.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt16LE(0x0800, 8); c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc32(data), 16); c.writeUInt32LE(comp.length, 20); c.writeUInt32LE(data.length, 24); c.writeUInt16LE(nm.length, 28);
    c.writeUInt32LE(off, 42);
    locals.push(h, nm, comp);
    centrals.push(c, nm);
    off += 30 + nm.length + comp.length;
  }
  const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(files).length, 8); end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, end]);
}
function xlsx(rows) {
  const esc = (v) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const col = (i) => String.fromCharCode(65 + i);
  const sheet = rows.map((r, y) => `<row r="${y + 1}">${r.map((v, x) => (typeof v === 'number'
    ? `<c r="${col(x)}${y + 1}"><v>${v}</v></c>`
    : `<c r="${col(x)}${y + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`)).join('')}</row>`).join('');
  return zip({
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml': '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="点位" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheet}</sheetData></worksheet>`,
  });
}

test('sites: XLSX import (the first sheet, same columns)', async () => {
  const code = `X-${tag()}`;
  const body = xlsx([
    ['code', 'name', 'site_type', 'org_id', 'responsible', 'lat', 'lng'],
    [code, 'Excel 导入的背街小巷', 'S03', yy5, '孙组长', 31.215, 121.551],
    [`${code}b`, 'Excel 导入的公园', 'S07', yy5, '', '', ''],
  ]);
  const r = await api('POST', '/api/v1/sites/import', as(office, { body, headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { created: 2, updated: 0 });
  const s = (await api('GET', `/api/v1/sites?q=${code}`, as(office))).json.items[0];
  assert.equal(s.name, 'Excel 导入的背街小巷');
  assert.equal(s.site_type, 'S03');
  assert.equal(s.responsible, '孙组长');
  assert.deepEqual(s.location, { lat: 31.215, lng: 121.551 });
  // Not a zip: 400 with the reader's message.
  const bad = await api('POST', '/api/v1/sites/import', as(office, { body: Buffer.from('not a zip file'), headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }));
  assert.equal(bad.status, 400, bad.text);
});

test('sites: bad input is refused with every field error at once', async () => {
  const taken = await mkSite(admin, { code: `C-${tag()}`, org_id: yy5 });
  const r = await api('POST', '/api/v1/sites', as(admin, { body: { code: taken.code, name: 'x', site_type: 'S99', org_id: 99999999, unit_org_id: 99999999, location: { lat: 95, lng: 0 } } }));
  assert.equal(r.status, 422);
  assert.deepEqual(fieldsOf(r).sort(), ['code', 'location', 'org_id', 'site_type', 'unit_org_id']);
  const bin = await orgId('锦绣前城');	// a compound is fine
  assert.equal((await api('POST', '/api/v1/sites', as(admin, { body: { name: 'x', site_type: 'S01', org_id: bin } }))).status, 201);
  const unit = await api('POST', '/api/v1/sites', as(admin, { body: { name: 'x', site_type: 'S01', org_id: wuye } }));
  assert.equal(unit.status, 422, 'a unit is not a responsible community');
  assert.equal((await api('GET', '/api/v1/sites?type=NOPE', as(admin))).status, 422);
  assert.equal((await api('GET', '/api/v1/sites?active=maybe', as(admin))).status, 422);
  assert.equal((await api('GET', '/api/v1/sites/99999999', as(admin))).status, 404);
  assert.equal((await api('PATCH', '/api/v1/sites/99999999', as(admin, { body: { name: 'x' } }))).status, 404);
});

test('an inspection: score rate with weights, grades and N/A; exactly one problem per failed item, pre-filled', async () => {
  const site = await mkSite(committee, { org_id: yy5, location: { lat: 31.2101, lng: 121.5502 }, address: '由由路 5 号' });
  const cl = await checklist(site.site_type_id);
  const before = await problemCount();
  const ph = await photo(committee);
  const stairs = cl.items.find((i) => i.category === 'C0301');
  const bikes = cl.items.find((i) => i.category === 'C0601');
  const ads = cl.items.find((i) => i.grading === 'abc');
  const board = cl.items.find((i) => i.category === 'C15');
  const results = cl.items.map((i) => {
    if (i === stairs) return { item_id: i.id, result: 'fail', note: '3 楼楼道堆放纸箱', photos: [ph] };
    if (i === bikes) return { item_id: i.id, result: 'fail', photos: [ph] };
    if (i === ads) return { item_id: i.id, result: 'B' };
    if (i === board) return { item_id: i.id, result: 'na' };
    return pass(i);
  });
  const r = await api('POST', '/api/v1/inspections', as(committee, {
    body: { site_id: site.id, kind: 'self_check', inspectors: ['王主任', '张志愿'], started_at: new Date(clockNow() - 600000).toISOString(), ended_at: clockIso(), location: { lat: 31.21, lng: 121.55 }, notes: '例行自查', results },
    headers: { 'Idempotency-Key': `insp-${tag()}` },
  }));
  assert.equal(r.status, 201, r.text);
  const n = r.json;
  assert.equal(n.kind, 'self_check');
  assert.equal(n.failed, 2);
  assert.deepEqual(n.inspectors, ['王主任', '张志愿']);
  assert.equal(n.checklist_version, 1);
  // Expected rate from the weights: N/A out of the denominator, B = 66 %.
  let got = 0, total = 0;
  for (const i of cl.items) {
    if (i === board) continue;
    total += i.weight;
    got += i.weight * (i === stairs || i === bikes ? 0 : i === ads ? 0.66 : 1);
  }
  assert.equal(n.score_rate, Math.round((got / total) * 10000) / 100);
  const raised = n.results.filter((x) => x.problem_id);
  assert.deepEqual(raised.map((x) => x.item_id).sort(), [stairs.id, bikes.id].sort());
  assert.equal(await problemCount(), before + 2);
  for (const x of raised) {
    const p = await api('GET', `/api/v1/problems/${x.problem_id}`, as(committee));
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.source, 'inspection');
    assert.equal(p.json.site_id, site.id);
    assert.equal(p.json.org_id, yy5);
    assert.equal(p.json.category, x.item_id === stairs.id ? 'C0301' : 'C0601');
    assert.deepEqual(p.json.location, { lat: 31.21, lng: 121.55 });
    assert.ok(p.json.description.includes(site.name));
    assert.equal(p.json.photos.length, 1, JSON.stringify(p.json.photos));
  }
  assert.ok(raised.find((x) => x.item_id === stairs.id).problem_code);
  // Read back; listed under the site; the site shows its last score.
  const g = await api('GET', `/api/v1/inspections/${n.id}`, as(volunteer));
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.results.length, cl.items.length);
  assert.equal((await api('GET', `/api/v1/inspections/${n.id}`, as(committee2))).status, 404);
  const list = await api('GET', `/api/v1/inspections?site_id=${site.id}`, as(committee));
  assert.deepEqual(list.json.items.map((x) => x.id), [n.id]);
  assert.equal((await api('GET', `/api/v1/inspections?kind=self_check&org_id=${yy5}&limit=5`, as(office))).status, 200);
  assert.equal((await api('GET', '/api/v1/inspections?kind=nope', as(office))).status, 422);
  assert.equal((await api('GET', `/api/v1/sites/${site.id}`, as(committee))).json.last_score_rate, n.score_rate);
});

test('an inspection is all or nothing: an inactive category or a bad photo → 422, no inspection, no problem', async () => {
  // A checklist version whose second item raises a category we then switch off.
  const code = `I${tag('').slice(-9)}`;
  const c = await api('POST', '/api/v1/categories', as(admin, { body: { code, name: `原子性测试-${tag()}`, deadline_amount: 24, deadline_unit: 'cal_hours' } }));
  assert.equal(c.status, 201, c.text);
  const tid = await typeId('S14');
  const put = await api('PUT', `/api/v1/site-types/${tid}/checklist`, as(admin, { body: { note: '原子性测试', items: [
    { text: '未成年人禁入标志', category: 'C15', weight: 2 },
    { text: '测试条目', category: code },
    { text: '证照齐全', category: 'C15', photo_required: true },
  ] } }));
  assert.equal(put.status, 200, put.text);
  const [a, b, d] = put.json.items;
  const site = await mkSite(admin, { org_id: yy5, site_type: 'S14' });
  assert.equal((await api('PATCH', `/api/v1/categories/${c.json.id}`, as(admin, { body: { active: false } }))).status, 200);
  const ph = await photo(admin);
  const before = await problemCount();
  const send = (results) => api('POST', '/api/v1/inspections', as(admin, { body: { site_id: site.id, kind: 'supervision', results } }));
  // The first failed item would be fine; the second's category is inactive.
  const r1 = await send([{ item_id: a.id, result: 'fail' }, { item_id: b.id, result: 'fail' }, { item_id: d.id, result: 'pass' }]);
  assert.equal(r1.status, 422, r1.text);
  assert.ok(fieldsOf(r1).some((f) => f.startsWith('results[1].') && f.includes('category')), r1.text);
  // A photo that does not exist (or is someone else's).
  const other = await photo(committee);
  const r2 = await send([{ item_id: a.id, result: 'fail', photos: [ph] }, { item_id: b.id, result: 'pass' }, { item_id: d.id, result: 'fail', photos: [99999999] }]);
  assert.equal(r2.status, 422, r2.text);
  const r3 = await send([{ item_id: a.id, result: 'fail', photos: [other] }, { item_id: b.id, result: 'pass' }, { item_id: d.id, result: 'pass' }]);
  assert.equal(r3.status, 422, r3.text);
  // A photo-required item failed without a photo; a grade of the wrong mode; a missing and a foreign item.
  const r4 = await send([{ item_id: a.id, result: 'A' }, { item_id: d.id, result: 'fail' }, { item_id: 1, result: 'pass' }]);
  assert.equal(r4.status, 422, r4.text);
  assert.deepEqual(fieldsOf(r4).sort(), ['results.item_' + b.id, 'results[0].result', 'results[1].photos', 'results[2].item_id'].sort());
  assert.equal(await problemCount(), before, 'no problem was created');
  assert.equal((await api('GET', `/api/v1/inspections?site_id=${site.id}`, as(admin))).json.items.length, 0, 'no inspection was created');
  // With the category back on, the same submission goes through.
  await api('PATCH', `/api/v1/categories/${c.json.id}`, as(admin, { body: { active: true } }));
  const ok = await send([{ item_id: a.id, result: 'fail' }, { item_id: b.id, result: 'fail' }, { item_id: d.id, result: 'na' }]);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.score_rate, 0);
  assert.equal(await problemCount(), before + 2);
  // All N/A: no rate (not 0, not 100).
  const na = await send([{ item_id: a.id, result: 'na' }, { item_id: b.id, result: 'na' }, { item_id: d.id, result: 'na' }]);
  assert.equal(na.status, 201, na.text);
  assert.equal(na.json.score_rate, null);
});

test('joint enforcement: numbered rectification notices and confiscated items; other kinds may not issue them', async () => {
  const site = await mkSite(admin, { org_id: yy5, site_type: 'S12' });
  const cl = await checklist(site.site_type_id);
  const body = (kind) => ({ site_id: site.id, kind, notices: 2, confiscated: 5, results: cl.items.map(pass) });
  const bad = await api('POST', '/api/v1/inspections', as(office, { body: body('supervision') }));
  assert.equal(bad.status, 422);
  assert.deepEqual(fieldsOf(bad).sort(), ['confiscated', 'notices']);
  const r = await api('POST', '/api/v1/inspections', as(office, { body: body('joint_enforcement') }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.confiscated, 5);
  assert.equal(r.json.notices.length, 2);
  assert.match(r.json.notices[0], /^整改通知单 \d{4}-\d{4}$/);
  assert.notEqual(r.json.notices[0], r.json.notices[1]);
});

test('checklist versioning: an edit makes a new version; past inspections keep theirs', async () => {
  const tid = await typeId('S11');
  const v1 = await checklist(tid);
  const site = await mkSite(admin, { org_id: yy5, site_type: 'S11' });
  const old = await api('POST', '/api/v1/inspections', as(admin, { body: { site_id: site.id, kind: 'supervision', results: v1.items.map(pass) } }));
  assert.equal(old.status, 201, old.text);
  // Only staff edit checklists; every item is checked.
  assert.equal((await api('PUT', `/api/v1/site-types/${tid}/checklist`, as(committee, { body: { items: [{ text: 'x' }] } }))).status, 403);
  const badPut = await api('PUT', `/api/v1/site-types/${tid}/checklist`, as(admin, { body: { items: [{ text: 'x', grading: 'stars', weight: 0, category: 'NOPE' }, { weight: 2 }] } }));
  assert.equal(badPut.status, 422);
  assert.deepEqual(fieldsOf(badPut).sort(), ['items[0].category', 'items[0].grading', 'items[0].weight', 'items[1].text']);
  const items = [...v1.items.slice(1).map((i) => ({ text: i.text, weight: i.weight, grading: i.grading, photo_required: i.photo_required, category: i.category })), { text: '夜间施工噪声公示', grading: 'abc', weight: 1.5, category: 'C15' }];
  const put = await api('PUT', `/api/v1/site-types/${tid}/checklist`, as(office, { body: { note: '2026 年版', items } }));
  assert.equal(put.status, 200, put.text);
  assert.ok(put.json.version > v1.version);
  assert.equal(put.json.items.length, v1.items.length);
  assert.equal(put.json.items.at(-1).weight, 1.5);
  const current = await checklist(tid);
  assert.equal(current.version, put.json.version);
  assert.equal(current.items[0].text, v1.items[1].text);
  // The old version is unchanged and still readable; the old inspection points at it.
  const again = await checklist(tid, v1.version);
  assert.deepEqual(again.items, v1.items);
  assert.equal(again.current, false);
  const oldRead = await api('GET', `/api/v1/inspections/${old.json.id}`, as(admin));
  assert.equal(oldRead.json.checklist_version, v1.version);
  assert.deepEqual(oldRead.json.results.map((x) => x.text), v1.items.map((i) => i.text));
  const versions = await api('GET', `/api/v1/site-types/${tid}/versions`, as(inspector));
  assert.equal(versions.status, 200);
  assert.ok(versions.json.items.find((v) => v.version === v1.version).inspection_count >= 1);
  // New inspections use the current version; answers against the old version are still accepted.
  const cur = await api('POST', '/api/v1/inspections', as(admin, { body: { site_id: site.id, kind: 'supervision', results: current.items.map(pass) } }));
  assert.equal(cur.status, 201, cur.text);
  assert.equal(cur.json.checklist_version, current.version);
  const stale = await api('POST', '/api/v1/inspections', as(admin, { body: { site_id: site.id, kind: 'supervision', checklist_id: v1.id, results: v1.items.map(pass) } }));
  assert.equal(stale.status, 201, stale.text);
  assert.equal(stale.json.checklist_version, v1.version);
  // Answers of the new version against the old: refused.
  const mixed = await api('POST', '/api/v1/inspections', as(admin, { body: { site_id: site.id, kind: 'supervision', checklist_id: v1.id, results: current.items.map(pass) } }));
  assert.equal(mixed.status, 422);
});

test('a 咬尾巴 round: ring pairs, inspections by the inspecting 居委, progress, ranking, xlsx, the reverse round', async () => {
  // Sites in the inspected communities.
  const s8 = await mkSite(admin, { org_id: yy8, site_type: 'S03', name: `由由八村背街-${tag()}` });
  const s8b = await mkSite(admin, { org_id: yy8, site_type: 'S06' });
  const sWt = await mkSite(admin, { org_id: wt, site_type: 'S03' });
  const name = `5月11日 咬尾巴突击检查 ${tag()}`;
  // Only staff run rounds; a ring needs distinct orgs inside the scope.
  assert.equal((await api('POST', '/api/v1/rounds', as(committee, { body: { name, mode: 'ring', scope_org_id: street, org_ids: [yy5, yy8] } }))).status, 403);
  const bad = await api('POST', '/api/v1/rounds', as(office, { body: { name, mode: 'ring', scope_org_id: street, org_ids: [yy5, yy5] } }));
  assert.equal(bad.status, 422);
  const outside = await api('POST', '/api/v1/rounds', as(office, { body: { name, mode: 'ring', scope_org_id: yy5, org_ids: [yy5, yy8] } }));
  assert.equal(outside.status, 422, outside.text);
  const r = await api('POST', '/api/v1/rounds', as(office, { body: { name, mode: 'ring', scope_org_id: street, org_ids: [yy5, yy8, wt, qc], starts_on: '2026-05-11', ends_on: '2026-05-12' } }));
  assert.equal(r.status, 201, r.text);
  const round = r.json;
  assert.equal(round.kind, 'cross_inspection');
  assert.equal(round.starts_on, '2026-05-11');
  assert.deepEqual(round.pairs.map((p) => [p.inspector_org_id, p.inspected_org_id]), [[yy5, yy8], [yy8, wt], [wt, qc], [qc, yy5]]);
  const pair = (a, b) => round.pairs.find((p) => p.inspector_org_id === a && p.inspected_org_id === b);
  assert.ok(pair(yy5, yy8).site_count >= 2);
  // The 由由第五 居委 inspects 由由第八's sites through its pair; 梧桐 may not.
  const cl3 = await checklist(s8.site_type_id);
  const dirty = cl3.items.find((i) => i.category === 'C0101');
  const posters = cl3.items.find((i) => i.category === 'C07');
  const ph = await photo(committee);
  const results = cl3.items.map((i) => (i === dirty ? { item_id: i.id, result: 'fail', photos: [ph] } : i === posters ? { item_id: i.id, result: 'fail' } : pass(i)));
  const as8 = await api('POST', '/api/v1/inspections', as(committee, { body: { site_id: s8.id, kind: 'cross_inspection', round_pair_id: pair(yy5, yy8).id, results } }));
  assert.equal(as8.status, 201, as8.text);
  assert.equal(as8.json.inspector_org_id, yy5);
  assert.equal(as8.json.round_id, round.id);
  const noPair = await api('POST', '/api/v1/inspections', as(committee, { body: { site_id: s8b.id, kind: 'cross_inspection', results: [] } }));
  assert.equal(noPair.status, 404, 'without the pair it is another community (not even visible)');
  const wrong = await api('POST', '/api/v1/inspections', as(committee2, { body: { site_id: s8.id, kind: 'cross_inspection', round_pair_id: pair(yy5, yy8).id, results } }));
  assert.equal(wrong.status, 404, wrong.text);
  const wrongSite = await api('POST', '/api/v1/inspections', as(committee, { body: { site_id: sWt.id, kind: 'cross_inspection', round_pair_id: pair(yy5, yy8).id, results: [] } }));
  assert.equal(wrongSite.status, 422, 'the pair does not cover 梧桐');
  assert.ok(fieldsOf(wrongSite).includes('round_pair_id'));
  // The inspecting 居委 sees its own inspection of the other community.
  assert.equal((await api('GET', `/api/v1/inspections/${as8.json.id}`, as(committee))).status, 200);
  const byRound = await api('GET', `/api/v1/inspections?round_id=${round.id}`, as(committee));
  assert.deepEqual(byRound.json.items.map((x) => x.id), [as8.json.id]);
  const cl6 = await checklist(s8b.site_type_id);
  assert.equal((await api('POST', '/api/v1/inspections', as(inspector, { body: { site_id: s8b.id, kind: 'cross_inspection', round_pair_id: pair(yy5, yy8).id, results: cl6.items.map(pass) } }))).status, 201);
  const sw = await api('POST', '/api/v1/inspections', as(admin, { body: { site_id: sWt.id, kind: 'cross_inspection', round_pair_id: pair(yy8, wt).id, results: cl3.items.map((i) => ({ item_id: i.id, result: i.photo_required ? 'pass' : i.grading === 'abc' ? 'C#' : 'fail' })) } }));
  assert.equal(sw.status, 201, sw.text);
  // Progress per pair and the ranking.
  const g = await api('GET', `/api/v1/rounds/${round.id}`, as(committee));
  assert.equal(g.status, 200, g.text);
  const p58 = g.json.pairs.find((p) => p.inspected_org_id === yy8);
  assert.equal(p58.done, 2);
  assert.equal(p58.problems, 2);
  assert.equal(p58.rectified, 0);
  assert.equal(g.json.inspection_count, 3);
  assert.equal(g.json.problem_count, 2 + sw.json.failed);
  const rank = g.json.ranking;
  assert.deepEqual(rank.map((x) => x.org_id), [yy8, wt], 'ranked by score rate');
  assert.equal(rank[0].rank, 1);
  assert.ok(rank[0].score_rate > rank[1].score_rate);
  assert.equal(rank[0].problems, 2);
  assert.equal(rank[0].rectification_rate, 0);
  // Averaged over inspections (not over their problems): the pair's rate.
  assert.equal(rank[0].score_rate, p58.score_rate);
  assert.equal(rank[0].inspections, 2);
  // committee2 (梧桐) is in the ring: it sees the round too; a handler does not.
  assert.equal((await api('GET', `/api/v1/rounds/${round.id}`, as(committee2))).status, 200);
  assert.ok((await api('GET', '/api/v1/rounds', as(committee2))).json.items.some((x) => x.id === round.id));
  // The xlsx report.
  const x = await fetch(`${process.env.WENMING_URL}/api/v1/rounds/${round.id}/xlsx`, { headers: { Authorization: `Bearer ${office.token}` } });
  assert.equal(x.status, 200);
  const buf = Buffer.from(await x.arrayBuffer());
  assert.equal(buf.subarray(0, 2).toString(), 'PK');
  assert.ok(buf.length > 3000);
  // The period as Excel dates; a UTF-8 file name with the round's name.
  const xf = unzip(buf);
  for (const n of [1, 2]) {
    const xc = cells(xf, n);
    assertDateCell(xf, xc, 'B2', 'yyyy-mm-dd', '2026-05-11');
    assertDateCell(xf, xc, 'D2', 'yyyy-mm-dd', '2026-05-12');
  }
  assert.equal(x.headers.get('content-disposition'), `attachment; filename="round-report.xlsx"; filename*=UTF-8''${encodeURIComponent(name).replace(/[^A-Za-z0-9%]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}-%E6%A3%80%E6%9F%A5%E7%BB%93%E6%9E%9C.xlsx`);
  // Across rounds and inspections.
  const all = await api('GET', `/api/v1/inspections/rankings?org_id=${street}&round_id=${round.id}`, as(inspector));
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.json.items.map((i) => i.org_id), [yy8, wt]);
  assert.equal((await api('GET', '/api/v1/inspections/rankings?from=2026-13-01', as(inspector))).status, 422);
  assert.equal((await api('GET', '/api/v1/inspections/rankings?from=2020-01-01&to=2099-12-31', as(committee))).status, 200);
  // The reverse round (反向咬尾巴): every pair turned around, kind revisit.
  const rev = await api('POST', '/api/v1/rounds', as(office, { body: { name: `${name}（反向）`, mode: 'reverse', scope_org_id: street, reverse_of: round.id } }));
  assert.equal(rev.status, 201, rev.text);
  assert.equal(rev.json.kind, 'revisit');
  assert.equal(rev.json.reverse_of, round.id);
  assert.deepEqual(rev.json.pairs.map((p) => [p.inspector_org_id, p.inspected_org_id]), round.pairs.map((p) => [p.inspected_org_id, p.inspector_org_id]));
  // By hand.
  const man = await api('POST', '/api/v1/rounds', as(office, { body: { name: `指定 ${tag()}`, mode: 'manual', scope_org_id: street, pairs: [{ inspector_org_id: yy5, inspected_org_id: wt }, { inspector_org_id: yy8, inspected_org_id: wt }] } }));
  assert.equal(man.status, 201, man.text);
  assert.equal(man.json.pairs.length, 2);
  const self = await api('POST', '/api/v1/rounds', as(office, { body: { name: 'x', mode: 'manual', scope_org_id: street, pairs: [{ inspector_org_id: yy5, inspected_org_id: yy5 }] } }));
  assert.equal(self.status, 422);
  // Closing the round stops its inspections.
  const closed = await api('PATCH', `/api/v1/rounds/${round.id}`, as(office, { body: { state: 'closed' } }));
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.json.state, 'closed');
  const late = await api('POST', '/api/v1/inspections', as(committee, { body: { site_id: s8.id, kind: 'cross_inspection', round_pair_id: pair(yy5, yy8).id, results } }));
  assert.equal(late.status, 422);
  assert.ok(fieldsOf(late).includes('round_pair_id'));
  assert.equal((await api('PATCH', `/api/v1/rounds/${round.id}`, as(office, { body: { state: 'paused' } }))).status, 422);
});

test('round rankings: rectification_rate is rounded to 0.01, not truncated (coverage 9)', async () => {
  const r = await api('GET', `/api/v1/inspections/rankings?org_id=${street}&from=2000-01-01&to=2099-12-31`, as(office));
  assert.equal(r.status, 200, r.text);
  const rows = r.json.items.filter((x) => x.problems > 0);
  assert.ok(rows.length > 0, 'the demo ranks communities with problems');
  for (const x of rows) assert.equal(x.rectification_rate, Math.round((x.rectified * 10000) / x.problems) / 100, JSON.stringify(x));
  // The demo holds a ratio whose truncation differs (e.g. 7 of 9 → 77.78, not 77.77).
  assert.ok(rows.some((x) => Math.floor((x.rectified * 10000) / x.problems) !== Math.round((x.rectified * 10000) / x.problems)),
    JSON.stringify(rows.map((x) => [x.rectified, x.problems])));
});

// Shanghai time: a date at hh:mm +08:00.
const cn = (ymd, hm) => `${ymd}T${hm}:00+08:00`;

test('daily tasks: quota per day, done / late / missed counted per org and person; the tick settles idempotently', async () => {
  const clock = (now) => api('PUT', '/api/v1/system/clock', as(admin, { body: { now } }));
  const tick = async () => {
    const r = await api('POST', '/api/v1/system/tick', as(admin));
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  try {
    assert.equal((await clock(cn('2031-03-02', '08:00'))).status, 200);
    // A fresh team, so the demo's own zones do not count here.
    const team = await api('POST', '/api/v1/orgs', as(admin, { body: { parent_id: await orgId('由由第五党总支'), kind: 'team', name: `巡查小队-${tag()}` } }));
    assert.equal(team.status, 201, team.text);
    const branch = team.json.id;
    const zone = await api('POST', '/api/v1/watch-targets', as(committee, { body: { kind: 'zone', name: `由由五村东区 ${tag()}`, org_id: branch, person: '党员 王某', quota: 2 } }));
    assert.equal(zone.status, 201, zone.text);
    const site = await mkSite(committee, { org_id: yy5 });
    const point = await api('POST', '/api/v1/watch-targets', as(committee, { body: { kind: 'site', site_id: site.id, org_id: yy5, quota: 3 } }));
    assert.equal(point.status, 201, point.text);
    assert.equal(point.json.name, site.name);
    const bad = await api('POST', '/api/v1/watch-targets', as(committee, { body: { kind: 'zone', org_id: wt, quota: 30 } }));
    assert.equal(bad.status, 422);
    assert.deepEqual(fieldsOf(bad).sort(), ['name', 'org_id', 'quota']);
    const day1 = (id) => api('GET', `/api/v1/tasks?date=2031-03-02&target_id=${id}`, as(committee));
    let z = (await day1(zone.json.id)).json.items;
    let p = (await day1(point.json.id)).json.items;
    assert.equal(z.length, 2, '每日两次大巡查');
    assert.equal(p.length, 3, '一日三查');
    assert.ok(z.every((t) => t.state === 'open' && t.date === '2031-03-02'));
    // The volunteer (由由第五) sees them and may tick one off; 梧桐 does not see them.
    assert.equal((await api('GET', `/api/v1/tasks?date=2031-03-02&target_id=${zone.json.id}`, as(committee2))).json.items.length, 0);
    assert.equal((await api('POST', `/api/v1/tasks/${z[0].id}/done`, as(committee2, { body: {} }))).status, 404);
    const done = await api('POST', `/api/v1/tasks/${z[0].id}/done`, as(volunteer, { body: { note: '已巡查，无异常' } }));
    assert.equal(done.status, 200, done.text);
    assert.equal(done.json.state, 'done');
    assert.equal(done.json.done_by_name, '张志愿');
    assert.equal((await api('POST', `/api/v1/tasks/${z[0].id}/done`, as(volunteer, { body: {} }))).status, 409);
    for (const t of p.slice(0, 2)) assert.equal((await api('POST', `/api/v1/tasks/${t.id}/done`, as(committee, { body: {} }))).status, 200);
    // Next morning: the tick creates today's tasks and settles yesterday's.
    await clock(cn('2031-03-03', '07:30'));
    const t1 = await tick();
    assert.ok(t1.tasks_missed >= 2, JSON.stringify(t1));
    assert.ok(t1.tasks_created >= 5, JSON.stringify(t1));
    z = (await day1(zone.json.id)).json.items;
    p = (await day1(point.json.id)).json.items;
    assert.deepEqual(z.map((t) => t.state), ['done', 'missed']);
    assert.deepEqual(p.map((t) => t.state), ['done', 'done', 'missed']);
    // Idempotent: again, nothing more.
    const t2 = await tick();
    assert.equal(t2.tasks_missed, 0);
    assert.equal(t2.tasks_created, 0);
    assert.equal((await api('GET', `/api/v1/tasks?date=2031-03-03&target_id=${zone.json.id}`, as(committee))).json.items.length, 2);
    // A missed task done afterwards counts as late; a future one cannot be done yet.
    const lateDone = await api('POST', `/api/v1/tasks/${z[1].id}/done`, as(committee, { body: { note: '补查' } }));
    assert.equal(lateDone.status, 200, lateDone.text);
    assert.equal(lateDone.json.state, 'late');
    // Counts.
    const byOrg = await api('GET', '/api/v1/tasks/stats?from=2031-03-02&to=2031-03-02', as(committee));
    assert.equal(byOrg.status, 200, byOrg.text);
    const b = byOrg.json.items.find((x) => x.org_id === branch);
    assert.deepEqual([b.done, b.late, b.missed], [1, 1, 0]);
    const c = byOrg.json.items.find((x) => x.org_id === yy5);
    assert.ok(c.done >= 2 && c.missed >= 1);
    const byPerson = await api('GET', '/api/v1/tasks/stats?from=2031-03-02&to=2031-03-02&by=person', as(committee));
    assert.ok(byPerson.json.items.some((x) => x.name === '张志愿' && x.done >= 1), byPerson.text);
    assert.equal((await api('GET', '/api/v1/tasks/stats?by=team', as(committee))).status, 422);
    assert.equal((await api('GET', '/api/v1/tasks?date=2031-02-30', as(committee))).status, 422);
    // Switching a target off stops new tasks; the list of targets.
    const off = await api('PATCH', `/api/v1/watch-targets/${zone.json.id}`, as(committee, { body: { active: false, quota: 1 } }));
    assert.equal(off.status, 200, off.text);
    assert.equal(off.json.active, false);
    await clock(cn('2031-03-04', '07:30'));
    await tick();
    assert.equal((await api('GET', `/api/v1/tasks?date=2031-03-04&target_id=${zone.json.id}`, as(committee))).json.items.length, 0);
    const targets = await api('GET', '/api/v1/watch-targets', as(volunteer));
    assert.ok(targets.json.items.some((t) => t.id === point.json.id));
  } finally {
    await clock(clockIso());
  }
});

// --- Review 2026-12-07, coverage 1 and 2: the 咬尾巴 pair decides who grades and what it sees ---
test('咬尾巴: only the pair\'s inspecting 居委 grades (the inspected one gets 403); it lists and opens the inspected sites for that pair only, while the round is open', async () => {
  const sWt = await mkSite(admin, { org_id: wt, site_type: 'S03', name: `梧桐背街-${tag()}` });
  const sYy = await mkSite(admin, { org_id: yy5, site_type: 'S03' });
  const r = await api('POST', '/api/v1/rounds', as(office, { body: { name: `互查 ${tag()}`, mode: 'ring', scope_org_id: street, org_ids: [yy5, wt] } }));
  assert.equal(r.status, 201, r.text);
  const pair = (a, b) => r.json.pairs.find((p) => p.inspector_org_id === a && p.inspected_org_id === b).id;
  const results = (await checklist(sWt.site_type_id)).items.map(pass);
  // Coverage 1: 梧桐 (committee2) is the inspected party of yy5→wt: no self-grading.
  const selfGrade = await api('POST', '/api/v1/inspections', as(committee2, { body: { site_id: sWt.id, kind: 'cross_inspection', round_pair_id: pair(yy5, wt), results } }));
  assert.equal(selfGrade.status, 403, selfGrade.text);
  assert.equal(errorOf(selfGrade).code, 'not_inspector');
  let g = await api('GET', `/api/v1/rounds/${r.json.id}`, as(office));
  assert.equal(g.json.pairs.find((p) => p.id === pair(yy5, wt)).done, 0, 'nothing credited');
  // The round tells each account which pairs it inspects for (the UI's "去检查").
  const mineC = (await api('GET', `/api/v1/rounds/${r.json.id}`, as(committee))).json.pairs;
  assert.deepEqual(mineC.map((p) => [p.id, p.can_inspect]), [[pair(yy5, wt), true], [pair(wt, yy5), false]].sort((x, y) => mineC.findIndex((p) => p.id === x[0]) - mineC.findIndex((p) => p.id === y[0])));
  // Coverage 2: the inspecting 居委 (committee, 由由第五) lists 梧桐's sites through the pair …
  const plain = await api('GET', `/api/v1/sites?org_id=${wt}&limit=200`, as(committee));
  assert.ok(!plain.json.items.some((s) => s.id === sWt.id), 'not without the pair');
  const listed = await api('GET', `/api/v1/sites?org_id=${wt}&pair_id=${pair(yy5, wt)}&limit=200`, as(committee));
  assert.equal(listed.status, 200, listed.text);
  assert.ok(listed.json.items.some((s) => s.id === sWt.id), listed.text.slice(0, 300));
  assert.ok(listed.json.items.every((s) => s.org_id === wt || s.org_name), 'only the inspected community');
  const wide = await api('GET', `/api/v1/sites?pair_id=${pair(yy5, wt)}&limit=200`, as(committee));
  assert.ok(!wide.json.items.some((s) => s.id === sYy.id), 'the pair scope replaces its own community');
  // … and opens one (inspect.js), which it cannot without the pair.
  assert.equal((await api('GET', `/api/v1/sites/${sWt.id}`, as(committee))).status, 404);
  const one = await api('GET', `/api/v1/sites/${sWt.id}?pair_id=${pair(yy5, wt)}`, as(committee));
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.can_edit, false);
  // Not through a pair where it is the inspected one, nor for others.
  assert.equal((await api('GET', `/api/v1/sites/${sWt.id}?pair_id=${pair(wt, yy5)}`, as(committee))).status, 404);
  assert.ok(!(await api('GET', `/api/v1/sites?pair_id=${pair(wt, yy5)}&limit=200`, as(committee))).json.items.some((s) => s.id === sWt.id));
  assert.equal((await api('GET', `/api/v1/sites/${sYy.id}?pair_id=${pair(yy5, wt)}`, as(committee2))).status, 404);
  assert.deepEqual((await api('GET', `/api/v1/sites?pair_id=${pair(yy5, wt)}`, as(handler))).json.items, []);
  // The inspecting 居委 grades; credited to the pair.
  const ok = await api('POST', '/api/v1/inspections', as(committee, { body: { site_id: sWt.id, kind: 'cross_inspection', round_pair_id: pair(yy5, wt), results } }));
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.inspector_org_id, yy5);
  g = await api('GET', `/api/v1/rounds/${r.json.id}`, as(office));
  assert.equal(g.json.pairs.find((p) => p.id === pair(yy5, wt)).done, 1);
  // A closed round opens nothing any more.
  assert.equal((await api('PATCH', `/api/v1/rounds/${r.json.id}`, as(office, { body: { state: 'closed' } }))).status, 200);
  assert.equal((await api('GET', `/api/v1/sites/${sWt.id}?pair_id=${pair(yy5, wt)}`, as(committee))).status, 404);
  assert.ok(!(await api('GET', `/api/v1/sites?pair_id=${pair(yy5, wt)}&limit=200`, as(committee))).json.items.some((s) => s.id === sWt.id));
  assert.equal((await api('GET', '/api/v1/sites?pair_id=abc', as(committee))).status, 422);
});
