// Small shared components, registered globally by app.js:
// <error-box>, <form-field>, <list-footer>, <status-msg>, <app-dialog>.
import { ref, watch, onMounted, onBeforeUnmount, nextTick } from '/assets/vue.esm-browser.prod.js';
import { errorText } from './format.js';
import { t } from './i18n.js';

let uid = 0;
export const nextId = (prefix = 'f') => `${prefix}-${++uid}`;

// An API (or any) error, plus the per-field errors no input shows.
export const ErrorBox = {
  name: 'ErrorBox',
  props: { error: { default: null }, known: { type: Array, default: () => [] } },
  computed: {
    text() { return errorText(this.error); },
    others() {
      const f = (this.error && Array.isArray(this.error.fields)) ? this.error.fields : [];
      return f.filter((x) => x && !this.known.includes(x.field));
    },
  },
  template: `
    <div v-if="error" class="alert alert-error" role="alert" data-testid="error">
      <p class="alert-text">{{ text }}</p>
      <ul v-if="others.length" class="alert-fields">
        <li v-for="(f, i) in others" :key="i"><strong v-if="f.field">{{ f.field }}</strong>{{ f.field ? '：' : '' }}{{ f.message || f.code }}</li>
      </ul>
    </div>`,
};

// A polite live region for confirmations ("已保存").
export const StatusMsg = {
  name: 'StatusMsg',
  props: { text: { type: String, default: '' } },
  template: `<div class="status-msg" role="status" aria-live="polite"><p v-if="text" class="alert alert-ok">{{ text }}</p></div>`,
};

// Label + control + hint + error with the ids wired for screen readers.
// <form-field :label="…" :error="fe.name" v-slot="f"><input :id="f.id" v-bind="f.aria"></form-field>
export const FormField = {
  name: 'FormField',
  props: {
    label: { type: String, required: true },
    error: { type: String, default: '' },
    hint: { type: String, default: '' },
    optional: { type: Boolean, default: false },
    required: { type: Boolean, default: false },
  },
  setup() {
    const id = nextId('field');
    return { id };
  },
  computed: {
    aria() {
      const by = [];
      if (this.hint) by.push(this.id + '-hint');
      if (this.error) by.push(this.id + '-err');
      const a = { 'aria-invalid': this.error ? 'true' : 'false' };
      if (by.length) a['aria-describedby'] = by.join(' ');
      if (this.required) a['aria-required'] = 'true';
      return a;
    },
  },
  template: `
    <div class="field" :class="{ 'has-error': !!error }">
      <label :for="id">{{ label }}<span v-if="optional" class="muted">（{{ t('common.optional') }}）</span><span v-if="required" class="req" aria-hidden="true"> *</span></label>
      <slot :id="id" :aria="aria"></slot>
      <p v-if="hint" :id="id + '-hint'" class="hint">{{ hint }}</p>
      <p v-if="error" :id="id + '-err'" class="field-error">{{ error }}</p>
    </div>`,
};

// Loading / empty / load-more under a list.
export const ListFooter = {
  name: 'ListFooter',
  props: {
    loading: Boolean,
    empty: Boolean,
    hasMore: Boolean,
    emptyText: { type: String, default: '' },
  },
  emits: ['more'],
  template: `
    <div class="list-footer">
      <p v-if="loading" class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{{ t('common.loading') }}</p>
      <p v-else-if="empty" class="empty" data-testid="empty">{{ emptyText || t('common.empty') }}</p>
      <button v-if="hasMore && !loading" type="button" class="btn btn-secondary" data-testid="load-more" @click="$emit('more')">{{ t('common.loadMore') }}</button>
    </div>`,
};

// A native modal <dialog> (focus trap and Escape for free).
export const AppDialog = {
  name: 'AppDialog',
  props: { open: Boolean, title: { type: String, default: '' }, testid: { type: String, default: 'dialog' } },
  emits: ['close'],
  setup(props, { emit }) {
    const el = ref(null);
    const titleId = nextId('dlg');
    let opener = null;
    const sync = async () => {
      await nextTick();
      const d = el.value;
      if (!d) return;
      if (props.open && !d.open) {
        opener = document.activeElement;
        if (typeof d.showModal === 'function') d.showModal(); else d.setAttribute('open', '');
      } else if (!props.open && d.open) {
        d.close();
      }
    };
    watch(() => props.open, sync);
    onMounted(sync);
    const onClose = () => {
      if (opener && typeof opener.focus === 'function' && document.contains(opener)) opener.focus();
      opener = null;
      if (props.open) emit('close');
    };
    onBeforeUnmount(() => { if (el.value && el.value.open) el.value.close(); });
    return { el, titleId, onClose };
  },
  template: `
    <dialog ref="el" class="dialog" :aria-labelledby="titleId" :data-testid="testid" @close="onClose">
      <div class="dialog-head">
        <h2 :id="titleId">{{ title }}</h2>
        <button type="button" class="btn btn-ghost icon-btn" :aria-label="t('common.close')" @click="$emit('close')">✕</button>
      </div>
      <div class="dialog-body"><slot v-if="open"></slot></div>
    </dialog>`,
};

export function registerWidgets(app) {
  app.component('ErrorBox', ErrorBox);
  app.component('StatusMsg', StatusMsg);
  app.component('FormField', FormField);
  app.component('ListFooter', ListFooter);
  app.component('AppDialog', AppDialog);
}

export { t };
