// Weigh tickets at this mine: tare, gross, net, and what a held weighing was checked against.
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';
import { ticketCard } from '../../ui/ticket.js';

const MESSAGES = {
  zh: { 'wt.title': '磅单', 'wt.none': '暂无磅单' },
  en: { 'wt.title': 'Weigh tickets', 'wt.none': 'No weigh tickets' },
};

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const body = h('div', { class: 'tickets-body' });
  root.append(h('section', { class: 'screen tickets-screen' }, h('h2', {}, t('wt.title')), body));
  let closed = false;
  ctx.api.get('/api/gate/tickets?limit=50').then((reply) => {
    if (!closed) fill(body, list(reply.items, ticketCard, { empty: t('wt.none') }));
  }).catch(() => {});
  return () => { closed = true; };
}
