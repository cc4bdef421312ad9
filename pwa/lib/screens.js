// THE SCREEN REGISTRY. Append one entry per screen (keep one line each; do not reorder others').
//
// Entry: { id, roles, title: {zh, en}, icon, load: () => import('../roles/<role>/<file>.js'),
//          nav: true (or a list of roles) to show it in the bottom bar: at most 5 slots a role, home
//          included, so each is a 48 px target one thumb finds in a cab (tests/pwa/test_layout.py counts);
//          the rest are tiles in home's menu, and the next-step card leads there. hidden: true keeps it
//          off the home tiles (reached via ctx.navigate) }
// A screen used by several roles lives in roles/common/ and lists them all; a role's folder never
// imports another role's files (shared pieces go to ui/ or lib/; tests/pwa/test_layout.py checks).
// A screen module exports `render(root, ctx)` and returns its cleanup function. ctx =
//   { api, write(method, path, body, label, {attachments, uploadPath}), t, addMessages,
//     user: {id, name, role, org_id, mine_id}, navigate(id, params), params, geo, toast(msg),
//     onOutboxChange(fn) -> unsubscribe, pendingWrites() -> queued writes [{method, path, body, label}],
//     screens (this role's entries) }
// ctx.write goes through the outbox (Idempotency-Key, offline queue, attachments uploaded first); it
// resolves to {queued: false, data} when delivered now, {queued: true} when kept for later, and rejects
// with ApiError (status, code, message, details.fields) on a 4xx.
export const ALL_ROLES = ['driver', 'carrier', 'shipper', 'buyer', 'gate', 'dispatcher', 'admin'];

