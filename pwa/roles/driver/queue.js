// My booking at the mine: check-in by geofence while open (fixes sent every few seconds), queue place,
// predicted call time, the call (on screen, sound, vibration), manual check-in with a reason, the QR pass.
import { clock } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';
import { MESSAGES as GATE_MESSAGES, gateNotice } from './tickets.js';

const POLL_MS = 5000;
const FIX_EVERY_MS = 5000;
const MESSAGES = {
  zh: {
    'queue.title': '排队叫号', 'queue.none': '暂无预约', 'queue.stage.booked': '已预约，未签到', 'queue.stage.checked_in': '已签到，排队中',
    'queue.stage.called': '已叫号，请进场！', 'queue.position': '第 {n} 位（共 {total} 辆）', 'queue.predicted': '预计 {time} 叫号',
    'queue.deadline': '请在 {time} 前到达门岗', 'queue.manual': '无法自动签到？申请人工签到', 'queue.reason': '原因',
    'queue.send': '提交申请', 'queue.manual_sent': '已申请人工签到，等待门岗确认', 'queue.pass': '出示通行证',
    'queue.window': '预约时段 {time}', 'queue.closed': '您的预约已被矿方取消：{reason}', 'queue.expired': '预约已过期：{reason}',
    'queue.gps': '定位中…', 'queue.inside': '已在签到区内', 'queue.outside': '不在签到区内',
    'queue.push': '开启叫号提醒', 'queue.push_on': '已开启：关闭应用后叫号也会通知您', 'queue.push_denied': '通知权限被拒绝，请在浏览器设置中允许',
    'queue.push_off': '服务器未配置推送，请保持本页打开', 'queue.push_unsupported': '此浏览器不支持推送，请保持本页打开',
  },
  en: {
    'queue.title': 'Queue', 'queue.none': 'No booking', 'queue.stage.booked': 'Booked, not checked in', 'queue.stage.checked_in': 'Checked in, queuing',
    'queue.stage.called': 'Called — drive to the gate!', 'queue.position': 'Position {n} of {total}', 'queue.predicted': 'Expected call {time}',
    'queue.deadline': 'Reach the gate by {time}', 'queue.manual': 'No GPS? Ask for a manual check-in', 'queue.reason': 'Reason',
    'queue.send': 'Send request', 'queue.manual_sent': 'Manual check-in requested; the gate will confirm', 'queue.pass': 'Show gate pass',
    'queue.window': 'Window {time}', 'queue.closed': 'The mine cancelled your booking: {reason}', 'queue.expired': 'Booking expired: {reason}',
    'queue.gps': 'Locating…', 'queue.inside': 'Inside the check-in area', 'queue.outside': 'Outside the check-in area',
    'queue.push': 'Notify me when called', 'queue.push_on': 'On: you are told of the call even with the app closed',
    'queue.push_denied': 'Notifications are blocked; allow them in the browser settings',
    'queue.push_off': 'Push is not set up on the server; keep this page open', 'queue.push_unsupported': 'This browser cannot receive push; keep this page open',
  },
};

// Each state in its own words: the phone is told why it is not checked in, not just "outside".
const STATE_MESSAGES = {
  zh: {
    'queue.too_early': '已到签到区，签到尚未开始（预约时段 {time}）', 'queue.too_late': '已过签到时间，请重新预约时段',
    'queue.offline': '离线：显示的是最后一次的状态，联网后自动更新', 'queue.deadline_now': '请立即前往门岗',
    'queue.low_accuracy': '定位精度不够，正在重新定位…', 'queue.fix_offline': '离线：暂时无法签到，联网后自动重试',
  },
  en: {
    'queue.too_early': 'At the check-in area; check-in has not opened yet (window {time})',
    'queue.too_late': 'Too late to check in for this window; please book another',
    'queue.offline': 'Offline: showing the last known state; it updates when you are back online',
    'queue.deadline_now': 'Drive to the gate now', 'queue.low_accuracy': 'Position not accurate enough; locating again…',
    'queue.fix_offline': 'Offline: cannot check in now; retrying when back online',
  },
};
const FIX_WORDS = { inside: 'queue.inside', checked_in: 'queue.inside', outside: 'queue.outside', checked_out: 'queue.outside',
  too_early: 'queue.too_early', too_late: 'queue.too_late', ignored_accuracy: 'queue.low_accuracy' };

