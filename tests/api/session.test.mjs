// session.test.mjs — signing in and out (SPEC §11): login per demo role,
// GET /session by bearer and by cookie, 401 for anonymous calls to every
// non-public route, bad passwords, login throttling, logout, CSRF for cookie
// writes, changing one's own password.
//
// Login failures count per (client address, login) and per address across
// distinct logins (20 free per hour for the whole suite, which runs from
// 127.0.0.1): this file fails on 3 logins; keep it that way. The throttles
// themselves are tested in login-throttle.test.mjs from other addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ensureServer, api, as, login, freshLogin, routeList, errorOf, orgId, tag, DEMO_LOGINS, ROLE_OF, PASSWORD,
} from './harness.mjs';

await ensureServer();

const fill = (p) => p.replace(/\{[^}]+\}/g, (m) => (m === '{path}' ? (p.startsWith('/open311/') ? 'services.json' : 'app.js') : m === '{code}' ? 'HM-2026-000001' : '1'));

test('every demo login signs in with token, CSRF token, grants and a safe cookie', async () => {
  for (const name of DEMO_LOGINS) {
    const s = await login(name);
    const a = s.account;
    assert.equal(a.login, name);
    assert.match(s.token, /^[A-Za-z0-9_-]{20,}$/, `${name}: token`);
    assert.equal(typeof a.csrf_token, 'string');
    assert.ok(a.csrf_token.length >= 16, `${name}: csrf_token`);
    assert.ok(!('password_hash' in a), 'no password hash in the answer');
    assert.ok(Array.isArray(a.grants) && a.grants.length >= 1, `${name}: grants`);
    for (const g of a.grants) {
      assert.equal(typeof g.role, 'string');
      assert.ok(Number.isInteger(g.org_id) && g.org_id > 0, `${name}: grant org_id`);
      assert.ok(!('org_path' in g), 'internal org_path not exposed');
    }
    assert.ok(a.grants.some((g) => g.role === ROLE_OF[name]), `${name} holds role ${ROLE_OF[name]}`);
    assert.ok(Array.isArray(a.permissions), 'permissions listed');
    assert.equal(a.demo, true);
    assert.ok(s.cookie && s.cookie.startsWith('wm_session='), `${name}: session cookie`);
    assert.match(s.setCookie, /HttpOnly/i, 'cookie is HttpOnly');
    assert.match(s.setCookie, /SameSite=(Lax|Strict)/i, 'cookie has SameSite');
    assert.match(s.setCookie, /Path=\//, 'cookie path /');
    assert.equal(s.cookie.slice('wm_session='.length), s.token, 'cookie carries the same session');
  }
});

test('the two committee accounts sit in different communities', async () => {
  const c1 = (await login('committee')).account.grants.find((g) => g.role === 'committee');
  const c2 = (await login('committee2')).account.grants.find((g) => g.role === 'committee');
  assert.equal(c1.org_id, await orgId('由由第五居民区'));
  assert.equal(c2.org_id, await orgId('梧桐居民区'));
});

test('GET /api/v1/session with bearer token and with cookie', async () => {
  const s = await login('office');
  const byBearer = await api('GET', '/api/v1/session', as(s));
  assert.equal(byBearer.status, 200);
  assert.equal(byBearer.json.login, 'office');
  assert.equal(byBearer.json.csrf_token, s.csrf);
  assert.ok(byBearer.json.grants.some((g) => g.role === 'office' && Number.isInteger(g.org_id)));
  assert.ok(!('token' in byBearer.json), 'GET /session does not repeat the token');
  assert.equal(byBearer.headers.get('cache-control'), 'no-store');

  const byCookie = await api('GET', '/api/v1/session', { cookie: s.cookie });
  assert.equal(byCookie.status, 200);
  assert.equal(byCookie.json.login, 'office');
  assert.equal(byCookie.json.id, byBearer.json.id);

  const roles = await api('GET', '/api/v1/roles', as(s));
  assert.equal(roles.status, 200);
  assert.deepEqual(roles.json.roles, ['admin', 'office', 'committee', 'inspector', 'handler', 'volunteer', 'resident', 'party', 'unit', 'rep']);
});

test('anonymous calls to every non-public route answer 401 in the error shape', async () => {
  const routes = await routeList();
  const closed = routes.filter((r) => !r.public);
  assert.ok(closed.length >= 20, 'the routes table has the non-public routes');
  for (const r of closed) {
    const path = fill(r.path);
    const opts = r.body ? { body: {} } : {};
    const res = await api(r.method, path, opts);
    assert.equal(res.status, 401, `${r.method} ${path} anonymous → ${res.status} ${res.text.slice(0, 200)}`);
    const e = errorOf(res);
    assert.equal(e.code, 'unauthenticated', `${r.method} ${path}`);
    // A token that does not exist is no better.
    const bogus = await api(r.method, path, { ...opts, token: 'no-such-token-0123456789' });
    assert.equal(bogus.status, 401, `${r.method} ${path} bogus token → ${bogus.status}`);
    assert.equal(errorOf(bogus).code, 'session_expired');
    // Nor a bogus cookie.
    const cookie = await api(r.method, path, { ...opts, cookie: 'wm_session=nonsense' });
    assert.equal(cookie.status, 401, `${r.method} ${path} bogus cookie → ${cookie.status}`);
  }
  // Public routes answer without a session (the calendar feed with the demo
  // volunteer's secret: without one it is a 404 by design).
  const feed = (await api('GET', '/api/v1/volunteers/me', as(await login('volunteer')))).json.volunteer.calendar_path;
  // The tracking page takes a citizen's tracking code (an Open311 POST's token).
  const tip = await api('POST', '/open311/v2/requests.json', { body: 'service_code=C0301&address_string=%E9%94%A6%E7%BB%A3%E5%89%8D%E5%9F%8E',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const track = `/api/v1/track/${tip.json[0].token}`;
  for (const r of routes.filter((x) => x.public && x.method === 'GET')) {
    const res = await api('GET', r.path === '/api/v1/calendar-feed/{token}' ? feed : r.path === '/api/v1/track/{code}' ? track : fill(r.path));
    assert.ok(res.status < 400, `public ${r.path} → ${res.status}`);
  }
});

test('bad password → 401 bad_credentials; malformed login body → 422', async () => {
  const r = await api('POST', '/api/v1/session', { body: { login: 'inspector', password: 'not-the-password' } });
  assert.equal(r.status, 401);
  assert.equal(errorOf(r).code, 'bad_credentials');
  assert.ok(!r.headers.get('set-cookie'), 'no cookie on a failed login');
  // Unknown login: the same answer (does not reveal which logins exist).
  const u = await api('POST', '/api/v1/session', { body: { login: `ghost-${tag()}`, password: 'whatever-123' } });
  assert.equal(u.status, 401);
  assert.equal(errorOf(u).code, 'bad_credentials');
  assert.equal(errorOf(u).message, errorOf(r).message);
  // A body that is not a login is a validation error, not a failure.
  const m = await api('POST', '/api/v1/session', { body: { login: 'inspector' } });
  assert.equal(m.status, 422);
  assert.ok(errorOf(m).fields.some((f) => f.field === 'password' && f.code === 'required'));
  // The right password still works afterwards.
  const ok = await api('POST', '/api/v1/session', { body: { login: 'inspector', password: PASSWORD } });
  assert.equal(ok.status, 200);
});

test('login throttling: 5 failures for one login, then 429 with Retry-After', async () => {
  const name = `nobody-x-${tag()}`;
  for (let i = 1; i <= 5; i++) {
    const r = await api('POST', '/api/v1/session', { body: { login: name, password: `wrong-${i}-password` } });
    assert.equal(r.status, 401, `failure ${i}`);
  }
  const r = await api('POST', '/api/v1/session', { body: { login: name, password: 'wrong-6-password' } });
  assert.equal(r.status, 429);
  assert.equal(errorOf(r).code, 'too_many_attempts');
  const ra = r.headers.get('retry-after');
  assert.ok(ra && Number(ra) > 0, `Retry-After: ${ra}`);
  // Counted per login (case-insensitively), so other logins are not locked out.
  const upper = await api('POST', '/api/v1/session', { body: { login: name.toUpperCase(), password: 'x-password' } });
  assert.equal(upper.status, 429, 'the same login in other letter case is throttled too');
  const other = await freshLogin('volunteer');
  assert.ok(other.token);
});

test('logout ends the session (bearer) and clears the cookie', async () => {
  const s = await freshLogin('resident');
  assert.equal((await api('GET', '/api/v1/session', as(s))).status, 200);
  const out = await api('DELETE', '/api/v1/session', as(s));
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie') || '', /wm_session=;.*Max-Age=0/);
  const after = await api('GET', '/api/v1/session', as(s));
  assert.equal(after.status, 401);
  errorOf(after);
  const viaCookie = await api('GET', '/api/v1/session', { cookie: s.cookie });
  assert.equal(viaCookie.status, 401, 'the cookie of that session is dead too');
  // Logging out twice: the token is already gone.
  assert.equal((await api('DELETE', '/api/v1/session', as(s))).status, 401);
  // Other sessions of the same account live on.
  assert.equal((await api('GET', '/api/v1/session', as(await login('resident')))).status, 200);
});

test('logout with the cookie needs the CSRF token', async () => {
  const s = await freshLogin('handler');
  const no = await api('DELETE', '/api/v1/session', { cookie: s.cookie });
  assert.equal(no.status, 403);
  assert.equal(errorOf(no).code, 'csrf_failed');
  assert.equal((await api('GET', '/api/v1/session', { cookie: s.cookie })).status, 200, 'still signed in');
  const yes = await api('DELETE', '/api/v1/session', { cookie: s.cookie, csrf: s.csrf });
  assert.equal(yes.status, 204);
  assert.equal((await api('GET', '/api/v1/session', { cookie: s.cookie })).status, 401);
});

test('CSRF: cookie writes need X-CSRF-Token, bearer writes do not', async () => {
  const s = await login('office');
  const street = await orgId('花木街道');
  const body = () => ({ parent_id: street, kind: 'team', name: `CSRF队-${tag()}` });
  const none = await api('POST', '/api/v1/orgs', { cookie: s.cookie, body: body() });
  assert.equal(none.status, 403);
  assert.equal(errorOf(none).code, 'csrf_failed');
  const wrong = await api('POST', '/api/v1/orgs', { cookie: s.cookie, csrf: 'x'.repeat(s.csrf.length), body: body() });
  assert.equal(wrong.status, 403);
  assert.equal(errorOf(wrong).code, 'csrf_failed');
  const other = await login('admin');
  const foreign = await api('POST', '/api/v1/orgs', { cookie: s.cookie, csrf: other.csrf, body: body() });
  assert.equal(foreign.status, 403, "another session's CSRF token is refused");
  const good = await api('POST', '/api/v1/orgs', { cookie: s.cookie, csrf: s.csrf, body: body() });
  assert.equal(good.status, 201, good.text);
  const bearer = await api('POST', '/api/v1/orgs', as(s, { body: body() }));
  assert.equal(bearer.status, 201, bearer.text);
  // Reads by cookie need no CSRF token.
  assert.equal((await api('GET', `/api/v1/orgs/${good.json.id}`, { cookie: s.cookie })).status, 200);
  // PATCH and DELETE by cookie are writes too.
  const patch = await api('PATCH', `/api/v1/orgs/${good.json.id}`, { cookie: s.cookie, body: { name: 'x' } });
  assert.equal(patch.status, 403);
  const del = await api('DELETE', `/api/v1/orgs/${good.json.id}`, { cookie: s.cookie });
  assert.equal(del.status, 403);
  assert.equal((await api('GET', `/api/v1/orgs/${good.json.id}`, as(s))).json.name, good.json.name, 'nothing changed');
});

test('changing one’s own password: old one stops working, other sessions end', async () => {
  const admin = await login('admin');
  const name = `pw-${tag()}`;
  const first = 'first-secret-123';
  const second = 'second-secret-456';
  const c = await api('POST', '/api/v1/accounts', as(admin, {
    body: { login: name, display_name: '改密测试', password: first, grants: [{ role: 'resident', org_id: await orgId('由由第五居民区') }] },
  }));
  assert.equal(c.status, 201, c.text);
  const s1 = await freshLogin(name, first);
  const s2 = await freshLogin(name, first);

  const wrongOld = await api('POST', '/api/v1/session/password', as(s1, { body: { old_password: 'not-it-at-all', new_password: second } }));
  assert.equal(wrongOld.status, 422);
  assert.ok(errorOf(wrongOld).fields.some((f) => f.field === 'old_password' && f.code === 'wrong_password'));
  const weak = await api('POST', '/api/v1/session/password', as(s1, { body: { old_password: first, new_password: 'short' } }));
  assert.equal(weak.status, 422);
  assert.ok(errorOf(weak).fields.some((f) => f.field === 'new_password' && f.code === 'weak_password'));
  const same = await api('POST', '/api/v1/session/password', as(s1, { body: { old_password: first, new_password: name } }));
  assert.equal(same.status, 422, 'password equal to the login is refused');
  // Cookie-authenticated without CSRF: refused.
  const csrf = await api('POST', '/api/v1/session/password', { cookie: s1.cookie, body: { old_password: first, new_password: second } });
  assert.equal(csrf.status, 403);

  const ok = await api('POST', '/api/v1/session/password', as(s1, { body: { old_password: first, new_password: second } }));
  assert.equal(ok.status, 204, ok.text);
  assert.equal((await api('GET', '/api/v1/session', as(s1))).status, 200, 'the session that changed it stays');
  assert.equal((await api('GET', '/api/v1/session', as(s2))).status, 401, 'other sessions end');
  const old = await api('POST', '/api/v1/session', { body: { login: name, password: first } });
  assert.equal(old.status, 401, 'old password fails');
  const fresh = await freshLogin(name, second);
  assert.equal(fresh.account.login, name);
  // The change is in the audit log, without any password in it.
  const a = await api('GET', `/api/v1/audit?action=change_password&resource=account&resource_id=${c.json.id}`, as(admin));
  assert.equal(a.status, 200);
  assert.equal(a.json.items.length, 1);
  assert.ok(!a.text.includes(second) && !a.text.includes(first));
});
