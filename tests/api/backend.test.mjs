// backend.test.mjs — the test plumbing of the two backends (database.mjs): on PostgreSQL
// every server gets a database of its own that is gone after stop(), the shared server's
// database is reachable for the read-only checks, and the "nothing changed" fingerprint
// holds still over reads and moves with a write. On SQLite it checks the same fingerprint on
// the data directory's wenming.db.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServer, api, as, login, tag, orgId, serverDatabase, fingerprint, query, onPostgres, testDatabase } from './harness.mjs';
import { databaseExists, databaseUrl, psql } from './database.mjs';

await ensureServer();

test('a test database is created on the cluster and dropped again', { skip: !onPostgres() && 'SQLite: the database is the data directory' }, () => {
  const db = testDatabase();
  assert.match(db.name, /^wm_[0-9a-f]{12}$/);
  assert.deepEqual(db.args, ['--database', databaseUrl(db.name)]);
  assert.ok(databaseExists(db.name), `${db.name} exists`);
  // A connection left open (a killed server's) does not keep it alive.
  assert.equal(psql(db.url, 'SELECT current_database();').trim(), db.name);
  db.drop();
  assert.ok(!databaseExists(db.name), `${db.name} is dropped`);
  db.drop();	// twice is harmless
});

test('the shared server runs on the backend under test', () => {
  const db = serverDatabase();
  assert.ok(db, 'the server data dir is unknown (run through run.mjs, which sets WENMING_DATA_DIR)');
  if (onPostgres()) {
    assert.ok(db.url, 'run.mjs passes the database URL (WENMING_DATA_DATABASE)');
    assert.ok(databaseExists(new URL(db.url).pathname.slice(1)));
  } else assert.equal(db.url, null);
  assert.ok(Number(query(db, 'SELECT count(*) FROM accounts;').trim()) > 0, 'the demo accounts are there');
});

test('the fingerprint holds over reads and moves with a write', async () => {
  const db = serverDatabase();
  const office = await login('office');
  const a = fingerprint(db);
  assert.equal((await api('GET', '/api/v1/problems?limit=5', as(office))).status, 200);
  assert.equal(fingerprint(db), a, 'a read changes nothing');
  // In the community itself: sites.test lists S01 sites in its subtree and expects them there.
  const body = { name: `指纹测试 ${tag()}`, site_type: 'S01', org_id: await orgId('由由第五居民区') };
  const r = await api('POST', '/api/v1/sites', as(office, { body }));
  assert.equal(r.status, 201, r.text);
  assert.notEqual(fingerprint(db), a, 'a write moves it');
});
