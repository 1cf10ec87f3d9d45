// Helpers shared by the scenario modules in bench/scenarios/ (see bench/run.mjs
// for the module interface). Nothing here starts servers of its own.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

// One load generator on one loopback address drives the server, as a reverse
// proxy does in production: the per-address limits (docs/OPERATIONS.md,
// "Connection and body limits", "Login throttles") are lifted for the servers
// the benchmarks start, so that they measure the server, not its guards.
export const BENCH_ENV = { WENMING_PER_IP_CONNECTIONS: '0', WENMING_LOGINS_PER_MINUTE: '100000' };

export const DEMO_PASSWORD = 'wenming-demo';

// A demo account's session: { token (Bearer), cookie ('wm_session=…'), csrf }.
export async function login(url, who) {
  const r = await fetch(url + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: who, password: DEMO_PASSWORD }) });
  const j = await r.json();
  if (r.status !== 200) throw new Error(`login ${who}: ${r.status} ${JSON.stringify(j)}`);
  return { token: j.token, cookie: `wm_session=${j.token}`, csrf: j.csrf_token };
}

export function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

// Sequential requests (one client: latency, not throughput), after `warm`
// unmeasured ones; stops after n requests or maxSecs. Every answer must be 200.
export async function latency(url, path, headers, { n = 50, warm = 2, maxSecs = 30 } = {}) {
  const lat = [];
  let body = null;
  const t0 = Date.now();
  for (let i = 0; i < n + warm; i++) {
    // A kept-alive connection idle longer than the server's timeout (say, while
    // a reference ran for minutes) is closed under us: the unmeasured warm-up
    // requests drop it and try again.
    const t = process.hrtime.bigint();
    let r;
    for (let tries = 0; ; tries++) {
      try { r = await fetch(url + path, { headers }); break; } catch (e) { if (i >= warm || tries >= 8) throw e; }
    }
    body = await r.text();
    if (r.status !== 200) throw new Error(`${path} → ${r.status} ${body.slice(0, 200)}`);
    if (i >= warm) lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (i >= warm + 4 && Date.now() - t0 > maxSecs * 1000) break;
  }
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), n: lat.length, body };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

