// What the benchmark tables print above themselves: the machine, the build,
// the engines' versions and settings, and how busy the machine was (shared
// by bench/run.mjs and bench/backends.mjs).
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

// CPU busy share of the whole machine over a short window (from /proc/stat).
export function cpuBusy(ms = 1000) {
  const read = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const a = read();
  execFileSync('sleep', [String(ms / 1000)]);
  const b = read();
  const d = b.map((x, i) => x - a[i]);
  const total = d.reduce((s, x) => s + x, 0), idle = d[3] + d[4];
  return total ? Math.round((100 * (total - idle)) / total) : 0;
}

// Other processes' CPU right now (not this run's): the top few by recent use.
export function otherWork() {
  try {
    const out = execFileSync('top', ['-b', '-n', '2', '-d', '1', '-w', '200'], { encoding: 'utf8' });
    const last = out.slice(out.lastIndexOf('PID USER'));
    return last.split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 12 && Number(f[8]) >= 5)
      .filter((f) => Number(f[0]) !== process.pid).slice(0, 5).map((f) => `${f[11]} ${f[8]} %`).join(', ');
  } catch { return 'unknown'; }
}

// The durability setting the server ships, read from the source rather than
// retyped (the SQLite driver; src/store/sqlite.c before the driver split).
function sqliteDurability(repoRoot) {
  const file = ['src/store/driver_sqlite.c', 'src/store/sqlite.c'].map((f) => join(repoRoot, f)).find((f) => existsSync(f));
  const src = file ? readFileSync(file, 'utf8') : '';
  const jm = src.match(/journal_mode=(\w+)/)?.[1], sync = src.match(/synchronous=(\w+)/)?.[1];
  return `journal_mode=${jm || '?'}, synchronous=${sync || '?'}`;
}

export function machine(repoRoot) {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] || cpus()[0]?.model;
  const kernel = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim();
  let sqliteLib = '?';
  try { sqliteLib = execFileSync('sqlite3', [':memory:', 'select sqlite_version()'], { encoding: 'utf8' }).trim(); } catch { /* no CLI */ }
  let buildtype = '?';
  try { buildtype = JSON.parse(execFileSync('meson', ['introspect', '--buildoptions', join(repoRoot, 'build')], { encoding: 'utf8' }))
    .find((o) => o.name === 'buildtype')?.value; } catch { /* not a meson build dir */ }
  return { cpu, cores: cpus().length, ram: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`, kernel, sqlite: sqliteLib,
    durability: sqliteDurability(repoRoot), buildtype };
}

// Numbers as the tables print them: 3 significant figures or so, thousands separated.
export function fmt(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  const a = Math.abs(x);
  return a >= 1000 ? Math.round(x).toLocaleString('en-US') : a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}
export const ratioFmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));
