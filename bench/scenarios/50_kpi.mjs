// The dashboard KPIs (docs/KPI.md) over the whole generated history, as
// bench/kpi.mjs measured them before the suite existed: each endpoint one
// request at a time (latency, not throughput), p50 and p99. Reference: the
// naive query for the same figures over the raw tables (problems and
// problem_events), in the sqlite3 shell on the same database (.timer), no
// index can help it. The 3-year totals of the API must equal the naive
// query's (fast but wrong fails the run), so that reference always runs once.
// At city scale each naive query takes minutes: by default only that check
// runs there; --kpi-ref all times every reference (--kpi-ref-runs K times each),
// --kpi-ref none not even that check (say so when publishing the figures).
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { login, latency, sql } from '../lib.mjs';

export default {
  name: 'kpi',
  async run(ctx) {
    const { url, dataDir } = ctx.shared;
    const db = join(dataDir, 'wenming.db');
    const tEnd = JSON.parse(readFileSync(join(dataDir, 'bench-dataset.json'), 'utf8')).t_end;
    const reqs = ctx.scale === 'city' ? 10 : 20;
    const refAll = ctx.args['kpi-ref'] ? ctx.args['kpi-ref'] === 'all' : ctx.scale !== 'city';
    const refRuns = Number(ctx.args['kpi-ref-runs'] || (ctx.scale === 'tiny' ? 2 : 1));
    const tok = {};
    for (const who of ['admin', 'office', 'committee']) tok[who] = (await login(url, who)).token;
    const day = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);
    const today = day(tEnd);
    const monthStart = today.slice(0, 8) + '01';
    const lastMonthEnd = day(Date.parse(monthStart + 'T00:00:00+08:00') / 1000 - 86400);
    const lastMonthStart = lastMonthEnd.slice(0, 8) + '01';
    const yearFrom = day(tEnd - 364 * 86400);
    const threeFrom = day(tEnd - 1095 * 86400);
    const [streetPath] = sql(db, "SELECT path FROM orgs WHERE kind = 'street' ORDER BY id LIMIT 1;");

    const secs = (d) => Date.parse(d + 'T00:00:00+08:00') / 1000;
    const naive = (from, to, groupExpr, orgFilter = '') => {
      const a = secs(from), b = secs(to) + 86400;
      return `SELECT ${groupExpr} AS g, sum(created_at >= ${a} AND created_at < ${b}),
  sum(accepted_at >= ${a} AND accepted_at < ${b} AND state <> 'merged'),
  sum(state = 'closed' AND closed_at >= ${a} AND closed_at < ${b}),
  sum(CASE WHEN state = 'closed' AND closed_at >= ${a} AND closed_at < ${b} THEN closed_at - created_at ELSE 0 END),
  sum(deadline >= ${a} AND deadline < ${b} AND state NOT IN ('merged', 'rejected')),
  sum(deadline >= ${a} AND deadline < ${b} AND state = 'closed' AND closed_at <= deadline)
FROM problems p WHERE 1 ${orgFilter} GROUP BY 1;
SELECT ${groupExpr} AS g, sum(e.to_state = 'rectified'), sum(e.from_state = 'rectified' AND e.to_state = 'acknowledged'),
  sum(e.from_state = 'closed' AND e.to_state = 'reopened' AND e.action <> 'citizen_reopen'),
  sum(e.action = 'rate' AND json_extract(e.data, '$.rating') = 'satisfied'),
  sum(e.action = 'rate' AND json_extract(e.data, '$.rating') = 'basically_satisfied'),
  sum(e.action = 'rate' AND json_extract(e.data, '$.rating') = 'dissatisfied')
FROM problem_events e JOIN problems p ON p.id = e.problem_id WHERE e.at >= ${a} AND e.at < ${b} ${orgFilter} GROUP BY 1;`;
    };
    const reference = (text, runs) => {
      const out = execFileSync('sqlite3', [db], { input: `.timer on\n${Array(runs).fill(text).join('\n')}\n`,
        encoding: 'utf8', maxBuffer: 1 << 28 });
      const times = [...out.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
      const per = [];
      for (let i = 0; i + 1 < times.length; i += 2) per.push(times[i] + times[i + 1]);	// two statements a run
      per.sort((x, y) => x - y);
      return { p50: per[Math.floor(per.length / 2)], max: per[per.length - 1],
        rows: out.split('\n').filter((l) => l.includes('|') && !l.startsWith('Run Time')) };
    };
    const under = `AND p.org_id IN (SELECT id FROM orgs WHERE path >= '${streetPath}' AND path < '${streetPath}~')`;
    const GUARD = 'admin, 3 years, totals';
    const cases = [
      ['office, last month, street totals', `/api/v1/kpis?from=${lastMonthStart}&to=${lastMonthEnd}`, 'office', naive(lastMonthStart, lastMonthEnd, '0', under)],
      ['office, 12 months, by community', `/api/v1/kpis?from=${yearFrom}&to=${today}&group_by=community`, 'office', naive(yearFrom, today, 'p.org_id', under)],
      ['office, 12 months, by handler unit', `/api/v1/kpis?from=${yearFrom}&to=${today}&group_by=handler`, 'office', naive(yearFrom, today, 'p.handler_org_id', under)],
      ['office, 12 months, by category', `/api/v1/kpis?from=${yearFrom}&to=${today}&group_by=category`, 'office', naive(yearFrom, today, 'p.category_id', under)],
      [GUARD, `/api/v1/kpis?from=${threeFrom}&to=${today}`, 'admin', naive(threeFrom, today, '0')],
      ['committee (one 居委), 12 months', `/api/v1/kpis?from=${yearFrom}&to=${today}`, 'committee', null],
      ['office, trend by month, 12 months', `/api/v1/kpis/trend?from=${yearFrom}&to=${today}&interval=month`, 'office', null],
      ['office, trend by week, 12 months', `/api/v1/kpis/trend?from=${yearFrom}&to=${today}&interval=week`, 'office', null],
      ['office, trend by day, this month', `/api/v1/kpis/trend?from=${monthStart}&to=${today}&interval=day`, 'office', null],
      ['office, current states + overdue', '/api/v1/kpis/states', 'office', null],
      ['office, ranking of communities, 12 months', `/api/v1/rankings?from=${yearFrom}&to=${today}&kind=community`, 'office', null],
    ];
    const rows = [];
    for (const [name, path, who, refSql] of cases) {
      const m = await latency(url, path, { authorization: 'Bearer ' + tok[who] }, { n: reqs, maxSecs: 60 });
      const timed = refSql && ctx.args['kpi-ref'] !== 'none' && (refAll || name === GUARD);
      const r = timed ? reference(refSql, Math.max(1, refRuns)) : null;
      if (name === GUARD && r) {
        const t = JSON.parse(m.body).totals;
        const [a, b] = r.rows.slice(0, 2).map((l) => l.split('|').map(Number));
        const want = [a[1], a[2], a[3], a[5], a[6], b[1], b[2], b[3], b[4], b[5], b[6]];
        const got = [t.reported, t.accepted, t.closed, t.due, t.closed_on_time, t.rectifications, t.reworks, t.relapses,
          t.ratings.satisfied, t.ratings.basic, t.ratings.dissatisfied];
        if (JSON.stringify(want) !== JSON.stringify(got)) throw new Error(`3-year totals: API ${JSON.stringify(got)} ≠ raw ${JSON.stringify(want)}`);
        ctx.log('3-year totals: API = naive query over the raw tables');
      }
      ctx.log(`${name}: p50 ${m.p50.toFixed(2)} ms${r ? `, naive ${r.p50.toFixed(0)} ms` : ''}`);
      const refName = r ? 'naive GROUP BY, sqlite3 shell' : null;
      rows.push({ metric: `kpi: ${name}: p50`, value: m.p50, unit: 'ms', reference: refName, ref_value: r ? r.p50 : null, better: 'lower' });
      rows.push({ metric: `kpi: ${name}: p99`, value: m.p99, unit: 'ms', reference: null, ref_value: null, better: 'lower' });
    }
    return rows;
  },
};
