// #/report — 随手拍: category (大类 › 小类), description, community, photos
// from the camera, location (GPS, or the community's as a fallback), then a
// success screen with the tracking code.
import { ref, reactive, computed, onMounted, watch, inject } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { session } from '../session.js';
import { locale, t } from '../i18n.js';
import { categoryTree, categoryLabel, coord, stateName, stateClass } from '../problem-format.js';
import { loadCategories, loadCommunities } from '../problem-data.js';
import { PhotoPicker, photoIds, photosBusy } from '../photo-picker.js';
import { locate, geoAvailable } from '../geo.js';
import { AppIcon } from '../icons.js';

const blank = () => ({ big: '', small: '', description: '', org: '', address: '', urgent: false });

export default {
  name: 'ReportPage',
  components: { PhotoPicker, AppIcon },
  setup() {
    const cats = ref([]);
    const orgs = ref([]);
    const loadError = ref(null);
    const form = reactive(blank());
    const photos = reactive([]);
    const fe = reactive({});
    const error = ref(null);
    const missing = ref('');
    const submitting = ref(false);
    const done = ref(null); // the created problem
    const usedOrg = ref('');
    const geo = reactive({ state: geoAvailable() ? 'idle' : 'none', lat: null, lng: null, acc: null, msg: '' });
    // Opened from a site's page (its QR code): #/report?site_id=N fills in the site.
    const route = inject('route', null);
    const site = ref(null);

    const tree = computed(() => categoryTree(cats.value));
    const bigCat = computed(() => tree.value.find((c) => c.code === form.big) || null);
    const label = (c) => categoryLabel(c, locale.value);

    function defaultOrg() {
      const g = ((session.account && session.account.grants) || []).find((x) => orgs.value.some((o) => o.id === x.org_id));
      return g ? String(g.org_id) : '';
    }
    async function load() {
      loadError.value = null;
      try {
        const [c, o] = await Promise.all([loadCategories(), loadCommunities()]);
        cats.value = c;
        orgs.value = o;
        const sid = route && Number(route.value.query.site_id);
        if (sid && !site.value) {
          try { site.value = await api.get('/sites/' + enc(sid)); } catch (_) { site.value = null; }
          if (site.value && o.some((x) => x.id === site.value.org_id)) form.org = String(site.value.org_id);
        }
        if (!form.org) form.org = defaultOrg();
      } catch (e) { loadError.value = e; }
    }
    onMounted(load);

    function pickBig() {
      form.small = '';
      const b = bigCat.value;
      if (b && b.children.length === 1) form.small = b.children[0].code;
    }

    async function useLocation() {
      geo.state = 'busy';
      geo.msg = '';
      try {
        const p = await locate();
        Object.assign(geo, { state: 'ok', lat: p.lat, lng: p.lng, acc: Math.round(p.accuracy || 0) });
      } catch (e) {
        Object.assign(geo, { state: 'failed', msg: e.message, lat: null, lng: null });
      }
    }

    async function orgLocation(org) {
      if (org && typeof org.lat === 'number' && typeof org.lng === 'number') return { lat: org.lat, lng: org.lng };
      const full = await api.get('/orgs/' + enc(org.id));
      if (full && typeof full.lat === 'number') return { lat: full.lat, lng: full.lng };
      return null;
    }

    // Likely duplicates: once the category and a location (GPS, or the
    // community's) are known, open problems of that category nearby are
    // offered; joining one replaces reporting it again.
    const dups = ref([]);
    const dupRadius = ref(50);
    const dupDismissed = ref(false);
    const joining = ref(0);
    let dupSeq = 0;
    async function checkDuplicates() {
      const seq = ++dupSeq;
      const org = orgs.value.find((o) => String(o.id) === form.org);
      if (!form.small || (geo.state !== 'ok' && !org)) { dups.value = []; return; }
      try {
        const loc = geo.state === 'ok' ? { lat: geo.lat, lng: geo.lng } : await orgLocation(org);
        if (!loc) { if (seq === dupSeq) dups.value = []; return; }
        const r = await api.get('/problems/nearby', { category: form.small, lat: loc.lat, lng: loc.lng });
        if (seq !== dupSeq) return;
        dups.value = r.items || [];
        dupRadius.value = r.radius_m;
        if (dups.value.length) dupDismissed.value = false;
      } catch (_) {
        if (seq === dupSeq) dups.value = []; // only a hint: never blocks reporting
      }
    }
    watch(() => [form.small, form.org, geo.state, geo.lat, geo.lng], checkDuplicates);

    async function joinDuplicate(d) {
      error.value = null;
      joining.value = d.id;
      try {
        const p = await api.post('/problems/' + enc(d.id) + '/join');
        done.value = { ...p, joined: true };
        usedOrg.value = '';
        window.scrollTo(0, 0);
      } catch (e) {
        error.value = e;
      } finally {
        joining.value = 0;
      }
    }

    async function submit() {
      for (const k of Object.keys(fe)) delete fe[k];
      error.value = null;
      missing.value = '';
      const need = [];
      if (!form.small) { fe.category = form.big ? t('report.chooseSmall') : t('report.chooseBig'); need.push(t('report.bigCategory')); }
      if (!form.description.trim()) { fe.description = t('report.needDescription'); need.push(t('report.description')); }
      if (!form.org) { fe.org_id = t('report.chooseOrg'); need.push(t('report.org')); }
      if (need.length) { missing.value = t('report.required', { list: need.join(t('report.listSep')) }); return; }
      if (photosBusy(photos)) { missing.value = t('report.waitUpload'); return; }
      submitting.value = true;
      try {
        const org = orgs.value.find((o) => String(o.id) === form.org);
        let location = geo.state === 'ok' ? { lat: geo.lat, lng: geo.lng } : null;
        usedOrg.value = '';
        if (!location && site.value && site.value.location) location = site.value.location;
        if (!location) {
          location = await orgLocation(org);
          usedOrg.value = org.name;
        }
        const body = { category: form.small, description: form.description.trim(), org_id: org.id, photos: photoIds(photos) };
        if (location) body.location = location;
        if (form.address.trim()) body.address = form.address.trim();
        if (form.urgent && staff.value) body.urgency = 'urgent';
        if (site.value) body.site_id = site.value.id;
        done.value = await api.post('/problems', body);
        window.scrollTo(0, 0);
      } catch (e) {
        const m = e.fieldMap ? e.fieldMap() : {};
        for (const [k, v] of Object.entries(m)) fe[k.replace(/\[\d+\]$|\.\w+$/, '')] = v;
        error.value = e;
      } finally {
        submitting.value = false;
      }
    }

    function again() {
      Object.assign(form, blank(), { org: defaultOrg() });
      photos.splice(0, photos.length);
      done.value = null;
      usedOrg.value = '';
      dups.value = [];
      dupDismissed.value = false;
    }

    // Urgency shortens the handler's deadline: staff set it (the API answers 422 to others).
    const staff = computed(() => !!session.account && session.account.grants.some((g) => ['admin', 'office', 'committee', 'inspector'].includes(g.role)));
    return {
      staff, site, cats, orgs, loadError, form, photos, fe, error, missing, submitting, done, usedOrg, geo,
      tree, bigCat, label, load, pickBig, useLocation, submit, again, coord,
      dups, dupRadius, dupDismissed, joining, joinDuplicate, stateName, stateClass,
      known: ['category', 'description', 'org_id', 'photos', 'address'],
    };
  },
  template: `
  <section class="page narrow report-page">
    <template v-if="done">
      <div class="card success-card" data-testid="report-done">
        <p class="success-icon" aria-hidden="true">✓</p>
        <h1 tabindex="-1">{{ done.joined ? t('report.joinedTitle') : t('report.doneTitle') }}</h1>
        <p>{{ done.joined ? t('report.joinedText') : t('report.doneText') }}</p>
        <template v-if="done.tracking_code">
          <p class="tracking-label">{{ t('report.trackingCode') }}</p>
          <p class="tracking-code mono" data-testid="report-tracking">{{ done.tracking_code }}</p>
          <p class="hint"><a :href="'#/track?code=' + done.tracking_code" data-testid="report-track">{{ t('track.title') }}</a></p>
        </template>
        <p class="tracking-label">{{ t('track.internalCode') }}</p>
        <p :class="done.tracking_code ? 'mono' : 'tracking-code mono'" data-testid="report-code">{{ done.code }}</p>
        <p v-if="usedOrg" class="hint">{{ t('report.usedOrgLocation', { org: usedOrg }) }}</p>
        <div class="form-actions stack-phone">
          <a class="btn btn-primary" :href="'#/problems/' + done.id" data-testid="report-open">{{ t('report.viewProblem') }}</a>
          <button type="button" class="btn btn-secondary" @click="again">{{ t('report.another') }}</button>
        </div>
      </div>
    </template>
    <template v-else>
      <h1 class="page-title" tabindex="-1">{{ t('report.title') }}</h1>
      <p class="muted">{{ t('report.intro') }}</p>
      <p v-if="site" class="alert alert-info" data-testid="report-site">{{ t('sites.title') }}：{{ site.name }}（{{ site.org_name }}）</p>
      <error-box :error="loadError"></error-box>
      <button v-if="loadError" type="button" class="btn btn-secondary" @click="load">{{ t('common.retry') }}</button>
      <form class="card" novalidate @submit.prevent="submit" data-testid="report-form">
        <form-field :label="t('report.bigCategory')" :error="fe.category && !form.big ? fe.category : ''" required v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="form.big" @change="pickBig" data-testid="report-category">
            <option value="">{{ t('report.chooseBig') }}</option>
            <option v-for="c in tree" :key="c.code" :value="c.code">{{ label(c) }}</option>
          </select>
        </form-field>
        <form-field v-if="bigCat" :label="t('report.smallCategory')" :error="fe.category" required v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="form.small" data-testid="report-subcategory">
            <option value="">{{ t('report.chooseSmall') }}</option>
            <option v-for="c in bigCat.children" :key="c.code" :value="c.code">{{ label(c) }}</option>
          </select>
        </form-field>
        <form-field :label="t('report.description')" :error="fe.description" required v-slot="f">
          <textarea :id="f.id" v-bind="f.aria" v-model="form.description" rows="3" maxlength="2000"
                    :placeholder="t('report.descriptionPlaceholder')" data-testid="report-description"></textarea>
        </form-field>
        <photo-picker :items="photos" testid="report-photo" :error="fe.photos"></photo-picker>
        <form-field :label="t('report.org')" :error="fe.org_id" required v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="form.org" data-testid="report-org">
            <option value="">{{ t('report.chooseOrg') }}</option>
            <option v-for="o in orgs" :key="o.id" :value="String(o.id)">{{ o.name }}</option>
          </select>
        </form-field>
        <div class="field">
          <span class="field-label">{{ t('report.location') }}</span>
          <button v-if="geo.state !== 'none'" type="button" class="btn btn-secondary" :disabled="geo.state === 'busy'"
                  @click="useLocation" data-testid="report-locate">
            <app-icon name="pin"></app-icon> {{ geo.state === 'busy' ? t('report.locating') : t('report.locate') }}
          </button>
          <p role="status" class="geo-status" data-testid="report-location">
            <span v-if="geo.state === 'ok'" class="geo-ok">✓ {{ geo.acc ? t('report.located', { lat: coord(geo.lat), lng: coord(geo.lng), acc: geo.acc }) : t('report.locatedNoAcc', { lat: coord(geo.lat), lng: coord(geo.lng) }) }}</span>
            <span v-else-if="geo.state === 'failed'" class="alert alert-info geo-warn">{{ geo.msg }}</span>
            <span v-else-if="geo.state === 'none'" class="alert alert-info geo-warn">{{ t('report.noGeo') }}</span>
            <span v-else class="hint">{{ t('report.fallback') }}</span>
          </p>
        </div>
        <form-field :label="t('report.address')" :error="fe.address" optional v-slot="f">
          <input :id="f.id" v-bind="f.aria" v-model="form.address" type="text" maxlength="200" :placeholder="t('report.addressPlaceholder')" data-testid="report-address">
        </form-field>
        <label v-if="staff" class="check"><input type="checkbox" v-model="form.urgent" data-testid="report-urgent">{{ t('report.urgent') }}</label>
        <section v-if="dups.length && !dupDismissed" class="dup-box" aria-live="polite" data-testid="report-duplicates">
          <h2 class="dup-title">{{ t('report.dupTitle') }}</h2>
          <p class="hint">{{ t('report.dupIntro', { r: dupRadius }) }}</p>
          <ul class="problem-list">
            <li v-for="d in dups" :key="d.id" class="problem-row dup-card" data-testid="report-duplicate">
              <div class="problem-link">
                <div class="problem-row-head">
                  <span class="problem-code mono">{{ d.code }}</span>
                  <span :class="stateClass(d.state)">{{ stateName(d.state) }}</span>
                </div>
                <span class="problem-row-title">{{ d.category_name }}</span>
                <span class="problem-row-desc">{{ d.description }}</span>
                <span class="problem-row-meta">
                  <span>{{ t('report.dupDistance', { d: Math.round(d.distance_m) }) }}</span>
                  <span>· {{ t('report.dupReporters', { n: d.reporter_count }) }}</span>
                </span>
                <button type="button" class="btn btn-primary" :disabled="joining !== 0" @click="joinDuplicate(d)" data-testid="report-join">
                  {{ joining === d.id ? t('report.dupJoining') : t('report.dupJoin') }}
                </button>
              </div>
            </li>
          </ul>
          <button type="button" class="btn btn-secondary btn-block" @click="dupDismissed = true" data-testid="report-not-duplicate">{{ t('report.dupDismiss') }}</button>
        </section>
        <p v-if="missing" class="alert alert-error" role="alert">{{ missing }}</p>
        <error-box :error="error" :known="known"></error-box>
        <button type="submit" class="btn btn-primary btn-block btn-big" :disabled="submitting" data-testid="report-submit">
          {{ submitting ? t('report.submitting') : t('report.submit') }}
        </button>
      </form>
    </template>
  </section>`,
};
