// #/unit — the 双报到 unit's page (role unit; staff may look too): the
// unit's registered members and their service per quarter, collected from
// the records, with the quarterly feedback as xlsx and PDF.
import { ref, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { t } from '../i18n.js';
import { recentQuarters } from './dual-common.js';

export default {
  name: 'UnitPortalPage',
  setup() {
    const units = ref([]);
    const unit = ref('');
    const quarters = recentQuarters();
    const quarter = ref(quarters[0]);
    const fb = ref(null);
    const error = ref(null);
    async function loadFeedback() {
      error.value = null;
      fb.value = null;
      if (!unit.value) return;
      try { fb.value = await api.get('/party/units/' + enc(unit.value) + '/feedback', { quarter: quarter.value }); } catch (e) { error.value = e; }
    }
    async function load() {
      try {
        units.value = (await api.get('/party/units', { limit: 200, state: 'accepted' })).items;
        // The community with the most registered members first.
        const best = [...units.value].sort((a, b) => b.members - a.members)[0];
        if (best) unit.value = best.id;
        await loadFeedback();
      } catch (e) { error.value = e; }
    }
    const file = (ext) => '/api/v1/party/units/' + enc(unit.value) + '/feedback.' + ext + '?quarter=' + enc(quarter.value);
    onMounted(load);
    return { units, unit, quarters, quarter, fb, error, loadFeedback, file, t };
  },
  template: `
  <section class="page dual-page">
    <h1 class="page-title" tabindex="-1">{{ t('dual.unitPortal.title') }}</h1>
    <error-box :error="error"></error-box>
    <div class="toolbar">
      <label>{{ t('dual.unitPortal.registration') }}
        <select v-model="unit" data-testid="unit-pick" @change="loadFeedback">
          <option v-for="u in units" :key="u.id" :value="u.id">{{ u.unit_name }} → {{ u.community_name }}</option>
        </select></label>
      <label>{{ t('dual.unitPortal.quarter') }}
        <select v-model="quarter" data-testid="unit-quarter" @change="loadFeedback">
          <option v-for="q in quarters" :key="q" :value="q">{{ q }}</option>
        </select></label>
      <a v-if="unit" class="btn btn-secondary btn-small" :href="file('xlsx')" data-testid="unit-xlsx">{{ t('dual.unitPortal.xlsx') }}</a>
      <a v-if="unit" class="btn btn-secondary btn-small" :href="file('pdf')" data-testid="unit-pdf">{{ t('dual.unitPortal.pdf') }}</a>
    </div>
    <p v-if="!units.length" class="empty">{{ t('dual.unitPortal.none') }}</p>
    <div v-if="fb" class="table-wrap">
      <p class="muted">{{ fb.party_org_name }} · {{ fb.period.from }} — {{ fb.period.to }}</p>
      <table data-testid="unit-feedback">
        <thead><tr><th>{{ t('dual.name') }}</th><th>{{ t('dual.community') }}</th><th>{{ t('dual.cardNo') }}</th>
          <th v-for="k in ['records', 'hours', 'shifts_attended', 'activities_attended', 'problems_reported']" :key="k">{{ t('dual.col.' + k) }}</th></tr></thead>
        <tbody>
          <tr v-for="m in fb.items" :key="m.registration_id">
            <td>{{ m.name }}</td><td>{{ m.community_name }}</td><td class="mono">{{ m.card_no }}</td>
            <td>{{ m.records }}</td><td>{{ m.hours }}</td><td>{{ m.shifts_attended }}</td><td>{{ m.activities_attended }}</td><td>{{ m.problems_reported }}</td>
          </tr>
          <tr><th colspan="3">{{ t('dual.total') }}（{{ fb.totals.members }}）</th><td>{{ fb.totals.records }}</td><td>{{ fb.totals.hours }}</td>
            <td>{{ fb.totals.shifts_attended }}</td><td>{{ fb.totals.activities_attended }}</td><td>{{ fb.totals.problems_reported }}</td></tr>
        </tbody>
      </table>
      <p class="hint">{{ t('dual.my.auto') }}</p>
    </div>
  </section>`,
};
