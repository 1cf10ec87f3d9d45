// Browser test of the working-time calendar (#/calendar): as 文明办 (office)
// on a 360 px phone, mark a day as a holiday through the day dialog and see
// it marked 休; import two lines and see them listed; an import with a bad
// line shows the line and imports nothing. On a 1366 px desktop, the whole
// year. Screenshots: tests/artifacts/calendar-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext, clockNow } from './server.mjs';

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

const loginAs = (page, login) => signIn(page, server.url, login);

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

// The day cells shown, by their dates. Only calendar-day-YYYY-MM-DD: the
// day dialog (calendar-day-dialog) and its fields share the prefix, so a bare
// [data-testid^="calendar-day-"] counted one cell too many (32 in December).
async function shownDays(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid^="calendar-day-"]')]
    .map((e) => e.dataset.testid.slice('calendar-day-'.length)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)));
}
const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
// Today in China on the tests' clock (the page's clock agrees: server.mjs).
const todayCn = () => new Date(clockNow() + 8 * 3600e3).toISOString().slice(0, 10);

async function apiDays(page, year) {
  return page.evaluate(async (y) => {
    const r = await fetch('/api/v1/calendar?year=' + y, { credentials: 'same-origin' });
    return (await r.json()).days;
  }, year);
}

test('phone 360 px: office marks a holiday, imports days, and a bad import imports nothing', async () => {
  const ctx = await newContext(browser, {
    viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true,
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await loginAs(page, 'office');

  // Through the navigation drawer.
  await page.getByTestId('menu-button').click();
  await page.getByTestId('nav-calendar').click();
  await page.waitForFunction(() => location.hash === '#/calendar');
  const yearEl = page.getByTestId('calendar-year');
  await yearEl.waitFor();
  const year = Number((await yearEl.textContent()).trim());
  const today = todayCn();
  assert.equal(year, Number(today.slice(0, 4)), 'this year first');
  await page.locator('.cal-months [data-testid^="calendar-day-"]').first().waitFor();
  // One month at a time on a phone: this month, every day of it, once.
  const shown = await shownDays(page);
  const month = today.slice(0, 7);
  const want = Array.from({ length: daysIn(year, Number(month.slice(5))) }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
  assert.deepEqual(shown, want, `the days of ${month}`);
  assert.match(await page.getByTestId(`calendar-day-${today}`).getAttribute('class'), /is-today/);

  // Day cells are real touch targets.
  const box = await page.getByTestId(`calendar-day-${month}-15`).boundingBox();
  assert.ok(box.width >= 40 && box.height >= 40, `day cell ${box.width}×${box.height}`);
  assert.ok(await overflow(page) <= 1, `page overflows the phone by ${await overflow(page)}px`);
  await page.screenshot({ path: `${shots}/calendar-phone.png`, fullPage: true });

  // Mark the 15th as a holiday through the dialog.
  const day = `${month}-15`;
  await page.getByTestId(`calendar-day-${day}`).click();
  const dialog = page.getByTestId('calendar-day-dialog');
  await dialog.waitFor({ state: 'visible' });
  await page.getByTestId('calendar-day-kind').selectOption('holiday');
  await page.getByTestId('calendar-day-name').fill('测试放假');
  await page.screenshot({ path: `${shots}/calendar-phone-dialog.png` });
  await page.getByTestId('calendar-day-save').click();
  await dialog.waitFor({ state: 'hidden' });
  const cell = page.getByTestId(`calendar-day-${day}`);
  await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent.includes('休'), `calendar-day-${day}`);
  assert.match(await cell.getAttribute('class'), /is-holiday/);
  await page.locator('.cal-months').screenshot({ path: `${shots}/calendar-phone-month.png` });
  assert.match(await page.getByTestId('calendar-exceptions').textContent(), /测试放假/);
  assert.ok((await apiDays(page, year)).some((d) => d.date === day && d.kind === 'holiday'), 'saved on the server');

  // Import two lines.
  const good = `# 测试\n${year}-11-03 holiday 测试节\n${year}-11-08 班 测试节调休\n`;
  await page.getByTestId('calendar-import-text').fill(good);
  await page.getByTestId('calendar-import-submit').click();
  await page.getByText('已导入 2 天。').waitFor();
  const listed = await page.getByTestId('calendar-exceptions').textContent();
  assert.match(listed, /测试节调休/);
  assert.match(listed, new RegExp(`${year}-11-03`));
  assert.match(listed, new RegExp(`${year}-11-08`));

  // A bad third line (a blank line in between): the error names line 4 of the
  // box and nothing of the batch is imported.
  const before = (await apiDays(page, year)).length;
  await page.getByTestId('calendar-import-text').fill(`${year}-12-01 holiday 不该导入\n\n${year}-12-02 holiday 也不该导入\n${year}-13-40 holiday 坏日期\n`);
  await page.getByTestId('calendar-import-submit').click();
  const errBox = page.getByTestId('calendar-import-errors');
  await errBox.waitFor();
  const errText = await errBox.textContent();
  assert.match(errText, /第 4 行/);
  assert.match(errText, /13-40/);
  assert.doesNotMatch(await page.getByTestId('calendar-exceptions').textContent(), /不该导入/);
  assert.equal((await apiDays(page, year)).length, before, 'nothing imported');
  await errBox.scrollIntoViewIfNeeded();
  assert.ok(await overflow(page) <= 1, `page overflows the phone by ${await overflow(page)}px`);
  await page.screenshot({ path: `${shots}/calendar-phone-import-error.png` });
  await page.screenshot({ path: `${shots}/calendar-phone-full.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('desktop 1366 px: the whole year, hours form and import box', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await loginAs(page, 'office');
  await page.goto(server.url + '/#/calendar');
  await page.getByTestId('calendar-year').waitFor();
  await page.locator('.cal-months [data-testid^="calendar-day-"]').first().waitFor();
  // Twelve months: every day of the year once (366 in a leap year).
  const shown = await shownDays(page);
  const y = Number(todayCn().slice(0, 4));
  const leap = daysIn(y, 2) === 29;
  assert.equal(shown.length, leap ? 366 : 365, 'twelve months shown');
  assert.equal(new Set(shown).size, shown.length, 'no day twice');
  assert.ok(shown.every((d) => d.startsWith(`${y}-`)), `all in ${y}`);
  // Working hours save (unchanged values) answers with the hours.
  await page.getByTestId('calendar-hours-save').click();
  await page.getByText('工作时间已保存。').waitFor();
  assert.ok(await overflow(page) <= 1, `page overflows by ${await overflow(page)}px`);
  await page.screenshot({ path: `${shots}/calendar-desktop.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a resident sees no calendar in the navigation', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await loginAs(page, 'resident');
  assert.equal(await page.getByTestId('nav-calendar').count(), 0);
  await ctx.close();
});
