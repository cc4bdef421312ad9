// Driver: the order hall — open loads nearest first as cards (what it pays a truck, when, who, where, how far by
// road), filters folded away so loads fill the first screen, and a truck picker that offers only trucks that fit
// the load and are free (the others shown greyed out with the reason).
import { catalogueNames } from '../../lib/catalogue.js';
import { km, yuan } from '../../lib/format.js';
import { mapLinks, telHref } from '../../lib/handoff.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { list } from '../../ui/list.js';

const MESSAGES = {
  zh: {
    'hall.title': '货源大厅', 'hall.none': '暂无货源', 'hall.grab': '抢单', 'hall.grabbed': '抢单成功',
    'hall.vehicle': '我的车辆', 'hall.mine': '煤矿（全部）', 'hall.min_rate': '最低运价（元/吨）', 'hall.refresh': '刷新',
    'hall.to_mine': '距矿 {km} 公里', 'hall.haul': '运距 {km} 公里', 'hall.rate': '运价 {yuan} 元/吨',
    'hall.lost': '没抢到：{message}', 'hall.all': '全部',
    'hall.offline': '离线：暂时看不到货源，联网后自动刷新', 'hall.failed': '货源加载失败：{message}',
    'hall.grab_offline': '离线：抢单需要联网，请联网后再抢', 'hall.taken': '没抢到：这单已被别人抢走或已下架',
    'hall.filters': '筛选', 'hall.per_truck': '{yuan} 元/车', 'hall.day': '装货日 {date}', 'hall.road': '运距 {km} 公里',
    'hall.shipper': '货主 {name}', 'hall.call': '打电话', 'hall.nav': '导航到矿', 'hall.pick': '用哪辆车抢这单？',
    'hall.cancel_pick': '不抢了', 'hall.no_truck': '没有能拉这车货的空闲车辆', 'hall.too_small': '载重不够（核定 {tonnes} 吨）',
    'hall.busy': '在途中，有进行中的运单', 'hall.rated': '核定 {tonnes} 吨', 'hall.tonnes': '{tonnes} 吨',
  },
  en: {
    'hall.title': 'Order hall', 'hall.none': 'No open loads', 'hall.grab': 'Grab', 'hall.grabbed': 'Load is yours',
    'hall.vehicle': 'My truck', 'hall.mine': 'Mine (all)', 'hall.min_rate': 'Minimum rate (CNY/t)', 'hall.refresh': 'Refresh',
    'hall.to_mine': '{km} km to mine', 'hall.haul': '{km} km haul', 'hall.rate': '{yuan} CNY/t',
    'hall.lost': 'Not yours: {message}', 'hall.all': 'All',
    'hall.offline': 'Offline: loads cannot be shown now; the list refreshes when you are back online',
    'hall.failed': 'Could not load the hall: {message}',
    'hall.grab_offline': 'Offline: grabbing needs a connection; try again when online',
    'hall.taken': 'Not yours: someone else took this load, or it was withdrawn',
    'hall.filters': 'Filters', 'hall.per_truck': '{yuan} CNY a truck', 'hall.day': 'Loading {date}',
    'hall.road': '{km} km by road', 'hall.shipper': 'Shipper {name}', 'hall.call': 'Call', 'hall.nav': 'Navigate to the mine',
    'hall.pick': 'Which truck takes this load?', 'hall.cancel_pick': 'Not now', 'hall.no_truck': 'No free truck can carry this load',
    'hall.too_small': 'Too small (rated {tonnes} t)', 'hall.busy': 'On the road with another load',
    'hall.rated': 'rated {tonnes} t', 'hall.tonnes': '{tonnes} t',
  },
};

const LAST_TRUCK = 'ch.hall.truck';
const tonnesOf = (kg) => (kg / 1000).toFixed(kg % 1000 ? 1 : 0);

/** Why a truck cannot take a load ('' when it can): too small for the tonnage, or on another active load. */
export function unfit(vehicle, load, t) {
  if (vehicle.rated_load_kg < load.tonnage_kg) return t('hall.too_small', { tonnes: tonnesOf(vehicle.rated_load_kg) });
  if (vehicle.busy) return t('hall.busy');
  return '';
}

