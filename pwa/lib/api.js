// The API client: JSON in and out, bearer token, one error shape. The access token is in memory only: when it
// is missing (a fresh start) or expired, one refresh from the HttpOnly cookie gets a new one (lib/session.js).
import * as session from './session.js';

export class ApiError extends Error {
  constructor({ status, code, message, details }) {
    super(message || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;        // 0 means the request never reached the server
    this.code = code || 'error';
    this.details = details || {};
  }

  /** Field name -> first message, from details.fields (for forms). */
  get fieldErrors() {
    const out = {};
    for (const [name, msgs] of Object.entries(this.details.fields || {})) {
      out[name] = Array.isArray(msgs) ? String(msgs[0]) : String(msgs);
    }
    return out;
  }
}

/** True when a failed write should stay queued: no reply, a server fault, or being told to slow down. */
export function isRetryable(err) {
  if (!(err instanceof ApiError)) return true;
  // 409 idempotency_in_progress: the server is still working on this key, so ask again later.
  return err.status === 0 || err.status >= 500 || err.status === 429 || err.status === 401 ||
    err.code === 'idempotency_in_progress';
}

async function parse(response) {
  const text = await response.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch { return { raw: text }; }
}

async function rawFetch(method, path, body, headers) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  const token = session.accessToken();
  if (token && !init.headers.Authorization) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined && body !== null) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network_error', message: navigator.onLine ? e.message : 'offline' });
  }
  const data = await parse(response);
  if (response.ok) return data;
  const err = (data && data.error) || {};
  throw new ApiError({ status: response.status, code: err.code, message: err.message, details: err.details });
}

let refreshing = null;
// The refresh cookie is only sent to /api/auth; the server also wants this header there (CSRF: a page on
// another site cannot add it without a CORS preflight, which the API never grants).
const CSRF = { 'X-Requested-With': 'coalhaul' };

let renewal = null;

/** Keep a reply's tokens and renew the access token a minute before it expires (screens that poll with
 * their own fetch, like the driver's queue, then never hold an expired one). */
function keep(tokens) {
  session.save(tokens);
  clearTimeout(renewal);
  try {
    const { exp } = JSON.parse(atob(tokens.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    renewal = setTimeout(() => { if (session.user()) refreshAccess(); }, Math.max(exp * 1000 - Date.now() - 60000, 5000));
  } catch { /* no expiry to plan for: the 401 path refreshes */ }
}

/** Trade the refresh cookie for a new access token (shared by concurrent callers); false when signed out. */
function refreshAccess() {
  refreshing = refreshing || rawFetch('POST', '/api/auth/refresh', null, CSRF)
    .then((tokens) => { keep(tokens); return true; })
    .catch((e) => { if (e instanceof ApiError && e.status === 401 && session.user()) session.clear('expired'); return false; })
    .finally(() => { refreshing = null; });
  return refreshing;
}

/** At start-up (and after a reload): an access token from the cookie, so the first request needs no retry. */
export function restore() {
  return session.accessToken() ? Promise.resolve(true) : refreshAccess();
}

async function request(method, path, body, headers = {}) {
  if (!session.accessToken() && session.user()) await refreshAccess();
  try {
    return await rawFetch(method, path, body, headers);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && e.code === 'token_expired' && await refreshAccess()) {
      return rawFetch(method, path, body, headers);
    }
    // Revoked elsewhere (or refresh failed): back to the login screen; queued writes stay for later.
    if (e instanceof ApiError && e.status === 401 && session.user()
        && ['token_revoked', 'invalid_token'].includes(e.code)) session.clear('expired');
    throw e;
  }
}

export const api = {
  /** GET a path; resolves to the parsed JSON, rejects with ApiError. */
  get: (path) => request('GET', path),
  /** A write with its Idempotency-Key (a fresh one unless given). Prefer ctx.write (the outbox). */
  send: (method, path, body, { idempotencyKey } = {}) =>
    request(method, path, body, { 'Idempotency-Key': idempotencyKey || crypto.randomUUID() }),
  /** Sign in: the access token is kept in memory, the refresh token arrives as an HttpOnly cookie. */
  async login(phone, password) {
    const tokens = await rawFetch('POST', '/api/auth/login', { phone, password }, {});
    keep(tokens);
    return tokens.user;
  },
  /** Ask for an SMS code (purpose 'register' or 'reset'); the server answers the same for any number. */
  requestCode: (purpose, phone) => rawFetch('POST', '/api/auth/otp', { purpose, phone },
    { 'Idempotency-Key': crypto.randomUUID() }),
  /** Create a buyer account with the SMS code, then sign in. */
  async register({ phone, otp, password, name }) {
    await rawFetch('POST', '/api/auth/register', { phone, otp, password, name },
      { 'Idempotency-Key': crypto.randomUUID() });
    return api.login(phone, password);
  },
  /** Set a new password with the SMS code (every other session of the account ends), then sign in. */
  async resetPassword({ phone, otp, password }) {
    await rawFetch('POST', '/api/auth/password-reset', { phone, otp, password },
      { 'Idempotency-Key': crypto.randomUUID() });
    return api.login(phone, password);
  },
  /** End this device's session on the server (best effort) and forget it here. */
  async logout() {
    try {
      await rawFetch('POST', '/api/auth/logout', null, CSRF);
    } catch { /* signed out locally anyway; the access token expires within minutes */ }
    clearTimeout(renewal);
    session.clear('logout');
  },
};

// A reload starts without an access token: fetch one from the cookie now, before the first screen asks.
if (session.user()) restore();
