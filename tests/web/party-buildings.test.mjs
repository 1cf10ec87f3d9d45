// Browser test (docs/PARTY.md "buildings"): on a 360 px phone the demo rep
// (锦绣前城 1号楼) opens 楼组长与楼栋 and sees "my building" (reps, notices,
// 接龙), passes a notice to the building, then records a home visit on the
// home-watch list; the 居委 sees the compound's coverage table on a desktop.
// Screenshots: tests/artifacts/buildings-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext, clockNow } from './server.mjs';

let server, browser;
const shots = 'tests/artifacts';
const today = () => new Date(clockNow() + 8 * 3600e3).toISOString().slice(0, 10);

async function apiAs(login, method, path, body) {
  const s = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password: 'wenming-demo' }) });
  const token = (await s.json()).token;
  const r = await fetch(`${server.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
const noOverflow = async (page) => {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `overflow ${overflow}px`);
};

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDemo({ env: { WENMING_TICK_SECONDS: '0' } });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
});
after(async () => { await browser?.close(); await server?.stop(); });

test('a rep on a phone: my building, pass a notice, record a home visit', async () => {
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'rep');
  await page.goto(server.url + '/#/buildings');
  await page.getByTestId('building-name').waitFor();
  assert.match(await page.getByTestId('building-name').textContent(), /锦绣前城 1号楼/);
  await page.getByTestId('rep-list').locator('li').first().waitFor();
  await noOverflow(page);
  await page.screenshot({ path: `${shots}/buildings-mine-phone.png`, fullPage: true });

  const title = `电梯检修通知 ${Date.now() % 100000}`;
  await page.getByTestId('notice-title').fill(title);
  await page.getByTestId('notice-body').fill('明天上午 9:00–11:00 1号楼电梯检修，请走楼梯。');
  await page.getByTestId('notice-send').click();
  await page.getByTestId('notice-sent').waitFor();
  assert.match(await page.getByTestId('notice-sent').textContent(), /已送达 \d+ 位居民/);
  await page.getByTestId('notice-list').getByText(title).waitFor();
  // The rep lives in 1号楼 (the demo attaches a person): the notice is in their own inbox.
  const inbox = await apiAs('rep', 'GET', '/notifications');
  assert.ok(inbox.items.some((n) => n.title === title));

  await page.goto(server.url + '/#/home-watch');
  await page.getByTestId('hw-list').locator('li').first().waitFor();
  await noOverflow(page);
  await page.screenshot({ path: `${shots}/buildings-homewatch-phone.png`, fullPage: true });
  const first = page.getByTestId('hw-list').locator('li').first();
  const id = Number((await first.getAttribute('data-testid')).slice(3));
  await first.locator('button.linkish').click();
  await page.getByTestId('visit-form').waitFor();
  await page.getByTestId('visit-date').fill(today());
  await page.getByTestId('visit-condition').selectOption('fair');
  await page.getByTestId('visit-needs').fill('想申请助餐');
  await page.getByTestId('visit-save').click();
  await page.getByTestId('visit-saved').waitFor();
  await page.getByTestId('visit-list').getByText('想申请助餐').waitFor();
  const w = await apiAs('rep', 'GET', `/home-watch/${id}`);
  assert.equal(w.last_visit, today());
  assert.equal(w.overdue, false);
  await noOverflow(page);
  await page.screenshot({ path: `${shots}/buildings-visit-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the 居委 on a desktop: the compound\'s buildings with coverage', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  await signIn(page, server.url, 'committee');
  await page.goto(server.url + '/#/buildings');
  // The page lists the community's buildings first, then picks the first compound with
  // buildings (锦绣前城) and loads again: wait for that second answer, not the first.
  await page.getByTestId('coverage').filter({ hasText: '共 52 栋楼' }).waitFor({ timeout: 20000 });
  await page.getByTestId('building-table').locator('tbody tr').nth(10).waitFor();
  assert.match(await page.getByTestId('coverage').textContent(), /共 52 栋楼/);
  await page.screenshot({ path: `${shots}/buildings-committee-desktop.png`, fullPage: false });
  await ctx.close();
});
