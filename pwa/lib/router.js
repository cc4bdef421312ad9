// Hash routes: #/<screen-id>?k=v. Hash routing needs no server rewrite and works from the SW cache.

/** The current route as {id, params}. */
export function current() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [id, query = ''] = raw.split('?');
  return { id: decodeURIComponent(id || 'home'), params: Object.fromEntries(new URLSearchParams(query)) };
}

export function href(id, params = {}) {
  const query = new URLSearchParams(params).toString();
  return `#/${encodeURIComponent(id)}${query ? `?${query}` : ''}`;
}

export function navigate(id, params = {}) {
  location.hash = href(id, params);
}

/** Call fn(route) on every hash change; returns the unsubscribe function. */
export function onRoute(fn) {
  const handler = () => fn(current());
  window.addEventListener('hashchange', handler);
  return () => window.removeEventListener('hashchange', handler);
}
