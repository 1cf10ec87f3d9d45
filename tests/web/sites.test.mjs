// Browser test of the site, round, ranking, task and checklist pages over the
// demo data (desktop and phone, Chinese): the demo's 咬尾巴 round with its
// ranking, the rankings table, the daily tasks with a task ticked off, the
// site list filtered by type, and a checklist saved as a new version.
// Screenshots: tests/artifacts/sites-*.png.
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
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('desktop: office sees the demo round, its ranking, the rankings, tasks, sites and edits a checklist', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'office');
  for (const nav of ['nav-sites', 'nav-rounds', 'nav-rankings', 'nav-tasks', 'nav-checklists'])
    assert.ok(await page.getByTestId(nav).isVisible(), nav);

  await page.getByTestId('nav-rounds').click();
  await page.getByTestId('round-list').waitFor();
  const rows = page.locator('[data-testid=round-list] tbody tr');
  assert.equal(await rows.count(), 2);
  await page.getByRole('link', { name: /咬尾巴突击检查$/ }).click();
  await page.getByTestId('round-ranking').waitFor();
  assert.equal(await page.locator('[data-testid=round-ranking] tbody tr').count(), 8);
  assert.equal(await page.locator('[data-testid=round-pairs] tbody tr').count(), 8);
  await page.screenshot({ path: `${shots}/sites-round.png`, fullPage: true });

  await page.getByTestId('nav-rankings').click();
  await page.getByTestId('rankings-table').waitFor();
  assert.ok(await page.locator('[data-testid=rankings-table] tbody tr').count() >= 8);
  await page.screenshot({ path: `${shots}/sites-rankings.png`, fullPage: true });

  await page.getByTestId('nav-tasks').click();
  // The table is drawn before its rows arrive.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=task-stats] tbody tr').length >= 8);
  assert.ok(await page.locator('.task-state-missed').count() > 0, 'some missed');
  await page.screenshot({ path: `${shots}/sites-tasks.png`, fullPage: true });

  await page.getByTestId('nav-sites').click();
  await page.getByTestId('site-list').waitFor();
  assert.ok(await page.locator('[data-testid=site-list] li').count() >= 24);
  await page.getByTestId('sites-type-filter').selectOption('S01');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=site-list] li').length === 8);
  await page.screenshot({ path: `${shots}/sites-list.png`, fullPage: true });

  await page.getByTestId('nav-checklists').click();
  await page.getByTestId('cl-item-1').waitFor();
  const n = await page.locator('.insp-item').count();
  await page.getByTestId('cl-add').click();
  await page.locator(`[data-testid=cl-item-${n + 1}] textarea`).fill('楼道灯每层可用（新增）');
  await page.getByTestId('cl-save').click();
  await page.getByText('已保存为第 2 版。').waitFor();
  assert.equal(await page.locator('.insp-item').count(), n + 1);
  await page.screenshot({ path: `${shots}/sites-checklist.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('phone 360 px: a volunteer ticks off a daily patrol', async () => {
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'volunteer');
  await page.goto(`${server.url}/#/tasks`);
  await page.getByTestId('task-list').first().waitFor();
  const open = page.locator('[data-testid=task-list] li', { has: page.getByRole('button', { name: '完成' }) });
  const before = await open.count();
  if (before > 0) {
    await open.first().getByRole('button', { name: '完成' }).click();
    await page.waitForFunction((b) => document.querySelectorAll('[data-testid=task-list] li button.btn-primary').length === b - 1, before);
  }
  await page.screenshot({ path: `${shots}/sites-tasks-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});
