// demo-empty.test.mjs — `wenming demo --people 0` (the usage allows 0): the
// demo street is built without synthetic residents, every demo login works,
// and the parts that need a crowd (shift rosters) are simply left open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, DEMO_LOGINS, PASSWORD, testDatabase, serverArgs } from './harness.mjs';

test('demo --people 0 builds and serves, with every demo login', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-demo0-'));
  const db = testDatabase();
  const child = spawn(binPath(), ['demo', ...serverArgs(dir, db), '--listen', '127.0.0.1:0', '--people', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WENMING_TICK_SECONDS: '0', WENMING_TEST_CLOCK: '0' } });
  let err = '', admin = null;
  child.stderr.on('data', (d) => { err = (err + d).slice(-8000); });
  try {
    const url = await new Promise((res, rej) => {
      let out = '';
      const timer = setTimeout(() => rej(new Error('no listening line in 240 s')), 240000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
        if (m) { clearTimeout(timer); res(m[1]); }
      });
      child.on('exit', (c) => { clearTimeout(timer); rej(new Error(`demo exited ${c}: ${err}`)); });
    });
    for (const login of DEMO_LOGINS) {
      const r = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password: PASSWORD }) });
      assert.equal(r.status, 200, `${login}: ${r.status}`);
      if (login === 'admin') admin = (await r.json()).token;
    }
    // Not a test-clock server: the test hooks answer 404 even to an admin.
    for (const [path, body] of [['/api/v1/system/clock', { now: '2030-01-01T00:00:00Z' }], ['/api/v1/system/fault', { write: 1 }]]) {
      const r = await fetch(`${url}${path}`, { method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${admin}` }, body: JSON.stringify(body) });
      assert.equal(r.status, 404, `PUT ${path}: ${r.status}`);
      assert.equal((await r.json()).error.code, 'not_found');
    }
  } finally {
    const done = new Promise((res) => { if (child.exitCode !== null) res(); else child.on('exit', res); });
    child.kill('SIGTERM');
    await done;
    rmSync(dir, { recursive: true, force: true });
    db.drop();
  }
  assert.ok(!/building the demo failed/.test(err), err);
});
