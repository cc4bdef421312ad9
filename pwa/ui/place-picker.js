// Where the coal goes, picked as people pick places: a saved address, a town or village found by name in the
// packaged gazetteer (GET /api/places/search), a pin dropped or dragged on the map, or the phone's position.
// Nobody types longitude and latitude. The picked place's code rides on the order so its county is known.
import { addMessages, t } from '../lib/i18n.js';
import { confirmed } from './confirm.js';
import { fill, h } from './dom.js';
import { field } from './field.js';
import { contextData, contextLayers, createMap, loadLeaflet } from './map.js';

addMessages({
  zh: {
    'place.title': '送货地点', 'place.find': '找地点', 'place.saved': '常用地址', 'place.search': '搜索乡镇、村或县（如：大柳塔）', 'place.none': '没有找到这个地名',
    'place.offline': '离线：可选常用地址、用我的位置或在地图上点选', 'place.detail': '详细地址（厂名、门牌，司机看得懂）',
    'place.pin': '在地图上点一下或拖动图钉，标出卸货点', 'place.approx': '这是{name}的大致位置：请把图钉拖到卸货点',
    'place.pinned': '已标出卸货点', 'place.here': '用我的位置', 'place.save': '保存为常用地址', 'place.saved_ok': '已保存为常用地址',
    'place.label': '常用地址名称（如：砖厂）', 'place.need_pin': '请先选一个地点或在地图上标出卸货点', 'place.no_map': '地图暂不可用，可搜索地名或用我的位置',
    'place.remove': '删除', 'place.remove_q': '删除常用地址“{label}”？', 'place.level.county': '县', 'place.level.town': '乡镇', 'place.level.village': '村', 'place.level.site': '地点',
  },
  en: {
    'place.title': 'Delivery place', 'place.find': 'Find a place', 'place.saved': 'Saved addresses', 'place.search': 'Search a town, village or county (e.g. 大柳塔)', 'place.none': 'No place by that name',
    'place.offline': 'Offline: pick a saved address, use your position or tap the map', 'place.detail': 'Address details (works name, number: what the driver reads)',
    'place.pin': 'Tap the map or drag the pin to mark where to unload', 'place.approx': 'This is roughly where {name} is: drag the pin to the unloading point',
    'place.pinned': 'Unloading point marked', 'place.here': 'Use my position', 'place.save': 'Save as a saved address', 'place.saved_ok': 'Saved',
    'place.label': 'Name for it (e.g. brickworks)', 'place.need_pin': 'Pick a place or mark the unloading point on the map first', 'place.no_map': 'The map is not available: search a place or use your position',
    'place.remove': 'Delete', 'place.remove_q': 'Delete the saved address "{label}"?', 'place.level.county': 'county', 'place.level.town': 'town', 'place.level.village': 'village', 'place.level.site': 'place',
  },
});

/**
 * The picker: {el, value(), setError(msg), onChange(fn)}. value() is {address, point, place_code} or null (no point yet).
 * ctx gives api, write, toast and geo.
 */
