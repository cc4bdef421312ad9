// The top bar's online/offline indicator.
import { h } from './dom.js';

export function connectionIndicator(t) {
  const el = h('span', { class: 'conn', role: 'status' });
  const update = () => {
    const online = navigator.onLine;
    el.className = `conn ${online ? 'conn-online' : 'conn-offline'}`;
    el.textContent = online ? t('online') : t('offline');
    el.dataset.online = String(online);
  };
  update();
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  return { el, update, stop: () => { window.removeEventListener('online', update); window.removeEventListener('offline', update); } };
}
