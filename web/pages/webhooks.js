// #/webhooks — Webhook 推送 (docs/WEBHOOKS.md): register a URL for problem
// and shift events (to bridge to 企业微信, 钉钉 or SMS), see the deliveries
// with their state, send a test message, retry a failed delivery, rotate the
// signing secret. The secret is shown once, right after creation/rotation.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { formatTime } from '../format.js';
import { t } from '../i18n.js';

// Event groups offered as checkboxes; a custom list can be typed too.
const GROUPS = ['problem.*', 'shift.*'];

export default {
  name: 'WebhooksPage',
  setup() {
    const items = ref([]);
    const loading = ref(false);
    const error = ref(null);
    const notice = ref('');
    const secret = ref(null);	// { name, value } shown once
    const form = reactive({ name: '', url: '', groups: ['problem.*'], custom: '' });
    const fe = reactive({});
    const busy = ref(false);
    const open = ref(null);	// webhook id whose deliveries are shown
    const deliveries = ref([]);
    const dCursor = ref(null);
    const dLoading = ref(false);

    async function load() {
      loading.value = true;
      error.value = null;
      try { items.value = ((await api.get('/webhooks')) || {}).items || []; } catch (e) { error.value = e; } finally { loading.value = false; }
    }
    onMounted(load);

    function eventsOf() {
      const custom = form.custom.split(/[,，\s]+/).map((s) => s.trim()).filter(Boolean);
      return [...form.groups, ...custom.filter((c) => !form.groups.includes(c))];
    }
    async function create() {
      for (const k of Object.keys(fe)) delete fe[k];
      error.value = null;
      notice.value = '';
      secret.value = null;
      busy.value = true;
      try {
        const r = await api.post('/webhooks', { name: form.name.trim(), url: form.url.trim(), events: eventsOf() });
        secret.value = { name: r.name, value: r.secret };
        Object.assign(form, { name: '', url: '', groups: ['problem.*'], custom: '' });
        await load();
      } catch (e) {
        Object.assign(fe, e.fieldMap ? e.fieldMap() : {});
        error.value = e;
      } finally { busy.value = false; }
    }
    async function act(fn, msg) {
      error.value = null;
      notice.value = '';
      busy.value = true;
      try { await fn(); if (msg) notice.value = msg; await load(); } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    const toggle = (w) => act(() => api.patch('/webhooks/' + enc(w.id), { active: !w.active }),
      t(w.active ? 'hooks.paused' : 'hooks.resumed', { name: w.name }));
    const ping = (w) => act(async () => { await api.post('/webhooks/' + enc(w.id) + '/ping'); if (open.value === w.id) setTimeout(() => show(w, true), 1500); },
      t('hooks.pinged', { name: w.name }));
    const rotate = (w) => act(async () => {
      if (!window.confirm(t('hooks.rotateConfirm', { name: w.name }))) return;
      const r = await api.post('/webhooks/' + enc(w.id) + '/secret');
      secret.value = { name: w.name, value: r.secret };
    });
    const remove = (w) => act(async () => {
      if (!window.confirm(t('hooks.deleteConfirm', { name: w.name }))) return;
      await api.del('/webhooks/' + enc(w.id));
      if (open.value === w.id) open.value = null;
    }, t('hooks.deleted', { name: w.name }));

    async function show(w, reset = true) {
      if (!reset && !dCursor.value) return;
      open.value = w.id;
      dLoading.value = true;
      try {
        const page = await api.get('/webhooks/' + enc(w.id) + '/deliveries', { limit: 20, cursor: reset ? null : dCursor.value });
        deliveries.value = reset ? page.items : deliveries.value.concat(page.items);
        dCursor.value = page.next_cursor;
      } catch (e) { error.value = e; } finally { dLoading.value = false; }
    }
    async function retry(d) {
      error.value = null;
      try {
        const r = await api.post('/webhook-deliveries/' + enc(d.id) + '/retry');
        const i = deliveries.value.findIndex((x) => x.id === d.id);
        if (i >= 0) deliveries.value.splice(i, 1, r);
        notice.value = t('hooks.retried');
      } catch (e) { error.value = e; }
    }
    async function copySecret() {
      try { await navigator.clipboard.writeText(secret.value.value); notice.value = t('hooks.copied'); } catch (_) { /* select it by hand */ }
    }
    const hookOf = (id) => items.value.find((w) => w.id === id);

    return { items, loading, error, notice, secret, form, fe, busy, open, deliveries, dCursor, dLoading, GROUPS,
      create, toggle, ping, rotate, remove, show, retry, copySecret, hookOf, formatTime };
  },
  template: `
  <section class="page">
    <h1 class="page-title" tabindex="-1">{{ t('hooks.title') }}</h1>
    <p class="muted">{{ t('hooks.intro') }}</p>
    <error-box :error="error" :known="['name', 'url', 'events']"></error-box>
    <status-msg :text="notice"></status-msg>
    <div v-if="secret" class="alert alert-ok" role="alert" data-testid="hook-secret">
      <p class="alert-text">{{ t('hooks.secretOnce', { name: secret.name }) }}</p>
      <p><code class="mono" style="word-break: break-all">{{ secret.value }}</code></p>
      <button type="button" class="btn btn-secondary" @click="copySecret">{{ t('hooks.copy') }}</button>
    </div>

    <form class="card" novalidate @submit.prevent="create" data-testid="hook-form">
      <h2>{{ t('hooks.add') }}</h2>
      <div class="form-grid">
        <form-field :label="t('hooks.name')" :error="fe.name" required v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.name" maxlength="100" :placeholder="t('hooks.namePh')" data-testid="hook-name">
        </form-field>
        <form-field :label="t('hooks.url')" :error="fe.url" required :hint="t('hooks.urlHint')" v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.url" type="url" inputmode="url" autocapitalize="none" maxlength="500" data-testid="hook-url">
        </form-field>
      </div>
      <fieldset class="field" :class="{ 'has-error': !!fe.events }">
        <legend>{{ t('hooks.events') }}</legend>
        <label v-for="g in GROUPS" :key="g" class="check"><input type="checkbox" :value="g" v-model="form.groups"> {{ t('hooks.group.' + (g === 'problem.*' ? 'problem' : 'shift')) }} <code class="mono">{{ g }}</code></label>
        <form-field :label="t('hooks.custom')" :hint="t('hooks.customHint')" optional v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.custom" autocapitalize="none" data-testid="hook-custom">
        </form-field>
        <p v-if="fe.events" class="field-error">{{ fe.events }}</p>
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" :disabled="busy" data-testid="hook-create">{{ t('hooks.create') }}</button>
      </div>
    </form>

    <div class="table-wrap">
      <table class="list" data-testid="hook-list">
        <caption class="visually-hidden">{{ t('hooks.title') }}</caption>
        <thead><tr>
          <th scope="col">{{ t('hooks.name') }}</th><th scope="col">{{ t('hooks.url') }}</th>
          <th scope="col">{{ t('hooks.events') }}</th><th scope="col">{{ t('hooks.status') }}</th>
          <th scope="col">{{ t('hooks.actions') }}</th>
        </tr></thead>
        <tbody>
          <tr v-for="w in items" :key="w.id">
            <td class="primary" :data-label="t('hooks.name')">{{ w.name }}</td>
            <td :data-label="t('hooks.url')" class="mono" style="word-break: break-all">{{ w.url }}</td>
            <td :data-label="t('hooks.events')" class="mono">{{ w.events.join(', ') }}</td>
            <td :data-label="t('hooks.status')">
              <span :class="w.active ? 'badge badge-on' : 'badge badge-off'">{{ w.active ? t('hooks.active') : t('hooks.inactive') }}</span>
              <span v-if="w.failed" class="badge badge-danger">{{ t('hooks.failedN', { n: w.failed }) }}</span>
              <span v-if="w.pending" class="badge">{{ t('hooks.pendingN', { n: w.pending }) }}</span>
              <br><small class="muted">{{ w.last_delivered_at ? t('hooks.lastOk', { at: formatTime(w.last_delivered_at) }) : t('hooks.never') }}</small>
            </td>
            <td :data-label="t('hooks.actions')" class="actions">
              <button type="button" class="btn btn-secondary btn-small" @click="show(w)" :data-testid="'hook-show-' + w.id">{{ t('hooks.deliveries') }}</button>
              <button type="button" class="btn btn-secondary btn-small" :disabled="busy" @click="ping(w)">{{ t('hooks.ping') }}</button>
              <button type="button" class="btn btn-secondary btn-small" :disabled="busy" @click="toggle(w)">{{ w.active ? t('hooks.pause') : t('hooks.resume') }}</button>
              <button type="button" class="btn btn-secondary btn-small" :disabled="busy" @click="rotate(w)">{{ t('hooks.rotate') }}</button>
              <button type="button" class="btn btn-danger btn-small" :disabled="busy" @click="remove(w)">{{ t('common.delete') }}</button>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
    <p v-if="!loading && !items.length" class="muted">{{ t('hooks.empty') }}</p>

    <section v-if="open" class="card" data-testid="hook-deliveries">
      <h2>{{ t('hooks.deliveriesOf', { name: (hookOf(open) || {}).name || '' }) }}</h2>
      <div class="table-wrap">
        <table class="list">
          <thead><tr>
            <th scope="col">{{ t('hooks.event') }}</th><th scope="col">{{ t('hooks.created') }}</th>
            <th scope="col">{{ t('hooks.state') }}</th><th scope="col">{{ t('hooks.attempts') }}</th>
            <th scope="col">{{ t('hooks.result') }}</th><th scope="col"></th>
          </tr></thead>
          <tbody>
            <tr v-for="d in deliveries" :key="d.id">
              <td class="primary mono" :data-label="t('hooks.event')">{{ d.event }}</td>
              <td :data-label="t('hooks.created')"><time :datetime="d.created_at">{{ formatTime(d.created_at) }}</time></td>
              <td :data-label="t('hooks.state')"><span :class="'badge ' + (d.state === 'delivered' ? 'badge-on' : d.state === 'failed' ? 'badge-danger' : '')">{{ t('hooks.st.' + d.state) }}</span>
                <small v-if="d.state === 'pending' && d.attempts" class="muted"> {{ t('hooks.nextAt', { at: formatTime(d.next_at) }) }}</small></td>
              <td :data-label="t('hooks.attempts')">{{ d.attempts }}</td>
              <td :data-label="t('hooks.result')" class="mono">{{ d.last_status || '' }} {{ d.last_error || '' }}</td>
              <td><button v-if="d.state !== 'delivered'" type="button" class="btn btn-secondary btn-small" @click="retry(d)">{{ t('hooks.retry') }}</button></td>
            </tr>
          </tbody>
        </table>
      </div>
      <list-footer :loading="dLoading" :empty="!dLoading && !deliveries.length" :has-more="!!dCursor"
                   :empty-text="t('hooks.noDeliveries')" @more="show(hookOf(open), false)"></list-footer>
    </section>
  </section>`,
};
