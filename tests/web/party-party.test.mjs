// Browser test (issue 16, docs/PARTY.md): the secretary opens 党组织和党员 on a
// desktop — the party tree with counts, the branch's roster, a member's
// details and transfer history; the demo volunteer 张志愿 (a 在职党员) sees the
// 党员 badge on their own shift list on a 360 px phone without sideways
// scroll. Screenshots: tests/artifacts/party-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext } from './server.mjs';

let server, browser;
const shots = 'tests/artifacts';

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDemo({ env: { WENMING_TICK_SECONDS: '0' } });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('desktop: the secretary sees the tree, the roster and a member', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'secretary');
  await page.goto(server.url + '/#/party');
  const tree = page.getByTestId('party-tree');
  await tree.locator('tbody tr', { hasText: '锦绣前城第一党支部' }).waitFor();
  const rows = await tree.locator('tbody tr').count();
  assert.ok(rows >= 2, 'the branch and its groups');
  assert.equal(await tree.locator('tbody tr', { hasText: '由由八村党支部' }).count(), 0, 'nothing outside the branch');
  const roster = page.getByTestId('party-roster');
  await roster.locator('tbody tr').first().waitFor();
  assert.ok(await roster.locator('tbody tr', { hasText: '张志愿' }).count() === 1, '张志愿 on the roster');
  await page.screenshot({ path: `${shots}/party-desktop.png`, fullPage: true });
  await roster.locator('tbody tr', { hasText: '张志愿' }).getByRole('button').click();
  const m = page.getByTestId('party-member');
  await m.waitFor();
  assert.match(await m.textContent(), /张志愿/);
  assert.match(await m.textContent(), /暂无转接记录|→/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('360 px: the 党员 badge on the volunteer’s own shift list', async () => {
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await signIn(page, server.url, 'volunteer');
  await page.goto(server.url + '/#/volunteer');
  await page.getByTestId('vol-tab-mine').click();
  await page.getByTestId('my-signups').waitFor();
  if (!(await page.getByTestId('party-badge').count())) {	// a small demo may leave 张志愿 without a shift: take one
    await page.getByTestId('vol-tab-shifts').click();
    await page.locator('[data-testid^="signup-"]').first().click();
    await page.locator('.alert, [role="status"]').first().waitFor();
    await page.getByTestId('vol-tab-mine').click();
  }
  const badge = page.getByTestId('party-badge').first();
  await badge.waitFor();
  assert.equal((await badge.textContent()).trim(), '党员');
  const bg = await badge.evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(bg, 'rgb(200, 16, 46)', 'the badge is party red');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scroll (${overflow}px)`);
  await page.screenshot({ path: `${shots}/party-volunteer-360.png`, fullPage: true });
  await page.goto(server.url + '/#/home');
  await ctx.close();
});

test('360 px: the party page as cards', async () => {
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await signIn(page, server.url, 'secretary');
  await page.goto(server.url + '/#/party');
  await page.getByTestId('party-roster').locator('tbody tr').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scroll (${overflow}px)`);
  await page.screenshot({ path: `${shots}/party-360.png`, fullPage: true });
  await ctx.close();
});
