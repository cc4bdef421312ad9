// Dispatch command centre (调度指挥中心): the four themes (运力 capacity, 调度 dispatch, 客户 customers, 在途 in transit)
// from the KPI aggregates, with a date/mine/shipper filter, and a large-screen mode for the wall: big type,
// themes rotating on their own, open alerts beside them, figures refreshed every 30 s.
import { catalogueNames } from '../../lib/catalogue.js';
import { shanghaiDate } from '../../lib/format.js';
import { h, fill } from '../../ui/dom.js';
import { board, dashboardPath, MESSAGES as KPI, reportList, THEMES } from '../../ui/kpi-board.js';
import { mountLiveMap } from './livemap.js';

const MESSAGES = {
  zh: { 'cmd.title': '调度指挥中心', 'cmd.from': '开始日期', 'cmd.to': '结束日期', 'cmd.mine': '煤矿', 'cmd.all_mines': '全部煤矿',
    'cmd.shipper': '货主编号（可选）', 'cmd.apply': '查询', 'cmd.wall': '大屏模式', 'cmd.exit_wall': '退出大屏',
    'cmd.alerts': '未处理预警', 'cmd.no_alerts': '没有未处理预警', 'cmd.failed': '数据加载失败：{message}', 'cmd.loading': '加载中…',
    'cmd.choices': '各角色接收的报表', 'cmd.role.gate': '矿方门岗', 'cmd.role.shipper': '货主', 'cmd.role.carrier': '承运商',
    'cmd.save': '保存', 'cmd.saved': '已保存', 'cmd.queued': '已保存，联网后提交', 'cmd.map': '实时地图' },
  en: { 'cmd.title': 'Command centre', 'cmd.from': 'From', 'cmd.to': 'To', 'cmd.mine': 'Mine', 'cmd.all_mines': 'All mines',
    'cmd.shipper': 'Shipper id (optional)', 'cmd.apply': 'Show', 'cmd.wall': 'Wall screen', 'cmd.exit_wall': 'Leave wall screen',
    'cmd.alerts': 'Open alerts', 'cmd.no_alerts': 'No open alerts', 'cmd.failed': 'Could not load: {message}', 'cmd.loading': 'Loading…',
    'cmd.choices': 'Reports each role receives', 'cmd.role.gate': 'Mine gate', 'cmd.role.shipper': 'Shippers',
    'cmd.role.carrier': 'Carriers', 'cmd.save': 'Save', 'cmd.saved': 'Saved', 'cmd.queued': 'Saved: it is sent when back online',
    'cmd.map': 'Live map' },
};
const ROTATE_MS = 15000;
const REFRESH_MS = 30000;

function input(name, label, attrs) {
  return h('label', { class: 'field' }, h('span', {}, label), h('input', { name, ...attrs }));
}

const CADENCES = ['daily', 'weekly', 'monthly'];

/** A manager's choice of the report cadences each party role receives. */
function choicesCard(ctx) {
  const { api, t, write, toast } = ctx;
  const card = h('section', { class: 'card cmd-choices' }, h('h3', {}, t('cmd.choices')));
  api.get('/api/analytics/report-choices').then(({ items }) => items.forEach(({ role, cadences }) => {
    const boxes = CADENCES.map((c) => h('input', { type: 'checkbox', name: c, checked: cadences.includes(c) }));
    const save = async () => {
      const chosen = CADENCES.filter((c, i) => boxes[i].checked);
      const res = await write('PUT', `/api/analytics/report-choices/${role}`, { cadences: chosen }, t('cmd.choices'));
      toast(res.queued ? t('cmd.queued') : t('cmd.saved'));
    };
    card.append(h('fieldset', { class: 'cmd-choice', dataset: { role } }, h('legend', {}, t(`cmd.role.${role}`)),
      CADENCES.map((c, i) => h('label', {}, boxes[i], ` ${t(`kpi.cadence.${c}`)} `)),
      h('button', { type: 'button', onclick: () => save().catch((e) => toast(e.message)) }, t('cmd.save'))));
  })).catch(() => card.remove());
  return card;
}

