// A count bubble that hides itself at zero (the pending-writes badge).
import { h } from './dom.js';

export function badge({ label, className = 'badge' }) {
  const el = h('span', { class: className, hidden: true, 'aria-live': 'polite' });
  function set(count) {
    el.hidden = !count;
    el.textContent = String(count);
    el.dataset.count = String(count);
    el.setAttribute('aria-label', label(count));
  }
  return { el, set };
}
