// Browser test (issue 16 honours, docs/PARTY.md "awards"): the public honour
// roll on the desktop without signing in (last year's demo round is
// published); a 居委 nominating on a 360 px phone, the evidence pre-filled
// from the records (the figures equal the API's) and no sideways scroll.
// Screenshots: tests/artifacts/awards-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext, clockNow } from './server.mjs';

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

async function call(method, path, token, body) {
  const r = await fetch(server.url + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
    body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json().catch(() => null) };
}
const tokenOf = async (login) => (await call('POST', '/api/v1/session', null, { login, password: 'wenming-demo' })).json.token;
const day = (off) => new Date(clockNow() + 8 * 3600e3 + off * 86400e3).toISOString().slice(0, 10);

test('the honour roll opens without signing in, on the desktop', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + '/#/honours');
  await page.getByTestId('honours-name').first().waitFor();
  const roll = (await call('GET', '/api/v1/awards/roll')).json.items;
  assert.ok(roll.length > 0);
  assert.equal(await page.getByTestId('honours-name').count(), roll.length);
  assert.match(await page.getByTestId('honours-scheme').first().textContent(), /精神文明建设表彰/);
  assert.ok(!(await page.evaluate(() => location.hash)).startsWith('#/login'), 'no sign-in asked');
  await page.screenshot({ path: `${shots}/awards-roll-desktop.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a 居委 nominates on a 360 px phone with the evidence pre-filled', async () => {
  const office = await tokenOf('office');
  const y = Number(day(0).slice(0, 4));
  const s = await call('POST', '/api/v1/awards/schemes', office, { name: `手机提名测试 ${Date.now()}`, year: y,
    nominate_from: day(-3), nominate_to: day(3), review_from: day(4), review_to: day(10),
    categories: [{ name: '福民奖', kinds: ['person', 'team'], quota: 3 }] });
  assert.equal(s.status, 201);
  assert.equal((await call('POST', `/api/v1/awards/schemes/${s.json.id}/state`, office, { state: 'nominating' })).status, 200);
  const committee = await tokenOf('committee');
  const person = (await call('GET', '/api/v1/people?limit=1', committee)).json.items[0];
  const ev = (await call('GET', `/api/v1/awards/evidence?kind=person&id=${person.id}&year=${y}`, committee)).json;

  const ctx = await newContext(browser, { viewport: { width: 360, height: 740 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'committee');
  await page.goto(server.url + '/#/awards');
  await page.getByTestId('awards-nominate').waitFor();
  await page.getByTestId('nom-scheme').selectOption(String(s.json.id));
  await page.getByTestId('nom-category').selectOption(String(s.json.categories[0].id));
  await page.getByTestId('nom-q').fill(person.name);
  await page.getByTestId('nom-find').click();
  await page.getByTestId('nom-pick-' + person.id).click();
  await page.getByTestId('nom-evidence').waitFor();
  const shown = Number(await page.getByTestId('ev-hours_total').textContent());
  const want = ev.items.find((i) => i.key === 'hours_total').value;
  assert.ok(Math.abs(shown - want) < 0.051, `hours shown ${shown}, records ${want}`);
  assert.equal(Number(await page.getByTestId('ev-good_deeds').textContent()), ev.items.find((i) => i.key === 'good_deeds').value);
  await page.getByTestId('nom-citation').fill('常年坚持社区志愿服务，热心帮助邻里，群众口碑好。');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `no sideways scroll (${wide}px)`);
  await page.screenshot({ path: `${shots}/awards-nominate-phone.png`, fullPage: true });
  await page.getByTestId('nom-submit').click();
  await page.getByTestId('nom-list').locator('li', { hasText: person.name }).first().waitFor();
  const list = (await call('GET', `/api/v1/awards/nominations?scheme_id=${s.json.id}`, committee)).json.items;
  assert.equal(list.length, 1);
  assert.equal(list[0].nominee_id, person.id);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the office sees a round’s results on the desktop and a panel member’s review page', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'office');
  await page.goto(server.url + '/#/awards');
  // The office is on the demo panel: its review page lists the round's nominations.
  await page.getByTestId('awards-review').locator('.card').first().waitFor();
  await page.screenshot({ path: `${shots}/awards-review-desktop.png`, fullPage: false });
  await page.getByTestId('awards-tab-schemes').click();
  const office = await tokenOf('office');
  const cur = (await call('GET', '/api/v1/awards/schemes', office)).json.items.find((s) => s.state === 'reviewing');
  await page.getByTestId('results-' + cur.id).click();
  await page.getByTestId('awards-results').locator('tbody tr').first().waitFor();
  assert.equal(await page.getByTestId('awards-results').locator('tbody tr').count(), cur.nominations);
  await page.screenshot({ path: `${shots}/awards-results-desktop.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});
