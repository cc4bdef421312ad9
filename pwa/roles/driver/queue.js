// My booking at the mine: check-in by geofence while open (fixes sent every few seconds), queue place,
// predicted call time, the call (on screen, sound, vibration), manual check-in with a reason, the QR pass.
import * as session from '../../lib/session.js';
import { fill, h } from '../../ui/dom.js';

const POLL_MS = 5000;
const FIX_EVERY_MS = 5000;
const MESSAGES = {
  zh: {
    'q.title': '排队叫号', 'q.none': '暂无预约', 'q.stage.booked': '已预约，未签到', 'q.stage.checked_in': '已签到，排队中',
    'q.stage.called': '已叫号，请进场！', 'q.position': '第 {n} 位（共 {total} 辆）', 'q.predicted': '预计 {time} 叫号',
    'q.deadline': '请在 {time} 前到达门岗', 'q.manual': '无法自动签到？申请人工签到', 'q.reason': '原因',
    'q.send': '提交申请', 'q.manual_sent': '已申请人工签到，等待门岗确认', 'q.pass': '出示通行证',
    'q.window': '预约时段 {time}', 'q.closed': '您的预约已被矿方取消：{reason}', 'q.expired': '预约已过期：{reason}',
    'q.gps': '定位中…', 'q.inside': '已在签到区内', 'q.outside': '不在签到区内',
    'q.push': '开启叫号提醒', 'q.push_on': '已开启：关闭应用后叫号也会通知您', 'q.push_denied': '通知权限被拒绝，请在浏览器设置中允许',
    'q.push_off': '服务器未配置推送，请保持本页打开', 'q.push_unsupported': '此浏览器不支持推送，请保持本页打开',
  },
  en: {
    'q.title': 'Queue', 'q.none': 'No booking', 'q.stage.booked': 'Booked, not checked in', 'q.stage.checked_in': 'Checked in, queuing',
    'q.stage.called': 'Called — drive to the gate!', 'q.position': 'Position {n} of {total}', 'q.predicted': 'Expected call {time}',
    'q.deadline': 'Reach the gate by {time}', 'q.manual': 'No GPS? Ask for a manual check-in', 'q.reason': 'Reason',
    'q.send': 'Send request', 'q.manual_sent': 'Manual check-in requested; the gate will confirm', 'q.pass': 'Show gate pass',
    'q.window': 'Window {time}', 'q.closed': 'The mine cancelled your booking: {reason}', 'q.expired': 'Booking expired: {reason}',
    'q.gps': 'Locating…', 'q.inside': 'Inside the check-in area', 'q.outside': 'Outside the check-in area',
    'q.push': 'Notify me when called', 'q.push_on': 'On: you are told of the call even with the app closed',
    'q.push_denied': 'Notifications are blocked; allow them in the browser settings',
    'q.push_off': 'Push is not set up on the server; keep this page open', 'q.push_unsupported': 'This browser cannot receive push; keep this page open',
  },
};

const clock = (ms) => new Date(ms).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });

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
  const button = h('button', { type: 'button', class: 'block push-optin', 'aria-describedby': 'push-state' }, t('q.push'));
  if (!pushSupported()) return h('div', { class: 'push' }, h('p', { class: 'muted' }, t('q.push_unsupported')));
  if (Notification.permission === 'granted') {
    navigator.serviceWorker.ready.then((r) => r.pushManager.getSubscription())
      .then((sub) => { if (sub) state.textContent = t('q.push_on'); }).catch(() => {});
  }
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const { public_key: key } = await ctx.api.get('/api/appointments/push/key');
      if (!key) { state.textContent = t('q.push_off'); return; }
      if (await Notification.requestPermission() !== 'granted') { state.textContent = t('q.push_denied'); return; }
      const sub = await pushSubscription(await navigator.serviceWorker.ready, keyBytes(key));
      await ctx.write('POST', '/api/appointments/push/subscriptions', sub.toJSON(), t('q.push'));
      state.textContent = t('q.push_on');
    } catch (e) {
      ctx.toast(e.message);
    } finally { button.disabled = false; }
  });
  return h('div', { class: 'push' }, button, state);
}

