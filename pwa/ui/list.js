// A plain list with an empty message: list(items, renderItem, {empty}).
import { h } from './dom.js';

export function list(items, renderItem, { empty = '', className = 'list' } = {}) {
  if (!items.length) return h('p', { class: 'empty' }, empty);
  return h('ul', { class: className }, items.map((item) => h('li', {}, renderItem(item))));
}
