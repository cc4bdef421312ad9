// Buyer: my orders with their status; cancel while no truck has loaded.
import { catalogueNames } from '../../lib/catalogue.js';
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';
import { yuan } from './order.js';

const MESSAGES = {
  zh: {
    'orders.title': '我的订单', 'orders.none': '还没有订单', 'orders.cancel': '取消订单', 'orders.cancelled': '已取消',
    'orders.total': '合计 ¥{yuan}', 'orders.tonnes': '{t} 吨',
    'state.open': '待接单', 'state.assigned': '已派车', 'state.booked': '已预约', 'state.checked_in': '已签到',
    'state.called': '已叫号', 'state.entered': '已入场', 'state.tare_weighed': '已称皮重', 'state.gross_weighed': '已称毛重',
    'state.released': '已放行', 'state.in_transit': '运输中', 'state.arrived': '已到达', 'state.unloaded': '已卸货',
    'state.confirmed': '已确认', 'state.settled': '已结算', 'state.cancelled': '已取消', 'state.expired': '已过期',
    'state.held': '暂扣', 'state.disputed': '有争议',
  },
  en: {
    'orders.title': 'My orders', 'orders.none': 'No orders yet', 'orders.cancel': 'Cancel order', 'orders.cancelled': 'Cancelled',
    'orders.total': 'Total ¥{yuan}', 'orders.tonnes': '{t} t',
    'state.open': 'Waiting for a truck', 'state.assigned': 'Truck assigned', 'state.booked': 'Slot booked',
    'state.checked_in': 'Checked in', 'state.called': 'Called', 'state.entered': 'At the gate', 'state.tare_weighed': 'Tare weighed',
    'state.gross_weighed': 'Loaded', 'state.released': 'Released', 'state.in_transit': 'In transit', 'state.arrived': 'Arrived',
    'state.unloaded': 'Unloaded', 'state.confirmed': 'Confirmed', 'state.settled': 'Settled', 'state.cancelled': 'Cancelled',
    'state.expired': 'Expired', 'state.held': 'Held', 'state.disputed': 'Disputed',
  },
};

export { MESSAGES as STATE_MESSAGES };

export function render(root, { api, write, t, addMessages, toast, user }) {
  addMessages(MESSAGES);
  const section = h('section', { class: 'card', 'aria-labelledby': 'orders-h' });
  root.append(section);
  let alive = true;
  async function refresh() {
    const [data, names] = await Promise.all([api.get('/api/waybills?limit=50').catch(() => ({ items: [] })), catalogueNames(api)]);
    if (!alive) return;
    fill(section, h('h2', { id: 'orders-h' }, t('orders.title')), list(data.items, (w) => {
      const quote = (w.extra && w.extra.quote) || {};
      const mayCancel = ['open', 'assigned'].includes(w.state) && (w.extra || {}).ordered_by === user.id;
      return h('div', { class: 'row order', dataset: { id: w.id, state: w.state } },
        h('strong', {}, `${names.load(w)} · ${t('orders.tonnes', { t: w.tonnage_kg / 1000 })}`),
        h('span', { class: 'tag state' }, t(`state.${w.state}`)),
        quote.total_fen ? h('span', {}, t('orders.total', { yuan: yuan(quote.total_fen) })) : null,
        w.plate ? h('span', { class: 'plate' }, w.plate) : null,
        mayCancel ? h('button', { type: 'button', onclick: async () => {
          await write('POST', `/api/orders/${w.id}/cancel`, {}, t('orders.cancel')).then(() => toast(t('orders.cancelled')), (e) => toast(e.message));
          refresh();
        } }, t('orders.cancel')) : null);
    }, { empty: t('orders.none') }));
  }
  refresh();
  const timer = setInterval(refresh, 15000);
  return () => { alive = false; clearInterval(timer); root.replaceChildren(); };
}
