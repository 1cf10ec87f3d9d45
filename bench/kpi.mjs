// The KPI benchmark now runs as a scenario of the suite (bench/scenarios/50_kpi.mjs,
// on the suite's dataset: bench/gen.mjs). Kept as a short-cut:
//   node bench/kpi.mjs --scale small [--kpi-ref all] [--kpi-ref-runs K]
// is `node bench/run.mjs --only kpi …`. The old --n N option is gone: the scales are
// tiny (10k problems), small (1M) and city (10M); see docs/PERFORMANCE.md.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
const run = fileURLToPath(new URL('./run.mjs', import.meta.url));
const r = spawnSync(process.execPath, [run, '--only', 'kpi', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
