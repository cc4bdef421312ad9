// The gate's queue board: waiting trucks in order with predicted call times, call by the rule (measured drive ÷
// lane cycle) or the next N (叫号), call one truck out of turn or let one in by override, each with a reason
// (recorded in the hash-chained queue log, whose day head is shown).
import { clock } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';

const POLL_MS = 5000;
const MESSAGES = {
  zh: { 'gq.title': '排队看板', 'gq.waiting': '排队中', 'gq.called': '已叫号', 'gq.expected': '已预约未签到',
    'gq.held': '扣留待处理（不叫号、不计超时）', 'gq.held_since': '{time} 起扣留',
    'gq.call': '叫号', 'gq.count': '叫号数量', 'gq.admit': '放行进场', 'gq.override': '特殊放行', 'gq.reason': '放行原因（必填）',
    'gq.predicted': '预计 {time}', 'gq.deadline': '须于 {time} 前到', 'gq.empty': '无', 'gq.done': '已叫 {n} 辆',
    'gq.admitted': '已放行 {plate}', 'gq.rate': '装车能力 {n} 车/小时',
    'gq.no_deadline': '未定到达时限', 'gq.offline': '离线：显示的是最后一次的看板，联网后自动更新',
    'gq.by_rule': '按规则叫号（{n} 辆）', 'gq.rule': '规则：在途保持 {ahead} 辆（停车场到门岗 {drive} 分钟 ÷ 每道 {cycle} 分钟）',
    'gq.lot': '停车场 {n}/{max} 辆', 'gq.skip': '越号叫号', 'gq.skip_reason': '越号原因（必填）', 'gq.head': '今日记录指纹 #{seq} ' },
  en: { 'gq.title': 'Queue board', 'gq.waiting': 'Waiting', 'gq.called': 'Called', 'gq.expected': 'Booked, not checked in',
    'gq.held': 'Held for a decision (not called, no time-out)', 'gq.held_since': 'Held since {time}',
    'gq.call': 'Call next', 'gq.count': 'How many', 'gq.admit': 'Let in', 'gq.override': 'Override', 'gq.reason': 'Reason (required)',
    'gq.predicted': 'Expected {time}', 'gq.deadline': 'Due by {time}', 'gq.empty': 'None', 'gq.done': 'Called {n}',
    'gq.admitted': 'Let in {plate}', 'gq.rate': 'Loading {n} trucks/hour',
    'gq.no_deadline': 'No deadline set', 'gq.offline': 'Offline: showing the last board; it updates when you are back online',
    'gq.by_rule': 'Call by the rule ({n})', 'gq.rule': 'Rule: keep {ahead} on the road ({drive} min from the lot ÷ {cycle} min a lane)',
    'gq.lot': 'Lot {n}/{max} trucks', 'gq.skip': 'Call out of turn', 'gq.skip_reason': 'Why (required)',
    'gq.head': 'Today\'s record fingerprint #{seq} ' },
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
  callForm.addEventListener('submit', (event) => { event.preventDefault(); call({ count: Number(count.value) }); });
  const byRule = h('button', { type: 'button', class: 'primary', name: 'call-rule', onclick: () => call({}) }, t('gq.by_rule', { n: 0 }));
  async function call(body) {
    try {
      const r = await ctx.write('POST', `/api/appointments/mines/${mineId}/call`, body, t('gq.call'));
      if (!r.queued) ctx.toast(t('gq.done', { n: r.data.items.length }));
      poll(true);
    } catch (e) { ctx.toast(e.message); }
  }
  fill(root, h('section', { class: 'screen gate-queue' }, h('h1', {}, t('gq.title')), h('div', { class: 'card row' }, byRule), callForm, board));

  function skipForm(row) {
    const reason = h('input', { name: 'skip-reason', required: true, maxlength: 200 });
    const form = h('form', {}, h('label', {}, t('gq.skip_reason'), reason), h('button', { type: 'submit' }, t('gq.skip')));
    form.addEventListener('submit', (e) => { e.preventDefault(); if (reason.value.trim()) call({ booking_id: row.id, reason: reason.value.trim() }); });
    return h('details', {}, h('summary', {}, t('gq.skip')), form);
  }

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
      row.position ? h('strong', {}, `#${row.position}`) : null, h('strong', { class: 'plate' }, row.plate || '–'),
      h('span', {}, `${clock(row.slot_start_ms)}–${clock(row.slot_end_ms)}`), extra);
  }

  function section(title, rows, render) {
    return h('article', { class: 'card' }, h('h2', {}, `${title} (${rows.length})`),
      rows.length ? h('ol', { class: 'list' }, rows.map(render)) : h('p', { class: 'empty' }, t('gq.empty')));
  }

  async function head() {
    try {
      const d = await ctx.api.get(`/api/appointments/mines/${mineId}/chain-head`);
      // A fingerprint to compare with the driver's audit, so it stays a machine string (in <code>).
      return h('p', { class: 'muted' }, t('gq.head', { seq: d.seq }), h('code', { class: 'mono' }, d.hash.slice(0, 16)));
    } catch { return null; }
  }

  async function show(data) {
    const rule = data.call_rule;
    fill(byRule, t('gq.by_rule', { n: rule.count }));
    fill(board, h('p', { class: 'muted' }, t('gq.rate', { n: data.rate_per_hour })),
      h('p', { class: 'muted rule' }, t('gq.rule', { ahead: rule.ahead, drive: Math.round(rule.drive_ms / 6e4), cycle: (rule.cycle_ms / 6e4).toFixed(1) })),
      h('p', { class: 'muted lot' }, t('gq.lot', { n: data.in_lot, max: data.lot_max })), await head(),
      section(t('gq.called'), data.called, (r) => line(r, [h('span', {}, r.call_deadline_ms ? t('gq.deadline', { time: clock(r.call_deadline_ms) }) : t('gq.no_deadline')),
        h('button', { type: 'button', class: 'primary', onclick: () => admit(r) }, t('gq.admit'))])),
      section(t('gq.waiting'), data.waiting, (r) => line(r, [h('span', {}, t('gq.predicted', { time: clock(r.predicted_call_ms) })), skipForm(r), overrideForm(r)])),
      section(t('gq.expected'), data.expected, (r) => line(r, overrideForm(r))),
      // A truck an alert holds (a suspect plate, a failed reading): the alerts screen decides; the queue waits.
      (data.held || []).length ? section(t('gq.held'), data.held, (r) => line(r, h('span', {}, t('gq.held_since', { time: clock(r.held_at) })))) : null);
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
