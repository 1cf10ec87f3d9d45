// Browser test of the statistics pages: the dashboard (#/dashboard) and the big
// screen (#/screen) on desktop viewports (1920×1080, 1366×768), the problem map
// (#/map) on a 360 px phone. Asserts that the ECharts canvases and the Leaflet
// map are drawn, that the page logs no errors, that the big screen refreshes
// itself reusing its chart instances, and that the feed and the markers carry
// no personal data. Screenshots: tests/artifacts/dashboard-*.png, screen-*.png,
// map-phone*.png.
//
// The KPI API (/api/v1/kpis…, /api/v1/rankings) comes from another part of the
// project. When this server does not have it (404), the charts are fed from
// fixtures that follow the documented contract (docs/DASHBOARD.md), and a
// separate test checks the page's "not enabled" state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemo, chromiumArgs, signIn, newContext } from './server.mjs';

let server, browser, kpiAvailable;
const shots = 'tests/artifacts';

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDemo();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });
  const s = await (await fetch(server.url + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'office', password: 'wenming-demo' }),
  })).json();
  const r = await fetch(server.url + '/api/v1/kpis?from=2026-01-01&to=2026-01-31', { headers: { Authorization: `Bearer ${s.token}` } });
  kpiAvailable = r.status !== 404;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// --- KPI fixtures (the contract) -------------------------------------------
const COMMUNITIES = ['由由第五居民区', '梧桐居民区', '钦洋居民区', '联洋居民区', '大唐居民区', '陆家嘴花园居民区'];
const CATEGORIES = ['楼道堆物', '沿街垃圾乱堆', '垃圾桶满溢', '乱张贴', '共享单车乱停', '占道经营', '飞线充电', '绿化带毁绿'];
function metrics(seed) {
  const reported = 20 + (seed * 37) % 60;
  const accepted = reported - (seed % 4);
  const closed = Math.round(accepted * (0.6 + (seed % 5) / 15));
  const due = closed + 2;
  const onTime = Math.round(due * (0.55 + (seed % 7) / 16));
  return {
    reported, accepted, closed, closed_rate: closed / accepted, due, closed_on_time: onTime, on_time_rate: onTime / due,
    rectifications: closed + 3, reworks: seed % 4, rework_rate: (seed % 4) / (closed + 3), relapses: seed % 3,
    relapse_rate: (seed % 3) / closed, avg_close_hours: 20 + (seed * 7) % 50,
    ratings: { satisfied: 10 + seed % 6, basic: 3, dissatisfied: seed % 3 }, satisfaction_rate: 0.8 + (seed % 5) / 30,
  };
}
function days(from, to) {
  const out = [];
  for (let d = new Date(from + 'T00:00:00Z'); d <= new Date(to + 'T00:00:00Z'); d = new Date(d.getTime() + 86400000))
    out.push(d.toISOString().slice(0, 10));
  return out;
}
function fixture(url) {
  const u = new URL(url);
  const q = Object.fromEntries(u.searchParams);
  const from = q.from || '2026-10-23';
  const to = q.to || '2026-11-21';
  if (u.pathname === '/api/v1/kpis/trend') {
    return { interval: q.interval || 'day', points: days(from, to).map((d, i) => ({ period: d, from: d, to: d, ...metrics(i + 1) })).map((p) => ({ ...p, reported: p.reported % 17, closed: p.closed % 15 })) };
  }
  if (u.pathname === '/api/v1/kpis/states')
    return { states: { reported: 3, accepted: 2, dispatched: 14, acknowledged: 17, rectified: 4, closed: 371, rejected: 8, reopened: 7 }, open: 47, overdue: 9 };
  if (u.pathname === '/api/v1/rankings') {
    const rows = COMMUNITIES.map((name, i) => ({ rank: i + 1, eligible: true, org: { id: 100 + i, name }, score: 96 - i * 4.5, ...metrics(i + 3) }));
    return { kind: q.kind || 'community', from, to, rows, red: rows.slice(0, 2), black: rows.slice(-2).reverse(), min_accepted: 5, top: 3 };
  }
  const group = q.group_by || 'none';
  const names = group === 'category' ? CATEGORIES : group === 'community' ? COMMUNITIES : [null];
  const rows = names.map((name, i) => ({ key: name ? { id: 200 + i, name, code: group === 'category' ? `C0${i + 1}` : undefined } : null, ...metrics(i + 2) }));
  return { from, to, group_by: group, rows, totals: metrics(11) };
}
async function mockKpis(page) {
  if (kpiAvailable) return;
  await page.route(/\/api\/v1\/(kpis|rankings)(\/|\?|$)/, (route) => route.fulfill({
    status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(fixture(route.request().url())),
  }));
}

