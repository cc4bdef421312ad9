// The driver's next step: the current load's state and the ONE thing to do now, as the big card on top of home,
// with call buttons for the shipper, the carrier's office and the gate, and navigation handed to the map app.
import { catalogueNames } from '../../lib/catalogue.js';
import { clock } from '../../lib/format.js';
import { heldWords } from '../../lib/risk-words.js';
import { callButtons, navButtons } from '../../ui/contact-buttons.js';
import { fill, h } from '../../ui/dom.js';

export const MESSAGES = {
  zh: {
    'ns.free': '现在没有运单', 'ns.free_detail': '去货源大厅挑一车货', 'ns.act.hall': '去抢单',
    'ns.assigned': '已接单 · 请预约进矿时段', 'ns.act.book': '去预约',
    'ns.booked': '已预约 {time} · 到矿区自动签到', 'ns.booked_plain': '已预约 · 到矿区自动签到', 'ns.booked_by': '请于 {time} 前到停车场', 'ns.act.queue': '去签到',
    'ns.checked_in': '已签到 · 第 {n} 位', 'ns.checked_in_eta': '已签到 · 第 {n} 位 · 约 {time} 叫号',
    'ns.checked_in_wait': '已签到 · 排队中', 'ns.act.queue_view': '看排队',
    'ns.called': '已叫号 · 请在 {time} 前到门岗', 'ns.called_now': '已叫号 · 请立即到门岗', 'ns.act.pass': '出示通行证',
    'ns.entered': '已进场 · 请上磅称皮重', 'ns.tare_weighed': '皮重已称 · 装车后上磅称毛重',
    'ns.gross_weighed': '毛重已称 · 等待放行', 'ns.act.weigh': '去过磅', 'ns.act.ticket': '看磅单',
    'ns.released': '已放行 · 出发去卸货地', 'ns.act.depart': '出发',
    'ns.in_transit': '运输中 · 到了卸货地点“到达”', 'ns.act.arrive': '到达卸货地',
    'ns.arrived': '已到达 · 卸货后上传回单', 'ns.act.receipt': '上传回单',
    'ns.held': '已被扣车', 'ns.held_reason': '原因：{reason}', 'ns.act.hold': '看扣车原因', 'ns.act.call_gate': '联系门岗',
    'ns.unloaded': '上一车已卸货，等待收货方确认',
    'ns.load': '{load} · {tonnes} 吨', 'ns.to': '送往 {place}', 'ns.plate': '车辆 {plate}',
    'ns.offline': '离线：显示的是上次的状态', 'ns.failed': '暂时读不到运单：{message}', 'ns.title': '下一步',
    'ns.more': '全部功能',
  },
  en: {
    'ns.free': 'No load right now', 'ns.free_detail': 'Pick a load in the order hall', 'ns.act.hall': 'Find a load',
    'ns.assigned': 'Load taken · book a window at the mine', 'ns.act.book': 'Book a window',
    'ns.booked': 'Booked {time} · check-in is automatic at the mine',
    'ns.booked_plain': 'Booked · check-in is automatic at the mine', 'ns.booked_by': 'Reach the lot by {time}',
    'ns.act.queue': 'Check in',
    'ns.checked_in': 'Checked in · number {n}', 'ns.checked_in_eta': 'Checked in · number {n} · called about {time}',
    'ns.checked_in_wait': 'Checked in · in the queue', 'ns.act.queue_view': 'See the queue',
    'ns.called': 'Called · reach the gate by {time}', 'ns.called_now': 'Called · drive to the gate now',
    'ns.act.pass': 'Show the gate pass',
    'ns.entered': 'Inside · drive onto the weighbridge (tare)', 'ns.tare_weighed': 'Tare weighed · load, then weigh again',
    'ns.gross_weighed': 'Loaded and weighed · waiting for release', 'ns.act.weigh': 'Go to the weighbridge',
    'ns.act.ticket': 'See the weigh ticket',
    'ns.released': 'Released · set off for the delivery', 'ns.act.depart': 'Set off',
    'ns.in_transit': 'On the road · tap "Arrived" at the delivery place', 'ns.act.arrive': 'Arrived',
    'ns.arrived': 'Arrived · unload, then upload the receipt', 'ns.act.receipt': 'Upload the receipt',
    'ns.held': 'Held at the gate', 'ns.held_reason': 'Reason: {reason}', 'ns.act.hold': 'See why', 'ns.act.call_gate': 'Call the gate',
    'ns.unloaded': 'Last load unloaded; waiting for the receiver to confirm',
    'ns.load': '{load} · {tonnes} t', 'ns.to': 'To {place}', 'ns.plate': 'Truck {plate}',
    'ns.offline': 'Offline: showing the last known state', 'ns.failed': 'Cannot read your load now: {message}',
    'ns.title': 'Next step', 'ns.more': 'Everything else',
  },
};

