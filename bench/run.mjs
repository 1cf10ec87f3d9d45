// The benchmark suite: one command, one table (SPEC §13, issue 8).
//   node bench/run.mjs --scale tiny|small|city [--only NAME[,NAME]] [--data DIR] [--seed N]
//                      [--kpi-ref all] [--kpi-ref-runs K] [--as-is]
// Generates the dataset for the scale (bench/gen.mjs; reused when DIR already
// holds it: --data, else $WENMING_BENCH_DIR, else $TMPDIR/wenming-bench-SCALE),
// starts `wenming serve` on it, runs every module in bench/scenarios/*.mjs in
// file-name order (--only: those whose name or file name is listed), and prints
// one markdown table on stdout (progress on stderr) with the machine above it.
//
// A scenario module:
//   export default { name: 'friday_rush', async run(ctx) { …; return rows } }
//   ctx  = { bin, repo, scale, seed, dir /* fresh temp dir */, shared: { url, pid, dataDir }, log(msg), args }
//   rows = [{ scenario, metric, value, unit, reference /* name or null */, ref_value /* or null */,
//             better: 'lower'|'higher', peak_rss_mib /* of a server the scenario started itself */ }]
// ctx.args holds the command line's --key value pairs (e.g. kpi-ref-runs).
// The runner adds ratio = value ÷ ref_value, and the memory row: the shared
// server's peak RSS (VmHWM) and the largest peak_rss_mib a scenario reported.
import { readdirSync, readFileSync, mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { machine, cpuBusy, otherWork, fmt, ratioFmt } from './machine.mjs';
import { generate, defaultDir, startServer, stopServer, repoRoot, DEFAULT_SEED, SCALES } from './gen.mjs';

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (!a.startsWith('--')) continue;
  const next = process.argv[i + 1];
  if (next === undefined || next.startsWith('--')) args[a.slice(2)] = true;
  else args[a.slice(2)] = next, i++;
}
const scale = args.scale || 'tiny';
if (!SCALES[scale]) { console.error(`unknown --scale ${scale} (tiny, small, city)`); process.exit(2); }
const seed = Number(args.seed || DEFAULT_SEED);
const dataDir = args.data || defaultDir(scale);
const bin = process.env.WENMING_BIN || join(repoRoot, 'build/wenming');
const t0 = Date.now();
const log = (m) => process.stderr.write(`# ${new Date().toISOString().slice(11, 19)} ${m}\n`);

function vmHWM(pid) {
  try { return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)[1]) / 1024; } catch { return null; }
}

const m = machine(repoRoot);
const before = { busy: cpuBusy(), load: loadavg()[0].toFixed(2), others: otherWork() };
log(`machine: ${m.cpu}, ${m.cores} cores; before the run: CPU ${before.busy} % busy, load ${before.load}`);

// --as-is: measure the dataset as it stands, even while bench/gen.mjs is still
// adding to it (say so in the notes; the KPI roll-ups may be missing).
const state = args['as-is'] ? JSON.parse(readFileSync(join(dataDir, 'bench-dataset.json'), 'utf8'))
  : await generate({ scale, dir: dataDir, seed, bin, log });
log(`dataset ${scale} in ${dataDir}`);
// The dataset as generated (scenarios add rows: counted before they run).
const counts = (() => {
  try {
    return execFileSync('sqlite3', [join(dataDir, 'wenming.db'), `SELECT (SELECT count(*) FROM problems), (SELECT count(*) FROM volunteers),
      (SELECT count(*) FROM sites), (SELECT count(*) FROM orgs WHERE kind = 'community')`], { encoding: 'utf8' }).trim().split('|').map(Number);
  } catch { return []; }
})();
const server = await startServer(bin, ['serve', '--data', dataDir, '--listen', '127.0.0.1:0'], join(dataDir, 'server.log'));
const shared = { url: server.url, pid: server.pid, dataDir };
log(`server ${server.url} (pid ${server.pid})`);

