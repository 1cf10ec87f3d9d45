// #/orgs — the organisation tree: filter, create a child, rename, delete.
import { ref, reactive, computed, nextTick, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, getAll, enc } from '../api.js';
import { can } from '../session.js';
import { orgKindName, ORG_KINDS } from '../format.js';
import { t } from '../i18n.js';
import { treeOrder } from '../orgtree.js';

export default {
  name: 'OrgsPage',
  setup() {
    const items = ref([]);
    const loading = ref(true);
    const loadError = ref(null);
    const filter = ref('');
    const notice = ref('');
    const actionError = ref(null);
    const writable = can('orgs.write');

    const tree = computed(() => treeOrder(items.value));
    const shown = computed(() => {
      const q = filter.value.trim().toLowerCase();
      if (!q) return tree.value;
      // Matches are shown flat, each with its parent's name for context.
      const names = new Map(items.value.map((o) => [String(o.id), o.name]));
      return tree.value.filter((o) => [o.name, o.code, o.address, orgKindName(o.kind)]
        .some((v) => v && String(v).toLowerCase().includes(q)))
        .map((o) => ({ ...o, level: 0, parentName: o.parent_id == null ? '' : names.get(String(o.parent_id)) || '' }));
    });

    async function load() {
      loading.value = true;
      loadError.value = null;
      try {
        items.value = await getAll('/orgs');
      } catch (e) {
        loadError.value = e;
      } finally {
        loading.value = false;
      }
    }
    onMounted(load);

    // ---- create
    const showCreate = ref(false);
    const form = reactive({ parent_id: '', kind: '', name: '', code: '', address: '' });
    const fe = reactive({});
    const createError = ref(null);
    const creating = ref(false);
    const createCard = ref(null);

    async function openCreate(parent) {
      Object.assign(form, { parent_id: parent ? String(parent.id) : (form.parent_id || ''), kind: '', name: '', code: '', address: '' });
      for (const k of Object.keys(fe)) delete fe[k];
      createError.value = null;
      showCreate.value = true;
      await nextTick();
      if (createCard.value) {
        createCard.value.scrollIntoView({ block: 'start' });
        const first = createCard.value.querySelector(parent ? 'select[name=kind]' : 'select');
        if (first) first.focus();
      }
    }

    async function create() {
      for (const k of Object.keys(fe)) delete fe[k];
      createError.value = null;
      notice.value = '';
      const body = { parent_id: null, kind: form.kind, name: form.name.trim() };
      if (form.parent_id !== '') {
        const p = items.value.find((o) => String(o.id) === form.parent_id);
        body.parent_id = p ? p.id : form.parent_id;
      }
      if (form.code.trim()) body.code = form.code.trim();
      if (form.address.trim()) body.address = form.address.trim();
      creating.value = true;
      try {
        const org = await api.post('/orgs', body);
        notice.value = t('orgs.created', { name: (org && org.name) || body.name });
        showCreate.value = false;
        await load();
      } catch (e) {
        Object.assign(fe, e.fieldMap ? e.fieldMap() : {});
        createError.value = e;
      } finally {
        creating.value = false;
      }
    }

    // ---- rename
    const editing = ref(null); // org id (string)
    const editName = ref('');
    const editError = ref(null);
    const editFe = ref('');
    const saving = ref(false);

    async function startEdit(o) {
      editing.value = String(o.id);
      editName.value = o.name;
      editError.value = null;
      editFe.value = '';
      await nextTick();
      const el = document.getElementById('org-rename-' + o.id);
      if (el) el.focus();
    }
    async function saveEdit(o) {
      editError.value = null;
      editFe.value = '';
      notice.value = '';
      saving.value = true;
      try {
        const updated = await api.patch('/orgs/' + enc(o.id), { name: editName.value.trim() });
        notice.value = t('orgs.renamed', { name: (updated && updated.name) || editName.value.trim() });
        editing.value = null;
        await load();
      } catch (e) {
        editFe.value = (e.fieldMap ? e.fieldMap() : {}).name || '';
        editError.value = e;
      } finally {
        saving.value = false;
      }
    }

    // ---- delete
    async function remove(o) {
      if (!window.confirm(t('common.confirmDelete', { name: o.name }))) return;
      actionError.value = null;
      notice.value = '';
      try {
        await api.del('/orgs/' + enc(o.id));
        notice.value = t('orgs.deleted', { name: o.name });
        await load();
      } catch (e) {
        actionError.value = e;
      }
    }

    const parentOptions = computed(() => tree.value.map((o) => ({
      id: String(o.id),
      label: '\u3000'.repeat(o.level) + o.name + ' (' + orgKindName(o.kind) + ')',
    })));

    return {
      items, tree, shown, loading, loadError, filter, notice, actionError, writable,
      showCreate, form, fe, createError, creating, createCard, openCreate, create,
      editing, editName, editError, editFe, saving, startEdit, saveEdit, remove,
      parentOptions, orgKindName, ORG_KINDS, load,
    };
  },
  template: `
  <section class="page">
    <div class="page-head">
      <h1 tabindex="-1">{{ t('orgs.title') }}</h1>
      <button v-if="writable" type="button" class="btn btn-primary" data-testid="org-new" @click="openCreate(null)">+ {{ t('orgs.newOrg') }}</button>
    </div>
    <status-msg :text="notice"></status-msg>
    <error-box :error="actionError"></error-box>

    <form v-if="showCreate" ref="createCard" class="card" novalidate @submit.prevent="create" data-testid="org-form">
      <h2>{{ t('orgs.createTitle') }}</h2>
      <error-box :error="createError" :known="['parent_id', 'kind', 'name', 'code', 'address']"></error-box>
      <div class="form-grid">
        <form-field :label="t('orgs.parent')" :error="fe.parent_id" v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="form.parent_id" name="parent_id" data-testid="org-parent">
            <option value="">{{ t('orgs.noParent') }}</option>
            <option v-for="o in parentOptions" :key="o.id" :value="o.id">{{ o.label }}</option>
          </select>
        </form-field>
        <form-field :label="t('orgs.kind')" :error="fe.kind" required v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="form.kind" name="kind" data-testid="org-kind">
            <option value="" disabled>{{ t('orgs.chooseKind') }}</option>
            <option v-for="k in ORG_KINDS" :key="k" :value="k">{{ orgKindName(k) }}</option>
          </select>
        </form-field>
        <form-field :label="t('orgs.name')" :error="fe.name" required v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.name" type="text" name="name" maxlength="200" data-testid="org-name">
        </form-field>
        <form-field :label="t('orgs.code')" :error="fe.code" optional v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.code" type="text" name="code" maxlength="64" data-testid="org-code">
        </form-field>
        <form-field class="span-2" :label="t('orgs.address')" :error="fe.address" optional v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.address" type="text" name="address" maxlength="300" data-testid="org-address">
        </form-field>
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" :disabled="creating" data-testid="org-submit">{{ creating ? t('common.saving') : t('common.create') }}</button>
        <button type="button" class="btn btn-secondary" @click="showCreate = false">{{ t('common.cancel') }}</button>
      </div>
    </form>

    <div class="toolbar" role="search">
      <div class="field">
        <label for="org-filter">{{ t('orgs.filter') }}</label>
        <input id="org-filter" v-model="filter" type="search" :placeholder="t('orgs.filterPlaceholder')" data-testid="org-filter">
      </div>
    </div>
    <error-box :error="loadError"></error-box>
    <p v-if="!loading && items.length" class="list-meta" aria-live="polite">
      {{ filter.trim() ? t('orgs.matchCount', { m: shown.length, n: items.length }) : t('orgs.count', { n: items.length }) }}
    </p>

    <div class="table-wrap" :hidden="!shown.length && loading">
      <table class="list" data-testid="orgs-list">
        <caption class="visually-hidden">{{ t('orgs.listCaption') }}</caption>
        <thead><tr>
          <th scope="col">{{ t('orgs.name') }}</th>
          <th scope="col">{{ t('orgs.code') }}</th>
          <th scope="col">{{ t('orgs.address') }}</th>
          <th v-if="writable" scope="col">{{ t('common.actions') }}</th>
        </tr></thead>
        <tbody>
          <tr v-for="o in shown" :key="o.id" :data-org-id="o.id">
            <td class="tree-cell primary" :style="{ paddingLeft: (0.75 + o.level * 1.25) + 'rem' }">
              <template v-if="editing === String(o.id)">
                <form class="inline-form" novalidate @submit.prevent="saveEdit(o)">
                  <div class="field" :class="{ 'has-error': !!editFe }">
                    <label :for="'org-rename-' + o.id">{{ t('orgs.newName') }}</label>
                    <input :id="'org-rename-' + o.id" v-model="editName" type="text" maxlength="200"
                           :aria-invalid="editFe ? 'true' : 'false'" :aria-describedby="editFe ? 'org-rename-err' : null" data-testid="org-rename-input">
                    <p v-if="editFe" id="org-rename-err" class="field-error">{{ editFe }}</p>
                  </div>
                  <button type="submit" class="btn btn-primary btn-small" :disabled="saving" data-testid="org-rename-save">{{ t('common.save') }}</button>
                  <button type="button" class="btn btn-secondary btn-small" @click="editing = null">{{ t('common.cancel') }}</button>
                </form>
                <error-box :error="editError" :known="['name']"></error-box>
              </template>
              <span v-else class="tree-name">
                <span v-if="o.level" class="tree-guide" aria-hidden="true">└</span>
                <span>{{ o.name }}</span>
                <span class="badge" :class="'badge-' + o.kind">{{ orgKindName(o.kind) }}</span>
                <span v-if="o.subkind" class="muted">{{ o.subkind }}</span>
                <span v-if="o.parentName" class="muted">{{ t('orgs.underParent', { name: o.parentName }) }}</span>
              </span>
            </td>
            <td :data-label="t('orgs.code')" class="mono">{{ o.code || '—' }}</td>
            <td :data-label="t('orgs.address')">{{ o.address || '—' }}</td>
            <td v-if="writable" class="actions" :data-label="t('common.actions')">
              <div>
                <button type="button" class="btn btn-secondary btn-small" :aria-label="t('common.labelFor', { action: t('orgs.addChild'), name: o.name })" @click="openCreate(o)" data-testid="org-add-child">{{ t('orgs.addChild') }}</button>
                <button type="button" class="btn btn-secondary btn-small" :aria-label="t('common.labelFor', { action: t('orgs.rename'), name: o.name })" @click="startEdit(o)" data-testid="org-rename">{{ t('orgs.rename') }}</button>
                <button type="button" class="btn btn-danger btn-small" :aria-label="t('common.labelFor', { action: t('common.delete'), name: o.name })" @click="remove(o)" data-testid="org-delete">{{ t('common.delete') }}</button>
              </div>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
    <list-footer :loading="loading" :empty="!loading && !loadError && !shown.length"
                 :empty-text="items.length ? t('orgs.noMatch') : t('orgs.empty')"></list-footer>
  </section>`,
};
