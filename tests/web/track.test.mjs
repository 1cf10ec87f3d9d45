// Browser test: the public tracking page needs no login and shows no
// personal data; the reporter rates a closed problem. 360 px phone, Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, newContext } from './server.mjs';

let server, browser;
const shots = 'tests/artifacts';

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDemo();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
});
after(async () => { await browser?.close(); await server?.stop(); });

test('the tracking page works without signing in and shows no personal data', async () => {
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + '/#/login');
  await page.getByTestId('login-track').click();
  await page.getByTestId('track-code').fill('HM-2026-000001');
  await page.getByTestId('track-submit').click();
  const result = page.getByTestId('track-result');
  await result.waitFor();
  const text = await result.textContent();
  assert.match(text, /HM-2026-000001/);
  assert.match(await page.getByTestId('track-state').textContent(), /\S/);
  assert.doesNotMatch(text, /李居民|张志愿|1\d{2}\*{4}\d{4}/, 'no reporter or phone on the public page');
  await page.screenshot({ path: `${shots}/track-phone.png`, fullPage: true });
  await page.getByTestId('track-code').fill('HM-1999-000000');
  await page.getByTestId('track-submit').click();
  await page.getByTestId('track-error').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `overflow ${overflow}px`);
  assert.deepEqual(errors, []);
  await ctx.close();
});
