// The API client: JSON in and out, bearer token, one error shape, one token refresh on expiry.
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

/** Swap the refresh token for a new access token (shared by concurrent callers). */
async function refreshAccess() {
  const refresh = session.refreshToken();
  if (!refresh) return false;
  refreshing = refreshing || rawFetch('POST', '/api/auth/refresh', null, { Authorization: `Bearer ${refresh}` })
    .then((tokens) => { session.save(tokens); return true; })
    .catch((e) => { if (!isRetryable(e) || e.status === 401) session.clear('expired'); return false; })
    .finally(() => { refreshing = null; });
  return refreshing;
}

async function request(method, path, body, headers = {}) {
  try {
    return await rawFetch(method, path, body, headers);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && e.code === 'token_expired' && await refreshAccess()) {
      return rawFetch(method, path, body, headers);
    }
    // Revoked elsewhere (or refresh failed): back to the login screen; queued writes stay for later.
    if (e instanceof ApiError && e.status === 401 && session.accessToken()
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
  /** Sign in; stores the tokens and user. */
  async login(phone, password) {
    const tokens = await rawFetch('POST', '/api/auth/login', { phone, password }, {});
    session.save(tokens);
    return tokens.user;
  },
  /** Revoke both tokens on the server (best effort) and forget them here. */
  async logout() {
    const refresh = session.refreshToken();
    try {
      await request('POST', '/api/auth/logout', { refresh_token: refresh }, {});
    } catch { /* signed out locally anyway */ }
    session.clear('logout');
  },
};
