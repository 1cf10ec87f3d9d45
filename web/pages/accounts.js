// #/accounts — accounts: search, load more, create, and a detail dialog to
// edit the name, add/remove grants, disable/enable and reset the password.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { usePagedList } from '../paged-list.js';
import { can } from '../session.js';
import { roleName, grantLabel, ROLES } from '../format.js';
import { loadOrgOptions, pick } from '../orgtree.js';
import { t } from '../i18n.js';

const PAGE = 50;

export default {
  name: 'AccountsPage',
  setup() {
    const writable = can('accounts.write');
    const q = ref('');
    const notice = ref('');
    let activeQ = '';

    const { items, cursor, loading, error: loadError, fetchPage } = usePagedList('/accounts', () => ({ q: activeQ, limit: PAGE }));
    function search() { activeQ = q.value.trim(); fetchPage(true); }
    onMounted(() => fetchPage(true));

    // Org options for the grant selects.
    const orgOptions = ref([]);
    const orgError = ref(null);
    async function loadOrgs() {
      orgError.value = null;
      try { orgOptions.value = await loadOrgOptions(); } catch (e) { orgError.value = e; }
    }
    if (writable) onMounted(loadOrgs);
    const orgIdOf = (value) => {
      const o = orgOptions.value.find((x) => x.value === value);
      return o ? o.id : value;
    };

    // ---- create
    const showCreate = ref(false);
    const form = reactive({ login: '', display_name: '', password: '', role: '', org: '' });
    const fe = reactive({ login: '', display_name: '', password: '', role: '', org: '' });
    const createError = ref(null);
    const creating = ref(false);
    const clearFe = () => { for (const k of Object.keys(fe)) fe[k] = ''; };

    function openCreate() {
      Object.assign(form, { login: '', display_name: '', password: '', role: '', org: '' });
      clearFe();
      createError.value = null;
      showCreate.value = true;
    }
    async function create() {
      clearFe();
      createError.value = null;
      notice.value = '';
      const body = {
        login: form.login.trim(),
        display_name: form.display_name.trim(),
        password: form.password,
        grants: form.role && form.org ? [{ role: form.role, org_id: orgIdOf(form.org) }] : [],
      };
      creating.value = true;
      try {
        const a = await api.post('/accounts', body);
        notice.value = t('accounts.created', { login: (a && a.login) || body.login });
        showCreate.value = false;
        fetchPage(true);
      } catch (e) {
        const m = e.fieldMap ? e.fieldMap() : {};
        fe.login = m.login || '';
        fe.display_name = m.display_name || '';
        fe.password = m.password || '';
        fe.role = pick(m, 'grants[0].role', 'grants.0.role', 'role');
        fe.org = pick(m, 'grants[0].org_id', 'grants.0.org_id', 'org_id', 'grants');
        createError.value = e;
      } finally {
        creating.value = false;
      }
    }
    const createKnown = ['login', 'display_name', 'password', 'grants', 'grants[0].role', 'grants.0.role', 'role',
      'grants[0].org_id', 'grants.0.org_id', 'org_id'];

    // ---- detail dialog
    const detail = ref(null);
    const detailOpen = ref(false);
    const detailError = ref(null);
    const detailNotice = ref('');
    const busy = ref(false);
    const nameEdit = ref('');
    const nameFe = ref('');
    const grantForm = reactive({ role: '', org: '' });
    const grantFe = reactive({ role: '', org: '' });
    const pwd = ref('');
    const pwdFe = ref('');

    function replaceRow(a) {
      const i = items.value.findIndex((x) => String(x.id) === String(a.id));
      if (i >= 0) items.value.splice(i, 1, { ...items.value[i], ...a });
    }
    async function refreshDetail() {
      const a = await api.get('/accounts/' + enc(detail.value.id));
      detail.value = a;
      nameEdit.value = a.display_name || '';
      replaceRow(a);
    }
    async function open(a) {
      detail.value = { ...a, grants: a.grants || [] };
      nameEdit.value = a.display_name || '';
      nameFe.value = pwdFe.value = grantFe.role = grantFe.org = '';
      grantForm.role = grantForm.org = '';
      pwd.value = '';
      detailError.value = null;
      detailNotice.value = '';
      detailOpen.value = true;
      try { await refreshDetail(); } catch (e) { detailError.value = e; }
    }
    async function run(fn, okText) {
      detailError.value = null;
      detailNotice.value = '';
      busy.value = true;
      try {
        await fn();
        if (okText) detailNotice.value = okText;
        await refreshDetail();
      } catch (e) {
        detailError.value = e;
        return e;
      } finally {
        busy.value = false;
      }
      return null;
    }
    async function saveName() {
      nameFe.value = '';
      const e = await run(() => api.patch('/accounts/' + enc(detail.value.id), { display_name: nameEdit.value.trim() }), t('common.saved'));
      if (e && e.fieldMap) nameFe.value = e.fieldMap().display_name || '';
    }
    async function toggleDisabled() {
      const a = detail.value;
      if (!a.disabled && !window.confirm(t('accounts.confirmDisable', { login: a.login }))) return;
      await run(() => api.patch('/accounts/' + enc(a.id), { disabled: !a.disabled }),
        a.disabled ? t('accounts.enabledDone') : t('accounts.disabledDone'));
    }
    async function addGrant() {
      grantFe.role = grantFe.org = '';
      if (!grantForm.role) grantFe.role = t('accounts.chooseRole');
      if (!grantForm.org) grantFe.org = t('accounts.chooseOrg');
      if (grantFe.role || grantFe.org) return;
      const e = await run(() => api.post('/accounts/' + enc(detail.value.id) + '/grants',
        { role: grantForm.role, org_id: orgIdOf(grantForm.org) }), t('accounts.grantAdded'));
      if (e && e.fieldMap) {
        const m = e.fieldMap();
        grantFe.role = m.role || '';
        grantFe.org = m.org_id || '';
      } else if (!e) {
        grantForm.role = grantForm.org = '';
      }
    }
    async function removeGrant(g) {
      if (!window.confirm(t('accounts.confirmRemoveGrant', { grant: grantLabel(g) }))) return;
      await run(() => api.del('/accounts/' + enc(detail.value.id) + '/grants/' + enc(g.id)), t('accounts.grantRemoved'));
    }
    async function resetPassword() {
      pwdFe.value = '';
      if (pwd.value.length < 8) { pwdFe.value = t('password.tooShort'); return; }
      const e = await run(() => api.post('/accounts/' + enc(detail.value.id) + '/password', { new_password: pwd.value }),
        t('accounts.passwordReset'));
      if (e && e.fieldMap) pwdFe.value = e.fieldMap().new_password || '';
      else if (!e) pwd.value = '';
    }

    return {
      writable, items, cursor, loading, loadError, q, notice, search, fetchPage,
      orgOptions, orgError, ROLES, roleName, grantLabel,
      showCreate, form, fe, createError, creating, openCreate, create, createKnown,
      detail, detailOpen, detailError, detailNotice, busy, nameEdit, nameFe, grantForm, grantFe, pwd, pwdFe,
      open, saveName, toggleDisabled, addGrant, removeGrant, resetPassword,
    };
  },
  template: `
  <section class="page">
    <div class="page-head">
      <h1 tabindex="-1">{{ t('accounts.title') }}</h1>
      <button v-if="writable" type="button" class="btn btn-primary" data-testid="account-new" @click="openCreate">+ {{ t('accounts.newAccount') }}</button>
    </div>
    <status-msg :text="notice"></status-msg>

    <form v-if="showCreate" class="card" novalidate @submit.prevent="create" data-testid="account-form">
      <h2>{{ t('accounts.createTitle') }}</h2>
      <error-box :error="createError" :known="createKnown"></error-box>
      <error-box :error="orgError"></error-box>
      <div class="form-grid">
        <form-field :label="t('accounts.login')" :error="fe.login" required v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.login" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" data-testid="account-login">
        </form-field>
        <form-field :label="t('accounts.displayName')" :error="fe.display_name" required v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.display_name" type="text" data-testid="account-display-name">
        </form-field>
        <form-field class="span-2" :label="t('accounts.password')" :error="fe.password" :hint="t('accounts.passwordHint')" required v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.password" type="password" autocomplete="new-password" data-testid="account-password">
        </form-field>
        <form-field :label="t('accounts.role')" :error="fe.role" v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="form.role" data-testid="account-role">
            <option value="">{{ t('accounts.chooseRole') }}</option>
            <option v-for="r in ROLES" :key="r" :value="r">{{ roleName(r) }}</option>
          </select>
        </form-field>
        <form-field :label="t('accounts.org')" :error="fe.org" v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="form.org" data-testid="account-org">
            <option value="">{{ t('accounts.chooseOrg') }}</option>
            <option v-for="o in orgOptions" :key="o.value" :value="o.value">{{ o.label }}</option>
          </select>
        </form-field>
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" :disabled="creating" data-testid="account-submit">{{ creating ? t('common.saving') : t('common.create') }}</button>
        <button type="button" class="btn btn-secondary" @click="showCreate = false">{{ t('common.cancel') }}</button>
      </div>
    </form>

    <form class="toolbar" role="search" @submit.prevent="search">
      <div class="field">
        <label for="account-q">{{ t('accounts.search') }}</label>
        <input id="account-q" v-model="q" type="search" :placeholder="t('accounts.searchPlaceholder')" data-testid="account-search">
      </div>
      <button type="submit" class="btn btn-secondary">{{ t('common.search') }}</button>
    </form>
    <error-box :error="loadError"></error-box>

    <div class="table-wrap" :hidden="!items.length && loading">
      <table class="list" data-testid="accounts-list">
        <caption class="visually-hidden">{{ t('accounts.listCaption') }}</caption>
        <thead><tr>
          <th scope="col">{{ t('accounts.login') }}</th>
          <th scope="col">{{ t('accounts.displayName') }}</th>
          <th scope="col">{{ t('accounts.grants') }}</th>
          <th scope="col">{{ t('accounts.status') }}</th>
          <th scope="col">{{ t('common.actions') }}</th>
        </tr></thead>
        <tbody>
          <tr v-for="a in items" :key="a.id" :class="{ selected: detailOpen && detail && String(detail.id) === String(a.id) }">
            <td class="primary mono" :data-label="t('accounts.login')">{{ a.login }}</td>
            <td :data-label="t('accounts.displayName')">{{ a.display_name }}</td>
            <td :data-label="t('accounts.grants')">
              <ul v-if="a.grants && a.grants.length" class="chips">
                <li v-for="g in a.grants" :key="g.id" class="chip chip-role">{{ grantLabel(g) }}</li>
              </ul>
              <span v-else class="muted">{{ t('accounts.noGrants') }}</span>
            </td>
            <td :data-label="t('accounts.status')">
              <span class="badge" :class="a.disabled ? 'badge-off' : 'badge-on'">{{ a.disabled ? t('accounts.disabled') : t('accounts.active') }}</span>
            </td>
            <td class="actions" :data-label="t('common.actions')">
              <button type="button" class="btn btn-secondary btn-small" :aria-label="t('common.labelFor', { action: t('accounts.open'), name: a.login })" @click="open(a)" data-testid="account-open">{{ t('accounts.open') }}</button>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
    <list-footer :loading="loading" :empty="!loading && !loadError && !items.length" :has-more="!!cursor"
                 :empty-text="t('accounts.empty')" @more="fetchPage(false)"></list-footer>

    <app-dialog :open="detailOpen" :title="detail ? t('accounts.detail', { login: detail.login }) : ''" testid="account-detail" @close="detailOpen = false">
      <template v-if="detail">
        <status-msg :text="detailNotice"></status-msg>
        <error-box :error="detailError" :known="['display_name', 'role', 'org_id', 'new_password']"></error-box>
        <section>
          <dl class="facts">
            <dt>{{ t('accounts.login') }}</dt><dd class="mono">{{ detail.login }}</dd>
            <dt>{{ t('accounts.status') }}</dt>
            <dd><span class="badge" :class="detail.disabled ? 'badge-off' : 'badge-on'">{{ detail.disabled ? t('accounts.disabled') : t('accounts.active') }}</span></dd>
          </dl>
          <form v-if="writable" class="inline-form" novalidate @submit.prevent="saveName">
            <form-field :label="t('accounts.displayName')" :error="nameFe" v-slot="f">
              <input :id="f.id" v-bind="f.aria" v-model="nameEdit" type="text" data-testid="account-edit-name">
            </form-field>
            <button type="submit" class="btn btn-secondary" :disabled="busy">{{ t('common.save') }}</button>
          </form>
        </section>
        <section>
          <h3>{{ t('accounts.grants') }}</h3>
          <ul v-if="detail.grants && detail.grants.length" class="chips" data-testid="account-grants">
            <li v-for="g in detail.grants" :key="g.id" class="chip chip-role">
              {{ grantLabel(g) }}
              <button v-if="writable" type="button" class="btn btn-ghost btn-small" :disabled="busy"
                      :aria-label="t('accounts.removeGrantLabel', { grant: grantLabel(g) })" @click="removeGrant(g)">✕</button>
            </li>
          </ul>
          <p v-else class="muted">{{ t('accounts.noGrants') }}</p>
          <form v-if="writable" class="inline-form" novalidate @submit.prevent="addGrant" data-testid="grant-form">
            <form-field :label="t('accounts.role')" :error="grantFe.role" v-slot="f">
              <select :id="f.id" v-bind="f.aria" v-model="grantForm.role" data-testid="grant-role">
                <option value="">{{ t('accounts.chooseRole') }}</option>
                <option v-for="r in ROLES" :key="r" :value="r">{{ roleName(r) }}</option>
              </select>
            </form-field>
            <form-field :label="t('accounts.org')" :error="grantFe.org" v-slot="f">
              <select :id="f.id" v-bind="f.aria" v-model="grantForm.org" data-testid="grant-org">
                <option value="">{{ t('accounts.chooseOrg') }}</option>
                <option v-for="o in orgOptions" :key="o.value" :value="o.value">{{ o.label }}</option>
              </select>
            </form-field>
            <button type="submit" class="btn btn-secondary" :disabled="busy" data-testid="grant-add">{{ t('accounts.addGrant') }}</button>
          </form>
          <error-box :error="orgError"></error-box>
        </section>
        <section v-if="writable">
          <h3>{{ t('accounts.resetPassword') }}</h3>
          <form class="inline-form" novalidate @submit.prevent="resetPassword">
            <form-field :label="t('accounts.newPassword')" :error="pwdFe" v-slot="f">
              <input :id="f.id" v-bind="f.aria" v-model="pwd" type="password" autocomplete="new-password" data-testid="account-new-password">
            </form-field>
            <button type="submit" class="btn btn-secondary" :disabled="busy" data-testid="account-reset-password">{{ t('accounts.resetPassword') }}</button>
          </form>
        </section>
        <section v-if="writable">
          <button type="button" :class="detail.disabled ? 'btn btn-secondary' : 'btn btn-danger'" :disabled="busy"
                  @click="toggleDisabled" data-testid="account-toggle-disabled">{{ detail.disabled ? t('accounts.enable') : t('accounts.disable') }}</button>
        </section>
      </template>
    </app-dialog>
  </section>`,
};
