// Cached look-ups the problem pages share: categories, communities, handler
// units. A failed load is not cached, so the next page retries.
import { api, getAll } from './api.js';

const cache = new Map();
function cached(key, fn) {
  if (!cache.has(key)) {
    const p = fn().catch((e) => { cache.delete(key); throw e; });
    cache.set(key, p);
  }
  return cache.get(key);
}

export const loadCategories = () => cached('categories', async () => ((await api.get('/categories')) || {}).items || []);
export const loadCommunities = () => cached('communities', () => getAll('/orgs', { kind: 'community' }));
export const loadUnits = () => cached('units', () => getAll('/orgs', { kind: 'unit' }));
export function forgetCategories() { cache.delete('categories'); }
