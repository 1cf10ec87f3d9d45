// Wenming web UI: hash router, layout (top bar, drawer / sidebar), nav.
import {
  createApp, ref, computed, watch, nextTick, provide, defineAsyncComponent, h,
} from '/assets/vue.esm-browser.prod.js';
import { t, locale, toggleLocale } from './i18n.js';
import { setUnauthorizedHandler } from './api.js';
import { session, can, loadSession, signOut, sessionExpired } from './session.js';
import { errorText } from './format.js';
import { registerWidgets } from './widgets.js';
import { inbox } from './notify.js';

// ---------------------------------------------------------------------------
// Pages registry. Adding a page is one line: name (also the nav test id
// "nav-<name>" and the home card text key "cards.<name>"), hash path, title
// key, the permission needed to see it (null: every signed-in account), and
// its component loader; "bare" pages (the big screen) are drawn without the
// top bar and menu. A page with a "pattern" (a RegExp on the path) takes
// parameters (the page reads them from the injected "route") and stays out
// of the nav. "public: true" pages open without signing in (the honour roll,
// the good-deeds wall).
export const pages = [
  { name: 'home', path: '/', title: 'nav.home', perm: null, load: () => import('./pages/home.js') },
  { name: 'report', path: '/report', title: 'nav.report', perm: 'problems.report', load: () => import('./pages/report.js') },
  { name: 'mine', path: '/mine', title: 'nav.mine', perm: 'problems.report', load: () => import('./pages/mine.js') },
  { name: 'problems', path: '/problems', title: 'nav.problems', perm: 'problems.act', load: () => import('./pages/problems.js') },
  { name: 'problem', path: '/problems/:id', pattern: /^\/problems\/\d+$/, title: 'nav.problem', perm: 'problems.read', load: () => import('./pages/problem.js') },
  { name: 'revisits', path: '/revisits', title: 'nav.revisits', perm: 'revisits.do', load: () => import('./pages/revisits.js') },
  { name: 'chronic', path: '/chronic', title: 'nav.chronic', perm: 'revisits.read', load: () => import('./pages/chronic.js') },
  { name: 'sites', path: '/sites', title: 'nav.sites', perm: 'sites.read', load: () => import('./pages/sites.js') },
  { name: 'site', path: '/sites/:id', pattern: /^\/sites\/\d+$/, title: 'nav.site', perm: 'sites.read', load: () => import('./pages/site.js') },
  { name: 'inspect', path: '/inspect/:id', pattern: /^\/inspect\/\d+$/, title: 'nav.inspect', perm: 'inspections.write', load: () => import('./pages/inspect.js') },
  { name: 'checklists', path: '/checklists', title: 'nav.checklists', perm: 'checklists.write', load: () => import('./pages/checklists.js') },
  { name: 'tasks', path: '/tasks', title: 'nav.tasks', perm: 'tasks.read', load: () => import('./pages/tasks.js') },
  { name: 'rounds', path: '/rounds', title: 'nav.rounds', perm: 'rounds.read', load: () => import('./pages/rounds.js') },
  { name: 'round', path: '/rounds/:id', pattern: /^\/rounds\/\d+$/, title: 'nav.round', perm: 'rounds.read', load: () => import('./pages/round.js') },
  { name: 'rankings', path: '/rankings', title: 'nav.rankings', perm: 'rounds.read', load: () => import('./pages/rankings.js') },
  { name: 'notifications', path: '/notifications', title: 'nav.notifications', perm: null, load: () => import('./pages/notifications.js') },
  { name: 'categories', path: '/categories', title: 'nav.categories', perm: 'categories.write', load: () => import('./pages/categories.js') },
  { name: 'calendar', path: '/calendar', title: 'nav.calendar', perm: 'calendar.write', load: () => import('./pages/calendar.js') },
  { name: 'orgs', path: '/orgs', title: 'nav.orgs', perm: 'orgs.write', load: () => import('./pages/orgs.js') },
  { name: 'accounts', path: '/accounts', title: 'nav.accounts', perm: 'accounts.read', load: () => import('./pages/accounts.js') },
  { name: 'volunteer', path: '/volunteer', title: 'nav.volunteer', perm: 'shifts.signup', load: () => import('./pages/volunteer.js') },
  { name: 'checkin', path: '/checkin/:post', pattern: /^\/checkin\/\d+$/, title: 'nav.checkin', perm: 'shifts.signup', load: () => import('./pages/checkin.js') },
  { name: 'volunteering', path: '/volunteering', title: 'nav.volunteering', perm: 'volunteers.read', load: () => import('./pages/volunteering.js') },
  { name: 'people', path: '/people', title: 'nav.people', perm: 'people.read', load: () => import('./pages/people.js') },
  { name: 'dashboard', path: '/dashboard', title: 'nav.dashboard', perm: 'kpis.read', load: () => import('./pages/dashboard.js') },
  { name: 'map', path: '/map', title: 'nav.map', perm: 'problems.act', load: () => import('./pages/map.js') },
  // The big screen: full window, without the top bar and menu ("bare").
  { name: 'screen', path: '/screen', title: 'nav.screen', perm: 'kpis.read', bare: true, load: () => import('./pages/screen.js') },
  { name: 'audit', path: '/audit', title: 'nav.audit', perm: 'audit.read', load: () => import('./pages/audit.js') },
  { name: 'password', path: '/password', title: 'nav.password', perm: null, load: () => import('./pages/password.js') },
  { name: 'bank', path: '/bank', title: 'nav.bank', perm: null, load: () => import('./pages/bank.js') },
  { name: 'bankAdmin', path: '/bank-admin', title: 'nav.bankAdmin', perm: 'bank.manage', load: () => import('./pages/bank-admin.js') },
  { name: 'webhooks', path: '/webhooks', title: 'nav.webhooks', perm: 'webhooks.manage', load: () => import('./pages/webhooks.js') },
  // Party building (docs/PARTY.md), one block per feature.
  // ---- party ----
  { name: 'party', path: '/party', title: 'nav.party', perm: 'party.read', load: () => import('./pages/party.js') },

  // ---- dual ----
  { name: 'myParty', path: '/my-party', title: 'nav.myParty', perm: null, load: () => import('./pages/my-party.js') },
  { name: 'dual', path: '/dual', title: 'nav.dual', perm: 'dual.manage', load: () => import('./pages/dual.js') },
  { name: 'unitPortal', path: '/unit', title: 'nav.unitPortal', perm: 'dual.read', load: () => import('./pages/unit-portal.js') },

  // ---- meetings ----
  { name: 'meetings', path: '/meetings', title: 'nav.meetings', perm: 'party_meetings.read', load: () => import('./pages/meetings.js') },
  { name: 'meetingSignIn', path: '/meetings/:id/sign-in', pattern: /^\/meetings\/\d+\/sign-in$/, title: 'nav.meetingSignIn', perm: null, load: () => import('./pages/meeting-signin.js') },
  { name: 'meeting', path: '/meetings/:id', pattern: /^\/meetings\/\d+$/, title: 'nav.meeting', perm: 'party_meetings.read', load: () => import('./pages/meeting.js') },
  { name: 'compliance', path: '/compliance', title: 'nav.compliance', perm: 'party_meetings.read', load: () => import('./pages/compliance.js') },

  // ---- buildings ----
  { name: 'buildings', path: '/buildings', title: 'nav.buildings', perm: 'buildings.read', load: () => import('./pages/buildings.js') },
  { name: 'building', path: '/buildings/:id', pattern: /^\/buildings\/\d+$/, title: 'nav.building', perm: 'buildings.read', load: () => import('./pages/building.js') },
  { name: 'homeWatch', path: '/home-watch', title: 'nav.homeWatch', perm: 'homewatch.manage', load: () => import('./pages/home-watch.js') },

  // ---- targets ----
  { name: 'targets', path: '/targets', title: 'nav.targets', perm: 'targets.read', load: () => import('./pages/targets.js') },
  { name: 'goodDeeds', path: '/good-deeds', title: 'nav.goodDeeds', perm: null, load: () => import('./pages/good-deeds.js') },
  { name: 'goodDeedsWall', path: '/wall', title: 'nav.goodDeedsWall', perm: null, public: true, load: () => import('./pages/good-deeds-wall.js') },

  // ---- awards ----
  { name: 'awards', path: '/awards', title: 'nav.awards', perm: 'awards.read', load: () => import('./pages/awards.js') },
  { name: 'honours', path: '/honours', title: 'nav.honours', perm: null, public: true, load: () => import('./pages/honours.js') },

];
// The menu's sections, in order: a page not named here goes under "other".
const NAV_GROUPS = [
  ['mine', ['home', 'report', 'mine', 'notifications', 'volunteer', 'bank', 'password']],
  ['loop', ['problems', 'map', 'revisits', 'chronic']],
  ['inspect', ['sites', 'tasks', 'rounds', 'rankings', 'checklists']],
  ['volunteer', ['volunteering', 'bankAdmin']],
  ['party', ['myParty', 'party', 'meetings', 'compliance', 'dual', 'unitPortal', 'buildings', 'homeWatch', 'targets', 'goodDeeds', 'awards', 'honours']],
  ['stats', ['dashboard', 'screen']],
  ['admin', ['categories', 'calendar', 'orgs', 'accounts', 'people', 'audit', 'webhooks']],
];
const loginPage = { name: 'login', path: '/login', title: 'login.title', perm: null, public: true, load: () => import('./pages/login.js') };
// The public status page of a report: open without signing in (the citizen loop).
const trackPage = { name: 'track', path: '/track', title: 'track.title', perm: null, public: true, load: () => import('./pages/track.js') };

