// Browser test (docs/PARTY.md, issue 16): the branch secretary opens a meeting
// of today with its QR code; the member (the demo volunteer 张志愿) opens the
// code's link on a 360 px phone, taps the big button and is signed in; the
// secretary's attendance shows it. On a desktop the compliance grid shows
// coloured cells and the roll-up. Screenshots: tests/artifacts/meetings-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext, clockNow } from './server.mjs';

let server, browser;
const shots = 'tests/artifacts';
const cnDate = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);

async function apiAs(login, method, path, body) {
  const s = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password: 'wenming-demo' }) });
  const token = (await s.json()).token;
  const r = await fetch(`${server.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDemo({ env: { WENMING_TICK_SECONDS: '0' } });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
});
after(async () => { await browser?.close(); await server?.stop(); });

const noOverflow = async (page) => {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `overflow ${overflow}px`);
};

test('meeting QR sign-in on a 360 px phone', async () => {
  const orgs = (await apiAs('secretary', 'GET', '/orgs?kind=party_org&limit=200')).items;
  const branch = orgs.find((o) => o.name === '锦绣前城第一党支部');
  const m = await apiAs('secretary', 'POST', '/party/meetings', { org_id: branch.id, type: 'theme_day', held_on: cnDate(clockNow()), topic: '主题党日：扫码签到测试', place: '党群服务站' });

  // The secretary's meeting page on the phone: the QR code loads.
  const sec = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const sp = await sec.newPage();
  const errors = [];
  sp.on('pageerror', (e) => errors.push(e.message));
  await signIn(sp, server.url, 'secretary');
  await sp.goto(`${server.url}/#/meetings`);
  await sp.getByTestId('meeting-link').first().waitFor();
  await noOverflow(sp);
  await sp.screenshot({ path: `${shots}/meetings-list-phone.png`, fullPage: true });
  await sp.goto(`${server.url}/#/meetings/${m.id}`);
  await sp.getByTestId('meeting-qr').waitFor();
  await sp.waitForFunction(() => { const i = document.querySelector('[data-testid=meeting-qr]'); return i && i.complete && i.naturalWidth > 0; });
  const link = await sp.getByTestId('meeting-link-url').getAttribute('href');
  assert.match(link, new RegExp(`#/meetings/${m.id}/sign-in\\?t=`));
  await noOverflow(sp);
  await sp.screenshot({ path: `${shots}/meetings-secretary-phone.png`, fullPage: true });

  // The member scans: the link opens the sign-in page; one tap.
  const mem = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const mp = await mem.newPage();
  mp.on('pageerror', (e) => errors.push(e.message));
  await signIn(mp, server.url, 'volunteer');
  await mp.goto(server.url + '/' + link.slice(link.indexOf('#')));
  await mp.getByTestId('signin-topic').waitFor();
  assert.equal((await mp.getByTestId('signin-topic').textContent()).trim(), '主题党日：扫码签到测试');
  await mp.screenshot({ path: `${shots}/meetings-signin-phone.png`, fullPage: true });
  await mp.getByTestId('signin-button').click();
  await mp.getByTestId('signin-done').waitFor();
  assert.match(await mp.getByTestId('signin-done').textContent(), /签到成功/);
  await noOverflow(mp);
  await mp.screenshot({ path: `${shots}/meetings-signed-phone.png`, fullPage: true });

  const after = await apiAs('secretary', 'GET', `/party/meetings/${m.id}`);
  assert.equal(after.present, 1);
  assert.deepEqual(errors, []);
  await sec.close();
  await mem.close();
});

test('the compliance view on a desktop: coloured cells and the roll-up', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'office');
  await page.goto(server.url + '/#/compliance');
  await page.getByTestId('compliance-cell').first().waitFor();
  const statuses = await page.locator('[data-testid=compliance-cell]').evaluateAll((els) => els.map((e) => [e.dataset.status, getComputedStyle(e).backgroundColor]));
  const seen = new Set(statuses.map((s) => s[0]));
  for (const s of ['green', 'red']) assert.ok(seen.has(s), `a ${s} cell (${[...seen]})`);
  const colour = Object.fromEntries(statuses.map(([s, c]) => [s, c]));
  assert.equal(colour.green, 'rgb(46, 125, 50)');
  assert.equal(colour.red, 'rgb(198, 40, 40)');
  await page.getByTestId('compliance-rollup').waitFor();
  await page.getByTestId('rules-editor').waitFor();
  await page.screenshot({ path: `${shots}/meetings-compliance-desktop.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});