// The active states (backend/waybills/transitions.py ACTIVE_STATES), in the order a load lives them.
export const ACTIVE = ['assigned', 'booked', 'checked_in', 'called', 'entered', 'tare_weighed', 'gross_weighed',
  'released', 'in_transit', 'arrived', 'held'];
const TO_MINE = ['assigned', 'booked', 'checked_in', 'called'];
const TO_DESTINATION = ['released', 'in_transit', 'arrived'];

/**
 * The next step for a driver's load, as plain data: {state, title: [key, params], detail?: [key, params],
 * action: {screen, params, label}, navTo: 'mine' | 'destination' | null}. `booking` is the load's booking, if any.
 * Every state of a driver's load has one; a load no longer the driver's (none active) leads to the hall.
 */
export function driverStep(waybill, booking = null) {
  const wb = waybill && ACTIVE.includes(waybill.state) ? waybill : null;
  if (!wb) {
    return { state: 'free', title: ['ns.free'], detail: waybill?.state === 'unloaded' ? ['ns.unloaded'] : ['ns.free_detail'],
      action: { screen: 'hall', label: 'ns.act.hall' }, navTo: null };
  }
  const id = { waybill: wb.id };
  const queue = booking?.queue || {};
  const slot = booking ? `${clock(booking.slot_start_ms)}–${clock(booking.slot_end_ms)}` : '';
  const step = (title, action, extra = {}) => ({ state: wb.state, title, action,
    navTo: TO_MINE.includes(wb.state) ? 'mine' : TO_DESTINATION.includes(wb.state) ? 'destination' : null, ...extra });
  switch (wb.state) {
    case 'assigned': return step(['ns.assigned'], { screen: 'booking', label: 'ns.act.book' });
    case 'booked': return step(slot ? ['ns.booked', { time: slot }] : ['ns.booked_plain'], { screen: 'queue', label: 'ns.act.queue' },
      booking?.arrive_by_ms ? { detail: ['ns.booked_by', { time: clock(booking.arrive_by_ms) }] } : {});
    case 'checked_in': {
      const title = !queue.position ? ['ns.checked_in_wait']
        : queue.predicted_call_ms ? ['ns.checked_in_eta', { n: queue.position, time: clock(queue.predicted_call_ms) }]
          : ['ns.checked_in', { n: queue.position }];
      return step(title, { screen: 'queue', label: 'ns.act.queue_view' });
    }
    case 'called': return step(booking?.call_deadline_ms ? ['ns.called', { time: clock(booking.call_deadline_ms) }] : ['ns.called_now'],
      { screen: 'pass', params: booking ? { booking: booking.id } : {}, label: 'ns.act.pass' });
    case 'entered': return step(['ns.entered'], { screen: 'tickets', label: 'ns.act.weigh' });
    case 'tare_weighed': return step(['ns.tare_weighed'], { screen: 'tickets', label: 'ns.act.weigh' });
    case 'gross_weighed': return step(['ns.gross_weighed'], { screen: 'tickets', label: 'ns.act.ticket' });
    case 'released': return step(['ns.released'], { screen: 'trip', params: id, label: 'ns.act.depart' });
    case 'in_transit': return step(['ns.in_transit'], { screen: 'trip', params: id, label: 'ns.act.arrive' });
    case 'arrived': return step(['ns.arrived'], { screen: 'trip', params: id, label: 'ns.act.receipt' });
    default: return step(['ns.held'], { screen: 'tickets', label: 'ns.act.hold', call: 'gate' },
      { detail: wb.hold_reason ? ['ns.held_reason', { reason: heldWords(wb.hold_reason) }] : null });
  }
}

