// Fetch wrapper for the Wenming REST API (/api/v1).
// - JSON in, JSON out; 204 answers resolve to null.
// - The CSRF token lives only in memory and is sent as X-CSRF-Token on every
//   non-GET request. The session itself is an HttpOnly cookie.
// - Every failure rejects with an ApiError carrying status, code, message and
//   the per-field errors of the API ({"error":{"code","message","fields"}}).

const BASE = '/api/v1';

let csrfToken = null;
let onUnauthorized = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

// Called when an authenticated request answers 401 (session expired).
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export class ApiError extends Error {
  constructor(status, code, message, fields, details) {
    super(message || code || ('HTTP ' + status));
    this.details = details || {}; // the whole "error" object (e.g. allowed_actions)
    this.name = 'ApiError';
    this.status = status;
    this.code = code || '';
    this.fields = Array.isArray(fields) ? fields : [];
  }

  // {field: message} for showing errors next to inputs.
  fieldMap() {
    const m = {};
    for (const f of this.fields) {
      if (f && f.field && !(f.field in m)) m[f.field] = f.message || f.code || '';
    }
    return m;
  }
}

function buildUrl(path, query) {
  let url = BASE + path;
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') qs.append(k, String(v));
    }
    const s = qs.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  return url;
}

async function parseError(res) {
  let body = null;
  try {
    body = await res.json();
  } catch (_) {
    body = null;
  }
  const e = (body && body.error) || {};
  return new ApiError(res.status, e.code, e.message, e.fields, e);
}

// opts: {query, body, headers (extra, e.g. Idempotency-Key), raw (return the Response), noAuthRedirect}
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let res;
  try {
    res = await fetch(buildUrl(path, opts.query), init);
  } catch (err) {
    throw new ApiError(0, 'network', '');
  }
  if (!res.ok) {
    const error = await parseError(res);
    if (res.status === 401 && !opts.noAuthRedirect && onUnauthorized) onUnauthorized(error);
    throw error;
  }
  if (opts.raw) return res;
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (_) {
    throw new ApiError(res.status, 'bad_json', '');
  }
}

export const api = {
  get: (path, query, opts = {}) => request('GET', path, { ...opts, query }),
  post: (path, body, opts = {}) => request('POST', path, { ...opts, body }),
  patch: (path, body, opts = {}) => request('PATCH', path, { ...opts, body }),
  put: (path, body, opts = {}) => request('PUT', path, { ...opts, body }),
  del: (path, opts = {}) => request('DELETE', path, opts),
};

// Fetch every page of a list (for pickers and the org tree), up to maxItems.
export async function getAll(path, query = {}, maxItems = 2000) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 100; i++) {
    const page = await api.get(path, { ...query, limit: query.limit || 200, cursor });
    items.push(...((page && page.items) || []));
    cursor = page && page.next_cursor;
    if (!cursor || items.length >= maxItems) break;
  }
  return items;
}

// Upload one file as multipart/form-data (field "file") with progress
// (XMLHttpRequest: fetch has no upload progress). onProgress(0..1).
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    if (onProgress) {
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', ''));
    xhr.onload = () => {
      let body = null;
      try { body = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch (_) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(body); return; }
      const e = (body && body.error) || {};
      const err = new ApiError(xhr.status, e.code, e.message, e.fields, e);
      if (xhr.status === 401 && onUnauthorized) onUnauthorized(err);
      reject(err);
    };
    const fd = new FormData();
    fd.append('file', file, file.name || 'photo.jpg');
    xhr.send(fd);
  });
}

// A raw-text POST (CSV import): Content-Type as given.
export async function postText(path, text, type) {
  const headers = { Accept: 'application/json', 'Content-Type': type };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(BASE + path, { method: 'POST', headers, body: text, credentials: 'same-origin', cache: 'no-store' });
  } catch (_) {
    throw new ApiError(0, 'network', '');
  }
  if (!res.ok) {
    const error = await parseError(res);
    if (res.status === 401 && onUnauthorized) onUnauthorized(error);
    throw error;
  }
  const body = await res.text();
  try { return body ? JSON.parse(body) : null; } catch (_) { return null; }
}

// Path segment escaping for ids.
export const enc = (id) => encodeURIComponent(String(id));
