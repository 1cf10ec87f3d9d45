// #/good-deeds — 好人好事 on a phone: anyone signed in records a good deed
// (who, what, where, when, a photo); my records with their state; for the
// 居委 (good_deeds.verify) the queue of pending deeds in their area, each
// verified or rejected with a reason. Verified deeds go on the public wall
// (#/wall) and earn the doer love-bank points.
import { ref, reactive, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc, upload } from '../api.js';
import { can } from '../session.js';
import { t } from '../i18n.js';

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

export default {
  name: 'GoodDeedsPage',
  setup() {
    const reviewer = can('good_deeds.verify');
    const orgs = ref([]);
    const mine = ref([]);
    const queue = ref([]);
    const error = ref(null);
    const notice = ref('');
    const errs = reactive({});
    const form = reactive({ org_id: '', doer_name: '', title: '', content: '', place: '', occurred_on: today(), photo_id: null });
    const reasons = reactive({});
    const uploading = ref(false);
    async function load() {
      error.value = null;
      try {
        const [o, l] = await Promise.all([api.get('/orgs', { kind: 'community', limit: 200 }), api.get('/good-deeds', { limit: 50 })]);
        orgs.value = o.items;
        mine.value = l.items;
        if (reviewer) queue.value = (await api.get('/good-deeds', { state: 'pending', limit: 100 })).items;
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    async function photo(ev) {
      const f = ev.target.files && ev.target.files[0];
      if (!f) return;
      uploading.value = true;
      try { form.photo_id = (await upload('/photos', f)).id; } catch (e) { error.value = e; } finally { uploading.value = false; }
    }
    async function record() {
      for (const k of Object.keys(errs)) delete errs[k];
      error.value = null;
      notice.value = '';
      const body = { org_id: Number(form.org_id) || 0, doer_name: form.doer_name.trim(), title: form.title.trim(), occurred_on: form.occurred_on };
      for (const k of ['content', 'place']) if (form[k].trim()) body[k] = form[k].trim();
      if (form.photo_id) body.photo_id = form.photo_id;
      try {
        await api.post('/good-deeds', body);
        Object.assign(form, { doer_name: '', title: '', content: '', place: '', photo_id: null });
        await load();
        notice.value = t('deeds.recorded');
      } catch (e) { error.value = e; Object.assign(errs, e.fieldMap ? e.fieldMap() : {}); }
    }
    async function review(d, action) {
      error.value = null;
      try {
        await api.post(`/good-deeds/${enc(d.id)}/${action}`, action === 'reject' ? { reason: (reasons[d.id] || '').trim() } : {});
        await load();
        notice.value = t(action === 'verify' ? 'deeds.verified' : 'deeds.rejected');
      } catch (e) { error.value = e; }
    }
    return { reviewer, orgs, mine, queue, error, notice, errs, form, reasons, uploading, photo, record, review, t };
  },
  template: `
  <section class="page deeds-page">
    <h1 class="page-title" tabindex="-1">{{ t('deeds.title') }}</h1>
    <error-box :error="error"></error-box>
    <p v-if="notice" class="alert alert-success" role="status" data-testid="deeds-notice">{{ notice }}</p>
    <p><a href="#/wall">{{ t('deeds.wallLink') }}</a></p>
    <form class="card" @submit.prevent="record" data-testid="deed-form">
      <h2>{{ t('deeds.record') }}</h2>
      <form-field :label="t('deeds.org')" :error="errs.org_id" required v-slot="f">
        <select :id="f.id" v-bind="f.aria" v-model="form.org_id" data-testid="deed-org"><option value=""></option><option v-for="o in orgs" :key="o.id" :value="o.id">{{ o.name }}</option></select>
      </form-field>
      <form-field :label="t('deeds.doer')" :error="errs.doer_name" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.doer_name" maxlength="50" data-testid="deed-doer"></form-field>
      <form-field :label="t('deeds.what')" :error="errs.title" required v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.title" maxlength="100" data-testid="deed-title"></form-field>
      <form-field :label="t('deeds.content')" :error="errs.content" optional v-slot="f"><textarea :id="f.id" v-bind="f.aria" v-model="form.content" maxlength="2000" rows="3"></textarea></form-field>
      <form-field :label="t('deeds.place')" :error="errs.place" optional v-slot="f"><input :id="f.id" v-bind="f.aria" v-model="form.place" maxlength="100"></form-field>
      <form-field :label="t('deeds.when')" :error="errs.occurred_on" required v-slot="f"><input :id="f.id" v-bind="f.aria" type="date" v-model="form.occurred_on"></form-field>
      <form-field :label="t('deeds.photo')" :error="errs.photo_id" optional v-slot="f"><input :id="f.id" v-bind="f.aria" type="file" accept="image/*" capture="environment" @change="photo"></form-field>
      <p v-if="form.photo_id" class="muted">{{ t('deeds.photoDone') }}</p>
      <div class="form-actions"><button type="submit" class="btn btn-primary" :disabled="uploading" data-testid="deed-submit">{{ t('deeds.submit') }}</button></div>
    </form>

    <template v-if="reviewer">
      <h2>{{ t('deeds.queue') }}</h2>
      <ul class="shift-list" data-testid="deed-queue">
        <li v-for="d in queue" :key="d.id" class="card shift" :data-testid="'deed-pending-' + d.id">
          <div class="shift-title"><strong>{{ d.title }}</strong> <span class="muted">{{ d.doer_name }} · {{ d.org_name }} · {{ d.occurred_on }}</span></div>
          <div v-if="d.content" class="muted">{{ d.content }}</div>
          <div v-if="d.place" class="muted">{{ t('deeds.place') }}：{{ d.place }}</div>
          <div class="shift-foot">
            <button type="button" class="btn btn-primary btn-small" :data-testid="'deed-verify-' + d.id" @click="review(d, 'verify')">{{ t('deeds.verify') }}</button>
            <input v-model="reasons[d.id]" :placeholder="t('deeds.reason')" :aria-label="t('deeds.reason')" maxlength="200" style="max-width:12em">
            <button type="button" class="btn btn-link btn-small" :disabled="!reasons[d.id] || reasons[d.id].trim().length < 2" @click="review(d, 'reject')">{{ t('deeds.reject') }}</button>
          </div>
        </li>
        <li v-if="!queue.length" class="empty">{{ t('deeds.queueEmpty') }}</li>
      </ul>
    </template>

    <h2>{{ reviewer ? t('deeds.area') : t('deeds.mine') }}</h2>
    <ul class="shift-list" data-testid="deed-list">
      <li v-for="d in mine" :key="d.id" class="card shift">
        <div class="shift-title"><strong>{{ d.title }}</strong>
          <span class="badge" :class="d.state === 'verified' ? 'badge-ok' : d.state === 'pending' ? 'badge-warn' : ''">{{ t('deeds.state.' + d.state) }}</span></div>
        <div class="muted">{{ d.doer_name }} · {{ d.org_name }} · {{ d.occurred_on }}</div>
        <div v-if="d.reject_reason" class="muted">{{ t('deeds.why') }}{{ d.reject_reason }}</div>
      </li>
      <li v-if="!mine.length" class="empty">{{ t('deeds.none') }}</li>
    </ul>
  </section>`,
};