function beep() {
  try {
    const audio = new (window.AudioContext || window.webkitAudioContext)();
    const osc = audio.createOscillator();
    osc.frequency.value = 880;
    osc.connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.6);
  } catch { /* no audio: the banner and vibration still show */ }
  if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
}

const pushSupported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

function keyBytes(base64url) {
  const raw = atob(base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

// The browser's subscription for this server key (a subscription made with an older key is replaced).
async function pushSubscription(registration, key) {
  const existing = await registration.pushManager.getSubscription();
  const old = existing?.options?.applicationServerKey;
  if (existing && old && new Uint8Array(old).join() === key.join()) return existing;
  if (existing) await existing.unsubscribe();
  return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
}

// "Notify me when called": permission, subscribe, then hand the subscription to the server via the outbox.
function pushControl(ctx) {
  const { t } = ctx;
  const state = h('p', { id: 'push-state', class: 'muted push-state', role: 'status' });
  const button = h('button', { type: 'button', class: 'block push-optin', 'aria-describedby': 'push-state' }, t('queue.push'));
  if (!pushSupported()) return h('div', { class: 'push' }, h('p', { class: 'muted' }, t('queue.push_unsupported')));
  if (Notification.permission === 'granted') {
    navigator.serviceWorker.ready.then((r) => r.pushManager.getSubscription())
      .then((sub) => { if (sub) state.textContent = t('queue.push_on'); }).catch(() => {});
  }
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const { public_key: key } = await ctx.api.get('/api/appointments/push/key');
      if (!key) { state.textContent = t('queue.push_off'); return; }
      if (await Notification.requestPermission() !== 'granted') { state.textContent = t('queue.push_denied'); return; }
      const sub = await pushSubscription(await navigator.serviceWorker.ready, keyBytes(key));
      await ctx.write('POST', '/api/appointments/push/subscriptions', sub.toJSON(), t('queue.push'));
      state.textContent = t('queue.push_on');
    } catch (e) {
      ctx.toast(e.message);
    } finally { button.disabled = false; }
  });
  return h('div', { class: 'push' }, button, state);
}

