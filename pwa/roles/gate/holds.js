// Held trucks at this mine, each with why it is held; opens the alerts screen to clear or confirm.
import { tonnes } from '../../lib/format.js';
import { heldWords } from '../../lib/risk-words.js';
import { stateName } from '../../lib/waybill-words.js';
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';
import { confirmAction } from '../../ui/confirm.js';
import { pollList, typingIn } from '../../lib/refresh.js';

const MESSAGES = {
  zh: { 'holds.none': '没有扣车', 'holds.from': '扣车前状态', 'holds.open_alerts': '去处理预警', 'holds.refresh': '刷新',
    'holds.reweigh': '退回卸货复磅', 'holds.reweigh_reason': '原因（司机会看到）', 'holds.reweigh_default': '超载，请回装车区卸掉多余的煤后复磅',
    'holds.sent_back': '{plate} 已退回卸货复磅：需卸下 {tonnes} 吨', 'holds.queued': '已保存，联网后提交',
    'holds.reweigh_q': '让 {plate} 回装车区卸掉多余的煤并复磅？' },
  en: { 'holds.none': 'No trucks held', 'holds.from': 'held from', 'holds.open_alerts': 'Handle alerts', 'holds.refresh': 'Refresh',
    'holds.reweigh': 'Send back to unload and re-weigh', 'holds.reweigh_reason': 'Reason (the driver sees it)',
    'holds.reweigh_default': 'Overloaded: unload the surplus at the loading bay and weigh again',
    'holds.sent_back': '{plate} sent back to unload {tonnes} t and re-weigh', 'holds.queued': 'Saved; will send when online',
    'holds.reweigh_q': 'Send {plate} back to unload the surplus and weigh again?' },
};

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const body = h('div', { class: 'holds-body', 'aria-live': 'polite' });
  let closed = false;

  // An overloaded gross: the truck goes back to unload the surplus and weighs again (every ticket is kept).
  function reweighForm(w) {
    const reason = h('input', { name: 'reason', required: true, maxlength: 200, value: t('holds.reweigh_default') });
    const form = h('form', { class: 'reweigh' }, h('label', {}, t('holds.reweigh_reason'), reason),
      h('button', { type: 'submit', class: 'primary' }, t('holds.reweigh')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!(await confirmAction(t('holds.reweigh_q', { plate: w.plate || '' }), { yes: t('holds.reweigh') }))) return;
      try {
        const r = await ctx.write('POST', `/api/gate/waybills/${w.id}/reweigh`, { reason: reason.value.trim() }, t('holds.reweigh'));
        ctx.toast(r.queued ? t('holds.queued') : t('holds.sent_back', { plate: w.plate || '', tonnes: tonnes(r.data.surplus_kg) }));
        poller.now();
      } catch (e) { ctx.toast(e.message); }
    });
    return form;
  }

  // Refreshes by itself while open (ETag polling): a truck held at the scale shows without a reload.
  function draw(reply) {
    if (closed) return;
    fill(body, list(reply.items, (w) => h('div', { class: 'hold-row', 'data-waybill-id': w.id },
      h('strong', {}, w.plate || '–'), ' ', h('span', {}, `${t('holds.from')}: ${stateName(w.held_from)}`),
      h('p', { class: 'hold-reason' }, heldWords(w.hold_reason)),
      w.held_from === 'gross_weighed' ? reweighForm(w) : null), { empty: t('holds.none') }));
  }
  root.append(h('section', { class: 'screen holds-screen' },
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => poller.now() }, t('holds.refresh')),
      h('button', { type: 'button', onclick: () => ctx.navigate('gate-alerts') }, t('holds.open_alerts'))), body));
  const poller = pollList(ctx.api, '/api/gate/holds?limit=50', draw, { hold: () => typingIn(body), onError: () => draw({ items: [] }) });
  return () => { closed = true; poller.stop(); };
}
