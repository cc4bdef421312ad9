// Carrier: loads entrusted to us — accept, decline, assign our own driver and truck, reassign before booking.
import { catalogueNames } from '../../lib/catalogue.js';
import { entrustName, stateName } from '../../lib/waybill-words.js';
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';

const MESSAGES = {
  zh: { 'cd.title': '委托货源', 'cd.none': '暂无委托', 'cd.accept': '接受', 'cd.decline': '拒绝', 'cd.assign': '派车',
    'cd.reassign': '改派', 'cd.driver': '司机', 'cd.vehicle': '车辆', 'cd.done': '已完成：{label}' },
  en: { 'cd.title': 'Entrusted loads', 'cd.none': 'No entrusted loads', 'cd.accept': 'Accept', 'cd.decline': 'Decline',
    'cd.assign': 'Dispatch', 'cd.reassign': 'Reassign', 'cd.driver': 'Driver', 'cd.vehicle': 'Truck', 'cd.done': 'Done: {label}' },
};

export function render(root, { api, write, t, addMessages, toast }) {
  addMessages(MESSAGES);
  const section = h('section', { class: 'card', 'aria-labelledby': 'cd-h' });
  root.append(section);
  let alive = true;
  let crew = { drivers: [], vehicles: [] };

  async function act(load, path, body, label) {
    try {
      const res = await write('POST', `/api/dispatch/loads/${load.id}/${path}`, body, label);
      toast(res.queued ? t('queued') : t('cd.done', { label }));
    } catch (e) { toast(e.message); }
    refresh();
  }

  function assignForm(load, action) {
    const id = `cd-${load.id}`;
    const driver = h('select', { id: `${id}-d`, name: 'driver_id' }, crew.drivers.map((d) => h('option', { value: d.id }, d.name)));
    const vehicle = h('select', { id: `${id}-v`, name: 'vehicle_id' }, crew.vehicles.filter((v) => v.status === 'active')
      .map((v) => h('option', { value: v.id }, `${v.plate} · ${(v.rated_load_kg / 1000).toFixed(1)}t`)));
    const label = t(action === 'assign' ? 'cd.assign' : 'cd.reassign');
    return h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); act(load, action, { driver_id: driver.value, vehicle_id: vehicle.value }, label); } },
      h('label', { for: `${id}-d` }, t('cd.driver')), driver, h('label', { for: `${id}-v` }, t('cd.vehicle')), vehicle,
      h('button', { type: 'submit', class: 'primary' }, label));
  }

  async function refresh() {
    const [data, names] = await Promise.all([api.get('/api/dispatch/loads?limit=50').catch(() => ({ items: [] })), catalogueNames(api)]);
    if (!alive) return;
    const loads = data.items.filter((w) => ['open', 'assigned'].includes(w.state));
    fill(section, h('h2', { id: 'cd-h' }, t('cd.title')), list(loads, (w) => h('div', { class: 'row load', dataset: { id: w.id, state: w.state } },
      h('strong', {}, `${names.load(w)} · ${w.tonnage_kg / 1000} t`),
      h('span', { class: 'tag' }, w.state === 'open' ? entrustName(w.entrust_status) : stateName(w.state)),
      w.plate ? h('span', { class: 'plate' }, w.plate) : null,
      w.state === 'open' && w.entrust_status === 'pending' ? h('button', { type: 'button', onclick: () => act(w, 'accept', {}, t('cd.accept')) }, t('cd.accept')) : null,
      w.state === 'open' ? h('button', { type: 'button', onclick: () => act(w, 'decline', {}, t('cd.decline')) }, t('cd.decline')) : null,
      w.state === 'open' ? assignForm(w, 'assign') : assignForm(w, 'reassign')), { empty: t('cd.none') }));
  }
  Promise.all([api.get('/api/fleet/drivers?limit=100'), api.get('/api/fleet/vehicles?limit=100')])
    .then(([d, v]) => { crew = { drivers: d.items, vehicles: v.items }; refresh(); }, () => refresh());
  const timer = setInterval(refresh, 20000);
  return () => { alive = false; clearInterval(timer); root.replaceChildren(); };
}
