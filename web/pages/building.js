// #/buildings/:id — one building's page (docs/PARTY.md "buildings"): its reps
// (党员 badge), notices (pass one on), the 接龙 rosters with their entries and
// export, open problems and volunteers living there. Phone first (360 px).
// BuildingView is also what /buildings shows a rep ("my building").
import { ref, reactive, computed, inject, onMounted, watch } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { can } from '../session.js';

const today = (d = 0) => new Date(Date.now() + 8 * 3600e3 + d * 86400e3).toISOString().slice(0, 10);

export const BuildingView = {
  name: 'BuildingView',
  props: { id: { type: Number, required: true } },
  setup(props) {
    const b = ref(null);
    const error = ref(null);
    const notice = reactive({ title: '', body: '' });
    const roster = reactive({ title: '', description: '', closes_on: today(7) });
    const fe = reactive({});
    const sent = ref(null);
    const entries = ref({});
    async function load() {
      error.value = null;
      try { b.value = await api.get('/buildings/' + enc(props.id)); } catch (e) { error.value = e; }
    }
    onMounted(load);
    watch(() => props.id, load);
    const clear = () => { for (const k of Object.keys(fe)) delete fe[k]; };
    async function sendNotice() {
      clear();
      try {
        const r = await api.post('/buildings/' + enc(props.id) + '/notices', { title: notice.title.trim(), body: notice.body.trim() });
        sent.value = r;
        notice.title = ''; notice.body = '';
        load();
      } catch (e) { Object.assign(fe, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    async function openRoster() {
      clear();
      try {
        const body = { title: roster.title.trim(), closes_on: roster.closes_on };
        if (roster.description.trim()) body.description = roster.description.trim();
        await api.post('/buildings/' + enc(props.id) + '/rosters', body);
        roster.title = ''; roster.description = '';
        load();
      } catch (e) { Object.assign(fe, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    async function showEntries(ro) {
      try { entries.value = { ...entries.value, [ro.id]: (await api.get('/rosters/' + enc(ro.id) + '/entries', { limit: 200 })).items }; } catch (e) { error.value = e; }
    }
    const writable = computed(() => can('buildings.write'));
    return { b, error, notice, roster, fe, sent, entries, writable, can, sendNotice, openRoster, showEntries };
  },
  template: `
  <div class="building-view">
    <error-box :error="error"></error-box>
    <template v-if="b">
      <h1 class="page-title" tabindex="-1" data-testid="building-name">{{ b.compound_name }} {{ b.name }}</h1>
      <p class="muted">{{ b.community && b.community.name }} · {{ t('bld.accounts', { n: b.accounts }) }}</p>
      <h2>{{ t('bld.reps') }}</h2>
      <p v-if="!b.reps.length" class="empty">{{ t('bld.noReps') }}</p>
      <ul class="tiles" data-testid="rep-list">
        <li v-for="r in b.reps" :key="r.id" class="card">
          <strong>{{ r.name }}</strong>
          <span v-if="r.party_member" class="badge badge-party_org">{{ t('bld.party') }}</span>
          <span v-if="!r.active" class="badge">{{ t('bld.former') }}</span>
          <br><span class="muted">{{ r.coverage || '—' }}<template v-if="r.channel"> · {{ r.channel }}</template> · {{ r.phone_masked }}</span>
          <br v-if="r.duties"><span v-if="r.duties">{{ r.duties }}</span>
        </li>
      </ul>
      <h2>{{ t('bld.notices') }}</h2>
      <form v-if="writable" class="card stack" @submit.prevent="sendNotice" data-testid="notice-form">
        <form-field :label="t('bld.noticeTitle')" :error="fe.title" v-slot="f"><input :id="f.id" v-model="notice.title" maxlength="60" data-testid="notice-title"></form-field>
        <form-field :label="t('bld.noticeBody')" :error="fe.body" v-slot="f"><textarea :id="f.id" v-model="notice.body" rows="3" maxlength="2000" data-testid="notice-body"></textarea></form-field>
        <button type="submit" class="btn btn-primary" data-testid="notice-send">{{ t('bld.send') }}</button>
        <p v-if="sent" class="ok" data-testid="notice-sent">{{ sent.delivered ? t('bld.delivered', { n: sent.recipients }) : t('bld.recorded') }}</p>
      </form>
      <p v-if="!b.notices.length" class="empty">{{ t('bld.noNotices') }}</p>
      <ul class="tiles" data-testid="notice-list">
        <li v-for="n in b.notices" :key="n.id" class="card"><strong>{{ n.title }}</strong><br>{{ n.body }}<br>
          <span class="muted">{{ n.sender || '' }} · {{ n.created_at.slice(0, 16).replace('T', ' ') }} · {{ t('bld.reached', { n: n.recipients }) }}</span></li>
      </ul>
      <h2>{{ t('bld.rosters') }}</h2>
      <ul class="tiles" data-testid="roster-list">
        <li v-for="ro in b.rosters" :key="ro.id" class="card">
          <strong>{{ ro.title }}</strong> <span :class="'badge ' + (ro.open ? 'badge-on' : 'badge-off')">{{ ro.open ? t('bld.open') : t('bld.closed') }}</span>
          <br><span class="muted">{{ t('bld.closesOn', { d: ro.closes_on }) }} · {{ t('bld.entries', { n: ro.entries }) }}</span>
          <div class="row-actions">
            <button type="button" class="btn btn-secondary btn-small" @click="showEntries(ro)">{{ t('bld.showEntries') }}</button>
            <a class="btn btn-secondary btn-small" :href="'/api/v1/rosters/' + ro.id + '/export?format=xlsx'" download>{{ t('bld.exportXlsx') }}</a>
            <a class="btn btn-secondary btn-small" :href="'/api/v1/rosters/' + ro.id + '/export?format=csv'" download>CSV</a>
          </div>
          <ol v-if="entries[ro.id]"><li v-for="e in entries[ro.id]" :key="e.id">{{ e.name }} · {{ e.room }}<template v-if="e.note"> · {{ e.note }}</template></li></ol>
        </li>
      </ul>
      <form v-if="writable" class="card stack" @submit.prevent="openRoster" data-testid="roster-form">
        <form-field :label="t('bld.rosterTitle')" :error="fe.title" v-slot="f"><input :id="f.id" v-model="roster.title" maxlength="60"></form-field>
        <form-field :label="t('bld.rosterDesc')" v-slot="f"><input :id="f.id" v-model="roster.description" maxlength="1000"></form-field>
        <form-field :label="t('bld.rosterCloses')" :error="fe.closes_on" v-slot="f"><input :id="f.id" type="date" v-model="roster.closes_on"></form-field>
        <button type="submit" class="btn btn-secondary">{{ t('bld.openRoster') }}</button>
      </form>
      <h2>{{ t('bld.problems', { n: b.problems.open }) }}</h2>
      <ul class="tiles">
        <li v-for="p in b.problems.items" :key="p.id" class="card"><a :href="'#/problems/' + p.id">{{ p.code }}</a> {{ p.category }} · {{ t('states.' + p.state) }}</li>
      </ul>
      <h2>{{ t('bld.volunteers', { n: b.volunteers.count }) }}</h2>
      <p class="muted">{{ b.volunteers.names.join('、') }}</p>
      <p v-if="can('homewatch.manage')"><a class="btn btn-secondary" :href="'#/home-watch?building_id=' + b.id">{{ t('nav.homeWatch') }}</a></p>
    </template>
  </div>`,
};

export default {
  name: 'BuildingPage',
  components: { BuildingView },
  setup() {
    const route = inject('route');
    const id = computed(() => Number(route.value.path.split('/')[2]));
    return { id };
  },
  template: `<section class="page"><building-view :id="id"></building-view></section>`,
};
