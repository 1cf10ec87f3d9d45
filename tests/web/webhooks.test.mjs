// Browser test (SPEC §11 webhooks): the admin registers a receiver on the
// Webhook 推送 page (desktop), sees the secret once, sends a test message and
// watches it arrive (signed) and show as delivered; then the list on a 360 px
// phone. Screenshots: tests/artifacts/webhooks-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext } from './server.mjs';

let server, browser, receiver;
const got = [];
const shots = 'tests/artifacts';

before(async () => {
  mkdirSync(shots, { recursive: true });
  receiver = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => { got.push({ headers: req.headers, raw }); res.end('ok'); });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  server = await startDemo({ env: { WENMING_TICK_SECONDS: '0' } });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((r) => receiver.close(r));
});

test('the admin adds a webhook, copies its secret and sees the test message delivered', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'admin');
  await page.goto(server.url + '/#/webhooks');
  await page.getByTestId('hook-form').waitFor();
  // A bad URL is refused next to the field.
  await page.getByTestId('hook-name').fill('文明办钉钉群');
  await page.getByTestId('hook-url').fill('ftp://example.org/x');
  await page.getByTestId('hook-create').click();
  await page.locator('.field-error').first().waitFor();
  const url = `http://127.0.0.1:${receiver.address().port}/dingtalk`;
  await page.getByTestId('hook-url').fill(url);
  await page.getByTestId('hook-custom').fill('shift.signup.promoted');
  await page.getByTestId('hook-create').click();
  const secretBox = page.getByTestId('hook-secret');
  await secretBox.waitFor();
  const secret = (await secretBox.locator('code').textContent()).trim();
  assert.match(secret, /^whsec_/);
  const row = page.getByTestId('hook-list').locator('tbody tr', { hasText: '文明办钉钉群' });
  await row.waitFor();
  assert.match(await row.textContent(), /problem\.\*, shift\.signup\.promoted/);
  await row.getByRole('button', { name: '发送测试' }).click();
  for (let i = 0; i < 100 && !got.length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(got.length, 1, 'the receiver got the test message');
  const g = got[0];
  const want = crypto.createHmac('sha256', secret).update(`${g.headers['x-wenming-timestamp']}.${g.raw}`).digest('hex');
  assert.equal(g.headers['x-wenming-signature'], `sha256=${want}`);
  assert.equal(JSON.parse(g.raw).event, 'ping');
  await row.getByRole('button', { name: '推送记录' }).click();
  const list = page.getByTestId('hook-deliveries');
  await list.getByText('ping').waitFor();
  for (let i = 0; i < 20 && !(await list.getByText('已送达').count()); i++) {
    await page.waitForTimeout(300);
    await row.getByRole('button', { name: '推送记录' }).click();
  }
  await list.getByText('已送达').waitFor();
  await page.screenshot({ path: `${shots}/webhooks-desktop.png`, fullPage: true });

  const phone = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const p2 = await phone.newPage();
  await signIn(p2, server.url, 'admin');
  await p2.goto(server.url + '/#/webhooks');
  await p2.getByTestId('hook-list').locator('tbody tr').first().waitFor();
  const overflow = await p2.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `no sideways scrolling on a phone (${overflow} px)`);
  await p2.screenshot({ path: `${shots}/webhooks-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
  await phone.close();
});
