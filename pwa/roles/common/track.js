// Watching the coal arrive (buyer and shipper): status timeline, map with the truck, ETA,
// weigh ticket, the receipt, and the buyer's confirm or dispute (the code and decision are the buyer's only).
import { dateTime, km, weight } from '../../lib/format.js';
import { actionName, reasonWords, stateName } from '../../lib/waybill-words.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { boundsOf, contextData, contextLayers, createMap, destinationLayer, loadLeaflet, truckMarker } from '../../ui/map.js';

const REFRESH_MS = 20000;
const WATCHED = ['released', 'in_transit', 'arrived', 'unloaded', 'disputed', 'confirmed'];

const MESSAGES = {
  zh: {
    'track.pick': '选择运单', 'track.none': '没有可跟踪的运单', 'track.timeline': '状态', 'track.eta': '预计到达 {time}，剩余 {km} 公里',
    'track.ticket': '过磅单', 'track.tare': '皮重', 'track.gross': '毛重', 'track.net': '净重', 'track.receipt': '卸车回单',
    'track.received': '收货重量', 'track.loss': '途损', 'track.flag.outside_fence': '不在卸货围栏内',
    'track.flag.loss_over_tolerance': '途损超出允许范围', 'track.code': '收货码（告诉司机）', 'track.confirm': '确认收货',
    'track.dispute': '有异议', 'track.reason': '异议原因', 'track.send_dispute': '提交异议', 'track.delivered': '已送达',
    'track.alert.route_deviation': '偏离路线', 'track.alert.long_stop': '长时间停车', 'track.no_map': '离线：联网后显示地图',
    'track.map_failed': '地图加载失败，稍后自动重试',
    'track.status': '回单状态：{s}', 'receipt.taken': '待确认', 'receipt.confirmed': '已确认', 'receipt.disputed': '有异议', 'receipt.resolved': '争议已解决', 'track.resolution': '处理结果：{r}',
  },
  en: {
    'track.pick': 'Choose a waybill', 'track.none': 'No waybill to track', 'track.timeline': 'Status', 'track.eta': 'ETA {time}, {km} km to go',
    'track.ticket': 'Weigh ticket', 'track.tare': 'Tare', 'track.gross': 'Gross', 'track.net': 'Net', 'track.receipt': 'Unloading receipt',
    'track.received': 'Received', 'track.loss': 'Loss in transit', 'track.flag.outside_fence': 'Outside the site fence',
    'track.flag.loss_over_tolerance': 'Loss beyond tolerance', 'track.code': 'Receipt code (tell the driver)', 'track.confirm': 'Confirm receipt',
    'track.dispute': 'Dispute', 'track.reason': 'Reason', 'track.send_dispute': 'Send dispute', 'track.delivered': 'Delivered',
    'track.alert.route_deviation': 'Off route', 'track.alert.long_stop': 'Long stop', 'track.no_map': 'Offline: the map shows once online',
    'track.map_failed': 'The map did not load; trying again shortly',
    'track.status': 'Receipt: {s}', 'receipt.taken': 'awaiting confirmation', 'receipt.confirmed': 'confirmed', 'receipt.disputed': 'disputed', 'receipt.resolved': 'dispute resolved', 'track.resolution': 'Outcome: {r}',
  },
};

/** The trip's own layers: destination fence, expected route, the track so far and the truck with its plate. */
function tripLayers(L, trip) {
  const layers = [destinationLayer(L, trip.destination)];
  if (trip.route) layers.push(L.polyline(trip.route.map(([x, y]) => [y, x]), { color: '#616161', dashArray: '6 6', weight: 2 }));
  if (trip.track.length) layers.push(L.polyline(trip.track.map(([x, y]) => [y, x]), { color: '#1565c0', weight: 4 }));
  if (trip.position) layers.push(truckMarker(L, trip.position.lat, trip.position.lon, trip.plate));
  return layers.filter(Boolean);
}

/** The map, made once with a view (vector layers need one); each refresh swaps the trip's layers only. */
async function drawMap(L, el, ctx, trip, current) {
  const layers = tripLayers(L, trip);
  let map = current;
  if (!map) {
    const context = contextLayers(L, await contextData(ctx.api));
    el.replaceChildren(); // an earlier failure's words
    map = await createMap(L, el, ctx.api, { bounds: boundsOf(L, layers.length ? layers : context) });
    L.layerGroup(context).addTo(map);
    map.tripLayer = L.layerGroup().addTo(map);
  }
  map.tripLayer.clearLayers();
  layers.forEach((l) => map.tripLayer.addLayer(l));
  el.dataset.layers = String(layers.length);
  return map;
}

function timeline(events) {
  return h('ol', { class: 'timeline' }, events.map((e) => h('li', { dataset: { action: e.action } },
    h('strong', {}, actionName(e.action)), ' ', h('time', {}, dateTime(e.at)), e.reason ? h('span', { class: 'muted' }, ` · ${reasonWords(e.reason)}`) : null)));
}

function ticket(w, t) {
  if (w.net_kg == null) return null;
  return h('div', { class: 'card ticket' }, h('h3', {}, t('track.ticket')),
    h('p', {}, `${t('track.tare')} ${weight(w.tare_kg)} · ${t('track.gross')} ${weight(w.gross_kg)} · `
      + `${t('track.net')} ${weight(w.net_kg)}`));
}

