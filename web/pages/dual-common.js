// dual-common.js — what the 双报到 pages share (docs/PARTY.md "dual"): the
// quarters offered in the pickers and the availability words.
export const AVAIL = ['weekday_daytime', 'weekday_evening', 'weekend', 'holiday'];

// The quarter holding now (China time) and the three before it, newest first.
export function recentQuarters(n = 4) {
  const d = new Date(Date.now() + 8 * 3600000);
  let y = d.getUTCFullYear(), q = Math.floor(d.getUTCMonth() / 3) + 1;
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(`${y}Q${q}`);
    if (--q === 0) { q = 4; y--; }
  }
  return out;
}
