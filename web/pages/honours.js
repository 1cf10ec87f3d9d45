// #/honours — the public honour roll (SPEC §9): the awarded names of every
// published scheme, by year, scheme and category; opens without signing in.
// Names and the community only: nothing personal (the API gives no more).
import { ref, computed, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api } from '../api.js';
import { t } from '../i18n.js';

export default {
  name: 'HonoursPage',
  setup() {
    const items = ref([]);
    const error = ref(null);
    const year = ref('');
    async function load() {
      error.value = null;
      try { items.value = (await api.get('/awards/roll', year.value ? { year: year.value } : {})).items; } catch (e) { error.value = e; }
    }
    onMounted(load);
    // year → scheme → category → names
    const groups = computed(() => {
      const out = [];
      for (const x of items.value) {
        let g = out.find((o) => o.scheme_id === x.scheme_id);
        if (!g) out.push(g = { scheme_id: x.scheme_id, year: x.year, name: x.scheme_name, cats: [] });
        let c = g.cats.find((o) => o.name === x.category_name);
        if (!c) g.cats.push(c = { name: x.category_name, people: [] });
        c.people.push(x);
      }
      return out;
    });
    const years = computed(() => [...new Set(items.value.map((x) => x.year))]);
    return { items, error, year, groups, years, load, t };
  },
  template: `
  <section class="page honours">
    <h1 class="page-title" tabindex="-1">{{ t('honours.title') }}</h1>
    <p class="muted">{{ t('honours.intro') }}</p>
    <error-box :error="error"></error-box>
    <p v-if="!items.length" class="muted" data-testid="honours-empty">{{ t('honours.none') }}</p>
    <article v-for="g in groups" :key="g.scheme_id" class="card" data-testid="honours-scheme">
      <h2>{{ g.name }}</h2>
      <section v-for="c in g.cats" :key="c.name">
        <h3>{{ c.name }}</h3>
        <ul class="honour-names">
          <li v-for="p in c.people" :key="p.id" data-testid="honours-name"><strong>{{ p.nominee_name }}</strong> <small class="muted">{{ p.org_name }}</small></li>
        </ul>
      </section>
    </article>
  </section>`,
};
