// #/dual — 双报到 for the 居委, the office and party secretaries: member
// registrations to accept or decline, registered units (accept pending
// ones), and an overview per community (units and members registered,
// hours served this quarter). Desktop first, usable at 360 px.
import { ref, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { t } from '../i18n.js';

export default {
  name: 'DualPage',
  setup() {
    const tab = ref('pending');
    const regs = ref([]);
    const units = ref([]);
    const overview = ref(null);
    const error = ref(null);
    const notice = ref('');
    const declining = ref(null);
    const reason = ref('');
    async function load() {
      error.value = null;
      try {
        const state = tab.value === 'pending' ? { state: 'pending' } : {};
        if (tab.value === 'pending' || tab.value === 'all') regs.value = (await api.get('/party/registrations', { limit: 200, ...state })).items;
        if (tab.value === 'units') units.value = (await api.get('/party/units', { limit: 200 })).items;
        if (tab.value === 'overview') overview.value = await api.get('/party/dual/overview');
      } catch (e) { error.value = e; }
    }
    function show(k) { tab.value = k; load(); }
    async function act(path, body, msg) {
      error.value = null;
      notice.value = '';
      try {
        await api.post(path, body);
        notice.value = msg;
        declining.value = null;
        reason.value = '';
        await load();
      } catch (e) { error.value = e; }
    }
    const accept = (g) => act('/party/registrations/' + enc(g.id) + '/accept', {}, t('dual.staff.accepted', { name: g.person_name }));
    const decline = (g) => act('/party/registrations/' + enc(g.id) + '/decline', { reason: reason.value.trim() }, t('dual.staff.declined', { name: g.person_name }));
    const acceptUnit = (u) => act('/party/units/' + enc(u.id) + '/accept', {}, t('dual.staff.unitAccepted', { name: u.unit_name }));
    onMounted(load);
    return { tab, regs, units, overview, error, notice, declining, reason, show, accept, decline, acceptUnit, t };
  },
  template: `
  <section class="page dual-page">
    <h1 class="page-title" tabindex="-1">{{ t('dual.staff.title') }}</h1>
    <error-box :error="error"></error-box>
    <p v-if="notice" class="alert alert-ok" role="status" data-testid="dual-notice">{{ notice }}</p>
    <div class="toolbar" role="tablist">
      <button v-for="k in ['pending', 'all', 'units', 'overview']" :key="k" type="button" role="tab" class="btn btn-small"
              :class="tab === k ? 'btn-primary' : 'btn-secondary'" :aria-selected="tab === k ? 'true' : 'false'"
              :data-testid="'dual-tab-' + k" @click="show(k)">{{ t('dual.staff.tab.' + k) }}</button>
    </div>
    <div v-if="tab === 'pending' || tab === 'all'" class="table-wrap">
      <table data-testid="dual-regs">
        <thead><tr><th>{{ t('dual.name') }}</th><th>{{ t('dual.community') }}</th><th>{{ t('dual.unit') }}</th><th>{{ t('dual.skills') }}</th><th>{{ t('dual.availability') }}</th><th>{{ t('dual.stateLabel') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="g in regs" :key="g.id" :data-testid="'dual-row-' + g.id">
            <td>{{ g.person_name }}</td><td>{{ g.community_name }}</td><td>{{ g.unit_name }}</td>
            <td>{{ g.skills }}<div v-if="g.wishes" class="muted">{{ g.wishes }}</div></td>
            <td>{{ g.availability.map((a) => t('dual.avail.' + a)).join('、') }}</td>
            <td><span class="badge">{{ t('dual.state.' + g.state) }}</span> <span v-if="g.card_no" class="mono">{{ g.card_no }}</span></td>
            <td>
              <template v-if="g.state === 'pending'">
                <button type="button" class="btn btn-primary btn-small" :data-testid="'dual-accept-' + g.id" @click="accept(g)">{{ t('dual.staff.accept') }}</button>
                <button v-if="declining !== g.id" type="button" class="btn btn-ghost btn-small" @click="declining = g.id">{{ t('dual.staff.decline') }}</button>
                <form v-else class="inline-form" @submit.prevent="decline(g)">
                  <input v-model="reason" maxlength="200" :placeholder="t('dual.reason')" :aria-label="t('dual.reason')" required>
                  <button type="submit" class="btn btn-danger btn-small">{{ t('dual.staff.decline') }}</button>
                </form>
              </template>
            </td>
          </tr>
          <tr v-if="!regs.length"><td colspan="7" class="empty">{{ t('dual.none') }}</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="tab === 'units'" class="table-wrap">
      <table data-testid="dual-units">
        <thead><tr><th>{{ t('dual.unit') }}</th><th>{{ t('dual.community') }}</th><th>{{ t('dual.partyOrg') }}</th><th>{{ t('dual.contact') }}</th><th>{{ t('dual.commitments') }}</th><th>{{ t('dual.members') }}</th><th>{{ t('dual.stateLabel') }}</th></tr></thead>
        <tbody>
          <tr v-for="u in units" :key="u.id">
            <td>{{ u.unit_name }}</td><td>{{ u.community_name }}</td><td>{{ u.party_org_name }}</td>
            <td>{{ u.contact_name }} <span class="mono">{{ u.contact_phone_masked }}</span></td><td>{{ u.commitments }}</td><td>{{ u.members }}</td>
            <td><span class="badge">{{ t('dual.unitState.' + u.state) }}</span>
              <button v-if="u.state === 'pending'" type="button" class="btn btn-primary btn-small" @click="acceptUnit(u)">{{ t('dual.staff.accept') }}</button></td>
          </tr>
          <tr v-if="!units.length"><td colspan="7" class="empty">{{ t('dual.none') }}</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="tab === 'overview' && overview" class="table-wrap">
      <p class="muted">{{ t('dual.staff.period', { q: overview.period.quarter, from: overview.period.from, to: overview.period.to }) }}</p>
      <table data-testid="dual-overview">
        <thead><tr><th>{{ t('dual.community') }}</th><th>{{ t('dual.staff.units') }}</th><th>{{ t('dual.members') }}</th><th>{{ t('dual.state.pending') }}</th><th>{{ t('dual.col.hours') }}</th></tr></thead>
        <tbody>
          <tr v-for="c in overview.items" :key="c.id"><td>{{ c.name }}</td><td>{{ c.units }}</td><td>{{ c.members }}</td><td>{{ c.pending }}</td><td>{{ c.hours }}</td></tr>
        </tbody>
      </table>
    </div>
  </section>`,
};
