// #/sites — the site registry (点位): filters (type, text), cards with the
// last score, registering a site (staff and 居委), CSV export.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, postText } from '../api.js';
import { usePagedList } from '../paged-list.js';
import { can } from '../session.js';
import { t } from '../i18n.js';
import { loadCommunities, loadUnits } from '../problem-data.js';
import { loadSiteTypes, scoreClass, scoreText } from '../site-format.js';
import { formatTime } from '../format.js';

const blank = () => ({ name: '', code: '', site_type: '', org_id: '', unit_org_id: '', responsible: '', address: '', lat: '', lng: '' });

export default {
  name: 'SitesPage',
  setup() {
    const types = ref([]);
    const orgs = ref([]);
    const units = ref([]);
    const filters = reactive({ type: '', q: '' });
    const adding = ref(false);
    const form = reactive(blank());
    const fe = reactive({});
    const busy = ref(false);
    const notice = ref('');

    const { items, cursor, loading, error, fetchPage } = usePagedList('/sites', () => ({ type: filters.type, q: filters.q.trim(), limit: 50 }));
    onMounted(async () => {
      try { types.value = await loadSiteTypes(); } catch (e) { error.value = e; }
      fetchPage(true);
    });
    async function openAdd() {
      Object.assign(form, blank());
      adding.value = true;
      try {
        [orgs.value, units.value] = await Promise.all([loadCommunities(), loadUnits()]);
      } catch (e) { error.value = e; }
    }
    async function save() {
      for (const k of Object.keys(fe)) delete fe[k];
      busy.value = true;
      error.value = null;
      try {
        const body = { name: form.name.trim(), site_type: form.site_type, org_id: Number(form.org_id) || 0 };
        if (form.code.trim()) body.code = form.code.trim();
        if (form.unit_org_id) body.unit_org_id = Number(form.unit_org_id);
        if (form.responsible.trim()) body.responsible = form.responsible.trim();
        if (form.address.trim()) body.address = form.address.trim();
        if (form.lat !== '' && form.lng !== '') body.location = { lat: Number(form.lat), lng: Number(form.lng) };
        const s = await api.post('/sites', body);
        notice.value = t('sites.saved', { name: s.name });
        adding.value = false;
        fetchPage(true);
      } catch (e) {
        Object.assign(fe, e.fieldMap ? e.fieldMap() : {});
        error.value = e;
      } finally { busy.value = false; }
    }
    async function importFile(ev) {
      const file = ev.target.files && ev.target.files[0];
      ev.target.value = '';
      if (!file) return;
      error.value = null;
      notice.value = '';
      busy.value = true;
      try {
        const xlsx = /\.xlsx$/i.test(file.name);
        const r = await postText('/sites/import', file, xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
        notice.value = t('sites.imported', { created: r.created, updated: r.updated });
        fetchPage(true);
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    const sheetUrl = () => '/api/v1/sites/qr-sheet' + (filters.type ? `?type=${encodeURIComponent(filters.type)}` : '');
    const exportUrl = () => '/api/v1/sites/export' + (filters.type ? `?type=${encodeURIComponent(filters.type)}` : '');
    return { types, orgs, units, items, cursor, loading, error, filters, adding, form, fe, busy, notice, fetchPage, openAdd, save, exportUrl, sheetUrl, importFile, can, scoreClass, scoreText, formatTime };
  },
  template: `
  <section class="page">
    <div class="page-head">
      <h1 class="page-title" tabindex="-1">{{ t('sites.title') }}</h1>
      <div class="toolbar">
        <button v-if="can('sites.write')" type="button" class="btn btn-primary" data-testid="site-add" @click="openAdd">{{ t('sites.add') }}</button>
        <a class="btn btn-secondary" :href="exportUrl()" download>{{ t('sites.export') }}</a>
        <label v-if="can('sites.write')" class="btn btn-secondary file-btn">{{ t('sites.import') }}<input type="file" accept=".csv,.xlsx,text/csv" class="visually-hidden" data-testid="sites-import" @change="importFile"></label>
        <a class="btn btn-secondary" :href="sheetUrl()" target="_blank" rel="noopener">{{ t('sites.qrSheet') }}</a>
      </div>
    </div>
    <p class="muted">{{ t('sites.intro') }}</p>
    <status-msg :text="notice"></status-msg>
    <error-box :error="error" :known="adding ? ['name', 'site_type', 'org_id', 'code'] : []"></error-box>
    <form v-if="adding" class="card form-grid" novalidate @submit.prevent="save" data-testid="site-form">
      <form-field :label="t('sites.name')" :error="fe.name" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.name" data-testid="site-name"></form-field>
      <form-field :label="t('sites.type')" :error="fe.site_type" required v-slot="f">
        <select :id="f.id" v-bind="f.aria" v-model="form.site_type" data-testid="site-type">
          <option value=""></option><option v-for="ty in types" :key="ty.code" :value="ty.code">{{ ty.name }}</option>
        </select>
      </form-field>
      <form-field :label="t('sites.org')" :error="fe.org_id" required v-slot="f">
        <select :id="f.id" v-bind="f.aria" v-model="form.org_id" data-testid="site-org">
          <option value=""></option><option v-for="o in orgs" :key="o.id" :value="o.id">{{ o.name }}</option>
        </select>
      </form-field>
      <form-field :label="t('sites.unit')" :error="fe.unit_org_id" v-slot="f">
        <select :id="f.id" v-bind="f.aria" v-model="form.unit_org_id">
          <option value="">{{ t('sites.noUnit') }}</option><option v-for="o in units" :key="o.id" :value="o.id">{{ o.name }}</option>
        </select>
      </form-field>
      <form-field :label="t('sites.code')" :error="fe.code" v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.code"></form-field>
      <form-field :label="t('sites.responsible')" :error="fe.responsible" v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.responsible"></form-field>
      <form-field :label="t('sites.address')" :error="fe.address" v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.address"></form-field>
      <form-field :label="t('sites.lat')" :error="fe.location" v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.lat" inputmode="decimal"></form-field>
      <form-field :label="t('sites.lng')" v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.lng" inputmode="decimal"></form-field>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" :disabled="busy" data-testid="site-save">{{ t('sites.save') }}</button>
        <button type="button" class="btn btn-secondary" @click="adding = false">{{ t('sites.cancel') }}</button>
      </div>
    </form>
    <form class="filters card" role="search" @submit.prevent="fetchPage(true)">
      <form-field :label="t('sites.type')" v-slot="f">
        <select :id="f.id" v-model="filters.type" @change="fetchPage(true)" data-testid="sites-type-filter">
          <option value="">{{ t('sites.allTypes') }}</option><option v-for="ty in types" :key="ty.code" :value="ty.code">{{ ty.name }}</option>
        </select>
      </form-field>
      <form-field :label="t('sites.q')" v-slot="f"><input :id="f.id" type="search" v-model="filters.q" data-testid="sites-q"></form-field>
      <div class="form-actions"><button type="submit" class="btn btn-secondary">{{ t('sites.search') }}</button></div>
    </form>
    <p v-if="!loading && !items.length" class="empty">{{ t('sites.none') }}</p>
    <ul class="site-list" data-testid="site-list">
      <li v-for="s in items" :key="s.id" class="card">
        <a class="site-row" :href="'#/sites/' + s.id" :data-testid="'site-' + s.id">
          <span class="site-row-head">
            <span class="site-row-name">{{ s.name }}</span>
            <span class="score" :class="scoreClass(s.last_score_rate)">{{ s.last_score_rate == null ? t('sites.never') : scoreText(s.last_score_rate) }}</span>
          </span>
          <span class="site-row-meta">{{ s.site_type_name }} · {{ s.org_name }}<template v-if="s.unit_name"> · {{ s.unit_name }}</template><template v-if="s.address"> · {{ s.address }}</template></span>
        </a>
      </li>
    </ul>
    <div class="list-footer">
      <button v-if="cursor" type="button" class="btn btn-secondary" :disabled="loading" @click="fetchPage(false)">{{ t('sites.more') }}</button>
    </div>
  </section>`,
};
