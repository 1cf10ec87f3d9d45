// #/meetings — 三会一课 for a branch secretary (docs/PARTY.md): the meetings of
// the orgs in the caller's scope (filter by type and state), and a form to
// plan or record one; a planned meeting notifies the branch's members.
// Phone first: one column at 360 px, cards instead of a table.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api } from '../api.js';
import { t } from '../i18n.js';

export const TYPES = ['member_meeting', 'committee_meeting', 'group_meeting', 'lecture', 'theme_day'];
export const STATES = ['planned', 'held', 'cancelled'];
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

export default {
  name: 'MeetingsPage',
  setup() {
    const items = ref([]);
    const next = ref(null);
    const loading = ref(false);
    const error = ref(null);
    const orgs = ref([]);
    const filter = reactive({ type: '', state: '' });
    const form = reactive({ org_id: '', type: 'theme_day', held_on: today(), start_time: '19:00', place: '', topic: '', speaker: '', state: 'planned' });
    const formError = ref(null);
    const saving = ref(false);
    const msg = ref('');
    async function load(more = false) {
      loading.value = true;
      error.value = null;
      try {
        const q = { limit: 30 };
        if (filter.type) q.type = filter.type;
        if (filter.state) q.state = filter.state;
        if (more && next.value) q.cursor = next.value;
        const r = await api.get('/party/meetings', q);
        items.value = more ? items.value.concat(r.items) : r.items;
        next.value = r.next_cursor;
      } catch (e) { error.value = e; } finally { loading.value = false; }
    }
    async function create() {
      formError.value = null;
      saving.value = true;
      try {
        const body = { ...form, org_id: Number(form.org_id) };
        for (const k of ['place', 'speaker', 'start_time']) if (!body[k]) delete body[k];
        const m = await api.post('/party/meetings', body);
        msg.value = t('meet.created');
        form.topic = '';
        location.hash = `#/meetings/${m.id}`;
      } catch (e) { formError.value = e; } finally { saving.value = false; }
    }
    onMounted(async () => {
      load();
      try {
        const r = await api.get('/orgs', { kind: 'party_org', limit: 200 });
        orgs.value = r.items;
        if (orgs.value.length) form.org_id = orgs.value.find((o) => o.subkind === 'party_branch')?.id || orgs.value[0].id;
      } catch (e) { error.value = e; }
    });
    return { items, next, loading, error, orgs, filter, form, formError, saving, msg, load, create, TYPES, STATES, t };
  },
  template: `
  <section class="page" data-testid="meetings-page">
    <h1 tabindex="-1">{{ t('meet.title') }}</h1>
    <details class="card" data-testid="meeting-new">
      <summary><strong>{{ t('meet.add') }}</strong></summary>
      <form @submit.prevent="create" class="stack">
        <form-field :label="t('meet.org')" required v-slot="f"><select :id="f.id" v-model="form.org_id" data-testid="m-org"><option v-for="o in orgs" :key="o.id" :value="o.id">{{ o.name }}</option></select></form-field>
        <form-field :label="t('meet.type')" required v-slot="f"><select :id="f.id" v-model="form.type" data-testid="m-type"><option v-for="k in TYPES" :key="k" :value="k">{{ t('meet.types.' + k) }}</option></select></form-field>
        <form-field :label="t('meet.topic')" required v-slot="f"><input :id="f.id" v-model="form.topic" maxlength="200" data-testid="m-topic"></form-field>
        <form-field :label="t('meet.day')" required v-slot="f"><input :id="f.id" type="date" v-model="form.held_on" data-testid="m-day"></form-field>
        <form-field :label="t('meet.time')" optional v-slot="f"><input :id="f.id" type="time" v-model="form.start_time"></form-field>
        <form-field :label="t('meet.place')" optional v-slot="f"><input :id="f.id" v-model="form.place" maxlength="100"></form-field>
        <form-field :label="t('meet.speaker')" optional v-slot="f"><input :id="f.id" v-model="form.speaker" maxlength="50"></form-field>
        <form-field :label="t('meet.state')" v-slot="f"><select :id="f.id" v-model="form.state"><option v-for="s in STATES" :key="s" :value="s">{{ t('meet.states.' + s) }}</option></select></form-field>
        <error-box :error="formError"></error-box>
        <div class="form-actions"><button class="btn btn-primary" :disabled="saving" data-testid="m-create">{{ t('meet.save') }}</button></div>
      </form>
    </details>
    <p v-if="msg" class="alert alert-ok" role="status">{{ msg }}</p>
    <div class="filters">
      <select v-model="filter.type" @change="load()" :aria-label="t('meet.type')"><option value="">{{ t('meet.all') }}</option><option v-for="k in TYPES" :key="k" :value="k">{{ t('meet.types.' + k) }}</option></select>
      <select v-model="filter.state" @change="load()" :aria-label="t('meet.state')"><option value="">{{ t('meet.all') }}</option><option v-for="s in STATES" :key="s" :value="s">{{ t('meet.states.' + s) }}</option></select>
    </div>
    <error-box :error="error"></error-box>
    <ul class="cards" data-testid="meeting-list">
      <li v-for="m in items" :key="m.id" class="card">
        <a :href="'#/meetings/' + m.id" data-testid="meeting-link"><strong>{{ m.topic }}</strong></a>
        <p class="muted">{{ m.held_on }} {{ m.start_time || '' }} · {{ t('meet.types.' + m.type) }} · {{ t('meet.states.' + m.state) }}</p>
        <p class="muted">{{ m.org_name }}<span v-if="m.place"> · {{ m.place }}</span> · {{ t('meet.present', { n: m.present }) }} · {{ t('meet.leave', { n: m.on_leave }) }}</p>
      </li>
    </ul>
    <list-footer :loading="loading" :empty="!loading && !items.length" :has-more="!!next" @more="load(true)"></list-footer>
  </section>`,
};
