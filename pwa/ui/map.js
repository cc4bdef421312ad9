// The map: Leaflet (and plugins) from /vendor on first use, the server's tile provider (Tianditu, OSM or none)
// and our own GeoJSON (mines, their gate and parking fences, destinations, route, truck), so a map shows
// something even with no tile server: then the vector layers are the map, on a plain background.
import { lang } from '../lib/i18n.js';
import { h } from './dom.js';

const PLAIN = '#eef1e8'; // the land colour under our layers when no tiles are drawn
const HOME = [38.95, 110.3]; // the demo region (Shenmu): the view before anything is known
let configPromise = null;
let contextPromise = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    if (document.querySelector(`script[src="${src}"]`)) { resolve(); return; }
    const s = h('script', { src });
    s.onload = resolve; s.onerror = reject;
    document.head.append(s);
  });
}

/** Leaflet from /vendor (and optional plugins), loaded once; rejects when it cannot load (offline). */
export async function loadLeaflet(plugins = []) {
  const css = ['/vendor/leaflet/dist/leaflet.css', '/ui/map.css', ...plugins.filter((p) => p.endsWith('.css'))];
  css.forEach((href) => { if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href })); });
  await loadScript('/vendor/leaflet/dist/leaflet.js');
  for (const src of plugins.filter((p) => p.endsWith('.js'))) await loadScript(src);
  return window.L;
}

function keptConfig() {
  const own = localStorage.getItem('ch.tiles');
  if (own) return { provider: 'custom', layers: [own], subdomains: 'abc', max_zoom: 18, attribution: '' };
  return JSON.parse(localStorage.getItem('ch.mapconfig') || '{"provider":"none","layers":[]}');
}

/** The tile configuration: this device's override ('ch.tiles', a URL template), else the server's (kept for offline). */
export function tileConfig(api) {
  if (localStorage.getItem('ch.tiles')) return Promise.resolve(keptConfig());
  if (!configPromise) {
    configPromise = api.get('/api/places/map').then((c) => { localStorage.setItem('ch.mapconfig', JSON.stringify(c)); return c; },
      () => { configPromise = null; return keptConfig(); });
  }
  return configPromise;
}

/** Tiles from a configuration (default: the one last fetched); with none, a plain background (never a grey box). */
export function addTiles(L, map, config = keptConfig()) {
  const layers = (config && config.layers) || [];
  map.getContainer().style.background = layers.length ? '' : PLAIN;
  map.getContainer().dataset.tiles = config ? config.provider : 'none';
  layers.forEach((url) => L.tileLayer(url, { maxZoom: config.max_zoom || 18, subdomains: config.subdomains || 'abc',
    attribution: config.attribution || '' }).addTo(map));
}

/**
 * A map with a view from the start: Leaflet cannot draw vector layers on a map without one (`_clipPoints`).
 * `bounds` (a LatLngBounds) or the demo region; tiles follow the server's configuration.
 */
export async function createMap(L, el, api, { bounds = null, zoom = 9, options = {} } = {}) {
  const map = L.map(el, { zoomControl: true, attributionControl: true, maxZoom: 18, ...options });
  if (bounds && bounds.isValid()) map.fitBounds(bounds.pad(0.2), { maxZoom: 15 }); else map.setView(HOME, zoom);
  L.control.scale({ imperial: false }).addTo(map);
  addTiles(L, map, await tileConfig(api).catch(() => null));
  return map;
}

/** Mines and their gate and parking fences, read once per page (the mines list and the fences are short). */
export function contextData(api) {
  if (!contextPromise) {
    const fences = (kind) => api.get(`/api/geofences?kind=${kind}&limit=100`).then((p) => p.items, () => []);
    contextPromise = Promise.all([api.get('/api/catalogue/mines').then((p) => p.items, () => []), fences('gate'), fences('parking')])
      .then(([mines, gates, parking]) => ({ mines, fences: [...gates, ...parking] }));
    contextPromise.then((d) => { if (!d.mines.length) contextPromise = null; }); // try again next time when offline
  }
  return contextPromise;
}

const FENCE_STYLE = { gate: { color: '#6d4c41', weight: 2, fillOpacity: 0.15 }, parking: { color: '#f9a825', weight: 2, fillOpacity: 0.12, dashArray: '4 4' } };

/** Layers for the mines (a labelled dot, named in the page's language) and their fences. */
export function contextLayers(L, { mines, fences }) {
  const english = lang() === 'en';
  const layers = fences.filter((f) => f.geometry).map((f) => L.geoJSON(f.geometry, { style: FENCE_STYLE[f.kind] || FENCE_STYLE.gate })
    .bindTooltip(f.name || ''));
  mines.filter((m) => m.location).forEach((m) => {
    const [lon, lat] = m.location.coordinates;
    layers.push(L.circleMarker([lat, lon], { radius: 7, color: '#212121', weight: 2, fillColor: '#424242', fillOpacity: 0.9 })
      .bindTooltip(english ? (m.name_en || m.name) : m.name, { permanent: true, direction: 'right', className: 'map-label' }));
  });
  return layers;
}

/** A destination's fence (polygon) or point, labelled with its address. */
export function destinationLayer(L, destination) {
  if (!destination) return null;
  const label = destination.address || '';
  if (destination.polygon) return L.geoJSON(destination.polygon, { style: { color: '#2e7d32', weight: 2, fillOpacity: 0.15 } }).bindTooltip(label);
  const point = destination.point && destination.point.coordinates;
  if (!point) return null;
  return L.circle([point[1], point[0]], { radius: destination.radius_m || 300, color: '#2e7d32', weight: 2, fillOpacity: 0.15 }).bindTooltip(label);
}

/** A truck: a labelled marker with its plate (a div icon: readable without tiles, no image to fetch). */
export function truckMarker(L, lat, lon, plate) {
  return L.marker([lat, lon], { title: plate || '', icon: L.divIcon({ className: 'truck-marker', html: '',
    iconSize: [16, 16] }) }).bindTooltip(plate || '', { permanent: true, direction: 'top', offset: [0, -8], className: 'map-label plate' });
}

/** The bounds of layers not yet on a map (to set the view before they are added). */
export function boundsOf(L, layers) {
  const present = layers.filter(Boolean);
  return present.length ? L.featureGroup(present).getBounds() : null;
}
