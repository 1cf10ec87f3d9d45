// #/map — the problems the account may see, on a map (GET /api/v1/problems/map):
// open ones by default, filtered by category and community, coloured by state
// with overdue ones in red; a click opens a small card linking to the problem.
// When the server says the answer was truncated, moving the map asks again for
// the visible box only. The same points as a text list (folded) below the map,
// for the keyboard and screen readers.
import { ref, reactive, computed, onMounted } from '/assets/vue.esm-browser.prod.js';
import { locale } from '../i18n.js';
import { categoryTree, categoryLabel, stateName } from '../problem-format.js';
import { loadCategories, loadCommunities } from '../problem-data.js';
import { loadMapPoints, loadMapConfig } from '../kpi-data.js';
import { MapView, MARKER_COLOURS } from '../map-view.js';
import { dashboardCss } from '../stylesheet.js';

dashboardCss();

const LIMIT = 2000;
const LIST_MAX = 200;	// the text list under the map (keyboard and screen readers)

export default {
  name: 'MapPage',
  components: { MapView },
  setup() {
    const filters = reactive({ state: 'open', category: '', org: '' });
    const points = ref([]);
    const truncated = ref(false);
    const communities = ref([]);
    const cats = ref([]);
    const config = ref({ tile_url: null, attribution: null });
    const error = ref(null);
    const loading = ref(false);
    const loaded = ref(false);
    const listOpen = ref(false);
    // Filters start folded on phones, so the map is on the first screen.
    const wide = window.matchMedia('(min-width: 900px)').matches;
    let bbox = '';
    let seq = 0;

    async function fetchPoints() {
      const my = ++seq;
      loading.value = true;
      const q = { state: filters.state, category: filters.category, org_id: filters.org, limit: LIMIT };
      if (truncated.value && bbox) q.bbox = bbox;
      const r = await loadMapPoints(q);
      if (my !== seq) return;
      loading.value = false;
      error.value = r.error || null;
      loaded.value = true;
      if (r.data) {
        points.value = r.data.points || [];
        truncated.value = !!r.data.truncated;
      }
    }
    function onMoved(b) {
      bbox = b;
      if (truncated.value) fetchPoints();
    }
    function apply() {
      truncated.value = false;
      fetchPoints();
    }
    onMounted(async () => {
      fetchPoints();
      const cfg = await loadMapConfig();
      if (cfg.data) config.value = cfg.data;
      try {
        const [c, o] = await Promise.all([loadCategories(), loadCommunities()]);
        cats.value = categoryTree(c);
        communities.value = o;
      } catch (e) { error.value = e; }
    });
    const label = (c) => categoryLabel(c, locale.value);
    const legend = computed(() => [
      ['overdue', 'map.legendOverdue'], ['pending', 'map.legendPending'], ['working', 'map.legendWorking'],
      ['verify', 'map.legendVerify'], ['closed', 'map.legendClosed'],
    ].map(([k, key]) => ({ k, key, colour: MARKER_COLOURS[k] })));
    return { wide, listOpen, LIST_MAX, stateName, filters, loaded, points, truncated, communities, cats, config, error, loading, apply, onMoved, label, legend, LIMIT };
  },
  template: `
  <section class="page page-wide map-page">
    <h1 class="page-title" tabindex="-1">{{ t('map.title') }}</h1>
    <details class="filters" :open="wide" data-testid="map-filters">
    <summary>{{ t('queue.filters') }}</summary>
    <form class="toolbar" @submit.prevent="apply">
      <div class="field">
        <label for="map-state">{{ t('map.state') }}</label>
        <select id="map-state" v-model="filters.state" @change="apply" data-testid="map-state">
          <option value="open">{{ t('map.states.open') }}</option>
          <option value="all">{{ t('map.states.all') }}</option>
        </select>
      </div>
      <div class="field">
        <label for="map-cat">{{ t('map.category') }}</label>
        <select id="map-cat" v-model="filters.category" @change="apply" data-testid="map-category">
          <option value="">{{ t('map.all') }}</option>
          <optgroup v-for="c in cats" :key="c.code" :label="label(c)">
            <option :value="c.code">{{ label(c) }}（{{ t('map.all') }}）</option>
            <option v-for="s in c.children" :key="s.code" :value="s.code">{{ label(s) }}</option>
          </optgroup>
        </select>
      </div>
      <div class="field">
        <label for="map-org">{{ t('map.community') }}</label>
        <select id="map-org" v-model="filters.org" @change="apply" data-testid="map-org">
          <option value="">{{ t('map.all') }}</option>
          <option v-for="o in communities" :key="o.id" :value="String(o.id)">{{ o.name }}</option>
        </select>
      </div>
    </form>
    </details>
    <error-box :error="error"></error-box>
    <p class="map-status" role="status" data-testid="map-count">
      <span v-if="loading" class="spinner" aria-hidden="true"></span>
      {{ points.length ? t('map.count', { n: points.length }) : (loading ? t('map.loading') : t('map.noPoints')) }}
    </p>
    <p v-if="truncated" class="alert alert-info" data-testid="map-truncated">{{ t('map.truncated', { n: LIMIT }) }}</p>
    <map-view :points="points" :points-loaded="loaded" :communities="communities" :tile-url="config.tile_url || ''"
              :attribution="config.attribution || ''" @moved="onMoved"></map-view>
    <ul class="map-legend" :aria-label="t('map.legend')">
      <li v-for="l in legend" :key="l.k"><span class="dot" :style="{ background: l.colour }" aria-hidden="true"></span>{{ t(l.key) }}</li>
    </ul>
    <p v-if="!config.tile_url" class="muted small" data-testid="map-offline">{{ t('map.offline') }}</p>
    <details v-if="points.length" class="filters map-list" data-testid="map-list" @toggle="listOpen = $event.target.open">
      <summary>{{ t('map.list', { n: Math.min(points.length, LIST_MAX) }) }}</summary>
      <ul v-if="listOpen">
        <li v-for="p in points.slice(0, LIST_MAX)" :key="p.id">
          <a :href="'#/problems/' + p.id">{{ p.code }}</a> · {{ p.category_name }} · {{ stateName(p.state) }}<strong v-if="p.overdue" class="overdue"> · {{ t('map.overdue') }}</strong>
        </li>
      </ul>
    </details>
  </section>`,
};