export function render(root, ctx) {
  const { t } = ctx;
  ctx.addMessages(MESSAGES);
  ctx.addMessages(STATE_MESSAGES);
  ctx.addMessages(GATE_MESSAGES);
  let etag = null;
  let current = null;
  let last = null; // the last bookings reply, drawn again when a waybill's state changes under it
  let waybills = {}; // waybill id -> the waybill: a hold stops a truck without touching its booking
  let announced = new Set(JSON.parse(sessionStorage.getItem('ch.called') || '[]'));
  const status = h('div', { class: 'stack', 'aria-live': 'polite' });
  const gps = h('p', { class: 'muted gps-state' }, t('queue.gps'));
  fill(root, h('section', { class: 'screen queue' }, h('h1', {}, t('queue.title')), status, gps, pushControl(ctx)));

  const offline = h('p', { class: 'notice offline-state', role: 'status', hidden: true }, t('queue.offline'));
  status.before(offline);

  // Through the API client, so an expiring token is renewed before the call (an hour in the lot is normal).
  async function poll() {
    try {
      const reply = await ctx.api.poll('/api/appointments/bookings/mine', etag);
      offline.hidden = true;
      if (reply.changed) { etag = reply.etag; last = reply.data; }
      if (!last) return;
      const held = await heldStates(last.items);
      if (!reply.changed && held === heldKey(waybills)) return;
      show(last);
    } catch (e) {
      offline.hidden = e.status !== 0; // offline: keep showing the last state, and say so
    }
  }

  // One truth with 磅单/扣车: the booking says "called" while the gate holds the truck, so read the waybill too.
  const heldKey = (byId) => Object.values(byId).map((w) => `${w.id}:${w.state}`).sort().join();
  async function heldStates(items) {
    const before = heldKey(waybills);
    const read = await Promise.all(items.map((b) => ctx.api.get(`/api/waybills/${encodeURIComponent(b.waybill_id)}`).catch(() => waybills[b.waybill_id])));
    waybills = Object.fromEntries(read.filter(Boolean).map((w) => [w.id, w]));
    return before;
  }

  function manualForm(booking) {
    const input = h('input', { name: 'reason', required: true, maxlength: 200 });
    const form = h('form', { class: 'card manual' }, h('label', {}, t('queue.reason'), input),
      h('button', { type: 'submit', class: 'primary' }, t('queue.send')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await ctx.write('POST', `/api/appointments/bookings/${booking.id}/manual-checkin`, { reason: input.value.trim() }, t('queue.manual'));
        ctx.toast(t('queue.manual_sent'));
        poll();
      } catch (e) { ctx.toast(e.message); }
    });
    return h('details', {}, h('summary', {}, t('queue.manual')), form);
  }

  function bookingCard(b) {
    const waybill = waybills[b.waybill_id];
    if (waybill?.state === 'held') {
      return h('article', { class: 'card', dataset: { booking: b.id, held: 'true' } },
        h('p', {}, t('queue.window', { time: `${clock(b.slot_start_ms)}–${clock(b.slot_end_ms)}` })), gateNotice(t, waybill, []));
    }
    const rows = [h('p', {}, t('queue.window', { time: `${clock(b.slot_start_ms)}–${clock(b.slot_end_ms)}` })),
      h('p', { class: `stage stage-${b.stage}`, dataset: { stage: b.stage } }, t(`queue.stage.${b.stage}`))];
    if (b.queue && b.queue.position) {
      rows.push(h('p', { class: 'position' }, t('queue.position', { n: b.queue.position, total: b.queue.waiting })));
      if (b.queue.predicted_call_ms) rows.push(h('p', {}, t('queue.predicted', { time: clock(b.queue.predicted_call_ms) })));
    }
    if (b.stage === 'called') {
      rows.push(h('p', { class: 'call-banner', role: 'alert' }, b.call_deadline_ms
        ? t('queue.deadline', { time: clock(b.call_deadline_ms) }) : t('queue.deadline_now')));
    }
    if (b.stage === 'booked' && b.manual_requested_at) rows.push(h('p', {}, t('queue.manual_sent')));
    else if (b.stage === 'booked') rows.push(manualForm(b));
    rows.push(h('button', { type: 'button', class: 'primary block', onclick: () => ctx.navigate('pass', { booking: b.id }) }, t('queue.pass')));
    return h('article', { class: 'card', dataset: { booking: b.id } }, rows);
  }

  function show(data) {
    current = data.items[0] || null;
    for (const b of data.items) {
      if (b.stage === 'called' && waybills[b.waybill_id]?.state !== 'held' && !announced.has(b.id + b.called_at)) {
        announced.add(b.id + b.called_at);
        sessionStorage.setItem('ch.called', JSON.stringify([...announced]));
        beep();
      }
    }
    const notices = data.notices.map((n) => h('p', { class: 'notice', role: 'status' },
      t(n.status === 'closed' ? 'queue.closed' : 'queue.expired', { reason: n.end_reason || '' })));
    fill(status, data.items.length ? data.items.map(bookingCard) : h('p', { class: 'empty' }, t('queue.none')), notices);
  }

  async function sendFix() {
    if (!current || current.stage !== 'booked') return;
    try {
      const fix = await ctx.geo.once({ maximumAge: 0, timeout: 10000 });
      const reply = await ctx.api.send('POST', '/api/appointments/fixes',
        { lon: fix.lon, lat: fix.lat, accuracy_m: fix.accuracy_m, at_ms: Date.now() });
      const slot = `${clock(current.slot_start_ms)}–${clock(current.slot_end_ms)}`;
      if (FIX_WORDS[reply.result]) gps.textContent = t(FIX_WORDS[reply.result], { time: slot });
      gps.dataset.result = reply.result;
      if (reply.result === 'checked_in') { etag = null; poll(); }
    } catch (e) {
      gps.textContent = e.status === 0 ? t('queue.fix_offline') : t('queue.gps');
      gps.dataset.result = e.status === 0 ? 'offline' : 'error';
    }
  }

  poll();
  const timers = [setInterval(poll, POLL_MS), setInterval(sendFix, FIX_EVERY_MS)];
  setTimeout(sendFix, 500);
  return () => timers.forEach(clearInterval);
}
