// Shipper: a new order — a bulk order from an allocation (published to the hall or entrusted to a carrier) and
// an order on a customer's behalf. Entrusting, the tonnes per truck default to what the carrier's trucks take
// (GET /api/orders/carriers/<id>/fit) and a tonnage none of its trucks takes is refused before sending.
import { catalogueNames } from '../../lib/catalogue.js';
import { tonnes } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { orderForm } from '../../ui/order-form.js';
import { placePicker } from '../../ui/place-picker.js';
import { carriersWithGrades, MESSAGES as COMMON, tabs } from './common.js';

const MESSAGES = {
  zh: { 'so.alloc': '我的配额煤量', 'so.bulk': '批量下单', 'so.trucks': '车数', 'so.tonnes': '每车吨数', 'so.mode': '派单方式',
    'so.hall': '发布到货源大厅', 'so.entrust': '委托承运商', 'so.rate': '运价（元/吨）', 'so.carrier': '承运商',
    'so.create': '生成运单', 'so.created': '已生成 {n} 张运单', 'so.retail': '代客下单', 'so.no_alloc': '还没有配额煤量，请联系销售公司',
    'so.fit': '该承运商有 {n} 辆车可装，最大 {max} 吨；默认每车 {t} 吨', 'so.fit_none': '该承运商没有能装一车煤的车辆，请换一家承运商或发布到货源大厅',
    'so.too_heavy': '超过该承运商最大车辆的 {max} 吨，请减少每车吨数', 'so.see_loads': '查看在途运单' },
  en: { 'so.alloc': 'My allocations', 'so.bulk': 'Bulk order', 'so.trucks': 'Trucks', 'so.tonnes': 'Tonnes per truck',
    'so.mode': 'Dispatch by', 'so.hall': 'Publish to the order hall', 'so.entrust': 'Entrust to a carrier', 'so.rate': 'Freight (CNY/t)',
    'so.carrier': 'Carrier', 'so.create': 'Create loads', 'so.created': '{n} loads created', 'so.retail': 'Order for a customer',
    'so.no_alloc': 'No allocation yet: ask the sales company',
    'so.fit': 'This carrier has {n} trucks that fit, the largest {max} t; {t} t per truck by default',
    'so.fit_none': 'This carrier has no truck that takes a truckload: choose another carrier or publish to the hall',
    'so.too_heavy': "More than this carrier's largest truck ({max} t): lower the tonnes per truck", 'so.see_loads': 'See loads in progress' },
};

