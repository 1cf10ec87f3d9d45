// #/sites/:id — what a QR code opens on a phone: the site, "inspect" and
// "report a problem here" (the report page with site_id filled in), the
// checklist and the inspections so far.
import { ref, reactive, computed, inject, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { can } from '../session.js';
import { formatTime } from '../format.js';
import { kindName, scoreClass, scoreText } from '../site-format.js';

export default {
  name: 'SitePage',
  setup() {
    const route = inject('route');
    const id = computed(() => Number(route.value.path.split('/')[2]));
    const site = ref(null);
    const inspections = ref([]);
    const error = ref(null);
    const qrOk = ref(true);
    async function load() {
      error.value = null;
      try {
        site.value = await api.get('/sites/' + enc(id.value));
        inspections.value = ((await api.get('/inspections', { site_id: id.value, limit: 20 })) || {}).items || [];
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    const qrUrl = computed(() => `/api/v1/sites/${id.value}/qr.svg`);
    // Editing (staff and the site's 居委): the fields people change most.
    const editing = ref(false);
    const form = reactive({ name: '', responsible: '', address: '', active: true });
    const fe = reactive({});
    function edit() {
      Object.assign(form, { name: site.value.name, responsible: site.value.responsible || '', address: site.value.address || '', active: site.value.active });
      editing.value = true;
    }
    async function save() {
      for (const k of Object.keys(fe)) delete fe[k];
      try {
        site.value = await api.patch('/sites/' + enc(id.value), { name: form.name.trim(), responsible: form.responsible.trim() || null, address: form.address.trim() || null, active: form.active });
        editing.value = false;
      } catch (e) { Object.assign(fe, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    return { site, inspections, error, can, formatTime, kindName, scoreClass, scoreText, qrUrl, qrOk, editing, form, fe, edit, save };
  },
  template: `
  <section class="page narrow">
    <p><a class="back-link" href="#/sites">← {{ t('sites.title') }}</a></p>
    <error-box :error="error"></error-box>
    <template v-if="site">
      <h1 class="page-title" tabindex="-1" data-testid="site-title">{{ site.name }}</h1>
      <p class="muted">{{ site.site_type_name }} · {{ site.org_name }}<span v-if="!site.active" class="badge badge-off"> {{ t('sites.inactive') }}</span></p>
      <div class="site-actions">
        <a v-if="can('inspections.write') && site.active" class="btn btn-primary" :href="'#/inspect/' + site.id" data-testid="site-inspect">{{ t('sites.inspect') }}</a>
        <a v-if="can('problems.report') && site.active" class="btn btn-secondary" :href="'#/report?site_id=' + site.id" data-testid="site-report">{{ t('sites.report') }}</a>
      </div>
      <form v-if="editing" class="card" novalidate @submit.prevent="save" data-testid="site-edit-form">
        <form-field :label="t('sites.name')" :error="fe.name" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.name"></form-field>
        <form-field :label="t('sites.responsible')" :error="fe.responsible" v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.responsible"></form-field>
        <form-field :label="t('sites.address')" :error="fe.address" v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.address"></form-field>
        <label class="check"><input type="checkbox" v-model="form.active"> {{ t('sites.active') }}</label>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary">{{ t('sites.save') }}</button>
          <button type="button" class="btn btn-secondary" @click="editing = false">{{ t('sites.cancel') }}</button>
        </div>
      </form>
      <div class="card">
        <p v-if="site.can_edit && !editing" class="toolbar"><button type="button" class="btn btn-small btn-secondary" data-testid="site-edit" @click="edit">{{ t('sites.edit') }}</button></p>
        <dl class="kv">
          <template v-if="site.code"><dt>{{ t('sites.code') }}</dt><dd class="mono">{{ site.code }}</dd></template>
          <dt>{{ t('sites.unit') }}</dt><dd>{{ site.unit_name || '—' }}</dd>
          <dt>{{ t('sites.responsible') }}</dt><dd>{{ site.responsible || '—' }}</dd>
          <dt>{{ t('sites.address') }}</dt><dd>{{ site.address || '—' }}</dd>
          <dt>{{ t('sites.location') }}</dt><dd>{{ site.location ? site.location.lat.toFixed(5) + ', ' + site.location.lng.toFixed(5) : '—' }}</dd>
          <dt>{{ t('sites.lastScore') }}</dt><dd><span class="score" :class="scoreClass(site.last_score_rate)">{{ site.last_score_rate == null ? t('sites.never') : scoreText(site.last_score_rate) }}</span></dd>
          <dt>{{ t('sites.checklist', { v: site.checklist_version }) }}</dt><dd><a :href="'/api/v1/site-types/' + site.site_type_id + '/checklist'">{{ site.site_type }}</a></dd>
        </dl>
      </div>
      <div v-if="qrOk" class="card qr-box">
        <img :src="qrUrl" :alt="t('sites.qr')" @error="qrOk = false">
        <p class="hint">{{ t('sites.qrHint') }}</p>
      </div>
      <h2>{{ t('sites.inspections') }}</h2>
      <p v-if="!inspections.length" class="empty">{{ t('sites.noInspections') }}</p>
      <div v-else class="table-wrap">
        <table class="list" data-testid="site-inspections">
          <thead><tr><th>{{ t('sites.inspections') }}</th><th>{{ t('sites.score') }}</th><th></th></tr></thead>
          <tbody>
            <tr v-for="n in inspections" :key="n.id">
              <td>{{ formatTime(n.ended_at) }} · {{ kindName(n.kind) }}<br><span class="muted">{{ (n.inspectors || []).join('、') }}</span></td>
              <td :data-label="t('sites.score')"><span class="score" :class="scoreClass(n.score_rate)">{{ scoreText(n.score_rate) }}</span></td>
              <td>{{ n.failed ? t('sites.failed', { n: n.failed }) : '' }}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </template>
  </section>`,
};
