// Registers the service worker and asks before switching to a new version (never mid-task).
import { showUpdatePrompt } from '../ui/update-prompt.js';

/** Prompt when a new worker waits; on accept, tell it to take over, then reload once. */
export async function registerServiceWorker(t) {
  if (!('serviceWorker' in navigator)) return null;
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading || !window.__coalhaulUpdateAccepted) return; // first install: nothing to reload
    reloading = true;
    location.reload();
  });
  const prompt = (worker) => showUpdatePrompt({
    text: t('update_available'),
    action: t('reload'),
    onReload: () => { window.__coalhaulUpdateAccepted = true; worker.postMessage({ type: 'SKIP_WAITING' }); },
  });
  // Only an update (a page already controlled) is worth a prompt; a first install just takes over.
  if (registration.waiting && navigator.serviceWorker.controller) prompt(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) prompt(worker);
    });
  });
  return registration;
}
