// #/revisits — 回头看: the revisit tasks of the account's area, soonest due
// first (pending / overdue / all), each with a do-revisit form: pass or
// fail (a fail needs a camera photo and reopens the problem as a relapse).
// #/revisits?problem=ID shows one problem's revisits.
import { ref, reactive, computed, inject, watch, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { usePagedList } from '../paged-list.js';
import { t } from '../i18n.js';
import { formatTime } from '../format.js';
import { PhotoPicker, photoIds, photosBusy } from '../photo-picker.js';
import { locate } from '../geo.js';

// A revisit is due by the end of its China-time day: the date of due_at
// (RFC 3339 with +08:00) is that day, whatever the browser's time zone.
export const dueDate = (v) => String(v.due_at || '').slice(0, 10);

const FILTERS = {
  pending: { state: 'pending' },
  overdue: { overdue: 'true' },
  all: {},
};

const RevisitForm = {
  name: 'RevisitForm',
  components: { PhotoPicker },
  props: { item: { type: Object, required: true } },
  emits: ['done', 'cancel'],
  setup(props, { emit }) {
    const form = reactive({ result: 'pass', note: '' });
    const photos = reactive([]);
    const fe = reactive({});
    const error = ref(null);
    const busy = ref(false);
    const where = ref(null);
    watch(() => photos.length, () => { delete fe.photos; });
    onMounted(async () => { try { where.value = await locate(8000); } catch (_) { /* optional */ } });
    async function submit() {
      for (const k of Object.keys(fe)) delete fe[k];
      error.value = null;
      if (photosBusy(photos)) return;
      if (form.result === 'fail' && !photoIds(photos).length) { fe.photos = t('revisits.failHint'); return; }
      busy.value = true;
      try {
        const body = { result: form.result, note: form.note || null, photos: photoIds(photos) };
        if (where.value) body.location = { lat: where.value.lat, lng: where.value.lng };
        const r = await api.post('/revisits/' + enc(props.item.id), body);
        emit('done', r);
      } catch (e) {
        for (const f of (e.fields || [])) fe[f.field] = f.message;
        if (!e.fields || !e.fields.length) error.value = e;
      } finally { busy.value = false; }
    }
    return { form, photos, fe, error, busy, submit };
  },
  template: `
    <form class="card action-form revisit-form" novalidate @submit.prevent="submit" data-testid="revisit-form">
      <fieldset class="field">
        <legend class="field-label">{{ t('revisits.result') }}</legend>
        <label class="check"><input type="radio" value="pass" v-model="form.result" data-testid="revisit-pass"> {{ t('revisits.pass') }}</label>
        <label class="check"><input type="radio" value="fail" v-model="form.result" data-testid="revisit-fail"> {{ t('revisits.fail') }}</label>
        <p v-if="form.result === 'fail'" class="hint">{{ t('revisits.failHint') }}</p>
      </fieldset>
      <photo-picker :items="photos" testid="revisit-photo" :label="t('revisits.photo')" :error="fe.photos"></photo-picker>
      <form-field :label="t('revisits.note')" :error="fe.note" optional v-slot="f">
        <textarea :id="f.id" v-bind="f.aria" v-model="form.note" rows="2" maxlength="1000" data-testid="revisit-note"></textarea>
      </form-field>
      <error-box :error="error"></error-box>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" :disabled="busy" data-testid="revisit-submit">{{ busy ? t('revisits.submitting') : t('revisits.submit') }}</button>
        <button type="button" class="btn btn-secondary" @click="$emit('cancel')">{{ t('common.cancel') }}</button>
      </div>
    </form>`,
};

export default {
  name: 'RevisitsPage',
  components: { RevisitForm },
  setup() {
    const route = inject('route');
    const filter = ref('pending');
    const open = ref(null);
    const notice = ref('');
    const problem = computed(() => route.value.query.problem || null);
    const { items, cursor, loading, error, fetchPage } = usePagedList('/revisits', () => ({ ...FILTERS[filter.value], limit: 30, ...(problem.value ? { problem_id: problem.value } : {}) }));
    watch([filter, problem], () => { open.value = null; fetchPage(true); });
    onMounted(() => fetchPage(true));
    function done(r) {
      open.value = null;
      notice.value = r.state === 'failed' ? t('revisits.failed') : t('revisits.passed');
      const i = items.value.findIndex((x) => x.id === r.id);
      if (i >= 0) items.value.splice(i, 1, r);
    }
    const stateText = (s) => t('revisits.states.' + s);
    return { filter, items, cursor, loading, error, open, notice, problem, fetchPage, done, stateText, dueDate, formatTime };
  },
  template: `
  <section class="page narrow revisits-page">
    <h1 tabindex="-1">{{ t('revisits.title') }}</h1>
    <p class="muted">{{ t('revisits.intro') }}</p>
    <div class="segmented" role="group" :aria-label="t('revisits.title')">
      <button v-for="f in ['pending', 'overdue', 'all']" :key="f" type="button" class="btn btn-small"
              :class="filter === f ? 'btn-primary' : 'btn-secondary'" :aria-pressed="filter === f ? 'true' : 'false'"
              :data-testid="'revisits-filter-' + f" @click="filter = f">{{ t('revisits.' + f) }}</button>
    </div>
    <status-msg :text="notice"></status-msg>
    <error-box :error="error"></error-box>
    <ul class="problem-list" data-testid="revisits-list">
      <li v-for="v in items" :key="v.id" class="problem-row" :class="{ overdue: v.overdue }" :data-testid="'revisit-row-' + v.id">
        <div class="problem-link">
          <span class="problem-row-head">
            <a class="mono problem-code" :href="'#/problems/' + v.problem_id">{{ v.problem_code }}</a>
            <span class="badge" :class="'revisit-' + v.state">{{ stateText(v.state) }}</span>
            <span v-if="v.overdue" class="badge badge-overdue">{{ t('revisits.overdue') }}</span>
          </span>
          <span class="problem-row-title">{{ v.category_name }} · {{ t('revisits.offset', { n: v.offset_days }) }}</span>
          <span class="problem-row-desc">{{ v.description }}</span>
          <span class="problem-row-meta">{{ v.org_name }}<span v-if="v.address"> · {{ v.address }}</span></span>
          <span class="problem-row-meta" :class="{ 'text-overdue': v.overdue }">{{ t('revisits.due', { date: dueDate(v) }) }}</span>
          <span v-if="v.done_by_name" class="problem-row-meta">{{ t('revisits.by', { name: v.done_by_name }) }} · {{ formatTime(v.done_at) }}</span>
          <span v-if="v.note && v.state !== 'pending'" class="problem-row-meta">{{ v.note }}</span>
        </div>
        <button v-if="v.state === 'pending' && open !== v.id" type="button" class="btn btn-primary btn-small"
                :data-testid="'revisit-do-' + v.id" @click="open = v.id">{{ t('revisits.doIt') }}</button>
        <revisit-form v-if="open === v.id" :item="v" @done="done" @cancel="open = null"></revisit-form>
      </li>
    </ul>
    <list-footer :loading="loading" :empty="!loading && !error && !items.length" :has-more="!!cursor"
                 :empty-text="t('revisits.empty')" @more="fetchPage(false)"></list-footer>
  </section>`,
};
