// #/sites/:id — what a QR code opens on a phone: the site, "inspect" and
// "report a problem here" (the report page with site_id filled in), the
// checklist and the inspections so far.
import { ref, computed, inject, onMounted } from '/assets/vue.esm-browser.prod.js';
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
    return { site, inspections, error, can, formatTime, kindName, scoreClass, scoreText, qrUrl, qrOk };
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
      <div class="card">
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
              <td><span class="score" :class="scoreClass(n.score_rate)">{{ scoreText(n.score_rate) }}</span></td>
              <td>{{ n.failed ? t('sites.failed', { n: n.failed }) : '' }}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </template>
  </section>`,
};
