// #/audit — the append-only audit log: filters, load more, compact diffs.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { usePagedList } from '../paged-list.js';
import { formatTime, jsonDiff, localDateToRfc3339 } from '../format.js';
import { t } from '../i18n.js';

const PAGE = 50;
const RESOURCES = ['account', 'org', 'person', 'session', 'problem', 'photo', 'category', 'calendar', 'ledger', 'open311_key', 'system'];

export default {
  name: 'AuditPage',
  setup() {
    const formError = ref('');
    const filters = reactive({ q: '', resource: '', action: '', from: '', to: '' });
    let active = {};

    const { items, cursor, loading, error: loadError, fetchPage } = usePagedList('/audit', () => ({ ...active, limit: PAGE }), { map: (e) => ({ ...e, diff: jsonDiff(e.before, e.after) }) });
    function apply() {
      formError.value = '';
      if (filters.from && filters.to && filters.from > filters.to) {
        formError.value = t('audit.badRange');
        return;
      }
      active = {
        q: filters.q.trim(),
        resource: filters.resource.trim(),
        action: filters.action.trim(),
        from: localDateToRfc3339(filters.from, false),
        to: localDateToRfc3339(filters.to, true),
      };
      fetchPage(true);
    }
    function reset() {
      Object.assign(filters, { q: '', resource: '', action: '', from: '', to: '' });
      apply();
    }
    onMounted(() => fetchPage(true));

    return { items, cursor, loading, loadError, formError, filters, apply, reset, fetchPage, formatTime, RESOURCES };
  },
  template: `
  <section class="page">
    <h1 class="page-title" tabindex="-1">{{ t('audit.title') }}</h1>
    <form class="card" role="search" :aria-label="t('audit.filters')" novalidate @submit.prevent="apply" data-testid="audit-filters">
      <div class="form-grid">
        <form-field :label="t('audit.q')" v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="filters.q" type="search" autocapitalize="none" data-testid="audit-q">
        </form-field>
        <form-field :label="t('audit.resource')" v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="filters.resource" type="text" list="audit-resources" autocapitalize="none" data-testid="audit-resource">
        </form-field>
        <datalist id="audit-resources"><option v-for="r in RESOURCES" :key="r" :value="r"></option></datalist>
        <form-field :label="t('audit.action')" v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="filters.action" type="text" autocapitalize="none" data-testid="audit-action">
        </form-field>
        <div></div>
        <form-field :label="t('audit.from')" :error="formError" v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="filters.from" type="date" data-testid="audit-from">
        </form-field>
        <form-field :label="t('audit.to')" v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="filters.to" type="date" data-testid="audit-to">
        </form-field>
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="audit-apply">{{ t('audit.apply') }}</button>
        <button type="button" class="btn btn-secondary" @click="reset">{{ t('audit.reset') }}</button>
      </div>
    </form>
    <error-box :error="loadError"></error-box>

    <div class="table-wrap" :hidden="!items.length && loading">
      <table class="list" data-testid="audit-list">
        <caption class="visually-hidden">{{ t('audit.listCaption') }}</caption>
        <thead><tr>
          <th scope="col">{{ t('audit.time') }}</th>
          <th scope="col">{{ t('audit.actor') }}</th>
          <th scope="col">{{ t('audit.action') }}</th>
          <th scope="col">{{ t('audit.resource') }}</th>
          <th scope="col">{{ t('audit.resourceId') }}</th>
          <th scope="col">{{ t('audit.changes') }}</th>
          <th scope="col">{{ t('audit.ip') }}</th>
        </tr></thead>
        <tbody>
          <tr v-for="e in items" :key="e.id">
            <td class="primary" :data-label="t('audit.time')"><time :datetime="e.at">{{ formatTime(e.at) }}</time></td>
            <td :data-label="t('audit.actor')" class="mono">{{ e.actor_login || (e.actor_id != null ? '#' + e.actor_id : '—') }}</td>
            <td :data-label="t('audit.action')" class="mono">{{ e.action }}</td>
            <td :data-label="t('audit.resource')" class="mono">{{ e.resource }}</td>
            <td :data-label="t('audit.resourceId')" class="mono">{{ e.resource_id != null && e.resource_id !== '' ? e.resource_id : '—' }}</td>
            <td :data-label="t('audit.changes')">
              <ul v-if="e.diff.length" class="diff">
                <li v-for="d in e.diff" :key="d.key"><span class="key">{{ d.key }}</span>: <span class="from">{{ d.before }}</span> → <span class="to">{{ d.after }}</span></li>
              </ul>
              <span v-else class="muted">{{ t('audit.noChanges') }}</span>
            </td>
            <td :data-label="t('audit.ip')" class="mono">{{ e.ip || '—' }}</td>
          </tr>
        </tbody>
      </table>
    </div>
    <list-footer :loading="loading" :empty="!loading && !loadError && !items.length" :has-more="!!cursor"
                 :empty-text="t('audit.empty')" @more="fetchPage(false)"></list-footer>
  </section>`,
};
