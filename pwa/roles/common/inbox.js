// The inbox every role has: what concerned me (called, held, dispatched, arrived, settled...), newest first, a
// tap opens the screen it is about and marks it read on every device (through the outbox, so offline too). The
// last list is kept in IndexedDB: offline the inbox shows it. Below, my notification preferences.
import { openDB } from '/vendor/idb/build/index.js';
import { dateTime } from '../../lib/format.js';
import { addMessages, t as translate } from '../../lib/i18n.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';

// The words of each kind (the server's backend/notifications/catalog.py says the same in its pushes).
const KINDS = ['called', 'hold', 'window_closed', 'unhold', 'expired', 'dispatched', 'entrusted', 'declined', 'arrived', 'disputed', 'settled', 'paid', 'signal_lost', 'complaint_answered', 'report_ready', 'reports_ready'];

addMessages({
  zh: {
    'inbox.called': '已叫号，请进场', 'inbox.called.body': '请在 {time} 前到达门岗',
    'inbox.hold': '车辆被扣', 'inbox.hold.body': '运单 {waybill} 被扣：{reason}',
    'inbox.window_closed': '预约时段已取消', 'inbox.window_closed.body': '矿方关闭了您的时段：{reason}',
    'inbox.unhold': '扣车已解除', 'inbox.unhold.body': '运单 {waybill} 可继续',
    'inbox.expired': '预约已过期', 'inbox.expired.body': '预约已失效：{reason}',
    'inbox.dispatched': '新派车', 'inbox.dispatched.body': '运单 {waybill}，{plate}',
    'inbox.entrusted': '新委托', 'inbox.entrusted.body': '运单 {waybill} 待派车',
    'inbox.declined': '承运商拒绝了委托', 'inbox.declined.body': '运单 {waybill} 已退回：{reason}。请改派承运商或发布到大厅',
    'inbox.arrived': '车辆已到达', 'inbox.arrived.body': '运单 {waybill}，{plate} 已到卸货地',
    'inbox.disputed': '收货有异议', 'inbox.disputed.body': '运单 {waybill}：{reason}',
    'inbox.settled': '运费已结算', 'inbox.settled.body': '运单 {waybill} 已结算',
    'inbox.paid': '已收到付款', 'inbox.paid.body': '运单 {waybill} 已付款',
    'inbox.signal_lost': '车辆失联', 'inbox.signal_lost.body': '{plate} 已 {minutes} 分钟无定位',
    'inbox.complaint_answered': '投诉已答复', 'inbox.complaint_answered.body': '答复：{reason}',
    'inbox.report_ready': '新报表', 'inbox.report_ready.body': '{party}：{start} 至 {end}',
    'inbox.reports_ready': '报表已生成', 'inbox.reports_ready.body': '{count} 份报表：{start} 至 {end}',
    'inbox.title': '消息', 'inbox.none': '没有消息', 'inbox.unread': '{count} 条未读', 'inbox.cached': '离线：显示上次的消息',
    'inbox.prefs': '通知设置', 'inbox.optouts': '不推送这些消息（叫号、扣车、时段取消必达，不能关闭）',
    'inbox.quiet': '免打扰时段（短信推迟到结束，叫号除外）', 'inbox.quiet_start': '开始（点）', 'inbox.quiet_end': '结束（点）',
    'inbox.lang': '短信语言', 'inbox.save': '保存设置', 'inbox.saved': '已保存', 'inbox.queued': '已保存，联网后提交',
    'inbox.read': '已读', 'inbox.lang.zh': '中文', 'inbox.lang.en': 'English',
  },
  en: {
    'inbox.called': 'Called to the gate', 'inbox.called.body': 'Reach the gate by {time}',
    'inbox.hold': 'Truck held', 'inbox.hold.body': 'Waybill {waybill} held: {reason}',
    'inbox.window_closed': 'Window cancelled', 'inbox.window_closed.body': 'The mine closed your window: {reason}',
    'inbox.unhold': 'Hold cleared', 'inbox.unhold.body': 'Waybill {waybill} may go on',
    'inbox.expired': 'Booking expired', 'inbox.expired.body': 'Your booking expired: {reason}',
    'inbox.dispatched': 'Dispatched', 'inbox.dispatched.body': 'Waybill {waybill}, {plate}',
    'inbox.entrusted': 'New entrustment', 'inbox.entrusted.body': 'Waybill {waybill} to dispatch',
    'inbox.declined': 'Carrier declined', 'inbox.declined.body': 'Waybill {waybill} came back: {reason}. Entrust another carrier or publish it',
    'inbox.arrived': 'Truck arrived', 'inbox.arrived.body': 'Waybill {waybill}, {plate} is at the site',
    'inbox.disputed': 'Receipt disputed', 'inbox.disputed.body': 'Waybill {waybill}: {reason}',
    'inbox.settled': 'Settled', 'inbox.settled.body': 'Waybill {waybill} was settled',
    'inbox.paid': 'Payment received', 'inbox.paid.body': 'Waybill {waybill} is paid',
    'inbox.signal_lost': 'Signal lost', 'inbox.signal_lost.body': '{plate}: no fix for {minutes} min',
    'inbox.complaint_answered': 'Complaint answered', 'inbox.complaint_answered.body': 'Reply: {reason}',
    'inbox.report_ready': 'New report', 'inbox.report_ready.body': '{party}: {start} to {end}',
    'inbox.reports_ready': 'Reports ready', 'inbox.reports_ready.body': '{count} reports: {start} to {end}',
    'inbox.title': 'Inbox', 'inbox.none': 'No messages', 'inbox.unread': '{count} unread',
    'inbox.cached': 'Offline: showing the last messages', 'inbox.prefs': 'Notification settings',
    'inbox.optouts': 'Do not push these (call-ins, holds and cancelled windows always arrive)',
    'inbox.quiet': 'Quiet hours (SMS waits until they end, except call-ins)', 'inbox.quiet_start': 'From (hour)',
    'inbox.quiet_end': 'Until (hour)', 'inbox.lang': 'SMS language', 'inbox.save': 'Save settings', 'inbox.saved': 'Saved',
    'inbox.queued': 'Saved; will send when online', 'inbox.read': 'Read', 'inbox.lang.zh': '中文', 'inbox.lang.en': 'English',
  },
});

