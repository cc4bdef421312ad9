// Weigh tickets at this mine: tare, gross, net, and what a held weighing was checked against.
import { tonnes } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';
import { ticketCard } from '../../ui/ticket.js';

const MESSAGES = {
  zh: { 'wt.title': '磅单', 'wt.none': '暂无磅单', 'wt.superseded': '已退回复磅，不再计数（需卸 {tonnes} 吨）' },
  en: { 'wt.title': 'Weigh tickets', 'wt.none': 'No weigh tickets', 'wt.superseded': 'Sent back to re-weigh; no longer counts (unload {tonnes} t)' },
};

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const body = h('div', { class: 'tickets-body' });
  root.append(h('section', { class: 'screen tickets-screen' }, h('h2', {}, t('wt.title')), body));
  let closed = false;
  ctx.api.get('/api/gate/tickets?limit=50').then((reply) => {
    // A gross sent back to re-weigh stays on the list, marked: the later gross is the one that counts.
    const row = (w) => (w.superseded_at ? h('div', { class: 'superseded' },
      h('p', { class: 'muted' }, t('wt.superseded', { tonnes: tonnes(w.surplus_kg, 1) })), ticketCard(w)) : ticketCard(w));
    if (!closed) fill(body, list(reply.items, row, { empty: t('wt.none') }));
  }).catch(() => {});
  return () => { closed = true; };
}
