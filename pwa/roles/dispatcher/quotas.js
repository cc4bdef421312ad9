// Dispatch centre: today's balanced-hauling plan per mine (均衡拉运), and recompute on demand.
import { fill, h } from '../../ui/dom.js';
import { quotaTable } from '../../ui/quota-table.js';

const MESSAGES = {
  zh: { 'quota.title': '今日均衡拉运计划', 'quota.recompute': '重新计算', 'quota.none': '今天还没有计划',
    'quota.capacity': '可装 {trucks} 车（{t} 吨）', 'quota.done': '已重新计算' },
  en: { 'quota.title': "Today's hauling plan", 'quota.recompute': 'Recompute', 'quota.none': 'No plan yet today',
    'quota.capacity': '{trucks} trucks ({t} t)', 'quota.done': 'Recomputed' },
};

export function render(root, { api, t, addMessages, toast }) {
  addMessages(MESSAGES);
  const section = h('section', { class: 'card', 'aria-labelledby': 'q-h' });
  root.append(section);
  let alive = true;
  const show = (data) => fill(section, h('h2', { id: 'q-h' }, `${t('quota.title')} · ${data.date}`),
    h('button', { type: 'button', class: 'primary', onclick: recompute }, t('quota.recompute')),
    data.plans.length ? data.plans.map((p) => h('div', { class: 'plan', dataset: { mine: p.mine_id } },
      h('h3', {}, `${p.mine_name || p.mine_id} · ${t('quota.capacity', { trucks: p.capacity_trucks, t: Math.round(p.capacity_kg / 1000) })}`),
      quotaTable(p.quotas))) : h('p', {}, t('quota.none')));
  async function recompute() {
    try { const data = await api.send('POST', '/api/dispatch/quotas/recompute', {}); toast(t('quota.done')); if (alive) show(data); } catch (e) { toast(e.message); }
  }
  api.get('/api/dispatch/quotas').then((d) => alive && show(d), (e) => toast(e.message));
  return () => { alive = false; root.replaceChildren(); };
}
