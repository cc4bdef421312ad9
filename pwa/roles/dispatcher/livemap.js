// The dispatch centre's live map: the vehicles on a trip inside the visible box, polled every few seconds
// with an ETag (a 304 costs nothing) and on every move; zoomed out the server sends counts per cell.
// Trucks carry their plates, mines and their gate and parking fences are drawn (a map even without tiles),
// and a list beside the map names what is in view: a tap centres the map on that truck.
// mountLiveMap(el, ctx) puts the same map into another screen (the command centre's wall).
import { clock } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';
import { boundsOf, contextData, contextLayers, createMap, loadLeaflet, truckMarker } from '../../ui/map.js';

const POLL_MS = 5000;
const LABELS_UP_TO = 150; // beyond this many trucks in view, plates show on hover only (the map stays legible)
const MESSAGES = {
  zh: { 'live.total': '在途车辆 {n}', 'live.no_map': '离线：联网后显示地图', 'live.cells': '（按区域汇总，放大查看车辆）',
    'live.list': '视野内车辆', 'live.none': '视野内没有在途车辆', 'live.cell': '{n} 辆车', 'live.speed': '{v} 公里/小时',
    'live.updated': '更新于 {time}', 'live.stale': '离线：显示 {time} 的位置' },
  en: { 'live.total': '{n} vehicles on the road', 'live.no_map': 'Offline: the map shows once online', 'live.cells': '(counted per area: zoom in for trucks)',
    'live.list': 'Vehicles in view', 'live.none': 'No vehicle on the road in view', 'live.cell': '{n} vehicles', 'live.speed': '{v} km/h',
    'live.updated': 'Updated {time}', 'live.stale': 'Offline: positions as of {time}' },
};

function bboxOf(map) {
  const b = map.getBounds();
  const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v)).toFixed(4);
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(',');
}

