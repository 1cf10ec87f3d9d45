// #/ — greeting, the account's role grants, and a card per page in the nav.
import { inject, computed } from '/assets/vue.esm-browser.prod.js';
import { session } from '../session.js';
import { roleName } from '../format.js';
import { has } from '../i18n.js';

export default {
  name: 'HomePage',
  setup() {
    const navPages = inject('navPages');
    const account = computed(() => session.account || { grants: [] });
    const cards = computed(() => navPages.value.filter((p) => p.name !== 'home'));
    return { account, cards, roleName, has };
  },
  template: `
  <section class="page">
    <h1 class="page-title" tabindex="-1" data-testid="greeting">{{ t('home.greeting', { name: account.display_name || account.login }) }}</h1>
    <div class="card">
      <h2>{{ t('home.grants') }}</h2>
      <ul v-if="account.grants.length" class="grant-list" data-testid="home-grants">
        <li v-for="g in account.grants" :key="g.id || (g.role + ':' + g.org_id)" class="chip chip-role">
          <strong>{{ roleName(g.role) }}</strong><span v-if="g.org_name || g.org_id != null">· {{ g.org_name || ('#' + g.org_id) }}</span>
        </li>
      </ul>
      <p v-else class="empty">{{ t('home.noGrants') }}</p>
    </div>
    <h2>{{ t('home.quick') }}</h2>
    <ul class="tiles">
      <li v-for="p in cards" :key="p.name">
        <a class="tile" :href="'#' + p.path" :data-testid="'card-' + p.name">
          <span class="tile-title">{{ t(p.title) }}</span>
          <span v-if="has('cards.' + p.name)" class="tile-desc">{{ t('cards.' + p.name) }}</span>
        </a>
      </li>
    </ul>
  </section>`,
};
