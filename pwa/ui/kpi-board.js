// One command-centre theme drawn from a dashboard reply (GET /api/analytics/dashboard): KPI tiles, charts and
// the per-party table. The dispatcher's command centre, the mine's site view and the shipper's fulfilment
// view all draw through it, so a KPI reads the same everywhere.
import { tonnes } from '../lib/format.js';
import { accessToken } from '../lib/session.js';
import { bars, lines, table, tiles } from './chart.js';
import { h } from './dom.js';

export const MESSAGES = {
  zh: { 'kpi.theme.capacity': '运力', 'kpi.theme.dispatch': '调度', 'kpi.theme.customers': '客户', 'kpi.theme.in_transit': '在途',
    'kpi.booked': '预约', 'kpi.checked_in': '签到', 'kpi.entered': '进矿', 'kpi.loaded': '装车出矿', 'kpi.out_kg': '出矿量（吨）',
    'kpi.seats_lost': '失约/取消', 'kpi.no_show_rate': '失约率', 'kpi.held': '扣车', 'kpi.planned': '计划车数',
    'kpi.delivered': '送达', 'kpi.fulfilment': '履约率', 'kpi.on_time_rate': '准时率', 'kpi.live': '在途车辆（当前）',
    'kpi.departed': '发车', 'kpi.arrived': '到达', 'kpi.deviations': '偏航', 'kpi.long_stops': '异常停车',
    'kpi.fake_plate': '套牌预警', 'kpi.loss_rate': '途损率', 'kpi.loss_kg': '途损（吨）', 'kpi.tkm': '吨公里',
    'kpi.by_day': '按日', 'kpi.by_hour': '今日各小时出矿（吨）', 'kpi.rows.mine': '各矿', 'kpi.rows.carrier': '各承运商',
    'kpi.rows.shipper': '各货主', 'kpi.party': '名称', 'kpi.unknown_mine': '未登记矿点', 'kpi.unnamed': '未命名单位', 'kpi.none': '所选日期没有数据', 'kpi.dash': '—',
    'kpi.reports': '报表', 'kpi.no_reports': '还没有生成报表', 'kpi.cadence.daily': '日报', 'kpi.cadence.weekly': '周报',
    'kpi.cadence.monthly': '月报', 'kpi.xlsx': '下载 Excel', 'kpi.pdf': '下载 PDF', 'kpi.print': '打印', 'kpi.download_failed': '下载失败：{message}',
    'kpi.queue_minutes': '平均排队（分钟）', 'kpi.gate_turnaround_minutes': '平均厂内周转（分钟）', 'kpi.window_use': '时段利用率',
    'kpi.detention_minutes': '压车（分钟）', 'kpi.utilisation': '吨位利用率', 'kpi.vehicle_ton_output': '车吨产量（吨公里/吨）' },
  en: { 'kpi.theme.capacity': 'Capacity', 'kpi.theme.dispatch': 'Dispatch', 'kpi.theme.customers': 'Customers',
    'kpi.theme.in_transit': 'In transit', 'kpi.booked': 'Booked', 'kpi.checked_in': 'Checked in', 'kpi.entered': 'Entered',
    'kpi.loaded': 'Loaded out', 'kpi.out_kg': 'Coal out (t)', 'kpi.seats_lost': 'No-show / cancelled', 'kpi.no_show_rate': 'No-show rate',
    'kpi.held': 'Held', 'kpi.planned': 'Planned loads', 'kpi.delivered': 'Delivered', 'kpi.fulfilment': 'Fulfilment',
    'kpi.on_time_rate': 'On time', 'kpi.live': 'On the road now', 'kpi.departed': 'Departed', 'kpi.arrived': 'Arrived',
    'kpi.deviations': 'Route deviations', 'kpi.long_stops': 'Long stops', 'kpi.fake_plate': 'Fake-plate alerts',
    'kpi.loss_rate': 'Loss in transit', 'kpi.loss_kg': 'Loss (t)', 'kpi.tkm': 'Tonne-km', 'kpi.by_day': 'By day',
    'kpi.by_hour': 'Coal out by hour today (t)', 'kpi.rows.mine': 'Mines', 'kpi.rows.carrier': 'Carriers',
    'kpi.rows.shipper': 'Shippers', 'kpi.party': 'Name', 'kpi.unknown_mine': 'Unlisted site', 'kpi.unnamed': 'Unnamed company', 'kpi.none': 'No data for these dates', 'kpi.dash': '—',
    'kpi.reports': 'Reports', 'kpi.no_reports': 'No reports generated yet', 'kpi.cadence.daily': 'Daily',
    'kpi.cadence.weekly': 'Weekly', 'kpi.cadence.monthly': 'Monthly', 'kpi.xlsx': 'Excel', 'kpi.pdf': 'PDF', 'kpi.print': 'Print',
    'kpi.download_failed': 'Download failed: {message}', 'kpi.queue_minutes': 'Mean queue (min)',
    'kpi.gate_turnaround_minutes': 'Mean gate turnaround (min)', 'kpi.window_use': 'Window use', 'kpi.detention_minutes': 'Detention (min)',
    'kpi.utilisation': 'Tonnage utilisation', 'kpi.vehicle_ton_output': 'Vehicle-ton output (t·km/t)' },
};

