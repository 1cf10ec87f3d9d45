// Browser test of the problem closed loop on a 360 px phone, in Chinese:
// a resident reports 楼道堆物 with a photo and GPS → tracking code; the 居委
// accepts and dispatches to 锦绣前城物业; the handler signs and rectifies with
// an after-photo; the 居委 verifies → 已销号 with before/after side by side;
// the resident's 我的上报 shows 已销号. Screenshots: tests/artifacts/problem-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext } from './server.mjs';

let server, browser, tmp;
const shots = 'tests/artifacts';
const phone = {
  viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true,
  permissions: ['geolocation'], geolocation: { latitude: 31.21, longitude: 121.55 },
};

// A w × h RGB PNG with a diagonal gradient (colours differ per call, so the
// content-addressed photo store keeps them apart).
const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(w, h, [r, g, b]) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) {
      const f = (x + y) / (w + h);
      row[1 + x * 3] = (r * (1 - f) + 40 * f) & 255;
      row[2 + x * 3] = (g * (1 - f) + 40 * f) & 255;
      row[3 + x * 3] = (b * (1 - f) + 40 * f) & 255;
    }
    rows.push(row);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'wenming-photos-'));
  writeFileSync(join(tmp, 'before.png'), png(320, 240, [200, 120, 60]));
  writeFileSync(join(tmp, 'after.png'), png(320, 240, [90, 190, 120]));
  server = await startDemo();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function signedIn(login) {
  const ctx = await newContext(browser, phone);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, login);
  return { ctx, page, errors };
}

const go = (page, hash) => page.evaluate((h) => { location.hash = h; }, hash);

