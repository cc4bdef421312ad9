// Lists that refresh by themselves where people wait on them (gate alerts and holds, carrier and shipper loads).
// A reading with an ETag costs a 304 and no body when nothing changed (api.poll); polling pauses while the
// page is hidden (a phone in a pocket) and catches up at once when it shows again. The screen's cleanup calls
// stop(): a screen left must never keep polling.
export const EVERY_MS = 15000;

/** Call `tick()` now and every `every` ms while the page is visible; returns {stop, now}. */
export function repeat(tick, { every = EVERY_MS } = {}) {
  let timer = null;
  let stopped = false;
  let running = false;
  const schedule = () => { clearTimeout(timer); if (!stopped) timer = setTimeout(run, every); };
  async function run() {
    if (stopped || running) return;
    if (document.hidden) { schedule(); return; }
    running = true;
    try { await tick(); } catch { /* the screen shows its own error; the next tick tries again */ }
    running = false;
    schedule();
  }
  const onVisible = () => { if (!document.hidden) { clearTimeout(timer); run(); } };
  document.addEventListener('visibilitychange', onVisible);
  run();
  return {
    stop() { stopped = true; clearTimeout(timer); document.removeEventListener('visibilitychange', onVisible); },
    now() { clearTimeout(timer); return run(); },
  };
}

/** True while the person types or picks inside `root`: a redraw then would wipe what they are entering. */
export function typingIn(root) {
  const el = document.activeElement;
  return Boolean(el && root.contains(el) && ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName));
}

/** Poll `path` (a string or a function giving one) with its ETag; `onData(data)` only when it changed (by ETag,
 * or by content where the server sends none), and not while `hold()` says the person is busy in the list. */
export function pollList(api, path, onData, { every = EVERY_MS, onError, hold = () => false } = {}) {
  let etag = null;
  let last = null;
  let shown = null;
  return repeat(async () => {
    const url = typeof path === 'function' ? path() : path;
    if (url !== last) { etag = null; shown = null; last = url; } // another filter: its own copy
    if (shown !== null && hold()) return; // the next tick looks again
    try {
      const reply = await api.poll(url, etag);
      if (!reply.changed) return;
      const text = JSON.stringify(reply.data);
      if (text === shown) return;
      await onData(reply.data);
      etag = reply.etag || null;
      shown = text;
    } catch (error) {
      if (onError) onError(error);
    }
  }, { every });
}
