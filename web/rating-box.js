// The reporter's satisfaction rating on a closed problem (citizen loop):
// 满意 / 基本满意 / 不满意, with an optional comment. 不满意 reopens the
// problem once; the server decides and says so.
import { ref } from '/assets/vue.esm-browser.prod.js';
import { api } from './api.js';

export const RatingBox = {
  name: 'RatingBox',
  props: { problem: { type: Object, required: true } },
  emits: ['rated'],
  setup(props, { emit }) {
    const choice = ref('');
    const comment = ref('');
    const busy = ref(false);
    const error = ref(null);
    const done = ref(null);
    async function submit() {
      if (!choice.value) return;
      busy.value = true;
      error.value = null;
      try {
        done.value = await api.post(`/problems/${props.problem.id}/rating`,
          { rating: choice.value, ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) });
        emit('rated', done.value);
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    return { choice, comment, busy, error, done, submit };
  },
  template: `
  <section class="card rating-box" data-testid="rating-box" aria-labelledby="rating-title">
    <h2 id="rating-title">{{ t('rating.title') }}</h2>
    <p v-if="done" class="alert alert-success" role="status" data-testid="rating-done">
      {{ done.reopened ? t('rating.reopened') : t('rating.thanks') }}</p>
    <form v-else @submit.prevent="submit">
      <p>{{ t('rating.ask') }}</p>
      <div class="rating-choices" role="radiogroup">
        <label v-for="r in ['satisfied', 'basically_satisfied', 'dissatisfied']" :key="r" class="btn btn-secondary"
               :class="{ active: choice === r }">
          <input type="radio" name="rating" :value="r" v-model="choice" :data-testid="'rating-' + r"> {{ t('rating.' + r) }}
        </label>
      </div>
      <label for="rating-comment">{{ t('rating.comment') }}</label>
      <textarea id="rating-comment" v-model="comment" maxlength="500" rows="2"></textarea>
      <error-box :error="error"></error-box>
      <button class="btn btn-primary" data-testid="rating-submit" :disabled="!choice || busy">{{ t('rating.submit') }}</button>
    </form>
  </section>`,
};
