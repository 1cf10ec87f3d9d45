// 60_import_volunteers.mjs — importing volunteers from CSV (SPEC §5, §13;
// issue 8). city: 1,000,000 rows; small: 100,000; tiny: 1,000.
//
// The CSV (fixed seed): 姓名, 身份证号 (valid 18-digit numbers: a Shanghai
// district code, a birth date making the person 18–65, sequence with the
// gender parity, ISO 7064 check digit; unique), 手机号 (11 digits, 13–19,
// unique), 类型, 技能, 服务区域, 住址, 社区 — the rows of each community
// together, as each 居委 keeps its roster.
//
// The real path is POST /api/v1/volunteers/import?org_id=… (volunteer_files.c).
// One request takes at most 10,000 rows (IMPORT_MAX_ROWS) and 1000 KiB
// (routes.def), is validated whole and written in one transaction under the
// process-wide write lock: a million rows cannot go in one request. So the
// client sends the file in chunks — ≤ 5,000 rows and ≤ 900 KiB, never across
// a community — one after the other, as an office importing 居委 rosters
// would. docs/PERFORMANCE.md discusses what a city-sized migration needs.
//
// Reference in the same run: the sqlite3 shell's `.import` of the same CSV
// into a plain table in a fresh database (no validation, no encryption, no
// indexes): the raw ceiling of getting these bytes into SQLite.
// Checks (throws): every chunk answered 200 with all its rows imported, and
// the database holds exactly N more approved volunteers with sealed IDs.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rng, idNumber, personName, startWenming, sqliteJson, percentile, round, perfStart, perfStop } from '../vol_lib.mjs';

const ROWS = { tiny: 1000, small: 100000, city: 1000000 };
const CHUNK_ROWS = 5000, CHUNK_BYTES = 900 * 1024;
// Districts of Shanghai (the demo street is in Pudong).
const REGIONS = ['310115', '310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112', '310113'];
const ROADS = ['花木路', '梅花路', '锦绣路', '芳甸路', '东绣路', '樱花路', '玉兰路', '白杨路', '海桐路', '石楠路'];
const SKILLS = ['', '', '心理疏导', '急救', '法律咨询', '摄影', '书法', '医疗护理', '电脑维修', '外语', '文艺表演'];
const AREAS = ['本社区', '本社区', '本街道', '文明交通', '垃圾分类', '助老', '关爱儿童'];
const TYPES = ['白领', '白领', '白领', '居民', '学生', '党员'];

// Rows of one community, and the CSV text of each chunk (with the header).
function makeCsv(n, comms, r) {
  const header = '姓名,身份证号,手机号,类型,技能,服务区域,住址,社区';
  const ids = new Set(), phones = new Set();
  const today = new Date();
  const chunks = [];
  const all = [header];
  let cur = null;
  const per = Math.ceil(n / comms.length);
  for (let i = 0; i < n; i++) {
    const comm = comms[Math.floor(i / per)];
    let id;
    do {
      const age = 18.1 + r() * 47.5;
      const d = new Date(today.getTime() - Math.floor(age * 365.25 * 86400000));
      const ymd = d.toISOString().slice(0, 10).replace(/-/g, '');
      const sex = r() < 0.5 ? 0 : 1;
      // Sequence numbers below 900: the demo's people use 900–999 (src/demo.c).
      id = idNumber(r.pick(REGIONS), ymd, r.int(450) * 2 + sex);
    } while (ids.has(id));
    ids.add(id);
    let phone;
    do phone = `1${3 + r.int(7)}${String(r.int(1e9)).padStart(9, '0')}`; while (phones.has(phone));
    phones.add(phone);
    const skills = r.pick(SKILLS) + (r() < 0.1 ? '、' + r.pick(SKILLS.slice(2)) : '');
    const addr = `上海市浦东新区${r.pick(ROADS)}${1 + r.int(999)}弄${1 + r.int(60)}号${1 + r.int(30)}0${1 + r.int(4)}室`;
    const line = [personName(r), id, phone, r.pick(TYPES), skills, r.pick(AREAS), addr, comm.name].join(',');
    all.push(line);
    const bytes = Buffer.byteLength(line) + 2;
    if (!cur || cur.org !== comm.id || cur.rows >= CHUNK_ROWS || cur.bytes + bytes > CHUNK_BYTES) {
      cur = { org: comm.id, rows: 0, bytes: Buffer.byteLength(header) + 2, lines: [header] };
      chunks.push(cur);
    }
    cur.lines.push(line);
    cur.rows++;
    cur.bytes += bytes;
  }
  for (const c of chunks) { c.body = Buffer.from(c.lines.join('\r\n') + '\r\n'); delete c.lines; }
  return { csv: all.join('\r\n') + '\r\n', chunks };
}

