// data-at-rest.test.mjs — security review #15 and #12 against a data
// directory of its own (no shared server): the database, its -wal/-shm and
// `wenming backup --out` are owner-only (0600) whatever the umask, an older
// 0644 database is tightened; calendar feed tokens are stored hashed and
// sealed, tokens of an older database are migrated and their feed URLs keep
// working; a U+FFFF stored before the text rule does not break the ledger xlsx.
// On PostgreSQL (WENMING_TEST_PG) only the last runs: there is no database file whose mode
// could be checked (the cluster owns its files), `wenming backup` refuses in favour of
// pg_dump (crash.test.mjs), and no older release wrote plaintext tokens to PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, testDatabase, withDatabase, onPostgres } from './harness.mjs';
import { psql } from './database.mjs';
import { unzip, cells } from './xlsx-read.mjs';

const bin = binPath();
let dir;
const db = testDatabase();
const PG_ONLY_FILE = onPostgres() && 'PostgreSQL: the database is no file in the data directory (SQLite only)';

function run(args) {
  return new Promise((res) => {
    const child = spawn(bin, withDatabase(args, db), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WENMING_TICK_SECONDS: '0' } });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => res({ code, out, err }));
  });
}
// Read-write SQL on this file's database (it plays an older release's leftovers).
const sql = (q) => (db.url ? psql(db.url, q) : execFileSync('sqlite3', [join(dir, 'wenming.db'), q], { encoding: 'utf8' })).trim();
const mode = (p) => statSync(p).mode & 0o777;

