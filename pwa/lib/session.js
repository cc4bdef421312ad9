// Tokens and the signed-in user, kept in localStorage so a reload (or offline start) stays signed in.
const KEYS = { access: 'ch.access', refresh: 'ch.refresh', user: 'ch.user' };
export const events = new EventTarget();

export const accessToken = () => localStorage.getItem(KEYS.access);
export const refreshToken = () => localStorage.getItem(KEYS.refresh);

/** The signed-in user ({id, name, role, org_id, mine_id, ...}) or null. */
export function user() {
  try { return JSON.parse(localStorage.getItem(KEYS.user) || 'null'); } catch { return null; }
}

/** Store the tokens of a login or refresh reply (refresh replies may omit the user). */
export function save({ access_token, refresh_token, user: who }) {
  if (access_token) localStorage.setItem(KEYS.access, access_token);
  if (refresh_token) localStorage.setItem(KEYS.refresh, refresh_token);
  if (who) localStorage.setItem(KEYS.user, JSON.stringify(who));
}

/** Forget everything; `reason` is 'logout' or 'expired'. */
export function clear(reason) {
  Object.values(KEYS).forEach((k) => localStorage.removeItem(k));
  events.dispatchEvent(new CustomEvent('signedout', { detail: reason }));
}
