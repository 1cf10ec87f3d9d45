// The unread notification count for the top bar: polled every 60 s while
// signed in (GET /notifications?unread=true&limit=1 answers "unread").
import { reactive, watch } from '/assets/vue.esm-browser.prod.js';
import { api } from './api.js';
import { session } from './session.js';

export const inbox = reactive({ unread: 0 });
const PERIOD = 60000;
let timer = null;

export async function refreshUnread() {
  if (!session.account) return;
  try {
    const r = await api.get('/notifications', { unread: 'true', limit: 1 });
    inbox.unread = (r && typeof r.unread === 'number') ? r.unread : ((r && r.items) || []).length;
  } catch (_) { /* keep the last count; the next poll retries */ }
}

watch(() => session.account && session.account.id, (id) => {
  clearInterval(timer);
  timer = null;
  inbox.unread = 0;
  if (!id) return;
  refreshUnread();
  timer = setInterval(() => { if (!document.hidden) refreshUnread(); }, PERIOD);
}, { immediate: true });

document.addEventListener('visibilitychange', () => { if (!document.hidden) refreshUnread(); });
