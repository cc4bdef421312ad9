// The map loader: Leaflet (and plugins) from /vendor on first use, and the configured tile layer.
import { h } from './dom.js';

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
  const css = ['/vendor/leaflet/dist/leaflet.css', ...plugins.filter((p) => p.endsWith('.css'))];
  css.forEach((href) => { if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href })); });
  await loadScript('/vendor/leaflet/dist/leaflet.js');
  for (const src of plugins.filter((p) => p.endsWith('.js'))) await loadScript(src);
  return window.L;
}

/** Tiles come from configuration (e.g. Tianditu, CGCS2000 ≈ WGS-84); without them the map still draws vectors. */
export function addTiles(L, map) {
  const url = localStorage.getItem('ch.tiles');
  if (url) L.tileLayer(url, { maxZoom: 18, attribution: '© tiles' }).addTo(map);
}
