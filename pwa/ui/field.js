// A labelled input with its own error line (aria-describedby), for forms that show details.fields.
import { h } from './dom.js';

let counter = 0;

/** Returns {el, input, setError(msg|null)}. `attrs` go on the input (type, required, inputmode...). */
export function field({ name, label, value = '', attrs = {}, options = null }) {
  const id = `f-${name}-${++counter}`;
  const errorId = `${id}-error`;
  const input = options
    ? h('select', { id, name, 'aria-describedby': errorId, ...attrs },
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)))
    : h('input', { id, name, value, 'aria-describedby': errorId, ...attrs });
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const el = h('div', { class: 'field' }, h('label', { for: id }, label), input, error);
  function setError(message) {
    error.textContent = message || '';
    error.hidden = !message;
    input.toggleAttribute('aria-invalid', Boolean(message));
  }
  return { el, input, setError };
}
