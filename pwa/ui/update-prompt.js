// "Update available — reload" when a new service worker is waiting (squoosh style).
import { h } from './dom.js';

/** Show the prompt; onReload is called when the user accepts. Returns the element. */
export function showUpdatePrompt({ text, action, onReload }) {
  document.querySelector('.update-prompt')?.remove();
  const button = h('button', { type: 'button', class: 'primary' }, action);
  const box = h('div', { class: 'update-prompt', role: 'alert' }, h('span', {}, text), button);
  button.addEventListener('click', () => { button.disabled = true; onReload(); });
  document.body.append(box);
  return box;
}
