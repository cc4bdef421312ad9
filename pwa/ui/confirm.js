// A small confirmation before an action that cannot be taken back (cancel, give back, close a window, disable):
// one tap too many is cheap, a load cancelled by a thumb in a moving cab is not. A native <dialog> (focus kept
// inside, Esc and the back button answer "no"); the question names what will happen.
import { addMessages, t } from '../lib/i18n.js';
import { h } from './dom.js';

addMessages({
  zh: { 'confirm.yes': '确定', 'confirm.no': '再想想' },
  en: { 'confirm.yes': 'Yes, go ahead', 'confirm.no': 'Not now' },
});

let serial = 0;

/** Ask `question`; resolves true only when the person taps the confirming button (`yes`, default 确定). */
export function confirmAction(question, { yes, no, detail } = {}) {
  const id = `confirm-${++serial}`;
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': `${id}-q`, dataset: { confirm: id } },
      h('form', { method: 'dialog' },
        h('p', { id: `${id}-q`, class: 'question' }, question),
        detail ? h('p', { class: 'hint' }, detail) : null,
        h('div', { class: 'actions' },
          h('button', { type: 'submit', value: 'no', class: 'secondary', autofocus: true }, no || t('confirm.no')),
          h('button', { type: 'submit', value: 'yes', class: 'danger' }, yes || t('confirm.yes')))));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'yes'); });
    document.body.append(dialog);
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else resolve(window.confirm(question)); // very old WebViews: the browser's own box still asks
  });
}

/** `action` runs only after a yes; the click handler form screens use: onclick: confirmed(question, () => ...). */
export function confirmed(question, action, options) {
  return async () => { if (await confirmAction(question, options)) return action(); return undefined; };
}
