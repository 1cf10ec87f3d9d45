// #/checkin/{post} — what the post's QR code opens: check in to the caller's
// confirmed shift at this post. Where the post has GPS the browser's location
// goes with the request and the server checks the radius (haversine in C).
import { ref, inject, onMounted, computed } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { formatTime } from '../format.js';
import '../party-badge.js';
import { t } from '../i18n.js';

function locate() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error('no geolocation')); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      (e) => reject(new Error(e.message || 'denied')),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
    );
  });
}

export default {
  name: 'CheckinPage',
  setup() {
    const route = inject('route');
    const postId = computed(() => Number(route.value.path.split('/')[2]));
    const post = ref(null);
    const error = ref(null);
    const locError = ref('');
    const busy = ref(false);
    const done = ref(null);
    const out = ref(false);
    onMounted(async () => {
      try { post.value = await api.get(`/posts/${enc(postId.value)}`); } catch (e) { error.value = e; }
    });
    async function checkin() {
      error.value = null;
      locError.value = '';
      busy.value = true;
      try {
        let location = null;
        if (post.value && post.value.location) {
          try { location = await locate(); } catch (e) { locError.value = t('checkin.locationFailed', { msg: e.message }); return; }
        }
        done.value = await api.post('/checkin', { post_id: postId.value, location });
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    async function checkout() {
      busy.value = true;
      try {
        await api.post(`/signups/${enc(done.value.id)}/attendance`, { action: 'checkout' });
        out.value = true;
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    const notVolunteer = computed(() => error.value && error.value.code === 'not_volunteer');
    return { post, error, locError, busy, done, out, checkin, checkout, notVolunteer, formatTime, t };
  },
  template: `
  <section class="page narrow" data-testid="checkin-page">
    <h1 tabindex="-1">{{ t('checkin.title') }}</h1>
    <div v-if="post" class="card">
      <p><span class="muted">{{ t('checkin.post') }}</span><br><strong data-testid="checkin-post">{{ post.name }}</strong>
        <span v-if="post.vanguard" class="badge badge-vanguard">{{ t('party.vanguard') }}</span></p>
      <p v-if="post.address" class="muted">{{ post.address }}</p>
      <p v-if="post.rules">{{ post.rules }}</p>
      <p class="muted">{{ t('checkin.distanceNote', { r: post.radius_m }) }}</p>
    </div>
    <error-box :error="error"></error-box>
    <p v-if="locError" class="alert alert-error" role="alert">{{ locError }}</p>
    <p v-if="notVolunteer"><a class="btn btn-secondary" href="#/volunteer">{{ t('checkin.register') }}</a></p>
    <p v-if="done" class="alert alert-ok" role="status" data-testid="checkin-done">{{ t('checkin.done', { t: formatTime(done.checkin_at).slice(11) }) }}
      <span v-if="done.party_member" class="badge badge-party">{{ t('party.badge') }}</span></p>
    <p v-if="out" class="alert alert-ok" role="status" data-testid="checkout-done">{{ t('checkin.checkedOut') }}</p>
    <div class="form-actions">
      <button v-if="!done" type="button" class="btn btn-primary btn-big" :disabled="busy || !post" data-testid="checkin-button" @click="checkin">
        {{ busy ? t('checkin.locating') : t('checkin.button') }}
      </button>
      <button v-if="done && !out" type="button" class="btn btn-secondary btn-big" :disabled="busy" data-testid="checkout-button" @click="checkout">{{ t('checkin.checkout') }}</button>
    </div>
  </section>`,
};
