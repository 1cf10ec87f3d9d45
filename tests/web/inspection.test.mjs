// Browser test of an inspection on a 360 px phone, in Chinese: an inspector
// opens a site (what its QR code opens), starts the checklist, answers every
// item with the big targets, fails one photo-required item and takes a photo
// of it, reloads halfway (the draft survives), submits while the connection
// drops (the answers are kept and retried with the same Idempotency-Key),
// and sees the score and the problem raised; the problem carries the site,
// category and photo. Screenshots: tests/artifacts/inspection-*.png.
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
  permissions: ['geolocation'], geolocation: { latitude: 31.2102, longitude: 121.5501 },
};

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
      const f = (x * y) / (w * h);
      row[1 + x * 3] = (r * (1 - f) + 30 * f) & 255;
      row[2 + x * 3] = (g * (1 - f) + 30 * f) & 255;
      row[3 + x * 3] = (b * (1 - f) + 30 * f) & 255;
    }
    rows.push(row);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

async function apiAs(login, method, path, body) {
  const s = await (await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password: 'wenming-demo' }) })).json();
  const r = await fetch(`${server.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json() };
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'wenming-insp-'));
  writeFileSync(join(tmp, 'stairs.png'), png(320, 240, [170, 120, 80]));
  server = await startDemo();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('an inspector completes a full checklist on a phone, with a photo for a failed item and a dropped connection', async () => {
  const orgs = await apiAs('admin', 'GET', `/orgs?q=${encodeURIComponent('由由第五居民区')}`);
  const comm = orgs.json.items[0].id;
  const created = await apiAs('office', 'POST', '/sites', { name: '锦绣前城 3 号楼道', site_type: 'S01', org_id: comm, address: '锦绣路 3 号', location: { lat: 31.2101, lng: 121.55 }, responsible: '王主任' });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const site = created.json;

  const ctx = await newContext(browser, phone);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'inspector');

  // What the QR code opens: the site page with "inspect" and "report here".
  await page.goto(`${server.url}/#/sites/${site.id}`);
  await page.getByTestId('site-title').waitFor();
  assert.equal(await page.getByTestId('site-title').textContent(), site.name);
  assert.ok(await page.getByTestId('site-report').isVisible());
  await page.screenshot({ path: `${shots}/inspection-1-site.png`, fullPage: true });
  await page.getByTestId('site-inspect').click();
  await page.getByTestId('insp-item-1').waitFor();
  await page.getByTestId('insp-kind').selectOption('supervision');

  const n = await page.locator('.insp-item').count();
  assert.equal(n, 10, 'the default 居民小区 checklist');
  // The big targets are big enough for a thumb.
  const box = await page.getByTestId('grade-2-fail').boundingBox();
  assert.ok(box.height >= 44 && box.width >= 60, JSON.stringify(box));
  // Item 2 (楼道无堆物, photo required) fails; item 1 (A/B/C/C#) gets B; item 10 N/A; the rest pass.
  await page.getByTestId('grade-1-B').click();
  await page.getByTestId('grade-2-fail').click();
  await page.getByTestId('insp-note-2').fill('3 楼楼道堆放纸箱和旧家具');
  for (let i = 3; i <= 5; i++) await page.getByTestId(`grade-${i}-pass`).click();
  assert.equal(await page.getByTestId('insp-progress').textContent(), '已完成 5 / 10 项');

  // Halfway: reload — the draft (answers and note) is still there.
  await page.reload();
  await page.getByTestId('insp-item-1').waitFor();
  assert.equal(await page.getByTestId('grade-2-fail').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByTestId('insp-note-2').inputValue(), '3 楼楼道堆放纸箱和旧家具');
  assert.equal(await page.getByTestId('insp-kind').inputValue(), 'supervision');

  // Submitting without the photo: refused on the phone, nothing sent.
  for (let i = 6; i <= 9; i++) await page.getByTestId(`grade-${i}-pass`).click();
  await page.getByTestId('grade-10-na').click();
  await page.getByTestId('insp-submit').click();
  await page.getByTestId('insp-hint').waitFor();
  assert.match(await page.getByTestId('insp-hint').textContent(), /第 2 项不合格，须拍照/);

  // The camera for the failed item.
  await page.getByTestId('insp-photo-2').setInputFiles(join(tmp, 'stairs.png'));
  await page.locator('[data-testid=insp-item-2] .photo-ok').waitFor();
  await page.getByTestId('insp-item-2').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/inspection-2-checklist.png`, fullPage: true });

  // The connection drops on submit: the page keeps the answers and retries.
  let posts = 0;
  const keys = [];
  await page.route('**/api/v1/inspections', async (route) => {
    posts++;
    keys.push(route.request().headers()['idempotency-key']);
    if (posts === 1) await route.abort('internetdisconnected');
    else await route.continue();
  });
  await page.getByTestId('insp-submit').click();
  await page.getByTestId('insp-offline').waitFor();
  await page.screenshot({ path: `${shots}/inspection-3-offline.png`, fullPage: false });
  await page.getByTestId('insp-done').waitFor({ timeout: 15000 });
  assert.equal(posts, 2);
  assert.ok(keys[0] && keys[0] === keys[1], 'the retry reuses the Idempotency-Key');
  const score = await page.getByTestId('insp-score').textContent();
  assert.match(score, /得分率 \d+(\.\d+)?%/);
  assert.equal(await page.locator('[data-testid=insp-raised] li').count(), 1);
  await page.screenshot({ path: `${shots}/inspection-4-done.png`, fullPage: true });
  assert.equal(await page.evaluate((id) => localStorage.getItem(`wenming.inspect.${id}`), site.id), null, 'the draft is gone');

  // The problem: source inspection, the site, the category of the item, the photo.
  const list = await apiAs('admin', 'GET', `/inspections?site_id=${site.id}`);
  assert.equal(list.json.items.length, 1, 'exactly one inspection despite the retry');
  const insp = await apiAs('admin', 'GET', `/inspections/${list.json.items[0].id}`);
  const failed = insp.json.results.filter((r) => r.problem_id);
  assert.equal(failed.length, 1);
  const p = await apiAs('admin', 'GET', `/problems/${failed[0].problem_id}`);
  assert.equal(p.json.source, 'inspection');
  assert.equal(p.json.site_id, site.id);
  assert.equal(p.json.category, 'C0301');
  assert.equal(p.json.photos.length, 1);
  assert.ok(p.json.description.includes('3 楼楼道堆放纸箱'));

  // The problem's page opens from the result.
  await page.locator('[data-testid=insp-raised] a').click();
  await page.waitForFunction(() => location.hash.startsWith('#/problems/'));
  await page.getByText('楼道堆物').first().waitFor();
  await page.screenshot({ path: `${shots}/inspection-5-problem.png`, fullPage: true });

  // "Report a problem here" pre-fills the site on the report page.
  await page.goto(`${server.url}/#/report?site_id=${site.id}`);
  await page.getByTestId('report-site').waitFor();
  assert.match(await page.getByTestId('report-site').textContent(), /锦绣前城 3 号楼道/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

// Review 2026-12-07, coverage 2: the inspecting 居委 of a 咬尾巴 pair does its
// cross-inspection in the UI — round → "去检查" → the inspected community's
// site → the checklist — on a 360 px phone; the result is credited to the pair.
test('committee does its ring inspection of 梧桐 from the round page on a phone', async () => {
  const id = async (name) => (await apiAs('admin', 'GET', `/orgs?q=${encodeURIComponent(name)}`)).json.items.find((o) => o.name === name).id;
  const [street, yy5, wt] = [await id('花木街道'), await id('由由第五居民区'), await id('梧桐居民区')];
  const site = await apiAs('office', 'POST', '/sites', { name: '梧桐路背街小巷', site_type: 'S03', org_id: wt, location: { lat: 31.2153, lng: 121.5502 } });
  assert.equal(site.status, 201, JSON.stringify(site.json));
  const round = await apiAs('office', 'POST', '/rounds', { name: '12月 咬尾巴互查', mode: 'ring', scope_org_id: street, org_ids: [yy5, wt] });
  assert.equal(round.status, 201, JSON.stringify(round.json));
  const pair = round.json.pairs.find((p) => p.inspector_org_id === yy5 && p.inspected_org_id === wt);

  const ctx = await newContext(browser, phone);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, server.url, 'committee');
  await page.goto(`${server.url}/#/rounds/${round.json.id}`);
  const back = round.json.pairs.find((p) => p.inspector_org_id === wt).id;
  await page.getByTestId(`pair-inspect-${pair.id}`).click();
  assert.equal(await page.getByTestId(`pair-inspect-${back}`).count(), 0, 'no "去检查" where 由由第五 is the inspected one');
  await page.getByTestId(`pair-site-${site.json.id}`).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), true, 'no sideways scroll at 360 px');
  await page.screenshot({ path: `${shots}/inspection-6-ring-sites.png`, fullPage: true });
  await page.getByTestId(`pair-site-${site.json.id}`).click();
  await page.getByTestId('insp-item-1').waitFor();
  assert.equal(await page.getByTestId('insp-kind').inputValue(), 'cross_inspection');
  const n = await page.locator('.insp-item').count();
  for (let i = 1; i <= n; i++) {
    const pass = page.getByTestId(`grade-${i}-pass`);
    await ((await pass.count()) ? pass : page.getByTestId(`grade-${i}-A`)).click();
  }
  await page.getByTestId('insp-submit').click();
  await page.getByTestId('insp-done').waitFor({ timeout: 15000 });
  await page.screenshot({ path: `${shots}/inspection-7-ring-done.png`, fullPage: true });

  const list = await apiAs('admin', 'GET', `/inspections?site_id=${site.json.id}`);
  assert.equal(list.json.items.length, 1);
  assert.equal(list.json.items[0].inspector_org_id, yy5, 'credited to the inspecting 居委');
  const after = await apiAs('office', 'GET', `/rounds/${round.json.id}`);
  assert.equal(after.json.pairs.find((p) => p.id === pair.id).done, 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});
