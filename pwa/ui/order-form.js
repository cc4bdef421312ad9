// The one-truckload order form (buyer; shipper for a buyer): the place picked, not typed in degrees; the quote
// comes by itself once mine, coal, tonnage and place are known, and 下单 is possible only with the quote for
// exactly what is on the form shown (the order carries its total: a changed price is refused by the server).
import { yuan } from '../lib/format.js';
import { addMessages, lang, t } from '../lib/i18n.js';
import { fill, h } from './dom.js';
import { field } from './field.js';
import { placePicker } from './place-picker.js';

addMessages({
  zh: {
    'order.title': '订煤（一车）', 'order.mine': '煤矿', 'order.product': '煤种', 'order.tonnes': '吨数（10–49 吨）',
    'order.date': '需要日期', 'order.quote': '报价', 'order.place': '下单', 'order.coal': '煤款',
    'order.freight': '运费（约 {km} 公里）', 'order.total': '合计', 'order.placed': '已下单，已发布到货源大厅',
    'order.available': '可售 {t} 吨', 'order.price': '{yuan} 元/吨', 'order.buyer_phone': '客户手机号（代客下单）',
    'order.quoting': '正在报价…', 'order.need_quote': '选好煤矿、吨数和送货地点后自动报价；看到报价才能下单',
    'order.quote_offline': '离线时无法报价：联网后再下单', 'order.price_changed': '价格已变化：这是新报价，确认后再点“下单”',
  },
  en: {
    'order.title': 'Order one truckload', 'order.mine': 'Mine', 'order.product': 'Coal', 'order.tonnes': 'Tonnes (10–49 t)',
    'order.date': 'Wanted date', 'order.quote': 'Get quote', 'order.place': 'Place order', 'order.coal': 'Coal',
    'order.freight': 'Freight (≈{km} km)', 'order.total': 'Total', 'order.placed': 'Ordered — published to the order hall',
    'order.available': '{t} t available', 'order.price': '{yuan} CNY/t', 'order.buyer_phone': "Customer's phone (ordering for)",
    'order.quoting': 'Getting a quote…', 'order.need_quote': 'The quote comes once mine, tonnage and place are chosen; you order at the price you see',
    'order.quote_offline': 'No quote while offline: order once back online', 'order.price_changed': 'The price changed: this is the new quote; tap "Place order" to accept it',
  },
});

