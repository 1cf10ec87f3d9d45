// <photo-picker :items="arr" testid="report-photo">: a camera / file input
// that uploads each chosen image at once (POST /photos) with a progress bar,
// a preview and a remove button. The parent owns the array; an entry is
// {key, name, preview, progress, id (once uploaded), error}.
import { upload } from './api.js';
import { errorText } from './format.js';
import { t } from './i18n.js';
import { nextId } from './widgets.js';
import { AppIcon } from './icons.js';

export function photoIds(items) { return items.filter((x) => x.id && !x.error).map((x) => x.id); }
export function photosBusy(items) { return items.some((x) => !x.id && !x.error); }

function uploadError(e) {
  if (e && e.status === 413) return t('report.tooLarge');
  if (e && e.status === 422) return t('report.badImage');
  return errorText(e);
}

export const PhotoPicker = {
  name: 'PhotoPicker',
  components: { AppIcon },
  props: {
    items: { type: Array, required: true },
    testid: { type: String, default: 'photo' },
    label: { type: String, default: '' },
    max: { type: Number, default: 4 },
    error: { type: String, default: '' },
  },
  setup(props) {
    const id = nextId('photo');
    function onChange(ev) {
      const input = ev.target;
      const files = Array.from(input.files || []);
      input.value = '';
      for (const file of files) {
        if (props.items.length >= props.max) break;
        const entry = { key: nextId('p'), name: file.name, preview: URL.createObjectURL(file), progress: 0, id: null, error: '' };
        props.items.push(entry);
        const live = props.items[props.items.length - 1]; // the reactive proxy
        upload('/photos', file, (p) => { live.progress = p; })
          .then((r) => { live.id = r.id; live.progress = 1; if (r.thumb_url) live.thumb = r.thumb_url; })
          .catch((e) => { live.error = t('report.photoFailed', { msg: uploadError(e) }); });
      }
    }
    function remove(i) {
      const [x] = props.items.splice(i, 1);
      if (x && x.preview) URL.revokeObjectURL(x.preview);
    }
    return { id, onChange, remove };
  },
  template: `
    <div class="field photo-picker" :class="{ 'has-error': !!error }">
      <span class="field-label" :id="id + '-label'">{{ label || t('report.photos') }}</span>
      <ul v-if="items.length" class="photo-list">
        <li v-for="(p, i) in items" :key="p.key" class="photo-item" :class="{ failed: !!p.error }">
          <img :src="p.preview" :alt="(label || t('report.photos')) + ' ' + (i + 1)" class="photo-thumb">
          <div class="photo-meta">
            <p v-if="p.error" class="field-error" role="alert">{{ p.error }}</p>
            <p v-else-if="p.id" class="photo-ok">✓ {{ t('report.uploaded') }}</p>
            <template v-else>
              <progress max="100" :value="Math.round(p.progress * 100)" :aria-label="t('report.uploading', { p: Math.round(p.progress * 100) })"></progress>
              <p class="hint">{{ t('report.uploading', { p: Math.round(p.progress * 100) }) }}</p>
            </template>
            <button type="button" class="btn btn-ghost btn-small" :aria-label="t('report.removePhotoLabel', { n: i + 1 })" @click="remove(i)">{{ t('report.removePhoto') }}</button>
          </div>
        </li>
      </ul>
      <div v-if="items.length < max">
        <input :id="id" type="file" accept="image/*" capture="environment" class="visually-hidden file-input"
               :aria-labelledby="id + '-label ' + id + '-btn'" :aria-describedby="id + '-hint'" :data-testid="testid" @change="onChange">
        <label :for="id" :id="id + '-btn'" class="btn btn-secondary file-btn"><app-icon name="camera"></app-icon> {{ t('report.takePhoto') }}</label>
      </div>
      <p :id="id + '-hint'" class="hint">{{ t('report.photoHint', { n: max }) }}</p>
      <p v-if="error" class="field-error">{{ error }}</p>
    </div>`,
};
