// <action-form :problem="p" action="dispatch" @done="…" @cancel="…">: the
// small form of one workflow action (POST /problems/{id}/actions). Fields by
// action: dispatch → handler + optional deadline; reasons where the API needs
// them; request_extension → new deadline + reason; rectify → after-photo,
// note, location; merge → find the problem to merge into.
import { ref, reactive, computed, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from './api.js';
import { t } from './i18n.js';
import { errorText } from './format.js';
import { actionName, NEEDS_REASON, chinaLocalToRfc3339, toChinaLocal, coord } from './problem-format.js';
import { loadCategories, loadUnits } from './problem-data.js';
import { PhotoPicker, photoIds, photosBusy } from './photo-picker.js';
import { locate } from './geo.js';

export const ActionForm = {
  name: 'ActionForm',
  components: { PhotoPicker },
  props: { problem: { type: Object, required: true }, action: { type: String, required: true } },
  emits: ['done', 'cancel', 'conflict'],
  setup(props, { emit }) {
    const a = props.action;
    const needsReason = NEEDS_REASON.includes(a);
    const form = reactive({ handler: '', deadline: '', reason: '', note: '', mergeQ: '', mergeInto: null });
    const photos = reactive([]);
    const fe = reactive({});
    const error = ref(null);
    const busy = ref(false);
    const units = ref([]);
    const lookupError = ref(null);
    const geo = reactive({ state: 'idle', lat: null, lng: null, msg: '' });
    const found = ref(null);
    const title = computed(() => actionName(a));

    async function findLocation() {
      geo.state = 'busy';
      try {
        const p = await locate();
        Object.assign(geo, { state: 'ok', lat: p.lat, lng: p.lng, msg: '' });
      } catch (e) { Object.assign(geo, { state: 'failed', msg: e.message }); }
    }
    onMounted(async () => {
      if (a === 'rectify') findLocation();
      if (a === 'request_extension' && props.problem.deadline) {
        const d = new Date(props.problem.deadline);
        form.deadline = toChinaLocal(d.getTime() + 24 * 3600 * 1000);
      }
      if (a !== 'dispatch') return;
      try {
        // Only handler units: they sign for (签收) and rectify what is dispatched.
        const [u, cats] = await Promise.all([loadUnits(), loadCategories()]);
        units.value = u;
        const cat = cats.find((x) => x.code === props.problem.category);
        const def = (cat && cat.default_handler_org_id) || props.problem.handler_org_id;
        if (def && !form.handler) form.handler = String(def);
      } catch (e) { lookupError.value = e; }
    });

    async function findMerge() {
      found.value = null;
      lookupError.value = null;
      try {
        const page = await api.get('/problems', { q: form.mergeQ.trim(), limit: 10 });
        found.value = ((page && page.items) || []).filter((x) => x.id !== props.problem.id && x.state !== 'merged');
      } catch (e) { lookupError.value = e; }
    }

    function check() {
      if (needsReason && !form.reason.trim()) fe.reason = t('act.reasonRequired');
      if (a === 'request_extension' && !form.deadline) fe.deadline = t('act.deadlineRequired');
      if (a === 'dispatch' && !form.handler) fe.handler_org_id = t('act.handlerRequired');
      if (a === 'merge' && !form.mergeInto) fe.merge_into = t('act.mergeRequired');
      if (a === 'rectify' && !photoIds(photos).length) fe.photos = t('act.photoRequired');
      // 销号 needs the place: the server checks the phone's GPS against the problem's point.
      if (a === 'rectify' && geo.state !== 'ok') fe.location = t('act.locationRequired');
      return !Object.keys(fe).length;
    }

    async function submit() {
      for (const k of Object.keys(fe)) delete fe[k];
      error.value = null;
      if (photosBusy(photos)) { fe.photos = t('report.waitUpload'); return; }
      if (!check()) return;
      const body = { action: a };
      if (needsReason) body.reason = form.reason.trim();
      if (form.note.trim()) body.note = form.note.trim();
      if (a === 'dispatch') {
        body.handler_org_id = Number(form.handler);
        if (form.deadline) body.deadline = chinaLocalToRfc3339(form.deadline);
      }
      if (a === 'request_extension') body.deadline = chinaLocalToRfc3339(form.deadline);
      if (a === 'merge') body.merge_into = form.mergeInto.id;
      if (a === 'rectify') {
        body.photos = photoIds(photos);
        if (geo.state === 'ok') body.location = { lat: geo.lat, lng: geo.lng };
      }
      busy.value = true;
      try {
        const r = await api.post('/problems/' + enc(props.problem.id) + '/actions', body);
        emit('done', r);
      } catch (e) {
        const m = e.fieldMap ? e.fieldMap() : {};
        for (const [k, v] of Object.entries(m)) fe[k.replace(/\[\d+\]$|\.\w+$/, '')] = v;
        error.value = e;
        if (e.status === 409) emit('conflict', e);
      } finally {
        busy.value = false;
      }
    }

    const illegalText = computed(() => {
      const e = error.value;
      if (!e || e.status !== 409 || e.code !== 'illegal_action') return '';
      const list = (e.details.allowed_actions || []).map(actionName);
      return list.length ? t('problem.illegal', { list: list.join('、') }) : t('problem.illegalNone');
    });

    return {
      a, needsReason, form, photos, fe, error, busy, units, lookupError, geo, found, title,
      illegalText, submit, findMerge, findLocation, coord, errorText,
      known: ['reason', 'note', 'handler_org_id', 'deadline', 'photos', 'merge_into', 'location'],
    };
  },
  template: `
    <form class="card action-form" novalidate @submit.prevent="submit" :data-testid="'action-form-' + a">
      <h2>{{ title }}</h2>
      <error-box :error="lookupError"></error-box>
      <template v-if="a === 'dispatch'">
        <form-field :label="t('act.handler')" :error="fe.handler_org_id" required v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="form.handler" data-testid="action-handler">
            <option value="">{{ t('act.chooseHandler') }}</option>
            <option v-for="o in units" :key="o.id" :value="String(o.id)">{{ o.name }}</option>
          </select>
        </form-field>
      </template>
      <form-field v-if="a === 'dispatch' || a === 'request_extension'" :label="a === 'dispatch' ? t('act.deadline') : t('act.newDeadline')"
                  :error="fe.deadline" :hint="a === 'dispatch' ? t('act.deadlineHint') : ''" :optional="a === 'dispatch'" :required="a !== 'dispatch'" v-slot="f">
        <input :id="f.id" v-bind="f.aria" v-model="form.deadline" type="datetime-local" data-testid="action-deadline">
      </form-field>
      <template v-if="a === 'merge'">
        <div class="field" :class="{ 'has-error': !!fe.merge_into }">
          <label for="merge-q">{{ t('act.mergeInto') }}</label>
          <div class="input-row">
            <input id="merge-q" v-model="form.mergeQ" type="search" :placeholder="t('act.mergeSearch')" data-testid="action-merge-q" @keydown.enter.prevent="findMerge">
            <button type="button" class="btn btn-secondary" @click="findMerge" data-testid="action-merge-find">{{ t('act.mergeFind') }}</button>
          </div>
          <p v-if="fe.merge_into" class="field-error">{{ fe.merge_into }}</p>
        </div>
        <p v-if="found && !found.length" class="empty">{{ t('act.mergeNone') }}</p>
        <ul v-if="found && found.length" class="pick-list">
          <li v-for="p in found" :key="p.id">
            <label class="check"><input type="radio" name="merge-into" :value="p" v-model="form.mergeInto">
              <span><span class="mono">{{ p.code }}</span> {{ p.category_name }} · {{ p.description }}</span></label>
          </li>
        </ul>
      </template>
      <template v-if="a === 'rectify'">
        <photo-picker :items="photos" testid="action-photo" :label="t('act.photo')" :error="fe.photos"></photo-picker>
        <div class="field" :class="{ 'has-error': !!fe.location }">
          <span class="field-label">{{ t('act.location') }} <span class="req" aria-hidden="true">*</span></span>
          <p class="hint">{{ t('act.locationHint') }}</p>
          <p role="status" class="geo-status">
            <span v-if="geo.state === 'busy'" class="hint">{{ t('report.locating') }}</span>
            <span v-else-if="geo.state === 'ok'" class="geo-ok">✓ {{ coord(geo.lat) }}, {{ coord(geo.lng) }}</span>
            <span v-else-if="geo.state === 'failed'" class="hint">{{ geo.msg }}</span>
          </p>
          <p v-if="fe.location" class="field-error" role="alert" data-testid="action-location-error">{{ fe.location }}</p>
          <button v-if="geo.state === 'failed' || fe.location" type="button" class="btn btn-secondary btn-small" @click="findLocation" data-testid="action-locate">{{ t('report.locate') }}</button>
        </div>
      </template>
      <form-field v-if="needsReason" :label="t('act.reason')" :error="fe.reason" required v-slot="f">
        <textarea :id="f.id" v-bind="f.aria" v-model="form.reason" rows="3" maxlength="1000" data-testid="action-reason"></textarea>
      </form-field>
      <form-field :label="t('act.note')" :error="fe.note" optional v-slot="f">
        <textarea :id="f.id" v-bind="f.aria" v-model="form.note" rows="2" maxlength="1000" data-testid="action-note"></textarea>
      </form-field>
      <p v-if="illegalText" class="alert alert-error" role="alert" data-testid="action-illegal">{{ illegalText }}</p>
      <error-box v-else :error="error" :known="known"></error-box>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" :disabled="busy" data-testid="action-submit">{{ busy ? t('act.submitting') : t('act.submit', { action: title }) }}</button>
        <button type="button" class="btn btn-secondary" @click="$emit('cancel')">{{ t('common.cancel') }}</button>
      </div>
    </form>`,
};