// ---------------------------------------------------------------------------
// Elderly-friendly mode (适老化): a class on <html>, kept in localStorage.
const ELDER_KEY = 'wenming.elder';
function readElder() {
  try { return localStorage.getItem(ELDER_KEY) === '1'; } catch (_) { return false; }
}
const elder = ref(readElder());
watch(elder, (on) => {
  document.documentElement.classList.toggle('elder', on);
  try { localStorage.setItem(ELDER_KEY, on ? '1' : '0'); } catch (_) { /* ignore */ }
}, { immediate: true });

// ---------------------------------------------------------------------------
// Hash routing: #/path?query
function parseHash() {
  let h = window.location.hash.replace(/^#/, '') || '/';
  if (!h.startsWith('/')) h = '/' + h;
  const qi = h.indexOf('?');
  const path = (qi >= 0 ? h.slice(0, qi) : h).replace(/\/+$/, '') || '/';
  const query = Object.fromEntries(new URLSearchParams(qi >= 0 ? h.slice(qi + 1) : ''));
  return { path, query };
}
const route = ref(parseHash());
window.addEventListener('hashchange', () => { route.value = parseHash(); });

export function navigate(path) {
  if (window.location.hash !== '#' + path) window.location.hash = '#' + path;
  else route.value = parseHash();
}

let returnTo = null; // where to go after signing in (memory only)

const LoadingView = {
  template: `<p class="loading page-loading" role="status"><span class="spinner" aria-hidden="true"></span>{{ t('app.loading') }}</p>`,
};
const LoadErrorView = {
  template: `<div class="alert alert-error" role="alert">{{ t('app.loadFailed') }}</div>`,
};
const NotFoundView = {
  template: `<section class="page"><h1 class="page-title" tabindex="-1">{{ t('app.notFound') }}</h1><p><a class="btn btn-secondary" href="#/">{{ t('app.backHome') }}</a></p></section>`,
};
const ForbiddenView = {
  template: `<section class="page"><h1 class="page-title" tabindex="-1">{{ t('app.noPermission') }}</h1><p><a class="btn btn-secondary" href="#/">{{ t('app.backHome') }}</a></p></section>`,
};

const componentCache = new Map();
function componentFor(page) {
  if (!componentCache.has(page.name)) {
    componentCache.set(page.name, defineAsyncComponent({
      loader: () => page.load().then((m) => m.default),
      loadingComponent: LoadingView,
      errorComponent: LoadErrorView,
      delay: 150,
    }));
  }
  return componentCache.get(page.name);
}

// ---------------------------------------------------------------------------
const Layout = {
  setup() {
    const drawerOpen = ref(false);
    const loggingOut = ref(false);
    const logoutError = ref(null);

    const loggedIn = computed(() => !!session.account);
    const navPages = computed(() => pages.filter((p) => !p.pattern && can(p.perm)));
    provide('navPages', navPages);
    const navGroups = computed(() => {
      const named = new Set(NAV_GROUPS.flatMap(([, names]) => names));
      const groups = NAV_GROUPS.map(([key, names]) => ({
        key, items: names.map((n) => navPages.value.find((p) => p.name === n)).filter(Boolean),
      }));
      groups.push({ key: 'other', items: navPages.value.filter((p) => !named.has(p.name)) });
      return groups.filter((g) => g.items.length);
    });
    provide('route', route);

    const current = computed(() => {
      const path = route.value.path;
      if (path === loginPage.path) return loginPage;
      if (path === trackPage.path) return trackPage;
      return pages.find((p) => (p.pattern ? p.pattern.test(path) : p.path === path)) || null;
    });

    // Guards: not signed in → login; signed in on #/login → home.
    watch([() => route.value.path, () => session.checked, loggedIn], () => {
      if (!session.checked || session.error) return;
      const path = route.value.path;
      const open = current.value && current.value.public;	// the login page, track, public pages such as the honour roll
      if (!loggedIn.value && !open) {
        returnTo = path === '/' ? null : path;
        navigate(loginPage.path);
      } else if (loggedIn.value && path === loginPage.path) {
        const to = returnTo || '/';
        returnTo = null;
        navigate(to);
      }
    }, { immediate: true });

    const view = computed(() => {
      if (!session.checked) return LoadingView;
      const p = current.value;
      if (!p) return NotFoundView;
      if (!p.public && !loggedIn.value) return LoadingView; // redirecting
      if (!can(p.perm)) return ForbiddenView;
      return componentFor(p);
    });

    // Document title, closing the drawer and moving focus on navigation.
    let first = true;
    watch([() => route.value.path, locale], () => {
      const p = current.value;
      document.title = (p ? t(p.title) + ' · ' : '') + t('app.name');
    }, { immediate: true });
    watch(() => route.value.path, async () => {
      drawerOpen.value = false;
      if (first) { first = false; return; }
      await nextTick();
      const main = document.getElementById('main');
      if (main) main.focus({ preventScroll: false });
      window.scrollTo(0, 0);
    });

    const menuButton = ref(null);
    function closeDrawer() {
      if (!drawerOpen.value) return;
      drawerOpen.value = false;
      if (menuButton.value) menuButton.value.focus();
    }
    watch(drawerOpen, async (open) => {
      if (!open) return;
      await nextTick();
      const first = document.querySelector('#nav-drawer a, #nav-drawer button');
      if (first && window.matchMedia('(max-width: 899.98px)').matches) first.focus();
    });
    function onKey(e) {
      if (e.key === 'Escape') closeDrawer();
    }

    async function logout() {
      logoutError.value = null;
      loggingOut.value = true;
      try {
        await signOut();
        returnTo = null;
        navigate(loginPage.path);
      } catch (e) {
        logoutError.value = e;
      } finally {
        loggingOut.value = false;
        drawerOpen.value = false;
      }
    }

    function focusMain() {
      const main = document.getElementById('main');
      if (main) main.focus();
    }

    const isActive = (p) => route.value.path === p.path;
    const bare = computed(() => !!(current.value && current.value.bare && loggedIn.value && can(current.value.perm)));
    const unreadLabel = computed(() => t('notif.badge', { n: inbox.unread }));

    return {
      session, route, elder, inbox, bare, unreadLabel, drawerOpen, loggedIn, navPages, navGroups, view, menuButton,
      loggingOut, logoutError, locale, errorText,
      closeDrawer, onKey, logout, focusMain, isActive, toggleLocale, loadSession,
    };
  },
  template: `
  <main v-if="bare" id="main" class="bare" tabindex="-1"><component :is="view" :key="route.path"></component></main>
  <div v-else class="app" :class="{ 'drawer-open': drawerOpen, 'signed-in': loggedIn }" @keydown="onKey">
    <a class="skip-link" href="#main" @click.prevent="focusMain">{{ t('app.skip') }}</a>
    <header class="topbar">
      <button v-if="loggedIn" ref="menuButton" type="button" class="icon-btn menu-btn" data-testid="menu-button"
              :aria-expanded="drawerOpen ? 'true' : 'false'" aria-controls="nav-drawer"
              :aria-label="drawerOpen ? t('app.closeMenu') : t('app.menu')" @click="drawerOpen = !drawerOpen">
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" fill="none"/></svg>
      </button>
      <a class="brand" href="#/" :aria-label="t('app.name') + ' · ' + t('app.tagline')">
        <span class="brand-mark" aria-hidden="true">文</span><span class="brand-name">{{ t('app.name') }}</span>
      </a>
      <span class="topbar-spacer"></span>
      <a v-if="loggedIn" href="#/notifications" class="icon-btn bell" :aria-label="t('notif.bell') + (inbox.unread ? '，' + unreadLabel : '')" data-testid="topbar-notifications">
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0" stroke="currentColor" stroke-width="2" fill="none" stroke-linejoin="round"/></svg>
        <span v-if="inbox.unread" class="count-badge" data-testid="notifications-badge" aria-hidden="true">{{ inbox.unread > 99 ? '99+' : inbox.unread }}</span>
      </a>
      <button type="button" class="topbar-btn" data-testid="elder-switch" :aria-pressed="elder ? 'true' : 'false'"
              :title="t('app.elderLabel')" :aria-label="t('app.elderLabel')" @click="elder = !elder">
        <span aria-hidden="true">{{ t('app.elder') }}</span>
      </button>
      <button type="button" class="topbar-btn" data-testid="lang-switch" :lang="locale === 'zh-CN' ? 'en' : 'zh-CN'"
              :aria-label="t('app.switchLang')" @click="toggleLocale">{{ t('app.otherLang') }}</button>
    </header>

    <div class="shell">
      <div v-if="loggedIn && drawerOpen" class="backdrop" aria-hidden="true" @click="closeDrawer"></div>
      <nav v-if="loggedIn" id="nav-drawer" class="sidenav" :class="{ open: drawerOpen }" data-testid="nav" :aria-label="t('nav.label')">
        <div class="nav-close">
          <button type="button" class="icon-btn btn-ghost" :aria-label="t('app.closeMenu')" @click="closeDrawer">✕</button>
        </div>
        <p class="nav-user">{{ t('app.signedInAs', { name: session.account.display_name || session.account.login }) }}</p>
        <ul class="nav-list">
          <template v-for="g in navGroups" :key="g.key">
            <li class="nav-group" role="presentation" aria-hidden="true" v-if="navGroups.length > 1">{{ t('navGroup.' + g.key) }}</li>
            <li v-for="p in g.items" :key="p.name">
              <a :href="'#' + p.path" class="nav-link" :class="{ active: isActive(p) }" :data-testid="'nav-' + p.name"
                 :aria-current="isActive(p) ? 'page' : null" @click="drawerOpen = false">{{ t(p.title) }}<span
                 v-if="p.name === 'notifications' && inbox.unread" class="count-badge nav-count" :aria-label="unreadLabel">{{ inbox.unread }}</span></a>
            </li>
          </template>
          <li>
            <button type="button" class="nav-link nav-logout" data-testid="nav-logout" :disabled="loggingOut" @click="logout">{{ t('nav.logout') }}</button>
          </li>
        </ul>
        <error-box :error="logoutError"></error-box>
      </nav>

      <main id="main" class="main" tabindex="-1">
        <div v-if="session.error" class="page">
          <div class="alert alert-error" role="alert">
            <p class="alert-text">{{ t('app.sessionFailed') }}：{{ errorText(session.error) }}</p>
          </div>
          <button type="button" class="btn btn-primary" @click="loadSession">{{ t('common.retry') }}</button>
        </div>
        <component v-else :is="view" :key="route.path"></component>
      </main>
    </div>
  </div>`,
};

// ---------------------------------------------------------------------------
setUnauthorizedHandler(() => {
  if (session.account) {
    const path = route.value.path;
    returnTo = path === '/' || path === loginPage.path ? null : path;
    sessionExpired();
  }
});

const app = createApp({ render: () => h(Layout) });
app.config.globalProperties.t = t;
registerWidgets(app);
app.mount('#app');
loadSession();
