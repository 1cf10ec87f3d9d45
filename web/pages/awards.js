// #/awards — honours (SPEC §9, docs/PARTY.md "awards"). Three parts, shown by
// what the account may do: the office runs schemes (create, advance, panel,
// results and decisions — desktop); 居委 / units / secretaries nominate with
// the evidence drawn from the records and pre-filled (phone); a panel
// member scores each nomination or declares a conflict.
import { ref, reactive, computed, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { can } from '../session.js';
import { t } from '../i18n.js';

const STATES = ['draft', 'nominating', 'reviewing', 'decided', 'published'];
const today = (off = 0) => new Date(Date.now() + 8 * 3600e3 + off * 86400e3).toISOString().slice(0, 10);

export default {
  name: 'AwardsPage',
  setup() {
    const manage = computed(() => can('awards.manage'));
    const nominate = computed(() => can('awards.nominate'));
    const tab = ref(can('awards.nominate') && !can('awards.manage') ? 'nominate' : 'review');
    const schemes = ref([]);
    const error = ref(null);
    const notice = ref('');
    const fe = reactive({});
    const clear = (o) => { for (const k of Object.keys(o)) delete o[k]; };
    // Office: a new scheme with the street's usual categories.
    const form = reactive({ name: '', year: Number(today().slice(0, 4)), nominate_from: today(), nominate_to: today(30), review_from: today(31), review_to: today(60) });
    const results = ref(null);
    const panelLogins = ref('');
    // Nominating.
    const nom = reactive({ scheme_id: '', category_id: '', kind: 'person', q: '', found: [], nominee: null, evidence: null, cited: [], citation: '' });
    const mine = ref([]);
    // Reviewing.
    const review = ref([]);
    const reviewScheme = ref(null);
    const scores = reactive({});
    const open = computed(() => schemes.value.filter((s) => s.state === 'nominating'));
    const chosen = computed(() => schemes.value.find((s) => s.id === Number(nom.scheme_id)));
    async function load() {
      error.value = null;
      try {
        const list = (await api.get('/awards/schemes', { limit: 50 })).items;
        // The schemes open for nominations with their categories.
        schemes.value = await Promise.all(list.map((s) => (s.state === 'nominating' ? api.get('/awards/schemes/' + enc(s.id)).then((d) => ({ ...s, ...d })) : s)));
        if (nominate.value) mine.value = (await api.get('/awards/nominations', { limit: 100 })).items;
        const r = schemes.value.find((s) => s.state === 'reviewing');
        if (r) {
          reviewScheme.value = r;
          try { review.value = (await api.get('/awards/review', { scheme_id: r.id })).items; } catch (_) { review.value = []; }
        }
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    async function createScheme() {
      clear(fe);
      try {
        await api.post('/awards/schemes', { ...form, year: Number(form.year), categories: [
          { name: '金钥匙奖（单位）', kinds: ['unit'], quota: 3 }, { name: '金钥匙奖（个人）', kinds: ['person'], quota: 5 },
          { name: '福民奖', kinds: ['person', 'team'], quota: 3 }, { name: '最美战“疫”者', kinds: ['person'], quota: 3 }] });
        notice.value = t('awards.created');
        await load();
      } catch (e) { Object.assign(fe, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    async function advance(s) {
      const next = STATES[STATES.indexOf(s.state) + 1];
      try { await api.post('/awards/schemes/' + enc(s.id) + '/state', { state: next }); await load(); } catch (e) { error.value = e; }
    }
    async function setPanel(s) {
      error.value = null;
      try {
        const ids = [];
        for (const login of panelLogins.value.split(/[,，\s]+/).filter(Boolean)) {
          const a = (await api.get('/accounts', { q: login, limit: 5 })).items.find((x) => x.login === login);
          if (a) ids.push(a.id);
        }
        await api.put('/awards/schemes/' + enc(s.id) + '/panel', { account_ids: ids });
        notice.value = t('awards.panelSaved');
        await load();
      } catch (e) { error.value = e; }
    }
    async function showResults(s) {
      try { results.value = await api.get('/awards/schemes/' + enc(s.id) + '/results'); } catch (e) { error.value = e; }
    }
    async function decide(n, awarded) {
      const reason = window.prompt(t('awards.reasonPrompt'), awarded ? t('awards.reasonYes') : t('awards.reasonNo'));
      if (!reason) return;
      try { await api.post('/awards/nominations/' + enc(n.id) + '/decision', { awarded, reason }); await showResults(results.value); } catch (e) { error.value = e; }
    }
    async function find() {
      error.value = null;
      try {
        nom.found = nom.kind === 'person' ? (await api.get('/people', { q: nom.q.trim(), limit: 10 })).items
          : (await api.get('/orgs', { q: nom.q.trim(), kind: nom.kind, limit: 10 })).items;
      } catch (e) { error.value = e; }
    }
    async function choose(x) {
      nom.nominee = x;
      nom.found = [];
      try {
        nom.evidence = await api.get('/awards/evidence', { kind: nom.kind, id: x.id, year: chosen.value ? chosen.value.year : undefined });
        nom.cited = nom.evidence.items.filter((i) => typeof i.value === 'object' || Number(i.value) > 0).map((i) => i.key);
      } catch (e) { error.value = e; }
    }
    async function submit() {
      clear(fe);
      try {
        await api.post('/awards/nominations', { scheme_id: Number(nom.scheme_id), category_id: Number(nom.category_id), nominee_kind: nom.kind,
          nominee_id: nom.nominee ? nom.nominee.id : 0, citation: nom.citation.trim(), cited: nom.cited });
        notice.value = t('awards.nominated', { name: nom.nominee.name });
        Object.assign(nom, { nominee: null, evidence: null, cited: [], citation: '', q: '' });
        await load();
      } catch (e) { Object.assign(fe, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    async function vote(n) {
      try { await api.post('/awards/nominations/' + enc(n.id) + '/vote', { score: Number(scores[n.id] || n.my_score) }); notice.value = t('awards.scored'); await load(); } catch (e) { error.value = e; }
    }
    async function conflict(n) {
      const reason = window.prompt(t('awards.conflictPrompt'));
      if (!reason) return;
      try { await api.post('/awards/nominations/' + enc(n.id) + '/conflict', { reason }); await load(); } catch (e) { error.value = e; }
    }
    const value = (i) => (typeof i.value === 'object' ? `${i.value.met} / ${i.value.total}` : Number.isInteger(i.value) ? i.value : Number(i.value).toFixed(1));
    const cert = (n) => '/api/v1/awards/nominations/' + enc(n.id) + '/certificate.pdf';
    return { manage, nominate, tab, schemes, error, notice, fe, form, results, panelLogins, nom, mine, review, reviewScheme, scores, open, chosen, t,
      createScheme, advance, setPanel, showResults, decide, find, choose, submit, vote, conflict, value, cert, STATES };
  },
  template: `
  <section class="page awards">
    <h1 class="page-title" tabindex="-1">{{ t('awards.title') }}</h1>
    <error-box :error="error" :known="['name', 'year', 'nominate_from', 'nominate_to', 'review_from', 'review_to', 'citation', 'nominee_id', 'category_id']"></error-box>
    <status-msg :text="notice"></status-msg>
    <div class="tabs" role="tablist">
      <button v-if="nominate" type="button" role="tab" class="btn btn-secondary" :aria-selected="tab === 'nominate'" @click="tab = 'nominate'" data-testid="awards-tab-nominate">{{ t('awards.tab.nominate') }}</button>
      <button type="button" role="tab" class="btn btn-secondary" :aria-selected="tab === 'review'" @click="tab = 'review'" data-testid="awards-tab-review">{{ t('awards.tab.review') }}</button>
      <button v-if="manage" type="button" role="tab" class="btn btn-secondary" :aria-selected="tab === 'schemes'" @click="tab = 'schemes'" data-testid="awards-tab-schemes">{{ t('awards.tab.schemes') }}</button>
    </div>

    <div v-if="tab === 'nominate'" data-testid="awards-nominate">
      <form class="card" novalidate @submit.prevent="submit">
        <h2>{{ t('awards.newNomination') }}</h2>
        <p v-if="!open.length" class="muted">{{ t('awards.noneOpen') }}</p>
        <form-field :label="t('awards.scheme')" required v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="nom.scheme_id" data-testid="nom-scheme">
            <option v-for="s in open" :key="s.id" :value="s.id">{{ s.name }}</option>
          </select>
        </form-field>
        <form-field v-if="chosen" :label="t('awards.category')" :error="fe.category_id" required v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="nom.category_id" data-testid="nom-category">
            <option v-for="c in (chosen.categories || [])" :key="c.id" :value="c.id">{{ c.name }}</option>
          </select>
        </form-field>
        <fieldset class="field">
          <legend>{{ t('awards.kind') }}</legend>
          <label v-for="k in ['person', 'team', 'unit']" :key="k" class="check"><input type="radio" :value="k" v-model="nom.kind"> {{ t('awards.kinds.' + k) }}</label>
        </fieldset>
        <form-field :label="t('awards.findNominee')" :error="fe.nominee_id" v-slot="f">
          <div class="row-inline"><input :id="f.id" v-bind="f.aria" v-model="nom.q" data-testid="nom-q" @keydown.enter.prevent="find">
          <button type="button" class="btn btn-secondary" @click="find" data-testid="nom-find">{{ t('awards.find') }}</button></div>
        </form-field>
        <ul v-if="nom.found.length" class="plain-list">
          <li v-for="x in nom.found" :key="x.id"><button type="button" class="btn btn-secondary btn-small" @click="choose(x)" :data-testid="'nom-pick-' + x.id">{{ x.name }}</button></li>
        </ul>
        <div v-if="nom.evidence" class="card evidence" data-testid="nom-evidence">
          <h3>{{ t('awards.evidenceOf', { name: nom.evidence.name, year: nom.evidence.year }) }}</h3>
          <p class="muted">{{ t('awards.drawnOn', { d: nom.evidence.drawn_on }) }}</p>
          <label v-for="i in nom.evidence.items" :key="i.key" class="check">
            <input type="checkbox" :value="i.key" v-model="nom.cited"> {{ t('awards.ev.' + i.key) }}：<strong :data-testid="'ev-' + i.key">{{ value(i) }}</strong>
          </label>
        </div>
        <form-field :label="t('awards.citation')" :error="fe.citation" required :hint="t('awards.citationHint')" v-slot="f">
          <textarea :id="f.id" v-bind="f.aria" v-model="nom.citation" rows="4" maxlength="2000" data-testid="nom-citation"></textarea>
        </form-field>
        <div class="form-actions"><button type="submit" class="btn btn-primary" :disabled="!nom.evidence" data-testid="nom-submit">{{ t('awards.submit') }}</button></div>
      </form>
      <h2>{{ t('awards.myNominations') }}</h2>
      <ul class="plain-list" data-testid="nom-list">
        <li v-for="n in mine" :key="n.id" class="card"><strong>{{ n.nominee_name }}</strong> · {{ n.category_name }} · {{ n.scheme_name }}
          <span class="badge">{{ t('awards.nomState.' + n.state) }}</span></li>
      </ul>
    </div>

    <div v-if="tab === 'review'" data-testid="awards-review">
      <p v-if="!review.length" class="muted">{{ t('awards.notOnPanel') }}</p>
      <div v-for="n in review" :key="n.id" class="card" :data-testid="'review-' + n.id">
        <h3>{{ n.nominee_name }} <small class="muted">{{ n.category_name }} · {{ n.org_name }}</small></h3>
        <p>{{ n.citation }}</p>
        <ul class="evidence"><li v-for="i in n.evidence.items" :key="i.key" :class="{ cited: n.cited.includes(i.key) }">{{ t('awards.ev.' + i.key) }}：{{ value(i) }}</li></ul>
        <p class="muted">{{ t('awards.votes', { n: n.votes, mean: n.mean_score == null ? '—' : Number(n.mean_score).toFixed(1) }) }}</p>
        <p v-if="n.my_conflict" class="badge badge-danger">{{ t('awards.conflicted', { r: n.my_conflict }) }}</p>
        <div v-else class="row-inline">
          <label>{{ t('awards.score') }} <select v-model="scores[n.id]" :data-testid="'score-' + n.id"><option v-for="s in 10" :key="s" :value="s">{{ s }}</option></select></label>
          <button type="button" class="btn btn-primary btn-small" @click="vote(n)" :data-testid="'vote-' + n.id">{{ n.my_score ? t('awards.rescore', { s: n.my_score }) : t('awards.doScore') }}</button>
          <button type="button" class="btn btn-secondary btn-small" @click="conflict(n)">{{ t('awards.declare') }}</button>
        </div>
      </div>
    </div>

    <div v-if="tab === 'schemes' && manage" data-testid="awards-schemes">
      <form class="card" novalidate @submit.prevent="createScheme">
        <h2>{{ t('awards.newScheme') }}</h2>
        <div class="form-grid">
          <form-field :label="t('awards.name')" :error="fe.name" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.name" maxlength="60"></form-field>
          <form-field :label="t('awards.year')" :error="fe.year" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.year" type="number"></form-field>
          <form-field v-for="k in ['nominate_from', 'nominate_to', 'review_from', 'review_to']" :key="k" :label="t('awards.' + k)" :error="fe[k]" required v-slot="f">
            <input :id="f.id" v-bind="f.aria" v-model="form[k]" type="date"></form-field>
        </div>
        <p class="muted">{{ t('awards.defaultCategories') }}</p>
        <div class="form-actions"><button type="submit" class="btn btn-primary">{{ t('awards.create') }}</button></div>
      </form>
      <div class="table-wrap">
        <table class="list">
          <thead><tr><th>{{ t('awards.name') }}</th><th>{{ t('awards.year') }}</th><th>{{ t('awards.state') }}</th><th>{{ t('awards.nominations') }}</th><th>{{ t('awards.actions') }}</th></tr></thead>
          <tbody>
            <tr v-for="s in schemes" :key="s.id">
              <td class="primary">{{ s.name }}</td><td>{{ s.year }}</td><td><span class="badge">{{ t('awards.states.' + s.state) }}</span></td><td>{{ s.nominations }}</td>
              <td class="actions">
                <button v-if="s.state !== 'published'" type="button" class="btn btn-secondary btn-small" @click="advance(s)">{{ t('awards.advanceTo', { s: t('awards.states.' + STATES[STATES.indexOf(s.state) + 1]) }) }}</button>
                <button type="button" class="btn btn-secondary btn-small" @click="showResults(s)" :data-testid="'results-' + s.id">{{ t('awards.results') }}</button>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <div v-if="results" class="card" data-testid="awards-results">
        <h2>{{ results.name }} · {{ t('awards.results') }}</h2>
        <p>{{ t('awards.panel') }}：{{ results.panel.map((p) => p.display_name).join('、') || '—' }}</p>
        <div class="row-inline"><input v-model="panelLogins" :placeholder="t('awards.panelHint')"><button type="button" class="btn btn-secondary btn-small" @click="setPanel(results)">{{ t('awards.setPanel') }}</button></div>
        <div class="table-wrap"><table class="list">
          <thead><tr><th>{{ t('awards.nominee') }}</th><th>{{ t('awards.category') }}</th><th>{{ t('awards.meanScore') }}</th><th>{{ t('awards.state') }}</th><th>{{ t('awards.actions') }}</th></tr></thead>
          <tbody><tr v-for="n in results.nominations" :key="n.id">
            <td class="primary">{{ n.nominee_name }} <small class="muted">{{ n.org_name }}</small></td><td>{{ n.category_name }}</td>
            <td>{{ n.mean_score == null ? '—' : Number(n.mean_score).toFixed(2) }} <small class="muted">({{ n.votes }}<span v-if="n.conflicts"> · {{ t('awards.conflictsN', { n: n.conflicts }) }}</span>)</small></td>
            <td><span class="badge">{{ t('awards.nomState.' + n.state) }}</span></td>
            <td class="actions">
              <button type="button" class="btn btn-primary btn-small" @click="decide(n, true)">{{ t('awards.award') }}</button>
              <button type="button" class="btn btn-secondary btn-small" @click="decide(n, false)">{{ t('awards.notAward') }}</button>
              <a v-if="n.state === 'awarded'" class="btn btn-secondary btn-small" :href="cert(n)">{{ t('awards.certificate') }}</a>
            </td>
          </tr></tbody>
        </table></div>
      </div>
    </div>
  </section>`,
};
