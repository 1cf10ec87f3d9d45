// #/dashboard — 统计分析: for a chosen period and org, the overall KPIs, the
// trend of reported/closed, problems by category, state and community, the
// on-time rate over time, and the rankings with the red/black list (红黑榜).
// Reads the KPI API (kpi-data.js); each card shows its own loading, error or
// "not enabled on this server" (404) state, so one missing API never blanks
// the page.
import { ref, reactive, computed, onMounted } from '/assets/vue.esm-browser.prod.js';
import { session } from '../session.js';
import { t, locale } from '../i18n.js';
import { errorText } from '../format.js';
import { stateName, roleSet } from '../problem-format.js';
import { loadCommunities } from '../problem-data.js';
import { EChart, trendOption, onTimeOption, groupBarOption, statesOption, pct } from '../charts.js';
import { presetRange, autoInterval, loadKpis, loadTrend, loadStates, loadRankings } from '../kpi-data.js';
import { dashboardCss } from '../stylesheet.js';

dashboardCss();

// A titled card around one result: spinner, 404 notice, error, empty, or the slot.
export const DashCard = {
  name: 'DashCard',
  props: { title: String, result: Object, empty: Boolean, testid: String },
  setup() { return { errorText }; },
  template: `
  <section class="card dash-card" :data-testid="testid">
    <h2>{{ title }}</h2>
    <p v-if="!result" class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{{ t('common.loading') }}</p>
    <p v-else-if="result.unavailable" class="alert alert-info" data-testid="dash-unavailable">{{ t('dash.unavailable', { path: result.unavailable }) }}</p>
    <div v-else-if="result.error" class="alert alert-error" role="alert">{{ t('dash.failed', { error: errorText(result.error) }) }}</div>
    <p v-else-if="empty" class="empty">{{ t('dash.empty') }}</p>
    <slot v-else></slot>
  </section>`,
};

export const RankTable = {
  name: 'RankTable',
  props: { rows: { type: Array, default: () => [] } },
  setup() { return { pct }; },
  template: `
  <div class="table-wrap">
    <table class="list rank-table" data-testid="rank-table">
      <thead><tr>
        <th scope="col">{{ t('dash.rank') }}</th><th scope="col">{{ t('dash.orgName') }}</th><th scope="col">{{ t('dash.score') }}</th>
        <th scope="col">{{ t('dash.accepted') }}</th><th scope="col">{{ t('dash.closedRate') }}</th>
        <th scope="col">{{ t('dash.onTimeRate') }}</th><th scope="col">{{ t('dash.satisfactionRate') }}</th>
      </tr></thead>
      <tbody>
        <tr v-for="r in rows" :key="r.org && r.org.id">
          <td :data-label="t('dash.rank')">{{ r.rank ?? '—' }}</td>
          <td class="primary" :data-label="t('dash.orgName')">{{ r.org && r.org.name }}</td>
          <td :data-label="t('dash.score')">{{ r.score == null ? '—' : Number(r.score).toFixed(1) }}</td>
          <td :data-label="t('dash.accepted')">{{ r.accepted ?? '—' }}</td>
          <td :data-label="t('dash.closedRate')">{{ pct(r.closed_rate) }}</td>
          <td :data-label="t('dash.onTimeRate')">{{ pct(r.on_time_rate) }}</td>
          <td :data-label="t('dash.satisfactionRate')">{{ pct(r.satisfaction_rate) }}</td>
        </tr>
      </tbody>
    </table>
  </div>`,
};

const PRESETS = ['d7', 'd30', 'd90', 'year', 'custom'];

