// #/rounds — inspection rounds: the list, and (office) a new round as a ring
// of communities in the order ticked (咬尾巴), the reverse of an earlier round.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api } from '../api.js';
import { can, session } from '../session.js';
import { t } from '../i18n.js';
import { loadCommunities } from '../problem-data.js';

export default {
  name: 'RoundsPage',
  setup() {
    const items = ref([]);
    const error = ref(null);
    const creating = ref(false);
    const orgs = ref([]);
    const form = reactive({ name: '', mode: 'ring', picked: [], reverse_of: '', starts_on: '', ends_on: '' });
    const fe = reactive({});
    const busy = ref(false);
    async function load() {
      try { items.value = ((await api.get('/rounds', { limit: 100 })) || {}).items || []; } catch (e) { error.value = e; }
    }
    onMounted(load);
    async function openNew() {
      creating.value = true;
      try { orgs.value = await loadCommunities(); } catch (e) { error.value = e; }
    }
    function toggle(id) {
      const i = form.picked.indexOf(id);
      if (i >= 0) form.picked.splice(i, 1); else form.picked.push(id);
    }
    const orderText = () => form.picked.map((id) => (orgs.value.find((o) => o.id === id) || {}).name).concat(form.picked.length ? [(orgs.value.find((o) => o.id === form.picked[0]) || {}).name] : []).join(' → ');
    async function create() {
      for (const k of Object.keys(fe)) delete fe[k];
      busy.value = true;
      error.value = null;
      try {
        const street = (session.account.grants.find((g) => ['admin', 'office'].includes(g.role)) || {}).org_id;
        const scope = orgs.value.length ? orgs.value[0].parent_id || street : street;
        const body = { name: form.name.trim(), mode: form.mode, scope_org_id: scope };
        if (form.mode === 'ring') body.org_ids = form.picked;
        if (form.mode === 'reverse') body.reverse_of = Number(form.reverse_of);
        if (form.starts_on) body.starts_on = form.starts_on;
        if (form.ends_on) body.ends_on = form.ends_on;
        const r = await api.post('/rounds', body);
        window.location.hash = '#/rounds/' + r.id;
      } catch (e) {
        Object.assign(fe, e.fieldMap ? e.fieldMap() : {});
        error.value = e;
      } finally { busy.value = false; }
    }
    return { items, error, creating, orgs, form, fe, busy, can, openNew, toggle, orderText, create };
  },
  template: `
  <section class="page">
    <div class="page-head">
      <h1 class="page-title" tabindex="-1">{{ t('rounds.title') }}</h1>
      <div class="toolbar"><button v-if="can('rounds.write')" type="button" class="btn btn-primary" data-testid="round-new" @click="openNew">{{ t('rounds.new') }}</button></div>
    </div>
    <p class="muted">{{ t('rounds.intro') }}</p>
    <error-box :error="error" :known="creating ? ['name'] : []"></error-box>
    <form v-if="creating" class="card" novalidate @submit.prevent="create" data-testid="round-form">
      <form-field :label="t('rounds.name')" :error="fe.name" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.name" data-testid="round-name"></form-field>
      <form-field :label="t('rounds.mode')" v-slot="f">
        <select :id="f.id" v-model="form.mode">
          <option value="ring">{{ t('rounds.ring') }}</option>
          <option value="reverse">{{ t('rounds.reverse') }}</option>
        </select>
      </form-field>
      <fieldset v-if="form.mode === 'ring'" class="field">
        <legend class="field-label">{{ t('rounds.orgs') }}</legend>
        <label v-for="o in orgs" :key="o.id" class="check"><input type="checkbox" :checked="form.picked.includes(o.id)" @change="toggle(o.id)"> {{ o.name }}<span v-if="form.picked.includes(o.id)" class="muted"> #{{ form.picked.indexOf(o.id) + 1 }}</span></label>
        <p v-if="form.picked.length > 1" class="hint">{{ t('rounds.order', { list: orderText() }) }}</p>
      </fieldset>
      <form-field v-else :label="t('rounds.reverseOf')" :error="fe.reverse_of" v-slot="f">
        <select :id="f.id" v-model="form.reverse_of"><option v-for="r in items" :key="r.id" :value="r.id">{{ r.name }}</option></select>
      </form-field>
      <form-field :label="t('rounds.startsOn')" v-slot="f"><input :id="f.id" type="date" v-model="form.starts_on"></form-field>
      <form-field :label="t('rounds.endsOn')" v-slot="f"><input :id="f.id" type="date" v-model="form.ends_on"></form-field>
      <div class="form-actions"><button type="submit" class="btn btn-primary" :disabled="busy">{{ t('rounds.create') }}</button></div>
    </form>
    <p v-if="!items.length" class="empty">{{ t('rounds.none') }}</p>
    <div v-else class="table-wrap">
      <table class="list" data-testid="round-list">
        <thead><tr><th>{{ t('rounds.name') }}</th><th>{{ t('rounds.mode') }}</th><th>{{ t('rounds.pairs') }}</th><th>{{ t('rounds.problems') }}</th></tr></thead>
        <tbody>
          <tr v-for="r in items" :key="r.id">
            <td><a :href="'#/rounds/' + r.id">{{ r.name }}</a> <span class="badge" :class="r.state === 'open' ? 'badge-on' : 'badge-off'">{{ t('rounds.' + r.state) }}</span></td>
            <td :data-label="t('rounds.mode')">{{ t('rounds.' + r.mode) }}</td>
            <td :data-label="t('rounds.pairs')">{{ r.inspection_count }} / {{ r.pair_count }}</td>
            <td :data-label="t('rounds.problems')">{{ r.problem_count }}</td>
          </tr>
        </tbody>
      </table>
    </div>
  </section>`,
};
