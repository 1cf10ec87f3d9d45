// volunteer-files.test.mjs — what the volunteer module hands out as files:
// the secret calendar feed read by an independent parser (Debian's
// python3-icalendar), its rotation; the post QR code; the certificate PDF;
// the hours ledger (xlsx); the bulk import from CSV and XLSX with bad rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ensureServer, api, as, login, orgId, errorOf, baseUrl, randomPhone, listAll } from './harness.mjs';
import { unzip, cells, numFmt } from './xlsx-read.mjs';
import { mkPost, addPattern, generate, shiftsOf, setClock, resetClock, signup, volunteerAccount, idBorn } from './volunteer-fixtures.mjs';

await ensureServer();
let office, committee, comm;
before(async () => {
  office = await login('office');
  committee = await login('committee');
  comm = await orgId('由由第五居民区');
});
after(async () => { await resetClock(); });

const PY = '/usr/bin/python3';
const icsReader = `
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = []
for e in cal.walk('VEVENT'):
    out.append({'uid': str(e['UID']), 'seq': int(e.get('SEQUENCE', 0)), 'status': str(e.get('STATUS')),
                'start': e['DTSTART'].dt.isoformat(), 'tzid': e['DTSTART'].params.get('TZID'), 'summary': str(e['SUMMARY']),
                'desc': str(e.get('DESCRIPTION', '')), 'organizer': e.get('ORGANIZER') is not None})
print(json.dumps(out))
`;
const parseIcs = (text) => JSON.parse(execFileSync(PY, ['-c', icsReader], { input: Buffer.from(text, 'utf8') }).toString());

test('calendar feed: stable UIDs, SEQUENCE raised on change, cancellations as STATUS:CANCELLED, folded lines; rotation', async () => {
  await setClock('2025-06-06T13:00:00+08:00');	// Friday after noon: the week of 2025-06-09 is open
  const p = await mkPost(office, comm, { name: `日历岗-${Date.now()}-一个相当长的岗位名称用来检验七十五字节折行是否正确处理中文字符`, rules: '劝导非机动车有序停放' });
  await addPattern(office, p.id, '07:30', '09:30', 2);
  await generate(office, p.id, '2025-06-09', 3);
  const shifts = await shiftsOf(office, p.id, '2025-06-09', '2025-06-12');
  const v = await volunteerAccount(comm, { approver: committee });
  const gs = [];
  for (const s of shifts) gs.push((await signup(v.session, s.id)).json);
  const me = (await api('GET', '/api/v1/volunteers/me', as(v.session))).json.volunteer;
  const url = me.calendar_path;
  const r1 = await api('GET', url);	// public: the secret is in the URL
  assert.equal(r1.status, 200, r1.text);
  assert.match(r1.headers.get('content-type'), /^text\/calendar/);
  const ev1 = parseIcs(r1.text);
  assert.equal(ev1.length, 3);
  assert.ok(ev1.every((e) => e.status === 'CONFIRMED' && e.tzid === 'Asia/Shanghai'));
  assert.equal(ev1[0].start, '2025-06-09T07:30:00+08:00');
  for (const line of r1.text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `line longer than 75 octets: ${line}`);
  assert.ok(r1.text.includes('TZID=Asia/Shanghai'));
  // No METHOD (PUBLISH would need an ORGANIZER per VEVENT, RFC 5546); the
  // post's rules / the activity's content travel in DESCRIPTION (conformance §2).
  assert.doesNotMatch(r1.text, /^METHOD:/m);
  assert.ok(ev1.every((e) => e.desc.startsWith('劝导非机动车有序停放') && e.desc.includes('签到')), JSON.stringify(ev1.map((e) => e.desc)));
  // The volunteer cancels one; staff cancel another shift.
  assert.equal((await api('POST', `/api/v1/signups/${gs[0].id}/cancel`, as(v.session))).status, 200);
  assert.equal((await api('POST', `/api/v1/shifts/${shifts[1].id}/cancel`, as(office))).status, 200);
  const ev2 = parseIcs((await api('GET', url)).text);
  assert.deepEqual(ev2.map((e) => e.uid), ev1.map((e) => e.uid), 'UIDs are stable');
  const byUid = Object.fromEntries(ev2.map((e) => [e.uid, e]));
  const old = Object.fromEntries(ev1.map((e) => [e.uid, e]));
  const [u0, u1, u2] = ev1.map((e) => e.uid);
  assert.equal(byUid[u0].status, 'CANCELLED');
  assert.ok(byUid[u0].seq > old[u0].seq);
  assert.equal(byUid[u1].status, 'CANCELLED');
  assert.ok(byUid[u1].seq > old[u1].seq);
  assert.equal(byUid[u2].status, 'CONFIRMED');
  assert.equal(byUid[u2].seq, old[u2].seq);
  // Rotation: the old URL stops working at once.
  const rot = await api('POST', '/api/v1/volunteers/me/calendar-token', as(v.session));
  assert.equal(rot.status, 200, rot.text);
  assert.notEqual(rot.json.calendar_path, url);
  assert.equal((await api('GET', url)).status, 404);
  assert.equal((await api('GET', rot.json.calendar_path)).status, 200);
  assert.equal((await api('GET', '/api/v1/calendar-feed/not-a-token.ics')).status, 404);
  assert.equal((await api('GET', '/api/v1/calendar-feed/x')).status, 404);
});

