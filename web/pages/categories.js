// #/categories — the problem catalogue (大类 › 小类) with deadlines; edit
// name / deadline / unit / active inline; CSV export and import.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc, postText } from '../api.js';
import { t } from '../i18n.js';
import { unitName, UNITS } from '../problem-format.js';
import { forgetCategories } from '../problem-data.js';

export default {
  name: 'CategoriesPage',
  setup() {
    const items = ref([]);
    const loading = ref(false);
    const error = ref(null);
    const notice = ref('');
    const editing = ref(null);
    const form = reactive({ name: '', name_en: '', deadline_amount: 0, deadline_unit: 'cal_hours', active: true });
    const fe = reactive({});
    const busy = ref(false);

    async function load() {
      loading.value = true;
      error.value = null;
      try { items.value = ((await api.get('/categories', { all: 'true' })) || {}).items || []; } catch (e) { error.value = e; } finally { loading.value = false; }
    }
    onMounted(load);

    function edit(c) {
      for (const k of Object.keys(fe)) delete fe[k];
      editing.value = c.id;
      Object.assign(form, { name: c.name, name_en: c.name_en || '', deadline_amount: c.deadline_amount, deadline_unit: c.deadline_unit, active: c.active !== false });
    }
    async function save(c) {
      for (const k of Object.keys(fe)) delete fe[k];
      error.value = null;
      notice.value = '';
      busy.value = true;
      try {
        const body = { name: form.name.trim(), name_en: form.name_en.trim() || null, deadline_amount: Number(form.deadline_amount), deadline_unit: form.deadline_unit, active: form.active };
        const r = await api.patch('/categories/' + enc(c.id), body);
        const i = items.value.findIndex((x) => x.id === c.id);
        if (i >= 0 && r) items.value.splice(i, 1, { ...items.value[i], ...r });
        editing.value = null;
        forgetCategories();
        notice.value = t('cats.saved', { name: body.name });
      } catch (e) {
        Object.assign(fe, e.fieldMap ? e.fieldMap() : {});
        error.value = e;
      } finally { busy.value = false; }
    }
    async function importCsv(ev) {
      const file = ev.target.files && ev.target.files[0];
      ev.target.value = '';
      if (!file) return;
      error.value = null;
      notice.value = '';
      busy.value = true;
      try {
        const r = await postText('/categories/import', await file.text(), 'text/csv');
        notice.value = t('cats.imported') + (r && r.imported != null ? `（${r.imported}）` : '');
        forgetCategories();
        await load();
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    return { items, loading, error, notice, editing, form, fe, busy, UNITS, unitName, load, edit, save, importCsv };
  },
  template: `
  <section class="page">
    <div class="page-head">
      <h1 tabindex="-1">{{ t('cats.title') }}</h1>
      <a class="btn btn-secondary" href="/api/v1/categories/export" download="categories.csv" data-testid="categories-export">{{ t('cats.export') }}</a>
      <label class="btn btn-secondary file-btn" for="cat-import">{{ t('cats.import') }}</label>
      <input id="cat-import" type="file" accept=".csv,text/csv" class="visually-hidden" @change="importCsv" data-testid="categories-import">
    </div>
    <p class="muted">{{ t('cats.intro') }}</p>
    <status-msg :text="notice"></status-msg>
    <error-box :error="error" :known="Object.keys(fe)"></error-box>
    <div class="table-wrap" v-if="items.length">
      <table class="list" data-testid="categories-list">
        <caption class="visually-hidden">{{ t('cats.listCaption') }}</caption>
        <thead><tr>
          <th scope="col">{{ t('cats.code') }}</th><th scope="col">{{ t('cats.name') }}</th>
          <th scope="col">{{ t('cats.deadline') }}</th><th scope="col">{{ t('cats.status') }}</th><th scope="col">{{ t('common.actions') }}</th>
        </tr></thead>
        <tbody>
          <tr v-for="c in items" :key="c.id" :class="{ 'cat-parent': !c.parent_code }">
            <template v-if="editing === c.id">
              <td :data-label="t('cats.code')" class="mono">{{ c.code }}</td>
              <td :data-label="t('cats.name')"><div>
                <label class="visually-hidden" :for="'cn-' + c.id">{{ t('cats.name') }}</label>
                <input :id="'cn-' + c.id" v-model="form.name" type="text" :aria-invalid="fe.name ? 'true' : 'false'">
                <p v-if="fe.name" class="field-error">{{ fe.name }}</p>
                <label class="visually-hidden" :for="'ce-' + c.id">{{ t('cats.nameEn') }}</label>
                <input :id="'ce-' + c.id" v-model="form.name_en" type="text" :placeholder="t('cats.nameEn')" class="mt-small">
              </div></td>
              <td :data-label="t('cats.deadline')"><div>
                <div class="input-row">
                  <label class="visually-hidden" :for="'ca-' + c.id">{{ t('cats.amount') }}</label>
                  <input :id="'ca-' + c.id" v-model="form.deadline_amount" type="number" min="0" max="10000" class="num-input" :aria-invalid="fe.deadline_amount ? 'true' : 'false'">
                  <label class="visually-hidden" :for="'cu-' + c.id">{{ t('cats.unit') }}</label>
                  <select :id="'cu-' + c.id" v-model="form.deadline_unit"><option v-for="u in UNITS" :key="u" :value="u">{{ unitName(u) }}</option></select>
                </div>
                <p v-if="fe.deadline_amount || fe.deadline_unit" class="field-error">{{ fe.deadline_amount || fe.deadline_unit }}</p>
              </div></td>
              <td :data-label="t('cats.status')"><label class="check"><input type="checkbox" v-model="form.active">{{ t('cats.active') }}</label></td>
              <td class="actions" :data-label="t('common.actions')"><div>
                <button type="button" class="btn btn-primary btn-small" :disabled="busy" @click="save(c)">{{ t('common.save') }}</button>
                <button type="button" class="btn btn-secondary btn-small" @click="editing = null">{{ t('common.cancel') }}</button>
              </div></td>
            </template>
            <template v-else>
              <td :data-label="t('cats.code')" class="mono">{{ c.code }}</td>
              <td :data-label="t('cats.name')" :class="{ primary: !c.parent_code }"><span>{{ c.parent_code ? '└ ' : '' }}{{ c.name }}<span v-if="c.name_en" class="muted"> · {{ c.name_en }}</span></span></td>
              <td :data-label="t('cats.deadline')">{{ c.deadline_amount }} {{ unitName(c.deadline_unit) }}</td>
              <td :data-label="t('cats.status')">
                <span><span :class="c.active === false ? 'badge badge-off' : 'badge badge-on'">{{ c.active === false ? t('cats.inactive') : t('cats.active') }}</span>
                <span v-if="c.record_only" class="badge badge-unit">{{ t('cats.recordOnly') }}</span></span>
              </td>
              <td class="actions" :data-label="t('common.actions')">
                <button type="button" class="btn btn-secondary btn-small" :aria-label="t('cats.editLabel', { name: c.name })" @click="edit(c)">{{ t('cats.edit') }}</button>
              </td>
            </template>
          </tr>
        </tbody>
      </table>
    </div>
    <list-footer :loading="loading" :empty="!loading && !error && !items.length"></list-footer>
  </section>`,
};
