// The gate's queue board: waiting trucks in order with predicted call times, call the next N (叫号),
// let a called truck in, or override with a reason (recorded).
import { clock } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';

const POLL_MS = 5000;
const MESSAGES = {
  zh: { 'gq.title': '排队看板', 'gq.waiting': '排队中', 'gq.called': '已叫号', 'gq.expected': '已预约未签到',
    'gq.call': '叫号', 'gq.count': '叫号数量', 'gq.admit': '放行进场', 'gq.override': '特殊放行', 'gq.reason': '放行原因（必填）',
    'gq.predicted': '预计 {time}', 'gq.deadline': '须于 {time} 前到', 'gq.empty': '无', 'gq.done': '已叫 {n} 辆',
    'gq.admitted': '已放行 {plate}', 'gq.rate': '装车能力 {n} 车/小时',
    'gq.no_deadline': '未定到达时限', 'gq.offline': '离线：显示的是最后一次的看板，联网后自动更新' },
  en: { 'gq.title': 'Queue board', 'gq.waiting': 'Waiting', 'gq.called': 'Called', 'gq.expected': 'Booked, not checked in',
    'gq.call': 'Call next', 'gq.count': 'How many', 'gq.admit': 'Let in', 'gq.override': 'Override', 'gq.reason': 'Reason (required)',
    'gq.predicted': 'Expected {time}', 'gq.deadline': 'Due by {time}', 'gq.empty': 'None', 'gq.done': 'Called {n}',
    'gq.admitted': 'Let in {plate}', 'gq.rate': 'Loading {n} trucks/hour',
    'gq.no_deadline': 'No deadline set', 'gq.offline': 'Offline: showing the last board; it updates when you are back online' },
};

export function render(root, ctx) {
  const { t } = ctx;
  ctx.addMessages(MESSAGES);
  const mineId = ctx.user.mine_id;
  let etag = null;
  const board = h('div', { class: 'stack', 'aria-live': 'polite' });
  const count = h('input', { type: 'number', name: 'count', min: 1, max: 20, value: 3, inputmode: 'numeric' });
  const callForm = h('form', { class: 'card row' }, h('label', {}, t('gq.count'), count),
    h('button', { type: 'submit', class: 'primary' }, t('gq.call')));
  callForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const r = await ctx.write('POST', `/api/appointments/mines/${mineId}/call`, { count: Number(count.value) }, t('gq.call'));
      if (!r.queued) ctx.toast(t('gq.done', { n: r.data.items.length }));
      poll(true);
    } catch (e) { ctx.toast(e.message); }
  });
  fill(root, h('section', { class: 'screen gate-queue' }, h('h1', {}, t('gq.title')), callForm, board));

  async function admit(row, overrideReason) {
    try {
      await ctx.write('POST', '/api/appointments/admit', { waybill_id: row.waybill_id, override_reason: overrideReason || null }, t('gq.admit'));
      ctx.toast(t('gq.admitted', { plate: row.plate || '' }));
      poll(true);
    } catch (e) { ctx.toast(e.message); }
  }

  function overrideForm(row) {
    const reason = h('input', { name: 'reason', required: true, maxlength: 200 });
    const form = h('form', {}, h('label', {}, t('gq.reason'), reason), h('button', { type: 'submit' }, t('gq.override')));
    form.addEventListener('submit', (e) => { e.preventDefault(); if (reason.value.trim()) admit(row, reason.value.trim()); });
    return h('details', {}, h('summary', {}, t('gq.override')), form);
  }

  function line(row, extra) {
    return h('li', { class: 'row', dataset: { waybill: row.waybill_id } },
      row.position ? h('strong', {}, `#${row.position}`) : null, h('strong', { class: 'plate' }, row.plate || row.vehicle_id),
      h('span', {}, `${clock(row.slot_start_ms)}–${clock(row.slot_end_ms)}`), extra);
  }

  function section(title, rows, render) {
    return h('article', { class: 'card' }, h('h2', {}, `${title} (${rows.length})`),
      rows.length ? h('ol', { class: 'list' }, rows.map(render)) : h('p', { class: 'empty' }, t('gq.empty')));
  }

  function show(data) {
    fill(board, h('p', { class: 'muted' }, t('gq.rate', { n: data.rate_per_hour })),
      section(t('gq.called'), data.called, (r) => line(r, [h('span', {}, r.call_deadline_ms ? t('gq.deadline', { time: clock(r.call_deadline_ms) }) : t('gq.no_deadline')),
        h('button', { type: 'button', class: 'primary', onclick: () => admit(r) }, t('gq.admit'))])),
      section(t('gq.waiting'), data.waiting, (r) => line(r, [h('span', {}, t('gq.predicted', { time: clock(r.predicted_call_ms) })), overrideForm(r)])),
      section(t('gq.expected'), data.expected, (r) => line(r, overrideForm(r))));
  }

  const offline = h('p', { class: 'notice offline-state', role: 'status', hidden: true }, t('gq.offline'));
  board.before(offline);

  // Through the API client: an expiring token is renewed before the call, so the board never goes blank.
  async function poll(force = false) {
    try {
      const reply = await ctx.api.poll(`/api/appointments/mines/${mineId}/queue`, force ? null : etag);
      offline.hidden = true;
      if (!reply.changed) return;
      etag = reply.etag;
      show(reply.data);
    } catch (e) {
      offline.hidden = e.status !== 0; // offline: keep the last board, and say so
    }
  }

  poll();
  const timer = setInterval(poll, POLL_MS);
  return () => clearInterval(timer);
}