async function json(url, method, path, token, body, headers = {}) {
  const r = await fetch(url + path, {
    method,
    headers: { ...(typeof body === 'string' || Buffer.isBuffer(body) ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: 'Bearer ' + token } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

export default {
  name: 'import_volunteers',
  async run(ctx) {
    const n = ROWS[ctx.scale];
    if (!n) throw new Error(`import_volunteers: unknown scale ${ctx.scale}`);
    const r = rng(ctx.seed + 60);
    const db = join(ctx.dir, 'wenming.db');
    const env = { WENMING_TICK_SECONDS: '0' };

    // The demo street, then a fresh server on it (its peak RSS is the import's).
    let srv = await startWenming(ctx.bin, ['demo', '--data', ctx.dir, '--listen', '127.0.0.1:0', '--people', '200'], { env });
    await srv.stop();
    srv = await startWenming(ctx.bin, ['serve', '--data', ctx.dir, '--listen', '127.0.0.1:0'], { env });
    let results, secs, rss, anon, cpu, before, comms;
    try {
      const office = (await json(srv.url, 'POST', '/api/v1/session', null, { login: 'office', password: 'wenming-demo' })).json.token;
      comms = (await json(srv.url, 'GET', '/api/v1/orgs?kind=community&limit=50', office)).json.items;
      before = sqliteJson(db, 'SELECT count(*) AS n FROM volunteers;')[0].n;
      let t = Date.now();
      const { csv, chunks } = makeCsv(n, comms, r);
      writeFileSync(join(ctx.dir, 'volunteers.csv'), csv);
      ctx.log(`import_volunteers: ${n} rows, ${(statSync(join(ctx.dir, 'volunteers.csv')).size / 1048576).toFixed(1)} MiB of CSV generated in ${((Date.now() - t) / 1000).toFixed(1)} s; ${chunks.length} chunks`);
      srv.resetPeaks();
      const perf = await perfStart(srv.pid, ctx, 'import_volunteers');
      const cpu0 = srv.cpuSeconds();
      t = process.hrtime.bigint();
      results = [];
      for (const c of chunks) {
        const t1 = process.hrtime.bigint();
        const res = await json(srv.url, 'POST', `/api/v1/volunteers/import?org_id=${c.org}`, office, c.body, { 'content-type': 'text/csv' });
        const ms = Number(process.hrtime.bigint() - t1) / 1e6;
        if (res.status !== 200 || res.json.imported !== c.rows || res.json.failed !== 0)
          throw new Error(`import_volunteers: chunk of ${c.rows} rows into org ${c.org}: ${res.status} ${JSON.stringify(res.json).slice(0, 400)}`);
        results.push(ms);
      }
      secs = Number(process.hrtime.bigint() - t) / 1e9;
      cpu = srv.cpuSeconds() - cpu0;
      await perfStop(perf, ctx);
      rss = srv.peakRssMiB();
      anon = srv.peakAnonMiB();
    } finally { await srv.stop(); }
    const [{ n: after, sealed }] = sqliteJson(db, `SELECT count(*) AS n,
        (SELECT count(*) FROM volunteers v JOIN people p ON p.id = v.person_id WHERE v.status = 'approved' AND v.decided_by IS NOT NULL
           AND p.id_enc IS NOT NULL AND p.id_hash IS NOT NULL AND p.phone_enc IS NOT NULL) AS sealed FROM volunteers;`);
    if (after - before !== n) throw new Error(`import_volunteers: ${after - before} volunteers added for ${n} rows`);
    if (sealed < n) throw new Error(`import_volunteers: only ${sealed} volunteers approved (decided_by set) with sealed ID and phone`);

    // The reference: the sqlite3 shell's .import of the same file.
    const refDb = join(ctx.dir, 'ref.db');
    const t0 = process.hrtime.bigint();
    const timeFile = join(ctx.dir, 'ref.time');
    execFileSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, 'sqlite3', refDb], {
      input: `PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;\n` +
        `CREATE TABLE v(name TEXT, id_number TEXT, phone TEXT, vtype TEXT, skills TEXT, areas TEXT, address TEXT, community TEXT);\n` +
        `.import --csv --skip 1 '${join(ctx.dir, 'volunteers.csv')}' v\n`,
    });
    const refSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    const refCpu = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0);
    const [{ c: refRows }] = sqliteJson(refDb, 'SELECT count(*) AS c FROM v;');
    if (refRows !== n) throw new Error(`import_volunteers: the reference imported ${refRows} rows of ${n}`);

    // The offline path (`wenming import volunteers`, docs/VOLUNTEERS.md): the same file streamed
    // into a fresh data directory in batches, all rows checked first.
    const cliDir = join(ctx.dir, 'cli');
    execFileSync(ctx.bin, ['migrate', '--data', cliDir], { stdio: 'ignore' });
    execFileSync(ctx.bin, ['user', 'add', '--data', cliDir, '--login', 'boss', '--name', 'boss', '--password', 'bench-secret-123', '--role', 'admin'], { stdio: 'ignore' });
    const [{ id: root }] = sqliteJson(join(cliDir, 'wenming.db'), 'SELECT id FROM orgs WHERE parent_id IS NULL;');
    const cliTime = join(ctx.dir, 'cli.time');
    const c0 = process.hrtime.bigint();
    execFileSync('/usr/bin/time', ['-f', '%U %S %M', '-o', cliTime, ctx.bin, 'import', 'volunteers', '--data', cliDir,
      '--org', String(root), '--file', join(ctx.dir, 'volunteers.csv')], { stdio: ['ignore', 'ignore', 'ignore'] });
    const cliSecs = Number(process.hrtime.bigint() - c0) / 1e9;
    const [cu, cs, ckb] = readFileSync(cliTime, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
    const [{ c: cliRows }] = sqliteJson(join(cliDir, 'wenming.db'), "SELECT count(*) AS c FROM volunteers WHERE status = 'approved';");
    if (cliRows !== n) throw new Error(`import_volunteers: wenming import added ${cliRows} volunteers of ${n}`);
    ctx.log(`import_volunteers: wenming import volunteers ${n} rows in ${cliSecs.toFixed(1)} s (CPU ${(cu + cs).toFixed(1)} s, two passes), peak RSS ${(ckb / 1024).toFixed(0)} MiB`);

    results.sort((a, b) => a - b);
    ctx.log(`import_volunteers: ${n} rows in ${results.length} requests in ${secs.toFixed(1)} s (server CPU ${cpu.toFixed(1)} s = ${(cpu / n * 1e6).toFixed(0)} µs/row); ` +
      `sqlite3 .import ${refSecs.toFixed(2)} s (CPU ${refCpu.toFixed(2)} s); peak RSS ${rss} MiB (anonymous ${anon} MiB)`);
    const row = (metric, value, unit, reference, refValue, better) => ({
      scenario: 'import_volunteers', metric, value: round(value, 3), unit, reference, ref_value: round(refValue, 3), better, peak_rss_mib: rss,
    });
    return [
      row('rows_per_s', n / secs, 'rows/s', 'sqlite3 .import of the same CSV', n / refSecs, 'higher'),
      row('total_time', secs, 's', 'sqlite3 .import of the same CSV', refSecs, 'lower'),
      row('server_cpu_per_row', cpu / n * 1e6, 'µs', 'sqlite3 .import CPU per row', refCpu / n * 1e6, 'lower'),
      row('chunk_p50', percentile(results, 0.5), 'ms', null, null, 'lower'),
      row('chunk_max', results[results.length - 1], 'ms', null, null, 'lower'),
      row('volunteers_added', after - before, 'rows', 'rows in the CSV', n, 'higher'),
      { ...row('cli_rows_per_s', n / cliSecs, 'rows/s', 'sqlite3 .import of the same CSV', n / refSecs, 'higher'), peak_rss_mib: round(ckb / 1024, 1) },
      { ...row('cli_cpu_per_row', (cu + cs) / n * 1e6, 'µs', 'sqlite3 .import CPU per row', refCpu / n * 1e6, 'lower'), peak_rss_mib: round(ckb / 1024, 1) },
    ];
  },
};
