// The site form (admins onboard, a site's gate staff edit): names, gate point, lanes, products, slot template
// and the gate/parking fences pasted as GeoJSON (checked here, previewed on a map, checked again by the server).
import { fill, h } from './dom.js';
import { field } from './field.js';
import { loadLeaflet, addTiles } from './map.js';

const MESSAGES = {
  zh: { 'siteform.sales_org': '零售销售公司（买煤客户的订单归它跟踪）', 'siteform.sales_org_none': '（无）', 'siteform.id': '站点编号（可不填）', 'siteform.kind': '类型', 'siteform.kind.mine': '煤矿', 'siteform.kind.plant': '电厂/收货点',
    'siteform.kind.rail_yard': '铁路货场', 'siteform.name': '名称（中文）', 'siteform.name_en': '名称（英文）', 'siteform.lon': '门岗经度',
    'siteform.lat': '门岗纬度', 'siteform.lanes': '门岗车道', 'siteform.lane.id': '车道号', 'siteform.lane.name': '车道名称',
    'siteform.lane.direction': '方向', 'siteform.dir.in': '进', 'siteform.dir.out': '出', 'siteform.dir.both': '进出',
    'siteform.add_lane': '添加车道', 'siteform.products': '煤种', 'siteform.product.id': '煤种编号', 'siteform.product.name': '煤种名称',
    'siteform.product.name_en': '英文名称', 'siteform.product.price': '价格（元/吨）', 'siteform.product.plan': '日计划（吨）',
    'siteform.product.inventory': '库存（吨）', 'siteform.add_product': '添加煤种', 'siteform.remove': '移除',
    'siteform.template': '预约时段模板', 'siteform.window_minutes': '时段长度（分钟）', 'siteform.day_start_hour': '开始（时）',
    'siteform.day_end_hour': '结束（时）', 'siteform.loading_lanes': '装车道数', 'siteform.trucks_per_lane_hour': '每道每小时车数',
    'siteform.gate_fence': '门岗签到围栏（GeoJSON Polygon）', 'siteform.parking_fence': '停车场围栏（GeoJSON Polygon）',
    'siteform.draw': '按门岗位置生成', 'siteform.bad_json': '不是有效的 GeoJSON Polygon', 'siteform.save': '保存站点',
    'siteform.saved': '站点已保存', 'siteform.queued': '离线：联网后保存' },
  en: { 'siteform.sales_org': "Retail sales company (buyers' orders are tracked there)", 'siteform.sales_org_none': '(none)', 'siteform.id': 'Site id (optional)', 'siteform.kind': 'Kind', 'siteform.kind.mine': 'Mine', 'siteform.kind.plant': 'Plant / destination',
    'siteform.kind.rail_yard': 'Rail yard', 'siteform.name': 'Name (Chinese)', 'siteform.name_en': 'Name (English)', 'siteform.lon': 'Gate longitude',
    'siteform.lat': 'Gate latitude', 'siteform.lanes': 'Gate lanes', 'siteform.lane.id': 'Lane no.', 'siteform.lane.name': 'Lane name',
    'siteform.lane.direction': 'Direction', 'siteform.dir.in': 'In', 'siteform.dir.out': 'Out', 'siteform.dir.both': 'In and out',
    'siteform.add_lane': 'Add lane', 'siteform.products': 'Products', 'siteform.product.id': 'Product id', 'siteform.product.name': 'Product name',
    'siteform.product.name_en': 'English name', 'siteform.product.price': 'Price (yuan/t)', 'siteform.product.plan': 'Day plan (t)',
    'siteform.product.inventory': 'Inventory (t)', 'siteform.add_product': 'Add product', 'siteform.remove': 'Remove',
    'siteform.template': 'Slot template', 'siteform.window_minutes': 'Window (minutes)', 'siteform.day_start_hour': 'Opens (hour)',
    'siteform.day_end_hour': 'Closes (hour)', 'siteform.loading_lanes': 'Loading lanes', 'siteform.trucks_per_lane_hour': 'Trucks per lane-hour',
    'siteform.gate_fence': 'Gate check-in fence (GeoJSON Polygon)', 'siteform.parking_fence': 'Parking fence (GeoJSON Polygon)',
    'siteform.draw': 'Draw around the gate', 'siteform.bad_json': 'Not a valid GeoJSON Polygon', 'siteform.save': 'Save site',
    'siteform.saved': 'Site saved', 'siteform.queued': 'Offline: saved when back online' },
};

