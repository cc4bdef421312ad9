// The next step for the roles that are not driving: what waits on them now, from the lists their screens already
// read (one page each, never a query that grows with history), as the big card on top of home.
import { catalogueNames } from '../../lib/catalogue.js';
import { stateName } from '../../lib/waybill-words.js';
import { fill, h } from '../../ui/dom.js';

export const MESSAGES = {
  zh: {
    'nsr.title': '下一步', 'nsr.more': '（还有更多）',
    'nsr.buyer.none': '没有进行中的订单', 'nsr.buyer.order': '去订煤', 'nsr.buyer.active': '订单{state}：{load}',
    'nsr.buyer.track': '查看跟踪', 'nsr.buyer.unloaded': '货已卸下，请确认收货', 'nsr.buyer.confirm': '去确认收货',
    'nsr.buyer.count': '共 {n} 单进行中',
    'nsr.shipper.none': '没有等待承运的货', 'nsr.shipper.post': '发布货源', 'nsr.shipper.waiting': '{n} 车货等待承运',
    'nsr.shipper.declined': '{n} 车被承运商拒绝，请改派', 'nsr.shipper.go': '去处理',
    'nsr.carrier.none': '没有待派的车', 'nsr.carrier.fleet': '看车队', 'nsr.carrier.pending': '{n} 车委托待接受',
    'nsr.carrier.accepted': '{n} 车已接受，待派车', 'nsr.carrier.go': '去派车',
    'nsr.gate.none': '暂无车辆排队', 'nsr.gate.waiting': '{n} 辆车已签到等待叫号', 'nsr.gate.called': '{n} 辆车已叫号，待进场',
    'nsr.gate.go': '去叫号',
    'nsr.alerts.none': '没有待处理的预警', 'nsr.alerts.open': '{n} 条预警待处理', 'nsr.alerts.go': '去处理',
    'nsr.failed': '暂时读不到：{message}', 'nsr.offline': '离线：联网后显示',
  },
  en: {
    'nsr.title': 'Next step', 'nsr.more': '(and more)',
    'nsr.buyer.none': 'No order in progress', 'nsr.buyer.order': 'Order coal', 'nsr.buyer.active': 'Order {state}: {load}',
    'nsr.buyer.track': 'Track it', 'nsr.buyer.unloaded': 'Unloaded: please confirm receipt', 'nsr.buyer.confirm': 'Confirm receipt',
    'nsr.buyer.count': '{n} orders in progress',
    'nsr.shipper.none': 'No load waiting for a carrier', 'nsr.shipper.post': 'Post loads',
    'nsr.shipper.waiting': '{n} loads waiting for a carrier', 'nsr.shipper.declined': '{n} loads declined by the carrier: hand them on',
    'nsr.shipper.go': 'Deal with them',
    'nsr.carrier.none': 'No load to dispatch', 'nsr.carrier.fleet': 'See the fleet',
    'nsr.carrier.pending': '{n} entrusted loads to accept', 'nsr.carrier.accepted': '{n} accepted loads need a truck',
    'nsr.carrier.go': 'Dispatch',
    'nsr.gate.none': 'No truck in the queue', 'nsr.gate.waiting': '{n} trucks checked in, waiting for the call',
    'nsr.gate.called': '{n} trucks called, not yet in', 'nsr.gate.go': 'Call trucks',
    'nsr.alerts.none': 'No open alerts', 'nsr.alerts.open': '{n} open alerts', 'nsr.alerts.go': 'Review',
    'nsr.failed': 'Cannot read this now: {message}', 'nsr.offline': 'Offline: shown when back online',
  },
};

const RETRY_MS = 5000;
const DONE = ['confirmed', 'settled', 'cancelled', 'expired'];
// "20+" when a page came back full: the card says there is more without reading further pages.
const count = (items, page) => (page.next_cursor ? `${items.length}+` : String(items.length));

async function buyer(api) {
  const [page, names] = await Promise.all([api.get('/api/waybills?limit=50'), catalogueNames(api)]);
  const open = page.items.filter((w) => !DONE.includes(w.state));
  const unloaded = open.find((w) => w.state === 'unloaded');
  if (unloaded) return { title: ['nsr.buyer.unloaded'], detail: names.load(unloaded), action: ['buyer-orders', {}, 'nsr.buyer.confirm'] };
  if (!open.length) return { title: ['nsr.buyer.none'], action: ['buyer-order', {}, 'nsr.buyer.order'] };
  const w = open[0];
  return { title: ['nsr.buyer.active', { state: stateName(w.state), load: names.load(w) }],
    detail: open.length > 1 ? ['nsr.buyer.count', { n: count(open, page) }] : null,
    action: ['track', { waybill: w.id }, 'nsr.buyer.track'] };
}

