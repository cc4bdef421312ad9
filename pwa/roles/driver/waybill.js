// Driver: my current waybill — what, where, state, whom to call and how to get there, and give it back before booking.
import { catalogueNames } from '../../lib/catalogue.js';
import { stateName } from '../../lib/waybill-words.js';
import { confirmAction } from '../../ui/confirm.js';
import { callButtons, navButtons } from '../../ui/contact-buttons.js';
import { fill, h } from '../../ui/dom.js';
import { MESSAGES as GATE_MESSAGES, gateNotice } from './tickets.js';

const MESSAGES = {
  zh: { 'mywb.title': '我的运单', 'mywb.none': '当前没有运单，去货源大厅抢单吧', 'mywb.give_back': '退回此单',
    'mywb.give_back_q': '退回这车货？它会回到货源大厅（或承运商），别的司机可以接走。',
    'mywb.given_back': '已退回', 'mywb.to': '送往：{address}', 'mywb.plate': '车辆：{plate}', 'mywb.hall': '去货源大厅' },
  en: { 'mywb.title': 'My waybill', 'mywb.none': 'No active waybill — grab one in the order hall', 'mywb.give_back': 'Give it back',
    'mywb.give_back_q': 'Give this load back? It goes back to the hall (or the carrier) for another driver.',
    'mywb.given_back': 'Given back', 'mywb.to': 'To: {address}', 'mywb.plate': 'Truck: {plate}', 'mywb.hall': 'Order hall' },
};
const TO_MINE = ['assigned', 'booked', 'checked_in', 'called'];
const ACTIVE = ['assigned', 'booked', 'checked_in', 'called', 'entered', 'tare_weighed', 'gross_weighed', 'released', 'in_transit', 'arrived', 'held'];

export function render(root, { api, t, addMessages, toast, navigate }) {
  addMessages(MESSAGES);
  addMessages(GATE_MESSAGES);
  const card = h('section', { class: 'card', 'aria-labelledby': 'mywb-h', 'aria-live': 'polite' });
  root.append(card);
  let alive = true;
  let contacts = null; // read once per load: phones do not change while it is on the road
  async function refresh() {
    const [data, names] = await Promise.all([api.get('/api/waybills?limit=20').catch(() => ({ items: [] })), catalogueNames(api)]);
    if (!alive) return;
    const w = data.items.find((x) => ACTIVE.includes(x.state));
    if (!w) {
      fill(card, h('h2', { id: 'mywb-h' }, t('mywb.title')), h('p', {}, t('mywb.none')),
        h('button', { type: 'button', class: 'primary', onclick: () => navigate('hall') }, t('mywb.hall')));
      return;
    }
    // Held or sent back to re-weigh at the gate: say why and what to do, here too.
    const atBridge = ['held', 'tare_weighed'].includes(w.state)
      ? gateNotice(t, w, (await api.get(`/api/gate/tickets?waybill_id=${encodeURIComponent(w.id)}`).catch(() => ({ items: [] }))).items)
      : null;
    if (contacts?.waybill_id !== w.id) {
      contacts = await api.get(`/api/hall/${encodeURIComponent(w.id)}/contacts`).catch(() => null);
    }
    if (!alive) return;
    const toMine = TO_MINE.includes(w.state);
    const target = toMine ? contacts?.mine_point : (contacts?.destination_point || (w.destination || {}).point?.coordinates);
    fill(card, h('h2', { id: 'mywb-h' }, t('mywb.title')), atBridge,
      h('p', { class: 'waybill', dataset: { id: w.id, state: w.state } },
        h('strong', {}, `${names.load(w)} · ${t('unit.tonnes', { value: w.tonnage_kg / 1000 })}`), ' ',
        h('span', { class: 'tag state' }, stateName(w.state))),
      h('p', {}, t('mywb.to', { address: (w.destination || {}).address || '' })),
      h('p', {}, t('mywb.plate', { plate: w.plate || '' })),
      navButtons(target, toMine ? names.mine(w.mine_id) : (w.destination || {}).address || '', toMine ? 'mine' : 'destination'),
      callButtons(contacts, { first: w.state === 'held' ? 'gate' : null }),
      w.state === 'assigned' ? h('button', { type: 'button', class: 'danger', onclick: async () => {
        // A thumb in a moving cab must not give a load away: ask first, naming what happens to it.
        if (!(await confirmAction(t('mywb.give_back_q'), { yes: t('mywb.give_back') }))) return;
        try { await api.send('POST', `/api/hall/${w.id}/give-back`, {}); toast(t('mywb.given_back')); } catch (e) { toast(e.message); }
        refresh();
      } }, t('mywb.give_back')) : null);
  }
  refresh();
  const timer = setInterval(refresh, 15000);
  return () => { alive = false; clearInterval(timer); root.replaceChildren(); };
}
