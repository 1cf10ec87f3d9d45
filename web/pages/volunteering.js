// #/volunteering — staff and 居委 (SPEC §5): volunteers and approvals, posts
// with their weekly patterns, shift generation, QR codes and claims, the
// roster of a week with attendance and no-shows, service records approval,
// the hours ledger export and the bulk import.
import { ref, reactive, computed, onMounted, watch } from '/assets/vue.esm-browser.prod.js';
import { api, getAll, enc, postText, request } from '../api.js';
import { can } from '../session.js';
import { formatTime } from '../format.js';
import { loadOrgOptions } from '../orgtree.js';
import '../party-badge.js';
import { t } from '../i18n.js';

const KINDS = ['love_post', 'traffic', 'door_duty', 'garbage_sorting', 'patrol', 'other'];
const pad = (n) => String(n).padStart(2, '0');
const ymd = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
function mondayOf(d) {
  const x = new Date(d);
  x.setDate(x.getDate() - ((x.getDay() + 6) % 7));
  return x;
}

export default {
  name: 'VolunteeringPage',
  setup() {
    const writable = can('volunteers.write');
    const tab = ref('volunteers');
    const error = ref(null);
    const notice = ref('');
    const orgOptions = ref([]);

    // ---- volunteers
    const vfilter = reactive({ status: '', vtype: '', q: '' });
    const vols = ref([]);
    const vcursor = ref(null);
    const vloading = ref(false);
    async function loadVols(reset = true) {
      vloading.value = true;
      try {
        const p = await api.get('/volunteers', { ...vfilter, limit: 50, cursor: reset ? null : vcursor.value });
        vols.value = reset ? p.items : vols.value.concat(p.items);
        vcursor.value = p.next_cursor;
      } catch (e) { error.value = e; } finally { vloading.value = false; }
    }
    async function decide(v, decision) {
      try {
        await api.post(`/volunteers/${enc(v.id)}/decision`, { decision });
        notice.value = `${v.name}：${t('vadm.' + decision)}`;
        await loadVols();
      } catch (e) { error.value = e; }
    }

    // ---- posts
    const posts = ref([]);
    async function loadPosts() {
      try { posts.value = await getAll('/posts'); } catch (e) { error.value = e; }
    }
    const showPost = ref(false);
    const pf = reactive({ org: '', name: '', kind: 'love_post', address: '', lat: '', lng: '', radius_m: 100, rules: '', min_age: '', max_age: '', required_skill: '', claim_limit: 1 });
    const pfe = reactive({});
    async function createPost() {
      for (const k of Object.keys(pfe)) delete pfe[k];
      const o = orgOptions.value.find((x) => x.value === pf.org);
      const body = { org_id: o ? o.id : 0, name: pf.name.trim(), kind: pf.kind, radius_m: Number(pf.radius_m), claim_limit: Number(pf.claim_limit) };
      if (pf.address) body.address = pf.address;
      if (pf.rules) body.rules = pf.rules;
      if (pf.required_skill) body.required_skill = pf.required_skill;
      if (pf.min_age !== '') body.min_age = Number(pf.min_age);
      if (pf.max_age !== '') body.max_age = Number(pf.max_age);
      if (pf.lat !== '' && pf.lng !== '') body.location = { lat: Number(pf.lat), lng: Number(pf.lng) };
      try {
        await api.post('/posts', body);
        showPost.value = false;
        await loadPosts();
      } catch (e) { error.value = e; Object.assign(pfe, e.fieldMap ? e.fieldMap() : {}); }
    }
    const pat = reactive({});	// post id → {days:[], start, end, capacity, from, ndays}
    const patOf = (p) => pat[p.id] || (pat[p.id] = { days: [1, 2, 3, 4, 5, 6, 7], start: '07:30', end: '09:30', capacity: 2, from: ymd(mondayOf(new Date(Date.now() + 7 * 86400000))), ndays: 7 });
    async function addPattern(p) {
      const x = patOf(p);
      try {
        await api.post(`/posts/${enc(p.id)}/patterns`, { weekdays: x.days.map(Number).sort(), start: x.start, end: x.end, capacity: Number(x.capacity) });
        await loadPosts();
      } catch (e) { error.value = e; }
    }
    async function delPattern(p, id) {
      try { await api.del(`/posts/${enc(p.id)}/patterns/${enc(id)}`); await loadPosts(); } catch (e) { error.value = e; }
    }
    async function generate(p) {
      const x = patOf(p);
      try {
        const r = await api.post(`/posts/${enc(p.id)}/generate`, { from: x.from, days: Number(x.ndays) });
        notice.value = `${p.name}：${t('vadm.generated', { c: r.created, e: r.existing })}`;
      } catch (e) { error.value = e; }
    }
    const claims = reactive({});
    async function loadClaims(p) {
      try { claims[p.id] = (await api.get(`/posts/${enc(p.id)}/claims`)).items; } catch (e) { error.value = e; }
    }
    async function decideClaim(p, c, decision) {
      try { await api.post(`/claims/${enc(c.id)}/decision`, { decision }); await loadClaims(p); } catch (e) { error.value = e; }
    }
    const fmtPattern = (x) => `${t('vadm.weekdays')} ${[0, 1, 2, 3, 4, 5, 6].filter((i) => x.weekdays & (1 << i)).map((i) => t('vadm.wd')[i]).join('、')} · ${pad(Math.floor(x.start_min / 60))}:${pad(x.start_min % 60)}–${pad(Math.floor(x.end_min / 60))}:${pad(x.end_min % 60)} · ${t('vadm.capacity')} ${x.capacity}`;

    // ---- roster
    const week = ref(mondayOf(new Date()));
    const roster = ref([]);
    async function loadRoster() {
      try { roster.value = (await api.get('/roster', { week: ymd(week.value) })).items; } catch (e) { error.value = e; }
    }
    const byShift = computed(() => {
      const m = new Map();
      for (const g of roster.value) {
        if (!m.has(g.shift_id)) m.set(g.shift_id, { id: g.shift_id, title: g.title, start_at: g.start_at, end_at: g.end_at, status: g.shift_status, items: [] });
        m.get(g.shift_id).items.push(g);
      }
      return [...m.values()];
    });
    const noShows = computed(() => roster.value.filter((g) => g.attendance === 'no_show').length);
    function shiftWeek(n) { const d = new Date(week.value); d.setDate(d.getDate() + 7 * n); week.value = d; }
    async function confirmCheckin(g) {
      try { await api.post(`/signups/${enc(g.id)}/attendance`, { action: 'checkin' }); await loadRoster(); } catch (e) { error.value = e; }
    }
    async function cancelShift(s) {
      if (!window.confirm(t('vadm.cancelShift') + '？')) return;
      try { await api.post(`/shifts/${enc(s.id)}/cancel`, {}); await loadRoster(); } catch (e) { error.value = e; }
    }

    // ---- records
    const recs = ref([]);
    async function loadRecs() {
      try { recs.value = (await api.get('/records', { status: 'pending', limit: 200 })).items; } catch (e) { error.value = e; }
    }
    async function decideRec(r, decision) {
      try { await api.post(`/records/${enc(r.id)}/decision`, { decision }); } catch (e) { error.value = e; }
    }
    async function approveAll() {
      for (const r of recs.value) await decideRec(r, 'approve');
      await loadRecs();
    }

    // ---- import
    const imp = reactive({ org: '', validOnly: false, file: null, report: null });
    async function doImport() {
      imp.report = null;
      error.value = null;
      const o = orgOptions.value.find((x) => x.value === imp.org);
      if (!imp.file || !o) return;
      const xlsx = /\.xlsx$/i.test(imp.file.name);
      try {
        const r = await postText(`/volunteers/import?org_id=${o.id}${imp.validOnly ? '&valid_only=true' : ''}`, imp.file,
          xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
        imp.report = r;
        notice.value = t('vadm.imported', { n: r.imported, f: r.failed });
      } catch (e) {
        error.value = e;
        if (e.details && e.details.rows) imp.report = { rows: e.details.rows, imported: 0, failed: e.details.failed };
      }
    }

    // ---- teams
    const teams = ref([]);
    const members = reactive({});
    const addTo = reactive({});	// team id → {q, found: []}
    async function loadTeams() {
      try { teams.value = (await api.get('/teams')).items; } catch (e) { error.value = e; }
    }
    async function loadMembers(tm) {
      try { members[tm.id] = (await api.get(`/teams/${enc(tm.id)}/members`)).items; } catch (e) { error.value = e; }
    }
    async function setMember(tm, vid, leader) {
      try {
        members[tm.id] = (await request('PUT', `/teams/${enc(tm.id)}/members/${enc(vid)}`, { body: { leader } })).items;
        await loadTeams();
      } catch (e) { error.value = e; }
    }
    async function removeMember(tm, vid) {
      try { await api.del(`/teams/${enc(tm.id)}/members/${enc(vid)}`); await loadMembers(tm); await loadTeams(); } catch (e) { error.value = e; }
    }
    const addOf = (tm) => addTo[tm.id] || (addTo[tm.id] = { q: '', found: [] });
    async function findVols(tm) {
      const a = addOf(tm);
      try { a.found = (await api.get('/volunteers', { q: a.q.trim(), status: 'approved', limit: 10 })).items; } catch (e) { error.value = e; }
    }

    // ---- activities
    const acts = ref([]);
    const af = reactive({ org: '', title: '', place: '', content: '', organiser: '', recurrence: 'once', day_of_month: 5, date: ymd(new Date()), start: '09:00', end: '11:00', capacity: 30 });
    const afe = reactive({});
    async function loadActs() {
      try { acts.value = (await api.get('/activities')).items; } catch (e) { error.value = e; }
    }
    async function createAct() {
      for (const k of Object.keys(afe)) delete afe[k];
      const o = orgOptions.value.find((x) => x.value === af.org);
      const body = { org_id: o ? o.id : 0, title: af.title.trim(), recurrence: af.recurrence, date: af.date, start: af.start, end: af.end, capacity: Number(af.capacity) };
      for (const k of ['place', 'content', 'organiser']) if (af[k]) body[k] = af[k];
      if (af.recurrence === 'monthly') body.day_of_month = Number(af.day_of_month);
      try { await api.post('/activities', body); notice.value = af.title; await loadActs(); } catch (e) { error.value = e; Object.assign(afe, e.fieldMap ? e.fieldMap() : {}); }
    }

    watch(tab, (k) => {
      error.value = null;
      if (k === 'volunteers') loadVols();
      if (k === 'posts') loadPosts();
      if (k === 'roster') loadRoster();
      if (k === 'records') loadRecs();
      if (k === 'teams') loadTeams();
      if (k === 'activities') loadActs();
    });
    watch(week, loadRoster);
    onMounted(async () => {
      loadVols();
      try { orgOptions.value = await loadOrgOptions(); } catch (e) { error.value = e; }
    });
    return {
      writable, tab, error, notice, orgOptions, vfilter, vols, vcursor, vloading, loadVols, decide, posts, showPost, pf, pfe,
      KINDS, createPost, patOf, addPattern, delPattern, generate, claims, loadClaims, decideClaim, fmtPattern, week, byShift,
      noShows, shiftWeek, confirmCheckin, cancelShift, recs, decideRec, approveAll, loadRecs, imp, doImport, formatTime, ymd,
      stars: (n) => '★'.repeat(n || 0), t, teams, members, loadMembers, setMember, removeMember, addOf, findVols,
      acts, af, afe, createAct,
    };
  },
  template: `
  <section class="page" data-testid="volunteering-page">
    <h1 tabindex="-1">{{ t('vadm.title') }}</h1>
    <div class="tabs" role="tablist">
      <button v-for="k in ['volunteers', 'teams', 'posts', 'activities', 'roster', 'records', 'import']" :key="k" type="button" role="tab" class="tab"
              :aria-selected="tab === k ? 'true' : 'false'" :data-testid="'vadm-tab-' + k" @click="tab = k">
        {{ t('vadm.tab' + k[0].toUpperCase() + k.slice(1)) }}
      </button>
    </div>
    <error-box :error="error"></error-box>
    <status-msg :text="notice"></status-msg>

    <div v-if="tab === 'volunteers'">
      <form class="toolbar" role="search" @submit.prevent="loadVols()">
        <div class="field"><label for="vf-status">{{ t('vadm.statusFilter') }}</label>
          <select id="vf-status" v-model="vfilter.status" @change="loadVols()">
            <option value="">{{ t('common.all') }}</option>
            <option v-for="s in ['pending', 'approved', 'rejected', 'suspended']" :key="s" :value="s">{{ t('vstatus.' + s) }}</option>
          </select></div>
        <div class="field"><label for="vf-type">{{ t('vadm.typeFilter') }}</label>
          <select id="vf-type" v-model="vfilter.vtype" @change="loadVols()">
            <option value="">{{ t('common.all') }}</option>
            <option v-for="s in ['white_collar', 'resident', 'student', 'party_member']" :key="s" :value="s">{{ t('vtype.' + s) }}</option>
          </select></div>
        <div class="field"><label for="vf-q">{{ t('vadm.search') }}</label><input id="vf-q" v-model="vfilter.q" type="search"></div>
        <button type="submit" class="btn btn-secondary">{{ t('common.search') }}</button>
      </form>
      <div class="table-wrap">
        <table class="list" data-testid="vol-list">
          <thead><tr><th>{{ t('vol.name') }}</th><th>{{ t('vol.type') }}</th><th>{{ t('vadm.age') }}</th><th>{{ t('vol.org') }}</th>
            <th>{{ t('vadm.teams') }}</th><th>{{ t('vadm.hours') }}</th><th>{{ t('vadm.stars') }}</th><th>{{ t('vadm.statusFilter') }}</th><th>{{ t('common.actions') }}</th></tr></thead>
          <tbody>
            <tr v-for="v in vols" :key="v.id">
              <td class="primary" :data-label="t('vol.name')">{{ v.name }}</td>
              <td :data-label="t('vol.type')">{{ t('vtype.' + v.vtype) }}</td>
              <td :data-label="t('vadm.age')">{{ v.age != null ? t('vadm.ageValue', { n: v.age }) : '—' }}</td>
              <td :data-label="t('vol.org')">{{ v.org_name }}</td>
              <td :data-label="t('vadm.teams')"><span v-for="tm in v.teams" :key="tm.team_id" class="chip">{{ tm.name }}<template v-if="tm.leader">（{{ t('vadm.leader') }}）</template></span></td>
              <td :data-label="t('vadm.hours')">{{ v.hours }}</td>
              <td :data-label="t('vadm.stars')" class="stars">{{ stars(v.stars) }}</td>
              <td :data-label="t('vadm.statusFilter')"><span class="badge">{{ t('vstatus.' + v.status) }}</span></td>
              <td class="actions" :data-label="t('common.actions')">
                <template v-if="writable">
                  <button v-if="v.status !== 'approved'" type="button" class="btn btn-primary btn-small" :data-testid="'approve-' + v.id" @click="decide(v, 'approve')">{{ t('vadm.approve') }}</button>
                  <button v-if="v.status === 'pending'" type="button" class="btn btn-secondary btn-small" @click="decide(v, 'reject')">{{ t('vadm.reject') }}</button>
                  <button v-if="v.status === 'approved'" type="button" class="btn btn-secondary btn-small" @click="decide(v, 'suspend')">{{ t('vadm.suspend') }}</button>
                </template>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <list-footer :loading="vloading" :empty="!vloading && !vols.length" :has-more="!!vcursor" @more="loadVols(false)"></list-footer>
    </div>

    <div v-if="tab === 'teams'">
      <div v-for="tm in teams" :key="tm.id" class="card" :data-testid="'team-' + tm.id">
        <h2>{{ tm.name }} <span class="muted">{{ tm.parent_name }} · {{ tm.members }}</span></h2>
        <p v-if="tm.leaders.length">{{ t('vadm.leader') }}：{{ tm.leaders.map((l) => l.name).join('、') }}</p>
        <button type="button" class="btn btn-link" @click="loadMembers(tm)">{{ t('vadm.members') }}</button>
        <ul v-if="members[tm.id]" class="roster-list">
          <li v-for="m in members[tm.id]" :key="m.volunteer_id">{{ m.name }} <span class="badge">{{ t('vtype.' + m.vtype) }}</span>
            <span v-if="m.leader" class="badge badge-ok">{{ t('vadm.leader') }}</span>
            <template v-if="writable">
              <button type="button" class="btn btn-link btn-small" @click="setMember(tm, m.volunteer_id, !m.leader)">{{ m.leader ? t('vadm.unsetLeader') : t('vadm.setLeader') }}</button>
              <button type="button" class="btn btn-link btn-small" @click="removeMember(tm, m.volunteer_id)">{{ t('common.delete') }}</button>
            </template></li>
        </ul>
        <form v-if="writable" class="toolbar" @submit.prevent="findVols(tm)">
          <div class="field"><label>{{ t('vadm.addMember') }}<input v-model="addOf(tm).q" type="search" :placeholder="t('vadm.search')"></label></div>
          <button type="submit" class="btn btn-secondary">{{ t('common.search') }}</button>
        </form>
        <ul v-if="addOf(tm).found.length" class="roster-list">
          <li v-for="v in addOf(tm).found" :key="v.id">{{ v.name }} · {{ v.org_name }}
            <button type="button" class="btn btn-link btn-small" @click="setMember(tm, v.id, false)">+ {{ t('vadm.addMember') }}</button></li>
        </ul>
      </div>
    </div>

    <div v-if="tab === 'activities'">
      <form v-if="writable" class="card" novalidate @submit.prevent="createAct">
        <h2>{{ t('vadm.newActivity') }}</h2>
        <div class="form-grid">
          <form-field :label="t('vadm.postOrg')" :error="afe.org_id" required v-slot="f"><select :id="f.id" v-bind="f.aria" v-model="af.org"><option value=""></option><option v-for="o in orgOptions" :key="o.value" :value="o.value">{{ o.label }}</option></select></form-field>
          <form-field :label="t('vadm.actTitle')" :error="afe.title" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="af.title"></form-field>
          <form-field :label="t('vadm.address')" optional v-slot="f"><input :id="f.id" v-model="af.place"></form-field>
          <form-field :label="t('vadm.organiser')" optional v-slot="f"><input :id="f.id" v-model="af.organiser"></form-field>
          <form-field :label="t('vadm.recurrence')" v-slot="f"><select :id="f.id" v-model="af.recurrence"><option value="once">{{ t('vadm.once') }}</option><option value="monthly">{{ t('vadm.monthly') }}</option></select></form-field>
          <form-field v-if="af.recurrence === 'monthly'" :label="t('vadm.dayOfMonth')" :error="afe.day_of_month" v-slot="f"><input :id="f.id" v-model="af.day_of_month" type="number" min="1" max="28"></form-field>
          <form-field :label="af.recurrence === 'monthly' ? t('vadm.generateFrom') : t('vadm.date')" :error="afe.date" v-slot="f"><input :id="f.id" v-model="af.date" type="date"></form-field>
          <form-field :label="t('vadm.start')" :error="afe.start" v-slot="f"><input :id="f.id" v-model="af.start" type="time"></form-field>
          <form-field :label="t('vadm.end')" :error="afe.end" v-slot="f"><input :id="f.id" v-model="af.end" type="time"></form-field>
          <form-field :label="t('vadm.capacity')" :error="afe.capacity" v-slot="f"><input :id="f.id" v-model="af.capacity" type="number" min="1"></form-field>
          <form-field class="span-2" :label="t('vadm.content')" optional v-slot="f"><textarea :id="f.id" v-model="af.content" rows="2"></textarea></form-field>
        </div>
        <div class="form-actions"><button type="submit" class="btn btn-primary">{{ t('vadm.create') }}</button></div>
      </form>
      <ul class="shift-list">
        <li v-for="a in acts" :key="a.id" class="card"><strong>{{ a.title }}</strong> <span class="muted">{{ a.org_name }}</span>
          <div class="muted">{{ a.recurrence === 'monthly' ? t('vadm.monthlyOn', { d: a.day_of_month }) : t('vadm.once') }} · {{ a.place || '' }}</div>
          <div v-if="a.next_start">{{ t('vadm.next') }} {{ formatTime(a.next_start) }}</div></li>
      </ul>
    </div>

    <div v-if="tab === 'posts'">
      <p v-if="writable"><button type="button" class="btn btn-primary" @click="showPost = !showPost" data-testid="post-new">+ {{ t('vadm.newPost') }}</button></p>
      <form v-if="showPost" class="card" novalidate @submit.prevent="createPost">
        <div class="form-grid">
          <form-field :label="t('vadm.postOrg')" :error="pfe.org_id" required v-slot="f"><select :id="f.id" v-bind="f.aria" v-model="pf.org"><option value=""></option><option v-for="o in orgOptions" :key="o.value" :value="o.value">{{ o.label }}</option></select></form-field>
          <form-field :label="t('vadm.postName')" :error="pfe.name" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="pf.name"></form-field>
          <form-field :label="t('vadm.postKind')" v-slot="f"><select :id="f.id" v-model="pf.kind"><option v-for="k in KINDS" :key="k" :value="k">{{ t('vadm.kinds.' + k) }}</option></select></form-field>
          <form-field :label="t('vadm.address')" optional v-slot="f"><input :id="f.id" v-model="pf.address"></form-field>
          <form-field :label="t('vadm.lat')" :error="pfe.location" optional v-slot="f"><input :id="f.id" v-model="pf.lat" inputmode="decimal"></form-field>
          <form-field :label="t('vadm.lng')" optional v-slot="f"><input :id="f.id" v-model="pf.lng" inputmode="decimal"></form-field>
          <form-field :label="t('vadm.radius')" :error="pfe.radius_m" v-slot="f"><input :id="f.id" v-model="pf.radius_m" type="number"></form-field>
          <form-field :label="t('vadm.claimLimit')" :error="pfe.claim_limit" v-slot="f"><input :id="f.id" v-model="pf.claim_limit" type="number"></form-field>
          <form-field :label="t('vadm.minAge')" :error="pfe.min_age" optional v-slot="f"><input :id="f.id" v-model="pf.min_age" type="number"></form-field>
          <form-field :label="t('vadm.maxAge')" :error="pfe.max_age" optional v-slot="f"><input :id="f.id" v-model="pf.max_age" type="number"></form-field>
          <form-field :label="t('vadm.skill')" optional v-slot="f"><input :id="f.id" v-model="pf.required_skill"></form-field>
          <form-field class="span-2" :label="t('vadm.rules')" optional v-slot="f"><textarea :id="f.id" v-model="pf.rules" rows="2"></textarea></form-field>
        </div>
        <div class="form-actions"><button type="submit" class="btn btn-primary">{{ t('vadm.create') }}</button></div>
      </form>
      <div v-for="p in posts" :key="p.id" class="card" :data-testid="'post-' + p.id">
        <h2>{{ p.name }} <span v-if="p.vanguard" class="badge badge-vanguard">{{ t('party.vanguard') }}</span> <span class="muted">{{ p.org_name }} · {{ t('vadm.kinds.' + p.kind) }}</span></h2>
        <p v-if="p.address" class="muted">{{ p.address }}<template v-if="p.location"> · {{ t('vadm.radius') }} {{ p.radius_m }}</template></p>
        <h3>{{ t('vadm.patterns') }}</h3>
        <ul><li v-for="x in p.patterns" :key="x.id">{{ fmtPattern(x) }} <button v-if="writable" type="button" class="btn btn-link btn-small" @click="delPattern(p, x.id)">{{ t('common.delete') }}</button></li></ul>
        <div v-if="writable" class="toolbar">
          <fieldset><legend>{{ t('vadm.weekdays') }}</legend>
            <label v-for="i in 7" :key="i" class="check"><input type="checkbox" :value="i" v-model="patOf(p).days">{{ t('vadm.wd')[i - 1] }}</label></fieldset>
          <div class="field"><label>{{ t('vadm.start') }}<input type="time" v-model="patOf(p).start"></label></div>
          <div class="field"><label>{{ t('vadm.end') }}<input type="time" v-model="patOf(p).end"></label></div>
          <div class="field"><label>{{ t('vadm.capacity') }}<input type="number" min="1" v-model="patOf(p).capacity"></label></div>
          <button type="button" class="btn btn-secondary" @click="addPattern(p)">{{ t('vadm.addPattern') }}</button>
        </div>
        <div v-if="writable" class="toolbar">
          <div class="field"><label>{{ t('vadm.generateFrom') }}<input type="date" v-model="patOf(p).from"></label></div>
          <div class="field"><label>{{ t('vadm.generateDays') }}<input type="number" min="1" max="92" v-model="patOf(p).ndays"></label></div>
          <button type="button" class="btn btn-primary" @click="generate(p)" :data-testid="'generate-' + p.id">{{ t('vadm.generate') }}</button>
          <a class="btn btn-secondary" :href="'/api/v1/posts/' + p.id + '/qr?format=png'" target="_blank" rel="noopener">{{ t('vadm.qr') }}</a>
          <button type="button" class="btn btn-link" @click="loadClaims(p)">{{ t('vadm.claims') }}</button>
        </div>
        <ul v-if="claims[p.id]">
          <li v-for="c in claims[p.id]" :key="c.id">{{ c.claimant_name }} · {{ c.start_date }}–{{ c.end_date }} · {{ c.status }}
            <template v-if="c.status === 'pending' && writable">
              <button type="button" class="btn btn-link btn-small" @click="decideClaim(p, c, 'approve')">{{ t('vadm.approve') }}</button>
              <button type="button" class="btn btn-link btn-small" @click="decideClaim(p, c, 'reject')">{{ t('vadm.reject') }}</button>
            </template></li>
        </ul>
      </div>
    </div>

    <div v-if="tab === 'roster'">
      <div class="toolbar">
        <button type="button" class="btn btn-secondary" @click="shiftWeek(-1)">‹ {{ t('vadm.prevWeek') }}</button>
        <strong>{{ t('vadm.week') }} {{ ymd(week) }}</strong>
        <button type="button" class="btn btn-secondary" @click="shiftWeek(1)">{{ t('vadm.nextWeek') }} ›</button>
        <span v-if="noShows" class="badge badge-warn">{{ t('vadm.noShows', { n: noShows }) }}</span>
      </div>
      <div v-for="s in byShift" :key="s.id" class="card" :data-testid="'roster-' + s.id">
        <h3>{{ formatTime(s.start_at) }}–{{ formatTime(s.end_at).slice(11) }} {{ s.title }}
          <span v-if="s.status === 'cancelled'" class="badge badge-off">{{ t('sstatus.cancelled') }}</span>
          <button v-else-if="writable && Date.parse(s.start_at) > Date.now()" type="button" class="btn btn-link btn-small" @click="cancelShift(s)">{{ t('vadm.cancelShift') }}</button></h3>
        <ul class="roster-list">
          <li v-for="g in s.items" :key="g.id">{{ g.volunteer_name }} <span v-if="g.party_member" class="badge badge-party">{{ t('party.badge') }}</span> <span class="muted mono">{{ g.phone_masked }}</span>
            <span class="badge">{{ t('sstatus.' + g.status) }}<template v-if="g.waitlist_position"> #{{ g.waitlist_position }}</template></span>
            <span v-if="g.attendance" class="badge" :class="g.attendance === 'no_show' ? 'badge-warn' : 'badge-ok'">{{ t('attendance.' + g.attendance) }}</span>
            <span v-if="g.hours" class="muted">{{ g.hours }} h</span>
            <span v-if="g.checkin_at" class="muted">{{ t('vol.checkedIn', { t: formatTime(g.checkin_at).slice(11) }) }}</span>
            <button v-if="writable && g.status === 'confirmed' && !g.checkin_at && !g.attendance" type="button" class="btn btn-link btn-small" @click="confirmCheckin(g)">{{ t('vadm.confirmCheckin') }}</button>
          </li>
        </ul>
      </div>
      <p v-if="!byShift.length" class="empty">{{ t('vadm.rosterEmpty') }}</p>
    </div>

    <div v-if="tab === 'records'">
      <p v-if="writable && recs.length"><button type="button" class="btn btn-primary" @click="approveAll">{{ t('vadm.approveAll') }}</button></p>
      <div class="table-wrap"><table class="list" data-testid="records-list">
        <thead><tr><th>{{ t('vol.name') }}</th><th>活动</th><th>日期</th><th>地点</th><th>{{ t('vadm.hours') }}</th><th>{{ t('common.actions') }}</th></tr></thead>
        <tbody><tr v-for="r in recs" :key="r.id">
          <td class="primary">{{ r.volunteer_name }}</td><td>{{ r.activity_name }}</td><td>{{ r.service_date }}</td><td>{{ r.place }}</td><td>{{ r.hours }}</td>
          <td class="actions"><template v-if="writable">
            <button type="button" class="btn btn-primary btn-small" @click="decideRec(r, 'approve').then(loadRecs)">{{ t('vadm.approve') }}</button>
            <button type="button" class="btn btn-secondary btn-small" @click="decideRec(r, 'reject').then(loadRecs)">{{ t('vadm.reject') }}</button></template></td>
        </tr></tbody></table></div>
      <p v-if="!recs.length" class="empty">{{ t('vadm.recordsEmpty') }}</p>
    </div>

    <div v-if="tab === 'import'" class="card">
      <p><a class="btn btn-primary" href="/api/v1/records/xlsx" download data-testid="hours-xlsx">{{ t('vadm.exportXlsx') }}</a></p>
      <template v-if="writable">
        <h2>{{ t('vadm.importTitle') }}</h2>
        <p class="muted">{{ t('vadm.importHint') }}</p>
        <div class="form-grid">
          <form-field :label="t('vadm.importOrg')" required v-slot="f"><select :id="f.id" v-model="imp.org"><option value=""></option><option v-for="o in orgOptions" :key="o.value" :value="o.value">{{ o.label }}</option></select></form-field>
          <form-field :label="t('vadm.importFile')" required v-slot="f"><input :id="f.id" type="file" accept=".csv,.xlsx" @change="imp.file = $event.target.files[0]"></form-field>
        </div>
        <label class="check"><input type="checkbox" v-model="imp.validOnly">{{ t('vadm.validOnly') }}</label>
        <div class="form-actions"><button type="button" class="btn btn-primary" @click="doImport">{{ t('vadm.import') }}</button></div>
        <ul v-if="imp.report && imp.report.rows" class="import-report">
          <li v-for="row in imp.report.rows" :key="row.row">{{ t('vadm.rowError', { row: row.row }) }}：<span v-for="e in row.errors" :key="e.field + e.code">{{ e.message }}；</span></li>
        </ul>
      </template>
    </div>
  </section>`,
};
