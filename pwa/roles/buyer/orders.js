// Buyer: my orders with their status; cancel while no truck has loaded.
import { catalogueNames } from '../../lib/catalogue.js';
import { yuan } from '../../lib/format.js';
import { stateName } from '../../lib/waybill-words.js';
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';

const MESSAGES = {
  zh: {
    'orders.title': '我的订单', 'orders.none': '还没有订单', 'orders.cancel': '取消订单', 'orders.cancelled': '已取消',
    'orders.total': '合计 ¥{yuan}',
  },
  en: {
    'orders.title': 'My orders', 'orders.none': 'No orders yet', 'orders.cancel': 'Cancel order', 'orders.cancelled': 'Cancelled',
    'orders.total': 'Total ¥{yuan}',
  },
};

export function render(root, { api, write, t, addMessages, toast, user }) {
  addMessages(MESSAGES);
  const section = h('section', { class: 'card', 'aria-labelledby': 'orders-h' });
  root.append(section);
  let alive = true;
  async function refresh() {
    const [data, names] = await Promise.all([api.get('/api/waybills?limit=50').catch(() => ({ items: [] })), catalogueNames(api)]);
    if (!alive) return;
    fill(section, h('h2', { id: 'orders-h' }, t('orders.title')), list(data.items, (w) => {
      const quote = w.quote || {};
      const mayCancel = ['open', 'assigned'].includes(w.state) && w.ordered_by === user.id;
      return h('div', { class: 'row order', dataset: { id: w.id, state: w.state } },
        h('strong', {}, `${names.load(w)} · ${t('unit.tonnes', { value: w.tonnage_kg / 1000 })}`),
        h('span', { class: 'tag state' }, stateName(w.state)),
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
