// Shared bits of the site pages: kind names, score classes, the site types.
import { api } from './api.js';
import { t } from './i18n.js';

export const KINDS = ['self_check', 'supervision', 'covert', 'citizen_patrol', 'cross_inspection', 'mock_evaluation', 'revisit', 'joint_enforcement'];
export const kindName = (k) => t('kinds.' + k);
export const scoreClass = (r) => (r == null ? '' : r >= 90 ? 'score-high' : r >= 70 ? 'score-mid' : 'score-low');
export const scoreText = (r) => (r == null ? '—' : `${Number(r).toFixed(r % 1 ? 2 : 0)}%`);

let types = null;
export async function loadSiteTypes() {
  if (!types) types = ((await api.get('/site-types')) || {}).items || [];
  return types;
}