/** A closed rectangle w×hm metres around [lon, lat] (what "draw around the gate" fills in). */
function rectangle(lon, lat, w, hm) {
  const dx = w / 2 / (111320 * Math.cos((lat * Math.PI) / 180));
  const dy = hm / 2 / 110540;
  const r = (v) => Math.round(v * 1e6) / 1e6;
  return { type: 'Polygon', coordinates: [[[r(lon - dx), r(lat - dy)], [r(lon + dx), r(lat - dy)], [r(lon + dx), r(lat + dy)], [r(lon - dx), r(lat + dy)], [r(lon - dx), r(lat - dy)]]] };
}

function parsePolygon(text) {
  try {
    const g = JSON.parse(text);
    return g && g.type === 'Polygon' && Array.isArray(g.coordinates) && g.coordinates.length ? g : null;
  } catch { return null; }
}

/** Renders the form into root; `site` (from GET /api/sites/<id>) edits it, none creates one. Resolves nothing. */
export function siteForm(root, ctx, { site = null, onSaved = () => {} } = {}) {
  const { t } = ctx;
  ctx.addMessages(MESSAGES);
  const s = site || { kind: 'mine', lanes: [{ id: '1', name: '1号道 进', name_en: 'Lane 1 in', direction: 'in' }], products: [] };
  const num = (name, label, value, attrs = {}) => field({ name, label: t(label), value: value ?? '', attrs: { type: 'number', inputmode: 'decimal', ...attrs } });
  const f = {
    id: site ? null : field({ name: 'id', label: t('siteform.id'), attrs: { pattern: '[a-z][a-z0-9_]{2,39}' } }),
    kind: field({ name: 'kind', label: t('siteform.kind'), value: s.kind, options: ['mine', 'plant', 'rail_yard'].map((k) => [k, t(`siteform.kind.${k}`)]) }),
    name: field({ name: 'name', label: t('siteform.name'), value: s.name || '', attrs: { required: true, maxlength: 64 } }),
    name_en: field({ name: 'name_en', label: t('siteform.name_en'), value: s.name_en || '', attrs: { required: true, maxlength: 64 } }),
    lon: num('lon', 'siteform.lon', s.location && s.location.coordinates[0], { step: 'any' }),
    lat: num('lat', 'siteform.lat', s.location && s.location.coordinates[1], { step: 'any' }),
    window_minutes: num('window_minutes', 'siteform.window_minutes', s.window_minutes, { min: 10, max: 240 }),
    day_start_hour: num('day_start_hour', 'siteform.day_start_hour', s.day_start_hour, { min: 0, max: 23 }),
    day_end_hour: num('day_end_hour', 'siteform.day_end_hour', s.day_end_hour, { min: 1, max: 24 }),
    loading_lanes: num('loading_lanes', 'siteform.loading_lanes', s.loading_lanes ?? 2, { min: 1, max: 50 }),
    trucks_per_lane_hour: num('trucks_per_lane_hour', 'siteform.trucks_per_lane_hour', s.trucks_per_lane_hour ?? 6, { min: 1, max: 120 }),
    // Admins name the shipper that sells the site's coal retail (a buyer's order lands in its load list).
    sales_org_id: ctx.user && ctx.user.role === 'admin'
      ? field({ name: 'sales_org_id', label: t('siteform.sales_org'), value: s.sales_org_id || '', options: [['', t('siteform.sales_org_none')]] }) : null,
  };
  if (f.sales_org_id) {
    ctx.api.get('/api/admin/orgs').then((reply) => {
      const shippers = (reply.items || []).filter((o) => o.kind === 'shipper');
      f.sales_org_id.input.append(...shippers.map((o) => h('option', { value: o.id, selected: o.id === s.sales_org_id }, o.name)));
    }).catch(() => {});
  }
  const fence = (name, value) => {
    const input = h('textarea', { name, rows: 4, 'aria-label': t(`siteform.${name}`), spellcheck: 'false' });
    input.value = value ? JSON.stringify(value) : '';
    const error = h('p', { class: 'field-error', hidden: true });
    const setError = (msg) => { error.textContent = msg || ''; error.hidden = !msg; input.toggleAttribute('aria-invalid', Boolean(msg)); };
    input.addEventListener('change', () => { setError(parsePolygon(input.value) ? null : t('siteform.bad_json')); preview(); });
    return { el: h('div', { class: 'field' }, h('label', {}, t(`siteform.${name}`), input), error), input, setError };
  };
  f.gate_fence = fence('gate_fence', s.gate_fence);
  f.parking_fence = fence('parking_fence', s.parking_fence);

  const laneRows = h('div', { class: 'rows lanes' });
  const addLane = (lane = {}) => laneRows.append(h('div', { class: 'row lane' },
    h('input', { name: 'lane_id', value: lane.id || '', 'aria-label': t('siteform.lane.id'), placeholder: t('siteform.lane.id'), size: 4 }),
    h('input', { name: 'lane_name', value: lane.name || '', 'aria-label': t('siteform.lane.name'), placeholder: t('siteform.lane.name') }),
    h('select', { name: 'lane_direction', 'aria-label': t('siteform.lane.direction') },
      ['in', 'out', 'both'].map((d) => h('option', { value: d, selected: (lane.direction || 'both') === d }, t(`siteform.dir.${d}`)))),
    h('button', { type: 'button', onclick: (e) => e.target.closest('.row').remove() }, t('siteform.remove'))));
  (s.lanes || []).forEach(addLane);

  const productRows = h('div', { class: 'rows products' });
  const existing = new Set((s.products || []).map((p) => p.id));
  const tonnes = (kg) => (kg === undefined || kg === null ? '' : kg / 1000);
  const addProduct = (p = {}) => productRows.append(h('div', { class: 'row product' },
    h('input', { name: 'product_id', value: p.id || '', readonly: existing.has(p.id), 'aria-label': t('siteform.product.id'), placeholder: t('siteform.product.id'), size: 6 }),
    h('input', { name: 'product_name', value: p.name || '', 'aria-label': t('siteform.product.name'), placeholder: t('siteform.product.name') }),
    h('input', { name: 'product_name_en', value: p.name_en || '', 'aria-label': t('siteform.product.name_en'), placeholder: t('siteform.product.name_en') }),
    h('input', { name: 'price', type: 'number', step: '0.01', value: p.price_fen_per_t ? p.price_fen_per_t / 100 : '', 'aria-label': t('siteform.product.price'), placeholder: t('siteform.product.price') }),
    h('input', { name: 'plan', type: 'number', value: tonnes(p.plan_kg), 'aria-label': t('siteform.product.plan'), placeholder: t('siteform.product.plan') }),
    h('input', { name: 'inventory', type: 'number', value: tonnes(p.inventory_kg), 'aria-label': t('siteform.product.inventory'), placeholder: t('siteform.product.inventory') }),
    existing.has(p.id) ? null : h('button', { type: 'button', onclick: (e) => e.target.closest('.row').remove() }, t('siteform.remove'))));
  (s.products || []).forEach(addProduct);

  const draw = h('button', { type: 'button', onclick: () => {
    const lon = Number(f.lon.input.value); const lat = Number(f.lat.input.value);
    if (!lon || !lat) { f.lon.setError(t('siteform.lon')); return; }
    f.gate_fence.input.value = JSON.stringify(rectangle(lon, lat, 400, 250));
    // The waiting lot sits outside the gate; 1.5 km west, 0.9 km south is where the demo mines keep theirs.
    f.parking_fence.input.value = JSON.stringify(rectangle(lon - 1500 / (111320 * Math.cos((lat * Math.PI) / 180)), lat - 900 / 110540, 300, 200));
    preview();
  } }, t('siteform.draw'));

  const mapBox = h('div', { class: 'map site-map', style: 'height: 220px' });
  let map = null; let layer = null;
  async function preview() {
    const polygons = [f.gate_fence, f.parking_fence].map((x) => parsePolygon(x.input.value)).filter(Boolean);
    if (!polygons.length) return;
    try {
      const L = await loadLeaflet();
      if (!map) { map = L.map(mapBox); addTiles(L, map); }
      if (layer) layer.remove();
      layer = L.geoJSON({ type: 'FeatureCollection', features: polygons.map((g) => ({ type: 'Feature', geometry: g, properties: {} })) }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [10, 10] });
    } catch { mapBox.hidden = true; /* offline: the textareas still work */ }
  }

  const error = h('p', { class: 'form-error', hidden: true, role: 'alert' });
  const intOrNull = (x) => (x.input.value === '' ? null : Math.round(Number(x.input.value)));
  function body() {
    const b = { kind: f.kind.input.value, name: f.name.input.value.trim(), name_en: f.name_en.input.value.trim(),
      location: { type: 'Point', coordinates: [Number(f.lon.input.value), Number(f.lat.input.value)] },
      gate_fence: parsePolygon(f.gate_fence.input.value) || {}, parking_fence: parsePolygon(f.parking_fence.input.value) || {},
      lanes: [...laneRows.querySelectorAll('.lane')].map((r) => ({ id: r.querySelector('[name=lane_id]').value.trim(),
        name: r.querySelector('[name=lane_name]').value.trim(), direction: r.querySelector('[name=lane_direction]').value })),
      products: [...productRows.querySelectorAll('.product')].map((r) => {
        const v = (n) => r.querySelector(`[name=${n}]`).value;
        const p = { id: v('product_id').trim(), name: v('product_name').trim(), name_en: v('product_name_en').trim(), price_fen_per_t: Math.round(Number(v('price')) * 100) };
        if (v('plan') !== '') p.plan_kg = Math.round(Number(v('plan')) * 1000);
        if (v('inventory') !== '') p.inventory_kg = Math.round(Number(v('inventory')) * 1000);
        return p;
      }) };
    for (const k of ['window_minutes', 'day_start_hour', 'day_end_hour']) b[k] = intOrNull(f[k]);
    for (const k of ['loading_lanes', 'trucks_per_lane_hour']) if (f[k].input.value !== '') b[k] = intOrNull(f[k]);
    if (f.id && f.id.input.value.trim()) b.id = f.id.input.value.trim();
    if (f.sales_org_id) b.sales_org_id = f.sales_org_id.input.value || null;
    return b;
  }
  function showErrors(err) {
    Object.values(f).forEach((x) => x && x.setError(null));
    // In the user's words (lib/api.js words details.problems), never the server's English.
    for (const [name, text] of Object.entries(err.fieldErrors || {})) {
      const target = f[name.split('[')[0]];
      if (target) target.setError(text);
    }
    error.textContent = err.message; error.hidden = false;
  }
  async function save(ev) {
    ev.preventDefault();
    error.hidden = true;
    try {
      const res = site
        ? await ctx.write('PATCH', `/api/sites/${site.id}`, body(), t('siteform.save'))
        : await ctx.write('POST', '/api/sites', body(), t('siteform.save'));
      ctx.toast(res.queued ? t('siteform.queued') : t('siteform.saved'));
      if (!res.queued) onSaved(res.data);
    } catch (err) { showErrors(err); }
  }

  const form = h('form', { class: 'site-form', novalidate: true, onsubmit: save },
    f.id && f.id.el, f.kind.el, f.name.el, f.name_en.el, f.sales_org_id && f.sales_org_id.el, f.lon.el, f.lat.el,
    h('fieldset', {}, h('legend', {}, t('siteform.lanes')), laneRows,
      h('button', { type: 'button', onclick: () => addLane() }, t('siteform.add_lane'))),
    h('fieldset', {}, h('legend', {}, t('siteform.products')), productRows,
      h('button', { type: 'button', onclick: () => addProduct() }, t('siteform.add_product'))),
    h('fieldset', {}, h('legend', {}, t('siteform.template')), f.window_minutes.el, f.day_start_hour.el,
      f.day_end_hour.el, f.loading_lanes.el, f.trucks_per_lane_hour.el),
    draw, f.gate_fence.el, f.parking_fence.el, mapBox, error,
    h('button', { type: 'submit', class: 'primary' }, t('siteform.save')));
  fill(root, form);
  preview();
  return () => { if (map) map.remove(); };
}
