// Reporting a problem: POST /api/v1/problems as the street office (Bearer
// token), 16 concurrent keep-alive clients (wrk -t1 -c16), each report at its
// own spot in the city (so the duplicate and chronic-spot checks run as for
// a fresh report), with the durability the server ships (read by the runner
// from src/store/driver_sqlite.c). Afterwards the database must hold at least as
// many new problems as wrk counted answers (every 201 is a stored report).
// Reference: bench/ref_insert.c, raw SQLite in C writing the same rows per
// report (problem, KPI roll-ups, event, search row, notifications, audit) in
// one transaction each, same pragmas, one thread, on the same database.
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { login, wrk, sql, compile, reportScript } from '../lib.mjs';

export default {
  name: 'report',
  async run(ctx) {
    const { url, dataDir } = ctx.shared;
    const db = join(dataDir, 'wenming.db');
    const secs = ctx.scale === 'tiny' ? 3 : 10, nref = ctx.scale === 'tiny' ? 2000 : 10000;
    const refExe = compile(ctx.repo, ctx.dir, 'ref_insert');
    const s = await login(url, 'office');
    const [[org], [cat], [acct]] = [sql(db, "SELECT id FROM orgs WHERE code = 'BC3';"),
      sql(db, "SELECT id FROM categories WHERE code = 'C0101';"), sql(db, "SELECT id FROM accounts WHERE login = 'office';")];
    const lua = reportScript(ctx.dir, s.token, org);
    const count = () => Number(sql(db, 'SELECT count(*) FROM problems;')[0]);
    const before = count();
    const w = wrk(url + '/', { conns: 16, secs, script: lua });
    const stored = count() - before;
    if (stored < w.requests) throw new Error(`wrk counted ${w.requests} answers but only ${stored} new problems are stored`);
    ctx.log(`${w.requests} reports answered, ${stored} stored; reference: ${nref} reports`);
    const [rps, p50, p99] = execFileSync(refExe, [db, String(nref), org, cat, acct], { encoding: 'utf8' }).trim().split(' ').map(Number);
    const ref = 'raw SQLite in C, same rows, 1 thread';
    return [
      { metric: 'POST /api/v1/problems, 16 clients: reports/s', value: w.rps, unit: '/s', reference: ref, ref_value: rps, better: 'higher' },
      { metric: 'same: p50 latency', value: w.p50, unit: 'ms', reference: ref, ref_value: p50, better: 'lower' },
      { metric: 'same: p99 latency', value: w.p99, unit: 'ms', reference: ref, ref_value: p99, better: 'lower' },
    ];
  },
};
