// #/volunteer — the volunteer on a phone (SPEC §5): register (real name,
// validated by the server), then browse the open shifts of the next two weeks
// with live remaining places, sign up or join the waitlist, see the waitlist
// position, cancel before the cut-off, check out, hours and stars, records,
// the private calendar link and the certificate.
import { ref, reactive, computed, onMounted, onUnmounted } from '/assets/vue.esm-browser.prod.js';
import { api, getAll, enc } from '../api.js';
import { formatTime } from '../format.js';
import { orgOptionList } from '../orgtree.js';
import '../party-badge.js';
import { t } from '../i18n.js';

const VTYPES = ['white_collar', 'resident', 'student', 'party_member'];
const split = (s) => s.split(/[,，、;；]/).map((x) => x.trim()).filter(Boolean);
const REFRESH_MS = 15000;	// live remaining places

export default {
  name: 'VolunteerPage',
  setup() {
    const me = ref(null);
    const loaded = ref(false);
    const error = ref(null);
    const notice = ref('');
    const tab = ref('shifts');
    const shifts = ref([]);
    const mine = ref([]);
    const records = ref([]);
    const busy = reactive({});

    async function loadMe() {
      try {
        me.value = (await api.get('/volunteers/me')).volunteer;
      } catch (e) { error.value = e; } finally { loaded.value = true; }
    }
    async function loadShifts() {
      try { shifts.value = (await api.get('/shifts', { open: 'true', limit: 200 })).items; } catch (e) { error.value = e; }
    }
    async function loadMine() {
      try { mine.value = (await api.get('/volunteers/me/signups')).items.slice().reverse(); } catch (e) { error.value = e; }
    }
    async function loadRecords() {
      try { records.value = (await api.get('/volunteers/me/records')).items; } catch (e) { error.value = e; }
    }
    async function refreshAll() {
      await loadMe();
      if (me.value && me.value.status === 'approved') await Promise.all([loadShifts(), loadMine(), loadRecords()]);
    }
    let timer = null;
    onMounted(async () => {
      await refreshAll();
      timer = setInterval(() => { if (tab.value === 'shifts' && me.value && me.value.status === 'approved' && !document.hidden) loadShifts(); }, REFRESH_MS);
      if (!me.value) loadOrgs();
    });
    onUnmounted(() => clearInterval(timer));

    // ---- registration
    const orgOptions = ref([]);
    async function loadOrgs() {
      try {
        const all = await getAll('/orgs');
        orgOptions.value = orgOptionList(all).filter((o) => ['street', 'community', 'compound'].includes(all.find((x) => x.id === o.id).kind));
      } catch (e) { error.value = e; }
    }
    const form = reactive({ name: '', id_number: '', phone: '', org: '', vtype: 'white_collar', skills: '', areas: '' });
    const fe = reactive({});
    const regError = ref(null);
    const registering = ref(false);
    async function register() {
      for (const k of Object.keys(fe)) delete fe[k];
      regError.value = null;
      registering.value = true;
      try {
        const o = orgOptions.value.find((x) => x.value === form.org);
        me.value = await api.post('/volunteers/register', {
          name: form.name.trim(), id_number: form.id_number.trim().toUpperCase(), phone: form.phone.trim(),
          org_id: o ? o.id : 0, vtype: form.vtype, skills: split(form.skills), areas: split(form.areas),
        });
      } catch (e) {
        regError.value = e;
        Object.assign(fe, e.fieldMap ? e.fieldMap() : {});
      } finally { registering.value = false; }
    }

    // ---- shifts
    const now = () => Date.now();
    function shiftState(s) {
      if (s.my_status) return 'mine';
      if (!s.signup_open) return s.started || !s.signup_opens_at || Date.parse(s.signup_opens_at) <= now() ? 'closed' : 'notOpen';
      return s.remaining > 0 ? 'open' : 'full';
    }
    async function signup(s) {
      busy[s.id] = true;
      notice.value = '';
      error.value = null;
      try {
        const g = await api.post(`/shifts/${enc(s.id)}/signup`, {});
        notice.value = g.status === 'confirmed' ? t('vol.signedUp') : t('vol.waitlisted', { n: g.waitlist_position });
        await Promise.all([loadShifts(), loadMine()]);
      } catch (e) { error.value = e; await loadShifts(); } finally { busy[s.id] = false; }
    }
    async function cancel(signupId, key) {
      if (!window.confirm(t('vol.cancelConfirm'))) return;
      busy[key] = true;
      error.value = null;
      try {
        await api.post(`/signups/${enc(signupId)}/cancel`, {});
        notice.value = t('vol.cancelled');
        await Promise.all([loadShifts(), loadMine()]);
      } catch (e) { error.value = e; } finally { busy[key] = false; }
    }
    async function checkout(g) {
      busy['g' + g.id] = true;
      try {
        await api.post(`/signups/${enc(g.id)}/attendance`, { action: 'checkout' });
        await loadMine();
      } catch (e) { error.value = e; } finally { busy['g' + g.id] = false; }
    }
    const upcoming = computed(() => mine.value.filter((g) => g.status !== 'cancelled'));

    // ---- calendar and certificate
    const calUrl = computed(() => (me.value && me.value.calendar_path ? window.location.origin + me.value.calendar_path : ''));
    async function copyCal() {
      try { await navigator.clipboard.writeText(calUrl.value); notice.value = t('vol.copied'); } catch (_) { notice.value = calUrl.value; }
    }
    async function rotate() {
      try {
        const r = await api.post('/volunteers/me/calendar-token', {});
        me.value = { ...me.value, calendar_path: r.calendar_path };
        notice.value = t('vol.rotated');
      } catch (e) { error.value = e; }
    }
    const stars = (n) => '★'.repeat(n || 0);
    return {
      me, loaded, error, notice, tab, shifts, mine, upcoming, records, busy, form, fe, regError, registering, orgOptions,
      VTYPES, register, shiftState, signup, cancel, checkout, calUrl, copyCal, rotate, stars, formatTime, t,
    };
  },
  template: `
  <section class="page narrow vol-page" data-testid="volunteer-page">
    <h1 tabindex="-1">{{ t('vol.title') }}</h1>
    <p v-if="!loaded" class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{{ t('common.loading') }}</p>
    <error-box :error="error"></error-box>
    <status-msg :text="notice"></status-msg>

    <form v-if="loaded && !me" class="card" novalidate @submit.prevent="register" data-testid="vol-register">
      <h2>{{ t('vol.registerTitle') }}</h2>
      <p class="muted">{{ t('vol.registerIntro') }}</p>
      <error-box :error="regError" :known="['name', 'id_number', 'phone', 'org_id', 'vtype']"></error-box>
      <form-field :label="t('vol.name')" :error="fe.name" required v-slot="f">
        <input :id="f.id" v-bind="f.aria" v-model="form.name" autocomplete="name" data-testid="vol-name">
      </form-field>
      <form-field :label="t('vol.idNumber')" :error="fe.id_number" required v-slot="f">
        <input :id="f.id" v-bind="f.aria" v-model="form.id_number" maxlength="18" class="mono" autocomplete="off" data-testid="vol-id">
      </form-field>
      <form-field :label="t('vol.phone')" :error="fe.phone" required v-slot="f">
        <input :id="f.id" v-bind="f.aria" v-model="form.phone" type="tel" inputmode="numeric" maxlength="11" data-testid="vol-phone">
      </form-field>
      <form-field :label="t('vol.org')" :error="fe.org_id" required v-slot="f">
        <select :id="f.id" v-bind="f.aria" v-model="form.org" data-testid="vol-org">
          <option value="">{{ t('vol.chooseOrg') }}</option>
          <option v-for="o in orgOptions" :key="o.value" :value="o.value">{{ o.label }}</option>
        </select>
      </form-field>
      <form-field :label="t('vol.type')" :error="fe.vtype" required v-slot="f">
        <select :id="f.id" v-bind="f.aria" v-model="form.vtype" data-testid="vol-type">
          <option v-for="v in VTYPES" :key="v" :value="v">{{ t('vtype.' + v) }}</option>
        </select>
      </form-field>
      <form-field :label="t('vol.skills')" :hint="t('vol.listHint')" optional v-slot="f">
        <input :id="f.id" v-bind="f.aria" v-model="form.skills">
      </form-field>
      <form-field :label="t('vol.areas')" :hint="t('vol.listHint')" optional v-slot="f">
        <input :id="f.id" v-bind="f.aria" v-model="form.areas">
      </form-field>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" :disabled="registering" data-testid="vol-register-submit">{{ registering ? t('vol.registering') : t('vol.register') }}</button>
      </div>
    </form>

    <template v-if="me">
      <div class="card vol-summary" data-testid="vol-summary">
        <div><strong>{{ me.name }}</strong> · {{ t('vtype.' + me.vtype) }} · <span class="badge">{{ t('vstatus.' + me.status) }}</span></div>
        <div class="vol-stats">
          <div><span class="muted">{{ t('vol.hours') }}</span><br><strong data-testid="vol-hours">{{ t('vol.hoursValue', { n: me.hours }) }}</strong></div>
          <div><span class="muted">{{ t('vol.stars') }}</span><br><strong class="stars" data-testid="vol-stars">{{ me.stars ? stars(me.stars) : t('vol.noStars') }}</strong></div>
        </div>
        <p v-if="me.status === 'pending'" class="alert alert-info" data-testid="vol-pending">{{ t('vol.pending') }}</p>
        <p v-if="me.status === 'rejected'" class="alert alert-error">{{ t('vol.rejected') }}</p>
        <p v-if="me.status === 'suspended'" class="alert alert-error">{{ t('vol.suspended') }}</p>
        <p v-if="me.blocked_until && Date.parse(me.blocked_until) > Date.now()" class="alert alert-error">{{ t('vol.blocked', { until: formatTime(me.blocked_until) }) }}</p>
      </div>

      <template v-if="me.status === 'approved'">
        <div class="tabs" role="tablist">
          <button v-for="k in ['shifts', 'mine', 'records', 'more']" :key="k" type="button" role="tab" class="tab"
                  :aria-selected="tab === k ? 'true' : 'false'" :data-testid="'vol-tab-' + k" @click="tab = k">
            {{ t({ shifts: 'vol.tabShifts', mine: 'vol.tabMine', records: 'vol.tabRecords', more: 'vol.tabMore' }[k]) }}
          </button>
        </div>

        <ul v-if="tab === 'shifts'" class="shift-list" data-testid="shift-list">
          <li v-for="s in shifts" :key="s.id" class="card shift" :data-testid="'shift-' + s.id">
            <div class="shift-title"><strong>{{ s.title }}</strong> <span class="muted">{{ s.org_name }}</span></div>
            <div class="shift-time">{{ formatTime(s.start_at) }} – {{ formatTime(s.end_at).slice(11) }}</div>
            <div v-if="s.place" class="muted">{{ s.place }}</div>
            <div class="shift-foot">
              <span class="badge" :class="s.remaining ? 'badge-ok' : 'badge-warn'" :data-testid="'remaining-' + s.id">{{ t('vol.remaining', { n: s.remaining, c: s.capacity }) }}</span>
              <template v-if="shiftState(s) === 'mine'">
                <span class="badge badge-ok">{{ s.my_status === 'waitlisted' ? t('sstatus.waitlisted') : t('sstatus.confirmed') }}</span>
                <button type="button" class="btn btn-secondary btn-small" :disabled="busy['c' + s.id]" @click="cancel(s.my_signup_id, 'c' + s.id)">{{ t('vol.cancel') }}</button>
              </template>
              <span v-else-if="shiftState(s) === 'notOpen'" class="muted">{{ t('vol.opensAt', { t: formatTime(s.signup_opens_at) }) }}</span>
              <span v-else-if="shiftState(s) === 'closed'" class="muted">{{ t('vol.closed') }}</span>
              <button v-else type="button" class="btn btn-primary btn-small" :disabled="busy[s.id]" :data-testid="'signup-' + s.id" @click="signup(s)">
                {{ shiftState(s) === 'full' ? t('vol.waitlist') : t('vol.signup') }}
              </button>
            </div>
          </li>
          <li v-if="!shifts.length" class="empty">{{ t('vol.shiftsEmpty') }}</li>
        </ul>

        <ul v-if="tab === 'mine'" class="shift-list" data-testid="my-signups">
          <li v-for="g in mine" :key="g.id" class="card shift" :data-testid="'my-' + g.id">
            <div class="shift-title"><strong>{{ g.title }}</strong>
              <span v-if="g.vanguard" class="badge badge-vanguard">{{ t('party.vanguard') }}</span>
              <span v-if="g.party_member" class="badge badge-party" data-testid="party-badge">{{ t('party.badge') }}</span></div>
            <div class="shift-time">{{ formatTime(g.start_at) }} – {{ formatTime(g.end_at).slice(11) }}</div>
            <div class="shift-foot">
              <span class="badge">{{ t('sstatus.' + g.status) }}</span>
              <span v-if="g.status === 'waitlisted'" class="badge badge-warn" data-testid="waitlist-position">{{ t('vol.position', { n: g.waitlist_position }) }}</span>
              <span v-if="g.attendance" class="badge">{{ t('attendance.' + g.attendance) }}</span>
              <span v-if="g.checkin_at" class="muted">{{ t('vol.checkedIn', { t: formatTime(g.checkin_at).slice(11) }) }}</span>
              <span v-if="g.checkout_at" class="muted">{{ t('vol.checkedOut', { t: formatTime(g.checkout_at).slice(11) }) }}</span>
              <a v-if="g.status === 'confirmed' && !g.checkin_at && g.post_id" class="btn btn-secondary btn-small" :href="'#/checkin/' + g.post_id">{{ t('nav.checkin') }}</a>
              <button v-if="g.checkin_at && !g.checkout_at && !g.attendance" type="button" class="btn btn-secondary btn-small" @click="checkout(g)">{{ t('vol.checkout') }}</button>
              <button v-if="g.status !== 'cancelled' && !g.checkin_at && Date.parse(g.start_at) > Date.now()" type="button" class="btn btn-link btn-small" @click="cancel(g.id, 'g' + g.id)">{{ t('vol.cancel') }}</button>
            </div>
          </li>
          <li v-if="!mine.length" class="empty">{{ t('vol.mineEmpty') }}</li>
        </ul>

        <ul v-if="tab === 'records'" class="shift-list" data-testid="my-records">
          <li v-for="r in records" :key="r.id" class="card shift">
            <div class="shift-title"><strong>{{ r.activity_name }}</strong> <span class="badge">{{ t('vol.recordStatus.' + r.status) }}</span></div>
            <div class="muted">{{ r.service_date }} · {{ r.place || '' }}</div>
            <div>{{ t('vol.hoursValue', { n: r.hours }) }}<span v-if="r.superseded_by" class="muted"> （已更正）</span></div>
          </li>
          <li v-if="!records.length" class="empty">{{ t('vol.recordsEmpty') }}</li>
        </ul>

        <div v-if="tab === 'more'" class="card" data-testid="vol-more">
          <h2>{{ t('vol.calendar') }}</h2>
          <p class="muted">{{ t('vol.calendarHint') }}</p>
          <input class="mono" readonly :value="calUrl" data-testid="cal-url" aria-label="calendar">
          <div class="form-actions">
            <button type="button" class="btn btn-secondary" @click="copyCal">{{ t('vol.copy') }}</button>
            <button type="button" class="btn btn-secondary" @click="rotate" data-testid="cal-rotate">{{ t('vol.rotate') }}</button>
          </div>
          <p><a class="btn btn-primary" href="/api/v1/volunteers/me/certificate" download>{{ t('vol.certificate') }}</a></p>
          <p class="muted">{{ t('vol.scan') }}</p>
        </div>
      </template>
    </template>
  </section>`,
};
