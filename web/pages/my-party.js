// #/my-party — 双报到 on a phone (360 px first): my registration with the
// community where I live (unit, skills, wishes, time available), its state,
// my service card with its QR code once accepted, and my service this
// quarter, collected from the records (docs/PARTY.md "dual").
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { t } from '../i18n.js';
import { AVAIL } from './dual-common.js';

export default {
  name: 'MyPartyPage',
  setup() {
    const mine = ref(null);
    const units = ref([]);
    const error = ref(null);
    const notice = ref('');
    const form = reactive({ unit_id: '', skills: '', wishes: '', availability: [] });
    const errs = reactive({});
    const busy = ref(false);
    async function load() {
      error.value = null;
      try {
        const [m, u] = await Promise.all([api.get('/party/registrations/mine'), api.get('/orgs', { kind: 'unit', limit: 200 })]);
        mine.value = m;
        units.value = u.items;
      } catch (e) { error.value = e; }
    }
    async function submit() {
      for (const k of Object.keys(errs)) delete errs[k];
      error.value = null;
      notice.value = '';
      busy.value = true;
      try {
        const body = { availability: form.availability };
        if (form.unit_id) body.unit_id = Number(form.unit_id);
        if (form.skills.trim()) body.skills = form.skills.trim();
        if (form.wishes.trim()) body.wishes = form.wishes.trim();
        await api.post('/party/registrations', body);
        notice.value = t('dual.my.sent');
        await load();
      } catch (e) { Object.assign(errs, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
      busy.value = false;
    }
    const live = () => (mine.value ? mine.value.items.filter((g) => g.state !== 'declined') : []);
    onMounted(load);
    return { mine, units, error, notice, form, errs, busy, submit, live, t, enc, AVAIL };
  },
  template: `
  <section class="page dual-page">
    <h1 class="page-title" tabindex="-1">{{ t('dual.my.title') }}</h1>
    <p class="muted">{{ t('dual.my.intro') }}</p>
    <error-box :error="error"></error-box>
    <p v-if="notice" class="alert alert-ok" role="status" data-testid="dual-notice">{{ notice }}</p>
    <template v-if="mine">
      <div v-for="g in mine.items" :key="g.id" class="card" :data-testid="'dual-reg-' + g.id">
        <h2>{{ g.community_name }} · {{ g.unit_name }}</h2>
        <p><span class="badge" :class="g.state === 'accepted' ? 'badge-on' : g.state === 'declined' ? 'badge-danger' : ''" data-testid="dual-state">{{ t('dual.state.' + g.state) }}</span></p>
        <p v-if="g.decline_reason" class="muted">{{ t('dual.reason') }}：{{ g.decline_reason }}</p>
        <p v-if="g.skills" class="muted">{{ t('dual.skills') }}：{{ g.skills }}</p>
        <div v-if="g.card_no" class="dual-card" data-testid="dual-card">
          <strong>{{ t('dual.my.card') }}</strong>
          <div class="mono" data-testid="dual-card-no">{{ g.card_no }}</div>
          <img :src="'/api/v1/party/registrations/' + enc(g.id) + '/card.svg'" :alt="t('dual.my.qrAlt', { no: g.card_no })" width="160" height="160" style="max-width:100%">
        </div>
      </div>
      <div v-if="mine.items.some((g) => g.state === 'accepted')" class="card" data-testid="dual-service">
        <h2>{{ t('dual.my.service', { q: mine.period.quarter }) }}</h2>
        <ul class="grant-list">
          <li>{{ t('dual.col.records') }}：<strong>{{ mine.service.records }}</strong></li>
          <li>{{ t('dual.col.hours') }}：<strong data-testid="dual-hours">{{ mine.service.hours }}</strong></li>
          <li>{{ t('dual.col.shifts_attended') }}：{{ mine.service.shifts_attended }}</li>
          <li>{{ t('dual.col.activities_attended') }}：{{ mine.service.activities_attended }}</li>
          <li>{{ t('dual.col.problems_reported') }}：{{ mine.service.problems_reported }}（{{ t('dual.col.problems_closed') }} {{ mine.service.problems_closed }}）</li>
        </ul>
        <p class="hint">{{ t('dual.my.auto') }}</p>
      </div>
      <form v-if="!live().length" class="card" data-testid="dual-form" @submit.prevent="submit">
        <h2>{{ t('dual.my.form') }}</h2>
        <p v-if="!mine.has_person" class="alert alert-info">{{ t('dual.my.noPerson') }}</p>
        <div class="field" :class="{ 'has-error': errs.unit_id }">
          <label for="dual-unit">{{ t('dual.unit') }}</label>
          <select id="dual-unit" v-model="form.unit_id" data-testid="dual-unit">
            <option value="">{{ t('dual.my.pickUnit') }}</option>
            <option v-for="u in units" :key="u.id" :value="u.id">{{ u.name }}</option>
          </select>
          <p v-if="errs.unit_id" class="field-error">{{ errs.unit_id }}</p>
        </div>
        <div class="field" :class="{ 'has-error': errs.skills }">
          <label for="dual-skills">{{ t('dual.skills') }}</label>
          <input id="dual-skills" v-model="form.skills" maxlength="200" data-testid="dual-skills" :placeholder="t('dual.my.skillsHint')">
        </div>
        <div class="field" :class="{ 'has-error': errs.wishes }">
          <label for="dual-wishes">{{ t('dual.wishes') }}</label>
          <textarea id="dual-wishes" v-model="form.wishes" maxlength="500" rows="3" data-testid="dual-wishes"></textarea>
        </div>
        <fieldset class="field">
          <legend>{{ t('dual.availability') }}</legend>
          <label v-for="a in AVAIL" :key="a" class="check"><input type="checkbox" :value="a" v-model="form.availability" :data-testid="'dual-avail-' + a"> {{ t('dual.avail.' + a) }}</label>
        </fieldset>
        <div class="form-actions"><button type="submit" class="btn btn-primary btn-block" :disabled="busy" data-testid="dual-submit">{{ t('dual.my.submit') }}</button></div>
      </form>
    </template>
  </section>`,
};
