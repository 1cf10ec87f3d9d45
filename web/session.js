// The signed-in account, kept in memory only (the session is an HttpOnly
// cookie; the CSRF token goes to api.js and nowhere else).
import { reactive } from '/assets/vue.esm-browser.prod.js';
import { api, setCsrfToken } from './api.js';

export const session = reactive({
  account: null, // {id, login, display_name, grants, permissions}
  checked: false, // GET /session has answered
  error: null, // a non-401 failure of GET /session
});

function setAccount(a) {
  if (a) {
    setCsrfToken(a.csrf_token);
    const { token, csrf_token, ...rest } = a; // never keep the bearer token
    session.account = {
      ...rest,
      grants: Array.isArray(rest.grants) ? rest.grants : [],
      permissions: Array.isArray(rest.permissions) ? rest.permissions : [],
    };
  } else {
    setCsrfToken(null);
    session.account = null;
  }
}

export function can(perm) {
  if (!perm) return true;
  return !!session.account && session.account.permissions.includes(perm);
}

export async function loadSession() {
  session.error = null;
  try {
    setAccount(await api.get('/session', null, { noAuthRedirect: true }));
  } catch (e) {
    if (e.status === 401) setAccount(null);
    else session.error = e;
  } finally {
    session.checked = true;
  }
}

export async function signIn(login, password) {
  const a = await api.post('/session', { login, password }, { noAuthRedirect: true });
  setAccount(a);
  // The login answer may lack fields GET /session has; refresh quietly.
  if (!a || !Array.isArray(a.permissions)) await loadSession();
  return session.account;
}

export async function signOut() {
  try {
    await api.del('/session', { noAuthRedirect: true });
  } finally {
    setAccount(null);
  }
}

// Called by api.js when the server says the session is gone.
export function sessionExpired() {
  setAccount(null);
}
