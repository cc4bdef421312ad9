// The driver's trip: sends fixes while open (batched, queued offline), route sketch and ETA,
// depart, arrive, and the unloading receipt (photo, signature or receipt code). The receipt goes into
// the outbox with its photos and signature as attachments, so it syncs from any screen once online.
import { deleteDB, openDB } from '/vendor/idb/build/index.js';
import { clock, dateTime, km } from '../../lib/format.js';
import { stateName } from '../../lib/waybill-words.js';
import { navButtons } from '../../ui/contact-buttons.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { consentCard } from '../../ui/position-consent.js';

const ON_ROAD = ['released', 'in_transit', 'arrived'];
const BATCH_EVERY_MS = 15000;
const BATCH_MAX = 20;
const PHOTO_MAX_PX = 1280;

const MESSAGES = {
  zh: {
    'trip.none': '当前没有在途运单', 'trip.to': '送往', 'trip.eta': '预计到达', 'trip.left': '剩余 {km} 公里',
    'trip.depart': '出发', 'trip.arrive': '到达卸货点', 'trip.unload': '卸车回单', 'trip.received': '收货重量（吨）',
    'trip.photo': '拍照（煤堆或签字回单）', 'trip.sign': '收货人签字', 'trip.clear': '重写', 'trip.code': '或输入收货码',
    'trip.signer': '收货人姓名', 'trip.submit': '提交回单', 'trip.saved_offline': '回单已保存，联网后自动上传',
    'trip.sent': '回单已提交', 'trip.fixes': '已记录 {n} 个定位点', 'trip.need_sign': '请收货人签字或输入收货码',
    'trip.need_photo': '请至少拍一张照片', 'trip.gps_off': '无法获取定位', 'trip.pending_receipt': '回单待上传',
  },
  en: {
    'trip.none': 'No waybill on the road', 'trip.to': 'To', 'trip.eta': 'ETA', 'trip.left': '{km} km to go',
    'trip.depart': 'Depart', 'trip.arrive': 'Arrived at site', 'trip.unload': 'Unloading receipt',
    'trip.received': 'Received weight (t)', 'trip.photo': 'Photo (coal or signed paper)', 'trip.sign': 'Recipient signs',
    'trip.clear': 'Clear', 'trip.code': 'Or the receipt code', 'trip.signer': 'Recipient name', 'trip.submit': 'Submit receipt',
    'trip.saved_offline': 'Receipt saved; it uploads when you are online', 'trip.sent': 'Receipt submitted',
    'trip.fixes': '{n} positions recorded', 'trip.need_sign': 'The recipient signs or gives the receipt code',
    'trip.need_photo': 'Take at least one photo', 'trip.gps_off': 'No position', 'trip.pending_receipt': 'Receipt waiting to upload',
  },
};

const cacheKey = (id) => `ch.trip.${id}`;
const receiptPath = (waybillId) => `/api/receipts/${waybillId}`;
const LEGACY_DB = 'coalhaul-trip';

async function findWaybill(ctx) {
  if (ctx.params.waybill) {
    try { return await ctx.api.get(`/api/waybills/${encodeURIComponent(ctx.params.waybill)}`); } catch { /* offline */ }
    return JSON.parse(localStorage.getItem(cacheKey(ctx.params.waybill)) || 'null');
  }
  try {
    const page = await ctx.api.get('/api/waybills?limit=20');
    return page.items.find((w) => ON_ROAD.includes(w.state)) || null;
  } catch {
    const last = localStorage.getItem('ch.trip.last');
    return last ? JSON.parse(localStorage.getItem(cacheKey(last)) || 'null') : null;
  }
}

/** A small SVG of the track and the destination: useful with no tiles and no signal. */
function sketch(track, destination, position) {
  const pts = [...track.map((p) => [p[0], p[1]]), destination];
  if (position) pts.push([position.lon, position.lat]);
  const xs = pts.map((p) => p[0]); const ys = pts.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(x1 - x0, y1 - y0, 0.001);
  const xy = ([x, y]) => [10 + ((x - x0) / span) * 280, 150 - ((y - y0) / span) * 140];
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 300 160');
  svg.setAttribute('class', 'trip-sketch');
  svg.setAttribute('role', 'img');
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', track.map((p) => xy(p).join(',')).join(' '));
  line.setAttribute('fill', 'none'); line.setAttribute('stroke', '#1565c0'); line.setAttribute('stroke-width', '3');
  const dot = (p, colour, r) => {
    const c = document.createElementNS(ns, 'circle');
    const [cx, cy] = xy(p);
    c.setAttribute('cx', cx); c.setAttribute('cy', cy); c.setAttribute('r', r); c.setAttribute('fill', colour);
    return c;
  };
  svg.append(line, dot(destination, '#2e7d32', 7));
  if (position) svg.append(dot([position.lon, position.lat], '#d84315', 6));
  return svg;
}

