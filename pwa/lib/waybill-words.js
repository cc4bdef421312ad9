// Waybill words in one table, both languages: states, history actions (backend/waybills/transitions.py)
// and the entrustment status. Every screen names a waybill's state through here, so they cannot disagree.
import { addMessages, lang, t } from './i18n.js';
import { heldWords } from './risk-words.js';

addMessages({
  zh: {
    'waybill.state.open': '待接单', 'waybill.state.assigned': '已派车', 'waybill.state.booked': '已预约',
    'waybill.state.checked_in': '已签到', 'waybill.state.called': '已叫号', 'waybill.state.entered': '已入场',
    'waybill.state.tare_weighed': '已称皮重', 'waybill.state.gross_weighed': '已称毛重', 'waybill.state.released': '已放行',
    'waybill.state.in_transit': '运输中', 'waybill.state.arrived': '已到达', 'waybill.state.unloaded': '已卸货',
    'waybill.state.confirmed': '已确认', 'waybill.state.settled': '已结算', 'waybill.state.cancelled': '已取消',
    'waybill.state.expired': '已过期', 'waybill.state.held': '暂扣', 'waybill.state.disputed': '有争议',
    'waybill.action.assign': '派车', 'waybill.action.reassign': '改派', 'waybill.action.unassign': '退单',
    'waybill.action.entrust': '委托承运商', 'waybill.action.publish': '发布到货源大厅',
    'waybill.action.accept_entrustment': '承运商接受委托', 'waybill.action.decline_entrustment': '承运商拒绝委托',
    'waybill.action.book': '预约', 'waybill.action.move_booking': '改约', 'waybill.action.cancel_booking': '取消预约',
    'waybill.action.check_in': '签到', 'waybill.action.check_out': '离开签到区', 'waybill.action.call': '叫号',
    'waybill.action.requeue': '重新排队', 'waybill.action.expire_booking': '预约过期',
    'waybill.action.enter': '进场', 'waybill.action.enter_override': '特殊放行进场',
    'waybill.action.release_booking': '时段关闭，释放预约', 'waybill.action.weigh_tare': '称皮重',
    'waybill.action.weigh_gross': '称毛重', 'waybill.action.reweigh': '退回卸货复磅', 'waybill.action.set_destination_fence': '调整卸货围栏', 'waybill.action.release': '出场放行', 'waybill.action.depart': '出发',
    'waybill.action.arrive': '到达', 'waybill.action.unload': '卸车', 'waybill.action.confirm': '确认收货',
    'waybill.action.dispute': '异议', 'waybill.action.resolve_dispute': '异议已解决', 'waybill.action.settle': '结算',
    'waybill.action.pay': '已支付，进入货源大厅', 'waybill.action.expire_unpaid': '超时未付，已释放库存',
    'waybill.action.cancel': '取消', 'waybill.action.expire': '过期', 'waybill.action.hold': '扣车',
    'waybill.action.unhold': '解除扣车',
    'waybill.entrust.pending': '待接受', 'waybill.entrust.accepted': '已接受', 'waybill.entrust.declined': '已拒绝',
  },
  en: {
    'waybill.state.open': 'Waiting for a truck', 'waybill.state.assigned': 'Truck assigned', 'waybill.state.booked': 'Slot booked',
    'waybill.state.checked_in': 'Checked in', 'waybill.state.called': 'Called', 'waybill.state.entered': 'At the gate',
    'waybill.state.tare_weighed': 'Tare weighed', 'waybill.state.gross_weighed': 'Loaded', 'waybill.state.released': 'Released',
    'waybill.state.in_transit': 'In transit', 'waybill.state.arrived': 'Arrived', 'waybill.state.unloaded': 'Unloaded',
    'waybill.state.confirmed': 'Confirmed', 'waybill.state.settled': 'Settled', 'waybill.state.cancelled': 'Cancelled',
    'waybill.state.expired': 'Expired', 'waybill.state.held': 'Held', 'waybill.state.disputed': 'Disputed',
    'waybill.action.assign': 'Truck assigned', 'waybill.action.reassign': 'Reassigned', 'waybill.action.unassign': 'Given back',
    'waybill.action.entrust': 'Entrusted to a carrier', 'waybill.action.publish': 'Published to the order hall',
    'waybill.action.accept_entrustment': 'Carrier accepted', 'waybill.action.decline_entrustment': 'Carrier declined',
    'waybill.action.book': 'Booked', 'waybill.action.move_booking': 'Booking moved', 'waybill.action.cancel_booking': 'Booking cancelled',
    'waybill.action.check_in': 'Checked in', 'waybill.action.check_out': 'Left the check-in area', 'waybill.action.call': 'Called',
    'waybill.action.requeue': 'Back in the queue', 'waybill.action.expire_booking': 'Booking expired',
    'waybill.action.enter': 'Entered', 'waybill.action.enter_override': 'Let in by the gate',
    'waybill.action.release_booking': 'Window closed, booking released', 'waybill.action.weigh_tare': 'Tare weighed',
    'waybill.action.weigh_gross': 'Gross weighed', 'waybill.action.reweigh': 'Sent back to unload and re-weigh', 'waybill.action.set_destination_fence': 'Delivery fence redrawn', 'waybill.action.release': 'Released', 'waybill.action.depart': 'Departed',
    'waybill.action.arrive': 'Arrived', 'waybill.action.unload': 'Unloaded', 'waybill.action.confirm': 'Receipt confirmed',
    'waybill.action.dispute': 'Disputed', 'waybill.action.resolve_dispute': 'Dispute resolved', 'waybill.action.settle': 'Settled',
    'waybill.action.pay': 'Paid: in the order hall', 'waybill.action.expire_unpaid': 'Not paid in time: stock released',
    'waybill.action.cancel': 'Cancelled', 'waybill.action.expire': 'Expired', 'waybill.action.hold': 'Held',
    'waybill.action.unhold': 'Hold lifted',
    'waybill.entrust.pending': 'Pending', 'waybill.entrust.accepted': 'Accepted', 'waybill.entrust.declined': 'Declined',
  },
});

