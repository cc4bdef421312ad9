// Carrier: loads entrusted to us — told apart by where they go, the rate, the loading day and whose they are;
// accept, decline (asked first), assign our own driver and a truck that can take the load, reassign before
// booking. The list refreshes by itself while open (ETag polling), so a new entrustment shows without a reload.
import { catalogueNames } from '../../lib/catalogue.js';
import { companyNames } from '../../lib/companies.js';
import { weight, yuan } from '../../lib/format.js';
import { pollList, typingIn } from '../../lib/refresh.js';
import { entrustName, stateName } from '../../lib/waybill-words.js';
import { confirmAction } from '../../ui/confirm.js';
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';

const MESSAGES = {
  zh: { 'cd.title': '委托货源', 'cd.none': '暂无委托', 'cd.accept': '接受', 'cd.decline': '拒绝', 'cd.assign': '派车',
    'cd.reassign': '改派', 'cd.driver': '司机', 'cd.vehicle': '车辆', 'cd.done': '已完成：{label}',
    'cd.to': '送往 {place}', 'cd.rate': '运价 {per_t} 元/吨 · 约 {per_truck} 元/车', 'cd.no_rate': '运价待定', 'cd.day': '装车日 {date}',
    'cd.shipper': '货主 {name}', 'cd.decline_q': '拒绝这单委托？货会退回给货主，由货主改派或发布到大厅。',
    'cd.no_fit': '没有能装 {t} 的空闲车辆', 'cd.reason': '拒绝原因（可选，货主会看到）' },
  en: { 'cd.title': 'Entrusted loads', 'cd.none': 'No entrusted loads', 'cd.accept': 'Accept', 'cd.decline': 'Decline',
    'cd.assign': 'Dispatch', 'cd.reassign': 'Reassign', 'cd.driver': 'Driver', 'cd.vehicle': 'Truck', 'cd.done': 'Done: {label}',
    'cd.to': 'To {place}', 'cd.rate': 'Freight ¥{per_t}/t · about ¥{per_truck} a truck', 'cd.no_rate': 'Rate to be agreed',
    'cd.day': 'Loading day {date}', 'cd.shipper': 'Shipper {name}',
    'cd.decline_q': 'Decline this load? It goes back to the shipper, who entrusts another carrier or publishes it.',
    'cd.no_fit': 'No active truck takes {t}', 'cd.reason': 'Why (optional, the shipper sees it)' },
};

export function render(root, { api, write, t, addMessages, toast }) {
  addMessages(MESSAGES);
  const section = h('section', { class: 'card', 'aria-labelledby': 'cd-h', 'aria-live': 'polite' }, h('h2', { id: 'cd-h' }, t('cd.title')));
  root.append(section);
  let alive = true;
  let crew = { drivers: [], vehicles: [] };

  async function act(load, path, body, label) {
    try {
      const res = await write('POST', `/api/dispatch/loads/${load.id}/${path}`, body, label);
      toast(res.queued ? t('queued') : t('cd.done', { label }));
    } catch (e) { toast(e.message); }
    document.activeElement?.blur?.(); // done with the form: the list may redraw now
    poller.now();
  }

  async function decline(load) {
    const reason = h('input', { name: 'reason', maxlength: 60, 'aria-label': t('cd.reason'), placeholder: t('cd.reason') });
    const yes = await confirmAction(t('cd.decline_q'), { yes: t('cd.decline'), detail: reason });
    if (yes) act(load, 'decline', reason.value.trim() ? { reason: reason.value.trim() } : {}, t('cd.decline'));
  }

  function assignForm(load, action) {
    const id = `cd-${load.id}`;
    // Only trucks that can take this load: a too-small truck would be refused after the tap.
    const fitting = crew.vehicles.filter((v) => v.status === 'active' && v.rated_load_kg >= load.tonnage_kg);
    if (!fitting.length) return h('p', { class: 'warning' }, t('cd.no_fit', { t: weight(load.tonnage_kg, 1) }));
    const driver = h('select', { id: `${id}-d`, name: 'driver_id' }, crew.drivers.map((d) => h('option', { value: d.id }, d.name)));
    const vehicle = h('select', { id: `${id}-v`, name: 'vehicle_id' },
      fitting.map((v) => h('option', { value: v.id }, `${v.plate} · ${weight(v.rated_load_kg, 1)}`)));
    const label = t(action === 'assign' ? 'cd.assign' : 'cd.reassign');
    return h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); act(load, action, { driver_id: driver.value, vehicle_id: vehicle.value }, label); } },
      h('label', { for: `${id}-d` }, t('cd.driver')), driver, h('label', { for: `${id}-v` }, t('cd.vehicle')), vehicle,
      h('button', { type: 'submit', class: 'primary' }, label));
  }

  function row(w, names, company) {
    const rate = w.freight_fen_per_t
      ? t('cd.rate', { per_t: yuan(w.freight_fen_per_t), per_truck: yuan(Math.round(w.freight_fen_per_t * w.tonnage_kg / 1000)) })
      : t('cd.no_rate');
    return h('div', { class: 'row load', dataset: { id: w.id, state: w.state } },
      h('strong', {}, `${names.load(w)} · ${weight(w.tonnage_kg, 1)}`),
      h('span', { class: 'tag' }, w.state === 'open' ? entrustName(w.entrust_status) : stateName(w.state)),
      w.destination && w.destination.address ? h('span', { class: 'destination' }, t('cd.to', { place: w.destination.address })) : null,
      h('span', { class: 'rate' }, rate),
      w.wanted_date ? h('span', { class: 'day' }, t('cd.day', { date: w.wanted_date })) : null,
      company(w.shipper_id) ? h('span', { class: 'shipper' }, t('cd.shipper', { name: company(w.shipper_id) })) : null,
      w.plate ? h('span', { class: 'plate' }, w.plate) : null,
      w.state === 'open' && w.entrust_status === 'pending' ? h('button', { type: 'button', onclick: () => act(w, 'accept', {}, t('cd.accept')) }, t('cd.accept')) : null,
      w.state === 'open' ? h('button', { type: 'button', class: 'danger', onclick: () => decline(w) }, t('cd.decline')) : null,
      w.state === 'open' ? assignForm(w, 'assign') : assignForm(w, 'reassign'));
  }

  async function show(data) {
    const loads = (data.items || []).filter((w) => ['open', 'assigned'].includes(w.state));
    const [names, company] = await Promise.all([catalogueNames(api), companyNames(api, loads.map((w) => w.shipper_id))]);
    if (!alive) return;
    fill(section, h('h2', { id: 'cd-h' }, t('cd.title')), list(loads, (w) => row(w, names, company), { empty: t('cd.none') }));
  }
  let poller = { now() {}, stop() {} };
  Promise.all([api.get('/api/fleet/drivers?limit=100'), api.get('/api/fleet/vehicles?limit=100')])
    .then(([d, v]) => { crew = { drivers: d.items, vehicles: v.items }; }, () => {})
    .then(() => {
      if (alive) poller = pollList(api, '/api/dispatch/loads?limit=50', show, { hold: () => typingIn(section),
        onError: (e) => { if (e.status !== 0) toast(e.message); } });
    });
  return () => { alive = false; poller.stop(); root.replaceChildren(); };
}