let dbPromise = null;
function database() {
  dbPromise ||= openDB('coalhaul-inbox', 1, { upgrade(db) { db.createObjectStore('lists'); } })
    .catch((e) => { dbPromise = null; throw e; });
  return dbPromise;
}

/** The last inbox seen by this user on this phone: {items, unread} (empty when none). */
export async function cached(userId) {
  try { return (await (await database()).get('lists', userId)) || { items: [], unread: 0 }; } catch { return { items: [], unread: 0 }; }
}

async function keep(userId, value) {
  try { await (await database()).put('lists', value, userId); } catch { /* private mode: no offline copy */ }
}

/** The unread count: the server's when reachable (kept for offline), else the last one kept. */
export async function unreadCount(api, userId) {
  try {
    const { unread } = await api.get('/api/inbox/unread');
    const last = await cached(userId);
    await keep(userId, { ...last, unread });
    return unread;
  } catch {
    return (await cached(userId)).unread || 0;
  }
}

function text(message) {
  const params = message.params || {};
  if (!KINDS.includes(message.kind)) return [message.kind, ''];
  return [translate(`inbox.${message.kind}`), translate(`inbox.${message.kind}.body`, params)];
}

function preferences(ctx) {
  const { t } = ctx;
  const box = h('section', { class: 'card inbox-prefs' }, h('h2', {}, t('inbox.prefs')), h('p', {}, t('loading')));
  ctx.api.get('/api/inbox/preferences').then((prefs) => {
    const checks = prefs.optional_kinds.map((kind) => {
      const input = h('input', { type: 'checkbox', name: 'opt_out', value: kind, checked: prefs.opt_outs.includes(kind) });
      return h('label', { class: 'check' }, input, ` ${t(`inbox.${kind}`)}`);
    });
    const start = field({ name: 'quiet_start', label: t('inbox.quiet_start'), value: prefs.quiet_start ?? '', attrs: { type: 'number', min: 0, max: 23, inputmode: 'numeric' } });
    const end = field({ name: 'quiet_end', label: t('inbox.quiet_end'), value: prefs.quiet_end ?? '', attrs: { type: 'number', min: 0, max: 23, inputmode: 'numeric' } });
    const lang = field({ name: 'lang', label: t('inbox.lang'), value: prefs.lang, options: [['zh', t('inbox.lang.zh')], ['en', t('inbox.lang.en')]] });
    const form = h('form', { class: 'prefs-form' }, h('fieldset', {}, h('legend', {}, t('inbox.optouts')), checks),
      h('fieldset', {}, h('legend', {}, t('inbox.quiet')), start.el, end.el), lang.el,
      h('button', { type: 'submit', class: 'primary' }, t('inbox.save')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      [start, end].forEach((f) => f.setError(null));
      const hour = (f) => (f.input.value === '' ? null : Number(f.input.value));
      const body = { opt_outs: checks.map((c) => c.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
        quiet_start: hour(start), quiet_end: hour(end), lang: lang.input.value };
      try {
        const res = await ctx.write('PUT', '/api/inbox/preferences', body, t('inbox.prefs'));
        ctx.toast(res.queued ? t('inbox.queued') : t('inbox.saved'));
      } catch (err) {
        const fields = err.fieldErrors || {};
        start.setError(fields.quiet_start); end.setError(fields.quiet_end || fields.opt_outs);
      }
    });
    fill(box, h('h2', {}, t('inbox.prefs')), form);
  }).catch(() => box.remove());
  return box;
}

export function render(root, ctx) {
  const { t, user } = ctx;
  const list = h('ul', { class: 'list inbox-list' });
  const status = h('p', { class: 'muted inbox-status', role: 'status' });
  let state = { items: [], unread: 0 };

  async function open(message) {
    if (!message.read_at) {
      message.read_at = Date.now();
      state.unread = Math.max(0, state.unread - 1);
      await keep(user.id, state);
      draw();
      // Through the outbox: read offline, synced (and then read on every device) once back online.
      ctx.write('POST', `/api/inbox/${encodeURIComponent(message.id)}/read`, {}, t('inbox.read')).catch(() => {});
    }
    const target = (message.link || '').replace(/^#\//, '');
    if (target && ctx.screens.some((s) => s.id === target)) ctx.navigate(target);
  }

  function draw() {
    status.textContent = t('inbox.unread', { count: state.unread });
    if (!state.items.length) { fill(list, h('li', { class: 'empty' }, t('inbox.none'))); return; }
    fill(list, state.items.map((message) => {
      const [title, body] = text(message);
      return h('li', { class: message.read_at ? 'message read' : 'message unread', dataset: { kind: message.kind, id: message.id } },
        h('button', { type: 'button', class: 'link block', onclick: () => open(message) },
          h('strong', {}, title), h('span', { class: 'body' }, ` ${body}`), h('small', { class: 'muted' }, ` ${dateTime(message.created_at)}`)));
    }));
  }

  (async () => {
    state = await cached(user.id);
    draw();
    try {
      const [page, count] = await Promise.all([ctx.api.get('/api/inbox?limit=50'), ctx.api.get('/api/inbox/unread')]);
      const pendingReads = new Set((await ctx.pendingWrites()).filter((w) => w.path.startsWith('/api/inbox/') && w.path.endsWith('/read'))
        .map((w) => decodeURIComponent(w.path.split('/')[3])));
      const items = page.items.map((m) => (pendingReads.has(m.id) ? { ...m, read_at: m.read_at || Date.now() } : m));
      state = { items, unread: Math.max(0, count.unread - items.filter((m) => pendingReads.has(m.id) && !page.items.find((p) => p.id === m.id).read_at).length) };
      await keep(user.id, state);
      draw();
    } catch {
      status.textContent = `${t('inbox.cached')} · ${t('inbox.unread', { count: state.unread })}`;
    }
  })();

  fill(root, h('section', { class: 'card inbox' }, h('h1', {}, t('inbox.title')), status, list), preferences(ctx));
  return () => {};
}
