// #/login — sign in. Nothing is stored in localStorage; the session is an
// HttpOnly cookie and the CSRF token stays in memory (session.js / api.js).
import { ref, onMounted } from '/assets/vue.esm-browser.prod.js';
import { signIn } from '../session.js';
import { t } from '../i18n.js';

export default {
  name: 'LoginPage',
  setup() {
    const login = ref('');
    const password = ref('');
    const showPassword = ref(false);
    const busy = ref(false);
    const error = ref(null);
    const loginInput = ref(null);

    onMounted(() => { if (loginInput.value) loginInput.value.focus(); });

    async function submit() {
      error.value = null;
      if (!login.value.trim() || !password.value) {
        error.value = t('login.required');
        return;
      }
      busy.value = true;
      try {
        await signIn(login.value.trim(), password.value);
        password.value = '';
        // app.js sees the session and leaves #/login.
      } catch (e) {
        error.value = e && e.status === 429 ? t('login.tooMany') : e;
        password.value = '';
      } finally {
        busy.value = false;
      }
    }
    return { login, password, showPassword, busy, error, submit, loginInput };
  },
  template: `
  <section class="page login-wrap">
    <div class="login-brand">
      <span class="brand-mark" aria-hidden="true">文</span>
      <p>{{ t('app.tagline') }}</p>
    </div>
    <div class="card">
      <h1 class="page-title" tabindex="-1">{{ t('login.title') }}</h1>
      <p class="muted">{{ t('login.intro') }}</p>
      <error-box :error="error"></error-box>
      <form novalidate @submit.prevent="submit" data-testid="login-form">
        <div class="field">
          <label for="login-login">{{ t('login.login') }}</label>
          <input id="login-login" ref="loginInput" v-model="login" type="text" name="username"
                 autocomplete="username" autocapitalize="none" spellcheck="false" required
                 data-testid="login-input" :aria-invalid="error ? 'true' : 'false'">
        </div>
        <div class="field">
          <label for="login-password">{{ t('login.password') }}</label>
          <input id="login-password" v-model="password" :type="showPassword ? 'text' : 'password'" name="password"
                 autocomplete="current-password" required data-testid="password-input"
                 :aria-invalid="error ? 'true' : 'false'">
          <label class="check"><input type="checkbox" v-model="showPassword">{{ t('login.showPassword') }}</label>
        </div>
        <button type="submit" class="btn btn-primary btn-block" data-testid="login-submit" :disabled="busy">
          {{ busy ? t('login.submitting') : t('login.submit') }}
        </button>
      </form>
      <p class="login-track"><a href="#/track" data-testid="login-track">{{ t('track.title') }}</a></p>
    </div>
  </section>`,
};