const only = args.only ? String(args.only).split(',') : null;
const files = readdirSync(join(repoRoot, 'bench/scenarios')).filter((f) => f.endsWith('.mjs')).sort();
const rows = [], failures = [];
let ranAny = false;
try {
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(repoRoot, 'bench/scenarios', f)).href)).default;
    if (!mod || typeof mod.run !== 'function') { log(`${f}: no default export with run(); skipped`); continue; }
    if (only && !only.includes(mod.name) && !only.includes(f) && !only.includes(f.replace(/\.mjs$/, ''))) continue;
    ranAny = true;
    const dir = mkdtempSync(join(tmpdir(), `wenming-bench-${mod.name}-`));
    const ts = Date.now();
    log(`scenario ${mod.name} (${f})`);
    try {
      const out = await mod.run({ bin, repo: repoRoot, scale, seed, dir, shared, args,
        log: (msg) => log(`  ${mod.name}: ${msg}`) });
      for (const r of out || []) rows.push({ scenario: mod.name, ...r });
      rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      failures.push(`${mod.name}: ${e.stack || e}`);
      log(`scenario ${mod.name} FAILED: ${e.message} (its files are kept in ${dir})`);
      rows.push({ scenario: mod.name, metric: 'FAILED: ' + String(e.message).split('\n')[0].slice(0, 120), value: null });
    }
    log(`scenario ${mod.name} took ${((Date.now() - ts) / 1000).toFixed(0)} s`);
    if (server.child.exitCode !== null) throw new Error(`the shared server died (exit ${server.child.exitCode}); see ${dataDir}/server.log`);
  }
} finally {
  const hwm = vmHWM(server.pid);
  await stopServer(server);
  const own = rows.map((r) => r.peak_rss_mib).filter((x) => typeof x === 'number');
  rows.push({ scenario: 'memory', metric: 'peak RSS of the shared server (VmHWM)', value: hwm, unit: 'MiB', better: 'lower' });
  if (own.length)
    rows.push({ scenario: 'memory', metric: 'largest peak RSS of a server a scenario started', value: Math.max(...own),
      unit: 'MiB', better: 'lower' });
}
const after = { busy: cpuBusy(), load: loadavg()[0].toFixed(2), others: otherWork() };

// The table.
const withUnit = (x, u) => (x === null || x === undefined ? '—' : `${fmt(x)}${u ? ' ' + u : ''}`);
const lines = [];
lines.push(`### Scale \`${scale}\` (seed ${seed}), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
lines.push('');
lines.push(`- Machine: ${m.cpu}, ${m.cores} cores, ${m.ram} RAM, ${m.kernel}; SQLite ${m.sqlite}; build \`${m.buildtype}\`.`);
lines.push(`- Durability shipped (src/store/driver_sqlite.c): \`${m.durability}\`; the references use the same pragmas.`);
const n = (x) => (x === undefined ? '?' : x.toLocaleString('en-US'));
lines.push(`- Dataset: ${n(counts[0])} problems, ${n(counts[1])} volunteers, ${n(counts[2])} sites, ${n(counts[3])} communities` +
  ` (generated in ${Object.values(state.steps).reduce((s, x) => s + x, 0).toFixed(0)} s: ` +
  `${Object.entries(state.steps).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(', ')}).`);
lines.push(`- Other work on the machine: before the run CPU ${before.busy} % busy, load ${before.load}` +
  `${before.others ? ` (${before.others})` : ''}; after it CPU ${after.busy} % busy, load ${after.load}` +
  `${after.others ? ` (${after.others})` : ''}. The suite took ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
lines.push('- Ratio = Wenming ÷ reference; the last column says which way is better for the metric.');
lines.push('');
lines.push('| scenario | metric | Wenming | reference | reference figure | ratio | better |');
lines.push('|---|---|---:|---|---:|---:|---|');
for (const r of rows) {
  const ratio = typeof r.value === 'number' && typeof r.ref_value === 'number' && r.ref_value !== 0 ? `${ratioFmt(r.value / r.ref_value)}×` : '—';
  lines.push(`| ${r.scenario} | ${r.metric} | ${withUnit(r.value, r.unit)} | ${r.reference || '—'} | ${withUnit(r.ref_value, r.unit)} | ${ratio} | ${r.better || '—'} |`);
}
console.log('\n' + lines.join('\n'));
writeFileSync(join(dataDir, `bench-results-${Date.now()}.json`), JSON.stringify({ machine: m, before, after, rows }, null, 1));
if (!ranAny) log('no scenario matched');
if (failures.length) { for (const f of failures) log(f); process.exit(1); }
if (!existsSync(dataDir)) process.exit(1);
