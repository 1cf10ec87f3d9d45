// #/problems/ID — one problem: summary, state, deadline, before/after photos
// side by side, the buttons of allowed_actions (each opens its form) and the
// history of events.
import { ref, computed, inject, onMounted, nextTick } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { can, session } from '../session.js';
import { t } from '../i18n.js';
import { formatTime } from '../format.js';
import {
  stateName, stateClass, actionName, sourceName, urgencyName, deadlineText, coord,
} from '../problem-format.js';
import { loadCommunities, loadUnits } from '../problem-data.js';
import { ActionForm } from '../problem-action-form.js';
import { RatingBox } from '../rating-box.js';

const photoUrl = (id) => '/api/v1/photos/' + encodeURIComponent(id);

export default {
  name: 'ProblemPage',
  components: { ActionForm, RatingBox },
  setup() {
    const route = inject('route');
    const id = computed(() => (route.value.path.match(/^\/problems\/(\d+)$/) || [])[1]);
    const p = ref(null);
    const loading = ref(true);
    const error = ref(null);
    const action = ref('');
    const notice = ref('');
    const orgNames = ref({});

    async function load() {
      error.value = null;
      try { p.value = await api.get('/problems/' + enc(id.value)); } catch (e) { error.value = e; } finally { loading.value = false; }
    }
    onMounted(async () => {
      await load();
      try {
        const [u, c] = await Promise.all([loadUnits(), loadCommunities()]);
        const m = {};
        for (const o of [...u, ...c]) m[o.id] = o.name;
        orgNames.value = m;
      } catch (_) { /* names are a nicety: ids stay visible */ }
    });

    const before = computed(() => ((p.value && p.value.photos) || []).filter((x) => x.kind !== 'after'));
    const after = computed(() => ((p.value && p.value.photos) || []).filter((x) => x.kind === 'after'));
    const allowed = computed(() => (can('problems.act') && p.value && p.value.allowed_actions) || []);
    const events = computed(() => ((p.value && p.value.events) || []).slice().reverse());
    const backHref = computed(() => (can('problems.act') ? '#/problems' : '#/mine'));
    // The citizen loop: the reporter rates a closed problem (once, plus once
    // more after a 不满意 that reopened it).
    const canRate = computed(() => !!p.value && p.value.state === 'closed' && !!session.account &&
      p.value.reporter_id === session.account.id && !((p.value.ratings || []).some((r) => !r.reopened)));
    const myRating = computed(() => ((p.value && p.value.ratings) || []).filter((r) => !r.reopened).map((r) => t('rating.' + r.rating))[0] || '');

    async function open(a) {
      notice.value = '';
      action.value = action.value === a ? '' : a;
      await nextTick();
      const f = document.querySelector('.action-form');
      if (f) { f.scrollIntoView({ block: 'start' }); const first = f.querySelector('select, textarea, input, button'); if (first) first.focus({ preventScroll: true }); }
    }
    async function done(r) {
      const name = actionName(action.value);
      action.value = '';
      notice.value = t('problem.done', { action: name });
      if (r && r.id) p.value = { ...p.value, ...r };
      await load(); // events and photos
      window.scrollTo(0, 0);
    }
    function conflict() { load(); }
    const handlerLabel = (oid) => orgNames.value[oid] || ('#' + oid);
    // An Open311 reporter's contact: masked in the detail; the clear values
    // only on request, each request written to the audit log (SPEC §2).
    const contact = ref(null);
    const contactError = ref(null);
    async function revealContact() {
      contactError.value = null;
      try { contact.value = await api.post('/problems/' + enc(id.value) + '/contact'); } catch (e) { contactError.value = e; }
    }

    // Staff open the surviving case; a resident tracks it (it follows it, public fields only).
    const staffView = computed(() => can('problems.act'));

    return {
      p, loading, error, action, notice, before, after, allowed, events, backHref, canRate, myRating,
      open, done, conflict, load, handlerLabel, photoUrl, can, contact, contactError, revealContact, staffView, encodeURIComponent,
      formatTime, stateName, stateClass, actionName, sourceName, urgencyName, deadlineText, coord,
    };
  },
  template: `
  <section class="page problem-page">
    <p class="back-link"><a :href="backHref">‹ {{ t('problem.back') }}</a></p>
    <p v-if="loading" class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{{ t('common.loading') }}</p>
    <error-box :error="error"></error-box>
    <template v-if="p">
      <div class="problem-head">
        <h1 tabindex="-1" class="mono problem-title" data-testid="problem-code">{{ p.code }}</h1>
        <span :class="stateClass(p.state)" class="badge-lg" data-testid="problem-state">{{ stateName(p.state) }}</span>
        <span v-if="p.overdue" class="badge badge-overdue badge-lg" data-testid="problem-overdue">{{ t('problem.overdue') }}</span>
        <a v-if="can('problems.act')" class="btn btn-secondary btn-small" :href="'/api/v1/problems/' + p.id + '/notice'"
           target="_blank" rel="noopener" data-testid="problem-notice">{{ t('problem.printNotice') }}</a>
      </div>
      <status-msg :text="notice"></status-msg>
      <div class="problem-grid"><div class="problem-main">
      <div class="card">
        <p class="problem-desc" data-testid="problem-desc">{{ contact && contact.description ? contact.description : p.description }}
          <button v-if="p.description_masked && p.can_reveal && !(contact && contact.description)" type="button" class="btn btn-secondary btn-small"
                  @click="revealContact" data-testid="problem-desc-reveal">{{ t('contact.revealText') }}</button>
          <span v-if="contact && contact.description" class="muted">{{ t('contact.audited') }}</span></p>
        <dl class="facts">
          <dt>{{ t('problem.category') }}</dt><dd>{{ p.category_name }}</dd>
          <dt>{{ t('problem.community') }}</dt><dd>{{ p.org_name }}</dd>
          <dt>{{ t('problem.handler') }}</dt><dd data-testid="problem-handler">{{ p.handler_name || '—' }}</dd>
          <dt>{{ t('problem.deadline') }}</dt>
          <dd :class="{ 'text-overdue': p.overdue }" data-testid="problem-deadline">{{ deadlineText(p) }}<span v-if="p.overdue">（{{ t('problem.overdue') }}）</span></dd>
          <template v-if="p.ext_requested"><dt></dt><dd class="muted">{{ t('problem.extRequested', { at: formatTime(p.ext_requested) }) }}</dd></template>
          <dt>{{ t('problem.source') }}</dt><dd>{{ sourceName(p.source) }}</dd>
          <dt>{{ t('problem.urgency') }}</dt><dd>{{ urgencyName(p.urgency) }}</dd>
          <dt>{{ t('problem.reported') }}</dt><dd>{{ formatTime(p.created_at) }}</dd>
          <template v-if="p.address"><dt>{{ t('problem.address') }}</dt><dd>{{ p.address }}</dd></template>
          <template v-if="p.tracking_code"><dt>{{ t('report.trackingCode') }}</dt>
            <dd class="mono"><a :href="'#/track?code=' + p.tracking_code" data-testid="problem-tracking">{{ p.tracking_code }}</a></dd></template>
          <template v-if="p.contact"><dt>{{ t('contact.title') }}</dt>
            <dd data-testid="problem-contact">
              <span v-if="!contact">{{ [p.contact.name_masked, p.contact.phone_masked, p.contact.email_masked, p.contact.device_masked].filter(Boolean).join(' · ') }}
                <button v-if="p.contact.can_reveal" type="button" class="btn btn-secondary btn-small" @click="revealContact" data-testid="problem-contact-reveal">{{ t('contact.reveal') }}</button></span>
              <span v-else data-testid="problem-contact-full">{{ [[contact.last_name, contact.first_name].filter(Boolean).join(''), contact.phone, contact.email, contact.device_id].filter(Boolean).join(' · ') }}
                <span class="muted">{{ t('contact.audited') }}</span></span>
              <error-box :error="contactError"></error-box>
            </dd></template>
          <template v-if="p.location"><dt>{{ t('problem.location') }}</dt><dd class="mono">{{ coord(p.location.lat) }}, {{ coord(p.location.lng) }}</dd></template>
          <template v-if="p.rework_count"><dt>{{ t('problem.rework') }}</dt><dd>{{ p.rework_count }}</dd></template>
          <template v-if="p.merged_into"><dt>{{ t('problem.mergedInto') }}</dt><dd>
            <a v-if="staffView" :href="'#/problems/' + p.merged_into">{{ p.merged_into_code || '#' + p.merged_into }}</a>
            <a v-else-if="p.merged_into_tracking_code" :href="'#/track?code=' + encodeURIComponent(p.merged_into_tracking_code)" class="mono" data-testid="problem-merged-track">{{ p.merged_into_tracking_code }}</a>
             <span v-else class="mono">{{ p.merged_into_code }}</span></dd></template>
        </dl>
      </div>

      <div class="photo-compare" data-testid="problem-photos">
        <figure class="photo-col" data-testid="photos-before">
          <figcaption>{{ t('problem.photosBefore') }}</figcaption>
          <a v-for="(ph, i) in before" :key="ph.id" :href="ph.url" target="_blank" rel="noopener" class="photo-link">
            <img :src="ph.thumb_url" :alt="t('problem.photoAlt', { kind: t('problem.photosBefore'), n: i + 1 })" loading="lazy">
          </a>
          <p v-if="!before.length" class="photo-none">{{ t('problem.noPhoto') }}</p>
        </figure>
        <figure class="photo-col" data-testid="photos-after">
          <figcaption>{{ t('problem.photosAfter') }}</figcaption>
          <a v-for="(ph, i) in after" :key="ph.id" :href="ph.url" target="_blank" rel="noopener" class="photo-link">
            <img :src="ph.thumb_url" :alt="t('problem.photoAlt', { kind: t('problem.photosAfter'), n: i + 1 })" loading="lazy">
          </a>
          <p v-if="!after.length" class="photo-none">{{ t('problem.noPhoto') }}</p>
        </figure>
      </div>

      </div><div class="problem-side">
      <rating-box v-if="canRate" :problem="p" @rated="load"></rating-box>
      <p v-else-if="myRating" class="card" data-testid="rating-given">{{ t('rating.done', { rating: myRating }) }}</p>
      <section v-if="allowed.length" class="card" :aria-label="t('problem.actions')">
        <h2>{{ t('problem.actions') }}</h2>
        <div class="action-buttons">
          <button v-for="a in allowed" :key="a" type="button" class="btn"
                  :class="action === a ? 'btn-primary' : (a === 'reject' || a === 'verify_fail' || a === 'return' ? 'btn-danger' : 'btn-secondary')"
                  :aria-expanded="action === a ? 'true' : 'false'" :data-testid="'problem-action-' + a" @click="open(a)">{{ actionName(a) }}</button>
        </div>
      </section>
      <action-form v-if="action" :key="action" :problem="p" :action="action" @done="done" @cancel="action = ''" @conflict="conflict"></action-form>

      <section class="card" data-testid="problem-revisits">
        <h2>{{ t('revisits.schedule') }}</h2>
        <p v-if="p.relapse_count" data-testid="problem-relapses">{{ t('revisits.relapses') }}：{{ p.relapse_count }}</p>
        <p v-for="c in (p.chronic_spots || [])" :key="c.id"><a href="#/chronic">{{ t('revisits.chronicLink', { id: c.id, n: c.count }) }}</a></p>
        <ul v-if="p.revisits && p.revisits.items.length" class="plain-list">
          <li v-for="v in p.revisits.items" :key="v.id" :class="{ 'text-overdue': v.overdue }">
            {{ t('revisits.offset', { n: v.offset_days }) }} · {{ t('revisits.due', { date: String(v.due_at).slice(0, 10) }) }}
            <span class="badge" :class="'revisit-' + v.state">{{ t('revisits.states.' + v.state) }}</span>
            <span v-if="v.overdue" class="badge badge-overdue">{{ t('revisits.overdue') }}</span>
            <span v-if="v.done_by_name" class="muted"> · {{ v.done_by_name }}</span>
          </li>
        </ul>
        <p v-else class="muted">{{ t('revisits.none') }}</p>
        <a v-if="p.revisits && p.revisits.pending && can('revisits.do')" class="btn btn-secondary btn-small"
           :href="'#/revisits?problem=' + p.id" data-testid="problem-do-revisit">{{ t('revisits.doIt') }}</a>
      </section>

      <section class="card">
        <h2>{{ t('problem.timeline') }}</h2>
        <ol class="timeline" data-testid="problem-timeline">
          <li v-for="e in events" :key="e.id" class="tl-item">
            <p class="tl-head"><strong>{{ actionName(e.action) }}</strong>
              <span v-if="e.to_state && e.to_state !== e.from_state" :class="stateClass(e.to_state)">{{ stateName(e.to_state) }}</span></p>
            <p class="tl-meta">{{ formatTime(e.at) }}<span v-if="e.actor_name"> · {{ e.actor_name }}</span></p>
            <p v-if="e.data && e.data.handler_org_id" class="tl-line">{{ t('problem.handler') }}：{{ handlerLabel(e.data.handler_org_id) }}</p>
            <p v-if="e.data && e.data.deadline" class="tl-line">{{ t('problem.deadline') }}：{{ formatTime(e.data.deadline) }}</p>
            <p v-if="e.data && e.data.revisit_id && e.action === 'reopen'" class="tl-line">{{ t('revisits.reopenedBy', { id: e.data.revisit_id }) }}</p>
            <p v-if="e.data && e.data.reason" class="tl-line tl-reason">{{ t('problem.reason') }}：{{ e.data.reason }}</p>
            <p v-if="e.note" class="tl-line">{{ t('problem.note') }}：{{ e.note }}</p>
            <p v-if="e.data && e.data.location" class="tl-line mono">{{ t('problem.location') }}：{{ coord(e.data.location.lat) }}, {{ coord(e.data.location.lng) }}</p>
            <div v-if="e.data && e.data.photos && e.data.photos.length" class="tl-photos">
              <a v-for="ph in e.data.photos" :key="ph" :href="photoUrl(ph)" target="_blank" rel="noopener">
                <img :src="photoUrl(ph) + '/thumb'" :alt="actionName(e.action)" loading="lazy"></a>
            </div>
          </li>
        </ol>
      </section>
      </div></div>
    </template>
  </section>`,
};
