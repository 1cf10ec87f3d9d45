// clock-start.test.mjs — WENMING_CLOCK_START (with WENMING_TEST_CLOCK=1)
// starts the server's clock at a chosen instant before the demo is built, and
// the clock is still there once the demo has been built (its back-dated
// inspections used to put the real time back); ages follow that clock; a bad
// value stops the server. scripts/test-dates.sh relies on all of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, PASSWORD, makeId, randomPhone, testDatabase, serverArgs } from './harness.mjs';

const START = '2030-06-15T10:00:00+08:00';

async function withDemo(env, fn, people = '0') {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-clock-'));
  const db = testDatabase();
  const child = spawn(binPath(), ['demo', ...serverArgs(dir, db), '--listen', '127.0.0.1:0', '--people', people],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WENMING_TICK_SECONDS: '0', ...env } });
  let err = '';
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
    const call = async (method, path, token, body) => {
      const r = await fetch(url + path, { method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return { status: r.status, json: await r.json().catch(() => null) };
    };
    const login = async (l) => (await call('POST', '/api/v1/session', null, { login: l, password: PASSWORD })).json.token;
    await fn({ call, login, stderr: () => err });
  } finally {
    const done = new Promise((res) => { if (child.exitCode !== null) res(); else child.on('exit', res); });
    child.kill('SIGTERM');
    await done;
    rmSync(dir, { recursive: true, force: true });
    db.drop();
  }
}

test('the test clock starts at WENMING_CLOCK_START and stays there after the demo build; ages follow it', async () => {
  await withDemo({ WENMING_TEST_CLOCK: '1', WENMING_CLOCK_START: START }, async ({ call, login }) => {
    const office = await login('office');
    const resident = await login('resident');
    const comm = (await call('GET', `/api/v1/orgs?q=${encodeURIComponent('由由第五居民区')}`, office)).json.items[0].id;
    const p = await call('POST', '/api/v1/problems', resident, { category: 'C0301', description: '时钟起点测试', org_id: comm, location: { lat: 31.2, lng: 121.5 } });
    assert.equal(p.status, 201, JSON.stringify(p.json));
    assert.match(p.json.code, /^HM-2030-\d{6}$/);
    const at = Date.parse(p.json.created_at), start = Date.parse(START);
    assert.ok(at >= start && at < start + 600e3, `created at ${p.json.created_at}, within minutes of ${START}`);
    // Born 2012-06-16: 17 on 15 June 2030 (the day before the 18th birthday), 14 in 2026.
    const person = await call('POST', '/api/v1/people', office, { name: '时钟测试', org_id: comm, kinds: ['resident'], id_number: makeId('20120616', null, '310115'), phone: randomPhone() });
    assert.equal(person.status, 201, JSON.stringify(person.json));
    assert.equal(person.json.age, 17);
  }, '5');	// with people, so the back-dated inspections (demo_sites.c) are built too
});

test('without WENMING_TEST_CLOCK the start is ignored, with a warning', async () => {
  await withDemo({ WENMING_TEST_CLOCK: '0', WENMING_CLOCK_START: START }, async ({ call, login, stderr }) => {
    const office = await login('office');
    const resident = await login('resident');
    const comm = (await call('GET', `/api/v1/orgs?q=${encodeURIComponent('由由第五居民区')}`, office)).json.items[0].id;
    const p = await call('POST', '/api/v1/problems', resident, { category: 'C0301', description: '真实时钟', org_id: comm, location: { lat: 31.2, lng: 121.5 } });
    assert.equal(p.status, 201, JSON.stringify(p.json));
    assert.ok(Math.abs(Date.parse(p.json.created_at) - Date.now()) < 600e3, `created at ${p.json.created_at}, the real time`);
    assert.match(stderr(), /WENMING_CLOCK_START ignored/);
  });
});

test('a malformed WENMING_CLOCK_START stops the binary (exit 2), never falls back to today', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-clock-'));
  const db = testDatabase();
  try {
    const r = await new Promise((res) => execFile(binPath(), ['migrate', ...serverArgs(dir, db)],
      { env: { ...process.env, WENMING_TEST_CLOCK: '1', WENMING_CLOCK_START: 'tomorrow' } },
      (e, stdout, stderr) => res({ code: e ? e.code : 0, stderr })));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /WENMING_CLOCK_START=tomorrow is not an RFC 3339 time/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    db.drop();
  }
});
