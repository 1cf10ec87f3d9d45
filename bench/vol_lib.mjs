// vol_lib.mjs — helpers of the volunteer benchmark scenarios (Friday rush,
// bulk import): a seeded PRNG, BLAKE2b-256 (the session token hash of
// core/crypto.c, which Node's OpenSSL cannot produce), valid 18-digit ID
// numbers, starting and stopping our own server with its peak RSS, a raw
// keep-alive HTTP/1.1 load client (Node's fetch costs as much CPU as the
// server on a 2-core machine), percentiles and the sqlite3 shell.
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { BENCH_ENV } from './lib.mjs';

// mulberry32: small, fast, deterministic for a given seed.
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (arr) => arr[Math.floor(next() * arr.length)];
  return next;
}

// BLAKE2b with a 32-byte digest, unkeyed (RFC 7693), as libsodium's
// crypto_generichash(…, 32, …, NULL, 0). BigInt: slow but plenty for 10^4 tokens.
const M64 = (1n << 64n) - 1n;
const IV = [0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n];
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4], [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13], [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11], [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5], [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0]];
const rotr = (x, n) => ((x >> n) | (x << (64n - n))) & M64;
export function blake2b256hex(str) {
  const data = Buffer.from(str, 'utf8');
  const h = IV.slice();
  h[0] ^= 0x01010000n ^ 32n;
  let t = 0n;
  const blocks = Math.max(1, Math.ceil(data.length / 128));
  for (let b = 0; b < blocks; b++) {
    const block = Buffer.alloc(128);
    data.copy(block, 0, b * 128, Math.min(data.length, (b + 1) * 128));
    const last = b === blocks - 1;
    t += BigInt(last ? data.length - b * 128 : 128);
    const m = Array.from({ length: 16 }, (_, i) => block.readBigUInt64LE(i * 8));
    const v = [...h, ...IV];
    v[12] ^= t & M64;
    v[13] ^= t >> 64n;
    if (last) v[14] ^= M64;
    const G = (a, bb, c, d, x, y) => {
      v[a] = (v[a] + v[bb] + x) & M64; v[d] = rotr(v[d] ^ v[a], 32n);
      v[c] = (v[c] + v[d]) & M64; v[bb] = rotr(v[bb] ^ v[c], 24n);
      v[a] = (v[a] + v[bb] + y) & M64; v[d] = rotr(v[d] ^ v[a], 16n);
      v[c] = (v[c] + v[d]) & M64; v[bb] = rotr(v[bb] ^ v[c], 63n);
    };
    for (let r = 0; r < 12; r++) {
      const s = SIGMA[r % 10];
      G(0, 4, 8, 12, m[s[0]], m[s[1]]); G(1, 5, 9, 13, m[s[2]], m[s[3]]);
      G(2, 6, 10, 14, m[s[4]], m[s[5]]); G(3, 7, 11, 15, m[s[6]], m[s[7]]);
      G(0, 5, 10, 15, m[s[8]], m[s[9]]); G(1, 6, 11, 12, m[s[10]], m[s[11]]);
      G(2, 7, 8, 13, m[s[12]], m[s[13]]); G(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (let i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
  }
  const out = Buffer.alloc(64);
  h.forEach((x, i) => out.writeBigUInt64LE(x, i * 8));
  return out.subarray(0, 32).toString('hex');
}

// A valid 18-digit resident ID number (GB 11643): region, birth date,
// sequence (odd = male), ISO 7064 MOD 11-2 check digit.
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
export function idNumber(region, ymd, seq) {
  const body = `${region}${ymd}${String(seq).padStart(3, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += (body.charCodeAt(i) - 48) * W[i];
  return body + CHECK[s % 11];
}

export const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
export const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文华建国志红玉梅晓东海燕婷雪慧俊浩宇子轩欣怡佳琪梓涵一诺思远嘉怡晨阳'.split('');
export function personName(r) {
  return r.pick(SURNAMES) + r.pick(GIVEN) + (r() < 0.6 ? r.pick(GIVEN) : '');
}
// A birth date that makes the person `minAge`..`maxAge` years old on `today`.
export function birthDate(r, today, minAge, maxAge) {
  const days = Math.floor(365.25 * (minAge + 0.05 + r() * (maxAge - minAge - 0.1)));
  const d = new Date(today.getTime() - days * 86400000);
  return d.toISOString().slice(0, 10);
}

// Starts `wenming <args>`; resolves {child, url, pid, stop(), peakRssMiB()}.
export function startWenming(bin, args, { env = {}, timeoutMs = 300000 } = {}) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...BENCH_ENV, ...env } });
  let errTail = '';
  child.stderr.on('data', (d) => { errTail = (errTail + d).slice(-8192); });
  const exited = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${bin} ${args[0]}: no listening line\n${errTail}`)); }, timeoutMs);
    exited.then(({ code, sig }) => { clearTimeout(timer); reject(new Error(`${bin} ${args[0]} exited (${code ?? sig})\n${out}\n${errTail}`)); });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.resume();
      // RssAnon sampled every 100 ms: VmHWM also counts the database pages
      // mapped by PRAGMA mmap_size, which the kernel can drop at will.
      let anonMax = 0;
      const sampler = setInterval(() => {
        try {
          const a = readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/RssAnon:\s+(\d+) kB/);
          if (a) anonMax = Math.max(anonMax, Number(a[1]));
        } catch { /* exited */ }
      }, 100);
      sampler.unref();
      exited.then(() => clearInterval(sampler));
      resolve({
        peakAnonMiB: () => Math.round(anonMax / 1024 * 10) / 10,
        // Starts the peaks afresh (VmHWM through /proc/PID/clear_refs), so they
        // measure the workload and not, e.g., the 64 MiB an Argon2id login takes.
        resetPeaks() {
          try { writeFileSync(`/proc/${child.pid}/clear_refs`, '5'); } catch { /* not permitted: VmHWM keeps its start */ }
          anonMax = 0;
        },
        child, url: m[1], pid: child.pid,
        // VmHWM: the peak resident set since the process started.
        peakRssMiB() {
          const s = readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
          return s ? Math.round(Number(s[1]) / 1024 * 10) / 10 : null;
        },
        async stop() {
          if (child.exitCode !== null || child.signalCode) return;
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 30000);
          await exited;
          clearTimeout(t);
        },
        stderrTail: () => errTail,
        // CPU seconds (user + system) the server has used so far.
        cpuSeconds() {
          const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
          const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
          return (Number(v[11]) + Number(v[12])) / 100;	// clock ticks: _SC_CLK_TCK is 100 on Linux
        },
      });
    });
  });
}