export function placePicker(ctx) {
  const { api, write, toast, geo } = ctx;
  const state = { point: null, placeCode: null, placeName: '' };
  const listeners = [];
  const changed = () => listeners.forEach((fn) => fn());
  const savedEl = h('div', { class: 'saved-places chips', role: 'group', 'aria-label': t('place.saved') });
  const searchField = field({ name: 'place_search', label: t('place.find'), attrs: { type: 'search', placeholder: t('place.search'),
    autocomplete: 'off', maxlength: 40, enterkeyhint: 'search' } });
  const search = searchField.input;
  const results = h('ul', { class: 'place-results list', role: 'listbox', 'aria-label': t('place.search') });
  const detail = field({ name: 'address', label: t('place.detail'), attrs: { required: true, maxlength: 160 } });
  const status = h('p', { class: 'place-status muted', 'aria-live': 'polite' }, t('place.pin'));
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const mapEl = h('div', { class: 'map place-map', style: 'height:220px' });
  const label = field({ name: 'label', label: t('place.label'), attrs: { maxlength: 40 } });
  let map = null; let pin = null; let L = null; let timer = null; let asked = 0;

  function setPoint(lon, lat, { approx = false, zoom = null } = {}) {
    state.point = [Number(lon.toFixed(6)), Number(lat.toFixed(6))];
    if (map) {
      if (!pin) {
        pin = L.marker([lat, lon], { draggable: true, autoPan: true, title: t('place.pinned'),
          icon: L.divIcon({ className: 'place-pin', iconSize: [22, 22], iconAnchor: [11, 22] }) }).addTo(map);
        pin.on('dragend', () => { const p = pin.getLatLng(); setPoint(p.lng, p.lat); });
      } else pin.setLatLng([lat, lon]);
      if (zoom) map.setView([lat, lon], zoom);
    }
    status.textContent = approx ? t('place.approx', { name: state.placeName }) : t('place.pinned');
    status.dataset.approx = approx ? '1' : '0';
    error.hidden = true;
    mapEl.dataset.pinned = '1';
    changed();
  }

  function pick(place) {
    state.placeCode = place.level === 'site' ? null : place.code;
    state.placeName = place.name;
    const where = place.level === 'village' || place.level === 'town' ? `${place.context.split(' · ').reverse().join(' ')} ${place.name}` : place.name;
    if (!detail.input.value.trim() || detail.input.dataset.auto === '1') { detail.input.value = where.trim(); detail.input.dataset.auto = '1'; }
    search.value = place.name;
    results.replaceChildren();
    setPoint(place.point[0], place.point[1], { approx: place.approx, zoom: place.approx ? 11 : 15 });
  }

  function pickSaved(s) {
    state.placeCode = s.place_code || null;
    state.placeName = s.label;
    detail.input.value = s.address; detail.input.dataset.auto = '0';
    setPoint(s.point[0], s.point[1], { zoom: 15 });
  }

  async function runSearch() {
    const q = search.value.trim();
    const mine = ++asked;
    if (!q) { results.replaceChildren(); return; }
    try {
      const { items } = await api.get(`/api/places/search?q=${encodeURIComponent(q)}&limit=12`);
      if (mine !== asked) return;
      fill(results, items.length ? items.map((p) => h('li', {}, h('button', { type: 'button', class: 'row place-result', role: 'option',
        dataset: { code: p.code }, onclick: () => pick(p) }, h('strong', {}, p.name), ' ',
        h('span', { class: 'muted' }, [t(`place.level.${p.level}`), p.context].filter(Boolean).join(' · ')))))
        : h('li', { class: 'empty' }, t('place.none')));
    } catch (e) {
      if (mine === asked) fill(results, h('li', { class: 'empty' }, e.status === 0 ? t('place.offline') : e.message));
    }
  }
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(runSearch, 250); });
  search.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); runSearch(); } });
  detail.input.addEventListener('input', () => { detail.input.dataset.auto = '0'; changed(); });

  async function loadSaved() {
    try {
      const { items } = await api.get('/api/places/saved');
      fill(savedEl, items.map((s) => h('span', { class: 'chip saved-place', dataset: { id: s.id } },
        h('button', { type: 'button', onclick: () => pickSaved(s) }, s.label),
        h('button', { type: 'button', class: 'chip-remove', 'aria-label': `${t('place.remove')} ${s.label}`,
          onclick: confirmed(t('place.remove_q', { label: s.label }), async () => {
            await write('DELETE', `/api/places/saved/${encodeURIComponent(s.id)}`, null, t('place.remove')).catch((e) => toast(e.message));
            loadSaved();
          }, { yes: t('place.remove') }) }, '×'))));
      savedEl.hidden = !items.length;
    } catch { savedEl.hidden = true; }
  }

  const here = h('button', { type: 'button', onclick: async () => {
    try { const p = await geo.once(); state.placeCode = null; state.placeName = ''; setPoint(p.lon, p.lat, { zoom: 15 }); } catch (e) { toast(e.message || t('place.need_pin')); }
  } }, t('place.here'));
  const save = h('button', { type: 'button', onclick: async () => {
    const v = value();
    if (!v) { setError(t('place.need_pin')); return; }
    const body = { label: label.input.value.trim() || v.address.slice(0, 40), address: v.address, point: v.point };
    if (v.place_code) body.place_code = v.place_code;
    try {
      const res = await write('POST', '/api/places/saved', body, t('place.save'));
      toast(res.queued ? t('queued') : t('place.saved_ok'));
      loadSaved();
    } catch (e) { label.setError(e.fieldErrors && e.fieldErrors.label ? e.fieldErrors.label : e.message); }
  } }, t('place.save'));

  function value() {
    if (!state.point) return null;
    const v = { address: detail.input.value.trim(), point: { type: 'Point', coordinates: state.point } };
    if (state.placeCode) v.place_code = state.placeCode;
    return v;
  }
  function setError(message) { error.textContent = message || ''; error.hidden = !message; }

  (async () => {
    try {
      L = await loadLeaflet();
      const context = contextLayers(L, await contextData(api));
      map = await createMap(L, mapEl, api, { zoom: 9 });
      L.layerGroup(context).addTo(map);
      map.on('click', (e) => setPoint(e.latlng.lng, e.latlng.lat));
      if (state.point) setPoint(state.point[0], state.point[1], { zoom: 14 });
    } catch { fill(mapEl, h('p', { class: 'muted' }, t('place.no_map'))); mapEl.style.height = 'auto'; }
  })();
  loadSaved();

  const el = h('fieldset', { class: 'place-picker' }, h('legend', {}, t('place.title')), savedEl, searchField.el, results,
    mapEl, status, error, here, detail.el, h('details', { class: 'place-save' }, h('summary', {}, t('place.save')), label.el, save));
  return { el, value, setError: (m) => { setError(m); detail.setError(null); }, detailError: detail.setError,
    onChange: (fn) => listeners.push(fn), detail };
}