function receiptCard(r, t, canDecide, onDecide) {
  const reason = field({ name: 'reason', label: t('track.reason'), attrs: { maxlength: 200 } });
  const dispute = h('form', { class: 'dispute', hidden: true, novalidate: true }, reason.el,
    h('button', { type: 'submit', class: 'block' }, t('track.send_dispute')));
  dispute.addEventListener('submit', (e) => { e.preventDefault(); onDecide('dispute', { reason: reason.input.value.trim() }, reason); });
  return h('div', { class: 'card receipt', dataset: { status: r.status } }, h('h3', {}, t('track.receipt')),
    h('p', { class: 'receipt-status' }, t('track.status', { s: t(`receipt.${r.status}`) })),
    r.resolution ? h('p', { class: 'receipt-resolution' }, t('track.resolution', { r: r.resolution })) : null,
    h('p', {}, `${t('track.received')} ${weight(r.received_kg)}`
      + (r.loss_kg != null ? ` · ${t('track.loss')} ${r.loss_kg} kg` : '')),
    r.flags.map((f) => h('p', { class: 'tag warn' }, t(`track.flag.${f}`))),
    h('div', { class: 'photos' }, r.photos.map((src) => h('img', { src, alt: t('track.receipt'), loading: 'lazy', width: 96 }))),
    canDecide && r.status === 'taken' ? [
      h('button', { type: 'button', class: 'primary block', onclick: () => onDecide('confirm', null) }, t('track.confirm')),
      h('button', { type: 'button', class: 'block', onclick: () => { dispute.hidden = false; } }, t('track.dispute')), dispute] : null);
}

async function pickList(ctx, root) {
  const page = await ctx.api.get('/api/waybills?limit=50');
  const items = page.items.filter((w) => WATCHED.includes(w.state));
  fill(root, h('h2', {}, ctx.t('track.pick')), items.length ? h('ul', { class: 'list' }, items.map((w) => h('li', {},
    h('a', { href: `#/${ctx.params.screen || 'track'}?waybill=${encodeURIComponent(w.id)}`, class: 'row', dataset: { waybill: w.id } },
      `${w.plate || w.id} · ${stateName(w.state)}`)))) : h('p', { class: 'empty' }, ctx.t('track.none')));
}

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const section = h('section', { class: 'screen track-screen' });
  root.append(section);
  let map = null; let timer = null; let closed = false;
  // Kept across refreshes: the map keeps its view and only its trip layers change.
  const mapEl = h('div', { class: 'map track-map', style: 'height:260px' });
  const id = ctx.params.waybill;
  if (!id) { pickList(ctx, section).catch((e) => fill(section, h('p', { class: 'empty' }, e.message))); return () => {}; }

  async function decide(action, body, reasonField) {
    try {
      await ctx.write('POST', `/api/receipts/${encodeURIComponent(id)}/${action}`, body, t(`track.${action}`));
      await load();
    } catch (e) {
      if (reasonField && e.fieldErrors && e.fieldErrors.reason) reasonField.setError(e.fieldErrors.reason); else ctx.toast(e.message);
    }
  }

  async function load() {
    const [w, history, trip] = await Promise.all([ctx.api.get(`/api/waybills/${id}`), ctx.api.get(`/api/waybills/${id}/history`),
      ctx.api.get(`/api/tracking/waybills/${id}`)]);
    let receipt = null;
    if (['unloaded', 'confirmed', 'disputed', 'settled'].includes(w.state)) receipt = await ctx.api.get(`/api/receipts/${id}`).catch(() => null);
    let code = null;
    if (ctx.user.role === 'buyer' && ['in_transit', 'arrived'].includes(w.state)) code = await ctx.api.get(`/api/receipts/${id}/code`).catch(() => null);
    if (closed) return;
    fill(section,
      h('h2', { class: 'track-state', dataset: { state: w.state } }, `${w.plate || ''} · ${stateName(w.state)}`),
      trip.eta_ms ? h('p', { class: 'eta' }, t('track.eta', { time: dateTime(trip.eta_ms), km: km(trip.remaining_m || 0) })) : null,
      trip.alerts.map((a) => h('p', { class: 'tag warn alert' }, `${t(`track.alert.${a.kind}`)} · ${dateTime(a.at_ms)}`)),
      mapEl,
      code ? h('p', { class: 'card receipt-code' }, `${t('track.code')}: `, h('strong', {}, code.code)) : null,
      h('h3', {}, t('track.timeline')), timeline(history.items),
      ticket(w, t),
      receipt ? receiptCard(receipt, t, ctx.user.role === 'buyer', decide) : null);
    try {
      const L = await loadLeaflet();
      if (!closed) map = await drawMap(L, mapEl, ctx, trip, map);
    } catch { if (!map) fill(mapEl, h('p', { class: 'muted' }, t(navigator.onLine ? 'track.map_failed' : 'track.no_map'))); }
  }

  load().catch((e) => fill(section, h('p', { class: 'empty' }, e.message)));
  timer = setInterval(() => { if (navigator.onLine) load().catch(() => {}); }, REFRESH_MS);
  return () => { closed = true; clearInterval(timer); if (map) map.remove(); };
}
