// #/mine — 我的上报: the problems this account reported, newest first.
import { ref, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api } from '../api.js';
import { ProblemList } from '../problem-list.js';
import { AppIcon } from '../icons.js';

export default {
  name: 'MinePage',
  components: { ProblemList, AppIcon },
  setup() {
    const items = ref([]);
    const cursor = ref(null);
    const loading = ref(false);
    const error = ref(null);
    async function fetchPage(reset) {
      loading.value = true;
      error.value = null;
      try {
        const page = await api.get('/problems', { mine: 'true', limit: 30, cursor: reset ? null : cursor.value });
        const got = (page && page.items) || [];
        items.value = reset ? got : items.value.concat(got);
        cursor.value = (page && page.next_cursor) || null;
      } catch (e) { error.value = e; } finally { loading.value = false; }
    }
    onMounted(() => fetchPage(true));
    return { items, cursor, loading, error, fetchPage };
  },
  template: `
  <section class="page narrow">
    <div class="page-head">
      <h1 tabindex="-1">{{ t('mine.title') }}</h1>
      <a class="btn btn-primary" href="#/report"><app-icon name="camera"></app-icon> {{ t('mine.reportNew') }}</a>
    </div>
    <error-box :error="error"></error-box>
    <problem-list v-if="items.length" :items="items"></problem-list>
    <list-footer :loading="loading" :empty="!loading && !error && !items.length" :has-more="!!cursor"
                 :empty-text="t('mine.empty')" @more="fetchPage(false)"></list-footer>
  </section>`,
};
