// Display helpers: times, role / kind names, API error text, audit diffs.
import { t, has } from './i18n.js';

const pad = (n) => String(n).padStart(2, '0');

// RFC 3339 string (or epoch seconds / ms) → "2026-11-21 14:05" in local time.
export function formatTime(value) {
  if (value === null || value === undefined || value === '') return '';
  let d;
  if (typeof value === 'number') d = new Date(value < 1e12 ? value * 1000 : value);
  else d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// "2026-11-21" (from <input type=date>) → RFC 3339 with the local offset,
// at the start (endOfDay=false) or the end of that local day.
export function localDateToRfc3339(date, endOfDay) {
  if (!date) return '';
  const [y, m, d] = date.split('-').map(Number);
  const dt = endOfDay ? new Date(y, m - 1, d, 23, 59, 59) : new Date(y, m - 1, d, 0, 0, 0);
  const off = -dt.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${dt.getFullYear()}-${pad(dt.getMonth() + 1)}-${pad(dt.getDate())}T` +
    `${pad(dt.getHours())}:${pad(dt.getMinutes())}:${pad(dt.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function named(prefix, value) {
  if (value === null || value === undefined || value === '') return '';
  const key = `${prefix}.${value}`;
  return has(key) ? t(key) : String(value);
}

export const roleName = (role) => named('roles', role);
export const orgKindName = (kind) => named('orgKinds', kind);
export const genderName = (g) => named('gender', g);
export const personKindName = (k) => named('personKinds', k);

export const ROLES = ['admin', 'office', 'committee', 'inspector', 'handler', 'volunteer', 'resident', 'party', 'unit', 'rep'];
export const ORG_KINDS = ['city', 'district', 'street', 'community', 'compound', 'building', 'party_org', 'unit', 'team'];
export const PERSON_KINDS = ['resident', 'volunteer', 'party_member', 'building_rep'];

// "文明办 · 西关社区"
export function grantLabel(g) {
  if (!g) return '';
  const org = g.org_name || (g.org_id != null ? '#' + g.org_id : '');
  return org ? `${roleName(g.role)} · ${org}` : roleName(g.role);
}

// The text to show for any error thrown by api.js (never swallowed).
export function errorText(e) {
  if (!e) return '';
  if (typeof e === 'string') return e;
  if (e.name !== 'ApiError') return e.message || String(e);
  if (e.status === 0) return t('errors.network');
  if (e.status === 429) return t('errors.tooMany');
  if (e.message && e.message !== e.code && !/^HTTP \d+$/.test(e.message)) return e.message;
  if (e.status === 401) return t('errors.unauthorized');
  if (e.status === 403) return t('errors.forbidden');
  return t('errors.generic', { status: e.status });
}

function asObject(v) {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string') {
    try { return asObject(JSON.parse(v)); } catch (_) { return { value: v }; }
  }
  if (typeof v === 'object' && !Array.isArray(v)) return v;
  return { value: v };
}

function compact(v) {
  if (v === undefined) return '∅';
  const s = JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 77) + '…' : s;
}

// Changed keys between two audit snapshots: [{key, before, after}] (compact JSON).
export function jsonDiff(before, after) {
  const a = asObject(before) || {};
  const b = asObject(after) || {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out = [];
  for (const k of keys) {
    if (JSON.stringify(a[k]) === JSON.stringify(b[k])) continue;
    out.push({ key: k, before: compact(a[k]), after: compact(b[k]) });
  }
  return out;
}
