// #/inspect/:siteId[?kind=…&pair=…] — the phone checklist: one screen, big
// pass/fail (or A/B/C/C#) targets per item, N/A, the camera and a note for a
// failed item. Answers live in localStorage from the first tap (draft), so a
// reload or a dead battery loses nothing; submitting sends one POST with an
// Idempotency-Key kept in the draft, so when the connection fails the page
// retries (with backoff, and at once when the browser comes back online)
// without ever creating the inspection twice. Failed items become problems
// on the server, in the same transaction.
import { ref, reactive, computed, inject, watch, onMounted, onBeforeUnmount } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { session } from '../session.js';
import { t } from '../i18n.js';
import { PhotoPicker, photoIds, photosBusy } from '../photo-picker.js';
import { locate, geoAvailable } from '../geo.js';
import { KINDS, kindName, scoreText, scoreClass } from '../site-format.js';

const GRADES = { pass_fail: ['pass', 'fail', 'na'], abc: ['A', 'B', 'C', 'C#', 'na'] };
const FAILING = new Set(['fail', 'C', 'C#']);
const draftKey = (siteId) => `wenming.inspect.${siteId}`;
const newKey = () => `insp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

function readDraft(siteId) {
  try { return JSON.parse(localStorage.getItem(draftKey(siteId)) || 'null'); } catch (_) { return null; }
}

export default {
  name: 'InspectPage',
  components: { PhotoPicker },
  setup() {
    const route = inject('route');
    const siteId = Number(route.value.path.split('/')[2]);
    const site = ref(null);
    const checklist = ref(null);
    const loadError = ref(null);
    const draft = reactive({
      key: newKey(), checklist_id: 0, version: 0, kind: route.value.query.kind || 'self_check',
      pair: Number(route.value.query.pair) || 0, started_at: new Date().toISOString(), answers: {},
      inspectors: session.account ? session.account.display_name || '' : '', notes: '', notices: 0, confiscated: 0, location: null,
    });
    const pickers = reactive({});	// item id → PhotoPicker entries (this page load only)
    const error = ref(null);
    const hint = ref('');
    const submitting = ref(false);
    const offline = ref(0);	// seconds until the next retry, 0 = not waiting
    const done = ref(null);
    let timer = null, attempt = 0;

    async function load() {
      loadError.value = null;
      try {
        site.value = await api.get('/sites/' + enc(siteId), draft.pair ? { pair_id: draft.pair } : null);
        const saved = readDraft(siteId);
        if (saved && saved.checklist_id) Object.assign(draft, saved);
        checklist.value = await api.get(`/site-types/${enc(site.value.site_type_id)}/checklist`, saved && saved.version ? { version: saved.version } : null);
        draft.checklist_id = checklist.value.id;
        draft.version = checklist.value.version;
        for (const it of checklist.value.items) {
          if (!draft.answers[it.id]) draft.answers[it.id] = { result: '', note: '', photos: [] };
          pickers[it.id] = [];
        }
      } catch (e) { loadError.value = e; }
    }
    onMounted(() => { load(); window.addEventListener('online', retryNow); });
    onBeforeUnmount(() => { clearInterval(timer); window.removeEventListener('online', retryNow); });

    // Keep the draft (and uploaded photo ids) on the device at every change.
    function persist() {
      if (!draft.checklist_id || done.value) return;
      for (const [id, list] of Object.entries(pickers)) {
        const a = draft.answers[id];
        if (!a) continue;
        const ids = photoIds(list).filter((x) => !(a.photos || []).includes(x));
        if (ids.length) a.photos = [...(a.photos || []), ...ids];	// only on change: this runs from watchers
      }
      try { localStorage.setItem(draftKey(siteId), JSON.stringify(draft)); } catch (_) { /* storage full: keep going */ }
    }
    watch(draft, persist, { deep: true });
    watch(pickers, persist, { deep: true });

    const items = computed(() => (checklist.value ? checklist.value.items : []));
    const answered = computed(() => items.value.filter((i) => draft.answers[i.id] && draft.answers[i.id].result).length);
    const failing = (it) => FAILING.has((draft.answers[it.id] || {}).result);
    const photoCount = (it) => ((draft.answers[it.id] || {}).photos || []).length + photoIds(pickers[it.id] || []).filter((x) => !((draft.answers[it.id] || {}).photos || []).includes(x)).length;
    function choose(it, g) {
      const a = draft.answers[it.id];
      a.result = a.result === g ? '' : g;
      hint.value = '';
    }
    const gradeClass = (g) => 'g-' + (g === 'C#' ? 'Cs' : g);
    const gradeLabel = (g) => (g === 'pass' ? t('insp.pass') : g === 'fail' ? t('insp.fail') : g === 'na' ? t('insp.na') : g);

    async function useLocation() {
      try { const p = await locate(); draft.location = { lat: p.lat, lng: p.lng }; } catch (e) { error.value = e; }
    }

    function body() {
      persist();
      const results = items.value.map((it) => {
        const a = draft.answers[it.id];
        const r = { item_id: it.id, result: a.result };
        if (a.note && a.note.trim()) r.note = a.note.trim();
        if (FAILING.has(a.result) && a.photos && a.photos.length) r.photos = a.photos.slice(0, 9);
        return r;
      });
      const b = { site_id: siteId, kind: draft.kind, checklist_id: draft.checklist_id, started_at: draft.started_at, ended_at: new Date().toISOString(), results };
      const names = draft.inspectors.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
      if (names.length) b.inspectors = names.slice(0, 20);
      if (draft.notes.trim()) b.notes = draft.notes.trim();
      if (draft.pair) b.round_pair_id = draft.pair;
      if (draft.location) b.location = draft.location;
      if (draft.kind === 'joint_enforcement') { b.notices = Number(draft.notices) || 0; b.confiscated = Number(draft.confiscated) || 0; }
      return b;
    }

    async function send() {
      submitting.value = true;
      error.value = null;
      try {
        const n = await api.post('/inspections', body(), { headers: { 'Idempotency-Key': draft.key } });
        try { localStorage.removeItem(draftKey(siteId)); } catch (_) { /* ignore */ }
        clearInterval(timer);
        offline.value = 0;
        done.value = n;
        window.scrollTo(0, 0);
      } catch (e) {
        if (e.status === 0 || e.status >= 500 || e.status === 503) {
          // Weak connection: the draft is safe; try again with backoff.
          attempt++;
          let s = Math.min(60, 5 * 2 ** Math.min(attempt - 1, 4));
          offline.value = s;
          clearInterval(timer);
          timer = setInterval(() => { s--; offline.value = s; if (s <= 0) { clearInterval(timer); send(); } }, 1000);
        } else {
          error.value = e;
        }
      } finally { submitting.value = false; }
    }
    function retryNow() { if (offline.value) { clearInterval(timer); offline.value = 0; send(); } }

    function submit() {
      hint.value = '';
      const left = items.value.length - answered.value;
      if (left) { hint.value = t('insp.unanswered', { n: left }); return; }
      const need = items.value.find((it) => it.photo_required && failing(it) && !photoCount(it));
      if (need) { hint.value = t('insp.needPhoto', { n: need.seq }); return; }
      if (Object.values(pickers).some((l) => photosBusy(l))) { hint.value = t('insp.waitPhotos'); return; }
      attempt = 0;
      send();
    }
    function discard() {
      try { localStorage.removeItem(draftKey(siteId)); } catch (_) { /* ignore */ }
      window.location.hash = '#/sites/' + siteId;
    }
    const raised = computed(() => (done.value ? done.value.results.filter((r) => r.problem_id) : []));

    return {
      site, checklist, loadError, draft, pickers, error, hint, submitting, offline, done, items, answered, raised,
      GRADES, KINDS, kindName, scoreText, scoreClass, geoAvailable, failing, choose, gradeClass, gradeLabel,
      useLocation, submit, retryNow, discard, load,
    };
  },
  template: `
  <section class="page narrow inspect-page">
    <error-box :error="loadError"></error-box>
    <button v-if="loadError" type="button" class="btn btn-secondary" @click="load">{{ t('common.retry') }}</button>
    <div v-if="done" class="card success-card" data-testid="insp-done">
      <p class="success-icon" aria-hidden="true">✓</p>
      <h1 tabindex="-1">{{ t('insp.doneTitle') }}</h1>
      <p class="score" :class="scoreClass(done.score_rate)" data-testid="insp-score">{{ done.score_rate == null ? t('insp.noScore') : t('insp.doneScore', { rate: scoreText(done.score_rate) }) }}</p>
      <template v-if="raised.length">
        <p>{{ t('insp.raised', { n: raised.length }) }}</p>
        <ul class="raised-list" data-testid="insp-raised">
          <li v-for="r in raised" :key="r.item_id"><a :href="'#/problems/' + r.problem_id">{{ r.problem_code }}</a> {{ r.text }}</li>
        </ul>
      </template>
      <p v-else>{{ t('insp.noneRaised') }}</p>
      <p v-if="done.notices && done.notices.length">{{ done.notices.join('，') }}</p>
      <a class="btn btn-primary" :href="'#/sites/' + done.site_id">{{ t('insp.again') }}</a>
    </div>
    <template v-else-if="site && checklist">
      <h1 class="page-title" tabindex="-1">{{ t('insp.title', { name: site.name }) }}</h1>
      <p class="muted">{{ site.site_type_name }} · {{ site.org_name }}</p>
      <div class="card form-grid">
        <form-field :label="t('insp.kind')" v-slot="f">
          <select :id="f.id" v-model="draft.kind" data-testid="insp-kind">
            <option v-for="k in KINDS" :key="k" :value="k">{{ kindName(k) }}</option>
          </select>
        </form-field>
        <form-field :label="t('insp.inspectors')" v-slot="f"><input :id="f.id" v-model="draft.inspectors"></form-field>
        <template v-if="draft.kind === 'joint_enforcement'">
          <form-field :label="t('insp.notices')" v-slot="f"><input :id="f.id" type="number" min="0" max="100" v-model="draft.notices" class="num-input"></form-field>
          <form-field :label="t('insp.confiscated')" v-slot="f"><input :id="f.id" type="number" min="0" v-model="draft.confiscated" class="num-input"></form-field>
        </template>
        <button v-if="geoAvailable()" type="button" class="btn btn-secondary" @click="useLocation">{{ draft.location ? t('insp.located') + ' ✓' : t('insp.location') }}</button>
      </div>
      <p class="hint">{{ t('insp.draftSaved') }}</p>
      <div class="insp-progress" aria-live="polite">
        <progress :max="items.length" :value="answered"></progress>
        <span data-testid="insp-progress">{{ t('insp.progress', { done: answered, total: items.length }) }}</span>
      </div>
      <ol class="insp-items">
        <li v-for="it in items" :key="it.id" class="card insp-item" :data-testid="'insp-item-' + it.seq"
            :class="{ 'is-fail': failing(it), 'is-pass': draft.answers[it.id].result && !failing(it) && draft.answers[it.id].result !== 'na', 'is-na': draft.answers[it.id].result === 'na' }">
          <p class="insp-text" :id="'it-' + it.id"><span class="seq">{{ it.seq }}.</span>{{ it.text }}
            <span class="insp-tags">×{{ it.weight }}<template v-if="it.photo_required"> · {{ t('insp.photoTag') }}</template></span></p>
          <div class="grade-buttons" role="group" :aria-labelledby="'it-' + it.id">
            <button v-for="g in GRADES[it.grading]" :key="g" type="button" class="grade-btn" :class="gradeClass(g)"
                    :aria-pressed="draft.answers[it.id].result === g ? 'true' : 'false'"
                    :data-testid="'grade-' + it.seq + '-' + (g === 'C#' ? 'Cs' : g)" @click="choose(it, g)">{{ gradeLabel(g) }}</button>
          </div>
          <div v-if="failing(it)" class="insp-fail-extra">
            <p v-if="it.photo_required" class="hint">{{ t('insp.photoNeeded') }}</p>
            <photo-picker :items="pickers[it.id]" :testid="'insp-photo-' + it.seq" :label="t('insp.photoLabel')" :max="3"></photo-picker>
            <p v-if="draft.answers[it.id].photos.length && !pickers[it.id].length" class="photo-ok">✓ {{ t('report.uploaded') }} × {{ draft.answers[it.id].photos.length }}</p>
            <label class="field-label" :for="'note-' + it.id">{{ t('insp.note') }}</label>
            <textarea :id="'note-' + it.id" v-model="draft.answers[it.id].note" :data-testid="'insp-note-' + it.seq" maxlength="1000"></textarea>
          </div>
        </li>
      </ol>
      <div class="card">
        <label class="field-label" for="insp-notes">{{ t('insp.notes') }}</label>
        <textarea id="insp-notes" v-model="draft.notes" maxlength="2000"></textarea>
      </div>
      <p v-if="hint" class="alert alert-error" role="alert" data-testid="insp-hint">{{ hint }}</p>
      <error-box :error="error"></error-box>
      <button type="button" class="btn btn-ghost" @click="discard">{{ t('insp.discard') }}</button>
      <div class="submit-bar">
        <p v-if="offline" class="offline-note" role="status" data-testid="insp-offline">{{ t('insp.offline', { s: offline }) }}
          <button type="button" class="btn btn-small btn-secondary" @click="retryNow">{{ t('insp.retryNow') }}</button></p>
        <span class="muted">{{ answered }}/{{ items.length }}</span>
        <button type="button" class="btn btn-primary" :disabled="submitting" data-testid="insp-submit" @click="submit">{{ submitting ? t('insp.submitting') : t('insp.submit') }}</button>
      </div>
    </template>
  </section>`,
};
