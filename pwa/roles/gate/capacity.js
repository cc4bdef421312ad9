// The mine's capacity calendar: each window's seats and bookings; raise/lower capacity, close a window.
// Seats follow the lanes' measured cycle (plus overbooking by the no-show rate) until staff set them by hand.
import { clock, shanghaiDate } from '../../lib/format.js';
import { confirmAction } from '../../ui/confirm.js';
import { fill, h } from '../../ui/dom.js';

const MESSAGES = {
  zh: { 'gcap.title': '时段容量', 'gcap.today': '今天', 'gcap.tomorrow': '明天', 'gcap.booked': '已约 {b}/{c}',
    'gcap.set': '保存', 'gcap.close': '关闭时段', 'gcap.reason': '关闭原因', 'gcap.closed': '已关闭：{r}', 'gcap.capacity': '容量',
    'gcap.lanes': '按实测装车节拍 {n} 位', 'gcap.by_hand': '人工设定', 'gcap.simulate': '模拟排队方案',
    'gcap.close_q': '关闭 {from}–{to} 时段？已约的 {n} 辆车的预约会被取消，司机会收到通知重新预约。', 'gcap.need_reason': '请先填写关闭原因' },
  en: { 'gcap.title': 'Window capacity', 'gcap.today': 'Today', 'gcap.tomorrow': 'Tomorrow', 'gcap.booked': '{b}/{c} booked',
    'gcap.set': 'Save', 'gcap.close': 'Close window', 'gcap.reason': 'Why', 'gcap.closed': 'Closed: {r}', 'gcap.capacity': 'Capacity',
    'gcap.lanes': '{n} seats at the measured lane cycle', 'gcap.by_hand': 'set by hand', 'gcap.simulate': 'Simulate a template',
    'gcap.close_q': 'Close the {from}–{to} window? Its {n} bookings are cancelled and the drivers are told to book again.',
    'gcap.need_reason': 'Give the reason for closing first' },
};

export function render(root, ctx) {
  const { t } = ctx;
  ctx.addMessages(MESSAGES);
  const day = h('select', { name: 'date', 'aria-label': t('gcap.title') },
    h('option', { value: shanghaiDate(Date.now()) }, t('gcap.today')),
    h('option', { value: shanghaiDate(Date.now() + 864e5) }, t('gcap.tomorrow')));
  const list = h('ul', { class: 'list' });
  const simulate = h('button', { type: 'button', name: 'simulate', onclick: () => ctx.navigate('gate-simulate') }, t('gcap.simulate'));
  fill(root, h('section', { class: 'screen gate-capacity' }, h('h1', {}, t('gcap.title')), day, simulate, list));
  day.addEventListener('change', load);

  async function send(method, path, body, label) {
    try { await ctx.write(method, path, body, label); } catch (e) { ctx.toast(e.message); }
    load();
  }

  // Closing cancels every booking in the window (the drivers are told to book again): asked first, with the count.
  async function closeWindow(slot, reason) {
    if (!reason.value.trim()) { reason.focus(); ctx.toast(t('gcap.need_reason')); return; }
    const question = t('gcap.close_q', { from: clock(slot.start_ms), to: clock(slot.end_ms), n: slot.booked });
    if (await confirmAction(question, { yes: t('gcap.close') })) send('POST', `/api/appointments/slots/${slot.id}/close`, { reason: reason.value.trim() }, t('gcap.close'));
  }

  function row(slot) {
    const cap = h('input', { type: 'number', min: slot.booked, max: 1000, value: slot.capacity, name: 'capacity', 'aria-label': t('gcap.capacity') });
    const reason = h('input', { name: 'reason', maxlength: 200, 'aria-label': t('gcap.reason'), placeholder: t('gcap.reason') });
    const open = slot.status === 'open';
    return h('li', { class: 'row', dataset: { slot: slot.id } },
      h('strong', {}, `${clock(slot.start_ms)}–${clock(slot.end_ms)}`),
      h('span', {}, open ? t('gcap.booked', { b: slot.booked, c: slot.capacity }) : t('gcap.closed', { r: slot.close_reason || '' })),
      h('span', { class: 'muted' }, slot.lane_capacity === null || slot.lane_capacity === undefined ? t('gcap.by_hand') : t('gcap.lanes', { n: slot.lane_capacity })),
      open ? [cap, h('button', { type: 'button', onclick: () => send('PATCH', `/api/appointments/slots/${slot.id}`, { capacity: Number(cap.value) }, t('gcap.set')) }, t('gcap.set')),
        reason, h('button', { type: 'button', class: 'danger', onclick: () => closeWindow(slot, reason) }, t('gcap.close'))] : null);
  }

  // A write and the outbox both reload: only the newest read may draw, or an older reply answered late would
  // put back a window as it was before the change. An unchanged calendar is not redrawn, so a reason being typed
  // is not wiped by a reload that brought nothing new.
  let latest = 0;
  let drawn = null;
  async function load() {
    const mine = ++latest;
    try {
      const data = await ctx.api.get(`/api/appointments/mines/${ctx.user.mine_id}/slots?date=${day.value}`);
      const seen = JSON.stringify([day.value, data.items]);
      if (mine !== latest || seen === drawn) return;
      drawn = seen;
      list.dataset.date = day.value;  // which day the rows are: a switch of day redraws them all
      fill(list, data.items.map(row));
    } catch (e) { if (mine === latest) { drawn = null; fill(list, h('li', { class: 'form-error' }, e.message)); } }
  }

  load();
  // A change sent later from the outbox (it was busy, or offline) shows once it is delivered.
  const stop = ctx.onOutboxChange(() => load());
  return () => { stop(); };
}
