// #/people — residents, volunteers, party members, building reps. Lists show
// masked ID numbers and phones; full values only on request (audited).
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, request, enc } from '../api.js';
import { usePagedList } from '../paged-list.js';
import { can } from '../session.js';
import { genderName, personKindName, PERSON_KINDS } from '../format.js';
import { loadOrgOptions } from '../orgtree.js';
import { t } from '../i18n.js';

const PAGE = 50;
const splitSkills = (s) => s.split(/[,，、;；]/).map((x) => x.trim()).filter(Boolean);

export default {
  name: 'PeoplePage',
  setup() {
    const writable = can('people.write');
    const canReveal = can('people.reveal');
    const canExport = can('people.export'); // export and anonymise
    const filters = reactive({ q: '', kind: '' });
    const notice = ref('');
    let active = { q: '', kind: '' };

    const { items, cursor, loading, error: loadError, fetchPage } = usePagedList('/people', () => ({ ...active, limit: PAGE }));
    function search() { active = { q: filters.q.trim(), kind: filters.kind }; fetchPage(true); }
    onMounted(() => fetchPage(true));

    const orgOptions = ref([]);
    const orgError = ref(null);
    async function loadOrgs() {
      orgError.value = null;
      try { orgOptions.value = await loadOrgOptions(); } catch (e) { orgError.value = e; }
    }

    // ---- create
    const showCreate = ref(false);
    const blank = () => ({ name: '', id_number: '', phone: '', org: '', address: '', skills: '', kinds: [] });
    const form = reactive(blank());
    const fe = reactive({});
    const createError = ref(null);
    const creating = ref(false);
    const clearFe = () => { for (const k of Object.keys(fe)) delete fe[k]; };

    function openCreate() {
      Object.assign(form, blank());
      clearFe();
      createError.value = null;
      showCreate.value = true;
      if (!orgOptions.value.length) loadOrgs();
    }
    async function create() {
      clearFe();
      createError.value = null;
      notice.value = '';
      const org = orgOptions.value.find((o) => o.value === form.org);
      const body = {
        name: form.name.trim(),
        id_number: form.id_number.trim().toUpperCase(),
        phone: form.phone.trim(),
        org_id: org ? org.id : null,
      };
      if (form.address.trim()) body.address = form.address.trim();
      const skills = splitSkills(form.skills);
      if (skills.length) body.skills = skills;
      if (form.kinds.length) body.kinds = [...form.kinds];
      creating.value = true;
      try {
        const p = await api.post('/people', body);
        notice.value = t('people.created', { name: (p && p.name) || body.name });
        showCreate.value = false;
        fetchPage(true);
      } catch (e) {
        const m = e.fieldMap ? e.fieldMap() : {};
        for (const [k, v] of Object.entries(m)) fe[k.replace(/\[\d+\]$|\.\d+$/, '')] = v;
        createError.value = e;
      } finally {
        creating.value = false;
      }
    }
    const createKnown = ['name', 'id_number', 'phone', 'org_id', 'address', 'skills', 'kinds'];

    // ---- detail dialog
    const detail = ref(null);
    const detailOpen = ref(false);
    const detailError = ref(null);
    const detailNotice = ref('');
    const busy = ref(false);
    const sensitive = ref(null);
    const contact = reactive({ phone: '', address: '' });
    const contactFe = reactive({ phone: '', address: '' });

    function replaceRow(p) {
      const i = items.value.findIndex((x) => String(x.id) === String(p.id));
      if (i >= 0) items.value.splice(i, 1, { ...items.value[i], ...p });
    }
    function setDetail(p) {
      detail.value = p;
      contact.phone = '';
      contact.address = p.address || '';
      replaceRow(p);
    }
    async function open(p) {
      detail.value = p;
      sensitive.value = null;
      detailError.value = null;
      detailNotice.value = '';
      contactFe.phone = contactFe.address = '';
      contact.phone = '';
      contact.address = p.address || '';
      detailOpen.value = true;
      try { setDetail(await api.get('/people/' + enc(p.id))); } catch (e) { detailError.value = e; }
    }
    async function run(fn, okText) {
      detailError.value = null;
      detailNotice.value = '';
      busy.value = true;
      try {
        const r = await fn();
        if (okText) detailNotice.value = okText;
        return { r };
      } catch (e) {
        detailError.value = e;
        return { e };
      } finally {
        busy.value = false;
      }
    }
    async function showSensitive() {
      const { r } = await run(() => api.get('/people/' + enc(detail.value.id) + '/sensitive'));
      if (r) sensitive.value = r;
    }
    async function saveContact() {
      contactFe.phone = contactFe.address = '';
      const body = {};
      if (contact.phone.trim()) body.phone = contact.phone.trim();
      if (contact.address.trim() !== (detail.value.address || '')) body.address = contact.address.trim();
      if (!Object.keys(body).length) return;
      const { r, e } = await run(() => api.patch('/people/' + enc(detail.value.id), body), t('common.saved'));
      if (r) { setDetail(r); sensitive.value = null; }
      if (e && e.fieldMap) {
        const m = e.fieldMap();
        contactFe.phone = m.phone || '';
        contactFe.address = m.address || '';
      }
    }
    async function exportJson() {
      const p = detail.value;
      const { r } = await run(async () => {
        const res = await request('GET', '/people/' + enc(p.id) + '/export', { raw: true });
        const blob = await res.blob();
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = `person-${p.id}.json`;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
        return true;
      }, t('people.exported', { name: p.name }));
      return r;
    }
    async function anonymise() {
      const p = detail.value;
      if (!window.confirm(t('people.confirmAnonymise', { name: p.name }))) return;
      const { r } = await run(() => api.post('/people/' + enc(p.id) + '/anonymise', {}), t('people.anonymisedDone'));
      if (r) { setDetail(r); sensitive.value = null; }
    }

    return {
      writable, canReveal, canExport, items, cursor, loading, loadError, filters, notice, search, fetchPage,
      orgOptions, orgError, PERSON_KINDS, genderName, personKindName,
      showCreate, form, fe, createError, creating, openCreate, create, createKnown,
      detail, detailOpen, detailError, detailNotice, busy, sensitive, contact, contactFe,
      open, showSensitive, saveContact, exportJson, anonymise,
    };
  },
  template: `
  <section class="page">
    <div class="page-head">
      <h1 tabindex="-1">{{ t('people.title') }}</h1>
      <button v-if="writable" type="button" class="btn btn-primary" data-testid="person-new" @click="openCreate">+ {{ t('people.newPerson') }}</button>
    </div>
    <status-msg :text="notice"></status-msg>

    <form v-if="showCreate" class="card" novalidate @submit.prevent="create" data-testid="person-form">
      <h2>{{ t('people.createTitle') }}</h2>
      <error-box :error="createError" :known="createKnown"></error-box>
      <error-box :error="orgError"></error-box>
      <div class="form-grid">
        <form-field :label="t('people.name')" :error="fe.name" required v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.name" type="text" autocomplete="off" data-testid="person-name">
        </form-field>
        <form-field :label="t('people.phone')" :error="fe.phone" required v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.phone" type="tel" inputmode="numeric" maxlength="11" autocomplete="off" data-testid="person-phone">
        </form-field>
        <form-field class="span-2" :label="t('people.idNumber')" :error="fe.id_number" :hint="t('people.idHint')" required v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.id_number" type="text" maxlength="18" autocomplete="off" spellcheck="false" class="mono" data-testid="person-id-number">
        </form-field>
        <form-field :label="t('people.org')" :error="fe.org_id" required v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="form.org" data-testid="person-org">
            <option value="">{{ t('people.chooseOrg') }}</option>
            <option v-for="o in orgOptions" :key="o.value" :value="o.value">{{ o.label }}</option>
          </select>
        </form-field>
        <form-field :label="t('people.address')" :error="fe.address" optional v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.address" type="text" data-testid="person-address">
        </form-field>
        <form-field class="span-2" :label="t('people.skills')" :error="fe.skills" :hint="t('people.skillsHint')" optional v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.skills" type="text" data-testid="person-skills">
        </form-field>
        <fieldset class="span-2" :aria-invalid="fe.kinds ? 'true' : 'false'" :aria-describedby="fe.kinds ? 'person-kinds-err' : null">
          <legend>{{ t('people.kinds') }}</legend>
          <label v-for="k in PERSON_KINDS" :key="k" class="check">
            <input type="checkbox" :value="k" v-model="form.kinds" :data-testid="'person-kind-' + k">{{ personKindName(k) }}
          </label>
          <p v-if="fe.kinds" id="person-kinds-err" class="field-error">{{ fe.kinds }}</p>
        </fieldset>
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" :disabled="creating" data-testid="person-submit">{{ creating ? t('common.saving') : t('common.create') }}</button>
        <button type="button" class="btn btn-secondary" @click="showCreate = false">{{ t('common.cancel') }}</button>
      </div>
    </form>

    <form class="toolbar" role="search" @submit.prevent="search">
      <div class="field">
        <label for="people-q">{{ t('people.search') }}</label>
        <input id="people-q" v-model="filters.q" type="search" :placeholder="t('people.searchPlaceholder')" data-testid="people-search">
      </div>
      <div class="field">
        <label for="people-kind">{{ t('people.kindFilter') }}</label>
        <select id="people-kind" v-model="filters.kind" @change="search">
          <option value="">{{ t('common.all') }}</option>
          <option v-for="k in PERSON_KINDS" :key="k" :value="k">{{ personKindName(k) }}</option>
        </select>
      </div>
      <button type="submit" class="btn btn-secondary">{{ t('common.search') }}</button>
    </form>
    <error-box :error="loadError"></error-box>

    <div class="table-wrap" :hidden="!items.length && loading">
      <table class="list" data-testid="people-list">
        <caption class="visually-hidden">{{ t('people.listCaption') }}</caption>
        <thead><tr>
          <th scope="col">{{ t('people.name') }}</th>
          <th scope="col">{{ t('people.gender') }}</th>
          <th scope="col">{{ t('people.age') }}</th>
          <th scope="col">{{ t('people.idNumber') }}</th>
          <th scope="col">{{ t('people.phone') }}</th>
          <th scope="col">{{ t('people.org') }}</th>
          <th scope="col">{{ t('people.kinds') }}</th>
          <th scope="col">{{ t('common.actions') }}</th>
        </tr></thead>
        <tbody>
          <tr v-for="p in items" :key="p.id">
            <td class="primary" :data-label="t('people.name')">{{ p.name }} <span v-if="p.anonymised" class="badge badge-off">{{ t('people.anonymised') }}</span></td>
            <td :data-label="t('people.gender')">{{ genderName(p.gender) || '—' }}</td>
            <td :data-label="t('people.age')">{{ p.age != null ? t('people.ageValue', { n: p.age }) : '—' }}</td>
            <td :data-label="t('people.idNumber')" class="mono">{{ p.id_number_masked || '—' }}</td>
            <td :data-label="t('people.phone')" class="mono">{{ p.phone_masked || '—' }}</td>
            <td :data-label="t('people.org')">{{ p.org_name || '—' }}</td>
            <td :data-label="t('people.kinds')">
              <ul v-if="p.kinds && p.kinds.length" class="chips"><li v-for="k in p.kinds" :key="k" class="chip">{{ personKindName(k) }}</li></ul>
              <span v-else class="muted">—</span>
            </td>
            <td class="actions" :data-label="t('common.actions')">
              <button type="button" class="btn btn-secondary btn-small" :aria-label="t('common.labelFor', { action: t('people.open'), name: p.name })" @click="open(p)" data-testid="person-open">{{ t('people.open') }}</button>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
    <list-footer :loading="loading" :empty="!loading && !loadError && !items.length" :has-more="!!cursor"
                 :empty-text="t('people.empty')" @more="fetchPage(false)"></list-footer>

    <app-dialog :open="detailOpen" :title="detail ? t('people.detail', { name: detail.name }) : ''" testid="person-detail" @close="detailOpen = false">
      <template v-if="detail">
        <status-msg :text="detailNotice"></status-msg>
        <error-box :error="detailError" :known="['phone', 'address']"></error-box>
        <section>
          <dl class="facts">
            <dt>{{ t('people.name') }}</dt><dd>{{ detail.name }} <span v-if="detail.anonymised" class="badge badge-off">{{ t('people.anonymised') }}</span></dd>
            <dt>{{ t('people.gender') }}</dt><dd>{{ genderName(detail.gender) || '—' }}</dd>
            <dt>{{ t('people.age') }}</dt><dd>{{ detail.age != null ? t('people.ageValue', { n: detail.age }) : '—' }}</dd>
            <dt>{{ t('people.idNumber') }}</dt><dd class="mono" data-testid="person-id-value">{{ sensitive ? sensitive.id_number : (detail.id_number_masked || '—') }}</dd>
            <dt>{{ t('people.phone') }}</dt><dd class="mono" data-testid="person-phone-value">{{ sensitive ? sensitive.phone : (detail.phone_masked || '—') }}</dd>
            <dt>{{ t('people.org') }}</dt><dd>{{ detail.org_name || '—' }}</dd>
            <dt>{{ t('people.address') }}</dt><dd>{{ detail.address || '—' }}</dd>
            <dt>{{ t('people.skills') }}</dt><dd>{{ (detail.skills || []).join('、') || '—' }}</dd>
            <dt>{{ t('people.kinds') }}</dt><dd>{{ (detail.kinds || []).map(personKindName).join('、') || '—' }}</dd>
          </dl>
          <p v-if="sensitive" class="alert alert-info">{{ t('people.sensitiveShown') }}</p>
          <div v-if="canReveal && !detail.anonymised">
            <p class="hint" id="sensitive-note">{{ t('people.sensitiveNote') }}</p>
            <div class="form-actions">
              <button v-if="!sensitive" type="button" class="btn btn-secondary" :disabled="busy" aria-describedby="sensitive-note"
                      @click="showSensitive" data-testid="person-sensitive">{{ t('people.viewSensitive') }}</button>
              <button v-else type="button" class="btn btn-secondary" @click="sensitive = null">{{ t('people.hideSensitive') }}</button>
            </div>
          </div>
        </section>
        <section v-if="writable && !detail.anonymised">
          <h3>{{ t('people.editContact') }}</h3>
          <form novalidate @submit.prevent="saveContact" data-testid="person-contact-form">
            <form-field :label="t('people.phone')" :error="contactFe.phone" v-slot="f">
              <input :id="f.id" v-bind="f.aria" v-model="contact.phone" type="tel" inputmode="numeric" maxlength="11" :placeholder="detail.phone_masked" autocomplete="off" data-testid="person-edit-phone">
            </form-field>
            <form-field :label="t('people.address')" :error="contactFe.address" v-slot="f">
              <input :id="f.id" v-bind="f.aria" v-model="contact.address" type="text" data-testid="person-edit-address">
            </form-field>
            <button type="submit" class="btn btn-secondary" :disabled="busy">{{ t('common.save') }}</button>
          </form>
        </section>
        <section v-if="canExport">
          <div class="form-actions">
            <button type="button" class="btn btn-secondary" :disabled="busy" @click="exportJson" data-testid="person-export">{{ t('people.export') }}</button>
            <button v-if="!detail.anonymised" type="button" class="btn btn-danger" :disabled="busy" @click="anonymise" data-testid="person-anonymise">{{ t('people.anonymise') }}</button>
          </div>
        </section>
      </template>
    </app-dialog>
  </section>`,
};