function bulkForm(ctx, allocations, names, carriers) {
  const { api, write, t, toast, navigate } = ctx;
  const f = {
    allocation: field({ name: 'allocation', label: t('so.alloc'), options: allocations.map((a) => [`${a.mine_id}|${a.product_id}`, names.load(a)]) }),
    trucks: field({ name: 'trucks', label: t('so.trucks'), value: '2', attrs: { type: 'number', min: 1, max: 99, inputmode: 'numeric' } }),
    mode: field({ name: 'mode', label: t('so.mode'), options: [['hall', t('so.hall')], ['entrust', t('so.entrust')]] }),
    carrier: field({ name: 'carrier_id', label: t('so.carrier'), options: carriers.map((c) => [c.id, `${c.name} · ${t('trust.grade')} ${c.grade || '–'}`]) }),
    tonnes: field({ name: 'tonnage_kg', label: t('so.tonnes'), value: '33', attrs: { type: 'number', min: 10, max: 49, step: '0.5', inputmode: 'decimal' } }),
    rate: field({ name: 'freight_fen_per_t', label: t('so.rate'), value: '40', attrs: { type: 'number', min: 0, step: '0.5', inputmode: 'decimal' } }),
  };
  const place = placePicker(ctx); // where the coal goes: a saved address, a town by name or a pin, never typed coordinates
  const fitLine = h('p', { class: 'hint fit', 'aria-live': 'polite', hidden: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary block' }, t('so.create'));
  let fit = null; // the entrusted carrier's trucks: {trucks, largest_kg, suggested_kg}
  let typed = false; // a tonnage the shipper typed is kept when the carrier changes

  function judge() {
    const entrusting = f.mode.input.value === 'entrust';
    f.carrier.el.hidden = !entrusting;
    f.rate.el.hidden = entrusting;
    const kg = Math.round(Number(f.tonnes.input.value) * 1000);
    let blocked = false;
    if (entrusting && fit) {
      if (!fit.largest_kg) { fitLine.textContent = t('so.fit_none'); blocked = true; }
      else fitLine.textContent = t('so.fit', { n: fit.trucks, max: tonnes(fit.largest_kg, 1), t: tonnes(fit.suggested_kg, 1) });
      const tooHeavy = Boolean(fit.largest_kg) && kg > fit.largest_kg;
      f.tonnes.setError(tooHeavy ? t('so.too_heavy', { max: tonnes(fit.largest_kg, 1) }) : null);
      blocked ||= tooHeavy;
    } else f.tonnes.setError(null);
    fitLine.hidden = !(entrusting && fit);
    fitLine.classList.toggle('warning', Boolean(entrusting && fit && !fit.largest_kg));
    submit.disabled = blocked;
  }
  async function readFit() {
    fit = null;
    judge();
    if (f.mode.input.value !== 'entrust' || !f.carrier.input.value) return;
    const asked = f.carrier.input.value;
    const found = await api.get(`/api/orders/carriers/${encodeURIComponent(asked)}/fit`).catch(() => null);
    if (asked !== f.carrier.input.value || f.mode.input.value !== 'entrust') return; // changed meanwhile
    fit = found;
    if (fit && fit.suggested_kg && !typed) f.tonnes.input.value = String(fit.suggested_kg / 1000);
    judge();
  }
  f.mode.input.addEventListener('change', readFit);
  f.carrier.input.addEventListener('change', readFit);
  f.tonnes.input.addEventListener('input', () => { typed = true; judge(); });
  judge();

  const form = h('form', { class: 'card bulk-order', novalidate: true, 'aria-label': t('so.bulk') }, h('h2', {}, t('so.bulk')),
    Object.values(f).map((x) => x.el), place.el, fitLine, error, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    Object.values(f).forEach((x) => x.setError(null));
    error.hidden = true;
    place.setError(null);
    const destination = place.value();
    if (!destination) { place.setError(t('place.need_pin')); return; }
    const [mine_id, product_id] = f.allocation.input.value.split('|');
    const body = { mine_id, product_id, trucks: Number(f.trucks.input.value), tonnage_kg: Math.round(Number(f.tonnes.input.value) * 1000), destination };
    if (f.mode.input.value === 'hall') body.freight_fen_per_t = Math.round(Number(f.rate.input.value) * 100);
    else body.carrier_id = f.carrier.input.value;
    try {
      const res = await write('POST', '/api/orders/bulk', body, t('so.bulk'));
      toast(res.queued ? t('queued') : t('so.created', { n: res.data.items.length }));
      if (!res.queued) navigate('shipper-loads');
    } catch (err) {
      const fields = (err.details && err.details.fields) || {};
      const byName = { tonnage_kg: f.tonnes, trucks: f.trucks, carrier_id: f.carrier, freight_fen_per_t: f.rate };
      for (const name of Object.keys(fields)) {
        if (byName[name]) byName[name].setError(err.message);
        else if (name.startsWith('destination')) place.setError(err.message);
      }
      error.textContent = err.message;
      error.hidden = false;
    }
  });
  return form;
}

export function render(root, ctx) {
  const { api, t, addMessages, toast } = ctx;
  addMessages(COMMON);
  addMessages(MESSAGES);
  const bulk = h('div', { class: 'bulk' }, h('p', { class: 'loading' }, '…'));
  const retail = h('section', { class: 'card retail', 'aria-labelledby': 'sl-retail' }, h('h2', { id: 'sl-retail' }, t('so.retail')));
  root.append(tabs(t, 'shipper-order'), bulk, retail);
  let alive = true;
  Promise.all([api.get('/api/orders/allocations?limit=100'), catalogueNames(api), carriersWithGrades(api)])
    .then(([allocs, names, carriers]) => {
      if (!alive) return;
      fill(bulk, allocs.items.length ? bulkForm(ctx, allocs.items, names, carriers) : h('p', { class: 'card empty' }, t('so.no_alloc')));
    }).catch((e) => { if (alive) fill(bulk, h('p', { class: 'form-error', role: 'alert' }, e.message)); toast(e.message); });
  orderForm(retail, ctx, { forBuyer: true });
  return () => { alive = false; root.replaceChildren(); };
}
