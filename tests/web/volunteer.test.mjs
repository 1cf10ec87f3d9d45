// Browser test (SPEC §5): on a 360 px phone the demo volunteer signs up for a
// shift and, at the post, checks in from the QR page with the browser's
// location; staff see the roster. The server runs with the test clock so the
// sign-up window and the check-in window can be reached without waiting.
// Screenshots: tests/artifacts/volunteer-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext, clockNow } from './server.mjs';

let server, browser;
const shots = 'tests/artifacts';
const GATE = { latitude: 31.2153, longitude: 121.5502 };

async function apiAs(login, method, path, body) {
  const s = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password: 'wenming-demo' }) });
  const token = (await s.json()).token;
  const r = await fetch(`${server.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
const setClock = (now) => apiAs('admin', 'PUT', '/system/clock', { now });

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDemo({ env: { WENMING_TEST_CLOCK: '1', WENMING_TICK_SECONDS: '0' } });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
});
after(async () => { await browser?.close(); await server?.stop(); });

test('a resident registers as a volunteer on a phone; the 居委 approves', async () => {
  const orgs = await apiAs('admin', 'GET', '/orgs?q=%E7%94%B1%E7%94%B1%E7%AC%AC%E4%BA%94%E5%B1%85%E6%B0%91%E5%8C%BA');
  const comm = orgs.items[0].id;
  const login = `web-vol-${Date.now().toString(36)}`;
  await apiAs('admin', 'POST', '/accounts', { login, display_name: '网页注册', password: 'web-vol-secret-1', grants: [{ role: 'resident', org_id: comm }] });
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, login, 'web-vol-secret-1');
  await page.goto(server.url + '/#/volunteer');
  await page.getByTestId('vol-register').waitFor();
  await page.getByTestId('vol-name').fill('王网页');
  // A wrong check digit first: the server's field error is shown next to the input.
  const f17 = '11010519920315123';
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const check = '10X98765432'[[...f17].reduce((a, c, i) => a + Number(c) * w[i], 0) % 11];
  await page.getByTestId('vol-id').fill(f17 + (check === '0' ? '1' : '0'));
  await page.getByTestId('vol-phone').fill('13912345678');
  const opts = await page.getByTestId('vol-org').locator('option').allTextContents();
  await page.getByTestId('vol-org').selectOption({ index: opts.findIndex((o) => o.includes('由由第五居民区')) });
  await page.getByTestId('vol-register-submit').click();
  await page.locator('.field-error').first().waitFor();
  await page.screenshot({ path: `${shots}/volunteer-register-error-phone.png`, fullPage: true });
  await page.getByTestId('vol-id').fill(f17 + check);
  await page.getByTestId('vol-register-submit').click();
  await page.getByTestId('vol-pending').waitFor();
  await page.screenshot({ path: `${shots}/volunteer-register-pending-phone.png`, fullPage: true });
  const list = await apiAs('committee', 'GET', '/volunteers?status=pending&q=%E7%8E%8B%E7%BD%91%E9%A1%B5');
  assert.equal(list.items.length, 1);
  await apiAs('committee', 'POST', `/volunteers/${list.items[0].id}/decision`, { decision: 'approve' });
  await page.reload();
  await page.getByTestId('vol-tab-shifts').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `overflow ${overflow}px`);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a volunteer signs up on a phone and checks in at the post by its QR page', async () => {
  const orgs = await apiAs('admin', 'GET', '/orgs?q=%E7%94%B1%E7%94%B1%E7%AC%AC%E4%BA%94%E5%B1%85%E6%B0%91%E5%8C%BA');
  const comm = orgs.items[0].id;
  const post = await apiAs('office', 'POST', '/posts', { org_id: comm, name: '锦绣前城爱心岗（测试）', kind: 'love_post', address: '锦绣前城北门', location: { lat: GATE.latitude, lng: GATE.longitude }, radius_m: 100, rules: '佩戴红马甲，劝导文明出行' });
  await apiAs('office', 'POST', `/posts/${post.id}/patterns`, { weekdays: [3], start: '16:30', end: '18:30', capacity: 2 });
  await apiAs('office', 'POST', `/posts/${post.id}/generate`, { from: '2025-03-03', days: 7 });
  await setClock('2025-03-01T10:00:00+08:00');	// Saturday: the week of 3 March is open

  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', geolocation: GATE, permissions: ['geolocation'] });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'volunteer');
  await page.goto(server.url + '/#/volunteer');
  await page.getByTestId('vol-summary').waitFor();
  await page.getByTestId('shift-list').waitFor();
  const shifts = await apiAs('volunteer', 'GET', `/shifts?post_id=${post.id}`);
  const shift = shifts.items[0];
  const card = page.getByTestId(`shift-${shift.id}`);
  await card.waitFor();
  assert.match(await page.getByTestId(`remaining-${shift.id}`).textContent(), /剩余 2\/2/);
  await page.screenshot({ path: `${shots}/volunteer-shifts-phone.png`, fullPage: true });
  await page.getByTestId(`signup-${shift.id}`).click();
  await page.getByText('报名成功').waitFor();
  await page.waitForFunction((id) => /剩余 1\/2/.test(document.querySelector(`[data-testid=remaining-${id}]`)?.textContent || ''), shift.id);
  await page.getByTestId('vol-tab-mine').click();
  await page.getByTestId('my-signups').getByText('锦绣前城爱心岗（测试）').first().waitFor();
  await page.screenshot({ path: `${shots}/volunteer-mine-phone.png`, fullPage: true });

  // At the post, five minutes before the start: the QR code opens #/checkin/{post}.
  await setClock('2025-03-05T16:25:00+08:00');
  await page.goto(`${server.url}/#/checkin/${post.id}`);
  await page.getByTestId('checkin-post').waitFor();
  assert.equal(await page.getByTestId('checkin-post').textContent(), '锦绣前城爱心岗（测试）');
  await page.getByTestId('checkin-button').click();
  await page.getByTestId('checkin-done').waitFor();
  assert.match(await page.getByTestId('checkin-done').textContent(), /签到成功/);
  await page.screenshot({ path: `${shots}/volunteer-checkin-phone.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `overflow ${overflow}px`);

  // Far from the post, another volunteer would be refused: the same page with a location 1 km away.
  await ctx.setGeolocation({ latitude: GATE.latitude + 0.009, longitude: GATE.longitude });
  await page.reload();
  await page.getByTestId('checkin-button').click();
  await page.getByRole('alert').filter({ hasText: /已签到|超出签到范围/ }).first().waitFor();

  await setClock('2025-03-05T18:31:00+08:00');
  const mine = await apiAs('volunteer', 'GET', '/volunteers/me/signups?from=2025-03-01&to=2025-03-10');
  assert.equal(mine.items[0].status, 'confirmed');
  assert.ok(mine.items[0].checkin_at);
  assert.ok(mine.items[0].checkin_distance_m < 100);
  assert.deepEqual(errors, []);
  await ctx.close();

  // Staff: the week's roster on a desktop.
  const desk = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const sp = await desk.newPage();
  await signIn(sp, server.url, 'office');
  await sp.goto(server.url + '/#/volunteering');
  await sp.getByTestId('vol-list').waitFor();
  await sp.screenshot({ path: `${shots}/volunteering-desktop.png`, fullPage: false });
  await sp.getByTestId('vadm-tab-roster').click();
  await sp.getByText('梧桐居委爱心岗').first().waitFor();
  await sp.screenshot({ path: `${shots}/volunteering-roster-desktop.png`, fullPage: false });
  await sp.getByTestId('vadm-tab-teams').click();
  await sp.getByText('七彩虹巾帼志愿者服务队').first().waitFor();
  await sp.getByTestId('vadm-tab-activities').click();
  await sp.getByText('爱邻日').first().waitFor();
  await sp.screenshot({ path: `${shots}/volunteering-activities-desktop.png`, fullPage: false });
  await desk.close();
  await setClock(new Date(clockNow()).toISOString());
});
