// Buyer: my orders with their number, date, destination, status and payment (待支付 → pay on the provider's page);
// cancel before loading; a tap on an order opens its detail (timeline, map, ticket, receipt).
import { catalogueNames } from '../../lib/catalogue.js';
import { shanghaiDate, tonnes, yuan } from '../../lib/format.js';
import { qrSvg } from '../../lib/qr.js';
import { stateName } from '../../lib/waybill-words.js';
import { confirmed } from '../../ui/confirm.js';
import { fill, h } from '../../ui/dom.js';
import { fenceEditor } from '../../ui/fence-editor.js';
import { list } from '../../ui/list.js';

const MESSAGES = {
  zh: {
    'orders.title': '我的订单', 'orders.none': '还没有订单', 'orders.cancel': '取消订单', 'orders.cancelled': '已取消',
    'orders.total': '合计 ¥{yuan}',
    'orders.pay': '支付', 'orders.pay.awaiting_payment': '待支付', 'orders.pay.paying': '支付中', 'orders.pay.paid': '已支付',
    'orders.pay.refunding': '退款中', 'orders.pay.refunded': '已退款', 'orders.pay.expired': '超时未付',
    'orders.pay.cancelled': '已关闭', 'orders.pay.queued': '联网后再支付',
    'orders.scan.title': '微信扫码支付', 'orders.scan.hint': '用另一台手机的微信扫一扫，付款 {yuan}；付款后此处自动更新。',
    'orders.scan.close': '关闭',
    'orders.no': '订单号 {no}', 'orders.ordered': '下单 {date}', 'orders.wanted': '要货 {date}', 'orders.to': '送至 {place}',
    'orders.detail': '详情', 'orders.cancel_q': '取消订单 {no}？煤会退回矿上，已付的款原路退回。',
  },
  en: {
    'orders.title': 'My orders', 'orders.none': 'No orders yet', 'orders.cancel': 'Cancel order', 'orders.cancelled': 'Cancelled',
    'orders.total': 'Total ¥{yuan}',
    'orders.pay': 'Pay', 'orders.pay.awaiting_payment': 'Awaiting payment', 'orders.pay.paying': 'Paying', 'orders.pay.paid': 'Paid',
    'orders.pay.refunding': 'Refunding', 'orders.pay.refunded': 'Refunded', 'orders.pay.expired': 'Not paid in time',
    'orders.pay.cancelled': 'Closed', 'orders.pay.queued': 'Pay again when online',
    'orders.scan.title': 'Scan with WeChat to pay', 'orders.scan.hint': 'Scan with WeChat on another phone and pay {yuan}; this page updates once paid.',
    'orders.scan.close': 'Close',
    'orders.no': 'Order {no}', 'orders.ordered': 'Ordered {date}', 'orders.wanted': 'Wanted {date}', 'orders.to': 'To {place}',
    'orders.detail': 'Details', 'orders.cancel_q': 'Cancel order {no}? The coal goes back to the mine; a payment is refunded.',
  },
};

// What was delivered and what it costs (issue 20).
const DELIVERY_MESSAGES = {
  zh: {
    'orders.loaded': '实装 {t} 吨 · 按实装计 ¥{yuan}', 'orders.received': '实收 {t} 吨',
  },
  en: {
    'orders.loaded': 'Loaded {t} t · ¥{yuan} at the loaded weight', 'orders.received': 'Received {t} t',
  },
};
const halfUp = (numerator, denominator) => Math.floor((2 * numerator + denominator) / (2 * denominator));

/** The number people quote on the phone: the order's day and the waybill's last four characters (20261130-7F3A). */
export function orderNumber(w) {
  return `${shanghaiDate(w.created_at).replaceAll('-', '')}-${w.id.slice(-4).toUpperCase()}`;
}

/** What a weighed load costs: coal and freight per tonne on the net the weighbridge counted, rounded as the quote is. */
export function loadedFen(w) {
  return halfUp((w.price_fen_per_t || 0) * w.net_kg, 1000) + halfUp((w.freight_fen_per_t || 0) * w.net_kg, 1000);
}

