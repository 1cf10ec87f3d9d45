// #/password — change one's own password.
import { ref, reactive } from '/assets/vue.esm-browser.prod.js';
import { api } from '../api.js';
import { t } from '../i18n.js';

export default {
  name: 'PasswordPage',
  setup() {
    const form = reactive({ old: '', new1: '', new2: '' });
    const fe = reactive({ old: '', new1: '', new2: '' });
    const error = ref(null);
    const done = ref('');
    const busy = ref(false);

    function check() {
      fe.old = form.old ? '' : t('password.required');
      fe.new1 = form.new1.length < 8 ? t('password.tooShort')
        : (form.new1 === form.old ? t('password.sameAsOld') : '');
      fe.new2 = form.new1 !== form.new2 ? t('password.mismatch') : '';
      return !fe.old && !fe.new1 && !fe.new2;
    }

    async function submit() {
      error.value = null;
      done.value = '';
      if (!check()) return;
      busy.value = true;
      try {
        await api.post('/session/password', { old_password: form.old, new_password: form.new1 });
        form.old = form.new1 = form.new2 = '';
        done.value = t('password.done');
      } catch (e) {
        const m = e.fieldMap ? e.fieldMap() : {};
        fe.old = m.old_password || '';
        fe.new1 = m.new_password || '';
        error.value = e;
      } finally {
        busy.value = false;
      }
    }
    return { form, fe, error, done, busy, submit };
  },
  template: `
  <section class="page narrow">
    <h1 class="page-title" tabindex="-1">{{ t('password.title') }}</h1>
    <p class="muted">{{ t('password.intro') }}</p>
    <status-msg :text="done"></status-msg>
    <error-box :error="error" :known="['old_password', 'new_password']"></error-box>
    <form class="card" novalidate @submit.prevent="submit" data-testid="password-form">
      <form-field :label="t('password.old')" :error="fe.old" required v-slot="f">
        <input :id="f.id" v-bind="f.aria" v-model="form.old" type="password" autocomplete="current-password" data-testid="old-password">
      </form-field>
      <form-field :label="t('password.new')" :error="fe.new1" :hint="t('password.tooShort')" required v-slot="f">
        <input :id="f.id" v-bind="f.aria" v-model="form.new1" type="password" autocomplete="new-password" minlength="8" data-testid="new-password">
      </form-field>
      <form-field :label="t('password.confirm')" :error="fe.new2" required v-slot="f">
        <input :id="f.id" v-bind="f.aria" v-model="form.new2" type="password" autocomplete="new-password" data-testid="confirm-password">
      </form-field>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" :disabled="busy" data-testid="password-submit">{{ busy ? t('common.saving') : t('common.save') }}</button>
      </div>
    </form>
  </section>`,
};