// wrk with --latency; returns { rps, p50, p99 (ms), requests, errors }. A
// non-2xx answer or a socket error makes the run fail (a fast error page is
// not a result).
export function wrk(url, { threads = 1, conns = 64, secs = 10, script = null, allowErrors = false } = {}) {
  const args = [`-t${threads}`, `-c${conns}`, `-d${secs}s`, '--latency'];
  if (script) args.push('-s', script);
  args.push(url);
  const out = execFileSync('wrk', args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = (s) => {
    const m = s.match(/([\d.]+)(us|ms|s)\b/);
    return m ? Number(m[1]) * (m[2] === 'us' ? 1e-3 : m[2] === 's' ? 1e3 : 1) : null;
  };
  const line = (re) => out.split('\n').find((l) => re.test(l)) || '';
  const rps = Number(line(/^Requests\/sec:/).split(':')[1]);
  const non2xx = Number(line(/Non-2xx or 3xx responses:/).split(':')[1] || 0);
  const sockErr = line(/Socket errors:/);
  const requests = Number((out.match(/(\d+) requests in/) || [])[1]);
  const errors = non2xx + (sockErr ? sockErr.match(/\d+/g).map(Number).reduce((a, b) => a + b, 0) : 0);
  if (errors && !allowErrors) throw new Error(`wrk ${url}: ${errors} errors\n${out}`);
  return { rps, p50: ms(line(/^\s+50%/)), p99: ms(line(/^\s+99%/)), requests, errors, out };
}

// A wrk Lua script that sends the given headers and walks the paths in turn.
export function wrkScript(dir, name, { headers = {}, paths = ['/'], method = 'GET', body = null }) {
  const lua = [
    `wrk.method = ${JSON.stringify(method)}`,
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
    body !== null ? `wrk.body = ${JSON.stringify(body)}` : '',
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(', ')}}`,
    'local i = 0',
    'request = function() i = i % #paths + 1; return wrk.format(nil, paths[i]) end',
  ].join('\n');
  const f = join(dir, name);
  writeFileSync(f, lua + '\n');
  return f;
}

// Runs SQL in the sqlite3 shell on a database; returns the output lines.
export function sql(db, text) {
  return execFileSync('sqlite3', [db], { input: text, encoding: 'utf8', maxBuffer: 1 << 28 }).trim().split('\n')
    .filter((l) => l !== '');
}

// Compiles one of bench/*.c into dir with the given pkg-config packages.
export function compile(repo, dir, name, pkgs = 'sqlite3') {
  const exe = join(dir, name);
  execFileSync('sh', ['-c', `cc -O2 -o '${exe}' '${join(repo, 'bench', name + '.c')}' $(pkg-config --cflags --libs ${pkgs})`],
    { stdio: 'inherit' });
  return exe;
}

// Peak RSS (VmHWM) of a process in MiB, or null when it is gone.
export function peakRss(pid) {
  try { return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)[1]) / 1024; } catch { return null; }
}

// Starts a program; resolves when `ready()` says so (polled), rejects if it exits first.
export function startProcess(cmd, args, { ready, timeoutMs = 10000, stdio = 'ignore' }) {
  const child = spawn(cmd, args, { stdio });
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    child.on('exit', (c) => reject(new Error(`${cmd} exited ${c}`)));
    const poll = async () => {
      if (await ready().catch(() => false)) { child.removeAllListeners('exit'); return resolve(child); }
      if (Date.now() - t0 > timeoutMs) { child.kill(); return reject(new Error(`${cmd} not ready`)); }
      setTimeout(poll, 100);
    };
    poll();
  });
}
export async function stopProcess(child, sig = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const d = new Promise((r) => child.on('exit', r));
  child.kill(sig);
  await d;
}

// Runs SQL in psql on a PostgreSQL database (a libpq URI); returns the output
// lines (unaligned, tuples only, |-separated). Stops at the first error.
export function psql(url, text) {
  return execFileSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', url], { input: text, encoding: 'utf8',
    maxBuffer: 1 << 28 }).trim().split('\n').filter((l) => l !== '');
}

// nginx (Debian) serving a static file of `size` bytes, driven by the same wrk
// as the server (the HTTP ceiling of the machine): unprivileged, its own config
// in dir, a free port, 2 workers (as many as the server has threads). Warms up
// for 2 s, measures `secs`; returns wrk's figures (see wrk()).
export async function nginxStatic(dir, size, { secs, conns = 64, headers = {} }) {
  const root = join(dir, 'www'), t = join(dir, 'tmp');
  mkdirSync(root, { recursive: true });
  mkdirSync(t, { recursive: true });
  writeFileSync(join(root, 'problem.json'), Buffer.alloc(size, 'x'));
  // Run as root (a container), nginx's workers drop to an unprivileged user: let it read the file.
  chmodSync(dir, 0o755);
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), `worker_processes 2;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${t}/body; proxy_temp_path ${t}/proxy; fastcgi_temp_path ${t}/fcgi;
  uwsgi_temp_path ${t}/uwsgi; scgi_temp_path ${t}/scgi;
  keepalive_requests 1000000;
  default_type application/json;
  server { listen 127.0.0.1:${port}; root ${root}; location / { } }
}
`);
  const nginx = await startProcess('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], {
    ready: async () => (await fetch(`http://127.0.0.1:${port}/problem.json`)).status === 200 });
  try {
    const script = wrkScript(dir, 'static.lua', { headers, paths: ['/problem.json'] });
    wrk(`http://127.0.0.1:${port}/`, { secs: 2, conns, script });
    return wrk(`http://127.0.0.1:${port}/`, { secs, conns, script });
  } finally {
    await stopProcess(nginx, 'SIGQUIT');
  }
}

// The wrk script of the "report a problem" load: POST /api/v1/problems with a
// Bearer token, each report at its own spot in the city (a grid walked by a
// counter), so the duplicate and chronic-spot checks run as for a fresh report.
export function reportScript(dir, token, orgId) {
  const lua = join(dir, 'report.lua');
  writeFileSync(lua, `wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer ${token}"
wrk.headers["Content-Type"] = "application/json"
local i = 0
request = function()
  i = i + 1
  local lat = 30.9 + (i % 997) / 1500.0
  local lng = 121.1 + (math.floor(i / 997) % 997) / 1500.0
  local body = string.format('{"category":"C0101","org_id":${orgId},"description":"楼道堆物 基准上报 %d","address":"基准路%d号","location":{"lat":%.6f,"lng":%.6f}}', i, i % 900 + 1, lat, lng)
  return wrk.format(nil, "/api/v1/problems", nil, body)
end
`);
  return lua;
}
