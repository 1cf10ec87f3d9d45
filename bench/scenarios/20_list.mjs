// A filtered, paginated problem list over the whole dataset: GET
// /api/v1/problems?limit=50&… as the street office (whose scope is the whole
// street), one request at a time (latency), p50 and p99 per filter:
//   community + open states; a category in a one-month window a year ago;
//   overdue; a full-text search (trigram index); page 20 of a community's
//   list (keyset cursor).
// Reference: the same page (same columns, joins, scope check, order, limit)
// from a plain C program on the same database (bench/ref_query.c): one SQL
// statement holding only this filter's predicates, written with literals so
// that SQLite's planner can pick an index, prepared once and stepped to the
// end N times, one thread, no HTTP and no JSON. The row count of the API's
// first page must equal the reference's (fast but wrong fails the run).
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { login, latency, sql, compile } from '../lib.mjs';

const COLS = 'p.id, p.code, p.state, c.code AS category, c.name AS category_name, p.category_id,' +
  ' p.org_id, o.name AS org_name, p.site_id, p.handler_org_id, h.name AS handler_name, p.source, p.urgency,' +
  ' p.description, p.address, p.lat, p.lng, p.reporter_id, p.merged_into, p.reopened_from,' +
  ' p.rework_count, p.relapse_count, p.dispatched_at, p.deadline, p.deadline_unit, p.ext_requested,' +
  ' p.reminded_at, p.escalated_at, p.rectified_at, p.rectifier_id, p.closed_at, p.closed_by,' +
  ' p.created_at, p.updated_at';
const FROM = ' FROM problems p JOIN categories c ON c.id = p.category_id JOIN orgs o ON o.id = p.org_id' +
  ' LEFT JOIN orgs h ON h.id = p.handler_org_id';
const OPEN = "('reported', 'accepted', 'dispatched', 'acknowledged', 'rectified', 'reopened')";

export default {
  name: 'list',
  async run(ctx) {
    const { url, dataDir } = ctx.shared;
    const db = join(dataDir, 'wenming.db');
    const n = ctx.scale === 'tiny' ? 30 : 20, maxSecs = ctx.scale === 'tiny' ? 5 : 25;
    const refExe = compile(ctx.repo, ctx.dir, 'ref_query');
    const ds = JSON.parse(readFileSync(join(dataDir, 'bench-dataset.json'), 'utf8'));
    const s = await login(url, 'office');
    const q = (x) => `'${String(x).replace(/'/g, "''")}'`;
    const [street] = sql(db, "SELECT path FROM orgs WHERE kind = 'street' ORDER BY id LIMIT 1;");
    const [commId, commPath] = sql(db, "SELECT id, path FROM orgs WHERE code = 'BC17';")[0].split('|');
    const [catId] = sql(db, "SELECT id FROM categories WHERE code = 'C0101';");
    const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
    const from = ds.t_end - 400 * 86400, to = from + 30 * 86400;
    const scope = ` AND substr(o.path, 1, ${street.length}) = ${q(street)}`;
    const page = (where, extra = '') => `SELECT ${COLS}${FROM} WHERE ${where}${scope}${extra} ORDER BY p.id DESC LIMIT 50`;
    const under = `p.org_id IN (SELECT id FROM orgs WHERE path >= ${q(commPath)} AND path < ${q(commPath + '~')})`;

    // The cursor of page 20 of the community's list, walked through the API.
    let cursor = null;
    for (let i = 1; i < 20; i++) {
      const r = await (await fetch(`${url}/api/v1/problems?limit=50&org_id=${commId}${cursor ? `&cursor=${cursor}` : ''}`,
        { headers: { cookie: s.cookie } })).json();
      cursor = r.next_cursor;
      if (!cursor) break;
    }
    const word = '楼道堆物';
    const cases = [
      ['community + state=open', `org_id=${commId}&state=open`, page(`${under} AND p.state IN ${OPEN}`)],
      ['category + one month a year ago', `category=C0101&from=${iso(from)}&to=${iso(to)}`,
        page(`p.category_id IN (SELECT id FROM categories WHERE id = ${catId} OR parent_id = ${catId})` +
          ` AND p.created_at >= ${from} AND p.created_at < ${to}`)],
      ['overdue', 'overdue=true', null],
      [`full text q=${word}`, `q=${encodeURIComponent(word)}`,
        page(`p.id IN (SELECT rowid FROM problems_fts WHERE problems_fts MATCH ${q('"' + word + '"')})`)],
      ['page 20 of a community (cursor)', `org_id=${commId}${cursor ? `&cursor=${cursor}` : ''}`,
        page(under, cursor ? ` AND p.id < ${cursor}` : '')],
    ];
    const rows = [];
    for (const [name, qs, refSql] of cases) {
      // overdue compares with the time of the request: the reference takes its own now.
      const refQuery = refSql || page(`p.state IN ('dispatched', 'acknowledged') AND p.deadline < ${Math.floor(Date.now() / 1000)}`);
      const api = await latency(url, `/api/v1/problems?limit=50&${qs}`, { cookie: s.cookie }, { n, maxSecs });
      const [cnt, p50, p99] = execFileSync(refExe, [db, String(n), refQuery], { encoding: 'utf8' }).trim().split(' ').map(Number);
      const got = JSON.parse(api.body).items.length;
      if (got !== cnt) throw new Error(`${name}: the API answered ${got} rows, the reference ${cnt}`);
      ctx.log(`${name}: ${got} rows; API p50 ${api.p50.toFixed(2)} ms (${api.n} requests), reference p50 ${p50} ms`);
      const ref = 'same page, plain C + SQLite';
      rows.push({ metric: `list: ${name} (${got} rows): p50`, value: api.p50, unit: 'ms', reference: ref, ref_value: p50, better: 'lower' });
      rows.push({ metric: `list: ${name}: p99`, value: api.p99, unit: 'ms', reference: ref, ref_value: p99, better: 'lower' });
    }
    return rows;
  },
};
