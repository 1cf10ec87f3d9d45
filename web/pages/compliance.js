// #/compliance — 三会一课 compliance for the street's party building centre
// (docs/PARTY.md): branches × periods of the year, one row per rule, cells
// red / amber / green / grey with "held/required"; the roll-up per 党委 /
// 党总支; and for the office the rules editor. Desktop first; it scrolls
// inside its own box on a phone rather than the page.
import { ref, reactive, computed, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api } from '../api.js';
import { can } from '../session.js';
import { t } from '../i18n.js';

const RULES = ['member_meeting', 'committee_meeting', 'group_meeting', 'lecture', 'theme_day'];
const COLOURS = { green: '#2e7d32', amber: '#f9a825', red: '#c62828', grey: '#bdbdbd' };

export default {
  name: 'CompliancePage',
  setup() {
    const year = ref(new Date(Date.now() + 8 * 3600e3).getUTCFullYear());
    const view = ref(null);
    const error = ref(null);
    const rules = ref(null);
    const msg = ref('');
    const canEdit = computed(() => can('party_meetings.rules'));
    async function load() {
      error.value = null;
      try { view.value = await api.get('/party/compliance', { year: year.value }); } catch (e) { error.value = e; }
    }
    async function loadRules() {
      try { rules.value = await api.get('/party/compliance-rules'); } catch (e) { error.value = e; }
    }
    async function saveRules() {
      msg.value = ''; error.value = null;
      try {
        rules.value = await api.put('/party/compliance-rules', rules.value);
        msg.value = t('comp.rulesSaved');
        await load();
      } catch (e) { error.value = e; }
    }
    // One row per org and rule: its cells in period order.
    const rows = computed(() => {
      const out = [];
      for (const o of (view.value?.orgs || []))
        for (const r of RULES) {
          const cells = o.cells.filter((c) => c.rule === r);
          if (cells.length) out.push({ key: `${o.id}-${r}`, org: o, rule: r, cells, first: r === o.cells[0].rule });
        }
      return out;
    });
    onMounted(() => { load(); loadRules(); });
    return { year, view, error, rules, msg, canEdit, rows, load, saveRules, RULES, COLOURS, t };
  },
  template: `
  <section class="page wide" data-testid="compliance-page">
    <h1 tabindex="-1">{{ t('comp.title') }}</h1>
    <div class="filters">
      <label>{{ t('comp.year') }} <input type="number" v-model.number="year" min="2000" max="2100" style="width:6em" @change="load"></label>
      <span v-if="view" class="muted">{{ t('comp.today', { d: view.today }) }}</span>
      <span v-for="(c, k) in COLOURS" :key="k" class="legend"><span :style="{ background: c, display: 'inline-block', width: '1em', height: '1em', verticalAlign: 'middle' }"></span> {{ t('comp.legend.' + k) }}</span>
    </div>
    <error-box :error="error"></error-box>
    <p v-if="msg" class="alert alert-ok" role="status">{{ msg }}</p>
    <template v-if="view">
      <h2>{{ t('comp.rollup') }}</h2>
      <div style="overflow-x:auto">
      <table class="table" data-testid="compliance-rollup">
        <thead><tr><th>{{ t('comp.org') }}</th><th>{{ t('comp.orgs') }}</th><th v-for="k in ['green', 'amber', 'red', 'grey']" :key="k">{{ t('comp.legend.' + k) }}</th></tr></thead>
        <tbody><tr v-for="r in view.rollup" :key="r.id"><td>{{ r.name }}</td><td>{{ r.orgs }}</td>
          <td v-for="k in ['green', 'amber', 'red', 'grey']" :key="k" :style="{ color: k === 'grey' ? '#555' : COLOURS[k], fontWeight: 'bold' }">{{ r.counts[k] }}</td></tr></tbody>
      </table>
      </div>
      <p v-if="!view.orgs.length" class="empty">{{ t('comp.empty') }}</p>
      <div style="overflow-x:auto">
      <table class="table compliance-grid" data-testid="compliance-grid">
        <thead><tr><th>{{ t('comp.org') }}</th><th>{{ t('comp.rule') }}</th><th v-for="mth in 12" :key="mth">{{ mth }}</th></tr></thead>
        <tbody>
          <tr v-for="r in rows" :key="r.key">
            <td><strong v-if="r.first">{{ r.org.name }}</strong></td>
            <td>{{ t('meet.types.' + r.rule) }}</td>
            <td v-for="c in r.cells" :key="c.period" :colspan="12 / r.cells.length" :data-status="c.status" data-testid="compliance-cell"
                :title="c.period + ' ' + t('comp.legend.' + c.status) + (c.closing ? ' · ' + t('comp.closing') : '')"
                :style="{ background: COLOURS[c.status], color: c.status === 'amber' || c.status === 'grey' ? '#222' : '#fff', textAlign: 'center', border: '2px solid #fff', outline: c.closing ? '2px dashed #222' : 'none' }">
              {{ t('comp.held', { h: c.held, r: c.required }) }}</td>
          </tr>
        </tbody>
      </table>
      </div>
    </template>
    <form v-if="canEdit && rules" class="card stack" @submit.prevent="saveRules" data-testid="rules-editor">
      <h2>{{ t('comp.rules') }}</h2>
      <div v-for="k in RULES" :key="k" class="filters">
        <strong style="min-width:7em">{{ t('meet.types.' + k) }}</strong>
        <select v-model="rules.rules[k].period" :aria-label="t('meet.types.' + k)"><option value="month">{{ t('comp.perMonth') }}</option><option value="quarter">{{ t('comp.perQuarter') }}</option></select>
        <label>{{ t('comp.min') }} <input type="number" min="0" max="10" v-model.number="rules.rules[k].min" style="width:4em" :data-testid="'rule-min-' + k"></label>
      </div>
      <label>{{ t('comp.remind') }} <input type="number" min="0" max="60" v-model.number="rules.remind_days" style="width:4em"></label>
      <div class="form-actions"><button class="btn btn-primary" data-testid="rules-save">{{ t('comp.saveRules') }}</button></div>
    </form>
  </section>`,
};
