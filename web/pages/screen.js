// #/screen — 数据大屏 for the office wall: a dark 1920×1080 stage scaled to the
// window, without the app's top bar and menu. It refreshes itself every
// minute (#/screen?refresh=N for N ≥ 10 seconds; ?org_id= for one org) without
// reloading the page: every chart and the map are created once and fed new
// data, so a screen left on for days does not grow. A failed refresh keeps the
// last data and says since when. The live feed shows only code, category,
// community, state and time (GET /api/v1/problems/feed: no names, phones or
// descriptions), as do the map's markers.
import { ref, reactive, computed, inject, onMounted, onBeforeUnmount } from '/assets/vue.esm-browser.prod.js';
import { t, has, locale } from '../i18n.js';
import { formatTime } from '../format.js';
import { stateName, actionName } from '../problem-format.js';
import { loadCommunities } from '../problem-data.js';
import { EChart, trendOption, onTimeOption, groupBarOption, pct } from '../charts.js';
import { MapView } from '../map-view.js';
import {
  ymd, presetRange, loadKpis, loadTrend, loadStates, loadRankings, loadFeed, loadMapPoints, loadMapConfig,
} from '../kpi-data.js';
import { dashboardCss } from '../stylesheet.js';
import { api } from '../api.js';

dashboardCss();

const W = 1920;
const H = 1080;

