// Browser test: 好人好事 recorded on a 360 px phone by a resident and verified
// by the 居委; the public wall without login shows it without the recorder;
// the 目标责任书 page on a desktop (overview, a letter with progress bars).
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

const noOverflow = async (page) => {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `overflow ${overflow}px`);
};

test('a resident records a good deed on a phone; the 居委 verifies it; the wall shows it without login', async () => {
  const title = `扶老人上楼 ${Date.now().toString(36)}`;
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'resident');
  await page.evaluate(() => { location.hash = '#/good-deeds'; });
  await page.getByTestId('deed-form').waitFor();
  await page.getByTestId('deed-org').selectOption({ label: '由由第五居民区' });
  await page.getByTestId('deed-doer').fill('赵师傅');
  await page.getByTestId('deed-title').fill(title);
  await page.getByTestId('deed-submit').click();
  await page.getByTestId('deeds-notice').waitFor();
  assert.match(await page.getByTestId('deed-list').textContent(), new RegExp(title));
  await noOverflow(page);
  await page.screenshot({ path: `${shots}/good-deeds-phone.png`, fullPage: true });
  await ctx.close();

  const c2 = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
  const p2 = await c2.newPage();
  p2.on('pageerror', (e) => errors.push(e.message));
  await signIn(p2, server.url, 'committee');
  await p2.evaluate(() => { location.hash = '#/good-deeds'; });
  await p2.getByTestId('deed-queue').waitFor();
  const item = p2.getByTestId('deed-queue').locator('li', { hasText: title });
  await item.getByRole('button', { name: '核实通过' }).click();
  await p2.getByTestId('deeds-notice').waitFor();
  await p2.screenshot({ path: `${shots}/good-deeds-queue-phone.png`, fullPage: true });
  await c2.close();

  const c3 = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
  const p3 = await c3.newPage();
  p3.on('pageerror', (e) => errors.push(e.message));
  await p3.goto(server.url + '/#/wall');
  await p3.getByTestId('wall-list').waitFor();
  await p3.getByTestId('wall-list').locator('li', { hasText: title }).waitFor();
  const text = await p3.getByTestId('wall-list').textContent();
  assert.match(text, /赵师傅/);
  assert.doesNotMatch(text, /李居民|居民账号/, 'no recorder on the wall');
  await noOverflow(p3);
  await p3.screenshot({ path: `${shots}/good-deeds-wall-phone.png`, fullPage: true });
  await c3.close();
  assert.deepEqual(errors, []);
});

test('the targets page on a desktop: the overview and a letter with progress', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'office');
  await page.evaluate(() => { location.hash = '#/targets'; });
  const overview = page.getByTestId('targets-overview');
  await overview.waitFor();
  await overview.locator('li', { hasText: '由由第五居民区' }).waitFor();
  await overview.locator('a', { hasText: '由由第五居民区' }).click();
  await page.getByTestId('target-detail').waitFor();
  assert.ok(await page.locator('.target-bar').count() >= 5, 'progress bars');
  assert.match(await page.getByTestId('target-detail').textContent(), /样本/);
  assert.match(await page.getByTestId('target-pdf').getAttribute('href'), /letter\.pdf$/);
  await page.screenshot({ path: `${shots}/targets-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  await noOverflow(page);
  await page.screenshot({ path: `${shots}/targets-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});
