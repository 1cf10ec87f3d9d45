// #/bank — 爱心银行 on a phone (SPEC §6): the balance, the history of entries
// (earned, redeemed, refunded, expired), the 爱心超市 catalogue with a redeem
// button, and my orders with the pickup code and its QR for the provider.
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
    async function load() {
      error.value = null;
      try {
        const [m, i, o] = await Promise.all([api.get('/bank/me', { limit: 30 }), api.get('/bank/items'), api.get('/bank/me/orders')]);
        me.value = m;
        items.value = i.items;
        orders.value = o.items;
      } catch (e) { error.value = e; }
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
    return { me, items, orders, tab, error, notice, busy, confirming, redeem, cancel, more, sourceName, formatTime, enc, t };
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
      <button v-for="k in ['shop', 'orders', 'history']" :key="k" type="button" role="tab" class="tab"
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
  </section>`,
};
