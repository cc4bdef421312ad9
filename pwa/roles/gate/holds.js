// Held trucks at this mine, each with why it is held; opens the alerts screen to clear or confirm.
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';

const MESSAGES = {
  zh: { 'holds.none': '没有扣车', 'holds.from': '扣车前状态', 'holds.open_alerts': '去处理预警', 'holds.refresh': '刷新' },
  en: { 'holds.none': 'No trucks held', 'holds.from': 'held from', 'holds.open_alerts': 'Handle alerts', 'holds.refresh': 'Refresh' },
};

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const body = h('div', { class: 'holds-body', 'aria-live': 'polite' });
  let closed = false;
  async function load() {
    const reply = await ctx.api.get('/api/gate/holds?limit=50').catch(() => ({ items: [] }));
    if (closed) return;
    fill(body, list(reply.items, (w) => h('div', { class: 'hold-row', 'data-waybill-id': w.id },
      h('strong', {}, w.plate || w.id), ' ', h('span', {}, `${t('holds.from')}: ${w.held_from}`),
      h('p', { class: 'hold-reason' }, w.hold_reason || '')), { empty: t('holds.none') }));
  }
  root.append(h('section', { class: 'screen holds-screen' },
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: load }, t('holds.refresh')),
      h('button', { type: 'button', onclick: () => ctx.navigate('gate-alerts') }, t('holds.open_alerts'))), body));
  load();
  return () => { closed = true; };
}