export default {
  name: 'ScreenPage',
  components: { EChart, MapView },
  setup() {
    const route = inject('route');
    const refreshS = Math.max(10, Number(route.value.query.refresh) || 60);
    const org = route.value.query.org_id || '';
    const scale = ref(1);
    const now = ref(new Date());
    const updated = ref(null);
    const failedAt = ref(null);
    const unavailable = ref(false);
    const honours = ref('');
    const d = reactive({ totals: null, states: null, trend: [], category: [], community: [], red: [], black: [], points: [], feed: [] });
    const communities = ref([]);
    const config = ref({ tile_url: null, attribution: null });
    let timer = null;
    let clock = null;

    function fit() {
      scale.value = Math.min(window.innerWidth / W, window.innerHeight / H);
    }
    let busy = false;
    async function refresh() {
      if (busy) return;	// a slow round is not stacked on by the next tick
      busy = true;
      try { await round(); } finally { busy = false; }
    }
    // One round of requests; each result replaces its part only when it came
    // back, so a failing API leaves the last good data on screen.
    async function round() {
      const today = new Date();
      const month = { from: ymd(new Date(today.getFullYear(), today.getMonth(), 1)), to: ymd(today) };
      const last30 = presetRange('d30', today);
      const q = org ? { org_id: org } : {};
      const r = await Promise.all([
        loadKpis({ ...month, ...q, group_by: 'none' }),
        loadStates(q),
        loadTrend({ ...last30, ...q, interval: 'day' }),
        loadKpis({ ...last30, ...q, group_by: 'category' }),
        loadKpis({ ...last30, ...q, group_by: 'community' }),
        loadRankings({ ...month, kind: 'community' }),
        loadMapPoints({ state: 'open', ...q, limit: 2000 }),
        loadFeed({ limit: 12, ...q }),
      ]);
      const [totals, states, trend, category, community, rank, points, feed] = r;
      if (totals.data) d.totals = totals.data.totals || null;
      if (states.data) d.states = states.data;
      if (trend.data) d.trend = trend.data.points || [];
      if (category.data) d.category = category.data.rows || [];
      if (community.data) d.community = community.data.rows || [];
      if (rank.data) { d.red = (rank.data.red || []).slice(0, 5); d.black = (rank.data.black || []).slice(0, 5); }
      if (points.data) d.points = points.data.points || [];
      if (feed.data) d.feed = feed.data.items || [];
      unavailable.value = !!totals.unavailable;
      const failed = r.some((x) => x.error && !x.unavailable);
      if (failed) failedAt.value = new Date();
      else { failedAt.value = null; updated.value = new Date(); }
    }

    onMounted(async () => {
      fit();
      window.addEventListener('resize', fit);
      clock = setInterval(() => { now.value = new Date(); }, 1000);
      refresh();
      timer = setInterval(refresh, refreshS * 1000);
      const cfg = await loadMapConfig();
      if (cfg.data) config.value = cfg.data;
      try { communities.value = await loadCommunities(); } catch (_) { communities.value = []; }
      // The latest published honour roll, one line (awards, docs/PARTY.md).
      try { honours.value = (await api.get('/awards/roll')).items.filter((x, _, a) => x.year === a[0].year).map((x) => x.nominee_name).join('、'); } catch (_) { honours.value = ''; }
    });
    onBeforeUnmount(() => {
      window.removeEventListener('resize', fit);
      clearInterval(timer);
      clearInterval(clock);
    });

    const opts = computed(() => {
      void locale.value;
      return {
        trend: trendOption(d.trend, true),
        onTime: onTimeOption(d.trend, true),
        category: groupBarOption(d.category, true, 8),
        community: groupBarOption(d.community, true, 12),
      };
    });
    const kpis = computed(() => {
      const x = d.totals || {};
      const s = d.states || {};
      return [
        { k: 'screen.reported', v: x.reported ?? '—' },
        { k: 'screen.closed', v: x.closed ?? '—' },
        { k: 'screen.open', v: s.open ?? '—' },
        { k: 'screen.overdue', v: s.overdue ?? '—', bad: true },
        { k: 'screen.onTime', v: pct(x.on_time_rate) },
        { k: 'screen.satisfaction', v: pct(x.satisfaction_rate) },
      ];
    });
    const stageStyle = computed(() => ({ transform: `scale(${scale.value})` }));
    const clockText = computed(() => formatTime(now.value.getTime()).slice(0, 16) + ':' + String(now.value.getSeconds()).padStart(2, '0'));
    const feedAction = (a) => (has('screen.actions.' + a) ? t('screen.actions.' + a) : actionName(a));
    // "14:05" today, "11-20" before.
    const feedTime = (at) => {
      const s = formatTime(at);
      return s.slice(0, 10) === formatTime(now.value.getTime()).slice(0, 10) ? s.slice(11, 16) : s.slice(5, 10);
    };
    function fullscreen() {
      const el = document.documentElement;
      if (document.fullscreenElement) document.exitFullscreen();
      else if (el.requestFullscreen) el.requestFullscreen().catch(() => {});
    }
    return {
      d, honours, opts, kpis, stageStyle, clockText, updated, failedAt, unavailable, communities, config, refreshS,
      stateName, feedAction, feedTime, formatTime, fullscreen, pct,
    };
  },
  template: `
  <div class="screen" data-testid="screen">
    <div class="screen-stage" :style="stageStyle">
      <header class="screen-head">
        <nav class="screen-tools">
          <a href="#/dashboard" class="screen-btn" data-testid="screen-exit">{{ t('screen.exit') }}</a>
          <button type="button" class="screen-btn" @click="fullscreen">{{ t('screen.fullscreen') }}</button>
        </nav>
        <h1 tabindex="-1">{{ t('screen.title') }}</h1>
        <div class="screen-clock">
          <div class="screen-time" data-testid="screen-clock">{{ clockText }}</div>
          <div class="screen-sub" data-testid="screen-updated" :data-updated="updated ? updated.getTime() : ''">
            <template v-if="failedAt">{{ t('screen.stale', { time: formatTime(updated ? updated.getTime() : failedAt.getTime()) }) }}</template>
            <template v-else-if="updated">{{ t('screen.updated', { time: formatTime(updated.getTime()) }) }} · {{ t('screen.refreshIn', { n: refreshS }) }}</template>
          </div>
        </div>
      </header>
      <p v-if="unavailable" class="screen-note" data-testid="screen-unavailable">{{ t('screen.unavailable') }}</p>
      <p v-if="honours" class="screen-note" style="white-space: nowrap; overflow: hidden; text-overflow: ellipsis" data-testid="screen-honours">{{ t('honours.screen') }} · {{ honours }}</p>
      <ul class="screen-kpis">
        <li v-for="x in kpis" :key="x.k" :class="{ bad: x.bad }"><span class="v">{{ x.v }}</span><span class="k">{{ t(x.k) }}</span></li>
      </ul>
      <div class="screen-grid">
        <section class="panel p-trend"><h2>{{ t('screen.trend') }}</h2><e-chart theme="dark" :option="opts.trend" :label="t('screen.trend')" testid="screen-chart-trend"></e-chart></section>
        <section class="panel p-ontime"><h2>{{ t('screen.onTimeTrend') }}</h2><e-chart theme="dark" :option="opts.onTime" :label="t('screen.onTimeTrend')" testid="screen-chart-ontime"></e-chart></section>
        <section class="panel p-map"><h2>{{ t('screen.map') }}</h2>
          <map-view :points="d.points" :communities="communities" :tile-url="config.tile_url || ''" :attribution="config.attribution || ''"
                    dark :linkable="false" testid="screen-map"></map-view>
        </section>
        <section class="panel p-rank"><h2>{{ t('screen.red') }} · {{ t('screen.black') }}</h2>
          <div class="screen-redblack">
            <ol class="red" data-testid="screen-red"><li v-for="r in d.red" :key="r.org && r.org.id"><span>{{ r.org && r.org.name }}</span><b>{{ r.score == null ? '' : Number(r.score).toFixed(1) }}</b></li></ol>
            <ol class="black" data-testid="screen-black"><li v-for="r in d.black" :key="r.org && r.org.id"><span>{{ r.org && r.org.name }}</span><b>{{ r.score == null ? '' : Number(r.score).toFixed(1) }}</b></li></ol>
          </div>
        </section>
        <section class="panel p-feed"><h2>{{ t('screen.feed') }}</h2>
          <ul class="screen-feed" data-testid="screen-feed" aria-live="off">
            <li v-for="e in d.feed" :key="e.id">
              <time>{{ feedTime(e.at) }}</time><span class="code">{{ e.code }}</span><span class="cat">{{ e.category_name }}</span>
              <span class="comm">{{ e.community }}</span><span class="st" :class="'st-' + e.state" :title="stateName(e.state)">{{ feedAction(e.action) }}</span>
            </li>
            <li v-if="!d.feed.length" class="empty">{{ t('screen.feedEmpty') }}</li>
          </ul>
        </section>
        <section class="panel p-category"><h2>{{ t('screen.byCategory') }}</h2><e-chart theme="dark" :option="opts.category" :label="t('screen.byCategory')" testid="screen-chart-category"></e-chart></section>
        <section class="panel p-community"><h2>{{ t('screen.byCommunity') }}</h2><e-chart theme="dark" :option="opts.community" :label="t('screen.byCommunity')" testid="screen-chart-community"></e-chart></section>
      </div>
    </div>
  </div>`,
};
