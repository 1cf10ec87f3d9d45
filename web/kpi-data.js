// The statistics the dashboard and the big screen read: the KPI API
// (/kpis, /kpis/trend, /kpis/states, /rankings), the map points and the
// event feed. Each loader answers {data} or {error}; an API that answers 404
// (a server without the statistics routes) gives {unavailable: path}, so a
// page can show a clear state per section instead of failing as a whole.
import { api } from './api.js';

const pad = (n) => String(n).padStart(2, '0');
export const ymd = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

// The last `days` days up to today (local dates), or this year.
export function presetRange(preset, today = new Date()) {
  const to = ymd(today);
  if (preset === 'year') return { from: `${today.getFullYear()}-01-01`, to };
  const days = { d7: 7, d30: 30, d90: 90 }[preset] || 30;
  const f = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { from: ymd(f), to };
}

// day up to 45 days, week up to 200, month beyond.
export function autoInterval(from, to) {
  const days = (Date.parse(to) - Date.parse(from)) / 86400000 + 1;
  return days <= 45 ? 'day' : days <= 200 ? 'week' : 'month';
}

async function load(path, query) {
  try {
    return { data: await api.get(path, query) };
  } catch (e) {
    if (e.status === 404) return { unavailable: '/api/v1' + path, error: e };
    return { error: e };
  }
}

export const loadKpis = (q) => load('/kpis', q);
export const loadTrend = (q) => load('/kpis/trend', q);
export const loadStates = (q) => load('/kpis/states', q);
export const loadRankings = (q) => load('/rankings', q);
export const loadFeed = (q) => load('/problems/feed', q);
export const loadMapPoints = (q) => load('/problems/map', q);
export const loadMapConfig = () => load('/config/map');