test('the post QR code opens the check-in page; certificate PDF; hours ledger xlsx', async () => {
  const p = await mkPost(office, comm);
  const svg = await api('GET', `/api/v1/posts/${p.id}/qr`, as(office));
  assert.equal(svg.status, 200);
  assert.match(svg.headers.get('content-type'), /^image\/svg\+xml/);
  assert.ok(svg.text.startsWith('<?xml') && svg.text.includes('<svg'));
  assert.ok(svg.headers.get('x-checkin-url').endsWith(`/#/checkin/${p.id}`));
  const png = await fetch(`${baseUrl()}/api/v1/posts/${p.id}/qr?format=png`, { headers: { Authorization: `Bearer ${office.token}` } });
  assert.equal(png.status, 200);
  const bytes = Buffer.from(await png.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.equal((await api('GET', `/api/v1/posts/${p.id}/qr?format=gif`, as(office))).status, 422);

  const vol = await login('volunteer');
  const cert = await fetch(`${baseUrl()}/api/v1/volunteers/me/certificate`, { headers: { Authorization: `Bearer ${vol.token}` } });
  assert.equal(cert.status, 200);
  assert.equal(cert.headers.get('content-type'), 'application/pdf');
  assert.equal(Buffer.from(await cert.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  const me = (await api('GET', '/api/v1/volunteers/me', as(vol))).json.volunteer;
  assert.equal((await api('GET', `/api/v1/volunteers/${me.id}/certificate`, as(committee))).status, 200);
  assert.equal((await api('GET', `/api/v1/volunteers/${me.id}/certificate`, as(await login('committee2')))).status, 404);
  assert.equal((await api('GET', '/api/v1/volunteers/me/certificate', as(await login('resident')))).status, 409);

  const x = await fetch(`${baseUrl()}/api/v1/records/xlsx?status=approved`, { headers: { Authorization: `Bearer ${office.token}` } });
  assert.equal(x.status, 200);
  const xb = Buffer.from(await x.arrayBuffer());
  assert.equal(xb.subarray(0, 2).toString(), 'PK');
  const sheets = execFileSync(PY, ['-c', `
import sys, zipfile, io
z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
print(z.read('xl/workbook.xml').decode())`], { input: xb }).toString();
  assert.ok(sheets.includes('志愿服务记录') && sheets.includes('时长汇总'), sheets.slice(0, 300));
  // 服务日期 (column E) is an Excel date, not text; the download has a UTF-8 name.
  const files = unzip(xb);
  const c = cells(files);
  assert.equal(c.get('E1').value, '服务日期');
  const dates = [...c.entries()].filter(([ref]) => /^E\d+$/.test(ref) && ref !== 'E1').map(([, v]) => v);
  assert.ok(dates.length > 0);
  for (const d of dates) {
    assert.equal(d.type, 'n', JSON.stringify(d));
    assert.equal(numFmt(files, d.style), 'yyyy-mm-dd');
  }
  assert.match(x.headers.get('content-disposition'), /filename="volunteer-hours-\d{4}-\d\d-\d\d\.xlsx"; filename\*=UTF-8''%E5%BF%97%E6%84%BF%E6%9C%8D%E5%8A%A1%E6%97%B6%E9%95%BF%E5%8F%B0%E8%B4%A6-\d{4}-\d\d-\d\d\.xlsx$/);
  assert.equal((await api('GET', '/api/v1/records/xlsx?from=2025-13-01', as(office))).status, 422);
});

// A minimal .xlsx (inline strings) written with Python's zipfile.
function xlsxOf(rows) {
  const py = `
import sys, json, zipfile, io
from xml.sax.saxutils import escape
rows = json.loads(sys.stdin.read())
def col(i):
    s = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s
data = ''.join('<row r="%d">%s</row>' % (ri + 1, ''.join('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col(ci), ri + 1, escape(v)) for ci, v in enumerate(r))) for ri, r in enumerate(rows))
b = io.BytesIO()
z = zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED)
z.writestr('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
z.writestr('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
z.writestr('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="志愿者" sheetId="1" r:id="rId1"/></sheets></workbook>')
z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
z.writestr('xl/worksheets/sheet1.xml', '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + data + '</sheetData></worksheet>')
z.close()
sys.stdout.buffer.write(b.getvalue())`;
  return execFileSync(PY, ['-c', py], { input: JSON.stringify(rows) });
}

test('import from CSV and XLSX: per-row report; nothing imported if any row fails unless valid_only=true', async () => {
  const count = async () => (await listAll(`/api/v1/volunteers?org_id=${comm}`, office)).length;
  const good1 = idBorn(1988, '420106'), good2 = idBorn(1993, '420106');
  const csv = [
    '姓名,身份证号,手机号,类型,技能,服务区域',
    `导入甲,${good1},${randomPhone()},白领,摄影、急救,锦绣前城`,
    `导入乙,${good2},${randomPhone()},学生,,`,
    `导入丙,110101199001011230,${randomPhone()},居民,,`,	// wrong check digit
    `导入丁,${good1},12345,宇航员,,`,			// duplicate of row 2, bad phone, unknown type
    `,${idBorn(1990, '420106')},${randomPhone()},党员,,`,	// no name
  ].join('\r\n');
  const send = (body, q = '', ctype = 'text/csv') => api('POST', `/api/v1/volunteers/import?org_id=${comm}${q}`, as(office, { body, headers: { 'Content-Type': ctype } }));
  const before = await count();
  const bad = await send(csv);
  assert.equal(bad.status, 422, bad.text);
  const e = errorOf(bad);
  assert.equal(e.code, 'import_failed');
  assert.equal(e.valid, 2);
  assert.equal(e.failed, 3);
  assert.deepEqual(e.rows.map((x) => x.row), [4, 5, 6]);
  assert.ok(e.rows[0].errors.some((f) => f.field === 'id_number'));
  const r5 = e.rows[1].errors.map((f) => `${f.field}:${f.code}`);
  assert.ok(r5.includes('id_number:duplicate') && r5.some((x) => x.startsWith('phone:')) && r5.includes('vtype:invalid'), r5.join());
  assert.ok(e.rows[2].errors.some((f) => f.field === 'name'));
  assert.equal(await count(), before, 'nothing imported');
  // valid_only=true imports the two good rows and reports the rest.
  const ok = await send(csv, '&valid_only=true');
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.imported, 2);
  assert.equal(ok.json.failed, 3);
  assert.equal(await count(), before + 2);
  const list = await listAll(`/api/v1/volunteers?org_id=${comm}&q=导入甲`, office);
  assert.equal(list.length, 1);
  assert.equal(list[0].status, 'approved');
  assert.equal(list[0].vtype, 'white_collar');
  assert.deepEqual(list[0].skills, ['摄影', '急救']);
  assert.deepEqual(list[0].areas, ['锦绣前城']);
  // Importing the same file again: every row now fails (IDs already registered).
  const again = await send(csv);
  assert.equal(again.status, 422);
  // XLSX with the same rules.
  const x1 = idBorn(1991, '420106');
  const xlsx = xlsxOf([['姓名', '身份证号', '手机号', '类型'], ['表格甲', x1, randomPhone(), '居民'], ['表格乙', 'abc', randomPhone(), '白领']]);
  const xbad = await send(xlsx, '', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(xbad.status, 422, xbad.text);
  assert.deepEqual(errorOf(xbad).rows.map((x) => x.row), [3]);
  const xok = await send(xlsx, '&valid_only=true', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(xok.status, 200, xok.text);
  assert.equal(xok.json.imported, 1);
  // A non-character (U+FFFF) in a cell is refused like in the JSON API (security #12).
  const nc = await send(['姓名,身份证号,手机号,类型,技能,服务区域', `非字符\uffff,${idBorn(1992, '420106')},${randomPhone()},居民,,`].join('\r\n'));
  assert.equal(nc.status, 422, nc.text);
  assert.deepEqual(errorOf(nc).rows[0].errors.map((f) => `${f.field}:${f.code}`), ['name:invalid_text']);
  // Header, file and scope errors.
  assert.equal(errorOf(await send('名字,电话\n甲,1\n')).code, 'bad_header');
  assert.equal((await send(Buffer.from([0x61, 0xff, 0xfe, 0x0a]))).status, 400);
  const other = await api('POST', `/api/v1/volunteers/import?org_id=${await orgId('梧桐居民区')}`, as(committee, { body: csv, headers: { 'Content-Type': 'text/csv' } }));
  assert.equal(other.status, 403);
  assert.equal((await api('POST', '/api/v1/volunteers/import', as(office, { body: csv, headers: { 'Content-Type': 'text/csv' } }))).status, 422);
});
