// workpool.test.mjs — review 2026-12-07 #7: Argon2id (logins, account
// create, password change/reset) and image decode run on a bounded work pool,
// not on the HTTP threads, so /healthz stays quick while heavy uploads and
// parallel logins run; a full queue answers 503 `busy` with Retry-After; the
// decode budget counts samples, so the review's 16-bit RGBA PNG is refused
// at once. Heavy PNGs are made here, at test time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { ensureServer, startServer, api, as, login, orgId, tag, baseUrl } from './harness.mjs';

await ensureServer();

const CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; t[n] = c >>> 0; }
  return t;
})();
function chunk(type, data) {
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  let c = 0xffffffff;
  for (const b of td) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4); crc.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return Buffer.concat([len, td, crc]);
}
// A w×h PNG of (almost) zeros: tiny file, full decode cost. depth 8/16, colour 2 (RGB) or 6 (RGBA).
function zeroPng(w, h, depth = 8, colour = 2, seed = 0) {
  const bands = colour === 6 ? 4 : 3;
  const stride = 1 + w * bands * (depth / 8);
  const raw = Buffer.alloc(stride * h);
  raw[1] = seed & 255;	// one byte differs per image
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = depth; ihdr[9] = colour;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

async function timed(fn) {
  const t0 = performance.now();
  const r = await fn();
  return { r, ms: performance.now() - t0 };
}
const upload = (base, token, png) => fetch(`${base}/api/v1/photos`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/png' }, body: png })
  .then(async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), json: await res.json().catch(() => null) }));

let admin, resident, comm;
// Heavy uploads: zeroPng(6000, 6000) is 108 MB of samples, within the budget, seconds to decode.

before(async () => {
  admin = await login('admin');
  resident = await login('resident');
  comm = await orgId('由由第五居民区');
});

test('the review’s 16-bit RGBA 6324² PNG is refused from its header, fast', async () => {
  const bomb = zeroPng(6324, 6324, 16, 6);
  const { r, ms } = await timed(() => upload(baseUrl(), resident.token, bomb));
  assert.equal(r.status, 413, JSON.stringify(r.json));
  assert.equal(r.json.error.code, 'image_too_large');
  assert.ok(ms < 2000, `refused in ${ms.toFixed(0)} ms`);
});

test('/healthz stays quick while three heavy uploads and eight logins run', async () => {
  const base = baseUrl();
  // Eight accounts, so that no per-account sign-in limit interferes.
  const names = [];
  for (let i = 0; i < 8; i++) {
    const n = `wp-${tag()}`;
    const a = await api('POST', '/api/v1/accounts', as(admin, { body: { login: n, display_name: '压力测试', password: 'pool-Secret-2026', grants: [{ role: 'resident', org_id: comm }] } }));
    assert.equal(a.status, 201, a.text);
    names.push(n);
  }
  const pngs = [2, 3, 4].map((s) => zeroPng(6000, 6000, 8, 2, s));	// made before the clock runs: deflate blocks this process
  const idle = [];
  for (let i = 0; i < 5; i++) idle.push((await timed(() => fetch(`${base}/healthz`).then((x) => x.text()))).ms);
  let done = false;
  const probes = [];
  const prober = (async () => {
    while (!done) {
      const { r, ms } = await timed(() => fetch(`${base}/healthz`).then((x) => x.status));
      probes.push({ status: r, ms });
      await new Promise((res) => setTimeout(res, 100));
    }
  })();
  const t0 = performance.now();
  const work = await Promise.all([
    ...pngs.map((png) => upload(base, resident.token, png)),
    ...names.map((n) => api('POST', '/api/v1/session', { body: { login: n, password: 'pool-Secret-2026' } }).then((x) => ({ status: x.status }))),
  ]);
  const heavyMs = performance.now() - t0;
  done = true;
  await prober;
  for (const w of work) assert.ok([200, 201, 503].includes(w.status), `heavy request → ${w.status}`);
  assert.ok(work.filter((w) => w.status !== 503).length >= 5, 'most of the work is done, not refused');
  const worst = Math.max(...probes.map((p) => p.ms));
  assert.ok(probes.every((p) => p.status === 200));
  assert.ok(probes.length >= 3, `probed ${probes.length} times during ${heavyMs.toFixed(0)} ms of work`);
  const sorted = probes.map((p) => p.ms).sort((a, b) => a - b);
  console.log(`# /healthz under load: median ${sorted[sorted.length >> 1].toFixed(0)} ms, p90 ${sorted[Math.floor(sorted.length * 0.9)].toFixed(0)} ms`);
  console.log(`# heavy work ${heavyMs.toFixed(0)} ms; /healthz idle max ${Math.max(...idle).toFixed(0)} ms, under load max ${worst.toFixed(0)} ms over ${probes.length} probes`);
  assert.ok(worst < 1000, `/healthz took ${worst.toFixed(0)} ms while heavy work ran`);
  assert.ok(worst < heavyMs, 'health checks are not queued behind the heavy work');
});

// A private server with one worker and room for one waiting job.
let small = null;
after(async () => { if (small) await small.stop(); });

test('a full work queue answers 503 busy with Retry-After', async () => {
  const saved = { w: process.env.WENMING_WORKERS, q: process.env.WENMING_WORK_QUEUE };
  process.env.WENMING_WORKERS = '1';
  process.env.WENMING_WORK_QUEUE = '1';
  try { small = await startServer({ people: 20 }); } finally {
    if (saved.w === undefined) delete process.env.WENMING_WORKERS; else process.env.WENMING_WORKERS = saved.w;
    if (saved.q === undefined) delete process.env.WENMING_WORK_QUEUE; else process.env.WENMING_WORK_QUEUE = saved.q;
  }
  const res = await fetch(`${small.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'resident', password: 'wenming-demo' }) });
  assert.equal(res.status, 200);
  const token = (await res.json()).token;
  const pngs = [5, 6, 7, 8].map((s) => zeroPng(6000, 6000, 8, 2, s));
  const rs = await Promise.all(pngs.map((png) => upload(small.url, token, png)));
  const busy = rs.filter((r) => r.status === 503);
  assert.ok(busy.length >= 1, `statuses ${rs.map((r) => r.status)}`);
  for (const b of busy) {
    assert.equal(b.json.error.code, 'busy');
    assert.ok(Number(b.retryAfter) >= 1, `Retry-After ${b.retryAfter}`);
  }
  assert.ok(rs.some((r) => r.status === 201), 'the running job and the queued one are done');
  // Health checks are answered meanwhile and afterwards.
  assert.equal((await fetch(`${small.url}/healthz`)).status, 200);
});
