// #/home-watch — 独居老人 and others who need a visit (docs/PARTY.md
// "buildings"): visible to the 居委 and the building's rep only. Overdue
// visits first; each entry opens its visits and a visit form; the full
// phone is one audited tap away. Phone first (360 px).
import { ref, reactive, computed, inject, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc, getAll } from '../api.js';

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

export default {
  name: 'HomeWatchPage',
  setup() {
    const route = inject('route');
    const items = ref([]);
    const error = ref(null);
    const onlyOverdue = ref(false);
    const open = ref(0);
    const visits = ref([]);
    const contact = ref(null);
    const form = reactive({ visited_on: today(), condition: 'good', needs: '', follow_up: '' });
    const fe = reactive({});
    const saved = ref(false);
    const building = computed(() => {
      const q = route.value.query || {};
      return Number(q.building_id) || 0;
    });
    async function load() {
      error.value = null;
      try {
        const q = {};
        if (onlyOverdue.value) q.overdue = 'true';
        if (building.value) q.building_id = building.value;
        const all = await getAll('/home-watch', q);
        items.value = all.filter((w) => w.active).sort((a, b) => (b.days_overdue - a.days_overdue) || a.due_on.localeCompare(b.due_on));
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    async function toggle(w) {
      contact.value = null; saved.value = false;
      if (open.value === w.id) { open.value = 0; return; }
      open.value = w.id;
      try { visits.value = (await api.get('/home-watch/' + enc(w.id) + '/visits', { limit: 20 })).items; } catch (e) { error.value = e; }
    }
    async function record(w) {
      for (const k of Object.keys(fe)) delete fe[k];
      try {
        const body = { visited_on: form.visited_on, condition: form.condition };
        if (form.needs.trim()) body.needs = form.needs.trim();
        if (form.follow_up.trim()) body.follow_up = form.follow_up.trim();
        const r = await api.post('/home-watch/' + enc(w.id) + '/visits', body);
        Object.assign(w, r.watch);
        form.needs = ''; form.follow_up = '';
        saved.value = true;
        visits.value = (await api.get('/home-watch/' + enc(w.id) + '/visits', { limit: 20 })).items;
      } catch (e) { Object.assign(fe, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    async function reveal(w) {
      try { contact.value = await api.get('/home-watch/' + enc(w.id) + '/contact'); } catch (e) { error.value = e; }
    }
    const overdueCount = computed(() => items.value.filter((w) => w.overdue).length);
    return { items, error, onlyOverdue, open, visits, contact, form, fe, saved, overdueCount, load, toggle, record, reveal };
  },
  template: `
  <section class="page">
    <h1 class="page-title" tabindex="-1">{{ t('hw.title') }}</h1>
    <p class="muted">{{ t('hw.intro') }}</p>
    <error-box :error="error"></error-box>
    <p data-testid="hw-summary">{{ t('hw.summary', { n: items.length, o: overdueCount }) }}</p>
    <label class="check"><input type="checkbox" v-model="onlyOverdue" @change="load" data-testid="hw-overdue"> {{ t('hw.onlyOverdue') }}</label>
    <p v-if="!items.length" class="empty">{{ t('hw.none') }}</p>
    <ul class="tiles" data-testid="hw-list">
      <li v-for="w in items" :key="w.id" class="card" :data-testid="'hw-' + w.id">
        <button type="button" class="linkish" @click="toggle(w)">
          <strong>{{ w.name }}</strong> · {{ w.building_name }} {{ w.room || '' }}
        </button>
        <span v-if="w.overdue" class="badge badge-danger" data-testid="hw-overdue-badge">{{ t('hw.overdue', { n: w.days_overdue }) }}</span>
        <br><span class="muted">{{ t('hw.reason.' + w.reason) }} · {{ t('hw.freq.' + w.frequency) }} · {{ t('hw.due', { d: w.due_on }) }}<template v-if="w.last_visit"> · {{ t('hw.last', { d: w.last_visit }) }}</template><template v-if="w.rep_name"> · {{ w.rep_name }}</template></span>
        <div v-if="open === w.id" class="stack">
          <p><button type="button" class="btn btn-secondary btn-small" @click="reveal(w)" data-testid="hw-reveal">{{ t('hw.reveal') }}</button> {{ w.phone_masked }}</p>
          <p v-if="contact" data-testid="hw-contact">{{ contact.phone }} · {{ contact.address || '' }} <span class="muted">{{ t('hw.audited') }}</span></p>
          <form class="card stack" @submit.prevent="record(w)" data-testid="visit-form">
            <form-field :label="t('hw.visitedOn')" :error="fe.visited_on" v-slot="f"><input :id="f.id" type="date" v-model="form.visited_on" data-testid="visit-date"></form-field>
            <form-field :label="t('hw.condition')" :error="fe.condition" v-slot="f">
              <select :id="f.id" v-model="form.condition" data-testid="visit-condition">
                <option v-for="c in ['good', 'fair', 'poor', 'not_home']" :key="c" :value="c">{{ t('hw.cond.' + c) }}</option>
              </select>
            </form-field>
            <form-field :label="t('hw.needs')" v-slot="f"><textarea :id="f.id" v-model="form.needs" rows="2" maxlength="1000" data-testid="visit-needs"></textarea></form-field>
            <form-field :label="t('hw.followUp')" v-slot="f"><input :id="f.id" v-model="form.follow_up" maxlength="1000"></form-field>
            <button type="submit" class="btn btn-primary" data-testid="visit-save">{{ t('hw.save') }}</button>
            <p v-if="saved" class="ok" data-testid="visit-saved">{{ t('hw.saved') }}</p>
            <a class="btn btn-secondary btn-small" href="#/report">{{ t('hw.toProblem') }}</a>
          </form>
          <ul class="diff" style="font-family: inherit" data-testid="visit-list">
            <li v-for="v in visits" :key="v.id">{{ v.visited_on }} · {{ t('hw.cond.' + v.condition) }} · {{ v.visitor }}<template v-if="v.needs"> · {{ v.needs }}</template><template v-if="v.follow_up"> → {{ v.follow_up }}</template></li>
          </ul>
        </div>
      </li>
    </ul>
  </section>`,
};
