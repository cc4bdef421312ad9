// Dispatch centre: today's balanced-hauling plan per mine (均衡拉运), and recompute on demand.
import { grouped } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';
import { quotaTable } from '../../ui/quota-table.js';

const MESSAGES = {
  zh: { 'quota.title': '今日均衡拉运计划', 'quota.recompute': '重新计算', 'quota.none': '今天还没有计划',
    'quota.capacity': '今日可装 {trucks} 车', 'quota.done': '已重新计算',
    'quota.why': '门岗每小时装 {rate} 车 × {hours} 小时 = {gate} 车；库存与计划 {t} 吨够 {coal} 车，取较小者' },
  en: { 'quota.title': "Today's hauling plan", 'quota.recompute': 'Recompute', 'quota.none': 'No plan yet today',
    'quota.capacity': '{trucks} trucks today', 'quota.done': 'Recomputed',
    'quota.why': 'The gate loads {rate} trucks an hour × {hours} h = {gate}; stock and plan of {t} t fill {coal}: the smaller counts' },
};

export function render(root, { api, t, addMessages, toast }) {
  addMessages(MESSAGES);
  const section = h('section', { class: 'card', 'aria-labelledby': 'q-h' });
  root.append(section);
  let alive = true;
  const show = (data) => fill(section, h('h2', { id: 'q-h' }, `${t('quota.title')} · ${data.date}`),
    h('button', { type: 'button', class: 'primary', onclick: recompute }, t('quota.recompute')),
    data.plans.length ? data.plans.map((p) => h('div', { class: 'plan', dataset: { mine: p.mine_id } },
      h('h3', {}, `${p.mine_name} · ${t('quota.capacity', { trucks: grouped(p.capacity_trucks) })}`),
      // Why this many: the gate's hourly rate (its queue board shows the same) bounds the coal (backend/dispatch/quotas.py).
      p.gate_trucks_per_hour == null ? null : h('p', { class: 'muted quota-why' }, t('quota.why', { rate: p.gate_trucks_per_hour,
        hours: p.open_hours, gate: grouped(p.gate_trucks_per_hour * p.open_hours), t: grouped(Math.round(p.capacity_kg / 1000)),
        coal: grouped(p.coal_trucks) })),
      quotaTable(p.quotas))) : h('p', {}, t('quota.none')));
  async function recompute() {
    try { const data = await api.send('POST', '/api/dispatch/quotas/recompute', {}); toast(t('quota.done')); if (alive) show(data); } catch (e) { toast(e.message); }
  }
  api.get('/api/dispatch/quotas').then((d) => alive && show(d), (e) => toast(e.message));
  return () => { alive = false; root.replaceChildren(); };
}
