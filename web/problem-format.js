// Display helpers of the problem closed loop: state / action names and badges,
// deadlines, China-time datetime-local values, categories as a tree.
import { t, has } from './i18n.js';
import { formatTime } from './format.js';

const named = (prefix, v) => (v == null || v === '' ? '' : (has(`${prefix}.${v}`) ? t(`${prefix}.${v}`) : String(v)));
export const stateName = (s) => named('states', s);
export const actionName = (a) => named('actions', a);
export const sourceName = (s) => named('sources', s);
export const urgencyName = (u) => named('urgency', u);
export const unitName = (u) => named('units', u);

export const STATES = ['reported', 'accepted', 'rejected', 'merged', 'dispatched', 'acknowledged', 'rectified', 'closed', 'reopened'];
export const UNITS = ['cal_hours', 'work_hours', 'work_days'];
// Actions that need a reason (the API answers 422 without one).
export const NEEDS_REASON = ['reject', 'return', 'verify_fail', 'deny_extension', 'reopen', 'request_extension'];
// Actions taken with one tap (a confirm, no form fields but an optional note).
export const SIMPLE = ['accept', 'acknowledge', 'approve_extension', 'verify_pass'];

export const stateClass = (s) => 'badge state-' + (s || 'none');

// Deadline text: "2026-11-22 18:00" or "未派遣".
export function deadlineText(p) {
  if (!p || !p.deadline) return t('problem.noDeadline');
  return formatTime(p.deadline);
}

// Category name in the current language.
export function categoryLabel(c, lang) {
  if (!c) return '';
  return lang === 'en' && c.name_en ? c.name_en : c.name;
}

// [{...parent, children:[…]}] from GET /categories (active ones only).
export function categoryTree(items) {
  const active = (items || []).filter((c) => c.active !== false);
  const parents = active.filter((c) => !c.parent_code);
  return parents.map((p) => ({ ...p, children: active.filter((c) => c.parent_code === p.code) }));
}

const pad = (n) => String(n).padStart(2, '0');

// <input type=datetime-local> value (China time) → RFC 3339 with +08:00.
export function chinaLocalToRfc3339(v) {
  if (!v) return '';
  const s = v.length === 16 ? v + ':00' : v;
  return s + '+08:00';
}

// A time (RFC 3339 / epoch) → datetime-local value in China time.
export function toChinaLocal(value) {
  if (!value) return '';
  const d = typeof value === 'number' ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const c = new Date(d.getTime() + 8 * 3600 * 1000);
  return `${c.getUTCFullYear()}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())}T${pad(c.getUTCHours())}:${pad(c.getUTCMinutes())}`;
}

export const coord = (x) => (typeof x === 'number' ? x.toFixed(5) : '');

// Roles of the signed-in account (from its grants).
export function roleSet(account) {
  return new Set(((account && account.grants) || []).map((g) => g.role));
}