// A page that records errors: uncaught exceptions and console errors.
async function openAs(viewport, login, { mock = true, phone = false } = {}) {
  const ctx = await newContext(browser, {
    viewport, deviceScaleFactor: phone ? 2 : 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: phone, hasTouch: phone,
  });
  const page = await ctx.newPage();
  if (mock) await mockKpis(page);
  await signIn(page, server.url, login);
  // From here on (the 401 of the signed-out first load is expected).
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return { ctx, page, errors };
}

// Every chart element holds a drawn canvas of non-zero size.
async function chartsDrawn(page, ids) {
  for (const id of ids) {
    const el = page.getByTestId(id);
    await el.locator('canvas').first().waitFor({ timeout: 15000 });
    const box = await el.locator('canvas').first().boundingBox();
    assert.ok(box && box.width > 50 && box.height > 50, `${id}: canvas ${JSON.stringify(box)}`);
  }
}

for (const vp of [{ width: 1920, height: 1080 }, { width: 1366, height: 768 }]) {
  test(`dashboard at ${vp.width}×${vp.height}: totals, five charts, the red/black list`, async () => {
    const { ctx, page, errors } = await openAs(vp, 'office');
    await page.goto(server.url + '/#/dashboard');
    await chartsDrawn(page, ['chart-trend', 'chart-states', 'chart-category', 'chart-community', 'chart-ontime']);
    await page.getByTestId('dash-totals').locator('.kpi-tile').first().waitFor();
    assert.ok(await page.getByTestId('dash-totals').locator('.kpi-tile').count() >= 9);
    await page.getByTestId('red-list').locator('li').first().waitFor();
    assert.ok(await page.getByTestId('black-list').locator('li').count() > 0);
    assert.ok(await page.getByTestId('rank-table').locator('tbody tr').count() > 0);
    assert.match(await page.textContent('h1'), /统计分析/);
    await page.waitForTimeout(600);	// chart animations
    await page.screenshot({ path: `${shots}/dashboard-${vp.width}.png`, fullPage: true });
    // The ranking switch asks again without errors.
    await page.getByTestId('dash-rank-kind').selectOption('handler');
    await page.getByTestId('rank-table').waitFor();
    if (vp.width === 1366) {
      // English: titles, tiles and chart legends follow the switch; the charts stay.
      await page.getByTestId('lang-switch').click();
      await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('Dashboard'));
      assert.match(await page.getByTestId('dash-totals').textContent(), /On-time rate/);
      await chartsDrawn(page, ['chart-trend', 'chart-states']);
      await page.waitForTimeout(400);
      await page.screenshot({ path: `${shots}/dashboard-${vp.width}-en.png` });
      await page.getByTestId('lang-switch').click();
    }
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

test('dashboard without the KPI API (404): a clear notice per card, the page still works', async () => {
  const { ctx, page, errors } = await openAs({ width: 1366, height: 768 }, 'office', { mock: false });
  await page.route(/\/api\/v1\/(kpis|rankings)(\/|\?|$)/, (route) => route.fulfill({
    status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'not_found', message: '没有这个接口' } }),
  }));
  await page.goto(server.url + '/#/dashboard');
  await page.getByTestId('dash-unavailable').first().waitFor();
  assert.ok(await page.getByTestId('dash-unavailable').count() >= 5);
  assert.match(await page.getByTestId('dash-totals').textContent(), /统计接口尚未启用/);
  await page.screenshot({ path: `${shots}/dashboard-unavailable.png` });
  // The browser reports each 404 response as a console error; nothing else may appear.
  assert.deepEqual(errors.filter((e) => !/Failed to load resource.*404/.test(e)), []);
  await ctx.close();
});