export function render(root, { api, write, t, addMessages, toast, user }) {
  addMessages(MESSAGES);
  addMessages(DELIVERY_MESSAGES);
  const section = h('section', { class: 'card', 'aria-labelledby': 'orders-h' });
  root.append(section);
  let alive = true;
  let scan = null; // {id, url, fen}: a WeChat Native code_url shown as a QR code until the order is paid
  async function refresh() {
    const [data, names] = await Promise.all([api.get('/api/waybills?limit=50').catch(() => ({ items: [] })), catalogueNames(api)]);
    // A buyer's own retail order is paid before it reaches the hall: its payment decides what the row offers.
    const payments = new Map(await Promise.all(data.items
      .filter((w) => w.kind === 'retail' && w.ordered_by === user.id && ['open', 'cancelled', 'expired'].includes(w.state))
      .map((w) => api.get(`/api/payments/${w.id}`).then((p) => [w.id, p], () => [w.id, null]))));
    if (!alive) return;
    if (scan && payments.has(scan.id) && payments.get(scan.id)?.status !== 'paying') scan = null; // paid or closed
    fill(section, h('h2', { id: 'orders-h' }, t('orders.title')), scanPanel(), list(data.items, (w) => {
      const quote = w.quote || {};
      const mayCancel = ['open', 'assigned'].includes(w.state) && w.ordered_by === user.id;
      const detail = `#/track?waybill=${encodeURIComponent(w.id)}`;
      return h('div', { class: 'row order', dataset: { id: w.id, state: w.state } },
        h('a', { class: 'order-link', href: detail }, h('span', { class: 'order-no' }, t('orders.no', { no: orderNumber(w) })), ' · ',
          h('strong', {}, `${names.load(w)} · ${t('unit.tonnes', { value: w.tonnage_kg / 1000 })}`)),
        h('span', { class: 'tag state' }, stateName(w.state)),
        h('span', { class: 'order-dates muted' }, t('orders.ordered', { date: shanghaiDate(w.created_at) }),
          w.wanted_date ? ` · ${t('orders.wanted', { date: w.wanted_date })}` : ''),
        w.destination && w.destination.address ? h('span', { class: 'order-to' }, t('orders.to', { place: w.destination.address })) : null,
        // Once weighed, the load is what the weighbridge counted and costs that, not the ordered tonnage.
        w.net_kg != null ? h('span', { class: 'loaded' }, t('orders.loaded', { t: tonnes(w.net_kg), yuan: yuan(loadedFen(w)) }))
          : (quote.total_fen ? h('span', {}, t('orders.total', { yuan: yuan(quote.total_fen) })) : null),
        w.received_kg != null ? h('span', { class: 'received' }, t('orders.received', { t: tonnes(w.received_kg) })) : null,
        fenceEditor(w, { write, toast, onSaved: refresh }),
        w.plate ? h('span', { class: 'plate' }, w.plate) : null,
        payTag(payments.get(w.id)),
        payButton(w, payments.get(w.id)),
        mayCancel ? h('button', { type: 'button', class: 'order-cancel', onclick: confirmed(t('orders.cancel_q', { no: orderNumber(w) }), async () => {
          await write('POST', `/api/orders/${w.id}/cancel`, {}, t('orders.cancel')).then(() => toast(t('orders.cancelled')), (e) => toast(e.message));
          refresh();
        }, { yes: t('orders.cancel') }) }, t('orders.cancel')) : null,
        h('a', { class: 'button order-detail', href: detail }, `${t('orders.detail')} ›`));
    }, { empty: t('orders.none') }));
  }
  function payTag(payment) {
    return payment ? h('span', { class: 'tag payment', dataset: { status: payment.status } }, t(`orders.pay.${payment.status}`)) : null;
  }
  function payButton(w, payment) {
    if (!payment || !['awaiting_payment', 'paying'].includes(payment.status)) return null;
    return h('button', { type: 'button', class: 'primary pay', onclick: async () => {
      // The provider's hosted page (the local sandbox when run locally); it sends the buyer back here.
      const result = await write('POST', `/api/payments/${w.id}`, {}, t('orders.pay')).catch((e) => toast(e.message));
      const url = result && result.data && result.data.pay_url;
      // WeChat Pay Native answers a code_url (weixin://...) to be scanned, not a page to open.
      if (url && url.startsWith('weixin://')) { scan = { id: w.id, url, fen: result.data.amount_fen }; refresh(); }
      else if (url) window.location.assign(url);
      else if (result && result.queued) toast(t('orders.pay.queued'));
    } }, t('orders.pay'));
  }
  function scanPanel() {
    if (!scan) return null;
    return h('div', { class: 'card pay-scan', dataset: { id: scan.id } },
      h('h3', {}, t('orders.scan.title')),
      qrSvg(scan.url, { label: t('orders.scan.title') }),
      h('p', {}, t('orders.scan.hint', { yuan: yuan(scan.fen || 0) })),
      h('button', { type: 'button', onclick: () => { scan = null; refresh(); } }, t('orders.scan.close')));
  }
  refresh();
  const timer = setInterval(refresh, 15000);
  return () => { alive = false; clearInterval(timer); root.replaceChildren(); };
}
