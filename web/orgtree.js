// Org tree helpers shared by pages: depth-first ordering and the options of
// an org <select> (GET /api/v1/orgs?limit=200, every page).
import { getAll } from './api.js';
import { orgKindName } from './format.js';

// Depth-first order from parent_id links, each item with its "level"; roots
// are nodes whose parent is not in the list (an account may see a subtree).
export function treeOrder(items) {
  const byId = new Map(items.map((o) => [String(o.id), o]));
  const kids = new Map();
  const roots = [];
  for (const o of items) {
    const p = o.parent_id == null ? null : String(o.parent_id);
    if (p !== null && byId.has(p)) {
      if (!kids.has(p)) kids.set(p, []);
      kids.get(p).push(o);
    } else {
      roots.push(o);
    }
  }
  const cmp = (a, b) => String(a.path || '').localeCompare(String(b.path || '')) ||
    String(a.name).localeCompare(String(b.name), 'zh-CN');
  const out = [];
  const seen = new Set();
  const walk = (o, level) => {
    const id = String(o.id);
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ ...o, level });
    for (const c of (kids.get(id) || []).sort(cmp)) walk(c, level + 1);
  };
  for (const r of roots.sort(cmp)) walk(r, 0);
  return out;
}

// [{value: "12", id: 12, label: "　　西关社区 (居委/社区)"}] in tree order.
export function orgOptionList(items) {
  return treeOrder(items).map((o) => ({
    value: String(o.id),
    id: o.id,
    name: o.name,
    label: '\u3000'.repeat(o.level) + o.name + ' (' + orgKindName(o.kind) + ')',
  }));
}

export async function loadOrgOptions() {
  return orgOptionList(await getAll('/orgs', { limit: 200 }));
}

// The first of several possible API field names that has an error.
export function pick(map, ...keys) {
  for (const k of keys) if (map[k]) return map[k];
  return '';
}