export default {
  name: 'DashboardPage',
  components: { EChart, DashCard, RankTable },
  setup() {
    const start = presetRange('d30');
    const form = reactive({ preset: 'd30', from: start.from, to: start.to, interval: 'auto', org: '' });
    const rangeError = ref('');
    const orgs = ref([]);
    const res = reactive({ totals: null, trend: null, states: null, category: null, community: null, rank: null });
    const rankKind = ref('community');
    let query = {};

    // Staff pick any community; a 居委 only its own (its grants' orgs).
    const staff = computed(() => { const r = roleSet(session.account); return r.has('admin') || r.has('office'); });
    const ownOrgs = computed(() => new Set(((session.account && session.account.grants) || []).map((g) => g.org_id)));

    function onPreset() {
      if (form.preset !== 'custom') Object.assign(form, presetRange(form.preset));
    }
    async function loadRank() {
      res.rank = null;
      res.rank = await loadRankings({ from: query.from, to: query.to, kind: rankKind.value });
    }
    async function refresh() {
      rangeError.value = '';
      if (!form.from || !form.to || form.from > form.to) { rangeError.value = t('dash.badRange'); return; }
      query = { from: form.from, to: form.to, org_id: form.org };
      const interval = form.interval === 'auto' ? autoInterval(form.from, form.to) : form.interval;
      for (const k of Object.keys(res)) res[k] = null;
      await Promise.all([
        loadKpis({ ...query, group_by: 'none' }).then((r) => { res.totals = r; }),
        loadTrend({ ...query, interval }).then((r) => { res.trend = r; }),
        loadStates({ org_id: form.org }).then((r) => { res.states = r; }),
        loadKpis({ ...query, group_by: 'category' }).then((r) => { res.category = r; }),
        loadKpis({ ...query, group_by: 'community' }).then((r) => { res.community = r; }),
        loadRank(),
      ]);
    }
    onMounted(async () => {
      refresh();
      try {
        const all = await loadCommunities();
        orgs.value = staff.value ? all : all.filter((o) => ownOrgs.value.has(o.id));
      } catch (_) { orgs.value = []; }
    });

    const rows = (r) => (r && r.data && r.data.rows) || [];
    const points = (r) => (r && r.data && r.data.points) || [];
    const totals = computed(() => (res.totals && res.totals.data && res.totals.data.totals) || null);
    const states = computed(() => (res.states && res.states.data) || null);
    // Options are recomputed on data or language change; the chart instances stay.
    const opts = computed(() => {
      void locale.value;
      return {
        trend: trendOption(points(res.trend)),
        onTime: onTimeOption(points(res.trend)),
        category: groupBarOption(rows(res.category)),
        community: groupBarOption(rows(res.community)),
        states: statesOption(states.value && states.value.states, stateName),
      };
    });
    const tiles = computed(() => {
      const x = totals.value;
      if (!x) return [];
      return [
        ['dash.reported', x.reported], ['dash.accepted', x.accepted], ['dash.closed', x.closed],
        ['dash.closedRate', pct(x.closed_rate)], ['dash.onTimeRate', pct(x.on_time_rate)],
        ['dash.reworkRate', pct(x.rework_rate)], ['dash.relapseRate', pct(x.relapse_rate)],
        ['dash.satisfactionRate', pct(x.satisfaction_rate)],
        ['dash.avgClose', x.avg_close_hours == null ? '—' : t('dash.hours', { n: Number(x.avg_close_hours).toFixed(1) })],
      ].map(([k, v]) => ({ k, v: v ?? '—' }));
    });
    const rank = computed(() => (res.rank && res.rank.data) || { rows: [], red: [], black: [] });
    const stateTotal = computed(() => Object.values((states.value && states.value.states) || {}).reduce((a, b) => a + b, 0));

    return {
      PRESETS, form, rangeError, orgs, res, rankKind, opts, tiles, rank, states, stateTotal,
      onPreset, refresh, loadRank, rows, points, pct,
    };
  },
  template: `
  <section class="page page-wide dashboard">
    <div class="page-head">
      <h1 class="page-title" tabindex="-1">{{ t('dash.title') }}</h1>
      <a class="btn btn-secondary btn-small" href="#/map" data-testid="dash-to-map">{{ t('dash.toMap') }}</a>
      <a class="btn btn-secondary btn-small" href="#/screen" data-testid="dash-to-screen">{{ t('dash.toScreen') }}</a>
    </div>
    <form class="toolbar" @submit.prevent="refresh" data-testid="dash-filters">
      <div class="field">
        <label for="dash-preset">{{ t('dash.period') }}</label>
        <select id="dash-preset" v-model="form.preset" @change="onPreset(); refresh()" data-testid="dash-preset">
          <option v-for="p in PRESETS" :key="p" :value="p">{{ t('dash.presets.' + p) }}</option>
        </select>
      </div>
      <div class="field">
        <label for="dash-from">{{ t('dash.from') }}</label>
        <input id="dash-from" type="date" v-model="form.from" @change="form.preset = 'custom'" data-testid="dash-from">
      </div>
      <div class="field">
        <label for="dash-to">{{ t('dash.to') }}</label>
        <input id="dash-to" type="date" v-model="form.to" @change="form.preset = 'custom'" data-testid="dash-to">
      </div>
      <div class="field">
        <label for="dash-interval">{{ t('dash.interval') }}</label>
        <select id="dash-interval" v-model="form.interval" data-testid="dash-interval">
          <option v-for="i in ['auto', 'day', 'week', 'month']" :key="i" :value="i">{{ t('dash.intervals.' + i) }}</option>
        </select>
      </div>
      <div class="field">
        <label for="dash-org">{{ t('dash.org') }}</label>
        <select id="dash-org" v-model="form.org" data-testid="dash-org">
          <option value="">{{ t('dash.allOrgs') }}</option>
          <option v-for="o in orgs" :key="o.id" :value="String(o.id)">{{ o.name }}</option>
        </select>
      </div>
      <button type="submit" class="btn btn-primary" data-testid="dash-apply">{{ t('dash.apply') }}</button>
    </form>
    <p v-if="rangeError" class="alert alert-error" role="alert">{{ rangeError }}</p>

    <dash-card :title="t('dash.totals')" :result="res.totals" testid="dash-totals">
      <ul class="kpi-tiles">
        <li v-for="x in tiles" :key="x.k" class="kpi-tile"><span class="kpi-label">{{ t(x.k) }}</span><span class="kpi-value">{{ x.v }}</span></li>
        <template v-if="states">
          <li class="kpi-tile"><span class="kpi-label">{{ t('dash.open') }}</span><span class="kpi-value">{{ states.open }}</span></li>
          <li class="kpi-tile kpi-bad"><span class="kpi-label">{{ t('dash.overdue') }}</span><span class="kpi-value">{{ states.overdue }}</span></li>
        </template>
      </ul>
    </dash-card>

    <div class="dash-grid">
      <dash-card :title="t('dash.trend')" :result="res.trend" :empty="!points(res.trend).length" testid="dash-trend">
        <e-chart :option="opts.trend" :label="t('dash.chartLabel', { title: t('dash.trend') })" testid="chart-trend"></e-chart>
      </dash-card>
      <dash-card :title="t('dash.byState')" :result="res.states" :empty="!stateTotal" testid="dash-states">
        <e-chart :option="opts.states" :label="t('dash.chartLabel', { title: t('dash.byState') })" testid="chart-states"></e-chart>
      </dash-card>
      <dash-card :title="t('dash.byCategory')" :result="res.category" :empty="!rows(res.category).length" testid="dash-category">
        <e-chart :option="opts.category" :label="t('dash.chartLabel', { title: t('dash.byCategory') })" testid="chart-category"></e-chart>
      </dash-card>
      <dash-card :title="t('dash.byCommunity')" :result="res.community" :empty="!rows(res.community).length" testid="dash-community">
        <e-chart :option="opts.community" :label="t('dash.chartLabel', { title: t('dash.byCommunity') })" testid="chart-community"></e-chart>
      </dash-card>
      <dash-card :title="t('dash.onTime')" :result="res.trend" :empty="!points(res.trend).length" testid="dash-ontime">
        <e-chart :option="opts.onTime" :label="t('dash.chartLabel', { title: t('dash.onTime') })" testid="chart-ontime"></e-chart>
      </dash-card>
    </div>

    <dash-card :title="t('dash.rankings')" :result="res.rank" testid="dash-rankings">
      <div class="field field-inline">
        <label for="dash-rank-kind">{{ t('dash.rankKind') }}</label>
        <select id="dash-rank-kind" v-model="rankKind" @change="loadRank" data-testid="dash-rank-kind">
          <option value="community">{{ t('dash.kinds.community') }}</option>
          <option value="handler">{{ t('dash.kinds.handler') }}</option>
        </select>
      </div>
      <div class="redblack">
        <div class="redlist" data-testid="red-list">
          <h3>{{ t('dash.red') }} <small>{{ t('dash.redHint') }}</small></h3>
          <ol v-if="rank.red && rank.red.length"><li v-for="r in rank.red" :key="r.org && r.org.id">{{ r.org && r.org.name }} <span class="muted">{{ r.score == null ? '' : Number(r.score).toFixed(1) }}</span></li></ol>
          <p v-else class="empty">{{ t('dash.noRank') }}</p>
        </div>
        <div class="blacklist" data-testid="black-list">
          <h3>{{ t('dash.black') }} <small>{{ t('dash.blackHint') }}</small></h3>
          <ol v-if="rank.black && rank.black.length"><li v-for="r in rank.black" :key="r.org && r.org.id">{{ r.org && r.org.name }} <span class="muted">{{ r.score == null ? '' : Number(r.score).toFixed(1) }}</span></li></ol>
          <p v-else class="empty">{{ t('dash.noRank') }}</p>
        </div>
      </div>
      <rank-table v-if="rank.rows && rank.rows.length" :rows="rank.rows"></rank-table>
      <p v-else class="empty">{{ t('dash.noRank') }}</p>
      <p v-if="rank.min_accepted != null" class="muted small">{{ t('dash.minAccepted', { n: rank.min_accepted }) }}</p>
    </dash-card>
  </section>`,
};
