// #/rounds/:id — a round: pairs with progress (a pair the account inspects
// for links to the inspected community's sites, opened through the pair), the ranking of the
// inspected communities, the xlsx report, closing the round.
import { ref, computed, inject, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { can } from '../session.js';
import { scoreText, scoreClass, kindName } from '../site-format.js';

export const RankTable = {
  name: 'RankTable',
  props: { rows: { type: Array, required: true }, testid: { type: String, default: 'rank-table' } },
  setup() { return { scoreText, scoreClass }; },
  template: `
    <div class="table-wrap">
      <table class="list rank-table" :data-testid="testid">
        <thead><tr><th>{{ t('rounds.rank') }}</th><th>{{ t('rounds.org') }}</th><th>{{ t('rounds.scoreRate') }}</th><th>{{ t('rounds.inspections') }}</th><th>{{ t('rounds.problems') }}</th><th>{{ t('rounds.rectified') }}</th><th>{{ t('rounds.rectRate') }}</th></tr></thead>
        <tbody>
          <tr v-for="r in rows" :key="r.org_id">
            <td :data-label="t('rounds.rank')">{{ r.rank }}</td><td class="primary" :data-label="t('rounds.org')">{{ r.org_name }}</td>
            <td :data-label="t('rounds.scoreRate')"><span class="score" :class="scoreClass(r.score_rate)">{{ scoreText(r.score_rate) }}</span></td>
            <td :data-label="t('rounds.inspections')">{{ r.inspections }}</td><td :data-label="t('rounds.problems')">{{ r.problems }}</td><td :data-label="t('rounds.rectified')">{{ r.rectified }}</td>
            <td :data-label="t('rounds.rectRate')">{{ r.rectification_rate == null ? '—' : r.rectification_rate + '%' }}</td>
          </tr>
        </tbody>
      </table>
    </div>`,
};

export default {
  name: 'RoundPage',
  components: { RankTable },
  setup() {
    const route = inject('route');
    const id = computed(() => Number(route.value.path.split('/')[2]));
    const round = ref(null);
    const error = ref(null);
    const sites = ref({});	// pair id → sites of the inspected org (when opened)
    async function load() {
      try { round.value = await api.get('/rounds/' + enc(id.value)); } catch (e) { error.value = e; }
    }
    onMounted(load);
    async function setState(state) {
      try { round.value = await api.patch('/rounds/' + enc(id.value), { state }); } catch (e) { error.value = e; }
    }
    async function openPair(p) {
      try {
        // pair_id: an inspecting 居委 sees the inspected community's sites for this pair only.
        const r = await api.get('/sites', { org_id: p.inspected_org_id, pair_id: p.id, limit: 100 });
        sites.value = { ...sites.value, [p.id]: r.items };
      } catch (e) { error.value = e; }
    }
    return { round, error, sites, can, setState, openPair, kindName, scoreText, scoreClass };
  },
  template: `
  <section class="page">
    <p><a class="back-link" href="#/rounds">← {{ t('rounds.title') }}</a></p>
    <error-box :error="error"></error-box>
    <template v-if="round">
      <h1 class="page-title" tabindex="-1">{{ round.name }}</h1>
      <p class="muted">{{ t('rounds.' + round.mode) }} · {{ kindName(round.kind) }} · <span class="badge" :class="round.state === 'open' ? 'badge-on' : 'badge-off'">{{ t('rounds.' + round.state) }}</span>
        <template v-if="round.starts_on"> · {{ round.starts_on }}<template v-if="round.ends_on"> – {{ round.ends_on }}</template></template></p>
      <div class="toolbar">
        <a class="btn btn-secondary" :href="'/api/v1/rounds/' + round.id + '/xlsx'" download>{{ t('rounds.xlsx') }}</a>
        <button v-if="can('rounds.write')" type="button" class="btn btn-secondary" @click="setState(round.state === 'open' ? 'closed' : 'open')">{{ round.state === 'open' ? t('rounds.close') : t('rounds.reopen') }}</button>
      </div>
      <h2>{{ t('rounds.ranking') }}</h2>
      <rank-table :rows="round.ranking" testid="round-ranking"></rank-table>
      <h2>{{ t('rounds.pairs') }}</h2>
      <div class="table-wrap">
        <table class="list pair-table" data-testid="round-pairs">
          <thead><tr><th>#</th><th>{{ t('rounds.inspector') }}</th><th>{{ t('rounds.inspected') }}</th><th>{{ t('rounds.done') }}</th><th>{{ t('rounds.scoreRate') }}</th><th>{{ t('rounds.problems') }}</th><th>{{ t('rounds.rectified') }}</th></tr></thead>
          <tbody>
            <tr v-for="p in round.pairs" :key="p.id">
              <td data-label="#">{{ p.seq }}</td><td :data-label="t('rounds.inspector')">{{ p.inspector_name }}</td>
              <td :data-label="t('rounds.inspected')"><div>{{ p.inspected_name }}
                <div v-if="round.state === 'open' && p.can_inspect && can('inspections.write')">
                  <button v-if="!sites[p.id]" type="button" class="btn btn-small btn-ghost" :data-testid="'pair-inspect-' + p.id" @click="openPair(p)">{{ t('rounds.inspectPair') }}</button>
                  <p v-else-if="!sites[p.id].length" class="muted" data-testid="pair-no-sites">{{ t('rounds.noSites') }}</p>
                  <ul v-else :data-testid="'pair-sites-' + p.id"><li v-for="s in sites[p.id]" :key="s.id"><a :href="'#/inspect/' + s.id + '?kind=' + round.kind + '&pair=' + p.id" :data-testid="'pair-site-' + s.id">{{ s.name }}</a></li></ul>
                </div></div>
              </td>
              <td :data-label="t('rounds.done')">{{ p.done }} / {{ p.site_count }}</td>
              <td :data-label="t('rounds.scoreRate')"><span class="score" :class="scoreClass(p.score_rate)">{{ scoreText(p.score_rate) }}</span></td>
              <td :data-label="t('rounds.problems')">{{ p.problems }}</td><td :data-label="t('rounds.rectified')">{{ p.rectified }}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </template>
  </section>`,
};
