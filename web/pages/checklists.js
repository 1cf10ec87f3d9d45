// #/checklists — the checklists (测评指标) per site type. Saving makes a new
// version; past inspections keep the version they were scored against.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { t, locale } from '../i18n.js';
import { loadCategories } from '../problem-data.js';
import { categoryLabel } from '../problem-format.js';
import { formatTime } from '../format.js';

export default {
  name: 'ChecklistsPage',
  setup() {
    const types = ref([]);
    const cats = ref([]);
    const typeId = ref('');
    const current = ref(null);
    const versions = ref([]);
    const items = ref([]);
    const note = ref('');
    const error = ref(null);
    const notice = ref('');
    const busy = ref(false);
    async function load() {
      try {
        [types.value, cats.value] = [((await api.get('/site-types')) || {}).items || [], await loadCategories()];
        if (!typeId.value && types.value.length) typeId.value = String(types.value[0].id);
        await pick();
      } catch (e) { error.value = e; }
    }
    async function pick() {
      error.value = null;
      notice.value = '';
      try {
        current.value = await api.get(`/site-types/${enc(typeId.value)}/checklist`);
        versions.value = ((await api.get(`/site-types/${enc(typeId.value)}/versions`)) || {}).items || [];
        items.value = current.value.items.map((i) => ({ text: i.text, weight: i.weight, grading: i.grading, photo_required: i.photo_required, category: i.category || '' }));
        note.value = '';
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    const add = () => items.value.push({ text: '', weight: 1, grading: 'pass_fail', photo_required: false, category: '' });
    const remove = (i) => items.value.splice(i, 1);
    const move = (i, d) => { const j = i + d; if (j < 0 || j >= items.value.length) return; const [x] = items.value.splice(i, 1); items.value.splice(j, 0, x); };
    async function save() {
      busy.value = true;
      error.value = null;
      try {
        const body = { items: items.value.map((i) => ({ text: i.text.trim(), weight: Number(i.weight), grading: i.grading, photo_required: !!i.photo_required, category: i.category || null })) };
        if (note.value.trim()) body.note = note.value.trim();
        const r = await api.put(`/site-types/${enc(typeId.value)}/checklist`, body);
        notice.value = t('cl.saved', { v: r.version });
        await pick();
        notice.value = t('cl.saved', { v: r.version });
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    const label = (c) => categoryLabel(c, locale.value);
    return { types, cats, typeId, current, versions, items, note, error, notice, busy, pick, add, remove, move, save, label, formatTime };
  },
  template: `
  <section class="page">
    <h1 class="page-title" tabindex="-1">{{ t('cl.title') }}</h1>
    <p class="muted">{{ t('cl.intro') }}</p>
    <form-field :label="t('sites.type')" v-slot="f">
      <select :id="f.id" v-model="typeId" @change="pick" data-testid="cl-type">
        <option v-for="ty in types" :key="ty.id" :value="String(ty.id)">{{ ty.code }} {{ ty.name }}</option>
      </select>
    </form-field>
    <status-msg :text="notice"></status-msg>
    <error-box :error="error"></error-box>
    <template v-if="current">
      <p class="muted">{{ t('cl.current', { v: current.version }) }}</p>
      <ol class="insp-items">
        <li v-for="(it, i) in items" :key="i" class="card insp-item" :data-testid="'cl-item-' + (i + 1)">
          <label class="field-label" :for="'cl-text-' + i">{{ t('cl.text') }} {{ i + 1 }}</label>
          <textarea :id="'cl-text-' + i" v-model="it.text" maxlength="200"></textarea>
          <div class="form-grid">
            <label>{{ t('cl.weight') }} <input type="number" min="0.1" max="100" step="0.5" v-model="it.weight" class="num-input"></label>
            <label>{{ t('cl.grading') }} <select v-model="it.grading"><option value="pass_fail">{{ t('cl.passFail') }}</option><option value="abc">A/B/C/C#</option></select></label>
            <label class="check"><input type="checkbox" v-model="it.photo_required"> {{ t('insp.photoNeeded') }}</label>
            <label>{{ t('cl.category') }} <select v-model="it.category"><option value="">—</option><option v-for="c in cats" :key="c.code" :value="c.code">{{ c.code }} {{ label(c) }}</option></select></label>
          </div>
          <div class="toolbar">
            <button type="button" class="btn btn-small btn-ghost" @click="move(i, -1)" :aria-label="t('cl.up')">↑</button>
            <button type="button" class="btn btn-small btn-ghost" @click="move(i, 1)" :aria-label="t('cl.down')">↓</button>
            <button type="button" class="btn btn-small btn-danger" @click="remove(i)">{{ t('cl.remove') }}</button>
          </div>
        </li>
      </ol>
      <p><button type="button" class="btn btn-secondary" @click="add" data-testid="cl-add">{{ t('cl.add') }}</button></p>
      <form-field :label="t('cl.note')" v-slot="f"><input :id="f.id" v-model="note" maxlength="200"></form-field>
      <p><button type="button" class="btn btn-primary" :disabled="busy || !items.length" @click="save" data-testid="cl-save">{{ t('cl.save') }}</button></p>
      <h2>{{ t('cl.versions') }}</h2>
      <div class="table-wrap">
        <table class="list">
          <thead><tr><th>{{ t('cl.version') }}</th><th>{{ t('cl.note') }}</th><th>{{ t('cl.items') }}</th><th>{{ t('sites.inspections') }}</th><th></th></tr></thead>
          <tbody><tr v-for="v in versions" :key="v.id"><td>{{ v.version }}{{ v.current ? ' ✓' : '' }}</td><td>{{ v.note || '—' }}</td><td>{{ v.item_count }}</td><td>{{ v.inspection_count }}</td><td>{{ formatTime(v.created_at) }}</td></tr></tbody>
        </table>
      </div>
    </template>
  </section>`,
};