async function noOverflow(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${what} overflows the 360 px phone by ${overflow}px`);
}

// A full-page screenshot from the top (the sticky top bar stays at the top).
async function fullShot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

async function waitState(page, name) {
  await page.waitForFunction((n) => document.querySelector('[data-testid=problem-state]')?.textContent.trim() === n, name);
}

async function act(page, action, fill) {
  await page.getByTestId('problem-action-' + action).click();
  await page.getByTestId('action-submit').waitFor();
  if (fill) await fill();
  await page.getByTestId('action-submit').click();
}

let code = '', problemId = '';

test('resident reports 楼道堆物 with a photo and the GPS location', async () => {
  const { ctx, page, errors } = await signedIn('resident');
  await page.getByTestId('nav-report').count().then((n) => assert.equal(n, 1, 'nav-report exists'));
  await go(page, '#/report');
  await page.getByTestId('report-category').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=report-category] option').length > 1);
  await page.getByTestId('report-category').selectOption({ label: '杂物乱堆乱放（含楼道堆物）' });
  await page.getByTestId('report-subcategory').selectOption({ label: '楼道堆物' });
  await page.getByTestId('report-description').fill('3 号楼 2 单元楼道堆放纸箱和旧家具，影响通行');
  assert.notEqual(await page.getByTestId('report-org').inputValue(), '', 'the community defaults to the resident\'s own');
  await page.getByTestId('report-photo').setInputFiles(join(tmp, 'before.png'));
  await page.getByText('已上传').waitFor();
  await page.getByTestId('report-locate').click();
  await page.getByText(/已定位：31\.21000, 121\.55000/).waitFor();
  await noOverflow(page, 'the report form');
  await fullShot(page, 'problem-report-form');
  await page.getByTestId('report-submit').click();
  const codeEl = page.getByTestId('report-code');
  await codeEl.waitFor();
  code = (await codeEl.textContent()).trim();
  assert.match(code, /^[A-Z]+-\d{4}-\d{6}$/);
  problemId = (await page.getByTestId('report-open').getAttribute('href')).replace('#/problems/', '');
  await page.screenshot({ path: `${shots}/problem-report-done.png` });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('volunteer at the same spot is offered the open report as a likely duplicate and joins it', async () => {
  const { ctx, page, errors } = await signedIn('volunteer');
  await go(page, '#/report');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=report-category] option').length > 1);
  await page.getByTestId('report-category').selectOption({ label: '杂物乱堆乱放（含楼道堆物）' });
  await page.getByTestId('report-subcategory').selectOption({ label: '楼道堆物' });
  await page.getByTestId('report-locate').click();
  const box = page.getByTestId('report-duplicates');
  await box.waitFor();
  await box.getByText('附近可能是同一问题').waitFor();
  const card = box.getByTestId('report-duplicate').filter({ hasText: code });
  assert.equal(await card.count(), 1, 'the resident’s report is offered');
  assert.match(await card.textContent(), /约 \d+ 米/);
  await noOverflow(page, 'the duplicates box');
  await fullShot(page, 'problem-report-duplicates');
  await card.getByTestId('report-join').click();
  await page.getByText('已加入该问题').waitFor();
  assert.equal((await page.getByTestId('report-code').textContent()).trim(), code);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('committee accepts the report from the work queue and dispatches it to 锦绣前城物业', async () => {
  const { ctx, page, errors } = await signedIn('committee');
  await go(page, '#/problems');
  const row = page.getByTestId('problem-row-' + code);
  await row.waitFor();
  await noOverflow(page, 'the work queue');
  await page.screenshot({ path: `${shots}/problem-queue.png` });
  await row.click();
  await waitState(page, '待受理');
  await act(page, 'accept');
  await waitState(page, '已立案');
  await act(page, 'dispatch', async () => {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=action-handler] option').length > 2);
    await page.getByTestId('action-handler').selectOption({ label: '锦绣前城物业' });
    await page.screenshot({ path: `${shots}/problem-dispatch-form.png` });
  });
  await waitState(page, '已派遣');
  assert.equal((await page.getByTestId('problem-handler').textContent()).trim(), '锦绣前城物业');
  assert.match(await page.getByTestId('problem-deadline').textContent(), /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await noOverflow(page, 'the problem detail');
  await fullShot(page, 'problem-dispatched');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('handler sees the notification, signs for the problem and rectifies it with an after-photo', async () => {
  const { ctx, page, errors } = await signedIn('handler');
  await page.getByTestId('notifications-badge').waitFor();
  assert.match(await page.getByTestId('notifications-badge').textContent(), /\d/);
  await go(page, '#/problems');
  await page.getByTestId('problem-row-' + code).waitFor(); // in the handler's inbox
  await go(page, '#/notifications');
  await page.getByTestId('notifications-list').waitFor();
  await noOverflow(page, 'the notifications');
  await page.screenshot({ path: `${shots}/problem-notifications.png` });
  const note = page.locator('.notif-list li.unread', { hasText: code }).first();
  await note.click(); // marks it read and opens the problem
  await waitState(page, '已派遣');
  await act(page, 'acknowledge');
  await waitState(page, '整改中');
  await act(page, 'rectify', async () => {
    await page.getByTestId('action-photo').setInputFiles(join(tmp, 'after.png'));
    await page.getByText('已上传').waitFor();
    await page.getByTestId('action-note').fill('纸箱和旧家具已清运，楼道已清扫');
    await fullShot(page, 'problem-rectify-form');
  });
  await waitState(page, '待核查');
  await fullShot(page, 'problem-rectified');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('committee verifies: 已销号, before and after photos side by side', async () => {
  const { ctx, page, errors } = await signedIn('committee');
  await go(page, '#/problems/' + problemId);
  await waitState(page, '待核查');
  await act(page, 'verify_pass');
  await waitState(page, '已销号');
  assert.equal(await page.getByTestId('problem-action-verify_pass').count(), 0, 'no more actions once closed');
  const b = page.locator('[data-testid=photos-before] img');
  const a = page.locator('[data-testid=photos-after] img');
  await b.first().waitFor();
  await a.first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=problem-photos] img')].every((i) => i.complete && i.naturalWidth > 0));
  const bb = await b.first().boundingBox();
  const ab = await a.first().boundingBox();
  assert.ok(Math.abs(bb.y - ab.y) < 2 && ab.x > bb.x + bb.width - 1, 'before and after side by side');
  await noOverflow(page, 'the closed problem');
  await page.getByTestId('problem-photos').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/problem-closed.png` });
  await fullShot(page, 'problem-closed-full');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the resident's 我的上报 shows the problem as 已销号", async () => {
  const { ctx, page, errors } = await signedIn('resident');
  await go(page, '#/mine');
  const row = page.getByTestId('problem-row-' + code);
  await row.waitFor();
  assert.equal((await row.getByTestId('row-state').textContent()).trim(), '已销号');
  await noOverflow(page, '我的上报');
  await page.screenshot({ path: `${shots}/problem-mine.png` });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('desktop: office sees the work queue, the closed problem and the category catalogue', async () => {
  const ctx = await newContext(browser, { viewport: { width: 1366, height: 860 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'office');
  await go(page, '#/problems?tab=overdue');
  await page.getByTestId('problems-list').waitFor();
  await page.screenshot({ path: `${shots}/problem-queue-desktop.png` });
  await go(page, '#/problems/' + problemId);
  await waitState(page, '已销号');
  await page.screenshot({ path: `${shots}/problem-closed-desktop.png` });
  await go(page, '#/categories');
  await page.getByTestId('categories-list').waitFor();
  await page.screenshot({ path: `${shots}/problem-categories-desktop.png` });
  assert.deepEqual(errors, []);
  await ctx.close();
});

// Review 2026-12-07, coverage 6: 销号 needs the place. A handler whose phone
// is 1 km away sends its location and sees the server's field error in the
// rectify form; nothing changes.
test('rectify from far away: the form sends the phone location and shows the 50 m error', async () => {
  const call = async (login, method, path, body) => {
    const s = await (await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password: 'wenming-demo' }) })).json();
    const r = await fetch(`${server.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    return r.json();
  };
  const comm = (await call('admin', 'GET', `/orgs?q=${encodeURIComponent('由由第五居民区')}`)).items[0].id;
  const unit = (await call('admin', 'GET', '/orgs?q=HM-WY-JXQC')).items.find((o) => o.code === 'HM-WY-JXQC').id;
  const p = await call('committee', 'POST', '/problems', { category: 'C0301', description: '楼道堆物（远程销号测试）', org_id: comm, location: { lat: 31.21, lng: 121.55 } });
  await call('committee', 'POST', `/problems/${p.id}/actions`, { action: 'accept' });
  await call('committee', 'POST', `/problems/${p.id}/actions`, { action: 'dispatch', handler_org_id: unit });
  await call('handler', 'POST', `/problems/${p.id}/actions`, { action: 'acknowledge' });

  const ctx = await newContext(browser, { ...phone, geolocation: { latitude: 31.22, longitude: 121.55 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'handler');
  await go(page, '#/problems/' + p.id);
  await waitState(page, '整改中');
  let sent = null;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(`/problems/${p.id}/actions`)) sent = r.postDataJSON(); });
  await act(page, 'rectify', async () => {
    await page.getByTestId('action-photo').setInputFiles(join(tmp, 'after.png'));
    await page.getByText('已上传').waitFor();
    await page.locator('.geo-ok').waitFor();	// the phone's location is in
  });
  await page.getByTestId('action-location-error').waitFor();
  assert.match(await page.getByTestId('action-location-error').textContent(), /50 米/);
  assert.deepEqual(sent.location, { lat: 31.22, lng: 121.55 });
  await noOverflow(page, 'the rectify form with the error');
  await fullShot(page, 'problem-rectify-too-far');
  await waitState(page, '整改中');
  assert.deepEqual(errors, []);
  await ctx.close();
});
