// navigator.geolocation as a promise: {lat, lng, accuracy}; rejects with a
// readable message (the caller offers the community's location instead).
import { t } from './i18n.js';

export const geoAvailable = () => typeof navigator !== 'undefined' && !!navigator.geolocation;

export function locate(timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    if (!geoAvailable()) { reject(new Error(t('report.noGeo'))); return; }
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ lat: pos.coords.latitude, lng: pos.coords.longitude, accuracy: pos.coords.accuracy }),
      (err) => reject(new Error(t('report.locateFailed', { msg: err && err.message ? err.message : String(err && err.code) }))),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60000 },
    );
  });
}
