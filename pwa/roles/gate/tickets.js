// Weigh tickets at this mine: tare, gross, net, and what a held weighing was checked against.
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';

export const TICKET_MESSAGES = {
  zh: { 'wt.title': '磅单', 'wt.none': '暂无磅单', 'wt.tare': '皮重', 'wt.gross': '毛重', 'wt.net': '净重', 'wt.held': '异常扣车', 'wt.axles': '轴' },
  en: { 'wt.title': 'Weigh tickets', 'wt.none': 'No weigh tickets', 'wt.tare': 'Tare', 'wt.gross': 'Gross', 'wt.net': 'Net', 'wt.held': 'Held', 'wt.axles': 'axles' },
};
const tonnes = (kg) => (kg == null ? '–' : `${(kg / 1000).toFixed(2)} t`);

/** One ticket as a card (shared with the driver's screen). */
export function ticketCard(t, w) {
  return h('div', { class: `ticket ${w.held ? 'held' : ''}`, 'data-ticket-id': w.id },
    h('strong', {}, `${w.plate || ''} · ${t(`wt.${w.kind}`)} ${tonnes(w.kg)}`),
    w.kind === 'gross' ? h('p', {}, `${t('wt.tare')} ${tonnes(w.tare_kg)} · ${t('wt.net')} ${tonnes(w.net_kg)}`) : null,
    h('p', {}, `${new Date(w.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}${w.axles ? ` · ${w.axles} ${t('wt.axles')}` : ''}`),
    w.held ? h('p', { class: 'ticket-problems' }, `${t('wt.held')}: ${(w.problems || []).map((p) => p.message).join('; ')}`) : null);
}

export function render(root, ctx) {
  ctx.addMessages(TICKET_MESSAGES);
  const { t } = ctx;
  const body = h('div', { class: 'tickets-body' });
  root.append(h('section', { class: 'screen tickets-screen' }, h('h2', {}, t('wt.title')), body));
  let closed = false;
  ctx.api.get('/api/gate/tickets?limit=50').then((reply) => {
    if (!closed) fill(body, list(reply.items, (w) => ticketCard(t, w), { empty: t('wt.none') }));
  }).catch(() => {});
  return () => { closed = true; };
}
