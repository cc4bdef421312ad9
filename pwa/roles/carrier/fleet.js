// A carrier's fleet: its vehicles and drivers, and a form to register a vehicle (works offline).
import { tonnes } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { list } from '../../ui/list.js';
import { joinSection, MESSAGES as JOIN } from './joining.js';

const COLOURS = ['yellow', 'blue', 'yellow_green', 'green', 'white', 'black'];
const ENERGY = ['B', 'E', 'C', 'O', 'A', 'F', 'Z'];
const LICENCES = ['A2', 'B2', 'A1'];

const MESSAGES = {
  zh: {
    'fleet.title': '车队', 'fleet.vehicles': '车辆', 'fleet.drivers': '司机', 'fleet.add': '登记车辆',
    'fleet.plate': '车牌号', 'fleet.plate_color': '车牌颜色', 'fleet.axles': '轴数', 'fleet.axle_count': '{n} 轴', 'fleet.tare': '自重（吨）',
    'fleet.rated': '核定载质量（吨）', 'fleet.terminal': '北斗终端号（可选）', 'fleet.save': '保存',
    'fleet.saved': '已登记 {plate}', 'fleet.no_vehicles': '还没有车辆', 'fleet.no_drivers': '还没有司机',
    'fleet.pending': '待发送', 'fleet.offline_list': '离线：列表暂时无法刷新',
    'colour.yellow': '黄牌', 'colour.blue': '蓝牌', 'colour.yellow_green': '黄绿牌',
    'colour.green': '绿牌', 'colour.white': '白牌', 'colour.black': '黑牌',
    'fleet.vin': '车辆识别代号 VIN', 'fleet.cert_no': '道路运输证号', 'fleet.cert_expires': '道路运输证有效期至',
    'fleet.energy': '能源类型', 'energy.B': '柴油', 'energy.E': '天然气', 'energy.C': '电', 'energy.O': '混合动力',
    'energy.A': '汽油', 'energy.F': '液化石油气', 'energy.Z': '其他',
    'fleet.certs': '证件提醒', 'fleet.certs_ok': '证件齐全，30 天内无到期', 'fleet.cert_expiring': '{days} 天后到期（{date}）',
    'fleet.cert_expired': '已过期', 'fleet.cert_missing': '缺失', 'fleet.cert_wrong_class': '准驾车型不符',
    'fleet.papers': '录入证件', 'fleet.papers_saved': '证件已保存', 'fleet.id_number': '身份证号',
    'fleet.licence_class': '准驾车型', 'fleet.licence_until': '驾驶证有效期至', 'fleet.qualification': '从业资格证号',
    'fleet.qualification_until': '从业资格证有效期至',
    'cert.vehicle_transport_cert': '道路运输证', 'cert.vehicle_vin': 'VIN', 'cert.driver_licence': '驾驶证',
    'cert.driver_qualification': '从业资格证',
  },
  en: {
    'fleet.title': 'Fleet', 'fleet.vehicles': 'Vehicles', 'fleet.drivers': 'Drivers', 'fleet.add': 'Register a vehicle',
    'fleet.plate': 'Plate number', 'fleet.plate_color': 'Plate colour', 'fleet.axles': 'Axles', 'fleet.axle_count': '{n} axles', 'fleet.tare': 'Tare (t)',
    'fleet.rated': 'Rated load (t)', 'fleet.terminal': 'Beidou terminal id (optional)', 'fleet.save': 'Save',
    'fleet.saved': 'Registered {plate}', 'fleet.no_vehicles': 'No vehicles yet', 'fleet.no_drivers': 'No drivers yet',
    'fleet.pending': 'Pending', 'fleet.offline_list': 'Offline: the list cannot be refreshed now',
    'colour.yellow': 'Yellow', 'colour.blue': 'Blue', 'colour.yellow_green': 'Yellow-green',
    'colour.green': 'Green', 'colour.white': 'White', 'colour.black': 'Black',
    'fleet.vin': 'VIN', 'fleet.cert_no': 'Road transport certificate no.', 'fleet.cert_expires': 'Certificate valid until',
    'fleet.energy': 'Energy', 'energy.B': 'Diesel', 'energy.E': 'Natural gas', 'energy.C': 'Electric', 'energy.O': 'Hybrid',
    'energy.A': 'Petrol', 'energy.F': 'LPG', 'energy.Z': 'Other',
    'fleet.certs': 'Certificates', 'fleet.certs_ok': 'All papers present, none expiring within 30 days',
    'fleet.cert_expiring': 'expires in {days} days ({date})', 'fleet.cert_expired': 'expired',
    'fleet.cert_missing': 'missing', 'fleet.cert_wrong_class': 'wrong licence class',
    'fleet.papers': 'Record papers', 'fleet.papers_saved': 'Papers saved', 'fleet.id_number': 'ID number',
    'fleet.licence_class': 'Licence class', 'fleet.licence_until': 'Licence valid until',
    'fleet.qualification': 'Qualification certificate no.', 'fleet.qualification_until': 'Qualification valid until',
    'cert.vehicle_transport_cert': 'Road transport certificate', 'cert.vehicle_vin': 'VIN',
    'cert.driver_licence': 'Driving licence', 'cert.driver_qualification': 'Qualification certificate',
  },
};

const toKg = (value) => Math.round(Number(value) * 1000);

