// Shipper: loads in progress — every load of the company (bulk loads and customers' orders of the coal it sells),
// what it weighed and what it costs, its carrier (a decline is shown, with what to do next), tracking a tap away.
// The list refreshes by itself while the screen is open (ETag polling); cancelling asks first.
import { catalogueNames } from '../../lib/catalogue.js';
import { companyNames } from '../../lib/companies.js';
import { pollList, typingIn } from '../../lib/refresh.js';
import { weight, yuan } from '../../lib/format.js';
import { entrustName, stateName } from '../../lib/waybill-words.js';
import { confirmAction } from '../../ui/confirm.js';
import { fill, h } from '../../ui/dom.js';
import { fenceEditor } from '../../ui/fence-editor.js';
import { list } from '../../ui/list.js';
import { carriersWithGrades, MESSAGES as COMMON, tabs } from './common.js';

const MESSAGES = {
  zh: { 'sl.loads': '在途运单', 'sl.none': '暂无运单', 'sl.publish': '发布到大厅', 'sl.cancel': '取消运单', 'sl.hall': '在货源大厅',
    'sl.loaded': '装车 {w}', 'sl.planned': '计划 {w}', 'sl.cost': '货款+运费 ¥{yuan}', 'sl.cost_est': '预计 ¥{yuan}',
    'sl.to': '送往 {place}', 'sl.day': '装车日 {date}', 'sl.customer': '客户订单', 'sl.track': '跟踪',
    'sl.declined': '{carrier} 拒绝了委托：请改派或发布到大厅', 'sl.declined_anon': '承运商拒绝了委托：请改派或发布到大厅',
    'sl.entrust_to': '改派给', 'sl.entrust': '委托', 'sl.rate': '运价（元/吨）',
    'sl.cancel_q': '取消这张运单？煤量会退回配额，已派的司机会收到通知。', 'sl.cancelled': '已取消', 'sl.done': '已提交' },
  en: { 'sl.loads': 'Loads in progress', 'sl.none': 'No loads', 'sl.publish': 'Publish to the hall', 'sl.cancel': 'Cancel load',
    'sl.hall': 'In the order hall', 'sl.loaded': 'Loaded {w}', 'sl.planned': 'Planned {w}', 'sl.cost': 'Coal + freight ¥{yuan}',
    'sl.cost_est': 'About ¥{yuan}', 'sl.to': 'To {place}', 'sl.day': 'Loading day {date}', 'sl.customer': "Customer's order",
    'sl.track': 'Track', 'sl.declined': '{carrier} declined: entrust another carrier or publish it',
    'sl.declined_anon': 'The carrier declined: entrust another carrier or publish it', 'sl.entrust_to': 'Entrust to',
    'sl.entrust': 'Entrust', 'sl.rate': 'Freight (CNY/t)',
    'sl.cancel_q': 'Cancel this load? The coal goes back to your allocation and an assigned driver is told.',
    'sl.cancelled': 'Cancelled', 'sl.done': 'Sent' },
};
const LIVE = ['open', 'assigned', 'booked', 'checked_in', 'called', 'entered', 'tare_weighed', 'gross_weighed', 'released',
  'in_transit', 'arrived', 'unloaded', 'held', 'disputed'];

/** A customer's own order of the coal we sell: we see and track it; the buyer alone changes it. */
const boughtByBuyer = (w) => w.kind === 'retail' && w.ordered_by === w.buyer_id;

/** What the load costs (coal + freight), in fen: weighed when it has been, else as ordered. */
function cost(w) {
  if (w.kind === 'retail' && w.quote && !w.net_kg) return { fen: w.quote.total_fen, weighed: false };
  const kg = w.net_kg || w.tonnage_kg;
  return { fen: Math.round(((w.price_fen_per_t || 0) + (w.freight_fen_per_t || 0)) * kg / 1000), weighed: Boolean(w.net_kg) };
}