export const THEMES = ['capacity', 'dispatch', 'customers', 'in_transit'];

const n = (row, key) => Number(row[key] || 0);
const pct = (v) => (v === null || v === undefined ? null : `${Math.round(v * 1000) / 10}%`);

// Per theme: tiles, the daily chart and the table's columns (what each page shows, in one place).
const LAYOUT = {
  capacity: { tiles: ['booked', 'checked_in', 'entered', 'loaded', 'out_kg', 'no_show_rate', 'queue_minutes',
    'gate_turnaround_minutes', 'window_use', 'detention_minutes'], chart: 'bars', series: ['loaded'],
    columns: ['loaded', 'out_kg', 'seats_lost', 'queue_minutes', 'gate_turnaround_minutes', 'window_use'] },
  dispatch: { tiles: ['booked', 'entered', 'loaded', 'held', 'seats_lost', 'utilisation', 'vehicle_ton_output'], chart: 'lines',
    series: ['booked', 'loaded'], columns: ['booked', 'loaded', 'delivered', 'tkm', 'utilisation', 'vehicle_ton_output'] },
  customers: { tiles: ['planned', 'delivered', 'fulfilment', 'on_time_rate'], chart: 'bars', series: ['planned', 'delivered'],
    columns: ['planned', 'delivered', 'fulfilment', 'on_time_rate'] },
  in_transit: { tiles: ['live', 'departed', 'arrived', 'deviations', 'long_stops', 'fake_plate', 'loss_rate'], chart: 'lines',
    series: ['departed', 'arrived'], columns: ['departed', 'arrived', 'delivered', 'loss_kg'] },
};

/** A KPI of a counters/ratios row as display text. */
function value(row, key, t) {
  if (key === 'out_kg' || key === 'loss_kg') return tonnes(n(row, key), 1);
  if (key === 'tkm') return String(Math.round(n(row, 'kgkm') / 1000));
  if (key === 'live') return String(n(row, 'in_transit'));
  if (key in { fulfilment: 1, on_time_rate: 1, no_show_rate: 1, loss_rate: 1, window_use: 1, utilisation: 1 }) return pct(row[key]) || t('kpi.dash');
  if (key in { queue_minutes: 1, gate_turnaround_minutes: 1 }) return row[key] === null || row[key] === undefined ? t('kpi.dash') : String(row[key]);
  if (key === 'vehicle_ton_output') return row[key] === null || row[key] === undefined ? t('kpi.dash') : String(Math.round(row[key]));
  return String(n(row, key));
}

// A site by its name; one the catalogue does not list (removed, or never onboarded) is said so, never shown as an id.
function mineName(names, id, t) {
  return (names.mines || []).some((m) => m.id === id) ? names.mine(id) : t('kpi.unknown_mine');
}