/** Mount the live map (summary, map, list) into el; returns the function that stops it. */
export function mountLiveMap(el, ctx, { wall = false } = {}) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const summary = h('p', { class: 'live-total', role: 'status' });
  const mapEl = h('div', { class: 'map live-map', style: wall ? 'height:60vh' : 'height:60vh;min-height:320px' });
  const listEl = h('ul', { class: 'live-list', 'aria-label': t('live.list') });
  el.append(summary, h('div', { class: `live-layout${wall ? ' wall' : ''}` }, mapEl, h('div', {}, h('h3', {}, t('live.list')), listEl)));
  let map = null; let L = null; let closed = false; let timer = null; let pending = null;
  let etag = null; let askedBox = null; let picked = null; let lastSeen = null; let total = 0;
  const markers = new Map(); // vehicle_id -> marker, moved in place so a poll does not redraw the map
  let cells = null; let trucks = null;

  function focus(v) {
    picked = v.vehicle_id;
    map.setView([v.lat, v.lon], Math.max(map.getZoom(), 13));
    markers.forEach((m, id) => m.getElement()?.classList.toggle('picked', id === picked));
    markers.get(v.vehicle_id)?.openTooltip();
  }

  function drawVehicles(vehicles) {
    const seen = new Set();
    const labelled = vehicles.length <= LABELS_UP_TO;
    vehicles.forEach((v) => {
      seen.add(v.vehicle_id);
      let m = markers.get(v.vehicle_id);
      if (m && m.labelled !== labelled) { trucks.removeLayer(m); m = null; }
      if (!m) {
        m = truckMarker(L, v.lat, v.lon, v.plate || '');
        if (!labelled) m.unbindTooltip().bindTooltip(v.plate || '', { direction: 'top', className: 'map-label plate' });
        m.labelled = labelled;
        m.on('click', () => focus(v));
        markers.set(v.vehicle_id, m); trucks.addLayer(m);
      } else m.setLatLng([v.lat, v.lon]);
      m.getElement()?.classList.toggle('picked', v.vehicle_id === picked);
    });
    markers.forEach((m, id) => { if (!seen.has(id)) { trucks.removeLayer(m); markers.delete(id); } });
  }

  function drawList(reply) {
    if (reply.mode === 'clusters') {
      fill(listEl, reply.clusters.map((c) => h('li', {}, h('button', { type: 'button', class: 'live-cell',
        onclick: () => map.setView([c.lat, c.lon], Math.min(map.getZoom() + 3, 13)) }, t('live.cell', { n: c.count })))));
      return;
    }
    const rows = [...reply.vehicles].sort((a, b) => (a.plate || '').localeCompare(b.plate || '', 'zh'));
    fill(listEl, rows.length ? rows.map((v) => h('li', {}, h('button', { type: 'button', class: 'live-row', dataset: { vehicle: v.vehicle_id },
      onclick: () => focus(v) }, h('strong', {}, v.plate || '—'), ' · ',
      v.speed_kmh != null ? t('live.speed', { v: Math.round(v.speed_kmh) }) : '', ' · ', clock(v.at_ms))))
      : h('li', { class: 'empty' }, t('live.none')));
  }

  function draw(reply) {
    cells.clearLayers();
    drawVehicles(reply.vehicles);
    reply.clusters.forEach((c) => cells.addLayer(L.marker([c.lat, c.lon], { icon: L.divIcon({ className: 'cell-count',
      html: `<span>${c.count}</span>`, iconSize: [40, 40] }) })));
    drawList(reply);
    mapEl.dataset.mode = reply.mode;
    mapEl.dataset.vehicles = String(reply.vehicles.length);
  }

  async function refresh() {
    if (!map || closed) return;
    const box = bboxOf(map);
    if (box !== askedBox) { etag = null; askedBox = box; } // another box: another answer
    try {
      const reply = await ctx.api.poll(`/api/tracking/live?bbox=${box}`, etag);
      if (closed || box !== askedBox) return; // a newer move already asked
      lastSeen = Date.now();
      if (reply.changed) { etag = reply.etag; total = reply.data.total; draw(reply.data); }
      fill(summary, t('live.total', { n: total }), mapEl.dataset.mode === 'clusters' ? ` ${t('live.cells')}` : '',
        ' · ', t('live.updated', { time: clock(lastSeen, { seconds: true }) }));
      mapEl.dataset.polls = String(Number(mapEl.dataset.polls || 0) + 1);
    } catch (e) {
      if (e.status === 0 && lastSeen) fill(summary, t('live.stale', { time: clock(lastSeen) }));
    }
  }

  (async () => {
    try { L = await loadLeaflet(); } catch { fill(summary, t('live.no_map')); return; }
    if (closed) return;
    const context = contextLayers(L, await contextData(ctx.api));
    if (closed) return;
    // The mines in view when they lie in one region; mines all over the country: the home region (markers, not counts).
    const mines = boundsOf(L, context);
    const region = mines && mines.isValid() && mines.getNorth() - mines.getSouth() < 2 && mines.getEast() - mines.getWest() < 3;
    map = await createMap(L, mapEl, ctx.api, { bounds: region ? mines : null, zoom: 9 });
    if (closed) { map.remove(); return; }
    L.layerGroup(context).addTo(map);
    cells = L.layerGroup().addTo(map);
    trucks = L.layerGroup().addTo(map);
    map.on('moveend', () => { clearTimeout(pending); pending = setTimeout(refresh, 250); });
    await refresh();
    timer = setInterval(() => { if (!document.hidden) refresh(); }, POLL_MS);
  })();

  return () => { closed = true; clearInterval(timer); clearTimeout(pending); if (map) map.remove(); };
}

export function render(root, ctx) {
  const section = h('section', { class: 'screen livemap-screen' });
  root.append(section);
  const stop = mountLiveMap(section, ctx);
  return () => { stop(); root.replaceChildren(); };
}
