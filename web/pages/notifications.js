// #/notifications — the inbox: unread in bold; opening one marks it read and
// goes to its problem; "mark all read".
import { ref, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { usePagedList } from '../paged-list.js';
import { t, has } from '../i18n.js';
import { formatTime } from '../format.js';
import { inbox, refreshUnread } from '../notify.js';

export default {
  name: 'NotificationsPage',
  setup() {
    const notice = ref('');
    const busy = ref(false);

    const { items, cursor, loading, error, fetchPage } = usePagedList('/notifications', () => ({ limit: 30 }), {
      onPage: (page) => { if (page && typeof page.unread === 'number') inbox.unread = page.unread; },
    });
    onMounted(() => fetchPage(true));

    async function open(n) {
      error.value = null;
      if (!n.read_at) {
        try {
          await api.post('/notifications/' + enc(n.id) + '/read', {});
          n.read_at = new Date().toISOString();
          refreshUnread();
        } catch (e) { error.value = e; return; }
      }
      if (n.problem_id) window.location.hash = '#/problems/' + n.problem_id;
    }
    async function readAll() {
      error.value = null;
      notice.value = '';
      busy.value = true;
      try {
        await api.post('/notifications/read_all', {});
        const now = new Date().toISOString();
        for (const n of items.value) if (!n.read_at) n.read_at = now;
        inbox.unread = 0;
        notice.value = t('notif.markedAll');
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    const kindName = (k) => (has('notif.kinds.' + k) ? t('notif.kinds.' + k) : k);
    return { items, cursor, loading, error, notice, busy, inbox, fetchPage, open, readAll, formatTime, kindName };
  },
  template: `
  <section class="page narrow">
    <div class="page-head">
      <h1 tabindex="-1">{{ t('notif.title') }}</h1>
      <button type="button" class="btn btn-secondary" :disabled="busy || !inbox.unread" @click="readAll" data-testid="notifications-read-all">{{ t('notif.readAll') }}</button>
    </div>
    <p class="muted" data-testid="notifications-count">{{ t('notif.unreadCount', { n: inbox.unread }) }}</p>
    <status-msg :text="notice"></status-msg>
    <error-box :error="error"></error-box>
    <ul v-if="items.length" class="notif-list" data-testid="notifications-list">
      <li v-for="n in items" :key="n.id" :class="{ unread: !n.read_at }">
        <button type="button" class="notif-item" @click="open(n)" :data-testid="'notification-' + n.id">
          <span class="notif-head">
            <span v-if="!n.read_at" class="dot" :aria-label="t('notif.unread')"></span>
            <span class="badge badge-unit">{{ kindName(n.kind) }}</span>
            <span class="notif-title">{{ n.title }}</span>
          </span>
          <span v-if="n.body" class="notif-body">{{ n.body }}</span>
          <span class="notif-meta"><span v-if="n.problem_code" class="mono">{{ n.problem_code }}</span> · {{ formatTime(n.created_at) }}</span>
        </button>
      </li>
    </ul>
    <list-footer :loading="loading" :empty="!loading && !error && !items.length" :has-more="!!cursor"
                 :empty-text="t('notif.empty')" @more="fetchPage(false)"></list-footer>
  </section>`,
};
