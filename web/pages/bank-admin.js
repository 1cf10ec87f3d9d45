// #/bank-admin — the 爱心超市 for 居委 and staff (SPEC §6): orders to hand
// over (confirmed by the member's pickup code), the catalogue (new items,
// stock, on/off shelf), manual awards with a reason, the earning rules and,
// for the admin, the trial balance (all balances must sum to zero); family
// links waiting for approval and the transfer settings.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { can } from '../session.js';
import { formatTime } from '../format.js';
import { loadOrgOptions } from '../orgtree.js';
import { t } from '../i18n.js';
import { linkStylesheet } from '../stylesheet.js';

linkStylesheet('/assets/bank.css');

export default {
  name: 'BankAdminPage',
  setup() {
    const orders = ref([]);
    const items = ref([]);
    const trial = ref(null);
    const report = ref([]);
    const rules = reactive({});
    const orgs = ref([]);
    const error = ref(null);
    const notice = ref('');
    const codes = reactive({});
    const status = ref('placed');
    const item = reactive({ provider_id: '', name: '', description: '', cost: 30, stock: 10, limit_count: 0, limit_days: 30 });
    const ife = reactive({});
    const aw = reactive({ q: '', found: [], account_id: '', org_id: '', points: 10, reason: '' });
    const afe = reactive({});
    const clear = (o) => { for (const k of Object.keys(o)) delete o[k]; };
    const links = ref([]);
    const rfe = reactive({});
    async function load() {
      error.value = null;
      try {
        const [o, i, r] = await Promise.all([api.get('/bank/orders', { status: status.value || undefined, limit: 100 }), api.get('/bank/items', { all: 1 }), api.get('/settings/bank')]);
        orders.value = o.items;
        items.value = i.items;
        Object.assign(rules, r);
        if (can('bank.manage')) links.value = (await api.get('/bank/family', { manage: 1, state: 'pending' })).items;
        if (can('bank.audit')) trial.value = await api.get('/bank/trial-balance');
        if (can('bank.report')) report.value = (await api.get('/bank/report')).items;
      } catch (e) { error.value = e; }
    }
    onMounted(async () => {
      await load();
      try { orgs.value = await loadOrgOptions(); } catch (e) { error.value = e; }
    });
    async function fulfil(o) {
      error.value = null;
      try {
        await api.post('/bank/orders/' + enc(o.id) + '/fulfil', { code: (codes[o.id] || '').trim() });
        notice.value = t('bankAdmin.fulfilled', { name: o.item_name, who: o.member_name });
        await load();
      } catch (e) { error.value = e; }
    }
    async function cancel(o) {
      try { await api.post('/bank/orders/' + enc(o.id) + '/cancel', {}); await load(); } catch (e) { error.value = e; }
    }
    async function addItem() {
      clear(ife);
      try {
        const body = { provider_id: Number(item.provider_id) || 0, name: item.name.trim(), cost: Number(item.cost), stock: Number(item.stock), limit_count: Number(item.limit_count), limit_days: Number(item.limit_days) };
        if (item.description.trim()) body.description = item.description.trim();
        await api.post('/bank/items', body);
        item.name = '';
        item.description = '';
        await load();
      } catch (e) { Object.assign(ife, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    async function patchItem(it, patch) {
      try { Object.assign(it, await api.patch('/bank/items/' + enc(it.id), patch)); } catch (e) { error.value = e; }
    }
    async function findPeople() {
      try { aw.found = (await api.get('/volunteers', { q: aw.q.trim(), limit: 20 })).items.filter((v) => v.account_id); } catch (e) { error.value = e; }
    }
    function choose(v) { aw.account_id = v.account_id; aw.org_id = v.org_id; }
    async function award() {
      clear(afe);
      try {
        const e = await api.post('/bank/awards', { account_id: Number(aw.account_id) || 0, org_id: Number(aw.org_id) || 0, points: Number(aw.points), reason: aw.reason.trim() },
          { headers: { 'Idempotency-Key': `award-${aw.account_id}-${Date.now()}` } });
        notice.value = t('bankAdmin.awarded', { n: e.amount });
        aw.reason = '';
        await load();
      } catch (e) { Object.assign(afe, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    async function saveRules() {
      clear(rfe);
      try {
        const r = await api.put('/settings/bank', { points_per_hour: Number(rules.points_per_hour), points_per_activity: Number(rules.points_per_activity), points_per_tip: Number(rules.points_per_tip), expiry_days: Number(rules.expiry_days),
          transfer_enabled: !!rules.transfer_enabled, transfer_max_per_month: Number(rules.transfer_max_per_month) });
        Object.assign(rules, r);
        notice.value = t('bankAdmin.saved');
      } catch (e) { Object.assign(rfe, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    async function decideLink(l, action) {
      error.value = null;
      try {
        await api.post('/bank/family/' + enc(l.id) + '/' + action, {});
        notice.value = t('bankAdmin.family.' + action + 'd', { a: l.account_name, b: l.family_name });
        await load();
      } catch (e) { error.value = e; }
    }
    async function runAwards() {
      try {
        const r = await api.post('/bank/award-run');
        notice.value = t('bankAdmin.ran', { n: r.service_records + r.verified_tips + r.activities, x: r.expired });
        await load();
      } catch (e) { error.value = e; }
    }
    return { links, rfe, decideLink, orders, items, trial, report, rules, orgs, error, notice, codes, status, item, ife, aw, afe, can, formatTime, t, load, fulfil, cancel, addItem, patchItem, findPeople, choose, award, saveRules, runAwards };
  },
  template: `
  <section class="page">
    <h1 class="page-title" tabindex="-1">{{ t('bankAdmin.title') }}</h1>
    <error-box :error="error"></error-box>
    <p v-if="notice" class="alert alert-success" role="status">{{ notice }}</p>

    <h2>{{ t('bankAdmin.orders') }}</h2>
    <form class="filters card" @submit.prevent="load">
      <form-field :label="t('bankAdmin.status')" v-slot="f">
        <select :id="f.id" v-model="status" @change="load">
          <option value="">{{ t('bankAdmin.all') }}</option>
          <option v-for="s in ['placed', 'fulfilled', 'cancelled']" :key="s" :value="s">{{ t('bank.status.' + s) }}</option>
        </select>
      </form-field>
    </form>
    <div class="table-wrap">
      <table class="list" data-testid="bank-admin-orders">
        <thead><tr><th>{{ t('bankAdmin.item') }}</th><th>{{ t('bankAdmin.member') }}</th><th>{{ t('bankAdmin.cost') }}</th><th>{{ t('bankAdmin.time') }}</th><th>{{ t('bankAdmin.status') }}</th><th>{{ t('bank.code') }}</th></tr></thead>
        <tbody>
          <tr v-for="o in orders" :key="o.id">
            <td>{{ o.item_name }}<br><span class="muted">{{ o.provider_name }}</span></td>
            <td>{{ o.member_name }}</td><td>{{ o.cost }}</td><td>{{ formatTime(o.created_at) }}</td>
            <td>{{ t('bank.status.' + o.status) }}</td>
            <td>
              <template v-if="o.status === 'placed'">
                <input class="mono" size="11" v-model="codes[o.id]" :aria-label="t('bankAdmin.enterCode')" :placeholder="t('bankAdmin.enterCode')">
                <button type="button" class="btn btn-primary btn-small" @click="fulfil(o)">{{ t('bankAdmin.fulfil') }}</button>
                <button type="button" class="btn btn-link btn-small" @click="cancel(o)">{{ t('bank.cancel') }}</button>
              </template>
              <span v-else class="mono muted">{{ o.code }}</span>
            </td>
          </tr>
          <tr v-if="!orders.length"><td colspan="6" class="empty">{{ t('bank.noOrders') }}</td></tr>
        </tbody>
      </table>
    </div>

    <h2>{{ t('bankAdmin.family.title') }}</h2>
    <div class="table-wrap">
      <table class="list" data-testid="bank-admin-family">
        <thead><tr><th>{{ t('bankAdmin.family.member') }}</th><th>{{ t('bankAdmin.family.relative') }}</th><th>{{ t('bankAdmin.family.relation') }}</th><th>{{ t('bankAdmin.org') }}</th><th>{{ t('bankAdmin.time') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="l in links" :key="l.id">
            <td>{{ l.account_name }} <span class="muted">{{ l.account_login }}</span></td>
            <td>{{ l.family_name }} <span class="muted">{{ l.family_login }}</span></td>
            <td>{{ l.relation }}</td><td>{{ l.org_name }}</td><td>{{ formatTime(l.created_at) }}</td>
            <td>
              <button type="button" class="btn btn-primary btn-small" @click="decideLink(l, 'approve')">{{ t('bankAdmin.family.approve') }}</button>
              <button type="button" class="btn btn-link btn-small" @click="decideLink(l, 'revoke')">{{ t('bankAdmin.family.revoke') }}</button>
            </td>
          </tr>
          <tr v-if="!links.length"><td colspan="6" class="empty">{{ t('bankAdmin.family.none') }}</td></tr>
        </tbody>
      </table>
    </div>

    <h2>{{ t('bankAdmin.catalogue') }}</h2>
    <div class="table-wrap">
      <table class="list" data-testid="bank-admin-items">
        <thead><tr><th>{{ t('bankAdmin.item') }}</th><th>{{ t('bankAdmin.provider') }}</th><th>{{ t('bankAdmin.cost') }}</th><th>{{ t('bankAdmin.stockCol') }}</th><th>{{ t('bankAdmin.limitCol') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="it in items" :key="it.id">
            <td>{{ it.name }}</td><td>{{ it.provider_name }}</td><td>{{ it.cost }}</td>
            <td><input type="number" min="0" style="width:6em" :value="it.stock" :aria-label="t('bankAdmin.stockCol')" @change="patchItem(it, { stock: Number($event.target.value) })"></td>
            <td>{{ it.limit_count ? t('bank.limit', { n: it.limit_count, d: it.limit_days }) : '—' }}</td>
            <td><button type="button" class="btn btn-secondary btn-small" @click="patchItem(it, { active: !it.active })">{{ it.active ? t('bankAdmin.offShelf') : t('bankAdmin.onShelf') }}</button></td>
          </tr>
        </tbody>
      </table>
    </div>
    <form class="card" @submit.prevent="addItem" data-testid="bank-item-form">
      <h3>{{ t('bankAdmin.newItem') }}</h3>
      <form-field :label="t('bankAdmin.provider')" :error="ife.provider_id" required v-slot="f">
        <select :id="f.id" v-bind="f.aria" v-model="item.provider_id"><option value=""></option><option v-for="o in orgs" :key="o.value" :value="o.value">{{ o.label }}</option></select>
      </form-field>
      <form-field :label="t('bankAdmin.item')" :error="ife.name" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="item.name" maxlength="60"></form-field>
      <form-field :label="t('bankAdmin.description')" :error="ife.description" optional v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="item.description"></form-field>
      <form-field :label="t('bankAdmin.cost')" :error="ife.cost" required v-slot="f"><input :id="f.id" v-bind="f.aria" type="number" min="1" v-model="item.cost"></form-field>
      <form-field :label="t('bankAdmin.stockCol')" :error="ife.stock" required v-slot="f"><input :id="f.id" v-bind="f.aria" type="number" min="0" v-model="item.stock"></form-field>
      <form-field :label="t('bankAdmin.limitCount')" :error="ife.limit_count" v-slot="f"><input :id="f.id" v-bind="f.aria" type="number" min="0" v-model="item.limit_count"></form-field>
      <form-field :label="t('bankAdmin.limitDays')" :error="ife.limit_days" v-slot="f"><input :id="f.id" v-bind="f.aria" type="number" min="1" v-model="item.limit_days"></form-field>
      <div class="form-actions"><button type="submit" class="btn btn-primary">{{ t('common.create') }}</button></div>
    </form>

    <h2>{{ t('bankAdmin.award') }}</h2>
    <form class="card" @submit.prevent="award" data-testid="bank-award-form">
      <form-field :label="t('bankAdmin.findPerson')" v-slot="f">
        <input :id="f.id" v-model="aw.q" @keydown.enter.prevent="findPeople">
      </form-field>
      <button type="button" class="btn btn-secondary btn-small" @click="findPeople">{{ t('common.search') }}</button>
      <ul class="plain-list">
        <li v-for="v in aw.found" :key="v.id"><label><input type="radio" name="aw-person" :checked="aw.account_id === v.account_id" @change="choose(v)"> {{ v.name }} · {{ v.org_name }}</label></li>
      </ul>
      <p v-if="afe.account_id" class="field-error">{{ afe.account_id }}</p>
      <form-field :label="t('bankAdmin.points')" :error="afe.points" required v-slot="f"><input :id="f.id" v-bind="f.aria" type="number" min="1" v-model="aw.points"></form-field>
      <form-field :label="t('bankAdmin.reason')" :error="afe.reason" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="aw.reason" maxlength="200"></form-field>
      <div class="form-actions"><button type="submit" class="btn btn-primary" :disabled="!aw.account_id">{{ t('bankAdmin.doAward') }}</button></div>
    </form>

    <h2>{{ t('bankAdmin.rules') }}</h2>
    <form class="card" @submit.prevent="saveRules">
      <form-field v-for="k in ['points_per_hour', 'points_per_activity', 'points_per_tip', 'expiry_days', 'transfer_max_per_month']" :key="k" :label="t('bankAdmin.rule.' + k)" :error="rfe[k]" v-slot="f">
        <input :id="f.id" v-bind="f.aria" type="number" :min="k === 'transfer_max_per_month' ? 1 : 0" v-model="rules[k]" :disabled="!can('bank.settings')">
      </form-field>
      <label class="checkbox" data-testid="bank-transfer-enabled"><input type="checkbox" v-model="rules.transfer_enabled" :disabled="!can('bank.settings')"> {{ t('bankAdmin.rule.transfer_enabled') }}</label>
      <p class="muted">{{ rules.transfer_enabled ? t('bankAdmin.transferOn') : t('bankAdmin.transferOff') }}</p>
      <div class="form-actions">
        <button v-if="can('bank.settings')" type="submit" class="btn btn-primary">{{ t('common.save') }}</button>
        <button type="button" class="btn btn-secondary" @click="runAwards">{{ t('bankAdmin.run') }}</button>
      </div>
    </form>

    <template v-if="can('bank.report')">
      <h2>{{ t('bankAdmin.report') }}</h2>
      <div class="table-wrap">
        <table class="list" data-testid="bank-report">
          <thead><tr><th>{{ t('bankAdmin.org') }}</th><th>{{ t('bankAdmin.kind') }}</th><th>{{ t('bankAdmin.out') }}</th><th>{{ t('bankAdmin.in') }}</th><th>{{ t('bankAdmin.entries') }}</th></tr></thead>
          <tbody>
            <tr v-for="x in report" :key="x.kind + x.org_id"><td>{{ x.org_name }}</td><td>{{ t('bankAdmin.kinds.' + x.kind) }}</td><td>{{ x.out_points }}</td><td>{{ x.in_points }}</td><td>{{ x.entries }}</td></tr>
          </tbody>
        </table>
      </div>
      <p><a class="btn btn-secondary" href="/api/v1/bank/ledger.csv" download>{{ t('bankAdmin.csv') }}</a></p>
    </template>
    <template v-if="trial">
      <h2>{{ t('bankAdmin.trial') }}</h2>
      <div class="card" data-testid="bank-trial">
        <p><strong :class="trial.balanced ? 'bank-plus' : 'bank-minus'">{{ trial.balanced ? t('bankAdmin.balanced') : t('bankAdmin.unbalanced') }}</strong></p>
        <p>{{ t('bankAdmin.trialLine', { sum: trial.sum, issued: trial.outstanding, members: trial.members, redeemed: trial.redeemed, entries: trial.entries, accounts: trial.accounts }) }}</p>
        <p v-if="trial.mismatches.length" class="alert alert-error">{{ t('bankAdmin.mismatches', { n: trial.mismatches.length }) }}</p>
      </div>
    </template>
  </section>`,
};
