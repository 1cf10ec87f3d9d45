// #/meetings/{id} — one meeting for the secretary (docs/PARTY.md): its details
// and minutes (editable), photos (the photo upload) and linked files, the
// sign-in QR code to show at the meeting, and the attendance of the expected
// members (present / leave with a reason / absent). Usable at 360 px.
import { ref, reactive, inject, computed, onMounted } from '/assets/vue.esm-browser.prod.js';
import { api, enc, upload } from '../api.js';
import { t } from '../i18n.js';
import { TYPES, STATES } from './meetings.js';

export default {
  name: 'MeetingPage',
  setup() {
    const route = inject('route');
    const id = computed(() => Number(route.value.path.split('/')[2]));
    const m = ref(null);
    const error = ref(null);
    const msg = ref('');
    const link = ref('');
    const edit = reactive({});
    const marks = ref([]);
    const busy = ref(false);
    const qrSrc = computed(() => `/api/v1/party/meetings/${enc(id.value)}/qr.png`);
    function fill(x) {
      m.value = x;
      Object.assign(edit, { type: x.type, held_on: x.held_on, start_time: x.start_time || '', place: x.place || '', topic: x.topic,
        speaker: x.speaker || '', state: x.state, minutes: x.minutes || '', photos: [...(x.photos || [])],
        attachments: (x.attachments || []).map((a) => ({ ...a })) });
      marks.value = (x.attendees || []).map((a) => ({ person_id: a.person_id, name: a.name, org_name: a.org_name, status: a.status || '', reason: a.reason || '' }));
    }
    async function load() {
      error.value = null;
      try {
        fill(await api.get(`/party/meetings/${enc(id.value)}`));
        link.value = (await api.get(`/party/meetings/${enc(id.value)}/sign-in-link`)).url;
      } catch (e) { error.value = e; }
    }
    async function save() {
      busy.value = true; error.value = null; msg.value = '';
      try {
        const body = { ...edit, attachments: edit.attachments.filter((a) => a.name && a.url) };
        for (const k of ['start_time', 'place', 'speaker', 'minutes']) if (!body[k]) body[k] = null;
        await api.patch(`/party/meetings/${enc(id.value)}`, body);
        await load();
        msg.value = t('meet.saved');
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    async function addPhoto(ev) {
      const f = ev.target.files && ev.target.files[0];
      if (!f) return;
      try { const p = await upload('/photos', f); edit.photos.push(p.id); } catch (e) { error.value = e; }
    }
    async function saveMarks() {
      busy.value = true; error.value = null; msg.value = '';
      try {
        const attendance = marks.value.filter((a) => a.status).map((a) => ({ person_id: a.person_id, status: a.status, reason: a.status === 'leave' ? a.reason : null }));
        if (attendance.length) fill(await api.put(`/party/meetings/${enc(id.value)}/attendance`, { attendance }));
        msg.value = t('meet.attendanceSaved');
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    const markAll = () => marks.value.forEach((a) => { if (!a.status) a.status = 'present'; });
    onMounted(load);
    return { m, error, msg, link, edit, marks, busy, qrSrc, save, addPhoto, saveMarks, markAll, TYPES, STATES, t };
  },
  template: `
  <section class="page narrow" data-testid="meeting-page">
    <h1 tabindex="-1">{{ m ? m.topic : t('nav.meeting') }}</h1>
    <error-box :error="error"></error-box>
    <p v-if="msg" class="alert alert-ok" role="status" data-testid="meeting-msg">{{ msg }}</p>
    <template v-if="m">
      <p class="muted">{{ m.org_name }} · {{ t('meet.types.' + m.type) }} · {{ t('meet.states.' + m.state) }} · {{ t('meet.expected', { n: m.expected }) }} · {{ t('meet.present', { n: m.present }) }}</p>
      <div class="card" v-if="m.state !== 'cancelled'">
        <h2>{{ t('meet.qr') }}</h2>
        <img :src="qrSrc" :alt="t('meet.qr')" data-testid="meeting-qr" style="width:100%;max-width:280px;height:auto;display:block;margin:0 auto">
        <p class="hint">{{ t('meet.qrHint') }}</p>
        <p class="muted" style="word-break:break-all"><a :href="link" data-testid="meeting-link-url">{{ t('meet.link') }}</a></p>
      </div>
      <div class="card">
        <h2>{{ t('meet.attendance') }}</h2>
        <button type="button" class="btn btn-secondary" @click="markAll">{{ t('meet.markAll') }}</button>
        <ul class="plain">
          <li v-for="a in marks" :key="a.person_id" class="stack" style="padding:.4em 0;border-bottom:1px solid #eee">
            <strong>{{ a.name }}</strong> <span class="muted">{{ a.org_name }}</span>
            <select v-model="a.status" :aria-label="a.name" data-testid="mark">
              <option value="">{{ t('meet.mark.none') }}</option>
              <option v-for="s in ['present', 'leave', 'absent']" :key="s" :value="s">{{ t('meet.mark.' + s) }}</option>
            </select>
            <input v-if="a.status === 'leave'" v-model="a.reason" :placeholder="t('meet.reason')" maxlength="200">
          </li>
        </ul>
        <button type="button" class="btn btn-primary" :disabled="busy" @click="saveMarks" data-testid="save-marks">{{ t('meet.saveAttendance') }}</button>
      </div>
      <form class="card stack" @submit.prevent="save">
        <form-field :label="t('meet.topic')" v-slot="f"><input :id="f.id" v-model="edit.topic" maxlength="200"></form-field>
        <form-field :label="t('meet.type')" v-slot="f"><select :id="f.id" v-model="edit.type"><option v-for="k in TYPES" :key="k" :value="k">{{ t('meet.types.' + k) }}</option></select></form-field>
        <form-field :label="t('meet.day')" v-slot="f"><input :id="f.id" type="date" v-model="edit.held_on"></form-field>
        <form-field :label="t('meet.time')" optional v-slot="f"><input :id="f.id" type="time" v-model="edit.start_time"></form-field>
        <form-field :label="t('meet.place')" optional v-slot="f"><input :id="f.id" v-model="edit.place" maxlength="100"></form-field>
        <form-field :label="t('meet.speaker')" optional v-slot="f"><input :id="f.id" v-model="edit.speaker" maxlength="50"></form-field>
        <form-field :label="t('meet.state')" v-slot="f"><select :id="f.id" v-model="edit.state" data-testid="m-state"><option v-for="s in STATES" :key="s" :value="s">{{ t('meet.states.' + s) }}</option></select></form-field>
        <form-field :label="t('meet.minutes')" optional v-slot="f"><textarea :id="f.id" v-model="edit.minutes" rows="6" maxlength="20000"></textarea></form-field>
        <form-field :label="t('meet.photos')" optional v-slot="f">
          <div><img v-for="p in edit.photos" :key="p" :src="'/api/v1/photos/' + p" alt="" style="width:96px;height:72px;object-fit:cover;margin:2px"></div>
          <input :id="f.id" type="file" accept="image/*" @change="addPhoto">
        </form-field>
        <fieldset><legend>{{ t('meet.attachments') }}</legend>
          <div v-for="(a, i) in edit.attachments" :key="i" class="stack"><input v-model="a.name" :placeholder="t('meet.attName')" maxlength="100"><input v-model="a.url" :placeholder="t('meet.attUrl')" maxlength="500"></div>
          <button type="button" class="btn btn-secondary" @click="edit.attachments.push({ name: '', url: '' })">{{ t('meet.addAtt') }}</button>
        </fieldset>
        <div class="form-actions"><button class="btn btn-primary" :disabled="busy" data-testid="m-save">{{ t('meet.save') }}</button></div>
      </form>
    </template>
  </section>`,
};
