// #/chronic — 顽疾盯办: chronic spots of the account's area. Each card shows
// how often the problem came back, the watch (一日N查) with today's progress,
// missed checks, a one-tap 巡查打卡 and watch / unwatch (office and 居委).
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { usePagedList } from '../paged-list.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { formatTime } from '../format.js';
import { stateName, stateClass } from '../problem-format.js';
import { locate } from '../geo.js';
import { PhotoPicker, photoIds, photosBusy } from '../photo-picker.js';

export default {
  name: 'ChronicPage',
  components: { PhotoPicker },
  setup() {
    const filter = ref('');
    const notice = ref('');
    const settings = ref({ chronic_threshold: 3, chronic_window_days: 90 });
    const details = reactive({});
    const watchForm = reactive({ id: null, quota: 3, until: '' });
    // A check that found a problem: a note and/or photos, sent with ok:false.
    const problemForm = reactive({ id: null, note: '', photos: [] });
    const busy = ref(null);
    const { items, cursor, loading, error, fetchPage } = usePagedList('/chronic', () => ({ limit: 30, ...(filter.value ? { watched: filter.value } : {}) }));
    onMounted(async () => {
      fetchPage(true);
      try { settings.value = await api.get('/settings/revisits'); } catch (_) { /* defaults shown */ }
    });
    const replace = (s) => {
      const i = items.value.findIndex((x) => x.id === s.id);
      if (i >= 0) items.value.splice(i, 1, { ...items.value[i], ...s });
    };
    async function run(id, fn) {
      busy.value = id;
      error.value = null;
      notice.value = '';
      try { await fn(); } catch (e) { error.value = e; } finally { busy.value = null; }
    }
    function check(s, ok = true) {
      if (!ok && (!problemForm.note.trim() && !photoIds(problemForm.photos).length || photosBusy(problemForm.photos))) return;
      return run(s.id, async () => {
        const body = ok ? { ok } : { ok, note: problemForm.note.trim() || null, photos: photoIds(problemForm.photos) };
        try { const p = await locate(5000); body.location = { lat: p.lat, lng: p.lng }; } catch (_) { /* optional */ }
        const r = await api.post('/chronic/' + enc(s.id) + '/checks', body);
        replace(r.spot);
        if (r.spot.today) notice.value = t('chronic.checked', r.spot.today);
        if (!ok) Object.assign(problemForm, { id: null, note: '', photos: [] });
        if (details[s.id]) details[s.id] = await api.get('/chronic/' + enc(s.id));
      });
    }
    function startProblem(s) { Object.assign(problemForm, { id: problemForm.id === s.id ? null : s.id, note: '', photos: [] }); }
    function startWatch(s) { Object.assign(watchForm, { id: s.id, quota: (s.watch && s.watch.daily_quota) || 3, until: '' }); }
    function saveWatch(s) {
      return run(s.id, async () => {
        replace(await api.put('/chronic/' + enc(s.id) + '/watch', { daily_quota: Number(watchForm.quota), until: watchForm.until || null }));
        watchForm.id = null;
      });
    }
    function unwatch(s) { return run(s.id, async () => replace(await api.del('/chronic/' + enc(s.id) + '/watch'))); }
    async function toggle(s) {
      if (details[s.id]) { delete details[s.id]; return; }
      await run(s.id, async () => { details[s.id] = await api.get('/chronic/' + enc(s.id)); });
    }
    return {
      filter, items, cursor, loading, error, notice, settings, details, watchForm, problemForm, busy,
      fetchPage, check, startProblem, startWatch, saveWatch, unwatch, toggle, can, formatTime, stateName, stateClass,
    };
  },
  template: `
  <section class="page narrow chronic-page">
    <h1 tabindex="-1">{{ t('chronic.title') }}</h1>
    <p class="muted">{{ t('chronic.intro', { n: settings.chronic_threshold, days: settings.chronic_window_days }) }}</p>
    <div class="segmented" role="group" :aria-label="t('chronic.title')">
      <button v-for="f in [['', 'all'], ['true', 'watched'], ['false', 'notWatched']]" :key="f[1]" type="button" class="btn btn-small"
              :class="filter === f[0] ? 'btn-primary' : 'btn-secondary'" :aria-pressed="filter === f[0] ? 'true' : 'false'"
              :data-testid="'chronic-filter-' + f[1]" @click="filter = f[0]; fetchPage(true)">{{ t('chronic.' + f[1]) }}</button>
    </div>
    <status-msg :text="notice"></status-msg>
    <error-box :error="error"></error-box>
    <ul class="problem-list" data-testid="chronic-list">
      <li v-for="s in items" :key="s.id" class="problem-row card chronic-card" :data-testid="'chronic-row-' + s.id">
        <p class="problem-row-head">
          <strong>{{ s.category_name }}</strong>
          <span class="badge" :class="s.watch ? 'badge-overdue' : 'state-none'">{{ s.watch ? t('chronic.watched') : t('chronic.notWatched') }}</span>
        </p>
        <p class="problem-row-meta">{{ s.org_name }} · {{ t('chronic.count', { n: s.count }) }} · {{ t('chronic.problems', { n: s.problem_count }) }}</p>
        <p class="problem-row-meta">{{ t('chronic.flagged', { at: formatTime(s.flagged_at) }) }}</p>
        <p v-if="s.today" class="chronic-today" :data-testid="'chronic-today-' + s.id">
          <progress :max="s.today.quota" :value="Math.min(s.today.done, s.today.quota)" aria-hidden="true"></progress>
          <strong>{{ t('chronic.today', s.today) }}</strong>
        </p>
        <p v-if="s.missed_checks" class="text-overdue">{{ t('chronic.missed', { days: s.missed_days, n: s.missed_checks }) }}</p>
        <div class="action-buttons">
          <button v-if="can('revisits.do')" type="button" class="btn btn-primary btn-small" :disabled="busy === s.id"
                  :data-testid="'chronic-check-' + s.id" @click="check(s)">{{ t('chronic.check') }}<span v-if="s.today"> {{ s.today.done }}/{{ s.today.quota }}</span></button>
          <button v-if="can('revisits.do')" type="button" class="btn btn-secondary btn-small" :disabled="busy === s.id"
                  :aria-expanded="problemForm.id === s.id ? 'true' : 'false'" :data-testid="'chronic-problem-' + s.id" @click="startProblem(s)">{{ t('chronic.checkProblem') }}</button>
          <button v-if="can('chronic.watch') && !s.watch" type="button" class="btn btn-secondary btn-small" :data-testid="'chronic-watch-' + s.id" @click="startWatch(s)">{{ t('chronic.watch') }}</button>
          <button v-if="can('chronic.watch') && s.watch" type="button" class="btn btn-secondary btn-small" :data-testid="'chronic-unwatch-' + s.id" @click="unwatch(s)">{{ t('chronic.unwatch') }}</button>
          <button type="button" class="btn btn-ghost btn-small" :aria-expanded="details[s.id] ? 'true' : 'false'" @click="toggle(s)">{{ details[s.id] ? t('chronic.hide') : t('chronic.details') }}</button>
        </div>
        <form v-if="problemForm.id === s.id" class="watch-form" @submit.prevent="check(s, false)">
          <form-field :label="t('chronic.problemNote')" v-slot="f">
            <textarea :id="f.id" v-bind="f.aria" v-model="problemForm.note" rows="2" maxlength="1000" data-testid="chronic-problem-note"></textarea>
          </form-field>
          <photo-picker :items="problemForm.photos" :max="3"></photo-picker>
          <p class="hint">{{ t('chronic.reportHint') }} <a href="#/report">{{ t('chronic.reportLink') }}</a></p>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary btn-small" :disabled="busy === s.id" data-testid="chronic-problem-submit">{{ t('chronic.save') }}</button>
            <button type="button" class="btn btn-secondary btn-small" @click="problemForm.id = null">{{ t('common.cancel') }}</button>
          </div>
        </form>
        <form v-if="watchForm.id === s.id" class="watch-form" @submit.prevent="saveWatch(s)" :data-testid="'chronic-watch-form-' + s.id">
          <form-field :label="t('chronic.quota')" v-slot="f">
            <select :id="f.id" v-bind="f.aria" v-model="watchForm.quota" data-testid="chronic-quota"><option v-for="n in 10" :key="n" :value="n">{{ n }}</option></select>
          </form-field>
          <form-field :label="t('chronic.until')" v-slot="f">
            <input :id="f.id" v-bind="f.aria" type="date" v-model="watchForm.until">
          </form-field>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary btn-small" data-testid="chronic-watch-save">{{ t('chronic.save') }}</button>
            <button type="button" class="btn btn-secondary btn-small" @click="watchForm.id = null">{{ t('common.cancel') }}</button>
          </div>
        </form>
        <div v-if="details[s.id]" class="chronic-details">
          <ul class="plain-list">
            <li v-for="p in details[s.id].problems" :key="p.id"><a :href="'#/problems/' + p.id" class="mono">{{ p.code }}</a>
              <span :class="stateClass(p.state)">{{ stateName(p.state) }}</span> {{ formatTime(p.created_at) }}</li>
          </ul>
          <template v-if="details[s.id].days.length">
            <h3>{{ t('chronic.days') }}</h3>
            <ul class="plain-list">
              <li v-for="d in details[s.id].days.slice(0, 7)" :key="d.date" :class="{ 'text-overdue': d.missed }">{{ t('chronic.dayLine', d) }}</li>
            </ul>
          </template>
        </div>
      </li>
    </ul>
    <list-footer :loading="loading" :empty="!loading && !error && !items.length" :has-more="!!cursor"
                 :empty-text="t('chronic.empty')" @more="fetchPage(false)"></list-footer>
  </section>`,
};
