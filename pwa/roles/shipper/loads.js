// Shipper: allocations and today's quota, a bulk order (entrust or publish), my loads with status, retail for a buyer.
import { catalogueNames } from '../../lib/catalogue.js';
import { entrustName, stateName } from '../../lib/waybill-words.js';
import { fill, h } from '../../ui/dom.js';
import { fenceEditor } from '../../ui/fence-editor.js';
import { field } from '../../ui/field.js';
import { list } from '../../ui/list.js';
import { orderForm } from '../../ui/order-form.js';
import { quotaTable } from '../../ui/quota-table.js';

const MESSAGES = {
  zh: { 'sl.alloc': '我的配额煤量', 'sl.remaining': '剩余 {t} 吨 / 共 {total} 吨', 'sl.quota': '今日车数配额', 'sl.bulk': '批量下单',
    'sl.trucks': '车数', 'sl.tonnes': '每车吨数', 'sl.mode': '派单方式', 'sl.hall': '发布到货源大厅', 'sl.entrust': '委托承运商',
    'sl.rate': '运价（元/吨）', 'sl.carrier': '承运商', 'sl.create': '生成运单', 'sl.created': '已生成 {n} 张运单',
    'sl.loads': '我的运单', 'sl.none': '暂无', 'sl.publish': '发布', 'sl.cancel': '取消', 'sl.retail': '代客下单' },
  en: { 'sl.alloc': 'My allocations', 'sl.remaining': '{t} t left of {total} t', 'sl.quota': "Today's truck quota", 'sl.bulk': 'Bulk order',
    'sl.trucks': 'Trucks', 'sl.tonnes': 'Tonnes per truck', 'sl.mode': 'Dispatch by', 'sl.hall': 'Publish to the order hall',
    'sl.entrust': 'Entrust to a carrier', 'sl.rate': 'Freight (CNY/t)', 'sl.carrier': 'Carrier', 'sl.create': 'Create loads',
    'sl.created': '{n} loads created', 'sl.loads': 'My loads', 'sl.none': 'None', 'sl.publish': 'Publish', 'sl.cancel': 'Cancel',
    'sl.retail': 'Order for a customer' },
};

function bulkForm(ctx, allocations, names, carriers, done) {
  const { write, t, toast } = ctx;
  const f = {
    allocation: field({ name: 'allocation', label: t('sl.alloc'), options: allocations.map((a) => [`${a.mine_id}|${a.product_id}`, names.load(a)]) }),
    trucks: field({ name: 'trucks', label: t('sl.trucks'), value: '2', attrs: { type: 'number', min: 1, max: 99, inputmode: 'numeric' } }),
    tonnes: field({ name: 'tonnage_kg', label: t('sl.tonnes'), value: '34', attrs: { type: 'number', min: 10, max: 49, step: '0.5', inputmode: 'decimal' } }),
    address: field({ name: 'address', label: t('order.address'), value: '', attrs: { maxlength: 200 } }),
    lon: field({ name: 'lon', label: t('order.lon'), value: '110.2650', attrs: { inputmode: 'decimal' } }),
    lat: field({ name: 'lat', label: t('order.lat'), value: '39.2660', attrs: { inputmode: 'decimal' } }),
    mode: field({ name: 'mode', label: t('sl.mode'), options: [['hall', t('sl.hall')], ['entrust', t('sl.entrust')]] }),
    rate: field({ name: 'freight_fen_per_t', label: t('sl.rate'), value: '40', attrs: { type: 'number', min: 0, step: '0.5', inputmode: 'decimal' } }),
    carrier: field({ name: 'carrier_id', label: t('sl.carrier'), options: carriers.map((c) => [c.id, `${c.name} · ${t('trust.grade')} ${c.grade || '–'}`]) }),
  };
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': t('sl.bulk') }, h('h2', {}, t('sl.bulk')),
    Object.values(f).map((x) => x.el), error, h('button', { type: 'submit', class: 'primary block' }, t('sl.create')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const [mine_id, product_id] = f.allocation.input.value.split('|');
    const body = { mine_id, product_id, trucks: Number(f.trucks.input.value), tonnage_kg: Math.round(Number(f.tonnes.input.value) * 1000),
      destination: { address: f.address.input.value.trim(), point: { type: 'Point', coordinates: [Number(f.lon.input.value), Number(f.lat.input.value)] } } };
    if (f.mode.input.value === 'hall') body.freight_fen_per_t = Math.round(Number(f.rate.input.value) * 100);
    else body.carrier_id = f.carrier.input.value;
    try {
      const res = await write('POST', '/api/orders/bulk', body, t('sl.bulk'));
      toast(res.queued ? t('queued') : t('sl.created', { n: res.data.items.length }));
      done();
    } catch (err) { error.textContent = err.message; error.hidden = false; }
  });
  return form;
}

