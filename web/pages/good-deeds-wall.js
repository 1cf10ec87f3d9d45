// #/wall — the public 好人好事 wall (no login): verified good deeds, newest
// first, with the doer, what and when and the community only — never who
// recorded it, a phone or an address (SPEC §2; the API leaves them out).
import { ref, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api } from '../api.js';
import { t } from '../i18n.js';

export default {
  name: 'GoodDeedsWallPage',
  setup() {
    const items = ref([]);
    const next = ref(null);
    const error = ref(null);
    async function load(more = false) {
      error.value = null;
      try {
        const r = await api.get('/good-deeds/wall', { limit: 30, ...(more && next.value ? { cursor: next.value } : {}) });
        items.value = more ? items.value.concat(r.items) : r.items;
        next.value = r.next_cursor;
      } catch (e) { error.value = e; }
    }
    onMounted(() => load());
    return { items, next, error, load, t };
  },
  template: `
  <section class="page wall-page">
    <h1 class="page-title" tabindex="-1">{{ t('deeds.wall') }}</h1>
    <p class="muted">{{ t('deeds.motto') }}</p>
    <error-box :error="error"></error-box>
    <ul class="shift-list" data-testid="wall-list">
      <li v-for="d in items" :key="d.id" class="card shift" :data-testid="'wall-' + d.id">
        <div class="shift-title"><strong>{{ d.title }}</strong></div>
        <div>{{ d.doer_name }} <span class="muted">· {{ d.org_name }} · {{ d.occurred_on }}</span></div>
        <div v-if="d.content" class="muted">{{ d.content }}</div>
      </li>
      <li v-if="!items.length" class="empty">{{ t('deeds.wallEmpty') }}</li>
      <li v-if="next"><button type="button" class="btn btn-secondary" @click="load(true)">{{ t('deeds.more') }}</button></li>
    </ul>
  </section>`,
};
