// scenario.mjs — runs one benchmark scenario on its own (bench/run.mjs runs
// them all and prints the table). Usage:
//   node bench/scenario.mjs NAME [--scale tiny|small|city] [--seed N] [--keep]
// NAME is a scenario's `name` (e.g. friday_rush, import_volunteers) or part
// of its file name. WENMING_BIN overrides build/wenming. --keep leaves the
// scenario's temp directory in place (its path is printed).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (k, d) => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : d; };
const name = argv.find((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1].startsWith('--') && argv[i - 1] !== '--keep'));
if (!name) { console.error('usage: node bench/scenario.mjs NAME [--scale tiny|small|city] [--seed N] [--keep]'); process.exit(2); }
const scale = opt('--scale', 'tiny');
const seed = Number(opt('--seed', 20261121));
const bin = resolve(process.env.WENMING_BIN || join(repo, 'build', 'wenming'));

let found = null;
for (const f of readdirSync(join(repo, 'bench', 'scenarios')).filter((f) => f.endsWith('.mjs')).sort()) {
  const m = (await import(pathToFileURL(join(repo, 'bench', 'scenarios', f)))).default;
  if (m.name === name || f.includes(name)) { found = m; break; }
}
if (!found) { console.error(`no scenario named ${name} in bench/scenarios/`); process.exit(2); }
const dir = mkdtempSync(join(tmpdir(), `wenming-bench-${found.name}-`));
const ctx = { bin, repo, scale, seed, dir, shared: null, log: (m) => process.stderr.write(m + '\n') };
const t0 = Date.now();
let rows;
try {
  rows = await found.run(ctx);
} finally {
  if (argv.includes('--keep')) process.stderr.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
const fmt = (v) => (v === null || v === undefined ? '—' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v));
console.log(`| scenario | metric | value | unit | reference | ref value | ratio | peak RSS MiB |`);
console.log(`|---|---|---:|---|---|---:|---:|---:|`);
for (const r of rows) {
  const ratio = r.ref_value ? (r.better === 'higher' ? r.value / r.ref_value : r.ref_value / r.value) : null;
  console.log(`| ${r.scenario} | ${r.metric} | ${fmt(r.value)} | ${r.unit} | ${r.reference ?? '—'} | ${fmt(r.ref_value)} | ${ratio === null ? '—' : ratio.toFixed(3)} | ${fmt(r.peak_rss_mib)} |`);
}
console.error(`${found.name} (${scale}) done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
