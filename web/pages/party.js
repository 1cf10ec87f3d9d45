// #/party — 党组织和党员 (docs/PARTY.md): the party tree in the caller's scope
// with secretaries and member counts; a party org's officers and roster
// (subtree) with the member's details; add a member (an existing person id or
// a new person), edit, transfer with history; the roster as xlsx.
import { ref, reactive, computed, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import '../party-badge.js';
import { t } from '../i18n.js';

const blankMember = () => ({ name: '', gender: '', phone: '', status: 'full', joined_on: '', employed: false, employer_id: '', duty: '' });

export default {
  name: 'PartyPage',
  setup() {
    const orgs = ref([]);
    const sel = ref(null);	// the org detail shown
    const members = ref([]);
    const cursor = ref(null);
    const loading = ref(false);
    const error = ref(null);
    const notice = ref('');
    const units = ref([]);
    const member = ref(null);	// the member opened
    const form = reactive(blankMember());
    const edit = reactive({ status: 'full', duty: '', employed: false, employer_id: '' });
    const xfer = reactive({ to_org_id: '', on_date: '', reason: '' });
    const adding = ref(false);

    // Depth-first order with a depth for indenting (parents missing from the scope make roots).
    const tree = computed(() => {
      const ids = new Set(orgs.value.map((o) => o.id));
      const kids = new Map();
      for (const o of orgs.value) {
        const p = ids.has(o.parent_id) ? o.parent_id : 0;
        if (!kids.has(p)) kids.set(p, []);
        kids.get(p).push(o);
      }
      const out = [];
      const walk = (p, d) => { for (const o of kids.get(p) || []) { out.push({ ...o, depth: d }); walk(o.id, d + 1); } };
      walk(0, 0);
      return out;
    });

    async function run(fn) {
      error.value = null;
      notice.value = '';
      try { await fn(); } catch (e) { error.value = e; }
    }
    async function loadOrgs() {
      await run(async () => { orgs.value = ((await api.get('/party/organisations')) || {}).items || []; });
      if (!sel.value && orgs.value.length) await open(tree.value[0]);
    }
    async function loadMembers(reset) {
      if (!sel.value) return;
      loading.value = true;
      await run(async () => {
        const q = '/party/members?limit=50&org_id=' + enc(sel.value.id) + (!reset && cursor.value ? '&cursor=' + enc(cursor.value) : '');
        const r = await api.get(q);
        members.value = reset ? r.items : [...members.value, ...r.items];
        cursor.value = r.next_cursor;
      });
      loading.value = false;
    }
    async function open(o) {
      member.value = null;
      await run(async () => { sel.value = await api.get('/party/organisations/' + enc(o.id)); });
      await loadMembers(true);
    }
    async function openMember(m) {
      await run(async () => {
        member.value = await api.get('/party/members/' + enc(m.id));
        Object.assign(edit, { status: member.value.status, duty: member.value.duty || '', employed: member.value.employed,
          employer_id: member.value.employer_id || '' });
        Object.assign(xfer, { to_org_id: '', on_date: new Date().toISOString().slice(0, 10), reason: '' });
      });
    }
    async function add() {
      await run(async () => {
        const person = { name: form.name.trim() };
        if (form.gender) person.gender = form.gender;
        if (form.phone) person.phone = form.phone.trim();
        const body = { org_id: sel.value.id, person, status: form.status, employed: form.employed };
        if (form.joined_on) body.joined_on = form.joined_on;
        if (form.employed && form.employer_id) body.employer_id = Number(form.employer_id);
        if (form.duty) body.duty = form.duty;
        const m = await api.post('/party/members', body);
        Object.assign(form, blankMember());
        adding.value = false;
        notice.value = t('party.added', { name: m.name });
        await Promise.all([loadMembers(true), loadOrgs()]);
      });
    }
    async function save() {
      await run(async () => {
        const body = { status: edit.status, duty: edit.duty || null, employed: edit.employed,
          employer_id: edit.employed && edit.employer_id ? Number(edit.employer_id) : null };
        member.value = await api.patch('/party/members/' + enc(member.value.id), body);
        notice.value = t('party.saved');
        await loadMembers(true);
      });
    }
    async function transfer() {
      await run(async () => {
        member.value = await api.post('/party/members/' + enc(member.value.id) + '/transfer',
          { to_org_id: Number(xfer.to_org_id), on_date: xfer.on_date, reason: xfer.reason || null });
        notice.value = t('party.transferred', { org: member.value.org_name });
        await Promise.all([loadMembers(true), loadOrgs()]);
      });
    }
    onMounted(async () => {
      await loadOrgs();
      try { units.value = ((await api.get('/orgs?kind=unit&limit=200')) || {}).items || []; } catch { units.value = []; }
    });
    const dutyName = (d) => (d ? t('party.duty.' + d) : '');
    return { orgs, tree, sel, members, cursor, loading, error, notice, units, member, form, edit, xfer, adding,
      open, openMember, loadMembers, add, save, transfer, dutyName, enc };
  },
  template: `
  <section class="page party-page">
    <h1 class="page-title" tabindex="-1">{{ t('party.title') }}</h1>
    <error-box :error="error" :known="['name', 'phone', 'status', 'joined_on', 'employer_id', 'duty', 'to_org_id', 'on_date', 'person_id']"></error-box>
    <status-msg :text="notice"></status-msg>
    <div class="table-wrap">
      <table class="list" data-testid="party-tree">
        <caption class="visually-hidden">{{ t('party.tree') }}</caption>
        <thead><tr><th scope="col">{{ t('party.org') }}</th><th scope="col">{{ t('party.secretary') }}</th>
          <th scope="col">{{ t('party.members') }}</th><th scope="col">{{ t('party.childOrgs') }}</th></tr></thead>
        <tbody>
          <tr v-for="o in tree" :key="o.id" :class="{ selected: sel && sel.id === o.id }">
            <td class="primary" :data-label="t('party.org')">
              <button type="button" class="link" :style="{ paddingLeft: (o.depth * 1.2) + 'em' }" @click="open(o)" :data-testid="'party-org-' + o.id">{{ o.name }}</button>
              <small class="muted"> {{ t('party.subkind.' + (o.subkind || 'party_branch')) }}</small></td>
            <td :data-label="t('party.secretary')">{{ o.secretary || '—' }}</td>
            <td :data-label="t('party.members')">{{ t('party.countLine', { total: o.subtree.total, full: o.subtree.full, prob: o.subtree.probationary, emp: o.subtree.employed }) }}</td>
            <td :data-label="t('party.childOrgs')">{{ o.children }}</td>
          </tr>
        </tbody>
      </table>
    </div>
    <p v-if="!orgs.length" class="muted">{{ t('party.noOrgs') }}</p>

    <section v-if="sel" class="card" data-testid="party-org">
      <h2>{{ sel.name }} <small class="muted">{{ sel.parent_name || '' }}</small></h2>
      <p>{{ t('party.countLine', { total: sel.subtree.total, full: sel.subtree.full, prob: sel.subtree.probationary, emp: sel.subtree.employed }) }}</p>
      <p v-if="sel.officers.length"><strong>{{ t('party.officers') }}：</strong>
        <span v-for="f in sel.officers" :key="f.id" class="badge">{{ t('party.post.' + f.post) }} {{ f.name }}</span></p>
      <p v-if="sel.places.length"><strong>{{ t('party.places') }}：</strong>{{ sel.places.map((p) => p.name).join('、') }}</p>
      <p class="form-actions">
        <a class="btn btn-secondary" :href="'/api/v1/party/organisations/' + enc(sel.id) + '/roster.xlsx'" download data-testid="party-xlsx">{{ t('party.xlsx') }}</a>
        <button type="button" class="btn btn-primary" @click="adding = !adding" data-testid="party-add">{{ t('party.add') }}</button>
      </p>
      <form v-if="adding" class="card" novalidate @submit.prevent="add" data-testid="party-add-form">
        <div class="form-grid">
          <label class="field">{{ t('party.name') }}<input v-model="form.name" required maxlength="50"></label>
          <label class="field">{{ t('party.gender') }}<select v-model="form.gender"><option value=""></option><option value="男">{{ t('party.male') }}</option><option value="女">{{ t('party.female') }}</option></select></label>
          <label class="field">{{ t('party.phone') }}<input v-model="form.phone" inputmode="tel" maxlength="11"></label>
          <label class="field">{{ t('party.status') }}<select v-model="form.status"><option value="full">{{ t('party.st.full') }}</option><option value="probationary">{{ t('party.st.probationary') }}</option></select></label>
          <label class="field">{{ t('party.joined') }}<input type="date" v-model="form.joined_on"></label>
          <label class="field">{{ t('party.duty.label') }}<select v-model="form.duty"><option value=""></option><option value="building_head">{{ t('party.duty.building_head') }}</option><option value="household_head">{{ t('party.duty.household_head') }}</option></select></label>
          <label class="check"><input type="checkbox" v-model="form.employed"> {{ t('party.employed') }}</label>
          <label v-if="form.employed" class="field">{{ t('party.employer') }}<select v-model="form.employer_id"><option value=""></option><option v-for="u in units" :key="u.id" :value="u.id">{{ u.name }}</option></select></label>
        </div>
        <div class="form-actions"><button type="submit" class="btn btn-primary">{{ t('common.save') }}</button></div>
      </form>
      <div class="table-wrap">
        <table class="list" data-testid="party-roster">
          <caption class="visually-hidden">{{ t('party.roster') }}</caption>
          <thead><tr><th scope="col">{{ t('party.name') }}</th><th scope="col">{{ t('party.org') }}</th><th scope="col">{{ t('party.status') }}</th>
            <th scope="col">{{ t('party.joined') }}</th><th scope="col">{{ t('party.phone') }}</th><th scope="col">{{ t('party.employer') }}</th><th scope="col">{{ t('party.duty.label') }}</th></tr></thead>
          <tbody>
            <tr v-for="m in members" :key="m.id">
              <td class="primary" :data-label="t('party.name')"><button type="button" class="link" @click="openMember(m)">{{ m.name }}</button>
                <span class="badge badge-party">{{ t('party.badge') }}</span></td>
              <td :data-label="t('party.org')">{{ m.org_name }}</td>
              <td :data-label="t('party.status')">{{ t('party.st.' + m.status) }}</td>
              <td :data-label="t('party.joined')">{{ m.joined_on || '' }}</td>
              <td :data-label="t('party.phone')" class="mono">{{ m.phone_masked || '' }}</td>
              <td :data-label="t('party.employer')">{{ m.employed ? (m.employer_name || '') : t('party.notEmployed') }}</td>
              <td :data-label="t('party.duty.label')">{{ dutyName(m.duty) }} {{ m.duty_place_name || '' }}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <list-footer :loading="loading" :empty="!loading && !members.length" :has-more="!!cursor" :empty-text="t('party.noMembers')" @more="loadMembers(false)"></list-footer>
    </section>

    <section v-if="member" class="card" data-testid="party-member">
      <h2>{{ member.name }} <span class="badge badge-party">{{ t('party.badge') }}</span></h2>
      <p>{{ member.org_name }} · {{ t('party.st.' + member.status) }} · {{ member.joined_on || '' }} · <span class="mono">{{ member.phone_masked || '' }}</span></p>
      <form class="form-grid" novalidate @submit.prevent="save">
        <label class="field">{{ t('party.status') }}<select v-model="edit.status"><option value="full">{{ t('party.st.full') }}</option><option value="probationary">{{ t('party.st.probationary') }}</option></select></label>
        <label class="field">{{ t('party.duty.label') }}<select v-model="edit.duty"><option value=""></option><option value="building_head">{{ t('party.duty.building_head') }}</option><option value="household_head">{{ t('party.duty.household_head') }}</option></select></label>
        <label class="check"><input type="checkbox" v-model="edit.employed"> {{ t('party.employed') }}</label>
        <label v-if="edit.employed" class="field">{{ t('party.employer') }}<select v-model="edit.employer_id"><option value=""></option><option v-for="u in units" :key="u.id" :value="u.id">{{ u.name }}</option></select></label>
        <div class="form-actions"><button type="submit" class="btn btn-primary">{{ t('common.save') }}</button></div>
      </form>
      <h3>{{ t('party.transfer') }}</h3>
      <form class="form-grid" novalidate @submit.prevent="transfer" data-testid="party-transfer">
        <label class="field">{{ t('party.toOrg') }}<select v-model="xfer.to_org_id"><option value=""></option><option v-for="o in orgs" :key="o.id" :value="o.id" :disabled="o.id === member.org_id">{{ o.name }}</option></select></label>
        <label class="field">{{ t('party.onDate') }}<input type="date" v-model="xfer.on_date"></label>
        <label class="field">{{ t('party.reason') }}<input v-model="xfer.reason" maxlength="200"></label>
        <div class="form-actions"><button type="submit" class="btn btn-secondary">{{ t('party.doTransfer') }}</button></div>
      </form>
      <h3>{{ t('party.history') }}</h3>
      <ul v-if="member.transfers.length" data-testid="party-history">
        <li v-for="x in member.transfers" :key="x.id">{{ x.on_date }}：{{ x.from_org_name }} → {{ x.to_org_name }} <small class="muted">{{ x.reason || '' }}</small></li>
      </ul>
      <p v-else class="muted">{{ t('party.noHistory') }}</p>
    </section>
  </section>`,
};
