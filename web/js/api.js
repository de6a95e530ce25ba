// The JSON API under /api/v1: fetch with the session cookie and the CSRF token, errors as
// ApiError, and any 401 handed to the shell (which sends the user to the login page).

let csrf = null;
let onUnauthorized = () => {};
let onActivity = () => {};

export function setCsrf(token) {
  csrf = token;
}

export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

// Told of every request the user's own doing (not a background poll): the server counts those
// as activity and keeps the session alive; the idle warning (idle.js) counts them the same way.
export function setActivityHandler(fn) {
  onActivity = fn;
}

// The header that tells the server a request is a poll the page makes by itself (the unread
// count, the queues' counts): it neither extends the session nor counts as the user's activity.
export const BACKGROUND = { 'X-NRM-Background': '1' };

// The server's error member: code (the kind of failure), key (the precise one, a key of
// src/core/errors.def that the UI translates as "error.<key>"), params (strings, dates as
// YYYY-MM-DD), field (the field it concerns, if any) and message (in English, for whoever
// reports a problem). new ApiError(403, {code: 'forbidden'}) makes one in the UI.
export class ApiError extends Error {
  constructor(status, { code, key, field, params, message } = {}) {
    super(message || key || code || 'error');
    this.status = status;
    this.code = code || 'internal';
    this.key = key || null;
    this.field = field || null;
    this.params = params && typeof params === 'object' ? params : {};
  }
}

// Thrown after a 401 once the shell has taken over: screens stop quietly.
export class Redirected extends Error {}

// api('POST', '/seats/5/nominations', {...}); body may be a Blob/File (sent raw) with
// opts.headers. opts.auth === false: a 401 is an ordinary error (the login form).
// opts.background: a poll (sent with BACKGROUND, not the user's activity); opts.keepalive: the
// request outlives the page (a draft saved as the tab closes).
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.background ? BACKGROUND : {}), ...(opts.headers || {}) };
  let payload;
  if (body instanceof Blob) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    const pending = fetch(`/api/v1${path}`, { method, headers, body: payload, credentials: 'same-origin', keepalive: !!opts.keepalive });
    if (!opts.background && !headers['X-NRM-Background']) onActivity();
    res = await pending;
  } catch {
    throw new ApiError(0, { code: 'network', message: 'network error' });
  }
  const isJson = (res.headers.get('Content-Type') || '').includes('json');
  const data = isJson ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    const err = new ApiError(res.status, data?.error || {});
    if (res.status === 401 && opts.auth !== false) {
      onUnauthorized(err);
      throw new Redirected('401');
    }
    throw err;
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);

// Every page of a keyset-paginated collection.
export async function getAll(path, limit = 500) {
  const items = [];
  let after = null;
  const sep = path.includes('?') ? '&' : '?';
  for (;;) {
    const page = await get(`${path}${sep}limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    items.push(...page.items);
    if (!page.next) return items;
    after = page.next;
  }
}

// Builds a query string from an object, leaving out empty values.
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
