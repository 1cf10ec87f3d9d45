// Read one problem by id: GET /api/v1/problems/{id} with an office session
// cookie, keep-alive, 64 concurrent connections (wrk -t1 -c64), walking 1,000
// ids spread over the whole table (fixed seed). Reference: nginx (Debian) on
// this machine serving a static file of the median answer's size over the
// same connections — the HTTP ceiling of the machine. nginx runs unprivileged
// with its own config in ctx.dir, on a free port, with as many workers as
// the server has threads (2, the default).
import { join } from 'node:path';
import { login, wrk, wrkScript, sql, nginxStatic } from '../lib.mjs';

export default {
  name: 'read_one',
  async run(ctx) {
    const { url, dataDir } = ctx.shared;
    const secs = ctx.scale === 'tiny' ? 3 : 10;
    const s = await login(url, 'office');
    const max = Number(sql(join(dataDir, 'wenming.db'), 'SELECT max(id) FROM problems;')[0]);
    const ids = Array.from({ length: 1000 }, (_, k) => 1 + Number((BigInt(ctx.seed) * 7919n + BigInt(k) * 2654435761n) % BigInt(max)));
    const sizes = [];
    for (const id of ids.slice(0, 50)) {
      const r = await fetch(`${url}/api/v1/problems/${id}`, { headers: { cookie: s.cookie } });
      const b = await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`GET /api/v1/problems/${id} → ${r.status}`);
      if (r.headers.get('connection') === 'close') throw new Error('the server answers Connection: close (keep-alive broken)');
      sizes.push(b.byteLength);
    }
    sizes.sort((a, b) => a - b);
    const size = sizes[sizes.length >> 1];
    ctx.log(`answers ${sizes[0]}–${sizes[sizes.length - 1]} bytes, median ${size}; ${secs} s per run`);

    const script = wrkScript(ctx.dir, 'read.lua', { headers: { Cookie: s.cookie }, paths: ids.map((id) => `/api/v1/problems/${id}`) });
    wrk(url + '/', { secs: 2, script });	// warm the pages of those ids
    const w = wrk(url + '/', { secs, script });

    // nginx: a static file of the same size, same client, same connections.
    const n = await nginxStatic(ctx.dir, size, { secs, headers: { Cookie: s.cookie } });
    const ref = `nginx static ${size} B file`;
    return [
      { metric: `GET /api/v1/problems/{id}, ${size} B, 64 conns: requests/s`, value: w.rps, unit: 'req/s', reference: ref, ref_value: n.rps, better: 'higher' },
      { metric: 'same: p50 latency', value: w.p50, unit: 'ms', reference: ref, ref_value: n.p50, better: 'lower' },
      { metric: 'same: p99 latency', value: w.p99, unit: 'ms', reference: ref, ref_value: n.p99, better: 'lower' },
    ];
  },
};