// `wenming serve` on dir; resolves {url, stop()}.
async function serve() {
  const child = spawn(bin, withDatabase(['serve', '--data', dir, '--listen', '127.0.0.1:0'], db), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WENMING_TICK_SECONDS: '0' } });
  child.stderr.resume();
  const exited = new Promise((res) => child.on('exit', res));
  const url = await new Promise((res, rej) => {
    let out = '';
    const t = setTimeout(() => rej(new Error(`serve did not listen: ${out}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(t); res(m[1]); }
    });
  });
  return { url, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

async function call(base, method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body) headers['Content-Type'] = 'application/json';
  const r = await fetch(base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const buf = Buffer.from(await r.arrayBuffer());
  let json = null;
  try { json = JSON.parse(buf.toString('utf8')); } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, buf, json };
}

before(async () => {
  process.umask(0o022);	// the usual umask: files would be 0644 without the binary's own
  dir = mkdtempSync(join(tmpdir(), 'wenming-at-rest-'));
  const m = await run(['migrate', '--data', dir]);
  assert.equal(m.code, 0, m.err);
  const u = await run(['user', 'add', '--data', dir, '--login', 'boss', '--name', '管理员', '--password', 'a-long-secret-1', '--role', 'admin']);
  assert.equal(u.code, 0, u.err);
});
after(() => { rmSync(dir, { recursive: true, force: true }); db.drop(); });

test('the database and a backup are 0600 whatever the umask; an older 0644 database is tightened', { skip: PG_ONLY_FILE }, async () => {
  assert.equal(mode(join(dir, 'wenming.db')).toString(8), '600');
  chmodSync(join(dir, 'wenming.db'), 0o644);
  assert.equal((await run(['migrate', '--data', dir])).code, 0);
  assert.equal(mode(join(dir, 'wenming.db')).toString(8), '600', 'tightened at start');
  const s = await serve();
  try {
    for (const f of ['wenming.db', 'wenming.db-wal', 'wenming.db-shm'])
      if (existsSync(join(dir, f))) assert.equal(mode(join(dir, f)).toString(8), '600', f);
    assert.ok(existsSync(join(dir, 'wenming.db-wal')), 'the server runs in WAL mode');
    const out = join(dir, 'copy.db');
    const b = await run(['backup', '--data', dir, '--out', out]);
    assert.equal(b.code, 0, b.err);
    assert.equal(mode(out).toString(8), '600', 'backup --out');
  } finally {
    await s.stop();
  }
});

test('calendar tokens: stored hashed and sealed; a token of an older database is migrated and its feed URL still works', { skip: PG_ONLY_FILE }, async () => {
  // The state before schema 016: a plaintext token in volunteers.calendar_token.
  const token = 'OldPlainToken_0123456789abcdefXY';
  sql(`PRAGMA foreign_keys=OFF;
    DROP INDEX volunteers_calendar_token_hash;
    ALTER TABLE volunteers DROP COLUMN calendar_token_enc;
    ALTER TABLE volunteers DROP COLUMN calendar_token_hash;
    DELETE FROM schema_migrations WHERE version = 16;
    INSERT INTO people (org_id, name, created_at, updated_at) SELECT id, '旧志愿者', 0, 0 FROM orgs WHERE parent_id IS NULL;
    INSERT INTO volunteers (person_id, org_id, vtype, status, calendar_token, created_at)
      SELECT max(p.id), p.org_id, 'resident', 'approved', '${token}', 0 FROM people p;`);
  const s = await serve();
  try {
    const feed = await call(s.url, 'GET', `/api/v1/calendar-feed/${token}.ics`);
    assert.equal(feed.status, 200, feed.buf.toString());
    assert.match(feed.buf.toString(), /^BEGIN:VCALENDAR/);
    assert.equal((await call(s.url, 'GET', `/api/v1/calendar-feed/${token.slice(0, -1)}Z.ics`)).status, 404);
    assert.equal(sql('SELECT count(*) FROM volunteers WHERE calendar_token IS NOT NULL'), '0', 'no plaintext token left');
    const [hash, enc] = sql("SELECT calendar_token_hash || '|' || calendar_token_enc FROM volunteers WHERE calendar_token_hash IS NOT NULL").split('|');
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.ok(enc && !enc.includes(token));
  } finally {
    await s.stop();
  }
  sql('PRAGMA wal_checkpoint(TRUNCATE)');
  const bytes = readFileSync(join(dir, 'wenming.db'));
  assert.equal(bytes.indexOf(token), -1, 'the token is nowhere in the database file');
});

test('a U+FFFF stored before the text rule is left out of the ledger xlsx, which stays well-formed (security #12)', async () => {
  let s = await serve();
  let code;
  try {
    const login = await call(s.url, 'POST', '/api/v1/session', { body: { login: 'boss', password: 'a-long-secret-1' } });
    assert.equal(login.status, 200);
    const org = Number(sql('SELECT id FROM orgs WHERE parent_id IS NULL'));
    const p = await call(s.url, 'POST', '/api/v1/problems', { token: login.json.token, body: { category: 'C0301', description: '旧数据 MARK', org_id: org, location: { lat: 31.22, lng: 121.54 } } });
    assert.equal(p.status, 201, p.buf.toString());
    code = p.json.code;
  } finally {
    await s.stop();
  }
  // What an older version let through: U+FFFF and a C0 control in the text.
  const chr = db.url ? 'chr' : 'char';
  sql(`UPDATE problems SET description = replace(description, 'MARK', 'a' || ${chr}(65535) || 'b' || ${chr}(1) || 'c')`);
  s = await serve();
  try {
    const login = await call(s.url, 'POST', '/api/v1/session', { body: { login: 'boss', password: 'a-long-secret-1' } });
    const x = await call(s.url, 'GET', '/api/v1/ledger/xlsx', { token: login.json.token });
    assert.equal(x.status, 200);
    const files = unzip(x.buf);
    for (const [name, data] of Object.entries(files))
      if (name.endsWith('.xml')) assert.doesNotMatch(data.toString('utf8'), /[\uFFFE\uFFFF\u0000-\u0008\u000B\u000C\u000E-\u001F]/, name);
    const row = [...cells(files).values()];
    assert.ok(row.some((c) => c.value === code));
    assert.ok(row.some((c) => c.value === '旧数据 abc'), 'the rest of the text is kept');
  } finally {
    await s.stop();
  }
});
