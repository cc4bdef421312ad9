// A carrier's fleet: its vehicles and drivers, and a form to register a vehicle (works offline).
import { tonnes } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { list } from '../../ui/list.js';

const COLOURS = ['yellow', 'blue', 'yellow_green', 'green', 'white', 'black'];

const MESSAGES = {
  zh: {
    'fleet.title': '车队', 'fleet.vehicles': '车辆', 'fleet.drivers': '司机', 'fleet.add': '登记车辆',
    'fleet.plate': '车牌号', 'fleet.plate_color': '车牌颜色', 'fleet.axles': '轴数', 'fleet.tare': '自重（吨）',
    'fleet.rated': '核定载质量（吨）', 'fleet.terminal': '北斗终端号（可选）', 'fleet.save': '保存',
    'fleet.saved': '已登记 {plate}', 'fleet.no_vehicles': '还没有车辆', 'fleet.no_drivers': '还没有司机',
    'fleet.pending': '待发送', 'fleet.offline_list': '离线：列表暂时无法刷新',
    'colour.yellow': '黄牌', 'colour.blue': '蓝牌', 'colour.yellow_green': '黄绿牌',
    'colour.green': '绿牌', 'colour.white': '白牌', 'colour.black': '黑牌',
  },
  en: {
    'fleet.title': 'Fleet', 'fleet.vehicles': 'Vehicles', 'fleet.drivers': 'Drivers', 'fleet.add': 'Register a vehicle',
    'fleet.plate': 'Plate number', 'fleet.plate_color': 'Plate colour', 'fleet.axles': 'Axles', 'fleet.tare': 'Tare (t)',
    'fleet.rated': 'Rated load (t)', 'fleet.terminal': 'Beidou terminal id (optional)', 'fleet.save': 'Save',
    'fleet.saved': 'Registered {plate}', 'fleet.no_vehicles': 'No vehicles yet', 'fleet.no_drivers': 'No drivers yet',
    'fleet.pending': 'Pending', 'fleet.offline_list': 'Offline: the list cannot be refreshed now',
    'colour.yellow': 'Yellow', 'colour.blue': 'Blue', 'colour.yellow_green': 'Yellow-green',
    'colour.green': 'Green', 'colour.white': 'White', 'colour.black': 'Black',
  },
};

const toKg = (value) => Math.round(Number(value) * 1000);

function vehicleRow(v, t, pending = false) {
  return h('div', { class: 'row vehicle', dataset: { plate: v.plate } },
    h('strong', { class: 'plate', dataset: { colour: v.plate_color } }, v.plate),
    h('span', {}, `${t(`colour.${v.plate_color}`)} · ${v.axles}${t('fleet.axles')} · `
      + t('unit.tonnes', { value: tonnes(v.rated_load_kg, 1) })),
    pending ? h('span', { class: 'tag pending-tag' }, t('fleet.pending')) : null);
}

function vehicleForm(t, onSubmit) {
  const fields = {
    plate: field({ name: 'plate', label: t('fleet.plate'), attrs: { required: true, autocomplete: 'off', maxlength: 16 } }),
    plate_color: field({ name: 'plate_color', label: t('fleet.plate_color'), value: 'yellow',
      options: COLOURS.map((c) => [c, t(`colour.${c}`)]) }),
    axles: field({ name: 'axles', label: t('fleet.axles'), value: '6',
      attrs: { type: 'number', inputmode: 'numeric', min: 2, max: 8, required: true } }),
    tare_kg: field({ name: 'tare_kg', label: t('fleet.tare'), value: '15',
      attrs: { type: 'number', inputmode: 'decimal', step: '0.1', min: 0, required: true } }),
    rated_load_kg: field({ name: 'rated_load_kg', label: t('fleet.rated'), value: '34',
      attrs: { type: 'number', inputmode: 'decimal', step: '0.1', min: 0, required: true } }),
    terminal_id: field({ name: 'terminal_id', label: t('fleet.terminal'), attrs: { autocomplete: 'off', maxlength: 32 } }),
  };
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': t('fleet.add') },
    h('h2', {}, t('fleet.add')), Object.values(fields).map((f) => f.el), error,
    h('button', { type: 'submit', class: 'primary block' }, t('fleet.save')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const v = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.input.value.trim()]));
    onSubmit({ plate: v.plate, plate_color: v.plate_color, axles: Number(v.axles), tare_kg: toKg(v.tare_kg),
      rated_load_kg: toKg(v.rated_load_kg), terminal_id: v.terminal_id || null }, { fields, error, form });
  });
  return form;
}

export function render(root, { api, write, t, addMessages, toast, onOutboxChange, pendingWrites }) {
  addMessages(MESSAGES);
  const vehicles = h('section', { class: 'card', 'aria-labelledby': 'fleet-veh' });
  const drivers = h('section', { class: 'card', 'aria-labelledby': 'fleet-drv' });
  let alive = true;

  async function refresh() {
    const pendingBodies = pendingWrites()
      .then((items) => items.filter((i) => i.method === 'POST' && i.path === '/api/fleet/vehicles').map((i) => i.body));
    const [vs, ds, pending] = await Promise.allSettled(
      [api.get('/api/fleet/vehicles?limit=100'), api.get('/api/fleet/drivers?limit=100'), pendingBodies]);
    if (!alive) return;
    const queued = pending.status === 'fulfilled' ? pending.value : [];
    fill(vehicles, h('h2', { id: 'fleet-veh' }, t('fleet.vehicles')),
      vs.status === 'fulfilled' || queued.length
        ? list([...queued.map((b) => ({ ...b, pending: true })), ...(vs.value?.items || [])],
          (v) => vehicleRow(v, t, v.pending), { empty: t('fleet.no_vehicles') })
        : null,
      vs.status === 'rejected' ? h('p', { class: 'hint' }, t('fleet.offline_list')) : null);
    drivers.replaceChildren(h('h2', { id: 'fleet-drv' }, t('fleet.drivers')),
      ds.status === 'fulfilled'
        ? list(ds.value.items, (d) => h('div', { class: 'row' }, h('strong', {}, d.name), h('span', {}, d.phone)),
          { empty: t('fleet.no_drivers') })
        : h('p', { class: 'hint' }, t('fleet.offline_list')));
  }

  async function submit(body, { fields, error, form }) {
    Object.values(fields).forEach((f) => f.setError(null));
    error.hidden = true;
    try {
      const result = await write('POST', '/api/fleet/vehicles', body, `${t('fleet.add')} ${body.plate}`);
      toast(result.queued ? t('queued') : t('fleet.saved', { plate: result.data.plate }));
      form.reset();
    } catch (e) {
      const byField = e.fieldErrors || {};
      Object.entries(byField).forEach(([name, msg]) => fields[name]?.setError(msg));
      error.textContent = e.message;
      error.hidden = false;
    }
    refresh();
  }

  root.replaceChildren(h('h1', {}, t('fleet.title')), vehicleForm(t, submit), vehicles, drivers);
  refresh();
  const stop = onOutboxChange(() => refresh());
  return () => { alive = false; stop(); };
}
