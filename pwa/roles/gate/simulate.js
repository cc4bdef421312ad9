// Simulate a day at this site to choose the window template: walk-up against the platform on the same trucks,
// with the site's measured figures unless staff change them (bounded on the server).
import { fill, h } from '../../ui/dom.js';

const FIELDS = [
  ['window', 10, 120, 1], ['booked', 0.3, 1, 0.01], ['no_show', 0, 0.3, 0.01], ['on_time', 0, 1, 0.05],
  ['late_sd', 0, 90, 1], ['backlog', 0, 0.5, 0.05], ['drive', 1, 60, 0.5], ['cycle', 2, 60, 0.5],
  ['lanes', 1, 12, 1], ['lot_bound', 1, 200, 1], ['seeds', 1, 20, 1],
];
const MESSAGES = {
  zh: {
    'gsim.title': '排队模拟', 'gsim.run': '模拟', 'gsim.running': '模拟中…', 'gsim.hint': '留空则用本矿实测数据',
    'gsim.window': '时段长度（分钟）', 'gsim.booked': '预约率', 'gsim.no_show': '爽约率', 'gsim.on_time': '准时率',
    'gsim.late_sd': '迟到偏差（分钟）', 'gsim.backlog': '开门前积压比例', 'gsim.drive': '停车场到门岗（分钟）',
    'gsim.cycle': '每道装车（分钟）', 'gsim.lanes': '装车道', 'gsim.lot_bound': '停车场上限', 'gsim.seeds': '模拟次数',
    'gsim.walk_up': '自由排队', 'gsim.platform': '平台预约', 'gsim.queue': '排队时间（分钟）', 'gsim.area': '场区车辆（均/峰）',
    'gsim.wanted': '想装→装完（分钟）', 'gsim.loaded': '日装车数', 'gsim.idle': '装车道空闲', 'gsim.met': '达标', 'gsim.not_met': '未达标',
    'gsim.goal.queue': '排队时间 −85% 以上', 'gsim.goal.area': '场区车辆 −85% 以上', 'gsim.goal.wanted': '想装→装完 不超过 +5%',
    'gsim.goal.loaded': '装车数 相差 1% 以内',
  },
  en: {
    'gsim.title': 'Queue simulation', 'gsim.run': 'Simulate', 'gsim.running': 'Simulating…',
    'gsim.hint': 'Leave blank to use this site\'s measured figures',
    'gsim.window': 'Window (min)', 'gsim.booked': 'Seats booked', 'gsim.no_show': 'No-shows', 'gsim.on_time': 'On time',
    'gsim.late_sd': 'Lateness SD (min)', 'gsim.backlog': 'Backlog at opening', 'gsim.drive': 'Lot to gate (min)',
    'gsim.cycle': 'Lane cycle (min)', 'gsim.lanes': 'Lanes', 'gsim.lot_bound': 'Lot bound', 'gsim.seeds': 'Runs',
    'gsim.walk_up': 'Walk-up', 'gsim.platform': 'Platform', 'gsim.queue': 'Queue time (min)', 'gsim.area': 'Trucks in area (mean/peak)',
    'gsim.wanted': 'Wanted → loaded (min)', 'gsim.loaded': 'Loaded per day', 'gsim.idle': 'Lane idle', 'gsim.met': 'met',
    'gsim.not_met': 'not met', 'gsim.goal.queue': 'Queue time −85% or better', 'gsim.goal.area': 'Trucks in area −85% or better',
    'gsim.goal.wanted': 'Wanted → loaded no worse than +5%', 'gsim.goal.loaded': 'Loaded within 1%',
  },
};

export function render(root, ctx) {
  const { api, t } = ctx;
  ctx.addMessages(MESSAGES);
  const mineId = ctx.user.mine_id;
  const inputs = Object.fromEntries(FIELDS.map(([name, min, max, step]) => [name,
    h('input', { type: 'number', name, min, max, step, inputmode: 'decimal', value: name === 'seeds' ? 10 : '' })]));
  const result = h('div', { class: 'stack', 'aria-live': 'polite' });
  const form = h('form', { class: 'card stack' }, h('p', { class: 'muted' }, t('gsim.hint')),
    FIELDS.map(([name]) => h('label', {}, t(`gsim.${name}`), inputs[name])),
    h('button', { type: 'submit', class: 'primary' }, t('gsim.run')));
  fill(root, h('section', { class: 'screen gate-simulate' }, h('h1', {}, t('gsim.title')), form, result));

  const row = (label, w, p) => h('tr', {}, h('th', {}, label), h('td', {}, w), h('td', {}, p));
  const pct = (x) => `${x > 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;

  function show(r) {
    const w = r.walk_up;
    const p = r.platform;
    fill(result, h('table', { class: 'card sim-table' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, t('gsim.walk_up')), h('th', {}, t('gsim.platform')))),
      h('tbody', {},
        row(t('gsim.queue'), w.queue.toFixed(1), p.queue.toFixed(1)),
        row(t('gsim.area'), `${w.area_mean.toFixed(1)} / ${w.area_peak.toFixed(0)}`, `${p.area_mean.toFixed(1)} / ${p.area_peak.toFixed(0)}`),
        row(t('gsim.wanted'), w.wanted.toFixed(1), p.wanted.toFixed(1)),
        row(t('gsim.loaded'), w.loaded.toFixed(1), p.loaded.toFixed(1)),
        row(t('gsim.idle'), pct(w.idle), pct(p.idle)))),
    h('ul', { class: 'list card goals' }, ['queue', 'area', 'wanted', 'loaded'].map((goal) => h('li', { class: 'row', dataset: { goal } },
      h('span', {}, t(`gsim.goal.${goal}`)), h('strong', {}, pct(r.ratios[goal])),
      h('span', { class: r.goals_met[goal] ? 'ok' : 'form-error' }, r.goals_met[goal] ? t('gsim.met') : t('gsim.not_met'))))));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = Object.entries(inputs).filter(([, el]) => el.value !== '').map(([name, el]) => `${name}=${encodeURIComponent(el.value)}`).join('&');
    fill(result, h('p', { class: 'muted' }, t('gsim.running')));
    try { show(await api.get(`/api/appointments/mines/${mineId}/simulate?${query}`)); }
    catch (e) { fill(result, h('p', { class: 'form-error' }, e.message)); }
  });
  return () => {};
}
