// Browser test (issue 16, 双报到): on a 360 px phone a resident with a person
// record (made for the test: the demo's volunteer login 张志愿 is already
// registered, so its page shows the card and this quarter's service, which
// is checked too) fills in the registration form; the 居委 accepts it on
// the desktop page; the member then sees the service card with its QR. The
// unit's page shows its members with xlsx/PDF links. Screenshots:
// tests/artifacts/dual-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext } from './server.mjs';

let server, browser;
const shots = 'tests/artifacts';

async function apiAs(login, method, path, body, password = 'wenming-demo') {
  const s = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password }) });
  const token = (await s.json()).token;
  const r = await fetch(`${server.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDemo({ env: { WENMING_TICK_SECONDS: '0' } });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
});
after(async () => { await browser?.close(); await server?.stop(); });

test('双报到 on a phone, accepted by the 居委, the card appears; the volunteer sees card and service', async () => {
  const comm = (await apiAs('admin', 'GET', '/orgs?q=由由第五居民区&limit=5')).items.find((o) => o.name === '由由第五居民区').id;
  const units = (await apiAs('admin', 'GET', '/orgs?kind=unit&limit=200')).items;
  const spdb = units.find((u) => u.code === 'HM-SPDB');
  const person = await apiAs('admin', 'POST', '/people', { name: '王在职', org_id: comm, kinds: ['resident'] });
  const login = `dualweb${Date.now().toString(36)}`;
  await apiAs('admin', 'POST', '/accounts', { login, display_name: '王在职', password: 'dual-web-secret-1', person_id: person.id, grants: [{ role: 'resident', org_id: comm }] });

  const phone = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await phone.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, login, 'dual-web-secret-1');
  await page.goto(server.url + '/#/my-party');
  await page.getByTestId('dual-form').waitFor();
  await page.getByTestId('dual-unit').selectOption(String(spdb.id));
  await page.getByTestId('dual-skills').fill('电脑维修');
  await page.getByTestId('dual-wishes').fill('为老服务');
  await page.getByTestId('dual-avail-weekend').check();
  await page.getByTestId('dual-avail-weekday_evening').check();
  await page.screenshot({ path: `${shots}/dual-form-phone.png`, fullPage: true });
  assert.ok(await noSideways(page), 'no sideways scroll at 360 px');
  await page.getByTestId('dual-submit').click();
  await page.getByTestId('dual-notice').waitFor();
  assert.equal((await page.getByTestId('dual-state').textContent()).trim(), '待受理');
  const mine = await apiAs(login, 'GET', '/party/registrations/mine', null, 'dual-web-secret-1');
  const reg = mine.items[0];
  assert.equal(reg.skills, '电脑维修');
  assert.deepEqual(reg.availability.sort(), ['weekday_evening', 'weekend']);

  // The 居委 accepts on the desktop page.
  const desk = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const staff = await desk.newPage();
  staff.on('pageerror', (e) => errors.push(e.message));
  await signIn(staff, server.url, 'committee');
  await staff.goto(server.url + '/#/dual');
  await staff.getByTestId(`dual-row-${reg.id}`).waitFor();
  await staff.screenshot({ path: `${shots}/dual-staff-desktop.png`, fullPage: true });
  await staff.getByTestId(`dual-accept-${reg.id}`).click();
  await staff.getByTestId('dual-notice').waitFor();
  await staff.getByTestId('dual-tab-overview').click();
  await staff.getByTestId('dual-overview').waitFor();
  await staff.screenshot({ path: `${shots}/dual-overview-desktop.png`, fullPage: true });

  // The member sees the card.
  await page.reload();
  await page.getByTestId('dual-card').waitFor();
  assert.match(await page.getByTestId('dual-card-no').textContent(), /^SB\d{10}$/);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=dual-card] img')].every((i) => i.complete && i.naturalWidth > 0));
  await page.screenshot({ path: `${shots}/dual-card-phone.png`, fullPage: true });

  // 张志愿 (the volunteer login): card and this quarter's service.
  const vol = await newContext(browser, { viewport: { width: 360, height: 780 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const vp = await vol.newPage();
  await signIn(vp, server.url, 'volunteer');
  await vp.goto(server.url + '/#/my-party');
  await vp.getByTestId('dual-service').waitFor();
  const vm = await apiAs('volunteer', 'GET', '/party/registrations/mine');
  assert.equal((await vp.getByTestId('dual-hours').textContent()).trim(), String(vm.service.hours));
  assert.ok(vm.service.hours > 0);
  assert.ok(await noSideways(vp));
  await vp.screenshot({ path: `${shots}/dual-volunteer-phone.png`, fullPage: true });

  // The unit's page.
  const unitCtx = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const up = await unitCtx.newPage();
  await signIn(up, server.url, 'unit');
  await up.goto(server.url + '/#/unit');
  await up.getByTestId('unit-feedback').waitFor();
  assert.match(await up.getByTestId('unit-feedback').textContent(), /张志愿/);
  assert.match(await up.getByTestId('unit-xlsx').getAttribute('href'), /feedback\.xlsx\?quarter=\d{4}Q[1-4]$/);
  await up.screenshot({ path: `${shots}/dual-unit-desktop.png`, fullPage: true });
  assert.deepEqual(errors, []);
});