for (const vp of [{ width: 1920, height: 1080 }, { width: 1366, height: 768 }]) {
  test(`big screen at ${vp.width}×${vp.height}: no app chrome, charts, map, feed without personal data`, async () => {
    const { ctx, page, errors } = await openAs(vp, 'office');
    await page.goto(server.url + '/#/screen?refresh=10');
    await page.getByTestId('screen').waitFor();
    assert.equal(await page.locator('.topbar').count(), 0, 'no top bar');
    assert.equal(await page.getByTestId('nav').count(), 0, 'no menu');
    await chartsDrawn(page, ['screen-chart-trend', 'screen-chart-ontime', 'screen-chart-category', 'screen-chart-community']);
    await page.getByTestId('screen-map').locator('path.leaflet-interactive').first().waitFor({ timeout: 15000 });
    await page.getByTestId('screen-feed').locator('li .code').first().waitFor();
    await page.getByTestId('screen-red').locator('li').first().waitFor();
    // The stage fits the window: nothing scrolls.
    const over = await page.evaluate(() => [document.documentElement.scrollWidth - innerWidth, document.documentElement.scrollHeight - innerHeight]);
    assert.ok(over[0] <= 1 && over[1] <= 1, `overflow ${over}`);
    // The feed shows codes, categories, communities, actions and times only.
    const feed = await page.getByTestId('screen-feed').textContent();
    assert.match(feed, /HM-\d{4}-\d{6}/);
    assert.doesNotMatch(feed, /1[3-9]\d{9}|\d{17}[\dX]/, 'no phone or ID numbers');
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${shots}/screen-${vp.width}.png` });

    if (vp.width === 1920) {
      // Self-refresh: a new "updated" stamp, the same chart instances and canvases.
      const instances = () => page.evaluate(() => [...document.querySelectorAll('[_echarts_instance_]')].map((e) => e.getAttribute('_echarts_instance_')).join(','));
      const canvases = () => page.evaluate(() => document.querySelectorAll('canvas').length);
      const stamp = await page.getByTestId('screen-updated').getAttribute('data-updated');
      const [i0, c0] = [await instances(), await canvases()];
      await page.waitForFunction((s) => document.querySelector('[data-testid=screen-updated]').getAttribute('data-updated') !== s, stamp, { timeout: 25000 });
      await page.waitForTimeout(500);
      assert.equal(await instances(), i0, 'chart instances reused');
      assert.equal(await canvases(), c0, 'no new canvases');
    }
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

test('the feed API answers no personal fields', async () => {
  const s = await (await fetch(server.url + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'office', password: 'wenming-demo' }),
  })).json();
  const r = await (await fetch(server.url + '/api/v1/problems/feed?limit=5', { headers: { Authorization: `Bearer ${s.token}` } })).json();
  for (const e of r.items) assert.deepEqual(Object.keys(e).sort(), ['action', 'at', 'category', 'category_name', 'code', 'community', 'id', 'state']);
});

test('map on a 360 px phone: offline base map, community labels, markers, a card on tap', async () => {
  const { ctx, page, errors } = await openAs({ width: 360, height: 780 }, 'committee', { phone: true });
  await page.goto(server.url + '/#/map');
  const map = page.getByTestId('map');
  await map.locator('path.leaflet-interactive').first().waitFor({ timeout: 15000 });
  await map.locator('.map-label').first().waitFor();
  assert.ok(await page.getByTestId('map-offline').isVisible(), 'offline notice without a tile server');
  assert.equal(await map.locator('.leaflet-tile-container img').count(), 0, 'no tile images requested');
  assert.ok(await map.locator('.leaflet-control-scale').isVisible(), 'scale bar');
  assert.match(await page.getByTestId('map-count').textContent(), /共 \d+ 个问题/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page overflows the phone by ${overflow}px`);
  await page.screenshot({ path: `${shots}/map-phone.png` });
  await map.locator('path.leaflet-interactive').first().click({ force: true });
  const card = map.locator('.map-card');
  await card.waitFor();
  assert.match(await card.textContent(), /HM-\d{4}-\d{6}/);
  assert.match(await card.locator('a').getAttribute('href'), /^#\/problems\/\d+$/);
  await page.screenshot({ path: `${shots}/map-phone-card.png` });
  // The same points as a text list (keyboard, screen readers).
  await page.keyboard.press('Escape');
  await page.getByTestId('map-list').locator('summary').click();
  const first = page.getByTestId('map-list').locator('li a').first();
  await first.waitFor();
  assert.match(await first.textContent(), /HM-\d{4}-\d{6}/);
  assert.equal(await page.getByTestId('map-list').locator('li').count(), await map.locator('path.leaflet-interactive').count());
  // "All" includes closed ones: at least as many markers.
  const open = await map.locator('path.leaflet-interactive').count();
  await page.getByTestId('map-filters').locator('summary').click();
  await page.getByTestId('map-state').selectOption('all');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=map] path.leaflet-interactive').length > n, open, { timeout: 10000 });
  assert.deepEqual(errors, []);
  await ctx.close();
});
