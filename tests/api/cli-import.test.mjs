// cli-import.test.mjs — `wenming import volunteers` (docs/VOLUNTEERS.md,
// "Large imports") against its own data directory, no shared server: a file
// imported in several write batches with progress; a wrong row stops the
// whole file before anything is written; --valid-only imports the rest and
// lists the refused rows (a duplicate within the file, an ID already
// registered); running the same file again refuses every row; a running
// server's lock refuses the import; bad arguments exit 2 with the usage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, makeId, idCheck, testDatabase, withDatabase, query } from './harness.mjs';

const bin = binPath();
let dir, org;
const db = testDatabase();	// on PostgreSQL: this file's own database, next to its data dir

function run(args) {
  return new Promise((res) => {
    const child = spawn(bin, withDatabase(args, db), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WENMING_TICK_SECONDS: '0' } });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => res({ code, out, err }));
  });
}
const sql = (q) => query({ dir, url: db.url }, q).trim();
const count = () => Number(sql('SELECT count(*) FROM volunteers'));

// n rows of valid, distinct volunteers; region code 5xxxxx is used by no other test.
let seq = 0;
function rows(n) {
  const out = [];
  for (let i = 0; i < n; i++, seq++) {
    const d = new Date(Date.UTC(1960, 0, 1) + (seq % 15000) * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
    out.push([`批量${seq}`, makeId(d, Math.floor(seq / 15000) % 1000, '519901'), `139${String(10000000 + seq).slice(-8)}`, '居民', '急救、摄影', '', '']);
  }
  return out;
}
const csv = (list) => ['姓名,身份证号,手机号,类型,技能,服务区域,住址', ...list.map((r) => r.join(','))].join('\n') + '\n';
function file(name, text) {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wenming-cli-import-'));
  assert.equal((await run(['migrate', '--data', dir])).code, 0);
  const u = await run(['user', 'add', '--data', dir, '--login', 'boss', '--name', '管理员', '--password', 'a-long-secret-1', '--role', 'admin']);
  assert.equal(u.code, 0, u.err);
  org = Number(sql("SELECT id FROM orgs WHERE parent_id IS NULL"));
  assert.ok(org > 0);
});
after(() => { rmSync(dir, { recursive: true, force: true }); db.drop(); });

test('a file is imported in batches with progress; the volunteers are approved and sealed', async () => {
  const p = file('a.csv', csv(rows(2500)));
  const r = await run(['import', 'volunteers', '--data', dir, '--org', String(org), '--file', p, '--batch', '1000']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /imported 2500 volunteers into org \d+, 0 rows refused/);
  assert.match(r.err, /imported 1000 \/ 2500 \(40\.0%\)/);
  assert.match(r.err, /imported 2500 \/ 2500 \(100\.0%\)/);
  assert.equal(count(), 2500);
  assert.equal(sql("SELECT count(*) FROM volunteers WHERE status = 'approved' AND decided_at IS NOT NULL"), '2500');
  // Sealed like every other person: no clear ID number or phone in the table.
  assert.equal(sql("SELECT count(*) FROM people WHERE id_enc IS NOT NULL AND id_hash IS NOT NULL AND id_masked LIKE '51%' AND phone_masked LIKE '139****%'"), '2500');
  assert.equal(sql("SELECT count(*) FROM people WHERE id_masked LIKE '%19600101%'"), '0');
  assert.match(sql("SELECT after FROM audit WHERE action = 'import' AND resource = 'volunteer' ORDER BY id DESC LIMIT 1"), /"imported":2500/);
});

test('one wrong row: nothing is written; --valid-only imports the rest and lists the refused rows', async () => {
  const good = rows(30);
  const bad = [...good];
  const f17 = good[3][1].slice(0, 17);
  bad[3] = [good[3][0], f17 + (idCheck(f17) === '1' ? '2' : '1'), good[3][2], '居民', '', '', ''];	// check digit wrong
  bad[7] = [good[7][0], good[7][1], good[7][2], '外星人', '', '', ''];				// unknown type
  bad.push([...good[10]]);									// the same ID twice
  const p = file('b.csv', csv(bad));
  const before_ = count();
  const strict = await run(['import', 'volunteers', '--data', dir, '--org', String(org), '--file', p]);
  assert.equal(strict.code, 1);
  assert.match(strict.err, /第 5 行 \/ row 5: id_number/);
  assert.match(strict.err, /第 9 行 \/ row 9: vtype/);
  assert.match(strict.err, /第 32 行 \/ row 32: id_number: 与第 12 行的身份证号重复/);
  assert.match(strict.err, /3 行有错误，未导入任何数据/);
  assert.equal(count(), before_, 'nothing written');
  const loose = await run(['import', 'volunteers', '--data', dir, '--org', String(org), '--file', p, '--valid-only']);
  assert.equal(loose.code, 0, loose.err);
  assert.match(loose.out, /imported 28 volunteers into org \d+, 3 rows refused/);
  assert.equal(count(), before_ + 28);
  // The same file again: every row is already registered (an interrupted import is finished this way).
  const again = await run(['import', 'volunteers', '--data', dir, '--org', String(org), '--file', p, '--valid-only']);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /imported 0 volunteers into org \d+, 31 rows refused/);
  assert.match(again.err, /该身份证号已登记/);
  assert.equal(count(), before_ + 28);
});

test('a running server holds the data directory: the import is refused', async () => {
  const server = spawn(bin, withDatabase(['serve', '--data', dir, '--listen', '127.0.0.1:0'], db), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WENMING_TICK_SECONDS: '0' } });
  await new Promise((res, rej) => {
    let out = '';
    server.stdout.on('data', (d) => { out += d; if (/listening on/.test(out)) res(); });
    server.on('exit', (c) => rej(new Error(`server exited ${c}`)));
  });
  try {
    const r = await run(['import', 'volunteers', '--data', dir, '--org', String(org), '--file', file('c.csv', csv(rows(3)))]);
    assert.equal(r.code, 1);
    assert.match(r.err, /another wenming process \(pid \d+\) is using/);
  } finally {
    const done = new Promise((res) => server.on('exit', res));
    server.kill('SIGTERM');
    await done;
  }
});

test('bad arguments and bad files: exit 2 with the usage, or 1 with the reason', async () => {
  const p = file('d.csv', csv(rows(2)));
  for (const args of [
    ['import'],
    ['import', 'sites', '--data', dir, '--org', String(org), '--file', p],
    ['import', 'volunteers', '--data', dir, '--file', p],
    ['import', 'volunteers', '--data', dir, '--org', String(org)],
    ['import', 'volunteers', '--data', dir, '--org', String(org), '--file', p, '--batch', '0'],
  ]) {
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, /Usage: wenming import volunteers|--batch must be/);
  }
  const cases = [
    [['--file', join(dir, 'missing.csv')], /cannot open/],
    [['--file', file('e.csv', '')], /is empty/],
    [['--file', file('f.csv', '名字,电话\n张三,13900000000\n')], /the first row must be the header/],
    [['--file', file('g.csv', '姓名,身份证号,手机号,类型\n"张三,1\n')], /cannot read the file/],
  ];
  const before_ = count();
  for (const [extra, re] of cases) {
    const r = await run(['import', 'volunteers', '--data', dir, '--org', String(org), ...extra]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, re);
  }
  const notOrg = await run(['import', 'volunteers', '--data', dir, '--org', '999999', '--file', p]);
  assert.equal(notOrg.code, 1);
  assert.match(notOrg.err, /is not a street, community or compound/);
  assert.equal(count(), before_);
  const help = await run(['import', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /--valid-only/);
});
