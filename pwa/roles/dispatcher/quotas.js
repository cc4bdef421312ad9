// Dispatch centre: today's balanced-hauling plan per mine (均衡拉运), and recompute on demand.
import { fill, h } from '../../ui/dom.js';

const MESSAGES = {
  zh: { 'q.title': '今日均衡拉运计划', 'q.recompute': '重新计算', 'q.none': '今天还没有计划', 'q.capacity': '可装 {trucks} 车（{t} 吨）',
    'q.shipper': '货主', 'q.quota': '配额', 'q.used': '已用', 'q.left': '剩余', 'q.done': '已重新计算' },
  en: { 'q.title': "Today's hauling plan", 'q.recompute': 'Recompute', 'q.none': 'No plan yet today', 'q.capacity': '{trucks} trucks ({t} t)',
    'q.shipper': 'Shipper', 'q.quota': 'Quota', 'q.used': 'Used', 'q.left': 'Left', 'q.done': 'Recomputed' },
};

export function quotaTable(t, quotas) {
  return h('table', { class: 'quotas' }, h('thead', {}, h('tr', {}, ['q.shipper', 'q.quota', 'q.used', 'q.left'].map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, quotas.map((q) => h('tr', { dataset: { shipper: q.shipper_id, mine: q.mine_id } },
      h('td', {}, q.shipper_name || q.shipper_id), h('td', {}, q.quota), h('td', {}, q.used), h('td', {}, q.left)))));
}

export function render(root, { api, t, addMessages, toast }) {
  addMessages(MESSAGES);
  const section = h('section', { class: 'card', 'aria-labelledby': 'q-h' });
  root.append(section);
  let alive = true;
  const show = (data) => fill(section, h('h2', { id: 'q-h' }, `${t('q.title')} · ${data.date}`),
    h('button', { type: 'button', class: 'primary', onclick: recompute }, t('q.recompute')),
    data.plans.length ? data.plans.map((p) => h('div', { class: 'plan', dataset: { mine: p.mine_id } },
      h('h3', {}, `${p.mine_name || p.mine_id} · ${t('q.capacity', { trucks: p.capacity_trucks, t: Math.round(p.capacity_kg / 1000) })}`),
      quotaTable(t, p.quotas))) : h('p', {}, t('q.none')));
  async function recompute() {
    try { const data = await api.send('POST', '/api/dispatch/quotas/recompute', {}); toast(t('q.done')); if (alive) show(data); } catch (e) { toast(e.message); }
  }
  api.get('/api/dispatch/quotas').then((d) => alive && show(d), (e) => toast(e.message));
  return () => { alive = false; root.replaceChildren(); };
}
