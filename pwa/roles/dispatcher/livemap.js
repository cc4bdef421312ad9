// The dispatch centre's live map: asks for the vehicles inside the visible box on every move;
// zoomed out the server sends counts per cell, zoomed in the markers are clustered on the page.
import { fill, h } from '../../ui/dom.js';
import { addTiles, loadLeaflet } from '../../ui/map.js';

const CLUSTER = ['/vendor/leaflet.markercluster/dist/MarkerCluster.css', '/vendor/leaflet.markercluster/dist/MarkerCluster.Default.css',
  '/vendor/leaflet.markercluster/dist/leaflet.markercluster.js'];
const MESSAGES = {
  zh: { 'live.total': '在途车辆 {n}', 'live.no_map': '地图不可用（离线？）', 'live.cells': '（按区域汇总）' },
  en: { 'live.total': '{n} vehicles on the road', 'live.no_map': 'Map unavailable (offline?)', 'live.cells': '(counted per area)' },
};

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const summary = h('p', { class: 'live-total', role: 'status' });
  const mapEl = h('div', { class: 'map live-map', style: 'height:70vh' });
  root.append(h('section', { class: 'screen livemap-screen' }, summary, mapEl));
  let map = null; let closed = false; let seq = 0;

  async function refresh(L, markers, counts) {
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => Math.max(-180, Math.min(180, v)).toFixed(4)).join(',');
    const mine = ++seq;
    const reply = await ctx.api.get(`/api/tracking/live?bbox=${bbox}`).catch(() => null);
    if (!reply || mine !== seq || closed) return; // a newer move already asked
    markers.clearLayers(); counts.clearLayers();
    reply.vehicles.forEach((v) => markers.addLayer(L.marker([v.lat, v.lon], { title: v.plate || v.vehicle_id })
      .bindPopup(`${v.plate || ''}<br>${v.speed_kmh ?? '-'} km/h`)));
    reply.clusters.forEach((c) => counts.addLayer(L.marker([c.lat, c.lon], { icon: L.divIcon({ className: 'cell-count',
      html: `<span>${c.count}</span>`, iconSize: [40, 40] }) })));
    fill(summary, t('live.total', { n: reply.total }), reply.mode === 'clusters' ? t('live.cells') : '');
    mapEl.dataset.mode = reply.mode;
  }

  (async () => {
    let L;
    try { L = await loadLeaflet(CLUSTER); } catch { fill(summary, t('live.no_map')); return; }
    if (closed) return;
    // The cluster layer needs a maxZoom even when no tile layer (which would bring one) is configured.
    map = L.map(mapEl, { maxZoom: 18 }).setView([38.9, 110.3], 9);
    addTiles(L, map);
    const markers = L.markerClusterGroup ? L.markerClusterGroup({ chunkedLoading: true }) : L.layerGroup();
    const counts = L.layerGroup();
    markers.addTo(map); counts.addTo(map);
    let pending = null;
    map.on('moveend', () => { clearTimeout(pending); pending = setTimeout(() => refresh(L, markers, counts), 250); });
    refresh(L, markers, counts);
  })();

  return () => { closed = true; if (map) map.remove(); };
}