export function render(root, ctx) {
  const { api, write, t, addMessages, toast } = ctx;
  addMessages(COMMON);
  addMessages(MESSAGES);
  const section = h('section', { class: 'card', 'aria-labelledby': 'sl-loads', 'aria-live': 'polite' }, h('h2', { id: 'sl-loads' }, t('sl.loads')));
  root.append(tabs(t, 'shipper-loads'), section);
  let alive = true;
  let carriers = [];
  carriersWithGrades(api).then((items) => { carriers = items; });

  async function act(method, path, body, label) {
    try {
      const res = await write(method, path, body, label);
      toast(res.queued ? t('queued') : label);
    } catch (e) { toast(e.message); }
    document.activeElement?.blur?.(); // done with the form: the list may redraw now
    poller.now();
  }

  function nextSteps(w) {
    const rate = h('input', { type: 'number', name: 'freight_fen_per_t', min: 0.5, step: '0.5', value: '40', inputmode: 'decimal', 'aria-label': t('sl.rate') });
    const carrier = h('select', { name: 'carrier_id', 'aria-label': t('sl.entrust_to') },
      carriers.filter((c) => c.id !== w.declined_by).map((c) => h('option', { value: c.id }, c.name)));
    return h('div', { class: 'next-steps' },
      h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); act('POST', `/api/orders/loads/${w.id}/publish`, { freight_fen_per_t: Math.round(Number(rate.value) * 100) }, t('sl.publish')); } },
        rate, h('button', { type: 'submit' }, t('sl.publish'))),
      carriers.length ? h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); act('POST', `/api/orders/loads/${w.id}/entrust`, { carrier_id: carrier.value }, t('sl.entrust')); } },
        carrier, h('button', { type: 'submit' }, t('sl.entrust'))) : null);
  }

  function row(w, names, company) {
    const priced = cost(w);
    const declined = w.entrust_status === 'declined';
    const ours = !boughtByBuyer(w);
    return h('div', { class: 'row load', dataset: { id: w.id, state: w.state } },
      h('strong', {}, names.load(w)), h('span', { class: 'tag' }, stateName(w.state)),
      boughtByBuyer(w) ? h('span', { class: 'tag customer' }, t('sl.customer')) : null,
      h('span', { class: 'weight' }, w.net_kg ? t('sl.loaded', { w: weight(w.net_kg, 1) }) : t('sl.planned', { w: weight(w.tonnage_kg, 1) })),
      h('span', { class: 'cost' }, t(priced.weighed ? 'sl.cost' : 'sl.cost_est', { yuan: yuan(priced.fen) })),
      w.destination && w.destination.address ? h('span', {}, t('sl.to', { place: w.destination.address })) : null,
      w.wanted_date ? h('span', {}, t('sl.day', { date: w.wanted_date })) : null,
      w.carrier_id ? h('span', { class: 'carrier' }, `${company(w.carrier_id)} ${entrustName(w.entrust_status)}`) : null,
      w.in_hall ? h('span', {}, t('sl.hall')) : null,
      declined ? h('p', { class: 'warning declined', role: 'status' }, w.declined_by && company(w.declined_by)
        ? t('sl.declined', { carrier: company(w.declined_by) }) : t('sl.declined_anon')) : null,
      ours && w.state === 'open' && !w.in_hall && !(w.carrier_id && w.entrust_status !== 'declined') ? nextSteps(w) : null,
      ours ? fenceEditor(w, { write, toast, onSaved: () => poller.now() }) : null,
      h('a', { class: 'button', href: `#/track?waybill=${encodeURIComponent(w.id)}` }, t('sl.track')),
      ours && ['open', 'assigned'].includes(w.state) ? h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (await confirmAction(t('sl.cancel_q'), { yes: t('sl.cancel') })) act('POST', `/api/orders/${w.id}/cancel`, {}, t('sl.cancelled'));
      } }, t('sl.cancel')) : null);
  }

  async function show(data) {
    const items = (data.items || []).filter((w) => LIVE.includes(w.state));
    const [names, company] = await Promise.all([catalogueNames(api),
      companyNames(api, items.flatMap((w) => [w.carrier_id, w.declined_by]))]);
    if (!alive) return;
    fill(section, h('h2', { id: 'sl-loads' }, t('sl.loads')), list(items, (w) => row(w, names, company), { empty: t('sl.none') }));
  }
  const poller = pollList(api, '/api/waybills?limit=50', show, { hold: () => typingIn(section),
    onError: (e) => { if (alive && e.status !== 0) toast(e.message); } });
  return () => { alive = false; poller.stop(); root.replaceChildren(); };
}