export function render(root, { api, t, addMessages, toast, geo, navigate }) {
  addMessages(MESSAGES);
  const mine = field({ name: 'mine_id', label: t('hall.mine'), options: [['', t('hall.all')]] });
  const rate = field({ name: 'min_rate', label: t('hall.min_rate'), attrs: { type: 'number', inputmode: 'decimal', min: 0 } });
  const results = h('section', { class: 'hall-results', 'aria-labelledby': 'hall-h', 'aria-live': 'polite' });
  let position = null;
  let alive = true;
  let vehicles = [];
  let picking = null; // the load whose truck picker is open: a refresh must not close it under the finger
  let shown = null; // the last list drawn ({data, names}): opening a picker redraws it, even offline

  const loadVehicles = () => api.get('/api/hall/vehicles').then((d) => { vehicles = d.items; }).catch(() => {});

  function picker(load) {
    const choices = [...vehicles].sort((a, b) => (b.id === localStorage.getItem(LAST_TRUCK)) - (a.id === localStorage.getItem(LAST_TRUCK)));
    const usable = choices.filter((v) => !unfit(v, load, t));
    return h('div', { class: 'pick', role: 'group', 'aria-label': t('hall.pick') },
      h('p', {}, h('strong', {}, t('hall.pick'))),
      usable.length ? null : h('p', { class: 'notice no-truck' }, t('hall.no_truck')),
      h('ul', { class: 'truck-picker' }, choices.map((v) => {
        const why = unfit(v, load, t);
        return h('li', {}, h('button', { type: 'button', class: why ? 'truck' : 'truck primary', disabled: Boolean(why),
          name: 'truck', dataset: { vehicle: v.id }, 'aria-disabled': String(Boolean(why)), onclick: () => grab(load, v) },
        h('span', {}, h('strong', {}, v.plate), ` · ${t('hall.rated', { tonnes: tonnesOf(v.rated_load_kg) })}`),
        why ? h('span', { class: 'why' }, why) : null));
      })),
      h('button', { type: 'button', class: 'link', onclick: () => { picking = null; draw(); } }, t('hall.cancel_pick')));
  }

  function card(load, names) {
    const perTruck = load.freight_fen_per_truck ?? Math.round((load.freight_fen_per_t || 0) * load.tonnage_kg / 1000);
    const place = load.destination_address || '';
    const road = load.road_distance_m ?? load.haul_distance_m;
    const nav = load.mine_point ? mapLinks(load.mine_point, names.mine(load.mine_id)) : null;
    const tel = telHref(load.shipper_phone);
    const open = picking === load.id;
    return h('article', { class: 'load load-card', dataset: { id: load.id } },
      h('p', { class: 'money' }, t('hall.per_truck', { yuan: yuan(perTruck) }),
        h('span', { class: 'rate' }, ` · ${t('hall.rate', { yuan: yuan(load.freight_fen_per_t || 0) })}`)),
      h('p', { class: 'route' }, h('strong', {}, names.mine(load.mine_id)), place ? ` → ${place}` : ''),
      h('p', { class: 'facts' }, [names.product(load.product_id), t('hall.tonnes', { tonnes: tonnesOf(load.tonnage_kg) }),
        load.wanted_date ? t('hall.day', { date: load.wanted_date }) : null,
        road == null ? null : t('hall.road', { km: km(road) }),
        // Without a position fix the distance to the mine is unknown: say nothing rather than '? km'.
        load.distance_to_mine_m == null ? null : t('hall.to_mine', { km: km(load.distance_to_mine_m) })].filter(Boolean).join(' · ')),
      load.shipper_name || tel ? h('p', { class: 'shipper row' }, t('hall.shipper', { name: load.shipper_name || '' }),
        tel ? h('a', { class: 'button call', href: tel }, `${t('hall.call')} ${load.shipper_phone}`) : null) : null,
      open ? picker(load) : h('div', { class: 'row actions' },
        nav ? h('a', { class: 'button nav-amap', href: nav.amap, target: '_blank', rel: 'noopener' }, t('hall.nav')) : null,
        h('button', { type: 'button', class: 'primary grab', onclick: () => { picking = load.id; draw(); } }, t('hall.grab'))));
  }

  async function refresh() {
    const q = new URLSearchParams({ limit: '50' });
    if (position) { q.set('lon', position.lon); q.set('lat', position.lat); }
    if (mine.input.value) q.set('mine_id', mine.input.value);
    if (rate.input.value) q.set('min_freight_fen_per_t', String(Math.round(Number(rate.input.value) * 100)));
    let failure = null; // offline is not "no loads": say which it is
    const [data, names] = await Promise.all([api.get(`/api/hall?${q}`).catch((e) => { failure = e; return null; }),
      catalogueNames(api)]);
    if (!alive) return;
    if (!failure) results.querySelector('.hall-state')?.remove();
    if (failure) {
      const notice = results.querySelector('.hall-state') || h('p', { class: 'notice hall-state', role: 'status' });
      notice.textContent = failure.status === 0 ? t('hall.offline') : t('hall.failed', { message: failure.message });
      notice.dataset.state = failure.status === 0 ? 'offline' : 'failed';
      if (!results.querySelector('.load')) fill(results, h('h2', { id: 'hall-h' }, t('hall.title')), notice);
      else if (!notice.isConnected) results.prepend(notice); // keep the last list, marked as not current
      return;
    }
    shown = { data, names };
    draw();
  }

  function draw() {
    if (!shown) return;
    const { data, names } = shown;
    const notice = results.querySelector('.hall-state');
    fill(results, h('h2', { id: 'hall-h' }, t('hall.title')), notice, trustNotice(t, data.trust),
      list(data.items, (load) => card(load, names), { empty: t('hall.none') }));
  }

  async function grab(load, vehicle) {
    try {
      // A grab must be decided now, not replayed later: it goes straight to the server.
      await api.send('POST', `/api/hall/${load.id}/grab`, { vehicle_id: vehicle.id });
      localStorage.setItem(LAST_TRUCK, vehicle.id);
      toast(t('hall.grabbed'));
      navigate('home');
    } catch (err) {
      if (err.status === 0) { toast(t('hall.grab_offline')); return; }
      toast(err.code === 'load_not_in_hall' ? t('hall.taken') : t('hall.lost', { message: err.message }));
      picking = null;
      await loadVehicles();
      refresh();
    }
  }

  const filters = h('details', { class: 'card filters' }, h('summary', {}, t('hall.filters')),
    h('form', { 'aria-label': t('hall.filters') }, mine.el, rate.el, h('button', { type: 'submit' }, t('hall.refresh'))));
  filters.querySelector('form').addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  // The folded filters (one line) above the loads: a list arriving below them moves nothing (Lighthouse's CLS).
  root.append(filters, results);
  catalogueNames(api).then((names) => fill(mine.input, h('option', { value: '' }, t('hall.all')),
    names.mines.map((m) => h('option', { value: m.id }, names.mine(m.id)))));
  loadVehicles();
  geo.once({ timeout: 5000 }).then((p) => { position = p; refresh(); }, () => refresh());
  refresh();
  // While a picker is open the list stands still (the card would be redrawn under the finger).
  const timer = setInterval(() => { if (!picking) refresh(); }, 20000);
  return () => { alive = false; clearInterval(timer); root.replaceChildren(); };
}

/** What the credit gate did to this list (backend/trust): suspended, loads hidden by grade, the deposit rule. */
function trustNotice(t, trust) {
  if (!trust) return null;
  const deposit = trust.deposit || {};
  return h('div', { class: 'trust-notice' },
    trust.suspended ? h('p', { class: 'warning', role: 'alert' }, t('trust.hall_suspended')) : null,
    trust.hidden_by_grade ? h('p', { class: 'muted' }, t('trust.hall_hidden', { n: trust.hidden_by_grade })) : null,
    deposit.configured && deposit.applies
      ? h('p', { class: 'muted' }, t('trust.deposit_off', { grades: deposit.grades.join('/'), yuan: yuan(deposit.amount_fen) })) : null);
}
