// #/problems — the work queue: tabs by role (a handler's inbox first), filters
// (category, community, text) and the problem cards. The tab is kept in the
// hash (#/problems?tab=reported) so "back" from a problem returns to it.
import { ref, reactive, computed, watch, inject, onMounted } from '/assets/vue.esm-browser.prod.js';
import { usePagedList } from '../paged-list.js';
import { session, can } from '../session.js';
import { locale } from '../i18n.js';
import { categoryTree, categoryLabel, roleSet } from '../problem-format.js';
import { loadCategories, loadCommunities } from '../problem-data.js';
import { ProblemList } from '../problem-list.js';

const TABS = {
  inbox: { label: 'queue.inbox', query: { state: 'dispatched,acknowledged' } },
  reported: { label: 'queue.reported', query: { state: 'reported' } },
  dispatch: { label: 'queue.toDispatch', query: { state: 'accepted,reopened' } },
  progress: { label: 'queue.inProgress', query: { state: 'dispatched,acknowledged' } },
  verify: { label: 'queue.toVerify', query: { state: 'rectified' } },
  overdue: { label: 'queue.overdue', query: { overdue: 'true' } },
  all: { label: 'queue.all', query: {} },
};

function tabsFor(account) {
  const roles = roleSet(account);
  const handler = roles.has('handler');
  const manager = ['admin', 'office', 'committee', 'inspector'].some((r) => roles.has(r));
  if (handler && !manager) return ['inbox', 'overdue', 'verify', 'all'];
  const tabs = ['reported', 'dispatch', 'progress', 'verify', 'overdue', 'all'];
  return handler ? ['inbox', ...tabs.filter((x) => x !== 'progress')] : tabs;
}

export default {
  name: 'ProblemsPage',
  components: { ProblemList },
  setup() {
    const route = inject('route');
    const tabs = computed(() => tabsFor(session.account));
    const tab = computed(() => (tabs.value.includes(route.value.query.tab) ? route.value.query.tab : tabs.value[0]));
    const filters = reactive({ category: '', org: '', q: '' });
    let active = { category: '', org_id: '', q: '' };
    const applied = ref(active);	// the filters the export links carry
    const cats = ref([]);
    const orgs = ref([]);
    const filterError = ref(null);

    const { items, cursor, loading, error, fetchPage } = usePagedList('/problems', () => ({ ...TABS[tab.value].query, ...active, limit: 30 }));
    watch(tab, () => fetchPage(true));
    onMounted(async () => {
      fetchPage(true);
      try {
        const [c, o] = await Promise.all([loadCategories(), loadCommunities()]);
        cats.value = categoryTree(c);
        orgs.value = o;
      } catch (e) { filterError.value = e; }
    });
    function search() {
      active = { category: filters.category, org_id: filters.org, q: filters.q.trim() };
      applied.value = active;
      fetchPage(true);
    }
    const label = (c) => categoryLabel(c, locale.value);
    // The ledger exports carry the current tab and the applied filters.
    const exportHref = (fmt) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...TABS[tab.value].query, ...applied.value })) if (v) q.set(k, v);
      const s = q.toString();
      return '/api/v1/ledger/' + fmt + (s ? '?' + s : '');
    };
    return { TABS, tabs, tab, filters, cats, orgs, items, cursor, loading, error, filterError, fetchPage, search, label, can, exportHref };
  },
  template: `
  <section class="page">
    <h1 class="page-title" tabindex="-1">{{ t('queue.title') }}</h1>
    <nav class="tabs" :aria-label="t('queue.tabs')" data-testid="queue-tabs">
      <a v-for="k in tabs" :key="k" class="tab" :class="{ active: tab === k }" :href="'#/problems?tab=' + k"
         :aria-current="tab === k ? 'page' : null" :data-testid="'tab-' + k">{{ t(TABS[k].label) }}</a>
    </nav>
    <details class="filters">
      <summary>{{ t('queue.filters') }}</summary>
      <form class="toolbar" role="search" @submit.prevent="search">
        <div class="field">
          <label for="pq-cat">{{ t('queue.category') }}</label>
          <select id="pq-cat" v-model="filters.category" @change="search" data-testid="filter-category">
            <option value="">{{ t('common.all') }}</option>
            <optgroup v-for="c in cats" :key="c.code" :label="label(c)">
              <option :value="c.code">{{ label(c) }}（{{ t('common.all') }}）</option>
              <option v-for="s in c.children" :key="s.code" :value="s.code">{{ label(s) }}</option>
            </optgroup>
          </select>
        </div>
        <div class="field">
          <label for="pq-org">{{ t('queue.community') }}</label>
          <select id="pq-org" v-model="filters.org" @change="search" data-testid="filter-org">
            <option value="">{{ t('common.all') }}</option>
            <option v-for="o in orgs" :key="o.id" :value="String(o.id)">{{ o.name }}</option>
          </select>
        </div>
        <div class="field">
          <label for="pq-q">{{ t('queue.q') }}</label>
          <input id="pq-q" v-model="filters.q" type="search" :placeholder="t('queue.qPlaceholder')" data-testid="filter-q">
        </div>
        <button type="submit" class="btn btn-secondary">{{ t('queue.apply') }}</button>
      </form>
      <error-box :error="filterError"></error-box>
    </details>
    <details v-if="can('ledger.export')" class="filters export-menu" data-testid="ledger-export">
      <summary>{{ t('queue.exportLedger') }}</summary>
      <p class="muted">{{ t('queue.exportNote') }}</p>
      <p class="toolbar">
        <a class="btn btn-secondary" :href="exportHref('xlsx')" download data-testid="ledger-export-xlsx">{{ t('queue.exportXlsx') }}</a>
        <a class="btn btn-secondary" :href="exportHref('csv')" download data-testid="ledger-export-csv">{{ t('queue.exportCsv') }}</a>
      </p>
    </details>
    <error-box :error="error"></error-box>
    <problem-list v-if="items.length" :items="items"></problem-list>
    <list-footer :loading="loading" :empty="!loading && !error && !items.length" :has-more="!!cursor"
                 :empty-text="t('queue.empty')" @more="fetchPage(false)"></list-footer>
  </section>`,
};
