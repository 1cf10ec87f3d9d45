// #/bank — 爱心银行 on a phone (SPEC §6): the balance, the history of entries
// (earned, redeemed, refunded, expired), the 爱心超市 catalogue with a redeem
// button, my orders with the pickup code and its QR for the provider, and
// 家庭成员: linking family accounts (approved by the 居委) and, when the
// setting transfer_enabled is on, 转赠积分 to an approved family member.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { formatTime } from '../format.js';
import { t } from '../i18n.js';
import { linkStylesheet } from '../stylesheet.js';

linkStylesheet('/assets/bank.css');

export default {
  name: 'BankPage',
  setup() {
    const me = ref(null);
    const items = ref([]);
    const orders = ref([]);
    const tab = ref('shop');
    const error = ref(null);
    const notice = ref('');
    const busy = reactive({});
    const confirming = ref(null);
    const family = ref([]);
    const fam = reactive({ login: '', relation: '' });
    const famErr = reactive({});
    const xfer = reactive({ to: '', amount: 10, note: '' });
    const xferErr = reactive({});
    const clear = (o) => { for (const k of Object.keys(o)) delete o[k]; };
    async function load() {
      error.value = null;
      try {
        const [m, i, o, f] = await Promise.all([api.get('/bank/me', { limit: 30 }), api.get('/bank/items'), api.get('/bank/me/orders'), api.get('/bank/family')]);
        me.value = m;
        items.value = i.items;
        orders.value = o.items;
        family.value = f.items;
      } catch (e) { error.value = e; }
    }
    // The other side of a link, seen from me (the API names it).
    const other = (l) => ({ id: l.other_id, name: l.other_name, login: l.other_login });
    const approved = () => family.value.filter((l) => l.state === 'approved').map(other);
    async function linkFamily() {
      clear(famErr);
      error.value = null;
      notice.value = '';
      try {
        await api.post('/bank/family', { login: fam.login.trim(), relation: fam.relation.trim() });
        notice.value = t('bank.family.asked');
        fam.login = '';
        fam.relation = '';
        await load();
      } catch (e) { Object.assign(famErr, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    async function revoke(l) {
      try { await api.post('/bank/family/' + enc(l.id) + '/revoke', {}); await load(); } catch (e) { error.value = e; }
    }
    async function transfer() {
      clear(xferErr);
      error.value = null;
      notice.value = '';
      try {
        const body = { to_account_id: Number(xfer.to) || 0, amount: Number(xfer.amount) };
        if (xfer.note.trim()) body.note = xfer.note.trim();
        const r = await api.post('/bank/transfers', body, { headers: { 'Idempotency-Key': `transfer-${xfer.to}-${Date.now()}` } });
        notice.value = t('bank.transfer.done', { n: r.amount, b: r.balance });
        xfer.note = '';
        await load();
      } catch (e) { Object.assign(xferErr, e.fieldMap ? e.fieldMap() : {}); error.value = e; }
    }
    onMounted(load);
    async function redeem(it) {
      busy[it.id] = true;
      error.value = null;
      notice.value = '';
      try {
        const o = await api.post('/bank/orders', { item_id: it.id }, { headers: { 'Idempotency-Key': `redeem-${it.id}-${Date.now()}` } });
        notice.value = t('bank.redeemed', { name: it.name, code: o.code });
        confirming.value = null;
        await load();
        tab.value = 'orders';
      } catch (e) { error.value = e; }
      busy[it.id] = false;
    }
    async function cancel(o) {
      busy['o' + o.id] = true;
      try {
        await api.post('/bank/orders/' + enc(o.id) + '/cancel', {});
        notice.value = t('bank.cancelled');
        await load();
      } catch (e) { error.value = e; }
      busy['o' + o.id] = false;
    }
    async function more() {
      try {
        const m = await api.get('/bank/me', { limit: 30, cursor: me.value.next_cursor });
        me.value = { ...me.value, items: me.value.items.concat(m.items), next_cursor: m.next_cursor };
      } catch (e) { error.value = e; }
    }
    const sourceName = (e) => t('bank.source.' + e.source_kind);
    return { me, items, orders, tab, error, notice, busy, confirming, redeem, cancel, more, sourceName, formatTime, enc, t, family, fam, famErr, xfer, xferErr, other, approved, linkFamily, revoke, transfer };
  },
  template: `
  <section class="page bank-page">
    <h1 class="page-title" tabindex="-1">{{ t('bank.title') }}</h1>
    <error-box :error="error"></error-box>
    <p v-if="notice" class="alert alert-success" role="status" data-testid="bank-notice">{{ notice }}</p>
    <div v-if="me" class="card vol-summary">
      <div class="vol-stats">
        <div><span class="muted">{{ t('bank.balance') }}</span><br><strong class="bank-balance" data-testid="bank-balance">{{ me.balance }}</strong> {{ t('bank.points') }}</div>
      </div>
      <p class="muted">{{ t('bank.rules', { h: me.rules.points_per_hour, a: me.rules.points_per_activity, p: me.rules.points_per_tip }) }}</p>
    </div>
    <div class="tabs" role="tablist">
      <button v-for="k in ['shop', 'orders', 'history', 'family']" :key="k" type="button" role="tab" class="tab"
              :aria-selected="tab === k ? 'true' : 'false'" :data-testid="'bank-tab-' + k" @click="tab = k">{{ t('bank.tab.' + k) }}</button>
    </div>

    <ul v-if="tab === 'shop'" class="shift-list" data-testid="bank-items">
      <li v-for="it in items" :key="it.id" class="card shift" :data-testid="'bank-item-' + it.id">
        <div class="shift-title"><strong>{{ it.name }}</strong> <span class="muted">{{ it.provider_name }}</span></div>
        <div v-if="it.description" class="muted">{{ it.description }}</div>
        <div class="shift-foot">
          <span class="badge badge-ok">{{ t('bank.cost', { n: it.cost }) }}</span>
          <span class="badge" :class="it.stock ? '' : 'badge-warn'">{{ t('bank.stock', { n: it.stock }) }}</span>
          <span v-if="it.limit_count" class="muted">{{ t('bank.limit', { n: it.limit_count, d: it.limit_days }) }}</span>
          <template v-if="confirming === it.id">
            <button type="button" class="btn btn-primary btn-small" :disabled="busy[it.id]" :data-testid="'bank-confirm-' + it.id" @click="redeem(it)">{{ t('bank.confirm', { n: it.cost }) }}</button>
            <button type="button" class="btn btn-link btn-small" @click="confirming = null">{{ t('common.cancel') }}</button>
          </template>
          <button v-else type="button" class="btn btn-primary btn-small" :disabled="!it.stock || (me && me.balance < it.cost)"
                  :data-testid="'bank-redeem-' + it.id" @click="confirming = it.id">{{ t('bank.redeem') }}</button>
        </div>
      </li>
      <li v-if="!items.length" class="empty">{{ t('bank.noItems') }}</li>
    </ul>

    <ul v-if="tab === 'orders'" class="shift-list" data-testid="bank-orders">
      <li v-for="o in orders" :key="o.id" class="card shift" :data-testid="'bank-order-' + o.id">
        <div class="shift-title"><strong>{{ o.item_name }}</strong> <span class="badge">{{ t('bank.status.' + o.status) }}</span></div>
        <div class="muted">{{ o.provider_name }} · {{ formatTime(o.created_at) }} · {{ t('bank.cost', { n: o.cost }) }}</div>
        <template v-if="o.status === 'placed'">
          <p>{{ t('bank.code') }} <strong class="mono bank-code" data-testid="bank-order-code">{{ o.code }}</strong></p>
          <img class="bank-qr" :src="'/api/v1/bank/orders/' + enc(o.id) + '/qr.png'" :alt="t('bank.qrAlt', { code: o.code })" width="150" height="150">
          <div class="shift-foot">
            <button type="button" class="btn btn-link btn-small" :disabled="busy['o' + o.id]" @click="cancel(o)">{{ t('bank.cancel') }}</button>
          </div>
        </template>
      </li>
      <li v-if="!orders.length" class="empty">{{ t('bank.noOrders') }}</li>
    </ul>

    <ul v-if="tab === 'history' && me" class="shift-list" data-testid="bank-history">
      <li v-for="e in me.items" :key="e.id" class="card shift bank-entry">
        <div class="shift-title"><strong>{{ sourceName(e) }}</strong> <span :class="e.delta > 0 ? 'bank-plus' : 'bank-minus'">{{ e.delta > 0 ? '+' + e.delta : e.delta }}</span></div>
        <div class="muted">{{ e.title || e.note || '' }} · {{ formatTime(e.created_at) }}</div>
      </li>
      <li v-if="!me.items.length" class="empty">{{ t('bank.noEntries') }}</li>
      <li v-if="me.next_cursor"><button type="button" class="btn btn-secondary" data-testid="bank-more" @click="more">{{ t('bank.more') }}</button></li>
    </ul>

    <div v-if="tab === 'family'" data-testid="bank-family">
      <h2>{{ t('bank.family.title') }}</h2>
      <ul class="shift-list">
        <li v-for="l in family" :key="l.id" class="card shift" :data-testid="'bank-family-' + l.id">
          <div class="shift-title"><strong>{{ other(l).name }}</strong> <span class="muted">{{ other(l).login }} · {{ l.relation }}</span>
            <span class="badge" :class="l.state === 'approved' ? 'badge-ok' : l.state === 'pending' ? 'badge-warn' : ''">{{ t('bank.family.state.' + l.state) }}</span></div>
          <div v-if="l.state !== 'revoked'" class="shift-foot">
            <button type="button" class="btn btn-link btn-small" @click="revoke(l)">{{ t('bank.family.revoke') }}</button>
          </div>
        </li>
        <li v-if="!family.length" class="empty">{{ t('bank.family.none') }}</li>
      </ul>
      <form class="card" @submit.prevent="linkFamily" data-testid="bank-family-form">
        <h3>{{ t('bank.family.link') }}</h3>
        <form-field :label="t('bank.family.login')" :error="famErr.login" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="fam.login" maxlength="64" autocomplete="off"></form-field>
        <form-field :label="t('bank.family.relation')" :error="famErr.relation" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="fam.relation" maxlength="20" :placeholder="t('bank.family.relationHint')"></form-field>
        <p class="muted">{{ t('bank.family.help') }}</p>
        <div class="form-actions"><button type="submit" class="btn btn-primary">{{ t('bank.family.ask') }}</button></div>
      </form>
      <form v-if="me && me.rules.transfer_enabled" class="card" @submit.prevent="transfer" data-testid="bank-transfer-form">
        <h3>{{ t('bank.transfer.title') }}</h3>
        <form-field :label="t('bank.transfer.to')" :error="xferErr.to_account_id" required v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="xfer.to"><option value=""></option><option v-for="p in approved()" :key="p.id" :value="p.id">{{ p.name }} ({{ p.login }})</option></select>
        </form-field>
        <form-field :label="t('bank.transfer.amount')" :error="xferErr.amount" required v-slot="f"><input :id="f.id" v-bind="f.aria" type="number" min="1" v-model="xfer.amount"></form-field>
        <form-field :label="t('bank.transfer.note')" :error="xferErr.note" optional v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="xfer.note" maxlength="200"></form-field>
        <p class="muted">{{ t('bank.transfer.limit', { n: me.rules.transfer_max_per_month }) }}</p>
        <div class="form-actions"><button type="submit" class="btn btn-primary" :disabled="!xfer.to">{{ t('bank.transfer.send') }}</button></div>
      </form>
    </div>
  </section>`,
};