async function bookingFor(api, waybill) {
  if (!['booked', 'checked_in', 'called'].includes(waybill?.state)) return null;
  const mine = await api.get('/api/appointments/bookings/mine');
  return mine.items.find((b) => b.waybill_id === waybill.id) || null;
}

/** The driver's next-step card: renders into a section and keeps itself current; returns {el, stop}. */
export function driverCard(ctx) {
  const { api, t, navigate } = ctx;
  ctx.addMessages(MESSAGES);
  const el = h('section', { class: 'card next-step', 'aria-live': 'polite', 'aria-labelledby': 'ns-title' });
  let alive = true;
  let contactsFor = null; let contacts = null;

  async function load() {
    let waybill = null; let booking = null; let failure = null;
    try {
      const page = await api.get('/api/waybills?limit=20');
      waybill = page.items.find((w) => ACTIVE.includes(w.state)) || page.items[0] || null;
      booking = await bookingFor(api, waybill).catch(() => null);
      if (waybill && ACTIVE.includes(waybill.state) && contactsFor !== waybill.id) {
        contacts = await api.get(`/api/hall/${encodeURIComponent(waybill.id)}/contacts`).catch(() => null);
        contactsFor = waybill.id;
      }
      localStorage.setItem('ch.next-step', JSON.stringify({ waybill, booking }));
    } catch (e) {
      failure = e;
      ({ waybill, booking } = JSON.parse(localStorage.getItem('ch.next-step') || '{}'));
    }
    if (!alive) return;
    draw(driverStep(waybill, booking), waybill, failure, await catalogueNames(api));
  }

  function draw(step, waybill, failure, names) {
    const active = step.state !== 'free';
    const title = t(...step.title);
    const dest = waybill?.destination || {};
    const target = step.navTo === 'mine' ? contacts?.mine_point : step.navTo === 'destination'
      ? (contacts?.destination_point || dest.point?.coordinates) : null;
    const targetName = step.navTo === 'mine' ? names.mine(waybill.mine_id) : dest.address || '';
    const go = h('button', { type: 'button', class: 'primary block next-action', name: 'next-action',
      onclick: () => navigate(step.action.screen, step.action.params || {}) }, t(step.action.label));
    fill(el,
      failure ? h('p', { class: 'notice', role: 'status' },
        failure.status === 0 ? t('ns.offline') : t('ns.failed', { message: failure.message })) : null,
      h('p', { class: 'muted ns-kicker' }, t('ns.title')),
      h('h2', { id: 'ns-title', class: 'next-title', dataset: { state: step.state } }, title),
      step.detail ? h('p', { class: 'next-detail' }, t(...step.detail)) : null,
      active ? h('p', { class: 'next-load' }, t('ns.load', { load: names.load(waybill), tonnes: waybill.tonnage_kg / 1000 }),
        waybill.plate ? ` · ${t('ns.plate', { plate: waybill.plate })}` : '') : null,
      active && dest.address ? h('p', { class: 'next-to' }, t('ns.to', { place: dest.address })) : null,
      go,
      active ? navButtons(target, targetName, step.navTo) : null,
      active ? callButtons(contacts, { first: step.action.call || null }) : null);
  }

  load();
  const timer = setInterval(load, 15000);
  return { el, stop: () => { alive = false; clearInterval(timer); } };
}
