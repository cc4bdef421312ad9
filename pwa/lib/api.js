// The API client: JSON in and out, bearer token, one error shape. The access token is in memory only: when it
// is missing (a fresh start) or expired, one refresh from the HttpOnly cookie gets a new one (lib/session.js).
import { errorWords, problemsByField, problemsSummary } from './error-words.js';
import * as session from './session.js';

export class ApiError extends Error {
  constructor({ status, code, message, details }) {
    // Shown to people in their words (lib/error-words.js); the server's English stays in serverMessage.
    // A form's bad fields are named as the form names them, limits in its units ('吨数应在 10–49 吨之间').
    super((code === 'validation_error' && problemsSummary(details)) || errorWords(code, details) || message || code || `HTTP ${status}`);
    this.serverMessage = message || '';
    this.name = 'ApiError';
    this.status = status;        // 0 means the request never reached the server
    this.code = code || 'error';
    this.details = details || {};
  }

  /** Field name -> first message, from details.fields (for forms). */
  get fieldErrors() {
    const worded = problemsByField(this.details);
    if (worded) return worded;
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

async function rawFetch(method, path, body, headers, { conditional = false } = {}) {
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
  if (conditional && response.status === 304) return { changed: false, etag: headers['If-None-Match'] };
  const data = await parse(response);
  if (response.ok) return conditional ? { changed: true, data, etag: response.headers.get('ETag') } : data;
  const err = (data && data.error) || {};
  throw new ApiError({ status: response.status, code: err.code, message: err.message, details: err.details });
}

let refreshing = null;
// The refresh cookie is only sent to /api/auth; the server also wants this header there (CSRF: a page on
// another site cannot add it without a CORS preflight, which the API never grants).
const CSRF = { 'X-Requested-With': 'coalhaul' };

let renewal = null;
// When the in-memory access token runs out, on this device's clock: measured from the token's own lifetime
// (exp - iat) at the moment it arrived, so a phone whose clock is off by minutes still renews in time.
let expiresAt = 0;
let lifetimeMs = 0;

function claims(token) {
  return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
}

/** Renew this long before expiry: a minute for the usual 10-minute token, a quarter of a short one. */
const margin = () => Math.min(60000, lifetimeMs / 4);

/** True when a call should renew first: no token yet (a reload) or one about to run out. */
function expiring() {
  return !session.accessToken() || (expiresAt > 0 && Date.now() >= expiresAt - margin());
}

/** Keep a reply's tokens and plan a renewal before expiry (an idle screen keeps its session too; a phone
 * that slept through the timer renews on its next call, see `request`). */
function keep(tokens) {
  session.save(tokens);
  clearTimeout(renewal);
  try {
    const { exp, iat } = claims(tokens.access_token);
    lifetimeMs = Math.max((exp - iat) * 1000, 0);
    expiresAt = Date.now() + lifetimeMs;
    renewal = setTimeout(() => { if (session.user()) refreshAccess(); }, Math.max(lifetimeMs - margin(), 1000));
  } catch { expiresAt = 0; lifetimeMs = 0; /* no expiry to plan for: the 401 path refreshes */ }
}

/** Trade the refresh cookie for a new access token, once for all concurrent callers (single flight):
 * true when renewed; false when offline (the session stays) or signed out (the app shows the login). */
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

const signedOut = () => new ApiError({ status: 401, code: 'signed_out', message: 'signed out; sign in again' });

/** The headers of a write sent once more with the same key. `Idempotency-Attempt: 1` tells the server the key was
 * never sent before, so a refusal need not look up a stored reply (a full window costs it no round trip); a
 * second send must never say 1, or a reply it should get again could be refused. */
function sentAgain(headers) {
  const attempt = Number(headers['Idempotency-Attempt']);
  return attempt ? { ...headers, 'Idempotency-Attempt': String(attempt + 1) } : headers;
}

/** Every call goes through here: renew an expiring token first, and renew once more and retry on a 401
 * token_expired (a token that ran out in flight); a session that cannot be renewed ends in the login. */
async function request(method, path, body, headers = {}, options = {}) {
  if (session.user() && expiring() && !(await refreshAccess()) && !session.user()) throw signedOut();
  try {
    return await rawFetch(method, path, body, headers, options);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && e.code === 'token_expired') {
      if (await refreshAccess()) return rawFetch(method, path, body, sentAgain(headers), options);
      if (!session.user()) throw signedOut();
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
  /** A polling GET: with the last ETag, resolves {changed: false} on 304, else {changed: true, data, etag}. */
  poll: (path, etag) => request('GET', path, null, etag ? { 'If-None-Match': etag } : {}, { conditional: true }),
  /** A write with its Idempotency-Key: a fresh one (this is its first send) unless given, with `attempt`, how
   * many times that key has been sent counting this one (see sentAgain). Prefer ctx.write (the outbox). */
  send: (method, path, body, { idempotencyKey, attempt } = {}) =>
    request(method, path, body, idempotencyKey
      ? { 'Idempotency-Key': idempotencyKey, ...(attempt ? { 'Idempotency-Attempt': String(attempt) } : {}) }
      : { 'Idempotency-Key': crypto.randomUUID(), 'Idempotency-Attempt': '1' }),
  /** Sign in: the access token is kept in memory, the refresh token arrives as an HttpOnly cookie. */
  async login(phone, password) {
    const tokens = await rawFetch('POST', '/api/auth/login', { phone, password }, {});
    keep(tokens);
    return tokens.user;
  },
  /** Ask for an SMS code (purpose 'register' or 'reset'); the server answers the same for any number. */
  requestCode: (purpose, phone) => rawFetch('POST', '/api/auth/otp', { purpose, phone },
    { 'Idempotency-Key': crypto.randomUUID() }),
  /** Create an account with the SMS code, then sign in; one joining a carrier resolves {pending: user} instead
   * (it may sign in once the carrier approves). */
  async register({ phone, otp, password, name, role = 'buyer', invite_code = null }) {
    const body = { phone, otp, password, name, role };
    if (invite_code) body.invite_code = invite_code;
    const user = await rawFetch('POST', '/api/auth/register', body, { 'Idempotency-Key': crypto.randomUUID() });
    if (user && user.status === 'pending') return { pending: user };
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
    expiresAt = 0;
    session.clear('logout');
  },
};

// A reload starts without an access token: fetch one from the cookie now, before the first screen asks.
if (session.user()) restore();