export function sqlite(db, sql) {
  return execFileSync('sqlite3', ['-bail', db], { input: sql, maxBuffer: 256 << 20 }).toString();
}
export function sqliteJson(db, sql) {
  const out = execFileSync('sqlite3', ['-bail', '-json', db], { input: sql, maxBuffer: 256 << 20 }).toString().trim();
  return out ? JSON.parse(out) : [];
}

// A whole request as bytes, so the client does no work per request beyond writing it.
export function rawRequest(method, url, { headers = {}, body = '' } = {}) {
  const u = new URL(url);
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  let h = `${method} ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\n`;
  for (const [k, v] of Object.entries(headers)) h += `${k}: ${v}\r\n`;
  h += `Content-Length: ${b.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(h), b]);
}

// Parses one HTTP/1.1 response at the start of buf; null when incomplete.
function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1');
  const status = Number(head.slice(9, 12));
  const cl = head.match(/\r\ncontent-length:\s*(\d+)/i);
  const close = /\r\nconnection:\s*close/i.test(head);
  if (cl) {
    const total = end + 4 + Number(cl[1]);
    if (buf.length < total) return null;
    return { status, body: buf.subarray(end + 4, total), used: total, close };
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    let p = end + 4;
    const parts = [];
    for (;;) {
      const le = buf.indexOf('\r\n', p);
      if (le < 0) return null;
      const n = parseInt(buf.subarray(p, le).toString('latin1'), 16);
      if (buf.length < le + 2 + n + 2) return null;
      if (n === 0) return { status, body: Buffer.concat(parts), used: le + 4, close };
      parts.push(buf.subarray(le + 2, le + 2 + n));
      p = le + 2 + n + 2;
    }
  }
  return { status, body: Buffer.alloc(0), used: end + 4, close };
}

// Sends every request (Buffers from rawRequest) over `conns` keep-alive
// connections, each taking the next request as soon as its previous answer
// is in. Returns per request {status, body (string), start, end} with times
// in ms (hrtime) relative to the moment the first request was written.
export function hammer(url, requests, conns, { keepBody = () => true } = {}) {
  const u = new URL(url);
  const results = new Array(requests.length);
  let next = 0, done = 0;
  const t0 = process.hrtime.bigint();
  const now = () => Number(process.hrtime.bigint() - t0) / 1e6;
  return new Promise((resolve, reject) => {
    const open = () => {
      if (next >= requests.length) return;
      const sock = net.connect({ host: u.hostname, port: Number(u.port), noDelay: true });
      let buf = Buffer.alloc(0), cur = -1;
      const send = () => {
        if (next >= requests.length) { sock.end(); return; }
        cur = next++;
        results[cur] = { start: now() };
        sock.write(requests[cur]);
      };
      sock.on('connect', send);
      sock.on('data', (d) => {
        buf = buf.length ? Buffer.concat([buf, d]) : d;
        const r = parseResponse(buf);
        if (!r) return;
        buf = buf.subarray(r.used);
        const x = results[cur];
        x.end = now();
        x.status = r.status;
        if (keepBody(r.status)) x.body = r.body.toString('utf8');
        cur = -1;
        if (++done === requests.length) { sock.end(); resolve(results); return; }
        if (r.close) { sock.destroy(); open(); } else send();
      });
      sock.on('error', (e) => { if (cur >= 0) reject(new Error(`request ${cur}: ${e.message}`)); });
      sock.on('close', () => { if (cur >= 0) reject(new Error(`connection closed with request ${cur} unanswered`)); });
    };
    for (let i = 0; i < Math.min(conns, requests.length); i++) open();
  });
}

export function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}
export const round = (x, d = 1) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d);

// BENCH_PERF=1: `perf record -g` on the server during the rush, into ctx.dir;
// BENCH_PERF=dwarf: the same with DWARF unwinding (libsqlite3 has no frame pointers);
// BENCH_PERF=strace: `strace -f -c` (system calls: fsync, futex waits…).
export async function perfStart(pid, ctx, name) {
  if (!process.env.BENCH_PERF) return null;
  const st = process.env.BENCH_PERF === 'strace';
  const out = join(ctx.dir, st ? `strace-${name}.txt` : `perf-${name}.data`);
  const p = st ? spawn('strace', ['-f', '-c', '-o', out, '-p', String(pid)], { stdio: 'ignore' })
    : spawn('perf', ['record', '-F', '499', '--call-graph', process.env.BENCH_PERF === 'dwarf' ? 'dwarf' : 'fp', '-p', String(pid), '-o', out], { stdio: 'ignore' });
  await new Promise((res) => setTimeout(res, 500));
  return { p, out };
}
export async function perfStop(perf, ctx) {
  if (!perf) return;
  const done = new Promise((res) => perf.p.on('exit', res));
  perf.p.kill('SIGINT');
  await done;
  ctx.log(`perf data in ${perf.out}`);
}
