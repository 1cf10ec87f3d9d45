// #/calendar — the working-time calendar that rectification deadlines are
// counted with: working hours and weekly days off, a year of month grids
// (holidays 休, make-up working days 班, weekends shaded; one month at a time
// on phones), a dialog per day, the year's exceptions, and the text import of
// the State Council's holiday schedule (schema/holidays-example.txt).
import { ref, reactive, computed, watch, onMounted, onBeforeUnmount } from '/assets/vue.esm-browser.prod.js';
import { api, request, postText } from '../api.js';
import { t, locale } from '../i18n.js';
import { linkStylesheet } from '../stylesheet.js';

const pad = (n) => String(n).padStart(2, '0');
const ymd = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;
const weekdayOf = (y, m, d) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();
const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const list = (key) => t(key).split(',');
function todayStr() {
  const n = new Date();
  return ymd(n.getFullYear(), n.getMonth() + 1, n.getDate());
}
const PHONE = '(max-width: 699.98px)';
// Monday first, as Chinese wall calendars are.
const WEEK = [1, 2, 3, 4, 5, 6, 0];

export default {
  name: 'CalendarPage',
  setup() {
    linkStylesheet('/assets/calendar.css');
    const today = todayStr();
    const year = ref(Number(today.slice(0, 4)));
    const month = ref(Number(today.slice(5, 7))); // the month shown on phones
    const loading = ref(false);
    const error = ref(null);
    const days = ref([]);

    // ---- phone: one month at a time
    const mq = window.matchMedia ? window.matchMedia(PHONE) : null;
    const phone = ref(mq ? mq.matches : false);
    const onMq = (e) => { phone.value = e.matches; };
    if (mq) mq.addEventListener('change', onMq);
    onBeforeUnmount(() => { if (mq) mq.removeEventListener('change', onMq); });

    // ---- hours form
    const hours = reactive({ work_start: '', work_end: '', lunch_start: '', lunch_end: '', weekend: [] });
    const savedWeekend = ref([0, 6]); // what the grid shades: the saved pattern
    const hfe = reactive({});
    const hoursError = ref(null);
    const hoursNotice = ref('');
    const hoursBusy = ref(false);
    const clear = (o) => { for (const k of Object.keys(o)) delete o[k]; };

    function setHours(h) {
      if (!h) return;
      for (const k of ['work_start', 'work_end', 'lunch_start', 'lunch_end']) if (h[k]) hours[k] = h[k];
      if (Array.isArray(h.weekend)) {
        hours.weekend = [...h.weekend];
        savedWeekend.value = [...h.weekend];
      }
    }

    async function load() {
      loading.value = true;
      error.value = null;
      try {
        const r = await api.get('/calendar', { year: year.value });
        days.value = (r && r.days) || [];
        setHours(r);
      } catch (e) { error.value = e; } finally { loading.value = false; }
    }
    onMounted(load);

    function changeYear(delta) {
      year.value += delta;
      const ty = Number(today.slice(0, 4));
      month.value = year.value === ty ? Number(today.slice(5, 7)) : 1;
      load();
    }
    function changeMonth(delta) {
      let m = month.value + delta;
      if (m < 1) { if (year.value <= 1900) return; year.value -= 1; m = 12; load(); }
      else if (m > 12) { year.value += 1; m = 1; load(); }
      month.value = m;
    }

    async function saveHours() {
      clear(hfe);
      hoursError.value = null;
      hoursNotice.value = '';
      hoursBusy.value = true;
      try {
        const body = {
          work_start: hours.work_start, work_end: hours.work_end,
          lunch_start: hours.lunch_start, lunch_end: hours.lunch_end,
          weekend: [...hours.weekend].map(Number).sort((a, b) => a - b),
        };
        setHours(await request('PUT', '/calendar/hours', { body }));
        hoursNotice.value = t('cal.hoursSaved');
      } catch (e) {
        Object.assign(hfe, e.fieldMap ? e.fieldMap() : {});
        hoursError.value = e;
      } finally { hoursBusy.value = false; }
    }

    // ---- the grid
    const byDate = computed(() => {
      const m = {};
      for (const d of days.value) m[d.date] = d;
      return m;
    });
    const monthNames = computed(() => { void locale.value; return list('cal.months'); });
    const weekHead = computed(() => { void locale.value; const s = list('cal.weekdaysShort'); return WEEK.map((w) => ({ w, label: s[w] })); });
    const weekLong = computed(() => { void locale.value; return list('cal.weekdaysLong'); });

    function dayLabel(c) {
      const parts = [t('cal.dayLabel', { date: c.date, weekday: weekLong.value[c.wd] })];
      if (c.kind === 'holiday') parts.push(t('cal.dayHoliday'));
      else if (c.kind === 'workday') parts.push(t('cal.dayWorkday'));
      else if (c.weekend) parts.push(t('cal.dayWeekend'));
      if (c.name) parts.push(c.name);
      return parts.join('，');
    }

    function buildMonth(y, m) {
      const lead = (weekdayOf(y, m, 1) + 6) % 7; // blanks before the 1st (Monday first)
      const cells = [];
      for (let i = 0; i < lead; i++) cells.push({ blank: true, key: 'b' + i });
      const n = daysIn(y, m);
      for (let d = 1; d <= n; d++) {
        const date = ymd(y, m, d);
        const wd = weekdayOf(y, m, d);
        const ex = byDate.value[date];
        const c = {
          key: date, date, d, wd,
          weekend: savedWeekend.value.includes(wd),
          kind: ex ? ex.kind : '',
          name: ex ? ex.name || '' : '',
          today: date === today,
        };
        c.label = dayLabel(c);
        cells.push(c);
      }
      return { m, title: monthNames.value[m - 1], cells };
    }
    const months = computed(() => {
      const y = year.value;
      if (phone.value) return [buildMonth(y, month.value)];
      return Array.from({ length: 12 }, (_, i) => buildMonth(y, i + 1));
    });

    const exceptions = computed(() => [...days.value].sort((a, b) => (a.date < b.date ? -1 : 1)).map((d) => {
      const [y, m, dd] = d.date.split('-').map(Number);
      return { ...d, weekday: weekLong.value[weekdayOf(y, m, dd)] };
    }));

    // ---- day dialog
    const dlg = reactive({ open: false, date: '', weekday: '', kind: 'holiday', name: '' });
    const dfe = reactive({});
    const dayError = ref(null);
    const dayBusy = ref(false);
    const notice = ref('');
    function openDay(date) {
      const [y, m, d] = date.split('-').map(Number);
      const wd = weekdayOf(y, m, d);
      const ex = byDate.value[date];
      clear(dfe);
      dayError.value = null;
      Object.assign(dlg, {
        open: true, date, weekday: weekLong.value[wd],
        kind: ex ? ex.kind : (savedWeekend.value.includes(wd) ? 'workday' : 'holiday'),
        name: ex ? ex.name || '' : '',
      });
    }
    async function saveDay() {
      clear(dfe);
      dayError.value = null;
      notice.value = '';
      dayBusy.value = true;
      try {
        const body = { date: dlg.date, kind: dlg.kind };
        if (dlg.kind !== 'normal') body.name = dlg.name.trim() || null;
        await request('PUT', '/calendar/days', { body });
        const rest = days.value.filter((x) => x.date !== dlg.date);
        if (dlg.kind !== 'normal') rest.push({ date: dlg.date, kind: dlg.kind, name: body.name });
        days.value = rest;
        notice.value = dlg.kind === 'normal'
          ? t('cal.dayCleared', { date: dlg.date })
          : t('cal.daySaved', { date: dlg.date, kind: t(dlg.kind === 'holiday' ? 'cal.kindHoliday' : 'cal.kindWorkday') });
        dlg.open = false;
      } catch (e) {
        Object.assign(dfe, e.fieldMap ? e.fieldMap() : {});
        dayError.value = e;
      } finally { dayBusy.value = false; }
    }

    // ---- import
    const importText = ref('');
    const importError = ref(null);
    const importLines = ref([]); // [{n, text, message}]
    const importNotice = ref('');
    const importBusy = ref(false);
    async function readFile(ev) {
      const file = ev.target.files && ev.target.files[0];
      ev.target.value = '';
      if (!file) return;
      importText.value = await file.text();
      importNotice.value = t('cal.fileRead', { name: file.name });
      importError.value = null;
      importLines.value = [];
    }
    async function doImport() {
      importError.value = null;
      importLines.value = [];
      importNotice.value = '';
      // Send only the non-blank lines, so the API's "line N" is the N-th line
      // sent; map it back to the line number in the box.
      const all = importText.value.replace(/^\uFEFF/, '').split('\n');
      const kept = [];
      all.forEach((l, i) => { if (l.trim() !== '') kept.push(i); });
      if (!kept.length) { importError.value = { message: t('cal.importEmpty') }; return; }
      importBusy.value = true;
      try {
        const r = await postText('/calendar/import', kept.map((i) => all[i]).join('\n') + '\n', 'text/plain; charset=utf-8');
        importNotice.value = t('cal.imported', { n: r && r.imported != null ? r.imported : kept.length });
        await load();
      } catch (e) {
        const lines = [];
        for (const f of (e && e.fields) || []) {
          const m = /^line (\d+)$/.exec((f && f.field) || '');
          if (!m) continue;
          const idx = kept[Number(m[1]) - 1];
          lines.push({ n: idx != null ? idx + 1 : Number(m[1]), text: idx != null ? all[idx] : '', message: f.message || f.code || '' });
        }
        importLines.value = lines;
        importError.value = lines.length ? null : e;
      } finally { importBusy.value = false; }
    }
    watch(importText, () => { importLines.value = []; });

    return {
      year, month, loading, error, days, phone, hours, hfe, hoursError, hoursNotice, hoursBusy, saveHours,
      changeYear, changeMonth, months, weekHead, weekLong, exceptions,
      dlg, dfe, dayError, dayBusy, notice, openDay, saveDay,
      importText, importError, importLines, importNotice, importBusy, readFile, doImport, load,
    };
  },
  template: `
  <section class="page cal-page">
    <div class="page-head">
      <h1 tabindex="-1">{{ t('cal.title') }}</h1>
      <div class="cal-year" role="group" :aria-label="t('cal.yearLabel', { year })">
        <button type="button" class="btn btn-secondary icon-btn" :aria-label="t('cal.prevYear')" :disabled="year <= 1900" @click="changeYear(-1)" data-testid="calendar-year-prev">‹</button>
        <strong class="cal-year-num" aria-live="polite" data-testid="calendar-year">{{ year }}</strong>
        <button type="button" class="btn btn-secondary icon-btn" :aria-label="t('cal.nextYear')" :disabled="year >= 9999" @click="changeYear(1)" data-testid="calendar-year-next">›</button>
      </div>
    </div>
    <p class="muted">{{ t('cal.intro') }}</p>
    <p class="alert alert-info cal-note">{{ t('cal.note') }}</p>
    <error-box :error="error"></error-box>

    <div class="cal-layout">
      <div class="cal-main">
        <div class="card">
          <h2>{{ t('cal.gridTitle', { year }) }}</h2>
          <ul class="cal-legend" :aria-label="t('cal.legend')">
            <li><span class="cal-swatch is-holiday">{{ t('cal.markHoliday') }}</span>{{ t('cal.legendHoliday') }}</li>
            <li><span class="cal-swatch is-workday">{{ t('cal.markWorkday') }}</span>{{ t('cal.legendWorkday') }}</li>
            <li><span class="cal-swatch is-weekend"></span>{{ t('cal.legendWeekend') }}</li>
            <li><span class="cal-swatch is-today"></span>{{ t('cal.legendToday') }}</li>
          </ul>
          <p class="hint cal-tap">{{ t('cal.tapHint') }}</p>
          <status-msg :text="notice"></status-msg>
          <div v-if="phone" class="cal-pager">
            <button type="button" class="btn btn-secondary icon-btn" :aria-label="t('cal.prevMonth')" :disabled="year <= 1900 && month === 1" @click="changeMonth(-1)" data-testid="calendar-month-prev">‹</button>
            <strong class="cal-pager-title" aria-live="polite" data-testid="calendar-month">{{ t('cal.yearLabel', { year }) }} {{ months[0].title }}</strong>
            <button type="button" class="btn btn-secondary icon-btn" :aria-label="t('cal.nextMonth')" @click="changeMonth(1)" data-testid="calendar-month-next">›</button>
          </div>
          <div class="cal-months" :class="{ 'cal-one': phone }" :aria-busy="loading ? 'true' : 'false'">
            <section v-for="mo in months" :key="year + '-' + mo.m" class="cal-month" :aria-label="mo.title">
              <h3 v-if="!phone" class="cal-month-title">{{ mo.title }}</h3>
              <div class="cal-grid cal-head" aria-hidden="true">
                <span v-for="w in weekHead" :key="w.w" :class="{ 'is-weekend-head': w.w === 0 || w.w === 6 }">{{ w.label }}</span>
              </div>
              <div class="cal-grid">
                <template v-for="c in mo.cells" :key="c.key">
                  <span v-if="c.blank" class="cal-blank" aria-hidden="true"></span>
                  <button v-else type="button" class="cal-day"
                    :class="{ 'is-weekend': c.weekend, 'is-holiday': c.kind === 'holiday', 'is-workday': c.kind === 'workday', 'is-today': c.today }"
                    :aria-label="c.label" :title="c.label" :data-testid="'calendar-day-' + c.date" @click="openDay(c.date)">
                    <span class="cal-num">{{ c.d }}</span>
                    <span v-if="c.kind" class="cal-mark" aria-hidden="true">{{ c.kind === 'holiday' ? t('cal.markHoliday') : t('cal.markWorkday') }}</span>
                  </button>
                </template>
              </div>
            </section>
          </div>
        </div>

        <div class="card">
          <h2>{{ t('cal.listTitle', { year }) }}</h2>
          <ul v-if="exceptions.length" class="cal-list" data-testid="calendar-exceptions">
            <li v-for="d in exceptions" :key="d.date">
              <button type="button" class="cal-list-item" :aria-label="t('cal.editDay', { date: d.date })" @click="openDay(d.date)">
                <span class="cal-swatch" :class="d.kind === 'holiday' ? 'is-holiday' : 'is-workday'" aria-hidden="true">{{ d.kind === 'holiday' ? t('cal.markHoliday') : t('cal.markWorkday') }}</span>
                <span class="cal-list-date">{{ d.date }} <span class="muted">{{ d.weekday }}</span></span>
                <span class="cal-list-name">{{ d.name || t('cal.noName') }}</span>
              </button>
            </li>
          </ul>
          <p v-else-if="!loading" class="empty">{{ t('cal.listEmpty') }}</p>
        </div>
      </div>

      <div class="cal-side">
        <form class="card" @submit.prevent="saveHours" novalidate>
          <h2>{{ t('cal.hoursTitle') }}</h2>
          <div class="cal-times">
            <form-field :label="t('cal.workStart')" :error="hfe.work_start" v-slot="f"><input :id="f.id" v-bind="f.aria" type="time" v-model="hours.work_start" required></form-field>
            <form-field :label="t('cal.workEnd')" :error="hfe.work_end" v-slot="f"><input :id="f.id" v-bind="f.aria" type="time" v-model="hours.work_end" required></form-field>
            <form-field :label="t('cal.lunchStart')" :error="hfe.lunch_start" v-slot="f"><input :id="f.id" v-bind="f.aria" type="time" v-model="hours.lunch_start" required></form-field>
            <form-field :label="t('cal.lunchEnd')" :error="hfe.lunch_end" v-slot="f"><input :id="f.id" v-bind="f.aria" type="time" v-model="hours.lunch_end" required></form-field>
          </div>
          <fieldset :class="{ 'has-error': !!hfe.weekend }" :aria-describedby="hfe.weekend ? 'cal-wk-err' : 'cal-wk-hint'">
            <legend>{{ t('cal.weekend') }}</legend>
            <div class="cal-weekdays">
              <label v-for="(w, i) in weekLong" :key="i" class="check"><input type="checkbox" :value="i" v-model="hours.weekend" :data-testid="'calendar-weekend-' + i">{{ w }}</label>
            </div>
            <p id="cal-wk-hint" class="hint">{{ t('cal.weekendHint') }}</p>
            <p v-if="hfe.weekend" id="cal-wk-err" class="field-error">{{ hfe.weekend }}</p>
          </fieldset>
          <error-box :error="hoursError" :known="Object.keys(hfe)"></error-box>
          <status-msg :text="hoursNotice"></status-msg>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" :disabled="hoursBusy" data-testid="calendar-hours-save">{{ hoursBusy ? t('common.saving') : t('cal.hoursSave') }}</button>
          </div>
        </form>

        <form class="card" @submit.prevent="doImport" novalidate>
          <h2>{{ t('cal.importTitle') }}</h2>
          <p class="hint cal-import-intro">{{ t('cal.importIntro') }}</p>
          <pre class="cal-example" aria-hidden="true">2026-10-01 holiday 国庆节
2026-10-02 休 国庆节
2026-10-10 班 国庆节调休</pre>
          <form-field :label="t('cal.importText')" v-slot="f">
            <textarea :id="f.id" v-bind="f.aria" v-model="importText" rows="6" class="cal-import-text" spellcheck="false" autocapitalize="off"
              :aria-invalid="importLines.length ? 'true' : 'false'" data-testid="calendar-import-text"></textarea>
          </form-field>
          <div class="form-actions cal-import-actions">
            <input id="cal-import-file" type="file" accept=".txt,text/plain" class="visually-hidden file-input" @change="readFile" data-testid="calendar-import-file">
            <label class="btn btn-secondary file-btn" for="cal-import-file">{{ t('cal.importFile') }}</label>
            <button type="submit" class="btn btn-primary" :disabled="importBusy" data-testid="calendar-import-submit">{{ t('cal.importSubmit') }}</button>
          </div>
          <p class="hint">{{ t('cal.importFileHint') }}</p>
          <div v-if="importLines.length" class="alert alert-error" role="alert" data-testid="calendar-import-errors">
            <p class="alert-text">{{ t('cal.importFailed') }}</p>
            <ul class="alert-fields">
              <li v-for="l in importLines" :key="l.n"><strong>{{ t('cal.line', { n: l.n }) }}</strong>：<code v-if="l.text" class="cal-bad-line">{{ l.text }}</code> {{ l.message }}</li>
            </ul>
          </div>
          <error-box :error="importError"></error-box>
          <status-msg :text="importNotice"></status-msg>
        </form>
      </div>
    </div>

    <app-dialog :open="dlg.open" :title="t('cal.dayTitle', { date: dlg.date, weekday: dlg.weekday })" testid="calendar-day-dialog" @close="dlg.open = false">
      <form class="cal-day-form" @submit.prevent="saveDay" novalidate>
        <form-field :label="t('cal.kind')" :error="dfe.kind" :hint="dlg.kind === 'normal' ? t('cal.kindNormalHint') : ''" v-slot="f">
          <select :id="f.id" v-bind="f.aria" v-model="dlg.kind" data-testid="calendar-day-kind">
            <option value="holiday">{{ t('cal.kindHoliday') }}</option>
            <option value="workday">{{ t('cal.kindWorkday') }}</option>
            <option value="normal">{{ t('cal.kindNormal') }}</option>
          </select>
        </form-field>
        <form-field v-if="dlg.kind !== 'normal'" :label="t('cal.name')" :error="dfe.name" optional v-slot="f">
          <input :id="f.id" v-bind="f.aria" type="text" v-model="dlg.name" maxlength="50" :placeholder="t('cal.namePlaceholder')" data-testid="calendar-day-name">
        </form-field>
        <error-box :error="dayError" :known="Object.keys(dfe)"></error-box>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" :disabled="dayBusy" data-testid="calendar-day-save">{{ dayBusy ? t('common.saving') : t('common.save') }}</button>
          <button type="button" class="btn btn-secondary" @click="dlg.open = false">{{ t('common.cancel') }}</button>
        </div>
      </form>
    </app-dialog>
  </section>`,
};
