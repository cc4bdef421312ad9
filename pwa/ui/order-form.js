// The one-truckload order form with a live quote, placed through the outbox (buyer; shipper for a buyer).
import { yuan } from '../lib/format.js';
import { addMessages, lang, t } from '../lib/i18n.js';
import { fill, h } from './dom.js';
import { field } from './field.js';

addMessages({
  zh: {
    'order.title': '订煤（一车）', 'order.mine': '煤矿', 'order.product': '煤种', 'order.tonnes': '吨数（10–49 吨）',
    'order.address': '送货地址', 'order.lon': '经度', 'order.lat': '纬度', 'order.here': '用我的位置',
    'order.date': '需要日期', 'order.quote': '报价', 'order.place': '下单', 'order.coal': '煤款',
    'order.freight': '运费（约 {km} 公里）', 'order.total': '合计', 'order.placed': '已下单，已发布到货源大厅',
    'order.available': '可售 {t} 吨', 'order.price': '{yuan} 元/吨', 'order.buyer_phone': '客户手机号（代客下单）',
  },
  en: {
    'order.title': 'Order one truckload', 'order.mine': 'Mine', 'order.product': 'Coal', 'order.tonnes': 'Tonnes (10–49 t)',
    'order.address': 'Delivery address', 'order.lon': 'Longitude', 'order.lat': 'Latitude', 'order.here': 'Use my position',
    'order.date': 'Wanted date', 'order.quote': 'Get quote', 'order.place': 'Place order', 'order.coal': 'Coal',
    'order.freight': 'Freight (≈{km} km)', 'order.total': 'Total', 'order.placed': 'Ordered — published to the order hall',
    'order.available': '{t} t available', 'order.price': '{yuan} CNY/t', 'order.buyer_phone': "Customer's phone (ordering for)",
  },
});

/** The order form; shippers also name the buyer. Used by the buyer and the shipper screens. */
export function orderForm(root, ctx, { forBuyer = false } = {}) {
  const { api, write, toast, geo } = ctx;
  const english = lang() === 'en';
  const out = h('div', { class: 'quote', 'aria-live': 'polite' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const f = {
    mine_id: field({ name: 'mine_id', label: t('order.mine'), options: [] }),
    product_id: field({ name: 'product_id', label: t('order.product'), options: [] }),
    tonnes: field({ name: 'tonnage_kg', label: t('order.tonnes'), value: '33', attrs: { type: 'number', inputmode: 'decimal', min: 10, max: 49, step: '0.5', required: true } }),
    address: field({ name: 'address', label: t('order.address'), value: '', attrs: { required: true, maxlength: 200 } }),
    lon: field({ name: 'lon', label: t('order.lon'), value: '110.2650', attrs: { inputmode: 'decimal' } }),
    lat: field({ name: 'lat', label: t('order.lat'), value: '39.2660', attrs: { inputmode: 'decimal' } }),
    date: field({ name: 'wanted_date', label: t('order.date'), attrs: { type: 'date' } }),
  };
  if (forBuyer) f.buyer_phone = field({ name: 'buyer_phone', label: t('order.buyer_phone'), attrs: { inputmode: 'tel', maxlength: 11 } });
  let mines = [];
  const here = h('button', { type: 'button', onclick: async () => {
    try { const p = await geo.once(); f.lon.input.value = p.lon.toFixed(5); f.lat.input.value = p.lat.toFixed(5); } catch { /* keep typed values */ }
  } }, t('order.here'));
  const body = () => {
    const b = { mine_id: f.mine_id.input.value, product_id: f.product_id.input.value,
      tonnage_kg: Math.round(Number(f.tonnes.input.value) * 1000),
      destination: { address: f.address.input.value.trim(), point: { type: 'Point', coordinates: [Number(f.lon.input.value), Number(f.lat.input.value)] } } };
    if (f.date.input.value) b.wanted_date = f.date.input.value;
    if (forBuyer) b.buyer_phone = f.buyer_phone.input.value.trim();
    return b;
  };
  const showErrors = (err) => {
    Object.values(f).forEach((x) => x.setError(null));
    const fields = err.fieldErrors || {};
    for (const [name, msg] of Object.entries(fields)) (f[name === 'tonnage_kg' ? 'tonnes' : name] || f.address).setError(msg);
    error.textContent = err.message; error.hidden = false;
  };
  const fillProducts = () => {
    const mine = mines.find((m) => m.id === f.mine_id.input.value);
    fill(f.product_id.input, (mine ? mine.products : []).map((p) => h('option', { value: p.id },
      `${english ? p.name_en : p.name} · ${t('order.price', { yuan: yuan(p.price_fen_per_t) })} · ${t('order.available', { t: Math.floor(p.available_kg / 1000) })}`)));
  };
  f.mine_id.input.addEventListener('change', fillProducts);
  const quoteBtn = h('button', { type: 'button', onclick: async () => {
    error.hidden = true;
    try {
      const q = await api.send('POST', '/api/orders/quote', body());
      fill(out, h('dl', {}, h('dt', {}, t('order.coal')), h('dd', {}, `¥${yuan(q.coal_fen)}`),
        h('dt', {}, t('order.freight', { km: Math.round(q.road_distance_m / 1000) })), h('dd', {}, `¥${yuan(q.freight_fen)}`),
        h('dt', {}, t('order.total')), h('dd', { class: 'total' }, `¥${yuan(q.total_fen)}`)));
    } catch (err) { showErrors(err); }
  } }, t('order.quote'));
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': t('order.title') }, h('h2', {}, t('order.title')),
    Object.values(f).map((x) => x.el), here, out, error,
    h('div', { class: 'actions' }, quoteBtn, h('button', { type: 'submit', class: 'primary' }, t('order.place'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const res = await write('POST', '/api/orders/retail', body(), t('order.place'));
      toast(res.queued ? t('queued') : t('order.placed'));
      if (!res.queued) ctx.navigate(forBuyer ? 'shipper-loads' : 'buyer-orders');
    } catch (err) { showErrors(err); }
  });
  api.get('/api/catalogue/mines').then((data) => {
    mines = data.items;
    fill(f.mine_id.input, mines.map((m) => h('option', { value: m.id }, english ? m.name_en : m.name)));
    fillProducts();
  }).catch((err) => { error.textContent = t('load_failed', { message: err.message }); error.hidden = false; });
  root.append(form);
  return form;
}
