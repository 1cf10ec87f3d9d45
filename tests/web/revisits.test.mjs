// Browser test: 回头看 on a 360 px phone — the inspector opens the task list,
// records a relapse with a camera photo (the problem is reopened), then
// checks in at a watched 顽疾 spot and sees today's progress go up.
// Screenshots: tests/artifacts/revisits-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext } from './server.mjs';
import { makePng } from '../api/harness.mjs';

let server, browser;
const shots = 'tests/artifacts';

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDemo();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
});
after(async () => { await browser?.close(); await server?.stop(); });

test('an inspector does a revisit on a phone: relapse with a photo reopens the problem; a 巡查打卡 counts today', async () => {
  const ctx = await newContext(browser, {
    viewport: { width: 360, height: 780 }, locale: 'zh-CN', permissions: ['geolocation'],
    geolocation: { latitude: 31.2291, longitude: 121.5447 },
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'inspector');
  await page.goto(server.url + '/#/revisits');
  const list = page.getByTestId('revisits-list');
  await list.locator('li').first().waitFor();
  const row = list.locator('li').first();
  const rowId = (await row.getAttribute('data-testid')).replace('revisit-row-', '');
  const code = (await row.locator('.problem-code').textContent()).trim();
  await page.getByTestId(`revisit-do-${rowId}`).click();
  await page.getByTestId('revisit-fail').check();
  // A relapse without a photo is refused in the form.
  await page.getByTestId('revisit-submit').click();
  await page.locator('.revisit-form .field-error').first().waitFor();
  await page.getByTestId('revisit-photo').setInputFiles({ name: 'relapse.png', mimeType: 'image/png', buffer: makePng(120, 90) });
  await page.locator('.revisit-form .photo-ok').waitFor();
  await page.getByTestId('revisit-note').fill('楼道又堆满纸箱');
  await page.getByTestId(`revisit-row-${rowId}`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/revisits-form-phone.png` });
  await page.getByTestId('revisit-submit').click();
  await page.getByTestId(`revisit-row-${rowId}`).locator('.revisit-failed').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `overflow ${overflow}px`);
  await page.screenshot({ path: `${shots}/revisits-done-phone.png` });

  // The problem page: reopened, one relapse more, the revisit schedule.
  await page.getByTestId(`revisit-row-${rowId}`).locator('.problem-code').click();
  await page.getByTestId('problem-code').waitFor();
  assert.equal((await page.getByTestId('problem-code').textContent()).trim(), code);
  assert.match(await page.getByTestId('problem-state').textContent(), /回潮/);
  const rv = page.getByTestId('problem-revisits');
  assert.match(await rv.textContent(), /回潮次数/);
  assert.match(await rv.textContent(), /已取消|回潮/);
  assert.match(await page.getByTestId('problem-timeline').textContent(), /回头看 #\d+ 发现回潮/);
  await page.screenshot({ path: `${shots}/revisits-problem-phone.png`, fullPage: true });

  // 顽疾盯办: the watched spot's check-in button shows today's progress.
  await page.goto(server.url + '/#/chronic');
  await page.getByTestId('chronic-filter-watched').click();
  // The watched list has loaded when a card shows today's progress.
  const today = page.locator('[data-testid^=chronic-today-]').first();
  await today.waitFor();
  const spotId = (await today.getAttribute('data-testid')).replace('chronic-today-', '');
  const before = await today.textContent();
  const m = before.match(/(\d+)\/(\d+)/);
  assert.ok(m, before);
  await page.getByTestId(`chronic-check-${spotId}`).click();
  await page.waitForFunction(([id, n]) => {
    const el = document.querySelector(`[data-testid=chronic-today-${id}]`);
    return el && el.textContent.includes(`${n}/`);
  }, [spotId, Number(m[1]) + 1]);
  // A check that found a problem: a note, counted too.
  await page.getByTestId(`chronic-problem-${spotId}`).click();
  await page.getByTestId('chronic-problem-note').fill('门口又停满电动车');
  await page.getByTestId('chronic-problem-submit').click();
  await page.waitForFunction(([id, n]) => {
    const el = document.querySelector(`[data-testid=chronic-today-${id}]`);
    return el && el.textContent.includes(`${n}/`);
  }, [spotId, Number(m[1]) + 2]);
  await page.screenshot({ path: `${shots}/chronic-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});