function signaturePad(t) {
  const canvas = h('canvas', { width: 320, height: 140, class: 'signature', 'aria-label': t('trip.sign') });
  const g = canvas.getContext('2d');
  g.lineWidth = 2.5; g.lineCap = 'round';
  let drawing = false; let signed = false;
  const at = (e) => { const r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * (320 / r.width), (e.clientY - r.top) * (140 / r.height)]; };
  canvas.addEventListener('pointerdown', (e) => { drawing = true; g.beginPath(); g.moveTo(...at(e)); });
  canvas.addEventListener('pointermove', (e) => { if (drawing) { g.lineTo(...at(e)); g.stroke(); signed = true; } });
  ['pointerup', 'pointerleave'].forEach((n) => canvas.addEventListener(n, () => { drawing = false; }));
  const clear = h('button', { type: 'button', class: 'link', onclick: () => { g.clearRect(0, 0, 320, 140); signed = false; } }, t('trip.clear'));
  return {
    el: h('div', { class: 'field' }, h('span', {}, t('trip.sign')), canvas, clear),
    blob: () => (signed ? new Promise((resolve) => canvas.toBlob(resolve, 'image/png')) : Promise.resolve(null)),
  };
}

/** Shrink a camera photo to a JPEG a cheap phone can upload on a weak signal. */
async function shrink(file) {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, PHOTO_MAX_PX / Math.max(bitmap.width, bitmap.height));
    const canvas = h('canvas', { width: Math.round(bitmap.width * scale), height: Math.round(bitmap.height * scale) });
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.7));
  } catch {
    return file;
  }
}

/** Queue the receipt in the outbox: photos and signature are uploaded first, then the receipt is posted. */
function sendReceipt(ctx, waybillId, form, photos, signature) {
  const attachments = [...photos.map((blob) => ({ field: 'photo_keys', kind: 'photo', blob })),
    ...(signature ? [{ field: 'signature_key', kind: 'signature', blob: signature }] : [])];
  return ctx.write('POST', receiptPath(waybillId), { ...form, photo_keys: [], signature_key: null }, ctx.t('trip.unload'),
    { attachments, uploadPath: `${receiptPath(waybillId)}/uploads` });
}

/** Receipts the app's earlier version kept in a database of their own: hand them to the outbox, once. */
async function adoptLegacyReceipts(ctx) {
  if (!indexedDB.databases || !(await indexedDB.databases()).some((d) => d.name === LEGACY_DB)) return;
  const db = await openDB(LEGACY_DB, 1);
  const items = db.objectStoreNames.contains('receipts') ? await db.getAll('receipts') : [];
  db.close();
  await deleteDB(LEGACY_DB);
  for (const item of items) await sendReceipt(ctx, item.waybill_id, item.form, item.photos, item.signature).catch(() => {});
}

