// #/buildings — building reps (楼组长). A rep (one building in scope) sees
// "my building" at once: its reps, notices, 接龙 and problems, phone first.
// The 居委 and the office see a compound's buildings with their rep counts,
// buildings without a rep flagged (a desktop table, cards on a phone).
import { ref, computed, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, getAll } from '../api.js';
import { BuildingView } from './building.js';

export default {
  name: 'BuildingsPage',
  components: { BuildingView },
  setup() {
    const compounds = ref([]);
    const compound = ref('');
    const items = ref([]);
    const loaded = ref(false);
    const error = ref(null);
    const onlyUncovered = ref(false);
    async function load() {
      error.value = null;
      try {
        const q = { limit: 200 };
        if (compound.value) q.compound_id = compound.value;
        items.value = (await api.get('/buildings', q)).items;
        loaded.value = true;
      } catch (e) { error.value = e; }
    }
    onMounted(async () => {
      await load();
      if (items.value.length > 1) {
        try {
          compounds.value = await getAll('/orgs', { kind: 'compound' });
          const jx = compounds.value.find((c) => items.value.some((b) => b.compound_id === c.id));
          if (jx) { compound.value = jx.id; await load(); }
        } catch (e) { error.value = e; }
      }
    });
    const mine = computed(() => (loaded.value && items.value.length === 1 && !compound.value ? items.value[0].id : 0));
    const shown = computed(() => items.value.filter((b) => !onlyUncovered.value || !b.covered));
    const summary = computed(() => ({
      n: items.value.length, reps: items.value.reduce((s, b) => s + b.reps, 0), none: items.value.filter((b) => !b.covered).length,
    }));
    return { compounds, compound, items, error, mine, shown, summary, onlyUncovered, load };
  },
  template: `
  <section class="page">
    <building-view v-if="mine" :id="mine"></building-view>
    <template v-else>
      <h1 class="page-title" tabindex="-1">{{ t('bld.title') }}</h1>
      <p class="muted">{{ t('bld.intro') }}</p>
      <error-box :error="error"></error-box>
      <form class="filters card" @submit.prevent="load">
        <form-field :label="t('bld.compound')" v-slot="f">
          <select :id="f.id" v-model="compound" @change="load" data-testid="compound">
            <option value="">{{ t('bld.allCompounds') }}</option>
            <option v-for="c in compounds" :key="c.id" :value="c.id">{{ c.name }}</option>
          </select>
        </form-field>
        <label class="check"><input type="checkbox" v-model="onlyUncovered"> {{ t('bld.onlyUncovered') }}</label>
      </form>
      <p data-testid="coverage">{{ t('bld.summary', summary) }}</p>
      <div class="table-wrap">
        <table class="list" data-testid="building-table">
          <thead><tr><th>{{ t('bld.building') }}</th><th>{{ t('bld.compound') }}</th><th>{{ t('bld.repCount') }}</th><th>{{ t('bld.residents') }}</th></tr></thead>
          <tbody>
            <tr v-for="b in shown" :key="b.id">
              <td><a :href="'#/buildings/' + b.id">{{ b.name }}</a></td>
              <td>{{ b.compound_name }}</td>
              <td>{{ b.reps }} <span v-if="!b.covered" class="badge badge-danger">{{ t('bld.noRep') }}</span></td>
              <td>{{ b.residents }}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </template>
  </section>`,
};