// t() shows a missing key as the key itself; a state added on the server shows as its raw name instead.
const named = (key, raw) => { const text = t(key); return text === key ? raw : text; };

/** A waybill state in the current language. */
export const stateName = (state) => named(`waybill.state.${state}`, state);

/** A history event's action in the current language. */
export const actionName = (action) => named(`waybill.action.${action}`, action);

/** An entrusted load's status ('pending', 'accepted') in the current language; '' when not entrusted. */
export const entrustName = (status) => (status ? named(`waybill.entrust.${status}`, status) : '');

// Reasons the server writes into a waybill's history by itself (tests/pwa/test_waybill_words.py checks each
// `reason="..."` literal of the backend has words); a person's own reason is shown as typed.
const REASON_WORDS = {
  'called but not at the gate in time': ['叫号后未按时到达门岗', 'Called but not at the gate in time'],
  'driver pressed depart': ['司机点了出发', 'The driver tapped depart'],
  'left the fence': ['离开了签到区', 'Left the check-in area'],
  'not at the mine by its time': ['未按时到矿', 'Not at the mine in time'],
  'standby promotion': ['候补转为预约', 'Moved up from standby'],
  unpaid: ['未按时付款', 'Not paid in time'],
  'fixes resumed': ['定位已恢复', 'Positions are coming in again'],
};
const REASON_PATTERNS = [
  [/^geofence at \d+$/, () => ['电子围栏自动记录', 'Recorded by the geofence']],
  [/^cleared: (.*)$/s, (m) => [`已核实放行：${m[1]}`, `Checked and released: ${m[1]}`]],
  [/^[a-z_]+: (.*)$/s, (m) => [`预警已处理：${m[1]}`, `Alert resolved: ${m[1]}`]],
];

/** A history event's reason in the current language: the server's own reasons worded, a hold's alert text too. */
export function reasonWords(reason) {
  if (!reason) return '';
  const english = lang() === 'en';
  if (REASON_WORDS[reason]) return REASON_WORDS[reason][english ? 1 : 0];
  for (const [pattern, words] of REASON_PATTERNS) {
    const m = reason.match(pattern);
    if (m) return words(m)[english ? 1 : 0];
  }
  return heldWords(reason);
}
