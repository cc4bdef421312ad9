// The driver's holds (and why) and weigh tickets, per waybill at the gate; a truck sent back to re-weigh is told
// how much to unload and why, and the ticket it replaces is marked as no longer counting.
import { tonnes } from '../../lib/format.js';
import { heldWords } from '../../lib/risk-words.js';
import { stateName } from '../../lib/waybill-words.js';
import { fill, h } from '../../ui/dom.js';
import { ticketCard } from '../../ui/ticket.js';

export const MESSAGES = {
  zh: { 'dt.none': '暂无磅单或扣车', 'dt.held': '已被扣车', 'dt.reason': '原因', 'dt.ask_gate': '请联系门岗处理',
    'dt.overweight': '称重超限：请在磅旁等候，门岗会安排卸货复磅',
    'dt.reweigh': '需复磅：请回装车区卸下约 {tonnes} 吨煤，再上磅称重', 'dt.superseded': '此磅单已作废，以复磅为准' },
  en: { 'dt.none': 'No weigh tickets or holds', 'dt.held': 'Held at the gate', 'dt.reason': 'Reason', 'dt.ask_gate': 'Please see the gate staff',
    'dt.overweight': 'Over the weight limit: wait by the weighbridge; the gate will send you back to unload',
    'dt.reweigh': 'Re-weigh: unload about {tonnes} t at the loading bay, then drive onto the weighbridge again',
    'dt.superseded': 'This ticket no longer counts: the re-weighing does' },
};
const AT_GATE = ['held', 'entered', 'tare_weighed', 'gross_weighed', 'released', 'in_transit', 'arrived', 'unloaded'];

/** What the driver must do now at the weighbridge, from the waybill and its tickets (null: nothing special). */
export function gateNotice(t, w, tickets) {
  const sentBack = [...tickets].reverse().find((x) => x.kind === 'gross' && x.superseded_at);
  const lastGross = [...tickets].reverse().find((x) => x.kind === 'gross');
  if (w.state === 'tare_weighed' && sentBack && lastGross === sentBack) {
    return h('div', { class: 'reweigh-notice', role: 'alert' }, h('strong', {}, t('dt.reweigh', { tonnes: tonnes(sentBack.surplus_kg, 1) })),
      h('p', {}, `${t('dt.reason')}: ${sentBack.reweigh_reason || ''}`));
  }
  if (w.state !== 'held') return null;
  const overweight = w.held_from === 'gross_weighed';
  return h('div', { class: 'hold-notice', role: 'alert' }, h('strong', {}, t('dt.held')),
    h('p', {}, `${t('dt.reason')}: ${heldWords(w.hold_reason)}`), h('p', {}, t(overweight ? 'dt.overweight' : 'dt.ask_gate')));
}

function ticketRow(t, ticket) {
  if (!ticket.superseded_at) return ticketCard(ticket);
  return h('div', { class: 'superseded' }, h('p', { class: 'muted' }, t('dt.superseded')), ticketCard(ticket));
}

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const body = h('div', { class: 'driver-tickets', 'aria-live': 'polite' });
  root.append(h('section', { class: 'screen driver-tickets-screen' }, body));
  let closed = false;
  async function load() {
    const reply = await ctx.api.get('/api/waybills?limit=20').catch(() => ({ items: [] }));
    const waybills = reply.items.filter((w) => AT_GATE.includes(w.state));
    const cards = await Promise.all(waybills.map(async (w) => {
      const tickets = await ctx.api.get(`/api/gate/tickets?waybill_id=${encodeURIComponent(w.id)}`).catch(() => ({ items: [] }));
      return h('article', { class: 'waybill-tickets', 'data-waybill-id': w.id },
        h('h3', {}, `${w.plate || ''} · ${stateName(w.state)}`), gateNotice(t, w, tickets.items),
        tickets.items.map((ticket) => ticketRow(t, ticket)));
    }));
    if (!closed) fill(body, cards.length ? cards : h('p', { class: 'empty' }, t('dt.none')));
  }
  load();
  // At the weighbridge things change by the minute (held, sent back, weighed again): keep the screen current.
  const timer = setInterval(load, 10000);
  return () => { closed = true; clearInterval(timer); };
}
