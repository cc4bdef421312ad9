// The driver's holds (and why) and weigh tickets, per waybill at the gate.
import { fill, h } from '../../ui/dom.js';
import { ticketCard } from '../../ui/ticket.js';

const MESSAGES = {
  zh: { 'dt.none': '暂无磅单或扣车', 'dt.held': '已被扣车', 'dt.reason': '原因', 'dt.ask_gate': '请联系门岗处理' },
  en: { 'dt.none': 'No weigh tickets or holds', 'dt.held': 'Held at the gate', 'dt.reason': 'Reason', 'dt.ask_gate': 'Please see the gate staff' },
};
const AT_GATE = ['held', 'entered', 'tare_weighed', 'gross_weighed', 'released', 'in_transit', 'arrived', 'unloaded'];

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const body = h('div', { class: 'driver-tickets', 'aria-live': 'polite' });
  root.append(h('section', { class: 'screen driver-tickets-screen' }, body));
  let closed = false;
  (async () => {
    const reply = await ctx.api.get('/api/waybills?limit=20').catch(() => ({ items: [] }));
    const waybills = reply.items.filter((w) => AT_GATE.includes(w.state));
    const cards = await Promise.all(waybills.map(async (w) => {
      const tickets = await ctx.api.get(`/api/gate/tickets?waybill_id=${encodeURIComponent(w.id)}`).catch(() => ({ items: [] }));
      return h('article', { class: 'waybill-tickets', 'data-waybill-id': w.id },
        h('h3', {}, `${w.plate || ''} · ${w.id}`),
        w.state === 'held' ? h('div', { class: 'hold-notice', role: 'alert' }, h('strong', {}, t('dt.held')),
          h('p', {}, `${t('dt.reason')}: ${w.hold_reason || ''}`), h('p', {}, t('dt.ask_gate'))) : null,
        tickets.items.map(ticketCard));
    }));
    if (!closed) fill(body, cards.length ? cards : h('p', { class: 'empty' }, t('dt.none')));
  })();
  return () => { closed = true; };
}