export function render(root, ctx) {
  const { api, write, t, addMessages, toast } = ctx;
  addMessages(MESSAGES);
  const top = h('div');
  const loads = h('section', { class: 'card', 'aria-labelledby': 'sl-loads' });
  root.append(top, loads);
  let alive = true;
  // Carrier names for the picker and the list; a shipper never has to know an organisation id.
  const carriers = api.get('/api/fleet/carriers').then((reply) => withGrades(api, reply.items || [])).catch(() => []);

  async function refreshLoads() {
    const [data, names, carrierList] = await Promise.all([api.get('/api/waybills?limit=50').catch(() => ({ items: [] })),
      catalogueNames(api), carriers]);
    const carrierName = new Map(carrierList.map((c) => [c.id, c.name]));
    if (!alive) return;
    fill(loads, h('h2', { id: 'sl-loads' }, t('sl.loads')), list(data.items, (w) => h('div', { class: 'row load', dataset: { id: w.id, state: w.state } },
      h('strong', {}, `${names.load(w)} · ${w.tonnage_kg / 1000} t`), h('span', { class: 'tag' }, stateName(w.state)),
      w.carrier_id ? h('span', {}, `${carrierName.get(w.carrier_id) || w.carrier_id} ${entrustName(w.entrust_status)}`) : null, w.in_hall ? h('span', {}, t('sl.hall')) : null,
      fenceEditor(w, { write, toast, onSaved: refreshLoads }),
      w.state === 'open' && !w.in_hall ? h('button', { type: 'button', onclick: () => write('POST', `/api/orders/loads/${w.id}/publish`, { freight_fen_per_t: 4000 }, t('sl.publish')).then(refreshLoads, (e) => toast(e.message)) }, t('sl.publish')) : null,
      ['open', 'assigned'].includes(w.state) ? h('button', { type: 'button', onclick: () => write('POST', `/api/orders/${w.id}/cancel`, {}, t('sl.cancel')).then(refreshLoads, (e) => toast(e.message)) }, t('sl.cancel')) : null),
    { empty: t('sl.none') }));
  }

  Promise.all([api.get('/api/orders/allocations?limit=100'), api.get('/api/dispatch/quotas').catch(() => ({ quotas: [] })),
    catalogueNames(api), carriers]).then(([allocs, quota, names, carrierList]) => {
    if (!alive) return;
    fill(top, h('section', { class: 'card', 'aria-labelledby': 'sl-alloc' }, h('h2', { id: 'sl-alloc' }, t('sl.alloc')),
      list(allocs.items, (a) => h('div', { class: 'row allocation' }, h('strong', {}, names.load(a)),
        h('span', {}, t('sl.remaining', { t: a.remaining_kg / 1000, total: a.purchased_kg / 1000 }))), { empty: t('sl.none') })),
    h('section', { class: 'card', 'aria-labelledby': 'sl-quota' }, h('h2', { id: 'sl-quota' }, t('sl.quota')), quotaTable(quota.quotas)),
    bulkForm(ctx, allocs.items, names, carrierList, refreshLoads), h('h2', {}, t('sl.retail')));
    orderForm(top, ctx, { forBuyer: true });
  }).catch((e) => toast(e.message));
  refreshLoads();
  return () => { alive = false; root.replaceChildren(); };
}

/** The carriers' credit grades beside their names when entrusting (backend/trust: 50 a read). */
async function withGrades(api, items) {
  const chunks = [];
  for (let i = 0; i < items.length; i += 50) chunks.push(items.slice(i, i + 50));
  const replies = await Promise.all(chunks.map((chunk) => api.get(`/api/trust/grades?role=carrier&party_ids=${chunk.map((c) => encodeURIComponent(c.id)).join(',')}`).catch(() => ({ items: [] }))));
  const grades = new Map(replies.flatMap((r) => r.items).map((g) => [g.party_id, g.grade]));
  return items.map((c) => ({ ...c, grade: grades.get(c.id) || null }));
}
