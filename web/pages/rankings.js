// #/rankings — communities ranked by score rate across all inspections
// (self-checks, supervision, rounds…), with problems found and rectified.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api } from '../api.js';
import { RankTable } from './round.js';

export default {
  name: 'RankingsPage',
  components: { RankTable },
  setup() {
    const rows = ref([]);
    const error = ref(null);
    const f = reactive({ from: '', to: '' });
    async function load() {
      error.value = null;
      try { rows.value = ((await api.get('/inspections/rankings', { from: f.from, to: f.to })) || {}).items || []; } catch (e) { error.value = e; }
    }
    onMounted(load);
    return { rows, error, f, load };
  },
  template: `
  <section class="page">
    <h1 class="page-title" tabindex="-1">{{ t('rankings.title') }}</h1>
    <p class="muted">{{ t('rankings.intro') }}</p>
    <form class="filters card" @submit.prevent="load">
      <form-field :label="t('rankings.from')" v-slot="x"><input :id="x.id" type="date" v-model="f.from"></form-field>
      <form-field :label="t('rankings.to')" v-slot="x"><input :id="x.id" type="date" v-model="f.to"></form-field>
      <div class="form-actions"><button type="submit" class="btn btn-secondary">{{ t('rankings.apply') }}</button></div>
    </form>
    <error-box :error="error"></error-box>
    <p v-if="!rows.length" class="empty">{{ t('rankings.none') }}</p>
    <rank-table v-else :rows="rows" testid="rankings-table"></rank-table>
  </section>`,
};
