// #/tasks — daily check tasks (一日三查, 包干区 patrols): the day's tasks with a
// "done" button, counts per org and person over the last 7 days, and the
// watched points and zones (new zones by 居委 and office).
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc, getAll } from '../api.js';
import { can } from '../session.js';

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

export default {
  name: 'TasksPage',
  setup() {
    const date = ref(today());
    const tasks = ref([]);
    const targets = ref([]);
    const stats = ref({ org: [], person: [] });
    const by = ref('org');
    const error = ref(null);
    const adding = ref(false);
    const orgs = ref([]);
    const form = reactive({ name: '', org_id: '', person: '', quota: 2 });
    const fe = reactive({});
    async function load() {
      error.value = null;
      try {
        const [tk, tg, so, sp] = await Promise.all([
          getAll('/tasks', { date: date.value }), api.get('/watch-targets'),
          api.get('/tasks/stats', { by: 'org' }), api.get('/tasks/stats', { by: 'person' }),
        ]);
        tasks.value = tk;
        targets.value = tg.items;
        stats.value = { org: so.items, person: sp.items };
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    async function markDone(tk) {
      try {
        const r = await api.post('/tasks/' + enc(tk.id) + '/done', {});
        Object.assign(tk, r);
      } catch (e) { error.value = e; }
    }
    async function openAdd() {
      adding.value = true;
      try { orgs.value = (await getAll('/orgs', { kind: 'party_org' })).concat(await getAll('/orgs', { kind: 'team' }), await getAll('/orgs', { kind: 'community' })); } catch (e) { error.value = e; }
    }
    async function add() {
      for (const k of Object.keys(fe)) delete fe[k];
      try {
        const body = { kind: 'zone', name: form.name.trim(), org_id: Number(form.org_id) || 0, quota: Number(form.quota) };
        if (form.person.trim()) body.person = form.person.trim();
        await api.post('/watch-targets', body);
        adding.value = false;
        load();
      } catch (e) { Object.assign(fe, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    return { date, tasks, targets, stats, by, error, adding, orgs, form, fe, can, load, markDone, openAdd, add };
  },
  template: `
  <section class="page">
    <h1 class="page-title" tabindex="-1">{{ t('tasks.title') }}</h1>
    <p class="muted">{{ t('tasks.intro') }}</p>
    <error-box :error="error"></error-box>
    <form class="filters card" @submit.prevent="load">
      <form-field :label="t('tasks.date')" v-slot="f"><input :id="f.id" type="date" v-model="date" @change="load" data-testid="tasks-date"></form-field>
    </form>
    <p v-if="!tasks.length" class="empty">{{ t('tasks.none') }}</p>
    <ul class="task-list" data-testid="task-list">
      <li v-for="tk in tasks" :key="tk.id" class="card task-row">
        <span class="grow"><strong>{{ tk.name }}</strong> · {{ t('tasks.slot', { n: tk.slot }) }}<br><span class="muted">{{ tk.org_name }}<template v-if="tk.person"> · {{ tk.person }}</template><template v-if="tk.done_by_name"> · {{ tk.done_by_name }}</template></span></span>
        <span :class="'task-state-' + tk.state">{{ t('tasks.' + tk.state) }}</span>
        <button v-if="tk.state === 'open' || tk.state === 'missed'" type="button" class="btn btn-primary btn-small" @click="markDone(tk)">{{ t('tasks.markDone') }}</button>
      </li>
    </ul>
    <h2>{{ t('tasks.stats') }}</h2>
    <div class="tabs" role="tablist">
      <button type="button" class="tab" role="tab" :aria-selected="by === 'org' ? 'true' : 'false'" @click="by = 'org'">{{ t('tasks.byOrg') }}</button>
      <button type="button" class="tab" role="tab" :aria-selected="by === 'person' ? 'true' : 'false'" @click="by = 'person'">{{ t('tasks.byPerson') }}</button>
    </div>
    <div class="table-wrap">
      <table class="list" data-testid="task-stats">
        <thead><tr><th>{{ by === 'org' ? t('rounds.org') : t('tasks.person') }}</th><th>{{ t('tasks.done') }}</th><th>{{ t('tasks.late') }}</th><th>{{ t('tasks.missed') }}</th><th>{{ t('tasks.open') }}</th></tr></thead>
        <tbody><tr v-for="(s, i) in stats[by]" :key="i"><td class="primary" :data-label="by === 'org' ? t('rounds.org') : t('tasks.person')">{{ by === 'org' ? s.org_name : (s.name || '—') + '（' + s.org_name + '）' }}</td><td :data-label="t('tasks.done')">{{ s.done }}</td><td :data-label="t('tasks.late')">{{ s.late }}</td><td class="task-state-missed" :data-label="t('tasks.missed')">{{ s.missed }}</td><td :data-label="t('tasks.open')">{{ s.open }}</td></tr></tbody>
      </table>
    </div>
    <div class="page-head"><h2>{{ t('tasks.targets') }}</h2>
      <button v-if="can('tasks.write')" type="button" class="btn btn-secondary" @click="openAdd">{{ t('tasks.newZone') }}</button></div>
    <form v-if="adding" class="card form-grid" novalidate @submit.prevent="add">
      <form-field :label="t('tasks.zoneName')" :error="fe.name" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.name"></form-field>
      <form-field :label="t('tasks.claimOrg')" :error="fe.org_id" required v-slot="f">
        <select :id="f.id" v-bind="f.aria" v-model="form.org_id"><option value=""></option><option v-for="o in orgs" :key="o.id" :value="o.id">{{ o.name }}</option></select>
      </form-field>
      <form-field :label="t('tasks.person')" v-slot="f"><input :id="f.id" v-model="form.person"></form-field>
      <form-field :label="t('tasks.quota')" :error="fe.quota" v-slot="f"><input :id="f.id" type="number" min="1" max="24" v-model="form.quota" class="num-input"></form-field>
      <div class="form-actions"><button type="submit" class="btn btn-primary">{{ t('tasks.add') }}</button></div>
    </form>
    <ul class="task-list">
      <li v-for="w in targets" :key="w.id" class="card task-row">
        <span class="grow"><strong>{{ w.name }}</strong> <span class="muted">{{ w.kind === 'zone' ? t('tasks.zone') : t('tasks.site') }} · {{ w.org_name }}<template v-if="w.person"> · {{ w.person }}</template></span></span>
        <span>{{ t('tasks.perDay', { n: w.quota }) }}</span>
      </li>
    </ul>
  </section>`,
};