function receiptForm(ctx, waybill, lastPoint, onSent) {
  const { t } = ctx;
  const weight = field({ name: 'received', label: t('trip.received'), value: waybill.net_kg ? (waybill.net_kg / 1000).toFixed(2) : '',
    attrs: { type: 'number', inputmode: 'decimal', step: '0.01', min: 0, required: true } });
  const photo = field({ name: 'photo', label: t('trip.photo'), attrs: { type: 'file', accept: 'image/*', capture: 'environment', multiple: true } });
  const pad = signaturePad(t);
  const code = field({ name: 'receipt_code', label: t('trip.code'), attrs: { inputmode: 'numeric', maxlength: 6, autocomplete: 'off' } });
  const signer = field({ name: 'signer', label: t('trip.signer'), attrs: { maxlength: 40 } });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary block' }, t('trip.submit'));
  const form = h('form', { class: 'card receipt-form', novalidate: true, 'aria-label': t('trip.unload') },
    h('h2', {}, t('trip.unload')), weight.el, photo.el, pad.el, code.el, signer.el, error, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const files = [...photo.input.files];
    const signature = await pad.blob();
    const say = (msg) => { error.textContent = msg; error.hidden = false; };
    if (!files.length) return say(t('trip.need_photo'));
    if (!signature && !code.input.value.trim()) return say(t('trip.need_sign'));
    submit.disabled = true; // one receipt per tap, not one per impatient double tap
    const photos = await Promise.all(files.slice(0, 6).map(shrink));
    const point = lastPoint();
    const body = { received_kg: Math.round(Number(weight.input.value) * 1000), receipt_code: code.input.value.trim() || null,
      signer_name: signer.input.value.trim() || null, point: point ? [point.lon, point.lat] : null };
    try {
      onSent(await sendReceipt(ctx, waybill.id, body, photos, signature));
    } catch (e) {
      say(e.message);
      submit.disabled = false;
    }
  });
  return form;
}

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  let waybill = null; let stopWatch = () => {}; let timer = null; let closed = false;
  let buffer = []; let sentCount = 0; let last = null; let view = { track: [], eta_ms: null, remaining_m: null };
  const status = h('p', { class: 'trip-status', role: 'status' });
  const body = h('div', { class: 'trip' });
  root.append(h('section', { class: 'screen trip-screen' }, status, body, consentCard(ctx, dateTime)));

  function flushFixes() {
    if (!buffer.length || !waybill) return;
    const fixes = buffer; buffer = [];
    sentCount += fixes.length;
    ctx.write('POST', '/api/tracking/fixes', { waybill_id: waybill.id, fixes }, t('trip.fixes', { n: fixes.length }))
      .catch((e) => ctx.toast(e.message));
  }

  function onFix(p) {
    last = p;
    buffer.push({ lon: p.lon, lat: p.lat, at_ms: Math.round(p.at), accuracy_m: p.accuracy_m });
    view.track = [...view.track, [p.lon, p.lat, p.at]];
    if (buffer.length >= BATCH_MAX) flushFixes();
    draw();
  }

  async function act(action) {
    flushFixes();
    const body = action === 'arrive' ? { point: last ? [last.lon, last.lat] : null } : (last ? { point: [last.lon, last.lat] } : {});
    try {
      await ctx.write('POST', `/api/tracking/waybills/${waybill.id}/${action}`, body, t(`trip.${action}`));
      waybill.state = action === 'depart' ? 'in_transit' : 'arrived';
      remember();
      draw();
    } catch (e) { ctx.toast(e.message); }
  }

  const remember = () => {
    localStorage.setItem(cacheKey(waybill.id), JSON.stringify(waybill));
    localStorage.setItem('ch.trip.last', waybill.id);
  };

  let form = null; // kept across redraws: a GPS fix must not wipe what the driver has typed
  let receiptPending = false;
  const pendingReceipt = async () => (await ctx.pendingWrites())
    .some((w) => w.method === 'POST' && w.path === receiptPath(waybill.id));

  function receiptSent(result) {
    form = null;
    ctx.toast(result.queued ? t('trip.saved_offline') : t('trip.sent'));
    if (!result.queued) { waybill.state = 'unloaded'; remember(); }
    draw();
  }

  async function draw() {
    if (closed) return;
    if (!waybill) { fill(body, h('p', { class: 'empty' }, t('trip.none'))); return; }
    receiptPending = await pendingReceipt();
    if (closed) return;
    const dest = waybill.destination || {};
    const target = dest.point ? dest.point.coordinates : null;
    const canUnload = ['arrived', 'in_transit'].includes(waybill.state) && !receiptPending;
    if (canUnload && !form) form = receiptForm(ctx, waybill, () => last, receiptSent);
    fill(status, `${waybill.plate || ''} · ${stateName(waybill.state)}`);
    fill(body,
      h('p', { class: 'dest' }, `${t('trip.to')}: ${dest.address || ''}`),
      target && ['released', 'in_transit'].includes(waybill.state) ? navButtons(target, dest.address || '', 'destination') : null,
      view.eta_ms && waybill.state === 'in_transit' ? h('p', { class: 'eta' }, `${t('trip.eta')} ${clock(view.eta_ms)} · `
        + t('trip.left', { km: km(view.remaining_m || 0) })) : null,
      target ? sketch(view.track.length ? view.track : [target], target, last) : null,
      h('p', { class: 'muted fix-count', dataset: { fixes: sentCount + buffer.length } }, t('trip.fixes', { n: sentCount + buffer.length })),
      waybill.state === 'released' ? h('button', { type: 'button', class: 'primary block', onclick: () => act('depart') }, t('trip.depart')) : null,
      waybill.state === 'in_transit' ? h('button', { type: 'button', class: 'primary block', onclick: () => act('arrive') }, t('trip.arrive')) : null,
      receiptPending ? h('p', { class: 'tag pending-tag receipt-pending' }, t('trip.pending_receipt')) : null,
      canUnload ? form : null);
  }

  // The outbox delivers the receipt whatever screen is open; this screen only shows the outcome.
  const stopOutbox = ctx.onOutboxChange(async () => {
    if (!waybill || closed || (await pendingReceipt()) === receiptPending) return;
    await refresh();
    draw();
  });

  async function refresh() {
    if (!waybill || !navigator.onLine) return;
    try {
      const trip = await ctx.api.get(`/api/tracking/waybills/${waybill.id}`);
      view = { ...trip, track: trip.track.length ? trip.track : view.track };
      if (trip.state && trip.state !== waybill.state) { waybill.state = trip.state; remember(); }
      draw();
    } catch { /* keep what we have */ }
  }

  (async () => {
    waybill = await findWaybill(ctx);
    if (closed) return;
    if (waybill) {
      remember();
      stopWatch = ctx.geo.watch(onFix, () => ctx.toast(t('trip.gps_off')));
      timer = setInterval(() => { flushFixes(); refresh(); }, BATCH_EVERY_MS);
      refresh();
      adoptLegacyReceipts(ctx).catch(() => {});
    }
    draw();
  })();

  return () => {
    closed = true;
    flushFixes();
    stopWatch();
    clearInterval(timer);
    stopOutbox();
  };
}
