// #/meetings/{id}/sign-in?t=… — what the meeting's QR code opens on a member's
// phone (docs/PARTY.md): the meeting, one big button that signs the caller in
// with the code's secret, and a leave request with a reason before the
// meeting. Non-members see "not found", like a meeting that does not exist.
import { ref, inject, computed, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc } from '../api.js';
import { t } from '../i18n.js';

export default {
  name: 'MeetingSignInPage',
  setup() {
    const route = inject('route');
    const id = computed(() => Number(route.value.path.split('/')[2]));
    const token = computed(() => route.value.query.t || '');
    const m = ref(null);
    const error = ref(null);
    const busy = ref(false);
    const justSigned = ref(false);
    const reason = ref('');
    onMounted(async () => {
      try { m.value = await api.get(`/party/meetings/${enc(id.value)}/mine`); } catch (e) { error.value = e; }
    });
    async function signIn() {
      busy.value = true; error.value = null;
      try {
        m.value = await api.post(`/party/meetings/${enc(id.value)}/sign-in`, { token: token.value });
        justSigned.value = true;
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    async function leave() {
      busy.value = true; error.value = null;
      try { m.value = await api.post(`/party/meetings/${enc(id.value)}/leave`, { reason: reason.value }); } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    return { m, error, busy, token, justSigned, reason, signIn, leave, t };
  },
  template: `
  <section class="page narrow" data-testid="meeting-signin-page">
    <h1 tabindex="-1">{{ t('meet.signIn.title') }}</h1>
    <div v-if="m" class="card">
      <p><strong data-testid="signin-topic">{{ m.topic }}</strong></p>
      <p class="muted">{{ m.org_name }} · {{ t('meet.types.' + m.type) }}</p>
      <p class="muted">{{ m.held_on }} {{ m.start_time || '' }}<span v-if="m.place"> · {{ m.place }}</span></p>
    </div>
    <error-box :error="error"></error-box>
    <template v-if="m">
      <p v-if="m.my_status === 'present'" class="alert alert-ok" role="status" data-testid="signin-done">{{ justSigned ? t('meet.signIn.done') : t('meet.signIn.already') }}</p>
      <p v-else-if="m.my_status === 'leave'" class="alert alert-ok" role="status" data-testid="leave-done">{{ t('meet.signIn.leaveDone', { r: m.my_reason }) }}</p>
      <div v-if="m.my_status !== 'present'" class="form-actions">
        <button v-if="token" type="button" class="btn btn-primary btn-big" style="width:100%" :disabled="busy" data-testid="signin-button" @click="signIn">{{ t('meet.signIn.button') }}</button>
        <p v-else class="muted">{{ t('meet.signIn.noToken') }}</p>
      </div>
      <details v-if="m.state === 'planned' && !m.my_status" class="card">
        <summary>{{ t('meet.signIn.leave') }}</summary>
        <form @submit.prevent="leave" class="stack">
          <form-field :label="t('meet.signIn.leaveReason')" required v-slot="f"><input :id="f.id" v-model="reason" maxlength="200" data-testid="leave-reason"></form-field>
          <button class="btn btn-secondary" :disabled="busy" data-testid="leave-button">{{ t('meet.signIn.leaveSend') }}</button>
        </form>
      </details>
    </template>
  </section>`,
};