function vehicleRow(v, t, pending = false) {
  return h('div', { class: 'row vehicle', dataset: { plate: v.plate } },
    h('strong', { class: 'plate', dataset: { colour: v.plate_color } }, v.plate),
    h('span', {}, `${t(`colour.${v.plate_color}`)} · ${t('fleet.axle_count', { n: v.axles })} · `
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
    vin: field({ name: 'vin', label: t('fleet.vin'), attrs: { autocomplete: 'off', maxlength: 17 } }),
    energy_type: field({ name: 'energy_type', label: t('fleet.energy'), value: 'B',
      options: ENERGY.map((c) => [c, t(`energy.${c}`)]) }),
    transport_cert_no: field({ name: 'transport_cert_no', label: t('fleet.cert_no'),
      attrs: { autocomplete: 'off', inputmode: 'numeric', maxlength: 12 } }),
    transport_cert_expires: field({ name: 'transport_cert_expires', label: t('fleet.cert_expires'), attrs: { type: 'date' } }),
  };
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': t('fleet.add') },
    h('h2', {}, t('fleet.add')), Object.values(fields).map((f) => f.el), error,
    h('button', { type: 'submit', class: 'primary block' }, t('fleet.save')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const v = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.input.value.trim()]));
    onSubmit({ plate: v.plate, plate_color: v.plate_color, axles: Number(v.axles), tare_kg: toKg(v.tare_kg),
      rated_load_kg: toKg(v.rated_load_kg), terminal_id: v.terminal_id || null, vin: v.vin || null,
      energy_type: v.energy_type || null, transport_cert_no: v.transport_cert_no || null,
      transport_cert_expires: v.transport_cert_expires || null }, { fields, error, form });
  });
  return form;
}

function certRow(row, t) {
  const who = row.plate || row.driver_id;
  const what = row.status === 'expiring'
    ? t('fleet.cert_expiring', { days: row.days_left, date: row.expires }) : t(`fleet.cert_${row.status}`);
  return h('div', { class: `row cert ${row.status}`, dataset: { status: row.status } },
    h('strong', {}, who), h('span', {}, ` ${t(`cert.${row.certificate}`)}: ${what}`));
}

function papersForm(driver, t, onSubmit) {
  const fields = {
    id_number: field({ name: 'id_number', label: t('fleet.id_number'), attrs: { required: true, maxlength: 18, autocomplete: 'off' } }),
    licence_class: field({ name: 'licence_class', label: t('fleet.licence_class'), value: 'A2', options: LICENCES.map((c) => [c, c]) }),
    licence_valid_until: field({ name: 'licence_valid_until', label: t('fleet.licence_until'), attrs: { type: 'date', required: true } }),
    qualification_no: field({ name: 'qualification_no', label: t('fleet.qualification'), attrs: { required: true, maxlength: 19, autocomplete: 'off' } }),
    qualification_expires: field({ name: 'qualification_expires', label: t('fleet.qualification_until'), attrs: { type: 'date', required: true } }),
  };
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'papers', novalidate: true, 'aria-label': `${t('fleet.papers')} ${driver.name}` },
    Object.values(fields).map((f) => f.el), error, h('button', { type: 'submit', class: 'primary block' }, t('fleet.save')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const v = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.input.value.trim()]));
    onSubmit(v, { fields, error });
  });
  return form;
}

export function render(root, { api, write, t, addMessages, toast, onOutboxChange, pendingWrites }) {
  addMessages(MESSAGES);
  addMessages(JOIN);
  const vehicles = h('section', { class: 'card', 'aria-labelledby': 'fleet-veh' });
  const drivers = h('section', { class: 'card', 'aria-labelledby': 'fleet-drv' });
  const certs = h('section', { class: 'card', 'aria-labelledby': 'fleet-certs' });

  function driverRow(d) {
    const holder = h('div', {});
    const open = () => fill(holder, papersForm(d, t, async (body, { fields, error }) => {
      Object.values(fields).forEach((f) => f.setError(null));
      error.hidden = true;
      try {
        const result = await write('PUT', `/api/fleet/drivers/${encodeURIComponent(d.id)}/credentials`, body,
          `${t('fleet.papers')} ${d.name}`);
        toast(result.queued ? t('queued') : t('fleet.papers_saved'));
        fill(holder);
        refresh();
      } catch (e) {
        Object.entries(e.fieldErrors || {}).forEach(([name, msg]) => fields[name]?.setError(msg));
        error.textContent = e.message;
        error.hidden = false;
      }
    }));
    return h('div', { class: 'row driver' }, h('strong', {}, d.name), h('span', {}, d.phone),
      h('button', { type: 'button', onclick: open }, t('fleet.papers')), holder);
  }
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
        ? list(ds.value.items, driverRow, { empty: t('fleet.no_drivers') })
        : h('p', { class: 'hint' }, t('fleet.offline_list')));
    const status = await api.get('/api/fleet/certificates').catch(() => null);
    if (!alive) return;
    fill(certs, h('h2', { id: 'fleet-certs' }, t('fleet.certs')),
      status ? list(status.items, (row) => certRow(row, t), { empty: t('fleet.certs_ok') })
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

  const joining = joinSection({ api, t, toast }, () => refresh()); // drivers who signed up with our code
  root.replaceChildren(h('h1', {}, t('fleet.title')), joining.el, certs, vehicleForm(t, submit), vehicles, drivers);
  refresh();
  const stop = onOutboxChange(() => refresh());
  return () => { alive = false; stop(); };
}
