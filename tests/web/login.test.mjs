// Browser test: log in on a 360 px phone in Chinese and on a desktop, see
// the navigation that the role allows, and save screenshots as artefacts
// (tests/artifacts/). Playwright-core drives Debian's chromium, headless.
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

const loginAs = (page, login) => signIn(page, server.url, login);

async function openNav(page) {
  const menu = page.getByTestId('menu-button');
  if (await menu.isVisible()) {
    // A re-render right after login may close the drawer again: retry a few times.
    for (let i = 0; i < 3; i++) {
      await menu.click();
      const opened = await page.waitForFunction(
        () => document.querySelector('[data-testid=nav]')?.classList.contains('open'), null, { timeout: 4000 },
      ).then(() => true, () => false);
      if (opened) break;
    }
    await page.waitForTimeout(400); // let the slide-in transition finish before screenshots
  }
  await page.getByTestId('nav').waitFor({ state: 'visible' });
}

test('phone 360 px: admin logs in, in Chinese, and sees the admin navigation', async () => {
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + '/');
  await page.getByTestId('login-input').waitFor(); // the app has rendered the login form
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.textContent('body'), /登录/);
  await page.screenshot({ path: `${shots}/login-phone.png` });
  await loginAs(page, 'admin');
  await openNav(page);
  for (const id of ['nav-orgs', 'nav-accounts', 'nav-people', 'nav-audit', 'nav-password', 'nav-logout'])
    assert.ok(await page.getByTestId(id).isVisible(), `${id} visible for admin`);
  await page.screenshot({ path: `${shots}/admin-nav-phone.png` });
  // No horizontal scrolling on a 360 px phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page overflows the phone by ${overflow}px`);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('phone 360 px: a resident sees no admin pages', async () => {
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await loginAs(page, 'resident');
  await openNav(page);
  assert.ok(await page.getByTestId('nav-password').isVisible());
  for (const id of ['nav-orgs', 'nav-accounts', 'nav-people', 'nav-audit'])
    assert.equal(await page.getByTestId(id).count(), 0, `${id} hidden for resident`);
  await page.screenshot({ path: `${shots}/resident-nav-phone.png` });
  await ctx.close();
});

test('wrong password shows the error and stays on the login page', async () => {
  const ctx = await newContext(browser, { viewport: { width: 360, height: 780 } });
  const page = await ctx.newPage();
  await page.goto(server.url + '/');
  await page.getByTestId('login-input').fill('committee');
  await page.getByTestId('password-input').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await page.getByText('登录名或密码错误').waitFor();
  assert.equal(await page.getByTestId('nav').count(), 0);
  await ctx.close();
});

test('desktop: committee sees people of its own community, masked, and can switch to English', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await loginAs(page, 'committee');
  await openNav(page);
  await page.getByTestId('nav-people').click();
  const list = page.getByTestId('people-list');
  await list.waitFor();
  await page.waitForFunction(() => /\*\*\*\*/.test(document.querySelector('[data-testid=people-list]')?.textContent || ''));
  const text = await list.textContent();
  assert.match(text, /1\d{2}\*{4}\d{4}/, 'phones are masked');
  assert.doesNotMatch(text, /梧桐居民区/, 'no people of another community');
  await page.screenshot({ path: `${shots}/people-desktop.png` });
  await page.getByTestId('lang-switch').click();
  await page.waitForFunction(() => /People|people/.test(document.body.textContent));
  await page.screenshot({ path: `${shots}/people-desktop-en.png` });
  await ctx.close();
});