export function render(root, ctx) {
  const { t } = ctx;
  ctx.addMessages(MESSAGES);
  let etag = null;
  let current = null;
  let announced = new Set(JSON.parse(sessionStorage.getItem('ch.called') || '[]'));
  const status = h('div', { class: 'stack', 'aria-live': 'polite' });
  const gps = h('p', { class: 'muted gps-state' }, t('q.gps'));
  fill(root, h('section', { class: 'screen queue' }, h('h1', {}, t('q.title')), status, gps, pushControl(ctx)));

  async function poll() {
    const headers = { Authorization: `Bearer ${session.accessToken()}`, Accept: 'application/json' };
    if (etag) headers['If-None-Match'] = etag;
    try {
      const reply = await fetch('/api/appointments/bookings/mine', { headers });
      if (reply.status === 304 || !reply.ok) return;
      etag = reply.headers.get('ETag');
      show(await reply.json());
    } catch { /* offline: keep showing the last state */ }
  }

  function manualForm(booking) {
    const input = h('input', { name: 'reason', required: true, maxlength: 200 });
    const form = h('form', { class: 'card manual' }, h('label', {}, t('q.reason'), input),
      h('button', { type: 'submit', class: 'primary' }, t('q.send')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await ctx.write('POST', `/api/appointments/bookings/${booking.id}/manual-checkin`, { reason: input.value.trim() }, t('q.manual'));
        ctx.toast(t('q.manual_sent'));
        poll();
      } catch (e) { ctx.toast(e.message); }
    });
    return h('details', {}, h('summary', {}, t('q.manual')), form);
  }

  function bookingCard(b) {
    const rows = [h('p', {}, t('q.window', { time: `${clock(b.slot_start_ms)}–${clock(b.slot_end_ms)}` })),
      h('p', { class: `stage stage-${b.stage}`, dataset: { stage: b.stage } }, t(`q.stage.${b.stage}`))];
    if (b.queue && b.queue.position) {
      rows.push(h('p', { class: 'position' }, t('q.position', { n: b.queue.position, total: b.queue.waiting })));
      if (b.queue.predicted_call_ms) rows.push(h('p', {}, t('q.predicted', { time: clock(b.queue.predicted_call_ms) })));
    }
    if (b.stage === 'called') rows.push(h('p', { class: 'call-banner', role: 'alert' }, t('q.deadline', { time: clock(b.call_deadline_ms) })));
    if (b.stage === 'booked' && b.manual_requested_at) rows.push(h('p', {}, t('q.manual_sent')));
    else if (b.stage === 'booked') rows.push(manualForm(b));
    rows.push(h('button', { type: 'button', class: 'primary block', onclick: () => ctx.navigate('pass', { booking: b.id }) }, t('q.pass')));
    return h('article', { class: 'card', dataset: { booking: b.id } }, rows);
  }

  function show(data) {
    current = data.items[0] || null;
    for (const b of data.items) {
      if (b.stage === 'called' && !announced.has(b.id + b.called_at)) {
        announced.add(b.id + b.called_at);
        sessionStorage.setItem('ch.called', JSON.stringify([...announced]));
        beep();
      }
    }
    const notices = data.notices.map((n) => h('p', { class: 'notice', role: 'status' },
      t(n.status === 'closed' ? 'q.closed' : 'q.expired', { reason: n.end_reason || '' })));
    fill(status, data.items.length ? data.items.map(bookingCard) : h('p', { class: 'empty' }, t('q.none')), notices);
  }

  async function sendFix() {
    if (!current || current.stage !== 'booked') return;
    try {
      const fix = await ctx.geo.once({ maximumAge: 0, timeout: 10000 });
      const reply = await ctx.api.send('POST', '/api/appointments/fixes',
        { lon: fix.lon, lat: fix.lat, accuracy_m: fix.accuracy_m, at_ms: Date.now() });
      gps.textContent = ['inside', 'checked_in'].includes(reply.result) ? t('q.inside') : t('q.outside');
      if (reply.result === 'checked_in') { etag = null; poll(); }
    } catch { gps.textContent = t('q.gps'); }
  }

  poll();
  const timers = [setInterval(poll, POLL_MS), setInterval(sendFix, FIX_EVERY_MS)];
  setTimeout(sendFix, 500);
  return () => timers.forEach(clearInterval);
}