export function render(root, ctx) {
  const { api, t, addMessages } = ctx;
  addMessages(KPI);
  addMessages(MESSAGES);
  const today = shanghaiDate(Date.now());
  const state = { theme: THEMES[0], wall: false, filter: { from: shanghaiDate(Date.now() - 6 * 864e5), to: today, mine_id: '', shipper_id: '' } };
  const mineSelect = h('select', { name: 'mine_id' }, h('option', { value: '' }, t('cmd.all_mines')));
  const form = h('form', { class: 'card cmd-filter', 'aria-label': t('cmd.apply') },
    input('from', t('cmd.from'), { type: 'date', value: state.filter.from }),
    input('to', t('cmd.to'), { type: 'date', value: state.filter.to }),
    h('label', { class: 'field' }, h('span', {}, t('cmd.mine')), mineSelect),
    input('shipper_id', t('cmd.shipper'), { autocomplete: 'off', maxlength: 128 }),
    h('button', { type: 'submit', class: 'primary' }, t('cmd.apply')));
  const tabs = h('div', { class: 'cmd-tabs', role: 'tablist', style: 'display:flex;gap:.25rem;flex-wrap:wrap;margin:.5rem 0' });
  const wallButton = h('button', { type: 'button', class: 'cmd-wall' }, t('cmd.wall'));
  const body = h('section', { class: 'cmd-body', 'aria-live': 'polite' }, h('p', { class: 'loading' }, t('cmd.loading')));
  const alerts = h('aside', { class: 'card cmd-alerts', hidden: true });
  // The wall's live map goes here (pwa/ui/map.js's owner mounts it: find [data-slot="wall-map"] while .wall is set);
  // shown only in wall mode, empty until then.
  const wallMap = h('section', { class: 'card cmd-wall-map', dataset: { slot: 'wall-map' }, hidden: true, 'aria-label': t('cmd.map') });
  let stopMap = null; // the live map runs (polls) only while the wall shows it
  root.append(h('h2', {}, t('cmd.title')), form, h('div', { style: 'display:flex;gap:.5rem;align-items:center;flex-wrap:wrap' }, tabs, wallButton), body, wallMap, alerts);
  let alive = true;
  let names = { mine: (id) => id };
  let timers = [];

  catalogueNames(api).then((found) => {
    names = found;
    root.append(reportList(api, { t, names, toast: ctx.toast }), choicesCard(ctx));
    found.mines.forEach((m) => mineSelect.append(h('option', { value: m.id }, found.mine(m.id))));
  });

  function drawTabs() {
    fill(tabs, THEMES.map((theme) => h('button', { type: 'button', role: 'tab', 'aria-selected': String(theme === state.theme),
      class: theme === state.theme ? 'primary' : '', onclick: () => { state.theme = theme; load(); } }, t(`kpi.theme.${theme}`))));
  }

  async function load() {
    drawTabs();
    try {
      const data = await api.get(dashboardPath(state.theme, state.filter));
      if (alive) fill(body, board(data, state.theme, { t, names }));
    } catch (e) {
      if (alive) fill(body, h('p', { class: 'form-error', role: 'alert' }, t('cmd.failed', { message: e.message })));
    }
    if (state.wall) loadAlerts();
  }

  async function loadAlerts() {
    try {
      const reply = await api.get('/api/alerts?status=open&limit=6');
      const items = reply.items || [];
      fill(alerts, h('h3', {}, t('cmd.alerts')), items.length
        ? h('ul', {}, items.map((a) => h('li', {}, `${names.mine(a.mine_id)} · ${a.plate || ''} ${a.reason}`)))
        : h('p', { class: 'empty' }, t('cmd.no_alerts')));
    } catch { /* the wall keeps its last alerts when one refresh fails */ }
  }

  function setWall(on) {
    state.wall = on;
    timers.forEach(clearInterval);
    timers = [];
    form.hidden = on;
    alerts.hidden = !on;
    wallMap.hidden = !on;
    if (on && !stopMap) stopMap = mountLiveMap(wallMap, ctx, { wall: true });
    else if (!on && stopMap) { stopMap(); stopMap = null; wallMap.replaceChildren(); }
    wallButton.textContent = on ? t('cmd.exit_wall') : t('cmd.wall');
    root.classList.toggle('wall', on);
    root.style.fontSize = on ? '150%' : ''; // readable from across the room
    if (on) {
      document.documentElement.requestFullscreen?.().catch(() => {});
      const every = Number((ctx.params || {}).rotate) || ROTATE_MS; // ?rotate=ms: a wall that turns faster
      timers.push(setInterval(() => { state.theme = THEMES[(THEMES.indexOf(state.theme) + 1) % THEMES.length]; load(); }, every));
      timers.push(setInterval(load, REFRESH_MS));
    } else if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    }
    load();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    state.filter = { from: data.get('from'), to: data.get('to'), mine_id: data.get('mine_id'), shipper_id: data.get('shipper_id').trim() };
    load();
  });
  wallButton.addEventListener('click', () => setWall(!state.wall));
  if (ctx.params && ctx.params.wall) setWall(true); else load();
  return () => { alive = false; timers.forEach(clearInterval); root.style.fontSize = ''; if (stopMap) stopMap(); };
}