async function shipper(api, user, has) {
  const page = await api.get('/api/waybills?state=open&limit=50');
  const declined = page.items.filter((w) => w.entrust_status === 'declined');
  const waiting = page.items.filter((w) => w.entrust_status !== 'declined');
  if (!page.items.length) return { title: ['nsr.shipper.none'], action: [has('shipper-order') ? 'shipper-order' : 'shipper-loads', {}, 'nsr.shipper.post'] };
  return { title: declined.length ? ['nsr.shipper.declined', { n: count(declined, page) }] : ['nsr.shipper.waiting', { n: count(waiting, page) }],
    detail: declined.length && waiting.length ? ['nsr.shipper.waiting', { n: count(waiting, page) }] : null,
    action: ['shipper-loads', {}, 'nsr.shipper.go'] };
}

async function carrier(api) {
  const [pending, accepted] = await Promise.all([api.get('/api/dispatch/loads?status=pending&limit=50'),
    api.get('/api/dispatch/loads?status=accepted&limit=50')]);
  const toAssign = accepted.items.filter((w) => w.state === 'open');
  if (!pending.items.length && !toAssign.length) return { title: ['nsr.carrier.none'], action: ['fleet', {}, 'nsr.carrier.fleet'] };
  const lines = [pending.items.length ? ['nsr.carrier.pending', { n: count(pending.items, pending) }] : null,
    toAssign.length ? ['nsr.carrier.accepted', { n: count(toAssign, accepted) }] : null].filter(Boolean);
  return { title: lines[0], detail: lines[1] || null, action: ['carrier-dispatch', {}, 'nsr.carrier.go'] };
}

async function gate(api, user) {
  const board = await api.get(`/api/appointments/mines/${encodeURIComponent(user.mine_id)}/queue`);
  const waiting = board.waiting || []; const called = board.called || [];
  if (!waiting.length && !called.length) return { title: ['nsr.gate.none'], action: ['gate-queue', {}, 'nsr.gate.go'] };
  return { title: waiting.length ? ['nsr.gate.waiting', { n: waiting.length }] : ['nsr.gate.called', { n: called.length }],
    detail: waiting.length && called.length ? ['nsr.gate.called', { n: called.length }] : null,
    action: ['gate-queue', {}, 'nsr.gate.go'] };
}

async function alerts(api, user) {
  const page = await api.get('/api/alerts?status=open&limit=50');
  const screen = user.role === 'gate' ? 'gate-alerts' : 'alerts';
  if (!page.items.length) return { title: ['nsr.alerts.none'], action: [screen, {}, 'nsr.alerts.go'] };
  return { title: ['nsr.alerts.open', { n: count(page.items, page) }], action: [screen, {}, 'nsr.alerts.go'] };
}

export const STEPS = { buyer, shipper, carrier, gate, dispatcher: alerts, admin: alerts };

/** The next-step card for a role other than the driver: {el, stop}; null for a role without one. */
export function roleCard(ctx) {
  const { api, t, user, navigate } = ctx;
  const find = STEPS[user.role];
  if (!find) return null;
  ctx.addMessages(MESSAGES);
  const el = h('section', { class: 'card next-step', 'aria-live': 'polite', 'aria-labelledby': 'ns-title' });
  let alive = true;
  let retry = null;
  const say = (line) => (Array.isArray(line) ? t(...line) : line);

  async function load() {
    let step;
    try { step = await find(api, user, (id) => (ctx.screens || []).some((s) => s.id === id)); } catch (e) {
      if (!alive) return;
      fill(el, h('p', { class: 'notice', role: 'status' }, e.status === 0 ? t('nsr.offline') : t('nsr.failed', { message: e.message })));
      retry = setTimeout(load, RETRY_MS); // a card that failed once is not left empty until the next half minute
      return;
    }
    if (!alive) return;
    const [screen, params, label] = step.action;
    fill(el, h('p', { class: 'muted ns-kicker' }, t('nsr.title')),
      h('h2', { id: 'ns-title', class: 'next-title' }, say(step.title)),
      step.detail ? h('p', { class: 'next-detail' }, say(step.detail)) : null,
      h('button', { type: 'button', class: 'primary block next-action', name: 'next-action',
        onclick: () => navigate(screen, params) }, t(label)));
  }

  load();
  const timer = setInterval(load, 30000);
  return { el, stop: () => { alive = false; clearInterval(timer); clearTimeout(retry); } };
}
