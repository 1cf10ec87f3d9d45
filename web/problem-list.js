// <problem-list :items="…">: problems as tappable cards (code, state badge,
// category, community, deadline with overdue in red, handler). Used by the
// work queue and 我的上报. A problem the account only follows (co-reporter)
// comes with public fields and "following": its row opens the tracking page.
import { formatTime } from './format.js';
import { stateName, stateClass, deadlineText } from './problem-format.js';

export const ProblemList = {
  name: 'ProblemList',
  props: { items: { type: Array, required: true }, showHandler: { type: Boolean, default: true } },
  setup() { return { formatTime, stateName, stateClass, deadlineText }; },
  template: `
    <ul class="problem-list" data-testid="problems-list" :aria-label="t('problem.listCaption')">
      <li v-for="p in items" :key="p.id" class="problem-row" :class="{ overdue: p.overdue }">
        <a :href="p.following ? '#/track?code=' + encodeURIComponent(p.code) : '#/problems/' + p.id" class="problem-link" :data-testid="'problem-row-' + p.code">
          <span class="problem-row-head">
            <span class="mono problem-code">{{ p.code }}</span>
            <span :class="stateClass(p.state)" data-testid="row-state">{{ stateName(p.state) }}</span>
            <span v-if="p.overdue" class="badge badge-overdue">{{ t('problem.overdue') }}</span>
            <span v-if="p.following" class="badge" data-testid="row-following">{{ t('mine.following') }}</span>
          </span>
          <span class="problem-row-title">{{ p.category_name }}</span>
          <span class="problem-row-desc">{{ p.description }}</span>
          <span class="problem-row-meta">
            <span>{{ p.org_name }}</span>
            <span v-if="showHandler && p.handler_name">· {{ p.handler_name }}</span>
          </span>
          <span class="problem-row-meta problem-row-times">
            <span>{{ t('problem.reported') }} {{ formatTime(p.created_at) }}</span>
            <span v-if="p.deadline" :class="{ 'text-overdue': p.overdue }">{{ t('problem.deadline') }} {{ deadlineText(p) }}</span>
          </span>
        </a>
      </li>
    </ul>`,
};
