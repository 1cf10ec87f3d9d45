// The benchmark dataset (fixed seed), at one of three scales:
//   tiny   ~10k problems,   1k volunteers,   1k sites   (CI smoke)
//   small  ~1M problems,  100k volunteers,  10k sites
//   city   10M problems,    1M volunteers, 100k sites   (SPEC §13)
// Usage: node bench/gen.mjs --scale tiny|small|city [--data DIR] [--seed N]
// (DIR defaults to $WENMING_BENCH_DIR, else $TMPDIR/wenming-bench-SCALE). Keep
// big datasets out of the repository, e.g. --data on a disk with ~15 GB free for city.
//
// Steps, each recorded in DIR/bench-dataset.json when done, so an interrupted
// or repeated run continues where it stopped and a finished dataset is reused
// as it is:
//   demo      `wenming demo` with 50 people: the street, accounts (password
//             wenming-demo), categories, site types, checklists
//   problems  bench/gen_kpi.sql: N problems with their history in N/2000 new
//             communities and half as many handler units
//   sites     bench/gen_sites.sql: every site type, over those communities
//   people    bench/gen_people.c: volunteers with valid, sealed ID numbers and phones
//   rollups   the backfill section of schema/sqlite/008_kpi.sql (the migration's own SQL)
//   analyze   ANALYZE
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync, openSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_ENV } from './lib.mjs';

export const SCALES = {
  tiny: { problems: 10000, volunteers: 1000, sites: 1000 },
  small: { problems: 1000000, volunteers: 100000, sites: 10000 },
  city: { problems: 10000000, volunteers: 1000000, sites: 100000 },
};
export const DEFAULT_SEED = 20260714;
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = dirname(here);

export function defaultDir(scale) {
  return process.env.WENMING_BENCH_DIR || join(tmpdir(), `wenming-bench-${scale}`);
}

// Starts `wenming ARGS`; resolves with { child, url, pid } once it listens.
// The promise carries the child too (.child), to stop a server that is still
// starting (stopServer accepts either).
// Its stdout and stderr go to logFile, never to a pipe: a pipe nobody reads
// while a scenario blocks (execFileSync of wrk) would stall the server.
export function startServer(bin, args, logFile, env = {}) {
  const start = existsSync(logFile) ? statSync(logFile).size : 0;
  const fd = openSync(logFile, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd],
    env: { ...process.env, ...BENCH_ENV, WENMING_TICK_SECONDS: '0', ...env } });
  closeSync(fd);
  const started = new Promise((resolve, reject) => {
    const onExit = (c) => { clearInterval(poll); reject(new Error(`wenming ${args[0]} exited ${c} (log: ${logFile})`)); };
    child.on('exit', onExit);
    const poll = setInterval(() => {
      const m = readFileSync(logFile).subarray(start).toString().match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearInterval(poll); child.off('exit', onExit); resolve({ child, url: m[1], pid: child.pid }); }
    }, 50);
  });
  started.child = child;
  return started;
}
export async function stopServer(s) {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const d = new Promise((r) => s.child.on('exit', r));
  s.child.kill('SIGTERM');
  await d;
}

export async function generate({ scale, dir, seed = DEFAULT_SEED, bin, log = () => {} }) {
  const sz = SCALES[scale];
  if (!sz) throw new Error(`unknown scale ${scale} (tiny, small, city)`);
  mkdirSync(dir, { recursive: true });
  const stateFile = join(dir, 'bench-dataset.json');
  const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8'))
    : { scale, seed, t_end: Math.floor(Date.now() / 1000), steps: {} };
  if (state.scale !== scale || state.seed !== seed)
    throw new Error(`${dir} holds the ${state.scale} dataset with seed ${state.seed}, not ${scale}/${seed}`);
  const save = () => writeFileSync(stateFile, JSON.stringify(state, null, 1) + '\n');
  const db = join(dir, 'wenming.db');
  const sqlite = (input) => execFileSync('sqlite3', [db], { input, maxBuffer: 1 << 28 }).toString();
  const ncomm = Math.max(50, Math.round(sz.problems / 2000));
  const nunit = Math.max(20, Math.round(ncomm / 2));
  const params = `CREATE TEMP TABLE bp AS SELECT ${sz.problems} AS n, ${seed} AS seed, ${state.t_end} AS t_end,
  ${ncomm} AS ncomm, ${nunit} AS nunit, ${sz.sites} AS nsites;\n`;
  const step = async (name, f) => {
    if (state.steps[name] !== undefined) return;
    log(`dataset ${scale}: ${name}…`);
    const t = Date.now();
    await f();
    state.steps[name] = Math.round((Date.now() - t) / 100) / 10;
    save();
    log(`dataset ${scale}: ${name} done in ${state.steps[name]} s`);
  };
  await step('demo', async () => {
    if (existsSync(db)) throw new Error(`${db} exists but was not made by this generator; use an empty directory`);
    const s = await startServer(bin, ['demo', '--data', dir, '--listen', '127.0.0.1:0', '--people', '50'],
      join(dir, 'server.log'));
    await stopServer(s);
  });
  save();
  await step('problems', () => sqlite(params + readFileSync(join(here, 'gen_kpi.sql'), 'utf8')));
  await step('sites', () => sqlite(params + readFileSync(join(here, 'gen_sites.sql'), 'utf8')));
  await step('people', () => {
    const exe = join(dir, 'gen_people');
    execFileSync('sh', ['-c', `cc -O2 -o '${exe}' '${join(here, 'gen_people.c')}' $(pkg-config --cflags --libs sqlite3 libsodium)`],
      { stdio: 'inherit' });
    execFileSync(exe, [dir, String(sz.volunteers), String(seed)], { stdio: 'inherit' });
  });
  await step('rollups', () => {
    const migration = readFileSync(join(repoRoot, 'schema/sqlite/008_kpi.sql'), 'utf8');
    const backfill = migration.slice(migration.indexOf('-- backfill:begin'), migration.indexOf('-- backfill:end'));
    sqlite(`PRAGMA cache_size = -1000000;\nBEGIN;\n${backfill}\nCOMMIT;\n`);
  });
  await step('analyze', () => sqlite('ANALYZE;'));
  return state;
}

// CLI
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const opt = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
  const scale = opt('scale', 'tiny');
  const dir = opt('data', defaultDir(scale));
  const bin = process.env.WENMING_BIN || join(repoRoot, 'build/wenming');
  const st = await generate({ scale, dir, seed: Number(opt('seed', DEFAULT_SEED)), bin,
    log: (m) => process.stderr.write(`# ${new Date().toISOString().slice(11, 19)} ${m}\n`) });
  console.log(JSON.stringify(st));
}
