// The signed-in session. The access token (10 minutes) lives in memory only: script injected into the page
// could read storage, and a reload simply asks for a new one. The refresh token never reaches script at all:
// it is an HttpOnly cookie the server sets on /api/auth and rotates on every refresh (lib/api.js restores the
// access token from it at start-up). Only the public profile is kept in localStorage, so an offline start still
// opens the right role's screens.
const USER_KEY = 'ch.user';
const OLD_KEYS = ['ch.access', 'ch.refresh']; // tokens an earlier version kept in storage: never again
OLD_KEYS.forEach((k) => localStorage.removeItem(k));
let access = null;
export const events = new EventTarget();

export const accessToken = () => access;

/** The signed-in user ({id, name, role, org_id, mine_id, ...}) or null. */
export function user() {
  try { return JSON.parse(localStorage.getItem(USER_KEY) || 'null'); } catch { return null; }
}

/** Keep the reply of a sign-in or refresh: the access token in memory, the public user in storage. */
export function save({ access_token, user: who }) {
  if (access_token) access = access_token;
  if (who) localStorage.setItem(USER_KEY, JSON.stringify(who));
}

/** Forget everything; `reason` is 'logout' or 'expired'. */
export function clear(reason) {
  access = null;
  localStorage.removeItem(USER_KEY);
  events.dispatchEvent(new CustomEvent('signedout', { detail: reason }));
}
