// Browser test: the public tracking page needs no login, takes the reporter's
// tracking code (not the sequential report number) and shows no personal
// data; the reporter rates a closed problem. 360 px phone, Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext } from './server.mjs';

let server, browser;
const shots = 'tests/artifacts';

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDemo();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
});
after(async () => { await browser?.close(); await server?.stop(); });

test('the tracking page works without signing in and shows no personal data', async () => {
  // A citizen tip through Open311 (anonymous): its answer carries the tracking code.
  const post = await fetch(server.url + '/open311/v2/requests.json', {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ service_code: 'C0301', address_string: '锦绣前城', description: '楼道堆物 查询页', phone: '13987654321', last_name: '王' }).toString(),
  });
  const [{ token, service_request_id: number }] = await post.json();
  assert.match(token, /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + '/#/login');
  await page.getByTestId('login-track').click();
  await page.getByTestId('track-code').fill(token.toLowerCase());
  await page.getByTestId('track-submit').click();
  const result = page.getByTestId('track-result');
  await result.waitFor();
  const text = await result.textContent();
  assert.equal((await page.getByTestId('track-result-code').textContent()).trim(), token);
  assert.ok(text.includes(number));
  assert.doesNotMatch(text, /13987654321|王\*|139\*{4}/, 'no reporter contact');
  assert.match(await page.getByTestId('track-state').textContent(), /\S/);
  assert.doesNotMatch(text, /李居民|张志愿|1\d{2}\*{4}\d{4}/, 'no reporter or phone on the public page');
  await page.screenshot({ path: `${shots}/track-phone.png`, fullPage: true });
  // The sequential report number tracks nothing (coverage 12).
  await page.getByTestId('track-code').fill(number);
  await page.getByTestId('track-submit').click();
  await page.getByTestId('track-error').waitFor();
  assert.match(await page.getByTestId('track-error').textContent(), /HM-/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `overflow ${overflow}px`);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the 居委 sees an Open311 reporter masked and reveals the contact on request', async () => {
  const post = await fetch(server.url + '/open311/v2/requests.json', {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ service_code: 'C0301', address_string: '锦绣前城', description: '楼道堆物 联系方式', phone: '13987654321', last_name: '王', first_name: '伟' }).toString(),
  });
  const [{ service_request_id: number }] = await post.json();
  const token = (await (await fetch(server.url + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'committee', password: 'wenming-demo' }) })).json()).token;
  const list = await (await fetch(server.url + '/api/v1/problems?q=' + encodeURIComponent(number), { headers: { Authorization: 'Bearer ' + token } })).json();
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'committee');
  await page.evaluate((h) => { location.hash = h; }, '#/problems/' + list.items[0].id);
  const box = page.getByTestId('problem-contact');
  await box.waitFor();
  assert.match(await box.textContent(), /王\*\*.*139\*{4}4321/);
  assert.doesNotMatch(await page.content(), /13987654321/);
  await page.getByTestId('problem-contact-reveal').click();
  await page.getByTestId('problem-contact-full').waitFor();
  assert.match(await page.getByTestId('problem-contact-full').textContent(), /王伟.*13987654321/);
  assert.deepEqual(errors, []);
  await ctx.close();
});
