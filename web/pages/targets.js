// #/targets — 目标责任书 (docs/PARTY.md "targets"): the year's overview across
// communities and units (met / total), and per org the letter's items with a
// live progress bar, the period and the sample size; staff create a draft,
// edit its items, issue it, record the signatures, mark commitments done and
// enter 知晓率; anyone who reads it downloads the printable letter (PDF).
import { ref, reactive, computed, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { can } from '../session.js';
import { t } from '../i18n.js';

const thisYear = () => new Date(Date.now() + 8 * 3600e3).getUTCFullYear();

export default {
  name: 'TargetsPage',
  setup() {
    const year = ref(thisYear());
    const rows = ref([]);
    const metrics = ref([]);
    const orgs = ref([]);
    const open = ref(null);
    const error = ref(null);
    const notice = ref('');
    const writable = can('targets.write');
    const form = reactive({ org_id: '', items: [{ metric: 'on_time_rate', goal: 0.9, text: '' }] });
    const sign = reactive({ issuer_signer: '', receiver_signer: '', signed_on: new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10) });
    const fieldErr = reactive({});
    async function load() {
      error.value = null;
      try {
        const [l, m] = await Promise.all([api.get('/targets', { year: year.value, limit: 200 }), api.get('/targets/metrics')]);
        rows.value = l.items;
        metrics.value = m.items;
        if (open.value) open.value = rows.value.find((x) => x.id === open.value.id) || null;
        if (writable && !orgs.value.length) {
          const [c, u] = await Promise.all([api.get('/orgs', { kind: 'community', limit: 200 }), api.get('/orgs', { kind: 'unit', limit: 200 })]);
          orgs.value = c.items.concat(u.items);
        }
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    const unitOf = (code) => (metrics.value.find((m) => m.code === code) || {}).unit;
    // Width of an item's bar: value / goal, capped at 100 %.
    function pct(it) {
      const p = it.progress || {};
      if (p.unit === 'text') return p.met ? 100 : 0;
      if (typeof p.value !== 'number' || !it.goal) return p.met ? 100 : 0;
      return Math.max(0, Math.min(100, Math.round((p.value / it.goal) * 100)));
    }
    function fmt(v, unit) {
      if (v === null || v === undefined) return '—';
      return unit === 'rate' ? `${(v * 100).toFixed(1)}%` : String(v);
    }
    async function act(path, body = {}) {
      error.value = null;
      notice.value = '';
      try {
        const r = await api.post(`/targets/${enc(open.value.id)}/${path}`, body);
        open.value = r;
        notice.value = t('targets.saved');
        await load();
      } catch (e) { error.value = e; Object.assign(fieldErr, e.fieldMap ? e.fieldMap() : {}); }
    }
    async function mark(it, body) {
      try {
        open.value = await api.patch(`/targets/${enc(open.value.id)}`, { marks: [{ item_id: it.id, ...body }] });
        await load();
      } catch (e) { error.value = e; }
    }
    async function create() {
      error.value = null;
      try {
        const items = form.items.map((i) => (unitOf(i.metric) === 'text' ? { metric: 'text', text: i.text } : { metric: i.metric, goal: Number(i.goal), ...(i.text ? { text: i.text } : {}) }));
        open.value = await api.post('/targets', { org_id: Number(form.org_id), year: year.value, items });
        await load();
      } catch (e) { error.value = e; }
    }
    async function saveItems() {
      try {
        const items = open.value.items.map((i) => ({ metric: i.metric, goal: i.goal === null ? null : Number(i.goal), text: i.text }));
        open.value = await api.patch(`/targets/${enc(open.value.id)}`, { items });
        notice.value = t('targets.saved');
        await load();
      } catch (e) { error.value = e; }
    }
    const years = computed(() => [thisYear() + 1, thisYear(), thisYear() - 1, thisYear() - 2]);
    return { year, rows, metrics, orgs, open, error, notice, writable, form, sign, fieldErr, load, pct, fmt, act, mark, create, saveItems, years, unitOf, enc, t };
  },
  template: `
  <section class="page targets-page">
    <h1 class="page-title" tabindex="-1">{{ t('targets.title') }}</h1>
    <error-box :error="error"></error-box>
    <p v-if="notice" class="alert alert-success" role="status">{{ notice }}</p>
    <div class="card">
      <label>{{ t('targets.year') }}
        <select v-model.number="year" @change="open = null; load()" data-testid="targets-year"><option v-for="y in years" :key="y" :value="y">{{ y }}</option></select>
      </label>
    </div>
    <h2>{{ t('targets.overview') }}</h2>
    <ul class="shift-list" data-testid="targets-overview">
      <li v-for="r in rows" :key="r.id" class="card shift">
        <div class="shift-title"><a href="" @click.prevent="open = r" :data-testid="'target-' + r.id"><strong>{{ r.org_name }}</strong></a>
          <span class="badge" :class="r.state === 'signed' ? 'badge-ok' : r.state === 'issued' ? '' : 'badge-warn'">{{ t('targets.state.' + r.state) }}</span>
          <span :class="r.met === r.total ? 'badge badge-ok' : 'badge'" data-testid="target-met">{{ t('targets.met', { m: r.met, n: r.total }) }}</span></div>
      </li>
      <li v-if="!rows.length" class="empty">{{ t('targets.none') }}</li>
    </ul>

    <div v-if="open" class="card" data-testid="target-detail">
      <h2>{{ open.title }}</h2>
      <p class="muted">{{ t('targets.state.' + open.state) }} · {{ t('targets.met', { m: open.met, n: open.total }) }}
        <template v-if="open.state === 'signed'"> · {{ t('targets.signedBy', { a: open.issuer_signer, b: open.receiver_signer, d: open.signed_on }) }}</template></p>
      <p><a class="btn btn-secondary btn-small" :href="'/api/v1/targets/' + enc(open.id) + '/letter.pdf'" data-testid="target-pdf">{{ t('targets.pdf') }}</a></p>
      <ul class="shift-list">
        <li v-for="it in open.items" :key="it.id" class="card shift" :data-testid="'target-item-' + it.position">
          <div class="shift-title"><strong>{{ it.metric_name }}</strong>
            <span v-if="it.progress" class="badge" :class="it.progress.met ? 'badge-ok' : 'badge-warn'">{{ it.progress.met ? t('targets.itemMet') : t('targets.itemNotMet') }}</span></div>
          <div v-if="it.text" class="muted">{{ it.text }}</div>
          <template v-if="it.progress && it.progress.unit !== 'text'">
            <div class="target-bar" role="progressbar" :aria-valuenow="pct(it)" aria-valuemin="0" aria-valuemax="100"
                 style="background:#eee;border-radius:4px;height:10px;max-width:100%"><div :style="{ width: pct(it) + '%', background: it.progress.met ? '#2e7d32' : '#ef6c00', height: '10px', borderRadius: '4px' }"></div></div>
            <div class="muted">{{ t('targets.value', { v: fmt(it.progress.value, it.progress.unit), g: fmt(it.goal, it.progress.unit) }) }}
              · {{ it.progress.from ? t('targets.period', { f: it.progress.from, to: it.progress.to || '—' }) : t('targets.asOf', { to: it.progress.to || '—' }) }}
              <template v-if="it.progress.sample !== undefined"> · {{ t('targets.sample', { n: it.progress.sample }) }}</template>
              <template v-if="it.progress.source === 'manual'"> · {{ t('targets.manual') }}<template v-if="it.marked_by_name">（{{ it.marked_by_name }} {{ it.marked_at }}）</template></template></div>
          </template>
          <div v-else-if="it.note" class="muted">{{ it.note }}</div>
          <div v-if="writable && open.state !== 'draft'" class="shift-foot">
            <button v-if="it.metric === 'text'" type="button" class="btn btn-link btn-small" @click="mark(it, { done: !it.done })">{{ it.done ? t('targets.undo') : t('targets.done') }}</button>
            <template v-if="it.metric === 'awareness_rate'">
              <input type="number" min="0" max="1" step="0.01" :aria-label="t('targets.enterRate')" :placeholder="t('targets.enterRate')" @change="mark(it, { value: Number($event.target.value) })" style="max-width:8em">
            </template>
          </div>
          <div v-if="writable && open.state === 'draft'" class="shift-foot">
            <input v-if="it.metric !== 'text'" type="number" step="any" v-model="it.goal" :aria-label="t('targets.goal')" style="max-width:8em">
            <input v-else v-model="it.text" :aria-label="t('targets.text')" maxlength="500">
          </div>
        </li>
      </ul>
      <div v-if="writable && open.state === 'draft'" class="form-actions">
        <button type="button" class="btn btn-secondary" @click="saveItems">{{ t('targets.save') }}</button>
        <button type="button" class="btn btn-primary" data-testid="target-issue" @click="act('issue')">{{ t('targets.issue') }}</button>
      </div>
      <form v-if="writable && open.state === 'issued'" @submit.prevent="act('sign', sign)" data-testid="target-sign">
        <h3>{{ t('targets.sign') }}</h3>
        <form-field :label="t('targets.issuerSigner')" :error="fieldErr.issuer_signer" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="sign.issuer_signer" maxlength="50"></form-field>
        <form-field :label="t('targets.receiverSigner')" :error="fieldErr.receiver_signer" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="sign.receiver_signer" maxlength="50"></form-field>
        <form-field :label="t('targets.signedOn')" :error="fieldErr.signed_on" required v-slot="f"><input :id="f.id" v-bind="f.aria" type="date" v-model="sign.signed_on"></form-field>
        <div class="form-actions"><button type="submit" class="btn btn-primary">{{ t('targets.sign') }}</button></div>
      </form>
    </div>

    <form v-if="writable" class="card" @submit.prevent="create" data-testid="target-create">
      <h2>{{ t('targets.create') }}</h2>
      <form-field :label="t('targets.org')" required v-slot="f">
        <select :id="f.id" v-bind="f.aria" v-model="form.org_id"><option value=""></option><option v-for="o in orgs" :key="o.id" :value="o.id">{{ o.name }}</option></select>
      </form-field>
      <div v-for="(it, i) in form.items" :key="i" class="shift-foot">
        <select v-model="it.metric" :aria-label="t('targets.metric')"><option v-for="m in metrics" :key="m.code" :value="m.code">{{ m.name }}</option></select>
        <input v-if="unitOf(it.metric) !== 'text'" type="number" step="any" v-model="it.goal" :aria-label="t('targets.goal')" style="max-width:8em">
        <input v-else v-model="it.text" :aria-label="t('targets.text')" maxlength="500">
        <button type="button" class="btn btn-link btn-small" @click="form.items.splice(i, 1)">{{ t('targets.remove') }}</button>
      </div>
      <div class="form-actions">
        <button type="button" class="btn btn-secondary" @click="form.items.push({ metric: 'text', goal: null, text: '' })">{{ t('targets.addItem') }}</button>
        <button type="submit" class="btn btn-primary" :disabled="!form.org_id">{{ t('targets.create') }}</button>
      </div>
    </form>
  </section>`,
};