/** The order form; shippers also name the buyer. Used by the buyer and the shipper screens. */
export function orderForm(root, ctx, { forBuyer = false } = {}) {
  const { api, write, toast } = ctx;
  const english = lang() === 'en';
  const out = h('div', { class: 'quote', 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('order.need_quote')));
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const f = {
    mine_id: field({ name: 'mine_id', label: t('order.mine'), options: [] }),
    product_id: field({ name: 'product_id', label: t('order.product'), options: [] }),
    tonnes: field({ name: 'tonnage_kg', label: t('order.tonnes'), value: '33', attrs: { type: 'number', inputmode: 'decimal', min: 10, max: 49, step: '0.5', required: true } }),
    date: field({ name: 'wanted_date', label: t('order.date'), attrs: { type: 'date' } }),
  };
  if (forBuyer) f.buyer_phone = field({ name: 'buyer_phone', label: t('order.buyer_phone'), attrs: { inputmode: 'tel', maxlength: 11 } });
  const picker = placePicker(ctx);
  let mines = [];
  let quoted = null; // {key, total_fen}: the quote on screen and the form it priced
  let timer = null; let asking = 0;
  const placeBtn = h('button', { type: 'submit', class: 'primary', disabled: true }, t('order.place'));

  const body = () => {
    const where = picker.value();
    if (!where) return null;
    const b = { mine_id: f.mine_id.input.value, product_id: f.product_id.input.value,
      tonnage_kg: Math.round(Number(f.tonnes.input.value) * 1000), destination: where };
    return b.mine_id && b.product_id && b.tonnage_kg ? b : null;
  };
  const keyOf = (b) => JSON.stringify(b);
  const showErrors = (err) => {
    Object.values(f).forEach((x) => x.setError(null));
    picker.setError(null);
    const fields = err.fieldErrors || {};
    for (const [name, msg] of Object.entries(fields)) {
      if (name === 'destination' || name === 'place_code' || name === 'point') picker.setError(msg);
      else if (name === 'address') picker.detailError(msg);
      else (f[name === 'tonnage_kg' ? 'tonnes' : name] || f.mine_id).setError(msg);
    }
    error.textContent = err.message; error.hidden = false;
  };
  const showQuote = (q, key) => {
    quoted = { key, total_fen: q.total_fen };
    fill(out, h('dl', {}, h('dt', {}, t('order.coal')), h('dd', {}, `¥${yuan(q.coal_fen)}`),
      h('dt', {}, t('order.freight', { km: Math.round(q.road_distance_m / 1000) })), h('dd', {}, `¥${yuan(q.freight_fen)}`),
      h('dt', {}, t('order.total')), h('dd', { class: 'total' }, `¥${yuan(q.total_fen)}`)));
    placeBtn.disabled = false;
  };
  // Anything changed on the form: the quote on screen no longer prices it, so 下单 waits for a new one.
  const stale = () => {
    const b = body();
    if (quoted && b && keyOf(b) === quoted.key) return;
    quoted = null; placeBtn.disabled = true;
    fill(out, h('p', { class: 'muted' }, t(b ? 'order.quoting' : 'order.need_quote')));
    clearTimeout(timer);
    if (b) timer = setTimeout(getQuote, 400);
  };
  async function getQuote() {
    const b = body();
    if (!b) { picker.setError(t('place.need_pin')); return; }
    const mine = ++asking;
    error.hidden = true;
    try {
      const q = await api.send('POST', '/api/orders/quote', b);
      if (mine === asking && keyOf(body() || {}) === keyOf(b)) showQuote(q, keyOf(b));
    } catch (err) {
      if (mine !== asking) return;
      if (err.status === 0) fill(out, h('p', { class: 'muted quote-offline' }, t('order.quote_offline'))); else showErrors(err);
    }
  }

  const fillProducts = () => {
    const mine = mines.find((m) => m.id === f.mine_id.input.value);
    fill(f.product_id.input, (mine ? mine.products : []).map((p) => h('option', { value: p.id },
      `${english ? p.name_en : p.name} · ${t('order.price', { yuan: yuan(p.price_fen_per_t) })} · ${t('order.available', { t: Math.floor(p.available_kg / 1000) })}`)));
  };
  f.mine_id.input.addEventListener('change', () => { fillProducts(); stale(); });
  [f.product_id, f.tonnes].forEach((x) => x.input.addEventListener('input', stale));
  f.product_id.input.addEventListener('change', stale);
  picker.onChange(stale);
  const quoteBtn = h('button', { type: 'button', onclick: getQuote }, t('order.quote'));
  const form = h('form', { class: 'card order-form', novalidate: true, 'aria-label': t('order.title') }, h('h2', {}, t('order.title')),
    f.mine_id.el, f.product_id.el, f.tonnes.el, picker.el, f.date.el, f.buyer_phone ? f.buyer_phone.el : null, out, error,
    h('div', { class: 'actions' }, quoteBtn, placeBtn));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const b = body();
    if (!b || !quoted || keyOf(b) !== quoted.key) { stale(); return; } // never an order at a price not on screen
    const order = { ...b, quote_total_fen: quoted.total_fen };
    if (f.date.input.value) order.wanted_date = f.date.input.value;
    if (forBuyer) order.buyer_phone = f.buyer_phone.input.value.trim();
    placeBtn.disabled = true;
    try {
      const res = await write('POST', '/api/orders/retail', order, t('order.place'));
      toast(res.queued ? t('queued') : t('order.placed'));
      if (!res.queued) ctx.navigate(forBuyer ? 'shipper-loads' : 'buyer-orders');
    } catch (err) {
      if (err.code === 'quote_changed' && err.details.quote) { showQuote(err.details.quote, keyOf(b)); error.textContent = t('order.price_changed'); error.hidden = false; return; }
      placeBtn.disabled = false;
      showErrors(err);
    }
  });
  api.get('/api/catalogue/mines').then((data) => {
    mines = data.items;
    fill(f.mine_id.input, mines.map((m) => h('option', { value: m.id }, english ? m.name_en : m.name)));
    fillProducts();
    stale();
  }).catch((err) => { error.textContent = t('load_failed', { message: err.message }); error.hidden = false; });
  root.append(form);
  return form;
}