/** The theme's page: tiles, a chart by day, hours (a mine), the party table. `names.mine(id)` names mines. */
export function board(data, theme, { t, names }) {
  const layout = LAYOUT[theme];
  const whole = { ...data.totals, ...data.ratios, in_transit: (data.live || {}).in_transit };
  const days = data.series.map((d) => d.day.slice(5));
  const series = layout.series.map((key) => ({ label: t(`kpi.${key}`), values: data.series.map((d) => n(d, key)) }));
  const draw = layout.chart === 'bars' ? bars : lines;
  const party = (row) => (data.rows_kind === 'mine' ? mineName(names, row.id, t) : row.name || t('kpi.unnamed'));
  const parts = [
    tiles(layout.tiles.map((key) => [t(`kpi.${key}`), value(whole, key, t)])),
    draw(`${t(`kpi.theme.${theme}`)} · ${t('kpi.by_day')}`, days, series),
  ];
  if (theme === 'capacity' && data.hours) {
    parts.push(bars(t('kpi.by_hour'), data.hours.map((x) => x.hour), [{ label: t('kpi.out_kg'), values: data.hours.map((x) => n(x, 'out_kg') / 1000) }]));
  }
  const columns = [[t('kpi.party'), (row) => party(row)], ...layout.columns.map((key) => [t(`kpi.${key}`), (row) => value(row, key, t)])];
  parts.push(data.rows.length ? table(t(`kpi.rows.${data.rows_kind}`), columns, data.rows) : h('p', { class: 'empty' }, t('kpi.none')));
  return h('div', { class: 'kpi-board', dataset: { theme } }, parts);
}

/** The dashboard query for a theme and filter {from, to, mine_id, shipper_id}. */
export function dashboardPath(theme, filter) {
  const q = new URLSearchParams({ theme, date_from: filter.from, date_to: filter.to });
  if (filter.mine_id) q.set('mine_id', filter.mine_id);
  if (filter.shipper_id) q.set('shipper_id', filter.shipper_id);
  return `/api/analytics/dashboard?${q}`;
}

/** Fetch a report file with the session's token and hand it to the browser (a download, or a page to print). */
async function openReport(api, path, fmt) {
  await api.get('/api/analytics/reports'); // renews an expiring token first (one cheap Query)
  const response = await fetch(path, { headers: { Authorization: `Bearer ${accessToken()}` } });
  if (!response.ok) throw new Error(String(response.status));
  const url = URL.createObjectURL(await response.blob());
  if (fmt === 'html') window.open(url, '_blank');
  else h('a', { href: url, download: path.split('/').slice(-5).join('-') }).click();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** The reports the signed-in user may download, newest first, each as Excel, PDF and a page to print. */
export function reportList(api, { t, names, toast }) {
  const box = h('section', { class: 'card kpi-reports' }, h('h3', {}, t('kpi.reports')));
  api.get('/api/analytics/reports').then(({ items }) => {
    if (!items.length) { box.append(h('p', { class: 'empty' }, t('kpi.no_reports'))); return; }
    box.append(h('ul', {}, items.map((r) => {
      const path = (fmt) => `/api/analytics/reports/${[r.kind, r.party, r.cadence, r.start, fmt].map(encodeURIComponent).join('/')}`;
      const open = (fmt) => () => openReport(api, path(fmt), fmt).catch((e) => toast(t('kpi.download_failed', { message: e.message })));
      const who = r.kind === 'mine' ? mineName(names, r.party, t) : r.party_name || t('kpi.unnamed');
      return h('li', { class: 'kpi-report' }, `${t(`kpi.cadence.${r.cadence}`)} ${r.start}–${r.end} · ${who} `,
        h('button', { type: 'button', onclick: open('xlsx') }, t('kpi.xlsx')), ' ',
        h('button', { type: 'button', onclick: open('pdf') }, t('kpi.pdf')), ' ',
        h('button', { type: 'button', onclick: open('html') }, t('kpi.print')));
    })));
  }).catch(() => box.append(h('p', { class: 'empty' }, t('kpi.no_reports'))));
  return box;
}
