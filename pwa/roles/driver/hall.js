// Driver: the order hall — open loads nearest first, filters, and grab with one of my carrier's trucks.
import { catalogueNames } from '../../lib/catalogue.js';
import { km, yuan } from '../../lib/format.js';
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
  },
};

export function render(root, { api, write, t, addMessages, toast, geo, navigate }) {
  addMessages(MESSAGES);
  const vehicle = field({ name: 'vehicle_id', label: t('hall.vehicle'), options: [] });
  const mine = field({ name: 'mine_id', label: t('hall.mine'), options: [['', t('hall.all')]] });
  const rate = field({ name: 'min_rate', label: t('hall.min_rate'), attrs: { type: 'number', inputmode: 'decimal', min: 0 } });
  const results = h('section', { class: 'card', 'aria-labelledby': 'hall-h', 'aria-live': 'polite' });
  let position = null;
  let alive = true;

  async function refresh() {
    const q = new URLSearchParams({ limit: '50' });
    if (position) { q.set('lon', position.lon); q.set('lat', position.lat); }
    if (mine.input.value) q.set('mine_id', mine.input.value);
    if (rate.input.value) q.set('min_freight_fen_per_t', String(Math.round(Number(rate.input.value) * 100)));
    let failure = null; // offline is not "no loads": say which it is
    const [data, names] = await Promise.all([api.get(`/api/hall?${q}`).catch((e) => { failure = e; return null; }),
      catalogueNames(api)]);
    if (!alive) return;
    if (failure) {
      const notice = results.querySelector('.hall-state') || h('p', { class: 'notice hall-state', role: 'status' });
      notice.textContent = failure.status === 0 ? t('hall.offline') : t('hall.failed', { message: failure.message });
      notice.dataset.state = failure.status === 0 ? 'offline' : 'failed';
      if (!results.querySelector('.load')) fill(results, h('h2', { id: 'hall-h' }, t('hall.title')), notice);
      else if (!notice.isConnected) results.prepend(notice); // keep the last list, marked as not current
      return;
    }
    fill(results, h('h2', { id: 'hall-h' }, t('hall.title')), trustNotice(t, data.trust), list(data.items, (load) => h('div', { class: 'row load', dataset: { id: load.id } },
      h('strong', {}, `${names.mine(load.mine_id)} · ${names.product(load.product_id)} · ${t('unit.tonnes', { value: load.tonnage_kg / 1000 })}`),
      // Without a position fix the distance to the mine is unknown: say nothing rather than '? km'.
      h('span', {}, [load.distance_to_mine_m == null ? null : t('hall.to_mine', { km: km(load.distance_to_mine_m) }),
        load.haul_distance_m == null ? null : t('hall.haul', { km: km(load.haul_distance_m) })].filter(Boolean).join(' · ')),
      h('span', { class: 'rate' }, t('hall.rate', { yuan: yuan(load.freight_fen_per_t || 0) })),
      load.destination_address ? h('span', {}, load.destination_address) : null,
      h('button', { type: 'button', class: 'primary', onclick: () => grab(load) }, t('hall.grab'))), { empty: t('hall.none') }));
  }

  async function grab(load) {
    try {
      // A grab must be decided now, not replayed later: it goes straight to the server.
      await api.send('POST', `/api/hall/${load.id}/grab`, { vehicle_id: vehicle.input.value });
      toast(t('hall.grabbed'));
      navigate('my-waybill');
    } catch (err) {
      if (err.status === 0) { toast(t('hall.grab_offline')); return; }
      toast(err.code === 'load_not_in_hall' ? t('hall.taken') : t('hall.lost', { message: err.message }));
      refresh();
    }
  }

  const filters = h('form', { class: 'card filters', 'aria-label': t('hall.title') }, vehicle.el, mine.el, rate.el,
    h('button', { type: 'submit' }, t('hall.refresh')));
  filters.addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  root.append(filters, results);
  catalogueNames(api).then((names) => fill(mine.input, h('option', { value: '' }, t('hall.all')),
    names.mines.map((m) => h('option', { value: m.id }, names.mine(m.id)))));
  api.get('/api/hall/vehicles').then((d) => fill(vehicle.input,
    d.items.map((v) => h('option', { value: v.id }, `${v.plate} · ${(v.rated_load_kg / 1000).toFixed(1)}t`)))).catch(() => {});
  geo.once({ timeout: 5000 }).then((p) => { position = p; refresh(); }, () => refresh());
  refresh();
  const timer = setInterval(refresh, 20000);
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
