// #/track?code=… — the public status page of a citizen's report (no login
// needed): the state and progress behind a tracking code (16 random hex
// digits, given only to the reporter), never personal data (SPEC §3 citizen
// loop). The sequential report number (HM-…) does not track.
import { ref, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { formatTime } from '../format.js';

export default {
  name: 'TrackPage',
  setup() {
    const code = ref(new URLSearchParams(location.hash.split('?')[1] || '').get('code') || '');
    const result = ref(null);
    const error = ref(null);
    const loading = ref(false);
    async function search() {
      const c = code.value.trim();
      if (!c) return;
      loading.value = true;
      error.value = null;
      result.value = null;
      try {
        result.value = await api.get('/track/' + encodeURIComponent(c));
      } catch (e) {
        error.value = e && e.status === 404 ? t('track.notFound') : (e && e.message) || String(e);
      } finally { loading.value = false; }
    }
    onMounted(() => { if (code.value) search(); });
    const actionName = (a) => t('actions.' + a) !== 'actions.' + a ? t('actions.' + a) : a;
    // A merged report points to the surviving case: one tap tracks that one.
    function follow(c) { code.value = c; history.replaceState(null, '', '#/track?code=' + encodeURIComponent(c)); search(); }
    return { code, result, error, loading, search, follow, formatTime, actionName };
  },
  template: `
  <section class="page narrow">
    <h1 tabindex="-1">{{ t('track.title') }}</h1>
    <p class="muted">{{ t('track.intro') }}</p>
    <form class="card" @submit.prevent="search" role="search">
      <label for="track-code">{{ t('track.code') }}</label>
      <div class="row-inline">
        <input id="track-code" data-testid="track-code" v-model="code" :placeholder="t('track.placeholder')"
               autocomplete="off" maxlength="40">
        <button class="btn btn-primary" data-testid="track-submit" :disabled="loading">{{ t('track.search') }}</button>
      </div>
    </form>
    <div v-if="error" class="alert alert-error" role="alert" data-testid="track-error">{{ error }}</div>
    <article v-if="result" class="card" data-testid="track-result">
      <h2><span class="mono" data-testid="track-result-code">{{ result.tracking_code }}</span> <span class="badge" data-testid="track-state">{{ result.state_label }}</span>
        <span v-if="result.overdue" class="badge badge-danger">{{ t('track.overdue') }}</span></h2>
      <p v-if="result.merged_into" class="alert alert-info" data-testid="track-merged">{{ t('track.mergedInto') }}
        <a :href="'#/track?code=' + encodeURIComponent(result.merged_into)" class="mono" data-testid="track-merged-link"
           @click.prevent="follow(result.merged_into)">{{ result.merged_into }}</a></p>
      <dl class="kv">
        <dt>{{ t('track.internalCode') }}</dt><dd class="mono">{{ result.code }}</dd>
        <dt>{{ t('track.category') }}</dt><dd>{{ result.category_name }}</dd>
        <dt>{{ t('track.org') }}</dt><dd>{{ result.org_name }}</dd>
        <dt>{{ t('track.reported') }}</dt><dd>{{ formatTime(result.created_at) }}</dd>
        <template v-if="result.deadline"><dt>{{ t('track.deadline') }}</dt><dd>{{ formatTime(result.deadline) }}</dd></template>
        <template v-if="result.closed_at"><dt>{{ t('track.closed') }}</dt><dd>{{ formatTime(result.closed_at) }}</dd></template>
      </dl>
      <h3>{{ t('track.timeline') }}</h3>
      <ol class="timeline-plain">
        <li v-for="(e, i) in result.timeline" :key="i">{{ formatTime(e.at) }} · {{ actionName(e.action) }}</li>
      </ol>
    </article>
  </section>`,
};
