// Starts a demo server on a random loopback port for the browser tests and
// returns {url, stop}. The binary is $WENMING_BIN (default build/wenming); with
// WENMING_TEST_PG it runs on a PostgreSQL database of its own (tests/api/database.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockStartEnv, clockNow, CLOCK_START } from '../clock.mjs';
import { testDatabase, serverArgs } from '../api/database.mjs';

export { clockNow, CLOCK_START };

export async function startDemo({ env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'wenming-web-'));
  const bin = process.env.WENMING_BIN || 'build/wenming';
  const database = testDatabase();
  const child = spawn(bin, ['demo', ...serverArgs(dir, database), '--listen', '127.0.0.1:0', '--people', '60'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...clockStartEnv(), ...env } });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start in 240 s\n' + err)), 240000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); database.drop(); reject(new Error(`server exited ${code}\n${err}`)); });
  });
  child.stdout.resume();
  return {
    url,
    async stop() {
      const done = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await done;
      rmSync(dir, { recursive: true, force: true });
      database.drop();
    },
  };
}

// A browser context whose clock agrees with the server's: with
// WENMING_CLOCK_START the page's Date starts at the server's "now" and runs
// on (Playwright's clock; timers still fire in real time).
export async function newContext(browser, opts = {}) {
  const ctx = await browser.newContext(opts);
  if (CLOCK_START) await ctx.clock.install({ time: clockNow() });
  return ctx;
}

export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic'];

// Signs in through the login form and waits until the app has routed away
// from #/login and drawn its navigation. Shared by every browser test.
export async function signIn(page, url, login, password = 'wenming-demo') {
  await page.goto(url + '/');
  await page.getByTestId('login-input').fill(login);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForFunction(() => !location.hash.startsWith('#/login') && document.querySelector('[data-testid=nav]'));
}
