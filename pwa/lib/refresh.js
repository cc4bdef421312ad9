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

/** Poll `path` (a string or a function giving one) with its ETag; `onData(data)` only when it changed. */
export function pollList(api, path, onData, { every = EVERY_MS, onError } = {}) {
  let etag = null;
  let last = null;
  return repeat(async () => {
    const url = typeof path === 'function' ? path() : path;
    if (url !== last) { etag = null; last = url; } // another filter: its own copy
    try {
      const reply = await api.poll(url, etag);
      if (!reply.changed) return;
      etag = reply.etag || null;
      await onData(reply.data);
    } catch (error) {
      if (onError) onError(error);
    }
  }, { every });
}