export const SCREENS = [
  { id: 'home', roles: ALL_ROLES, title: { zh: '首页', en: 'Home' }, icon: '🏠', nav: true, hidden: true, load: () => import('../roles/common/home.js') },
  { id: 'fleet', roles: ['carrier'], title: { zh: '车队', en: 'Fleet' }, icon: '🚚', nav: true, load: () => import('../roles/carrier/fleet.js') },
  { id: 'trip', roles: ['driver'], title: { zh: '在途', en: 'Trip' }, icon: '🛣️', nav: true, load: () => import('../roles/driver/trip.js') },
  { id: 'track', roles: ['buyer', 'shipper'], title: { zh: '跟踪', en: 'Tracking' }, icon: '📍', nav: true, load: () => import('../roles/common/track.js') },
  { id: 'livemap', roles: ['dispatcher', 'admin'], title: { zh: '实时地图', en: 'Live map' }, icon: '🗺️', nav: true, load: () => import('../roles/dispatcher/livemap.js') },
  { id: 'booking', roles: ['driver'], title: { zh: '预约', en: 'Book' }, icon: '📅', load: () => import('../roles/driver/booking.js') },
  { id: 'queue', roles: ['driver'], title: { zh: '排队', en: 'Queue' }, icon: '🔔', nav: true, load: () => import('../roles/driver/queue.js') },
  { id: 'pass', roles: ['driver'], title: { zh: '通行证', en: 'Gate pass' }, icon: '🎫', load: () => import('../roles/driver/pass.js') },
  { id: 'gate-queue', roles: ['gate'], title: { zh: '排队叫号', en: 'Queue board' }, icon: '📣', nav: true, load: () => import('../roles/gate/queue.js') },
  { id: 'gate-checkins', roles: ['gate'], title: { zh: '人工签到', en: 'Check-ins' }, icon: '✅', nav: true, load: () => import('../roles/gate/checkins.js') },
  { id: 'gate-capacity', roles: ['gate'], title: { zh: '时段容量', en: 'Capacity' }, icon: '📊', nav: true, load: () => import('../roles/gate/capacity.js') },
  { id: 'gate-sightings', roles: ['gate'], title: { zh: '过车', en: 'Sightings' }, icon: '📷', load: () => import('../roles/gate/sightings.js') },
  { id: 'gate-holds', roles: ['gate'], title: { zh: '扣车', en: 'Holds' }, icon: '⛔', load: () => import('../roles/gate/holds.js') },
  { id: 'gate-alerts', roles: ['gate'], title: { zh: '预警', en: 'Alerts' }, icon: '🚨', nav: true, load: () => import('../roles/common/alerts.js') },
  { id: 'gate-tickets', roles: ['gate'], title: { zh: '磅单', en: 'Weigh tickets' }, icon: '⚖️', load: () => import('../roles/gate/tickets.js') },
  { id: 'alerts', roles: ['dispatcher', 'admin', 'carrier'], title: { zh: '预警', en: 'Alerts' }, icon: '🚨', nav: true, load: () => import('../roles/common/alerts.js') },
  { id: 'tickets', roles: ['driver'], title: { zh: '磅单/扣车', en: 'Tickets & holds' }, icon: '⚖️', load: () => import('../roles/driver/tickets.js') },
  { id: 'buyer-order', roles: ['buyer'], title: { zh: '订煤', en: 'Order coal' }, icon: '🛒', nav: true, load: () => import('../roles/buyer/order.js') },
  { id: 'buyer-orders', roles: ['buyer'], title: { zh: '我的订单', en: 'My orders' }, icon: '📦', nav: true, load: () => import('../roles/buyer/orders.js') },
  { id: 'shipper-order', roles: ['shipper'], title: { zh: '新建订单', en: 'New order' }, icon: '🛒', nav: true, load: () => import('../roles/shipper/order.js') },
  { id: 'shipper-loads', roles: ['shipper'], title: { zh: '在途运单', en: 'Loads in progress' }, icon: '📦', nav: true, load: () => import('../roles/shipper/loads.js') },
  { id: 'shipper-quotas', roles: ['shipper'], title: { zh: '配额', en: 'Quotas' }, icon: '📊', load: () => import('../roles/shipper/quotas.js') },
  { id: 'carrier-dispatch', roles: ['carrier'], title: { zh: '委托派车', en: 'Dispatch' }, icon: '📋', nav: true, load: () => import('../roles/carrier/dispatch.js') },
  { id: 'hall', roles: ['driver'], title: { zh: '货源大厅', en: 'Order hall' }, icon: '🏛️', nav: true, load: () => import('../roles/driver/hall.js') },
  { id: 'my-waybill', roles: ['driver'], title: { zh: '我的运单', en: 'My waybill' }, icon: '📄', nav: true, load: () => import('../roles/driver/waybill.js') },
  { id: 'quotas', roles: ['dispatcher', 'admin'], title: { zh: '均衡拉运', en: 'Quotas' }, icon: '⚖️', nav: ['dispatcher'], load: () => import('../roles/dispatcher/quotas.js') },
  { id: 'admin-sites', roles: ['admin'], title: { zh: '站点管理', en: 'Sites' }, icon: '🏭', nav: true, load: () => import('../roles/admin/sites.js') },
  { id: 'compliance', roles: ['admin'], title: { zh: '监管上报', en: 'Regulatory feed' }, icon: '🏛️', load: () => import('../roles/admin/compliance.js') },
  { id: 'admin-people', roles: ['admin'], title: { zh: '单位与人员', en: 'Companies & people' }, icon: '👥', nav: true, load: () => import('../roles/admin/people.js') },
  { id: 'gate-site', roles: ['gate'], title: { zh: '本矿站点', en: 'My site' }, icon: '🏭', load: () => import('../roles/gate/site.js') },
  { id: 'earnings', roles: ['driver', 'carrier'], title: { zh: '运费收入', en: 'Earnings' }, icon: '💴', load: () => import('../roles/common/earnings.js') },
  { id: 'shipper-prepaid', roles: ['shipper'], title: { zh: '预付款', en: 'Prepaid' }, icon: '💰', load: () => import('../roles/shipper/prepaid.js') },
  { id: 'receivables', roles: ['dispatcher', 'admin'], title: { zh: '应收', en: 'Receivables' }, icon: '🧾', load: () => import('../roles/dispatcher/receivables.js') },
  { id: 'inbox', roles: ALL_ROLES, title: { zh: '消息', en: 'Inbox' }, icon: '✉️', load: () => import('../roles/common/inbox.js') },
  { id: 'webhooks', roles: ['shipper', 'buyer'], title: { zh: '系统对接', en: 'Webhooks' }, icon: '🔗', load: () => import('../roles/common/webhooks.js') },
  { id: 'trust', roles: ['driver', 'carrier', 'shipper', 'buyer', 'gate'], title: { zh: '我的信用', en: 'My credit' }, icon: '⭐', load: () => import('../roles/common/trust.js') },
  { id: 'trust-rate', roles: ['driver', 'buyer', 'shipper'], title: { zh: '评价', en: 'Rate a load' }, icon: '👍', load: () => import('../roles/common/trust-rate.js') },
  { id: 'trust-complaints', roles: ['driver', 'carrier', 'shipper', 'buyer', 'gate'], title: { zh: '投诉与申诉', en: 'Complaints' }, icon: '📝', load: () => import('../roles/common/trust-complaints.js') },
  { id: 'trust-queue', roles: ['dispatcher', 'admin'], title: { zh: '投诉受理', en: 'Complaint desk' }, icon: '🛎️', load: () => import('../roles/common/trust-queue.js') },
  { id: 'queue-record', roles: ['driver'], title: { zh: '排队公示', en: 'Queue record' }, icon: '🔏', load: () => import('../roles/driver/fairness.js') },
  { id: 'gate-simulate', roles: ['gate'], title: { zh: '排队模拟', en: 'Queue simulation' }, icon: '🧮', load: () => import('../roles/gate/simulate.js') },
  { id: 'command', roles: ['dispatcher', 'admin'], title: { zh: '指挥中心', en: 'Command centre' }, icon: '📈', load: () => import('../roles/dispatcher/command.js') },
  { id: 'site-view', roles: ['gate'], title: { zh: '本矿看板', en: 'Mine dashboard' }, icon: '📈', load: () => import('../roles/gate/site_view.js') },
  { id: 'fulfilment', roles: ['shipper'], title: { zh: '履约情况', en: 'Fulfilment' }, icon: '📈', load: () => import('../roles/shipper/fulfilment.js') },
  { id: 'reports', roles: ['gate', 'shipper', 'carrier', 'dispatcher', 'admin'], title: { zh: '报表', en: 'Reports' }, icon: '📋', load: () => import('../roles/common/reports.js') },
];

/** The screens in a role's bottom bar (nav: true, or nav naming the role), in registry order. */
export function navFor(role) {
  return screensFor(role).filter((s) => s.nav === true || (Array.isArray(s.nav) && s.nav.includes(role)));
}

/** The screens a role may open, in registry order. */
export function screensFor(role) {
  return SCREENS.filter((s) => s.roles.includes(role));
}

export function findScreen(id, role) {
  return SCREENS.find((s) => s.id === id && s.roles.includes(role)) || null;
}
