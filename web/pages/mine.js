// #/mine — 我的上报: the problems this account reported, newest first.
import { onMounted } from '/assets/vue.esm-browser.prod.js';
import { usePagedList } from '../paged-list.js';
import { ProblemList } from '../problem-list.js';
import { AppIcon } from '../icons.js';

export default {
  name: 'MinePage',
  components: { ProblemList, AppIcon },
  setup() {
    const { items, cursor, loading, error, fetchPage } = usePagedList('/problems', () => ({ mine: 'true', limit: 30 }));
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
