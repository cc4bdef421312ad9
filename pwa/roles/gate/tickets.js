// Weigh tickets at this mine: tare, gross, net, and what a held weighing was checked against.
import { tonnes, yuan } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';
import { ticketCard } from '../../ui/ticket.js';

const MESSAGES = {
  zh: { 'wt.title': '磅单', 'wt.none': '暂无磅单', 'wt.superseded': '已退回复磅，不再计数（需卸 {tonnes} 吨）',
    'wt.detention': '压车费', 'wt.detention_owed': '本矿应付压车费 {yuan} 元：准时签到后等待 {waited} 分钟，免费 {free} 分钟，{rate} 元/小时',
    'wt.detention_none': '无压车费（等待 {waited} 分钟，免费 {free} 分钟内）', 'wt.detention_na': '无压车费（未准时签到或未进场）' },
  en: { 'wt.title': 'Weigh tickets', 'wt.none': 'No weigh tickets', 'wt.superseded': 'Sent back to re-weigh; no longer counts (unload {tonnes} t)',
    'wt.detention': 'Detention', 'wt.detention_owed': 'This mine owes ¥{yuan} detention: waited {waited} min after an on-time check-in, {free} min free, ¥{rate}/h',
    'wt.detention_none': 'No detention (waited {waited} min, within {free} min free)', 'wt.detention_na': 'No detention (not checked in on time, or not yet inside)' },
};

// What the mine's sales company owes the carrier for keeping this truck waiting (the carrier sees the same figure
// in its earnings): read on demand, one call per tap.
function detentionButton(ctx, waybillId) {
  const { t } = ctx;
  const out = h('p', { class: 'detention', role: 'status' });
  const button = h('button', { type: 'button', class: 'link', onclick: async () => {
    button.disabled = true;
    try {
      const d = (await ctx.api.get(`/api/settlement/waybills/${encodeURIComponent(waybillId)}`)).detention || {};
      if (d.fen) {
        out.textContent = t('wt.detention_owed', { yuan: yuan(d.fen), waited: d.waited_minutes, free: d.free_minutes,
          rate: yuan(d.fen_per_hour) });
      } else {
        out.textContent = d.on_time && d.waited_minutes != null
          ? t('wt.detention_none', { waited: d.waited_minutes, free: d.free_minutes }) : t('wt.detention_na');
      }
      button.remove();
    } catch (e) {
      ctx.toast(e.message);
      button.disabled = false;
    }
  } }, t('wt.detention'));
  return h('div', { class: 'detention-box' }, button, out);
}

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const body = h('div', { class: 'tickets-body' });
  root.append(h('section', { class: 'screen tickets-screen' }, h('h2', {}, t('wt.title')), body));
  let closed = false;
  ctx.api.get('/api/gate/tickets?limit=50').then((reply) => {
    // A gross sent back to re-weigh stays on the list, marked: the later gross is the one that counts.
    const row = (w) => (w.superseded_at ? h('div', { class: 'superseded' },
      h('p', { class: 'muted' }, t('wt.superseded', { tonnes: tonnes(w.surplus_kg, 1) })), ticketCard(w))
      : h('div', { class: 'ticket-row', dataset: { waybill: w.waybill_id } }, ticketCard(w),
        w.kind === 'gross' ? detentionButton(ctx, w.waybill_id) : null));
    if (!closed) fill(body, list(reply.items, row, { empty: t('wt.none') }));
  }).catch(() => {});
  return () => { closed = true; };
}
